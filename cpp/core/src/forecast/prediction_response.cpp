// /predict/metric and /predict/bulk: the forecast answer, next to the schema that documents it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "routes_internal.hpp"

namespace pmkpi::detail::fc_routes {

double r4(double v) { return round_to(v, 4); }
double r2(double v) { return round_to(v, 2); }
double r4s(double v) {
  if (v == 0 || std::fabs(v) >= 0.01) return round_to(v, 4);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.6g", v);
  return std::strtod(buf, nullptr);
}

std::string figure(double v) {
  if (std::fabs(v) >= 1000) return with_commas(v, 2);
  return plain(v, 4);
}

std::string volatility_level(double v) { return v > 0.3 ? "high" : v > 0.1 ? "medium" : "low"; }

std::optional<bool> lower_is_better(const RouteSpec* r) {
  if (!r || !r->metric) return std::nullopt;
  if (r->lower_is_better) return true;  // the catalog's fact
  if (r->bands.empty()) return std::nullopt;
  return false;
}

namespace {

Json rounded(const std::vector<double>& v) {
  Json a = Json::array();
  for (double x : v) a.push_back(r4s(x));
  return a;
}

std::string confidence_from(const fc::Backtest& b) {
  if (b.origins == 0) return "low";
  if (b.smape < 10 && b.smape <= b.naive_smape) return "high";  // accurate, and no worse than the last value
  if (b.smape < 25) return "medium";
  return "low";
}

Json model_json(const fc::Forecast& f) {
  Json params = Json::object();
  for (const auto& [k, v] : f.model.parameters) params[k] = round_to(v, 6);
  return Json{{"name", f.model.name},
              {"method", fc::name_of(f.model.method)},
              {"members", f.model.members},
              {"selected_ets", f.model.selected_ets.empty() ? Json(nullptr) : Json(f.model.selected_ets)},
              {"parameters", params},
              {"seasonal_adjustment", fc::name_of(f.model.seasonal_adjustment)},
              {"interval_shape", fc::name_of(f.model.interval_shape)},
              {"fitted_points", f.model.fitted_points},
              {"note", f.model.note.empty() ? Json(nullptr) : Json(f.model.note)},
              {"explanation", f.model.explanation}};
}

Json components_json(const fc::Components& c) {
  return {{"level", rounded(c.level)},
          {"trend", rounded(c.trend)},
          {"season", rounded(c.season)},
          {"bound", rounded(c.bound)}};
}

Json backtest_json(const fc::Backtest& b) {
  if (b.origins == 0) return nullptr;
  return {{"origins", b.origins},
          {"horizon", b.horizon},
          {"smape", r4(b.smape)},
          {"mase", r4(b.mase)},
          {"naive_smape", r4(b.naive_smape)}};
}

Json or_null(const std::optional<double>& v) { return v ? Json(*v) : Json(nullptr); }

/** Units whose amounts cannot be negative: money, counts, durations (every unit named: -Wswitch). */
bool non_negative_unit(Unit u) {
  switch (u) {
    case Unit::Currency:
    case Unit::Visitors:
    case Unit::Seconds:
    case Unit::Sessions:
    case Unit::Actions:
    case Unit::Hours:
    case Unit::StoryPoints:
    case Unit::Months:  // CAC payback: a duration
      return true;
    case Unit::None:
    case Unit::Percentage:
    case Unit::Score:
    case Unit::Ratio:  // the magic number and the burn multiple go negative when net new ARR does
      return false;
  }
  return false;
}

/** The range a metric's forecasts stay in: its catalog value domain, and no negative amounts of a counted unit. */
struct MetricDomain {
  fc::Domain range;
  Json json;
};

MetricDomain domain_for(const RouteSpec* known, const std::string& asked) {
  MetricDomain d;
  if (!known || !known->metric) {
    d.json = {{"lower", nullptr},
              {"upper", nullptr},
              {"metric", nullptr},
              {"basis", "'" + asked + "' is not a catalog metric: no bound applied"}};
    return d;
  }
  d.range = fc::domain_of(std::string(domain_name(known->value_domain)));
  std::string basis = "value domain " + std::string(domain_name(known->value_domain));
  if (!d.range.lower && non_negative_unit(known->unit)) {
    d.range.lower = 0.0;
    basis = "unit " + std::string(unit_name(known->unit)) + ": never below zero";
  }
  if (!d.range.lower && !d.range.upper) basis += ": no bound applies";
  d.json = {
      {"lower", or_null(d.range.lower)}, {"upper", or_null(d.range.upper)}, {"metric", known->id}, {"basis", basis}};
  return d;
}

Json prediction_body(const Request& rq, const fc::Forecast& f, const fc::Pattern& p, Json insights, Json domain) {
  Json body = Json::object();
  body["metric_name"] = rq.metric_name;
  body["current_value"] = rq.values.back();
  body["predictions"] = rounded(f.mean);
  body["confidence_level"] = confidence_from(f.backtest);
  body["trend"] = p.trend;
  body["volatility"] = volatility_level(p.volatility_value);
  body["insights"] = std::move(insights);
  body["lower_80"] = rounded(f.lower80);
  body["upper_80"] = rounded(f.upper80);
  body["lower_95"] = rounded(f.lower95);
  body["upper_95"] = rounded(f.upper95);
  body["model"] = model_json(f);
  body["components"] = components_json(f.components);
  body["seasonal_period"] = f.seasonal ? Json(f.seasonal_period) : Json(nullptr);
  const bool dated = rq.stamps && rq.stamps->given;
  body["frequency"] = dated ? Json(rq.stamps->frequency.name) : Json(nullptr);
  body["forecast_timestamps"] =
      dated ? Json(fc::continue_timestamps(rq.stamps->list, rq.stamps->frequency, rq.periods)) : Json(nullptr);
  body["backtest"] = backtest_json(f.backtest);
  body["domain"] = std::move(domain);
  return body;
}

}  // namespace

RouteOutcome predict_one(const Request& rq) {
  const RouteSpec* known = find_route_by_name(rq.metric_name);
  fc::ForecastOptions o;
  o.horizon = rq.periods;
  o.seasonal_period = rq.seasonal_period;
  if (o.seasonal_period == 0 && rq.stamps && rq.stamps->given) o.seasonal_period = rq.stamps->frequency.seasonal_period;
  o.backtest_origins = kBacktestOrigins;
  o.max_fit_window = rq.fit_window;
  MetricDomain domain = domain_for(known, rq.metric_name);
  o.domain = domain.range;
  if (auto sentence = too_large(rq.values, "forecast")) return bad_request(*sentence);
  fc::Forecast f;
  fc::Pattern p;
  try {
    f = fc::forecast(rq.values, o);
    fc::PatternOptions po;
    po.seasonal_period = f.seasonal_period > 1 ? f.seasonal_period : 0;
    po.events = false;  // the answer states the trend and volatility only
    // The trend and volatility stated are those of the points the model was fitted on.
    const auto fitted = static_cast<std::ptrdiff_t>(std::min(f.model.fitted_points, rq.values.size()));
    p = fc::analyze_pattern(std::vector<double>(rq.values.end() - std::max<std::ptrdiff_t>(fitted, 3), rq.values.end()),
                            po);
  } catch (const std::invalid_argument& e) {
    return bad_request(std::string("Cannot forecast this series: ") + e.what() + ".");
  }
  Json insights = forecast_insights(rq, f, p, known, o, domain.json["basis"].get<std::string>());
  return {200, prediction_body(rq, f, p, std::move(insights), std::move(domain.json))};
}

// ---- schemas -----------------------------------------------------------------------------------

namespace {

// Schemas as JSON text (built from initializer lists they were tens of KB of module code), with
// what is derived filled in after.
Json model_schema() {
  Json schema = Json::parse(
      R"json({
  "type": "object",
  "description": "The forecasting model: its name, the models combined, the ETS model chosen by AICc and their parameters",
  "properties": {
    "name": {"type": "string"},
    "method": {"type": "string", "enum": []},
    "members": {"type": "array", "items": {"type": "string"}},
    "selected_ets": {"type": ["string", "null"]},
    "parameters": {"type": "object", "additionalProperties": {"type": "number"}},
    "seasonal_adjustment": {"type": "string", "enum": []},
    "interval_shape": {"type": "string", "enum": [],
                       "description": "symmetric around the forecast, or log_normal (every value positive and the ETS model chosen with errors in proportion to the level: the ranges reach further above than below)"},
    "fitted_points": {"type": "integer"},
    "note": {"type": ["string", "null"]},
    "explanation": {"type": "string", "description": "How the forecast was made, in plain words"}
  },
  "required": ["name", "method", "members", "parameters", "interval_shape", "fitted_points", "explanation"]
})json");
  for (auto m : {fc::Method::Combination, fc::Method::Ets, fc::Method::Drift, fc::Method::Constant})
    schema["properties"]["method"]["enum"].push_back(fc::name_of(m));
  for (auto a : {fc::SeasonalAdjustment::None, fc::SeasonalAdjustment::Multiplicative, fc::SeasonalAdjustment::Additive,
                 fc::SeasonalAdjustment::Ets})
    schema["properties"]["seasonal_adjustment"]["enum"].push_back(fc::name_of(a));
  for (auto s : {fc::IntervalShape::Symmetric, fc::IntervalShape::LogNormal})
    schema["properties"]["interval_shape"]["enum"].push_back(fc::name_of(s));
  return schema;
}

}  // namespace

