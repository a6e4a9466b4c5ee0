// The calibration of the forecast intervals: the in-sample paths agree with the models' own
// forecasts, calibration only widens, warm-started refits find the same fit, and on series drawn
// from a process the models do not describe the intervals cover what they say.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "../../cpp/core/src/forecast/pipeline.hpp"
#include "pmkpi/forecast.hpp"

namespace {

namespace d = pmkpi::forecast::detail;
namespace fc = pmkpi::forecast;

/** Deterministic uniform noise in [0, 1) and its Box-Muller normal. */
struct Rng {
  unsigned long long s;
  double uniform() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 9007199254740992.0;
  }
  double normal() {
    const double u = std::max(uniform(), 1e-12), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(6.283185307179586 * v);
  }
};

std::vector<double> seasonal_trend(std::size_t n, int m) {
  std::vector<double> y(n);
  Rng rng{7};
  for (std::size_t t = 0; t < n; ++t)
    y[t] = 100 + 0.8 * static_cast<double>(t) + 12 * std::sin(6.283185307179586 * static_cast<double>(t % m) / m) +
           3 * rng.normal();
  return y;
}

d::EtsSpec spec(char error, d::Trend trend, bool seasonal = false, int m = 1) {
  d::EtsSpec s;
  s.error = error;
  s.trend = trend;
  s.seasonal = seasonal;
  s.m = m;
  return s;
}

// The last row of the path from a series one point longer is the forecast from the fitted states.
TEST(ForecastCalibration, EtsPathEndsWhereTheForecastStarts) {
  const std::vector<double> y = seasonal_trend(60, 12);
  for (const d::EtsSpec& s : {spec('A', d::Trend::None), spec('M', d::Trend::Additive), spec('A', d::Trend::Damped),
                              spec('A', d::Trend::Additive, true, 12)}) {
    const d::EtsFit fit = d::fit_ets(y, s);
    ASSERT_TRUE(fit.ok) << s.name();
    std::vector<double> longer = y;
    longer.push_back(0.0);  // never read: the path's last origin is the last real point
    const int h = 14;
    const std::vector<double> path = d::ets_path(fit, longer, h, 2);
    ASSERT_EQ(path.size(), (longer.size() - 3) * static_cast<std::size_t>(h));
    std::vector<double> mean, sd;
    d::ets_forecast(fit, h, mean, sd);
    const std::size_t last = (longer.size() - 2 - 2) * static_cast<std::size_t>(h);
    for (int j = 0; j < h; ++j)
      EXPECT_NEAR(path[last + static_cast<std::size_t>(j)], mean[static_cast<std::size_t>(j)], 1e-9) << s.name();
    // One step ahead, every row is the fitted value the residuals come from.
    for (std::size_t t = 2; t + 1 < y.size(); ++t)
      EXPECT_NEAR(path[(t - 2) * static_cast<std::size_t>(h)], y[t + 1] - fit.residuals[t + 1], 1e-9);
  }
}

TEST(ForecastCalibration, ThetaPathEndsWhereTheForecastStarts) {
  const std::vector<double> z = seasonal_trend(40, 1);
  const d::EtsFit ses = d::fit_ets(z, spec('A', d::Trend::None));
  const d::ThetaFit theta = d::fit_theta(z, ses);
  ASSERT_TRUE(theta.ok);
  std::vector<double> longer = z;
  longer.push_back(0.0);
  const std::vector<double> path = d::theta_path(theta, ses, longer, 5, 3);
  std::vector<double> mean, sd;
  d::theta_forecast(theta, 5, mean, sd);
  const std::size_t last = (longer.size() - 2 - 3) * 5;
  for (std::size_t j = 0; j < 5; ++j) EXPECT_NEAR(path[last + j], mean[j], 1e-9);
}

TEST(ForecastCalibration, WarmStartedRefitFindsTheSameFit) {
  const std::vector<double> y = seasonal_trend(80, 1);
  const d::EtsSpec s = spec('A', d::Trend::Damped);
  const d::EtsFit cold = d::fit_ets(y, s);
  const d::EtsFit warm = d::fit_ets(y, s, &cold.u);
  ASSERT_TRUE(warm.ok);
  EXPECT_NEAR(warm.aicc, cold.aicc, 1e-6 * std::fabs(cold.aicc));
  // A start of the wrong size is ignored (a model with other parameters).
  const std::vector<double> wrong{0.1};
  EXPECT_NEAR(d::fit_ets(y, s, &wrong).aicc, cold.aicc, 1e-6 * std::fabs(cold.aicc));
}

