// The forecasting pipeline: seasonal adjustment, member fits, their combination, intervals, the
// metric's domain and a rolling-origin backtest (steps in members.cpp and backtest.cpp).
#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "pipeline.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::forecast {

const char* name_of(Method method) {
  switch (method) {
    case Method::Combination:
      return "combination";
    case Method::Ets:
      return "ets";
    case Method::Drift:
      return "drift";
    case Method::Constant:
      return "constant";
  }
  return "ets";
}

const char* name_of(SeasonalAdjustment adjustment) {
  switch (adjustment) {
    case SeasonalAdjustment::None:
      return "none";
    case SeasonalAdjustment::Multiplicative:
      return "multiplicative";
    case SeasonalAdjustment::Additive:
      return "additive";
    case SeasonalAdjustment::Ets:
      return "ets";
  }
  return "none";
}

const char* name_of(IntervalShape shape) { return shape == IntervalShape::LogNormal ? "log_normal" : "symmetric"; }

namespace detail {
namespace {

constexpr int kLongestDetectedContest = 24;

bool is_constant(const Vec& y) {
  const auto [lo, hi] = std::minmax_element(y.begin(), y.end());
  return *hi - *lo <= 1e-12 * std::max(1.0, std::fabs(*hi));
}

Member constant_member(const Vec& y, int h, ModelInfo& info) {
  info.name = "Constant";
  info.method = Method::Constant;
  info.members = {"Constant"};
  info.seasonal_adjustment = SeasonalAdjustment::None;
  info.note = "Every value is the same: the forecast repeats it with no uncertainty.";
  Member member{"Constant", Vec(static_cast<std::size_t>(h), y.back()), Vec(static_cast<std::size_t>(h), 0.0)};
  member.level = y.back();
  return member;
}

/** The intervals calibrated in-sample, then out-of-sample; the factors applied in the model's parameters. */
void calibrate_intervals(const Vec& y, const Adjusted& a, const std::vector<Member>& members,
                         const ForecastOptions& options, int m, const Refit& fitted, Member& combined,
                         ModelInfo& info) {
  add_param(info, "interval_scale_in_sample", calibrate(y, a, members, combined));
  const IntervalScale s = out_of_sample_scale(y, options, m, fitted);
  if (s.errors == 0) return;
  for (auto& v : combined.sd) v *= s.s80;
  combined.tail = s.s95 / s.s80;
  add_param(info, "interval_scale_80", s.s80);
  add_param(info, "interval_scale_95", s.s95);
  add_param(info, "fitted_parameters", fitted.parameters);
}

/** The model's name and adjustment say how the season was handled. */
void describe_season(const Adjusted& a, const std::vector<Member>& members, ModelInfo& info) {
  if (!a.seasonal) {
    info.seasonal_adjustment = SeasonalAdjustment::None;
    return;
  }
  const bool own_season =
      std::any_of(members.begin(), members.end(), [](const Member& mb) { return mb.includes_season; });
  const std::string period = "period " + std::to_string(a.m) + ")";
  if (own_season) {
    info.name += std::string(" (seasonal ETS; the others on ") +
                 (a.multiplicative ? "multiplicatively" : "additively") + " deseasonalised data, " + period;
    info.seasonal_adjustment = SeasonalAdjustment::Ets;
  } else {
    info.name += std::string(" on ") + (a.multiplicative ? "multiplicatively" : "additively") +
                 " deseasonalised data (" + period;
    info.seasonal_adjustment = a.multiplicative ? SeasonalAdjustment::Multiplicative : SeasonalAdjustment::Additive;
  }
  add_param(info, "seasonal_acf", a.acf_m);
}

double clamp_to(double v, const Domain& d) {
  if (d.lower && v < *d.lower) v = *d.lower;
  if (d.upper && v > *d.upper) v = *d.upper;
  return v;
}

/** The range mean -+ z sd at horizon j, or its log-normal counterpart of the same variance. */
std::pair<double, double> range_at(const Member& f, std::size_t j, double z) {
  const double mean = f.mean[j], sd = f.sd[j];
  if (f.log_normal && mean > 0) {
    const double spread = z * log_normal_sd(mean, sd);
    return {mean * std::exp(-spread), mean * std::exp(spread)};
  }
  return {mean - z * sd, mean + z * sd};
}

/** Point forecasts and 80%/95% intervals, each kept in the domain; the point forecasts' components. */
void apply_domain(const Member& f, const Domain& domain, Forecast& out) {
  const std::size_t h = f.mean.size();
  Components& c = out.components;
  c.level.assign(h, f.level);
  c.season = f.season.empty() ? Vec(h, 0.0) : f.season;
  c.trend.resize(h);
  c.bound.resize(h);
  out.mean.resize(h);
  out.lower80.resize(h);
  out.upper80.resize(h);
  out.lower95.resize(h);
  out.upper95.resize(h);
  for (std::size_t j = 0; j < h; ++j) {
    out.mean[j] = clamp_to(f.mean[j], domain);
    c.trend[j] = f.mean[j] - f.level - c.season[j];
    c.bound[j] = out.mean[j] - f.mean[j];
    const auto [lower80, upper80] = range_at(f, j, kZ80);
    const auto [lower95, upper95] = range_at(f, j, kZ95 * f.tail);
    out.lower80[j] = clamp_to(lower80, domain);
    out.upper80[j] = clamp_to(upper80, domain);
    out.lower95[j] = clamp_to(lower95, domain);
    out.upper95[j] = clamp_to(upper95, domain);
  }
}

int choose_period(const Vec& y, const ForecastOptions& options) {
  if (options.seasonal_period > 1) return options.seasonal_period;
  if (options.seasonal_period == 1) return 1;
  return std::max(1, detect_period(y, static_cast<int>(std::min<std::size_t>(y.size() / 3, 366))));
}

/** The points fitted: all of them, or the most recent max_fit_window (a whole number of seasons). */
std::size_t fit_window(std::size_t n, const ForecastOptions& options, int m) {
  if (options.max_fit_window < 16 || n <= options.max_fit_window) return n;
  std::size_t window = options.max_fit_window;
  if (m > 1) window = std::max<std::size_t>(window / static_cast<std::size_t>(m), 3) * static_cast<std::size_t>(m);
  return std::min(window, n);
}

/** Autocorrelation at lag m of the linearly detrended series. */
double detrended_acf(const Vec& y, int m) {
  double intercept, slope;
  ols_line(y, intercept, slope);
  Vec r(y.size());
  for (std::size_t t = 0; t < y.size(); ++t) r[t] = y[t] - intercept - slope * static_cast<double>(t);
  return acf(r, m)[static_cast<std::size_t>(m)];
}

/**
 * The seasonal adjustment: by the autocorrelation test; a period given by the caller or found in
 * the values (detect_period's F tests) that fails it competes by AICc (seasonal ETS against
 * non-seasonal, on the series itself) when the series correlates positively at that lag, and the
 * note says how it fared, so that a period is never dropped silently.
 */
Adjusted adjusted_for(const Vec& y, int m, const ForecastOptions& options, ModelInfo& info) {
  Adjusted a = adjust_seasonally(y, m);
  if (a.seasonal || options.seasonal_period == 1 || m < 2) return a;
  // A period found in the values competes when it is a calendar's (up to 24: hours of a day, weeks,
  // months, quarters): a seasonal ETS fit costs the square of its period.
  if (options.seasonal_period == 0 && m > kLongestDetectedContest) return a;
  const std::string period = "Seasonal period " + std::to_string(m);
  const std::size_t needed = 2 * static_cast<std::size_t>(m) + 4;
  if (y.size() < needed) {
    info.note = period + " not used: seasonal models need " + std::to_string(needed) + " points, got " +
                std::to_string(y.size()) + ".";
    return a;
  }
  if (!seasonal_fit_affordable(y.size(), m)) {
    info.note = period +
                " not used: the autocorrelation test does not find it, and seasonal models of so long a "
                "period cost too much to compete on this history.";
    return a;
  }
  // On five seasons or more the test has the power to find a clear cycle: long periods (costly seasonal
  // fits) compete on shorter histories only; quarterly and shorter periods always compete (measured on M3).
  if (m > 4 && y.size() >= 5 * static_cast<std::size_t>(m)) return a;
  const double r = detrended_acf(y, m);
  if (!(r > 0)) {
    info.note = period + " not used: the values do not correlate at that lag (autocorrelation " + plain(r, 2) + ").";
    return a;
  }
  const SeasonalContest c = contest_season(y, m);
  if (!c.held) return a;
  add_param(info, "seasonal_ets_aicc", c.seasonal_aicc);
  add_param(info, "nonseasonal_ets_aicc", c.plain_aicc);
  if (!c.seasonal_won) {
    info.note = period + " tried: the seasonal models fit worse than the non-seasonal ones (AICc), so none is used.";
    return a;
  }
  info.note = period +
              " used: the autocorrelation test alone is weak on this history, and the seasonal models win "
              "on AICc.";
  return force_seasonal(y, m, r);
}

}  // namespace

/**
 * The members' combination, each weighted by how well it forecast the series' own past (Member::
 * weight; equal weights when none was measured). Its spread is the mixture's: the weighted mean of
 * the members' variances plus their forecasts' spread around the combination, so that members which
 * disagree (most often on the trend, further ahead) widen it. Names the model after its members.
 */
Member combine(const std::vector<Member>& members, int h, ModelInfo& info) {
  const std::size_t steps = static_cast<std::size_t>(h);
  const Vec weights = combination_weights(members);
  Member out{"", Vec(steps, 0.0), Vec(steps, 0.0)};
  std::string list;
  for (std::size_t i = 0; i < members.size(); ++i) {
    const Member& mb = members[i];
    const double w = weights[i];
    for (std::size_t j = 0; j < steps; ++j) out.mean[j] += w * mb.mean[j];
    out.level += w * mb.level;
    if (!mb.season.empty()) {
      out.season.resize(steps, 0.0);
      for (std::size_t j = 0; j < steps; ++j) out.season[j] += w * mb.season[j];
    }
    info.members.push_back(mb.name);
    if (members.size() > 1) add_param(info, "member_weight " + mb.name.substr(0, mb.name.find_first_of(" (")), w);
    list += (list.empty() ? "" : ", ") + mb.name;
  }
  for (std::size_t j = 0; j < steps; ++j) {
    double variance = 0;
    for (std::size_t i = 0; i < members.size(); ++i) {
      const double apart = members[i].mean[j] - out.mean[j];
      variance += weights[i] * (members[i].sd[j] * members[i].sd[j] + apart * apart);
    }
    out.sd[j] = std::sqrt(variance);
  }
  info.method = members.size() > 1 ? Method::Combination : Method::Ets;
  info.name = members.size() > 1 ? (weights_measured(members) ? "Weighted mean of " : "Mean of ") + list : list;
  return out;
}

Forecast forecast_window(const Vec& y, const ForecastOptions& options, int m, const Refit* refit, Refit* record) {
  Forecast out;
  const int h = options.horizon;
  out.model.fitted_points = y.size();
  if (is_constant(y)) {
    apply_domain(constant_member(y, h, out.model), options.domain, out);
    return out;
  }
  const Adjusted adjusted = !refit            ? adjusted_for(y, m, options, out.model)
                            : refit->seasonal ? force_seasonal(y, m, refit->acf_m)
                                              : unadjusted(y, m);
  out.seasonal_period = m > 1 ? m : 1;
  out.seasonal = adjusted.seasonal;
  std::vector<Member> members;
  Refit fitted{{}, adjusted.seasonal, adjusted.acf_m};
  if (y.size() >= 5)
    members = fit_members(y, adjusted, h, out.model, out.residual_sd, refit ? &refit->starts : nullptr, &fitted.starts);
  if (members.empty()) members.push_back(drift_member(adjusted.z, h, out.model));
  fitted.parameters = members[0].parameters;
  reseasonalise(adjusted, y.size(), members);
  weigh_members(y, adjusted, members);
  Member combined = out.model.method == Method::Drift ? members[0] : combine(members, h, out.model);
  // Log-normal ranges where the errors are in proportion to the level: every value positive, and
  // multiplicative errors the ETS fit AICc chose.
  combined.log_normal = members[0].log_normal && std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
  out.model.interval_shape = combined.log_normal ? IntervalShape::LogNormal : IntervalShape::Symmetric;
  fitted.log_normal = combined.log_normal;
  if (out.model.method != Method::Drift)
    calibrate_intervals(y, adjusted, members, options, m, fitted, combined, out.model);
  describe_season(adjusted, members, out.model);
  apply_domain(combined, options.domain, out);
  if (record) *record = std::move(fitted);
  return out;
}

}  // namespace detail

