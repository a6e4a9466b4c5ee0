// Issue 16 item 6: a forecast explains itself: each prediction taken apart into level, trend, season
// and bound, and how it was made in plain words.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "pmkpi/api.hpp"
#include "pmkpi/json.hpp"
#include "test_support.hpp"

namespace {

using pmkpi::Json;

Json predict(const Json& body) {
  const pmkpi::Response r = pmkpi::handle("POST", "/predict/metric", body.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  return Json::parse(r.body);
}

std::vector<double> numbers(const Json& a) { return a.get<std::vector<double>>(); }

/** level + trend + season + bound is the prediction (each rounded to 4 places). */
void expect_components_add_up(const Json& r) {
  const auto p = numbers(r["predictions"]);
  const Json& c = r["components"];
  for (const char* k : {"level", "trend", "season", "bound"}) ASSERT_EQ(c[k].size(), p.size()) << k;
  for (std::size_t j = 0; j < p.size(); ++j) {
    const double sum = c["level"][j].get<double>() + c["trend"][j].get<double>() + c["season"][j].get<double>() +
                       c["bound"][j].get<double>();
    EXPECT_NEAR(sum, p[j], 5e-4 * std::max(1.0, std::fabs(p[j]))) << j;
  }
}

bool says(const Json& r, const std::string& words) {
  return r["model"]["explanation"].get<std::string>().find(words) != std::string::npos;
}

// The 36-month +-7% cycle from the values alone (no period, no timestamps): found, forecast, and its
// season component peaks in December and bottoms in June.
TEST(ForecastExplains, SeasonFromTheValuesAloneIsAComponent) {
  const auto series = pmkpi::testing::seasonal_36_months_series();
  const Json r = predict({{"metric_name", "revenue"}, {"historical_values", series.values}, {"periods_ahead", 12}});
  EXPECT_EQ(r["seasonal_period"], 12);
  expect_components_add_up(r);
  const auto season = numbers(r["components"]["season"]);
  EXPECT_EQ(std::max_element(season.begin(), season.end()) - season.begin(), 11);
  EXPECT_EQ(std::min_element(season.begin(), season.end()) - season.begin(), 5);
  const auto level = numbers(r["components"]["level"]);
  EXPECT_TRUE(std::all_of(level.begin(), level.end(), [&](double v) { return v == level[0]; }));
  EXPECT_TRUE(says(r, "A pattern repeating every 12 periods")) << r["model"]["explanation"];
  EXPECT_TRUE(says(r,
                   "The forecast is the weighted average of five methods, each weighted by how closely it forecast "
                   "the series' own past (ETS "));
  EXPECT_TRUE(says(r, "%, Theta ")) << r["model"]["explanation"];
  EXPECT_TRUE(says(r, "%, ARIMA ")) << r["model"]["explanation"];
  EXPECT_TRUE(says(r, "%). The first is exponential smoothing"));
  EXPECT_TRUE(says(r, "The second is the Theta method"));
  EXPECT_TRUE(says(r, "The third is the dynamic optimised Theta model (DOTM)"));
  EXPECT_TRUE(says(r, "The fourth is complex exponential smoothing (CES)"));
  EXPECT_TRUE(says(r, "The fifth is an automatic ARIMA model, ARIMA("));
  // A positive series: the ETS models smooth a season in proportion to the level themselves.
  EXPECT_EQ(r["model"]["seasonal_adjustment"], "ets");
  EXPECT_TRUE(says(r, "its own seasonal pattern in proportion to the level"));
  EXPECT_TRUE(
      says(r, "is forecast by the ETS models themselves; the other methods ran on the series with it taken out"));
}

// A falling MRR: the trend takes the forecast below zero, the bound brings it back, and both show.
TEST(ForecastExplains, TheBoundIsWhatTheRangeChanged) {
  const Json r = predict({{"metric_name", "mrr"},
                          {"historical_values", {52000, 47500, 43100, 38200, 33900, 29400, 24800, 20300, 15900, 11200}},
                          {"periods_ahead", 6}});
  expect_components_add_up(r);
  const auto p = numbers(r["predictions"]), bound = numbers(r["components"]["bound"]);
  EXPECT_EQ(p.back(), 0.0);
  EXPECT_GT(bound.back(), 0.0);  // the unbounded forecast was below zero
  EXPECT_EQ(bound.front(), 0.0);
  for (double v : numbers(r["components"]["season"])) EXPECT_EQ(v, 0.0);
  for (double v : numbers(r["components"]["trend"])) EXPECT_LT(v, 0.0);
}

TEST(ForecastExplains, ConstantAndShortSeriesSayWhatWasDone) {
  const Json constant = predict({{"metric_name", "nps"}, {"historical_values", std::vector<double>(12, 42.0)}});
  expect_components_add_up(constant);
  EXPECT_TRUE(says(constant, "Every value is the same")) << constant["model"]["explanation"];
  for (double v : numbers(constant["components"]["trend"])) EXPECT_EQ(v, 0.0);
  for (double v : numbers(constant["components"]["level"])) EXPECT_EQ(v, 42.0);

  const Json shortest = predict({{"metric_name", "mrr"}, {"historical_values", {100, 110, 125}}, {"periods_ahead", 2}});
  expect_components_add_up(shortest);
  EXPECT_TRUE(says(shortest, "too few points")) << shortest["model"]["explanation"];
  EXPECT_EQ(numbers(shortest["components"]["level"])[0], 125.0);
}

// The intervals' calibration is stated with its factors, which are those in model.parameters.
TEST(ForecastExplains, IntervalCalibrationIsStated) {
  std::vector<double> y;
  for (int t = 0; t < 48; ++t) y.push_back(1000 + 15 * t + 40 * std::sin(t * 1.3) + (t % 7) * 9);
  const Json r = predict({{"metric_name", "active_users"}, {"historical_values", y}, {"periods_ahead", 8}});
  expect_components_add_up(r);
  const Json& params = r["model"]["parameters"];
  ASSERT_TRUE(params.contains("interval_scale_80")) << params.dump();
  const double wide80 = params["interval_scale_in_sample"].get<double>() * params["interval_scale_80"].get<double>();
  EXPECT_TRUE(says(r, "the 80% range " + pmkpi::plain(wide80, 2))) << r["model"]["explanation"];
  // The model's parameters: its ETS fit's smoothing weights and initial states, and a season's
  // m - 1 indices (the t % 7 term makes one, found at 7 or a multiple).
  const double fitted = params["fitted_parameters"].get<double>();
  ASSERT_TRUE(r["seasonal_period"].is_number()) << r["model"]["explanation"];
  EXPECT_GE(fitted, 2 + r["seasonal_period"].get<double>() - 1);
  EXPECT_TRUE(says(r, "the larger errors expected out of sample of a model with " + pmkpi::plain(fitted, 0) +
                          " parameters fitted on 48 points"))
      << r["model"]["explanation"];
  // Every value positive: log-normal ranges, and the words say what that means.
  EXPECT_EQ(r["model"]["interval_shape"], "log_normal");
  EXPECT_TRUE(says(r, "each range reaches further above the forecast than below it")) << r["model"]["explanation"];
  const auto p = numbers(r["predictions"]);
  EXPECT_GT(r["upper_95"].back().get<double>() - p.back(), p.back() - r["lower_95"].back().get<double>());

  // A net-change metric that goes below zero: symmetric ranges, and no such words.
  for (double& v : y) v -= 1400;
  const Json centred = predict({{"metric_name", "net_new_mrr"}, {"historical_values", y}, {"periods_ahead", 8}});
  EXPECT_EQ(centred["model"]["interval_shape"], "symmetric");
  EXPECT_FALSE(says(centred, "further above")) << centred["model"]["explanation"];
}

// Seasonal ETS of period 220 on 660 points would cost 5 s of CPU for one 35 KB request (a period
// found in the values, or given): it is not fitted, and the note says why.
TEST(ForecastExplains, ALongPeriodOnAShortHistoryIsNotFittedAndSaysWhy) {
  std::vector<double> y;
  for (int t = 0; t < 660; ++t) y.push_back(100 + 10 * std::sin(t / 5.0) + (t % 7) + t % 11 + 0.01 * t);
  const Json r =
      predict({{"metric_name", "mrr"}, {"historical_values", y}, {"periods_ahead", 30}, {"seasonal_period", 220}});
  EXPECT_NE(r["model"]["note"].get<std::string>().find("cost too much"), std::string::npos) << r["model"]["note"];
  EXPECT_TRUE(r["seasonal_period"].is_null());
  expect_components_add_up(r);
}

}  // namespace