double param(const fc::Forecast& f, const std::string& key) {
  for (const auto& [k, v] : f.model.parameters)
    if (k == key) return v;
  return -1.0;
}

/** The forecast of y 12 ahead, calibrated in-sample only and then out-of-sample too. */
std::pair<fc::Forecast, fc::Forecast> calibrated_both_ways(const std::vector<double>& y) {
  fc::ForecastOptions o;
  o.horizon = 12;
  o.seasonal_period = 12;
  o.calibration_origins = 0;
  const fc::Forecast in_sample = fc::forecast(y, o);
  o.calibration_origins = 1;
  return {in_sample, fc::forecast(y, o)};
}

// A series that crosses zero: symmetric ranges, each factor multiplies the half-widths.
TEST(ForecastCalibration, OnlyWidensAndSaysByHowMuch) {
  std::vector<double> y = seasonal_trend(72, 12);
  for (double& v : y) v -= 130;
  const auto [in_sample, both] = calibrated_both_ways(y);
  EXPECT_EQ(both.model.interval_shape, fc::IntervalShape::Symmetric);
  EXPECT_GE(param(in_sample, "interval_scale_in_sample"), 1.0);
  EXPECT_EQ(param(in_sample, "interval_scale_80"), -1.0);  // no refit: no out-of-sample factor
  const double s80 = param(both, "interval_scale_80"), s95 = param(both, "interval_scale_95");
  ASSERT_GT(s80, 0);
  EXPECT_GT(s95, s80);  // the t's tails: the 95% interval widens more than the 80% one
  for (std::size_t j = 0; j < both.mean.size(); ++j) {
    EXPECT_DOUBLE_EQ(both.mean[j], in_sample.mean[j]);  // calibration moves no point forecast
    EXPECT_NEAR(both.upper80[j] - both.mean[j], s80 * (in_sample.upper80[j] - in_sample.mean[j]), 1e-9 * y.back());
    EXPECT_NEAR(both.upper95[j] - both.mean[j], s95 * (in_sample.upper95[j] - in_sample.mean[j]), 1e-9 * y.back());
    EXPECT_NEAR(both.mean[j] - both.lower80[j], both.upper80[j] - both.mean[j], 1e-9 * y.back());
  }
}

// Akaike's final prediction error, (n + p) / (n - p), p at most half the points.
TEST(ForecastCalibration, ExpectedOutOfSampleScaleIsTheFinalPredictionError) {
  EXPECT_DOUBLE_EQ(d::expected_scale(20, 4), std::sqrt(24.0 / 16.0));
  EXPECT_DOUBLE_EQ(d::expected_scale(120, 15), std::sqrt(135.0 / 105.0));
  EXPECT_DOUBLE_EQ(d::expected_scale(10, 17), std::sqrt(3.0));               // p capped at n / 2
  EXPECT_DOUBLE_EQ(d::expected_scale(4000, 2), std::sqrt(4002.0 / 3998.0));  // long: about 1
  EXPECT_DOUBLE_EQ(d::expected_scale(30, 0), 1.0);
}

// The parameters counted are the chosen ETS model's (its smoothing weights and initial states,
// sigma not counted) and a removed season's m - 1 indices.
TEST(ForecastCalibration, TheParametersCountedAreTheChosenModels) {
  const std::vector<double> y = seasonal_trend(72, 12);
  fc::ForecastOptions o;
  o.horizon = 12;
  o.seasonal_period = 1;
  const fc::Forecast plain = fc::forecast(y, o);
  const std::string ets = plain.model.selected_ets;
  const double trend = ets.find(",A,") != std::string::npos ? 2 : ets.find(",Ad,") != std::string::npos ? 3 : 0;
  EXPECT_EQ(param(plain, "fitted_parameters"), 2 + trend) << ets;  // alpha and l0, (beta, b0, phi)
  o.seasonal_period = 12;
  const fc::Forecast seasonal = fc::forecast(y, o);
  ASSERT_TRUE(seasonal.seasonal);
  EXPECT_GE(param(seasonal, "fitted_parameters"), 2 + 11) << seasonal.model.selected_ets;
}

