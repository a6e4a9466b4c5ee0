// /analyze/pattern: the analysis answer, next to the schema that documents it.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "routes_internal.hpp"

namespace pmkpi::detail::fc_routes {
namespace {

Json optional_number(const std::optional<double>& v, int decimals) {
  return v && std::isfinite(*v) ? Json(round_to(*v, decimals)) : Json(nullptr);
}

/** The listed anomalies: all of them, or the kMaxListed largest by |z|, in index order. */
std::vector<fc::Anomaly> listed_anomalies(std::vector<fc::Anomaly> listed) {
  if (listed.size() <= kMaxListed) return listed;
  std::partial_sort(
      listed.begin(), listed.begin() + kMaxListed, listed.end(),
      [](const fc::Anomaly& x, const fc::Anomaly& y) { return std::fabs(x.z_score) > std::fabs(y.z_score); });
  listed.resize(kMaxListed);
  std::sort(listed.begin(), listed.end(), [](const fc::Anomaly& x, const fc::Anomaly& y) { return x.index < y.index; });
  return listed;
}

Json located_events(const fc::Pattern& p, const Json& raw_stamps) {
  auto stamp_at = [&](std::size_t i) -> Json { return raw_stamps.is_null() ? Json(nullptr) : raw_stamps[i]; };
  Json cps = Json::array();
  for (std::size_t i = 0; i < p.change_points.size() && i < kMaxListed; ++i) {
    const auto& c = p.change_points[i];
    cps.push_back({{"index", c.index},
                   {"timestamp", stamp_at(c.index)},
                   {"level_before", r4(c.mean_before)},
                   {"level_after", r4(c.mean_after)},
                   {"change", r4(c.mean_after - c.mean_before)}});
  }
  Json anomalies = Json::array();
  for (const auto& an : listed_anomalies(p.anomalies))
    anomalies.push_back({{"index", an.index},
                         {"timestamp", stamp_at(an.index)},
                         {"value", an.value},
                         {"expected", r4(an.expected)},
                         {"z_score", r2(an.z_score)}});
  return {{"change_points", cps}, {"anomalies", anomalies}};
}

Json details_of(const fc::Pattern& p, const fc::PatternOptions& po) {
  return {{"trend_test",
           {{"method", "Mann-Kendall"},
            {"s", p.mk_s},
            {"z", r4(p.mk_z)},
            {"p_value", round_to(p.mk_p_value, 6)},
            {"kendall_tau", r4(p.kendall_tau)},
            {"significant", p.mk_p_value < po.significance},
            {"sen_slope", r4(p.sen_slope)},
            {"sen_slope_percent", r4(p.sen_slope_percent)},
            {"sen_slope_exact", p.sen_exact}}},
          {"seasonality_details",
           {{"detected", p.seasonal_detected},
            {"period", p.seasonal_period > 1 ? Json(p.seasonal_period) : Json(nullptr)},
            {"source", p.seasonality_source},
            {"strength", r4(p.seasonal_strength)},
            {"autocorrelation", r4(p.seasonal_acf)},
            {"threshold", r4(p.seasonal_threshold)}}},
          {"growth",
           {{"last_change_percent", optional_number(p.last_change_percent, 4)},
            {"mean_change_percent", optional_number(p.mean_change_percent, 4)},
            {"compound_growth_percent", optional_number(p.compound_growth_percent, 4)},
            {"total_change", r4(p.total_change)}}}};
}

}  // namespace

RouteOutcome pattern_answer(const std::string& name, const std::vector<double>& values, const Stamps& stamps,
                            const Json& raw_stamps, const fc::PatternOptions& po) {
  fc::Pattern p;
  try {
    p = fc::analyze_pattern(values, po);
  } catch (const std::invalid_argument& e) {
    return bad_request(std::string("Cannot analyse this series: ") + e.what() + ".");
  }
  const bool lower_better = lower_is_better(find_route_by_name(name)).value_or(false);
  Json events = located_events(p, stamps.given ? raw_stamps : Json(nullptr));
  Json details = details_of(p, po);
  Json body = Json::object();
  body["metric_name"] = name;
  body["trend"] = p.trend;
  body["slope"] = r4(p.ols_slope);
  body["volatility_level"] = volatility_level(p.volatility_value);
  body["volatility_value"] = r4(p.volatility_value);
  body["seasonality"] = seasonality_sentence(p);
  body["average"] = r2(p.average);
  body["recent_average"] = r2(p.recent_average);
  body["insights"] = pattern_insights(p, lower_better);
  body["n_points"] = p.n;
  body["frequency"] = stamps.given ? Json(stamps.frequency.name) : Json(nullptr);
  body["trend_test"] = std::move(details["trend_test"]);
  body["seasonality_details"] = std::move(details["seasonality_details"]);
  body["change_points"] = std::move(events["change_points"]);
  body["change_point_count"] = p.change_points.size();
  body["change_point_resolution"] = p.change_point_resolution;
  body["anomalies"] = std::move(events["anomalies"]);
  body["anomaly_count"] = p.anomalies.size();
  body["growth"] = std::move(details["growth"]);
  return {200, std::move(body)};
}

// The schema as JSON text: built from initializer lists it was the module's largest function (60 KB
// of code for 3 KB of text).
Json pattern_schema() {
  return Json::parse(
      R"json({
  "type": "object",
  "properties": {
    "metric_name": {"type": "string"},
    "trend": {"type": "string", "enum": ["increasing", "decreasing", "stable"]},
    "slope": {"type": "number", "description": "OLS slope on the index 0..n-1, rounded to 4 decimals"},
    "volatility_level": {"type": "string", "enum": ["high", "medium", "low"]},
    "volatility_value": {"type": "number", "description": "Population standard deviation over the mean"},
    "seasonality": {"type": "string"},
    "average": {"type": "number"},
    "recent_average": {"type": "number", "description": "Mean of the last 3 values"},
    "insights": {"type": "array", "items": {"type": "string"}},
    "n_points": {"type": "integer"},
    "frequency": {"type": ["string", "null"]},
    "trend_test": {
      "type": "object",
      "properties": {
        "method": {"type": "string"},
        "s": {"type": "number"},
        "z": {"type": "number"},
        "p_value": {"type": "number"},
        "kendall_tau": {"type": "number"},
        "significant": {"type": "boolean"},
        "sen_slope": {"type": "number"},
        "sen_slope_percent": {"type": "number"},
        "sen_slope_exact": {"type": "boolean"}
      }
    },
    "seasonality_details": {
      "type": "object",
      "properties": {
        "detected": {"type": "boolean"},
        "period": {"type": ["integer", "null"]},
        "source": {"type": "string", "enum": ["given", "detected", "none"]},
        "strength": {"type": "number"},
        "autocorrelation": {"type": "number"},
        "threshold": {"type": "number"}
      }
    },
    "change_points": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "index": {"type": "integer"},
          "timestamp": {"type": ["string", "null"]},
          "level_before": {"type": "number"},
          "level_after": {"type": "number"},
          "change": {"type": "number"}
        }
      }
    },
    "change_point_count": {"type": "integer"},
    "change_point_resolution": {"type": "integer"},
    "anomalies": {
      "type": "array",
      "items": {
        "type": "object",
        "properties": {
          "index": {"type": "integer"},
          "timestamp": {"type": ["string", "null"]},
          "value": {"type": "number"},
          "expected": {"type": "number"},
          "z_score": {"type": "number"}
        }
      }
    },
    "anomaly_count": {"type": "integer"},
    "growth": {
      "type": "object",
      "properties": {
        "last_change_percent": {"type": ["number", "null"]},
        "mean_change_percent": {"type": ["number", "null"]},
        "compound_growth_percent": {"type": ["number", "null"]},
        "total_change": {"type": "number"}
      }
    }
  },
  "required": [
    "metric_name",
    "trend",
    "slope",
    "volatility_level",
    "volatility_value",
    "seasonality",
    "average",
    "recent_average",
    "insights"
  ]
})json");
}

}  // namespace pmkpi::detail::fc_routes
