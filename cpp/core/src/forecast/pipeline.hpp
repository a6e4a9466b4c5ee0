#pragma once
// The steps of the forecasting pipeline (internal to the core): seasonal adjustment, member fits,
// combination, domain and backtest. engine.cpp runs them in that order.

#include <string>
#include <vector>

#include "internal.hpp"
#include "pmkpi/forecast.hpp"

namespace pmkpi::forecast::detail {

/** The normal quantiles of the 80% and 95% intervals. */
inline constexpr double kZ80 = 1.2815515655446004, kZ95 = 1.959963984540054;

/** The end point of each ETS model's fit, by model name: where a refit on a shorter window starts. */
using WarmStarts = std::vector<std::pair<std::string, Vec>>;

/** What a refit on a shorter window takes from the fit on the whole: its decisions and its optimum. */
struct Refit {
  WarmStarts starts;
  bool seasonal = false;  // the seasonal adjustment is kept (no test, no contest on the shorter window)
  double acf_m = 0;
  double parameters = 0;    // what the whole series' fit estimated (Member::parameters of its ETS member)
  bool log_normal = false;  // the answer's ranges are log-normal: the refits' errors are measured in log terms
};

/** One forecast combined into the answer. */
struct Member {
  std::string name;
  Vec mean, sd;
  bool includes_season = false;  // a seasonal ETS model forecasts the season itself
  /**
   * In-sample forecasts with the fitted parameters: row t - first holds the forecasts of the h values
   * after index t, made from the states after y[t] (t from `first` to n - 2), in the member's space.
   */
  Vec path{};
  std::size_t first = 0;
  double tail = 1;          // the 95% interval's half-width over 1.96 sd: errors' tails heavier than the normal's
  double level = 0;         // where the forecast starts (the last smoothed level, deseasonalised)
  Vec season{};             // the seasonal part of each point forecast (empty: none)
  double weight = 0;        // its weight in the combination (0: not measured, the members weigh the same)
  bool log_normal = false;  // its ranges are log-normal (of the same mean and variance): errors in proportion
  double parameters = 0;    // the ETS member: its best model's parameters and a removed season's indices
};

/** The standard deviation of log(Y) for a log-normal Y of this mean and standard deviation. */
inline double log_normal_sd(double mean, double sd) {
  const double relative = sd / mean;
  return std::sqrt(std::log1p(relative * relative));
}

/** The series with its seasonality removed, when the 90% test at the period passes. */
struct Adjusted {
  bool seasonal = false;
  bool multiplicative = false;  // positive series: divided by the indices; otherwise the indices subtracted
  int m = 1;
  double acf_m = 0;
  Decomposition decomposition;
  Vec z;  // the adjusted series (the series itself when not seasonal)
};

/** Seasonal adjustment at period m (the trend is removed first when it hides the seasonal correlation). */
Adjusted adjust_seasonally(const Vec& y, int m);
/** The series as it is (no seasonal adjustment). */
Adjusted unadjusted(const Vec& y, int m);
/** The adjustment made whatever the test says (a given period whose seasonal models won). */
Adjusted force_seasonal(const Vec& y, int m, double acf_m);

/**
 * Whether seasonal ETS models of period m can be fitted on n points within the work a request may
 * cost: one likelihood evaluation runs m + 2 linear systems through the series and sums their
 * (m + 2)^2 products (n (m + 2)^2 at most 4,000,000: period 52 on 1,300 points, period 220 on 80).
 */
inline bool seasonal_fit_affordable(std::size_t n, int m) {
  const double systems = m + 2.0;
  return static_cast<double>(n) * systems * systems <= 4e6;
}

/** How a given period that failed the autocorrelation test fared against the non-seasonal models. */
struct SeasonalContest {
  bool held = false;  // whether both sides could be fitted
  bool seasonal_won = false;
  double seasonal_aicc = 0, plain_aicc = 0;
};
/**
 * Seasonal ETS models (additive season; trend N, A, Ad) against the non-seasonal ones, all on the
 * series itself, by AICc: a period the user or the timestamps give competes instead of being dropped.
 */
SeasonalContest contest_season(const Vec& y, int m);
/** The adjusted forecasts of `members` given their season back (members that forecast it themselves skipped). */
void reseasonalise(const Adjusted& a, std::size_t n, std::vector<Member>& members);

/**
 * The members fitted on the adjusted series: the ETS candidates (errors A and M; no, additive and
 * damped trend) averaged with Akaike weights (Kolassa 2011), and the Theta method. With additive
 * seasonality (series with zeros or negatives) the ETS models carry the seasonal states themselves,
 * fitted on the original series `y`.
 */
std::vector<Member> fit_members(const Vec& y, const Adjusted& a, int h, ModelInfo& info, double& residual_sd,
                                const WarmStarts* warm = nullptr, WarmStarts* record = nullptr);
/** The drift (random walk with drift) method, for a series too short for the models. */
Member drift_member(const Vec& y, int h, ModelInfo& info);

/** The in-sample forecasts of an ETS fit on the series it was fitted on (see Member::path). */
Vec ets_path(const EtsFit& fit, const Vec& y, int h, std::size_t first);
/** The in-sample forecasts of the Theta method on z (its SES level path, the fitted drift). */
Vec theta_path(const ThetaFit& theta, const EtsFit& ses, const Vec& z, int h, std::size_t first);
/** The first origin of the in-sample paths: recent origins only on a long series (a bound on the work). */
std::size_t path_first(std::size_t n, int m);
/**
 * The members' combination by their weights (equal when any is 0): the weighted mean forecast, and
 * the mixture's spread (the weighted mean of the members' variances plus their forecasts' spread
 * around the combination). Names the model after its members and records the weights.
 */
Member combine(const std::vector<Member>& members, int h, ModelInfo& info);
/**
 * Weighs the members by how well they forecast y's own past: the inverse of each one's mean
 * absolute error, relative to the sum of the actual and forecast values (half the sMAPE), over every
 * origin of its in-sample paths and every horizon (weights summing to 1). Leaves the weights at 0
 * (equal) when a member has no path.
 */
void weigh_members(const Vec& y, const Adjusted& a, std::vector<Member>& members);
/** Whether weigh_members measured every member's weight. */
bool weights_measured(const std::vector<Member>& members);
/** The weights the combination uses: the members' own, or equal ones when any was not measured. */
Vec combination_weights(const std::vector<Member>& members);
/**
 * Calibrates the combination's spread on the combined in-sample forecasts' errors at every horizon
 * (empirical prediction intervals): the spread is widened where the models' analytic one is too
 * narrow for the errors the series itself shows. Returns the scale applied (1 when none).
 */
double calibrate(const Vec& y, const Adjusted& a, const std::vector<Member>& members, Member& combined);

/**
 * The out-of-sample scale of the intervals: the pipeline refitted at options.calibration_origins
 * rolling origins of y, its errors measured in units of its own spread and weighed with
 * expected_scale(), and the t quantiles' heavier tails (factors 1 when the series is too short for
 * an origin).
 */
struct IntervalScale {
  double s80 = 1, s95 = 1;  // the factors the 80% and the 95% half-widths need
  std::size_t errors = 0;   // out-of-sample errors measured
};
IntervalScale out_of_sample_scale(const Vec& y, const ForecastOptions& options, int m, const Refit& refit);

/**
 * What out-of-sample errors are expected to be, as a multiple of in-sample ones, before any is
 * seen: the square root of Akaike's final prediction error factor (n + p) / (n - p), for p
 * parameters fitted on n points (p capped at n / 2): those of the ETS model AICc chose (its
 * smoothing weights and initial states) and the m - 1 indices of a season taken out before it.
 */
double expected_scale(std::size_t n, double parameters);

/**
 * How many origins' worth of errors expected_scale() counts for in out_of_sample_scale(). The errors
 * of one origin alone scattered the calibrated coverage of a series from 63% (its factor 1) to 94%
 * (1.5 or more) on M1 yearly; on M3 and M1, 4, 8 and 16 score within 1% of one another on MSIS.
 */
inline constexpr double kPriorOrigins = 8;

void add_param(ModelInfo& info, const std::string& key, double v);

/**
 * Rolling-origin backtest of the pipeline on `y` itself, at period m (no origin when too short). With
 * `refit`, each origin keeps the whole series' seasonal decision and refits its weighted models from
 * their optimum (a bound on the work of a request: the point forecasts it scores are refitted).
 */
Backtest backtest(const Vec& y, const ForecastOptions& options, int m, bool seasonal, const Refit* refit = nullptr);

/** How the forecast was made, in plain words (ModelInfo::explanation). */
std::string explain(const Forecast& f);

/** The pipeline on one window of the series (no backtest, no long-series window). */
Forecast forecast_window(const Vec& y, const ForecastOptions& options, int m, const Refit* refit = nullptr,
                         Refit* record = nullptr);

}  // namespace pmkpi::forecast::detail
