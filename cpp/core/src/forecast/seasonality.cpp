// Seasonal period detection from the autocorrelation of the linearly detrended series.
#include <cmath>

#include <algorithm>

#include "pipeline.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::forecast {

int detect_period(const std::vector<double>& all, int max_period) {
  // Very long series are examined on their most recent 200,000 points (a linear-time bound).
  constexpr std::size_t kMaxPoints = 200000;
  const std::vector<double> tail =
      all.size() > kMaxPoints ? std::vector<double>(all.end() - kMaxPoints, all.end()) : std::vector<double>();
  const std::vector<double>& values = tail.empty() ? all : tail;
  const std::size_t n = values.size();
  const int limit = std::min<int>(max_period, static_cast<int>(n / 3));
  if (limit < 2) return 0;
  double intercept, slope;
  detail::ols_line(values, intercept, slope);
  std::vector<double> r(values.size());
  for (std::size_t t = 0; t < n; ++t) r[t] = values[t] - (intercept + slope * static_cast<double>(t));
  const std::vector<double> a = detail::acf(r, limit + 1);
  // A period is a positive local maximum of the ACF above the 90% bound of the seasonality test.
  std::vector<int> peaks;
  double cumulative = 0;  // sum of r_j^2 for j < k
  std::vector<double> bound(static_cast<std::size_t>(limit) + 1, 0.0);
  for (int k = 1; k <= limit; ++k) {
    bound[static_cast<std::size_t>(k)] = 1.645 * std::sqrt((1 + 2 * cumulative) / static_cast<double>(n));
    cumulative += a[static_cast<std::size_t>(k)] * a[static_cast<std::size_t>(k)];
  }
  int best = 0;
  for (int k = 2; k <= limit; ++k) {
    const double v = a[static_cast<std::size_t>(k)];
    if (v <= 0 || v <= bound[static_cast<std::size_t>(k)]) continue;
    if (v <= a[static_cast<std::size_t>(k - 1)] || v < a[static_cast<std::size_t>(k + 1)]) continue;
    peaks.push_back(k);
    if (best == 0 || v > a[static_cast<std::size_t>(best)]) best = k;
  }
  if (best == 0) return 0;
  // Multiples of the true period peak too: keep the shortest period nearly as strong.
  for (int k : peaks)
    if (k < best && best % k == 0 && a[static_cast<std::size_t>(k)] >= 0.8 * a[static_cast<std::size_t>(best)])
      return k;
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

Adjusted force_seasonal(const Vec& y, int m, double acf_m) {
  Adjusted a;
  a.m = m;
  a.z = y;
  a.acf_m = acf_m;
  a.seasonal = true;
  const std::size_t n = y.size();
  a.multiplicative = *std::min_element(y.begin(), y.end()) > 0;
  a.decomposition = classical_decomposition(y, m, a.multiplicative);
  for (std::size_t t = 0; t < n; ++t)
    a.z[t] = a.multiplicative ? y[t] / a.decomposition.at(t) : y[t] - a.decomposition.at(t);
  return a;
}

void reseasonalise(const Adjusted& a, std::size_t n, std::vector<Member>& members) {
  if (!a.seasonal) return;
  for (auto& mb : members) {
    if (mb.includes_season) continue;
    for (std::size_t j = 0; j < mb.mean.size(); ++j) {
      const double s = a.decomposition.at(n + j);
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
