// The forecasting engine and POST /predict/metric, /predict/bulk.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
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

Json post(const std::string& path, const Json& body, int expected_status = 200) {
  const pmkpi::Response r = pmkpi::handle("POST", path, body.dump());
  EXPECT_EQ(r.status, expected_status) << r.body;
  return Json::parse(r.body);
}

std::vector<double> numbers(const Json& a) { return a.get<std::vector<double>>(); }

/** Deterministic noise in [-1, 1]. */
struct Noise {
  unsigned long long s = 12345;
  double operator()() {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(s >> 11) / 4503599627370496.0 - 1.0;
  }
};

void expect_nested_intervals(const Json& r) {
  const auto p = numbers(r["predictions"]), l80 = numbers(r["lower_80"]), u80 = numbers(r["upper_80"]),
             l95 = numbers(r["lower_95"]), u95 = numbers(r["upper_95"]);
  ASSERT_EQ(p.size(), l80.size());
  for (std::size_t j = 0; j < p.size(); ++j) {
    EXPECT_LE(l95[j], l80[j]);
    EXPECT_LE(l80[j], p[j]);
    EXPECT_LE(p[j], u80[j]);
    EXPECT_LE(u80[j], u95[j]);
  }
}

TEST(PredictMetric, SpecChurnExampleKeepsFalling) {
  const Json r = post("/predict/metric", {{"metric_name", "churn_rate"},
                                          {"historical_values", {5.0, 4.8, 4.5, 4.3, 4.0, 3.8, 3.5}},
                                          {"periods_ahead", 3}});
  for (const char* key : {"metric_name", "current_value", "predictions", "confidence_level", "trend", "volatility",
                          "insights", "lower_80", "upper_80", "lower_95", "upper_95", "model", "backtest"})
    EXPECT_TRUE(r.contains(key)) << key;
  EXPECT_EQ(r["current_value"], 3.5);
  const auto p = numbers(r["predictions"]);
  ASSERT_EQ(p.size(), 3u);
  EXPECT_LT(p[0], 3.5);
  EXPECT_LT(p[1], p[0]);
  EXPECT_LT(p[2], p[1]);
  EXPECT_EQ(r["trend"], "decreasing");
  expect_nested_intervals(r);
  // A lower churn is better for this catalog metric.
  EXPECT_EQ(r["insights"][1], "🚀 Predictions show continued improvement");
  EXPECT_EQ(r["domain"]["lower"], 0.0);
  EXPECT_EQ(r["domain"]["upper"], 100.0);
  ASSERT_TRUE(r["backtest"].is_object());
  EXPECT_GE(r["backtest"]["origins"].get<int>(), 1);
}

TEST(PredictMetric, TimestampsGiveForecastTimestampsAndPeriod) {
  Json stamps = Json::array();
  std::vector<double> values;
  for (int i = 0; i < 48; ++i) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%04d-%02d-01T00:00:00Z", 2020 + i / 12, 1 + i % 12);
    stamps.push_back(buf);
    values.push_back(100 + i + 20 * std::sin(2 * M_PI * i / 12.0));
  }
  const Json r =
      post("/predict/metric",
           {{"metric_name", "signups"}, {"historical_values", values}, {"timestamps", stamps}, {"periods_ahead", 14}});
  EXPECT_EQ(r["frequency"], "monthly");
  EXPECT_EQ(r["seasonal_period"], 12);
  ASSERT_EQ(r["forecast_timestamps"].size(), 14u);
  EXPECT_EQ(r["forecast_timestamps"][0], "2024-01-01T00:00:00Z");
  EXPECT_EQ(r["forecast_timestamps"][13], "2025-02-01T00:00:00Z");
  // A positive seasonal series: ETS(M,*,M) smooths the season, the other members see it taken out.
  EXPECT_EQ(r["model"]["seasonal_adjustment"], "ets");
  EXPECT_NE(r["model"]["selected_ets"].get<std::string>().find(",M)"), std::string::npos) << r["model"]["selected_ets"];
  EXPECT_NE(r["model"]["name"].get<std::string>().find("multiplicatively deseasonalised"), std::string::npos);
}

