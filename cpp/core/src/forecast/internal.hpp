#pragma once
// Building blocks of the forecasting engine (internal to the core).

#include <cmath>
#include <functional>
#include <string>
#include <vector>

namespace pmkpi::forecast::detail {

using Vec = std::vector<double>;

double mean_of(const Vec& y, std::size_t from = 0, std::size_t to = static_cast<std::size_t>(-1));
double median_of(Vec v);  // by value: partially sorts its copy
/**
 * The sum as numpy's pairwise summation computes it (np.sum / np.mean of a float64 array): fewer
 * than 8 values one by one from 0.0, up to 128 in 8 interleaved accumulators, longer halves
 * recursively (METRICS.md, "Operation order").
 */
double numpy_sum(const double* a, std::size_t n);
/** numpy.mean of y[from, to). */
double numpy_mean(const Vec& y, std::size_t from = 0, std::size_t to = static_cast<std::size_t>(-1));
/**
 * The slope of scikit-learn's LinearRegression of y on 0..n-1, bit for bit: x and y centred by
 * numpy's means, then LAPACK's gelsd on the one centred column (a Householder reflection, the
 * reflected right-hand side times 1/beta).
 */
double sklearn_slope(const Vec& y);
/** OLS slope and intercept of y on 0..n-1. */
void ols_line(const Vec& y, double& intercept, double& slope);
/** Autocorrelations r_1..r_maxlag (index 0 holds 1). */
Vec acf(const Vec& y, int max_lag);
/** The 90% one-sided test of seasonality at lag m used by the M4 benchmarks (needs n >= 3m). */
bool seasonality_test(const Vec& y, int m, double* acf_m = nullptr, double* threshold = nullptr);

/** Classical decomposition: seasonal indices (one per phase, phase 0 = index 0 of y). */
struct Decomposition {
  bool multiplicative = true;
  Vec indices;  // size m; multiplicative ones average 1, additive ones 0
  double at(std::size_t t) const { return indices[t % indices.size()]; }
};
/**
 * How the indices are estimated from each phase's detrended ratios (or differences): with
 * discount < 1 each season further back counts `discount` times as much as the one after it, so
 * that the indices follow a pattern that changes over the years; with shrink, the deviations from
 * no season are shrunk by the positive-part James-Stein factor 1 - (m - 3) s^2 / sum (index - null)^2
 * (s^2 the indices' mean sampling variance; m - 1 free indices, as they sum to the null), so that a
 * few seasons' noise is not forecast as a pattern.
 */
struct IndexEstimate {
  double discount = 1;
  bool shrink = false;
};
Decomposition classical_decomposition(const Vec& y, int m, bool multiplicative, IndexEstimate how = {});
/**
 * The forecasts' seasonal adjustment: each season back counts 0.8 as much (an effective window of
 * about 9 seasons, as X-11's and STL's moving seasonal filters let a pattern change), and the
 * indices are shrunk. sMAPE / MASE on M3 and M1 monthly, equal weights and no shrinking 13.57 /
 * 0.835 and 14.86 / 1.051; shrunk 13.52 / 0.829 and 14.80 / 1.045; shrunk with the discount 0.9,
 * 0.85, 0.8, 0.75, 0.7: 13.50, 13.48, 13.49, 13.51, 13.52 and 1.043, 1.041, 1.039, 1.038, 1.037.
 */
inline constexpr IndexEstimate kForecastIndices{0.8, true};
Vec centred_moving_average(const Vec& y, int m);  // NaN where the window does not fit

/**
 * A sum of logarithms taken as the logarithm of running products (a likelihood's sum of log fitted
 * values: one log per dozens of values instead of one each). Values far from 1 are logged alone, and
 * the product is flushed before it can leave the normal range.
 */
struct LogSum {
  double sum = 0, product = 1;
  void add(double v) {
    if (v > 1e-100 && v < 1e100) {
      product *= v;
      if (product > 1e200 || product < 1e-200) flush();
    } else {
      sum += std::log(v);
    }
  }
  void flush() {
    sum += std::log(product);
    product = 1;
  }
  double total() {
    flush();
    return sum;
  }
};

/** The logistic function: an optimiser's unbounded coordinate mapped into (0, 1). */
inline double sigmoid(double u) { return 1.0 / (1.0 + std::exp(-u)); }

/** Nelder-Mead minimisation of f over R^d from x0 with initial step `step`. */
Vec nelder_mead(const std::function<double(const Vec&)>& f, Vec x0, double step, int max_evals, double tol,
                double* fmin = nullptr);

enum class Trend { None, Additive, Damped };

/** An exponential smoothing model with additive states (l, b, s), fitted by maximum likelihood. */
struct EtsSpec {
  char error = 'A';  // 'A' or 'M'
  Trend trend = Trend::None;
  bool seasonal = false;               // seasonality of period m: additive states,
  bool multiplicative_season = false;  // or a multiplicative season (HKOS class 3, errors 'M')
  int m = 1;
  std::string name() const;
  int smoothing_count() const;
};

struct EtsFit {
  EtsSpec spec;
  bool ok = false;
  double alpha = 0, beta = 0, gamma = 0, phi = 1;
  Vec x0;  // initial l, b, s_1..s_m
  double level = 0, slope = 0;
  Vec season;         // last m seasonal states, season[k] applies to step n+1+k (k < m)
  double sigma2 = 0;  // variance of the one-step errors (relative errors for 'M')
  double loglik = 0, aicc = 0;
  int k = 0;      // estimated parameters, sigma included
  Vec residuals;  // one-step errors y - mu
  Vec u;          // the optimiser's end point (unconstrained parameters): a warm start for a refit
};

/**
 * Fits the model by maximum likelihood. From `warm` (the end point of a fit of the same model on
 * more of the series) only the finer of the two Nelder-Mead passes runs.
 */
EtsFit fit_ets(const Vec& y, const EtsSpec& spec, const Vec* warm = nullptr);
/** Point forecasts and forecast-error standard deviations for h steps. */
void ets_forecast(const EtsFit& fit, int h, Vec& mean, Vec& sd);

/** The smoothing parameters an optimiser's point u stands for (alpha, beta <= alpha, gamma <= 1 - alpha, phi). */
struct EtsParams {
  double alpha = 0.1, beta = 0, gamma = 0, phi = 1;
};
EtsParams ets_params(const EtsSpec& spec, const Vec& u);
/** The optimiser's search for u: two Nelder-Mead passes, or the finer one only from `warm`. */
Vec ets_minimum(const std::function<double(const Vec&)>& objective, const EtsSpec& spec, const Vec* warm, double& best);
/** sigma2, the log-likelihood and the AICc from the sums of a fit with residuals and k set. */
void ets_likelihood(EtsFit& fit, double sse, double sum_log_mu);

/**
 * ETS(M,N,M), ETS(M,A,M) or ETS(M,Ad,M): the season multiplies the level, and its states are smoothed
 * with the level and trend. The initial season is `indices` (a classical decomposition of y, phase 0
 * at y[0]), the initial level and slope a line through the first two seasons of the adjusted values;
 * the smoothing parameters are fitted by maximum likelihood.
 */
EtsFit fit_ets_multiplicative_season(const Vec& y, const EtsSpec& spec, const Vec& indices, const Vec* warm = nullptr);
Vec multiplicative_season_path(const EtsFit& fit, const Vec& y, int h, std::size_t first);

struct ThetaFit {
  bool ok = false;
  double alpha = 0, level = 0, drift = 0, sigma2 = 0;
  std::size_t n = 0;
};
/** The Theta method (Assimakopoulos & Nikolopoulos; Hyndman & Billah's SES-with-drift form). */
ThetaFit fit_theta(const Vec& y, const EtsFit& ses);
void theta_forecast(const ThetaFit& fit, int h, Vec& mean, Vec& sd);

/** DOTM's states after t values: the level, the values' mean, the line's intercept a and slope b. */
struct DotmState {
  double level = 0, mean = 0, a = 0, b = 0, keep = 1;  // keep = (1 - alpha)^t
  std::size_t t = 0;
};
struct DotmFit {
  bool ok = false;
  double alpha = 0, theta = 2, l0 = 0;
  DotmState state;  // after the last value
  double sigma2 = 0;
  Vec u;  // where the minimisation ended: a refit's start
};
/** The dynamic optimised Theta model, its parameters by least squares; from `warm`, a short local search. */
DotmFit fit_dotm(const Vec& y, const Vec* warm = nullptr);
void dotm_forecast(const DotmFit& fit, int h, Vec& mean, Vec& sd);
/** In-sample forecasts from every origin from `first` on, as Member::path holds them. */
Vec dotm_path(const DotmFit& fit, const Vec& z, int h, std::size_t first);

struct ArimaFit {
  bool ok = false;
  int p = 0, d = 0, q = 0;
  bool constant = false;
  double c = 0;  // the constant of the differenced series: a mean (d = 0) or a drift (d = 1)
  double phi[2] = {0, 0}, theta[2] = {0, 0};
  double sigma2 = 0, aicc = 0;
  Vec w, e;                            // the differenced series and its residuals
  double z_last = 0, change_last = 0;  // the series' last value and last change (to integrate)
  /** What a refit keeps: p, d, q and whether there is a constant. */
  Vec order() const {
    return {static_cast<double>(p), static_cast<double>(d), static_cast<double>(q), constant ? 1.0 : 0.0};
  }
};
/**
 * Automatic ARIMA(p, d, q) with p, q <= 2: d by KPSS tests, the orders by AICc, each estimated by
 * Hannan-Rissanen regression. With `order` (a longer fit's order()) only that model is fitted.
 */
ArimaFit fit_arima(const Vec& z, const Vec* order = nullptr);
void arima_forecast(const ArimaFit& fit, int h, Vec& mean, Vec& sd);
/** In-sample forecasts from every origin from `first` on, as Member::path holds them. */
Vec arima_path(const ArimaFit& fit, const Vec& z, int h, std::size_t first);

struct CesFit {
  bool ok = false;
  double a0 = 0, a1 = 0, l0 = 0, c0 = 0, level = 0, potential = 0, sigma2 = 0;
  Vec u;  // where the minimisation ended (initial states over the series' scale): a refit's start
};
/**
 * Complex exponential smoothing without a season, by least squares (initial states included);
 * from `warm` (a longer fit's u), only a short local search.
 */
CesFit fit_ces(const Vec& y, const Vec* warm = nullptr);
void ces_forecast(const CesFit& fit, int h, Vec& mean, Vec& sd);
/** In-sample forecasts from every origin from `first` on, as Member::path holds them. */
Vec ces_path(const CesFit& fit, const Vec& z, int h, std::size_t first);

}  // namespace pmkpi::forecast::detail
