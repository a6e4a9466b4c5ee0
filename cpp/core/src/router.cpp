#include <cmath>
#include <ctime>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/validation.hpp"

namespace pmkpi {
namespace {

constexpr const char* kJson = "application/json";

Response json_response(int status, const Json& body) {
  Response r;
  r.status = status;
  r.headers.emplace_back("content-type", kJson);
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

Response error_detail(int status, std::string sentence) { return json_response(status, Json{{"detail", std::move(sentence)}}); }

Response validation_failed(Json errors) { return json_response(422, Json{{"detail", std::move(errors)}}); }

std::chrono::system_clock::time_point now(const ApiOptions& o) {
  return o.clock ? o.clock() : std::chrono::system_clock::now();
}

void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (std::size_t pos = s.find(from); pos != std::string::npos; pos = s.find(from, pos + to.size()))
    s.replace(pos, from.size(), to);
}

Json value_json(const RouteSpec& route, double value) {
  if (route.integer_value && std::fabs(value) < 9.2e18) return static_cast<long long>(value);
  return round_to(value, 2);
}

Response metric_response(const RouteSpec& route, const Json& values, const ApiOptions& options) {
  MetricOutcome o = route.metric(Args(values));
  if (o.error) return error_detail(400, *o.error);
  if (!std::isfinite(o.value))
    return error_detail(400, "The result is not a finite number: the inputs are too large to compute " + route.name + ".");
  Json out = Json::object();
  out["metric_name"] = route.metric_name;
  out["value"] = value_json(route, o.value);
  out["unit"] = route.unit;
  // Bands are read on the value as reported, so "90.0 (good)" never shows as excellent.
  const Band* band = band_for(route, out["value"].get<double>(), o.band_scale);
  if (band != nullptr) replace_all(o.interpretation, "{band}", band->label);
  out["interpretation"] = std::move(o.interpretation);
  out["benchmark"] = route.benchmark;
  out["timestamp"] = iso_timestamp(now(options));
  if (band != nullptr) out["status"] = band->status;
  out["details"] = std::move(o.details);
  out["warnings"] = o.warnings;
  return json_response(200, out);
}

Response post_route(const RouteSpec& route, const Json* body, const ApiOptions& options) {
  Validated v = validate(route.fields, body);
  if (!v.ok()) return validation_failed(std::move(v.errors));
  if (route.metric) return metric_response(route, v.values, options);
  RouteOutcome o = route.handler(Args(v.values));
  return json_response(o.status, o.body);
}

Json root_document() {
  Json cats = Json::array();
  std::size_t metric_count = 0;
  for (const auto& c : categories()) {
    Json endpoints = Json::array();
    for (const auto& r : route_table())
      if (r.category == c.key) endpoints.push_back(r.path);
    if (endpoints.empty()) continue;
    cats.push_back({{"key", c.key}, {"title", c.title}, {"count", endpoints.size()}, {"endpoints", endpoints}});
  }
  for (const auto& r : route_table()) metric_count += r.metric ? 1 : 0;
  return {{"name", kApiTitle},
          {"version", kApiVersion},
          {"description", "Every standard product-management KPI with its interpretation and industry benchmark, "
                          "forecasts and pattern analysis."},
          {"documentation", "/docs"},
          {"redoc", "/redoc"},
          {"openapi", "/openapi.json"},
          {"metrics_list", "/metrics/list"},
          {"health", "/health"},
          {"metrics_count", metric_count},
          {"endpoints_count", route_table().size()},
          {"categories", cats}};
}

bool has_analysis_routes() {
  for (const auto& r : route_table())
    if (r.handler) return true;
  return false;
}

enum class GetRoute { None, Root, Health, List, OpenApi };

GetRoute get_route(std::string_view path) {
  if (path == "/") return GetRoute::Root;
  if (path == "/health") return GetRoute::Health;
  if (path == "/metrics/list") return GetRoute::List;
  if (path == "/openapi.json") return GetRoute::OpenApi;
  return GetRoute::None;
}

Response answer_get(GetRoute which, const ApiOptions& options) {
  switch (which) {
    case GetRoute::Root: {
      static const std::string body = root_document().dump();
      return Response{200, {{"content-type", kJson}}, body};
    }
    case GetRoute::Health: {
      Json h = {{"status", "healthy"},
                {"version", kApiVersion},
                {"forecasting_available", has_analysis_routes()},
                // Kept for clients of the reference service, which reported its ML library here.
                {"sklearn_available", has_analysis_routes()},
                {"metrics_count", route_table().size()},
                {"timestamp", iso_timestamp(now(options))}};
      return json_response(200, h);
    }
    case GetRoute::List: {
      static const std::string body = metrics_listing().dump();
      return Response{200, {{"content-type", kJson}}, body};
    }
    case GetRoute::OpenApi: {
      if (options.servers.empty()) {
        static const std::string body = openapi_document().dump();
        return Response{200, {{"content-type", kJson}}, body};
      }
      return json_response(200, openapi_document(options));
    }
    case GetRoute::None: break;
  }
  return error_detail(404, "Not Found");
}

Response method_not_allowed(const char* allow) {
  Response r = error_detail(405, "Method Not Allowed");
  r.headers.emplace_back("allow", allow);
  return r;
}

bool known_path(std::string_view path) { return find_route(path) != nullptr || get_route(path) != GetRoute::None; }

/** Routing shared by both entry points; `parse` yields the body (or a 422) only for POST routes. */
template <typename BodyFn>
Response route_request(std::string_view method, std::string_view target, const ApiOptions& options, BodyFn&& body) {
  const std::string_view path = target.substr(0, target.find_first_of("?#"));
  if (const RouteSpec* route = find_route(path)) {
    if (method != "POST") return method_not_allowed("POST");
    return body(*route);
  }
  if (GetRoute which = get_route(path); which != GetRoute::None) {
    if (method != "GET" && method != "HEAD") return method_not_allowed("GET");
    return answer_get(which, options);
  }
  if (path.size() > 1 && path.back() == '/' && known_path(path.substr(0, path.size() - 1))) {
    // Starlette's redirect_slashes: /metrics/arpu/ -> /metrics/arpu
    Response r{307, {{"location", std::string(path.substr(0, path.size() - 1)) +
                                      std::string(target.substr(path.size()))}}, ""};
    return r;
  }
  return error_detail(404, "Not Found");
}

}  // namespace

std::string iso_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const auto us = duration_cast<microseconds>(t.time_since_epoch()).count();
  long long secs = us / 1000000;
  long long frac = us % 1000000;
  if (frac < 0) { frac += 1000000; --secs; }
  const std::time_t tt = static_cast<std::time_t>(secs);
  std::tm tm{};
  gmtime_r(&tt, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%06lldZ", tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
                tm.tm_hour, tm.tm_min, tm.tm_sec, frac);
  return buf;
}

