#include "static_files.hpp"

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <system_error>

namespace pmkpi::server {
namespace fs = std::filesystem;

namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view extension(std::string_view name) {
  const std::size_t slash = name.rfind('/');
  const std::size_t dot = name.rfind('.');
  if (dot == std::string_view::npos || (slash != std::string_view::npos && dot < slash)) return {};
  return name.substr(dot + 1);
}

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  out.assign(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
  return !in.bad();
}

}  // namespace

std::optional<std::string> percent_decode(std::string_view path) {
  std::string out;
  out.reserve(path.size());
  for (std::size_t i = 0; i < path.size(); ++i) {
    char c = path[i];
    if (c == '%') {
      if (i + 2 >= path.size()) return std::nullopt;
      const int hi = hex_value(path[i + 1]), lo = hex_value(path[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      c = static_cast<char>(hi * 16 + lo);
      i += 2;
    }
    if (c == '\0') return std::nullopt;
    out.push_back(c);
  }
  return out;
}

std::optional<std::string> safe_relative_path(std::string_view decoded) {
  std::string out;
  std::size_t start = 0;
  while (start <= decoded.size()) {
    std::size_t slash = decoded.find('/', start);
    if (slash == std::string_view::npos) slash = decoded.size();
    const std::string_view segment = decoded.substr(start, slash - start);
    start = slash + 1;
    if (segment.empty()) continue;
    if (segment.front() == '.' || segment.find('\\') != std::string_view::npos) return std::nullopt;
    if (!out.empty()) out.push_back('/');
    out.append(segment);
  }
  return out;
}

std::string_view content_type_for(std::string_view file_name) {
  const std::string_view ext = extension(file_name);
  struct Type {
    std::string_view ext, type;
  };
  static constexpr Type kTypes[] = {
      {"html", "text/html; charset=utf-8"},
      {"htm", "text/html; charset=utf-8"},
      {"js", "text/javascript; charset=utf-8"},
      {"mjs", "text/javascript; charset=utf-8"},
      {"css", "text/css; charset=utf-8"},
      {"json", "application/json"},
      {"map", "application/json"},
      {"wasm", "application/wasm"},
      {"svg", "image/svg+xml"},
      {"png", "image/png"},
      {"jpg", "image/jpeg"},
      {"jpeg", "image/jpeg"},
      {"gif", "image/gif"},
      {"webp", "image/webp"},
      {"avif", "image/avif"},
      {"ico", "image/x-icon"},
      {"woff", "font/woff"},
      {"woff2", "font/woff2"},
      {"ttf", "font/ttf"},
      {"otf", "font/otf"},
      {"txt", "text/plain; charset=utf-8"},
      {"csv", "text/csv; charset=utf-8"},
      {"xml", "application/xml"},
      {"webmanifest", "application/manifest+json"},
      {"pdf", "application/pdf"},
  };
  for (const Type& t : kTypes)
    if (t.ext.size() == ext.size() && iequals(t.ext, ext)) return t.type;
  return "application/octet-stream";
}

std::string_view cache_control_for(std::string_view relative_path) {
  // Vite names every file under assets/ by the hash of its content: a new build, a new name.
  if (relative_path.rfind("assets/", 0) == 0) return "public, max-age=31536000, immutable";
  return "no-cache";
}

std::string etag_for(std::uintmax_t size, fs::file_time_type mtime) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "\"%jx-%llx\"", size,
                static_cast<unsigned long long>(mtime.time_since_epoch().count()));
  return buf;
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
  std::size_t start = 0;
  while (start < if_none_match.size()) {
    std::size_t comma = if_none_match.find(',', start);
    if (comma == std::string_view::npos) comma = if_none_match.size();
    std::string_view item = if_none_match.substr(start, comma - start);
    while (!item.empty() && (item.front() == ' ' || item.front() == '\t')) item.remove_prefix(1);
    while (!item.empty() && (item.back() == ' ' || item.back() == '\t')) item.remove_suffix(1);
    if (item.rfind("W/", 0) == 0) item.remove_prefix(2);  // weak comparison, as If-None-Match uses
    if (item == "*" || item == etag) return true;
    start = comma + 1;
  }
  return false;
}

std::optional<StaticSite> StaticSite::open(const std::string& root, std::string& error) {
  std::error_code ec;
  const fs::path canonical = fs::canonical(root, ec);
  if (ec || !fs::is_directory(canonical, ec)) {
    error = "not a directory: " + root;
    return std::nullopt;
  }
  StaticSite site;
  site.root_ = canonical;
  return site;
}

Reply StaticSite::serve(std::string_view method, std::string_view subpath, std::string_view if_none_match) const {
  if (method != "GET" && method != "HEAD") {
    return method_not_allowed("GET, HEAD");
  }
  const auto decoded = percent_decode(subpath);
  if (!decoded) return error_reply(400, "Malformed URL path");
  auto relative = safe_relative_path(*decoded);
  if (!relative) return error_reply(404, "Not Found");

  std::error_code ec;
  fs::path target = root_ / *relative;
  if (fs::is_directory(target, ec)) {
    target /= "index.html";
    *relative = relative->empty() ? "index.html" : *relative + "/index.html";
  }
  // A symbolic link inside the root must not lead outside it.
  const fs::path real = fs::canonical(target, ec);
  if (ec) return error_reply(404, "Not Found");
  const auto [root_end, unused] = std::mismatch(root_.begin(), root_.end(), real.begin(), real.end());
  (void)unused;
  if (root_end != root_.end() || !fs::is_regular_file(real, ec)) return error_reply(404, "Not Found");

  const std::uintmax_t size = fs::file_size(real, ec);
  const fs::file_time_type mtime = fs::last_write_time(real, ec);
  if (ec) return error_reply(404, "Not Found");
  const std::string etag = etag_for(size, mtime);

  Reply r;
  r.headers.emplace_back("content-type", std::string(content_type_for(*relative)));
  r.headers.emplace_back("cache-control", std::string(cache_control_for(*relative)));
  r.headers.emplace_back("etag", etag);
  if (!if_none_match.empty() && etag_matches(if_none_match, etag)) {
    r.status = 304;
    return r;
  }
  if (!read_file(real, r.body)) return error_reply(404, "Not Found");
  return r;
}

}  // namespace pmkpi::server