// However closely the held-out points were forecast, the out-of-sample factor is at least the
// expected scale weighed as kPriorOrigins origins against one origin's errors of 0; the 80% factor
// carries the unit-variance t's quantile (6 degrees of freedom) over the normal's.
TEST(ForecastCalibration, OneLuckyOriginDoesNotNarrowTheExpectedScale) {
  const double t80 = 1.4397557472651481 * std::sqrt(4.0 / 6.0) / d::kZ80;
  Rng rng{11};
  for (int k = 0; k < 20; ++k) {
    std::vector<double> y(24);
    double level = 100;
    for (double& v : y) v = level += 1 + rng.normal();
    fc::ForecastOptions o;
    o.horizon = 6;
    o.seasonal_period = 1;
    const fc::Forecast f = fc::forecast(y, o);
    // At least two parameters were fitted: a level and its smoothing weight.
    const double floor = std::sqrt(d::kPriorOrigins / (d::kPriorOrigins + 1)) * d::expected_scale(24, 2);
    EXPECT_GE(param(f, "interval_scale_80"), std::max(1.0, floor) * t80 - 1e-12) << k;
  }
}

// A positive series: log-normal ranges of the forecast's mean and standard deviation. Each reaches
// as far above the forecast as below it in ratio (upper / mean = mean / lower), so further above in
// amount; the factors multiply the standard deviation behind them.
TEST(ForecastCalibration, PositiveSeriesGetLogNormalRangesOfTheSameSpread) {
  const std::vector<double> y = seasonal_trend(72, 12);
  const auto [in_sample, both] = calibrated_both_ways(y);
  ASSERT_EQ(both.model.interval_shape, fc::IntervalShape::LogNormal);
  const double s80 = param(both, "interval_scale_80"), s95 = param(both, "interval_scale_95");
  ASSERT_GT(s80, 0);
  // The relative standard deviation behind an 80% range: log(upper / mean) = 1.2816 sqrt(log(1 + r^2)).
  auto relative_sd = [](const fc::Forecast& f, std::size_t j) {
    const double spread = std::log(f.upper80[j] / f.mean[j]) / d::kZ80;
    return std::sqrt(std::expm1(spread * spread));
  };
  for (std::size_t j = 0; j < both.mean.size(); ++j) {
    const double mean = both.mean[j];
    EXPECT_DOUBLE_EQ(mean, in_sample.mean[j]);
    EXPECT_GT(both.lower95[j], 0);
    EXPECT_NEAR(both.lower80[j] * both.upper80[j], mean * mean, 1e-9 * mean * mean);
    EXPECT_NEAR(both.lower95[j] * both.upper95[j], mean * mean, 1e-9 * mean * mean);
    EXPECT_GT(both.upper80[j] - mean, mean - both.lower80[j]);
    const double r = relative_sd(both, j);
    EXPECT_NEAR(r, s80 * relative_sd(in_sample, j), 1e-9);
    // The 95% range: the t's heavier tail multiplies the log-spread.
    EXPECT_NEAR(std::log(both.upper95[j] / mean), s95 / s80 * d::kZ95 * d::log_normal_sd(1, r), 1e-9);
  }
}

// The ranges are log-normal exactly when every value is positive and the ETS model AICc chose has
// multiplicative errors; noise in proportion to the level picks such a model, noise of a constant
// size on a level that falls towards zero an additive one.
TEST(ForecastCalibration, TheShapeFollowsTheChosenModelsErrors) {
  Rng rng{5};
  int log_normal = 0, symmetric = 0;
  for (int k = 0; k < 12; ++k) {
    std::vector<double> y(60);
    for (std::size_t t = 0; t < y.size(); ++t) {
      const double level = k % 2 ? 50 * std::exp(0.04 * static_cast<double>(t)) : 2000 - 30 * static_cast<double>(t);
      y[t] = k % 2 ? level * std::exp(0.15 * rng.normal()) : level + 60 * rng.normal();
    }
    fc::ForecastOptions o;
    o.horizon = 8;
    o.seasonal_period = 1;
    const fc::Forecast f = fc::forecast(y, o);
    const bool positive = std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
    const bool multiplicative = f.model.selected_ets.rfind("ETS(M", 0) == 0;
    EXPECT_EQ(f.model.interval_shape == fc::IntervalShape::LogNormal, positive && multiplicative)
        << k << " " << f.model.selected_ets;
    (f.model.interval_shape == fc::IntervalShape::LogNormal ? log_normal : symmetric)++;
  }
  EXPECT_GE(log_normal, 3);  // both shapes occur
  EXPECT_GE(symmetric, 3);
}

