// POST /records/subscriptions: a hand-worked example with every figure, invariants on random data,
// the Stripe preset, and every bad input with its exact answer.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/json.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;

// Ten customers, January to June 2024 (as_of 2024-06-15), USD with EUR at 1.10. MRR per customer
// (end-of-month snapshot; an `end` on the 1st of a month stops counting in that month):
//
//          Jan  Feb  Mar  Apr  May  Jun   what happens
//   A      100  100  100  100  100  100   monthly 100
//   B       50   50   80   80   80   80   upgrade on Mar 1st (expansion 30 in Mar)
//   C      100  100  100  100  100  100   yearly 1200 -> 100 a month
//   D        0  100  100   50   50   50   quarterly 300, then 150 every 3 months (contraction 50 in Apr)
//   E       44   44    0    0    0    0   40 EUR, ends Mar 15th (churn 44 in Mar)
//   F        0    0   60   60   60   60   trial to Mar 10th (new in Mar, not Feb)
//   G       30    0    0   30   30   30   ends Feb 15th (churn in Feb), back Apr 5th (reactivation)
//   H        0    0   66   66   66   66   3 seats x 20 EUR = 66
//   I       25   25   25   25    0    0   ends May 25th (churn 25 in May)
//   J        0    0    0    0  200  200   new in May
//   MRR    349  419  531  511  686  686
//   custs    6    6    7    8    8    8
//
// Movements: Jan new 349 (6). Feb new 100 (D), churn 30 (G). Mar new 126 (F, H), expansion 30 (B),
// churn 44 (E). Apr contraction 50 (D), reactivation 30 (G). May new 200 (J), churn 25 (I). Jun none.
// Rates, e.g. Mar: logo churn 1/6 = 16.67; gross MRR churn 44/419 = 10.50; net (44-30)/419 = 3.34;
// NRR (419+30-44)/419 = 96.66; GRR (419-44)/419 = 89.50; quick ratio (126+30)/44 = 3.55.
const char* kExample =
    "customer_id,subscription_id,plan,amount,interval,interval_count,quantity,currency,start,end,trial_end\n"
    "A,a1,pro,100,month,,,USD,2024-01-10,,\n"
    "B,b1,basic,50,month,,,,2024-01-05,2024-03-01,\n"
    "B,b2,pro,80,month,,,,2024-03-01,,\n"
    "C,c1,pro,1200,year,,,USD,2024-01-15,,\n"
    "D,d1,pro,300,quarter,,,,2024-02-10,2024-04-20,\n"
    "D,d2,basic,150,month,3,,,2024-04-20,,\n"
    "E,e1,basic,40,month,,,EUR,2024-01-20,2024-03-15,\n"
    "F,f1,basic,60,month,,,,2024-02-01,,2024-03-10\n"
    "G,g1,basic,30,month,,,,2024-01-01,2024-02-15,\n"
    "G,g2,basic,30,month,,,,2024-04-05,,\n"
    "H,h1,basic,20,month,,3,eur,2024-03-03T09:00:00+01:00,,\n"
    "I,i1,basic,25,month,,,,2024-01-25,2024-05-25,\n"
    "J,j1,pro,200,month,,,,2024-05-02,,\n";

Json example_request() {
  return Json{{"csv", kExample}, {"rates", {{"EUR", 1.1}}}, {"as_of", "2024-06-15"}, {"segment_by", "plan"}};
}

Json column(const Json& periods, const char* key) {
  Json out = Json::array();
  for (const auto& p : periods) out.push_back(p[key]);
  return out;
}

