// Pattern analysis: the reference's summary figures, a scale-free trend test (Mann-Kendall, Sen's
// slope), seasonality, change points (PELT on piecewise-linear segments), robust anomalies, growth.
#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <stdexcept>

#include "pipeline.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::forecast {
namespace {

using detail::Vec;

constexpr std::size_t kExactSenPairs = 2000;    // exact Sen's slope up to this many points
constexpr std::size_t kSampledPairs = 2000000;  // deterministic sample of pairs beyond
constexpr std::size_t kMaxSegmentationPoints = 5000;

/** Counts pairs i < j with v[i] > v[j] (strict inversions) by merge sort; sorts v. */
long long count_inversions(Vec& v, Vec& buf, std::size_t lo, std::size_t hi) {
  if (hi - lo < 2) return 0;
  const std::size_t mid = lo + (hi - lo) / 2;
  long long c = count_inversions(v, buf, lo, mid) + count_inversions(v, buf, mid, hi);
  std::size_t i = lo, j = mid, k = lo;
  while (i < mid && j < hi) {
    if (v[j] < v[i]) {
      c += static_cast<long long>(mid - i);
      buf[k++] = v[j++];
    } else {
      buf[k++] = v[i++];
    }
  }
  while (i < mid) buf[k++] = v[i++];
  while (j < hi) buf[k++] = v[j++];
  std::copy(buf.begin() + static_cast<std::ptrdiff_t>(lo), buf.begin() + static_cast<std::ptrdiff_t>(hi),
            v.begin() + static_cast<std::ptrdiff_t>(lo));
  return c;
}

void mann_kendall(const Vec& y, Pattern& p) {
  const std::size_t n = y.size();
  Vec v = y, buf(n);
  const long long discordant = count_inversions(v, buf, 0, n);  // v is now sorted
  long long tied_pairs = 0;
  double tie_term = 0;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && v[j] == v[i]) ++j;
    const double t = static_cast<double>(j - i);
    tied_pairs += static_cast<long long>((j - i) * (j - i - 1) / 2);
    tie_term += t * (t - 1) * (2 * t + 5);
    i = j;
  }
  const long long pairs = static_cast<long long>(n) * static_cast<long long>(n - 1) / 2;
  const long long concordant = pairs - discordant - tied_pairs;
  const double s = static_cast<double>(concordant - discordant);
  const double nd = static_cast<double>(n);
  const double var = (nd * (nd - 1) * (2 * nd + 5) - tie_term) / 18.0;
  p.mk_s = s;
  p.kendall_tau = pairs > 0 ? s / static_cast<double>(pairs) : 0;
  if (var > 0) {
    p.mk_z = s > 0 ? (s - 1) / std::sqrt(var) : s < 0 ? (s + 1) / std::sqrt(var) : 0.0;
    p.mk_p_value = std::erfc(std::fabs(p.mk_z) / std::sqrt(2.0));
  } else {
    p.mk_z = 0;
    p.mk_p_value = 1;
  }
}

void sen_slope(const Vec& y, Pattern& p) {
  const std::size_t n = y.size();
  Vec slopes;
  if (n <= kExactSenPairs) {
    slopes.reserve(n * (n - 1) / 2);
    for (std::size_t i = 0; i < n; ++i)
      for (std::size_t j = i + 1; j < n; ++j) slopes.push_back((y[j] - y[i]) / static_cast<double>(j - i));
    p.sen_exact = true;
  } else {
    slopes.reserve(kSampledPairs);
    unsigned long long state = 0x9E3779B97F4A7C15ULL;  // fixed seed: the same series gives the same answer
    auto next = [&] {
      state ^= state << 13;
      state ^= state >> 7;
      state ^= state << 17;
      return state;
    };
    while (slopes.size() < kSampledPairs) {
      std::size_t i = static_cast<std::size_t>(next() % n), j = static_cast<std::size_t>(next() % n);
      if (i == j) continue;
      if (i > j) std::swap(i, j);
      slopes.push_back((y[j] - y[i]) / static_cast<double>(j - i));
    }
    p.sen_exact = false;
  }
  p.sen_slope = detail::median_of(std::move(slopes));
}

