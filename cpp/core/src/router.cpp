#include <cmath>
#include <string>

#include "cancel.hpp"
#include "civil_date.hpp"
#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/validation.hpp"
#include "text_body.hpp"

namespace pmkpi {
namespace {

constexpr const char* kJson = "application/json";

Response json_response(int status, const Json& body) {
  Response r;
  r.status = status;
  r.headers.emplace_back("content-type", kJson);
  r.body.reserve(256);
  append_json(r.body, body);
  return r;
}

Response error_detail(int status, std::string sentence) {
  return json_response(status, Json{{"detail", std::move(sentence)}});
}

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
  MetricOutcome o = route.metric(Args(values, route.fields));
  if (o.error) return error_detail(400, *o.error);
  if (!std::isfinite(o.value))
    return error_detail(400,
                        "The result is not a finite number: the inputs are too large to compute " + route.name + ".");
  const Json value = value_json(route, o.value);
  const Segment* segment = route.segments.empty() ? nullptr : find_segment(route, Args(values).text("segment"));
  const std::string& benchmark = segment != nullptr ? segment->benchmark : route.benchmark;
  const std::string& source = segment != nullptr ? segment->source.rendered : route.benchmark_source.rendered;
  if (segment != nullptr) o.details["segment"] = segment->key;
  if (!route.formula_source.empty()) {
    o.details["formula"] = route.formula;
    o.details["formula_source"] = route.formula_source;
  }
  // Bands are read on the value as reported, so "90.0 (good)" never shows as excellent.
  const Band* band = band_for(route, value.get<double>(), o.band_scale, segment != nullptr ? segment->key : "");
  if (band != nullptr) replace_all(o.interpretation, "{band}", band->label);
  // The envelope is written directly, in the documented key order: this is the hot path.
  Response r;
  r.headers.emplace_back("content-type", kJson);
  std::string& out = r.body;
  out.reserve(320 + o.interpretation.size() + benchmark.size() + source.size());
  out += "{\"metric_name\":";
  append_json_string(out, route.metric_name);
  out += ",\"value\":";
  append_json(out, value);
  out += ",\"unit\":";
  append_json_string(out, unit_name(route.unit));
  out += ",\"interpretation\":";
  append_json_string(out, o.interpretation);
  out += ",\"benchmark\":";
  append_json_string(out, benchmark);
  out += ",\"benchmark_source\":";
  out += source;
  out += ",\"timestamp\":\"";
  out += iso_timestamp(now(options));
  out += '"';
  if (band != nullptr) {
    out += ",\"status\":";
    append_json_string(out, band->status);
  }
  out += ",\"details\":";
  append_json(out, o.details);
  out += ",\"warnings\":[";
  for (std::size_t i = 0; i < o.warnings.size(); ++i) {
    if (i > 0) out.push_back(',');
    append_json_string(out, o.warnings[i]);
  }
  out += "]}";
  return r;
}

Response post_route(const RouteSpec& route, const Json* body, const ApiOptions& options) {
  Validated v = validate(route.fields, body);
  if (!v.ok()) return validation_failed(std::move(v.errors));
  if (route.metric) return metric_response(route, v.values, options);
  RouteOutcome o = route.handler(Args(v.values, route.fields));
  return json_response(o.status, o.body);
}

/** GET /: the reference's message, version, documentation, metrics_available and category names; ours after. */
Json root_document() {
  Json names = Json::array(), details = Json::array();
  std::size_t metric_count = 0;
  for (const auto& c : categories()) {
    Json endpoints = Json::array();
    for (const auto& r : route_table())
      if (r.category == c.id) endpoints.push_back(r.path);
    if (endpoints.empty()) continue;
    names.push_back(c.title);
    details.push_back({{"key", c.key}, {"title", c.title}, {"count", endpoints.size()}, {"endpoints", endpoints}});
  }
  for (const auto& r : route_table()) metric_count += r.metric ? 1 : 0;
  return {{"message", kApiTitle},
          {"version", kApiVersion},
          {"documentation", "/docs"},
          {"metrics_available", metric_count},
          {"categories", names},
          {"name", kApiTitle},
          {"description",
           "Every standard product-management KPI with its interpretation and industry benchmark, "
           "forecasts and pattern analysis."},
          {"redoc", "/redoc"},
          {"openapi", "/openapi.json"},
          {"metrics_list", "/metrics/list"},
          {"health", "/health"},
          {"metrics_count", metric_count},
          {"endpoints_count", route_table().size()},
          {"category_details", details}};
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
    case GetRoute::None:
      break;
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
    Response r{307,
               {{"location", std::string(path.substr(0, path.size() - 1)) + std::string(target.substr(path.size()))}},
               ""};
    return r;
  }
  return error_detail(404, "Not Found");
}

}  // namespace