Json prediction_schema() {
  Json schema = Json::parse(
      R"json({
  "type": "object",
  "properties": {
    "metric_name": {"type": "string"},
    "current_value": {"type": "number"},
    "predictions": {"type": "array", "items": {"type": "number"}},
    "confidence_level": {
      "type": "string",
      "enum": ["high", "medium", "low"],
      "description": "From the backtest: high when its sMAPE is below 10% and no worse than repeating the last value, medium below 25%, low otherwise or without a backtest"
    },
    "trend": {"type": "string", "enum": ["increasing", "decreasing", "stable"]},
    "volatility": {"type": "string", "enum": ["high", "medium", "low"]},
    "insights": {"type": "array", "items": {"type": "string"}},
    "lower_80": {"type": "array", "items": {"type": "number"}},
    "upper_80": {"type": "array", "items": {"type": "number"}},
    "lower_95": {"type": "array", "items": {"type": "number"}},
    "upper_95": {"type": "array", "items": {"type": "number"}},
    "model": null,
    "components": {
      "type": "object",
      "description": "Each prediction taken apart: level + trend + season + bound (within rounding). The level is where the series stands now without its season, the trend what the models add to it by that period, the season the repeating pattern's part, the bound what the metric's range (never below zero, at most 100%) changed",
      "properties": {
        "level": {"type": "array", "items": {"type": "number"}},
        "trend": {"type": "array", "items": {"type": "number"}},
        "season": {"type": "array", "items": {"type": "number"}},
        "bound": {"type": "array", "items": {"type": "number"}}
      },
      "required": ["level", "trend", "season", "bound"]
    },
    "seasonal_period": {"type": ["integer", "null"]},
    "frequency": {"type": ["string", "null"]},
    "forecast_timestamps": {"type": ["array", "null"], "items": {"type": "string"}},
    "backtest": {
      "type": ["object", "null"],
      "description": "Rolling-origin backtest on the series itself (null when it is too short)",
      "properties": {
        "origins": {"type": "integer"},
        "horizon": {"type": "integer"},
        "smape": {"type": "number"},
        "mase": {"type": "number"},
        "naive_smape": {"type": "number"}
      }
    },
    "domain": {
      "type": "object",
      "description": "The range the forecasts and their intervals were kept in, and why",
      "properties": {
        "lower": {"type": ["number", "null"]},
        "upper": {"type": ["number", "null"]},
        "metric": {"type": ["string", "null"], "description": "The catalog metric metric_name matched"},
        "basis": {"type": "string"}
      }
    }
  },
  "required": [
    "metric_name",
    "current_value",
    "predictions",
    "confidence_level",
    "trend",
    "volatility",
    "insights",
    "lower_80",
    "upper_80",
    "lower_95",
    "upper_95",
    "model",
    "backtest"
  ]
})json");
  schema["properties"]["model"] = model_schema();
  return schema;
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

}  // namespace pmkpi::detail::fc_routes
