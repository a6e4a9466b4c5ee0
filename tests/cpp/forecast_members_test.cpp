// Two members of the forecast combination: ETS with a multiplicative season (ETS(M,*,M)) and the
// dynamic optimised Theta model (DOTM). Their recursions against hand-checkable facts, their paths
// against their forecasts, and their place in the pipeline.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "../../cpp/core/src/forecast/pipeline.hpp"
#include "pmkpi/forecast.hpp"

namespace {

namespace d = pmkpi::forecast::detail;
namespace fc = pmkpi::forecast;

constexpr double kTwoPi = 6.283185307179586;

/** Deterministic normal noise (an LCG and Box-Muller). */
struct Rng {
  unsigned long long s;
  double normal() {
    auto uniform = [this] {
      s = s * 6364136223846793005ULL + 1442695040888963407ULL;
      return static_cast<double>(s >> 11) / 9007199254740992.0;
    };
    const double u = std::max(uniform(), 1e-12), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(kTwoPi * v);
  }
};

/** A growing level times a +-25% yearly cycle, with 2% noise: a season in proportion to the level. */
std::vector<double> growing_season(std::size_t n, unsigned long long seed = 3) {
  std::vector<double> y(n);
  Rng rng{seed};
  for (std::size_t t = 0; t < n; ++t)
    y[t] = (200 + 4.0 * static_cast<double>(t)) * (1 + 0.25 * std::sin(kTwoPi * static_cast<double>(t % 12) / 12)) *
           (1 + 0.02 * rng.normal());
  return y;
}

d::EtsSpec seasonal_spec(d::Trend trend, bool multiplicative) {
  d::EtsSpec s;
  s.error = multiplicative ? 'M' : 'A';
  s.trend = trend;
  s.seasonal = true;
  s.multiplicative_season = multiplicative;
  s.m = 12;
  return s;
}

d::EtsFit fit_multiplicative(const std::vector<double>& y, d::Trend trend, const std::vector<double>* warm = nullptr) {
  const d::Decomposition dec = d::classical_decomposition(y, 12, true);
  return d::fit_ets_multiplicative_season(y, seasonal_spec(trend, true), dec.indices, warm);
}

// A pattern that moved after four years (its January peak now in April): equal weights average the
// two; the forecasts' discount (each season back 0.85 as much) leans to the recent one; the indices
// still sum to zero.
TEST(ClassicalDecomposition, TheDiscountFollowsAPatternThatChanged) {
  std::vector<double> y(96, 100.0);
  for (std::size_t t = 0; t < y.size(); ++t) {
    const std::size_t phase = t % 12;
    const bool early = t < 48;
    if (phase == (early ? 0U : 3U)) y[t] += 10;
    if (phase == (early ? 6U : 9U)) y[t] -= 10;
  }
  const d::Decomposition equal = d::classical_decomposition(y, 12, false);
  const d::Decomposition recent = d::classical_decomposition(y, 12, false, {d::kForecastIndices.discount, false});
  // Phase 0 has 3 early ratios (+10) and 4 late ones (0), phase 3 the other way round; the moving
  // average is 100 but for the year around the change, where it mixes the two patterns.
  EXPECT_NEAR(equal.indices[0], 30.0 / 7, 0.1);
  EXPECT_NEAR(equal.indices[3], 40.0 / 7, 0.1);
  EXPECT_LT(recent.indices[0], equal.indices[0]);
  EXPECT_GT(recent.indices[3], equal.indices[3]);
  EXPECT_GT(recent.indices[3], 2 * recent.indices[0]);
  double sum = 0;
  for (double v : recent.indices) sum += v;
  EXPECT_NEAR(sum, 0.0, 1e-9);
  // A pattern that never changed is found whole by either.
  std::vector<double> steady(96);
  for (std::size_t t = 0; t < steady.size(); ++t) steady[t] = 100 * (t % 12 == 5 ? 1.2 : 1.0);
  const d::Decomposition kept = d::classical_decomposition(steady, 12, true, {d::kForecastIndices.discount, false});
  const d::Decomposition same = d::classical_decomposition(steady, 12, true);
  for (std::size_t k = 0; k < 12; ++k) EXPECT_NEAR(kept.indices[k], same.indices[k], 1e-9) << k;
}

// James-Stein shrinking: indices estimated from noise alone are pulled most of the way back to no
// season; a strong pattern measured over many years keeps almost all of its amplitude.
TEST(ClassicalDecomposition, ShrinkingPullsNoiseBackAndKeepsAPattern) {
  Rng rng{23};
  auto amplitude = [](const d::Decomposition& dec) {
    double most = 0;
    for (double v : dec.indices) most = std::max(most, std::fabs(v - 1));
    return most;
  };
  std::vector<double> noise(48), pattern(120);
  for (double& v : noise) v = 100 * (1 + 0.05 * rng.normal());
  for (std::size_t t = 0; t < pattern.size(); ++t)
    pattern[t] =
        100 * (1 + 0.2 * std::sin(6.283185307179586 * static_cast<double>(t % 12) / 12)) * (1 + 0.01 * rng.normal());
  const d::IndexEstimate shrunk{1, true}, plain{1, false};
  const double noise_raw = amplitude(d::classical_decomposition(noise, 12, true, plain));
  const double noise_shrunk = amplitude(d::classical_decomposition(noise, 12, true, shrunk));
  EXPECT_LT(noise_shrunk, 0.5 * noise_raw) << noise_raw;
  const d::Decomposition kept = d::classical_decomposition(pattern, 12, true, shrunk);
  const d::Decomposition raw = d::classical_decomposition(pattern, 12, true, plain);
  for (std::size_t k = 0; k < 12; ++k) EXPECT_NEAR(kept.indices[k] - 1, raw.indices[k] - 1, 0.002) << k;
  // Three phases leave no room to shrink (m - 3 = 0): the indices are the plain ones.
  const std::vector<double> three{90, 100, 110, 92, 101, 108, 91, 99, 111, 90, 100, 109};
  const d::Decomposition m3 = d::classical_decomposition(three, 3, true, shrunk);
  const d::Decomposition m3_plain = d::classical_decomposition(three, 3, true, plain);
  for (std::size_t k = 0; k < 3; ++k) EXPECT_DOUBLE_EQ(m3.indices[k], m3_plain.indices[k]);
}

// The likelihoods' sum of log fitted values, a log per product: the same sum, whatever the values.
TEST(EtsMultiplicativeSeason, LogSumIsTheSumOfTheLogs) {
  Rng rng{17};
  d::LogSum logs;
  double direct = 0;
  for (int i = 0; i < 5000; ++i) {
    const double v = std::exp(8 * rng.normal());  // about 1e-10 to 1e10, now and then further
    logs.add(v);
    direct += std::log(v);
  }
  for (double v : {1e-300, 1e300, 1e150, 1e-150, 1e99, 1e101}) {
    logs.add(v);
    direct += std::log(v);
  }
  EXPECT_NEAR(logs.total(), direct, 1e-9 * std::fabs(direct));
}

TEST(EtsMultiplicativeSeason, NamesItsSeason) {
  EXPECT_EQ(seasonal_spec(d::Trend::Damped, true).name(), "ETS(M,Ad,M)");
  EXPECT_EQ(seasonal_spec(d::Trend::None, false).name(), "ETS(A,N,A)");
}

// The last row of the path from a series one point longer is the forecast from the fitted states,
// and every row's first step is the fitted value the residuals come from.
TEST(EtsMultiplicativeSeason, PathEndsWhereTheForecastStarts) {
  const std::vector<double> y = growing_season(72);
  for (d::Trend trend : {d::Trend::None, d::Trend::Additive, d::Trend::Damped}) {
    const d::EtsFit fit = fit_multiplicative(y, trend);
    ASSERT_TRUE(fit.ok) << fit.spec.name();
    std::vector<double> longer = y;
    longer.push_back(0.0);  // never read
    const int h = 15;
    const std::vector<double> path = d::ets_path(fit, longer, h, 2);
    ASSERT_EQ(path.size(), (longer.size() - 3) * static_cast<std::size_t>(h));
    std::vector<double> mean, sd;
    d::ets_forecast(fit, h, mean, sd);
    const std::size_t last = (longer.size() - 4) * static_cast<std::size_t>(h);
    for (std::size_t j = 0; j < mean.size(); ++j) EXPECT_NEAR(path[last + j], mean[j], 1e-9 * mean[j]);
    for (std::size_t t = 2; t + 1 < y.size(); ++t)
      EXPECT_NEAR(path[(t - 2) * static_cast<std::size_t>(h)], y[t + 1] - fit.residuals[t + 1], 1e-9 * y[t + 1]);
    // The intervals are in proportion to the forecast and widen with the horizon.
    for (std::size_t j = 1; j < sd.size(); ++j) EXPECT_GE(sd[j] / mean[j], sd[j - 1] / mean[j - 1] - 1e-12);
  }
}

// On a season that grows with the level, the multiplicative season fits better than additive
// states by AICc (both are models of y itself), and its forecast's swing grows with the trend.
TEST(EtsMultiplicativeSeason, FitsASeasonInProportionToTheLevel) {
  const std::vector<double> y = growing_season(96);
  const d::EtsFit multiplicative = fit_multiplicative(y, d::Trend::Additive);
  const d::EtsFit additive = d::fit_ets(y, seasonal_spec(d::Trend::Additive, false));
  ASSERT_TRUE(multiplicative.ok);
  ASSERT_TRUE(additive.ok);
  EXPECT_LT(multiplicative.aicc, additive.aicc);
  std::vector<double> mean, sd;
  d::ets_forecast(multiplicative, 24, mean, sd);
  const double swing1 =
      *std::max_element(mean.begin(), mean.begin() + 12) - *std::min_element(mean.begin(), mean.begin() + 12);
  const double swing2 =
      *std::max_element(mean.begin() + 12, mean.end()) - *std::min_element(mean.begin() + 12, mean.end());
  EXPECT_GT(swing2, swing1 * 1.05);
  // Peaks where the sine does (phase 3 of 12: index 3 of a year), a whole number of years on from y[0].
  const std::size_t peak = static_cast<std::size_t>(std::max_element(mean.begin(), mean.begin() + 12) - mean.begin());
  EXPECT_EQ((y.size() + peak) % 12, 3u);
}

TEST(EtsMultiplicativeSeason, RefusesWhatItCannotModel) {
  std::vector<double> y = growing_season(72);
  const d::Decomposition dec = d::classical_decomposition(y, 12, true);
  // A zero or a negative value has no relative error.
  y[30] = 0;
  EXPECT_FALSE(d::fit_ets_multiplicative_season(y, seasonal_spec(d::Trend::None, true), dec.indices).ok);
  // Fewer than two seasons, or indices of another period.
  const std::vector<double> short_y(growing_season(20));
  EXPECT_FALSE(d::fit_ets_multiplicative_season(short_y, seasonal_spec(d::Trend::None, true), dec.indices).ok);
  const std::vector<double> four(4, 1.0);
  EXPECT_FALSE(d::fit_ets_multiplicative_season(growing_season(72), seasonal_spec(d::Trend::None, true), four).ok);
}

TEST(EtsMultiplicativeSeason, WarmStartedRefitFindsTheSameFit) {
  const std::vector<double> y = growing_season(84);
  const d::EtsFit cold = fit_multiplicative(y, d::Trend::Damped);
  ASSERT_TRUE(cold.ok);
  const d::EtsFit warm = fit_multiplicative(y, d::Trend::Damped, &cold.u);
  ASSERT_TRUE(warm.ok);
  EXPECT_NEAR(warm.aicc, cold.aicc, 1e-6 * std::fabs(cold.aicc));
}

// In the pipeline: a positive seasonal series gets ETS(M,*,M) as its ETS member, the others on the
// multiplicatively deseasonalised values; a series with a negative value keeps additive states.
TEST(EtsMultiplicativeSeason, IsTheEtsMemberOfAPositiveSeasonalSeries) {
  fc::ForecastOptions o;
  o.horizon = 12;
  o.seasonal_period = 12;
  const fc::Forecast f = fc::forecast(growing_season(72), o);
  EXPECT_EQ(f.model.seasonal_adjustment, fc::SeasonalAdjustment::Ets);
  EXPECT_NE(f.model.selected_ets.find(",M)"), std::string::npos) << f.model.selected_ets;
  EXPECT_NE(f.model.name.find("multiplicatively deseasonalised"), std::string::npos) << f.model.name;
  ASSERT_EQ(f.model.members.size(), 5u);
  EXPECT_EQ(f.model.members[1], "Theta");
  EXPECT_EQ(f.model.members[2], "DOTM");
  EXPECT_EQ(f.model.members[3], "CES");
  EXPECT_EQ(f.model.members[4].rfind("ARIMA(", 0), 0u) << f.model.members[4];
  // Weighted by their in-sample errors: five positive weights that sum to 1, named in the parameters.
  double total = 0;
  int weights = 0;
  for (const auto& [key, v] : f.model.parameters)
    if (key.rfind("member_weight ", 0) == 0) {
      EXPECT_GT(v, 0.0) << key;
      total += v;
      ++weights;
    }
  EXPECT_EQ(weights, 5);
  EXPECT_NEAR(total, 1.0, 1e-12);
  EXPECT_EQ(f.model.name.rfind("Weighted mean of ", 0), 0u) << f.model.name;

  std::vector<double> shifted = growing_season(72);
  for (double& v : shifted) v -= 250;  // some values now negative
  const fc::Forecast g = fc::forecast(shifted, o);
  EXPECT_EQ(g.model.seasonal_adjustment, fc::SeasonalAdjustment::Ets);
  EXPECT_NE(g.model.selected_ets.find(",A)"), std::string::npos) << g.model.selected_ets;
}

// ---- DOTM -------------------------------------------------------------------------------------

std::vector<double> noisy_trend(std::size_t n) {
  std::vector<double> y(n);
  Rng rng{11};
  for (std::size_t t = 0; t < n; ++t) y[t] = 50 + 1.5 * static_cast<double>(t) + 4 * rng.normal();
  return y;
}

// The line the model carries is the least-squares line through every value so far (x = 1..n).
TEST(Dotm, ItsLineIsTheLeastSquaresLine) {
  const std::vector<double> y = noisy_trend(40);
  const d::DotmFit fit = d::fit_dotm(y);
  ASSERT_TRUE(fit.ok);
  double intercept, slope;
  d::ols_line(y, intercept, slope);  // x = 0..n-1
  EXPECT_NEAR(fit.state.b, slope, 1e-9);
  EXPECT_NEAR(fit.state.a, intercept - slope, 1e-9);
  EXPECT_NEAR(fit.state.mean, d::mean_of(y), 1e-9);
  EXPECT_EQ(fit.state.t, y.size());
  EXPECT_NEAR(fit.state.keep, std::pow(1 - fit.alpha, 40.0), 1e-12);
  EXPECT_GE(fit.theta, 1.0);
  EXPECT_LE(fit.theta, 10.0);
}

// h steps on: l_n + (1 - 1/theta) [(1 - alpha)^n A_n + ((h - 1) + (1 - (1 - alpha)^(n+1)) / alpha) B_n].
TEST(Dotm, ForecastsByItsFormula) {
  const std::vector<double> y = noisy_trend(30);
  const d::DotmFit f = d::fit_dotm(y);
  ASSERT_TRUE(f.ok);
  std::vector<double> mean, sd;
  d::dotm_forecast(f, 6, mean, sd);
  const double a = f.alpha, n = 30;
  for (int h = 1; h <= 6; ++h) {
    const d::DotmState& s = f.state;
    const double expected =
        s.level + (1 - 1 / f.theta) * (std::pow(1 - a, n) * s.a + ((h - 1) + (1 - std::pow(1 - a, n + 1)) / a) * s.b);
    EXPECT_NEAR(mean[static_cast<std::size_t>(h - 1)], expected, 1e-9);
  }
  for (std::size_t j = 1; j < sd.size(); ++j) EXPECT_GT(sd[j], sd[j - 1]);
  // A rising line is forecast to keep rising.
  EXPECT_GT(mean.back(), mean.front());
  EXPECT_GT(mean.front(), y.back() - 10);
}

TEST(Dotm, PathEndsWhereTheForecastStarts) {
  const std::vector<double> z = noisy_trend(36);
  const d::DotmFit fit = d::fit_dotm(z);
  ASSERT_TRUE(fit.ok);
  std::vector<double> longer = z;
  longer.push_back(0.0);
  const std::vector<double> path = d::dotm_path(fit, longer, 5, 3);
  std::vector<double> mean, sd;
  d::dotm_forecast(fit, 5, mean, sd);
  const std::size_t last = (longer.size() - 2 - 3) * 5;
  for (std::size_t j = 0; j < 5; ++j) EXPECT_NEAR(path[last + j], mean[j], 1e-9);
}

TEST(Dotm, WarmStartedRefitFindsTheSameFitAndShortSeriesAreRefused) {
  const std::vector<double> y = noisy_trend(50);
  const d::DotmFit cold = d::fit_dotm(y);
  const d::DotmFit warm = d::fit_dotm(y, &cold.u);
  ASSERT_TRUE(warm.ok);
  EXPECT_NEAR(warm.sigma2, cold.sigma2, 1e-6 * cold.sigma2);
  EXPECT_FALSE(d::fit_dotm({1, 2, 3, 4}).ok);
  EXPECT_FALSE(d::fit_dotm({0, 0, 0, 0, 0, 0}).ok);  // no scale to search on
}

// ---- ARIMA ------------------------------------------------------------------------------------

/** x_t = c + phi x_{t-1} + e_t + theta e_{t-1}, from x_0 = its mean, unit noise. */
std::vector<double> arma11(std::size_t n, double c, double phi, double theta, unsigned long long seed) {
  std::vector<double> x(n);
  Rng rng{seed};
  double prev = c / (1 - phi), e_prev = 0;
  for (std::size_t t = 0; t < n; ++t) {
    const double e = rng.normal();
    x[t] = c + phi * prev + e + theta * e_prev;
    prev = x[t];
    e_prev = e;
  }
  return x;
}

std::vector<double> cumulative(std::vector<double> x) {
  for (std::size_t t = 1; t < x.size(); ++t) x[t] += x[t - 1];
  return x;
}

// KPSS decides the differences: none for a stationary series, one for a random walk, two for its sum.
TEST(Arima, DifferencesAsTheStationarityTestSays) {
  const std::vector<double> noise = arma11(300, 5, 0.3, 0, 21);
  EXPECT_EQ(d::fit_arima(noise).d, 0);
  const std::vector<double> walk = cumulative(arma11(300, 0, 0.0, 0, 22));
  EXPECT_EQ(d::fit_arima(walk).d, 1);
  const std::vector<double> twice = cumulative(cumulative(arma11(300, 0, 0.3, 0, 23)));
  EXPECT_EQ(d::fit_arima(twice).d, 2);
}

// An AR(1) with phi 0.7 around 10 (c = 3): the order and coefficient are found, its forecasts decay
// to the mean, and its spread is sigma sqrt(1 + phi^2 + ... + phi^(2(h-1))).
TEST(Arima, RecoversAnAutoregression) {
  const std::vector<double> x = arma11(2000, 3, 0.7, 0, 5);
  const d::ArimaFit f = d::fit_arima(x);
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.d, 0);
  EXPECT_EQ(f.p, 1) << f.q;
  EXPECT_EQ(f.q, 0);
  EXPECT_TRUE(f.constant);
  EXPECT_NEAR(f.phi[0], 0.7, 0.05);
  EXPECT_NEAR(f.c / (1 - f.phi[0]), 10, 0.3);
  EXPECT_NEAR(f.sigma2, 1.0, 0.1);
  std::vector<double> mean, sd;
  d::arima_forecast(f, 40, mean, sd);
  EXPECT_NEAR(mean.back(), f.c / (1 - f.phi[0]), 1e-3);
  EXPECT_NEAR(mean[0], f.c + f.phi[0] * x.back(), 1e-9);
  double s = 0;
  for (std::size_t j = 0; j < 5; ++j) {
    s += std::pow(f.phi[0], 2.0 * static_cast<double>(j));
    EXPECT_NEAR(sd[j], std::sqrt(f.sigma2 * s), 1e-9);
  }
}

