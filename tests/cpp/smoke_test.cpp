#include <gtest/gtest.h>
#include "pmkpi/api.hpp"
TEST(Smoke, Arpu) {
  auto r = pmkpi::handle("POST", "/metrics/arpu", R"({"total_revenue": 50000.0, "total_users": 1000})");
  EXPECT_EQ(r.status, 200) << r.body;
}