/**
 * Running median of the w - 1 neighbours of each point (the point itself left out, so that it cannot
 * explain itself); the ends, where the window does not fit, continue the local slope.
 */
Vec running_median(const Vec& y, std::size_t w) {
  const std::size_t n = y.size(), half = w / 2;
  Vec out(n), win;
  if (n < w) {
    std::fill(out.begin(), out.end(), detail::median_of(y));
    return out;
  }
  for (std::size_t t = half; t + half < n; ++t) {
    win.assign(y.begin() + static_cast<std::ptrdiff_t>(t - half), y.begin() + static_cast<std::ptrdiff_t>(t));
    win.insert(win.end(), y.begin() + static_cast<std::ptrdiff_t>(t + 1),
               y.begin() + static_cast<std::ptrdiff_t>(t + half + 1));
    out[t] = detail::median_of(win);
  }
  const std::size_t first = half, last = n - 1 - half;
  const std::size_t span = std::min<std::size_t>(w, last - first);
  const double head = span ? (out[first + span] - out[first]) / static_cast<double>(span) : 0.0;
  const double tail = span ? (out[last] - out[last - span]) / static_cast<double>(span) : 0.0;
  for (std::size_t t = 0; t < first; ++t) out[t] = out[first] - head * static_cast<double>(first - t);
  for (std::size_t t = last + 1; t < n; ++t) out[t] = out[last] + tail * static_cast<double>(t - last);
  return out;
}

double mad_scale(const Vec& r, double centre) {
  Vec dev(r.size());
  for (std::size_t i = 0; i < r.size(); ++i) dev[i] = std::fabs(r[i] - centre);
  double mad = detail::median_of(dev) / 0.6744897501960817;
  if (!(mad > 0)) mad = detail::mean_of(dev) * 1.2533141373155001;  // mean absolute deviation, normal-scaled
  return mad;
}

void seasonality(const Vec& y, const PatternOptions& o, Pattern& p, Vec& seasonal_component) {
  const std::size_t n = y.size();
  int m = o.seasonal_period > 1 ? o.seasonal_period : 0;
  p.seasonality_source = m ? "given" : "none";
  if (!m) {
    m = detect_period(y, 366);
    if (m) p.seasonality_source = "detected";
  }
  if (!m || n < 3 * static_cast<std::size_t>(m)) {
    p.seasonal_period = m;
    return;
  }
  double intercept, slope;
  detail::ols_line(y, intercept, slope);
  Vec r(n);
  for (std::size_t t = 0; t < n; ++t) r[t] = y[t] - (intercept + slope * static_cast<double>(t));
  p.seasonal_period = m;
  p.seasonal_detected = detail::seasonality_test(r, m, &p.seasonal_acf, &p.seasonal_threshold) && p.seasonal_acf > 0;
  // Strength (Wang, Smith & Hyndman): 1 - Var(remainder) / Var(seasonal + remainder).
  const detail::Decomposition d = detail::classical_decomposition(y, m, false);
  const Vec trend = detail::centred_moving_average(y, m);
  double sr_mean = 0, r_mean = 0, cnt = 0;
  for (std::size_t t = 0; t < n; ++t)
    if (!std::isnan(trend[t])) {
      sr_mean += y[t] - trend[t];
      r_mean += y[t] - trend[t] - d.at(t);
      cnt += 1;
    }
  if (cnt > 1) {
    sr_mean /= cnt;
    r_mean /= cnt;
    double v_sr = 0, v_r = 0;
    for (std::size_t t = 0; t < n; ++t)
      if (!std::isnan(trend[t])) {
        const double sr = y[t] - trend[t], rr = sr - d.at(t);
        v_sr += (sr - sr_mean) * (sr - sr_mean);
        v_r += (rr - r_mean) * (rr - r_mean);
      }
    p.seasonal_strength = v_sr > 0 ? std::max(0.0, 1.0 - v_r / v_sr) : 0.0;
  }
  // As in the forecast, on a short history: a period whose seasonal models win by AICc is a seasonal pattern.
  const auto season = static_cast<std::size_t>(m);
  const bool short_history = (m <= 4 || n < 5 * season) && n >= 2 * season + 4 && detail::seasonal_fit_affordable(n, m);
  if (!p.seasonal_detected && p.seasonal_acf > 0 && short_history) {
    const detail::SeasonalContest c = detail::contest_season(y, m);
    p.seasonal_detected = c.held && c.seasonal_won;
  }
  if (p.seasonal_detected) {
    seasonal_component.resize(n);
    for (std::size_t t = 0; t < n; ++t) seasonal_component[t] = d.at(t);
  }
}

