// The members of the forecast combination: ETS models weighted by their AICc, the Theta method, the
// dynamic optimised Theta model, complex exponential smoothing, automatic ARIMA, and the drift method
// for series too short for them.
#include <algorithm>
#include <cmath>

#include "pipeline.hpp"

namespace pmkpi::forecast::detail {
namespace {

constexpr Trend kTrends[] = {Trend::None, Trend::Additive, Trend::Damped};

/** Where a refit of the model `name` starts: the end point of its longer fit (nullptr: none recorded). */
const Vec* recorded(const WarmStarts* warm, const std::string& name) {
  if (!warm) return nullptr;
  for (const auto& [model, u] : *warm)
    if (model == name) return &u;
  return nullptr;
}

const Vec* warm_start(const WarmStarts* warm, const EtsSpec& spec) { return recorded(warm, spec.name()); }

/**
 * Fits the candidates. A refit (warm starts given) fits only the models that carried weight in the
 * longer fit, each from where that fit ended, or all of them when none of these did.
 */
std::vector<EtsFit> fit_candidates(const Vec& x, const std::vector<EtsSpec>& specs, const WarmStarts* warm,
                                   const Vec* indices = nullptr) {
  const bool refit = std::any_of(specs.begin(), specs.end(), [&](const EtsSpec& s) { return warm_start(warm, s); });
  std::vector<EtsFit> fits;
  for (const auto& s : specs) {
    const Vec* start = warm_start(warm, s);
    if (refit && !start) continue;
    EtsFit f = s.multiplicative_season ? fit_ets_multiplicative_season(x, s, *indices, start) : fit_ets(x, s, start);
    if (f.ok) fits.push_back(std::move(f));
  }
  return fits;
}

/** The non-seasonal ETS candidates on z (multiplicative errors only for a positive series), or SES alone. */
std::vector<EtsFit> fit_nonseasonal(const Vec& z, const WarmStarts* warm = nullptr, bool ses_only = false) {
  const bool positive = std::all_of(z.begin(), z.end(), [](double v) { return v > 0; });
  std::vector<EtsSpec> specs;
  for (Trend t : kTrends)
    for (char err : {'A', 'M'}) {
      if ((err == 'M' && !positive) || (ses_only && (err == 'M' || t != Trend::None))) continue;
      EtsSpec spec;
      spec.error = err;
      spec.trend = t;
      specs.push_back(spec);
    }
  return fit_candidates(z, specs, warm);
}

/** The seasonal ETS candidates on the original series y at period m (additive states, or a multiplicative season). */
std::vector<EtsFit> fit_seasonal(const Vec& y, int m, const WarmStarts* warm = nullptr,
                                 const Vec* multiplicative_indices = nullptr) {
  std::vector<EtsSpec> specs;
  for (Trend t : kTrends) {
    EtsSpec spec;
    spec.trend = t;
    spec.seasonal = true;
    spec.m = m;
    if (multiplicative_indices) {
      spec.error = 'M';
      spec.multiplicative_season = true;
    }
    specs.push_back(spec);
  }
  if (warm && multiplicative_indices &&
      std::none_of(specs.begin(), specs.end(), [&](const EtsSpec& s) { return warm_start(warm, s); }))
    return {};  // a refit keeps the longer fit's choice of the deseasonalised models
  return fit_candidates(y, specs, warm, multiplicative_indices);
}

const EtsFit* best_of(const std::vector<EtsFit>& fits) {
  const EtsFit* best = nullptr;
  for (const auto& f : fits)
    if (!best || f.aicc < best->aicc) best = &f;
  return best;
}

const EtsFit* ses_of(const std::vector<EtsFit>& fits) {
  const EtsFit* ses = nullptr;
  for (const auto& f : fits)
    if (f.spec.error == 'A' && f.spec.trend == Trend::None) ses = &f;
  return ses;
}

/**
 * The Akaike-weighted mean of the fits' forecasts and of their in-sample paths on `series` (the one
 * they were fitted on) from origin `first`; their weights and the best one's parameters in info.
 */
Member weighted_ets(const std::vector<EtsFit>& fits, const EtsFit& best, int h, const Vec& series, std::size_t first,
                    ModelInfo& info) {
  const std::size_t steps = static_cast<std::size_t>(h);
  Member ets{"ETS", Vec(steps, 0.0), Vec(steps, 0.0)};
  ets.first = first;
  double total = 0;
  for (const auto& f : fits) total += std::exp(-0.5 * (f.aicc - best.aicc));
  Vec mean, sd;
  for (const auto& f : fits) {
    const double raw = std::exp(-0.5 * (f.aicc - best.aicc));
    const double w = raw / total;
    const Vec path = ets_path(f, series, h, first);
    if (ets.path.empty()) ets.path.assign(path.size(), 0.0);
    for (std::size_t i = 0; i < path.size() && i < ets.path.size(); ++i) ets.path[i] += raw * path[i];
    ets_forecast(f, h, mean, sd);
    for (std::size_t j = 0; j < steps; ++j) {
      ets.mean[j] += w * mean[j];
      ets.sd[j] += w * sd[j];
    }
    ets.level += w * f.level;
    if (!f.season.empty()) {
      ets.season.resize(steps, 0.0);
      for (std::size_t j = 0; j < steps; ++j) {
        const double s = f.season[j % f.season.size()];
        ets.season[j] += w * (f.spec.multiplicative_season ? mean[j] * (1 - 1 / s) : s);
      }
    }
    add_param(info, "weight " + f.spec.name(), w);
  }
  for (auto& v : ets.path) v /= total;
  ets.name = fits.size() > 1 ? "ETS (AICc-weighted, best " + best.spec.name() + ")" : best.spec.name();
  info.selected_ets = best.spec.name();
  add_param(info, "ets_alpha", best.alpha);
  if (best.spec.trend != Trend::None) add_param(info, "ets_beta", best.beta);
  if (best.spec.trend == Trend::Damped) add_param(info, "ets_phi", best.phi);
  add_param(info, "ets_aicc", best.aicc);
  return ets;
}

/** A member appended to `members`, its forecasts and path still to be written. */
Member& add_member(std::vector<Member>& members, const std::string& name, double level, std::size_t n, int m) {
  Member& member = members.emplace_back(Member{name, {}, {}});
  member.level = level;
  member.first = path_first(n, m);
  return member;
}

double rms(const Vec& e) {
  double s2 = 0;
  for (double v : e) s2 += v * v;
  return std::sqrt(s2 / static_cast<double>(e.size()));
}

}  // namespace

SeasonalContest contest_season(const Vec& y, int m) {
  SeasonalContest c;
  const EtsFit* plain = nullptr;
  const std::vector<EtsFit> plain_fits = fit_nonseasonal(y);
  const std::vector<EtsFit> seasonal_fits = fit_seasonal(y, m);
  plain = best_of(plain_fits);
  const EtsFit* seasonal = best_of(seasonal_fits);
  if (!plain || !seasonal) return c;
  c.held = true;
  c.plain_aicc = plain->aicc;
  c.seasonal_aicc = seasonal->aicc;
  c.seasonal_won = seasonal->aicc < plain->aicc;
  return c;
}

void add_param(ModelInfo& info, const std::string& key, double v) {
  if (std::isfinite(v)) info.parameters.emplace_back(key, v);
}

std::vector<Member> fit_members(const Vec& y, const Adjusted& a, int h, ModelInfo& info, double& residual_sd,
                                const WarmStarts* warm, WarmStarts* record) {
  std::vector<Member> members;
  std::vector<EtsFit> seasonal_fits;
  // Long periods: the additively adjusted series is fitted instead (seasonal states would cost too much).
  if (a.seasonal && !a.multiplicative && seasonal_fit_affordable(y.size(), a.m))
    seasonal_fits = fit_seasonal(y, a.m, warm);
  // A multiplicative season is smoothed by the ETS models themselves (ETS(M,*,M), by AICc), beside
  // the deseasonalised series the other members forecast.
  if (a.seasonal && a.multiplicative) seasonal_fits = fit_seasonal(y, a.m, warm, &a.decomposition.indices);
  const bool ets_seasonal = !seasonal_fits.empty();
  // Where the seasonal models forecast, the adjusted series needs only the SES fit Theta runs from.
  const std::vector<EtsFit> adjusted_fits = fit_nonseasonal(a.z, warm, ets_seasonal);
  const std::vector<EtsFit>& fits = ets_seasonal ? seasonal_fits : adjusted_fits;
  const EtsFit* best = best_of(fits);
  if (!best) return members;
  if (record) {
    // A refit needs the models with an Akaike weight above 1e-3 of the best's, and the SES fit Theta runs from.
    for (const auto& f : fits)
      if (f.aicc - best->aicc < 13.8) record->emplace_back(f.spec.name(), f.u);
    if (const EtsFit* ses = ses_of(adjusted_fits); ses && (ets_seasonal || ses->aicc - best->aicc >= 13.8))
      record->emplace_back(ses->spec.name(), ses->u);
  }
  Member ets = weighted_ets(fits, *best, h, ets_seasonal ? y : a.z, path_first(y.size(), a.m), info);
  ets.includes_season = ets_seasonal;
  ets.log_normal = best->spec.error == 'M';
  ets.parameters = best->k - 1 + (a.seasonal && !ets_seasonal ? a.m - 1 : 0);
  members.push_back(std::move(ets));
  residual_sd = rms(best->residuals);

  // The other members run on the adjusted series. Theta, from its simple exponential smoothing fit.
  if (const EtsFit* ses = ses_of(adjusted_fits)) {
    if (const ThetaFit theta = fit_theta(a.z, *ses); theta.ok) {
      Member& member = add_member(members, "Theta", theta.level, y.size(), a.m);
      theta_forecast(theta, h, member.mean, member.sd);
      member.path = theta_path(theta, *ses, a.z, h, member.first);
      add_param(info, "theta_alpha", theta.alpha);
      add_param(info, "theta_drift", theta.drift);
    }
  }
  // The dynamic optimised Theta model: theta fitted, and the trend line follows the data.
  if (const DotmFit dotm = fit_dotm(a.z, recorded(warm, "DOTM")); dotm.ok) {
    if (record) record->emplace_back("DOTM", dotm.u);
    Member& member = add_member(members, "DOTM", dotm.state.level, y.size(), a.m);
    dotm_forecast(dotm, h, member.mean, member.sd);
    member.path = dotm_path(dotm, a.z, h, member.first);
    add_param(info, "dotm_alpha", dotm.alpha);
    add_param(info, "dotm_theta", dotm.theta);
  }
  // Complex exponential smoothing: a trend that bends with the data, where ETS's is straight or
  // damped and Theta's half the long-run slope.
  if (const CesFit ces = fit_ces(a.z, recorded(warm, "CES")); ces.ok) {
    if (record) record->emplace_back("CES", ces.u);
    Member& member = add_member(members, "CES", ces.level, y.size(), a.m);
    ces_forecast(ces, h, member.mean, member.sd);
    member.path = ces_path(ces, a.z, h, member.first);
    add_param(info, "ces_a0", ces.a0);
    add_param(info, "ces_a1", ces.a1);
  }
  // Automatic ARIMA: the series' own autocorrelations, differenced as the KPSS tests say.
  if (const ArimaFit arima = fit_arima(a.z, recorded(warm, "ARIMA")); arima.ok) {
    if (record) record->emplace_back("ARIMA", arima.order());
    const std::string name = "ARIMA(" + std::to_string(arima.p) + "," + std::to_string(arima.d) + "," +
                             std::to_string(arima.q) + ")" +
                             (arima.constant ? (arima.d == 0 ? " with mean" : " with drift") : "");
    Member& member = add_member(members, name, a.z.back(), y.size(), a.m);
    arima_forecast(arima, h, member.mean, member.sd);
    member.path = arima_path(arima, a.z, h, member.first);
  }
  return members;
}

Member drift_member(const Vec& y, int h, ModelInfo& info) {
  const std::size_t n = y.size();
  const double drift = (y.back() - y.front()) / static_cast<double>(n - 1);
  double s2 = 0;
  for (std::size_t t = 1; t < n; ++t) {
    const double d = y[t] - y[t - 1] - drift;
    s2 += d * d;
  }
  s2 = n > 2 ? s2 / static_cast<double>(n - 2) : 0.0;
  Member member{"Drift", Vec(static_cast<std::size_t>(h)), Vec(static_cast<std::size_t>(h))};
  member.level = y.back();
  for (int j = 1; j <= h; ++j) {
    member.mean[static_cast<std::size_t>(j - 1)] = y.back() + drift * j;
    member.sd[static_cast<std::size_t>(j - 1)] = std::sqrt(s2 * j * (1.0 + j / static_cast<double>(n - 1)));
  }
  info.name = "Random walk with drift";
  info.method = Method::Drift;
  info.members = {"Drift"};
  add_param(info, "drift", drift);
  add_param(info, "sigma", std::sqrt(s2));
  info.note = "Too few points for model selection: the average change is extended.";
  return member;
}

}  // namespace pmkpi::forecast::detail
