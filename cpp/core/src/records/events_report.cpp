// Reports of the events engine over days and calendar periods: daily actives, weekly and monthly
// actives, the summary and feature adoption.

#include <algorithm>
#include <numeric>

#include "events_support.hpp"
#include "pmkpi/events.hpp"

namespace pmkpi::records {

using detail::Session;

std::int32_t EventsEngine::first_day() const { return min_day_; }
std::int32_t EventsEngine::last_day() const { return max_day_; }

void EventsEngine::for_each_session(const std::function<void(const Session&)>& fn) const {
  for (const auto& [key, s] : keyed_sessions_) fn(s);
  for (const auto& u : users_) {
    for (const auto& s : u.sessions) fn(s);
    if (u.has_open) fn(u.open);
  }
}

namespace {
// Distinct users per day of a trailing window of `width` days: each user adds one over the union
// of [d, d + width - 1] for its active days d.
std::vector<std::int64_t> trailing_actives(const std::vector<detail::UserState>& users, std::int32_t first,
                                           std::int32_t last, int width) {
  const std::size_t n = static_cast<std::size_t>(last - first + 1);
  std::vector<std::int64_t> delta(n + 1, 0);
  for (const auto& u : users) {
    std::int64_t run_start = -1, run_end = -2;  // current merged interval, as offsets
    for (std::int32_t d : u.days) {
      const std::int64_t a = d - first, b = std::min<std::int64_t>(d - first + width - 1, n - 1);
      if (a > run_end + 1) {
        if (run_end >= run_start && run_start >= 0) ++delta[run_start], --delta[run_end + 1];
        run_start = a;
      }
      run_end = std::max(run_end, b);
    }
    if (run_start >= 0 && run_end >= run_start) ++delta[run_start], --delta[run_end + 1];
  }
  std::vector<std::int64_t> out(n);
  std::int64_t running = 0;
  for (std::size_t i = 0; i < n; ++i) out[i] = running += delta[i];
  return out;
}
}  // namespace

Json EventsEngine::daily() const {
  Json out = Json::array();
  const Calendar days = calendar_of(PeriodKind::Day);
  if (users_.empty()) return out;
  const std::int32_t first = first_day(), last = last_day();
  const std::size_t n = static_cast<std::size_t>(last - first + 1);
  std::vector<std::int64_t> dau(n, 0), fresh(n, 0), sessions(n, 0);
  for (const auto& u : users_) {
    for (std::int32_t d : u.days) ++dau[d - first];
    ++fresh[u.days.front() - first];
  }
  for_each_session([&](const Session& s) { ++sessions[local_day(s.start) - first]; });
  const auto wau = trailing_actives(users_, first, last, 7);
  const auto mau = trailing_actives(users_, first, last, options_.mau_window_days);
  for (std::size_t i = 0; i < n; ++i) {
    const auto day = static_cast<std::int32_t>(first + i);
    out.push_back({{"day", days.name(day)},
                   {"dau", dau[i]},
                   {"wau", wau[i]},
                   {"mau", mau[i]},
                   {"stickiness", rate(dau[i], mau[i])},
                   {"new_users", fresh[i]},
                   {"events", events_on(day)},
                   {"sessions", sessions[i]}});
  }
  return out;
}

Json EventsEngine::calendar(PeriodKind period) const {
  Json out = Json::array();
  if (users_.empty()) return out;
  const Calendar cal = calendar_of(period);
  const std::int64_t first = cal.period_of_day(first_day()), last = cal.period_of_day(last_day());
  const std::size_t n = static_cast<std::size_t>(last - first + 1);
  std::vector<std::int64_t> active(n, 0), fresh(n, 0), events(n, 0);
  for (const auto& u : users_) {
    std::int64_t previous = INT64_MIN;
    for (std::int32_t d : u.days) {
      const std::int64_t p = cal.period_of_day(d);
      if (p != previous) ++active[p - first];
      previous = p;
    }
    ++fresh[cal.period_of_day(u.days.front()) - first];
  }
  for (std::int32_t day = min_day_; day <= max_day_; ++day) events[cal.period_of_day(day) - first] += events_on(day);
  const char* key = period == PeriodKind::Week ? "week" : "month";
  for (std::size_t i = 0; i < n; ++i)
    out.push_back({{key, cal.name(first + static_cast<std::int64_t>(i))},
                   {"active_users", active[i]},
                   {"new_users", fresh[i]},
                   {"events", events[i]}});
  return out;
}

Json EventsEngine::summary() const {
  std::vector<double> durations;
  std::int64_t bounced = 0;
  for_each_session([&](const Session& s) {
    const double seconds = static_cast<double>(s.end - s.start) / 1e6;
    durations.push_back(seconds);
    const bool engaged = seconds > 10.0 || s.views >= 2 || s.conversion;
    if (!engaged) ++bounced;
  });
  const double total = std::accumulate(durations.begin(), durations.end(), 0.0);
  const auto n_sessions = static_cast<std::int64_t>(durations.size());
  const auto n_users = static_cast<std::int64_t>(users_.size());
  const auto n_events = static_cast<std::int64_t>(seq_);
  // Stickiness: the mean of the daily DAU/MAU over the last 30 days of data.
  const Json days = daily();
  double sticky_sum = 0;
  std::size_t sticky_days = 0;
  for (std::size_t i = days.size() > 30 ? days.size() - 30 : 0; i < days.size(); ++i, ++sticky_days) {
    const auto dau = days[i]["dau"].get<double>(), mau = days[i]["mau"].get<double>();
    sticky_sum += mau > 0 ? dau / mau * 100.0 : 0.0;
  }
  return {{"users", n_users},
          {"events", n_events},
          {"sessions", n_sessions},
          {"average_session_duration_seconds", ratio(total, static_cast<double>(n_sessions))},
          {"median_session_duration_seconds", median(durations)},
          {"bounce_rate", rate(bounced, n_sessions)},
          {"engaged_sessions", n_sessions - bounced},
          {"sessions_per_user", ratio(static_cast<double>(n_sessions), static_cast<double>(n_users))},
          {"actions_per_session", ratio(static_cast<double>(n_events), static_cast<double>(n_sessions))},
          {"stickiness", sticky_days == 0 ? Json() : Json(round_to(sticky_sum / sticky_days, 2))}};
}

Json EventsEngine::features() const {
  std::vector<std::uint32_t> order(event_names_.size());
  std::iota(order.begin(), order.end(), 0u);
  std::sort(order.begin(), order.end(), [&](std::uint32_t a, std::uint32_t b) {
    if (kinds_[a].users != kinds_[b].users) return kinds_[a].users > kinds_[b].users;
    return event_names_[a] < event_names_[b];
  });
  Json out = Json::array();
  const auto n_users = static_cast<std::int64_t>(users_.size());
  for (std::uint32_t id : order)
    out.push_back({{"event", event_names_[id]},
                   {"users", kinds_[id].users},
                   {"adoption_rate", rate(static_cast<std::int64_t>(kinds_[id].users), n_users)},
                   {"events", kinds_[id].events}});
  return out;
}

Json EventsEngine::report() const {
  Json out = Json::object();
  out["summary"] = summary();
  out["daily"] = daily();
  out["weekly"] = calendar(PeriodKind::Week);
  out["monthly"] = calendar(PeriodKind::Month);
  out["features"] = features();
  out["retention"] = retention();
  out["lifecycle"] = lifecycle();
  if (!options_.funnel_steps.empty()) out["funnel"] = funnel();
  if (!options_.activation_event.empty()) out["activation"] = activation();
  out["power_users"] = power_users();
  return out;
}

}  // namespace pmkpi::records
