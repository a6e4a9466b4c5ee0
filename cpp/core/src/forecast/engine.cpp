// The forecasting pipeline: seasonal adjustment, ETS models weighted by AICc, the Theta method,
// their combination, intervals, the metric's domain and a rolling-origin backtest.
#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "internal.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::forecast {
namespace {

using detail::EtsFit;
using detail::EtsSpec;
using detail::Trend;
using detail::Vec;

constexpr double kZ80 = 1.2815515655446004;
constexpr double kZ95 = 1.959963984540054;

struct Member {
  std::string name;
  Vec mean, sd;
  bool includes_season = false;  // a seasonal ETS model forecasts the season itself
};

void add_param(ModelInfo& info, const std::string& key, double v) {
  if (std::isfinite(v)) info.parameters.emplace_back(key, v);
}

/** Forecast of a series too short for the models: the drift (random walk with drift) method. */
void drift_forecast(const Vec& y, int h, Vec& mean, Vec& sd, ModelInfo& info) {
  const std::size_t n = y.size();
  const double drift = (y.back() - y.front()) / static_cast<double>(n - 1);
  double s2 = 0;
  for (std::size_t t = 1; t < n; ++t) {
    const double d = y[t] - y[t - 1] - drift;
    s2 += d * d;
  }
  s2 = n > 2 ? s2 / static_cast<double>(n - 2) : 0.0;
  mean.resize(static_cast<std::size_t>(h));
  sd.resize(static_cast<std::size_t>(h));
  for (int j = 1; j <= h; ++j) {
    mean[static_cast<std::size_t>(j - 1)] = y.back() + drift * j;
    sd[static_cast<std::size_t>(j - 1)] = std::sqrt(s2 * j * (1.0 + j / static_cast<double>(n - 1)));
  }
  info.name = "Random walk with drift";
  info.method = "drift";
  info.members = {"Drift"};
  add_param(info, "drift", drift);
  add_param(info, "sigma", std::sqrt(s2));
  info.note = "Too few points for model selection: the average change is extended.";
}

/**
 * The ETS candidates (errors A and M; no, additive and damped trend) on the adjusted series, averaged
 * with Akaike weights (Kolassa 2011), and the Theta method; the two are averaged by the caller.
 */
void model_forecast(const Vec& z, int h, std::vector<Member>& members, ModelInfo& info, double& residual_sd,
                    const Vec* additive_seasonal = nullptr, int m = 1) {
  const bool positive = std::all_of(z.begin(), z.end(), [](double v) { return v > 0; });
  std::vector<EtsFit> fits;
  const Trend trends[] = {Trend::None, Trend::Additive, Trend::Damped};
  for (Trend t : trends) {
    for (char err : {'A', 'M'}) {
      if (err == 'M' && !positive) continue;
      EtsSpec spec;
      spec.error = err;
      spec.trend = t;
      EtsFit f = detail::fit_ets(z, spec);
      if (f.ok) fits.push_back(std::move(f));
    }
  }
  // Additive seasonality (series with zeros or negatives): the ETS models carry seasonal states
  // themselves, fitted on the original series, when it is long enough for them.
  std::vector<EtsFit> seasonal_fits;
  if (additive_seasonal)
    for (Trend t : trends) {
      EtsSpec spec;
      spec.trend = t;
      spec.seasonal = true;
      spec.m = m;
      EtsFit f = detail::fit_ets(*additive_seasonal, spec);
      if (f.ok) seasonal_fits.push_back(std::move(f));
    }
  const bool ets_seasonal = !seasonal_fits.empty();
  std::vector<EtsFit> adjusted_fits;  // the non-seasonal ones on the adjusted series, kept for Theta
  if (ets_seasonal) {
    adjusted_fits = std::move(fits);
    fits = std::move(seasonal_fits);
  }
  const EtsFit* best = nullptr;
  const EtsFit* ses = nullptr;
  for (const auto& f : fits) {
    if (!best || f.aicc < best->aicc) best = &f;
    if (f.spec.error == 'A' && f.spec.trend == Trend::None) ses = &f;
  }
  if (!best) return;
  Member ets{"ETS", Vec(static_cast<std::size_t>(h), 0.0), Vec(static_cast<std::size_t>(h), 0.0)};
  double total = 0;
  Vec mean, sd;
  for (const auto& f : fits) total += std::exp(-0.5 * (f.aicc - best->aicc));
  for (const auto& f : fits) {
    const double w = std::exp(-0.5 * (f.aicc - best->aicc)) / total;
    detail::ets_forecast(f, h, mean, sd);
    for (std::size_t j = 0; j < static_cast<std::size_t>(h); ++j) {
      ets.mean[j] += w * mean[j];
      ets.sd[j] += w * sd[j];
    }
    add_param(info, "weight " + f.spec.name(), w);
  }
  ets.name = fits.size() > 1 ? "ETS (AICc-weighted, best " + best->spec.name() + ")" : best->spec.name();
  ets.includes_season = ets_seasonal;
  members.push_back(std::move(ets));
  info.selected_ets = best->spec.name();
  add_param(info, "ets_alpha", best->alpha);
  if (best->spec.trend != Trend::None) add_param(info, "ets_beta", best->beta);
  if (best->spec.trend == Trend::Damped) add_param(info, "ets_phi", best->phi);
  add_param(info, "ets_aicc", best->aicc);
  double s2 = 0;
  for (double e : best->residuals) s2 += e * e;
  residual_sd = std::sqrt(s2 / static_cast<double>(best->residuals.size()));

  if (ets_seasonal) {
    ses = nullptr;
    for (const auto& f : adjusted_fits)
      if (f.spec.trend == Trend::None && f.spec.error == 'A') ses = &f;
  }
  if (ses) {
    const detail::ThetaFit theta = detail::fit_theta(z, *ses);
    if (theta.ok) {
      Member m{"Theta", {}, {}};
      detail::theta_forecast(theta, h, m.mean, m.sd);
      members.push_back(std::move(m));
      add_param(info, "theta_alpha", theta.alpha);
      add_param(info, "theta_drift", theta.drift);
    }
  }
}

double clamp_to(double v, const Domain& d) {
  if (d.lower && v < *d.lower) v = *d.lower;
  if (d.upper && v > *d.upper) v = *d.upper;
  return v;
}

Forecast forecast_window(const Vec& y, const ForecastOptions& options, int m_hint) {
  Forecast out;
  const int h = options.horizon;
  const std::size_t n = y.size();
  out.model.fitted_points = n;
  double lo = y[0], hi = y[0];
  for (double v : y) {
    lo = std::min(lo, v);
    hi = std::max(hi, v);
  }
  Vec mean, sd;
  if (hi - lo <= 1e-12 * std::max(1.0, std::fabs(hi))) {
    mean.assign(static_cast<std::size_t>(h), y.back());
    sd.assign(static_cast<std::size_t>(h), 0.0);
    out.model.name = "Constant";
    out.model.method = "constant";
    out.model.members = {"Constant"};
    out.model.seasonal_adjustment = "none";
    out.model.note = "Every value is the same: the forecast repeats it with no uncertainty.";
  } else {
    // Seasonal adjustment when the 90% autocorrelation test at the period passes.
    int m = m_hint;
    double acf_m = 0, threshold = 0;
    bool seasonal = m > 1 && detail::seasonality_test(y, m, &acf_m, &threshold);
    if (m > 1 && !seasonal && n >= 3 * static_cast<std::size_t>(m)) {
      // A strong trend inflates every autocorrelation and hides the seasonal one: test the detrended series too.
      double intercept, slope;
      detail::ols_line(y, intercept, slope);
      Vec r(n);
      for (std::size_t t = 0; t < n; ++t) r[t] = y[t] - intercept - slope * static_cast<double>(t);
      seasonal = detail::seasonality_test(r, m, &acf_m, &threshold) && acf_m > 0;
    }
    detail::Decomposition dec;
    Vec z = y;
    const bool positive = lo > 0;
    out.seasonal_period = m > 1 ? m : 1;
    if (seasonal) {
      dec = detail::classical_decomposition(y, m, positive);
      for (std::size_t t = 0; t < n; ++t) z[t] = positive ? y[t] / dec.at(t) : y[t] - dec.at(t);
      out.seasonal = true;
      out.model.seasonal_adjustment = positive ? "multiplicative" : "additive";
    } else {
      out.model.seasonal_adjustment = "none";
    }
    std::vector<Member> members;
    if (n >= 5) model_forecast(z, h, members, out.model, out.residual_sd, seasonal && !positive ? &y : nullptr, m);
    if (members.empty()) {
      Member drift{"Drift", {}, {}};
      drift_forecast(z, h, drift.mean, drift.sd, out.model);
      members.push_back(std::move(drift));
    }
    // Seasonally adjusted forecasts take their season back.
    for (auto& mb : members) {
      if (!seasonal || mb.includes_season) continue;
      for (std::size_t j = 0; j < static_cast<std::size_t>(h); ++j) {
        const double s = dec.at(n + j);
        if (positive) {
          mb.mean[j] *= s;
          mb.sd[j] *= s;
        } else {
          mb.mean[j] += s;
        }
      }
    }
    if (out.model.method == "drift") {
      mean = members[0].mean;
      sd = members[0].sd;
    } else {
      // Equal-weight combination; its spread is the average of the members' (their errors move together).
      mean.assign(static_cast<std::size_t>(h), 0.0);
      sd.assign(static_cast<std::size_t>(h), 0.0);
      for (const auto& mb : members) {
        for (int j = 0; j < h; ++j) {
          mean[static_cast<std::size_t>(j)] +=
              mb.mean[static_cast<std::size_t>(j)] / static_cast<double>(members.size());
          sd[static_cast<std::size_t>(j)] += mb.sd[static_cast<std::size_t>(j)] / static_cast<double>(members.size());
        }
        out.model.members.push_back(mb.name);
      }
      out.model.method = members.size() > 1 ? "combination" : "ets";
      std::string list;
      for (const auto& mb : members) list += (list.empty() ? "" : ", ") + mb.name;
      out.model.name = members.size() > 1 ? "Mean of " + list : list;
    }
    if (seasonal) {
      const bool own_season =
          std::any_of(members.begin(), members.end(), [](const Member& mb) { return mb.includes_season; });
      out.model.name +=
          own_season ? " (seasonal ETS; the others on additively deseasonalised data, period " + std::to_string(m) + ")"
                     : std::string(" on ") + (positive ? "multiplicatively" : "additively") +
                           " deseasonalised data (period " + std::to_string(m) + ")";
      if (own_season) out.model.seasonal_adjustment = "ets";
      add_param(out.model, "seasonal_acf", acf_m);
    }
  }
  out.mean = mean;
  out.lower80.resize(static_cast<std::size_t>(h));
  out.upper80.resize(static_cast<std::size_t>(h));
  out.lower95.resize(static_cast<std::size_t>(h));
  out.upper95.resize(static_cast<std::size_t>(h));
  for (std::size_t j = 0; j < static_cast<std::size_t>(h); ++j) {
    out.mean[j] = clamp_to(mean[j], options.domain);
    out.lower80[j] = clamp_to(mean[j] - kZ80 * sd[j], options.domain);
    out.upper80[j] = clamp_to(mean[j] + kZ80 * sd[j], options.domain);
    out.lower95[j] = clamp_to(mean[j] - kZ95 * sd[j], options.domain);
    out.upper95[j] = clamp_to(mean[j] + kZ95 * sd[j], options.domain);
  }
  return out;
}

int choose_period(const Vec& y, const ForecastOptions& options) {
  if (options.seasonal_period > 1) return options.seasonal_period;
  if (options.seasonal_period == 1) return 1;
  return std::max(1, detect_period(y, static_cast<int>(std::min<std::size_t>(y.size() / 3, 366))));
}

}  // namespace

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

