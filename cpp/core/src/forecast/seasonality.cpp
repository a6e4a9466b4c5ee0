// Seasonal period detection: every candidate period's seasonal means tested on the series detrended
// by a moving average of that order; then the seasonal adjustment and its reversal.
#include <cmath>

#include <algorithm>

#include "pipeline.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::forecast {

namespace {

/** The normal score of a chi-square value with df degrees of freedom (Wilson-Hilferty). */
double chi_square_z(double chi, double df) {
  const double c = 2.0 / (9.0 * df);
  return (std::cbrt(std::max(chi, 0.0) / df) - (1 - c)) / std::sqrt(c);
}

/** The series and its prefix sums (the centred moving averages of every order in O(1) a point). */
struct Prefixed {
  const std::vector<double>& x;
  std::vector<double> pre;
  explicit Prefixed(const std::vector<double>& values) : x(values), pre(values.size() + 1, 0.0) {
    for (std::size_t i = 0; i < x.size(); ++i) pre[i + 1] = pre[i] + x[i];
  }
};

/** The series detrended by its centred moving average of order k (2 x k when k is even), summed by phase. */
struct PhaseSums {
  std::vector<double> sum, count;
  double total = 0, total2 = 0, n = 0;
};

PhaseSums phase_sums(const Prefixed& px, int k) {
  PhaseSums p;
  const std::vector<double>& x = px.x;
  const std::size_t m = static_cast<std::size_t>(k), half = m / 2, len = x.size();
  p.sum.assign(m, 0.0);
  p.count.assign(m, 0.0);
  for (std::size_t t = half; t + half < len; ++t) {
    const double trend = m % 2 == 1 ? (px.pre[t + half + 1] - px.pre[t - half]) / k
                                    : (px.pre[t + half] - px.pre[t - half + 1] + 0.5 * (x[t - half] + x[t + half])) / k;
    const double d = x[t] - trend;
    p.sum[t % m] += d;
    p.count[t % m] += 1;
    p.total += d;
    p.total2 += d * d;
    p.n += 1;
  }
  return p;
}

/** The sum of squares the phase means explain, the phases folded to period `fold` (a divisor of theirs). */
double explained(const PhaseSums& p, std::size_t fold) {
  double ss = 0;
  for (std::size_t f = 0; f < fold; ++f) {
    double s = 0, c = 0;
    for (std::size_t q = f; q < p.sum.size(); q += fold) {
      s += p.sum[q];
      c += p.count[q];
    }
    if (c > 0) ss += s * s / c;
  }
  return ss - p.total * p.total / p.n;
}

/**
 * How strongly the values repeat with period k: the seasonal means' F test on the series detrended by
 * its centred moving average of order k, as a normal score, and the share of the detrended variance
 * the seasonal means explain.
 */
struct PeriodScore {
  double z = -1e300, strength = 0;
};

PeriodScore score_period(const Prefixed& x, int k) {
  PeriodScore out;
  const PhaseSums p = phase_sums(x, k);
  if (p.n < k + 6.0) return out;  // three seasons of a period of 12 leave 24 detrended points
  const double ss_total = p.total2 - p.total * p.total / p.n;
  const double ss_season = explained(p, static_cast<std::size_t>(k));
  const double ss_resid = ss_total - ss_season;
  if (!(ss_total > 0)) return out;
  out.strength = ss_season / ss_total;
  out.z = ss_resid > 0 ? chi_square_z(ss_season / (ss_resid / (p.n - k)), k - 1.0) : 1e300;
  return out;
}

/** Whether period K (a multiple of k) explains significantly more than k: the nested F test's score. */
double multiple_z(const Prefixed& x, int K, int k) {
  const PhaseSums p = phase_sums(x, K);
  if (p.n < K + 6.0) return -1e300;
  const double ss_total = p.total2 - p.total * p.total / p.n;
  const double ss_big = explained(p, static_cast<std::size_t>(K)), ss_small = explained(p, static_cast<std::size_t>(k));
  const double ss_resid = ss_total - ss_big;
  if (!(ss_resid > 0)) return 1e300;
  return chi_square_z((ss_big - ss_small) / (ss_resid / (p.n - K)), static_cast<double>(K - k));
}

}  // namespace

