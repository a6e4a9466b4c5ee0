// /openapi.json and /metrics/list, both derived from the catalog.
#include <algorithm>
#include <cctype>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"

namespace pmkpi {
namespace {

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

/** "total_revenue" -> "Total Revenue", as pydantic titles fields. */
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

/** "retention-rate" -> "RetentionRate". */
std::string pascal_case(const std::string& id) {
  std::string t = title_case(id), out;
  for (char c : t)
    if (c != ' ') out.push_back(c);
  return out;
}

std::string snake_case(const std::string& id) {
  std::string out = id;
  for (char& c : out)
    if (c == '-') c = '_';
  return out;
}

void add_bounds(Json& s, const FieldSpec& f) {
  if (f.gt) s["exclusiveMinimum"] = *f.gt;
  if (f.ge) s["minimum"] = *f.ge;
  if (f.le) s["maximum"] = *f.le;
}

/** JSON Schema of one field: type, bounds, default, description, example. */
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

Json request_schema(const RouteSpec& r) {
  Json props = Json::object(), required = Json::array();
  for (const auto& f : r.fields) {
    props[f.name] = field_schema(f);
    if (f.required) required.push_back(f.name);
  }
  Json s = {{"type", "object"},
            {"title", pascal_case(r.id) + "Request"},
            {"description", r.description},
            {"properties", props}};
  if (!required.empty()) s["required"] = required;
  return s;
}

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

Json benchmark_source_schema() {
  Json text_or_null = {{"type", Json::array({"string", "null"})}};
  return {{"type", "object"},
          {"description", "Where the bands and benchmark figures come from"},
          {"properties",
           {{"name", {{"type", "string"}}},
            {"year", {{"type", Json::array({"integer", "null"})}}},
            {"url", text_or_null},
            {"segment", text_or_null},
            {"kind", {{"type", "string"}, {"enum", {"survey", "published rule of thumb", "practitioner convention"}}}},
            {"covers", text_or_null}}},
          {"required", {"name", "year", "url", "segment", "kind", "covers"}}};
}

std::string source_sentence(const BenchmarkSource& s) {
  std::string out = s.name + " (" + s.kind;
  if (s.year) out += ", " + std::to_string(*s.year);
  out += ")";
  if (!s.url.empty()) out += " " + s.url;
  if (!s.covers.empty()) out += ". " + s.covers;
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

Json metric_response_schema(const RouteSpec& r) {
  Json props = {
      {"metric_name", {{"type", "string"}, {"const", r.metric_name}}},
      {"value",
       {{"type", r.integer_value ? "integer" : "number"},
        {"description", r.integer_value ? "The count" : "The value, rounded to 2 decimals"}}},
      {"unit", {{"type", "string"}, {"const", unit_name(r.unit)}}},
      {"interpretation", {{"type", "string"}, {"description", "One sentence with the figure and its band"}}},
      {"benchmark", {{"type", "string"}, {"description", "Industry reference figures"}}},
      {"benchmark_source", benchmark_source_schema()},
      {"timestamp", {{"type", "string"}, {"format", "date-time"}}},
  };
  Json required = {"metric_name",      "value",     "unit",    "interpretation", "benchmark",
                   "benchmark_source", "timestamp", "details", "warnings"};
  if (!r.bands.empty()) {
    Json statuses = Json::array();
    for (const auto& b : r.bands) statuses.push_back(b.status);
    for (const auto& seg : r.segments)
      for (const auto& b : seg.bands)
        if (std::find(statuses.begin(), statuses.end(), b.status) == statuses.end()) statuses.push_back(b.status);
    props["status"] = {{"type", "string"}, {"enum", statuses}, {"description", "Machine-readable band of the value"}};
    required.push_back("status");
  }
  props["details"] = {{"type", "object"}, {"description", "Every intermediate figure"}, {"additionalProperties", true}};
  props["warnings"] = {{"type", "array"}, {"items", {{"type", "string"}}}};
  return {{"type", "object"}, {"title", pascal_case(r.id) + "Response"}, {"properties", props}, {"required", required}};
}

Json json_content(const std::string& ref) {
  return {{"application/json", {{"schema", {{"$ref", "#/components/schemas/" + ref}}}}}};
}

Json error_responses() {
  return {
      {"400",
       {{"description", "Semantic error: the inputs contradict each other"}, {"content", json_content("HTTPError")}}},
      {"422", {{"description", "Validation Error"}, {"content", json_content("HTTPValidationError")}}}};
}

Json get_operation(const std::string& tag, const std::string& summary, const std::string& op_id,
                   const std::string& description) {
  return {{"get",
           {{"tags", {tag}},
            {"summary", summary},
            {"description", description},
            {"operationId", op_id},
            {"responses",
             {{"200",
               {{"description", "Successful Response"},
                {"content", {{"application/json", {{"schema", {{"type", "object"}}}}}}}}}}}}}};
}

/** The route's answer to its own example request, at a fixed time: documentation that cannot drift. */
Json response_example(const RouteSpec& r) {
  if (!r.response_example.is_null()) return r.response_example;
  ApiOptions fixed;
  fixed.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1706781600)); };
  Response res = handle("POST", r.path, example_request(r).dump(), fixed);
  if (res.status != 200) return nullptr;
  return Json::parse(res.body);
}

}  // namespace

