// Ingest of the events engine: users, days, features, sessions and funnel steps, one event at a time.

#include "pmkpi/events.hpp"

#include <algorithm>

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

Calendar EventsEngine::calendar_of(PeriodKind period) const {
  Calendar c;
  c.kind = period;
  c.zone = zone_;
  c.week_start = options_.week_start;
  return c;
}

EventsEngine::EventsEngine(EventsOptions options, TimeZone zone)
    : options_(std::move(options)), zone_(std::move(zone)) {}

std::uint32_t EventsEngine::event_id(std::string_view name) {
  if (last_event_ < event_names_.size() && event_names_[last_event_] == name) return last_event_;
  key_.assign(name);  // a reused buffer: no allocation per event
  auto it = event_index_.find(key_);
  if (it != event_index_.end()) return last_event_ = it->second;
  const auto id = static_cast<std::uint32_t>(event_names_.size());
  event_index_.emplace(std::string(name), id);
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
  key_.assign(user);
  auto found = user_index_.find(key_);
  if (found == user_index_.end()) {
    found = user_index_.emplace(key_, static_cast<std::uint32_t>(users_.size())).first;
    users_.emplace_back();
  }
  const std::uint32_t uid = found->second;
  detail::UserState& u = users_[uid];
  const std::uint32_t eid = event_id(event);
  detail::EventKind& kind = kinds_[eid];
  ++kind.events;

  const auto day = static_cast<std::int32_t>(local_day(utc_us));
  min_day_ = std::min(min_day_, day);
  max_day_ = std::max(max_day_, day);
  ++events_per_day_[day];
  if (u.days.empty() || u.days.back() != day) insert_sorted(u.days, day);
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
  auto& s = u.sessions;
  const std::int64_t timeout = options_.session_timeout_us;
  if (!s.empty() && us >= s.back().start) {  // the common case: at or after the last session's start
    if (us - s.back().end > timeout) {
      s.push_back({us, us, 0, 0, false});
    } else {
      s.back().end = std::max(s.back().end, us);
    }
    count_into(s.back(), kind);
    return;
  }
  // Out of order: the event joins the session before it, the one after it, both (merging them) or none.
  auto next = std::upper_bound(s.begin(), s.end(), us, [](std::int64_t t, const auto& x) { return t < x.start; });
  const bool join_prev = next != s.begin() && us - std::prev(next)->end <= timeout;
  const bool join_next = next != s.end() && next->start - us <= timeout;
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
    st.erase(std::remove_if(st.begin(), st.end(), [&](const detail::StepEvent& e) { return e.us > us + window; }),
             st.end());
  }
  if (u.entry_us != INT64_MAX && us > u.entry_us + window) return;
  u.steps.push_back({us, seq_, event});
}

}  // namespace pmkpi::records