/** PELT (Killick, Fearnhead & Eckley 2012) with a linear-trend cost per segment. Returns segment starts. */
std::vector<std::size_t> pelt_linear(const Vec& y, double penalty, std::size_t min_len) {
  const std::size_t n = y.size();
  Vec st(n + 1, 0), stt(n + 1, 0), sy(n + 1, 0), syy(n + 1, 0), sty(n + 1, 0);
  for (std::size_t i = 0; i < n; ++i) {
    const double t = static_cast<double>(i);
    st[i + 1] = st[i] + t;
    stt[i + 1] = stt[i] + t * t;
    sy[i + 1] = sy[i] + y[i];
    syy[i + 1] = syy[i] + y[i] * y[i];
    sty[i + 1] = sty[i] + t * y[i];
  }
  auto cost = [&](std::size_t a, std::size_t b) {  // SSE of the least-squares line on [a, b)
    const double k = static_cast<double>(b - a);
    const double mt = (st[b] - st[a]) / k, my = (sy[b] - sy[a]) / k;
    const double vtt = (stt[b] - stt[a]) - k * mt * mt;
    const double vyy = (syy[b] - syy[a]) - k * my * my;
    const double vty = (sty[b] - sty[a]) - k * mt * my;
    const double sse = vtt > 0 ? vyy - vty * vty / vtt : vyy;
    return std::max(sse, 0.0);
  };
  Vec f(n + 1, std::numeric_limits<double>::infinity());
  std::vector<std::size_t> last(n + 1, 0);
  f[0] = -penalty;
  std::vector<std::size_t> candidates{0}, next;
  for (std::size_t t = 1; t <= n; ++t) {
    double best = std::numeric_limits<double>::infinity();
    std::size_t arg = 0;
    for (std::size_t tau : candidates) {
      if (t - tau < min_len) continue;
      const double v = f[tau] + cost(tau, t) + penalty;
      if (v < best) {
        best = v;
        arg = tau;
      }
    }
    f[t] = best;
    last[t] = arg;
    next.clear();
    for (std::size_t tau : candidates)
      if (t - tau < min_len || f[tau] + cost(tau, t) <= f[t]) next.push_back(tau);
    if (std::isfinite(f[t])) next.push_back(t);
    candidates.swap(next);
  }
  std::vector<std::size_t> starts;
  for (std::size_t t = n; t > 0;) {
    const std::size_t s = last[t];
    if (s > 0) starts.push_back(s);
    if (s == 0) break;
    t = s;
  }
  std::reverse(starts.begin(), starts.end());
  return starts;
}

