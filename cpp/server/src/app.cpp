#include "app.hpp"

#include <exception>

namespace pmkpi::server {

std::vector<std::string> api_servers(const std::string& host, unsigned port) {
  return {"/", local_url(host, port, "")};
}

std::string local_url(const std::string& host, unsigned port, std::string_view path) {
  std::string shown = host;
  if (host == "0.0.0.0" || host == "::" || host.empty())
    shown = "localhost";
  else if (host.find(':') != std::string::npos)
    shown = "[" + host + "]";
  return "http://" + shown + ":" + std::to_string(port) + std::string(path);
}

App::App(CorsPolicy cors, ApiOptions api, DocsSite docs, std::optional<StaticSite> ui, AccessOptions access)
    : cors_(std::move(cors)),
      api_(std::move(api)),
      openapi_(pmkpi::handle("GET", "/openapi.json", "", api_)),
      docs_(std::move(docs)),
      ui_(std::move(ui)),
      keys_(std::move(access.api_keys)),
      limiter_(std::make_unique<RateLimiter>(access.rate_limit, access.rate_burst)) {}

void App::finish(Reply& reply, std::string_view origin, std::string_view request_id) const {
  reply.headers.emplace_back("x-content-type-options", "nosniff");
  reply.request_id = request_id.empty() ? request_id_for({}) : std::string(request_id);
  reply.headers.emplace_back("x-request-id", reply.request_id);
  cors_.decorate(reply, origin);
}

Reply App::route(const Request& req, std::string_view path) const {
  if (auto docs = docs_.serve(req.method, path, req.if_none_match)) return std::move(*docs);
  if (path == "/app") {
    Reply r;
    r.status = 301;
    r.headers.emplace_back("location", "/app/" + std::string(req.target.substr(path.size())));
    return r;
  }
  if (path.rfind("/app/", 0) == 0) {
    Reply r = app_page(req, path);
    r.headers.emplace_back("content-security-policy", std::string(kAppContentSecurityPolicy));
    r.headers.emplace_back("x-frame-options", "DENY");
    return r;
  }
  Response core;
  if (path == "/openapi.json" && (req.method == "GET" || req.method == "HEAD")) {
    core = openapi_;
  } else if (req.cancelled != nullptr) {
    ApiOptions options = api_;
    options.cancelled = [flag = req.cancelled] { return flag->load(std::memory_order_relaxed); };
    core = pmkpi::handle(req.method, req.target, req.content_type, req.body, options);
  } else {
    core = pmkpi::handle(req.method, req.target, req.content_type, req.body, api_);
  }
  Reply r;
  r.status = core.status;
  r.headers = std::move(core.headers);
  r.body = std::move(core.body);
  return r;
}

Reply App::app_page(const Request& req, std::string_view path) const {
  if (!ui_) {
    if (req.method != "GET" && req.method != "HEAD") {
      return method_not_allowed("GET, HEAD");
    }
    return error_reply(404, "The web UI is not installed on this server.");
  }
  return ui_->serve(req.method, path.substr(5), req.if_none_match);
}

std::optional<Reply> App::admit(const Request& req) const {
  if (CorsPolicy::is_preflight(req.method, req.origin, req.requested_method)) {
    Reply r = cors_.preflight(req.origin, req.requested_method, req.requested_headers);
    r.headers.emplace_back("x-content-type-options", "nosniff");  // the preflight has its own CORS headers
    r.request_id = req.request_id.empty() ? request_id_for({}) : std::string(req.request_id);
    r.headers.emplace_back("x-request-id", r.request_id);
    return r;
  }
  const std::string_view path = req.target.substr(0, req.target.find_first_of("?#"));
  std::optional<std::string> key;
  if (keys_.enabled() && !is_open_path(path)) {
    key = keys_.match(req.authorization, req.api_key);
    if (!key) {
      Reply r =
          error_reply(401, "Not authenticated: send an API key as Authorization: Bearer <key> or X-API-Key: <key>.");
      r.headers.emplace_back("www-authenticate", "Bearer");
      finish(r, req.origin, req.request_id);
      return r;
    }
  } else if (keys_.enabled()) {
    key = keys_.match(req.authorization, req.api_key);
  }
  if (limiter_->enabled() && path != "/health") {
    const std::string client = key ? "key " + *key : "address " + std::string(req.remote);
    if (const unsigned wait = limiter_->acquire(client)) {
      Reply r = error_reply(429, "Too many requests: retry after " + std::to_string(wait) + " s.");
      r.headers.emplace_back("retry-after", std::to_string(wait));
      finish(r, req.origin, req.request_id);
      return r;
    }
  }
  return std::nullopt;
}

Reply App::answer(const Request& req) const {
  Reply r;
  try {
    const std::string_view path = req.target.substr(0, req.target.find_first_of("?#"));
    r = route(req, path);
  } catch (const std::exception&) {
    // Reading a file or allocating may fail; the client learns only that it was our fault.
    r = error_reply(500, "Internal Server Error");
  }
  finish(r, req.origin, req.request_id);
  return r;
}

Reply App::handle(const Request& req) const {
  if (auto refused = admit(req)) return std::move(*refused);
  return answer(req);
}

}  // namespace pmkpi::server
