#pragma once
// The events engine's totals: every figure of RECORDS.md's "Events" reduced to counts indexed by
// absolute day or period. Users are disjoint across shards (split by user), so the totals of two
// shards add up to the totals of their union; the report is computed from totals only, whether
// they come from one pass or from a merge of partial states (PARTIALS.md).

#include <cstdint>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "partial_support.hpp"
#include "pmkpi/events.hpp"

namespace pmkpi::records::detail {

/** Counts indexed by an absolute day or period number; adding another series widens it. */
struct Series {
  std::int64_t first = 0;
  std::vector<std::int64_t> v;

  std::int64_t at(std::int64_t i) const {
    return i < first || i >= first + static_cast<std::int64_t>(v.size()) ? 0 : v[static_cast<std::size_t>(i - first)];
  }
  void add(const Series& other);
};

/** Exact distribution of integer values (microseconds): sorted (value, count) pairs. */
struct Histogram {
  std::vector<std::pair<std::int64_t, std::int64_t>> bins;

  static Histogram of(std::vector<std::int64_t> values);
  void add(const Histogram& other);
  std::int64_t count() const;
  /** The median as the engine defines it (mean of the two middle values), each value / `unit`. */
  Json median(double unit) const;
};

/** Rows of counts by absolute cohort period, each row by age from 0. */
struct Matrix {
  Series sizes;                                 // cohort sizes
  std::vector<std::vector<std::int64_t>> rows;  // rows[c - sizes.first][age]
  void add(const Matrix& other);
};

struct FeatureTotal {
  std::string event;
  std::int64_t users = 0, events = 0;
};

struct EventsTotals {
  std::int64_t users = 0, events = 0;
  std::int32_t first_day = 0, last_day = 0;  // of the data (meaningful when users > 0)
  // By absolute day: wau and mau run past last_day (width - 1 days), clipped when reported.
  Series day_events, dau, day_new, day_sessions, wau, mau;
  Series week_active, week_new, month_active, month_new;  // by absolute week and month
  std::int64_t sessions = 0, bounced = 0;
  Wide duration_us = 0;
  Histogram durations;
  std::vector<FeatureTotal> features;              // sorted by event name
  Matrix classic, unbounded;                       // retention, by absolute retention period
  Series fresh, returning, resurrecting, dormant;  // lifecycle; dormant may run one period past
  std::vector<std::int64_t> reached;               // funnel users per step
  std::vector<Histogram> step_us;                  // funnel: microseconds from the entry, per step
  std::int64_t activated = 0;
  Wide activation_us = 0;
  Histogram activation;
  // Power users for a last day `s` days after this one: l7[s] (s < 7) and l28[s] (s < 28).
  std::vector<std::vector<std::int64_t>> l7, l28;
  std::vector<std::string> user_ids;  // only for a partial state's ids, which the envelope sorts and merges

  /** Adds a shard's totals (users disjoint): the sum is the totals of the union, user_ids aside. */
  void add(EventsTotals&& other);
};

/** What a series counts by: days, weeks, months or the retention period. */
enum class SeriesUnit { Day, Week, Month, Retention };

/** The series of a totals object, by name, unit and member (const or not, as `t`). */
template <class Totals>
auto named_series(Totals& t) {
  using S = decltype(&t.dau);
  return std::vector<std::tuple<const char*, SeriesUnit, S>>{{"day_events", SeriesUnit::Day, &t.day_events},
                                                             {"dau", SeriesUnit::Day, &t.dau},
                                                             {"day_new", SeriesUnit::Day, &t.day_new},
                                                             {"day_sessions", SeriesUnit::Day, &t.day_sessions},
                                                             {"wau", SeriesUnit::Day, &t.wau},
                                                             {"mau", SeriesUnit::Day, &t.mau},
                                                             {"week_active", SeriesUnit::Week, &t.week_active},
                                                             {"week_new", SeriesUnit::Week, &t.week_new},
                                                             {"month_active", SeriesUnit::Month, &t.month_active},
                                                             {"month_new", SeriesUnit::Month, &t.month_new},
                                                             {"fresh", SeriesUnit::Retention, &t.fresh},
                                                             {"returning", SeriesUnit::Retention, &t.returning},
                                                             {"resurrecting", SeriesUnit::Retention, &t.resurrecting},
                                                             {"dormant", SeriesUnit::Retention, &t.dormant}};
}

/** The totals as a partial state's "totals" object, and back (PartialError when it is not one). */
Json totals_json(const EventsTotals& t);
EventsTotals totals_of(const Json& j, const EventsOptions& o, const TimeZone& zone);

/** What an answer says besides the figures: the options, rows, preset and warnings of the input. */
struct EventsShard {
  EventsOptions options;
  TimeZone zone;
  std::string source = "csv";  // the body field the rows came in (no_rows' loc)
  Json preset;                 // its name, or null
  RowCounts rows;
  Json warnings = Json::array();
};

/**
 * The request of a POST /records/events body, and its rows' reader when `with_rows` (a body of
 * options only otherwise: a partial state's); the 422 of what is unusable.
 */
std::optional<EventsAnswer> read_events_body(const Json& body, EventsRequest& req, std::optional<RowReader>& reader,
                                             bool with_rows);

/** Reads the rows into totals (with the user ids when `with_ids`), or answers the 422. */
std::optional<EventsAnswer> read_events_shard(RowReader& reader, const EventsRequest& request,
                                              std::optional<EventsTotals>& totals, EventsShard& shard, bool with_ids);

/** The route's answer: the 422 of an unreportable span or of no rows, or every figure, banded. */
EventsAnswer events_answer(const EventsTotals& totals, const EventsShard& shard);

/** Every figure of the report from totals: summary, daily, weekly, ..., power_users. */
Json events_report(const EventsTotals& t, const EventsOptions& o, const TimeZone& zone);
/** The cohort parts of it: retention, lifecycle, funnel, activation, power_users. */
Json retention_json(const EventsTotals& t, const Calendar& cal);
Json lifecycle_json(const EventsTotals& t, const Calendar& cal);
Json funnel_json(const EventsTotals& t, const EventsOptions& o);
Json activation_json(const EventsTotals& t, const EventsOptions& o);
Json power_users_json(const EventsTotals& t, const Calendar& days);

/** Why events from day `first` to day `last` cannot be reported, or nothing. */
std::optional<InputError> events_span_problem(std::int32_t first, std::int32_t last, const EventsOptions& o,
                                              const TimeZone& zone);

/** A calendar of `period` in `zone` with the options' week start. */
Calendar events_calendar(PeriodKind period, const TimeZone& zone, const EventsOptions& o);

}  // namespace pmkpi::records::detail