TEST(Arima, RecoversAMovingAverage) {
  const d::ArimaFit f = d::fit_arima(arma11(3000, 2, 0.0, 0.6, 9));
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.d, 0);
  ASSERT_EQ(f.q, 1) << f.p;
  EXPECT_NEAR(f.theta[0] + (f.p ? f.phi[0] : 0.0), 0.6, 0.08);
  // The forecast two steps on is the mean: an MA(1) remembers one surprise.
  std::vector<double> mean, sd;
  d::arima_forecast(f, 3, mean, sd);
  if (f.p == 0) {
    EXPECT_NEAR(mean[1], f.c, 1e-9);
  }
}

// A random walk with drift 0.5: differenced once, the drift kept and carried forward; the spread of a
// random walk grows as sqrt(h).
TEST(Arima, CarriesADriftAndIntegratesTheSpread) {
  const std::vector<double> x = cumulative(arma11(1500, 0.5, 0.0, 0, 31));
  const d::ArimaFit f = d::fit_arima(x);
  ASSERT_TRUE(f.ok);
  EXPECT_EQ(f.d, 1);
  EXPECT_TRUE(f.constant);
  EXPECT_EQ(f.p + f.q, 0) << f.p << f.q;
  EXPECT_NEAR(f.c, 0.5, 0.1);
  std::vector<double> mean, sd;
  d::arima_forecast(f, 9, mean, sd);
  for (std::size_t j = 0; j < mean.size(); ++j) {
    EXPECT_NEAR(mean[j], x.back() + f.c * static_cast<double>(j + 1), 1e-9);
    EXPECT_NEAR(sd[j], std::sqrt(f.sigma2 * static_cast<double>(j + 1)), 1e-9);
  }
}

