// The "better" items of METRICS.md beyond the value: status, details, warnings, interpretations.
#include <string>

#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;

bool contains(const Json& s, const std::string& part) { return s.get<std::string>().find(part) != std::string::npos; }

TEST(Metrics, EveryKpiAnswerHasTheFullEnvelope) {
  for (const auto& r : route_table()) {
    if (!r.metric) continue;
    auto a = post(r.path, example_request(r));
    ASSERT_EQ(a.status, 200) << r.path;
    EXPECT_EQ(a.body["metric_name"], r.metric_name);
    EXPECT_EQ(a.body["unit"], unit_name(r.unit));
    EXPECT_EQ(a.body["benchmark"], r.benchmark);
    EXPECT_TRUE(a.body["details"].is_object());
    EXPECT_TRUE(a.body["warnings"].is_array());
    EXPECT_EQ(a.body.contains("status"), !r.bands.empty()) << r.path;
    if (!r.bands.empty()) {
      const Band* b = band_for(r, a.body["value"].get<double>());
      EXPECT_EQ(a.body["status"], b->status);
      EXPECT_TRUE(contains(a.body["interpretation"], b->label)) << a.body["interpretation"];
    }
    EXPECT_EQ(a.body["value"].is_number_integer(), r.integer_value) << r.path;
  }
}

TEST(Metrics, InterpretationsCarryTheFigure) {
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 50000.0, "total_users": 1000})").body["interpretation"],
            "Average revenue per user: $50.00 per month (monthly)");
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 5000000, "total_users": 3, "time_frame": "yearly"})")
                .body["interpretation"],
            "Average revenue per user: $1,666,666.67 per year (yearly)");
  EXPECT_EQ(post("/metrics/retention-rate",
                 R"({"customers_at_start":1000,"customers_at_end":950,"new_customers_acquired":100})")
                .body["interpretation"],
            "Customer retention rate: 85% (Good)");
  EXPECT_EQ(post("/metrics/session-duration",
                 R"({"total_session_duration_seconds":360000.0,"total_number_of_sessions":10000})")
                .body["interpretation"],
            "Average session duration: 36 seconds (0.6 minutes)");
  EXPECT_EQ(post("/metrics/traffic", R"({"organic_traffic":5000,"paid_traffic":3000})").body["interpretation"],
            "Total traffic: 8,000 visitors (62.5% organic, 37.5% paid) per monthly period");
}

TEST(Metrics, RetentionClampIsWarned) {
  auto a = post("/metrics/retention-rate",
                R"({"customers_at_start":100,"customers_at_end":50,"new_customers_acquired":80})");
  ASSERT_EQ(a.body["warnings"].size(), 1u);
  EXPECT_TRUE(contains(a.body["warnings"][0], "clamped from -30% to 0%"));
  auto ok =
      post("/metrics/retention-rate", R"({"customers_at_start":100,"customers_at_end":90,"new_customers_acquired":0})");
  EXPECT_TRUE(ok.body["warnings"].empty());
}

TEST(Metrics, ChurnRevenueNeedsBothFields) {
  auto a = post("/metrics/churn-rate",
                R"({"customers_lost":5,"total_customers_at_start":100,"revenue_from_lost_customers":10})");
  EXPECT_EQ(a.body["details"]["revenue_churn_rate"], nullptr);
  EXPECT_TRUE(contains(a.body["warnings"][0], "needs both"));
  auto zero_start = post(
      "/metrics/churn-rate",
      R"({"customers_lost":5,"total_customers_at_start":100,"revenue_from_lost_customers":0,"total_revenue_at_start":0})");
  EXPECT_EQ(zero_start.status, 200);
  EXPECT_TRUE(contains(zero_start.body["warnings"][0], "greater than 0"));
  auto plain_churn = post("/metrics/churn-rate", R"({"customers_lost":5,"total_customers_at_start":100})");
  EXPECT_TRUE(plain_churn.body["warnings"].empty());
  EXPECT_EQ(plain_churn.body["details"]["annualized_churn_rate_percent"], 45.96);
}

