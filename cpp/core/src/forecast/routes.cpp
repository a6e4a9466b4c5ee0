// The ML Predictions routes: /predict/metric, /analyze/pattern and /predict/bulk.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <stdexcept>

#include "../catalog_builders.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::detail {
namespace {

namespace fc = pmkpi::forecast;

constexpr std::size_t kMaxPoints = 1000000;
constexpr std::size_t kMaxBulkMetrics = 100;
constexpr std::size_t kMaxListed = 100;  // change points and anomalies listed in a response
constexpr int kBacktestOrigins = 3;

Json error_422(Json loc, std::string msg, const Json& input) {
  return Json{{"type", "value_error"}, {"loc", std::move(loc)}, {"msg", "Value error, " + msg}, {"input", input}};
}

RouteOutcome unprocessable(Json entries) { return {422, Json{{"detail", std::move(entries)}}}; }
RouteOutcome bad_request(std::string sentence) { return {400, Json{{"detail", std::move(sentence)}}}; }

double r4(double v) { return round_to(v, 4); }
double r2(double v) { return round_to(v, 2); }
/** 4 decimals, or 6 significant digits for magnitudes below 0.01 (so that small metrics do not vanish). */
double r4s(double v) {
  if (v == 0 || std::fabs(v) >= 0.01) return round_to(v, 4);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}
Json rounded(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(r4s(x));
  return a;
}

// Squares of larger values overflow double precision in variances and likelihoods.
constexpr double kMaxMagnitude = 1e100;

std::optional<std::string> too_large(const std::vector<double>& values, const std::string& what) {
  for (std::size_t i = 0; i < values.size(); ++i)
    if (std::fabs(values[i]) > kMaxMagnitude) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "%.6g", values[i]);
      return "Values beyond ±1e100 cannot be " + what + " (their squares overflow double precision): value " +
             std::to_string(i) + " is " + buf + ".";
    }
  return std::nullopt;
}
Json optional_number(const std::optional<double>& v, int decimals) {
  return v && std::isfinite(*v) ? Json(round_to(*v, decimals)) : Json(nullptr);
}

/** Parsed timestamps, or the 422 entries that reject them. */
struct Stamps {
  std::vector<fc::Timestamp> list;
  fc::Frequency frequency;
  Json errors = Json::array();
  bool given = false;
};

Stamps parse_stamps(const Json& raw) {
  Stamps s;
  if (raw.is_null()) return s;
  s.given = true;
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const std::string text = raw[i].get<std::string>();
    const auto t = fc::parse_timestamp(text);
    if (!t) {
      if (s.errors.size() < 10)
        s.errors.push_back(error_422(Json::array({"body", "timestamps", i}),
                                     "timestamp is not an ISO 8601 date or date-time (e.g. 2024-01-31 or "
                                     "2024-01-31T00:00:00Z)",
                                     raw[i]));
      continue;
    }
    if (!s.list.empty() && s.errors.empty() && t->epoch_seconds <= s.list.back().epoch_seconds) {
      s.errors.push_back(error_422(Json::array({"body", "timestamps", i}),
                                   "timestamps must be strictly increasing; this one is not after the previous one",
                                   raw[i]));
    }
    s.list.push_back(*t);
  }
  if (s.errors.empty()) s.frequency = fc::infer_frequency(s.list);
  return s;
}

Json count_mismatch(const Json& stamps, std::size_t values, const Json& loc_values) {
  return error_422(Json::array({"body", "timestamps"}),
                   "timestamps must have one entry per value: got " + std::to_string(stamps.size()) +
                       " timestamps for " + std::to_string(values) + " values" +
                       (loc_values.is_string() ? " of " + loc_values.get<std::string>() : ""),
                   stamps);
}

/** Whether lower values are better for a catalog metric (its best band is a "below" band). */
std::optional<bool> lower_is_better(const RouteSpec* r) {
  if (!r || r->bands.empty()) return std::nullopt;
  const BandOp op = r->bands.front().op;
  if (op == BandOp::Lt || op == BandOp::Le) return true;
  if (op == BandOp::Gt || op == BandOp::Ge) return false;
  return std::nullopt;
}

