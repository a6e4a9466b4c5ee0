// Automatic ARIMA(p, d, q), p and q up to 2 (the Hyndman-Khandakar recipe, estimated the fast way):
// d from KPSS tests (as R's ndiffs: difference while the 5% test rejects level stationarity, at
// most twice); each ARMA(p, q) on the differenced series by Hannan-Rissanen regression (a long
// autoregression estimates the innovations, then one least-squares fit on the lagged values and
// innovations), a constant (a mean, or a drift once differenced) when d <= 1; the orders compared
// by the AICc of their conditional sums of squares, keeping only stationary and invertible fits; the
// chosen one's coefficients then minimise its conditional sum of squares.
#include <Eigen/Dense>
#include <algorithm>
#include <cmath>
#include <limits>

#include "internal.hpp"

namespace pmkpi::forecast::detail {
namespace {

constexpr double kTwoPi = 6.283185307179586;
constexpr double kKpss5 = 0.463;  // the 5% critical value of the KPSS level-stationarity test
constexpr std::size_t kSkip = 2;  // the first values every order's sum of squares leaves out (the largest p)

/** The KPSS statistic for level stationarity, Newey-West variance with 3 sqrt(n) / 13 lags. */
double kpss(const Vec& x) {
  const std::size_t n = x.size();
  const double mean = mean_of(x);
  double s = 0, num = 0, gamma0 = 0;
  for (double v : x) {
    s += v - mean;
    num += s * s;
    gamma0 += (v - mean) * (v - mean);
  }
  const std::size_t lags = static_cast<std::size_t>(3 * std::sqrt(static_cast<double>(n)) / 13);
  double lr = gamma0;
  for (std::size_t l = 1; l <= lags && l < n; ++l) {
    double g = 0;
    for (std::size_t t = l; t < n; ++t) g += (x[t] - mean) * (x[t - l] - mean);
    lr += 2 * (1 - static_cast<double>(l) / static_cast<double>(lags + 1)) * g;
  }
  const double nd = static_cast<double>(n);
  lr /= nd;
  return lr > 0 ? num / (nd * nd * lr) : 0.0;
}

Vec difference(const Vec& x) {
  Vec out(x.size() > 0 ? x.size() - 1 : 0);
  for (std::size_t t = 1; t < x.size(); ++t) out[t - 1] = x[t] - x[t - 1];
  return out;
}

/** Stationary (or invertible, for the MA side with its sign) polynomials of order <= 2. */
bool inside(double c1, double c2) { return std::fabs(c2) < 1 && c2 + c1 < 1 && c2 - c1 < 1; }

/** The CSS residuals of w under the fitted ARMA (errors before the first p values taken as 0). */
void residuals(ArimaFit& f, const Vec& w) {
  f.e.assign(w.size(), 0.0);
  for (std::size_t t = static_cast<std::size_t>(f.p); t < w.size(); ++t) {
    double v = w[t] - f.c;
    for (int i = 1; i <= f.p; ++i) v -= f.phi[i - 1] * w[t - i];
    for (int k = 1; k <= f.q && static_cast<int>(t) - k >= 0; ++k) v -= f.theta[k - 1] * f.e[t - k];
    f.e[t] = v;
  }
}

/**
 * Least squares by the normal equations, accumulated a row at a time (`row(t, r)` writes the
 * regressors of observation t into r); a relative ridge of 1e-10 keeps them solvable. The same LDLT
 * the ETS fits use, so that the WebAssembly module carries one solver.
 */
template <typename Row>
Vec least_squares(std::size_t from, std::size_t to, std::size_t cols, const Vec& y, Row row) {
  Eigen::MatrixXd gram = Eigen::MatrixXd::Zero(static_cast<Eigen::Index>(cols), static_cast<Eigen::Index>(cols));
  Eigen::VectorXd rhs = Eigen::VectorXd::Zero(static_cast<Eigen::Index>(cols));
  Vec r(cols);
  for (std::size_t t = from; t < to; ++t) {
    row(t, r.data());
    for (std::size_t i = 0; i < cols; ++i) {
      rhs(static_cast<Eigen::Index>(i)) += r[i] * y[t];
      for (std::size_t j = 0; j < cols; ++j)
        gram(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j)) += r[i] * r[j];
    }
  }
  gram.diagonal().array() += 1e-10 * (gram.trace() / static_cast<double>(cols) + 1e-300);
  const Eigen::VectorXd b = gram.ldlt().solve(rhs);
  return Vec(b.data(), b.data() + b.size());
}

/** Innovations from a long autoregression by least squares (for the MA terms' regressors). */
Vec long_ar_innovations(const Vec& w, std::size_t k) {
  const std::size_t n = w.size();
  auto row = [&](std::size_t t, double* r) {
    r[0] = 1;
    for (std::size_t i = 1; i <= k; ++i) r[i] = w[t - i];
  };
  const Vec b = least_squares(k, n, k + 1, w, row);
  Vec e(n, 0.0), r(k + 1);
  for (std::size_t t = k; t < n; ++t) {
    row(t, r.data());
    double fit = 0;
    for (std::size_t i = 0; i <= k; ++i) fit += b[i] * r[i];
    e[t] = w[t] - fit;
  }
  return e;
}

/** ARMA(p, q) on w by Hannan-Rissanen; ok false when too short, unstable or not invertible. */
ArimaFit fit_order(const Vec& w, const Vec& innovations, std::size_t start, int p, int q, bool constant) {
  ArimaFit f;
  f.p = p;
  f.q = q;
  f.constant = constant;
  const std::size_t n = w.size(), lag = static_cast<std::size_t>(std::max(p, q));
  const std::size_t from = std::max(start + static_cast<std::size_t>(q), lag), cols = (constant ? 1 : 0) + p + q;
  if (n < from + cols + 4) return f;
  if (cols > 0) {
    const Vec b = least_squares(from, n, cols, w, [&](std::size_t t, double* r) {
      if (constant) *r++ = 1;
      for (int i = 1; i <= p; ++i) *r++ = w[t - static_cast<std::size_t>(i)];
      for (int k = 1; k <= q; ++k) *r++ = innovations[t - static_cast<std::size_t>(k)];
    });
    if (!std::all_of(b.begin(), b.end(), [](double v) { return std::isfinite(v); })) return f;
    std::size_t c = 0;
    if (constant) f.c = b[c++];
    for (int i = 0; i < p; ++i) f.phi[i] = b[c++];
    for (int k = 0; k < q; ++k) f.theta[k] = b[c++];
  }
  if (!inside(f.phi[0], f.phi[1]) || !inside(-f.theta[0], -f.theta[1])) return f;
  residuals(f, w);
  double sse = 0;
  for (std::size_t t = kSkip; t < n; ++t) sse += f.e[t] * f.e[t];
  const double m = static_cast<double>(n - kSkip), k = static_cast<double>(cols + 1);
  f.sigma2 = sse / m;
  if (!(f.sigma2 > 0) || m - k - 1 <= 0) return f;
  f.aicc = m * (std::log(kTwoPi * f.sigma2) + 1) + 2 * k + 2 * k * (k + 1) / (m - k - 1);
  f.ok = std::isfinite(f.aicc);
  return f;
}

/** The ARMA's forecasts of w at o + 1 .. o + h from the values and residuals up to index o. */
void arma_ahead(const ArimaFit& f, const Vec& w, std::size_t o, std::size_t h, double* out) {
  for (std::size_t j = 0; j < h; ++j) {
    double v = f.c;
    for (int i = 1; i <= f.p; ++i) {
      const long at = static_cast<long>(o + 1 + j) - i;
      if (at < 0) continue;  // before the series: an origin nearer its start than p values
      v += f.phi[i - 1] *
           (at > static_cast<long>(o) ? out[static_cast<std::size_t>(at) - o - 1] : w[static_cast<std::size_t>(at)]);
    }
    for (int k = 1; k <= f.q; ++k) {
      const long at = static_cast<long>(o + 1 + j) - k;
      if (at <= static_cast<long>(o) && at >= 0) v += f.theta[k - 1] * f.e[static_cast<std::size_t>(at)];
    }
    out[j] = v;
  }
}

/** Forecasts of w turned into forecasts of z from z's last values (d integrations). */
void integrate(int d, double last, double last_change, double* ahead, std::size_t h) {
  for (std::size_t j = 0; j < h; ++j) {
    if (d >= 2) ahead[j] = last_change += ahead[j];
    if (d >= 1) ahead[j] = last += ahead[j];
  }
}

/**
 * Conditional least squares from the regression's estimates (Nelder-Mead, 40 evaluations per
 * coefficient; the constant searched in units of the residuals' spread). Kept only if better.
 */
void polish(ArimaFit& best, const Vec& w, bool constant) {
  if (best.p + best.q == 0) return;
  const double unit = std::sqrt(best.sigma2);
  ArimaFit trial = best;
  auto unpack = [&](const Vec& v) {
    std::size_t c = 0;
    if (constant) trial.c = v[c++] * unit;
    for (int i = 0; i < best.p; ++i) trial.phi[i] = v[c++];
    for (int k = 0; k < best.q; ++k) trial.theta[k] = v[c++];
  };
  auto css = [&](const Vec& v) {
    unpack(v);
    if (!inside(trial.phi[0], trial.phi[1]) || !inside(-trial.theta[0], -trial.theta[1]))
      return std::numeric_limits<double>::infinity();
    residuals(trial, w);
    double sse = 0;
    for (std::size_t t = kSkip; t < w.size(); ++t) sse += trial.e[t] * trial.e[t];
    return sse;
  };
  Vec u;
  if (constant) u.push_back(best.c / unit);
  for (int i = 0; i < best.p; ++i) u.push_back(best.phi[i]);
  for (int k = 0; k < best.q; ++k) u.push_back(best.theta[k]);
  double sse = 0;
  u = nelder_mead(css, u, 0.1, 40 * static_cast<int>(u.size()), 1e-10, &sse);
  const double m = static_cast<double>(w.size() - kSkip);
  if (!(sse < best.sigma2 * m)) return;
  css(u);
  const double k = static_cast<double>(u.size() + 1);
  trial.sigma2 = sse / m;
  trial.aicc = m * (std::log(kTwoPi * trial.sigma2) + 1) + 2 * k + 2 * k * (k + 1) / (m - k - 1);
  best = std::move(trial);
}

}  // namespace

