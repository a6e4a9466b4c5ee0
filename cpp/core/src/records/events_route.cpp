// POST /records/events: the catalog declaration (fields, defaults, response schema) of the events
// engine. The defaults are read from EventsOptions, so the engine and the documentation agree.
#include "../catalog_builders.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/events.hpp"
#include "records_handlers.hpp"
#include "route_fields.hpp"

namespace pmkpi::detail {
namespace {

namespace rec = pmkpi::records;

Json integer_schema() { return {{"type", "integer"}}; }
Json number_or_null() { return {{"type", Json::array({"number", "null"})}}; }
Json array_of(Json items) { return {{"type", "array"}, {"items", std::move(items)}}; }
Json object_of(std::initializer_list<std::pair<const char*, Json>> props) {
  Json p = Json::object(), required = Json::array();
  for (const auto& [k, v] : props) p[k] = v, required.push_back(k);
  return {{"type", "object"}, {"properties", std::move(p)}, {"required", std::move(required)}};
}
Json band_schema() {
  return object_of({{"route", {{"type", "string"}}},
                    {"status", {{"type", Json::array({"string", "null"})}}},
                    {"label", {{"type", Json::array({"string", "null"})}}}});
}

Json period_rows(const char* key) {
  return array_of(object_of({{key, {{"type", "string"}}},
                             {"active_users", integer_schema()},
                             {"new_users", integer_schema()},
                             {"events", integer_schema()}}));
}

Json summary_schema() {
  return object_of({{"users", integer_schema()},
                    {"events", integer_schema()},
                    {"sessions", integer_schema()},
                    {"average_session_duration_seconds", number_or_null()},
                    {"median_session_duration_seconds", number_or_null()},
                    {"bounce_rate", number_or_null()},
                    {"engaged_sessions", integer_schema()},
                    {"sessions_per_user", number_or_null()},
                    {"actions_per_session", number_or_null()},
                    {"stickiness", number_or_null()},
                    {"bands", {{"type", "object"}, {"additionalProperties", band_schema()}}}});
}

Json engagement_schemas(Json& props) {
  props["daily"] = array_of(object_of({{"day", {{"type", "string"}, {"format", "date"}}},
                                       {"dau", integer_schema()},
                                       {"wau", integer_schema()},
                                       {"mau", integer_schema()},
                                       {"stickiness", number_or_null()},
                                       {"new_users", integer_schema()},
                                       {"events", integer_schema()},
                                       {"sessions", integer_schema()}}));
  props["weekly"] = period_rows("week");
  props["monthly"] = period_rows("month");
  props["features"] = array_of(object_of({{"event", {{"type", "string"}}},
                                          {"users", integer_schema()},
                                          {"adoption_rate", number_or_null()},
                                          {"events", integer_schema()},
                                          {"status", {{"type", Json::array({"string", "null"})}}}}));
  return props;
}

Json cohort_schemas(Json& props) {
  const Json matrix = array_of(array_of(number_or_null()));
  props["retention"] =
      object_of({{"period", {{"type", "string"}, {"enum", {"day", "week", "month"}}}},
                 {"cohorts", array_of(object_of({{"period", {{"type", "string"}}}, {"users", integer_schema()}}))},
                 {"classic", matrix},
                 {"unbounded", matrix},
                 {"mean_classic", array_of(number_or_null())},
                 {"mean_unbounded", array_of(number_or_null())}});
  props["lifecycle"] = array_of(object_of({{"period", {{"type", "string"}}},
                                           {"new", integer_schema()},
                                           {"returning", integer_schema()},
                                           {"resurrecting", integer_schema()},
                                           {"dormant", integer_schema()},
                                           {"active", integer_schema()}}));
  props["funnel"] = object_of({{"window_days", integer_schema()},
                               {"steps", array_of(object_of({{"step", integer_schema()},
                                                             {"event", {{"type", "string"}}},
                                                             {"users", integer_schema()},
                                                             {"conversion_from_start", number_or_null()},
                                                             {"conversion_from_previous", number_or_null()},
                                                             {"median_seconds_from_start", number_or_null()}}))}});
  props["activation"] = object_of({{"event", {{"type", "string"}}},
                                   {"window_days", integer_schema()},
                                   {"users", integer_schema()},
                                   {"activated_users", integer_schema()},
                                   {"activation_rate", number_or_null()},
                                   {"median_time_to_value_hours", number_or_null()},
                                   {"mean_time_to_value_hours", number_or_null()},
                                   {"status", {{"type", Json::array({"string", "null"})}}}});
  props["power_users"] = object_of({{"last_day", {{"type", Json::array({"string", "null"})}}},
                                    {"l7", array_of(integer_schema())},
                                    {"l28", array_of(integer_schema())}});
  return props;
}

Json response_schema() {
  Json props = {
      {"rows", object_of({{"read", integer_schema()}, {"used", integer_schema()}, {"rejected", integer_schema()}})},
      {"preset", {{"type", Json::array({"string", "null"})}}},
      {"timezone", {{"type", "string"}}},
      {"summary", summary_schema()}};
  engagement_schemas(props);
  cohort_schemas(props);
  props["session_timeout_minutes"] = {{"type", "number"}};
  props["warnings"] = array_of({{"type", "string"}});
  Json required = Json::array();
  for (const auto& [k, v] : props.items())
    if (k != "funnel" && k != "activation") required.push_back(k);
  return {{"type", "object"}, {"properties", std::move(props)}, {"required", std::move(required)}};
}

std::vector<FieldSpec> events_source_fields() {
  std::vector<FieldSpec> out =
      source_fields({"events",
                     "user_id,timestamp,event\nu1,2026-03-01T10:00:00Z,signup\nu1,2026-03-01T10:04:00Z,view_item\nu2,"
                     "2026-03-02T09:00:00Z,signup\n",
                     "an analytics export"},
                    rec::event_presets());
  out.push_back(timezone_field("the days"));
  out.push_back(timestamp_unit_field(" (GA4's preset: us)"));
  out.push_back(on_error_field());
  return out;
}

std::vector<FieldSpec> engine_fields() {
  const rec::EventsOptions d;
  Json funnel_schema = {
      {"properties",
       {{"steps", {{"type", "array"}, {"items", {{"type", "string"}}}, {"minItems", 2}}},
        {"window_days", {{"type", "integer"}, {"minimum", 1}, {"maximum", 366}, {"default", d.funnel_window_days}}}}},
      {"required", {"steps"}}};
  return {
      Field::number("session_timeout_minutes", "A gap longer than this starts a new session")
          .label("Session timeout (minutes)")
          .gt(0)
          .le(1440)
          .default_to(static_cast<double>(d.session_timeout_us) / 6e7),
      Field::of("view_events", FieldType::StringList, "Events that count as views (default: every event)")
          .label("View events")
          .optional(),
      Field::of("conversion_events", FieldType::StringList, "Events that make a session engaged")
          .label("Conversion events")
          .optional(),
      Field::of("retention_period", FieldType::Enum, "Cohort and lifecycle period")
          .label("Retention period")
          .choices({"day", "week", "month"})
          .default_to("week"),
      Field::of("funnel", FieldType::Object, "Funnel: ordered steps (event names) and a conversion window in days")
          .label("Funnel")
          .schema(std::move(funnel_schema))
          .optional(),
      Field::text("activation_event", "The event that means a user got value").label("Activation event").optional(),
      Field::integer("activation_window_days", "Days after the first event in which activation counts")
          .label("Activation window (days)")
          .ge(1)
          .le(366)
          .default_to(d.activation_window_days),
      Field::integer("mau_window_days", "Trailing window of the monthly actives")
          .label("MAU window (days)")
          .ge(1)
          .le(366)
          .default_to(d.mau_window_days),
      week_start_field(),
  };
}

}  // namespace

void add_records_events_routes(std::vector<RouteSpec>& out) {
  std::vector<FieldSpec> fields = events_source_fields();
  for (auto& f : engine_fields()) fields.push_back(std::move(f));
  out.push_back(
      Route::analysis("records-events", CategoryId::Records, records_events_handler)
          .name("Event KPIs")
          .title("KPIs from Product Events")
          .description("DAU/WAU/MAU and stickiness, sessions, engagement and bounce rate (GA4), "
                       "feature adoption, retention (classic and unbounded), lifecycle, funnel, "
                       "activation and time to value, L7/L28 power users from an event log, as "
                       "RECORDS.md defines them. Send JSON ({\"csv\": ...}) or the CSV itself as "
                       "text/csv with the options in the query string. Columns: " +
                       columns_description(rec::event_columns(), rec::event_presets(), "other columns are ignored."))
          .metric_name("Event KPIs")
          .fields(std::move(fields))
          .response_schema(response_schema())
          .text_body("csv"));
}

}  // namespace pmkpi::detail
