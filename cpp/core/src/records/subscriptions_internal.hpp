#pragma once
// Internals of the subscriptions engine: the ledger of MRR changes read from the rows, and the
// figures computed from it.

#include <cmath>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pmkpi/records.hpp"

namespace pmkpi::records::detail {

/**
 * Money summed over customers, in fixed point (units of 2^-40): integer sums are exact, so the
 * figures do not depend on the order customers are added in, and shards of an export add up to
 * the same figures as the whole (partial states). A customer's own MRR stays a double; it enters
 * the sums rounded to 2^-40 (below 10^-12), and a row's MRR is at most kMaxMrr.
 */
__extension__ using Fixed = __int128;
inline Fixed to_fixed(double v) { return static_cast<Fixed>(std::nearbyint(std::ldexp(v, 40))); }
inline double from_fixed(Fixed f) { return std::ldexp(static_cast<double>(f), -40); }
inline constexpr double kMaxMrr = 1e15;

/** MRR of key `key` changes by `delta` from period `period` on. */
struct Change {
  std::uint32_t key;
  std::int32_t period;
  double delta;
};

/** What reading the rows leaves: changes per customer (and per segment x customer), bounds, counts. */
struct Ledger {
  std::vector<Change> changes;               // key: customer
  std::vector<Change> segment_changes;       // key: segment x customer pair
  std::vector<std::uint32_t> pair_segment;   // pair -> segment
  std::vector<std::uint32_t> pair_customer;  // pair -> customer
  std::vector<std::string> segments;
  std::optional<std::int64_t> first_period;  // of the earliest start
  std::optional<Instant> latest;             // the latest timestamp of the data
};

/** Per-period sums of one group of keys (every customer, or one segment's). */
struct PeriodTable {
  std::int64_t first = 0;  // period number of index 0
  std::vector<Fixed> mrr, new_mrr, expansion, contraction, churned, reactivation;
  std::vector<std::int64_t> customers, n_new, n_expanded, n_contracted, n_churned, n_reactivated;
};

struct CohortTable {
  std::vector<std::int64_t> size;               // customers per cohort
  std::vector<std::vector<std::int64_t>> logo;  // [cohort][age]: customers with MRR > 0
  std::vector<std::vector<Fixed>> revenue;      // [cohort][age]: MRR
};

struct SurvivalTable {
  std::vector<std::int64_t> at_risk, churned;  // per age
};

struct Figures {
  PeriodTable periods;
  CohortTable cohorts;
  SurvivalTable survival;
  Fixed annual_then = 0, annual_now = 0;  // MRR a year before the last period of its customers, and now
  bool annual_defined = false;
};

/** Computes the figures of a group from its changes (sorted in place), periods [first, last]. */
Figures compute(std::vector<Change>& changes, std::int64_t first, std::int64_t last, bool with_cohorts, int per_year);

/** The JSON of periods[], trimmed to [from, to] (period numbers). */
Json periods_json(const PeriodTable& t, const Calendar& cal, std::int64_t from, std::int64_t to);
Json cohorts_json(const Figures& f, const Calendar& cal, std::int64_t from, std::int64_t to);
Json survival_json(const Figures& f, double latest_arpa);

/** What an answer says besides the figures, and what is checked once every shard is in. */
struct ReportInputs {
  RowCounts counts;
  Json warnings = Json::array();  // the rejected rows as sentences (on_error "skip")
  std::set<std::string> missing_rates;
  Json preset;                    // its name, or null
  Json mapping = Json::object();  // canonical column -> source column
};

/** What reading one input (or shard) leaves: the ledger, and the rest of the answer. */
struct SubscriptionsShard {
  Ledger ledger;
  ReportInputs inputs;
  std::vector<std::string> customer_ids;  // by key, when asked for (partial states)
};

/** Reads the rows into `shard`, or answers the 422 of the input, its columns or (reject) its rows. */
std::optional<RecordsOutcome> read_subscriptions(RowReader& reader, const SubscriptionOptions& o,
                                                 SubscriptionsShard& shard, bool with_ids);

/** A shard's ledger as a partial state's "state" (customers in the order of `ids`, which it fills). */
Json subscriptions_state_json(const SubscriptionsShard& shard, Json& ids);
/** Two states' union: `customers` is their customer lists already merged in id order. */
Json merge_subscription_states(const Json& a, const Json& b, Json customers);
/** The answer from a state (PartialError when it is not one). */
RecordsOutcome finish_subscriptions(const SubscriptionOptions& o, const Json& state, ReportInputs inputs);

/** The answer once the rows are read: a 422 (no rows, missing rates, as_of, span) or every figure. */
RecordsOutcome report(const SubscriptionOptions& o, Ledger& ledger, const ReportInputs& in);

}  // namespace pmkpi::records::detail