ArimaFit fit_arima(const Vec& z, const Vec* order) {
  ArimaFit best;
  const std::size_t n = z.size();
  if (n < 12) return best;
  int d = 0;
  Vec w = z;
  const bool kept = order && order->size() == 4;
  if (kept) {
    d = static_cast<int>((*order)[1]);
    for (int i = 0; i < d; ++i) w = difference(w);
  } else {
    while (d < 2 && w.size() > 12 && kpss(w) > kKpss5) {
      w = difference(w);
      ++d;
    }
  }
  const std::size_t k = std::min<std::size_t>(w.size() / 4, 10);
  if (k < 2) return best;
  const Vec innovations = long_ar_innovations(w, k);
  const bool constant = d <= 1;
  for (int p = 0; p <= 2; ++p)
    for (int q = 0; q <= 2; ++q) {
      if (kept && (p != static_cast<int>((*order)[0]) || q != static_cast<int>((*order)[2]))) continue;
      for (bool with : {true, false}) {  // a constant (d <= 1) competes with none, as in auto.arima
        if ((with && !constant) || (kept && with != ((*order)[3] > 0))) continue;
        ArimaFit f = fit_order(w, innovations, k, p, q, with);
        if (f.ok && (!best.ok || f.aicc < best.aicc)) best = std::move(f);
      }
    }
  if (!best.ok) return best;
  polish(best, w, best.constant);
  best.d = d;
  best.w = std::move(w);
  best.z_last = z[n - 1];
  best.change_last = n >= 2 ? z[n - 1] - z[n - 2] : 0.0;
  return best;
}

