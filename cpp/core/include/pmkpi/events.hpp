#pragma once
// The events engine of RECORDS.md ("Events"): active users, sessions, retention, lifecycle, funnel,
// activation, feature adoption and power users from a stream of events. Memory grows with users,
// days and sessions, never with the number of events; distinct counts are exact.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pmkpi/detail/key_index.hpp"
#include "pmkpi/json.hpp"
#include "pmkpi/records.hpp"

namespace pmkpi::records {

struct EventsOptions {
  std::int64_t session_timeout_us = 30LL * 60 * 1000000;  // a gap greater than this starts a session
  std::vector<std::string> view_events;                   // empty: every event is a view
  std::vector<std::string> conversion_events;
  PeriodKind retention_period = PeriodKind::Week;  // day, week or month
  std::vector<std::string> funnel_steps;           // empty: no funnel
  int funnel_window_days = 7;
  std::string activation_event;  // empty: no activation
  int activation_window_days = 7;
  int mau_window_days = 30;
  int week_start = 0;  // 0 = Monday ... 6 = Sunday
};

namespace detail {
struct Session {
  std::int64_t start = 0, end = 0;
  std::uint32_t events = 0, views = 0;
  bool conversion = false;
};
struct StepEvent {
  std::int64_t us;
  std::uint64_t seq;
  std::uint32_t event;
};
struct UserState {
  // What every event of the user reads and writes, together at the front (one cache line or two),
  // so that the common event touches no heap block: its last day and its open session.
  std::int64_t first_us = INT64_MAX;
  std::int64_t last_us = INT64_MIN;
  std::int32_t last_day = INT32_MIN;  // days.back()
  bool has_open = false;              // timeout mode: `open` is the latest session, after `sessions`
  std::uint64_t feature_bits = 0;     // event ids below 64 this user did
  Session open;
  std::int64_t first_activation_us = INT64_MAX;
  std::int64_t entry_us = INT64_MAX;  // first funnel step 1 event
  std::uint64_t entry_seq = 0;
  std::vector<std::int32_t> days;       // sorted distinct local days with an event
  std::vector<std::uint32_t> features;  // sorted distinct event ids from 64 on
  std::vector<Session> sessions;        // timeout mode: sorted, disjoint, gaps > timeout; then `open`
  std::vector<StepEvent> steps;         // funnel step events that can still matter
};
struct EventsTotals;  // events_totals.hpp
struct EventKind {
  bool view = false, conversion = false, activation = false;
  std::vector<int> steps;  // funnel steps this event is (0-based)
  std::uint64_t events = 0, users = 0;
};
}  // namespace detail

/**
 * Accumulates events one at a time (any order; ties keep input order) and reports every figure of
 * RECORDS.md as JSON. Rates are percentages rounded to 2 decimals; nothing is rounded inside.
 */
class EventsEngine {
 public:
  EventsEngine(EventsOptions options, TimeZone zone);

  /** Adds one event; `session_id` empty means the session comes from the timeout. */
  void add(std::string_view user, std::int64_t utc_us, std::string_view event, std::string_view session_id = {});

  std::uint64_t events() const { return seq_; }
  std::size_t users() const { return users_.size(); }

  /**
   * Why the events cannot be reported, or nothing: more than kMaxReportPeriods days between the
   * first and the last event, or more than kMaxCohortPeriods retention periods.
   */
  std::optional<InputError> span_problem() const;
  /** The first and the last local day with an event (meaningful when users() > 0). */
  std::pair<std::int32_t, std::int32_t> days() const { return {min_day_, max_day_}; }

  /** Every figure: summary, daily, weekly, monthly, features, retention, lifecycle, funnel, ... */
  Json report() const;

  /**
   * The users reduced to totals by absolute day and period (the report is computed from them alone);
   * with `with_ids` also the user ids, which a partial state carries (sorted) to detect a user in two
   * shards.
   */
  detail::EventsTotals totals(bool with_ids) const;

  /** The local day (days since 1970-01-01 in the request's zone) of an instant. */
  std::int64_t local_day(Instant t) const;
  /** The calendar of a period kind in the request's zone and week start. */
  Calendar calendar_of(PeriodKind period) const;

 private:
  std::uint32_t event_id(std::string_view name);
  void add_to_sessions(detail::UserState& u, std::int64_t us, const detail::EventKind& kind);
  void add_to_funnel(detail::UserState& u, std::int64_t us, std::uint32_t event);
  void for_each_session(const std::function<void(const detail::Session&)>& fn) const;
  void count_event_on(std::int32_t day);
  void session_totals(detail::EventsTotals& t) const;
  void funnel_totals(detail::EventsTotals& t) const;
  void activation_totals(detail::EventsTotals& t) const;

  EventsOptions options_;
  TimeZone zone_;
  std::uint64_t seq_ = 0;
  std::int32_t min_day_ = INT32_MAX, max_day_ = INT32_MIN;
  std::uint32_t last_event_ = UINT32_MAX;
  detail::KeyIndex user_index_;  // user id -> index into users_
  std::vector<detail::UserState> users_;
  detail::KeyIndex event_index_;  // event name -> index into event_names_ and kinds_
  std::vector<std::string> event_names_;
  std::vector<detail::EventKind> kinds_;
  std::unordered_map<std::string, detail::Session> keyed_sessions_;  // session_id mode
  std::vector<std::uint64_t> events_per_day_;  // events of day min_day_ + i (none past kMaxReportPeriods days)
};

/**
 * With 2, a long event log (more than one batch of 1,048,576 rows) is read on the calling thread
 * while the batch before is added on a second one; 1 (the default) does both on the calling thread.
 * The CLI sets 2; the server keeps 1 (its compute runs on a bounded pool). Ignored in WebAssembly.
 */
void set_events_threads(int threads);

/** An events request once its fields are validated: engine options plus how to read the rows. */
struct EventsRequest {
  EventsOptions options;
  TimeZone zone;                                // default UTC
  std::optional<TimestampUnit> timestamp_unit;  // unset: ISO text, or the preset's unit
  OnError on_error = OnError::Reject;
  std::string preset;                                        // empty: detected from the header
  std::vector<std::pair<std::string, std::string>> mapping;  // canonical -> source column
};

struct EventsAnswer {
  int status = 200;
  Json body;
};

/** The canonical columns of an event log: user_id, timestamp, event (required), session_id. */
const std::vector<ColumnSpec>& event_columns();

/** The presets: generic, segment, posthog, ga4 (documented in their descriptions). */
const std::vector<Preset>& event_presets();

/**
 * Reads every row of `reader` into the engine and answers: 200 with every figure of RECORDS.md,
 * `rows` counts, the preset used and the headline figures banded by the catalog's routes; or 422
 * for an unusable input, a missing column, or bad rows under on_error "reject".
 */
EventsAnswer compute_events(RowReader& reader, const EventsRequest& request);

/**
 * Answers a whole POST /records/events body: the rows in exactly one of `csv`, `ndjson` or
 * `records`, and the options of RECORDS.md; 422 listing every unusable option.
 */
EventsAnswer answer_events(const Json& body);

}  // namespace pmkpi::records