int detect_period(const std::vector<double>& all, int max_period) {
  // Long series are examined on their most recent 20,000 points: 54 cycles of the longest period tried.
  constexpr std::size_t kMaxPoints = 20000;
  // Every candidate period is tested (and the detrended values are autocorrelated), so the bar for a
  // period is high: a normal score of 5 and 40% of the detrended variance explained. A multiple is
  // preferred to its divisor when the nested test passes at the one-sided 0.1% level (3.09); the
  // period-to-period changes must repeat at the 1% level (2.33).
  constexpr double kZ = 5.0, kMinStrength = 0.4, kZn = 3.09, kZd = 2.33;
  const std::size_t from = all.size() > kMaxPoints ? all.size() - kMaxPoints : 0;
  std::vector<double> x(all.begin() + static_cast<std::ptrdiff_t>(from), all.end());
  const std::size_t n = x.size();
  const int limit = std::min<int>(max_period, static_cast<int>(n / 3));
  if (limit < 2) return 0;
  if (std::all_of(x.begin(), x.end(), [](double v) { return v > 0; }))
    for (auto& v : x) v = std::log(v);  // a season that grows with the level repeats in proportion
  const Prefixed px(x);
  std::vector<double> dx(n - 1);
  for (std::size_t t = 0; t + 1 < n; ++t) dx[t] = x[t + 1] - x[t];
  const Prefixed pdx(dx);
  std::vector<PeriodScore> scores(static_cast<std::size_t>(limit) + 1);
  int best = 0;
  for (int k = 2; k <= limit; ++k) {
    scores[static_cast<std::size_t>(k)] = score_period(px, k);
    const PeriodScore& s = scores[static_cast<std::size_t>(k)];
    if (s.z < kZ || s.strength < kMinStrength) continue;
    // The changes repeat too: a wandering level (a random walk) leaves slow swings in the detrended
    // values that look seasonal over a few cycles, but its changes do not repeat.
    if (score_period(pdx, k).z < kZd) continue;
    if (best == 0 || s.z > scores[static_cast<std::size_t>(best)].z) best = k;
  }
  if (best == 0) return 0;
  // A pattern that repeats every half period too (two peaks a year) is found at the half: a multiple
  // that explains significantly more is the period.
  for (bool grew = true; grew;) {
    grew = false;
    double top = kZ;
    int to = best;
    for (int j = 2; j * best <= limit; ++j) {
      const double z = multiple_z(px, j * best, best);
      if (z > top) {
        top = z;
        to = j * best;
      }
    }
    if (to != best) {
      best = to;
      grew = true;
    }
  }
  // A multiple of the period repeats too: a divisor the multiple does not significantly improve on is the period.
  for (int k = best - 1; k >= 2; --k) {
    const PeriodScore& s = scores[static_cast<std::size_t>(k)];
    if (best % k == 0 && s.z >= kZ && s.strength >= kMinStrength && multiple_z(px, best, k) < kZn) best = k;
  }
  return best;
}

}  // namespace pmkpi::forecast

namespace pmkpi::forecast::detail {

Adjusted adjust_seasonally(const Vec& y, int m) {
  Adjusted a;
  a.m = m;
  a.z = y;
  const std::size_t n = y.size();
  double threshold = 0;
  a.seasonal = m > 1 && seasonality_test(y, m, &a.acf_m, &threshold);
  if (m > 1 && !a.seasonal && n >= 3 * static_cast<std::size_t>(m)) {
    // A strong trend inflates every autocorrelation and hides the seasonal one: test the detrended series too.
    double intercept, slope;
    ols_line(y, intercept, slope);
    Vec r(n);
    for (std::size_t t = 0; t < n; ++t) r[t] = y[t] - intercept - slope * static_cast<double>(t);
    a.seasonal = seasonality_test(r, m, &a.acf_m, &threshold) && a.acf_m > 0;
  }
  if (!a.seasonal) return a;
  return force_seasonal(y, m, a.acf_m);
}

Adjusted unadjusted(const Vec& y, int m) {
  Adjusted a;
  a.m = m;
  a.z = y;
  return a;
}

Adjusted force_seasonal(const Vec& y, int m, double acf_m) {
  Adjusted a;
  a.m = m;
  a.z = y;
  a.acf_m = acf_m;
  a.seasonal = true;
  const std::size_t n = y.size();
  a.multiplicative = *std::min_element(y.begin(), y.end()) > 0;
  a.decomposition = classical_decomposition(y, m, a.multiplicative, kForecastIndices);
  for (std::size_t t = 0; t < n; ++t)
    a.z[t] = a.multiplicative ? y[t] / a.decomposition.at(t) : y[t] - a.decomposition.at(t);
  return a;
}

void reseasonalise(const Adjusted& a, std::size_t n, std::vector<Member>& members) {
  if (!a.seasonal) return;
  for (auto& mb : members) {
    if (mb.includes_season) continue;
    mb.season.assign(mb.mean.size(), 0.0);
    for (std::size_t j = 0; j < mb.mean.size(); ++j) {
      const double s = a.decomposition.at(n + j);
      mb.season[j] = a.multiplicative ? mb.mean[j] * (s - 1) : s;
      if (a.multiplicative) {
        mb.mean[j] *= s;
        mb.sd[j] *= s;
      } else {
        mb.mean[j] += s;
      }
    }
  }
}

}  // namespace pmkpi::forecast::detail
