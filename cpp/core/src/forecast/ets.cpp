// Exponential smoothing state-space models (Hyndman, Koehler, Ord & Snyder 2008) with additive
// states, additive or multiplicative errors, and the Theta method.
//
// With additive states the one-step errors are affine in the initial states, so for given smoothing
// parameters the best initial states solve a small least-squares problem: the optimiser only
// searches the 1 to 4 smoothing parameters (exact maximum likelihood for additive errors; for
// multiplicative errors the initial states are the least-squares ones).
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "../cancel.hpp"
#include "internal.hpp"

namespace pmkpi::forecast::detail {
namespace {

constexpr double kTwoPi = 6.283185307179586;

double logit(double p) { return std::log(p / (1.0 - p)); }

/** Runs the recursion; y == nullptr means a zero series. Writes e[t]; returns the final state. */
struct Runner {
  const EtsSpec& spec;
  std::size_t n;
  std::vector<double> ring;  // seasonal states by phase

  void run(const double* y, const double* x0, const EtsParams& p, double* e, double& level, double& slope) {
    const bool trend = spec.trend != Trend::None;
    const std::size_t m = spec.seasonal ? static_cast<std::size_t>(spec.m) : 0;
    double l = x0[0];
    double b = trend ? x0[1] : 0.0;
    if (m) {
      ring.assign(x0 + (trend ? 2 : 1), x0 + (trend ? 2 : 1) + m);
    }
    const double phi = spec.trend == Trend::Damped ? p.phi : 1.0;
    std::size_t phase = 0;
    for (std::size_t t = 0; t < n; ++t) {
      const double lb = l + phi * b;
      const double s = m ? ring[phase] : 0.0;
      const double err = (y ? y[t] : 0.0) - (lb + s);
      e[t] = err;
      l = lb + p.alpha * err;
      if (trend) b = phi * b + p.beta * err;
      if (m) {
        ring[phase] = s + p.gamma * err;
        if (++phase == m) phase = 0;
      }
    }
    level = l;
    slope = b;
  }
};

std::size_t state_size(const EtsSpec& s) {
  return 1 + (s.trend != Trend::None ? 1 : 0) + (s.seasonal ? static_cast<std::size_t>(s.m) : 0);
}
std::size_t free_states(const EtsSpec& s) { return state_size(s) - (s.seasonal ? 1 : 0); }

/** The initial states, from the free ones (the last seasonal state makes them sum to zero). */
std::vector<double> full_state(const EtsSpec& s, const double* free) {
  std::vector<double> x(state_size(s));
  const std::size_t q = free_states(s);
  std::copy(free, free + q, x.begin());
  if (s.seasonal) {
    double sum = 0;
    const std::size_t first = x.size() - static_cast<std::size_t>(s.m);
    for (std::size_t i = first; i + 1 < x.size(); ++i) sum += x[i];
    x.back() = -sum;
  }
  return x;
}

struct Evaluation {
  double objective = std::numeric_limits<double>::infinity();
  double sse = 0, sum_log_mu = 0;
  std::vector<double> x0;  // full initial state
};

/**
 * Profiles the initial states by least squares and scores the parameters. The errors of the data
 * run (zero initial state) and of one run per free initial state (zero data) are produced in one
 * pass, accumulating their Gram matrix, so that no error series is stored.
 */
class Profiler {
 public:
  Profiler(const Vec& y, const EtsSpec& spec)
      : y_(y), spec_(spec), runner_{spec, y.size(), {}}, n_(y.size()), q_(free_states(spec)) {
    const std::size_t systems = q_ + 1;
    level_.resize(systems);
    slope_.resize(systems);
    m_ = spec.seasonal ? static_cast<std::size_t>(spec.m) : 0;
    ring_.resize(systems * std::max<std::size_t>(m_, 1));
    err_.resize(systems);
    gram_.resize(systems * systems);
    e_.resize(n_);
  }

  Evaluation evaluate(const EtsParams& p) {
    Evaluation ev;
    seed_systems();
    filter_systems(p);
    Eigen::VectorXd x(static_cast<Eigen::Index>(q_));
    double cross = 0;  // x . Z'e0
    if (!solve_initial_states(x, cross) || !x.allFinite()) return ev;
    ev.x0 = full_state(spec_, x.data());
    score(p, cross, ev);
    return ev;
  }

