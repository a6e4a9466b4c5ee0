// Ingest of the events engine: users, days, features, sessions and funnel steps, one event at a time.

#include <algorithm>

#include "events_totals.hpp"

namespace pmkpi::records {

namespace {

// Inserts `v` into the sorted distinct vector `xs` (appending is the common case).
template <class T>
void insert_sorted(std::vector<T>& xs, T v) {
  if (xs.empty() || xs.back() < v) {
    xs.push_back(v);
    return;
  }
  auto it = std::lower_bound(xs.begin(), xs.end(), v);
  if (it == xs.end() || *it != v) xs.insert(it, v);
}

void count_into(detail::Session& s, const detail::EventKind& kind) {
  ++s.events;
  if (kind.view) ++s.views;
  if (kind.conversion) s.conversion = true;
}

// Whether `to` is more than `limit` after `from`, without signed overflow: before the span check
// rejects them, two instants may be 2^63 microseconds apart (timestamp_unit us near int64's ends).
bool more_than(std::int64_t from, std::int64_t to, std::int64_t limit) {
  return to > from &&
         static_cast<std::uint64_t>(to) - static_cast<std::uint64_t>(from) > static_cast<std::uint64_t>(limit);
}

void merge_into(detail::Session& into, const detail::Session& from) {
  into.start = std::min(into.start, from.start);
  into.end = std::max(into.end, from.end);
  into.events += from.events;
  into.views += from.views;
  into.conversion = into.conversion || from.conversion;
}
}  // namespace

std::int64_t EventsEngine::local_day(Instant t) const {
  const std::int64_t utc = t >= 0 ? t / kMicrosPerSecond : -((-t + kMicrosPerSecond - 1) / kMicrosPerSecond);
  const std::int64_t local = utc + zone_.offset_at(utc);
  return local >= 0 ? local / 86400 : -((-local + 86399) / 86400);
}

void EventsEngine::count_event_on(std::int32_t day) {
  if (events_per_day_.empty()) {
    min_day_ = max_day_ = day;
    events_per_day_.push_back(1);
    return;
  }
  const std::int32_t lo = std::min(min_day_, day), hi = std::max(max_day_, day);
  if (static_cast<std::int64_t>(hi) - lo + 1 > kMaxReportPeriods) {
    // Past the bound (it stays past: the span only grows) nothing is reported, span_problem() says
    // why: keep the extremes, count nothing.
    min_day_ = lo;
    max_day_ = hi;
    return;
  }
  if (day < min_day_) events_per_day_.insert(events_per_day_.begin(), static_cast<std::size_t>(min_day_ - day), 0);
  if (day > max_day_) events_per_day_.resize(static_cast<std::size_t>(hi - lo) + 1, 0);
  min_day_ = lo;
  max_day_ = hi;
  ++events_per_day_[static_cast<std::size_t>(day - min_day_)];
}

std::optional<InputError> EventsEngine::span_problem() const {
  if (users_.empty()) return std::nullopt;
  return detail::events_span_problem(min_day_, max_day_, options_, zone_);
}

namespace detail {

std::optional<InputError> events_span_problem(std::int32_t first, std::int32_t last, const EventsOptions& o,
                                              const TimeZone& zone) {
  const std::int64_t days = static_cast<std::int64_t>(last) - first + 1;
  const Calendar days_cal = events_calendar(PeriodKind::Day, zone, o);
  const std::string range = days_cal.name(first) + " to " + days_cal.name(last);
  if (days > kMaxReportPeriods)
    return InputError{"value_error",
                      "The events span " + std::to_string(days) + " days (" + range + "); at most " +
                          std::to_string(kMaxReportPeriods) +
                          " days are reported: drop the rows dated outside the range you want, or check the "
                          "timestamp_unit.",
                      Json::array({"body"}), nullptr};
  const Calendar cal = events_calendar(o.retention_period, zone, o);
  const std::int64_t periods = cal.period_of_day(last) - cal.period_of_day(first) + 1;
  if (periods > kMaxCohortPeriods)
    return InputError{"value_error",
                      "The events span " + std::to_string(periods) + " " + period_name(o.retention_period) + "s (" +
                          range + "); a retention matrix has at most " + std::to_string(kMaxCohortPeriods) +
                          " periods: choose a longer retention_period.",
                      Json::array({"body", "retention_period"}), Json(period_name(o.retention_period))};
  return std::nullopt;
}

}  // namespace detail

Calendar EventsEngine::calendar_of(PeriodKind period) const { return detail::events_calendar(period, zone_, options_); }

EventsEngine::EventsEngine(EventsOptions options, TimeZone zone)
    : options_(std::move(options)), zone_(std::move(zone)) {}

std::uint32_t EventsEngine::event_id(std::string_view name) {
  if (last_event_ < event_names_.size() && event_names_[last_event_] == name) return last_event_;
  const std::uint32_t id = event_index_.intern(name);
  if (id < event_names_.size()) return last_event_ = id;
  event_names_.emplace_back(name);
  detail::EventKind kind;
  const auto& views = options_.view_events;
  const auto& conversions = options_.conversion_events;
  kind.view = views.empty() || std::find(views.begin(), views.end(), name) != views.end();
  kind.conversion = std::find(conversions.begin(), conversions.end(), name) != conversions.end();
  kind.activation = !options_.activation_event.empty() && options_.activation_event == name;
  for (std::size_t j = 0; j < options_.funnel_steps.size(); ++j)
    if (options_.funnel_steps[j] == name) kind.steps.push_back(static_cast<int>(j));
  kinds_.push_back(std::move(kind));
  return last_event_ = id;
}

void EventsEngine::add(std::string_view user, std::int64_t utc_us, std::string_view event,
                       std::string_view session_id) {
  const std::uint32_t uid = user_index_.intern(user);
  if (uid == users_.size()) users_.emplace_back();
  detail::UserState& u = users_[uid];
  const std::uint32_t eid = event_id(event);
  detail::EventKind& kind = kinds_[eid];
  ++kind.events;

  const auto day = static_cast<std::int32_t>(local_day(utc_us));
  count_event_on(day);
  if (day != u.last_day) {
    insert_sorted(u.days, day);
    u.last_day = u.days.back();
  }
  // The first 64 event names are tracked in a bit set held in the user itself (no extra memory read).
  const bool fresh_feature =
      eid < 64 ? (u.feature_bits & (1ULL << eid)) == 0 : !std::binary_search(u.features.begin(), u.features.end(), eid);
  if (fresh_feature) {
    ++kind.users;
    if (eid < 64) {
      u.feature_bits |= 1ULL << eid;
    } else {
      insert_sorted(u.features, eid);
    }
  }

  u.first_us = std::min(u.first_us, utc_us);
  u.last_us = std::max(u.last_us, utc_us);
  if (kind.activation) u.first_activation_us = std::min(u.first_activation_us, utc_us);

  if (session_id.empty()) {
    add_to_sessions(u, utc_us, kind);
  } else {
    std::string key(reinterpret_cast<const char*>(&uid), sizeof uid);
    key.append(session_id);
    auto [s, fresh] = keyed_sessions_.try_emplace(std::move(key));
    if (fresh) s->second.start = s->second.end = utc_us;
    s->second.start = std::min(s->second.start, utc_us);
    s->second.end = std::max(s->second.end, utc_us);
    count_into(s->second, kind);
  }
  if (!kind.steps.empty()) add_to_funnel(u, utc_us, eid);
  ++seq_;
}

void EventsEngine::add_to_sessions(detail::UserState& u, std::int64_t us, const detail::EventKind& kind) {
  const std::int64_t timeout = options_.session_timeout_us;
  if (u.has_open && us >= u.open.start) {  // the common case: at or after the latest session's start
    if (more_than(u.open.end, us, timeout)) {
      u.sessions.push_back(u.open);
      u.open = {us, us, 0, 0, false};
    } else {
      u.open.end = std::max(u.open.end, us);
    }
    count_into(u.open, kind);
    return;
  }
  if (!u.has_open) {  // the user's first event
    u.open = {us, us, 0, 0, false};
    u.has_open = true;
    count_into(u.open, kind);
    return;
  }
  // Out of order: the event joins the session before it, the one after it, both (merging them) or
  // none. The open session joins the others for that, and the latest is open again after.
  auto& s = u.sessions;
  s.push_back(u.open);
  auto next = std::upper_bound(s.begin(), s.end(), us, [](std::int64_t t, const auto& x) { return t < x.start; });
  const bool join_prev = next != s.begin() && !more_than(std::prev(next)->end, us, timeout);
  const bool join_next = next != s.end() && !more_than(us, next->start, timeout);
  detail::Session event{us, us, 0, 0, false};
  count_into(event, kind);
  if (join_prev && join_next) {
    merge_into(*std::prev(next), event);
    merge_into(*std::prev(next), *next);
    s.erase(next);
  } else if (join_prev) {
    merge_into(*std::prev(next), event);
  } else if (join_next) {
    merge_into(*next, event);
  } else {
    s.insert(next, event);
  }
  u.open = s.back();
  s.pop_back();
}

void EventsEngine::add_to_funnel(detail::UserState& u, std::int64_t us, std::uint32_t event) {
  const std::int64_t window = options_.funnel_window_days * kMicrosPerDay;
  const detail::EventKind& kind = kinds_[event];
  const bool entry = kind.steps.front() == 0;
  const bool earlier = us < u.entry_us || (us == u.entry_us && seq_ < u.entry_seq);
  if (entry && earlier) {
    u.entry_us = us;
    u.entry_seq = seq_;
    // The entry only moves earlier: events beyond its window can never matter again. Events before
    // it are kept: an earlier entry may still arrive (the input need not be in time order).
    auto& st = u.steps;
    st.erase(
        std::remove_if(st.begin(), st.end(), [&](const detail::StepEvent& e) { return more_than(us, e.us, window); }),
        st.end());
  }
  if (u.entry_us != INT64_MAX && more_than(u.entry_us, us, window)) return;
  u.steps.push_back({us, seq_, event});
}

}  // namespace pmkpi::records
