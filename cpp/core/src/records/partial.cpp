// Partial states (docs/PARTIALS.md): the envelope every kind shares, the merge that checks the states
// agree and split their rows by user or customer, and the answer from a state.

#include "pmkpi/partial.hpp"

#include <algorithm>

#include "events_totals.hpp"
#include "partial_routes.hpp"
#include "partial_support.hpp"
#include "pmkpi/validation.hpp"

namespace pmkpi::records {
namespace {

using detail::PartialError;

PartialAnswer fail(std::string_view type, Json loc, std::string msg, const Json& input = nullptr) {
  return {422, unprocessable(Json::array({error_entry(type, std::move(loc), std::move(msg), input)}))};
}

Json options_without_rows(Json body) {
  for (const char* key : {"csv", "ndjson", "records"}) body.erase(key);
  return body;
}

Json envelope(const char* kind, Json options, Json shard) {
  Json out = {
      {"format", kPartialFormat}, {"version", kPartialVersion}, {"kind", kind}, {"options", std::move(options)}};
  for (auto& [key, value] : shard.items()) out[key] = std::move(value);
  return out;
}

PartialAnswer events_partial(const Json& body) {
  EventsRequest req;
  std::optional<RowReader> reader;
  if (auto bad = detail::read_events_body(body, req, reader, true)) return {bad->status, std::move(bad->body)};
  std::optional<detail::EventsTotals> totals;
  detail::EventsShard shard;
  if (auto bad = detail::read_events_shard(*reader, req, totals, shard, true))
    return {bad->status, std::move(bad->body)};
  // The ids as JSON text: bytes that are not UTF-8 read as U+FFFD, so two such ids may become one.
  std::vector<std::string> ids;
  ids.reserve(totals->user_ids.size());
  for (const auto& id : totals->user_ids) ids.push_back(utf8_safe(id));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return {200, envelope("events", options_without_rows(body),
                        {{"reading", {{"source", shard.source}, {"preset", shard.preset}}},
                         {"rows", shard.rows.to_json()},
                         {"warnings", shard.warnings},
                         {"ids", std::move(ids)},
                         {"state", detail::totals_json(*totals)}})};
}

const RouteSpec& subscriptions_route() { return *find_route("/records/subscriptions"); }

PartialAnswer subscriptions_partial(const Json& body) {
  Validated v = validate(subscriptions_route().fields, &body);
  if (!v.ok()) return {422, unprocessable(std::move(v.errors))};
  RouteOutcome out = pmkpi::detail::subscriptions_partial(Args(v.values, subscriptions_route().fields));
  if (out.status != 200) return {out.status, std::move(out.body)};
  return {200, envelope("subscriptions", options_without_rows(std::move(v.values)), std::move(out.body))};
}

// ---- reading states --------------------------------------------------------------------------------

RowCounts rows_of(const Json& s) {
  const Json& rows = detail::at(s, "rows");
  RowCounts c;
  c.read = static_cast<std::size_t>(detail::counts_of(Json::array({detail::at(rows, "read")}), "rows.read")[0]);
  c.used = static_cast<std::size_t>(detail::counts_of(Json::array({detail::at(rows, "used")}), "rows.used")[0]);
  c.rejected =
      static_cast<std::size_t>(detail::counts_of(Json::array({detail::at(rows, "rejected")}), "rows.rejected")[0]);
  if (c.read != c.used + c.rejected) throw PartialError("rows.read should be rows.used + rows.rejected");
  return c;
}

void check_envelope(const Json& s) {
  if (!s.is_object() || s.value("format", "") != kPartialFormat)
    throw PartialError(std::string("not a partial state: its \"format\" should be \"") + kPartialFormat + "\"");
  if (!s.contains("version") || s["version"] != kPartialVersion)
    throw PartialError("a partial state of version " + (s.contains("version") ? s["version"].dump() : "?") +
                       ": this pmkpi reads version " + std::to_string(kPartialVersion));
  const Json& kind = detail::at(s, "kind");
  if (kind != "events" && kind != "subscriptions") throw PartialError("kind should be events or subscriptions");
  for (const char* key : {"options", "reading", "state"})
    if (!detail::at(s, key).is_object()) throw PartialError(std::string(key) + " should be an object");
  rows_of(s);
  for (const Json& w : detail::at(s, "warnings"))
    if (!w.is_string()) throw PartialError("warnings should be sentences");
  const Json& ids = detail::at(s, "ids");
  if (!ids.is_array()) throw PartialError("ids should be a sorted list");
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (!ids[i].is_string() ||
        (i > 0 && ids[i].get_ref<const std::string&>() < ids[i - 1].get_ref<const std::string&>()))
      throw PartialError("ids should be a sorted list of strings");
}

// The first of `keys` where two states differ, or nothing.
std::optional<std::string> difference(const Json& a, const Json& b) {
  std::vector<std::string> keys;
  for (const auto& [k, v] : a.items()) keys.push_back(k);
  for (const auto& [k, v] : b.items()) keys.push_back(k);
  std::sort(keys.begin(), keys.end());
  for (const auto& k : keys)
    if (a.value(k, Json()) != b.value(k, Json())) return k;
  return std::nullopt;
}

struct Overlap {
  std::string id;
};

// The union of two sorted id lists, and of the lists aligned with them when given; Overlap when an
// id is in both.
Json merged_ids(Json& a, Json& b, Json* pa, Json* pb, Json* payload) {
  Json out = Json::array();
  std::size_t i = 0, j = 0;
  while (i < a.size() || j < b.size()) {
    const bool take_a =
        j == b.size() || (i < a.size() && a[i].get_ref<const std::string&>() < b[j].get_ref<const std::string&>());
    if (!take_a && i < a.size() && a[i] == b[j]) throw Overlap{a[i].get<std::string>()};
    Json& id = take_a ? a[i] : b[j];
    out.push_back(std::move(id));
    if (payload != nullptr) payload->push_back(std::move(take_a ? (*pa)[i] : (*pb)[j]));
    take_a ? ++i : ++j;
  }
  return out;
}

std::size_t holder_of(const std::vector<Json>& states, std::size_t before, const std::string& id) {
  for (std::size_t k = 0; k < before; ++k) {
    const Json& ids = states[k]["ids"];
    auto it = std::lower_bound(ids.begin(), ids.end(), id,
                               [](const Json& x, const std::string& v) { return x.get_ref<const std::string&>() < v; });
    if (it != ids.end() && *it == id) return k;
  }
  return 0;
}

std::string ordinal(std::size_t i) { return "partial state " + std::to_string(i + 1); }

// The 422 of states that cannot be merged: another kind, options or way of reading the rows.
std::optional<PartialAnswer> mismatch(const std::vector<Json>& states) {
  const Json& first = states[0];
  for (std::size_t i = 1; i < states.size(); ++i) {
    if (states[i]["kind"] != first["kind"])
      return fail("partial_mismatch", Json::array({"partials", i, "kind"}),
                  ordinal(i) + " is of " + states[i]["kind"].get<std::string>() + ", " + ordinal(0) + " of " +
                      first["kind"].get<std::string>() + ": only states of one kind merge");
    for (const char* field : {"options", "reading"})
      if (auto key = difference(first[field], states[i][field]))
        return fail("partial_mismatch", Json::array({"partials", i, field, *key}),
                    ordinal(i) + " has " + *key + " " + states[i][field].value(*key, Json()).dump() + ", " +
                        ordinal(0) + " has " + first[field].value(*key, Json()).dump() +
                        ": every shard must be read with the same options and columns",
                    states[i][field].value(*key, Json()));
  }
  return std::nullopt;
}

struct Merging {
  const std::vector<Json>& states;
  std::size_t at = 0;  // the state being read, for errors
};

PartialAnswer merge_checked(Merging& m) {
  const std::vector<Json>& states = m.states;
  if (auto bad = mismatch(states)) return *bad;
  const bool events = states[0]["kind"] == "events";
  RowCounts rows;
  Json warnings = Json::array();
  for (const Json& s : states) {
    const RowCounts c = rows_of(s);
    rows.read += c.read, rows.used += c.used, rows.rejected += c.rejected;
    for (const Json& w : s["warnings"]) warnings.push_back(w);
  }
  std::sort(warnings.begin(), warnings.end());
  Json ids = states[0]["ids"], customers;
  if (!events) customers = detail::at(states[0]["state"], "customers");
  for (m.at = 0; !events && m.at < states.size(); ++m.at)
    if (!detail::at(states[m.at]["state"], "customers").is_array() ||
        states[m.at]["state"]["customers"].size() != states[m.at]["ids"].size())
      throw PartialError("state.customers should have an entry per id");
  for (m.at = 1; m.at < states.size(); ++m.at) {
    Json more = states[m.at]["ids"], more_customers, merged_customers = Json::array();
    if (!events) more_customers = states[m.at]["state"]["customers"];
    try {
      ids = merged_ids(ids, more, events ? nullptr : &customers, events ? nullptr : &more_customers,
                       events ? nullptr : &merged_customers);
    } catch (const Overlap& o) {
      const char* who = events ? "user" : "customer";
      return fail("shard_overlap", Json::array({"partials", m.at, "ids"}),
                  "The " + std::string(who) + " \"" + o.id + "\" is in " + ordinal(holder_of(states, m.at, o.id)) +
                      " and in " + ordinal(m.at) + ": shards must split the rows by " +
                      (events ? "user_id" : "customer_id") + ", so that each " + who +
                      " is in one shard only (docs/PARTIALS.md)",
                  o.id);
    }
    if (!events) customers = std::move(merged_customers);
  }
  Json state;
  if (events) {
    EventsRequest req;
    std::optional<RowReader> none;
    if (auto bad = detail::read_events_body(states[0]["options"], req, none, false))
      throw PartialError("its options are not those of /records/events: " + bad->body.dump());
    m.at = 0;
    detail::EventsTotals total = detail::totals_of(states[0]["state"], req.options, req.zone);
    for (m.at = 1; m.at < states.size(); ++m.at) {
      detail::EventsTotals more = detail::totals_of(states[m.at]["state"], req.options, req.zone);
      if (total.users > 0 && more.users > 0)
        if (auto problem = detail::events_span_problem(std::min(total.first_day, more.first_day),
                                                       std::max(total.last_day, more.last_day), req.options, req.zone))
          return fail(problem->type, problem->loc, problem->msg, problem->input);
      total.add(std::move(more));
    }
    state = detail::totals_json(total);
  } else {
    state = states[0]["state"];
    for (m.at = 1; m.at < states.size(); ++m.at)
      state = detail::merge_subscription_states(state, states[m.at]["state"], Json());
    state["customers"] = std::move(customers);
  }
  return {200, envelope(events ? "events" : "subscriptions", states[0]["options"],
                        {{"reading", states[0]["reading"]},
                         {"rows", rows.to_json()},
                         {"warnings", std::move(warnings)},
                         {"ids", std::move(ids)},
                         {"state", std::move(state)}})};
}

PartialAnswer finish_checked(const Json& s) {
  const RowCounts rows = rows_of(s);
  if (s["kind"] == "events") {
    EventsRequest req;
    std::optional<RowReader> none;
    if (auto bad = detail::read_events_body(s["options"], req, none, false)) return {bad->status, std::move(bad->body)};
    detail::EventsShard shard;
    shard.options = req.options;
    shard.zone = req.zone;
    const Json& source = detail::at(s["reading"], "source");
    if (source != "csv" && source != "ndjson" && source != "records")
      throw PartialError("reading.source should be csv, ndjson or records");
    shard.source = source.get<std::string>();
    shard.preset = detail::at(s["reading"], "preset");
    shard.rows = rows;
    shard.warnings = s["warnings"];
    EventsAnswer out = detail::events_answer(detail::totals_of(s["state"], req.options, req.zone), shard);
    return {out.status, std::move(out.body)};
  }
  Validated v = validate(subscriptions_route().fields, &s["options"]);
  if (!v.ok()) return {422, unprocessable(std::move(v.errors))};
  detail::ReportInputs in;
  in.counts = rows;
  in.warnings = s["warnings"];
  in.preset = detail::at(s["reading"], "preset");
  in.mapping = detail::at(s["reading"], "mapping");
  if (!in.mapping.is_object()) throw PartialError("reading.mapping should be an object");
  RouteOutcome out = pmkpi::detail::subscriptions_finish(Args(v.values, subscriptions_route().fields), s["state"], in);
  return {out.status, std::move(out.body)};
}

PartialAnswer unreadable(std::size_t at, const std::string& why) {
  return fail("partial_invalid", Json::array({"partials", at}), ordinal(at) + ": " + why);
}

}  // namespace

PartialAnswer records_partial(std::string_view path, const Json& body) {
  if (path == "/records/events") return events_partial(body);
  if (path == "/records/subscriptions") return subscriptions_partial(body);
  return fail("value_error", Json::array({"path"}),
              "Partial states are made for /records/events and /records/subscriptions", Json(std::string(path)));
}

PartialAnswer merge_partials(const std::vector<Json>& states) {
  if (states.empty()) return fail("missing", Json::array({"partials"}), "Give at least one partial state", nullptr);
  Merging m{states};
  try {
    for (m.at = 0; m.at < states.size(); ++m.at) check_envelope(states[m.at]);
    return merge_checked(m);
  } catch (const PartialError& e) {
    return unreadable(m.at, e.what());
  } catch (const Json::exception& e) {
    return unreadable(m.at, std::string("a field has the wrong type (") + e.what() + ")");
  }
}

PartialAnswer finish_partial(const Json& state) {
  try {
    check_envelope(state);
    return finish_checked(state);
  } catch (const PartialError& e) {
    return unreadable(0, e.what());
  } catch (const Json::exception& e) {
    return unreadable(0, std::string("a field has the wrong type (") + e.what() + ")");
  }
}

}  // namespace pmkpi::records
