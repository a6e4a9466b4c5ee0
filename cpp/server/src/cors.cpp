#include "cors.hpp"

#include <algorithm>
#include <cctype>

#include "config.hpp"

namespace pmkpi::server {
namespace {

constexpr const char* kAllowedMethods = "GET, POST, HEAD, OPTIONS";
constexpr const char* kMaxAge = "600";

bool allowed_method(std::string_view m) { return m == "GET" || m == "POST" || m == "HEAD" || m == "OPTIONS"; }

/** A comma-separated list of header names (RFC 9110 tokens), as Access-Control-Request-Headers carries. */
bool header_list(std::string_view s) {
  if (s.size() > 1024) return false;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    const bool token = std::isalnum(c) || std::string_view("!#$%&'*+-.^_`|~").find(ch) != std::string_view::npos;
    if (!token && ch != ',' && ch != ' ' && ch != '\t') return false;
  }
  return true;
}

}  // namespace

CorsPolicy::CorsPolicy(std::vector<std::string> origins) : origins_(std::move(origins)) {
  any_ = std::find(origins_.begin(), origins_.end(), "*") != origins_.end();
}

bool CorsPolicy::allows(std::string_view origin) const {
  if (origin.empty()) return false;
  if (any_) return true;
  // Browsers send origins in lower case; normalising also accepts hand-written ones.
  const auto o = normalize_origin(origin);
  return o && std::find(origins_.begin(), origins_.end(), *o) != origins_.end();
}

bool CorsPolicy::is_preflight(std::string_view method, std::string_view origin, std::string_view requested_method) {
  return method == "OPTIONS" && !origin.empty() && !requested_method.empty();
}

Reply CorsPolicy::preflight(std::string_view origin, std::string_view requested_method,
                            std::string_view requested_headers) const {
  if (!allows(origin)) return error_reply(400, "Disallowed CORS origin");
  if (!allowed_method(requested_method)) return error_reply(400, "Disallowed CORS method");
  if (!header_list(requested_headers)) return error_reply(400, "Disallowed CORS headers");
  Reply r;
  r.status = 204;
  r.headers.emplace_back("access-control-allow-origin", any_ ? "*" : std::string(origin));
  r.headers.emplace_back("access-control-allow-methods", kAllowedMethods);
  // Any request header is allowed (the API reads only the body), so the list asked for is echoed.
  if (!requested_headers.empty())
    r.headers.emplace_back("access-control-allow-headers", std::string(requested_headers));
  r.headers.emplace_back("access-control-max-age", kMaxAge);
  r.headers.emplace_back("vary", any_ ? "Access-Control-Request-Headers" : "Origin, Access-Control-Request-Headers");
  return r;
}

void CorsPolicy::decorate(Reply& reply, std::string_view origin) const {
  if (!any_) reply.headers.emplace_back("vary", "Origin");  // the answer depends on Origin for caches
  if (!allows(origin)) return;
  reply.headers.emplace_back("access-control-allow-origin", any_ ? "*" : std::string(origin));
}

}  // namespace pmkpi::server