Domain domain_of(const std::string& value_domain) {
  Domain d;
  if (value_domain == "percentage") {
    d.lower = 0.0;
    d.upper = 100.0;
  } else if (value_domain == "non_negative") {
    d.lower = 0.0;
  } else if (value_domain == "score") {
    d.lower = -100.0;
    d.upper = 100.0;
  }
  return d;
}

double smape(const std::vector<double>& actual, const std::vector<double>& predicted) {
  double s = 0;
  const std::size_t h = std::min(actual.size(), predicted.size());
  for (std::size_t j = 0; j < h; ++j) {
    const double denom = std::fabs(actual[j]) + std::fabs(predicted[j]);
    s += denom > 0 ? 200.0 * std::fabs(actual[j] - predicted[j]) / denom : 0.0;
  }
  return h ? s / static_cast<double>(h) : 0.0;
}

namespace {

/** The mean absolute difference of `history` at lag m (1 when it is not seasonal or too short). */
double seasonal_scale(const std::vector<double>& history, int m) {
  std::size_t lag = m > 1 && history.size() > static_cast<std::size_t>(m) ? static_cast<std::size_t>(m) : 1;
  double scale = 0;
  std::size_t count = 0;
  for (std::size_t t = lag; t < history.size(); ++t, ++count) scale += std::fabs(history[t] - history[t - lag]);
  return count ? scale / static_cast<double>(count) : 0.0;
}

/** A mean error over h horizons, scaled; infinite when the history never changed and the error is not 0. */
double scaled(double total, std::size_t h, double scale) {
  if (!h) return 0;
  const double err = total / static_cast<double>(h);
  if (!(scale > 0)) return err > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return err / scale;
}

}  // namespace