TEST(PredictMetric, TimestampErrorsAre422WithTheirIndex) {
  const Json values = {1, 2, 3, 4};
  Json r = post(
      "/predict/metric",
      {{"metric_name", "x"}, {"historical_values", values}, {"timestamps", {"2024-01-01", "2024-01-02", "2024-01-03"}}},
      422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "timestamps"}));
  EXPECT_EQ(r["detail"][0]["type"], "value_error");
  r = post("/predict/metric",
           {{"metric_name", "x"},
            {"historical_values", values},
            {"timestamps", {"2024-01-01", "2024-13-02", "2024-01-03", "2024-01-04"}}},
           422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "timestamps", 1}));
  EXPECT_EQ(r["detail"][0]["input"], "2024-13-02");
  r = post("/predict/metric",
           {{"metric_name", "x"},
            {"historical_values", values},
            {"timestamps", {"2024-01-01", "2024-01-03", "2024-01-02", "2024-01-04"}}},
           422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "timestamps", 2}));
}

TEST(PredictMetric, FieldValidation) {
  Json r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {1, 2}}}, 422);
  EXPECT_EQ(r["detail"][0]["type"], "too_short");
  r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {1, 2, 3}}, {"periods_ahead", 366}}, 422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "periods_ahead"}));
  r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {1, 2, 3}}, {"periods_ahead", 0}}, 422);
  r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {1, "NaN", 3}}}, 422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "historical_values", 1}));
  const pmkpi::Response raw =
      pmkpi::handle("POST", "/predict/metric", R"({"metric_name":"x","historical_values":[1, Infinity, 3]})");
  EXPECT_EQ(raw.status, 422);
  r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {1, 2, 3}}});
  EXPECT_EQ(r["predictions"].size(), 3u);  // periods_ahead defaults to 3
}

TEST(PredictMetric, ThreePointsConstantZerosAndNegatives) {
  Json r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {10, 12, 14}}});
  EXPECT_EQ(r["model"]["method"], "drift");
  EXPECT_EQ(numbers(r["predictions"]), std::vector<double>({16, 18, 20}));
  expect_nested_intervals(r);

  r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {7, 7, 7, 7, 7, 7, 7, 7}}});
  EXPECT_EQ(numbers(r["predictions"]), std::vector<double>({7, 7, 7}));
  EXPECT_EQ(numbers(r["lower_95"]), std::vector<double>({7, 7, 7}));
  EXPECT_EQ(r["trend"], "stable");

  r = post("/predict/metric", {{"metric_name", "profit"},
                               {"historical_values", {0, -5, 3, 0, -2, 4, 0, -1, 2, 0, -3, 5}},
                               {"periods_ahead", 6}});
  for (double v : numbers(r["predictions"])) EXPECT_TRUE(std::isfinite(v));
  expect_nested_intervals(r);
}

TEST(PredictMetric, DomainOfTheCatalogMetricIsRespected) {
  // A steep fall towards zero: a percentage must not go negative, an unknown metric may.
  const Json values = {30, 25, 20, 15, 10, 6, 3, 1};
  Json r =
      post("/predict/metric", {{"metric_name", "churn_rate"}, {"historical_values", values}, {"periods_ahead", 12}});
  for (const char* k : {"predictions", "lower_80", "lower_95", "upper_95"})
    for (double v : numbers(r[k])) {
      EXPECT_GE(v, 0.0) << k;
      EXPECT_LE(v, 100.0) << k;
    }
  r = post("/predict/metric",
           {{"metric_name", "temperature_delta"}, {"historical_values", values}, {"periods_ahead", 12}});
  EXPECT_LT(numbers(r["lower_95"]).back(), 0.0);
  EXPECT_TRUE(r["domain"]["lower"].is_null());
  r = post("/predict/metric",
           {{"metric_name", "nps"}, {"historical_values", {60, 70, 80, 88, 95, 99}}, {"periods_ahead", 12}});
  for (double v : numbers(r["upper_95"])) EXPECT_LE(v, 100.0);
}

