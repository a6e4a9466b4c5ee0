// The events totals as the JSON of a partial state (PARTIALS.md), and back. Reading checks every
// field's type and bounds, so that a damaged or hand-made partial state is a clear error, never a
// crash or an allocation the size of a wrong number.

#include <limits>
#include <stdexcept>

#include "events_totals.hpp"
#include "partial_support.hpp"

namespace pmkpi::records::detail {
namespace {

Json series_json(const Series& s) { return Json::array({s.first, s.v}); }

Json histogram_json(const Histogram& h) {
  Json flat = Json::array();
  for (const auto& [value, count] : h.bins) flat.push_back(value), flat.push_back(count);
  return flat;
}

Series series_of(const Json& j, const char* name, std::int64_t lo, std::int64_t hi) {
  if (!j.is_array() || j.size() != 2) throw PartialError(std::string(name) + " should be [first, [counts]]");
  Series s;
  s.first = int_of(j[0], name);
  s.v = counts_of(j[1], name);
  if (!s.v.empty() && (s.first < lo || s.first + static_cast<std::int64_t>(s.v.size()) - 1 > hi))
    throw PartialError(std::string(name) + " runs outside the days of the data");
  return s;
}

Histogram histogram_of(const Json& j, const char* name) {
  const std::vector<std::int64_t> flat = counts_of(j, name);
  if (flat.size() % 2 != 0) throw PartialError(std::string(name) + " should hold value, count pairs");
  Histogram h;
  for (std::size_t i = 0; i < flat.size(); i += 2) {
    if (flat[i + 1] <= 0 || (!h.bins.empty() && flat[i] <= h.bins.back().first))
      throw PartialError(std::string(name) + " should hold increasing values with positive counts");
    h.bins.emplace_back(flat[i], flat[i + 1]);
  }
  return h;
}

Matrix matrix_of(const Json& j, const char* name, std::int64_t lo, std::int64_t hi) {
  Matrix m;
  m.sizes = series_of(at(j, "sizes"), name, lo, hi);
  const Json& rows = at(j, "rows");
  if (!rows.is_array() || rows.size() != m.sizes.v.size())
    throw PartialError(std::string(name) + ".rows should have a row per cohort");
  for (const Json& r : rows) {
    m.rows.push_back(counts_of(r, name));
    if (m.rows.back().size() > static_cast<std::size_t>(kMaxCohortPeriods) + 1)
      throw PartialError(std::string(name) + " has a row longer than any retention matrix");
  }
  return m;
}

Json matrix_json(const Matrix& m) { return {{"sizes", series_json(m.sizes)}, {"rows", m.rows}}; }

std::vector<std::vector<std::int64_t>> table_of(const Json& j, const char* name, std::size_t width) {
  std::vector<std::vector<std::int64_t>> out;
  if (!j.is_array() || (!j.empty() && j.size() != width))
    throw PartialError(std::string(name) + " has the wrong shape");
  for (const Json& row : j) {
    out.push_back(counts_of(row, name));
    if (out.back().size() != width) throw PartialError(std::string(name) + " has the wrong shape");
  }
  return out;
}

}  // namespace

Json totals_json(const EventsTotals& t) {
  Json out = {{"users", t.users}, {"events", t.events}, {"first_day", t.first_day}, {"last_day", t.last_day}};
  Json series = Json::object();
  for (const auto& [name, unit, s] : named_series(t)) series[name] = series_json(*s);
  out["series"] = std::move(series);
  out["sessions"] = t.sessions;
  out["bounced"] = t.bounced;
  out["duration_us"] = wide_text(t.duration_us);
  out["durations"] = histogram_json(t.durations);
  Json features = Json::array();
  for (const auto& f : t.features) features.push_back(Json::array({f.event, f.users, f.events}));
  out["features"] = std::move(features);
  out["classic"] = matrix_json(t.classic);
  out["unbounded"] = matrix_json(t.unbounded);
  out["reached"] = t.reached;
  Json steps = Json::array();
  for (const auto& h : t.step_us) steps.push_back(histogram_json(h));
  out["step_us"] = std::move(steps);
  out["activated"] = t.activated;
  out["activation_us"] = wide_text(t.activation_us);
  out["activation"] = histogram_json(t.activation);
  out["l7"] = t.l7;
  out["l28"] = t.l28;
  return out;
}

EventsTotals totals_of(const Json& j, const EventsOptions& o, const TimeZone& zone) {
  EventsTotals t;
  t.users = int_of(at(j, "users"), "users");
  t.events = int_of(at(j, "events"), "events");
  const std::int64_t first = int_of(at(j, "first_day"), "first_day"), last = int_of(at(j, "last_day"), "last_day");
  constexpr std::int64_t kDays = 100000000;  // far past any date a timestamp of the importers reads
  if (first < -kDays || last > kDays || (t.users > 0 && (last < first || last - first + 1 > kMaxReportPeriods)))
    throw PartialError("first_day and last_day are not the days of a report");
  t.first_day = static_cast<std::int32_t>(first);
  t.last_day = static_cast<std::int32_t>(last);
  // Every series lies within the data's days or periods, the trailing windows and the lifecycle's
  // dormant users a little past them.
  const auto bounds = [&](SeriesUnit unit) -> std::pair<std::int64_t, std::int64_t> {
    if (unit == SeriesUnit::Day) return {first, last + 366};
    const Calendar cal = events_calendar(unit == SeriesUnit::Week    ? PeriodKind::Week
                                         : unit == SeriesUnit::Month ? PeriodKind::Month
                                                                     : o.retention_period,
                                         zone, o);
    return {cal.period_of_day(first), cal.period_of_day(last) + 1};
  };
  const Json& series = at(j, "series");
  for (const auto& [name, unit, s] : named_series(t)) {
    const auto [lo, hi] = bounds(unit);
    *s = series_of(at(series, name), name, lo, hi);
  }
  const auto [p0, p1] = bounds(SeriesUnit::Retention);
  t.sessions = int_of(at(j, "sessions"), "sessions");
  t.bounced = int_of(at(j, "bounced"), "bounced");
  t.duration_us = wide_of(at(j, "duration_us"), "duration_us");
  t.durations = histogram_of(at(j, "durations"), "durations");
  const Json& features = at(j, "features");
  if (!features.is_array()) throw PartialError("features should be a list");
  for (const Json& f : features) {
    if (!f.is_array() || f.size() != 3 || !f[0].is_string())
      throw PartialError("features should be [event, users, events]");
    t.features.push_back({f[0].get<std::string>(), int_of(f[1], "features"), int_of(f[2], "features")});
    if (t.features.size() > 1 && !(t.features[t.features.size() - 2].event < t.features.back().event))
      throw PartialError("features should be sorted by event name");
  }
  t.classic = matrix_of(at(j, "classic"), "classic", p0, p1);
  t.unbounded = matrix_of(at(j, "unbounded"), "unbounded", p0, p1);
  t.reached = counts_of(at(j, "reached"), "reached");
  const Json& steps = at(j, "step_us");
  if (!steps.is_array() || steps.size() != t.reached.size()) throw PartialError("step_us should have a list per step");
  for (const Json& h : steps) t.step_us.push_back(histogram_of(h, "step_us"));
  t.activated = int_of(at(j, "activated"), "activated");
  t.activation_us = wide_of(at(j, "activation_us"), "activation_us");
  t.activation = histogram_of(at(j, "activation"), "activation");
  t.l7 = table_of(at(j, "l7"), "l7", 7);
  t.l28 = table_of(at(j, "l28"), "l28", 28);
  return t;
}

}  // namespace pmkpi::records::detail