void change_points(const Vec& y, const Vec& seasonal_component, Pattern& p) {
  const std::size_t n = y.size();
  Vec z = y;
  if (!seasonal_component.empty())
    for (std::size_t t = 0; t < n; ++t) z[t] -= seasonal_component[t];
  // Very long series are segmented on block means, so the search stays fast.
  const std::size_t block = (n + kMaxSegmentationPoints - 1) / kMaxSegmentationPoints;
  Vec b;
  if (block > 1) {
    for (std::size_t a = 0; a < n; a += block) b.push_back(detail::mean_of(z, a, a + block));
  } else {
    b = z;
  }
  p.change_point_resolution = block;
  const std::size_t m = b.size();
  if (m < 8) return;
  // Noise level from first differences (robust to level shifts and trends).
  Vec diff(m - 1);
  for (std::size_t i = 1; i < m; ++i) diff[i - 1] = b[i] - b[i - 1];
  double sigma = mad_scale(diff, detail::median_of(diff)) / std::sqrt(2.0);
  double lo = *std::min_element(b.begin(), b.end()), hi = *std::max_element(b.begin(), b.end());
  sigma = std::max(sigma, 1e-9 * std::max(1.0, hi - lo));
  const double penalty = 3.0 * sigma * sigma * std::log(static_cast<double>(m)) * 2.0;
  const std::size_t min_len = std::max<std::size_t>(3, m / 100);
  const std::vector<std::size_t> starts = pelt_linear(b, penalty, min_len);
  // Level just before and after each break, from the least-squares line of each segment.
  std::vector<std::size_t> bounds{0};
  bounds.insert(bounds.end(), starts.begin(), starts.end());
  bounds.push_back(m);
  auto line_at = [&](std::size_t a, std::size_t e, double t) {
    Vec seg(b.begin() + static_cast<std::ptrdiff_t>(a), b.begin() + static_cast<std::ptrdiff_t>(e));
    double ic, sl;
    detail::ols_line(seg, ic, sl);
    return ic + sl * (t - static_cast<double>(a));
  };
  // A break between levels equal up to rounding is no change (a constant series has none).
  const double equal = 1e-9 * std::max({1.0, std::fabs(lo), std::fabs(hi)});
  for (std::size_t k = 1; k + 1 < bounds.size(); ++k) {
    ChangePoint c;
    c.index = bounds[k] * block;
    c.mean_before = line_at(bounds[k - 1], bounds[k], static_cast<double>(bounds[k] - 1));
    c.mean_after = line_at(bounds[k], bounds[k + 1], static_cast<double>(bounds[k]));
    if (std::fabs(c.mean_after - c.mean_before) <= equal) continue;
    p.change_points.push_back(c);
  }
}

Vec trend_line(const Vec& y) {
  double intercept, slope;
  detail::ols_line(y, intercept, slope);
  Vec out(y.size());
  for (std::size_t t = 0; t < y.size(); ++t) out[t] = intercept + slope * static_cast<double>(t);
  return out;
}

/** The running median within each segment between change points, so that a level shift is no anomaly. */
Vec segment_medians(const Vec& y, std::size_t w, const std::vector<ChangePoint>& breaks) {
  if (breaks.empty()) return running_median(y, w);
  Vec out;
  out.reserve(y.size());
  std::size_t a = 0;
  for (std::size_t k = 0; k <= breaks.size(); ++k) {
    const std::size_t e = k < breaks.size() ? std::min(breaks[k].index, y.size()) : y.size();
    if (e <= a) continue;
    const Vec part =
        running_median(Vec(y.begin() + static_cast<std::ptrdiff_t>(a), y.begin() + static_cast<std::ptrdiff_t>(e)), w);
    out.insert(out.end(), part.begin(), part.end());
    a = e;
  }
  return out;
}

