// Reports of the events engine over users' histories, from totals: retention, lifecycle, funnel,
// activation and power users; and the funnel's walk over each user's step events.

#include <algorithm>

#include "events_support.hpp"
#include "events_totals.hpp"

namespace pmkpi::records {

using detail::EventsTotals;

void EventsEngine::funnel_totals(EventsTotals& t) const {
  const auto& steps = options_.funnel_steps;
  const std::int64_t window = options_.funnel_window_days * kMicrosPerDay;
  t.reached.assign(steps.size(), 0);
  std::vector<std::vector<std::int64_t>> waits(steps.size());
  for (const auto& u : users_) {
    if (u.entry_us == INT64_MAX) continue;
    auto evs = u.steps;
    std::sort(evs.begin(), evs.end(),
              [](const auto& a, const auto& b) { return a.us != b.us ? a.us < b.us : a.seq < b.seq; });
    std::size_t pos = 0;
    while (pos < evs.size() && evs[pos].seq != u.entry_seq) ++pos;
    ++t.reached[0];
    waits[0].push_back(0);
    for (std::size_t j = 1; j < steps.size(); ++j) {
      std::size_t next = pos + 1;
      const auto is_step = [&](const detail::StepEvent& e) {
        const auto& s = kinds_[e.event].steps;
        return std::find(s.begin(), s.end(), static_cast<int>(j)) != s.end();
      };
      while (next < evs.size() && evs[next].us - u.entry_us <= window && !is_step(evs[next])) ++next;
      if (next >= evs.size() || evs[next].us - u.entry_us > window) break;
      ++t.reached[j];
      waits[j].push_back(evs[next].us - u.entry_us);
      pos = next;
    }
  }
  for (auto& w : waits) t.step_us.push_back(detail::Histogram::of(std::move(w)));
}

namespace detail {
namespace {

// Rows of the matrix for cohorts [p0, p1] (absent rows and ages are 0), each to age p1 - cohort.
std::vector<std::vector<std::int64_t>> square(const Matrix& m, std::int64_t p0, std::int64_t p1) {
  std::vector<std::vector<std::int64_t>> out;
  for (std::int64_t c = p0; c <= p1; ++c) {
    std::vector<std::int64_t> row(static_cast<std::size_t>(p1 - c + 1), 0);
    const std::int64_t r = c - m.sizes.first;
    if (r >= 0 && r < static_cast<std::int64_t>(m.rows.size()))
      for (std::size_t k = 0; k < row.size() && k < m.rows[r].size(); ++k) row[k] = m.rows[r][k];
    out.push_back(std::move(row));
  }
  return out;
}

// Row i: age k as the share of cohort i; an empty cohort is a row of nulls.
Json percent_matrix(const std::vector<std::vector<std::int64_t>>& counts, const std::vector<std::int64_t>& sizes) {
  Json rows = Json::array();
  for (std::size_t i = 0; i < counts.size(); ++i) {
    Json row = Json::array();
    for (std::int64_t c : counts[i]) row.push_back(rate(c, sizes[i]));
    rows.push_back(std::move(row));
  }
  return rows;
}

// Age k over the cohorts old enough to have it, each weighted by its size.
Json weighted_mean(const std::vector<std::vector<std::int64_t>>& counts, const std::vector<std::int64_t>& sizes) {
  Json out = Json::array();
  for (std::size_t k = 0; k < counts.size(); ++k) {
    std::int64_t part = 0, whole = 0;
    for (std::size_t i = 0; i + k < counts.size(); ++i) part += counts[i][k], whole += sizes[i];
    out.push_back(rate(part, whole));
  }
  return out;
}

}  // namespace

Json retention_json(const EventsTotals& t, const Calendar& cal) {
  Json out = {{"period", period_name(cal.kind)}};
  if (t.users == 0) return out;
  const std::int64_t p0 = cal.period_of_day(t.first_day), p1 = cal.period_of_day(t.last_day);
  std::vector<std::int64_t> sizes;
  Json cohorts = Json::array();
  for (std::int64_t c = p0; c <= p1; ++c) {
    sizes.push_back(t.classic.sizes.at(c));
    cohorts.push_back({{"period", cal.name(c)}, {"users", sizes.back()}});
  }
  const auto classic = square(t.classic, p0, p1), unbounded = square(t.unbounded, p0, p1);
  out["cohorts"] = std::move(cohorts);
  out["classic"] = percent_matrix(classic, sizes);
  out["unbounded"] = percent_matrix(unbounded, sizes);
  out["mean_classic"] = weighted_mean(classic, sizes);
  out["mean_unbounded"] = weighted_mean(unbounded, sizes);
  return out;
}

Json lifecycle_json(const EventsTotals& t, const Calendar& cal) {
  Json out = Json::array();
  if (t.users == 0) return out;
  const std::int64_t p0 = cal.period_of_day(t.first_day), p1 = cal.period_of_day(t.last_day);
  for (std::int64_t p = p0; p <= p1; ++p) {
    const std::int64_t fresh = t.fresh.at(p), returning = t.returning.at(p), resurrecting = t.resurrecting.at(p);
    out.push_back({{"period", cal.name(p)},
                   {"new", fresh},
                   {"returning", returning},
                   {"resurrecting", resurrecting},
                   {"dormant", t.dormant.at(p)},
                   {"active", fresh + returning + resurrecting}});
  }
  return out;
}

Json funnel_json(const EventsTotals& t, const EventsOptions& o) {
  const auto& steps = o.funnel_steps;
  Json out_steps = Json::array();
  for (std::size_t j = 0; j < steps.size(); ++j) {
    const std::int64_t reached = j < t.reached.size() ? t.reached[j] : 0;
    const std::int64_t start = t.reached.empty() ? 0 : t.reached[0];
    const std::int64_t previous = j == 0 ? start : t.reached[j - 1];
    out_steps.push_back({{"step", j + 1},
                         {"event", steps[j]},
                         {"users", reached},
                         {"conversion_from_start", rate(reached, start)},
                         {"conversion_from_previous", rate(reached, previous)},
                         {"median_seconds_from_start", j < t.step_us.size() ? t.step_us[j].median(1e6) : Json()}});
  }
  return {{"window_days", o.funnel_window_days}, {"steps", std::move(out_steps)}};
}

Json activation_json(const EventsTotals& t, const EventsOptions& o) {
  return {{"event", o.activation_event},
          {"window_days", o.activation_window_days},
          {"users", t.users},
          {"activated_users", t.activated},
          {"activation_rate", rate(t.activated, t.users)},
          {"median_time_to_value_hours", t.activation.median(3.6e9)},
          {"mean_time_to_value_hours",
           ratio(static_cast<double>(t.activation_us) / 3.6e9, static_cast<double>(t.activated))}};
}

Json power_users_json(const EventsTotals& t, const Calendar& days) {
  std::vector<std::int64_t> l7(7, 0), l28(28, 0);
  if (!t.l7.empty()) l7 = t.l7[0];
  if (!t.l28.empty()) l28 = t.l28[0];
  return {{"last_day", t.users == 0 ? Json() : Json(days.name(t.last_day))}, {"l7", l7}, {"l28", l28}};
}

}  // namespace detail
}  // namespace pmkpi::records
