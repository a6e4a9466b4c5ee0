// Reports of the events engine over days and calendar periods, from totals: daily actives, weekly
// and monthly actives, the summary and feature adoption; and the whole report.

#include <algorithm>

#include "events_support.hpp"
#include "events_totals.hpp"

namespace pmkpi::records {

void EventsEngine::for_each_session(const std::function<void(const detail::Session&)>& fn) const {
  for (const auto& [key, s] : keyed_sessions_) fn(s);
  for (const auto& u : users_) {
    for (const auto& s : u.sessions) fn(s);
    if (u.has_open) fn(u.open);
  }
}

Json EventsEngine::report() const { return detail::events_report(totals(false), options_, zone_); }

namespace detail {
namespace {

Json daily_json(const EventsTotals& t, const Calendar& days) {
  Json out = Json::array();
  if (t.users == 0) return out;
  for (std::int64_t day = t.first_day; day <= t.last_day; ++day) {
    const std::int64_t dau = t.dau.at(day), mau = t.mau.at(day);
    out.push_back({{"day", days.name(day)},
                   {"dau", dau},
                   {"wau", t.wau.at(day)},
                   {"mau", mau},
                   {"stickiness", rate(dau, mau)},
                   {"new_users", t.day_new.at(day)},
                   {"events", t.day_events.at(day)},
                   {"sessions", t.day_sessions.at(day)}});
  }
  return out;
}

Json calendar_json(const EventsTotals& t, const Calendar& cal, const Series& active, const Series& fresh) {
  Json out = Json::array();
  if (t.users == 0) return out;
  const std::int64_t first = cal.period_of_day(t.first_day), last = cal.period_of_day(t.last_day);
  std::vector<std::int64_t> events(static_cast<std::size_t>(last - first + 1), 0);
  for (std::int64_t day = t.first_day; day <= t.last_day; ++day)
    events[static_cast<std::size_t>(cal.period_of_day(day) - first)] += t.day_events.at(day);
  const char* key = cal.kind == PeriodKind::Week ? "week" : "month";
  for (std::int64_t p = first; p <= last; ++p)
    out.push_back({{key, cal.name(p)},
                   {"active_users", active.at(p)},
                   {"new_users", fresh.at(p)},
                   {"events", events[static_cast<std::size_t>(p - first)]}});
  return out;
}

Json summary_json(const EventsTotals& t, const Json& days) {
  const double n_sessions = static_cast<double>(t.sessions);
  // Stickiness: the mean of the daily DAU/MAU over the last 30 days of data.
  double sticky_sum = 0;
  std::size_t sticky_days = 0;
  for (std::size_t i = days.size() > 30 ? days.size() - 30 : 0; i < days.size(); ++i, ++sticky_days) {
    const auto dau = days[i]["dau"].get<double>(), mau = days[i]["mau"].get<double>();
    sticky_sum += mau > 0 ? dau / mau * 100.0 : 0.0;
  }
  return {{"users", t.users},
          {"events", t.events},
          {"sessions", t.sessions},
          {"average_session_duration_seconds", ratio(static_cast<double>(t.duration_us) / 1e6, n_sessions)},
          {"median_session_duration_seconds", t.durations.median(1e6)},
          {"bounce_rate", rate(t.bounced, t.sessions)},
          {"engaged_sessions", t.sessions - t.bounced},
          {"sessions_per_user", ratio(n_sessions, static_cast<double>(t.users))},
          {"actions_per_session", ratio(static_cast<double>(t.events), n_sessions)},
          {"stickiness", sticky_days == 0 ? Json() : Json(round_to(sticky_sum / sticky_days, 2))}};
}

Json features_json(const EventsTotals& t) {
  std::vector<const FeatureTotal*> order;
  for (const auto& f : t.features) order.push_back(&f);
  std::stable_sort(order.begin(), order.end(), [](const FeatureTotal* a, const FeatureTotal* b) {
    if (a->users != b->users) return a->users > b->users;
    return a->event < b->event;
  });
  Json out = Json::array();
  for (const FeatureTotal* f : order)
    out.push_back(
        {{"event", f->event}, {"users", f->users}, {"adoption_rate", rate(f->users, t.users)}, {"events", f->events}});
  return out;
}

}  // namespace

Calendar events_calendar(PeriodKind period, const TimeZone& zone, const EventsOptions& o) {
  Calendar c;
  c.kind = period;
  c.zone = zone;
  c.week_start = o.week_start;
  return c;
}

Json events_report(const EventsTotals& t, const EventsOptions& o, const TimeZone& zone) {
  const Calendar days = events_calendar(PeriodKind::Day, zone, o);
  const Calendar cohorts = events_calendar(o.retention_period, zone, o);
  Json daily = daily_json(t, days);
  Json out = Json::object();
  out["summary"] = summary_json(t, daily);
  out["daily"] = std::move(daily);
  out["weekly"] = calendar_json(t, events_calendar(PeriodKind::Week, zone, o), t.week_active, t.week_new);
  out["monthly"] = calendar_json(t, events_calendar(PeriodKind::Month, zone, o), t.month_active, t.month_new);
  out["features"] = features_json(t);
  out["retention"] = retention_json(t, cohorts);
  out["lifecycle"] = lifecycle_json(t, cohorts);
  if (!o.funnel_steps.empty()) out["funnel"] = funnel_json(t, o);
  if (!o.activation_event.empty()) out["activation"] = activation_json(t, o);
  out["power_users"] = power_users_json(t, days);
  return out;
}

}  // namespace detail
}  // namespace pmkpi::records