std::string iso_timestamp(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  const long long us = duration_cast<microseconds>(t.time_since_epoch()).count();
  long long secs = us / 1000000, frac = us % 1000000;
  if (frac < 0) {
    frac += 1000000;
    --secs;
  }
  const auto [days, rem] = civil::split_seconds(secs);
  const civil::Date date = civil::civil_from_days(days);
  const long long year = date.year, month = date.month, day = date.day;
  char buf[32] = "0000-00-00T00:00:00.000000Z";
  auto put = [&buf](int at, long long value, int width) {
    for (int i = at + width - 1; i >= at; --i, value /= 10) buf[i] = static_cast<char>('0' + value % 10);
  };
  if (year < 0 || year > 9999) return "1970-01-01T00:00:00.000000Z";
  put(0, year, 4);
  put(5, month, 2);
  put(8, day, 2);
  put(11, rem / 3600, 2);
  put(14, rem / 60 % 60, 2);
  put(17, rem % 60, 2);
  put(20, frac, 6);
  return std::string(buf, 27);
}

Response handle(std::string_view method, std::string_view target, std::string_view body, const ApiOptions& options) {
  return handle(method, target, std::string_view(), body, options);
}

/** The answer of a call its caller cancelled (the server discards it: its client is gone). */
static Response cancelled_answer() {
  return error_detail(503, "The request was cancelled before its answer was computed.");
}

Response handle(std::string_view method, std::string_view target, std::string_view content_type, std::string_view body,
                const ApiOptions& options) {
  const detail::CancelScope cancel_scope(options.cancelled);
  try {
    return route_request(method, target, options, [&](const RouteSpec& route) {
      if (body.empty()) return post_route(route, nullptr, options);
      Json parsed, error;
      if (detail::is_text_body(route, body)) {
        if (!detail::text_request(route, target, body, parsed, error))
          return validation_failed(Json::array({std::move(error)}));
        return post_route(route, &parsed, options);
      }
      if (route.text_body_field.empty() && !is_json_content_type(content_type)) {
        // FastAPI hands the raw bytes to validation, which finds no object in them. (Routes that
        // take text bodies, the records routes, read every content type.)
        const Json text = valid_utf8(body);
        return post_route(route, &text, options);
      }
      if (!parse_body(body, parsed, error, route.fields)) {
        // JSON lines start like an object but are not one: the records routes read them as text.
        if (route.text_body_field.empty() || !detail::text_request(route, target, body, parsed, error))
          return validation_failed(Json::array({std::move(error)}));
      }
      return post_route(route, &parsed, options);
    });
  } catch (const detail::Cancelled&) {
    return cancelled_answer();
  } catch (const std::exception&) {
    // A bug of ours, never the client's input: answer 500 without leaking internals.
    return error_detail(500, "Internal Server Error");
  }
}

bool is_json_content_type(std::string_view content_type) {
  // As Python's email.message parses it (FastAPI's check): the type before any ';', trimmed and
  // lower-cased; anything but one "maintype/subtype" counts as text/plain.
  std::string type(trim(content_type.substr(0, content_type.find(';'))));
  if (type.empty()) return content_type.find_first_not_of(" \t") == std::string_view::npos;
  for (char& c : type) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  const auto slash = type.find('/');
  if (slash == std::string::npos || type.find('/', slash + 1) != std::string::npos) return false;
  const std::string main = type.substr(0, slash), sub = type.substr(slash + 1);
  const std::string suffix = "+json";
  return main == "application" &&
         (sub == "json" ||
          (sub.size() >= suffix.size() && sub.compare(sub.size() - suffix.size(), suffix.size(), suffix) == 0));
}

Response handle_parsed(std::string_view method, std::string_view target, const Json* body, const ApiOptions& options) {
  const detail::CancelScope cancel_scope(options.cancelled);
  try {
    return route_request(method, target, options,
                         [&](const RouteSpec& route) { return post_route(route, body, options); });
  } catch (const detail::Cancelled&) {
    return cancelled_answer();
  } catch (const std::exception&) {
    return error_detail(500, "Internal Server Error");
  }
}

std::string_view reason_phrase(int status) {
  switch (status) {
    case 200:
      return "OK";
    case 201:
      return "Created";
    case 204:
      return "No Content";
    case 304:
      return "Not Modified";
    case 307:
      return "Temporary Redirect";
    case 400:
      return "Bad Request";
    case 404:
      return "Not Found";
    case 405:
      return "Method Not Allowed";
    case 408:
      return "Request Timeout";
    case 413:
      return "Content Too Large";
    case 422:
      return "Unprocessable Entity";
    case 431:
      return "Request Header Fields Too Large";
    case 500:
      return "Internal Server Error";
    case 503:
      return "Service Unavailable";
    default:
      return "Unknown";
  }
}

}  // namespace pmkpi
