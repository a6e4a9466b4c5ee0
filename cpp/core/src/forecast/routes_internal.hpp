#pragma once
// Shared pieces of the ML Predictions routes (internal to the core). One file per job:
// requests.cpp parses and validates, insights.cpp writes the sentences, prediction_response.cpp and
// pattern_response.cpp build the bodies next to their schemas, routes.cpp declares the routes.

#include <optional>
#include <string>
#include <vector>

#include "pmkpi/catalog.hpp"
#include "pmkpi/forecast.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::detail::fc_routes {

namespace fc = pmkpi::forecast;

constexpr std::size_t kMaxPoints = 1000000;
constexpr std::size_t kMaxBulkMetrics = 100;
constexpr std::size_t kMaxListed = 100;  // change points and anomalies listed in a response
constexpr int kBacktestOrigins = 3;
constexpr std::size_t kFitWindow = 4000;        // points fitted of a long series (the most recent ones)
constexpr std::size_t kBulkFitBudget = 20000;   // points fitted across one /predict/bulk request
constexpr std::size_t kMinBulkFitWindow = 120;  // ... but never fewer than this per metric

// ---- requests.cpp ------------------------------------------------------------------------------

Json error_422(Json loc, std::string msg, const Json& input);
RouteOutcome unprocessable(Json entries);
RouteOutcome bad_request(std::string sentence);
/** A 400 sentence when a value is beyond ±1e100 (its square overflows), else nothing. */
std::optional<std::string> too_large(const std::vector<double>& values, const std::string& what);

/** Parsed timestamps, or the 422 entries that reject them. */
struct Stamps {
  std::vector<fc::Timestamp> list;
  fc::Frequency frequency;
  Json errors = Json::array();
  bool given = false;
};
Stamps parse_stamps(const Json& raw);
Json count_mismatch(const Json& stamps, std::size_t values, const Json& loc_values);

/** One series to forecast, validated but for the model's own limits. */
struct Request {
  std::string metric_name;
  std::vector<double> values;
  const Stamps* stamps = nullptr;
  int periods = 3;
  int seasonal_period = 0;
  std::size_t fit_window = kFitWindow;  // smaller in bulk requests, so that their work stays bounded
};

RouteOutcome predict_metric(const Args& a);
RouteOutcome analyze_pattern(const Args& a);
RouteOutcome predict_bulk(const Args& a);

// ---- shared by the responses -------------------------------------------------------------------

double r4(double v);
double r2(double v);
/** 4 decimals, or 6 significant digits for magnitudes below 0.01 (so that small metrics do not vanish). */
double r4s(double v);
/** A figure for a sentence: with thousands separators from 1,000, else up to 4 decimals. */
std::string figure(double v);
std::string volatility_level(double v);
/** Whether lower values are better for a catalog KPI (nothing for a KPI without bands that is not lower-is-better). */
std::optional<bool> lower_is_better(const RouteSpec* r);

// ---- insights.cpp ------------------------------------------------------------------------------

Json forecast_insights(const Request& rq, const fc::Forecast& f, const fc::Pattern& p, const RouteSpec* known,
                       const fc::ForecastOptions& o, const std::string& domain_basis);
Json pattern_insights(const fc::Pattern& p, bool lower_better);
std::string seasonality_sentence(const fc::Pattern& p);

// ---- prediction_response.cpp / pattern_response.cpp ---------------------------------------------

/** One forecast answer; the caller has validated everything but the model's own limits. */
RouteOutcome predict_one(const Request& rq);
Json prediction_schema();
Json bulk_schema();

RouteOutcome pattern_answer(const std::string& name, const std::vector<double>& values, const Stamps& stamps,
                            const Json& raw_stamps, const fc::PatternOptions& po);
Json pattern_schema();

}  // namespace pmkpi::detail::fc_routes