std::string volatility_level(double v) { return v > 0.3 ? "high" : v > 0.1 ? "medium" : "low"; }

std::string figure(double v) {
  if (std::fabs(v) >= 1000) return with_commas(v, 2);
  return plain(v, 4);
}

std::string confidence_from(const fc::Backtest& b) {
  if (b.origins == 0) return "low";
  if (b.smape < 10 && b.smape <= b.naive_smape) return "high";  // accurate, and no worse than the last value
  if (b.smape < 25) return "medium";
  return "low";
}

struct Request {
  std::string metric_name;
  std::vector<double> values;
  const Stamps* stamps = nullptr;
  int periods = 3;
  int seasonal_period = 0;
};

Json model_json(const fc::Forecast& f) {
  Json params = Json::object();
  for (const auto& [k, v] : f.model.parameters) params[k] = round_to(v, 6);
  return Json{{"name", f.model.name},
              {"method", f.model.method},
              {"members", f.model.members},
              {"selected_ets", f.model.selected_ets.empty() ? Json(nullptr) : Json(f.model.selected_ets)},
              {"parameters", params},
              {"seasonal_adjustment", f.model.seasonal_adjustment.empty() ? "none" : f.model.seasonal_adjustment},
              {"fitted_points", f.model.fitted_points},
              {"note", f.model.note.empty() ? Json(nullptr) : Json(f.model.note)}};
}

// While the catalog is being built (to compute the documented examples), the KPI routes declared so
// far are searched directly: find_route_by_name would re-enter the catalog's initialisation.
const std::vector<RouteSpec>* g_catalog_in_construction = nullptr;

const RouteSpec* catalog_metric(const std::string& name) {
  if (!g_catalog_in_construction) return find_route_by_name(name);
  return match_metric_name(*g_catalog_in_construction, name);
}

