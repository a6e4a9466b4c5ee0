// The subscriptions engine, second half: movements, per-period figures, cohorts and survival.
#include <algorithm>
#include <cmath>

#include "subscriptions_internal.hpp"

namespace pmkpi::records::detail {
namespace {

constexpr double kZero = 1e-9;

void resize(PeriodTable& t, std::size_t n) {
  for (auto* v : {&t.mrr, &t.new_mrr, &t.expansion, &t.contraction, &t.churned, &t.reactivation}) v->assign(n, 0);
  for (auto* v : {&t.customers, &t.n_new, &t.n_expanded, &t.n_contracted, &t.n_churned, &t.n_reactivated})
    v->assign(n, 0);
}

/** The movement of one customer at period index i from p (MRR before) to m (after). */
void movement(PeriodTable& t, std::size_t i, double before, double after, bool had_mrr) {
  const Fixed p = to_fixed(before), m = to_fixed(after);
  t.mrr[i] += m - p;  // a difference array until the prefix sum at the end
  t.customers[i] += (after > 0) - (before > 0);
  if (before == 0 && after > 0) {
    (had_mrr ? t.reactivation : t.new_mrr)[i] += m;
    ++(had_mrr ? t.n_reactivated : t.n_new)[i];
  } else if (before > 0 && after == 0) {
    t.churned[i] += p;
    ++t.n_churned[i];
  } else if (after > before) {
    t.expansion[i] += m - p;
    ++t.n_expanded[i];
  } else if (after < before) {
    t.contraction[i] += p - m;
    ++t.n_contracted[i];
  }
}

/** One customer's walk through its changes: its runs of constant MRR. */
struct Walk {
  std::size_t n;             // periods
  std::int64_t cohort = -1;  // index of the first period with MRR > 0
  std::int64_t churn_age = -1;
  double value_then = 0, value_now = 0;  // MRR a year before the last period, and in it
};

void add_run(Figures& f, Walk& w, bool with_cohorts, std::size_t a, std::size_t b, double v, std::int64_t then) {
  if (v <= 0) return;
  if (then >= 0 && static_cast<std::size_t>(then) >= a && static_cast<std::size_t>(then) < b) w.value_then = v;
  if (b == w.n) w.value_now = v;
  if (!with_cohorts) return;
  const auto c = static_cast<std::size_t>(w.cohort);
  f.cohorts.logo[c][a - c] += 1;
  f.cohorts.logo[c][b - c] -= 1;
  f.cohorts.revenue[c][a - c] += to_fixed(v);
  f.cohorts.revenue[c][b - c] -= to_fixed(v);
}

void walk_key(Figures& f, const Change* begin, const Change* end, std::int64_t first, std::size_t n, bool with_cohorts,
              std::int64_t then) {
  Walk w{n};
  double v = 0;
  bool had = false;
  std::size_t run_start = 0;
  for (const Change* c = begin; c != end;) {
    const std::int64_t p = c->period;
    double m = v;
    for (; c != end && c->period == p; ++c) m += c->delta;
    if (std::fabs(m) < kZero) m = 0;
    if (p - first >= static_cast<std::int64_t>(n)) break;
    if (std::fabs(m - v) < kZero) continue;  // no movement (a swap of equal plans), not rounding dust
    const auto i = static_cast<std::size_t>(p - first);
    movement(f.periods, i, v, m, had);
    add_run(f, w, with_cohorts, run_start, i, v, then);
    if (v == 0 && m > 0 && w.cohort < 0) {
      w.cohort = static_cast<std::int64_t>(i);
      if (with_cohorts) ++f.cohorts.size[i];
    }
    if (v > 0 && m == 0 && w.churn_age < 0) w.churn_age = static_cast<std::int64_t>(i) - w.cohort;
    run_start = i;
    v = m;
    had = had || m > 0;
  }
  add_run(f, w, with_cohorts, run_start, n, v, then);
  if (then >= 0 && w.value_then > 0) {
    f.annual_then += to_fixed(w.value_then);
    f.annual_now += to_fixed(w.value_now);
  }
  if (!with_cohorts || w.cohort < 0) return;
  // Kaplan-Meier inputs: churned at its age, or observed alive through the last period (censored).
  const std::int64_t age = w.churn_age >= 0 ? w.churn_age : static_cast<std::int64_t>(n) - 1 - w.cohort;
  for (std::int64_t k = 1; k <= age; ++k) ++f.survival.at_risk[static_cast<std::size_t>(k)];
  if (w.churn_age >= 0) ++f.survival.churned[static_cast<std::size_t>(w.churn_age)];
}

void prefix_sums(Figures& f, bool with_cohorts) {
  for (std::size_t i = 1; i < f.periods.mrr.size(); ++i) {
    f.periods.mrr[i] += f.periods.mrr[i - 1];
    f.periods.customers[i] += f.periods.customers[i - 1];
  }
  if (!with_cohorts) return;
  for (std::size_t c = 0; c < f.cohorts.logo.size(); ++c)
    for (std::size_t k = 1; k < f.cohorts.logo[c].size(); ++k) {
      f.cohorts.logo[c][k] += f.cohorts.logo[c][k - 1];
      f.cohorts.revenue[c][k] += f.cohorts.revenue[c][k - 1];
    }
}

Json money(double v) { return round_to(v, 2); }
Json rate(double part, double whole) { return whole > 0 ? Json(round_to(part * 100.0 / whole, 2)) : Json(nullptr); }

}  // namespace

Figures compute(std::vector<Change>& changes, std::int64_t first, std::int64_t last, bool with_cohorts, int per_year) {
  Figures f;
  const auto n = static_cast<std::size_t>(last - first + 1);
  resize(f.periods, n);
  f.periods.first = first;
  if (with_cohorts) {
    f.cohorts.size.assign(n, 0);
    f.cohorts.logo.resize(n);
    f.cohorts.revenue.resize(n);
    for (std::size_t c = 0; c < n; ++c) {
      f.cohorts.logo[c].assign(n - c + 1, 0);
      f.cohorts.revenue[c].assign(n - c + 1, 0);
    }
    f.survival.at_risk.assign(n, 0);
    f.survival.churned.assign(n, 0);
  }
  // Stable: a customer's changes of one period add up in the order they were read, in one pass or
  // from a partial state.
  std::stable_sort(changes.begin(), changes.end(), [](const Change& a, const Change& b) {
    return a.key != b.key ? a.key < b.key : a.period < b.period;
  });
  const std::int64_t then = static_cast<std::int64_t>(n) - 1 - per_year;
  f.annual_defined = then >= 0;
  for (std::size_t i = 0; i < changes.size();) {
    std::size_t j = i;
    while (j < changes.size() && changes[j].key == changes[i].key) ++j;
    walk_key(f, changes.data() + i, changes.data() + j, first, n, with_cohorts, then);
    i = j;
  }
  prefix_sums(f, with_cohorts);
  for (auto& row : f.cohorts.logo) row.pop_back();  // the difference arrays' extra slot
  for (auto& row : f.cohorts.revenue) row.pop_back();
  return f;
}

Json periods_json(const PeriodTable& t, const Calendar& cal, std::int64_t from, std::int64_t to) {
  Json out = Json::array();
  for (std::size_t i = 0; i < t.mrr.size(); ++i) {
    const std::int64_t p = t.first + static_cast<std::int64_t>(i);
    if (p < from || p > to) continue;
    const double m = from_fixed(t.mrr[i]), m0 = i > 0 ? from_fixed(t.mrr[i - 1]) : 0.0;
    const std::int64_t c = t.customers[i], c0 = i > 0 ? t.customers[i - 1] : 0;
    const double ne = from_fixed(t.new_mrr[i]), ex = from_fixed(t.expansion[i]), co = from_fixed(t.contraction[i]),
                 ch = from_fixed(t.churned[i]), re = from_fixed(t.reactivation[i]);
    Json row = Json::object();
    row["period"] = cal.name(p);
    row["mrr"] = money(m);
    row["arr"] = money(12 * m);
    row["customers"] = c;
    row["arpa"] = c > 0 ? money(m / static_cast<double>(c)) : Json(nullptr);
    row["new_mrr"] = money(ne);
    row["expansion_mrr"] = money(ex);
    row["contraction_mrr"] = money(co);
    row["churned_mrr"] = money(ch);
    row["reactivation_mrr"] = money(re);
    row["net_new_mrr"] = money(ne + ex + re - co - ch);
    row["new_customers"] = t.n_new[i];
    row["churned_customers"] = t.n_churned[i];
    row["reactivated_customers"] = t.n_reactivated[i];
    row["expanded_customers"] = t.n_expanded[i];
    row["contracted_customers"] = t.n_contracted[i];
    row["logo_churn_rate"] = rate(static_cast<double>(t.n_churned[i]), static_cast<double>(c0));
    row["gross_mrr_churn_rate"] = rate(ch + co, m0);
    row["net_mrr_churn_rate"] = rate(ch + co - ex, m0);
    row["net_revenue_retention"] = rate(m0 + ex - co - ch, m0);
    row["gross_revenue_retention"] = rate(m0 - co - ch, m0);
    row["quick_ratio"] = co + ch > 0 ? Json(round_to((ne + ex + re) / (co + ch), 2)) : Json(nullptr);
    out.push_back(std::move(row));
  }
  return out;
}

Json cohorts_json(const Figures& f, const Calendar& cal, std::int64_t from, std::int64_t to) {
  const CohortTable& t = f.cohorts;
  const std::size_t n = t.size.size();
  Json names = Json::array(), sizes = Json::array(), mrr = Json::array(), logo = Json::array(), revenue = Json::array();
  for (std::size_t c = 0; c < n; ++c) {
    const std::int64_t p = f.periods.first + static_cast<std::int64_t>(c);
    if (p < from || p > to) continue;
    names.push_back(cal.name(p));
    sizes.push_back(t.size[c]);
    mrr.push_back(money(t.size[c] > 0 ? from_fixed(t.revenue[c][0]) : 0.0));
    Json lrow = Json::array(), rrow = Json::array();
    for (std::size_t k = 0; k < t.logo[c].size(); ++k) {
      lrow.push_back(rate(static_cast<double>(t.logo[c][k]), static_cast<double>(t.size[c])));
      rrow.push_back(t.size[c] > 0 ? rate(from_fixed(t.revenue[c][k]), from_fixed(t.revenue[c][0])) : Json(nullptr));
    }
    logo.push_back(std::move(lrow));
    revenue.push_back(std::move(rrow));
  }
  // Means over every cohort old enough for the age, weighted by size (customers, starting MRR).
  Json mean_logo = Json::array(), mean_revenue = Json::array();
  for (std::size_t k = 0; k < n; ++k) {
    double active = 0, size = 0;
    Fixed rev = 0, base = 0;
    for (std::size_t c = 0; c + k < n; ++c) {
      active += static_cast<double>(t.logo[c][k]);
      size += static_cast<double>(t.size[c]);
      rev += t.revenue[c][k];
      base += t.size[c] > 0 ? t.revenue[c][0] : 0;
    }
    mean_logo.push_back(rate(active, size));
    mean_revenue.push_back(rate(from_fixed(rev), from_fixed(base)));
  }
  return Json{
      {"periods", names},       {"customers", sizes},          {"mrr", mrr}, {"logo", logo}, {"revenue", revenue},
      {"mean_logo", mean_logo}, {"mean_revenue", mean_revenue}};
}

Json survival_json(const Figures& f, double latest_arpa) {
  const SurvivalTable& s = f.survival;
  std::int64_t customers = 0;
  for (std::int64_t c : f.cohorts.size) customers += c;
  Json curve = Json::array(), at_risk = Json::array(), churned = Json::array();
  double surv = 1.0, restricted = 0;
  Json median = nullptr;
  for (std::size_t k = 0; k < s.at_risk.size(); ++k) {
    const std::int64_t n = k == 0 ? customers : s.at_risk[k];
    if (n == 0) break;
    if (k > 0) surv *= 1.0 - static_cast<double>(s.churned[k]) / static_cast<double>(n);
    curve.push_back(round_to(surv, 4));
    at_risk.push_back(n);
    churned.push_back(k == 0 ? 0 : s.churned[k]);
    restricted += surv;
    if (median.is_null() && surv <= 0.5) median = k;
  }
  return Json{{"curve", curve},
              {"at_risk", at_risk},
              {"churned", churned},
              {"median_lifetime_periods", median},
              {"restricted_mean_lifetime_periods", round_to(restricted, 2)},
              {"ltv", curve.empty() ? Json(nullptr) : money(latest_arpa * restricted)}};
}

}  // namespace pmkpi::records::detail
