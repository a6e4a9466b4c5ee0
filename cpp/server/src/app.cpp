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

App::App(CorsPolicy cors, ApiOptions api, DocsSite docs, std::optional<StaticSite> ui)
    : cors_(std::move(cors)),
      api_(std::move(api)),
      openapi_(pmkpi::handle("GET", "/openapi.json", "", api_)),
      docs_(std::move(docs)),
      ui_(std::move(ui)) {}

void App::finish(Reply& reply, std::string_view origin) const {
  reply.headers.emplace_back("x-content-type-options", "nosniff");
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
    if (!ui_) {
      if (req.method != "GET" && req.method != "HEAD") {
        Reply r = error_reply(405, "Method Not Allowed");
        r.headers.emplace_back("allow", "GET, HEAD");
        return r;
      }
      return error_reply(404, "The web UI is not installed on this server.");
    }
    return ui_->serve(req.method, path.substr(5), req.if_none_match);
  }
  Response core = path == "/openapi.json" && (req.method == "GET" || req.method == "HEAD")
                      ? openapi_
                      : pmkpi::handle(req.method, req.target, req.content_type, req.body, api_);
  Reply r;
  r.status = core.status;
  r.headers = std::move(core.headers);
  r.body = std::move(core.body);
  return r;
}

Reply App::handle(const Request& req) const {
  if (CorsPolicy::is_preflight(req.method, req.origin, req.requested_method)) {
    Reply r = cors_.preflight(req.origin, req.requested_method, req.requested_headers);
    r.headers.emplace_back("x-content-type-options", "nosniff");
    return r;
  }
  Reply r;
  try {
    const std::string_view path = req.target.substr(0, req.target.find_first_of("?#"));
    r = route(req, path);
  } catch (const std::exception&) {
    // Reading a file or allocating may fail; the client learns only that it was our fault.
    r = error_reply(500, "Internal Server Error");
  }
  finish(r, req.origin);
  return r;
}

}  // namespace pmkpi::server
