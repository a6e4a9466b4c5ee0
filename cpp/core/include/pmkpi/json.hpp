#pragma once
// JSON type and the number and text formatting every response shares.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace pmkpi {

/** Insertion-ordered JSON, so responses list their keys in the documented order. */
using Json = nlohmann::ordered_json;

/**
 * Appends the compact JSON text of `v` to `out`: the same text as `v.dump()` (numbers included),
 * several times faster, since responses are written on the hot path.
 */
void append_json(std::string& out, const Json& v);

/** How append_json_string treats its text. */
enum class TextSource {
  Trusted,  // ours, valid UTF-8: the fast path of every response
  Foreign   // anything (logs, a client's bytes): invalid UTF-8 becomes \ufffd, DEL and controls \u00XX
};

/** Appends `s` as a JSON string literal (quoted and escaped). Trusted text must be valid UTF-8. */
void append_json_string(std::string& out, std::string_view s, TextSource source = TextSource::Trusted);

/** `s` with each byte that is not part of valid UTF-8 replaced by U+FFFD. */
std::string valid_utf8(std::string_view s);

/** `s` without leading and trailing ASCII whitespace. */
std::string_view trim(std::string_view s);

/** Python's round(x, 2): correctly rounded from the exact binary value, ties to even. */
double round_to(double x, int decimals);

/** "50,000.00": fixed decimals with thousands separators. */
std::string with_commas(double x, int decimals = 2);

/** "$50,000.00", with a leading minus for negative amounts: "-$1,500.00". */
std::string money(double x);

/** "12.5" / "3": shortest decimal text of a number rounded to `decimals`, no trailing zeros. */
std::string plain(double x, int decimals = 2);

}  // namespace pmkpi
