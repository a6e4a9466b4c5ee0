// How a forecast was made, in plain words, from what the pipeline recorded in its ModelInfo.
#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "pipeline.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::forecast::detail {
namespace {

/** "ETS(M,Ad,N)" in words: its trend, its errors and its season. */
std::string ets_words(const std::string& spec) {
  const std::size_t open = spec.find('('), first = spec.find(',', open), second = spec.find(',', first + 1);
  if (open == std::string::npos || first == std::string::npos || second == std::string::npos) return spec;
  const std::string error = spec.substr(open + 1, first - open - 1);
  const std::string trend = spec.substr(first + 1, second - first - 1);
  const std::string season = spec.substr(second + 1, spec.size() - second - 2);
  std::string words = trend == "N"   ? "no trend"
                      : trend == "A" ? "a straight-line trend"
                                     : "a trend that flattens out (damped)";
  if (season == "A") words += ", its own seasonal pattern";
  if (season == "M") words += ", its own seasonal pattern in proportion to the level";
  words += error == "M" ? " and errors in proportion to the level" : " and errors of a constant size";
  return words;
}

double parameter(const ModelInfo& info, const std::string& key, double otherwise) {
  for (const auto& [k, v] : info.parameters)
    if (k == key) return v;
  return otherwise;
}

/** The member whose name starts with `name` ("" when there is none). */
std::string member_named(const ModelInfo& info, const char* name) {
  for (const std::string& m : info.members)
    if (m.rfind(name, 0) == 0) return m;
  return "";
}

bool has_member(const ModelInfo& info, const char* name) { return !member_named(info, name).empty(); }

/** The methods beside ETS, in words, in the order the combination lists them. */
std::vector<std::string> other_methods(const ModelInfo& info) {
  std::vector<std::string> out;
  if (has_member(info, "Theta"))
    out.push_back("the Theta method: the smoothed level carried forward with half the series' long-run slope");
  if (has_member(info, "DOTM"))
    out.push_back(
        "the dynamic optimised Theta model (DOTM): the same idea with the weight of the slope fitted, and the "
        "line re-estimated as each value arrived");
  if (has_member(info, "CES"))
    out.push_back(
        "complex exponential smoothing (CES): the level smoothed together with a second state, so its trend "
        "bends with the data instead of following a straight or damped line");
  if (const std::string arima = member_named(info, "ARIMA"); !arima.empty())
    out.push_back("an automatic ARIMA model, " + arima +
                  ": each value explained by the values and surprises just before it, after differencing the "
                  "series as often as a stationarity test asks");
  return out;
}

/** "ETS 24%, Theta 19%, ...": the members' weights, from the model's parameters. */
std::string weights_words(const ModelInfo& info) {
  static const std::string prefix = "member_weight ";
  std::string out;
  for (const auto& [key, v] : info.parameters)
    if (key.rfind(prefix, 0) == 0)
      out += (out.empty() ? "" : ", ") + key.substr(prefix.size()) + " " + plain(100 * v, 0) + "%";
  return out;
}

std::string method_words(const Forecast& f) {
  const ModelInfo& info = f.model;
  switch (info.method) {
    case Method::Constant:
      return "Every value is the same, so the forecast repeats it.";
    case Method::Drift:
      return "There are too few points to choose a model: the forecast continues the average change per period so "
             "far.";
    case Method::Ets:
      return "The forecast is an exponential smoothing (ETS) model with " + ets_words(info.selected_ets) + ".";
    case Method::Combination:
      break;
  }
  static const char* const kCount[] = {"one", "two", "three", "four", "five"};  // ETS and the others
  const std::vector<std::string> others = other_methods(info);
  const bool weighted = info.name.rfind("Weighted", 0) == 0;
  std::string out =
      std::string("The forecast is the ") + (weighted ? "weighted " : "") + "average of " +
      kCount[std::min<std::size_t>(others.size(), 4)] + " methods" +
      (weighted ? ", each weighted by how closely it forecast the series' own past (" + weights_words(info) + ")"
                : "") +
      ". The first is exponential smoothing: ETS models fitted to the series, weighted by how well "
      "each fits (AICc); the best has " +
      ets_words(info.selected_ets) + ".";
  static const char* const kOrdinal[] = {"second", "third", "fourth", "fifth"};
  for (std::size_t i = 0; i < others.size() && i < 4; ++i) {
    out += std::string(" The ") + kOrdinal[i] + " is " + others[i] + ".";
  }
  return out;
}

std::string season_words(const Forecast& f) {
  const std::string every = "A pattern repeating every " + std::to_string(f.seasonal_period) + " periods ";
  switch (f.model.seasonal_adjustment) {
    case SeasonalAdjustment::Multiplicative:
      return every +
             "was taken out of the series before fitting (as a percentage of the level) and put back into "
             "the forecast.";
    case SeasonalAdjustment::Additive:
      return every +
             "was taken out of the series before fitting (as an amount added or taken away) and put back "
             "into the forecast.";
    case SeasonalAdjustment::Ets:
      return every + "is forecast by the ETS models themselves; the other methods ran on the series with it " +
             "taken out.";
    case SeasonalAdjustment::None:
      break;
  }
  return "";
}

std::string calibration_words(const ModelInfo& info) {
  const double in_sample = parameter(info, "interval_scale_in_sample", 1);
  const double s80 = parameter(info, "interval_scale_80", 0), s95 = parameter(info, "interval_scale_95", 0);
  const std::string start = "The 80% and 95% ranges are the models' own";
  if (s80 <= 0) {
    if (in_sample <= 1.0005) return start + " (the series is too short to check them on its own past).";
    return start + ", widened " + plain(in_sample, 2) +
           " times to match the errors the method made forecasting this series' own past.";
  }
  const double p = parameter(info, "fitted_parameters", 0);
  return start + ", calibrated on the errors the method made forecasting this series' own past and on the larger " +
         "errors expected out of sample of a model with " + plain(p, 0) + " parameters fitted on " +
         std::to_string(info.fitted_points) + " points: the 80% range " + plain(in_sample * s80, 2) +
         " and the 95% range " + plain(in_sample * s95, 2) + " times as wide.";
}

std::string interval_words(const ModelInfo& info) {
  if (info.method == Method::Constant) return "";
  const std::string shape = info.interval_shape == IntervalShape::LogNormal
                                ? " Every value is positive and the errors of the model chosen are in proportion to "
                                  "the level: each range reaches further above the forecast than below it."
                                : "";
  return calibration_words(info) + shape;
}

}  // namespace

std::string explain(const Forecast& f) {
  std::string out = method_words(f);
  for (const std::string& part : {season_words(f), interval_words(f.model)})
    if (!part.empty()) out += " " + part;
  return out;
}

}  // namespace pmkpi::forecast::detail