/** One forecast answer; the caller has validated everything but the model's own limits. */
RouteOutcome predict_one(const Request& rq) {
  const RouteSpec* known = catalog_metric(rq.metric_name);
  fc::ForecastOptions o;
  o.horizon = rq.periods;
  o.seasonal_period = rq.seasonal_period;
  if (o.seasonal_period == 0 && rq.stamps && rq.stamps->given) o.seasonal_period = rq.stamps->frequency.seasonal_period;
  o.backtest_origins = kBacktestOrigins;
  if (known) o.domain = fc::domain_of(std::string(domain_name(known->value_domain)));
  if (auto sentence = too_large(rq.values, "forecast")) return bad_request(*sentence);
  fc::Forecast f;
  fc::Pattern p;
  try {
    f = fc::forecast(rq.values, o);
    fc::PatternOptions po;
    po.seasonal_period = f.seasonal_period > 1 ? f.seasonal_period : 0;
    p = fc::analyze_pattern(rq.values, po);
  } catch (const std::invalid_argument& e) {
    return bad_request(std::string("Cannot forecast this series: ") + e.what() + ".");
  }
  const double current = rq.values.back();
  Json insights = Json::array();
  if (p.trend == "decreasing")
    insights.push_back("📉 Downward trend detected with slope " + plain(p.ols_slope, 4) + " (Mann-Kendall p = " +
                       plain(p.mk_p_value, 4) + ", Sen's slope " + figure(p.sen_slope) + " per period)");
  else if (p.trend == "increasing")
    insights.push_back("📈 Upward trend detected with slope " + plain(p.ols_slope, 4) + " (Mann-Kendall p = " +
                       plain(p.mk_p_value, 4) + ", Sen's slope " + figure(p.sen_slope) + " per period)");
  else
    insights.push_back("➡️ No significant trend (Mann-Kendall p = " + plain(p.mk_p_value, 4) + ")");
  const double last_pred = f.mean.back();
  const double change = last_pred - current;
  const double tolerance = 1e-9 * std::max(1.0, std::fabs(current));
  const auto lower_better = lower_is_better(known);
  if (std::fabs(change) > tolerance) {
    const bool up = change > 0;
    if (lower_better)
      insights.push_back(up == !*lower_better ? "🚀 Predictions show continued improvement"
                                              : "⚠️ Predictions show a deterioration ahead");
    else
      insights.push_back(std::string(up ? "⬆️ Predictions rise" : "⬇️ Predictions fall") + " to " +
                         figure(last_pred) + " in " + std::to_string(rq.periods) + " period" +
                         (rq.periods == 1 ? "" : "s"));
  } else {
    insights.push_back("➖ Predictions stay at the current level");
  }
  if (f.seasonal)
    insights.push_back("🔁 Seasonality of period " + std::to_string(f.seasonal_period) + " detected and used");
  if (f.backtest.origins > 0)
    insights.push_back("🎯 Backtest over " + std::to_string(f.backtest.origins) + " origin" +
                       (f.backtest.origins == 1 ? "" : "s") + ", " + std::to_string(f.backtest.horizon) +
                       " ahead: sMAPE " + plain(f.backtest.smape, 2) +
                       "% (last value repeated: " + plain(f.backtest.naive_smape, 2) + "%)");
  else
    insights.push_back("ℹ️ Too little history to backtest the forecast: confidence is low");
  if (o.domain.lower || o.domain.upper)
    insights.push_back("🔒 Forecasts kept within the metric's range (" + std::string(domain_name(known->value_domain)) +
                       ")");
  if (!f.model.note.empty()) insights.push_back("ℹ️ " + f.model.note);

  Json body = Json::object();
  body["metric_name"] = rq.metric_name;
  body["current_value"] = current;
  body["predictions"] = rounded(f.mean);
  body["confidence_level"] = confidence_from(f.backtest);
  body["trend"] = p.trend;
  body["volatility"] = volatility_level(p.volatility_value);
  body["insights"] = insights;
  body["lower_80"] = rounded(f.lower80);
  body["upper_80"] = rounded(f.upper80);
  body["lower_95"] = rounded(f.lower95);
  body["upper_95"] = rounded(f.upper95);
  body["model"] = model_json(f);
  body["seasonal_period"] = f.seasonal ? Json(f.seasonal_period) : Json(nullptr);
  if (rq.stamps && rq.stamps->given) {
    body["frequency"] = rq.stamps->frequency.name;
    body["forecast_timestamps"] = fc::continue_timestamps(rq.stamps->list, rq.stamps->frequency, rq.periods);
  } else {
    body["frequency"] = nullptr;
    body["forecast_timestamps"] = nullptr;
  }
  if (f.backtest.origins > 0)
    body["backtest"] = {{"origins", f.backtest.origins},
                        {"horizon", f.backtest.horizon},
                        {"smape", r4(f.backtest.smape)},
                        {"mase", r4(f.backtest.mase)},
                        {"naive_smape", r4(f.backtest.naive_smape)}};
  else
    body["backtest"] = nullptr;
  body["domain"] = {{"lower", o.domain.lower ? Json(*o.domain.lower) : Json(nullptr)},
                    {"upper", o.domain.upper ? Json(*o.domain.upper) : Json(nullptr)}};
  return {200, std::move(body)};
}

std::vector<double> numbers(const Json& list) {
  std::vector<double> v;
  v.reserve(list.size());
  for (const auto& x : list) v.push_back(x.get<double>());
  return v;
}

RouteOutcome predict_metric(const Args& a) {
  Request rq;
  rq.metric_name = a.text("metric_name");
  rq.values = numbers(a.raw("historical_values"));
  rq.periods = static_cast<int>(a.integer("periods_ahead"));
  rq.seasonal_period = a.has("seasonal_period") ? static_cast<int>(a.integer("seasonal_period")) : 0;
  const Stamps stamps = parse_stamps(a.raw("timestamps"));
  if (stamps.given && stamps.list.size() + (stamps.errors.empty() ? 0 : 1) != rq.values.size() &&
      a.raw("timestamps").size() != rq.values.size())
    return unprocessable(Json::array({count_mismatch(a.raw("timestamps"), rq.values.size(), nullptr)}));
  if (!stamps.errors.empty()) return unprocessable(stamps.errors);
  rq.stamps = &stamps;
  return predict_one(rq);
}

