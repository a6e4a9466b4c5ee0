#pragma once
// The catalog: every route of the API declared once. Validation, the router, /metrics/list and
// /openapi.json are all derived from this table; nothing else lists metrics.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmkpi/json.hpp"

namespace pmkpi {

enum class FieldType {
  Number,         // float in the reference (pydantic `float`)
  Integer,        // int
  String,         // str
  Enum,           // str restricted to FieldSpec::choices
  Date,           // YYYY-MM-DD
  IntMap,         // object of string -> int (user-actions action_types)
  NumberList,     // list of floats
  StringList,     // list of strings
  NumberListMap,  // object of string -> list of floats (predict/bulk data)
  ObjectList,     // list of JSON objects, passed through as given (records of /records/*)
  StringMap,      // object of string -> string (column mappings)
  NumberMap,      // object of string -> float (currency rates)
  Object          // one JSON object described by FieldSpec::schema, checked by the route (the events funnel)
};

/** One input field of a route, with everything validation and documentation need. */
struct FieldSpec {
  std::string name;
  FieldType type = FieldType::Number;
  bool required = true;
  bool nullable = false;             // null is accepted (and means absent): pydantic's Optional[...]
  Json default_value;                // null when there is none
  std::optional<double> gt, ge, le;  // numeric bounds (on each item for lists)
  std::optional<std::size_t> min_items, max_items;
  std::vector<std::string> choices;  // for Enum
  std::string label;                 // what a person reads beside the input: "Customers at the start"
  std::string description;
  Json example;       // null when the field is left out of the example request
  std::string group;  // alternative input methods (MRR): fields of one method share a group
  Json schema;        // JSON Schema of an Object field (its properties), for OpenAPI and the types
};

enum class BandOp { Gt, Ge, Lt, Le, Otherwise };

/** The categories of the API, in the order of the specification. */
enum class CategoryId {
  Financial,
  Loyalty,
  Engagement,
  Product,
  Satisfaction,
  Delivery,
  UnitEconomics,
  Predictions,
  Records
};

/** The unit of a KPI's value; its wire string (unit_name) is part of the contract. */
enum class Unit {
  None,
  Currency,
  Percentage,
  Visitors,
  Seconds,
  Sessions,
  Actions,
  Score,
  Hours,
  StoryPoints,
  Ratio,
  Months
};

/** The range a metric's values (and so its forecasts) must stay in. */
enum class ValueDomain {
  Any,          // unbounded (ARPU and MRR may be negative, EGR too)
  NonNegative,  // [0, inf)
  Percentage,   // [0, 100]
  Score         // [-100, 100] (NPS)
};

/** "currency", "percentage", "story_points", ...; empty for Unit::None. */
std::string_view unit_name(Unit unit);

/** "any", "non_negative", "percentage", "score". */
std::string_view domain_name(ValueDomain domain);

/** A status band: the first band whose condition holds names the status. */
struct Band {
  std::string status;  // machine key: excellent, good, average, needs_improvement, ...
  std::string label;   // human label used in interpretations
  BandOp op = BandOp::Otherwise;
  double edge = 0;
};

/**
 * Where a route's band edges and benchmark figures come from. `kind` is one of "survey",
 * "published rule of thumb" or "practitioner convention"; `covers` says which figures the source
 * supports and names any related definition. Empty strings and a missing year are emitted as null.
 */
struct BenchmarkSource {
  std::string name;
  std::optional<int> year;
  std::string url;
  std::string segment;
  std::string kind;
  std::string covers;
  std::string rendered;  // benchmark_source_json(*this).dump(), filled once when the catalog is built
};

/** A customer segment with its own cited benchmark and bands (NRR by annual contract value, ...). */
struct Segment {
  std::string key;    // acv_under_12k
  std::string label;  // ACV under $12k
  std::string benchmark;
  BenchmarkSource source;
  std::vector<Band> bands;
};

/**
 * Validated, coerced input of one request: only the fields the client gave (or defaults).
 *
 * Built with the route's declared fields, every accessor checks the name it is given: a name the
 * route did not declare throws std::logic_error (the router answers 500), so a typo in a formula
 * fails the first test that runs the route instead of reading 0. The check runs only when the name
 * is absent from the values (validation copies declared fields only), so it costs nothing on the
 * common path.
 */
class Args {
 public:
  Args(const Json& values, const std::vector<FieldSpec>& declared) : values_(values), declared_(&declared) {}
  /** Unchecked: for handlers called outside the router on values they built themselves. */
  explicit Args(const Json& values) : values_(values) {}
  bool has(std::string_view name) const;
  double number(std::string_view name) const;      // Number or Integer field
  long long integer(std::string_view name) const;  // Integer field
  std::string text(std::string_view name) const;   // String, Enum or Date field
  const Json& raw(std::string_view name) const;    // any field; null when absent
  const Json& all() const { return values_; }