void anomalies(const Vec& y, int period, bool seasonal, Pattern& p) {
  const std::size_t n = y.size();
  if (n < 7) return;
  std::size_t w = seasonal && period > 1 ? static_cast<std::size_t>(period) : 7;
  if (w % 2 == 0) ++w;
  w = std::min<std::size_t>(w, 101);
  // Seasonal: a straight line plus the seasonal profile (a running median over one period would
  // follow the cycle with a lag and flag the peaks); otherwise the running median of the neighbours.
  Vec expected = seasonal && period > 1 ? trend_line(y) : segment_medians(y, w, p.change_points);
  if (seasonal && period > 1) {
    std::vector<Vec> by_phase(static_cast<std::size_t>(period));
    for (std::size_t t = 0; t < n; ++t) by_phase[t % static_cast<std::size_t>(period)].push_back(y[t] - expected[t]);
    Vec idx(static_cast<std::size_t>(period));
    for (std::size_t k = 0; k < idx.size(); ++k) idx[k] = detail::median_of(by_phase[k]);
    for (std::size_t t = 0; t < n; ++t) expected[t] += idx[t % static_cast<std::size_t>(period)];
  }
  Vec r(n);
  for (std::size_t t = 0; t < n; ++t) r[t] = y[t] - expected[t];
  const double centre = detail::median_of(r);
  const double scale = mad_scale(r, centre);
  if (!(scale > 0)) return;
  for (std::size_t t = 0; t < n; ++t) {
    const double z = (r[t] - centre) / scale;
    if (std::fabs(z) > 3.5) p.anomalies.push_back({t, y[t], expected[t], z});
  }
}

void growth(const Vec& y, Pattern& p) {
  const std::size_t n = y.size();
  p.total_change = y.back() - y.front();
  if (y[n - 2] != 0) p.last_change_percent = (y[n - 1] - y[n - 2]) / std::fabs(y[n - 2]) * 100.0;
  double s = 0;
  std::size_t c = 0;
  for (std::size_t t = 1; t < n; ++t)
    if (y[t - 1] != 0) {
      s += (y[t] - y[t - 1]) / std::fabs(y[t - 1]);
      ++c;
    }
  if (c) p.mean_change_percent = s / static_cast<double>(c) * 100.0;
  if (y.front() > 0 && y.back() > 0)
    p.compound_growth_percent = (std::pow(y.back() / y.front(), 1.0 / static_cast<double>(n - 1)) - 1.0) * 100.0;
}

}  // namespace

Pattern analyze_pattern(const std::vector<double>& y, const PatternOptions& options) {
  if (y.size() < 3) throw std::invalid_argument("at least 3 values are needed to analyse a pattern");
  for (double v : y)
    if (!std::isfinite(v)) throw std::invalid_argument("every value must be a finite number");
  Pattern p;
  const std::size_t n = y.size();
  p.n = n;
  p.average = detail::numpy_mean(y);  // the reference's binary values (numpy, scikit-learn)
  p.recent_average = detail::numpy_mean(y, n - 3, n);
  double ss = 0;
  for (double v : y) ss += (v - p.average) * (v - p.average);
  p.std_dev = std::sqrt(ss / static_cast<double>(n));
  p.ols_slope = detail::sklearn_slope(y);
  if (p.average != 0) {
    p.volatility_value = p.std_dev / std::fabs(p.average);
  } else {
    double mean_abs = 0;
    for (double v : y) mean_abs += std::fabs(v);
    mean_abs /= static_cast<double>(n);
    p.volatility_value = mean_abs > 0 ? p.std_dev / mean_abs : 0.0;
  }

  mann_kendall(y, p);
  sen_slope(y, p);
  double level = 0;
  for (double v : y) level += std::fabs(v);
  level /= static_cast<double>(n);
  p.sen_slope_percent = level > 0 ? p.sen_slope / level * 100.0 : 0.0;
  const bool significant = p.mk_p_value < options.significance;
  p.trend = significant && p.mk_s > 0 ? "increasing" : significant && p.mk_s < 0 ? "decreasing" : "stable";

  Vec seasonal_component;
  seasonality(y, options, p, seasonal_component);
  if (options.events) {
    change_points(y, seasonal_component, p);
    anomalies(y, p.seasonal_period, p.seasonal_detected, p);
  }
  growth(y, p);
  return p;
}

}  // namespace pmkpi::forecast