std::string seasonality_sentence(const fc::Pattern& p) {
  if (p.n < 8) return "Not detected (need more data: at least 8 points)";
  if (p.seasonal_period > 1 && p.n < 3 * static_cast<std::size_t>(p.seasonal_period))
    return "Not tested (need at least 3 cycles: " + std::to_string(3 * p.seasonal_period) + " points for period " +
           std::to_string(p.seasonal_period) + ")";
  if (p.seasonal_detected)
    return "Detected: period " + std::to_string(p.seasonal_period) + " (strength " + plain(p.seasonal_strength, 2) +
           ", autocorrelation " + plain(p.seasonal_acf, 2) + ")";
  if (p.seasonal_period > 1)
    return "Not detected at period " + std::to_string(p.seasonal_period) + " (autocorrelation " +
           plain(p.seasonal_acf, 2) + " within the 90% bound " + plain(p.seasonal_threshold, 2) + ")";
  return "Not detected (no significant autocorrelation peak)";
}

RouteOutcome analyze_pattern(const Args& a) {
  const std::string name = a.text("metric_name");
  const std::vector<double> values = numbers(a.raw("historical_values"));
  const Stamps stamps = parse_stamps(a.raw("timestamps"));
  if (stamps.given && a.raw("timestamps").size() != values.size())
    return unprocessable(Json::array({count_mismatch(a.raw("timestamps"), values.size(), nullptr)}));
  if (!stamps.errors.empty()) return unprocessable(stamps.errors);
  fc::PatternOptions po;
  if (a.has("seasonal_period"))
    po.seasonal_period = static_cast<int>(a.integer("seasonal_period"));
  else if (stamps.given && stamps.frequency.seasonal_period > 1)
    po.seasonal_period = stamps.frequency.seasonal_period;
  if (auto sentence = too_large(values, "analysed")) return bad_request(*sentence);
  fc::Pattern p;
  try {
    p = fc::analyze_pattern(values, po);
  } catch (const std::invalid_argument& e) {
    return bad_request(std::string("Cannot analyse this series: ") + e.what() + ".");
  }
  auto stamp_at = [&](std::size_t i) -> Json {
    if (!stamps.given) return nullptr;
    return a.raw("timestamps")[i];
  };
  Json insights = Json::array();
  const std::string sen =
      figure(p.sen_slope) + " per period (" + plain(p.sen_slope_percent, 2) + "% of the mean level)";
  const std::string mk = ", Mann-Kendall p = " + plain(p.mk_p_value, 4);
  // For a catalog metric where lower is better (churn, bounce rate, CES, defect rate), falling is good news.
  const bool lower_better = lower_is_better(catalog_metric(name)).value_or(false);
  if (p.trend == "increasing")
    insights.push_back(lower_better ? "⚠️ Worsening trend: Metric is rising at " + sen + mk + " (lower is better)"
                                    : "✅ Positive trend: Metric is growing at " + sen + mk);
  else if (p.trend == "decreasing")
    insights.push_back(lower_better ? "✅ Improving trend: Metric is falling at " + sen + mk + " (lower is better)"
                                    : "⚠️ Negative trend: Metric is declining at " + sen + mk);
  else
    insights.push_back("➡️ Stable: no significant trend (Mann-Kendall p = " + plain(p.mk_p_value, 4) + ")");
  const std::string vol = volatility_level(p.volatility_value);
  insights.push_back(vol == "high"     ? "⚡ High volatility: Metric fluctuates significantly"
                     : vol == "medium" ? "📊 Medium volatility: Some fluctuation observed"
                                       : "📊 Low volatility: Metric is relatively stable");
  if (p.recent_average > p.average)
    insights.push_back("🔥 Recent performance is above historical average");
  else if (p.recent_average < p.average)
    insights.push_back("📉 Recent performance is below historical average");
  if (p.seasonal_detected)
    insights.push_back("🔁 Repeats every " + std::to_string(p.seasonal_period) + " periods (seasonal strength " +
                       plain(p.seasonal_strength, 2) + ")");
  if (!p.change_points.empty()) {
    const auto& c = p.change_points.back();
    insights.push_back("🔀 " + std::to_string(p.change_points.size()) + " change point" +
                       (p.change_points.size() == 1 ? "" : "s") + "; the latest at index " + std::to_string(c.index) +
                       ", from " + figure(c.mean_before) + " to " + figure(c.mean_after));
  }
  if (!p.anomalies.empty())
    insights.push_back("🚨 " + std::to_string(p.anomalies.size()) + " anomal" + (p.anomalies.size() == 1 ? "y" : "ies") +
                       " (robust z-score above 3.5)");
  if (p.compound_growth_percent)
    insights.push_back("📐 Compound growth of " + plain(*p.compound_growth_percent, 2) + "% per period over the window");

  Json cps = Json::array();
  for (std::size_t i = 0; i < p.change_points.size() && i < kMaxListed; ++i) {
    const auto& c = p.change_points[i];
    cps.push_back({{"index", c.index},
                   {"timestamp", stamp_at(c.index)},
                   {"level_before", r4(c.mean_before)},
                   {"level_after", r4(c.mean_after)},
                   {"change", r4(c.mean_after - c.mean_before)}});
  }
  std::vector<fc::Anomaly> listed = p.anomalies;
  if (listed.size() > kMaxListed) {
    std::partial_sort(
        listed.begin(), listed.begin() + kMaxListed, listed.end(),
        [](const fc::Anomaly& x, const fc::Anomaly& y) { return std::fabs(x.z_score) > std::fabs(y.z_score); });
    listed.resize(kMaxListed);
    std::sort(listed.begin(), listed.end(),
              [](const fc::Anomaly& x, const fc::Anomaly& y) { return x.index < y.index; });
  }
  Json anomalies = Json::array();
  for (const auto& an : listed)
    anomalies.push_back({{"index", an.index},
                         {"timestamp", stamp_at(an.index)},
                         {"value", an.value},
                         {"expected", r4(an.expected)},
                         {"z_score", r2(an.z_score)}});

  Json body = Json::object();
  body["metric_name"] = name;
  body["trend"] = p.trend;
  body["slope"] = r4(p.ols_slope);
  body["volatility_level"] = vol;
  body["volatility_value"] = r4(p.volatility_value);
  body["seasonality"] = seasonality_sentence(p);
  body["average"] = r2(p.average);
  body["recent_average"] = r2(p.recent_average);
  body["insights"] = insights;
  body["n_points"] = p.n;
  body["frequency"] = stamps.given ? Json(stamps.frequency.name) : Json(nullptr);
  body["trend_test"] = {{"method", "Mann-Kendall"},
                        {"s", p.mk_s},
                        {"z", r4(p.mk_z)},
                        {"p_value", round_to(p.mk_p_value, 6)},
                        {"kendall_tau", r4(p.kendall_tau)},
                        {"significant", p.mk_p_value < po.significance},
                        {"sen_slope", r4(p.sen_slope)},
                        {"sen_slope_percent", r4(p.sen_slope_percent)},
                        {"sen_slope_exact", p.sen_exact}};
  body["seasonality_details"] = {{"detected", p.seasonal_detected},
                                 {"period", p.seasonal_period > 1 ? Json(p.seasonal_period) : Json(nullptr)},
                                 {"source", p.seasonality_source},
                                 {"strength", r4(p.seasonal_strength)},
                                 {"autocorrelation", r4(p.seasonal_acf)},
                                 {"threshold", r4(p.seasonal_threshold)}};
  body["change_points"] = cps;
  body["change_point_count"] = p.change_points.size();
  body["change_point_resolution"] = p.change_point_resolution;
  body["anomalies"] = anomalies;
  body["anomaly_count"] = p.anomalies.size();
  body["growth"] = {{"last_change_percent", optional_number(p.last_change_percent, 4)},
                    {"mean_change_percent", optional_number(p.mean_change_percent, 4)},
                    {"compound_growth_percent", optional_number(p.compound_growth_percent, 4)},
                    {"total_change", r4(p.total_change)}};
  return {200, std::move(body)};
}

