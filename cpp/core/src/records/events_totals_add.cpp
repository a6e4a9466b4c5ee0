// Adding the totals of two shards (events_totals.hpp): every count and sum adds exactly, the
// distributions merge as exact histograms, and the power-user tables move to the later last day.

#include <algorithm>

#include "events_totals.hpp"

namespace pmkpi::records::detail {

void Series::add(const Series& other) {
  if (other.v.empty()) return;
  if (v.empty()) {
    *this = other;
    return;
  }
  const std::int64_t lo = std::min(first, other.first);
  const std::int64_t hi =
      std::max(first + static_cast<std::int64_t>(v.size()), other.first + static_cast<std::int64_t>(other.v.size()));
  std::vector<std::int64_t> out(static_cast<std::size_t>(hi - lo), 0);
  for (std::size_t i = 0; i < v.size(); ++i) out[static_cast<std::size_t>(first - lo) + i] += v[i];
  for (std::size_t i = 0; i < other.v.size(); ++i) out[static_cast<std::size_t>(other.first - lo) + i] += other.v[i];
  first = lo;
  v = std::move(out);
}

Histogram Histogram::of(std::vector<std::int64_t> values) {
  std::sort(values.begin(), values.end());
  Histogram h;
  for (std::int64_t x : values) {
    if (h.bins.empty() || h.bins.back().first != x) {
      h.bins.emplace_back(x, 1);
    } else {
      ++h.bins.back().second;
    }
  }
  return h;
}

void Histogram::add(const Histogram& other) {
  std::vector<std::pair<std::int64_t, std::int64_t>> out;
  out.reserve(bins.size() + other.bins.size());
  auto a = bins.cbegin();
  auto b = other.bins.cbegin();
  while (a != bins.end() || b != other.bins.end()) {
    if (b == other.bins.end() || (a != bins.end() && a->first < b->first)) {
      out.push_back(*a++);
    } else if (a == bins.end() || b->first < a->first) {
      out.push_back(*b++);
    } else {
      out.emplace_back(a->first, a->second + b->second);
      ++a, ++b;
    }
  }
  bins = std::move(out);
}

std::int64_t Histogram::count() const {
  std::int64_t n = 0;
  for (const auto& [value, k] : bins) n += k;
  return n;
}

Json Histogram::median(double unit) const {
  const std::int64_t n = count();
  if (n == 0) return Json();
  // The values at 0-based ranks mid - 1 and mid of the sorted list.
  const std::int64_t mid = n / 2;
  std::int64_t seen = 0, below = 0, at = 0;
  bool have_below = false;
  for (const auto& [value, k] : bins) {
    if (!have_below && mid - 1 < seen + k) below = value, have_below = true;
    if (mid < seen + k) {
      at = value;
      break;
    }
    seen += k;
  }
  double m = static_cast<double>(at) / unit;
  if (n % 2 == 0) m = (m + static_cast<double>(below) / unit) / 2.0;
  return round_to(m, 2);
}

void Matrix::add(const Matrix& other) {
  if (other.rows.empty()) return;
  if (rows.empty()) {
    *this = other;
    return;
  }
  const std::int64_t lo = std::min(sizes.first, other.sizes.first);
  std::vector<std::vector<std::int64_t>> out(
      static_cast<std::size_t>(std::max(sizes.first + static_cast<std::int64_t>(rows.size()),
                                        other.sizes.first + static_cast<std::int64_t>(other.rows.size())) -
                               lo));
  for (const Matrix* m : {static_cast<const Matrix*>(this), &other})
    for (std::size_t r = 0; r < m->rows.size(); ++r) {
      auto& row = out[static_cast<std::size_t>(m->sizes.first - lo) + r];
      if (row.size() < m->rows[r].size()) row.resize(m->rows[r].size(), 0);
      for (std::size_t k = 0; k < m->rows[r].size(); ++k) row[k] += m->rows[r][k];
    }
  rows = std::move(out);
  sizes.add(other.sizes);
}

namespace {

// A power-user table for a last day `shift` days later: entry s becomes entry s - shift.
std::vector<std::vector<std::int64_t>> shifted(const std::vector<std::vector<std::int64_t>>& t, std::int64_t shift,
                                               std::size_t width) {
  std::vector<std::vector<std::int64_t>> out(width, std::vector<std::int64_t>(width, 0));
  for (std::size_t s = 0; s < width; ++s)
    if (s + static_cast<std::size_t>(shift) < t.size()) out[s] = t[s + static_cast<std::size_t>(shift)];
  return out;
}

void add_table(std::vector<std::vector<std::int64_t>>& into, const std::vector<std::vector<std::int64_t>>& from) {
  for (std::size_t s = 0; s < into.size(); ++s)
    for (std::size_t k = 0; k < into[s].size(); ++k) into[s][k] += from[s][k];
}

void add_features(std::vector<FeatureTotal>& into, const std::vector<FeatureTotal>& from) {
  std::vector<FeatureTotal> out;
  auto a = into.cbegin();
  auto b = from.cbegin();
  while (a != into.end() || b != from.end()) {
    if (b == from.end() || (a != into.end() && a->event < b->event)) {
      out.push_back(*a++);
    } else if (a == into.end() || b->event < a->event) {
      out.push_back(*b++);
    } else {
      out.push_back({a->event, a->users + b->users, a->events + b->events});
      ++a, ++b;
    }
  }
  into = std::move(out);
}

}  // namespace

void EventsTotals::add(EventsTotals&& o) {
  const bool mine = users > 0, theirs = o.users > 0;
  const std::int32_t last = std::max(mine ? last_day : o.last_day, theirs ? o.last_day : last_day);
  l7 = shifted(mine ? l7 : o.l7, last - (mine ? last_day : o.last_day), 7);
  l28 = shifted(mine ? l28 : o.l28, last - (mine ? last_day : o.last_day), 28);
  if (mine && theirs) {
    add_table(l7, shifted(o.l7, last - o.last_day, 7));
    add_table(l28, shifted(o.l28, last - o.last_day, 28));
  }
  first_day = !mine ? o.first_day : !theirs ? first_day : std::min(first_day, o.first_day);
  last_day = last;
  users += o.users;
  events += o.events;
  const auto mine_series = named_series(*this);
  const auto their_series = named_series(o);
  for (std::size_t i = 0; i < mine_series.size(); ++i) std::get<2>(mine_series[i])->add(*std::get<2>(their_series[i]));
  sessions += o.sessions;
  bounced += o.bounced;
  duration_us += o.duration_us;
  durations.add(o.durations);
  add_features(features, o.features);
  classic.add(o.classic);
  unbounded.add(o.unbounded);
  if (reached.size() < o.reached.size()) reached.resize(o.reached.size(), 0), step_us.resize(o.reached.size());
  for (std::size_t j = 0; j < o.reached.size(); ++j) reached[j] += o.reached[j], step_us[j].add(o.step_us[j]);
  activated += o.activated;
  activation_us += o.activation_us;
  activation.add(o.activation);
}

}  // namespace pmkpi::records::detail
