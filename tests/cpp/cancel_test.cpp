// Cooperative cancellation (ApiOptions::cancelled): a caller that no longer wants the answer stops
// the computation at its next check, and handle() answers 503; without a check nothing changes.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/json.hpp"

namespace {

using pmkpi::Json;

std::string series_body(int points) {
  Json values = Json::array();
  for (int i = 0; i < points; ++i) values.push_back(100 + 10 * std::sin(i / 5.0) + (i % 7));
  return Json{{"metric_name", "mrr"}, {"historical_values", values}, {"periods_ahead", 12}}.dump();
}

TEST(Cancellation, ACancelledForecastAnswers503AtItsFirstModelFit) {
  int asked = 0;
  pmkpi::ApiOptions o;
  o.cancelled = [&] { return ++asked > 0; };
  const auto r = pmkpi::handle("POST", "/predict/metric", series_body(200), o);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(Json::parse(r.body)["detail"], "The request was cancelled before its answer was computed.");
  EXPECT_EQ(asked, 1);  // stopped at the first check: no model was fitted
}

TEST(Cancellation, ACallerThatLeavesMidwayStopsTheRemainingFits) {
  // Not cancelled for the first three fits, then cancelled: the answer is a 503, not a forecast.
  int asked = 0;
  pmkpi::ApiOptions o;
  o.cancelled = [&] { return ++asked > 3; };
  const auto r = pmkpi::handle("POST", "/predict/metric", series_body(200), o);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(asked, 4);
}

TEST(Cancellation, AnUncancelledCallIsAskedAndAnswersAsWithoutTheCheck) {
  int asked = 0;
  pmkpi::ApiOptions o;
  o.cancelled = [&] { return ++asked < 0; };
  const auto with_check = pmkpi::handle("POST", "/predict/metric", series_body(200), o);
  const auto without = pmkpi::handle("POST", "/predict/metric", series_body(200));
  ASSERT_EQ(with_check.status, 200);
  EXPECT_GT(asked, 3);  // once per model fit, the backtest's included
  EXPECT_EQ(Json::parse(with_check.body), Json::parse(without.body));
}

TEST(Cancellation, RecordsStopEvery65536Rows) {
  std::string csv = "user_id,timestamp,event\n";
  for (int i = 0; i < 70000; ++i) csv += "u" + std::to_string(i % 500) + ",2026-03-01T10:00:00Z,view\n";
  int asked = 0;
  pmkpi::ApiOptions o;
  o.cancelled = [&] { return ++asked > 0; };
  const auto r = pmkpi::handle("POST", "/records/events", "text/csv", csv, o);
  EXPECT_EQ(r.status, 503);
  EXPECT_EQ(asked, 1);
  // Fewer rows than one check's stride: never asked, answered.
  int small_asked = 0;
  o.cancelled = [&] { return ++small_asked > 0; };
  const auto small = pmkpi::handle("POST", "/records/events", "text/csv", csv.substr(0, 1000), o);
  EXPECT_EQ(small.status, 200);
  EXPECT_EQ(small_asked, 0);
}

TEST(Cancellation, TheCheckIsOnlyInForceDuringItsCall) {
  pmkpi::ApiOptions o;
  o.cancelled = [] { return true; };
  EXPECT_EQ(pmkpi::handle("POST", "/predict/metric", series_body(50), o).status, 503);
  EXPECT_EQ(pmkpi::handle("POST", "/predict/metric", series_body(50)).status, 200);
}

}  // namespace
