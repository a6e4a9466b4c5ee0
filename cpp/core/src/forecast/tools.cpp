// Series statistics shared by the forecasts and the pattern analysis, and the optimiser.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>

#include "internal.hpp"

namespace pmkpi::forecast::detail {

double mean_of(const Vec& y, std::size_t from, std::size_t to) {
  to = std::min(to, y.size());
  if (to <= from) return 0;
  double s = 0;
  for (std::size_t i = from; i < to; ++i) s += y[i];
  return s / static_cast<double>(to - from);
}

double median_of(Vec v) {
  if (v.empty()) return 0;
  const std::size_t mid = v.size() / 2;
  std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid), v.end());
  double hi = v[mid];
  if (v.size() % 2 == 1) return hi;
  double lo = *std::max_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(mid));
  return 0.5 * (lo + hi);
}

double numpy_sum(const double* a, std::size_t n) {
  if (n < 8) {
    double s = 0.0;
    for (std::size_t i = 0; i < n; ++i) s += a[i];
    return s;
  }
  if (n <= 128) {
    double r[8];
    for (std::size_t j = 0; j < 8; ++j) r[j] = a[j];
    std::size_t i = 8;
    for (; i < n - n % 8; i += 8)
      for (std::size_t j = 0; j < 8; ++j) r[j] += a[i + j];
    double s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]));
    for (; i < n; ++i) s += a[i];
    return s;
  }
  std::size_t half = n / 2;
  half -= half % 8;
  return numpy_sum(a, half) + numpy_sum(a + half, n - half);
}

double numpy_mean(const Vec& y, std::size_t from, std::size_t to) {
  to = std::min(to, y.size());
  if (to <= from) return 0;
  return numpy_sum(y.data() + from, to - from) / static_cast<double>(to - from);
}

double sklearn_slope(const Vec& y) {
  const std::size_t n = y.size();
  if (n < 2) return 0;
  Vec x(n);
  for (std::size_t i = 0; i < n; ++i) x[i] = static_cast<double>(i);
  const double xm = numpy_mean(x), ym = numpy_mean(y);
  for (std::size_t i = 0; i < n; ++i) x[i] -= xm;  // the centred column
  const Vec& xc = x;
  auto yc = [&](std::size_t i) { return y[i] - ym; };
  // dlarfg on the column: beta = -sign(alpha) * |column|, tau = (beta - alpha) / beta, v = [1, x / (alpha - beta)].
  const double alpha = xc[0];
  double ss = 0;  // dnrm2 of the rest (the plain sum of squares for values of ordinary size)
  for (std::size_t i = 1; i < n; ++i) ss += xc[i] * xc[i];
  const double xnorm = std::sqrt(ss);
  const double w = std::max(std::fabs(alpha), xnorm), z = std::min(std::fabs(alpha), xnorm);
  const double norm = z == 0 ? w : w * std::sqrt(1.0 + (z / w) * (z / w));  // dlapy2
  const double beta = -std::copysign(norm, alpha);
  const double tau = (beta - alpha) / beta;
  const double scale = 1.0 / (alpha - beta);
  // dormqr: w = v'y, y0 -= tau * w; dlascl: the solution is y0 * (1 / beta).
  double dot = 0.0 + yc(0);
  for (std::size_t i = 1; i < n; ++i) dot += (xc[i] * scale) * yc(i);
  const double y0 = yc(0) + 1.0 * (-tau * dot);
  return y0 * (1.0 / beta);
}

void ols_line(const Vec& y, double& intercept, double& slope) {
  const double n = static_cast<double>(y.size());
  const double tbar = (n - 1) / 2.0;
  const double ybar = mean_of(y);
  double sty = 0, stt = 0;
  for (std::size_t i = 0; i < y.size(); ++i) {
    const double dt = static_cast<double>(i) - tbar;
    sty += dt * (y[i] - ybar);
    stt += dt * dt;
  }
  slope = stt > 0 ? sty / stt : 0;
  intercept = ybar - slope * tbar;
}