RouteOutcome predict_bulk(const Args& a) {
  const Json& data = a.raw("data");
  if (data.empty()) return bad_request("data must name at least one metric with its values.");
  if (data.size() > kMaxBulkMetrics)
    return bad_request("At most " + std::to_string(kMaxBulkMetrics) + " metrics per request, got " +
                       std::to_string(data.size()) + ".");
  const Stamps stamps = parse_stamps(a.raw("timestamps"));
  if (!stamps.errors.empty()) return unprocessable(stamps.errors);
  Json results = Json::object();
  std::size_t failed = 0;
  for (const auto& [name, values] : data.items()) {
    Request rq;
    rq.metric_name = name;
    rq.values = numbers(values);
    rq.periods = static_cast<int>(a.integer("periods_ahead"));
    rq.seasonal_period = a.has("seasonal_period") ? static_cast<int>(a.integer("seasonal_period")) : 0;
    if (rq.values.size() < 3) {  // one metric's short series is that metric's error, not the request's
      results[name] = {
          {"status", 422},
          {"detail",
           Json::array({Json{
               {"type", "too_short"},
               {"loc", {"body", "data", name}},
               {"msg", "List should have at least 3 items after validation, not " + std::to_string(rq.values.size())},
               {"input", values},
               {"ctx", {{"field_type", "List"}, {"min_length", 3}, {"actual_length", rq.values.size()}}}}})}};
      ++failed;
      continue;
    }
    if (stamps.given && stamps.list.size() != rq.values.size()) {
      results[name] = {{"status", 422},
                       {"detail", Json::array({count_mismatch(a.raw("timestamps"), rq.values.size(), Json(name))})}};
      ++failed;
      continue;
    }
    rq.stamps = &stamps;
    RouteOutcome one = predict_one(rq);
    if (one.status != 200) {
      results[name] = {{"status", one.status}, {"detail", one.body["detail"]}};
      ++failed;
    } else {
      results[name] = std::move(one.body);
    }
  }
  return {200, Json{{"results", std::move(results)},
                    {"count", data.size()},
                    {"failed", failed},
                    {"periods_ahead", a.integer("periods_ahead")}}};
}

