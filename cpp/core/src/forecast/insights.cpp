// The ML Predictions routes' insight sentences, each derived from the figures it states.
#include <algorithm>
#include <cmath>

#include "routes_internal.hpp"

namespace pmkpi::detail::fc_routes {
namespace {

std::string plural(std::size_t count, const std::string& one, const std::string& many) {
  return count == 1 ? one : many;
}

std::string trend_sentence(const fc::Pattern& p) {
  if (p.trend == "decreasing")
    return "📉 Downward trend detected with slope " + plain(p.ols_slope, 4) +
           " (Mann-Kendall p = " + plain(p.mk_p_value, 4) + ", Sen's slope " + figure(p.sen_slope) + " per period)";
  if (p.trend == "increasing")
    return "📈 Upward trend detected with slope " + plain(p.ols_slope, 4) +
           " (Mann-Kendall p = " + plain(p.mk_p_value, 4) + ", Sen's slope " + figure(p.sen_slope) + " per period)";
  return "➡️ No significant trend (Mann-Kendall p = " + plain(p.mk_p_value, 4) + ")";
}

std::string direction_sentence(const Request& rq, const fc::Forecast& f, const RouteSpec* known) {
  const double current = rq.values.back();
  const double last_pred = f.mean.back();
  const double change = last_pred - current;
  const double tolerance = 1e-9 * std::max(1.0, std::fabs(current));
  if (std::fabs(change) <= tolerance) return "➖ Predictions stay at the current level";
  const bool up = change > 0;
  if (const auto lower_better = lower_is_better(known))
    return up == !*lower_better ? "🚀 Predictions show continued improvement"
                                : "⚠️ Predictions show a deterioration ahead";
  return std::string(up ? "⬆️ Predictions rise" : "⬇️ Predictions fall") + " to " + figure(last_pred) + " in " +
         std::to_string(rq.periods) + plural(static_cast<std::size_t>(rq.periods), " period", " periods");
}

std::string backtest_sentence(const fc::Backtest& b) {
  if (b.origins == 0) return "ℹ️ Too little history to backtest the forecast: confidence is low";
  return "🎯 Backtest over " + std::to_string(b.origins) +
         plural(static_cast<std::size_t>(b.origins), " origin", " origins") + ", " + std::to_string(b.horizon) +
         " ahead: sMAPE " + plain(b.smape, 2) + "% (last value repeated: " + plain(b.naive_smape, 2) + "%)";
}

std::string pattern_trend_sentence(const fc::Pattern& p, bool lower_better) {
  const std::string sen =
      figure(p.sen_slope) + " per period (" + plain(p.sen_slope_percent, 2) + "% of the mean level)";
  const std::string mk = ", Mann-Kendall p = " + plain(p.mk_p_value, 4);
  // For a catalog metric where lower is better (churn, bounce rate, CES, defect rate), falling is good news.
  if (p.trend == "increasing")
    return lower_better ? "⚠️ Worsening trend: Metric is rising at " + sen + mk + " (lower is better)"
                        : "✅ Positive trend: Metric is growing at " + sen + mk;
  if (p.trend == "decreasing")
    return lower_better ? "✅ Improving trend: Metric is falling at " + sen + mk + " (lower is better)"
                        : "⚠️ Negative trend: Metric is declining at " + sen + mk;
  return "➡️ Stable: no significant trend (Mann-Kendall p = " + plain(p.mk_p_value, 4) + ")";
}

}  // namespace

Json forecast_insights(const Request& rq, const fc::Forecast& f, const fc::Pattern& p, const RouteSpec* known,
                       const fc::ForecastOptions& o, const std::string& domain_basis) {
  Json insights = Json::array();
  insights.push_back(trend_sentence(p));
  insights.push_back(direction_sentence(rq, f, known));
  if (f.seasonal)
    insights.push_back("🔁 Seasonality of period " + std::to_string(f.seasonal_period) + " detected and used");
  insights.push_back(backtest_sentence(f.backtest));
  if (o.domain.lower || o.domain.upper)
    insights.push_back("🔒 Forecasts kept within the metric's range (" + domain_basis + ")");
  if (!f.model.note.empty()) insights.push_back("ℹ️ " + f.model.note);
  return insights;
}

Json pattern_insights(const fc::Pattern& p, bool lower_better) {
  Json insights = Json::array();
  insights.push_back(pattern_trend_sentence(p, lower_better));
  const std::string vol = volatility_level(p.volatility_value);
  insights.push_back(vol == "high"     ? "⚡ High volatility: Metric fluctuates significantly"
                     : vol == "medium" ? "📊 Medium volatility: Some fluctuation observed"
                                       : "📊 Low volatility: Metric is relatively stable");
  // Only a difference beyond rounding is stated (a constant series is neither above nor below its average).
  const double apart = p.recent_average - p.average;
  const double equal = 1e-9 * std::max(std::fabs(p.average), std::fabs(p.recent_average));
  if (apart > equal)
    insights.push_back("🔥 Recent performance is above historical average");
  else if (apart < -equal)
    insights.push_back("📉 Recent performance is below historical average");
  if (p.seasonal_detected)
    insights.push_back("🔁 Repeats every " + std::to_string(p.seasonal_period) + " periods (seasonal strength " +
                       plain(p.seasonal_strength, 2) + ")");
  if (!p.change_points.empty()) {
    const auto& c = p.change_points.back();
    insights.push_back("🔀 " + std::to_string(p.change_points.size()) +
                       plural(p.change_points.size(), " change point", " change points") + "; the latest at index " +
                       std::to_string(c.index) + ", from " + figure(c.mean_before) + " to " + figure(c.mean_after));
  }
  if (!p.anomalies.empty())
    insights.push_back("🚨 " + std::to_string(p.anomalies.size()) +
                       plural(p.anomalies.size(), " anomaly", " anomalies") + " (robust z-score above 3.5)");
  if (p.compound_growth_percent)
    insights.push_back("📐 Compound growth of " + plain(*p.compound_growth_percent, 2) + "% per period over the window");
  return insights;
}

std::string seasonality_sentence(const fc::Pattern& p) {
  if (p.n < 8) return "Not detected (need more data: at least 8 points)";
  if (p.seasonal_period > 1 && p.n < 3 * static_cast<std::size_t>(p.seasonal_period))
    return "Not tested (need at least 3 cycles: " + std::to_string(3 * p.seasonal_period) + " points for period " +
           std::to_string(p.seasonal_period) + ")";
  if (p.seasonal_detected)
    return "Detected: period " + std::to_string(p.seasonal_period) + " (strength " + plain(p.seasonal_strength, 2) +
           ", autocorrelation " + plain(p.seasonal_acf, 2) + ")";
  if (p.seasonal_period > 1)
    return "Not detected at period " + std::to_string(p.seasonal_period) + " (autocorrelation " +
           plain(p.seasonal_acf, 2) + " within the 90% bound " + plain(p.seasonal_threshold, 2) + ")";
  return "Not detected (no significant autocorrelation peak)";
}

}  // namespace pmkpi::detail::fc_routes