TEST(Arima, PathEndsWhereTheForecastStartsAndARefitKeepsTheModel) {
  for (const std::vector<double>& z : {arma11(120, 3, 0.6, 0.3, 41), cumulative(arma11(120, 0.2, 0.5, 0, 42)),
                                       cumulative(cumulative(arma11(120, 0, 0.4, 0, 43)))}) {
    const d::ArimaFit fit = d::fit_arima(z);
    ASSERT_TRUE(fit.ok);
    std::vector<double> longer = z;
    longer.push_back(0.0);
    const std::vector<double> path = d::arima_path(fit, longer, 6, 3);
    std::vector<double> mean, sd;
    d::arima_forecast(fit, 6, mean, sd);
    const std::size_t last = (longer.size() - 2 - 3) * 6;
    for (std::size_t j = 0; j < 6; ++j) EXPECT_NEAR(path[last + j], mean[j], 1e-9 * (1 + std::fabs(mean[j])));
    const std::vector<double> shorter(z.begin(), z.end() - 10), order = fit.order();
    const d::ArimaFit refit = d::fit_arima(shorter, &order);
    ASSERT_TRUE(refit.ok);
    EXPECT_EQ(refit.order(), order);
  }
}

TEST(Arima, RefusesShortSeries) { EXPECT_FALSE(d::fit_arima({1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}).ok); }

