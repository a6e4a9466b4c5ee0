// The subscriptions engine's partial state (docs/PARTIALS.md): each customer's ledger of MRR changes,
// in the order they were read, beside the sorted customer ids. A customer's changes are what its walk
// reads, and the sums over customers are exact (fixed point), so the ledger of merged shards gives
// the single pass's figures to the last digit.

#include <algorithm>
#include <cmath>
#include <numeric>
#include <unordered_map>

#include "partial_support.hpp"
#include "subscriptions_internal.hpp"

namespace pmkpi::records::detail {
namespace {

Json flat_changes(const std::vector<const Change*>& changes) {
  Json out = Json::array();
  for (const Change* c : changes) out.push_back(c->period), out.push_back(c->delta);
  return out;
}

// One customer's [changes, [[segment, changes], ...]] of the state, appended to the ledger as key `key`.
void append_customer(Ledger& l, std::uint32_t key, const Json& entry, std::int64_t first,
                     std::unordered_map<std::string, std::uint32_t>& segment_ids) {
  const auto changes_of = [&](const Json& flat, std::vector<Change>& out, std::uint32_t k) {
    if (!flat.is_array() || flat.size() % 2 != 0)
      throw PartialError("a customer's changes should be period, delta pairs");
    for (std::size_t i = 0; i < flat.size(); i += 2) {
      const std::int64_t p = int_of(flat[i], "a change's period");
      if (p < first || p > 100000000) throw PartialError("a change's period is before first_period or out of range");
      if (!flat[i + 1].is_number() || !(std::fabs(flat[i + 1].get<double>()) <= kMaxMrr))
        throw PartialError("a change's delta should be a number of at most 1e15");
      out.push_back({k, static_cast<std::int32_t>(p), flat[i + 1].get<double>()});
    }
  };
  if (!entry.is_array() || entry.size() != 2 || !entry[1].is_array())
    throw PartialError("a customer should be [changes, segments]");
  changes_of(entry[0], l.changes, key);
  for (const Json& pair : entry[1]) {
    if (!pair.is_array() || pair.size() != 2 || !pair[0].is_string())
      throw PartialError("a customer's segment should be [segment, changes]");
    const std::string& name = pair[0].get_ref<const std::string&>();
    auto [it, fresh] = segment_ids.try_emplace(name, static_cast<std::uint32_t>(l.segments.size()));
    if (fresh) l.segments.push_back(name);
    const auto pair_key = static_cast<std::uint32_t>(l.pair_segment.size());
    l.pair_segment.push_back(it->second);
    l.pair_customer.push_back(key);
    changes_of(pair[1], l.segment_changes, pair_key);
  }
}

}  // namespace

Json subscriptions_state_json(const SubscriptionsShard& shard, Json& ids) {
  const Ledger& l = shard.ledger;
  const std::size_t n = shard.customer_ids.size();
  std::vector<std::vector<const Change*>> own(n);
  for (const Change& c : l.changes) own[c.key].push_back(&c);
  std::vector<std::vector<const Change*>> by_pair(l.pair_segment.size());
  for (const Change& c : l.segment_changes) by_pair[c.key].push_back(&c);
  std::vector<std::vector<std::uint32_t>> pairs(n);
  for (std::uint32_t p = 0; p < l.pair_customer.size(); ++p) pairs[l.pair_customer[p]].push_back(p);
  // The ids as JSON text (bytes that are not UTF-8 read as U+FFFD), sorted as the state lists them.
  std::vector<std::string> safe(n);
  for (std::size_t k = 0; k < n; ++k) safe[k] = utf8_safe(shard.customer_ids[k]);
  std::vector<std::uint32_t> order(n);
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) { return safe[a] < safe[b]; });
  Json customers = Json::array();
  ids = Json::array();
  for (std::uint32_t k : order) {
    Json segments = Json::array();
    for (std::uint32_t p : pairs[k])
      segments.push_back(Json::array({l.segments[l.pair_segment[p]], flat_changes(by_pair[p])}));
    customers.push_back(Json::array({flat_changes(own[k]), std::move(segments)}));
    ids.push_back(std::move(safe[k]));
  }
  Json missing = Json::array();
  for (const auto& c : shard.inputs.missing_rates) missing.push_back(c);
  return {{"first_period", l.first_period ? Json(*l.first_period) : Json()},
          {"latest", l.latest ? Json(*l.latest) : Json()},
          {"missing_rates", std::move(missing)},
          {"customers", std::move(customers)}};
}

Json merge_subscription_states(const Json& a, const Json& b, Json customers) {
  const auto pick = [&](const char* key, bool low) {
    const Json &x = at(a, key), &y = at(b, key);
    if (x.is_null()) return y;
    if (y.is_null()) return x;
    const std::int64_t u = int_of(x, key), v = int_of(y, key);
    return Json(low ? std::min(u, v) : std::max(u, v));
  };
  std::set<std::string> missing;
  for (const Json* s : {&a, &b})
    for (const Json& c : at(*s, "missing_rates")) {
      if (!c.is_string()) throw PartialError("missing_rates should be currency codes");
      missing.insert(c.get<std::string>());
    }
  Json list = Json::array();
  for (const auto& c : missing) list.push_back(c);
  return {{"first_period", pick("first_period", true)},
          {"latest", pick("latest", false)},
          {"missing_rates", std::move(list)},
          {"customers", std::move(customers)}};
}

RecordsOutcome finish_subscriptions(const SubscriptionOptions& o, const Json& state, ReportInputs inputs) {
  SubscriptionsShard shard;
  Ledger& l = shard.ledger;
  const Json& customers = at(state, "customers");
  if (!customers.is_array()) throw PartialError("customers should be a list");
  if (!at(state, "first_period").is_null()) l.first_period = int_of(state["first_period"], "first_period");
  if (!at(state, "latest").is_null()) l.latest = int_of(state["latest"], "latest");
  if (l.first_period.has_value() != l.latest.has_value() || (!l.first_period && !customers.empty()) ||
      (l.first_period && (std::llabs(*l.first_period) > 100000000 || std::llabs(*l.latest) > 400000000000000000LL)))
    throw PartialError("first_period and latest should both be given (and in range) when there are customers");
  std::unordered_map<std::string, std::uint32_t> segment_ids;
  for (std::size_t i = 0; i < customers.size(); ++i)
    append_customer(l, static_cast<std::uint32_t>(i), customers[i], l.first_period.value_or(0), segment_ids);
  for (const Json& c : at(state, "missing_rates")) {
    if (!c.is_string()) throw PartialError("missing_rates should be currency codes");
    inputs.missing_rates.insert(c.get<std::string>());
  }
  return report(o, l, inputs);
}

}  // namespace pmkpi::records::detail
