#pragma once
// Terse builders for the catalog's declarations (internal to the core).

#include <cmath>
#include <optional>
#include <string>
#include <utility>

#include "pmkpi/catalog.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::detail {

/** Fluent construction of a FieldSpec: Field::number("total_revenue", "...").label("Revenue").gt(0).example(1.0). */
class Field {
 public:
  static Field number(std::string name, std::string description) {
    return Field(std::move(name), FieldType::Number, std::move(description));
  }
  static Field integer(std::string name, std::string description) {
    return Field(std::move(name), FieldType::Integer, std::move(description));
  }
  static Field text(std::string name, std::string description) {
    return Field(std::move(name), FieldType::String, std::move(description));
  }
  static Field of(std::string name, FieldType type, std::string description) {
    return Field(std::move(name), type, std::move(description));
  }
  Field& gt(double v) {
    spec_.gt = v;
    return *this;
  }
  Field& ge(double v) {
    spec_.ge = v;
    return *this;
  }
  Field& le(double v) {
    spec_.le = v;
    return *this;
  }
  Field& items(std::size_t min, std::size_t max) {
    spec_.min_items = min;
    spec_.max_items = max;
    return *this;
  }
  /** Optional[...] = None: may be left out or sent as null. */
  Field& optional() {
    spec_.required = false;
    spec_.nullable = true;
    return *this;
  }
  /** A default for a left-out field; null is refused (pydantic: `x: int = 7`) unless nullable(). */
  Field& default_to(Json v) {
    spec_.required = false;
    spec_.default_value = std::move(v);
    return *this;
  }
  /** null accepted as well (pydantic: `x: Optional[str] = "5-point"`): the field is then absent. */
  Field& nullable() {
    spec_.nullable = true;
    return *this;
  }
  Field& choices(std::vector<std::string> c) {
    spec_.choices = std::move(c);
    return *this;
  }
  Field& example(Json v) {
    spec_.example = std::move(v);
    return *this;
  }
  /** JSON Schema of an Object field's members. */
  Field& schema(Json s) {
    spec_.schema = std::move(s);
    return *this;
  }
  /** The field's human label (forms, error messages): "Total revenue", not total_revenue. */
  Field& label(std::string l) {
    spec_.label = std::move(l);
    return *this;
  }
  Field& group(std::string g) {
    spec_.group = std::move(g);
    return *this;
  }
  operator FieldSpec() const { return spec_; }  // NOLINT: builders convert implicitly by design

 private:
  Field(std::string name, FieldType type, std::string description) {
    spec_.name = std::move(name);
    spec_.type = type;
    spec_.description = std::move(description);
  }
  FieldSpec spec_;
};

/**
 * Fluent declaration of a route; the path comes from the id:
 *   Route::metric("arpu", CategoryId::Financial, arpu)      -> POST /metrics/arpu
 *   Route::analysis("predict-metric", CategoryId::Predictions, fn) -> POST /predict/metric
 * then .name(...).title(...).unit(Unit::Currency)... and push_back into the table (it converts).
 */