// ---- the combination ------------------------------------------------------------------------------

d::Member member(const std::string& name, double mean, double sd, double weight) {
  d::Member m{name, std::vector<double>(3, mean), std::vector<double>(3, sd)};
  m.weight = weight;
  return m;
}

// The mixture of two members: mean 10 and 14, sd 1 each, weights 3/4 and 1/4: mean 11, variance
// 0.75 (1 + 1) + 0.25 (1 + 9) = 4. Members that agree keep their spread.
TEST(Combination, WeighsTheMeansAndMixesTheSpreads) {
  fc::ModelInfo info;
  const d::Member c = d::combine({member("A", 10, 1, 0.75), member("B", 14, 1, 0.25)}, 3, info);
  for (std::size_t j = 0; j < 3; ++j) {
    EXPECT_DOUBLE_EQ(c.mean[j], 11.0);
    EXPECT_DOUBLE_EQ(c.sd[j], 2.0);
  }
  EXPECT_EQ(info.name, "Weighted mean of A, B");
  ASSERT_EQ(info.parameters.size(), 2u);
  EXPECT_EQ(info.parameters[0].first, "member_weight A");
  EXPECT_DOUBLE_EQ(info.parameters[1].second, 0.25);

  fc::ModelInfo same;
  const d::Member agree = d::combine({member("A", 5, 2, 0.5), member("B", 5, 2, 0.5)}, 3, same);
  EXPECT_DOUBLE_EQ(agree.sd[0], 2.0);
  // A member without a weight: the members weigh the same, and the name says it is a plain mean.
  fc::ModelInfo equal;
  const d::Member plain = d::combine({member("A", 10, 1, 0.9), member("B", 14, 1, 0)}, 3, equal);
  EXPECT_DOUBLE_EQ(plain.mean[0], 12.0);
  EXPECT_DOUBLE_EQ(plain.sd[0], std::sqrt(5.0));
  EXPECT_EQ(equal.name, "Mean of A, B");
}

