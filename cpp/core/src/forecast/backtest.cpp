// Rolling-origin backtest of the forecasting pipeline on the series itself.
#include <algorithm>
#include <cmath>

#include "pipeline.hpp"

namespace pmkpi::forecast::detail {
namespace {

struct Plan {
  int origins = 0, horizon = 0;
  std::size_t min_train = 5, step = 1;
};

/** Shrinks the horizon, then the number of origins, until every origin keeps enough history. */
Plan plan_for(std::size_t n, const ForecastOptions& options, int m, bool seasonal) {
  Plan p;
  // A seasonal model is backtested with the 2 seasons and 4 points its fit needs; others from 5 points.
  p.min_train = seasonal ? std::max<std::size_t>(5, 2 * static_cast<std::size_t>(m) + 4) : 5;
  p.origins = options.backtest_origins;
  p.horizon = options.backtest_horizon > 0 ? options.backtest_horizon : options.horizon;
  const auto hz = [&] { return static_cast<std::size_t>(p.horizon); };
  while (p.horizon > 1 && n < p.min_train + hz()) --p.horizon;
  while (p.origins > 0 && n < p.min_train + hz() + static_cast<std::size_t>(p.origins - 1)) --p.origins;
  if (p.origins == 0 || n < p.min_train + hz()) {
    p.origins = 0;
    return p;
  }
  p.step = std::max<std::size_t>(
      1, std::min<std::size_t>(hz(), (n - p.min_train - hz()) / static_cast<std::size_t>(p.origins)));
  return p;
}

}  // namespace

Backtest backtest(const Vec& y, const ForecastOptions& options, int m, bool seasonal, const Refit* refit) {
  Backtest out;
  const std::size_t n = y.size();
  const Plan plan = plan_for(n, options, m, seasonal);
  if (plan.origins == 0) return out;
  ForecastOptions inner;
  inner.horizon = plan.horizon;
  inner.seasonal_period = m;
  inner.domain = options.domain;
  inner.max_fit_window = 0;
  inner.calibration_origins = 0;  // the backtest scores the point forecasts only
  const auto horizon = static_cast<std::size_t>(plan.horizon);
  double s = 0, ma = 0, ns = 0;
  int scored = 0;
  for (int o = 0; o < plan.origins; ++o) {
    const std::size_t end = n - horizon - static_cast<std::size_t>(o) * plan.step;
    if (end < plan.min_train) break;
    const Vec train(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(end));
    const Vec actual(y.begin() + static_cast<std::ptrdiff_t>(end),
                     y.begin() + static_cast<std::ptrdiff_t>(end + horizon));
    const Forecast f = forecast_window(train, inner, m, refit);
    s += smape(actual, f.mean);
    const double ms = mase(train, actual, f.mean, m);
    ma += std::isfinite(ms) ? ms : 0.0;
    ns += smape(actual, Vec(horizon, train.back()));
    ++scored;
  }
  if (scored == 0) return out;
  out.origins = scored;
  out.horizon = plan.horizon;
  out.smape = s / scored;
  out.mase = ma / scored;
  out.naive_smape = ns / scored;
  return out;
}

}  // namespace pmkpi::forecast::detail
