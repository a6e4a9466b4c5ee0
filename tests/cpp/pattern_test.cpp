// Pattern analysis: the engine and POST /analyze/pattern.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pmkpi/api.hpp"
#include "pmkpi/forecast.hpp"
#include "pmkpi/json.hpp"
#include "test_support.hpp"

namespace {

using pmkpi::Json;
using pmkpi::testing::seasonal_36_months_series;
namespace fc = pmkpi::forecast;

Json analyse(const Json& body, int expected_status = 200) {
  const pmkpi::Response r = pmkpi::handle("POST", "/analyze/pattern", body.dump());
  EXPECT_EQ(r.status, expected_status) << r.body;
  return Json::parse(r.body);
}

struct Noise {
  unsigned long long s = 987654321;
  double operator()() {  // in [-1, 1]
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 4503599627370496.0 - 1.0;
  }
};

TEST(AnalyzePattern, SpecMrrExample) {
  const Json r = analyse({{"metric_name", "mrr"}, {"historical_values", {45000, 48000, 51000, 54000, 57000, 60000}}});
  for (const char* key : {"metric_name", "trend", "slope", "volatility_level", "volatility_value", "seasonality",
                          "average", "recent_average", "insights"})
    EXPECT_TRUE(r.contains(key)) << key;
  EXPECT_EQ(r["slope"].get<double>(), 3000.0);
  EXPECT_EQ(r["average"].get<double>(), 52500.0);
  EXPECT_EQ(r["recent_average"].get<double>(), 57000.0);
  EXPECT_EQ(r["trend"], "increasing");
  EXPECT_EQ(r["volatility_level"], "low");
  // population standard deviation over the mean, rounded to 4 decimals
  EXPECT_EQ(r["volatility_value"].get<double>(), 0.0976);
  EXPECT_EQ(r["trend_test"]["sen_slope"].get<double>(), 3000.0);
  EXPECT_TRUE(r["trend_test"]["significant"].get<bool>());
  EXPECT_EQ(r["insights"][2], "🔥 Recent performance is above historical average");
}

TEST(AnalyzePattern, TrendDoesNotDependOnTheScale) {
  // Noise around a level: stable whether the metric is in the millions or in the thousandths.
  Noise noise;
  std::vector<double> base;
  for (int t = 0; t < 60; ++t) base.push_back(noise());
  for (double scale : {1e-3, 1.0, 1e6}) {
    std::vector<double> y;
    for (double v : base) y.push_back(scale * (10 + v));
    const fc::Pattern p = fc::analyze_pattern(y, {});
    EXPECT_EQ(p.trend, "stable") << scale;
  }
  // and a slight but consistent rise is found at any scale
  for (double scale : {1e-3, 1e6}) {
    std::vector<double> y;
    for (int t = 0; t < 60; ++t) y.push_back(scale * (10 + 0.05 * t + 0.2 * base[static_cast<std::size_t>(t)]));
    EXPECT_EQ(fc::analyze_pattern(y, {}).trend, "increasing") << scale;
  }
}

TEST(Pattern, MannKendallMatchesTheDefinitionWithTies) {
  const std::vector<double> y = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9};
  double s = 0;
  for (std::size_t i = 0; i < y.size(); ++i)
    for (std::size_t j = i + 1; j < y.size(); ++j) s += (y[j] > y[i]) - (y[j] < y[i]);
  const fc::Pattern p = fc::analyze_pattern(y, {});
  EXPECT_EQ(p.mk_s, s);
  EXPECT_GT(p.mk_p_value, 0.0);
  EXPECT_LT(p.mk_p_value, 1.0);
}

TEST(Pattern, SensSlopeRecoversTheTrend) {
  Noise noise;
  std::vector<double> y;
  for (int t = 0; t < 200; ++t) y.push_back(50 - 0.75 * t + 3 * noise());
  const fc::Pattern p = fc::analyze_pattern(y, {});
  EXPECT_NEAR(p.sen_slope, -0.75, 0.03);
  EXPECT_EQ(p.trend, "decreasing");
  EXPECT_TRUE(p.sen_exact);
  // a long series uses sampled pairs and still finds it
  std::vector<double> big;
  for (int t = 0; t < 20000; ++t) big.push_back(50 - 0.75 * t + 3 * noise());
  const fc::Pattern q = fc::analyze_pattern(big, {});
  EXPECT_FALSE(q.sen_exact);
  EXPECT_NEAR(q.sen_slope, -0.75, 0.001);
}

