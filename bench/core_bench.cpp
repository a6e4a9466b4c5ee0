// Google Benchmark of the router: the spec's ARPU example and a 422 with three bad fields.
#include <benchmark/benchmark.h>

#include "pmkpi/api.hpp"

namespace {

void BM_HandleArpu(benchmark::State& state) {
  const std::string body = R"({"total_revenue": 50000.0, "total_users": 1000, "time_frame": "monthly"})";
  for (auto _ : state) {
    pmkpi::Response r = pmkpi::handle("POST", "/metrics/arpu", body);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_HandleArpu);

void BM_Handle422(benchmark::State& state) {
  const std::string body = R"({"total_revenue": "lots", "total_users": 0, "time_frame": "hourly"})";
  for (auto _ : state) {
    pmkpi::Response r = pmkpi::handle("POST", "/metrics/arpu", body);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_Handle422);

void BM_HandleRetention(benchmark::State& state) {
  const std::string body = R"({"customers_at_start": 1000, "customers_at_end": 950, "new_customers_acquired": 100})";
  for (auto _ : state) {
    pmkpi::Response r = pmkpi::handle("POST", "/metrics/retention-rate", body);
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_HandleRetention);

void BM_NotFound(benchmark::State& state) {
  for (auto _ : state) {
    pmkpi::Response r = pmkpi::handle("GET", "/nowhere", "");
    benchmark::DoNotOptimize(r.body.data());
  }
}
BENCHMARK(BM_NotFound);

}  // namespace

BENCHMARK_MAIN();
