#pragma once
// Internals of the subscriptions engine: the ledger of MRR changes read from the rows, and the
// figures computed from it.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "pmkpi/records.hpp"

namespace pmkpi::records::detail {

/** MRR of key `key` changes by `delta` from period `period` on. */
struct Change {
  std::uint32_t key;
  std::int32_t period;
  double delta;
};

/** What reading the rows leaves: changes per customer (and per segment x customer), bounds, counts. */
struct Ledger {
  std::vector<Change> changes;          // key: customer
  std::vector<Change> segment_changes;  // key: segment x customer pair
  std::vector<std::uint32_t> pair_segment;
  std::vector<std::string> segments;
  std::size_t customers = 0;
  std::optional<std::int64_t> first_period;  // of the earliest start
  std::optional<Instant> latest;             // the latest timestamp of the data
};

/** Per-period sums of one group of keys (every customer, or one segment's). */
struct PeriodTable {
  std::int64_t first = 0;  // period number of index 0
  std::vector<double> mrr, new_mrr, expansion, contraction, churned, reactivation;
  std::vector<std::int64_t> customers, n_new, n_expanded, n_contracted, n_churned, n_reactivated;
};

struct CohortTable {
  std::vector<std::int64_t> size;               // customers per cohort
  std::vector<std::vector<std::int64_t>> logo;  // [cohort][age]: customers with MRR > 0
  std::vector<std::vector<double>> revenue;     // [cohort][age]: MRR
};

struct SurvivalTable {
  std::vector<std::int64_t> at_risk, churned;  // per age
};

struct Figures {
  PeriodTable periods;
  CohortTable cohorts;
  SurvivalTable survival;
  double annual_then = 0, annual_now = 0;  // MRR a year before the last period of its customers, and now
  bool annual_defined = false;
};

/** Computes the figures of a group from its changes (sorted in place), periods [first, last]. */
Figures compute(std::vector<Change>& changes, std::int64_t first, std::int64_t last, bool with_cohorts, int per_year);

/** The JSON of periods[], trimmed to [from, to] (period numbers). */
Json periods_json(const PeriodTable& t, const Calendar& cal, std::int64_t from, std::int64_t to);
Json cohorts_json(const Figures& f, const Calendar& cal, std::int64_t from, std::int64_t to);
Json survival_json(const Figures& f, double latest_arpa);

/** The answer once the rows are read: a 422 (rejected rows, missing rates) or every figure. */
RecordsOutcome report(const SubscriptionOptions& o, Ledger& ledger, const RowErrors& errors,
                      const std::set<std::string>& missing_rates, const RowCounts& counts, const Preset* preset,
                      const ColumnMap& cols);

}  // namespace pmkpi::records::detail
