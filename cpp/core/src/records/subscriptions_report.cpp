// The subscriptions engine's answer: options checked against the data, figures, segments, summary.
#include <algorithm>

#include "subscriptions_internal.hpp"

namespace pmkpi::records::detail {
namespace {

Json one_error(std::string_view type, Json loc, std::string msg, Json input) {
  return unprocessable(Json::array({error_entry(type, std::move(loc), std::move(msg), std::move(input))}));
}

/** A request timestamp option (from, to, as_of) as a period, or a 422. */
std::optional<RecordsOutcome> option_period(const SubscriptionOptions& o, const std::string& name,
                                            const std::string& text, std::optional<std::int64_t>& out) {
  if (text.empty()) return std::nullopt;
  Instant t = 0;
  if (!parse_timestamp(text, o.calendar.zone, TimestampUnit::None, t))
    return RecordsOutcome{422, one_error("datetime_parsing", Json::array({"body", name}),
                                         "Input should be a valid ISO 8601 date or date-time", Json(text))};
  out = o.calendar.period_of(t);
  return std::nullopt;
}

Json summary_of(const Json& periods, const Figures& f, const Json& survival) {
  Json s = Json::object();
  if (periods.empty()) return s;
  const Json& last = periods.back();
  for (const char* key : {"period", "mrr", "arr", "customers", "arpa", "net_new_mrr", "new_mrr", "churned_mrr",
                          "logo_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "net_revenue_retention",
                          "gross_revenue_retention", "quick_ratio"})
    s[key] = last[key];
  s["annual_net_revenue_retention"] =
      f.annual_defined && f.annual_then > 0
          ? Json(round_to(from_fixed(f.annual_now) * 100.0 / from_fixed(f.annual_then), 2))
          : Json(nullptr);
  s["ltv"] = survival["ltv"];
  s["median_lifetime_periods"] = survival["median_lifetime_periods"];
  return s;
}

Json segments_json(const SubscriptionOptions& o, Ledger& l, std::int64_t first, std::int64_t last, std::int64_t from,
                   std::int64_t to) {
  // One segment's changes at a time: memory stays at one copy of the segment changes.
  std::vector<std::vector<Change>> by_segment(l.segments.size());
  for (const Change& c : l.segment_changes) by_segment[l.pair_segment[c.key]].push_back(c);
  l.segment_changes.clear();
  l.segment_changes.shrink_to_fit();
  Json values = Json::array();
  for (std::size_t s = 0; s < l.segments.size(); ++s) {
    Figures f = compute(by_segment[s], first, last, false, o.calendar.per_year());
    Json periods = periods_json(f.periods, o.calendar, from, to);
    values.push_back(Json{{"segment", l.segments[s]}, {"periods", std::move(periods)}});
    by_segment[s].clear();
    by_segment[s].shrink_to_fit();
  }
  std::sort(values.begin(), values.end(), [](const Json& a, const Json& b) {
    const Json &la = a["periods"], &lb = b["periods"];
    const double ma = la.empty() ? 0 : la.back()["mrr"].get<double>(),
                 mb = lb.empty() ? 0 : lb.back()["mrr"].get<double>();
    return ma != mb ? ma > mb : a["segment"].get<std::string>() < b["segment"].get<std::string>();
  });
  return Json{{"by", o.segment_by}, {"values", std::move(values)}};
}

}  // namespace

RecordsOutcome report(const SubscriptionOptions& o, Ledger& l, const ReportInputs& in) {
  const RowCounts& counts = in.counts;
  const std::set<std::string>& missing_rates = in.missing_rates;
  if (counts.read == 0)
    return {422, one_error("no_rows", Json::array({"body"}), "The input has a header but no data rows.", nullptr)};
  if (counts.used == 0)
    return {422, one_error("no_rows", Json::array({"body"}),
                           "No row is usable: all " + std::to_string(counts.read) + " rows were rejected (" +
                               (in.warnings.empty() ? std::string() : in.warnings[0].get<std::string>()) + ").",
                           nullptr)};
  if (!missing_rates.empty()) {
    std::string list;
    for (const auto& c : missing_rates) list += (list.empty() ? "" : ", ") + c;
    return {422, one_error("missing_rate", Json::array({"body", "rates"}),
                           "Amounts in " + list + " need a rate to " + o.currency + " in \"rates\" (e.g. {\"" +
                               *missing_rates.begin() + "\": 1.08}).",
                           Json(list))};
  }
  std::optional<std::int64_t> as_of, from, to;
  if (auto bad = option_period(o, "as_of", o.as_of, as_of)) return *bad;
  if (auto bad = option_period(o, "from", o.from, from)) return *bad;
  if (auto bad = option_period(o, "to", o.to, to)) return *bad;
  const std::int64_t first = *l.first_period;
  const std::int64_t last = as_of.value_or(o.calendar.period_of(*l.latest));
  if (last < first)
    return {422, one_error("value_error", Json::array({"body", "as_of"}),
                           "as_of (" + o.as_of + ") is before the earliest start (" + o.calendar.name(first) + ").",
                           Json(o.as_of))};
  if (last - first + 1 > kMaxCohortPeriods)
    return {422, one_error("value_error", Json::array({"body", "period"}),
                           "The data spans " + std::to_string(last - first + 1) + " " + period_name(o.calendar.kind) +
                               "s; at most " + std::to_string(kMaxCohortPeriods) +
                               " periods are computed, as the cohort matrices grow with the square of that (choose "
                               "a longer period or set as_of).",
                           nullptr)};
  const std::int64_t lo = from.value_or(first), hi = to.value_or(last);
  Figures f = compute(l.changes, first, last, true, o.calendar.per_year());
  l.changes.clear();
  l.changes.shrink_to_fit();
  Json periods = periods_json(f.periods, o.calendar, lo, hi);
  const Json last_arpa = periods_json(f.periods, o.calendar, last, last)[0]["arpa"];
  Json survival = survival_json(f, last_arpa.is_null() ? 0.0 : last_arpa.get<double>());
  Json body = Json::object();
  body["period"] = period_name(o.calendar.kind);
  body["currency"] = o.currency;
  body["timezone"] = o.calendar.zone.name();
  body["preset"] = in.preset;
  body["mapping"] = in.mapping;
  body["as_of"] = o.calendar.name(last);
  body["summary"] = summary_of(periods, f, survival);
  body["periods"] = std::move(periods);
  body["cohorts"] = cohorts_json(f, o.calendar, lo, hi);
  body["survival"] = std::move(survival);
  if (!o.segment_by.empty()) body["segments"] = segments_json(o, l, first, last, lo, hi);
  body["rows"] = Json{{"read", counts.read}, {"used", counts.used}, {"rejected", counts.rejected}};
  body["warnings"] = in.warnings;
  return {200, std::move(body)};
}

}  // namespace pmkpi::records::detail
