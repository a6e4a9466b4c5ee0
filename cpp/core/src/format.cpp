#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "pmkpi/json.hpp"

namespace pmkpi {
namespace {

constexpr double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10};

/**
 * round(x * 10^decimals) computed from the exact binary value of x, ties to even, without
 * formatting text: the product's rounding error is recovered exactly with fma. False when the
 * scaled value is too large for the fast path (the caller falls back to printf).
 */
bool scaled_integer(double x, int decimals, long long& out) {
  if (decimals < 0 || decimals > 10 || !std::isfinite(x)) return false;
  const double scale = kPow10[decimals];
  const double y = x * scale;
  if (!(std::fabs(y) < 4e15)) return false;
  const double err = std::fma(x, scale, -y);  // x * scale == y + err exactly
  const double floor_y = std::floor(y);
  const double d = (y - floor_y) - 0.5;  // exact: both steps are exact in this range
  double n = floor_y;
  if (d > -err)
    n += 1;  // the exact fraction is above one half
  else if (d == -err && std::fmod(floor_y, 2.0) != 0)
    n += 1;  // an exact tie goes to even
  out = static_cast<long long>(n);
  return true;
}

/** Decimal digits of |n| with a point `decimals` from the right: 12345, 2 -> "123.45". */
std::string fixed_digits(unsigned long long n, int decimals) {
  char buf[32];
  int i = sizeof buf;
  int written = 0;
  do {
    if (written == decimals && decimals > 0) buf[--i] = '.';
    buf[--i] = static_cast<char>('0' + n % 10);
    n /= 10;
    ++written;
  } while (n > 0 || written <= decimals);
  return std::string(buf + i, sizeof buf - static_cast<std::size_t>(i));
}

/** Fixed-point text of |x| rounded to `decimals`, as "%.*f" prints it (without the sign). */
std::string fixed_abs(double x, int decimals) {
  long long n;
  if (scaled_integer(std::fabs(x), decimals, n)) return fixed_digits(static_cast<unsigned long long>(n), decimals);
  char buf[400];
  int len = std::snprintf(buf, sizeof buf, "%.*f", decimals, std::fabs(x));
  if (len <= 0 || len >= static_cast<int>(sizeof buf)) return "inf";
  return std::string(buf, static_cast<std::size_t>(len));
}

}  // namespace

double round_to(double x, int decimals) {
  if (!std::isfinite(x)) return x;
  long long scaled;
  if (scaled_integer(x, decimals, scaled)) {
    const double r = static_cast<double>(scaled) / kPow10[decimals];  // correctly rounded, as strtod of the text
    return r == 0.0 ? 0.0 : r;
  }
  // %.*f is correctly rounded from the exact binary value (ties to even), as Python's round().
  char buf[400];
  int n = std::snprintf(buf, sizeof buf, "%.*f", decimals, x);
  if (n <= 0 || n >= static_cast<int>(sizeof buf)) return x;
  double r = std::strtod(buf, nullptr);
  return r == 0.0 ? 0.0 : r;  // no "-0.0" on the wire
}

std::string with_commas(double x, int decimals) {
  const std::string digits = fixed_abs(x, decimals);
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
  const double r = round_to(x, decimals);
  std::string s = (r < 0 ? "-" : "") + fixed_abs(r, decimals);
  if (s.find('.') != std::string::npos) {
    while (!s.empty() && s.back() == '0') s.pop_back();
    if (!s.empty() && s.back() == '.') s.pop_back();
  }
  if (s == "-0") s = "0";
  return s;
}

namespace {

/** Length of the valid UTF-8 sequence at s[i], or 0. */
std::size_t utf8_length(std::string_view s, std::size_t i) {
  const auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const unsigned char c = b(0);
  std::size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xE ? 3 : (c >> 3) == 0x1E ? 4 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((b(k) & 0xC0) != 0x80) return 0;
  if (n == 2 && c < 0xC2) return 0;                   // overlong
  if (n == 3 && c == 0xE0 && b(1) < 0xA0) return 0;   // overlong
  if (n == 3 && c == 0xED && b(1) >= 0xA0) return 0;  // surrogate
  if (n == 4 && ((c == 0xF0 && b(1) < 0x90) || c > 0xF4 || (c == 0xF4 && b(1) >= 0x90))) return 0;
  return n;
}

/** Foreign text: valid UTF-8 kept, invalid bytes as \ufffd, controls and DEL as \u00XX. */
void append_foreign_string(std::string& out, std::string_view s) {
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = utf8_length(s, i);
      if (n == 0) {
        out += "\\ufffd";
        ++i;
      } else {
        out.append(s.substr(i, n));
        i += n;
      }
      continue;
    }
    if (c == '"') {
      out += "\\\"";
    } else if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else if (c == '\r') {
      out += "\\r";
    } else if (c == '\t') {
      out += "\\t";
    } else if (c < 0x20 || c == 0x7F) {
      out += "\\u00";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    } else {
      out.push_back(static_cast<char>(c));
    }
    ++i;
  }
  out.push_back('"');
}

}  // namespace

std::string valid_utf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const std::size_t n = utf8_length(s, i);
    if (n == 0) {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

void append_json_string(std::string& out, std::string_view s, TextSource source) {
  if (source == TextSource::Foreign) return append_foreign_string(out, s);
  static const char* hex = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;  // start of the current run of bytes that need no escaping
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out.push_back(hex[c >> 4]);
        out.push_back(hex[c & 15]);
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

void append_json(std::string& out, const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: {
      out.push_back('{');
      bool first = true;
      for (auto it = v.begin(); it != v.end(); ++it) {
        if (!first) out.push_back(',');
        first = false;
        append_json_string(out, it.key());
        out.push_back(':');
        append_json(out, it.value());
      }
      out.push_back('}');
      return;
    }
    case Json::value_t::array: {
      out.push_back('[');
      bool first = true;
      for (const auto& item : v) {
        if (!first) out.push_back(',');
        first = false;
        append_json(out, item);
      }
      out.push_back(']');
      return;
    }
    case Json::value_t::string:
      append_json_string(out, v.get_ref<const std::string&>());
      return;
    case Json::value_t::boolean:
      out += v.get<bool>() ? "true" : "false";
      return;
    case Json::value_t::number_integer:
    case Json::value_t::number_unsigned: {
      char buf[24];
      auto res = v.is_number_unsigned() ? std::to_chars(buf, buf + sizeof buf, v.get<unsigned long long>())
                                        : std::to_chars(buf, buf + sizeof buf, v.get<long long>());
      out.append(buf, res.ptr);
      return;
    }
    case Json::value_t::number_float: {
      const double x = v.get<double>();
      if (!std::isfinite(x)) {
        out += "null";
        return;
      }
      char buf[64];
      char* end = nlohmann::detail::to_chars(buf, buf + sizeof buf, x);  // the text dump() writes
      out.append(buf, end);
      return;
    }
    case Json::value_t::null:
    case Json::value_t::discarded:
    case Json::value_t::binary:
      out += "null";
      return;
  }
}

}  // namespace pmkpi
