// The ML Predictions routes' requests: timestamps, counts and magnitudes checked, then handed to
// the response builders.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "../json_parse.hpp"
#include "pmkpi/validation.hpp"
#include "routes_internal.hpp"

namespace pmkpi::detail::fc_routes {
namespace {

// Squares of larger values overflow double precision in variances and likelihoods.
constexpr double kMaxMagnitude = 1e100;
// The points of every series of one bulk request together (100 series x 4,000 points took 47 s).
constexpr std::size_t kMaxBulkPoints = 100000;

std::vector<double> numbers(const Json& list) {
  std::vector<double> v;
  v.reserve(list.size());
  for (const auto& x : list) v.push_back(x.get<double>());
  return v;
}

int seasonal_period_of(const Args& a) {
  return a.has("seasonal_period") ? static_cast<int>(a.integer("seasonal_period")) : 0;
}

/** A too-short series in a bulk request: that metric's error, worded as pydantic's. */
Json too_short(const std::string& name, const Json& values) {
  return {{"status", 422},
          {"detail",
           Json::array({Json{
               {"type", "too_short"},
               {"loc", {"body", "data", name}},
               {"msg", "List should have at least 3 items after validation, not " + std::to_string(values.size())},
               {"input", values},
               {"ctx", {{"field_type", "List"}, {"min_length", 3}, {"actual_length", values.size()}}}}})}};
}

}  // namespace

Json error_422(Json loc, std::string msg, const Json& input) {
  return error_entry("value_error", std::move(loc), "Value error, " + msg, input);
}

RouteOutcome unprocessable(Json entries) { return {422, Json{{"detail", std::move(entries)}}}; }
RouteOutcome bad_request(std::string sentence) { return {400, Json{{"detail", std::move(sentence)}}}; }

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

RouteOutcome predict_metric(const Args& a) {
  Request rq;
  rq.metric_name = a.text("metric_name");
  rq.values = numbers(a.raw("historical_values"));
  rq.periods = static_cast<int>(a.integer("periods_ahead"));
  rq.seasonal_period = seasonal_period_of(a);
  const Stamps stamps = parse_stamps(a.raw("timestamps"));
  if (stamps.given && stamps.list.size() + (stamps.errors.empty() ? 0 : 1) != rq.values.size() &&
      a.raw("timestamps").size() != rq.values.size())
    return unprocessable(Json::array({count_mismatch(a.raw("timestamps"), rq.values.size(), nullptr)}));
  if (!stamps.errors.empty()) return unprocessable(stamps.errors);
  rq.stamps = &stamps;
  return predict_one(rq);
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
  return pattern_answer(name, values, stamps, a.raw("timestamps"), po);
}

RouteOutcome predict_bulk(const Args& a) {
  const Json& data = a.raw("data");
  if (data.empty()) return bad_request("data must name at least one metric with its values.");
  if (data.size() > kMaxBulkMetrics)
    return bad_request("At most " + std::to_string(kMaxBulkMetrics) + " metrics per request, got " +
                       std::to_string(data.size()) + ".");
  std::size_t points = 0;
  for (const auto& [name, values] : data.items()) points += values.size();
  if (points > kMaxBulkPoints)
    return bad_request("At most " + std::to_string(kMaxBulkPoints) +
                       " points per request in all series together, got " + std::to_string(points) +
                       ": send the series in several requests.");
  const Stamps stamps = parse_stamps(a.raw("timestamps"));
  if (!stamps.errors.empty()) return unprocessable(stamps.errors);
  Json results = Json::object();
  std::size_t failed = 0;
  for (const auto& [name, values] : data.items()) {
    Request rq;
    rq.metric_name = name;
    rq.values = numbers(values);
    rq.periods = static_cast<int>(a.integer("periods_ahead"));
    rq.seasonal_period = seasonal_period_of(a);
    rq.fit_window = std::clamp(kBulkFitBudget / data.size(), kMinBulkFitWindow, kFitWindow);
    if (rq.values.size() < 3) {  // one metric's short series is that metric's error, not the request's
      results[name] = too_short(name, values);
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

}  // namespace pmkpi::detail::fc_routes