TEST(Pattern, SeasonalPeriodAndStrengthAreFound) {
  Noise noise;
  std::vector<double> y;
  for (int t = 0; t < 140; ++t) y.push_back(100 + 0.2 * t + 15 * std::sin(2 * M_PI * t / 7) + 2 * noise());
  const fc::Pattern p = fc::analyze_pattern(y, {});
  EXPECT_EQ(p.seasonal_period, 7);
  EXPECT_TRUE(p.seasonal_detected);
  EXPECT_GT(p.seasonal_strength, 0.8);
  EXPECT_EQ(p.seasonality_source, "detected");
  const Json r = analyse({{"metric_name", "dau"}, {"historical_values", y}});
  EXPECT_EQ(r["seasonality"].get<std::string>().rfind("Detected: period 7", 0), 0u) << r["seasonality"];

  // Monthly period from the timestamps
  std::vector<double> m;
  Json stamps = Json::array();
  for (int t = 0; t < 48; ++t) {
    m.push_back(50 + 10 * std::cos(2 * M_PI * t / 12) + noise());
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-01", 2020 + t / 12, 1 + t % 12);
    stamps.push_back(buf);
  }
  const Json rm = analyse({{"metric_name", "revenue"}, {"historical_values", m}, {"timestamps", stamps}});
  EXPECT_EQ(rm["frequency"], "monthly");
  EXPECT_EQ(rm["seasonality_details"]["period"], 12);
  EXPECT_EQ(rm["seasonality_details"]["source"], "given");
  EXPECT_TRUE(rm["seasonality_details"]["detected"].get<bool>());

  // No seasonality in noise
  std::vector<double> flat;
  for (int t = 0; t < 100; ++t) flat.push_back(10 + noise());
  EXPECT_FALSE(fc::analyze_pattern(flat, {}).seasonal_detected);
}

TEST(Pattern, StepChangeIsFoundWhereItWasMade) {
  Noise noise;
  std::vector<double> y;
  for (int t = 0; t < 120; ++t) y.push_back((t < 70 ? 20 : 35) + noise());
  const fc::Pattern p = fc::analyze_pattern(y, {});
  ASSERT_EQ(p.change_points.size(), 1u);
  EXPECT_NEAR(static_cast<double>(p.change_points[0].index), 70, 1);
  EXPECT_NEAR(p.change_points[0].mean_before, 20, 1.5);
  EXPECT_NEAR(p.change_points[0].mean_after, 35, 1.5);
  // With timestamps the change point is dated.
  Json stamps = Json::array();
  for (int t = 0; t < 120; ++t) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "2024-%02d-%02d", 1 + t / 28, 1 + t % 28);
    stamps.push_back(buf);
  }
  const Json r = analyse({{"metric_name", "x"}, {"historical_values", y}, {"timestamps", stamps}});
  ASSERT_EQ(r["change_points"].size(), 1u);
  const std::size_t at = r["change_points"][0]["index"].get<std::size_t>();
  EXPECT_EQ(r["change_points"][0]["timestamp"], stamps[at]);
  // A straight trend is not a change.
  std::vector<double> line;
  for (int t = 0; t < 120; ++t) line.push_back(3.0 * t + noise());
  EXPECT_TRUE(fc::analyze_pattern(line, {}).change_points.empty());
}

TEST(Pattern, PlantedOutlierIsFlagged) {
  Noise noise;
  std::vector<double> y;
  for (int t = 0; t < 80; ++t) y.push_back(100 + 0.5 * t + noise());
  y[41] += 25;
  const fc::Pattern p = fc::analyze_pattern(y, {});
  ASSERT_EQ(p.anomalies.size(), 1u);
  EXPECT_EQ(p.anomalies[0].index, 41u);
  EXPECT_GT(p.anomalies[0].z_score, 3.5);
  EXPECT_NEAR(p.anomalies[0].expected, 100 + 0.5 * 41, 2);
}

TEST(Pattern, ConstantZerosNegativesAndThreePoints) {
  const Json c = analyse({{"metric_name", "x"}, {"historical_values", {4, 4, 4, 4, 4, 4, 4, 4, 4, 4}}});
  EXPECT_EQ(c["trend"], "stable");
  EXPECT_EQ(c["slope"].get<double>(), 0.0);
  EXPECT_EQ(c["volatility_value"].get<double>(), 0.0);
  EXPECT_EQ(c["anomalies"].size(), 0u);
  EXPECT_EQ(c["change_points"].size(), 0u);

  const Json z = analyse({{"metric_name", "x"}, {"historical_values", {0, -3, 2, 0, -1, 3, -2, 0}}});
  EXPECT_TRUE(z["volatility_value"].is_number());
  EXPECT_TRUE(z["growth"]["compound_growth_percent"].is_null());

  const Json three = analyse({{"metric_name", "x"}, {"historical_values", {1, 2, 3}}});
  EXPECT_EQ(three["slope"].get<double>(), 1.0);
  EXPECT_EQ(three["trend"], "stable");  // three points cannot make a trend significant
  EXPECT_EQ(three["growth"]["total_change"].get<double>(), 2.0);
}