// ---- declarations ------------------------------------------------------------------------------

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
      .le(10000)
      .optional();
}

Json number_list() { return Json{{"type", "array"}, {"items", {{"type", "number"}}}}; }
Json prediction_schema() {
  Json params = {{"type", "object"}, {"additionalProperties", {{"type", "number"}}}};
  Json model = {
      {"type", "object"},
      {"description",
       "The forecasting model: its name, the models combined, the ETS model chosen by AICc and their parameters"},
      {"properties",
       {{"name", {{"type", "string"}}},
        {"method", {{"type", "string"}, {"enum", {"combination", "ets", "drift", "constant"}}}},
        {"members", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"selected_ets", {{"type", {"string", "null"}}}},
        {"parameters", params},
        {"seasonal_adjustment", {{"type", "string"}, {"enum", {"none", "multiplicative", "additive", "ets"}}}},
        {"fitted_points", {{"type", "integer"}}},
        {"note", {{"type", {"string", "null"}}}}}},
      {"required", {"name", "method", "members", "parameters", "fitted_points"}}};
  Json backtest = {{"type", {"object", "null"}},
                   {"description", "Rolling-origin backtest on the series itself (null when it is too short)"},
                   {"properties",
                    {{"origins", {{"type", "integer"}}},
                     {"horizon", {{"type", "integer"}}},
                     {"smape", {{"type", "number"}}},
                     {"mase", {{"type", "number"}}},
                     {"naive_smape", {{"type", "number"}}}}}};
  return {
      {"type", "object"},
      {"properties",
       {{"metric_name", {{"type", "string"}}},
        {"current_value", {{"type", "number"}}},
        {"predictions", number_list()},
        {"confidence_level",
         {{"type", "string"},
          {"enum", {"high", "medium", "low"}},
          {"description",
           "From the backtest: high when its sMAPE is below 10% and no worse than repeating the "
           "last value, medium below 25%, low otherwise or without a backtest"}}},
        {"trend", {{"type", "string"}, {"enum", {"increasing", "decreasing", "stable"}}}},
        {"volatility", {{"type", "string"}, {"enum", {"high", "medium", "low"}}}},
        {"insights", {{"type", "array"}, {"items", {{"type", "string"}}}}},
        {"lower_80", number_list()},
        {"upper_80", number_list()},
        {"lower_95", number_list()},
        {"upper_95", number_list()},
        {"model", model},
        {"seasonal_period", {{"type", {"integer", "null"}}}},
        {"frequency", {{"type", {"string", "null"}}}},
        {"forecast_timestamps", {{"type", {"array", "null"}}, {"items", {{"type", "string"}}}}},
        {"backtest", backtest},
        {"domain",
         {{"type", "object"},
          {"properties", {{"lower", {{"type", {"number", "null"}}}}, {"upper", {{"type", {"number", "null"}}}}}}}}}},
      {"required",
       {"metric_name", "current_value", "predictions", "confidence_level", "trend", "volatility", "insights",
        "lower_80", "upper_80", "lower_95", "upper_95", "model", "backtest"}}};
}