TEST(PredictMetric, ExtremeMagnitudesAre400AndTinyOnesKeepTheirDigits) {
  Json r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {1, 1e308, 3}}}, 400);
  EXPECT_NE(r["detail"].get<std::string>().find("value 1"), std::string::npos);
  r = post("/analyze/pattern", {{"metric_name", "x"}, {"historical_values", {1, -1e200, 3}}}, 400);
  r = post("/predict/metric", {{"metric_name", "x"}, {"historical_values", {2e-5, 2e-5, 2e-5, 2e-5}}});
  EXPECT_EQ(numbers(r["predictions"]), std::vector<double>({2e-5, 2e-5, 2e-5}));
}

TEST(Forecast, SeasonalSeriesIsDetectedAndForecast) {
  // Ten years of a multiplicative monthly pattern on a trend; the period is found from the values.
  std::vector<double> y;
  Noise noise;
  for (int t = 0; t < 132; ++t)
    y.push_back((200 + 2.0 * t) * (1 + 0.3 * std::sin(2 * M_PI * t / 12)) * (1 + 0.01 * noise()));
  const std::vector<double> history(y.begin(), y.begin() + 120), future(y.begin() + 120, y.end());
  fc::ForecastOptions o;
  o.horizon = 12;
  const fc::Forecast f = fc::forecast(history, o);
  EXPECT_EQ(f.seasonal_period, 12);
  EXPECT_TRUE(f.seasonal);
  EXPECT_LT(fc::smape(future, f.mean), 4.0);
}

TEST(Forecast, AdditiveSeasonalityAcrossZeroUsesSeasonalEts) {
  // A profit-like series crossing zero: multiplicative adjustment is impossible, so seasonal ETS
  // models carry the season, and Theta runs on the additively adjusted series.
  std::vector<double> y;
  Noise noise;
  for (int t = 0; t < 132; ++t) y.push_back(0.1 * t - 5 + 10 * std::sin(2 * M_PI * t / 12) + 0.5 * noise());
  const std::vector<double> history(y.begin(), y.begin() + 120), future(y.begin() + 120, y.end());
  fc::ForecastOptions o;
  o.horizon = 12;
  o.seasonal_period = 12;
  const fc::Forecast f = fc::forecast(history, o);
  EXPECT_EQ(f.model.seasonal_adjustment, fc::SeasonalAdjustment::Ets);
  EXPECT_EQ(f.model.selected_ets.substr(f.model.selected_ets.size() - 3), ",A)");
  double mae = 0;
  for (std::size_t j = 0; j < future.size(); ++j) mae += std::fabs(future[j] - f.mean[j]) / future.size();
  EXPECT_LT(mae, 1.5);  // against a seasonal swing of +-10
}

TEST(Forecast, TrendIsExtrapolated) {
  std::vector<double> y;
  Noise noise;
  for (int t = 0; t < 60; ++t) y.push_back(1000 + 25.0 * t + 5 * noise());
  fc::ForecastOptions o;
  o.horizon = 10;
  const fc::Forecast f = fc::forecast(y, o);
  // 1000 + 25 * 69 = 2725 at the last step: within a few percent.
  EXPECT_NEAR(f.mean.back(), 2725, 0.03 * 2725);
  EXPECT_GT(f.mean.back(), f.mean.front());
}

TEST(Forecast, EveryPointOfTheIntervalsIsOrdered) {
  std::vector<double> y;
  Noise noise;
  for (int t = 0; t < 80; ++t) y.push_back(50 + 10 * noise());
  fc::ForecastOptions o;
  o.horizon = 24;
  const fc::Forecast f = fc::forecast(y, o);
  for (std::size_t j = 0; j < f.mean.size(); ++j) {
    EXPECT_LE(f.lower95[j], f.lower80[j]);
    EXPECT_LT(f.lower80[j], f.upper80[j]);
    EXPECT_LE(f.upper80[j], f.upper95[j]);
  }
  EXPECT_GT(f.upper95.back() - f.lower95.back(), f.upper95.front() - f.lower95.front());
}

