// The router: utility routes, 404/405/307 as FastAPI answers them, the injected clock, and the
// documents derived from the catalog (/metrics/list, /openapi.json).
#include <set>
#include <string>
#include <vector>

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
  // The reference's keys and types (issue 13.4): message, metrics_available, categories as strings.
  EXPECT_EQ(a.body["message"], "Product Management KPI API");
  EXPECT_EQ(a.body["metrics_available"], 33);
  // The reference's seven names first, in its order; our own categories (records) may follow.
  ASSERT_GE(a.body["categories"].size(), 7U);
  const Json first_seven(std::vector<Json>(a.body["categories"].begin(), a.body["categories"].begin() + 7));
  EXPECT_EQ(first_seven, Json({"Financial Metrics", "Customer Loyalty Metrics", "User Engagement Metrics",
                               "Product/Feature Popularity Metrics", "User Satisfaction Metrics",
                               "Additional PM Metrics", "ML Predictions"}));
  EXPECT_EQ(a.body["category_details"][0]["key"], "financial_metrics");
  EXPECT_EQ(a.body["category_details"][0]["endpoints"],
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

TEST(Router, ContentTypesAreReadAsFastApiReadsThem) {
  for (const char* json : {"", "application/json", "application/json; charset=utf-8", "APPLICATION/JSON",
                           " application/json ", "application/vnd.api+json", "application/problem+json;x=1"})
    EXPECT_TRUE(is_json_content_type(json)) << json;
  for (const char* other :
       {"text/plain", "text/plain;charset=UTF-8", "text/json", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x", "application", "application/json/x", ";charset=utf-8", "json"})
    EXPECT_FALSE(is_json_content_type(other)) << other;
  const std::string body = R"({"total_revenue": 10, "total_users": 5})";
  EXPECT_EQ(handle("POST", "/metrics/arpu", "application/json; charset=utf-8", body).status, 200);
  Response text = handle("POST", "/metrics/arpu", "text/plain;charset=UTF-8", body);
  ASSERT_EQ(text.status, 422);
  EXPECT_EQ(Json::parse(text.body),
            Json::parse(R"({"detail":[{"type":"model_attributes_type","loc":["body"],)"
                        R"("msg":"Input should be a valid dictionary or object to extract fields from",)"
                        R"("input":"{\"total_revenue\": 10, \"total_users\": 5}"}]})"));
  // Not JSON, so not parsed: a malformed body is the same 422, never json_invalid.
  EXPECT_EQ(Json::parse(handle("POST", "/metrics/arpu", "text/plain", "{").body)["detail"][0]["type"],
            "model_attributes_type");
  EXPECT_EQ(Json::parse(handle("POST", "/metrics/arpu", "text/plain", "").body)["detail"][0]["type"], "missing");
  EXPECT_EQ(handle("GET", "/health", "text/plain", "").status, 200);
  EXPECT_EQ(handle("POST", "/metrics/arpu", "", body).status, 200);  // no header: JSON, as FastAPI reads it
}

}  // namespace
}  // namespace pmkpi
