// The seasonal period found from the values alone (pmkpi::forecast::detect_period).
#include <gtest/gtest.h>

#include <cmath>
#include <vector>

#include "pmkpi/forecast.hpp"

namespace {

namespace fc = pmkpi::forecast;
constexpr double kTwoPi = 6.283185307179586;

struct Rng {
  unsigned long long s;
  double normal() {
    auto uniform = [&] {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(s >> 11) / 9007199254740992.0;
    };
    const double u = std::max(uniform(), 1e-12), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(kTwoPi * v);
  }
};

/** A growing series with a yearly pattern given by `shape` (one value per month), and noise. */
std::vector<double> monthly(std::size_t n, const std::vector<double>& shape, double noise, unsigned long long seed) {
  Rng rng{seed};
  std::vector<double> y(n);
  for (std::size_t t = 0; t < n; ++t)
    y[t] = (200 + 1.5 * static_cast<double>(t)) * (1 + shape[t % shape.size()]) + noise * rng.normal();
  return y;
}

TEST(DetectPeriod, ThreeYearsOfAMonthlyCycle) {
  std::vector<double> shape(12);
  for (int k = 0; k < 12; ++k) shape[static_cast<std::size_t>(k)] = 0.07 * std::sin(kTwoPi * k / 12.0);
  EXPECT_EQ(fc::detect_period(monthly(36, shape, 2.0, 1), 12), 12);
  EXPECT_EQ(fc::detect_period(monthly(120, shape, 2.0, 2), 40), 12);
}

// Two peaks a year (summer and December) of different heights: the pattern repeats every 12 months,
// not every 6, though the half-year explains much of it.
TEST(DetectPeriod, TwoPeaksAYearAreStillTwelveMonths) {
  std::vector<double> shape(12);
  for (int k = 0; k < 12; ++k)
    shape[static_cast<std::size_t>(k)] = 0.08 * std::cos(kTwoPi * k / 6.0) + 0.04 * std::cos(kTwoPi * k / 12.0);
  EXPECT_EQ(fc::detect_period(monthly(96, shape, 2.0, 3), 32), 12);
}

// A pattern of 12 repeats every 24 and 36 too: the shortest period is the answer.
TEST(DetectPeriod, AMultipleOfThePeriodIsNotThePeriod) {
  const std::vector<double> shape{0.1, -0.05, 0.02, 0.08, -0.1, 0.0, 0.05, -0.08, 0.12, -0.02, -0.06, -0.06};
  EXPECT_EQ(fc::detect_period(monthly(144, shape, 1.0, 4), 48), 12);
}

TEST(DetectPeriod, QuarterlyWithATrend) {
  const std::vector<double> shape{0.1, -0.04, -0.09, 0.03};
  EXPECT_EQ(fc::detect_period(monthly(48, shape, 2.0, 5), 16), 4);
}

TEST(DetectPeriod, NoneInNoiseOrARandomWalk) {
  Rng rng{6};
  std::vector<double> noise(200), walk(200);
  double level = 1000;
  for (std::size_t t = 0; t < noise.size(); ++t) {
    noise[t] = 50 + rng.normal();
    level += rng.normal() * 10;
    walk[t] = level;
  }
  EXPECT_EQ(fc::detect_period(noise, 66), 0);
  EXPECT_EQ(fc::detect_period(walk, 66), 0);
  EXPECT_EQ(fc::detect_period(std::vector<double>(50, 3.0), 16), 0);  // constant
  EXPECT_EQ(fc::detect_period({1, 2, 3, 4, 5}, 2), 0);                // too short for any period
}

TEST(DetectPeriod, WeeklyCycleInALongDailySeries) {
  Rng rng{7};
  std::vector<double> y(50000);
  const double week[] = {1.0, 1.1, 1.1, 1.05, 1.0, 0.7, 0.6};
  for (std::size_t t = 0; t < y.size(); ++t) y[t] = 1000 * week[t % 7] + 20 * rng.normal();
  EXPECT_EQ(fc::detect_period(y, 366), 7);
}

}  // namespace
