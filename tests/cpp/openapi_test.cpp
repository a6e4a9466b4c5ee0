// /openapi.json and /metrics/list, both derived from the catalog (cpp/core/src/openapi.cpp).
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::get;

// The reference's shape (issue 13.3): one key per category, one per metric, each with name,
// endpoint and required_fields; clients index into it, e.g. list["customer_loyalty_metrics"]["churn_rate"].
TEST(Listing, HasTheReferenceShape) {
  auto a = get("/metrics/list");
  ASSERT_EQ(a.status, 200);
  const Json& l = a.body;
  for (const char* key : {"financial_metrics", "customer_loyalty_metrics", "user_engagement_metrics", "product_metrics",
                          "satisfaction_metrics", "additional_metrics", "ml_predictions"})
    EXPECT_TRUE(l.contains(key) && l[key].is_object()) << key;
  EXPECT_EQ(l["financial_metrics"]["arpu"]["name"], "Average Revenue Per User");
  EXPECT_EQ(l["financial_metrics"]["arpu"]["endpoint"], "/metrics/arpu");
  EXPECT_EQ(l["financial_metrics"]["arpu"]["required_fields"], Json({"total_revenue", "total_users"}));
  EXPECT_EQ(l["customer_loyalty_metrics"]["retention_rate"]["name"], "Customer Retention Rate");
  EXPECT_EQ(l["customer_loyalty_metrics"]["churn_rate"]["required_fields"],
            Json({"customers_lost", "total_customers_at_start"}));
  EXPECT_EQ(l["user_engagement_metrics"]["dau_mau"]["name"], "DAU/MAU Stickiness");
  EXPECT_EQ(l["product_metrics"]["user_actions"]["endpoint"], "/metrics/user-actions");
  EXPECT_EQ(l["satisfaction_metrics"]["ces"]["required_fields"],
            Json({"sum_of_all_effort_scores", "total_number_of_respondents"}));
  EXPECT_EQ(l["additional_metrics"]["product_quality"]["name"], "Defect Rate");
  EXPECT_EQ(l["additional_metrics"]["time_to_value"]["name"], "Time to Value");
  EXPECT_EQ(l["ml_predictions"]["predict"]["endpoint"], "/predict/metric");
  EXPECT_EQ(l["ml_predictions"]["predict"]["name"], "Metric Prediction");
  EXPECT_EQ(l["ml_predictions"]["analyze"]["name"], "Pattern Analysis");
  EXPECT_EQ(l["ml_predictions"]["analyze"]["required_fields"], Json({"metric_name", "historical_values"}));
  EXPECT_EQ(l["ml_predictions"]["bulk"]["endpoint"], "/predict/bulk");  // ours, beside the reference's two
}

TEST(Listing, ListsEveryRouteOnceWithOurFactsBeside) {
  auto a = get("/metrics/list");
  const Json& l = a.body;
  EXPECT_EQ(l["total_metrics"], 33);  // the 24 KPIs of the spec and 9 of unit economics
  EXPECT_EQ(l["total_endpoints"], route_table().size());
  std::set<std::string> endpoints;
  std::size_t listed = 0;
  for (const auto& [key, about] : l["categories"].items()) {
    EXPECT_EQ(about["count"], about["keys"].size()) << key;
    for (const auto& k : about["keys"]) {
      const Json& m = l[key][k.get<std::string>()];
      endpoints.insert(m["endpoint"].get<std::string>());
      ++listed;
    }
  }
  EXPECT_EQ(listed, route_table().size());
  for (const auto& r : route_table()) EXPECT_TRUE(endpoints.count(r.path)) << r.path;
  EXPECT_EQ(l["categories"]["financial_metrics"]["title"], "Financial Metrics");
  EXPECT_EQ(l["categories"]["satisfaction_metrics"]["count"], 5);

  const Json& arpu = l["financial_metrics"]["arpu"];
  EXPECT_EQ(arpu["id"], "arpu");
  EXPECT_EQ(arpu["kind"], "metric");
  EXPECT_EQ(arpu["short_name"], "ARPU");
  EXPECT_EQ(arpu["unit"], "currency");
  EXPECT_EQ(arpu["integer_value"], false);
  EXPECT_EQ(arpu["optional_fields"], Json({"time_frame"}));
  EXPECT_EQ(arpu["fields"][1]["schema"]["exclusiveMinimum"], 0.0);
  EXPECT_EQ(arpu["example_request"],
            Json({{"total_revenue", 50000.0}, {"total_users", 1000}, {"time_frame", "monthly"}}));
  const Json& retention = l["customer_loyalty_metrics"]["retention_rate"];
  EXPECT_EQ(
      retention["bands"][0],
      Json({{"status", "excellent"}, {"label", "Excellent"}, {"op", ">"}, {"edge", 90.0}, {"condition", "> 90"}}));
  EXPECT_EQ(l["customer_loyalty_metrics"]["churn_rate"]["lower_is_better"], true);
  EXPECT_EQ(l["user_engagement_metrics"]["traffic"]["integer_value"], true);
  EXPECT_EQ(l["ml_predictions"]["predict"]["kind"], "analysis");
  // MRR's two methods are groups of fields; its example request uses the first method only.
  const Json& mrr = l["financial_metrics"]["mrr"];
  EXPECT_EQ(mrr["required_fields"], Json::array());
  EXPECT_EQ(mrr["fields"][0]["group"], "Method 1: arpu x number_of_accounts");
  EXPECT_EQ(mrr["fields"][2]["group"], "Method 2: subscription components");
  EXPECT_EQ(mrr["fields"][2]["example"], 45000.0);
  EXPECT_EQ(mrr["example_request"], Json({{"arpu", 50.0}, {"number_of_accounts", 1000}}));
  EXPECT_EQ(arpu["fields"][0]["group"], nullptr);
}

TEST(OpenApi, DefaultedFieldsAreNotNullableOptionalOnesAre) {
  const auto doc = get("/openapi.json");
  const Json& schemas = doc.body["components"]["schemas"];
  EXPECT_EQ(schemas["ArpuRequest"]["properties"]["time_frame"]["type"], "string");
  EXPECT_EQ(schemas["CesRequest"]["properties"]["scale_max"]["type"], "integer");
  EXPECT_EQ(schemas["PredictMetricRequest"]["properties"]["periods_ahead"]["type"], "integer");
  EXPECT_EQ(schemas["CsatRequest"]["properties"]["scale_type"]["type"], Json({"string", "null"}));
  EXPECT_EQ(schemas["VelocityRequest"]["properties"]["team_size"]["type"], Json({"integer", "null"}));
  EXPECT_FALSE(schemas["VelocityRequest"]["properties"]["team_size"].contains("exclusiveMinimum"));
}

TEST(OpenApi, HasEveryPathSchemaAndTag) {
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
  for (const char* t :
       {"Financial Metrics", "Customer Loyalty Metrics", "User Engagement Metrics",
        "Product/Feature Popularity Metrics", "User Satisfaction Metrics", "Additional PM Metrics", "Utility"})
    EXPECT_TRUE(tags.count(t)) << t;
}

TEST(OpenApi, ServersComeFromOptions) {
  ApiOptions o;
  o.servers = {"http://localhost:8000"};
  Response r = handle("GET", "/openapi.json", "", o);
  EXPECT_EQ(Json::parse(r.body)["servers"][0]["url"], "http://localhost:8000");
  EXPECT_FALSE(Json::parse(handle("GET", "/openapi.json", "").body).contains("servers"));
}

}  // namespace
}  // namespace pmkpi