 private:
  /** Initial states: system 0 all zero; system k the k-th free initial state set to 1. */
  void seed_systems() {
    const bool trend = spec_.trend != Trend::None;
    std::fill(level_.begin(), level_.end(), 0.0);
    std::fill(slope_.begin(), slope_.end(), 0.0);
    std::fill(ring_.begin(), ring_.end(), 0.0);
    std::fill(gram_.begin(), gram_.end(), 0.0);
    const std::size_t season_first = trend ? 2 : 1;
    for (std::size_t k = 0; k < q_; ++k) {
      const std::size_t sys = k + 1;
      if (k == 0)
        level_[sys] = 1;
      else if (trend && k == 1)
        slope_[sys] = 1;
      else {
        const std::size_t j = k - season_first;  // seasonal phase j, the last phase absorbs -1
        ring_[sys * m_ + j] = 1;
        ring_[sys * m_ + m_ - 1] = -1;
      }
    }
  }

  /** Runs the q + 1 linear systems through the series at once, summing their errors' Gram matrix. */
  void filter_systems(const EtsParams& p) {
    const std::size_t S = q_ + 1;
    const bool trend = spec_.trend != Trend::None;
    const double phi = spec_.trend == Trend::Damped ? p.phi : 1.0;
    std::size_t phase = 0;
    for (std::size_t t = 0; t < n_; ++t) {
      for (std::size_t s = 0; s < S; ++s) {
        const double lb = level_[s] + phi * slope_[s];
        double* seas = m_ ? &ring_[s * m_ + phase] : nullptr;
        const double e = (s == 0 ? y_[t] : 0.0) - (lb + (seas ? *seas : 0.0));
        err_[s] = e;
        level_[s] = lb + p.alpha * e;
        if (trend) slope_[s] = phi * slope_[s] + p.beta * e;
        if (seas) *seas += p.gamma * e;
      }
      for (std::size_t i = 0; i < S; ++i)
        for (std::size_t j = i; j < S; ++j) gram_[i * S + j] += err_[i] * err_[j];
      if (m_ && ++phase == m_) phase = 0;
    }
  }

  /** Normal equations of the free initial states (1 or 2 of them without seasonality: solved directly). */
  bool solve_initial_states(Eigen::VectorXd& x, double& cross) {
    const std::size_t S = q_ + 1;
    if (q_ <= 2) {
      const double a = gram_[1 * S + 1], r0 = gram_[0 * S + 1];
      const double ridge = 1e-10 * (a + (q_ == 2 ? gram_[2 * S + 2] : 0.0)) + 1e-300;
      if (q_ == 1) {
        x[0] = -r0 / (a + ridge);
      } else {
        const double b = gram_[1 * S + 2], c = gram_[2 * S + 2], r1 = gram_[0 * S + 2];
        const double det = (a + ridge) * (c + ridge) - b * b;
        if (!(std::fabs(det) > 0)) return false;
        x[0] = -((c + ridge) * r0 - b * r1) / det;
        x[1] = -((a + ridge) * r1 - b * r0) / det;
        cross = x[1] * r1;
      }
      cross += x[0] * r0;
      return true;
    }
    Eigen::MatrixXd ztz(static_cast<Eigen::Index>(q_), static_cast<Eigen::Index>(q_));
    Eigen::VectorXd zte(static_cast<Eigen::Index>(q_));
    for (std::size_t i = 0; i < q_; ++i) {
      zte[static_cast<Eigen::Index>(i)] = gram_[0 * S + i + 1];
      for (std::size_t j = i; j < q_; ++j) {
        ztz(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) = gram_[(i + 1) * S + j + 1];
        ztz(static_cast<Eigen::Index>(j), static_cast<Eigen::Index>(i)) = gram_[(i + 1) * S + j + 1];
      }
    }
    ztz.diagonal().array() += 1e-10 * (ztz.trace() + 1e-300);
    x = ztz.ldlt().solve(-zte);
    cross = x.dot(zte);
    return true;
  }

  /** SSE and the objective: additive errors from the Gram matrix, multiplicative by a rerun. */
  void score(const EtsParams& p, double cross, Evaluation& ev) {
    const double n = static_cast<double>(n_);
    if (spec_.error == 'A') {
      ev.sse = std::max(gram_[0] + cross, 0.0);
    } else {
      double level, slope;
      runner_.run(y_.data(), ev.x0.data(), p, e_.data(), level, slope);
      double s = 0;
      LogSum logs;
      for (std::size_t t = 0; t < n_; ++t) {
        const double mu = y_[t] - e_[t];
        if (!(mu > 0)) return;
        const double rel = e_[t] / mu;
        s += rel * rel;
        logs.add(mu);
      }
      ev.sse = s;
      ev.sum_log_mu = logs.total();
    }
    ev.objective = n * std::log(std::max(ev.sse / n, 1e-300)) + 2 * ev.sum_log_mu;
  }

