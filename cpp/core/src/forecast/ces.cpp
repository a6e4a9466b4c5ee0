// Complex exponential smoothing without a season (Svetunkov, Kourentzes & Ord): a level and an
// "information potential" smoothed with one complex parameter a0 + i a1, fitted by least squares.
#include <cmath>
#include <limits>

#include "internal.hpp"
#include "pipeline.hpp"

namespace pmkpi::forecast::detail {

namespace {

/** Whether the discount matrix D = F - g w' has both eigenvalues inside the unit circle. */
bool stable(double a0, double a1) {
  const double d11 = 1 - (a0 - a1), d12 = -(1 - a1), d21 = 1 - (a0 + a1), d22 = 1 - a0;
  const double trace = d11 + d22, det = d11 * d22 - d12 * d21;
  return std::fabs(det) < 1 && std::fabs(trace) < 1 + det;
}

/** One step: the forecast is l; then the states move with the error e. */
inline void step(double& l, double& c, double a0, double a1, double e) {
  const double l1 = l - (1 - a1) * c + (a0 - a1) * e;
  const double c1 = l + (1 - a0) * c + (a0 + a1) * e;
  l = l1;
  c = c1;
}

}  // namespace

CesFit fit_ces(const Vec& y, const Vec* warm) {
  CesFit fit;
  const std::size_t n = y.size();
  if (n < 6) return fit;
  double scale = 0;
  for (double v : y) scale = std::max(scale, std::fabs(v));
  if (!(scale > 0)) return fit;
  auto sse = [&](const Vec& u) {
    const double a0 = u[0], a1 = u[1];
    if (!stable(a0, a1)) return std::numeric_limits<double>::infinity();
    double l = u[2] * scale, c = u[3] * scale, s = 0;
    for (std::size_t t = 0; t < n; ++t) {
      const double e = y[t] - l;
      s += e * e;
      step(l, c, a0, a1, e);
    }
    return std::isfinite(s) ? s : std::numeric_limits<double>::infinity();
  };
  // From statsforecast's start (a0 = 1.3, a1 = 1, the potential a little below the level), 50
  // evaluations per parameter; a refit polishes where the longer fit ended.
  Vec u = warm != nullptr && warm->size() == 4 ? *warm : Vec{1.3, 1.0, y[0] / scale, y[0] / scale / 1.1};
  double best = 0;
  u = warm != nullptr ? nelder_mead(sse, u, 0.05, 60, 1e-8, &best) : nelder_mead(sse, u, 0.3, 200, 1e-8, &best);
  if (!std::isfinite(best)) return fit;
  fit.a0 = u[0];
  fit.a1 = u[1];
  fit.l0 = u[2] * scale;
  fit.c0 = u[3] * scale;
  double l = fit.l0, c = fit.c0;
  for (std::size_t t = 0; t < n; ++t) step(l, c, fit.a0, fit.a1, y[t] - l);
  fit.level = l;
  fit.potential = c;
  fit.sigma2 = best / static_cast<double>(n - 4);  // four parameters; n >= 6 here
  fit.u = u;
  fit.ok = true;
  return fit;
}

void ces_forecast(const CesFit& fit, int h, Vec& mean, Vec& sd) {
  mean.assign(static_cast<std::size_t>(h), 0.0);
  sd.assign(static_cast<std::size_t>(h), 0.0);
  double l = fit.level, c = fit.potential;
  // psi_j = w' F^(j-1) g: the weight of a shock j steps back in a forecast.
  double gl = fit.a0 - fit.a1, gc = fit.a0 + fit.a1, var = 0;
  for (int j = 0; j < h; ++j) {
    mean[static_cast<std::size_t>(j)] = l;
    sd[static_cast<std::size_t>(j)] = std::sqrt(fit.sigma2 * (1 + var));
    var += gl * gl;
    const double nl = gl - (1 - fit.a1) * gc, nc = gl + (1 - fit.a0) * gc;
    gl = nl;
    gc = nc;
    step(l, c, fit.a0, fit.a1, 0.0);
  }
}

Vec ces_path(const CesFit& fit, const Vec& z, int h, std::size_t first) {
  const std::size_t n = z.size(), steps = static_cast<std::size_t>(h);
  if (!fit.ok || first + 1 >= n) return {};
  Vec out((n - 1 - first) * steps);
  double l = fit.l0, c = fit.c0;
  for (std::size_t t = 0; t + 1 < n; ++t) {
    step(l, c, fit.a0, fit.a1, z[t] - l);
    if (t < first) continue;
    double fl = l, fc = c;
    double* row = &out[(t - first) * steps];
    for (std::size_t j = 0; j < steps; ++j) {
      row[j] = fl;
      step(fl, fc, fit.a0, fit.a1, 0.0);
    }
  }
  return out;
}

}  // namespace pmkpi::forecast::detail
