// M3 accuracy and speed of the forecasting engine, through the same code /predict/metric uses.
//
//   pmkpi_forecast_bench [DATA_DIR] [--limit N] [--period monthly|quarterly|yearly|other] [--set m3|m1]
//                        [--calibration-origins N] [--no-speed]
//
// DATA_DIR defaults to ../shared/data/m3 next to the source tree. Prints, per period, mean sMAPE and
// MASE (overall and by horizon band), the share of actual values inside the 80% and 95% intervals,
// and the time per series, beside the reference figures of the data's README.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "../../cpp/core/src/forecast/pipeline.hpp"
#include "pmkpi/api.hpp"
#include "pmkpi/forecast.hpp"
#include "pmkpi/json.hpp"

namespace {

using Clock = std::chrono::steady_clock;
namespace fc = pmkpi::forecast;

struct Series {
  std::string id;
  int h = 0;
  std::vector<double> x, xx;
};

struct Reference {
  const char* method;
  double smape, mase;
};

// The data README's table (same scoring, all series), printed beside our figures.
const std::map<std::string, std::vector<Reference>>& references() {
  static const std::map<std::string, std::vector<Reference>> refs{
      {"monthly",
       {{"naive", 18.18, 1.175},
        {"Naive2", 16.76, 1.038},
        {"gradient boosting (reference service)", 17.59, 1.160},
        {"ETS (statsmodels)", 14.23, 0.869},
        {"Theta (statsmodels)", 13.97, 0.869},
        {"Theta (M3 competition, published)", 13.85, -1}}},
      {"quarterly",
       {{"naive", 11.32, 1.464},
        {"Naive2", 10.03, 1.252},
        {"gradient boosting (reference service)", 11.34, 1.451},
        {"ETS (statsmodels)", 9.82, 1.194},
        {"Theta (statsmodels)", 9.15, 1.113}}},
      {"yearly",
       {{"naive", 17.88, 3.172},
        {"Naive2", 17.88, 3.172},
        {"gradient boosting (reference service)", 19.79, 3.470},
        {"ETS (statsmodels)", 16.61, 2.863},
        {"Theta (statsmodels)", 16.82, 2.780}}},
  };
  return refs;
}

// M1: statsmodels' ETS on the same series, as issue 16 measured it (no table in the data README).
const std::map<std::string, std::vector<Reference>>& m1_references() {
  static const std::map<std::string, std::vector<Reference>> refs{
      {"monthly", {{"ETS (statsmodels, issue 16)", 15.34, 1.076}}},
      {"yearly", {{"ETS (statsmodels, issue 16)", 18.58, 3.798}}},
  };
  return refs;
}

std::string g_set = "m3";                                   // the data set: m3 or m1 (file prefix and headings)
int g_origins = fc::ForecastOptions{}.calibration_origins;  // --calibration-origins N

// sMAPE targets on M3 (monthly: issue 16's 13.5, from 13.8; quarterly and yearly: Theta's published
// figures); monthly also has a MASE target, kM3MonthlyMase.
constexpr double kM3MonthlyMase = 0.84;
const std::map<std::string, double>& targets() {
  static const std::map<std::string, double> t{{"monthly", 13.5}, {"quarterly", 9.15}, {"yearly", 16.82}};
  return t;
}

int period_of(const std::string& p) {
  if (p == "monthly") return 12;
  if (p == "quarterly") return 4;
  return 1;
}

std::vector<Series> load(const std::string& file, std::size_t limit) {
  std::vector<Series> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line) && out.size() < limit) {
    if (line.empty()) continue;
    const pmkpi::Json j = pmkpi::Json::parse(line);
    Series s;
    s.id = j.at("id").get<std::string>();
    s.h = j.at("h").get<int>();
    s.x = j.at("x").get<std::vector<double>>();
    s.xx = j.at("xx").get<std::vector<double>>();
    out.push_back(std::move(s));
  }
  return out;
}

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

/**
 * Seasonal strength at period m (Wang, Smith & Hyndman 2006): 1 - Var(remainder) / Var(detrended)
 * of a classical decomposition of log(y) (y itself when not positive). 0: none, 1: pure season.
 */
