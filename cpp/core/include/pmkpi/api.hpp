#pragma once
// The router: one pure function from an HTTP request to an HTTP response. The native server, the
// WebAssembly module and the CLI are thin adapters around it.

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pmkpi/json.hpp"

namespace pmkpi {

inline constexpr const char* kApiTitle = "Product Management KPI API";
inline constexpr const char* kApiVersion = "2.0.0";

using Clock = std::function<std::chrono::system_clock::time_point()>;

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
};

/** Options of the router: the clock stamps `timestamp` fields (tests pin it). */
struct ApiOptions {
  Clock clock;                       // defaults to the system clock
  std::vector<std::string> servers;  // OpenAPI `servers` URLs (the native server adds its own)
};

/**
 * Answers one request. `target` may carry a query string. Never throws: every failure is a
 * JSON error body with an honest status (404, 405, 422, 400). The body is read as JSON, as FastAPI
 * reads a request without a Content-Type header.
 */
Response handle(std::string_view method, std::string_view target, std::string_view body,
                const ApiOptions& options = {});

/**
 * The same, with the request's Content-Type header (empty when it had none). As FastAPI does, a
 * body is parsed as JSON only when the header is absent or names application/json or
 * application/<anything>+json (parameters and case aside); any other body is validated as the raw
 * text it is, so a POST route answers 422 model_attributes_type with the text as `input`.
 */
Response handle(std::string_view method, std::string_view target, std::string_view content_type, std::string_view body,
                const ApiOptions& options = {});

/** Whether FastAPI would parse a body with this Content-Type as JSON (true for an empty one). */
bool is_json_content_type(std::string_view content_type);

/**
 * The same, for a body already parsed (the batch CLI parses each line once). `body` may be null
 * for an absent body.
 */
Response handle_parsed(std::string_view method, std::string_view target, const Json* body,
                       const ApiOptions& options = {});

/** The reason phrase of a status code, as HTTP/1.1 servers print it. */
std::string_view reason_phrase(int status);

/** ISO 8601 UTC with microseconds: 2024-02-01T10:00:00.000000Z. */
std::string iso_timestamp(std::chrono::system_clock::time_point t);

/** The OpenAPI 3.1 document of every route, generated from the catalog. */
Json openapi_document(const ApiOptions& options = {});

/** GET /metrics/list: every route with its endpoint and fields, grouped by category. */
Json metrics_listing();

}  // namespace pmkpi
