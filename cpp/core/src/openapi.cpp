// /openapi.json, derived from the catalog.
#include <algorithm>
#include <cctype>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"
#include "records/records_handlers.hpp"
#include "schema_parts.hpp"

namespace pmkpi {
namespace {

using namespace detail;  // the schema parts

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
  // 501: a module without the records engines (pmkpi-core.wasm) has its examples from the one with
  if (res.status == 501) return detail::elsewhere_response_example(r.path);
  if (res.status != 200) return nullptr;
  return Json::parse(res.body);
}

/** The query parameters of a route that takes its file as the body: every option but the rows. */
Json text_body_parameters(const RouteSpec& r) {
  Json parameters = Json::array();
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
  return parameters;
}

/** The route's description with its formula, benchmark and sources. */
std::string operation_description(const RouteSpec& r) {
  std::string description = r.description;
  if (!r.formula.empty()) description += "\n\nFormula: " + r.formula;
  if (!r.formula_source.empty()) description += " (source: " + r.formula_source + ")";
  if (!r.benchmark.empty()) description += "\n\nBenchmark: " + r.benchmark;
  if (r.metric) description += "\n\nBenchmark source: " + source_sentence(r.benchmark_source);
  for (const auto& seg : r.segments)
    description += "\n\nSegment `" + seg.key + "`: " + seg.benchmark + ". Source: " + source_sentence(seg.source);
  return description;
}

/** The POST operation of a route; `base` names its Request and Response schemas. */
Json post_operation(const RouteSpec& r, const std::string& base) {
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
    parameters = text_body_parameters(r);
  }
  Json op = {{"tags", {category(r.category).title}},
             {"summary", r.title},
             {"description", operation_description(r)},
             {"operationId", (r.metric ? "calculate_" : "") + snake_case(r.id)},
             {"requestBody", {{"required", true}, {"content", request_content}}},
             {"responses", responses}};
  if (!parameters.empty()) op["parameters"] = std::move(parameters);
  return op;
}

void add_error_schemas(Json& schemas) {
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
    paths[r.path] = {{"post", post_operation(r, base)}};
  }
  add_error_schemas(schemas);
  doc["paths"] = paths;
  doc["components"] = {{"schemas", schemas}};
  return doc;
}

}  // namespace pmkpi