// A positive series falling fast with noise in proportion to it: its forecast crosses zero, where
// the log-normal ranges give way to symmetric ones; every factor and bound stays a finite number
// and the ranges stay ordered.
TEST(ForecastCalibration, AForecastCrossingZeroKeepsFiniteOrderedRanges) {
  Rng rng{31};
  for (int k = 0; k < 8; ++k) {
    std::vector<double> y(40);
    for (std::size_t t = 0; t < y.size(); ++t)
      y[t] = 1000 * (1 - static_cast<double>(t) / 44) * (1 + 0.05 * rng.normal()) + 1;
    fc::ForecastOptions o;
    o.horizon = 12;
    o.seasonal_period = 1;
    const fc::Forecast f = fc::forecast(y, o);
    for (const auto& [key, v] : f.model.parameters) EXPECT_TRUE(std::isfinite(v)) << key;
    EXPECT_GE(param(f, "interval_scale_in_sample"), 1.0);
    for (std::size_t j = 0; j < f.mean.size(); ++j) {
      EXPECT_TRUE(std::isfinite(f.lower95[j]) && std::isfinite(f.upper95[j])) << j;
      EXPECT_LE(f.lower95[j], f.lower80[j]);
      EXPECT_LE(f.lower80[j], f.mean[j]);
      EXPECT_LE(f.mean[j], f.upper80[j]);
      EXPECT_LE(f.upper80[j], f.upper95[j]);
    }
  }
}

// Whether a series' ranges are log-normal is decided by its values and the model chosen: one value
// at zero or below makes them symmetric.
TEST(ForecastCalibration, OneValueAtZeroKeepsTheRangesSymmetric) {
  std::vector<double> y = seasonal_trend(72, 12);
  y[10] = 0;
  fc::ForecastOptions o;
  o.horizon = 6;
  const fc::Forecast f = fc::forecast(y, o);
  EXPECT_EQ(f.model.interval_shape, fc::IntervalShape::Symmetric);
  for (std::size_t j = 0; j < f.mean.size(); ++j)
    EXPECT_NEAR(f.upper95[j] - f.mean[j], f.mean[j] - f.lower95[j], 1e-9 * y.back());
}

// Series whose growth rate wanders (a local trend the fitted models smooth away) and whose noise has
// heavier tails than the normal: the analytic intervals of such data are too narrow. Calibrated, 80%
// and 95% intervals cover about what they say over 400 series and 8 horizons.
TEST(ForecastCalibration, IntervalsCoverWhatTheySayOnAMisspecifiedProcess) {
  Rng rng{2026};
  double in80 = 0, in95 = 0, points = 0;
  for (int series = 0; series < 400; ++series) {
    const std::size_t n = 30 + static_cast<std::size_t>(rng.uniform() * 40), h = 8;
    std::vector<double> all(n + h);
    double level = 1000, growth = 0.02;
    for (auto& v : all) {
      growth += 0.01 * rng.normal();
      const double shock = rng.normal() * (rng.uniform() < 0.1 ? 3.0 : 1.0);
      level *= 1 + growth + 0.03 * shock;
      v = level;
    }
    const std::vector<double> x(all.begin(), all.begin() + static_cast<std::ptrdiff_t>(n));
    fc::ForecastOptions o;
    o.horizon = static_cast<int>(h);
    o.seasonal_period = 1;
    const fc::Forecast f = fc::forecast(x, o);
    for (std::size_t j = 0; j < h; ++j) {
      const double a = all[n + j];
      in80 += a >= f.lower80[j] && a <= f.upper80[j];
      in95 += a >= f.lower95[j] && a <= f.upper95[j];
      points += 1;
    }
  }
  EXPECT_NEAR(100 * in80 / points, 80, 5);  // 71.3 with the in-sample step alone
  EXPECT_NEAR(100 * in95 / points, 95, 3);  // 87.7 with the in-sample step alone
}

}  // namespace