Json openapi_document(const ApiOptions& options) {
  Json doc = Json::object();
  doc["openapi"] = "3.1.0";
  doc["info"] = {{"title", kApiTitle},
                 {"version", kApiVersion},
                 {"description",
                  "Standard product-management KPIs with interpretations and industry benchmarks, "
                  "forecasts with prediction intervals, and pattern analysis. Generated from the catalog."}};
  if (!options.servers.empty()) {
    Json servers = Json::array();
    for (const auto& s : options.servers) servers.push_back({{"url", s}});
    doc["servers"] = servers;
  }
  Json tags = Json::array();
  for (const auto& c : categories()) {
    bool used = false;
    for (const auto& r : route_table()) used = used || r.category == c.id;
    if (used) tags.push_back({{"name", c.title}, {"description", c.description}});
  }
  tags.push_back({{"name", "Utility"}, {"description", "API metadata, health and the metric catalog."}});
  doc["tags"] = tags;

  Json paths = Json::object(), schemas = Json::object();
  paths["/"] =
      get_operation("Utility", "API metadata", "root", "Name, version, documentation links and the categories.");
  paths["/health"] = get_operation("Utility", "Health check", "health", "Liveness and the time of the answer.");
  paths["/metrics/list"] = get_operation("Utility", "List every metric", "list_metrics",
                                         "Every route with its endpoint, fields and bands, by category.");
  for (const auto& r : route_table()) {
    const std::string base = pascal_case(r.id);
    schemas[base + "Request"] = request_schema(r);
    schemas[base + "Response"] = r.metric ? metric_response_schema(r) : r.response_schema;
    Json responses = {{"200", {{"description", "Successful Response"}, {"content", json_content(base + "Response")}}}};
    if (Json example = response_example(r); !example.is_null())
      responses["200"]["content"]["application/json"]["example"] = std::move(example);
    responses.update(error_responses());
    Json request_content = json_content(base + "Request");
    request_content["application/json"]["example"] = example_request(r);
    Json parameters = Json::array();
    if (!r.text_body_field.empty()) {  // the file itself as the body, the options in the query string
      request_content["text/csv"] = {{"schema", {{"type", "string"}, {"description", "The rows as CSV text"}}}};
      request_content["application/x-ndjson"] = {{"schema", {{"type", "string"}, {"description", "JSON lines"}}}};
      for (const auto& f : r.fields) {
        if (f.name == r.text_body_field || f.type == FieldType::ObjectList || f.name == "ndjson") continue;
        Json schema = field_schema(f);
        if (f.type == FieldType::StringMap || f.type == FieldType::NumberMap)
          schema = {{"type", "string"}, {"description", "JSON text of: " + f.description}};
        parameters.push_back({{"name", f.name},
                              {"in", "query"},
                              {"required", false},
                              {"description", f.description + " (with a text body)"},
                              {"schema", schema}});
      }
    }
    std::string description = r.description;
    if (!r.formula.empty()) description += "\n\nFormula: " + r.formula;
    if (!r.formula_source.empty()) description += " (source: " + r.formula_source + ")";
    if (!r.benchmark.empty()) description += "\n\nBenchmark: " + r.benchmark;
    if (r.metric) description += "\n\nBenchmark source: " + source_sentence(r.benchmark_source);
    for (const auto& seg : r.segments)
      description += "\n\nSegment `" + seg.key + "`: " + seg.benchmark + ". Source: " + source_sentence(seg.source);
    paths[r.path] = {{"post",
                      {{"tags", {category(r.category).title}},
                       {"summary", r.title},
                       {"description", description},
                       {"operationId", (r.metric ? "calculate_" : "") + snake_case(r.id)},
                       {"requestBody", {{"required", true}, {"content", request_content}}},
                       {"responses", responses}}}};
    if (!parameters.empty()) paths[r.path]["post"]["parameters"] = std::move(parameters);
  }
  schemas["ValidationError"] = {
      {"type", "object"},
      {"title", "ValidationError"},
      {"properties",
       {{"loc", {{"type", "array"}, {"items", {{"anyOf", {{{"type", "string"}}, {{"type", "integer"}}}}}}}},
        {"msg", {{"type", "string"}}},
        {"type", {{"type", "string"}}},
        {"input", Json::object()},
        {"ctx", {{"type", "object"}}}}},
      {"required", {"loc", "msg", "type"}}};
  schemas["HTTPValidationError"] = {
      {"type", "object"},
      {"title", "HTTPValidationError"},
      {"properties", {{"detail", {{"type", "array"}, {"items", {{"$ref", "#/components/schemas/ValidationError"}}}}}}}};
  schemas["HTTPError"] = {{"type", "object"},
                          {"title", "HTTPError"},
                          {"properties", {{"detail", {{"type", "string"}}}}},
                          {"required", {"detail"}}};
  doc["paths"] = paths;
  doc["components"] = {{"schemas", schemas}};
  return doc;
}

