#pragma once
// Bodies that are not a JSON object, for routes that accept them (the records routes): the text
// goes to one field, the other fields come from the query string.

#include <string_view>

#include "pmkpi/catalog.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::detail {

/** True when `body` is text for `route`: it declares a text body and `body` does not start as a JSON object. */
bool is_text_body(const RouteSpec& route, std::string_view body);

/**
 * The request of a text body: {"csv": body} (or "records" for a JSON array, "ndjson" for JSON lines)
 * plus every query parameter, percent-decoded (map fields parsed as JSON). False with a json_invalid
 * `error` for an unparsable JSON array.
 */
bool text_request(const RouteSpec& route, std::string_view target, std::string_view body, Json& out, Json& error);

}  // namespace pmkpi::detail
