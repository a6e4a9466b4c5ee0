#pragma once
// Static files: the web UI under /app/. Safe path resolution, content types and caching rules.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "reply.hpp"

namespace pmkpi::server {

/** Percent-decodes a URL path; nullopt for a malformed escape or a NUL byte. */
std::optional<std::string> percent_decode(std::string_view path);

/**
 * A decoded path relative to a site root, checked segment by segment: nullopt when any segment is
 * "..", ".", starts with a dot (hidden files), or holds a backslash. Empty segments are dropped.
 */
std::optional<std::string> safe_relative_path(std::string_view decoded);

/** The Content-Type of a file name, by extension: application/wasm for .wasm, ... */
std::string_view content_type_for(std::string_view file_name);

/**
 * Cache-Control of a file of the UI: hashed build assets (under assets/) are immutable for a year;
 * everything else, index.html first, is revalidated on every use.
 */
std::string_view cache_control_for(std::string_view relative_path);

/** A strong validator of a file's version: its size and modification time. */
std::string etag_for(std::uintmax_t size, std::filesystem::file_time_type mtime);

/** Whether an If-None-Match header value matches `etag` (a list, or *). */
bool etag_matches(std::string_view if_none_match, std::string_view etag);

/** A directory served read-only. */
class StaticSite {
 public:
  /** The site at `root`, or nullopt with `error` when it is not a readable directory. */
  static std::optional<StaticSite> open(const std::string& root, std::string& error);

  /**
   * Answers GET or HEAD for `subpath`, the still-encoded part of the URL path after the site's
   * prefix ("" or a directory: its index.html). 404 for anything missing or outside the root.
   */
  Reply serve(std::string_view method, std::string_view subpath, std::string_view if_none_match) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  std::filesystem::path root_;  // canonical
};

}  // namespace pmkpi::server