TEST(Metrics, MrrDetailsAndWarnings) {
  auto both = post("/metrics/mrr", R"({"arpu":10,"number_of_accounts":10,"current_monthly_subscriptions":1})");
  EXPECT_TRUE(contains(both.body["warnings"][0], "Both methods"));
  auto detailed = post(
      "/metrics/mrr",
      R"({"current_monthly_subscriptions":45000,"revenue_new_subscriptions":5000,"revenue_upgrades":2000,"revenue_downgrades":500,"revenue_lost_customers":1500})");
  EXPECT_EQ(detailed.body["details"]["mrr_growth_percent"], 11.11);
  auto negative = post("/metrics/mrr", R"({"current_monthly_subscriptions":100,"revenue_lost_customers":500})");
  EXPECT_EQ(negative.body["value"], -400.0);
  EXPECT_EQ(negative.body["interpretation"], "MRR: -$400.00, ARR: -$4,800.00");
  EXPECT_FALSE(negative.body["warnings"].empty());
}

TEST(Metrics, NpsAndEgrDetails) {
  auto nps = post("/metrics/nps", R"({"promoters":500,"passives":300,"detractors":200})");
  EXPECT_EQ(nps.body["details"], Json({{"total_responses", 1000},
                                       {"promoters_percent", 50.0},
                                       {"passives_percent", 30.0},
                                       {"detractors_percent", 20.0}}));
  auto all_detractors = post("/metrics/nps", R"({"promoters":0,"passives":0,"detractors":7})");
  EXPECT_EQ(all_detractors.body["value"], -100.0);
  EXPECT_EQ(all_detractors.body["status"], "needs_urgent_improvement");
}

TEST(Metrics, CesBandsScaleWithTheScale) {
  auto five =
      post("/metrics/ces", R"({"sum_of_all_effort_scores":250,"total_number_of_respondents":100,"scale_max":5})");
  EXPECT_EQ(five.body["value"], 2.5);
  EXPECT_EQ(five.body["status"], "average");  // 2.5 of 5 is 3.5 of 7
  EXPECT_EQ(five.body["details"]["normalized_7_point"], 3.5);
  EXPECT_EQ(post("/metrics/ces", R"({"sum_of_all_effort_scores":1,"total_number_of_respondents":1,"scale_max":0})")
                .body["detail"][0]["type"],
            "greater_than_equal");
}

TEST(Metrics, UserActionBreakdownChecksItsSum) {
  auto a = post("/metrics/user-actions", R"({"total_actions":100,"total_sessions":10,"action_types":{"clicks":60}})");
  EXPECT_EQ(a.body["details"]["action_types"]["clicks"],
            Json({{"count", 60}, {"per_session", 6.0}, {"share_percent", 60.0}}));
  EXPECT_TRUE(contains(a.body["warnings"][0], "add up to 60"));
}

TEST(Metrics, VelocityAndTeamSize) {
  EXPECT_EQ(post("/metrics/velocity", R"({"story_points_completed":85,"sprint_length_days":14,"team_size":0})")
                .body["detail"][0]["type"],
            "greater_than");
  EXPECT_EQ(post("/metrics/velocity", R"({"story_points_completed":85,"sprint_length_days":14,"team_size":8})")
                .body["interpretation"],
            "Velocity: 85 story points in a 14-day sprint (6.07 per day, 10.62 per person)");
}

TEST(Metrics, NamesResolveToCatalogRoutes) {
  EXPECT_EQ(find_route_by_name("churn_rate")->path, "/metrics/churn-rate");
  EXPECT_EQ(find_route_by_name("MRR")->path, "/metrics/mrr");
  EXPECT_EQ(find_route_by_name("Net Promoter Score (NPS)")->path, "/metrics/nps");
  EXPECT_EQ(find_route_by_name("dau_mau")->value_domain, ValueDomain::Percentage);
  EXPECT_EQ(find_route_by_name("revenue of the moon"), nullptr);
  EXPECT_EQ(find_route_by_name(""), nullptr);
}

}  // namespace
}  // namespace pmkpi