double mase(const std::vector<double>& history, const std::vector<double>& actual, const std::vector<double>& predicted,
            int m) {
  double err = 0;
  const std::size_t h = std::min(actual.size(), predicted.size());
  for (std::size_t j = 0; j < h; ++j) err += std::fabs(actual[j] - predicted[j]);
  return scaled(err, h, seasonal_scale(history, m));
}

double msis(const std::vector<double>& history, const std::vector<double>& actual, const std::vector<double>& lower,
            const std::vector<double>& upper, int m, double alpha) {
  double score = 0;
  const std::size_t h = std::min({actual.size(), lower.size(), upper.size()});
  for (std::size_t j = 0; j < h; ++j) {
    score += upper[j] - lower[j];
    if (actual[j] < lower[j]) score += 2 / alpha * (lower[j] - actual[j]);
    if (actual[j] > upper[j]) score += 2 / alpha * (actual[j] - upper[j]);
  }
  return scaled(score, h, seasonal_scale(history, m));
}

Forecast forecast(const std::vector<double>& values, const ForecastOptions& options) {
  if (values.size() < 3) throw std::invalid_argument("at least 3 values are needed to forecast");
  for (double v : values)
    if (!std::isfinite(v)) throw std::invalid_argument("every value must be a finite number");
  if (options.horizon < 1) throw std::invalid_argument("the horizon must be at least 1");

  // The period is looked for in the most recent points only, where a long series is fitted.
  const std::size_t recent =
      options.max_fit_window >= 16 ? std::min(values.size(), options.max_fit_window) : values.size();
  const int m =
      detail::choose_period(detail::Vec(values.end() - static_cast<std::ptrdiff_t>(recent), values.end()), options);
  const std::size_t window = detail::fit_window(values.size(), options, m);
  const detail::Vec y(values.end() - static_cast<std::ptrdiff_t>(window), values.end());
  detail::Refit fitted;
  Forecast out = detail::forecast_window(y, options, m, nullptr, &fitted);
  if (window < values.size())
    out.model.note += std::string(out.model.note.empty() ? "" : " ") + "Fitted on the most recent " +
                      std::to_string(window) + " of " + std::to_string(values.size()) + " points.";
  if (options.backtest_origins > 0) out.backtest = detail::backtest(y, options, m, out.seasonal, &fitted);
  out.model.explanation = detail::explain(out);
  return out;
}

}  // namespace pmkpi::forecast
