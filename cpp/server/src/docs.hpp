#pragma once
// /docs (Swagger UI) and /redoc (ReDoc), served from local copies of their npm packages so the
// pages work with no internet. Both read the core's /openapi.json from the same origin.

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "reply.hpp"

namespace pmkpi::server {

/** The files copied from node_modules at build time, in the docs directory. */
const std::vector<std::string>& docs_asset_names();

class DocsSite {
 public:
  /** No assets: /docs and /redoc answer 404 saying why. */
  DocsSite() = default;

  /** Loads every asset from `dir` into memory, or returns nullopt with `error` naming what is missing. */
  static std::optional<DocsSite> load(const std::string& dir, std::string& error);

  bool installed() const { return installed_; }

  /** Answers /docs, /redoc and /docs/assets/<file>; nullopt when `path` is none of them. */
  std::optional<Reply> serve(std::string_view method, std::string_view path, std::string_view if_none_match) const;

 private:
  struct Asset {
    std::shared_ptr<const std::string> content;
    std::string type, etag;
  };
  Reply page(std::string_view method, const std::shared_ptr<const std::string>& html) const;

  bool installed_ = false;
  std::map<std::string, Asset, std::less<>> assets_;
  std::shared_ptr<const std::string> swagger_page_, redoc_page_;
};

/** The Content-Security-Policy of the docs pages: nothing may load from another origin. */
std::string_view docs_content_security_policy();

}  // namespace pmkpi::server