// The member whose in-sample paths forecast y exactly outweighs one that is 10% off everywhere; the
// weights are the inverse errors, summing to 1; without paths they stay unmeasured (0).
TEST(Combination, WeighsTheMembersByTheirInSampleErrors) {
  const std::size_t n = 30, h = 4, first = 2;
  std::vector<double> y(n);
  for (std::size_t t = 0; t < n; ++t) y[t] = 100 + static_cast<double>(t);
  auto with_path = [&](double factor) {
    d::Member m{"M", std::vector<double>(h, 0.0), std::vector<double>(h, 1.0)};
    m.first = first;
    m.path.resize((n - 1 - first) * h);
    for (std::size_t t = first; t + 1 < n; ++t)
      for (std::size_t j = 0; j < h; ++j) m.path[(t - first) * h + j] = factor * (100 + static_cast<double>(t + 1 + j));
    return m;
  };
  std::vector<d::Member> members{with_path(1.0 + 1e-9), with_path(1.1)};
  d::weigh_members(y, d::unadjusted(y, 1), members);
  EXPECT_GT(members[0].weight, 0.999);
  EXPECT_NEAR(members[0].weight + members[1].weight, 1.0, 1e-12);
  // Two members 10% and 20% off: half the error, twice the weight.
  std::vector<d::Member> two{with_path(1.1), with_path(0.8)};
  d::weigh_members(y, d::unadjusted(y, 1), two);
  const double e1 = 0.1 / 2.1, e2 = 0.2 / 1.8;  // |y - f| / (|y| + |f|) at every point
  EXPECT_NEAR(two[0].weight, (1 / e1) / (1 / e1 + 1 / e2), 1e-9);

  std::vector<d::Member> pathless{member("A", 1, 1, 0), member("B", 2, 1, 0)};
  d::weigh_members(y, d::unadjusted(y, 1), pathless);
  EXPECT_EQ(pathless[0].weight, 0.0);
  EXPECT_EQ(pathless[1].weight, 0.0);
}

}  // namespace
