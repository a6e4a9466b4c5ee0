// Golden checks of the ETS fit against a reference implementation: statsmodels' ETSModel
// (maximum likelihood with the initial states estimated, as ours). The figures below were printed by
//   /usr/bin/python3 bench/forecast/ets_golden.py
// with Debian's python3-statsmodels 0.13.5 and python3-numpy 1.24 (the series are printed there too).
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../../cpp/core/src/forecast/internal.hpp"

namespace {

namespace d = pmkpi::forecast::detail;

struct Golden {
  const char* name;
  d::EtsSpec spec;
  std::vector<double> y;
  double alpha, beta, gamma, phi, l0, b0;  // statsmodels' estimates (NaN: not in the model)
  double loglik, aicc;                     // statsmodels' llf and aicc
};

d::EtsSpec spec(d::Trend trend, bool seasonal = false, int m = 1) {
  d::EtsSpec s;
  s.error = 'A';
  s.trend = trend;
  s.seasonal = seasonal;
  s.m = m;
  return s;
}

constexpr double kNone = std::numeric_limits<double>::quiet_NaN();

const std::vector<Golden>& goldens() {
  static const std::vector<Golden> g = {
      {"level ETS(A,N,N)",
       spec(d::Trend::None),
       {52.0,  53.03, 55.53, 51.52, 52.57, 49.52, 52.85, 49.71, 51.38, 50.06, 49.11, 51.04, 52.15, 56.05,
        54.76, 54.8,  59.94, 58.52, 58.16, 63.19, 61.05, 59.22, 59.11, 58.35, 61.93, 59.71, 56.69, 58.9,
        55.12, 58.68, 55.53, 56.75, 59.92, 59.56, 60.05, 61.02, 61.57, 60.77, 61.56, 63.12},
       0.602449028110661,
       kNone,
       kNone,
       kNone,
       52.55747782751297,
       kNone,
       -87.76363217046548,
       182.19393100759763},
      {"trend ETS(A,A,N)",
       spec(d::Trend::Additive),
       {99.8,   103.12, 100.32, 100.39, 103.7,  107.15, 107.93, 111.08, 115.17, 117.72, 122.73, 121.19,
        124.47, 128.9,  132.81, 135.15, 137.41, 136.81, 136.78, 138.47, 144.43, 144.4,  143.3,  146.45,
        144.71, 144.96, 146.61, 148.51, 153.87, 152.15, 149.58, 149.92, 153.63, 152.92, 151.64, 157.13,
        163.1,  161.63, 162.11, 162.18, 167.86, 166.95, 169.45, 173.25, 172.05, 178.94, 177.57, 177.48},
       0.7288703611378394,
       7.288703611378394e-05,
       kNone,
       kNone,
       98.23710291031851,
       1.6635305507962244,
       -112.44147392410495,
       236.31151927678133},
      {"damped ETS(A,Ad,N)",
       spec(d::Trend::Damped),
       {99.8,   104.62, 103.02, 104.02, 108.02, 111.94, 112.99, 116.23, 120.26, 122.6,  127.27, 125.27,
        128.0,  131.77, 134.95, 136.48, 137.85, 136.3,  135.28, 135.91, 140.79, 139.62, 137.34, 139.29,
        136.32, 135.3,  135.67, 136.27, 140.3,  137.24, 133.31, 132.28, 134.6,  132.49, 129.81, 133.88,
        138.43, 135.52, 134.56, 133.18, 137.42, 135.05, 136.09, 138.43, 135.75, 141.18, 138.34, 136.76},
       0.6905553294226953,
       6.905553294226953e-05,
       kNone,
       0.9222514583975141,
       96.2363545828282,
       3.859883904589755,
       -112.02689546239031,
       238.10257141258552},
      {"seasonal ETS(A,N,A), period 4",
       spec(d::Trend::None, true, 4),
       {212.38, 187.91, 222.99, 175.48, 215.42, 192.16, 225.51, 179.97, 213.74, 190.82, 226.57, 182.0,
        218.63, 197.22, 229.26, 182.76, 219.16, 197.95, 233.24, 186.8,  219.33, 199.97, 236.23, 189.35,
        222.3,  202.35, 237.29, 189.49, 226.8,  201.43, 237.08, 192.61, 226.5,  207.3,  243.56, 193.54,
        227.49, 208.56, 240.83, 195.23, 234.76, 210.04, 243.9,  195.47, 233.42, 207.7,  249.58, 198.18},
       0.5618883471076713,
       kNone,
       4.381116528923287e-05,
       kNone,
       kNone,  // statsmodels fixes its last seasonal state at 0, we make them sum to 0: the levels differ
       kNone,
       -104.64072212590096,
       kNone},  // statsmodels counts the fixed seasonal state as a parameter (k 8, ours 7): AICc compared below
  };
  return g;
}

class EtsGolden : public ::testing::TestWithParam<Golden> {};

TEST_P(EtsGolden, MatchesStatsmodels) {
  const Golden& g = GetParam();
  const d::EtsFit f = d::fit_ets(g.y, g.spec);
  ASSERT_TRUE(f.ok);
  // The same maximum of the same likelihood: ours may only be (slightly) higher.
  EXPECT_NEAR(f.loglik, g.loglik, 0.02);
  EXPECT_NEAR(f.alpha, g.alpha, 0.01);
  if (!std::isnan(g.beta)) {
    EXPECT_NEAR(f.beta, g.beta, 1e-3);  // both on the lower bound
  }
  if (!std::isnan(g.gamma)) {
    EXPECT_NEAR(f.gamma, g.gamma, 1e-3);
  }
  if (!std::isnan(g.phi)) {
    EXPECT_NEAR(f.phi, g.phi, 0.01);
  }
  if (!std::isnan(g.l0)) {
    EXPECT_NEAR(f.x0[0], g.l0, 0.05 * std::max(1.0, std::fabs(g.y[1] - g.y[0])));
  }
  if (!std::isnan(g.b0)) {
    EXPECT_NEAR(f.x0[1], g.b0, 0.05);
  }
  if (!std::isnan(g.aicc)) {
    EXPECT_NEAR(f.aicc, g.aicc, 0.04);
  } else {
    // statsmodels' AICc with its k = 8: -2 llf + 2k + 2k(k+1)/(n-k-1).
    const double n = static_cast<double>(g.y.size()), k = 8;
    const double ref = -2 * g.loglik + 2 * k + 2 * k * (k + 1) / (n - k - 1);
    EXPECT_NEAR(ref, 228.9737519441096, 1e-9);
    EXPECT_EQ(f.k, 7);
    EXPECT_NEAR(f.aicc, -2 * f.loglik + 2 * 7.0 + 2 * 7.0 * 8.0 / (n - 8), 1e-9);
  }
}

INSTANTIATE_TEST_SUITE_P(Statsmodels, EtsGolden, ::testing::ValuesIn(goldens()),
                         [](const ::testing::TestParamInfo<Golden>& info) { return std::to_string(info.index); });

}  // namespace