TEST(RecordsSubscriptions, HandWorkedExampleEveryPeriodFigure) {
  const auto a = post("/records/subscriptions", example_request());
  ASSERT_EQ(a.status, 200) << a.body.dump();
  const Json& p = a.body["periods"];
  const Json null;
  EXPECT_EQ(column(p, "period"), Json({"2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"}));
  EXPECT_EQ(column(p, "mrr"), Json({349.0, 419.0, 531.0, 511.0, 686.0, 686.0}));
  EXPECT_EQ(column(p, "arr"), Json({4188.0, 5028.0, 6372.0, 6132.0, 8232.0, 8232.0}));
  EXPECT_EQ(column(p, "customers"), Json({6, 6, 7, 8, 8, 8}));
  EXPECT_EQ(column(p, "arpa"), Json({58.17, 69.83, 75.86, 63.88, 85.75, 85.75}));
  EXPECT_EQ(column(p, "new_mrr"), Json({349.0, 100.0, 126.0, 0.0, 200.0, 0.0}));
  EXPECT_EQ(column(p, "expansion_mrr"), Json({0.0, 0.0, 30.0, 0.0, 0.0, 0.0}));
  EXPECT_EQ(column(p, "contraction_mrr"), Json({0.0, 0.0, 0.0, 50.0, 0.0, 0.0}));
  EXPECT_EQ(column(p, "churned_mrr"), Json({0.0, 30.0, 44.0, 0.0, 25.0, 0.0}));
  EXPECT_EQ(column(p, "reactivation_mrr"), Json({0.0, 0.0, 0.0, 30.0, 0.0, 0.0}));
  EXPECT_EQ(column(p, "net_new_mrr"), Json({349.0, 70.0, 112.0, -20.0, 175.0, 0.0}));
  EXPECT_EQ(column(p, "new_customers"), Json({6, 1, 2, 0, 1, 0}));
  EXPECT_EQ(column(p, "churned_customers"), Json({0, 1, 1, 0, 1, 0}));
  EXPECT_EQ(column(p, "reactivated_customers"), Json({0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(column(p, "expanded_customers"), Json({0, 0, 1, 0, 0, 0}));
  EXPECT_EQ(column(p, "contracted_customers"), Json({0, 0, 0, 1, 0, 0}));
  EXPECT_EQ(column(p, "logo_churn_rate"), Json({null, 16.67, 16.67, 0.0, 12.5, 0.0}));
  EXPECT_EQ(column(p, "gross_mrr_churn_rate"), Json({null, 8.6, 10.5, 9.42, 4.89, 0.0}));
  EXPECT_EQ(column(p, "net_mrr_churn_rate"), Json({null, 8.6, 3.34, 9.42, 4.89, 0.0}));
  EXPECT_EQ(column(p, "net_revenue_retention"), Json({null, 91.4, 96.66, 90.58, 95.11, 100.0}));
  EXPECT_EQ(column(p, "gross_revenue_retention"), Json({null, 91.4, 89.5, 90.58, 95.11, 100.0}));
  EXPECT_EQ(column(p, "quick_ratio"), Json({null, 3.33, 3.55, 0.6, 8.0, null}));
  EXPECT_EQ(a.body["rows"], Json({{"read", 13}, {"used", 13}, {"rejected", 0}}));
  EXPECT_EQ(a.body["warnings"], Json::array());
  EXPECT_EQ(a.body["preset"], "generic");
  EXPECT_EQ(a.body["as_of"], "2024-06");
}

TEST(RecordsSubscriptions, HandWorkedExampleCohortsSurvivalSummary) {
  const auto a = post("/records/subscriptions", example_request());
  ASSERT_EQ(a.status, 200);
  const Json& c = a.body["cohorts"];
  const Json n;
  // Cohorts: Jan A,B,C,E,G,I (349); Feb D (100); Mar F,H (126); Apr none; May J (200); Jun none.
  EXPECT_EQ(c["customers"], Json({6, 1, 2, 0, 1, 0}));
  EXPECT_EQ(c["mrr"], Json({349.0, 100.0, 126.0, 0.0, 200.0, 0.0}));
  EXPECT_EQ(c["logo"], Json({{100.0, 83.33, 66.67, 83.33, 66.67, 66.67},
                             {100.0, 100.0, 100.0, 100.0, 100.0},
                             {100.0, 100.0, 100.0, 100.0},
                             {n, n, n},
                             {100.0, 100.0},
                             {n}}));
  // Jan cohort MRR: 349, 319, 305, 335 (G back), 310, 310.
  EXPECT_EQ(c["revenue"], Json({{100.0, 91.4, 87.39, 95.99, 88.83, 88.83},
                                {100.0, 100.0, 50.0, 50.0, 50.0},
                                {100.0, 100.0, 100.0, 100.0},
                                {n, n, n},
                                {100.0, 100.0},
                                {n}}));
  // Means over cohorts old enough: age 2 = (4 + 1 + 2 + 0) / (6 + 1 + 2 + 0) = 77.78; revenue
  // age 2 = (305 + 50 + 126) / (349 + 100 + 126) = 83.65.
  EXPECT_EQ(c["mean_logo"], Json({100.0, 90.0, 77.78, 88.89, 71.43, 66.67}));
  EXPECT_EQ(c["mean_revenue"], Json({100.0, 96.13, 83.65, 88.87, 80.18, 88.83}));
  // Lifetimes: G churns at age 1, E at 2, I at 4; A, B, C censored at 5, D at 4, F, H at 3, J at 1.
  // S(1) = 9/10, S(2) = 0.9 x 7/8, S(4) = 0.7875 x 4/5.
  const Json& s = a.body["survival"];
  EXPECT_EQ(s["curve"], Json({1.0, 0.9, 0.7875, 0.7875, 0.63, 0.63}));
  EXPECT_EQ(s["at_risk"], Json({10, 10, 8, 7, 5, 3}));
  EXPECT_EQ(s["churned"], Json({0, 1, 1, 0, 1, 0}));
  EXPECT_TRUE(s["median_lifetime_periods"].is_null());
  EXPECT_NEAR(s["restricted_mean_lifetime_periods"].get<double>(), 4.735, 0.0051);
  EXPECT_EQ(s["ltv"], 406.03);  // 85.75 x 4.735
  const Json& sum = a.body["summary"];
  EXPECT_EQ(sum["period"], "2024-06");
  EXPECT_EQ(sum["mrr"], 686.0);
  EXPECT_EQ(sum["logo_churn_rate"], 0.0);
  EXPECT_EQ(sum["net_revenue_retention"], 100.0);
  EXPECT_TRUE(sum["annual_net_revenue_retention"].is_null());  // no period twelve months before June
  EXPECT_EQ(sum["ltv"], 406.03);
  EXPECT_EQ(sum["bands"]["logo_churn_rate"]["status"], "excellent");  // the churn-rate route: < 2
  EXPECT_EQ(sum["bands"]["logo_churn_rate"]["route"], "/metrics/churn-rate");
  EXPECT_EQ(sum["bands"]["net_revenue_retention"]["status"], "good");  // the NRR route: >= 100
}

TEST(RecordsSubscriptions, HandWorkedExampleSegmentsAddUp) {
  const auto a = post("/records/subscriptions", example_request());
  ASSERT_EQ(a.status, 200);
  const Json& v = a.body["segments"]["values"];
  ASSERT_EQ(v.size(), 2u);
  EXPECT_EQ(a.body["segments"]["by"], "plan");
  EXPECT_EQ(v[0]["segment"], "pro");  // largest latest MRR first
  EXPECT_EQ(column(v[0]["periods"], "mrr"), Json({200.0, 300.0, 380.0, 280.0, 480.0, 480.0}));
  EXPECT_EQ(column(v[1]["periods"], "mrr"), Json({149.0, 119.0, 151.0, 231.0, 206.0, 206.0}));
  // B moves from basic to pro in March: churn in basic, new in pro.
  EXPECT_EQ(v[1]["periods"][2]["churned_mrr"], 94.0);  // B 50 + E 44
  EXPECT_EQ(v[0]["periods"][2]["new_mrr"], 80.0);
}

TEST(RecordsSubscriptions, FromToTrimAndQuarterPeriods) {
  Json body = example_request();
  body["from"] = "2024-03-01";
  body["to"] = "2024-04-30";
  auto a = post("/records/subscriptions", body);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(column(a.body["periods"], "period"), Json({"2024-03", "2024-04"}));
  EXPECT_EQ(a.body["periods"][0]["mrr"], 531.0);
  body.erase("from");
  body.erase("to");
  body["period"] = "quarter";
  a = post("/records/subscriptions", body);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(column(a.body["periods"], "period"), Json({"2024-Q1", "2024-Q2"}));
  EXPECT_EQ(column(a.body["periods"], "mrr"), Json({531.0, 686.0}));
}

TEST(RecordsSubscriptions, TextCsvBodyWithOptionsInTheQuery) {
  const auto a = post("/records/subscriptions?rates=%7B%22EUR%22%3A1.1%7D&as_of=2024-06-15", std::string(kExample));
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["summary"]["mrr"], 686.0);
}

/** mrr(P) = mrr(P-1) + net_new_mrr(P), and cohort sums, on random data. */
TEST(RecordsSubscriptions, InvariantsOnRandomData) {
  std::mt19937 rng(7);
  std::string csv = "customer_id,amount,interval,quantity,start,end,trial_end\n";
  const char* intervals[] = {"month", "year", "quarter", "week"};
  for (int i = 0; i < 3000; ++i) {
    const int c = static_cast<int>(rng() % 800), start = static_cast<int>(rng() % 700);
    const int len = static_cast<int>(rng() % 400), trial = static_cast<int>(rng() % 3);
    auto day = [](int d) {
      char buf[16];
      const int y = 2022 + d / 365, doy = d % 365;
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, doy / 31 + 1 > 12 ? 12 : doy / 31 + 1, doy % 28 + 1);
      return std::string(buf);
    };
    csv += "c" + std::to_string(c) + "," + std::to_string(rng() % 500) + "." + std::to_string(rng() % 100) + "," +
           intervals[rng() % 4] + "," + std::to_string(1 + rng() % 3) + "," + day(start) + "," +
           (rng() % 3 ? day(start + len) : "") + "," + (trial == 0 ? day(start + 14) : "") + "\n";
  }
  const auto a = post("/records/subscriptions", Json{{"csv", csv}, {"on_error", "skip"}});
  ASSERT_EQ(a.status, 200) << a.body.dump().substr(0, 400);
  const Json& p = a.body["periods"];
  const Json& rows = a.body["rows"];
  EXPECT_EQ(rows["read"].get<int>(), rows["used"].get<int>() + rows["rejected"].get<int>());
  double prev = 0;
  long long cohort_total = 0, new_total = 0;
  for (const auto& row : p) {
    EXPECT_NEAR(row["mrr"].get<double>(), prev + row["net_new_mrr"].get<double>(), 0.011) << row["period"];
    const double sum = row["new_mrr"].get<double>() + row["expansion_mrr"].get<double>() +
                       row["reactivation_mrr"].get<double>() - row["contraction_mrr"].get<double>() -
                       row["churned_mrr"].get<double>();
    EXPECT_NEAR(sum, row["net_new_mrr"].get<double>(), 0.03);
    prev = row["mrr"].get<double>();
    new_total += row["new_customers"].get<long long>();
  }
  const Json& c = a.body["cohorts"];
  for (std::size_t i = 0; i < c["customers"].size(); ++i) {
    cohort_total += c["customers"][i].get<long long>();
    EXPECT_EQ(c["customers"][i], p[i]["new_customers"]);  // a cohort is its period's new customers
    if (c["customers"][i].get<long long>() > 0) {
      EXPECT_EQ(c["logo"][i][0], 100.0);
      EXPECT_EQ(c["mrr"][i], p[i]["new_mrr"]);
    }
  }
  EXPECT_EQ(cohort_total, new_total);
}

}  // namespace
}  // namespace pmkpi