TEST(Forecast, RejectsWhatItCannotForecast) {
  fc::ForecastOptions o;
  EXPECT_THROW(fc::forecast({1, 2}, o), std::invalid_argument);
  EXPECT_THROW(fc::forecast({1, NAN, 3}, o), std::invalid_argument);
}

TEST(Forecast, MillionPointsAreFittedOnARecentWindow) {
  std::vector<double> y(1000000);
  Noise noise;
  for (std::size_t t = 0; t < y.size(); ++t) y[t] = 500 + 0.001 * static_cast<double>(t) + noise();
  fc::ForecastOptions o;
  o.horizon = 5;
  const fc::Forecast f = fc::forecast(y, o);
  EXPECT_LT(f.model.fitted_points, y.size());
  EXPECT_NE(f.model.note.find("most recent"), std::string::npos);
  EXPECT_NEAR(f.mean[0], 1500, 5);
}

TEST(PredictMetric, MillionPointsThroughTheRoute) {
  std::vector<double> y(1000000);
  for (std::size_t t = 0; t < y.size(); ++t) y[t] = 100 + static_cast<double>(t % 7);
  const Json r = post("/predict/metric", {{"metric_name", "dau"}, {"historical_values", y}, {"periods_ahead", 7}});
  EXPECT_EQ(r["predictions"].size(), 7u);
  EXPECT_LT(r["model"]["fitted_points"].get<std::size_t>(), y.size());
}

TEST(PredictBulk, OneResultPerMetricAndErrorsPerMetric) {
  Json r = post(
      "/predict/bulk",
      {{"data", {{"mrr", {45000, 48000, 51000, 54000, 57000, 60000}}, {"churn_rate", {5.0, 4.8, 4.5, 4.3, 4.0, 3.5}}}},
       {"periods_ahead", 2}});
  EXPECT_EQ(r["count"], 2);
  EXPECT_EQ(r["failed"], 0);
  EXPECT_EQ(r["results"]["mrr"]["predictions"].size(), 2u);
  EXPECT_GT(r["results"]["mrr"]["predictions"][0].get<double>(), 60000);
  EXPECT_EQ(r["results"]["churn_rate"]["metric_name"], "churn_rate");

  r = post("/predict/bulk", {{"data", {{"a", {1, 2, 3, 4}}, {"b", {1, 2, 3}}}},
                             {"timestamps", {"2024-01-01", "2024-01-02", "2024-01-03", "2024-01-04"}}});
  EXPECT_EQ(r["failed"], 1);
  EXPECT_EQ(r["results"]["b"]["status"], 422);
  EXPECT_EQ(r["results"]["a"]["forecast_timestamps"][0], "2024-01-05");

  r = post("/predict/bulk", {{"data", Json::object()}}, 400);
  // A series too short to forecast is that metric's error; the others are still answered.
  r = post("/predict/bulk", {{"data", {{"a", {1, 2}}, {"b", {1, 2, 3, 4}}}}});
  EXPECT_EQ(r["failed"], 1);
  EXPECT_EQ(r["results"]["a"]["status"], 422);
  EXPECT_EQ(r["results"]["a"]["detail"][0]["type"], "too_short");
  EXPECT_EQ(r["results"]["a"]["detail"][0]["loc"], Json({"body", "data", "a"}));
  EXPECT_EQ(r["results"]["b"]["predictions"].size(), 3u);
  // Values that are not numbers still fail the whole request, at their place.
  r = post("/predict/bulk", {{"data", {{"a", {1, "x", 3}}}}}, 422);
  EXPECT_EQ(r["detail"][0]["loc"], Json({"body", "data", "a", 1}));
}

