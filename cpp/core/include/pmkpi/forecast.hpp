#pragma once
// The forecasting and pattern-analysis engine: pure computation on a series of numbers. The routes
// /predict/metric, /analyze/pattern and /predict/bulk and the M3 benchmark call these functions.

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace pmkpi::forecast {

/** Range the forecasts of a metric must stay in (from the catalog's value_domain). */
struct Domain {
  std::optional<double> lower, upper;
};

/** Domain of a catalog value_domain key: percentage [0,100], non_negative [0,inf), score [-100,100]. */
Domain domain_of(const std::string& value_domain);

struct ForecastOptions {
  int horizon = 3;
  int seasonal_period = 0;            // 0: detect it from the values (the routes pass the timestamps' one)
  int backtest_origins = 0;           // rolling origins scored on the series itself; 0 skips the backtest
  int backtest_horizon = 0;           // 0: the forecast horizon (capped so that every origin has history)
  std::size_t max_fit_window = 4000;  // longer series are fitted on their most recent points
  int calibration_origins = 1;        // refits whose out-of-sample errors calibrate the intervals (0: in-sample only)
  Domain domain;
};

struct Backtest {
  int origins = 0;  // origins actually scored (0: not enough history)
  int horizon = 0;
  double smape = 0;        // mean sMAPE over origins and horizons, in percent
  double mase = 0;         // scaled by the in-sample mean absolute seasonal difference
  double naive_smape = 0;  // the same origins forecast by the last value, for comparison
};

/** How the forecast was made; its JSON name is name_of(Method). */
enum class Method { Combination, Ets, Drift, Constant };
/** How seasonality was handled; its JSON name is name_of(SeasonalAdjustment). */
enum class SeasonalAdjustment { None, Multiplicative, Additive, Ets };

/**
 * The shape of the 80% and 95% ranges: symmetric around the forecast, or log-normal (for a series
 * whose every value is positive and whose ETS model, chosen by AICc, has errors in proportion to
 * its level: a range then reaches further above the forecast than below it and never down to
 * zero). Its JSON name is name_of(IntervalShape).
 */
enum class IntervalShape { Symmetric, LogNormal };

/** "combination", "ets", "drift", "constant". */
const char* name_of(Method method);
/** "none", "multiplicative", "additive", "ets". */
const char* name_of(SeasonalAdjustment adjustment);
/** "symmetric", "log_normal". */
const char* name_of(IntervalShape shape);

struct ModelInfo {
  std::string name;  // e.g. "Weighted mean of ETS (AICc-weighted, best ETS(M,A,M)), Theta, DOTM, CES,
                     // ARIMA(0,1,1) with drift (seasonal ETS; the others on multiplicatively
                     // deseasonalised data, period 12)"
  Method method = Method::Ets;
  std::vector<std::string> members;                        // the models combined
  std::string selected_ets;                                // ETS model chosen by AICc, e.g. "ETS(A,Ad,N)"
  std::vector<std::pair<std::string, double>> parameters;  // alpha, beta, phi, theta_drift, sigma, aicc, ...
  SeasonalAdjustment seasonal_adjustment = SeasonalAdjustment::None;
  IntervalShape interval_shape = IntervalShape::Symmetric;
  std::size_t fitted_points = 0;  // points used for the fit (the most recent ones for long series)
  std::string note;               // e.g. why a fallback was used
  std::string explanation;        // how the forecast was made, in plain words
};

/**
 * The point forecast taken apart, per future period: level + trend + season + bound = mean. The
 * level is where the series stands now (deseasonalised), the trend what the models add to it by
 * that period, the season the repeating pattern's part, and the bound what the metric's range
 * (never below zero, at most 100%) took off or added.
 */
struct Components {
  std::vector<double> level, trend, season, bound;
};

struct Forecast {
  std::vector<double> mean, lower80, upper80, lower95, upper95;
  int seasonal_period = 1;  // period used (1: none)
  bool seasonal = false;    // whether the seasonality test passed and the model used it
  ModelInfo model;
  Components components;
  Backtest backtest;
  double residual_sd = 0;  // in-sample one-step residual standard deviation
};

/**
 * Forecasts `values` `options.horizon` steps ahead: the ETS models (errors A/M; trend N/A/Ad; their
 * own season when the 90% seasonality test passes) weighted by their AICc, and the Theta method,
 * DOTM, CES and an automatic ARIMA on the seasonally adjusted data, combined with weights from their
 * in-sample errors; 80% and 95% intervals. Needs at least 3 finite values; throws
 * std::invalid_argument otherwise.
 */
Forecast forecast(const std::vector<double>& values, const ForecastOptions& options);

/** sMAPE (percent) and MASE of a forecast against actuals, MASE scaled on `history` at lag `m`. */
double smape(const std::vector<double>& actual, const std::vector<double>& predicted);
double mase(const std::vector<double>& history, const std::vector<double>& actual, const std::vector<double>& predicted,
            int m);
/**
 * The mean scaled interval score of a (1 - alpha) interval (M4's MSIS): its width plus 2 / alpha
 * times how far each actual fell outside it, over the horizons, scaled as MASE is.
 */
double msis(const std::vector<double>& history, const std::vector<double>& actual, const std::vector<double>& lower,
            const std::vector<double>& upper, int m, double alpha);

// ---- pattern analysis -------------------------------------------------------------------------

struct ChangePoint {
  std::size_t index = 0;                   // first index of the new segment
  double mean_before = 0, mean_after = 0;  // level just before and after (segment fits at the break)
};

struct Anomaly {
  std::size_t index = 0;
  double value = 0, expected = 0, z_score = 0;
};

struct PatternOptions {
  int seasonal_period = 0;  // 0: detect
  double significance = 0.05;
  bool events = true;  // false: no change points and anomalies (the forecast routes need the trend only)
};

struct Pattern {
  std::size_t n = 0;
  // the reference's figures (METRICS.md)
  double ols_slope = 0, volatility_value = 0, average = 0, recent_average = 0, std_dev = 0;
  // scale-free trend test
  double mk_s = 0, mk_z = 0, mk_p_value = 1, kendall_tau = 0;
  double sen_slope = 0, sen_slope_percent = 0;  // per period, and relative to the mean level (percent)
  bool sen_exact = true;  // false when estimated on a deterministic sample of pairs (very long series)
  std::string trend;      // increasing | decreasing | stable
  // seasonality
  int seasonal_period = 0;  // 0: none found / tested
  double seasonal_acf = 0, seasonal_strength = 0, seasonal_threshold = 0;
  bool seasonal_detected = false;
  std::string seasonality_source;  // given | detected | none
  std::vector<ChangePoint> change_points;
  std::size_t change_point_resolution = 1;  // >1 when segmentation ran on block means of that size
  std::vector<Anomaly> anomalies;
  // growth
  std::optional<double> last_change_percent;      // last over previous value
  std::optional<double> mean_change_percent;      // mean period-over-period change
  std::optional<double> compound_growth_percent;  // per period, first to last (positive values only)
  double total_change = 0;
};

/** Analyses a series of at least 3 finite values. Linear-time apart from sorting (100,000 points in ms). */
Pattern analyze_pattern(const std::vector<double>& values, const PatternOptions& options);

/**
 * The seasonal period found from the values alone (0 when none is significant): of the periods 2 to
 * max_period (at most a third of the series), the one whose seasonal means, on the series detrended by
 * a centred moving average of that order (of log values when all are positive), pass an F test most
 * clearly; then its multiples and divisors are compared by nested F tests (two peaks a year are still
 * period 12, a cycle of 24 repeating every 12 is 12). Long series: the most recent 20,000 points.
 */
int detect_period(const std::vector<double>& values, int max_period = 366);

// ---- timestamps -------------------------------------------------------------------------------

/** A parsed ISO 8601 timestamp: seconds since the epoch (UTC), and how it was written. */
struct Timestamp {
  long long epoch_seconds = 0;
  bool date_only = false;
  int offset_minutes = 0;  // the written offset (0 for Z or none)
  std::string zone;        // "Z", "+02:00", or "" when none was written
};

/** Parses "2024-01-01", "2024-01-01T00:00:00", with optional fraction and Z or +hh:mm. */
std::optional<Timestamp> parse_timestamp(const std::string& text);

struct Frequency {
  std::string name;         // hourly | daily | weekly | monthly | quarterly | yearly | irregular
  int seasonal_period = 1;  // 24, 7, 52, 12, 4, 1
  int months = 0;           // calendar step for monthly/quarterly/yearly
  long long seconds = 0;    // fixed step otherwise (median spacing)
};

/** Frequency of increasing timestamps from their median spacing. */
Frequency infer_frequency(const std::vector<Timestamp>& stamps);

/** The `count` timestamps that continue the series, written like the last one. */
std::vector<std::string> continue_timestamps(const std::vector<Timestamp>& stamps, const Frequency& f, int count);

}  // namespace pmkpi::forecast