TEST(AnalyzePattern, RejectsBadInput) {
  Json r = analyse({{"metric_name", "x"}, {"historical_values", {1, 2}}}, 422);
  r = analyse({{"metric_name", "x"}, {"historical_values", {1, 2, 3}}, {"timestamps", {"2024-01-01"}}}, 422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "timestamps"}));
  const pmkpi::Response raw =
      pmkpi::handle("POST", "/analyze/pattern", R"({"metric_name":"x","historical_values":[1, NaN, 3]})");
  EXPECT_EQ(raw.status, 422);
  r = analyse({{"metric_name", "x"}, {"historical_values", {1, "Infinity", 3}}}, 422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "historical_values", 1}));
}

TEST(Pattern, HundredThousandAndAMillionPoints) {
  Noise noise;
  std::vector<double> y(100000);
  for (std::size_t t = 0; t < y.size(); ++t)
    y[t] = 1000 + 0.01 * static_cast<double>(t) + 50 * std::sin(2 * M_PI * static_cast<double>(t) / 7) +
           (t >= 60000 ? 200 : 0) + 10 * noise();
  const fc::Pattern p = fc::analyze_pattern(y, {});
  EXPECT_EQ(p.seasonal_period, 7);
  EXPECT_EQ(p.trend, "increasing");
  bool found = false;
  for (const auto& c : p.change_points) found = found || (c.index >= 59980 && c.index <= 60020);
  EXPECT_TRUE(found);

  std::vector<double> big(1000000);
  for (std::size_t t = 0; t < big.size(); ++t) big[t] = 5 + noise();
  const Json r = analyse({{"metric_name", "x"}, {"historical_values", big}});
  EXPECT_EQ(r["n_points"], 1000000);
  EXPECT_EQ(r["trend"], "stable");
}

}  // namespace

TEST(AnalyzePattern, TrendInsightKnowsWhenLowerIsBetter) {
  const Json falling = {5.0, 4.8, 4.5, 4.3, 4.0, 3.8, 3.5};
  const pmkpi::Response churn = pmkpi::handle(
      "POST", "/analyze/pattern", Json{{"metric_name", "churn_rate"}, {"historical_values", falling}}.dump());
  const std::string churn_insight = Json::parse(churn.body)["insights"][0].get<std::string>();
  EXPECT_EQ(churn_insight.find("✅ Improving trend: Metric is falling"), 0u) << churn_insight;
  const pmkpi::Response other = pmkpi::handle("POST", "/analyze/pattern",
                                              Json{{"metric_name", "signups"}, {"historical_values", falling}}.dump());
  const std::string other_insight = Json::parse(other.body)["insights"][0].get<std::string>();
  EXPECT_EQ(other_insight.find("⚠️ Negative trend: Metric is declining"), 0u) << other_insight;
  const Json rising = {3.5, 3.8, 4.0, 4.3, 4.5, 4.8, 5.0};
  const pmkpi::Response bounce = pmkpi::handle(
      "POST", "/analyze/pattern", Json{{"metric_name", "bounce_rate"}, {"historical_values", rising}}.dump());
  EXPECT_EQ(Json::parse(bounce.body)["insights"][0].get<std::string>().find("⚠️ Worsening trend"), 0u);
}

