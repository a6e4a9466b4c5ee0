// Seasonal period detection from the autocorrelation of the linearly detrended series.
#include <cmath>

#include "internal.hpp"
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
