#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pmkpi/json.hpp"

namespace pmkpi {

double round_to(double x, int decimals) {
  if (!std::isfinite(x)) return x;
  // %.*f is correctly rounded from the exact binary value (ties to even), as Python's round().
  char buf[400];
  int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) return x;
  double r = std::strtod(buf, nullptr);
  return r == 0.0 ? 0.0 : r;  // no "-0.0" on the wire
}

std::string with_commas(double x, int decimals) {
  char buf[400];
  int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(x));
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) return "inf";
  std::string digits(buf, static_cast<std::size_t>(n));
  std::size_t point = digits.find('.');
  std::size_t int_len = point == std::string::npos ? digits.size() : point;
  std::string out;
  out.reserve(digits.size() + int_len / 3 + 1);
  bool negative = x < 0 && round_to(x, decimals) != 0.0;
  if (negative) out.push_back('-');
  for (std::size_t i = 0; i < int_len; ++i) {
    if (i > 0 && (int_len - i) % 3 == 0) out.push_back(',');
    out.push_back(digits[i]);
  }
  out.append(digits, int_len, std::string::npos);
  return out;
}

std::string money(double x) {
  std::string s = with_commas(x, 2);
  if (!s.empty() && s[0] == '-') return "-$" + s.substr(1);
  return "$" + s;
}

std::string plain(double x, int decimals) {
  char buf[400];
  int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, round_to(x, decimals));
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) return "inf";
  std::string s(buf, static_cast<std::size_t>(n));
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

}  // namespace pmkpi
