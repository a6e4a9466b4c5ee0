// The events engine's users reduced to totals (events_totals.hpp): one pass over the users for the
// day and period counts, one over the sessions, one for the cohorts, funnel, activation and power
// users.

#include "events_totals.hpp"

#include <algorithm>

namespace pmkpi::records {

using detail::EventsTotals;
using detail::Series;
using detail::UserState;

namespace {

Series zeros(std::int64_t first, std::int64_t last) {
  Series s;
  s.first = first;
  s.v.assign(static_cast<std::size_t>(last - first + 1), 0);
  return s;
}

std::int64_t& cell(Series& s, std::int64_t i) { return s.v[static_cast<std::size_t>(i - s.first)]; }

// Distinct users per day of a trailing window of `width` days, from the first day to `width` - 1
// days past the last: each user adds one over the union of [d, d + width - 1] for its days d.
Series trailing_actives(const std::vector<UserState>& users, std::int32_t first, std::int32_t last, int width) {
  Series out = zeros(first, static_cast<std::int64_t>(last) + width - 1);
  std::vector<std::int64_t> delta(out.v.size() + 1, 0);
  for (const auto& u : users) {
    std::int64_t run_start = -1, run_end = -2;  // current merged interval, as offsets
    for (std::int32_t d : u.days) {
      const std::int64_t a = d - first, b = a + width - 1;
      if (a > run_end + 1) {
        if (run_start >= 0) ++delta[run_start], --delta[run_end + 1];
        run_start = a;
      }
      run_end = std::max(run_end, b);
    }
    if (run_start >= 0) ++delta[run_start], --delta[run_end + 1];
  }
  std::int64_t running = 0;
  for (std::size_t i = 0; i < out.v.size(); ++i) out.v[i] = running += delta[i];
  return out;
}

void period_counts(const std::vector<UserState>& users, const Calendar& cal, std::int32_t first, std::int32_t last,
                   Series& active, Series& fresh) {
  active = zeros(cal.period_of_day(first), cal.period_of_day(last));
  fresh = active;
  for (const auto& u : users) {
    std::int64_t previous = INT64_MIN;
    for (std::int32_t d : u.days) {
      const std::int64_t p = cal.period_of_day(d);
      if (p != previous) ++cell(active, p);
      previous = p;
    }
    ++cell(fresh, cal.period_of_day(u.days.front()));
  }
}

// Distinct periods of a user's sorted active days.
std::vector<std::int64_t> active_periods(const std::vector<std::int32_t>& days, const Calendar& cal) {
  std::vector<std::int64_t> out;
  for (std::int32_t d : days) {
    const std::int64_t p = cal.period_of_day(d);
    if (out.empty() || out.back() != p) out.push_back(p);
  }
  return out;
}

void cohort_counts(const std::vector<UserState>& users, const Calendar& cal, std::int32_t first, std::int32_t last,
                   EventsTotals& t) {
  const std::int64_t p0 = cal.period_of_day(first), p1 = cal.period_of_day(last);
  t.classic.sizes = zeros(p0, p1);
  t.classic.rows.resize(t.classic.sizes.v.size());
  for (std::int64_t c = p0; c <= p1; ++c) t.classic.rows[static_cast<std::size_t>(c - p0)].assign(p1 - c + 1, 0);
  t.unbounded = t.classic;
  t.fresh = zeros(p0, p1);
  t.returning = t.resurrecting = t.fresh;
  t.dormant = zeros(p0, p1 + 1);
  for (const auto& u : users) {
    const auto periods = active_periods(u.days, cal);
    const std::int64_t cohort = periods.front();
    const auto row = static_cast<std::size_t>(cohort - p0);
    ++cell(t.classic.sizes, cohort);
    for (std::int64_t p : periods) ++t.classic.rows[row][p - cohort];
    for (std::int64_t k = 0; k <= periods.back() - cohort; ++k) ++t.unbounded.rows[row][k];
    for (std::size_t j = 0; j < periods.size(); ++j) {
      const std::int64_t p = periods[j];
      if (j == 0) {
        ++cell(t.fresh, p);
      } else if (periods[j - 1] == p - 1) {
        ++cell(t.returning, p);
      } else {
        ++cell(t.resurrecting, p);
      }
      if (j + 1 == periods.size() || periods[j + 1] != p + 1) ++cell(t.dormant, p + 1);
    }
  }
  t.unbounded.sizes = t.classic.sizes;
}

void power_counts(const std::vector<UserState>& users, std::int32_t last, EventsTotals& t) {
  t.l7.assign(7, std::vector<std::int64_t>(7, 0));
  t.l28.assign(28, std::vector<std::int64_t>(28, 0));
  for (const auto& u : users) {
    if (u.days.back() < last - 27) continue;
    // up_to[x]: the user's days at most x days before the last day.
    std::int64_t up_to[28] = {};
    for (auto d = std::lower_bound(u.days.begin(), u.days.end(), last - 27); d != u.days.end(); ++d) ++up_to[last - *d];
    for (int x = 1; x < 28; ++x) up_to[x] += up_to[x - 1];
    for (int s = 0; s < 28; ++s)
      if (up_to[27 - s] > 0) ++t.l28[s][up_to[27 - s] - 1];
    for (int s = 0; s < 7; ++s)
      if (up_to[6 - s] > 0) ++t.l7[s][up_to[6 - s] - 1];
  }
}

}  // namespace

void EventsEngine::session_totals(EventsTotals& t) const {
  const std::int32_t first = min_day_;
  t.day_sessions = zeros(first, max_day_);
  std::vector<std::int64_t> durations;
  for_each_session([&](const detail::Session& s) {
    ++cell(t.day_sessions, local_day(s.start));
    const std::int64_t us = s.end - s.start;
    durations.push_back(us);
    t.duration_us += us;
    const bool engaged = us > 10 * kMicrosPerSecond || s.views >= 2 || s.conversion;
    if (!engaged) ++t.bounced;
  });
  t.sessions = static_cast<std::int64_t>(durations.size());
  t.durations = detail::Histogram::of(std::move(durations));
}

void EventsEngine::activation_totals(EventsTotals& t) const {
  const std::int64_t window = options_.activation_window_days * kMicrosPerDay;
  std::vector<std::int64_t> waits;
  for (const auto& u : users_)
    if (u.first_activation_us != INT64_MAX && u.first_activation_us - u.first_us <= window) {
      waits.push_back(u.first_activation_us - u.first_us);
      t.activation_us += waits.back();
    }
  t.activated = static_cast<std::int64_t>(waits.size());
  t.activation = detail::Histogram::of(std::move(waits));
}

EventsTotals EventsEngine::totals(bool with_ids) const {
  EventsTotals t;
  t.users = static_cast<std::int64_t>(users_.size());
  t.events = static_cast<std::int64_t>(seq_);
  for (std::size_t id = 0; id < event_names_.size(); ++id)
    t.features.push_back(
        {event_names_[id], static_cast<std::int64_t>(kinds_[id].users), static_cast<std::int64_t>(kinds_[id].events)});
  std::sort(t.features.begin(), t.features.end(), [](const auto& a, const auto& b) { return a.event < b.event; });
  if (with_ids) {
    t.user_ids.reserve(users_.size());
    for (std::uint32_t id = 0; id < users_.size(); ++id) t.user_ids.emplace_back(user_index_.at(id));
  }
  if (users_.empty()) return t;
  t.first_day = min_day_;
  t.last_day = max_day_;
  if (span_problem()) return t;  // answered with a 422: nothing to count
  t.day_events.first = min_day_;
  t.day_events.v.assign(events_per_day_.begin(), events_per_day_.end());
  t.dau = zeros(min_day_, max_day_);
  t.day_new = t.dau;
  for (const auto& u : users_) {
    for (std::int32_t d : u.days) ++cell(t.dau, d);
    ++cell(t.day_new, u.days.front());
  }
  t.wau = trailing_actives(users_, min_day_, max_day_, 7);
  t.mau = trailing_actives(users_, min_day_, max_day_, options_.mau_window_days);
  period_counts(users_, calendar_of(PeriodKind::Week), min_day_, max_day_, t.week_active, t.week_new);
  period_counts(users_, calendar_of(PeriodKind::Month), min_day_, max_day_, t.month_active, t.month_new);
  session_totals(t);
  cohort_counts(users_, calendar_of(options_.retention_period), min_day_, max_day_, t);
  if (!options_.funnel_steps.empty()) funnel_totals(t);
  if (!options_.activation_event.empty()) activation_totals(t);
  power_counts(users_, max_day_, t);
  return t;
}

}  // namespace pmkpi::records
