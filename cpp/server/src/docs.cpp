#include "docs.hpp"

#include "pmkpi_docs_assets.hpp"  // generated

#include <cstdio>
#include <fstream>
#include <iterator>

#include "pmkpi/api.hpp"
#include "static_files.hpp"

namespace pmkpi::server {
namespace {

constexpr std::string_view kAssetPrefix = "/docs/assets/";

// Relative URLs: /docs and /redoc sit at the root, so "docs/assets/x" and "openapi.json" resolve
// to this server whatever host or port the browser used to reach it.
std::string swagger_html() {
  return std::string(
             "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>") +
         kApiTitle +
         " - Swagger UI</title>\n"
         "<link rel=\"icon\" type=\"image/png\" href=\"docs/assets/favicon-32x32.png\">\n"
         "<link rel=\"stylesheet\" href=\"docs/assets/swagger-ui.css\">\n</head>\n<body>\n"
         "<div id=\"swagger-ui\"></div>\n"
         "<script src=\"docs/assets/swagger-ui-bundle.js\"></script>\n"
         "<script src=\"docs/assets/swagger-init.js\"></script>\n</body>\n</html>\n";
}

// In a file of its own, not inline, so the page's policy can forbid inline scripts.
constexpr const char* kSwaggerInit =
    "// Swagger UI reads the API's own OpenAPI document; its first server is \"/\", this origin,\n"
    "// so \"Try it out\" sends its requests to the server that served this page.\n"
    "window.ui = SwaggerUIBundle({\n"
    "  url: new URL('openapi.json', document.baseURI).href,\n"
    "  dom_id: '#swagger-ui',\n"
    "  layout: 'BaseLayout',\n"
    "  deepLinking: true,\n"
    "  showExtensions: true,\n"
    "  showCommonExtensions: true,\n"
    "  displayRequestDuration: true,\n"
    "  validatorUrl: null,\n"
    "  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],\n"
    "});\n";

std::string redoc_html() {
  return std::string(
             "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
             "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>") +
         kApiTitle +
         " - ReDoc</title>\n"
         "<link rel=\"icon\" type=\"image/png\" href=\"docs/assets/favicon-32x32.png\">\n"
         "<style>body { margin: 0; padding: 0; }</style>\n</head>\n<body>\n"
         "<redoc spec-url=\"openapi.json\"></redoc>\n"
         "<script src=\"docs/assets/redoc.standalone.js\"></script>\n</body>\n</html>\n";
}

std::string content_etag(std::string_view content) {
  std::uint64_t h = 1469598103934665603ull;  // FNV-1a
  for (char c : content) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
  char buf[40];
  std::snprintf(buf, sizeof buf, "\"%016llx\"", static_cast<unsigned long long>(h));
  return buf;
}

// ReDoc's sidebar credit shows a logo from cdn.redoc.ly: offline, or under the page's policy, that
// is a failed request and a console error on every visit. The credit stays; its image becomes an
// empty inline SVG, so the page makes no request outside this server.
void drop_cdn_logo(std::string& script) {
  static constexpr std::string_view kCdnLogo = "https://cdn.redoc.ly/redoc/logo-mini.svg";
  static constexpr std::string_view kInline = "data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E";
  for (auto at = script.find(kCdnLogo); at != std::string::npos; at = script.find(kCdnLogo, at + kInline.size()))
    script.replace(at, kCdnLogo.size(), kInline);
}

}  // namespace

const std::vector<std::string>& docs_asset_names() {
  static const std::vector<std::string> names = {PMKPI_DOCS_ASSET_NAMES};  // from cpp/server/CMakeLists.txt
  return names;
}

std::string_view docs_content_security_policy() {
  // ReDoc runs its search index in a worker started from a blob: URL and styles itself inline;
  // its sidebar logo, which pointed at a CDN, is an inline image (drop_cdn_logo).
  return "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
         "font-src 'self' data:; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; "
         "base-uri 'self'; form-action 'self'; frame-ancestors 'self'";
}

std::optional<DocsSite> DocsSite::load(const std::string& dir, std::string& error) {
  DocsSite site;
  for (const std::string& name : docs_asset_names()) {
    std::ifstream in(dir + "/" + name, std::ios::binary);
    if (!in) {
      error = "missing " + dir + "/" + name;
      return std::nullopt;
    }
    auto content = std::make_shared<std::string>(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
    if (name == "redoc.standalone.js") drop_cdn_logo(*content);
    const std::string etag = content_etag(*content);
    site.assets_[name] = Asset{std::move(content), std::string(content_type_for(name)), etag};
  }
  auto init = std::make_shared<const std::string>(kSwaggerInit);
  site.assets_["swagger-init.js"] = Asset{init, std::string(content_type_for("swagger-init.js")), content_etag(*init)};
  site.swagger_page_ = std::make_shared<const std::string>(swagger_html());
  site.redoc_page_ = std::make_shared<const std::string>(redoc_html());
  site.installed_ = true;
  return site;
}

Reply DocsSite::page(std::string_view method, const std::shared_ptr<const std::string>& html) const {
  (void)method;
  Reply r;
  r.headers.emplace_back("content-type", "text/html; charset=utf-8");
  r.headers.emplace_back("cache-control", "no-cache");
  r.headers.emplace_back("content-security-policy", std::string(docs_content_security_policy()));
  r.headers.emplace_back("referrer-policy", "no-referrer");
  r.shared = html;
  return r;
}

std::optional<Reply> DocsSite::serve(std::string_view method, std::string_view path,
                                     std::string_view if_none_match) const {
  const bool is_page = path == "/docs" || path == "/redoc";
  if (!is_page && path.rfind(kAssetPrefix, 0) != 0) return std::nullopt;
  if (method != "GET" && method != "HEAD") {
    return method_not_allowed("GET, HEAD");
  }
  if (!installed_)
    return error_reply(404, "The documentation pages are not installed on this server; /openapi.json is available.");
  if (path == "/docs") return page(method, swagger_page_);
  if (path == "/redoc") return page(method, redoc_page_);
  auto it = assets_.find(path.substr(kAssetPrefix.size()));
  if (it == assets_.end()) return error_reply(404, "Not Found");
  Reply r;
  r.headers.emplace_back("content-type", it->second.type);
  r.headers.emplace_back("cache-control", "public, max-age=86400");
  r.headers.emplace_back("etag", it->second.etag);
  if (!if_none_match.empty() && etag_matches(if_none_match, it->second.etag)) {
    r.status = 304;
    return r;
  }
  r.shared = it->second.content;
  return r;
}

}  // namespace pmkpi::server