namespace {

Json listing_fields(const RouteSpec& r) {
  Json fields = Json::array();
  for (const auto& f : r.fields) {
    Json fj = {{"name", f.name},
               {"label", f.label},
               {"type", type_name(f.type)},
               {"required", f.required},
               {"description", f.description}};
    if (!f.default_value.is_null()) fj["default"] = f.default_value;
    if (!f.choices.empty()) fj["choices"] = f.choices;
    if (!f.example.is_null()) fj["example"] = f.example;
    fj["group"] = f.group.empty() ? Json(nullptr) : Json(f.group);
    fj["schema"] = field_schema(f);
    fields.push_back(fj);
  }
  return fields;
}

/** One route of the listing: the reference's name, endpoint and required_fields first, ours after. */
Json listing_entry(const RouteSpec& r) {
  Json required = Json::array(), optional = Json::array();
  for (const auto& f : r.fields) (f.required ? required : optional).push_back(f.name);
  Json e = {{"name", r.title},
            {"endpoint", r.path},
            {"required_fields", required},
            {"id", r.id},
            {"kind", r.metric ? "metric" : "analysis"},
            {"short_name", r.name},
            {"title", r.title},
            {"description", r.description},
            {"method", "POST"}};
  if (r.metric) {
    e["metric_name"] = r.metric_name;
    e["unit"] = unit_name(r.unit);
    e["value_domain"] = domain_name(r.value_domain);
    e["integer_value"] = r.integer_value;
    e["lower_is_better"] = r.lower_is_better;
    e["formula"] = r.formula;
    e["formula_source"] = r.formula_source.empty() ? Json(nullptr) : Json(r.formula_source);
    e["benchmark"] = r.benchmark;
    e["benchmark_source"] = benchmark_source_json(r.benchmark_source);
    e["bands"] = bands_json(r);
    e["segments"] = segments_json(r);
  }
  e["optional_fields"] = optional;
  e["fields"] = listing_fields(r);
  e["example_request"] = example_request(r);
  return e;
}

}  // namespace

Json metrics_listing() {
  Json out = Json::object(), about = Json::object();
  std::size_t metric_count = 0;
  for (const auto& c : categories()) {
    Json routes = Json::object(), keys = Json::array();
    for (const auto& r : route_table()) {
      if (r.category != c.id) continue;
      metric_count += r.metric ? 1 : 0;
      routes[r.listing_key] = listing_entry(r);
      keys.push_back(r.listing_key);
    }
    if (keys.empty()) continue;
    out[c.key] = std::move(routes);
    about[c.key] = {{"title", c.title}, {"description", c.description}, {"count", keys.size()}, {"keys", keys}};
  }
  // Beside the reference's categories: what each category is, and the totals.
  out["categories"] = std::move(about);
  out["total_metrics"] = metric_count;
  out["total_endpoints"] = route_table().size();
  return out;
}

}  // namespace pmkpi