double seasonal_strength(const std::vector<double>& y, int m) {
  const bool positive = std::all_of(y.begin(), y.end(), [](double v) { return v > 0; });
  std::vector<double> x(y);
  if (positive)
    for (auto& v : x) v = std::log(v);
  const std::vector<double> trend = pmkpi::forecast::detail::centred_moving_average(x, m);
  std::vector<double> sum(static_cast<std::size_t>(m), 0.0), count(sum);
  for (std::size_t t = 0; t < x.size(); ++t)
    if (std::isfinite(trend[t])) {
      sum[t % m] += x[t] - trend[t];
      count[t % m] += 1;
    }
  double mean_index = 0;
  for (std::size_t k = 0; k < sum.size(); ++k) mean_index += (count[k] ? sum[k] / count[k] : 0.0) / m;
  double vd = 0, vr = 0, md = 0, mr = 0, n = 0;
  for (std::size_t t = 0; t < x.size(); ++t)
    if (std::isfinite(trend[t])) {
      const double d = x[t] - trend[t], r = d - (sum[t % m] / count[t % m] - mean_index);
      md += d;
      mr += r;
      vd += d * d;
      vr += r * r;
      n += 1;
    }
  if (n < 2) return 0;
  vd = vd / n - (md / n) * (md / n);
  vr = vr / n - (mr / n) * (mr / n);
  return vd > 0 ? std::max(0.0, 1 - vr / vd) : 0.0;
}

/**
 * The period found from the values alone (no seasonal_period, no timestamps), as /predict/metric
 * finds it: on the clearly seasonal series (seasonal strength at the true period of at least 0.6)
 * it should be the true period, on the series without seasonality (strength below 0.3) none.
 */
void report_detection(const std::vector<Series>& data, int m) {
  int seasonal = 0, found = 0, multiple = 0, other = 0, plain = 0, plain_none = 0;
  for (const auto& s : data) {
    const int max_period = static_cast<int>(std::min<std::size_t>(s.x.size() / 3, 366));
    const int got = fc::detect_period(s.x, max_period);
    const double strength = seasonal_strength(s.x, m);
    if (strength >= 0.6) {
      ++seasonal;
      if (got == m)
        ++found;
      else if (got > m && got % m == 0)
        ++multiple;
      else if (got > 1)
        ++other;
    } else if (strength < 0.3) {
      ++plain;
      if (got <= 1) ++plain_none;
    }
  }
  auto pct = [](int a, int b) { return b ? 100.0 * a / b : 0.0; };
  std::printf(
      "  period from the values alone: on %d clearly seasonal series %.1f%% found %d (%.1f%% a multiple, "
      "%.1f%% another period, %.1f%% none); on %d without seasonality %.1f%% none\n",
      seasonal, pct(found, seasonal), m, pct(multiple, seasonal), pct(other, seasonal),
      pct(seasonal - found - multiple - other, seasonal), plain, pct(plain_none, plain));
}

