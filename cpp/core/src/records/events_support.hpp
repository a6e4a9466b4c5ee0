#pragma once
// Rounding helpers shared by the events engine's reports: rates and ratios to 2 decimals, null when
// the divisor is 0.

#include <algorithm>
#include <cstdint>
#include <vector>

#include "pmkpi/json.hpp"

namespace pmkpi::records {

inline Json rate(std::int64_t part, std::int64_t whole) {
  if (whole == 0) return Json();
  return round_to(static_cast<double>(part) / static_cast<double>(whole) * 100.0, 2);
}

inline Json ratio(double part, double whole) {
  if (whole == 0) return Json();
  return round_to(part / whole, 2);
}

/** The median (mean of the two middle values for an even count), rounded to 2 decimals. */
inline Json median(std::vector<double> xs) {
  if (xs.empty()) return Json();
  const std::size_t mid = xs.size() / 2;
  std::nth_element(xs.begin(), xs.begin() + mid, xs.end());
  double m = xs[mid];
  if (xs.size() % 2 == 0) m = (m + *std::max_element(xs.begin(), xs.begin() + mid)) / 2.0;
  return round_to(m, 2);
}

}  // namespace pmkpi::records
