// The ML Predictions routes' declarations: /predict/metric, /analyze/pattern and /predict/bulk.
// Their examples are computed lazily by openapi.cpp from the example requests, so building the
// catalog forecasts nothing and the order of declaration does not matter.
#include "../catalog_builders.hpp"
#include "routes_internal.hpp"

namespace pmkpi::detail {
namespace {

using namespace fc_routes;

// ---- declarations ------------------------------------------------------------------------------

// The longest seasonal cycle accepted: a year of daily data (a period of 10,000 on 1M points took 20 s).
constexpr int kMaxSeasonalPeriod = 366;

FieldSpec stamps_field(const char* description, Json example = nullptr) {
  return Field::of("timestamps", FieldType::StringList, description)
      .label("Dates")
      .optional()
      .items(0, kMaxPoints)
      .example(std::move(example));
}
FieldSpec periods_field() {
  return Field::integer("periods_ahead", "How many periods to forecast (1-365)")
      .label("Periods to forecast")
      .ge(1)
      .le(365)
      .default_to(3)
      .example(3);
}
FieldSpec season_field() {
  return Field::integer("seasonal_period",
                        "Seasonal period in steps (12 for monthly data with a yearly cycle); "
                        "default: from the timestamps, else detected")
      .label("Season length (periods)")
      .ge(1)
      .le(kMaxSeasonalPeriod)
      .optional();
}

/** `schema` with its title set (each route's response schema is named after the route). */
Json titled(Json schema, const char* title) {
  schema["title"] = title;
  return schema;
}

Json monthly_stamps_example() {
  return {"2024-01-01T00:00:00", "2024-02-01T00:00:00", "2024-03-01T00:00:00", "2024-04-01T00:00:00",
          "2024-05-01T00:00:00", "2024-06-01T00:00:00", "2024-07-01T00:00:00"};
}

RouteSpec predict_metric_route() {
  return Route::analysis("predict-metric", CategoryId::Predictions, predict_metric)
      .name("Predict Metric")
      .listing_key("predict")
      .title("Metric Prediction")
      .description(
          "Forecasts a metric with 80% and 95% prediction intervals: exponential smoothing models weighted by "
          "AICc (with their own multiplicative or additive season when a seasonal pattern is significant), the "
          "Theta method, the dynamic optimised Theta model and complex exponential smoothing on seasonally adjusted "
          "data, averaged. The confidence level comes from a rolling-origin backtest on the series "
          "itself. Forecasts of catalog metrics stay in their range (a percentage in [0, 100], an amount "
          "non-negative).")
      .metric_name("Predict Metric")
      .fields({
          Field::text("metric_name", "Metric name; a catalog name (churn_rate, mrr, nps, ...) bounds the forecasts")
              .label("Metric name")
              .example("churn_rate"),
          Field(Field::of("historical_values", FieldType::NumberList,
                          "The metric's past values, oldest first (3 to 1,000,000)")
                    .label("Past values")
                    .items(3, kMaxPoints)
                    .example(Json::array({5.0, 4.8, 4.5, 4.3, 4.0, 3.8, 3.5}))),
          stamps_field("ISO 8601 time of each value, increasing (optional; sets the seasonal period and "
                       "forecast_timestamps)",
                       monthly_stamps_example()),
          periods_field(),
          season_field(),
      })
      .response_schema(titled(prediction_schema(), "PredictMetricResponse"));
  ;
}

RouteSpec analyze_pattern_route() {
  return Route::analysis("analyze-pattern", CategoryId::Predictions, analyze_pattern)
      .name("Pattern Analysis")
      .listing_key("analyze")
      .title("Pattern Analysis")
      .description(
          "Trend (Mann-Kendall test and Sen's slope, independent of the metric's scale), volatility, "
          "seasonality (period, strength, test), change points (PELT segmentation), anomalies (robust "
          "z-scores) and growth figures of a metric's history.")
      .metric_name("Pattern Analysis")
      .fields({
          Field::text("metric_name", "Metric name").label("Metric name").example("mrr"),
          Field(Field::of("historical_values", FieldType::NumberList,
                          "The metric's past values, oldest first (3 to 1,000,000)")
                    .label("Past values")
                    .items(3, kMaxPoints)
                    .example(Json::array({45000, 48000, 51000, 54000, 57000, 60000}))),
          stamps_field("ISO 8601 time of each value, increasing (optional; sets the seasonal period and "
                       "dates the change points and anomalies)"),
          season_field(),
      })
      .response_schema(titled(pattern_schema(), "AnalyzePatternResponse"));
  ;
}

RouteSpec predict_bulk_route() {
  return Route::analysis("predict-bulk", CategoryId::Predictions, predict_bulk)
      .name("Bulk Prediction")
      .listing_key("bulk")
      .title("Predict Several Metrics")
      .description(
          "Forecasts up to 100 metrics at once (shared timestamps): one /predict/metric result per metric, "
          "or that metric's error.")
      .metric_name("Bulk Prediction")
      .fields({
          Field(Field::of("data", FieldType::NumberListMap,
                          "Metric name to its past values, oldest first (3 to 1,000,000 each; a shorter "
                          "series is reported as that metric's error)")
                    .label("Series by metric")
                    .items(0, kMaxPoints)
                    .example(Json{{"mrr", {45000, 48000, 51000, 54000, 57000, 60000}},
                                  {"churn_rate", {5.0, 4.8, 4.5, 4.3, 4.0, 3.5}}})),
          stamps_field("ISO 8601 time of each value, shared by every metric (optional)"),
          periods_field(),
          season_field(),
      })
      .response_schema(titled(bulk_schema(), "PredictBulkResponse"));
  ;
}

}  // namespace

void add_analysis_routes(std::vector<RouteSpec>& out) {
  out.push_back(predict_metric_route());
  out.push_back(analyze_pattern_route());
  out.push_back(predict_bulk_route());
}

}  // namespace pmkpi::detail