double mase(const std::vector<double>& history, const std::vector<double>& actual, const std::vector<double>& predicted,
            int m) {
  std::size_t lag = m > 1 && history.size() > static_cast<std::size_t>(m) ? static_cast<std::size_t>(m) : 1;
  double scale = 0;
  std::size_t count = 0;
  for (std::size_t t = lag; t < history.size(); ++t, ++count) scale += std::fabs(history[t] - history[t - lag]);
  scale = count ? scale / static_cast<double>(count) : 0.0;
  double err = 0;
  const std::size_t h = std::min(actual.size(), predicted.size());
  for (std::size_t j = 0; j < h; ++j) err += std::fabs(actual[j] - predicted[j]);
  if (!h) return 0;
  err /= static_cast<double>(h);
  if (!(scale > 0)) return err > 0 ? std::numeric_limits<double>::infinity() : 0.0;
  return err / scale;
}

Forecast forecast(const std::vector<double>& values, const ForecastOptions& options) {
  if (values.size() < 3) throw std::invalid_argument("at least 3 values are needed to forecast");
  for (double v : values)
    if (!std::isfinite(v)) throw std::invalid_argument("every value must be a finite number");
  if (options.horizon < 1) throw std::invalid_argument("the horizon must be at least 1");

  // Long series are fitted on their recent past (a whole number of seasons when seasonal).
  // The period is looked for in the most recent points only, where a long series is fitted.
  const std::size_t recent =
      options.max_fit_window >= 16 ? std::min(values.size(), options.max_fit_window) : values.size();
  const int m = choose_period(Vec(values.end() - static_cast<std::ptrdiff_t>(recent), values.end()), options);
  std::size_t window = values.size();
  if (options.max_fit_window >= 16 && window > options.max_fit_window) {
    window = options.max_fit_window;
    if (m > 1) window = std::max<std::size_t>(window / static_cast<std::size_t>(m), 3) * static_cast<std::size_t>(m);
    window = std::min(window, values.size());
  }
  const Vec y(values.end() - static_cast<std::ptrdiff_t>(window), values.end());
  Forecast out = forecast_window(y, options, m);
  if (window < values.size())
    out.model.note += std::string(out.model.note.empty() ? "" : " ") + "Fitted on the most recent " +
                      std::to_string(window) + " of " + std::to_string(values.size()) + " points.";

  // Rolling-origin backtest on the series itself, with the same period.
  if (options.backtest_origins > 0) {
    const int hb = options.backtest_horizon > 0 ? options.backtest_horizon : options.horizon;
    const std::size_t n = y.size();
    // A seasonal model is backtested with the three seasons its test needs; others from 5 points.
    const std::size_t min_train = out.seasonal ? std::max<std::size_t>(5, 3 * static_cast<std::size_t>(m)) : 5;
    int origins = options.backtest_origins;
    int horizon = hb;
    // Shrink the horizon, then the number of origins, until every origin keeps enough history.
    while (horizon > 1 && n < min_train + static_cast<std::size_t>(horizon)) --horizon;
    while (origins > 0 && n < min_train + static_cast<std::size_t>(horizon + origins - 1)) --origins;
    if (origins > 0 && n >= min_train + static_cast<std::size_t>(horizon)) {
      ForecastOptions inner;
      inner.horizon = horizon;
      inner.seasonal_period = m;
      inner.domain = options.domain;
      inner.max_fit_window = 0;
      const std::size_t step = std::max<std::size_t>(
          1,
          std::min<std::size_t>(static_cast<std::size_t>(horizon), (n - min_train - static_cast<std::size_t>(horizon)) /
                                                                       static_cast<std::size_t>(origins)));
      double s = 0, ma = 0, ns = 0;
      int scored = 0;
      for (int o = 0; o < origins; ++o) {
        const std::size_t end = n - static_cast<std::size_t>(horizon) - static_cast<std::size_t>(o) * step;
        if (end < min_train) break;
        const Vec train(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(end));
        const Vec actual(y.begin() + static_cast<std::ptrdiff_t>(end),
                         y.begin() + static_cast<std::ptrdiff_t>(end) + horizon);
        const Forecast f = forecast_window(train, inner, m);
        s += smape(actual, f.mean);
        const double ms = mase(train, actual, f.mean, m);
        ma += std::isfinite(ms) ? ms : 0.0;
        ns += smape(actual, Vec(static_cast<std::size_t>(horizon), train.back()));
        ++scored;
      }
      if (scored > 0) {
        out.backtest.origins = scored;
        out.backtest.horizon = horizon;
        out.backtest.smape = s / scored;
        out.backtest.mase = ma / scored;
        out.backtest.naive_smape = ns / scored;
      }
    }
  }
  return out;
}

}  // namespace pmkpi::forecast
