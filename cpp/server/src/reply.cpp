#include "reply.hpp"

#include <cctype>
#include <cstdio>

#include "pmkpi/json.hpp"

namespace pmkpi::server {

const std::string* Reply::header(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (iequals(k, name)) return &v;
  return nullptr;
}

Reply error_reply(int status, std::string_view detail) {
  Reply r;
  r.status = status;
  r.headers.emplace_back("content-type", "application/json");
  r.body = "{\"detail\":" + json_quote(detail) + "}";
  return r;
}

Reply method_not_allowed(std::string_view allow) {
  Reply r = error_reply(405, "Method Not Allowed");
  r.headers.emplace_back("allow", std::string(allow));
  return r;
}

std::string http_date(std::time_t t) {
  static const char* const kDays[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static const char* const kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                        "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02d %s %04d %02d:%02d:%02d GMT", kDays[tm.tm_wday], tm.tm_mday,
                kMonths[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min, tm.tm_sec);
  return buf;
}

std::string json_quote(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 2);
  append_json_string(out, s, TextSource::Foreign);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(a[i])) != std::tolower(static_cast<unsigned char>(b[i]))) return false;
  return true;
}

}  // namespace pmkpi::server
