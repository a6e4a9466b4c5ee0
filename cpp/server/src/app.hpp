#pragma once
// Everything the server answers, as a pure function of the request: the core's routes, the docs
// pages, the web UI, CORS. The Beast session only moves bytes in and out of it.

#include <atomic>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "access.hpp"
#include "cors.hpp"
#include "docs.hpp"
#include "pmkpi/api.hpp"
#include "reply.hpp"
#include "static_files.hpp"

namespace pmkpi::server {

struct Request {
  std::string_view method;
  std::string_view target;  // path and query, as received
  std::string_view body;
  std::string_view content_type;       // Content-Type (empty when absent)
  std::string_view origin;             // Origin
  std::string_view requested_method;   // Access-Control-Request-Method
  std::string_view requested_headers;  // Access-Control-Request-Headers
  std::string_view if_none_match;      // If-None-Match
  std::string_view authorization;      // Authorization
  std::string_view api_key;            // X-API-Key
  std::string_view remote;             // the client's address
  std::string_view request_id;         // resolved by request_id_for(X-Request-ID): echoed and logged
  // Set by the server for work on its compute pool: true once the client has left or the compute
  // deadline passed. The core then stops at its next check (ApiOptions::cancelled).
  const std::atomic<bool>* cancelled = nullptr;
};

/** Access control, off by default (empty keys, rate 0). */
struct AccessOptions {
  std::vector<std::string> api_keys;
  double rate_limit = 0;
  unsigned rate_burst = 0;
};

/**
 * The OpenAPI `servers` of a server bound to `host`:`port`: first "/" (the origin the document was
 * fetched from, so Swagger UI's "Try it out" calls the server that served the page, whatever name
 * or proxy reached it), then the configured address, a wildcard address shown as localhost.
 */
std::vector<std::string> api_servers(const std::string& host, unsigned port);

/** The URL a person on this machine opens for `path` ("http://localhost:8000/docs"). */
std::string local_url(const std::string& host, unsigned port, std::string_view path);

class App {
 public:
  App(CorsPolicy cors, ApiOptions api, DocsSite docs, std::optional<StaticSite> ui, AccessOptions access = {});

  /** Answers one request: admit(), then answer(). Never throws. */
  Reply handle(const Request& request) const;

  /**
   * The cheap checks before any work: a CORS preflight's answer, 401 without a valid API key, 429
   * past the client's rate. nullopt: go ahead with answer() (the server may run it on its compute
   * pool). Thread-safe.
   */
  std::optional<Reply> admit(const Request& request) const;

  /** The answer of an admitted request. Never throws. */
  Reply answer(const Request& request) const;

  /** Adds the CORS, request-id and common headers to a reply the session built itself (400, 413, ...). */
  void finish(Reply& reply, std::string_view origin, std::string_view request_id = {}) const;

  bool has_ui() const { return ui_.has_value(); }
  bool has_docs() const { return docs_.installed(); }

 private:
  Reply route(const Request& request, std::string_view path) const;
  Reply app_page(const Request& request, std::string_view path) const;

  CorsPolicy cors_;
  ApiOptions api_;
  // The core builds the OpenAPI document afresh for every request (about 3 ms); it depends only
  // on the options, so its answer is computed once here.
  Response openapi_;
  DocsSite docs_;
  std::optional<StaticSite> ui_;
  ApiKeys keys_;
  std::unique_ptr<RateLimiter> limiter_;  // a pointer: it locks and counts inside const calls
};

/**
 * The Content-Security-Policy of the web UI under /app/: its own origin only, WebAssembly allowed, no framing.
 * 'unsafe-eval' because embind (Emscripten 3.1.6) builds its call wrappers with `new Function`; without it
 * the module cannot start and the UI shows "The calculation engine could not load".
 */
inline constexpr std::string_view kAppContentSecurityPolicy =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

}  // namespace pmkpi::server
