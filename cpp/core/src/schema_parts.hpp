#pragma once
// The pieces of the catalog's JSON that /openapi.json and /metrics/list both show: a field's
// JSON Schema and type name, a route's bands and benchmark segments.

#include <string>

#include "pmkpi/catalog.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::detail {

/** The listing's name of a field type ("number", "list[number]", ...). */
std::string type_name(FieldType t);

/** "total_revenue" -> "Total Revenue", as pydantic titles fields. */
std::string title_case(const std::string& name);

/** JSON Schema of one field: type, bounds, default, description, example. */
Json field_schema(const FieldSpec& f);

/** The bands in order, each with its op, edge and a readable condition. */
Json bands_json(const RouteSpec& r);

/** The benchmark segments, each with its source and bands. */
Json segments_json(const RouteSpec& r);

}  // namespace pmkpi::detail
