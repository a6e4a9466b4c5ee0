#pragma once
// Reading the fields of a partial state (PARTIALS.md): each reader checks the type and bounds of one
// field and throws PartialError naming it, which the merge answers as a 422.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

#include "pmkpi/json.hpp"

namespace pmkpi::records::detail {

struct PartialError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

inline const Json& at(const Json& j, const char* key) {
  if (!j.is_object() || !j.contains(key)) throw PartialError(std::string("the field ") + key + " is missing");
  return j[key];
}

inline std::int64_t int_of(const Json& j, const char* name) {
  if (!j.is_number_integer()) throw PartialError(std::string(name) + " should be an integer");
  return j.get<std::int64_t>();
}

/** A list of counts, each >= 0 and below 2^62 (so that sums of a few partial states cannot overflow). */
inline std::vector<std::int64_t> counts_of(const Json& j, const char* name) {
  if (!j.is_array()) throw PartialError(std::string(name) + " should be a list of counts");
  std::vector<std::int64_t> out;
  out.reserve(j.size());
  for (const Json& x : j) {
    const std::int64_t v = int_of(x, name);
    if (v < 0 || v > (std::int64_t{1} << 62)) throw PartialError(std::string(name) + " holds a count out of range");
    out.push_back(v);
  }
  return out;
}

/** Sums of microseconds: 10^7 sessions of 10 years overflow int64. */
__extension__ using Wide = __int128;

/** A 128-bit sum as decimal text (JSON numbers stop at 64 bits). */
inline std::string wide_text(Wide v) {
  if (v == 0) return "0";
  const bool negative = v < 0;
  std::string digits;
  for (; v != 0; v /= 10) digits.insert(digits.begin(), static_cast<char>('0' + (negative ? -(v % 10) : v % 10)));
  return negative ? "-" + digits : digits;
}

inline Wide wide_of(const Json& j, const char* name) {
  if (!j.is_string()) throw PartialError(std::string(name) + " should be a decimal integer as text");
  const std::string& s = j.get_ref<const std::string&>();
  const bool negative = !s.empty() && s[0] == '-';
  if (s.size() == static_cast<std::size_t>(negative) || s.size() > 38)
    throw PartialError(std::string(name) + " should be a decimal integer as text");
  Wide v = 0;
  for (std::size_t i = negative ? 1 : 0; i < s.size(); ++i) {
    if (s[i] < '0' || s[i] > '9') throw PartialError(std::string(name) + " should be a decimal integer as text");
    v = v * 10 + (s[i] - '0');
  }
  return negative ? -v : v;
}

}  // namespace pmkpi::records::detail
