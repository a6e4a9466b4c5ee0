#pragma once
// Request-body JSON in linear time. nlohmann's ordered_json looks a key up by a linear search on
// every insert, so an object of n members costs n^2/2 comparisons (100,000 keys: 32 s); this
// parser builds the same document with a hash index per large object. Same values, same order of
// keys (first occurrence), same last-value-wins for a repeated key, same exceptions as Json::parse.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "pmkpi/json.hpp"

namespace pmkpi {
struct FieldSpec;
}

namespace pmkpi::detail {

/** Members one object of a request body may have; more is a 422 (json_invalid). */
inline constexpr std::size_t kMaxObjectMembers = 10000;

/**
 * A cheap pre-scan of the raw text: the byte offset of the first bracket nested deeper than
 * `max_depth`, or of the first member beyond `max_members` in one object, with the reason; npos
 * when neither. (Strings are skipped; the text is not otherwise validated.)
 */
std::size_t structure_problem(std::string_view text, int max_depth, std::size_t max_members, std::string& reason);

/**
 * Json::parse(text) in linear time; throws Json::parse_error / Json::out_of_range as it does. With
 * `keep` (a route's fields), only what the route reads is built: the top-level members those fields
 * name, and the first kEchoValues values depth first, so echoed_input of the result is echoed_input
 * of the whole document (except after a repeated key in that prefix). The text is checked in full.
 */
Json parse_linear(std::string_view text, const std::vector<FieldSpec>* keep = nullptr);

/** Bounds of the `input` a 422 entry echoes (see echoed_input). */
inline constexpr std::size_t kEchoValues = 100;   // values (containers and scalars) in all
inline constexpr std::size_t kEchoString = 1000;  // bytes of one string, then "..."

/**
 * The `input` a validation error echoes: `v` itself when it is small, else a prefix of it. Arrays
 * and objects keep their first items and members, depth first, until kEchoValues values have been
 * copied; a string longer than kEchoString bytes keeps its first kEchoString bytes (cut at a
 * character boundary) followed by "...". A 15 MB body with seven missing fields no longer answers
 * 105 MB, and the answer costs no more than the request.
 */
Json echoed_input(const Json& v);

}  // namespace pmkpi::detail
