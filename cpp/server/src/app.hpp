#pragma once
// Everything the server answers, as a pure function of the request: the core's routes, the docs
// pages, the web UI, CORS. The Beast session only moves bytes in and out of it.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

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
  App(CorsPolicy cors, ApiOptions api, DocsSite docs, std::optional<StaticSite> ui);

  /** Answers one request. Never throws. */
  Reply handle(const Request& request) const;

  /** Adds the CORS and common headers to a reply the session built itself (400, 413, ...). */
  void finish(Reply& reply, std::string_view origin) const;

  bool has_ui() const { return ui_.has_value(); }
  bool has_docs() const { return docs_.installed(); }

 private:
  Reply route(const Request& request, std::string_view path) const;

  CorsPolicy cors_;
  ApiOptions api_;
  // The core builds the OpenAPI document afresh for every request (about 3 ms); it depends only
  // on the options, so its answer is computed once here.
  Response openapi_;
  DocsSite docs_;
  std::optional<StaticSite> ui_;
};

}  // namespace pmkpi::server
