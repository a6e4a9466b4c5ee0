#pragma once
// Civil (proleptic Gregorian) dates and days since 1970-01-01: the one calendar of the core, used by
// the router's timestamps, request validation and the forecast timestamps. Howard Hinnant's
// algorithms (http://howardhinnant.github.io/date_algorithms.html), exact for every year.

namespace pmkpi::civil {

struct Date {
  long long year = 1970;
  int month = 1;  // 1..12
  int day = 1;    // 1..31
};

constexpr bool is_leap(long long year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

/** Days in `month` (1..12) of `year`. */
constexpr int days_in_month(long long year, int month) {
  constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && is_leap(year) ? 29 : kDays[month - 1];
}

/** Whether year-month-day names a real day. */
constexpr bool is_valid(long long year, int month, int day) {
  return month >= 1 && month <= 12 && day >= 1 && day <= days_in_month(year, month);
}

/** Days since 1970-01-01 of a valid date (negative before it). */
constexpr long long days_from_civil(long long year, int month, int day) {
  year -= month <= 2 ? 1 : 0;
  const long long era = (year >= 0 ? year : year - 399) / 400;
  const long long yoe = year - era * 400;
  const long long doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

constexpr long long days_from_civil(const Date& d) { return days_from_civil(d.year, d.month, d.day); }

/** The date `days` days after 1970-01-01. */
constexpr Date civil_from_days(long long days) {
  const long long z = days + 719468;
  const long long era = (z >= 0 ? z : z - 146096) / 146097;
  const long long doe = z - era * 146097;
  const long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  const long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const long long mp = (5 * doy + 2) / 153;
  Date d;
  d.day = static_cast<int>(doy - (153 * mp + 2) / 5 + 1);
  d.month = static_cast<int>(mp < 10 ? mp + 3 : mp - 9);
  d.year = yoe + era * 400 + (d.month <= 2 ? 1 : 0);
  return d;
}

/** A count of seconds since 1970-01-01T00:00 split into its day and the seconds into that day. */
struct DayTime {
  long long days = 0;
  long long seconds = 0;  // 0..86399, also before 1970
};

constexpr DayTime split_seconds(long long s) {
  DayTime t{s / 86400, s % 86400};
  if (t.seconds < 0) {
    t.seconds += 86400;
    --t.days;
  }
  return t;
}

/** Day of the week, 0 = Monday .. 6 = Sunday (ISO 8601 order). */
constexpr int weekday(long long days) { return static_cast<int>(((days % 7) + 7 + 3) % 7); }

}  // namespace pmkpi::civil
