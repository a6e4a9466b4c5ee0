// POST /records/subscriptions computed: its options read, the engine run, the summary banded
// through the catalog's routes; and the route's halves for partial states (partial_routes.hpp).
#include <cctype>

#include "../catalog_builders.hpp"
#include "partial_routes.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/records.hpp"
#include "records_handlers.hpp"
#include "subscriptions_internal.hpp"

namespace pmkpi::detail {
namespace {

namespace rec = pmkpi::records;

/** Summary figures and the catalog route whose bands read them (quick ratio, GRR, ARPA: when declared). */
const std::vector<std::pair<const char*, const char*>>& banded_by() {
  static const std::vector<std::pair<const char*, const char*>> list{
      {"logo_churn_rate", "churn-rate"},  {"net_revenue_retention", "nrr"}, {"annual_net_revenue_retention", "nrr"},
      {"gross_revenue_retention", "grr"}, {"quick_ratio", "quick-ratio"},   {"arpa", "arpa"},
      {"net_new_mrr", "net-new-mrr"},
  };
  return list;
}

void band_summary(Json& summary) {
  const std::vector<RouteSpec>& routes = route_table();
  Json bands = Json::object();
  for (const auto& [key, route_name] : banded_by()) {
    const RouteSpec* route = match_metric_name(routes, route_name);
    if (route == nullptr || route->bands.empty() || !summary.contains(key) || !summary[key].is_number()) continue;
    const Band* band = band_for(*route, summary[key].get<double>());
    if (band == nullptr) continue;
    bands[key] = Json{{"status", band->status}, {"label", band->label}, {"route", route->path}};
  }
  summary["bands"] = std::move(bands);
}

RouteOutcome invalid(const char* field, std::string msg, const Json& input) {
  return {422, rec::unprocessable(Json::array({rec::error_entry("value_error", Json::array({"body", field}),
                                                                "Value error, " + std::move(msg), input)}))};
}

/** The options of a request, or the 422 that rejects one. */
std::optional<RouteOutcome> read_options(const Args& a, rec::SubscriptionOptions& o) {
  o.preset = a.text("preset");
  for (const auto& [k, v] : a.raw("mapping").items()) o.mapping.emplace_back(k, v.get<std::string>());
  std::string currency = a.text("currency");
  for (char& c : currency) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  if (currency.size() != 3) return invalid("currency", "an ISO 4217 code of three letters (USD)", a.raw("currency"));
  o.currency = currency;
  for (const auto& [k, v] : a.raw("rates").items()) {
    std::string code = k;
    for (char& c : code) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    o.rates.emplace_back(code, v.get<double>());
  }
  const auto zone = rec::TimeZone::parse(a.text("timezone"));
  if (!zone)
    return invalid("timezone", "an IANA time zone (Europe/Paris), UTC or a fixed offset (+05:30)", a.raw("timezone"));
  o.calendar.zone = *zone;
  o.calendar.kind = *rec::parse_period_kind(a.text("period"));
  o.calendar.week_start = *rec::parse_week_start(a.text("week_start"));
  o.from = a.text("from");
  o.to = a.text("to");
  o.as_of = a.text("as_of");
  o.segment_by = a.text("segment_by");
  o.on_error = *rec::parse_on_error(a.text("on_error"));
  o.timestamp_unit = *rec::parse_timestamp_unit(a.text("timestamp_unit"));
  return std::nullopt;
}

/** The options and the rows' reader of a request, or the 422 that rejects it. */
std::optional<RouteOutcome> read_request(const Args& a, rec::SubscriptionOptions& o,
                                         std::optional<rec::RowReader>& reader) {
  const int given = a.has("csv") + a.has("records") + a.has("ndjson");
  if (given != 1)
    return RouteOutcome{422, rec::unprocessable(Json::array({rec::error_entry(
                                 given == 0 ? "missing" : "value_error", Json::array({"body", "csv"}),
                                 given == 0 ? "Field required: give the rows as csv (text), records (a JSON array) or "
                                              "ndjson"
                                            : "Value error, give exactly one of csv, records and ndjson",
                                 nullptr)}))};
  if (auto bad = read_options(a, o)) return bad;
  reader.emplace(a.has("csv")       ? rec::RowReader::csv(a.raw("csv").get_ref<const std::string&>())
                 : a.has("records") ? rec::RowReader::json_array(a.raw("records"))
                                    : rec::RowReader::ndjson(a.raw("ndjson").get_ref<const std::string&>()));
  return std::nullopt;
}

}  // namespace

RouteOutcome records_subscriptions_handler(const Args& a) {
  rec::SubscriptionOptions o;
  std::optional<rec::RowReader> reader;
  if (auto bad = read_request(a, o, reader)) return *bad;
  rec::RecordsOutcome out = rec::analyze_subscriptions(*reader, o);
  if (out.status == 200) band_summary(out.body["summary"]);
  return {out.status, std::move(out.body)};
}

RouteOutcome subscriptions_partial(const Args& a) {
  rec::SubscriptionOptions o;
  std::optional<rec::RowReader> reader;
  if (auto bad = read_request(a, o, reader)) return *bad;
  rec::detail::SubscriptionsShard shard;
  if (auto bad = rec::detail::read_subscriptions(*reader, o, shard, true)) return {bad->status, std::move(bad->body)};
  Json ids;
  Json state = rec::detail::subscriptions_state_json(shard, ids);
  const rec::detail::ReportInputs& in = shard.inputs;
  return {200, Json{{"reading", {{"preset", in.preset}, {"mapping", in.mapping}}},
                    {"rows", in.counts.to_json()},
                    {"warnings", in.warnings},
                    {"ids", std::move(ids)},
                    {"state", std::move(state)}}};
}

RouteOutcome subscriptions_finish(const Args& options, const Json& state, rec::detail::ReportInputs inputs) {
  rec::SubscriptionOptions o;
  if (auto bad = read_options(options, o)) return *bad;
  rec::RecordsOutcome out = rec::detail::finish_subscriptions(o, state, std::move(inputs));
  if (out.status == 200) band_summary(out.body["summary"]);
  return {out.status, std::move(out.body)};
}

}  // namespace pmkpi::detail