void run_period(const std::string& dir, const std::string& period, std::size_t limit) {
  const std::string file = dir + "/" + g_set + "_" + period + ".jsonl";
  const std::vector<Series> data = load(file, limit);
  if (data.empty()) {
    std::printf("%s: no series read from %s\n", period.c_str(), file.c_str());
    return;
  }
  const int m = period_of(period);
  double s_all = 0, m_all = 0, s_12 = 0, m_12 = 0, s_short = 0, m_short = 0;
  double in80 = 0, in95 = 0, points = 0, msis95 = 0;
  std::vector<double> in80_h(static_cast<std::size_t>(data[0].h), 0.0), in95_h(in80_h), points_h(in80_h);
  std::map<std::string, int> chosen;
  double slowest = 0;
  const auto t0 = Clock::now();
  const std::clock_t c0 = std::clock();
  for (const auto& s : data) {
    fc::ForecastOptions o;
    o.horizon = s.h;
    o.seasonal_period = m;
    o.calibration_origins = g_origins;
    const auto ts = Clock::now();
    const fc::Forecast f = fc::forecast(s.x, o);
    slowest = std::max(slowest, ms_since(ts));
    s_all += fc::smape(s.xx, f.mean);
    m_all += fc::mase(s.x, s.xx, f.mean, m);
    msis95 += fc::msis(s.x, s.xx, f.lower95, f.upper95, m, 0.05);
    const std::size_t h12 = std::min<std::size_t>(12, s.xx.size()), h6 = std::min<std::size_t>(6, s.xx.size());
    auto head = [](const std::vector<double>& v, std::size_t k) {
      return std::vector<double>(v.begin(), v.begin() + k);
    };
    s_12 += fc::smape(head(s.xx, h12), head(f.mean, h12));
    m_12 += fc::mase(s.x, head(s.xx, h12), head(f.mean, h12), m);
    s_short += fc::smape(head(s.xx, h6), head(f.mean, h6));
    m_short += fc::mase(s.x, head(s.xx, h6), head(f.mean, h6), m);
    for (std::size_t j = 0; j < s.xx.size(); ++j) {
      in80 += (s.xx[j] >= f.lower80[j] && s.xx[j] <= f.upper80[j]) ? 1 : 0;
      in95 += (s.xx[j] >= f.lower95[j] && s.xx[j] <= f.upper95[j]) ? 1 : 0;
      points += 1;
      if (j < points_h.size()) {
        in80_h[j] += (s.xx[j] >= f.lower80[j] && s.xx[j] <= f.upper80[j]) ? 1 : 0;
        in95_h[j] += (s.xx[j] >= f.lower95[j] && s.xx[j] <= f.upper95[j]) ? 1 : 0;
        points_h[j] += 1;
      }
    }
    chosen[f.model.selected_ets.empty() ? std::string(fc::name_of(f.model.method)) : f.model.selected_ets]++;
  }
  const double total = ms_since(t0);
  const double cpu = 1000.0 * static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  const double k = static_cast<double>(data.size());
  std::printf("\n== %s %s: %zu series, horizon %d, seasonal period %d ==\n", g_set == "m1" ? "M1" : "M3",
              period.c_str(), data.size(), data[0].h, m);
  std::printf("  %-40s %8s %8s\n", "method", "sMAPE", "MASE");
  std::printf("  %-40s %8.2f %8.3f   <- pmkpi, horizons 1-%d\n", "pmkpi (ETS, Theta, DOTM, CES, ARIMA)", s_all / k,
              m_all / k, data[0].h);
  if (period == "monthly") {
    std::printf("  %-40s %8.2f %8.3f\n", "pmkpi, horizons 1-12", s_12 / k, m_12 / k);
  }
  std::printf("  %-40s %8.2f %8.3f\n", "pmkpi, horizons 1-6", s_short / k, m_short / k);
  if (limit < static_cast<std::size_t>(-1))
    std::printf("  (subset of %zu series: the reference figures below are on all series)\n", data.size());
  const auto& table = g_set == "m1" ? m1_references() : references();
  auto refs = table.find(period);
  if (refs != table.end())
    for (const auto& r : refs->second) {
      if (r.mase < 0)
        std::printf("  %-40s %8.2f %8s\n", r.method, r.smape, "-");
      else
        std::printf("  %-40s %8.2f %8.3f\n", r.method, r.smape, r.mase);
    }
  if (g_set == "m1" && (period == "monthly" || period == "yearly")) {
    const double goal = period == "monthly" ? 1.04 : 3.70;  // 3% better than statsmodels' ETS
    std::printf("  target: MASE <= %.2f -> %s\n", goal, m_all / k <= goal ? "met" : "NOT met");
  }
  auto target = targets().find(period);
  if (g_set == "m3" && target != targets().end()) {
    if (period == "monthly")
      std::printf("  target: sMAPE <= %.2f, MASE <= %.2f -> %s\n", target->second, kM3MonthlyMase,
                  s_all / k <= target->second && m_all / k <= kM3MonthlyMase ? "met" : "NOT met");
    else
      std::printf("  target: sMAPE <= %.2f -> %s\n", target->second, s_all / k <= target->second ? "met" : "NOT met");
  }
  const bool scored = period != "other";  // issue 16: within 3 points of nominal on every frequency
  const bool covered = std::fabs(100 * in80 / points - 80) <= 3 && std::fabs(100 * in95 / points - 95) <= 3;
  std::printf("  interval coverage: 80%% -> %.1f%%, 95%% -> %.1f%% of %.0f actual values%s\n", 100 * in80 / points,
              100 * in95 / points, points,
              scored ? (covered ? " (target: within 3 points of nominal -> met)"
                                : " (target: within 3 points of nominal -> NOT met)")
                     : "");
  std::printf("  MSIS of the 95%% interval (M4's interval score, scaled as MASE; lower is better): %.3f\n", msis95 / k);
  std::printf("  coverage by horizon (80%% / 95%%):");
  for (std::size_t j = 0; j < points_h.size(); ++j)
    if (points_h[j] > 0)
      std::printf(" %zu: %.0f/%.0f", j + 1, 100 * in80_h[j] / points_h[j], 100 * in95_h[j] / points_h[j]);
  std::printf("\n");
  std::printf("  time: %.1f ms total (CPU %.1f ms), %.3f ms per series, slowest %.2f ms%s\n", total, cpu, total / k,
              slowest, period == "monthly" && g_set == "m3" ? " (target: all 1428 in < 3000 ms)" : "");
  if (m > 1) report_detection(data, m);
  std::printf("  models:");
  for (const auto& [name, count] : chosen) std::printf(" %s %d,", name.c_str(), count);
  std::printf("\n");
}

