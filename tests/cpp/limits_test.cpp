// What a request may cost (issue 15): body limits and heaviness derived from the catalog, and the
// bounds on the work one forecast request may ask for.
#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;
constexpr std::size_t kLarge = 16u << 20;

TEST(RequestCost, MetricRoutesTakeKilobytesAndAreLight) {
  int metric_routes = 0;
  for (const auto& route : route_table()) {
    if (!route.metric) continue;
    const RequestCost c = request_cost("POST", route.path, kLarge);
    EXPECT_EQ(c.max_body, kSmallBodyLimit) << route.path;
    EXPECT_FALSE(c.heavy) << route.path;
    ++metric_routes;
  }
  EXPECT_EQ(metric_routes, 33);
}

TEST(RequestCost, ListRoutesTakeMegabytesAndAreHeavy) {
  for (const char* path : {"/predict/metric", "/analyze/pattern", "/predict/bulk", "/predict/metric?x=1"}) {
    const RequestCost c = request_cost("POST", path, kLarge);
    EXPECT_EQ(c.max_body, kLarge) << path;
    EXPECT_TRUE(c.heavy) << path;
  }
}

TEST(RequestCost, OtherRequestsAreSmallAndLight) {
  for (const auto& [method, path] : std::vector<std::pair<const char*, const char*>>{
           {"GET", "/health"}, {"GET", "/predict/metric"}, {"POST", "/nowhere"}, {"GET", "/openapi.json"}}) {
    const RequestCost c = request_cost(method, path, kLarge);
    EXPECT_EQ(c.max_body, kSmallBodyLimit) << method << " " << path;
    EXPECT_FALSE(c.heavy);
  }
  EXPECT_EQ(request_cost("POST", "/metrics/arpu", 1000).max_body, 1000u);  // never above the server's cap
}

Json series(std::size_t n) {
  Json v = Json::array();
  for (std::size_t i = 0; i < n; ++i) v.push_back(static_cast<double>(i % 17) + 1.0);
  return v;
}

TEST(RequestBounds, SeasonalPeriodAtMostAYearOfDays) {
  const Json values = series(40);
  EXPECT_EQ(post("/predict/metric", Json{{"metric_name", "x"}, {"historical_values", values}, {"seasonal_period", 366}})
                .status,
            200);
  const auto r =
      post("/predict/metric", Json{{"metric_name", "x"}, {"historical_values", values}, {"seasonal_period", 367}});
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(r.body["detail"][0]["type"], "less_than_equal");
  EXPECT_EQ(r.body["detail"][0]["ctx"]["le"], 366);
  const auto p =
      post("/analyze/pattern", Json{{"metric_name", "x"}, {"historical_values", values}, {"seasonal_period", 10000}});
  ASSERT_EQ(p.status, 422);
  EXPECT_EQ(p.body["detail"][0]["loc"], Json::array({"body", "seasonal_period"}));
}

TEST(RequestBounds, BulkTotalPoints) {
  Json data = Json::object();
  for (int i = 0; i < 25; ++i) data["m" + std::to_string(i)] = series(4001);  // 100,025 points
  const auto r = post("/predict/bulk", Json{{"data", data}});
  ASSERT_EQ(r.status, 400);
  EXPECT_EQ(r.body["detail"],
            "At most 100000 points per request in all series together, got 100025: send the series in several "
            "requests.");
}

}  // namespace
}  // namespace pmkpi
