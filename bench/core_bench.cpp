// Google Benchmark of the router: the spec's ARPU example and a 422 with three bad fields, and the
// cost of large bodies on a metric route (issue 15's target: at most about 20 ms of CPU per MB,
// read in the bytes_per_second column: 50 MB/s or more).
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

/** {"k0":0,"k1":1,...}: the widest object a body may have (kMaxObjectMembers, 10,000). */
std::string wide_body(int members, int value_bytes) {
  std::string s = "{";
  for (int i = 0; i < members; ++i) {
    if (i > 0) s += ',';
    s += "\"k" + std::to_string(i) + "\":\"" + std::string(static_cast<std::size_t>(value_bytes), 'v') + "\"";
  }
  return s + "}";
}

void large_body(benchmark::State& state, const char* path, const std::string& body) {
  for (auto _ : state) {
    pmkpi::Response r = pmkpi::handle("POST", path, body);
    benchmark::DoNotOptimize(r.body.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) * static_cast<std::int64_t>(body.size()));
}

// Every field missing, so every 422 entry echoes the body (bounded since issue 15).
void BM_WideObject10kMembers(benchmark::State& state) {
  large_body(state, "/metrics/arpu", wide_body(10000, static_cast<int>(state.range(0))));
}
BENCHMARK(BM_WideObject10kMembers)->Arg(1)->Arg(100);

void BM_LongNumberList(benchmark::State& state) {  // 1 MB of numbers in an unknown field: read, dropped
  std::string body = R"({"total_revenue": 1.5, "total_users": 3, "padding": [)";
  for (int i = 0; body.size() < (1u << 20); ++i) body += (i ? "," : "") + std::to_string(i * 1.25);
  large_body(state, "/metrics/arpu", body + "]}");
}
BENCHMARK(BM_LongNumberList);

void BM_LongNumberListInAField(benchmark::State& state) {  // 1 MB of numbers the route reads: built whole
  std::string body = R"({"total_users": 3, "total_revenue": [)";
  for (int i = 0; body.size() < (1u << 20); ++i) body += (i ? "," : "") + std::to_string(i * 1.25);
  large_body(state, "/metrics/arpu", body + "]}");
}
BENCHMARK(BM_LongNumberListInAField);

void BM_LongString(benchmark::State& state) {  // a 1 MB string where a number belongs: echoed, cut
  large_body(state, "/metrics/arpu",
             R"({"total_revenue": ")" + std::string(1u << 20, '7') + R"(x", "total_users": 3})");
}
BENCHMARK(BM_LongString);

}  // namespace

BENCHMARK_MAIN();
