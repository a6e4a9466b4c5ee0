// Complex exponential smoothing, the ensemble's third member: a trend it follows without a fixed
// slope, a level series it holds, a stable fit, in-sample paths that end where the forecast starts,
// and the series it declines.
#include <gtest/gtest.h>

#include <cmath>
#include <complex>
#include <vector>

#include "../../cpp/core/src/forecast/internal.hpp"

namespace {

namespace d = pmkpi::forecast::detail;

/** y[t] = level + slope t + a deterministic wiggle of amplitude `noise`. */
std::vector<double> series(std::size_t n, double level, double slope, double noise) {
  std::vector<double> y(n);
  for (std::size_t t = 0; t < n; ++t) {
    const double x = static_cast<double>(t);
    y[t] = level + slope * x + noise * std::sin(1.7 * x) * std::cos(0.37 * x * x);
  }
  return y;
}

/** The eigenvalues of the discount matrix D = F - g w' of CES, whose moduli must be below 1. */
std::vector<double> discount_moduli(const d::CesFit& f) {
  const double d11 = 1 - (f.a0 - f.a1), d12 = -(1 - f.a1), d21 = 1 - (f.a0 + f.a1), d22 = 1 - f.a0;
  const std::complex<double> half_trace((d11 + d22) / 2, 0);
  const std::complex<double> root = std::sqrt(half_trace * half_trace - (d11 * d22 - d12 * d21));
  return {std::abs(half_trace + root), std::abs(half_trace - root)};
}

TEST(ForecastCes, FollowsATrendWithAStableFit) {
  const std::vector<double> y = series(60, 50, 1.5, 2);
  const d::CesFit fit = d::fit_ces(y);
  ASSERT_TRUE(fit.ok);
  for (double m : discount_moduli(fit)) EXPECT_LT(m, 1.0);
  std::vector<double> mean, sd;
  d::ces_forecast(fit, 12, mean, sd);
  const double truth = 50 + 1.5 * 71;  // the trend 12 steps after the last point
  EXPECT_NEAR(mean[11], truth, 0.1 * truth);
  EXPECT_GT(mean[11], y.back());
  for (std::size_t j = 1; j < sd.size(); ++j) EXPECT_GE(sd[j], sd[j - 1]);  // uncertainty grows
  EXPECT_GT(sd[0], 0);
}

TEST(ForecastCes, HoldsALevelSeries) {
  const std::vector<double> y = series(48, 100, 0, 3);
  const d::CesFit fit = d::fit_ces(y);
  ASSERT_TRUE(fit.ok);
  std::vector<double> mean, sd;
  d::ces_forecast(fit, 18, mean, sd);
  for (double v : mean) EXPECT_NEAR(v, 100, 6);
}

TEST(ForecastCes, PathEndsWhereTheForecastStarts) {
  const std::vector<double> z = series(40, 20, 0.5, 1);
  const d::CesFit fit = d::fit_ces(z);
  ASSERT_TRUE(fit.ok);
  std::vector<double> longer = z;
  longer.push_back(0.0);  // never read: the path's last origin is the last real point
  const std::vector<double> path = d::ces_path(fit, longer, 5, 3);
  ASSERT_EQ(path.size(), (longer.size() - 1 - 3) * 5);
  std::vector<double> mean, sd;
  d::ces_forecast(fit, 5, mean, sd);
  const std::size_t last = (longer.size() - 2 - 3) * 5;
  for (std::size_t j = 0; j < 5; ++j) EXPECT_NEAR(path[last + j], mean[j], 1e-9);
}

TEST(ForecastCes, DeclinesWhatItCannotFit) {
  EXPECT_FALSE(d::fit_ces({1, 2, 3, 4, 5}).ok);             // too short
  EXPECT_FALSE(d::fit_ces(std::vector<double>(30, 0)).ok);  // nothing to scale by
}

}  // namespace
