// Time zones, timestamps and calendar periods of the records import layer.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unordered_map>

#include "../civil_date.hpp"
#include "pmkpi/records.hpp"
#include "tz_table.hpp"

namespace pmkpi::records {

struct TimeZone::Rules {
  std::int64_t initial = 0;
  std::vector<std::int64_t> at;      // UTC second of each transition, increasing
  std::vector<std::int64_t> offset;  // offset in force from at[i]
};

namespace {

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  const std::int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::shared_ptr<const TimeZone::Rules> decode(const detail::TzData& d) {
  auto rules = std::make_shared<TimeZone::Rules>();
  rules->initial = d.initial_offset;
  std::int64_t t = 0;
  for (const char* p = d.transitions; *p != '\0';) {
    char* end = nullptr;
    t += std::strtoll(p, &end, 10);
    const std::int64_t off = std::strtoll(end + 1, &end, 10);
    rules->at.push_back(t);
    rules->offset.push_back(off);
    p = *end == ',' ? end + 1 : end;
  }
  return rules;
}

/** The decoded rules of a table entry, decoded once per process. */
std::shared_ptr<const TimeZone::Rules> rules_of(std::uint16_t index) {
  static std::mutex mutex;
  static std::unordered_map<std::uint16_t, std::shared_ptr<const TimeZone::Rules>> cache;
  std::lock_guard<std::mutex> lock(mutex);
  auto& slot = cache[index];
  if (!slot) slot = decode(detail::kTzData[index]);
  return slot;
}

/** Digits [at, at+n) of s as a number, or -1. */
int digits(std::string_view s, std::size_t at, std::size_t n) {
  if (at + n > s.size()) return -1;
  int v = 0;
  for (std::size_t i = at; i < at + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return -1;
    v = v * 10 + (s[i] - '0');
  }
  return v;
}

/** "+05:30", "-0800", "+02" at the whole of s: seconds east of UTC. */
std::optional<std::int64_t> parse_offset(std::string_view s) {
  if (s.size() < 3 || (s[0] != '+' && s[0] != '-')) return std::nullopt;
  const int sign = s[0] == '-' ? -1 : 1;
  const int h = digits(s, 1, 2);
  int m = 0;
  if (s.size() == 6 && s[3] == ':') {
    m = digits(s, 4, 2);
  } else if (s.size() == 5) {
    m = digits(s, 3, 2);
  } else if (s.size() != 3) {
    return std::nullopt;
  }
  if (h < 0 || m < 0 || h > 23 || m > 59) return std::nullopt;
  return sign * (h * 3600 + m * 60);
}

/** "UTC+2", "GMT-05:30" style offsets: seconds east, or nullopt. */
std::optional<std::int64_t> parse_prefixed_offset(std::string_view s) {
  if (s.size() <= 3 || !(iequals(s.substr(0, 3), "UTC") || iequals(s.substr(0, 3), "GMT"))) return std::nullopt;
  std::string_view rest = s.substr(3);
  if (rest.size() == 2 || (rest.size() == 5 && rest[2] == ':')) {  // UTC+2, UTC+2:30
    std::string padded = std::string(1, rest[0]) + "0" + std::string(rest.substr(1));
    return parse_offset(padded);
  }
  return parse_offset(rest);
}

bool leap(std::int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }
unsigned days_in_month(std::int64_t y, unsigned m) {
  static const unsigned d[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : d[m - 1];
}

/** The time of day and zone after a date: "T10:00:00.5Z". Adds seconds to `local` and sets `offset`. */
bool parse_time_part(std::string_view s, std::int64_t& seconds, std::int64_t& micros,
                     std::optional<std::int64_t>& offset) {
  const int h = digits(s, 0, 2), mi = digits(s, 3, 2);
  if (h < 0 || mi < 0 || s[2] != ':' || h > 24 || mi > 59) return false;
  std::size_t at = 5;
  int sec = 0;
  if (at < s.size() && s[at] == ':') {
    sec = digits(s, at + 1, 2);
    if (sec < 0 || sec > 60) return false;
    at += 3;
    if (at < s.size() && (s[at] == '.' || s[at] == ',')) {
      ++at;
      std::int64_t scale = 100000;
      const std::size_t first = at;
      for (; at < s.size() && std::isdigit(static_cast<unsigned char>(s[at])); ++at, scale /= 10)
        micros += (s[at] - '0') * scale;
      if (at == first) return false;
    }
  }
  if (h == 24 && (mi != 0 || sec != 0 || micros != 0)) return false;
  seconds = h * 3600 + mi * 60 + std::min(sec, 59);
  std::string_view zone = trimmed(s.substr(at));
  if (zone.empty()) return true;
  if (zone == "Z" || zone == "z" || iequals(zone, "UTC") || iequals(zone, "GMT")) {
    offset = 0;
    return true;
  }
  offset = parse_offset(zone);
  return offset.has_value();
}

bool parse_epoch(std::string_view s, TimestampUnit unit, Instant& out) {
  double v = 0;
  if (!parse_number(s, v)) return false;
  const double scale = unit == TimestampUnit::Seconds ? 1e6 : unit == TimestampUnit::Millis ? 1e3 : 1.0;
  const double us = v * scale;
  if (!(us > -9.2e18 && us < 9.2e18)) return false;
  out = static_cast<Instant>(us);
  return true;
}

}  // namespace

// The core's one calendar (civil_date.hpp), in the records API's types.
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  return civil::days_from_civil(y, static_cast<int>(m), static_cast<int>(d));
}

CivilDate civil_from_days(std::int64_t z) {
  const civil::Date c = civil::civil_from_days(z);
  return {c.year, static_cast<unsigned>(c.month), static_cast<unsigned>(c.day)};
}

TimeZone::TimeZone() : name_("UTC") {}

std::optional<TimeZone> TimeZone::parse(std::string_view raw) {
  const std::string_view name = trimmed(raw);
  TimeZone z;
  z.name_ = std::string(name);
  if (name.empty() || iequals(name, "UTC") || iequals(name, "Z") || iequals(name, "GMT") || iequals(name, "Etc/UTC")) {
    z.name_ = name.empty() ? "UTC" : std::string(name);
    return z;
  }
  if (auto off = parse_offset(name)) {
    z.fixed_offset_ = *off;
    return z;
  }
  if (auto off = parse_prefixed_offset(name)) {
    z.fixed_offset_ = *off;
    return z;
  }
  for (std::size_t i = 0; i < detail::kTzNameCount; ++i) {
    if (iequals(detail::kTzNames[i].name, name)) {
      z.name_ = detail::kTzNames[i].name;
      z.rules_ = rules_of(detail::kTzNames[i].data);
      return z;
    }
  }
  return std::nullopt;
}

std::vector<std::string> time_zone_names() {
  std::vector<std::string> out;
  out.reserve(detail::kTzNameCount);
  for (std::size_t i = 0; i < detail::kTzNameCount; ++i) out.emplace_back(detail::kTzNames[i].name);
  return out;
}

std::int64_t TimeZone::offset_at(std::int64_t utc) const {
  if (!rules_) return fixed_offset_;
  const auto it = std::upper_bound(rules_->at.begin(), rules_->at.end(), utc);
  if (it == rules_->at.begin()) return rules_->initial;
  return rules_->offset[static_cast<std::size_t>(it - rules_->at.begin()) - 1];
}

std::int64_t TimeZone::to_utc(std::int64_t local) const {
  if (!rules_) return local - fixed_offset_;
  // The offsets in force a day either side bracket every transition near `local`.
  const std::int64_t before = offset_at(local - 86400 * 2), after = offset_at(local + 86400 * 2);
  const std::int64_t a = local - before, b = local - after;
  const bool a_ok = a + offset_at(a) == local, b_ok = b + offset_at(b) == local;
  if (a_ok && b_ok) return std::min(a, b);
  if (a_ok) return a;
  if (b_ok) return b;
  return a;  // in a gap: read with the offset before it
}

std::optional<TimestampUnit> parse_timestamp_unit(std::string_view t) {
  if (t.empty()) return TimestampUnit::None;
  if (t == "s") return TimestampUnit::Seconds;
  if (t == "ms") return TimestampUnit::Millis;
  if (t == "us") return TimestampUnit::Micros;
  return std::nullopt;
}

bool parse_timestamp(std::string_view raw, const TimeZone& zone, TimestampUnit unit, Instant& out) {
  const std::string_view s = trimmed(raw);
  if (unit != TimestampUnit::None && s.find('-', 1) == std::string_view::npos) return parse_epoch(s, unit, out);
  if (s.size() < 10 || s[4] != '-' || s[7] != '-') return false;
  const int y = digits(s, 0, 4), m = digits(s, 5, 2), d = digits(s, 8, 2);
  if (y < 0 || m < 1 || m > 12 || d < 1 || static_cast<unsigned>(d) > days_in_month(y, m)) return false;
  std::int64_t seconds = 0, micros = 0;
  std::optional<std::int64_t> offset;
  if (s.size() > 10) {
    if (s[10] != 'T' && s[10] != 't' && s[10] != ' ') return false;
    if (s.size() < 16 || !parse_time_part(s.substr(11), seconds, micros, offset)) return false;
  }
  const std::int64_t local = days_from_civil(y, m, d) * 86400 + seconds;
  const std::int64_t utc = offset ? local - *offset : zone.to_utc(local);
  out = utc * kMicrosPerSecond + micros;
  return true;
}

std::optional<PeriodKind> parse_period_kind(std::string_view t) {
  if (t == "day") return PeriodKind::Day;
  if (t == "week") return PeriodKind::Week;
  if (t == "month") return PeriodKind::Month;
  if (t == "quarter") return PeriodKind::Quarter;
  return std::nullopt;
}

const char* period_name(PeriodKind kind) {
  switch (kind) {
    case PeriodKind::Day:
      return "day";
    case PeriodKind::Week:
      return "week";
    case PeriodKind::Month:
      return "month";
    case PeriodKind::Quarter:
      return "quarter";
  }
  return "month";
}

std::optional<int> parse_week_start(std::string_view t) {
  static const char* names[] = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"};
  for (int i = 0; i < 7; ++i)
    if (iequals(t, names[i])) return i;
  return std::nullopt;
}

std::int64_t Calendar::period_of_day(std::int64_t day) const {
  switch (kind) {
    case PeriodKind::Day:
      return day;
    case PeriodKind::Week:
      return floor_div(day + 3 - week_start, 7);  // 1970-01-05 was a Monday
    case PeriodKind::Month: {
      const CivilDate c = civil_from_days(day);
      return c.year * 12 + (c.month - 1);
    }
    case PeriodKind::Quarter: {
      const CivilDate c = civil_from_days(day);
      return c.year * 4 + (c.month - 1) / 3;
    }
  }
  return day;
}

std::int64_t Calendar::period_of(Instant t) const {
  const std::int64_t utc = floor_div(t, kMicrosPerSecond);
  return period_of_day(floor_div(utc + zone.offset_at(utc), 86400));
}

std::int64_t Calendar::first_day(std::int64_t p) const {
  switch (kind) {
    case PeriodKind::Day:
      return p;
    case PeriodKind::Week:
      return p * 7 - 3 + week_start;
    case PeriodKind::Month:
      return days_from_civil(floor_div(p, 12), static_cast<unsigned>(p - floor_div(p, 12) * 12 + 1), 1);
    case PeriodKind::Quarter:
      return days_from_civil(floor_div(p, 4), static_cast<unsigned>((p - floor_div(p, 4) * 4) * 3 + 1), 1);
  }
  return p;
}

Instant Calendar::start_of(std::int64_t p) const { return zone.to_utc(first_day(p) * 86400) * kMicrosPerSecond; }

std::string Calendar::name(std::int64_t p) const {
  char buf[32];
  const CivilDate c = civil_from_days(first_day(p));
  if (kind == PeriodKind::Month) {
    std::snprintf(buf, sizeof buf, "%04lld-%02u", static_cast<long long>(c.year), c.month);
  } else if (kind == PeriodKind::Quarter) {
    std::snprintf(buf, sizeof buf, "%04lld-Q%u", static_cast<long long>(c.year), (c.month - 1) / 3 + 1);
  } else {
    std::snprintf(buf, sizeof buf, "%04lld-%02u-%02u", static_cast<long long>(c.year), c.month, c.day);
  }
  return buf;
}

int Calendar::per_year() const {
  switch (kind) {
    case PeriodKind::Day:
      return 365;
    case PeriodKind::Week:
      return 52;
    case PeriodKind::Month:
      return 12;
    case PeriodKind::Quarter:
      return 4;
  }
  return 12;
}

}  // namespace pmkpi::records
