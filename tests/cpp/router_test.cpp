// The router: utility routes, 404/405/307 as FastAPI answers them, the injected clock, and the
// documents derived from the catalog (/metrics/list, /openapi.json).
#include <set>
#include <string>

#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::get;
using testing::post;

TEST(Router, RootDescribesTheApi) {
  auto a = get("/");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["name"], "Product Management KPI API");
  EXPECT_EQ(a.body["version"], "2.0.0");
  EXPECT_EQ(a.body["documentation"], "/docs");
  EXPECT_EQ(a.body["metrics_count"], 33);  // the 24 KPIs of the spec and 9 of unit economics
  EXPECT_EQ(a.body["categories"][0]["key"], "financial_metrics");
  EXPECT_EQ(a.body["categories"][0]["endpoints"],
            Json({"/metrics/arpu", "/metrics/mrr", "/metrics/cltv", "/metrics/cac"}));
}

TEST(Router, HealthUsesTheInjectedClock) {
  auto a = get("/health");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["status"], "healthy");
  EXPECT_EQ(a.body["timestamp"], "2024-02-01T10:00:00.000000Z");
  EXPECT_EQ(a.raw.headers.at(0), std::make_pair(std::string("content-type"), std::string("application/json")));
}

TEST(Router, UnknownRoutesAre404) {
  for (const char* path : {"/nope", "/metrics", "/metrics/ARPU", "", "/metrics/arpu/extra", "/../etc/passwd"}) {
    Response r = handle("POST", path, "{}");
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.body, R"({"detail":"Not Found"})");
  }
}

TEST(Router, WrongMethodsAre405WithAllow) {
  Response r = handle("GET", "/metrics/arpu", "");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.body, R"({"detail":"Method Not Allowed"})");
  EXPECT_EQ(r.headers.back(), std::make_pair(std::string("allow"), std::string("POST")));
  for (const char* m : {"PUT", "DELETE", "PATCH", "OPTIONS", "post", ""})
    EXPECT_EQ(handle(m, "/metrics/nps", "{}").status, 405) << m;
  Response g = handle("POST", "/health", "");
  EXPECT_EQ(g.status, 405);
  EXPECT_EQ(g.headers.back().second, "GET");
  EXPECT_EQ(handle("HEAD", "/health", "").status, 200);
}

TEST(Router, TrailingSlashRedirectsLikeStarlette) {
  Response r = handle("POST", "/metrics/arpu/?x=1", "{}");
  EXPECT_EQ(r.status, 307);
  EXPECT_EQ(r.headers.at(0), std::make_pair(std::string("location"), std::string("/metrics/arpu?x=1")));
}

TEST(Router, QueryStringsAndFragmentsDoNotChangeTheRoute) {
  EXPECT_EQ(handle("GET", "/health?verbose=1", "").status, 200);
  EXPECT_EQ(post("/metrics/arpu?x=y#z", R"({"total_revenue": 10, "total_users": 5})").body["value"], 2.0);
}

TEST(Router, ListingGroupsEveryRouteByCategory) {
  auto a = get("/metrics/list");
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["total_metrics"], 33);
  std::set<std::string> endpoints;
  for (const auto& [key, cat] : a.body["categories"].items())
    for (const auto& m : cat["metrics"]) endpoints.insert(m["endpoint"].get<std::string>());
  for (const auto& r : route_table()) EXPECT_TRUE(endpoints.count(r.path)) << r.path;
  const Json& financial = a.body["categories"]["financial_metrics"];
  EXPECT_EQ(financial["title"], "Financial Metrics");
  EXPECT_EQ(financial["count"], 4);
  const Json& arpu = financial["metrics"][0];
  EXPECT_EQ(arpu["endpoint"], "/metrics/arpu");
  EXPECT_EQ(arpu["required_fields"], Json({"total_revenue", "total_users"}));
  EXPECT_EQ(arpu["optional_fields"], Json({"time_frame"}));
  EXPECT_EQ(arpu["fields"][1]["schema"]["exclusiveMinimum"], 0.0);
  EXPECT_EQ(arpu["example_request"],
            Json({{"total_revenue", 50000.0}, {"total_users", 1000}, {"time_frame", "monthly"}}));
  const Json& retention = a.body["categories"]["customer_loyalty_metrics"]["metrics"][0];
  EXPECT_EQ(
      retention["bands"][0],
      Json({{"status", "excellent"}, {"label", "Excellent"}, {"op", ">"}, {"edge", 90.0}, {"condition", "> 90"}}));
  EXPECT_EQ(a.body["categories"]["customer_loyalty_metrics"]["metrics"][1]["lower_is_better"], true);
  EXPECT_EQ(a.body["categories"]["user_satisfaction_metrics"]["count"], 5);
  // MRR's two methods are groups of fields; its example request uses the first method only.
  const Json& mrr = financial["metrics"][1];
  EXPECT_EQ(mrr["fields"][0]["group"], "Method 1: arpu x number_of_accounts");
  EXPECT_EQ(mrr["fields"][2]["group"], "Method 2: subscription components");
  EXPECT_EQ(mrr["fields"][2]["example"], 45000.0);
  EXPECT_EQ(mrr["example_request"], Json({{"arpu", 50.0}, {"number_of_accounts", 1000}}));
  EXPECT_EQ(arpu["fields"][0]["group"], nullptr);
}