namespace {

// Issue 13 item 2: `average` and `slope` are the reference's binary values (numpy's pairwise mean,
// scikit-learn's LinearRegression), so that they round as the reference's do at 2- and 4-decimal ties.
TEST(AnalyzePattern, AverageAndSlopeRoundAsTheReferenceAtTies) {
  const Json a = analyse({{"metric_name", "x"}, {"historical_values", {1.0, 1.2, 1.0, 1.0, 1.0, 1.2, 1.0, 0.8}}});
  EXPECT_EQ(a["average"], 1.02);  // one-by-one summation gives 1.0250000000000001 and 1.03
  const Json s = analyse({{"metric_name", "x"}, {"historical_values", {0, 0, 0.0091}}});
  EXPECT_EQ(s["slope"], 0.0045);  // sum(dx * dy) / sum(dx^2) gives 0.00455 and 0.0046
}

TEST(Pattern, MeansAndSlopeAreBitExactWithNumpyAndLapack) {
  // Expected values from Debian's python3-numpy 1.24 and python3-scipy 1.10 (scikit-learn's
  // LinearRegression centres x and y with np.mean and solves with scipy.linalg.lstsq), made by:
  //   /usr/bin/python3 -c "import numpy as np; from scipy.linalg import lstsq
  //   for n in (5, 8, 13, 130, 300):
  //     y = np.array([round(((i * 7919) % 101) / 10.0 + 0.1 * i, 1) for i in range(n)])
  //     x = np.arange(float(n)); xc = x - x.mean(); yc = y - y.mean()
  //     print(n, repr(y.mean()), repr(y[-3:].mean()), repr(lstsq(xc.reshape(-1, 1), yc)[0][0]))"
  struct Case {
    int n;
    double mean, recent, slope;
  };
  const Case cases[] = {{5, 4.36, 5.866666666666667, 1.1700000000000002},
                        {8, 4.6, 5.0, 0.5928571428571427},
                        {13, 5.0, 5.8, 0.31538461538461515},
                        {130, 11.407692307692308, 19.133333333333333, 0.1021272992939956},
                        {300, 19.947333333333333, 36.233333333333334, 0.10063378481983144}};
  for (const auto& c : cases) {
    std::vector<double> y;
    for (int i = 0; i < c.n; ++i) {
      const double raw = ((i * 7919) % 101) / 10.0 + 0.1 * i;
      y.push_back(std::round(raw * 10.0) / 10.0);
    }
    const fc::Pattern p = fc::analyze_pattern(y, {});
    EXPECT_EQ(p.average, c.mean) << c.n;
    EXPECT_EQ(p.recent_average, c.recent) << c.n;
    EXPECT_EQ(p.ols_slope, c.slope) << c.n;
  }
}

}  // namespace

namespace {

// Issue 16 item 6: every insight sentence is true of the data.
TEST(AnalyzePattern, ConstantSeriesHasNoFalseInsights) {
  for (double level : {1.1, 0.1, 1234.567, -3.3}) {
    const Json r = analyse({{"metric_name", "x"}, {"historical_values", std::vector<double>(30, level)}});
    for (const auto& s : r["insights"]) {
      const std::string text = s.get<std::string>();
      EXPECT_EQ(text.find("Recent performance"), std::string::npos) << level << ": " << text;
      EXPECT_EQ(text.find("change point"), std::string::npos) << level << ": " << text;
      EXPECT_EQ(text.find("anomal"), std::string::npos) << level << ": " << text;
    }
    EXPECT_EQ(r["change_point_count"], 0) << level;
    EXPECT_EQ(r["anomaly_count"], 0) << level;
    EXPECT_EQ(r["trend"], "stable");
  }
}

TEST(AnalyzePattern, NoChangePointBetweenEqualLevelsAndAStepIsNoAnomaly) {
  std::vector<double> y(8, 1.1);
  y.insert(y.end(), 8, 1.1);
  Json r = analyse({{"metric_name", "x"}, {"historical_values", y}});
  EXPECT_EQ(r["change_point_count"], 0);
  std::vector<double> step(8, 5.0);
  step.insert(step.end(), 8, 9.0);
  r = analyse({{"metric_name", "x"}, {"historical_values", step}});
  ASSERT_EQ(r["change_point_count"], 1);
  EXPECT_EQ(r["change_points"][0]["index"], 8);
  EXPECT_EQ(r["anomaly_count"], 0) << r["anomalies"].dump();  // the shift is the change point, not 4 outliers
  for (const auto& cp : r["change_points"]) EXPECT_NE(cp["level_before"], cp["level_after"]);
}

TEST(AnalyzePattern, ThreeSeasonsOfAClearCycleAreSeasonalWithoutAnomalies) {
  const auto [stamps, values] = seasonal_36_months_series();
  const Json r = analyse({{"metric_name", "revenue"}, {"historical_values", values}, {"timestamps", stamps}});
  EXPECT_TRUE(r["seasonality_details"]["detected"].get<bool>()) << r["seasonality"];
  EXPECT_EQ(r["seasonality_details"]["period"], 12);
  EXPECT_EQ(r["anomaly_count"], 0) << r["anomalies"].dump();  // the December peaks are the cycle
}

}  // namespace