TEST(Metrics, SmapeAndMase) {
  EXPECT_DOUBLE_EQ(fc::smape({100, 100}, {100, 100}), 0.0);
  EXPECT_NEAR(fc::smape({100}, {50}), 200.0 * 50 / 150, 1e-12);
  // In-sample mean absolute lag-1 difference is 1: MASE equals the mean absolute error.
  EXPECT_DOUBLE_EQ(fc::mase({1, 2, 3, 4}, {5, 6}, {4, 8}, 1), 1.5);
}

TEST(OpenApi, AnalysisRoutesAreDocumented) {
  const Json doc = pmkpi::openapi_document();
  for (const char* path : {"/predict/metric", "/analyze/pattern", "/predict/bulk"}) {
    ASSERT_TRUE(doc["paths"].contains(path)) << path;
    const Json& ok = doc["paths"][path]["post"]["responses"]["200"]["content"]["application/json"];
    EXPECT_TRUE(ok.contains("example")) << path;
  }
  EXPECT_TRUE(doc["components"]["schemas"]["PredictMetricResponse"]["properties"].contains("lower_95"));
  const Json example =
      doc["paths"]["/predict/metric"]["post"]["responses"]["200"]["content"]["application/json"]["example"];
  EXPECT_EQ(example["metric_name"], "churn_rate");
  EXPECT_EQ(example["predictions"].size(), 3u);
}

}  // namespace

namespace {

// Issue 16: 36 months of a clear +-7% yearly cycle on a slow rise. The autocorrelation test alone
// misses it (0.66 within its 0.78 bound on three seasons); the period from the timestamps and the
// user's seasonal_period compete by AICc, win, and the forecast carries the cycle.
Json seasonal_36_months(bool give_period) {
  const auto [stamps, values] = seasonal_36_months_series();
  Json body = {
      {"metric_name", "revenue"}, {"historical_values", values}, {"timestamps", stamps}, {"periods_ahead", 12}};
  if (give_period) body["seasonal_period"] = 12;
  return body;
}

TEST(PredictMetric, ThirtySixMonthCycleIsFoundAndForecast) {
  for (bool give : {false, true}) {
    const Json r = post("/predict/metric", seasonal_36_months(give));
    EXPECT_EQ(r["seasonal_period"], 12) << give;
    EXPECT_NE(r["model"]["seasonal_adjustment"], "none");
    const auto p = numbers(r["predictions"]);
    ASSERT_EQ(p.size(), 12u);
    // The cycle peaks in December (t = 11 mod 12) and bottoms in June: the forecast does too.
    const auto peak = std::max_element(p.begin(), p.end()) - p.begin();
    const auto trough = std::min_element(p.begin(), p.end()) - p.begin();
    EXPECT_EQ(peak, 11);
    EXPECT_EQ(trough, 5);
    EXPECT_GT(p[11] / p[5], 1.12);  // +-7% around the level: 1.07 / 0.93 = 1.15 from trough to peak
    bool said = false;
    for (const auto& s : r["insights"]) said = said || s.get<std::string>().find("period 12") != std::string::npos;
    EXPECT_TRUE(said) << r["insights"].dump();
  }
}

TEST(Forecast, GivenPeriodThatLosesIsReportedNotDropped) {
  // White noise with a period given: the seasonal models compete, lose, and the note says so.
  Noise noise;
  std::vector<double> y;
  for (int t = 0; t < 40; ++t) y.push_back(100 + 10 * noise());
  fc::ForecastOptions o;
  o.horizon = 6;
  o.seasonal_period = 12;
  const fc::Forecast f = fc::forecast(y, o);
  EXPECT_FALSE(f.seasonal);
  EXPECT_NE(f.model.note.find("Seasonal period 12"), std::string::npos) << f.model.note;
}

}  // namespace