void run_speed(const std::string& dir) {
  // One 120-point monthly series: the engine alone, and the whole route (validation, backtest, JSON).
  std::vector<Series> data = load(dir + "/m3_monthly.jsonl", static_cast<std::size_t>(-1));
  const Series* pick = nullptr;
  for (const auto& s : data)
    if (s.x.size() >= 120) {
      pick = &s;
      break;
    }
  if (!pick) return;
  const std::vector<double> x(pick->x.end() - 120, pick->x.end());
  fc::ForecastOptions o;
  o.horizon = 18;
  o.seasonal_period = 12;
  const int reps = 200;
  auto t0 = Clock::now();
  for (int i = 0; i < reps; ++i) {
    const fc::Forecast f = fc::forecast(x, o);
    if (f.mean.empty()) std::printf("?");
  }
  const double engine = ms_since(t0) / reps;
  pmkpi::Json body = {{"metric_name", "mrr"}, {"historical_values", x}, {"periods_ahead", 18}, {"seasonal_period", 12}};
  const std::string text = body.dump();
  int status = 0;
  t0 = Clock::now();
  for (int i = 0; i < reps; ++i) status = pmkpi::handle("POST", "/predict/metric", text).status;
  const double route = ms_since(t0) / reps;
  std::printf("\n== speed ==\n");
  std::printf(
      "  one 120-point series (%s), 18 ahead: engine %.3f ms, POST /predict/metric with backtest %.3f ms "
      "(status %d; target < 5 ms)\n",
      pick->id.c_str(), engine, route, status);

  // 100,000 points analysed: trend, seasonality, change points, anomalies.
  std::vector<double> big(100000);
  unsigned long long state = 42;
  auto uniform = [&] {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<double>(state >> 11) / 9007199254740992.0;
  };
  for (std::size_t t = 0; t < big.size(); ++t)
    big[t] = 1000 + 0.01 * static_cast<double>(t) + 50 * std::sin(6.283185307179586 * static_cast<double>(t) / 7) +
             (t > 60000 ? 200 : 0) + 20 * (uniform() - 0.5);
  t0 = Clock::now();
  const fc::Pattern p = fc::analyze_pattern(big, fc::PatternOptions{});
  const double analysis = ms_since(t0);
  pmkpi::Json pbody = {{"metric_name", "daily_active_users"}, {"historical_values", big}};
  const std::string ptext = pbody.dump();
  t0 = Clock::now();
  const pmkpi::Response r = pmkpi::handle("POST", "/analyze/pattern", ptext);
  const double route_analysis = ms_since(t0);
  std::printf(
      "  100,000 points analysed: engine %.1f ms (period %d, %zu change points, %zu anomalies), "
      "POST /analyze/pattern %.1f ms incl. JSON parse (status %d; target < 1000 ms)\n",
      analysis, p.seasonal_period, p.change_points.size(), p.anomalies.size(), route_analysis, r.status);
  t0 = Clock::now();
  fc::ForecastOptions lo;
  lo.horizon = 30;
  const fc::Forecast lf = fc::forecast(big, lo);
  std::printf("  100,000 points forecast 30 ahead: %.1f ms (%s)\n", ms_since(t0), lf.model.note.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  std::string dir = std::string(PMKPI_SOURCE_DIR) + "/../shared/data/m3";
  std::size_t limit = static_cast<std::size_t>(-1);
  std::vector<std::string> periods{"monthly", "quarterly", "yearly", "other"};
  bool speed = true;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--limit" && i + 1 < argc)
      limit = std::stoul(argv[++i]);
    else if (a == "--period" && i + 1 < argc)
      periods = {argv[++i]};
    else if (a == "--set" && i + 1 < argc)
      g_set = argv[++i];
    else if (a == "--calibration-origins" && i + 1 < argc)
      g_origins = std::atoi(argv[++i]);
    else if (a == "--no-speed")
      speed = false;
    else if (a == "-h" || a == "--help") {
      std::printf(
          "usage: %s [DATA_DIR] [--limit N] [--period monthly|quarterly|yearly|other] [--set m3|m1] "
          "[--calibration-origins N] [--no-speed]\n",
          argv[0]);
      return 0;
    } else
      dir = a;
  }
  if (g_set == "m1") {
    if (periods.size() == 4) periods = {"monthly", "quarterly", "yearly"};
    speed = false;  // the speed section times M3 monthly
  }
  std::printf("pmkpi forecast benchmark on %s (%s)\n", g_set == "m1" ? "M1" : "M3", dir.c_str());
  for (const auto& p : periods) run_period(dir, p, limit);
  if (speed) run_speed(dir);
  return 0;
}