Vec acf(const Vec& y, int max_lag) {
  const std::size_t n = y.size();
  Vec r(static_cast<std::size_t>(max_lag) + 1, 0.0);
  r[0] = 1;
  const double ybar = mean_of(y);
  double denom = 0;
  for (double v : y) denom += (v - ybar) * (v - ybar);
  if (!(denom > 0)) return r;
  for (int k = 1; k <= max_lag && static_cast<std::size_t>(k) < n; ++k) {
    double s = 0;
    for (std::size_t t = static_cast<std::size_t>(k); t < n; ++t) s += (y[t] - ybar) * (y[t - k] - ybar);
    r[static_cast<std::size_t>(k)] = s / denom;
  }
  return r;
}

bool seasonality_test(const Vec& y, int m, double* acf_m, double* threshold) {
  if (m < 2 || y.size() < 3 * static_cast<std::size_t>(m)) return false;
  const Vec r = acf(y, m);
  double s = 0;
  for (int k = 1; k < m; ++k) s += r[static_cast<std::size_t>(k)] * r[static_cast<std::size_t>(k)];
  const double limit = 1.645 * std::sqrt((1 + 2 * s) / static_cast<double>(y.size()));
  if (acf_m) *acf_m = r[static_cast<std::size_t>(m)];
  if (threshold) *threshold = limit;
  return std::fabs(r[static_cast<std::size_t>(m)]) > limit;
}

Vec centred_moving_average(const Vec& y, int m) {
  const std::size_t n = y.size();
  Vec out(n, std::numeric_limits<double>::quiet_NaN());
  if (m < 2 || n < static_cast<std::size_t>(m) + 1) return out;
  // prefix sums keep it linear in n
  Vec pre(n + 1, 0.0);
  for (std::size_t i = 0; i < n; ++i) pre[i + 1] = pre[i] + y[i];
  const std::size_t half = static_cast<std::size_t>(m / 2);
  if (m % 2 == 1) {
    for (std::size_t t = half; t + half < n; ++t) out[t] = (pre[t + half + 1] - pre[t - half]) / m;
  } else {
    // 2 x m moving average: weights 1/(2m) at both ends, 1/m inside
    for (std::size_t t = half; t + half < n; ++t) {
      const double inner = pre[t + half] - pre[t - half + 1];
      out[t] = (inner + 0.5 * (y[t - half] + y[t + half])) / m;
    }
  }
  return out;
}

namespace {

/** Each phase's weighted detrended ratios: their weights, weighted sum and sum of squares. */
struct PhaseSums {
  Vec weight, sum, squares, weight2;
  explicit PhaseSums(std::size_t m) : weight(m, 0.0), sum(m, 0.0), squares(m, 0.0), weight2(m, 0.0) {}
};

/** The James-Stein factor for indices whose deviations from the null are `dev`. */
double james_stein(const PhaseSums& p, const Vec& dev) {
  const std::size_t m = dev.size();
  if (m < 4) return 1;
  double noise = 0, phases = 0, spread = 0;
  for (std::size_t k = 0; k < m; ++k) {
    spread += dev[k] * dev[k];
    const double w = p.weight[k];
    if (!(w > 0)) continue;
    const double mean = p.sum[k] / w, effective = w * w / p.weight2[k];
    if (effective <= 1) continue;
    noise += std::max(0.0, p.squares[k] / w - mean * mean) / (effective - 1);  // the variance of the mean
    phases += 1;
  }
  if (phases == 0 || !(spread > 0)) return 1;
  return std::max(0.0, 1 - static_cast<double>(m - 3) * (noise / phases) / spread);
}

}  // namespace

