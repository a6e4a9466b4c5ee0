// ISO 8601 timestamps of the forecast routes (cpp/core/src/forecast/timestamps.cpp) and the core's
// civil-date module they and the router share (cpp/core/src/civil_date.hpp).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "../../cpp/core/src/civil_date.hpp"
#include "pmkpi/api.hpp"
#include "pmkpi/forecast.hpp"

namespace {

namespace fc = pmkpi::forecast;
namespace civil = pmkpi::civil;

TEST(Timestamps, ParseAndContinue) {
  EXPECT_TRUE(fc::parse_timestamp("2024-02-29").has_value());
  EXPECT_FALSE(fc::parse_timestamp("2023-02-29").has_value());
  EXPECT_FALSE(fc::parse_timestamp("2024-01-01T25:00:00").has_value());
  EXPECT_FALSE(fc::parse_timestamp("yesterday").has_value());
  const auto a = fc::parse_timestamp("2024-01-01T01:00:00+01:00"), b = fc::parse_timestamp("2024-01-01T00:00:00Z");
  ASSERT_TRUE(a && b);
  EXPECT_EQ(a->epoch_seconds, b->epoch_seconds);
  EXPECT_TRUE(fc::parse_timestamp("2024-01-01T00:00:00.123456").has_value());

  std::vector<fc::Timestamp> month_ends;
  for (const char* s : {"2024-01-31", "2024-02-29", "2024-03-31", "2024-04-30"})
    month_ends.push_back(*fc::parse_timestamp(s));
  const fc::Frequency f = fc::infer_frequency(month_ends);
  EXPECT_EQ(f.name, "monthly");
  EXPECT_EQ(fc::continue_timestamps(month_ends, f, 2), std::vector<std::string>({"2024-05-31", "2024-06-30"}));

  std::vector<fc::Timestamp> weekly;
  for (const char* s : {"2024-01-01T09:30:00+02:00", "2024-01-08T09:30:00+02:00", "2024-01-15T09:30:00+02:00"})
    weekly.push_back(*fc::parse_timestamp(s));
  const fc::Frequency w = fc::infer_frequency(weekly);
  EXPECT_EQ(w.name, "weekly");
  EXPECT_EQ(w.seasonal_period, 52);
  EXPECT_EQ(fc::continue_timestamps(weekly, w, 1)[0], "2024-01-22T09:30:00+02:00");
}

TEST(CivilDate, DaysAndDatesRoundTrip) {
  EXPECT_EQ(civil::days_from_civil(1970, 1, 1), 0);
  EXPECT_EQ(civil::days_from_civil(2024, 2, 1), 19754);
  EXPECT_EQ(civil::days_from_civil(1969, 12, 31), -1);
  EXPECT_EQ(civil::days_from_civil(2000, 3, 1) - civil::days_from_civil(2000, 2, 28), 2);  // 2000 is leap
  EXPECT_EQ(civil::days_from_civil(1900, 3, 1) - civil::days_from_civil(1900, 2, 28), 1);  // 1900 is not
  for (long long d = -800000; d <= 800000; d += 997) {
    const civil::Date date = civil::civil_from_days(d);
    ASSERT_TRUE(civil::is_valid(date.year, date.month, date.day)) << d;
    ASSERT_EQ(civil::days_from_civil(date), d);
  }
  const civil::Date leap_day = civil::civil_from_days(civil::days_from_civil(2024, 2, 29));
  EXPECT_EQ(leap_day.year, 2024);
  EXPECT_EQ(leap_day.month, 2);
  EXPECT_EQ(leap_day.day, 29);
}

TEST(CivilDate, MonthLengthsLeapYearsAndWeekdays) {
  EXPECT_EQ(civil::days_in_month(2024, 2), 29);
  EXPECT_EQ(civil::days_in_month(2023, 2), 28);
  EXPECT_EQ(civil::days_in_month(2100, 2), 28);
  EXPECT_EQ(civil::days_in_month(2000, 2), 29);
  EXPECT_EQ(civil::days_in_month(2024, 4), 30);
  EXPECT_EQ(civil::days_in_month(2024, 12), 31);
  EXPECT_FALSE(civil::is_valid(2023, 2, 29));
  EXPECT_FALSE(civil::is_valid(2024, 13, 1));
  EXPECT_FALSE(civil::is_valid(2024, 4, 31));
  EXPECT_TRUE(civil::is_valid(2024, 2, 29));
  EXPECT_EQ(civil::weekday(civil::days_from_civil(1970, 1, 1)), 3);    // a Thursday
  EXPECT_EQ(civil::weekday(civil::days_from_civil(2024, 2, 5)), 0);    // a Monday
  EXPECT_EQ(civil::weekday(civil::days_from_civil(1969, 12, 28)), 6);  // a Sunday
}

TEST(CivilDate, TheRouterAndValidationUseIt) {
  EXPECT_EQ(pmkpi::iso_timestamp(std::chrono::system_clock::time_point(std::chrono::seconds(1709164800))),
            "2024-02-29T00:00:00.000000Z");
  auto date = [](const char* d) {
    return pmkpi::handle(
               "POST", "/metrics/dau-mau",
               std::string(R"({"daily_active_users":1,"monthly_active_users":2,"measurement_date":")") + d + "\"}")
        .status;
  };
  EXPECT_EQ(date("2024-02-29"), 200);
  EXPECT_EQ(date("2023-02-29"), 422);
  EXPECT_EQ(date("2023-04-31"), 422);
}

}  // namespace
