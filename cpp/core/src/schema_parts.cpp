// The parts /openapi.json and /metrics/list share (schema_parts.hpp).
#include "schema_parts.hpp"

#include <cctype>

#include "pmkpi/api.hpp"

namespace pmkpi::detail {

std::string type_name(FieldType t) {
  switch (t) {
    case FieldType::Number:
      return "float";
    case FieldType::Integer:
      return "int";
    case FieldType::String:
      return "string";
    case FieldType::Enum:
      return "enum";
    case FieldType::Date:
      return "date";
    case FieldType::IntMap:
      return "dict[str, int]";
    case FieldType::NumberList:
      return "list[float]";
    case FieldType::StringList:
      return "list[str]";
    case FieldType::NumberListMap:
      return "dict[str, list[float]]";
    case FieldType::ObjectList:
      return "list[dict]";
    case FieldType::StringMap:
      return "dict[str, str]";
    case FieldType::NumberMap:
      return "dict[str, float]";
    case FieldType::Object:
      return "dict";
  }
  return "string";
}

std::string title_case(const std::string& name) {
  std::string out;
  bool start = true;
  for (char c : name) {
    if (c == '_' || c == '-') {
      out.push_back(' ');
      start = true;
      continue;
    }
    out.push_back(start ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    start = false;
  }
  return out;
}

namespace {

void add_bounds(Json& s, const FieldSpec& f) {
  if (f.gt) s["exclusiveMinimum"] = *f.gt;
  if (f.ge) s["minimum"] = *f.ge;
  if (f.le) s["maximum"] = *f.le;
}

}  // namespace

Json field_schema(const FieldSpec& f) {
  Json s = Json::object();
  Json scalar = {{"type", f.type == FieldType::Integer || f.type == FieldType::IntMap ? "integer" : "number"}};
  add_bounds(scalar, f);
  switch (f.type) {
    case FieldType::Number:
    case FieldType::Integer:
      s = scalar;
      break;
    case FieldType::String:
      s["type"] = "string";
      break;
    case FieldType::Enum:
      s["type"] = "string";
      s["enum"] = f.choices;
      break;
    case FieldType::Date:
      s["type"] = "string";
      s["format"] = "date";
      break;
    case FieldType::IntMap:
      s["type"] = "object";
      s["additionalProperties"] = scalar;
      break;
    case FieldType::NumberList:
    case FieldType::StringList: {
      s["type"] = "array";
      s["items"] = f.type == FieldType::StringList ? Json{{"type", "string"}} : scalar;
      if (f.min_items) s["minItems"] = *f.min_items;
      if (f.max_items) s["maxItems"] = *f.max_items;
      break;
    }
    case FieldType::NumberListMap: {
      Json list = {{"type", "array"}, {"items", scalar}};
      if (f.min_items) list["minItems"] = *f.min_items;
      if (f.max_items) list["maxItems"] = *f.max_items;
      s["type"] = "object";
      s["additionalProperties"] = list;
      break;
    }
    case FieldType::ObjectList:
      s["type"] = "array";
      s["items"] = {{"type", "object"}, {"additionalProperties", true}};
      break;
    case FieldType::StringMap:
      s["type"] = "object";
      s["additionalProperties"] = {{"type", "string"}};
      break;
    case FieldType::NumberMap:
      s["type"] = "object";
      s["additionalProperties"] = scalar;
      break;
    case FieldType::Object:
      for (const auto& [key, value] : f.schema.items()) s[key] = value;
      s["type"] = "object";
      break;
  }
  if (f.nullable) s["type"] = Json::array({s["type"], "null"});  // null means absent
  s["title"] = title_case(f.name);
  s["description"] = f.description;
  if (!f.default_value.is_null()) s["default"] = f.default_value;
  if (!f.example.is_null()) s["examples"] = Json::array({f.example});
  if (!f.group.empty()) s["x-input-group"] = f.group;  // alternative methods (MRR)
  return s;
}

namespace {

std::string op_symbol(BandOp op) {
  switch (op) {
    case BandOp::Gt:
      return ">";
    case BandOp::Ge:
      return ">=";
    case BandOp::Lt:
      return "<";
    case BandOp::Le:
      return "<=";
    case BandOp::Otherwise:
      return "otherwise";
  }
  return "";
}

}  // namespace

Json bands_json(const RouteSpec& r) {
  Json out = Json::array();
  for (const auto& b : r.bands) {
    Json j = {{"status", b.status}, {"label", b.label}, {"op", op_symbol(b.op)}};
    if (b.op != BandOp::Otherwise) j["edge"] = b.edge;
    j["condition"] = b.op == BandOp::Otherwise ? std::string("otherwise") : op_symbol(b.op) + " " + plain(b.edge);
    out.push_back(j);
  }
  return out;
}

Json segments_json(const RouteSpec& r) {
  Json out = Json::array();
  for (const auto& s : r.segments) {
    RouteSpec view;
    view.bands = s.bands;
    out.push_back({{"key", s.key},
                   {"label", s.label},
                   {"benchmark", s.benchmark},
                   {"benchmark_source", benchmark_source_json(s.source)},
                   {"bands", bands_json(view)}});
  }
  return out;
}

}  // namespace pmkpi::detail