Decomposition classical_decomposition(const Vec& y, int m, bool multiplicative, IndexEstimate how) {
  Decomposition d;
  d.multiplicative = multiplicative;
  const std::size_t phases = static_cast<std::size_t>(m);
  const double null = multiplicative ? 1.0 : 0.0;
  d.indices.assign(phases, null);
  const Vec trend = centred_moving_average(y, m);
  PhaseSums p(phases);
  // Walked from the end: the weight falls by `discount` at each whole season back.
  double weight = 1;
  for (std::size_t back = 0; back < y.size(); ++back) {
    const std::size_t t = y.size() - 1 - back;
    if (back > 0 && back % phases == 0) weight *= how.discount;
    if (std::isnan(trend[t])) continue;
    if (multiplicative && !(trend[t] > 0)) continue;
    const double ratio = multiplicative ? y[t] / trend[t] : y[t] - trend[t];
    const std::size_t k = t % phases;
    p.weight[k] += weight;
    p.sum[k] += weight * ratio;
    p.squares[k] += weight * ratio * ratio;
    p.weight2[k] += weight * weight;
  }
  double total = 0;
  for (std::size_t k = 0; k < phases; ++k) {
    d.indices[k] = p.weight[k] > 0 ? p.sum[k] / p.weight[k] : null;
    total += d.indices[k];
  }
  const double avg = total / m;
  for (double& s : d.indices) s = multiplicative ? (avg > 0 ? s / avg : 1.0) : s - avg;
  if (how.shrink) {
    Vec dev(phases);
    for (std::size_t k = 0; k < phases; ++k) dev[k] = d.indices[k] - null;
    const double c = james_stein(p, dev);
    for (std::size_t k = 0; k < phases; ++k) d.indices[k] = null + c * dev[k];
  }
  if (multiplicative)
    for (double& s : d.indices)
      if (!(s > 0)) s = 1.0;
  return d;
}

Vec nelder_mead(const std::function<double(const Vec&)>& f, Vec x0, double step, int max_evals, double tol,
                double* fmin) {
  const std::size_t d = x0.size();
  std::vector<Vec> pts(d + 1, x0);
  Vec val(d + 1);
  for (std::size_t i = 0; i < d; ++i) pts[i + 1][i] += step;
  int evals = 0;
  auto eval = [&](const Vec& x) {
    ++evals;
    const double v = f(x);
    return std::isfinite(v) ? v : std::numeric_limits<double>::max();
  };
  for (std::size_t i = 0; i <= d; ++i) val[i] = eval(pts[i]);
  std::vector<std::size_t> order(d + 1);
  Vec centroid(d), xr(d), xe(d), xc(d);
  while (evals < max_evals) {
    std::iota(order.begin(), order.end(), 0);
    std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return val[a] < val[b]; });
    const std::size_t best = order[0], worst = order[d], second = order[d > 0 ? d - 1 : 0];
    if (std::fabs(val[worst] - val[best]) <= tol * (std::fabs(val[best]) + 1e-10)) break;
    std::fill(centroid.begin(), centroid.end(), 0.0);
    for (std::size_t i = 0; i <= d; ++i)
      if (i != worst)
        for (std::size_t j = 0; j < d; ++j) centroid[j] += pts[i][j] / static_cast<double>(d);
    for (std::size_t j = 0; j < d; ++j) xr[j] = centroid[j] + (centroid[j] - pts[worst][j]);
    const double fr = eval(xr);
    if (fr < val[best]) {
      for (std::size_t j = 0; j < d; ++j) xe[j] = centroid[j] + 2 * (centroid[j] - pts[worst][j]);
      const double fe = eval(xe);
      if (fe < fr) {
        pts[worst] = xe;
        val[worst] = fe;
      } else {
        pts[worst] = xr;
        val[worst] = fr;
      }
    } else if (fr < val[second]) {
      pts[worst] = xr;
      val[worst] = fr;
    } else {
      const bool outside = fr < val[worst];
      for (std::size_t j = 0; j < d; ++j)
        xc[j] = outside ? centroid[j] + 0.5 * (xr[j] - centroid[j]) : centroid[j] + 0.5 * (pts[worst][j] - centroid[j]);
      const double fc = eval(xc);
      if (fc < (outside ? fr : val[worst])) {
        pts[worst] = xc;
        val[worst] = fc;
      } else {
        for (std::size_t i = 0; i <= d; ++i) {
          if (i == best) continue;
          for (std::size_t j = 0; j < d; ++j) pts[i][j] = pts[best][j] + 0.5 * (pts[i][j] - pts[best][j]);
          val[i] = eval(pts[i]);
        }
      }
    }
  }
  std::size_t best = 0;
  for (std::size_t i = 1; i <= d; ++i)
    if (val[i] < val[best]) best = i;
  if (fmin) *fmin = val[best];
  return pts[best];
}

}  // namespace pmkpi::forecast::detail