Response handle(std::string_view method, std::string_view target, std::string_view body, const ApiOptions& options) {
  try {
    return route_request(method, target, options, [&](const RouteSpec& route) {
      if (body.empty()) return post_route(route, nullptr, options);
      Json parsed, error;
      if (!parse_body(body, parsed, error)) return validation_failed(Json::array({std::move(error)}));
      return post_route(route, &parsed, options);
    });
  } catch (const std::exception&) {
    // A bug of ours, never the client's input: answer 500 without leaking internals.
    return error_detail(500, "Internal Server Error");
  }
}

Response handle_parsed(std::string_view method, std::string_view target, const Json* body, const ApiOptions& options) {
  try {
    return route_request(method, target, options, [&](const RouteSpec& route) { return post_route(route, body, options); });
  } catch (const std::exception&) {
    return error_detail(500, "Internal Server Error");
  }
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 204: return "No Content";
    case 304: return "Not Modified";
    case 307: return "Temporary Redirect";
    case 400: return "Bad Request";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 413: return "Content Too Large";
    case 422: return "Unprocessable Entity";
    case 431: return "Request Header Fields Too Large";
    case 500: return "Internal Server Error";
    case 503: return "Service Unavailable";
    default: return "Unknown";
  }
}

}  // namespace pmkpi
