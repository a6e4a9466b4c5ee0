#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "static_files.hpp"

using namespace pmkpi::server;
namespace fs = std::filesystem;

namespace {

/** A fake UI build: index.html, a hashed script and a wasm module, with a secret next to it. */
class StaticSiteTest : public ::testing::Test {
 protected:
  void SetUp() override {
    base_ = fs::temp_directory_path() / ("pmkpi-static-" + std::to_string(::getpid()));
    fs::remove_all(base_);
    fs::create_directories(base_ / "ui" / "assets");
    write(base_ / "ui" / "index.html", "<!doctype html><title>UI</title>");
    write(base_ / "ui" / "assets" / "index-abc123.js", "console.log(1)");
    write(base_ / "ui" / "assets" / "pmkpi-def456.wasm", std::string("\0asm\1\0\0\0", 8));
    write(base_ / "ui" / ".env", "SECRET=1");
    write(base_ / "secret.txt", "outside");
    fs::create_symlink(base_ / "secret.txt", base_ / "ui" / "link.txt");
    std::string error;
    auto site = StaticSite::open((base_ / "ui").string(), error);
    ASSERT_TRUE(site) << error;
    site_ = std::move(*site);
  }
  void TearDown() override { fs::remove_all(base_); }
  static void write(const fs::path& p, const std::string& text) { std::ofstream(p, std::ios::binary) << text; }

  fs::path base_;
  std::optional<StaticSite> site_;
};

}  // namespace

TEST(ServerStatic, PercentDecoding) {
  EXPECT_EQ(percent_decode("a%20b"), "a b");
  EXPECT_EQ(percent_decode("%2e%2E"), "..");
  EXPECT_EQ(percent_decode("%zz"), std::nullopt);
  EXPECT_EQ(percent_decode("%2"), std::nullopt);
  EXPECT_EQ(percent_decode("a%00b"), std::nullopt);
}

TEST(ServerStatic, SafeRelativePaths) {
  EXPECT_EQ(safe_relative_path(""), "");
  EXPECT_EQ(safe_relative_path("assets//x.js"), "assets/x.js");
  EXPECT_EQ(safe_relative_path("../etc/passwd"), std::nullopt);
  EXPECT_EQ(safe_relative_path("assets/../../x"), std::nullopt);
  EXPECT_EQ(safe_relative_path("./index.html"), std::nullopt);
  EXPECT_EQ(safe_relative_path(".env"), std::nullopt);
  EXPECT_EQ(safe_relative_path("a\\..\\b"), std::nullopt);
}

TEST(ServerStatic, ContentTypesAndCaching) {
  EXPECT_EQ(content_type_for("x.wasm"), "application/wasm");
  EXPECT_EQ(content_type_for("assets/x.JS"), "text/javascript; charset=utf-8");
  EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
  EXPECT_EQ(content_type_for("style.css"), "text/css; charset=utf-8");
  EXPECT_EQ(content_type_for("a.dir/noext"), "application/octet-stream");
  EXPECT_EQ(cache_control_for("assets/index-abc.js"), "public, max-age=31536000, immutable");
  EXPECT_EQ(cache_control_for("index.html"), "no-cache");
  EXPECT_TRUE(etag_matches("W/\"1-2\", \"3-4\"", "\"3-4\""));
  EXPECT_TRUE(etag_matches("*", "\"3-4\""));
  EXPECT_FALSE(etag_matches("\"3-5\"", "\"3-4\""));
}

TEST_F(StaticSiteTest, ServesIndexAndAssets) {
  Reply index = site_->serve("GET", "", "");
  EXPECT_EQ(index.status, 200);
  EXPECT_EQ(index.body, "<!doctype html><title>UI</title>");
  EXPECT_EQ(*index.header("cache-control"), "no-cache");
  EXPECT_EQ(*index.header("content-type"), "text/html; charset=utf-8");

  Reply wasm = site_->serve("GET", "assets/pmkpi-def456.wasm", "");
  EXPECT_EQ(wasm.status, 200);
  EXPECT_EQ(*wasm.header("content-type"), "application/wasm");
  EXPECT_EQ(wasm.body.size(), 8u);
  EXPECT_EQ(*wasm.header("cache-control"), "public, max-age=31536000, immutable");

  Reply js = site_->serve("HEAD", "assets/index-abc123.js", "");
  EXPECT_EQ(js.status, 200);
  const std::string etag = *js.header("etag");
  Reply again = site_->serve("GET", "assets/index-abc123.js", etag);
  EXPECT_EQ(again.status, 304);
  EXPECT_TRUE(again.body.empty());
}

TEST_F(StaticSiteTest, RefusesTraversalHiddenFilesAndEscapingLinks) {
  for (const char* path : {"../secret.txt", "%2e%2e/secret.txt", "%2E%2E%2Fsecret.txt", "assets/..%2f..%2fsecret.txt",
                           ".env", "%2eenv", "link.txt", "missing.js", "assets/"}) {
    const Reply r = site_->serve("GET", path, "");
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body.find("outside"), std::string::npos) << path;
  }
  EXPECT_EQ(site_->serve("GET", "%zz", "").status, 400);
  EXPECT_EQ(site_->serve("GET", "a%00b", "").status, 400);
}

TEST_F(StaticSiteTest, OnlyReads) {
  const Reply r = site_->serve("POST", "index.html", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(*r.header("allow"), "GET, HEAD");
}

TEST(ServerStatic, OpenRefusesAMissingDirectory) {
  std::string error;
  EXPECT_FALSE(StaticSite::open("/nonexistent/pmkpi-ui", error));
  EXPECT_NE(error.find("not a directory"), std::string::npos);
}
