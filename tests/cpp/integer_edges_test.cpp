// Integer counts at the edge of 64 bits (issue 15): sums that do not fit are a clear 400, never a
// signed overflow; conversions stay in range. The ASan+UBSan preset runs these too.
#include <limits>

#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;
constexpr long long kMax = std::numeric_limits<long long>::max();

TEST(IntegerEdges, NpsTotalAtTheLargestCountIsAnswered) {
  const auto r = post("/metrics/nps", Json{{"promoters", kMax}, {"passives", 0}, {"detractors", 0}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.body["value"], 100.0);
  EXPECT_EQ(r.body["details"]["total_responses"], kMax);
}

TEST(IntegerEdges, NpsTotalBeyondTheLargestCountIs400) {
  for (const Json& body : {Json{{"promoters", kMax}, {"passives", 1}, {"detractors", 0}},
                           Json{{"promoters", kMax}, {"passives", 0}, {"detractors", kMax}},
                           Json{{"promoters", 1}, {"passives", kMax}, {"detractors", kMax}}}) {
    const auto r = post("/metrics/nps", body);
    ASSERT_EQ(r.status, 400) << body.dump();
    EXPECT_EQ(r.body["detail"],
              "promoters + passives + detractors exceeds 9223372036854775807, the largest count this API represents.");
  }
}

TEST(IntegerEdges, RetentionCountsAtTheLargestValue) {
  const auto r = post("/metrics/retention-rate",
                      Json{{"customers_at_start", 1}, {"customers_at_end", kMax}, {"new_customers_acquired", 0}});
  ASSERT_EQ(r.status, 200) << r.raw.body;
  EXPECT_EQ(r.body["value"], 100.0);  // clamped, with a warning
  EXPECT_EQ(r.body["details"]["retained_customers"], kMax);
  EXPECT_EQ(r.body["warnings"].size(), 1u);
  const auto low = post("/metrics/retention-rate",
                        Json{{"customers_at_start", kMax}, {"customers_at_end", 0}, {"new_customers_acquired", kMax}});
  ASSERT_EQ(low.status, 200) << low.raw.body;
  EXPECT_EQ(low.body["details"]["retained_customers"], 0);
  EXPECT_EQ(low.body["value"], 0.0);
}

}  // namespace
}  // namespace pmkpi
