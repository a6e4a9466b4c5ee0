#pragma once
// Request validation with FastAPI/pydantic-compatible error entries.

#include <string_view>
#include <vector>

#include "pmkpi/catalog.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi {

/** Deepest nesting of arrays and objects a request body may have. */
inline constexpr int kMaxJsonDepth = 64;

struct Validated {
  Json values = Json::object();  // coerced fields the client gave, plus defaults
  Json errors = Json::array();   // pydantic-style entries: type, loc, msg, input, ctx
  bool ok() const { return errors.empty(); }
};

/**
 * Validates a parsed body against `fields` as pydantic's lax mode does: lists every bad field,
 * coerces integral floats and numeric strings, rejects NaN, infinities and out-of-range integers,
 * ignores unknown fields. `body` is null when the request had no body.
 */
Validated validate(const std::vector<FieldSpec>& fields, const Json* body);

/**
 * A pydantic-shaped error entry: type, loc, msg, the offending input (bounded: a prefix of a large
 * one) and, when given, ctx. Every 422 the core answers is a list of these under "detail".
 */
Json error_entry(std::string_view type, Json loc, std::string msg, const Json& input, Json ctx = nullptr);

/**
 * Parses a request body. On failure returns false and fills `error` with a json_invalid entry
 * (`loc` ["body", position]), also when nesting exceeds kMaxJsonDepth.
 */
bool parse_body(std::string_view text, Json& out, Json& error);

/**
 * parse_body for a route: the whole text is checked, but only the top-level members `fields` name
 * are built whole; of the rest, only the prefix an error's echo of the body shows. What validate()
 * then reads is the same as from the whole document, at the cost of lexing the text.
 */
bool parse_body(std::string_view text, Json& out, Json& error, const std::vector<FieldSpec>& fields);

}  // namespace pmkpi