Json pattern_schema() {
  Json located = {{"type", "object"},
                  {"properties",
                   {{"index", {{"type", "integer"}}},
                    {"timestamp", {{"type", {"string", "null"}}}},
                    {"level_before", {{"type", "number"}}},
                    {"level_after", {{"type", "number"}}},
                    {"change", {{"type", "number"}}}}}};
  Json anomaly = {{"type", "object"},
                  {"properties",
                   {{"index", {{"type", "integer"}}},
                    {"timestamp", {{"type", {"string", "null"}}}},
                    {"value", {{"type", "number"}}},
                    {"expected", {{"type", "number"}}},
                    {"z_score", {{"type", "number"}}}}}};
  Json maybe_number = {{"type", {"number", "null"}}};
  return {{"type", "object"},
          {"properties",
           {{"metric_name", {{"type", "string"}}},
            {"trend", {{"type", "string"}, {"enum", {"increasing", "decreasing", "stable"}}}},
            {"slope", {{"type", "number"}, {"description", "OLS slope on the index 0..n-1, rounded to 4 decimals"}}},
            {"volatility_level", {{"type", "string"}, {"enum", {"high", "medium", "low"}}}},
            {"volatility_value", {{"type", "number"}, {"description", "Population standard deviation over the mean"}}},
            {"seasonality", {{"type", "string"}}},
            {"average", {{"type", "number"}}},
            {"recent_average", {{"type", "number"}, {"description", "Mean of the last 3 values"}}},
            {"insights", {{"type", "array"}, {"items", {{"type", "string"}}}}},
            {"n_points", {{"type", "integer"}}},
            {"frequency", {{"type", {"string", "null"}}}},
            {"trend_test",
             {{"type", "object"},
              {"properties",
               {{"method", {{"type", "string"}}},
                {"s", {{"type", "number"}}},
                {"z", {{"type", "number"}}},
                {"p_value", {{"type", "number"}}},
                {"kendall_tau", {{"type", "number"}}},
                {"significant", {{"type", "boolean"}}},
                {"sen_slope", {{"type", "number"}}},
                {"sen_slope_percent", {{"type", "number"}}},
                {"sen_slope_exact", {{"type", "boolean"}}}}}}},
            {"seasonality_details",
             {{"type", "object"},
              {"properties",
               {{"detected", {{"type", "boolean"}}},
                {"period", {{"type", {"integer", "null"}}}},
                {"source", {{"type", "string"}, {"enum", {"given", "detected", "none"}}}},
                {"strength", {{"type", "number"}}},
                {"autocorrelation", {{"type", "number"}}},
                {"threshold", {{"type", "number"}}}}}}},
            {"change_points", {{"type", "array"}, {"items", located}}},
            {"change_point_count", {{"type", "integer"}}},
            {"change_point_resolution", {{"type", "integer"}}},
            {"anomalies", {{"type", "array"}, {"items", anomaly}}},
            {"anomaly_count", {{"type", "integer"}}},
            {"growth",
             {{"type", "object"},
              {"properties",
               {{"last_change_percent", maybe_number},
                {"mean_change_percent", maybe_number},
                {"compound_growth_percent", maybe_number},
                {"total_change", {{"type", "number"}}}}}}}}},
          {"required",
           {"metric_name", "trend", "slope", "volatility_level", "volatility_value", "seasonality", "average",
            "recent_average", "insights"}}};
}

