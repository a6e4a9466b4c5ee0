// ISO 8601 timestamps: parsing, the series' frequency, and the timestamps that continue it.
#include <algorithm>
#include <cctype>
#include <cstdio>

#include "../civil_date.hpp"
#include "internal.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::forecast {
namespace {

constexpr long long kDay = 86400;

using civil::days_from_civil;
using civil::days_in_month;

bool digits(const std::string& s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  out = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(s[i]))) return false;
    out = out * 10 + (s[i] - '0');
  }
  return true;
}

std::string format(long long local_seconds, bool date_only, const std::string& zone) {
  const auto [days, rem] = civil::split_seconds(local_seconds);
  const auto [y, m, d] = civil::civil_from_days(days);
  char buf[128];  // room for every value the types allow
  if (date_only)
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02d", y, m, d);
  else
    std::snprintf(buf, sizeof buf, "%04lld-%02d-%02dT%02lld:%02lld:%02lld", y, m, d, rem / 3600, (rem % 3600) / 60,
                  rem % 60);
  return buf + (date_only ? std::string() : zone);
}

}  // namespace

std::optional<Timestamp> parse_timestamp(const std::string& s) {
  int year, month, day;
  if (!digits(s, 0, 4, year) || s.size() < 10 || s[4] != '-' || !digits(s, 5, 2, month) || s[7] != '-' ||
      !digits(s, 8, 2, day))
    return std::nullopt;
  if (month < 1 || month > 12 || day < 1 || day > days_in_month(year, month)) return std::nullopt;
  Timestamp ts;
  long long secs = 0;
  std::size_t pos = 10;
  if (pos == s.size()) {
    ts.date_only = true;
  } else {
    if (s[pos] != 'T' && s[pos] != 't' && s[pos] != ' ') return std::nullopt;
    int hh, mm, ss = 0;
    if (!digits(s, pos + 1, 2, hh) || pos + 3 >= s.size() || s[pos + 3] != ':' || !digits(s, pos + 4, 2, mm))
      return std::nullopt;
    pos += 6;
    if (pos < s.size() && s[pos] == ':') {
      if (!digits(s, pos + 1, 2, ss)) return std::nullopt;
      pos += 3;
      if (pos < s.size() && (s[pos] == '.' || s[pos] == ',')) {
        std::size_t q = pos + 1;
        while (q < s.size() && std::isdigit(static_cast<unsigned char>(s[q]))) ++q;
        if (q == pos + 1) return std::nullopt;
        pos = q;
      }
    }
    if (hh > 23 || mm > 59 || ss > 59) return std::nullopt;
    secs = hh * 3600LL + mm * 60LL + ss;
    if (pos < s.size()) {
      if (s[pos] == 'Z' || s[pos] == 'z') {
        ts.zone = "Z";
        ++pos;
      } else if (s[pos] == '+' || s[pos] == '-') {
        int oh, om;
        const int sign = s[pos] == '-' ? -1 : 1;
        if (!digits(s, pos + 1, 2, oh)) return std::nullopt;
        std::size_t q = pos + 3;
        if (q < s.size() && s[q] == ':') ++q;
        if (!digits(s, q, 2, om) || oh > 23 || om > 59) return std::nullopt;
        ts.offset_minutes = sign * (oh * 60 + om);
        ts.zone = s.substr(pos, q + 2 - pos);
        pos = q + 2;
      }
    }
    if (pos != s.size()) return std::nullopt;
  }
  ts.epoch_seconds = days_from_civil(year, month, day) * kDay + secs - ts.offset_minutes * 60LL;
  return ts;
}

Frequency infer_frequency(const std::vector<Timestamp>& stamps) {
  Frequency f{"irregular", 1, 0, 0};
  if (stamps.size() < 2) return f;
  std::vector<double> gaps;
  for (std::size_t i = 1; i < stamps.size(); ++i)
    gaps.push_back(static_cast<double>(stamps[i].epoch_seconds - stamps[i - 1].epoch_seconds));
  const double g = detail::median_of(gaps);
  const double days = g / kDay;
  f.seconds = static_cast<long long>(g);
  if (days >= 27.5 && days <= 31.5)
    f = {"monthly", 12, 1, 0};
  else if (days >= 88 && days <= 93)
    f = {"quarterly", 4, 3, 0};
  else if (days >= 364 && days <= 367)
    f = {"yearly", 1, 12, 0};
  else if (days >= 6.5 && days <= 7.5)
    f = {"weekly", 52, 0, 7 * kDay};
  else if (days >= 0.95 && days <= 1.05)
    f = {"daily", 7, 0, kDay};
  else if (g >= 3500 && g <= 3700)
    f = {"hourly", 24, 0, 3600};
  return f;
}

std::vector<std::string> continue_timestamps(const std::vector<Timestamp>& stamps, const Frequency& f, int count) {
  std::vector<std::string> out;
  if (stamps.empty() || count <= 0) return out;
  const Timestamp& last = stamps.back();
  const long long local = last.epoch_seconds + last.offset_minutes * 60LL;
  const auto [days, rem] = civil::split_seconds(local);
  const auto [y, m, d] = civil::civil_from_days(days);
  const bool month_end = d == days_in_month(y, m);
  for (int k = 1; k <= count; ++k) {
    long long next;
    if (f.months > 0) {
      long long total = y * 12 + (m - 1) + static_cast<long long>(f.months) * k;
      const long long ny = total / 12;
      const int nm = static_cast<int>(total % 12) + 1;
      const int nd = month_end ? days_in_month(ny, nm) : std::min(d, days_in_month(ny, nm));
      next = days_from_civil(ny, nm, nd) * kDay + rem;
    } else {
      next = local + std::max<long long>(f.seconds, 1) * k;
    }
    out.push_back(format(next, last.date_only && (f.months > 0 || f.seconds % kDay == 0), last.zone));
  }
  return out;
}

}  // namespace pmkpi::forecast
