// Calibration of the forecast intervals in two steps:
// 1. in-sample (empirical prediction intervals, Williams & Goodman 1971): the combination forecasts
//    the series itself from every recent origin with its fitted parameters, and its errors at every
//    horizon, in units of its analytic spread, widen the spread when they are larger;
// 2. out-of-sample (rolling origin): the pipeline refitted without the last `horizon` points, its
//    errors on them in units of its (in-sample calibrated) spread (of the logarithm, for a positive
//    series, whose ranges are log-normal), weighed with the scale out-of-sample errors are expected
//    to have (Akaike's final prediction error), widen it again; the intervals then
//    take the quantiles of a Student t with 6 degrees of freedom of the same spread, whose tails are
//    the heavier tails of forecast errors (sd-matched: the 80% interval narrows, the 95% stays).
#include <algorithm>
#include <cmath>

#include "pipeline.hpp"

namespace pmkpi::forecast::detail {
namespace {

constexpr std::size_t kMaxOrigins = 256;  // recent origins on a long series: the work stays O(h) per member
// Student t quantiles with 6 degrees of freedom times sqrt(4 / 6), the t of unit variance.
constexpr double kT80 = 1.4397557472651481 * 0.816496580927726;
constexpr double kT95 = 2.4469118511449692 * 0.816496580927726;

/** Member mb's in-sample forecast of y[at] from path row `row`, horizon j, with its season back. */
double path_value(const Member& mb, const Adjusted& a, std::size_t row, std::size_t j, std::size_t at) {
  const double v = mb.path[row + j];
  if (!a.seasonal || mb.includes_season) return v;
  return a.multiplicative ? v * a.decomposition.at(at) : v + a.decomposition.at(at);
}

/**
 * The held-out value's error in units of the refitted forecast's spread at horizon j: in log terms
 * when the answer's ranges are log-normal, else against the standard deviation behind the ranges.
 */
double standard_error(const Forecast& f, std::size_t j, double actual, bool log_space) {
  const double mean = f.mean[j];
  double sd = (f.upper80[j] - mean) / kZ80;  // the standard deviation behind the 80% range
  if (f.model.interval_shape == IntervalShape::LogNormal && mean > 0) {
    const double spread = std::log(f.upper80[j] / mean) / kZ80;  // the sd of log(Y)
    sd = mean * std::sqrt(std::expm1(spread * spread));
  }
  if (log_space && mean > 0 && actual > 0) return std::log(actual / mean) / log_normal_sd(mean, sd);
  return (actual - mean) / sd;
}

/** Whether every member has a path from the same first origin. */
bool paths_agree(const std::vector<Member>& members) {
  if (members.empty()) return false;
  return std::all_of(members.begin(), members.end(),
                     [&](const Member& mb) { return !mb.path.empty() && mb.first == members[0].first; });
}

}  // namespace

void weigh_members(const Vec& y, const Adjusted& a, std::vector<Member>& members) {
  if (members.size() < 2 || !paths_agree(members)) return;
  const std::size_t n = y.size(), first = members[0].first, steps = members[0].mean.size();
  Vec error(members.size(), 0.0);
  double count = 0;
  for (std::size_t t = first; t + 1 < n; ++t)
    for (std::size_t j = 0; j < steps && t + 1 + j < n; ++j, count += 1) {
      const std::size_t at = t + 1 + j, row = (t - first) * steps;
      for (std::size_t i = 0; i < members.size(); ++i) {
        const double f = path_value(members[i], a, row, j, at);
        const double scale = std::fabs(y[at]) + std::fabs(f);
        if (scale > 0) error[i] += std::fabs(y[at] - f) / scale;
      }
    }
  if (count < 1) return;
  double total = 0;
  for (double& e : error) total += e = 1 / std::max(e / count, 1e-12);
  if (!std::isfinite(total) || !(total > 0)) return;
  for (std::size_t i = 0; i < members.size(); ++i) members[i].weight = error[i] / total;
}

bool weights_measured(const std::vector<Member>& members) {
  return std::all_of(members.begin(), members.end(), [](const Member& mb) { return mb.weight > 0; });
}

Vec combination_weights(const std::vector<Member>& members) {
  Vec w(members.size(), members.empty() ? 0.0 : 1.0 / static_cast<double>(members.size()));
  if (weights_measured(members))
    for (std::size_t i = 0; i < members.size(); ++i) w[i] = members[i].weight;
  return w;
}

std::size_t path_first(std::size_t n, int m) {
  std::size_t first = std::max<std::size_t>(2, m > 1 ? static_cast<std::size_t>(m) : 0);
  if (n > kMaxOrigins + 1) first = std::max(first, n - 1 - kMaxOrigins);
  return first;
}

Vec theta_path(const ThetaFit& theta, const EtsFit& ses, const Vec& z, int h, std::size_t first) {
  const std::size_t n = z.size(), steps = static_cast<std::size_t>(h);
  if (!theta.ok || !ses.ok || first + 1 >= n) return {};
  Vec out((n - 1 - first) * steps);
  const double a = theta.alpha;
  double level = ses.x0[0];
  double keep = 1;  // (1 - a)^(t + 1)
  for (std::size_t t = 0; t + 1 < n; ++t) {
    level += a * (z[t] - level);
    keep *= 1 - a;
    if (t < first) continue;
    const double catch_up = (1 - keep) / a;
    double* row = &out[(t - first) * steps];
    for (std::size_t j = 0; j < steps; ++j) row[j] = level + theta.drift * (static_cast<double>(j) + catch_up);
  }
  return out;
}

double calibrate(const Vec& y, const Adjusted& a, const std::vector<Member>& members, Member& combined) {
  const std::size_t n = y.size(), steps = combined.mean.size();
  if (!paths_agree(members)) return 1;
  const std::size_t first = members[0].first;
  const Vec weights = combination_weights(members);
  // Positive series are compared in relative terms: an error at an origin where the level was half
  // today's counts as twice as large (log-normal ranges: the logarithm's error).
  const bool relative = std::all_of(y.begin(), y.end(), [](double v) { return v > 0; }) &&
                        std::all_of(combined.mean.begin(), combined.mean.end(), [](double v) { return v > 0; });
  Vec sum(steps, 0.0), count(steps, 0.0);
  for (std::size_t t = first; t + 1 < n; ++t) {
    const std::size_t row = (t - first) * steps;
    for (std::size_t j = 0; j < steps && t + 1 + j < n; ++j) {
      const std::size_t at = t + 1 + j;
      double f = 0;  // the combination's forecast, weighted as the answer's is
      for (std::size_t i = 0; i < members.size(); ++i) f += path_value(members[i], a, row, j, at) * weights[i];
      const double sd = combined.sd[j], mean = combined.mean[j];
      // In the terms of the answer's ranges: of the logarithm where they are log-normal.
      const bool logs = combined.log_normal && mean > 0;
      if (!(sd > 0) || ((relative || logs) && !(f > 0))) continue;
      const double e = y[at] - f;
      const double z = logs ? std::log(y[at] / f) / log_normal_sd(mean, sd) : relative ? (e / f) / (sd / mean) : e / sd;
      sum[j] += z * z;
      count[j] += 1;
    }
  }
  // Every horizon weighs the same, however many origins reach it.
  double pooled = 0, horizons = 0;
  for (std::size_t j = 0; j < steps; ++j)
    if (count[j] >= 1) {
      pooled += sum[j] / count[j];
      horizons += 1;
    }
  if (horizons == 0) return 1;
  const double scale = std::max(1.0, std::sqrt(pooled / horizons));
  for (auto& v : combined.sd) v *= scale;
  return scale;
}

double expected_scale(std::size_t n, double parameters) {
  const double points = static_cast<double>(n);
  const double p = std::min(points / 2, std::max(parameters, 0.0));
  return std::sqrt((points + p) / (points - p));
}

IntervalScale out_of_sample_scale(const Vec& y, const ForecastOptions& options, int m, const Refit& refit) {
  IntervalScale out;
  const std::size_t n = y.size();
  const std::size_t min_train = std::max<std::size_t>(8, m > 1 ? 2 * static_cast<std::size_t>(m) + 4 : 0);
  if (options.calibration_origins < 1 || n < min_train + 1) return out;
  const std::size_t horizon = std::min<std::size_t>(static_cast<std::size_t>(options.horizon), n - min_train);
  ForecastOptions inner;
  inner.seasonal_period = m;
  inner.max_fit_window = 0;
  inner.calibration_origins = 0;
  const std::size_t step = std::max<std::size_t>(1, horizon / 2);
  const bool log_space = refit.log_normal;
  double s2 = 0;
  int origins = 0;
  for (int o = 0; o < options.calibration_origins; ++o) {
    const std::size_t back = horizon + static_cast<std::size_t>(o) * step;
    if (n < min_train + back) break;
    const std::size_t end = n - back;
    const Vec train(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(end));
    inner.horizon = static_cast<int>(std::min(horizon, n - end));
    const Forecast f = forecast_window(train, inner, m, &refit);
    double origin_s2 = 0, count = 0;
    for (std::size_t j = 0; j < f.mean.size(); ++j) {
      const double z = standard_error(f, j, y[end + j], log_space);
      if (!std::isfinite(z)) continue;
      origin_s2 += z * z;
      count += 1;
    }
    if (count == 0) continue;
    s2 += origin_s2 / count;
    out.errors += static_cast<std::size_t>(count);
    ++origins;
  }
  if (out.errors == 0) return out;
  // The errors from one origin share its level's error: together they are one noisy look at the
  // spread, weighed against the expected scale as kPriorOrigins looks.
  const double expected = expected_scale(n, refit.parameters);
  const double pooled = (s2 + kPriorOrigins * expected * expected) / (origins + kPriorOrigins);
  const double scale = std::max(1.0, std::sqrt(pooled));
  out.s80 = scale * kT80 / kZ80;
  out.s95 = scale * kT95 / kZ95;
  return out;
}

}  // namespace pmkpi::forecast::detail