class Route {
 public:
  /** A KPI route served at /metrics/<id>. */
  static Route metric(std::string id, CategoryId category, MetricFn fn) {
    Route r(std::move(id), category);
    r.spec_.path = "/metrics/" + r.spec_.id;
    r.spec_.metric = std::move(fn);
    return r;
  }
  /** An analysis route: the id's first '-' becomes the path's '/' ("predict-bulk" -> /predict/bulk). */
  static Route analysis(std::string id, CategoryId category, RouteFn fn) {
    Route r(std::move(id), category);
    std::string path = "/" + r.spec_.id;
    if (auto dash = path.find('-'); dash != std::string::npos) path[dash] = '/';
    r.spec_.path = std::move(path);
    r.spec_.handler = std::move(fn);
    return r;
  }
  /** Short display name: ARPU, MRR/ARR. */
  Route& name(std::string v) {
    spec_.name = std::move(v);
    return *this;
  }
  Route& title(std::string v) {
    spec_.title = std::move(v);
    return *this;
  }
  Route& description(std::string v) {
    spec_.description = std::move(v);
    return *this;
  }
  /** The wire metric_name of the responses: "Net Promoter Score (NPS)". */
  Route& metric_name(std::string v) {
    spec_.metric_name = std::move(v);
    return *this;
  }
  Route& unit(Unit v) {
    spec_.unit = v;
    return *this;
  }
  Route& domain(ValueDomain v) {
    spec_.value_domain = v;
    return *this;
  }
  Route& formula(std::string v) {
    spec_.formula = std::move(v);
    return *this;
  }
  /** Who defined the formula; the responses' details then carry formula and formula_source. */
  Route& formula_source(std::string v) {
    spec_.formula_source = std::move(v);
    return *this;
  }
  Route& benchmark(std::string v) {
    spec_.benchmark = std::move(v);
    return *this;
  }
  /** The value is a count, written as a JSON integer. */
  Route& integer_value() {
    spec_.integer_value = true;
    return *this;
  }
  /** Lower values are better (churn, bounce, CES, CAC, ...): bands then list ascending edges. */
  Route& lower_is_better() {
    spec_.lower_is_better = true;
    return *this;
  }
  Route& fields(std::vector<FieldSpec> v) {
    spec_.fields = std::move(v);
    return *this;
  }
  /** Status bands, best first. */
  Route& bands(std::vector<Band> v) {
    spec_.bands = std::move(v);
    return *this;
  }
  /** The route's key in /metrics/list when the reference's is not the id in snake_case. */
  Route& listing_key(std::string v) {
    spec_.listing_key = std::move(v);
    return *this;
  }
  /** JSON Schema of an analysis route's response body. */
  Route& response_schema(Json v) {
    spec_.response_schema = std::move(v);
    return *this;
  }
  /** A body that is not a JSON object goes to this field; the other fields come from the query string. */
  Route& text_body(std::string field) {
    spec_.text_body_field = std::move(field);
    return *this;
  }
  Route& response_example(Json v) {
    spec_.response_example = std::move(v);
    return *this;
  }
  operator RouteSpec() const { return spec_; }  // NOLINT: builders convert implicitly by design

 private:
  Route(std::string id, CategoryId category) {
    spec_.id = std::move(id);
    spec_.category = category;
    spec_.listing_key = spec_.id;
    for (char& c : spec_.listing_key)
      if (c == '-') c = '_';
  }
  RouteSpec spec_;
};

inline const std::vector<std::string>& time_frames() {
  static const std::vector<std::string> v{"daily", "weekly", "monthly", "quarterly", "yearly"};
  return v;
}

/**
 * A JSON object from key/value pairs, in order. Cheaper than nlohmann's initializer-list
 * construction (which must first check that every element is a pair), and details are built
 * on every request.
 */
inline Json object(std::initializer_list<std::pair<const char*, Json>> items) {
  Json out = Json::object();
  auto& map = out.get_ref<Json::object_t&>();
  map.reserve(items.size());
  for (const auto& [key, value] : items) map.emplace_back(key, value);
  return out;
}

/**
 * part / whole x 100 in the reference's order, (part / whole) * 100: clients compare values, and
 * 23 / 160 is 14.374999999999998 this way (14.37), exactly 14.375 the other way (14.38). Bands are
 * read on the value as reported (rounded), so 90 / 100 = 90.00000000000001 still reads as 90.0.
 */
inline double percent(double part, double whole) { return (part / whole) * 100.0; }

/** A 400 outcome with one sentence. */
inline MetricOutcome rejected(std::string sentence) {
  MetricOutcome o;
  o.error = std::move(sentence);
  return o;
}

/** The 400 sentence when integer field `part` exceeds integer field `whole`, else nothing. */
inline std::optional<std::string> exceeds(const Args& a, const std::string& part, const std::string& whole) {
  if (a.integer(part) <= a.integer(whole)) return std::nullopt;
  return part + " (" + std::to_string(a.integer(part)) + ") cannot exceed " + whole + " (" +
         std::to_string(a.integer(whole)) + ").";
}

/** "62.5% (Good)"-style figure: a percentage rounded to two decimals, trailing zeros dropped. */
inline std::string pct(double value) { return plain(round_to(value, 2)) + "%"; }

}  // namespace pmkpi::detail
