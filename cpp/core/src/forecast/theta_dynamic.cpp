// The dynamic optimised Theta model (DOTM; Fiorucci, Pellegrini, Louzada, Petropoulos & Koehler
// 2016, "Models for optimising the theta method and their relationship to state space models").
//
// After y_1..y_t: the level l_t = alpha y_t + (1 - alpha) l_{t-1}, and A_t, B_t the intercept and
// slope of the least-squares line through y_1..y_t, updated as each value arrives:
//   mean_t = ((t - 1) mean_{t-1} + y_t) / t
//   B_t    = ((t - 2) B_{t-1} + 6 (y_t - mean_{t-1}) / t) / (t + 1)
//   A_t    = mean_t - (t + 1) / 2 B_t
// and the forecast h steps on
//   l_t + (1 - 1/theta) [ (1 - alpha)^t A_t + ((h - 1) + (1 - (1 - alpha)^(t+1)) / alpha) B_t ].
// theta = 2 with a fixed line is the standard Theta method; here alpha, theta and l_0 are fitted
// by the one-step squared errors, and the line follows the data.
#include <algorithm>
#include <cmath>
#include <limits>

#include "internal.hpp"

namespace pmkpi::forecast::detail {
namespace {

struct DotmParams {
  double alpha, theta, l0;
};

DotmParams params_of(const Vec& u, double scale) {
  return {0.01 + 0.98 * sigmoid(u[0]), 1.0 + 9.0 * sigmoid(u[1]), u[2] * scale};  // theta in [1, 10]
}

/** The forecast j + 1 steps ahead (j >= 0) from the states s. */
double forecast_from(const DotmState& s, const DotmParams& p, std::size_t j) {
  if (s.t == 0) return s.level;
  const double catch_up = (1 - s.keep * (1 - p.alpha)) / p.alpha;
  return s.level + (1 - 1 / p.theta) * (s.keep * s.a + (static_cast<double>(j) + catch_up) * s.b);
}

/** The states after one more value y. */
void update(DotmState& s, const DotmParams& p, double y) {
  ++s.t;
  const double td = static_cast<double>(s.t);
  s.level = p.alpha * y + (1 - p.alpha) * s.level;
  s.keep *= 1 - p.alpha;
  if (s.t == 1) {
    s.mean = y;
    s.b = 0;
  } else {
    s.b = ((td - 2) * s.b + 6 * (y - s.mean) / td) / (td + 1);
    s.mean = ((td - 1) * s.mean + y) / td;
  }
  s.a = s.mean - (td + 1) / 2 * s.b;
}

DotmState start(const DotmParams& p) {
  DotmState s;
  s.level = p.l0;
  return s;
}

}  // namespace

DotmFit fit_dotm(const Vec& y, const Vec* warm) {
  DotmFit fit;
  const std::size_t n = y.size();
  if (n < 5) return fit;
  double scale = 0;
  for (double v : y) scale = std::max(scale, std::fabs(v));
  if (!(scale > 0)) return fit;
  auto sse = [&](const Vec& u) {
    const DotmParams p = params_of(u, scale);
    DotmState s = start(p);
    double total = 0;
    for (double v : y) {
      const double e = v - forecast_from(s, p, 0);
      total += e * e;
      update(s, p, v);
    }
    return std::isfinite(total) ? total : std::numeric_limits<double>::infinity();
  };
  // From alpha 0.5 and theta 2 (the standard Theta method's), the level at the first value.
  Vec u = warm != nullptr && warm->size() == 3 ? *warm : Vec{0.0, std::log(1.0 / 8.0), y[0] / scale};
  double best = 0;
  u = warm != nullptr ? nelder_mead(sse, u, 0.05, 60, 1e-8, &best) : nelder_mead(sse, u, 0.5, 150, 1e-8, &best);
  if (!std::isfinite(best)) return fit;
  const DotmParams p = params_of(u, scale);
  fit.state = start(p);
  for (double v : y) update(fit.state, p, v);
  fit.alpha = p.alpha;
  fit.theta = p.theta;
  fit.l0 = p.l0;
  fit.sigma2 = best / static_cast<double>(n - 3);  // three parameters; n >= 5 here
  fit.u = u;
  fit.ok = true;
  return fit;
}

void dotm_forecast(const DotmFit& fit, int h, Vec& mean, Vec& sd) {
  mean.assign(static_cast<std::size_t>(h), 0.0);
  sd.assign(static_cast<std::size_t>(h), 0.0);
  const DotmParams p{fit.alpha, fit.theta, fit.l0};
  for (std::size_t j = 0; j < static_cast<std::size_t>(h); ++j) {
    mean[j] = forecast_from(fit.state, p, j);
    sd[j] = std::sqrt(fit.sigma2 * (1 + static_cast<double>(j) * fit.alpha * fit.alpha));
  }
}

Vec dotm_path(const DotmFit& fit, const Vec& z, int h, std::size_t first) {
  const std::size_t n = z.size(), steps = static_cast<std::size_t>(h);
  if (!fit.ok || first + 1 >= n) return {};
  Vec out((n - 1 - first) * steps);
  const DotmParams p{fit.alpha, fit.theta, fit.l0};
  DotmState s = start(p);
  for (std::size_t t = 0; t + 1 < n; ++t) {
    update(s, p, z[t]);
    if (t < first) continue;
    double* row = &out[(t - first) * steps];
    for (std::size_t j = 0; j < steps; ++j) row[j] = forecast_from(s, p, j);
  }
  return out;
}

}  // namespace pmkpi::forecast::detail