Json bulk_schema() {
  Json error = {{"type", "object"},
                {"properties", {{"status", {{"type", "integer"}}}, {"detail", Json::object()}}},
                {"required", {"status", "detail"}}};
  return {{"type", "object"},
          {"properties",
           {{"results", {{"type", "object"}, {"additionalProperties", {{"anyOf", {prediction_schema(), error}}}}}},
            {"count", {{"type", "integer"}}},
            {"failed", {{"type", "integer"}}},
            {"periods_ahead", {{"type", "integer"}}}}},
          {"required", {"results", "count", "failed"}}};
}

/** `schema` with its title set (each route's response schema is named after the route). */
Json titled(Json schema, const char* title) {
  schema["title"] = title;
  return schema;
}

/** Examples computed by the handlers themselves, so the documentation never drifts from them. */
Json example_of(RouteFn fn, const std::vector<FieldSpec>& fields, const Json& request) {
  (void)fields;
  Json values = request;
  for (const auto& f : fields)
    if (!values.contains(f.name) && !f.default_value.is_null()) values[f.name] = f.default_value;
  return fn(Args(values)).body;
}

}  // namespace

void add_analysis_routes(std::vector<RouteSpec>& out) {
  g_catalog_in_construction = &out;
  const Json stamps_example = {"2024-01-01T00:00:00", "2024-02-01T00:00:00", "2024-03-01T00:00:00",
                               "2024-04-01T00:00:00", "2024-05-01T00:00:00", "2024-06-01T00:00:00",
                               "2024-07-01T00:00:00"};
  {
    RouteSpec r =
        Route::analysis("predict-metric", CategoryId::Predictions, predict_metric)
            .name("Predict Metric")
            .title("Predict Future Metric Values")
            .description(
                "Forecasts a metric with 80% and 95% prediction intervals: exponential smoothing models selected by "
                "AICc, the Theta method and a damped trend, averaged, on seasonally adjusted data when a seasonal "
                "pattern is significant. The confidence level comes from a rolling-origin backtest on the series "
                "itself. Forecasts of catalog metrics stay in their range (a percentage in [0, 100], an amount "
                "non-negative).")
            .metric_name("Predict Metric")
            .fields({
                Field::text("metric_name",
                            "Metric name; a catalog name (churn_rate, mrr, nps, ...) bounds the forecasts")
                    .label("Metric name")
                    .example("churn_rate"),
                Field(Field::of("historical_values", FieldType::NumberList,
                                "The metric's past values, oldest first (3 to 1,000,000)")
                          .label("Past values")
                          .items(3, kMaxPoints)
                          .example(Json::array({5.0, 4.8, 4.5, 4.3, 4.0, 3.8, 3.5}))),
                stamps_field("ISO 8601 time of each value, increasing (optional; sets the seasonal period and "
                             "forecast_timestamps)",
                             stamps_example),
                periods_field(),
                season_field(),
            })
            .response_schema(titled(prediction_schema(), "PredictMetricResponse"));
    r.response_example = example_of(r.handler, r.fields, example_request(r));
    out.push_back(std::move(r));
  }
  {
    RouteSpec r =
        Route::analysis("analyze-pattern", CategoryId::Predictions, analyze_pattern)
            .name("Pattern Analysis")
            .title("Analyze Trends and Patterns")
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
    r.response_example = example_of(r.handler, r.fields, example_request(r));
    out.push_back(std::move(r));
  }
  {
    RouteSpec r =
        Route::analysis("predict-bulk", CategoryId::Predictions, predict_bulk)
            .name("Bulk Prediction")
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
    r.response_example = example_of(r.handler, r.fields, example_request(r));
    out.push_back(std::move(r));
  }
  g_catalog_in_construction = nullptr;
}

}  // namespace pmkpi::detail
