#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "app.hpp"
#include "pmkpi/catalog.hpp"

using namespace pmkpi::server;

namespace {

App make_app(std::vector<std::string> origins = {"*"}) {
  std::string error;
  auto docs = DocsSite::load(PMKPI_DOCS_DIR, error);
  EXPECT_TRUE(docs) << error;
  pmkpi::ApiOptions api;
  api.servers = api_servers("0.0.0.0", 8000);
  return App(CorsPolicy(std::move(origins)), api, docs ? std::move(*docs) : DocsSite(), std::nullopt);
}

Request req(std::string_view method, std::string_view target, std::string_view body = "") {
  Request r;
  r.method = method;
  r.target = target;
  r.body = body;
  return r;
}

}  // namespace

TEST(ServerApp, EveryCatalogRouteAnswersWhatTheCoreAnswers) {
  // The server knows no metric: it passes every catalog route through to the core unchanged.
  const App app = make_app();
  for (const auto& route : pmkpi::route_table()) {
    const std::string body = pmkpi::example_request(route).dump();
    const Reply r = app.handle(req("POST", route.path, body));
    const pmkpi::Response core = pmkpi::handle("POST", route.path, body);
    EXPECT_EQ(r.status, core.status) << route.path;
    auto a = nlohmann::json::parse(r.body), b = nlohmann::json::parse(core.body);
    if (a.is_object()) a.erase("timestamp"), b.erase("timestamp");
    EXPECT_EQ(a, b) << route.path;
  }
}

TEST(ServerApp, OpenApiNamesThisServer) {
  const Reply r = make_app().handle(req("GET", "/openapi.json"));
  ASSERT_EQ(r.status, 200);
  const auto doc = nlohmann::json::parse(r.body);
  EXPECT_EQ(doc["servers"][0]["url"], "/");
  EXPECT_EQ(doc["servers"][1]["url"], "http://localhost:8000");
}

TEST(ServerApp, ServersAndUrls) {
  EXPECT_EQ(api_servers("127.0.0.1", 9000), (std::vector<std::string>{"/", "http://127.0.0.1:9000"}));
  EXPECT_EQ(local_url("::", 80, "/docs"), "http://localhost:80/docs");
  EXPECT_EQ(local_url("::1", 80, "/"), "http://[::1]:80/");
}

TEST(ServerApp, DocsPagesAndAssets) {
  const App app = make_app();
  const Reply docs = app.handle(req("GET", "/docs"));
  ASSERT_EQ(docs.status, 200);
  EXPECT_NE(docs.body_view().find("docs/assets/swagger-ui-bundle.js"), std::string::npos);
  EXPECT_EQ(docs.body_view().find("http"), std::string::npos) << "no absolute URL: nothing from a CDN";
  EXPECT_NE(docs.header("content-security-policy"), nullptr);
  const Reply redoc = app.handle(req("GET", "/redoc"));
  ASSERT_EQ(redoc.status, 200);
  EXPECT_NE(redoc.body_view().find("docs/assets/redoc.standalone.js"), std::string::npos);
  EXPECT_EQ(redoc.body_view().find("http"), std::string::npos);
  for (const char* asset :
       {"swagger-ui.css", "swagger-ui-bundle.js", "swagger-init.js", "favicon-32x32.png", "redoc.standalone.js"}) {
    const std::string path = std::string("/docs/assets/") + asset;
    const Reply a = app.handle(req("GET", path));
    EXPECT_EQ(a.status, 200) << asset;
    EXPECT_GT(a.body_view().size(), 100u) << asset;
    Request again = req("GET", path);
    again.if_none_match = *a.header("etag");
    EXPECT_EQ(app.handle(again).status, 304) << asset;
  }
  EXPECT_EQ(app.handle(req("GET", "/docs/assets/swagger-ui.css.map")).status, 404);
  EXPECT_EQ(app.handle(req("GET", "/docs/assets/../../etc/passwd")).status, 404);
  EXPECT_EQ(app.handle(req("POST", "/docs")).status, 405);
}

TEST(ServerApp, MissingDocsAndUiSayWhy) {
  const App app(CorsPolicy({"*"}), {}, DocsSite(), std::nullopt);
  const Reply docs = app.handle(req("GET", "/docs"));
  EXPECT_EQ(docs.status, 404);
  EXPECT_NE(docs.body.find("not installed"), std::string::npos);
  const Reply ui = app.handle(req("GET", "/app/"));
  EXPECT_EQ(ui.status, 404);
  EXPECT_NE(ui.body.find("web UI"), std::string::npos);
  const Reply redirect = app.handle(req("GET", "/app?x=1"));
  EXPECT_EQ(redirect.status, 301);
  EXPECT_EQ(*redirect.header("location"), "/app/?x=1");
}

TEST(ServerApp, CorsOnEveryAnswer) {
  const App app = make_app({"https://ui.example"});
  Request r = req("POST", "/metrics/arpu", "{}");
  r.origin = "https://ui.example";
  Reply a = app.handle(r);
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(*a.header("access-control-allow-origin"), "https://ui.example");
  EXPECT_EQ(*a.header("vary"), "Origin");
  EXPECT_EQ(*a.header("x-content-type-options"), "nosniff");

  r.origin = "https://other.example";
  EXPECT_EQ(app.handle(r).header("access-control-allow-origin"), nullptr);

  Request pre = req("OPTIONS", "/metrics/arpu");
  pre.origin = "https://ui.example";
  pre.requested_method = "POST";
  pre.requested_headers = "content-type";
  EXPECT_EQ(app.handle(pre).status, 204);

  // OPTIONS that is not a preflight goes to the router, which allows only POST there.
  const Reply plain = app.handle(req("OPTIONS", "/metrics/arpu"));
  EXPECT_EQ(plain.status, 405);
}