namespace {

// Issue 16 item 4: money, counts and durations are never forecast below zero, bounds included.
TEST(PredictMetric, FallingMrrNeverGoesBelowZero) {
  const Json values = {52000, 47500, 43100, 38200, 33900, 29400, 24800, 20300, 15900, 11200, 6800, 2400};
  for (const char* name : {"mrr", "MRR", "Mrr", "m-r-r", "arpu", "cac", "cltv", "cac_payback"}) {
    const Json r =
        post("/predict/metric", {{"metric_name", name}, {"historical_values", values}, {"periods_ahead", 6}});
    for (const char* k : {"predictions", "lower_80", "upper_80", "lower_95", "upper_95"})
      for (double v : numbers(r[k])) EXPECT_GE(v, 0.0) << name << " " << k;
    EXPECT_EQ(r["domain"]["lower"], 0.0) << name;
  }
  const Json mrr = post("/predict/metric", {{"metric_name", "MRR"}, {"historical_values", values}});
  EXPECT_EQ(mrr["domain"]["metric"], "mrr");
  EXPECT_EQ(mrr["domain"]["basis"], "unit currency: never below zero");
  // A name the catalog does not know is forecast unbounded, and the answer says so.
  const Json other = post("/predict/metric", {{"metric_name", "cash_delta"}, {"historical_values", values}});
  EXPECT_TRUE(other["domain"]["lower"].is_null());
  EXPECT_TRUE(other["domain"]["metric"].is_null());
  EXPECT_NE(other["domain"]["basis"].get<std::string>().find("no bound applied"), std::string::npos);
  EXPECT_LT(numbers(other["predictions"]).back(), 0.0);
  // A ratio may be negative (the magic number when net new ARR is): no unit bound
  const Json magic = post("/predict/metric", {{"metric_name", "magic_number"}, {"historical_values", values}});
  EXPECT_TRUE(magic["domain"]["lower"].is_null()) << magic["domain"].dump();
}

}  // namespace

namespace {

TEST(PredictMetric, ConstantSeriesHasNoFalseInsights) {
  for (double level : {1.1, 0.1, 250.0}) {
    const Json r =
        post("/predict/metric", {{"metric_name", "mrr"}, {"historical_values", std::vector<double>(24, level)}});
    EXPECT_EQ(r["trend"], "stable");
    for (double v : numbers(r["predictions"])) EXPECT_EQ(v, level);
    for (const auto& s : r["insights"]) {
      const std::string text = s.get<std::string>();
      EXPECT_EQ(text.find("Upward"), std::string::npos) << text;
      EXPECT_EQ(text.find("Downward"), std::string::npos) << text;
      EXPECT_EQ(text.find("Seasonality"), std::string::npos) << text;
    }
    EXPECT_EQ(r["insights"][1], "➖ Predictions stay at the current level");
  }
}

}  // namespace

namespace {

// Issue 16 item 5: the work of a bulk request is bounded: 100 metrics share a budget of fitted
// points (the most recent ones of each series), and each answer says how many it was fitted on.
TEST(PredictBulk, HundredMetricsAreFittedOnARecentWindowAndSaySo) {
  Json data = Json::object();
  for (int k = 0; k < 100; ++k) {
    std::vector<double> v;
    for (int t = 0; t < 1000; ++t) v.push_back(100 + k + 0.1 * t + 5 * std::sin(t / 3.0));
    data["m" + std::to_string(k)] = v;
  }
  const Json r = post("/predict/bulk", {{"data", data}, {"periods_ahead", 30}});
  EXPECT_EQ(r["failed"], 0);
  for (const auto& [name, one] : r["results"].items()) {
    const int fitted = one["model"]["fitted_points"].get<int>();
    EXPECT_LE(fitted, 200) << name;  // 20,000 points over 100 metrics (a whole number of seasons when seasonal)
    EXPECT_GE(fitted, 120) << name;
    const std::string said = "most recent " + std::to_string(fitted) + " of 1000 points";
    EXPECT_NE(one["model"]["note"].get<std::string>().find(said), std::string::npos) << one["model"]["note"];
    EXPECT_EQ(one["predictions"].size(), 30u);
  }
  // One metric alone keeps the full window.
  const Json single = post("/predict/bulk", {{"data", {{"m0", data["m0"]}}}, {"periods_ahead", 30}});
  EXPECT_EQ(single["results"]["m0"]["model"]["fitted_points"], 1000);
}

}  // namespace
