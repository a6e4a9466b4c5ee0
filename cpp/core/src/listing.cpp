// /metrics/list, derived from the catalog: the reference's shape (name, endpoint, required_fields
// by category) first, our facts after.
#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"
#include "schema_parts.hpp"

namespace pmkpi {
namespace {

using namespace detail;  // the schema parts

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