  const Vec& y_;
  const EtsSpec& spec_;
  Runner runner_;
  std::size_t n_, q_, m_ = 0;
  std::vector<double> level_, slope_, ring_, err_, gram_, e_;
};

}  // namespace

EtsParams ets_params(const EtsSpec& s, const Vec& u) {
  EtsParams p;
  std::size_t i = 0;
  p.alpha = 1e-4 + (0.9999 - 1e-4) * sigmoid(u[i++]);
  if (s.trend != Trend::None) p.beta = 1e-4 + (p.alpha - 1e-4) * sigmoid(u[i++]);
  if (s.seasonal) p.gamma = 1e-4 + (1 - p.alpha - 1e-4) * sigmoid(u[i++]);
  if (s.trend == Trend::Damped) p.phi = 0.8 + 0.18 * sigmoid(u[i++]);
  return p;
}

Vec ets_minimum(const std::function<double(const Vec&)>& objective, const EtsSpec& spec, const Vec* warm,
                double& best) {
  // One start (alpha 0.3, beta and gamma 0.1, phi 0.95), then a second, finer Nelder-Mead pass
  // from where the first stopped.
  Vec u;
  u.push_back(logit((0.3 - 1e-4) / (0.9999 - 1e-4)));
  if (spec.trend != Trend::None) u.push_back(logit(0.1));
  if (spec.seasonal) u.push_back(logit(0.1));
  if (spec.trend == Trend::Damped) u.push_back(logit((0.95 - 0.8) / 0.18));
  const int d = static_cast<int>(u.size());
  const bool warmed = warm && warm->size() == u.size();
  Vec best_u = warmed ? *warm : nelder_mead(objective, u, 1.0, 40 + 40 * d, 1e-6, &best);
  return nelder_mead(objective, best_u, 0.3, 20 + 20 * d, 1e-8, &best);
}

void ets_likelihood(EtsFit& fit, double sse, double sum_log_mu) {
  const double nd = static_cast<double>(fit.residuals.size());
  const double k = fit.k;
  fit.sigma2 = std::max(sse / nd, 0.0);
  fit.loglik = -0.5 * nd * (std::log(kTwoPi * std::max(fit.sigma2, 1e-300)) + 1) - sum_log_mu;
  fit.aicc = -2 * fit.loglik + 2.0 * k + 2.0 * k * (k + 1) / (nd - k - 1);
  fit.ok = std::isfinite(fit.aicc);
}

std::string EtsSpec::name() const {
  std::string t = trend == Trend::None ? "N" : trend == Trend::Additive ? "A" : "Ad";
  return std::string("ETS(") + error + "," + t + "," + (!seasonal ? "N" : multiplicative_season ? "M" : "A") + ")";
}

int EtsSpec::smoothing_count() const {
  return 1 + (trend != Trend::None ? 1 : 0) + (seasonal ? 1 : 0) + (trend == Trend::Damped ? 1 : 0);
}

EtsFit fit_ets(const Vec& y, const EtsSpec& spec, const Vec* warm) {
  pmkpi::detail::stop_if_cancelled();  // one fit is the unit of a forecast's work (a 1M-point fit: ~0.1 s)
  EtsFit fit;
  fit.spec = spec;
  const std::size_t n = y.size();
  const int k = spec.smoothing_count() + static_cast<int>(free_states(spec)) + 1;
  fit.k = k;
  if (static_cast<int>(n) - k - 1 <= 0) return fit;
  if (spec.error == 'M')
    for (double v : y)
      if (!(v > 0)) return fit;

  Profiler profiler(y, spec);
  auto objective = [&](const Vec& u) { return profiler.evaluate(ets_params(spec, u)).objective; };
  double best = 0;
  const Vec best_u = ets_minimum(objective, spec, warm, best);
  if (!std::isfinite(best)) return fit;

  const EtsParams p = ets_params(spec, best_u);
  const Evaluation ev = profiler.evaluate(p);
  if (!std::isfinite(ev.objective)) return fit;
  fit.alpha = p.alpha;
  fit.beta = p.beta;
  fit.gamma = p.gamma;
  fit.phi = spec.trend == Trend::Damped ? p.phi : 1.0;
  fit.x0 = ev.x0;
  fit.u = best_u;
  fit.residuals.resize(n);
  Runner runner{spec, n, {}};
  runner.run(y.data(), fit.x0.data(), p, fit.residuals.data(), fit.level, fit.slope);
  if (spec.seasonal) {
    fit.season.resize(static_cast<std::size_t>(spec.m));
    for (std::size_t j = 0; j < fit.season.size(); ++j) fit.season[j] = runner.ring[(n + j) % fit.season.size()];
  }
  ets_likelihood(fit, ev.sse, ev.sum_log_mu);
  return fit;
}

void ets_forecast(const EtsFit& fit, int h, Vec& mean, Vec& sd) {
  mean.assign(static_cast<std::size_t>(h), 0.0);
  sd.assign(static_cast<std::size_t>(h), 0.0);
  const double phi = fit.phi;
  double phisum = 0, phipow = 1;  // sum_{i=1}^{j} phi^i
  double var_sum = 1;             // 1 + sum c_j^2
  const std::size_t m = fit.season.size();
  for (int j = 1; j <= h; ++j) {
    phipow *= phi;
    phisum += phipow;
    const double s = m ? fit.season[static_cast<std::size_t>(j - 1) % m] : 0.0;
    const double trended = fit.level + (fit.spec.trend != Trend::None ? phisum * fit.slope : 0.0);
    const double point = fit.spec.multiplicative_season ? trended * s : trended + s;
    mean[static_cast<std::size_t>(j - 1)] = point;
    const double scale = fit.spec.error == 'M' ? std::fabs(point) : 1.0;
    sd[static_cast<std::size_t>(j - 1)] = scale * std::sqrt(fit.sigma2 * var_sum);
    // c_j for the next step's variance (with a multiplicative season, in relative terms: the
    // additive-state approximation)
    double c = fit.alpha + (fit.spec.trend != Trend::None ? fit.beta * phisum : 0.0);
    if (m && j % static_cast<int>(m) == 0) c += fit.gamma;
    var_sum += c * c;
  }
}

Vec ets_path(const EtsFit& fit, const Vec& y, int h, std::size_t first) {
  const std::size_t n = y.size(), steps = static_cast<std::size_t>(h);
  if (!fit.ok || first + 1 >= n) return {};
  if (fit.spec.multiplicative_season) return multiplicative_season_path(fit, y, h, first);
  Vec out((n - 1 - first) * steps);
  const bool trend = fit.spec.trend != Trend::None;
  const std::size_t m = fit.spec.seasonal ? static_cast<std::size_t>(fit.spec.m) : 0;
  const auto season_at = fit.x0.begin() + (trend ? 2 : 1);
  Vec ring(season_at, season_at + static_cast<std::ptrdiff_t>(m));
  double l = fit.x0[0], b = trend ? fit.x0[1] : 0.0;
  std::size_t phase = 0;
  for (std::size_t t = 0; t + 1 < n; ++t) {
    const double lb = l + fit.phi * b;
    const double s = m ? ring[phase] : 0.0;
    const double err = y[t] - (lb + s);
    l = lb + fit.alpha * err;
    if (trend) b = fit.phi * b + fit.beta * err;
    if (m) {
      ring[phase] = s + fit.gamma * err;
      if (++phase == m) phase = 0;
    }
    if (t < first) continue;
    double* row = &out[(t - first) * steps];
    double phisum = 0, phipow = 1;
    for (std::size_t j = 0; j < steps; ++j) {
      phipow *= fit.phi;
      phisum += phipow;
      row[j] = l + phisum * b + (m ? ring[(phase + j) % m] : 0.0);
    }
  }
  return out;
}

ThetaFit fit_theta(const Vec& y, const EtsFit& ses) {
  ThetaFit t;
  if (!ses.ok || y.size() < 3) return t;
  double intercept, slope;
  ols_line(y, intercept, slope);
  t.alpha = ses.alpha;
  t.level = ses.level;
  t.drift = slope / 2.0;  // theta = 2: half the long-run slope
  t.sigma2 = ses.sigma2;
  t.n = y.size();
  t.ok = true;
  return t;
}

void theta_forecast(const ThetaFit& fit, int h, Vec& mean, Vec& sd) {
  mean.assign(static_cast<std::size_t>(h), 0.0);
  sd.assign(static_cast<std::size_t>(h), 0.0);
  const double a = fit.alpha;
  const double catch_up = 1.0 / a - std::pow(1.0 - a, static_cast<double>(fit.n)) / a;
  for (int j = 1; j <= h; ++j) {
    mean[static_cast<std::size_t>(j - 1)] = fit.level + fit.drift * ((j - 1) + catch_up);
    sd[static_cast<std::size_t>(j - 1)] = std::sqrt(fit.sigma2 * (1 + (j - 1) * a * a));
  }
}

}  // namespace pmkpi::forecast::detail
