// Exponential smoothing with a multiplicative season (Hyndman, Koehler, Ord & Snyder 2008, class 3):
// ETS(M,N,M), ETS(M,A,M) and ETS(M,Ad,M), the models of a season that grows with the level.
//
//   mu_t = (l + phi b) s_{t-m}      e_t = (y_t - mu_t) / mu_t
//   l_t  = (l + phi b)(1 + alpha e_t)
//   b_t  = phi b + beta (l + phi b) e_t
//   s_t  = s_{t-m} (1 + gamma e_t)
//
// The states are not affine in their initial values, so these are not profiled by least squares as
// the additive-state models' are: the initial season is a classical decomposition's indices and the
// initial level and slope a line through the adjusted first two seasons; the smoothing parameters
// are fitted by maximum likelihood.
#include <algorithm>
#include <cmath>
#include <limits>

#include "../cancel.hpp"
#include "internal.hpp"

namespace pmkpi::forecast::detail {
namespace {

/** The recursion's states after a run: level, slope and the seasonal factors by phase. */
struct SeasonState {
  double level = 0, slope = 0;
  Vec ring;
};

/**
 * Runs the recursion through y from x0, writing the relative one-step errors to e (when given).
 * Returns false when a fitted value or a level leaves the positive numbers (an inadmissible model).
 */
bool run(const Vec& y, const EtsSpec& spec, const EtsParams& p, const Vec& x0, double* e, double& sse,
         double& sum_log_mu, SeasonState& st) {
  const bool trend = spec.trend != Trend::None;
  const std::size_t m = static_cast<std::size_t>(spec.m);
  st.level = x0[0];
  st.slope = trend ? x0[1] : 0.0;
  st.ring.assign(x0.begin() + (trend ? 2 : 1), x0.end());
  sse = 0;
  LogSum logs;
  std::size_t phase = 0;
  for (std::size_t t = 0; t < y.size(); ++t) {
    const double lb = st.level + p.phi * st.slope;
    double& s = st.ring[phase];
    const double mu = lb * s;
    if (!(mu > 0) || !(lb > 0)) return false;
    const double err = (y[t] - mu) / mu;
    if (e) e[t] = y[t] - mu;
    sse += err * err;
    logs.add(mu);
    st.level = lb * (1 + p.alpha * err);
    if (trend) st.slope = p.phi * st.slope + p.beta * lb * err;
    s *= 1 + p.gamma * err;
    if (++phase == m) phase = 0;
  }
  sum_log_mu = logs.total();
  return st.level > 0;
}

/** The initial states: the level and slope of the adjusted first two seasons, then the indices. */
Vec initial_states(const Vec& y, const EtsSpec& spec, const Vec& indices) {
  const std::size_t m = indices.size(), span = std::min(y.size(), 2 * m);
  Vec z(span);
  for (std::size_t t = 0; t < span; ++t) z[t] = y[t] / indices[t % m];
  Vec x0;
  if (spec.trend != Trend::None) {
    double intercept, slope;
    ols_line(z, intercept, slope);
    x0 = {intercept - slope, slope};  // the state before y[0]: its one-step forecast is the line at 0
  } else {
    x0 = {mean_of(z, 0, m)};
  }
  x0.insert(x0.end(), indices.begin(), indices.end());
  return x0;
}

}  // namespace

EtsFit fit_ets_multiplicative_season(const Vec& y, const EtsSpec& spec, const Vec& indices, const Vec* warm) {
  pmkpi::detail::stop_if_cancelled();
  EtsFit fit;
  fit.spec = spec;
  const std::size_t n = y.size(), m = static_cast<std::size_t>(spec.m);
  // As the additive-state models count them: the smoothing parameters, the free initial states, sigma.
  fit.k = spec.smoothing_count() + (spec.trend != Trend::None ? 2 : 1) + static_cast<int>(m) - 1 + 1;
  if (!spec.seasonal || spec.error != 'M' || indices.size() != m || m < 2 || n < 2 * m ||
      static_cast<int>(n) - fit.k - 1 <= 0)
    return fit;
  for (double v : y)
    if (!(v > 0)) return fit;
  const Vec x0 = initial_states(y, spec, indices);
  SeasonState st;
  const double nd = static_cast<double>(n);
  auto objective = [&](const Vec& u) {
    double sse = 0, logs = 0;
    if (!run(y, spec, ets_params(spec, u), x0, nullptr, sse, logs, st)) return std::numeric_limits<double>::infinity();
    return nd * std::log(std::max(sse / nd, 1e-300)) + 2 * logs;
  };
  double best = 0;
  const Vec u = ets_minimum(objective, spec, warm, best);
  if (!std::isfinite(best)) return fit;
  const EtsParams p = ets_params(spec, u);
  fit.residuals.resize(n);
  double sse = 0, logs = 0;
  if (!run(y, spec, p, x0, fit.residuals.data(), sse, logs, st)) return fit;
  fit.alpha = p.alpha;
  fit.beta = p.beta;
  fit.gamma = p.gamma;
  fit.phi = spec.trend == Trend::Damped ? p.phi : 1.0;
  fit.x0 = x0;
  fit.u = u;
  fit.level = st.level;
  fit.slope = st.slope;
  fit.season.resize(m);
  for (std::size_t j = 0; j < m; ++j) fit.season[j] = st.ring[(n + j) % m];
  ets_likelihood(fit, sse, logs);
  return fit;
}

Vec multiplicative_season_path(const EtsFit& fit, const Vec& y, int h, std::size_t first) {
  const std::size_t n = y.size(), steps = static_cast<std::size_t>(h), m = fit.season.size();
  Vec out((n - 1 - first) * steps);
  const bool trend = fit.spec.trend != Trend::None;
  Vec ring(fit.x0.begin() + (trend ? 2 : 1), fit.x0.end());
  double l = fit.x0[0], b = trend ? fit.x0[1] : 0.0;
  std::size_t phase = 0;
  for (std::size_t t = 0; t + 1 < n; ++t) {
    const double lb = l + fit.phi * b;
    const double mu = lb * ring[phase];
    const double err = mu > 0 ? (y[t] - mu) / mu : 0.0;
    l = lb * (1 + fit.alpha * err);
    if (trend) b = fit.phi * b + fit.beta * lb * err;
    ring[phase] *= 1 + fit.gamma * err;
    if (++phase == m) phase = 0;
    if (t < first) continue;
    double* row = &out[(t - first) * steps];
    double phisum = 0, phipow = 1;
    for (std::size_t j = 0; j < steps; ++j) {
      phipow *= fit.phi;
      phisum += phipow;
      row[j] = (l + phisum * b) * ring[(phase + j) % m];
    }
  }
  return out;
}

}  // namespace pmkpi::forecast::detail
