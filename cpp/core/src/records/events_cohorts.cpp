// Reports of the events engine over users' histories: retention, lifecycle, funnel, activation and
// power users.

#include <algorithm>

#include "events_support.hpp"
#include "pmkpi/events.hpp"

namespace pmkpi::records {

namespace {
// Distinct periods (offsets from `first`) of a user's sorted active days.
std::vector<std::int64_t> active_periods(const std::vector<std::int32_t>& days, std::int64_t first,
                                         const Calendar& cal) {
  std::vector<std::int64_t> out;
  for (std::int32_t d : days) {
    const std::int64_t p = cal.period_of_day(d) - first;
    if (out.empty() || out.back() != p) out.push_back(p);
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

Json EventsEngine::retention() const {
  const PeriodKind period = options_.retention_period;
  const Calendar cal = calendar_of(period);
  Json out = {{"period", period_name(period)}};
  if (users_.empty()) return out;
  const std::int64_t first = cal.period_of_day(first_day());
  const std::size_t n = static_cast<std::size_t>(cal.period_of_day(last_day()) - first + 1);
  std::vector<std::int64_t> sizes(n, 0);
  std::vector<std::vector<std::int64_t>> classic(n), unbounded(n);
  for (std::size_t i = 0; i < n; ++i) classic[i].assign(n - i, 0), unbounded[i].assign(n - i, 0);
  for (const auto& u : users_) {
    const auto periods = active_periods(u.days, first, cal);
    const auto cohort = static_cast<std::size_t>(periods.front());
    ++sizes[cohort];
    for (std::int64_t p : periods) ++classic[cohort][p - cohort];
    for (std::int64_t k = 0; k <= periods.back() - static_cast<std::int64_t>(cohort); ++k) ++unbounded[cohort][k];
  }
  Json cohorts = Json::array();
  for (std::size_t i = 0; i < n; ++i)
    cohorts.push_back({{"period", cal.name(first + static_cast<std::int64_t>(i))}, {"users", sizes[i]}});
  out["cohorts"] = std::move(cohorts);
  out["classic"] = percent_matrix(classic, sizes);
  out["unbounded"] = percent_matrix(unbounded, sizes);
  out["mean_classic"] = weighted_mean(classic, sizes);
  out["mean_unbounded"] = weighted_mean(unbounded, sizes);
  return out;
}

Json EventsEngine::lifecycle() const {
  const PeriodKind period = options_.retention_period;
  const Calendar cal = calendar_of(period);
  Json out = Json::array();
  if (users_.empty()) return out;
  const std::int64_t first = cal.period_of_day(first_day());
  const std::size_t n = static_cast<std::size_t>(cal.period_of_day(last_day()) - first + 1);
  struct Counts {
    std::int64_t fresh = 0, returning = 0, resurrecting = 0, dormant = 0;
  };
  std::vector<Counts> c(n);
  for (const auto& u : users_) {
    const auto periods = active_periods(u.days, first, cal);
    for (std::size_t j = 0; j < periods.size(); ++j) {
      const auto p = static_cast<std::size_t>(periods[j]);
      if (j == 0) {
        ++c[p].fresh;
      } else if (periods[j - 1] == periods[j] - 1) {
        ++c[p].returning;
      } else {
        ++c[p].resurrecting;
      }
      const bool gone_next = j + 1 == periods.size() || periods[j + 1] != periods[j] + 1;
      if (gone_next && p + 1 < n) ++c[p + 1].dormant;
    }
  }
  for (std::size_t i = 0; i < n; ++i)
    out.push_back({{"period", cal.name(first + static_cast<std::int64_t>(i))},
                   {"new", c[i].fresh},
                   {"returning", c[i].returning},
                   {"resurrecting", c[i].resurrecting},
                   {"dormant", c[i].dormant},
                   {"active", c[i].fresh + c[i].returning + c[i].resurrecting}});
  return out;
}

Json EventsEngine::funnel() const {
  const auto& steps = options_.funnel_steps;
  const std::int64_t window = options_.funnel_window_days * kMicrosPerDay;
  std::vector<std::int64_t> reached(steps.size(), 0);
  std::vector<std::vector<double>> seconds(steps.size());
  for (const auto& u : users_) {
    if (u.entry_us == INT64_MAX) continue;
    auto evs = u.steps;
    std::sort(evs.begin(), evs.end(),
              [](const auto& a, const auto& b) { return a.us != b.us ? a.us < b.us : a.seq < b.seq; });
    std::size_t pos = 0;
    while (pos < evs.size() && evs[pos].seq != u.entry_seq) ++pos;
    ++reached[0];
    seconds[0].push_back(0.0);
    for (std::size_t j = 1; j < steps.size(); ++j) {
      std::size_t next = pos + 1;
      const auto is_step = [&](const detail::StepEvent& e) {
        const auto& s = kinds_[e.event].steps;
        return std::find(s.begin(), s.end(), static_cast<int>(j)) != s.end();
      };
      while (next < evs.size() && evs[next].us - u.entry_us <= window && !is_step(evs[next])) ++next;
      if (next >= evs.size() || evs[next].us - u.entry_us > window) break;
      ++reached[j];
      seconds[j].push_back(static_cast<double>(evs[next].us - u.entry_us) / 1e6);
      pos = next;
    }
  }
  Json out_steps = Json::array();
  for (std::size_t j = 0; j < steps.size(); ++j)
    out_steps.push_back({{"step", j + 1},
                         {"event", steps[j]},
                         {"users", reached[j]},
                         {"conversion_from_start", rate(reached[j], reached[0])},
                         {"conversion_from_previous", rate(reached[j], reached[j == 0 ? 0 : j - 1])},
                         {"median_seconds_from_start", median(seconds[j])}});
  return {{"window_days", options_.funnel_window_days}, {"steps", std::move(out_steps)}};
}

Json EventsEngine::activation() const {
  const std::int64_t window = options_.activation_window_days * kMicrosPerDay;
  std::vector<double> hours;
  for (const auto& u : users_)
    if (u.first_activation_us != INT64_MAX && u.first_activation_us - u.first_us <= window)
      hours.push_back(static_cast<double>(u.first_activation_us - u.first_us) / 3.6e9);
  double total = 0;
  for (double h : hours) total += h;
  const auto activated = static_cast<std::int64_t>(hours.size());
  return {{"event", options_.activation_event},
          {"window_days", options_.activation_window_days},
          {"users", users_.size()},
          {"activated_users", activated},
          {"activation_rate", rate(activated, static_cast<std::int64_t>(users_.size()))},
          {"median_time_to_value_hours", median(hours)},
          {"mean_time_to_value_hours", ratio(total, static_cast<double>(activated))}};
}

Json EventsEngine::power_users() const {
  std::vector<std::int64_t> l7(7, 0), l28(28, 0);
  const std::int32_t last = last_day();
  for (const auto& u : users_) {
    const auto from7 = std::lower_bound(u.days.begin(), u.days.end(), last - 6);
    const auto from28 = std::lower_bound(u.days.begin(), u.days.end(), last - 27);
    const auto k7 = u.days.end() - from7, k28 = u.days.end() - from28;
    if (k7 > 0) ++l7[k7 - 1];
    if (k28 > 0) ++l28[k28 - 1];
  }
  return {
      {"last_day", users_.empty() ? Json() : Json(calendar_of(PeriodKind::Day).name(last))}, {"l7", l7}, {"l28", l28}};
}

}  // namespace pmkpi::records