 private:
  const Json* find(std::string_view name) const;  // nullptr when absent; throws on an undeclared name
  const Json& values_;
  const std::vector<FieldSpec>* declared_ = nullptr;
};

/** What a metric's formula returns before the router wraps it in the response envelope. */
struct MetricOutcome {
  double value = 0;
  std::string interpretation;  // may contain "{band}", replaced by the band label
  Json details = Json::object();
  std::vector<std::string> warnings;
  double band_scale = 1.0;           // multiplies every band edge (CES on a non-7-point scale)
  std::optional<std::string> error;  // a semantic error: the request gets a 400 with this sentence
};

using MetricFn = std::function<MetricOutcome(const Args&)>;

/** A route whose body is free-form JSON computed by a handler (forecasts, pattern analysis). */
struct RouteOutcome {
  int status = 200;
  Json body;
};
using RouteFn = std::function<RouteOutcome(const Args&)>;

struct Category {
  CategoryId id = CategoryId::Financial;
  std::string key;    // financial_metrics: the reference's key in /metrics/list
  std::string title;  // Financial Metrics: the reference's name in GET /
  std::string description;
};

/**
 * One POST route: a KPI (metric != nullptr) or an analysis route (handler != nullptr). Declared
 * with detail::Route (catalog_builders.hpp), which derives the path from the id.
 */
struct RouteSpec {
  std::string id;           // arpu
  std::string path;         // /metrics/arpu
  std::string listing_key;  // its key in /metrics/list, the reference's: retention_rate, predict
  CategoryId category = CategoryId::Financial;
  std::string name;              // short display name: ARPU
  std::string title;             // Average Revenue Per User
  std::string description;       // one paragraph
  std::string metric_name;       // wire metric_name (KPI routes)
  Unit unit = Unit::None;        // currency, percentage, ...
  std::string formula;           // human-readable formula
  std::string formula_source;    // who defined the formula; when set, details carry formula and formula_source
  std::string benchmark;         // industry reference sentence
  bool integer_value = false;    // Traffic and Velocity report a count
  bool lower_is_better = false;  // churn, bounce, CES, defects, CAC, time to value
  std::vector<FieldSpec> fields;
  std::vector<Band> bands;                      // empty when the metric has no bands; best band first
  MetricFn metric;                              // set for KPI routes
  RouteFn handler;                              // set for analysis routes
  Json response_schema;                         // JSON Schema of the extra response keys (analysis routes)
  Json response_example;                        // example response (analysis routes)
  ValueDomain value_domain = ValueDomain::Any;  // the range forecasts must respect
  BenchmarkSource benchmark_source;             // attached from the sources table (benchmark_sources.cpp)
  std::vector<Segment> segments;                // optional `segment` input: the segment's benchmark and bands apply
  // Records routes: a body that is not a JSON object (text/csv, NDJSON, a JSON array) is given to
  // this field ("csv", "ndjson" or "records"), with the other fields taken from the query string.
  std::string text_body_field;
};

/** Every category, in the order of the specification. */
const std::vector<Category>& categories();

/** The category `id` names. */
const Category& category(CategoryId id);

/** Every POST route of the API, in the order of the specification. */
const std::vector<RouteSpec>& route_table();

/** The route declared at `path`, or nullptr. */
const RouteSpec* find_route(std::string_view path);

/** The route whose id, metric_name or path names `name` (case-insensitive, '-' and '_' alike). */
const RouteSpec* find_route_by_name(std::string_view name);

/** The segment of `route` named `key`, or nullptr (also for an empty key). */
const Segment* find_segment(const RouteSpec& route, std::string_view key);

/**
 * The band a value falls into, edges multiplied by `scale`; with a known `segment`, that
 * segment's bands. nullptr when the route has no bands.
 */
const Band* band_for(const RouteSpec& route, double value, double scale = 1.0, std::string_view segment = {});

/** The source object of a route (or of its segment) as it appears in responses and the listing. */
Json benchmark_source_json(const BenchmarkSource& source);

/**
 * The example request body of a route, assembled from its fields' examples; of alternative groups
 * (MRR's two methods) only the first group's fields are used.
 */
Json example_request(const RouteSpec& route);

namespace detail {
/** find_route_by_name over `routes` (used while the table itself is being built). */
const RouteSpec* match_metric_name(const std::vector<RouteSpec>& routes, std::string_view name);

// Each category file contributes its routes; the catalog concatenates them in spec order.
void add_financial_routes(std::vector<RouteSpec>& out);
void add_loyalty_routes(std::vector<RouteSpec>& out);
void add_engagement_routes(std::vector<RouteSpec>& out);
void add_product_routes(std::vector<RouteSpec>& out);
void add_satisfaction_routes(std::vector<RouteSpec>& out);
void add_delivery_routes(std::vector<RouteSpec>& out);
void add_unit_economics_routes(std::vector<RouteSpec>& out);  // LTV:CAC, payback, quick ratio, GRR, ...
void add_efficiency_routes(std::vector<RouteSpec>& out);      // rule of 40, magic number, burn multiple
void add_analysis_routes(std::vector<RouteSpec>& out);        // ML Predictions
void add_records_routes(std::vector<RouteSpec>& out);         // KPIs from records, declared last

// POST /records/events, declared after the subscriptions route.
void add_records_events_routes(std::vector<RouteSpec>& out);
/** Attaches every route's benchmark_source and segments (and the `segment` input they imply). */
void attach_benchmark_sources(std::vector<RouteSpec>& routes);
/** The key of the retention segment (by annual contract value) that an ACV of `acv` dollars falls in. */
std::string acv_segment_for(double acv);
}  // namespace detail

}  // namespace pmkpi