TEST(Router, OpenApiHasEveryPathSchemaAndTag) {
  auto a = get("/openapi.json");
  ASSERT_EQ(a.status, 200);
  const Json& doc = a.body;
  EXPECT_EQ(doc["openapi"], "3.1.0");
  EXPECT_EQ(doc["info"]["version"], "2.0.0");
  for (const auto& r : route_table()) {
    ASSERT_TRUE(doc["paths"].contains(r.path)) << r.path;
    const Json& op = doc["paths"][r.path]["post"];
    EXPECT_TRUE(op["responses"].contains("422"));
    EXPECT_TRUE(op["responses"].contains("400"));
    EXPECT_TRUE(op["requestBody"]["content"]["application/json"].contains("example"));
  }
  const Json& arpu = doc["components"]["schemas"]["ArpuRequest"];
  EXPECT_EQ(arpu["required"], Json({"total_revenue", "total_users"}));
  EXPECT_EQ(arpu["properties"]["total_users"]["type"], "integer");
  EXPECT_EQ(arpu["properties"]["total_users"]["exclusiveMinimum"], 0.0);
  EXPECT_EQ(arpu["properties"]["time_frame"]["default"], "monthly");
  EXPECT_EQ(arpu["properties"]["time_frame"]["enum"].size(), 5u);
  EXPECT_EQ(doc["components"]["schemas"]["ChurnRateRequest"]["properties"]["revenue_from_lost_customers"]["type"],
            Json({"number", "null"}));
  const Json& response = doc["components"]["schemas"]["RetentionRateResponse"];
  EXPECT_EQ(response["properties"]["status"]["enum"], Json({"excellent", "good", "average", "needs_improvement"}));
  EXPECT_EQ(response["properties"]["metric_name"]["const"], "Retention Rate");
  // The documented example response is the route's real answer to its example request.
  const Json& example =
      doc["paths"]["/metrics/arpu"]["post"]["responses"]["200"]["content"]["application/json"]["example"];
  EXPECT_EQ(example["value"], 50.0);
  EXPECT_EQ(example["timestamp"], "2024-02-01T10:00:00.000000Z");
  EXPECT_TRUE(doc["components"]["schemas"].contains("HTTPValidationError"));
  std::set<std::string> tags;
  for (const auto& t : doc["tags"]) tags.insert(t["name"].get<std::string>());
  for (const char* t : {"Financial Metrics", "Customer Loyalty Metrics", "User Engagement Metrics",
                        "Product/Feature Metrics", "User Satisfaction Metrics", "Additional PM Metrics", "Utility"})
    EXPECT_TRUE(tags.count(t)) << t;
}

TEST(Router, OpenApiServersComeFromOptions) {
  ApiOptions o;
  o.servers = {"http://localhost:8000"};
  Response r = handle("GET", "/openapi.json", "", o);
  EXPECT_EQ(Json::parse(r.body)["servers"][0]["url"], "http://localhost:8000");
  EXPECT_FALSE(Json::parse(handle("GET", "/openapi.json", "").body).contains("servers"));
}

TEST(Router, TimestampsAreIsoUtcWithMicroseconds) {
  using namespace std::chrono;
  EXPECT_EQ(iso_timestamp(system_clock::time_point(microseconds(1706781600123456))), "2024-02-01T10:00:00.123456Z");
  EXPECT_EQ(iso_timestamp(system_clock::time_point(microseconds(-1))), "1969-12-31T23:59:59.999999Z");
  ApiOptions live;
  Json body = Json::parse(handle("POST", "/metrics/arpu", R"({"total_revenue":1,"total_users":1})", live).body);
  EXPECT_EQ(body["timestamp"].get<std::string>().size(), 27u);
}

TEST(Router, ReasonPhrases) {
  EXPECT_EQ(reason_phrase(422), "Unprocessable Entity");
  EXPECT_EQ(reason_phrase(200), "OK");
  EXPECT_EQ(reason_phrase(405), "Method Not Allowed");
}

}  // namespace
}  // namespace pmkpi