void arima_forecast(const ArimaFit& fit, int h, Vec& mean, Vec& sd) {
  const std::size_t steps = static_cast<std::size_t>(h);
  mean.assign(steps, 0.0);
  sd.assign(steps, 0.0);
  arma_ahead(fit, fit.w, fit.w.size() - 1, steps, mean.data());
  integrate(fit.d, fit.z_last, fit.change_last, mean.data(), steps);
  // psi weights of (1 + theta(B)) / (phi(B) (1 - B)^d): the weight of a shock j steps back. The
  // polynomial phi(B) (1 - B)^d = 1 - ar_1 B - ... - ar_4 B^4, one factor (1 - B) at a time.
  double poly[5] = {1, -fit.phi[0], -fit.phi[1], 0, 0};
  for (int r = 0; r < fit.d; ++r)
    for (int i = 4; i >= 1; --i) poly[i] -= poly[i - 1];
  double ar[4];
  for (int i = 0; i < 4; ++i) ar[i] = -poly[i + 1];
  Vec psi(steps, 0.0);
  double var = 0;
  for (std::size_t j = 0; j < steps; ++j) {
    double v = j == 0 ? 1.0 : (j <= 2 ? fit.theta[j - 1] : 0.0);
    for (std::size_t i = 1; i <= std::min<std::size_t>(j, 4); ++i) v += ar[i - 1] * psi[j - i];
    psi[j] = v;
    var += v * v;
    sd[j] = std::sqrt(fit.sigma2 * var);
  }
}

Vec arima_path(const ArimaFit& fit, const Vec& z, int h, std::size_t first) {
  const std::size_t n = z.size(), steps = static_cast<std::size_t>(h), d = static_cast<std::size_t>(fit.d);
  if (!fit.ok || first + 1 >= n || first < d) return {};
  Vec out((n - 1 - first) * steps);
  for (std::size_t t = first; t + 1 < n; ++t) {
    double* row = &out[(t - first) * steps];
    arma_ahead(fit, fit.w, t - d, steps, row);
    integrate(fit.d, z[t], t >= 1 ? z[t] - z[t - 1] : 0.0, row, steps);
  }
  return out;
}

}  // namespace pmkpi::forecast::detail
