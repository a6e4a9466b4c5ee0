// Access control and request identity (issue 15): API keys, the rate limiter, X-Request-ID, the
// web UI's security headers, and the compute pool's bounded queue.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>

#include "app.hpp"
#include "compute_pool.hpp"
#include "config.hpp"

using namespace pmkpi::server;
using steady = std::chrono::steady_clock;

namespace {

App app_with(AccessOptions access) {
  return App(CorsPolicy({"*"}), pmkpi::ApiOptions{}, DocsSite(), std::nullopt, std::move(access));
}

Request req(std::string_view method, std::string_view target, std::string_view body = "") {
  Request r;
  r.method = method;
  r.target = target;
  r.body = body;
  r.remote = "10.0.0.1";
  return r;
}

constexpr std::string_view kArpu = R"({"total_revenue": 50000.0, "total_users": 1000})";

const std::string* header(const Reply& r, std::string_view name) { return r.header(name); }

}  // namespace

TEST(ApiKeys, BearerOrXApiKeyAndNothingElse) {
  const ApiKeys keys({"alpha-key", "beta-key"});
  EXPECT_EQ(keys.match("Bearer alpha-key", ""), "alpha-key");
  EXPECT_EQ(keys.match("bearer   beta-key ", ""), "beta-key");
  EXPECT_EQ(keys.match("", "beta-key"), "beta-key");
  EXPECT_FALSE(keys.match("Bearer alpha-ke", ""));
  EXPECT_FALSE(keys.match("Bearer alpha-keyy", ""));
  EXPECT_FALSE(keys.match("Basic alpha-key", ""));
  EXPECT_FALSE(keys.match("", ""));
  EXPECT_FALSE(keys.match("Bearer ", "gamma"));
}

TEST(AccessControl, OffByDefault) {
  const App app = app_with({});
  EXPECT_EQ(app.handle(req("POST", "/metrics/arpu", kArpu)).status, 200);
}

TEST(AccessControl, ApiRoutesNeedAKeyHealthDocsAndUiDoNot) {
  const App app = app_with({{"s3cret"}, 0, 0});
  const Reply refused = app.handle(req("POST", "/metrics/arpu", kArpu));
  EXPECT_EQ(refused.status, 401);
  ASSERT_NE(header(refused, "www-authenticate"), nullptr);
  EXPECT_EQ(*header(refused, "www-authenticate"), "Bearer");
  EXPECT_EQ(app.handle(req("GET", "/metrics/list")).status, 401);
  Request with_key = req("POST", "/metrics/arpu", kArpu);
  with_key.authorization = "Bearer s3cret";
  EXPECT_EQ(app.handle(with_key).status, 200);
  with_key.authorization = "";
  with_key.api_key = "s3cret";
  EXPECT_EQ(app.handle(with_key).status, 200);
  with_key.api_key = "wrong";
  EXPECT_EQ(app.handle(with_key).status, 401);
  for (const char* open : {"/health", "/openapi.json", "/docs", "/redoc", "/docs/assets/swagger-ui.css", "/app/"})
    EXPECT_NE(app.handle(req("GET", open)).status, 401) << open;
}

TEST(AccessControl, RateLimitPerClientWithBurstAnswers429WithRetryAfter) {
  const App app = app_with({{}, 1.0, 3});
  for (int i = 0; i < 3; ++i) EXPECT_EQ(app.handle(req("POST", "/metrics/arpu", kArpu)).status, 200) << i;
  const Reply limited = app.handle(req("POST", "/metrics/arpu", kArpu));
  ASSERT_EQ(limited.status, 429);
  ASSERT_NE(header(limited, "retry-after"), nullptr);
  EXPECT_EQ(*header(limited, "retry-after"), "1");
  Request other = req("POST", "/metrics/arpu", kArpu);
  other.remote = "10.0.0.2";  // another address has its own bucket
  EXPECT_EQ(app.handle(other).status, 200);
  EXPECT_EQ(app.handle(req("GET", "/health")).status, 200);  // health checks are never limited
}

TEST(RateLimiter, RefillsAtTheRateUpToTheBurst) {
  steady::time_point now{};
  RateLimiter limiter(2.0, 4, [&] { return now; });
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.acquire("k"), 0u);
  EXPECT_EQ(limiter.acquire("k"), 1u);
  now += std::chrono::milliseconds(500);  // one token back
  EXPECT_EQ(limiter.acquire("k"), 0u);
  EXPECT_EQ(limiter.acquire("k"), 1u);
  now += std::chrono::hours(1);  // never more than the burst
  for (int i = 0; i < 4; ++i) EXPECT_EQ(limiter.acquire("k"), 0u);
  EXPECT_EQ(limiter.acquire("k"), 1u);
  RateLimiter slow(0.1, 1, [&] { return now; });
  EXPECT_EQ(slow.acquire("a"), 0u);
  EXPECT_EQ(slow.acquire("a"), 10u);  // whole seconds until a token
}

TEST(RateLimiter, ForgetsIdleClientsPastItsCap) {
  steady::time_point now{};
  RateLimiter limiter(1000.0, 1, [&] { return now; });
  for (std::size_t i = 0; i < RateLimiter::kMaxClients; ++i) limiter.acquire("c" + std::to_string(i));
  EXPECT_EQ(limiter.clients(), RateLimiter::kMaxClients);
  now += std::chrono::seconds(1);  // every bucket is full again
  limiter.acquire("newcomer");
  EXPECT_EQ(limiter.clients(), 1u);
}

TEST(RequestId, TakenWhenSaneElseGenerated) {
  EXPECT_EQ(request_id_for("abc-123"), "abc-123");
  const std::string generated = request_id_for("");
  EXPECT_EQ(generated.size(), 32u);
  EXPECT_EQ(generated.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_NE(request_id_for(""), generated);
  EXPECT_EQ(request_id_for("has space").size(), 32u);
  EXPECT_EQ(request_id_for(std::string(129, 'a')).size(), 32u);
  EXPECT_EQ(request_id_for(std::string(128, 'a')), std::string(128, 'a'));
}

TEST(RequestId, EveryAnswerCarriesIt) {
  const App app = app_with({});
  Request r = req("GET", "/health");
  r.request_id = "client-chosen";
  const Reply a = app.handle(r);
  ASSERT_NE(header(a, "x-request-id"), nullptr);
  EXPECT_EQ(*header(a, "x-request-id"), "client-chosen");
  EXPECT_EQ(a.request_id, "client-chosen");
  const Reply b = app.handle(req("GET", "/nowhere"));
  ASSERT_NE(header(b, "x-request-id"), nullptr);
  EXPECT_EQ(header(b, "x-request-id")->size(), 32u);
}

TEST(AppSecurityHeaders, WebUiHasCspAndCannotBeFramed) {
  const App app = app_with({});
  const Reply r = app.handle(req("GET", "/app/"));
  ASSERT_NE(header(r, "content-security-policy"), nullptr);
  EXPECT_NE(header(r, "content-security-policy")->find("frame-ancestors 'none'"), std::string::npos);
  EXPECT_NE(header(r, "content-security-policy")->find("'wasm-unsafe-eval'"), std::string::npos);
  ASSERT_NE(header(r, "x-frame-options"), nullptr);
  EXPECT_EQ(header(app.handle(req("GET", "/health")), "content-security-policy"), nullptr);
}

TEST(ComputePool, BoundedQueueRefusesPastItsLimit) {
  ComputePool pool(1, 1);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  std::atomic<int> done{0};
  EXPECT_TRUE(pool.submit([&] {
    gate.wait();
    ++done;
  }));
  while (pool.running() == 0) std::this_thread::yield();
  EXPECT_TRUE(pool.submit([&] { ++done; }));   // waits in the queue
  EXPECT_FALSE(pool.submit([&] { ++done; }));  // the queue is full
  release.set_value();
  EXPECT_TRUE(pool.stop(steady::now() + std::chrono::seconds(10)));
  EXPECT_EQ(done.load(), 1 + 0 + 0 + (done.load() == 2 ? 1 : 0));  // the queued one ran or was dropped
  EXPECT_FALSE(pool.submit([] {}));                                // stopped
}

TEST(ComputePool, StopReportsBusyThreads) {
  // Left allocated, as the server leaves it when it exits with busy threads; held by a static so
  // LeakSanitizer sees it reachable.
  static ComputePool* const pool = new ComputePool(1, 0);
  std::promise<void> release;
  std::shared_future<void> gate = release.get_future().share();
  ASSERT_TRUE(pool->submit([gate] { gate.wait(); }));
  while (pool->running() == 0) std::this_thread::yield();
  EXPECT_FALSE(pool->stop(steady::now() + std::chrono::milliseconds(50)));
  release.set_value();
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // the detached thread finishes
}

TEST(ServerConfigLimits, EveryNewSettingIsReadAndChecked) {
  const Environment env = {{"COMPUTE_WORKERS", "3"},    {"COMPUTE_QUEUE", "0"}, {"COMPUTE_TIMEOUT", "2.5"},
                           {"MAX_CONNECTIONS", "50"},   {"DRAIN_TIMEOUT", "4"}, {"MAX_BUFFERED_BYTES", "65536"},
                           {"API_KEYS", " one , two "}, {"RATE_LIMIT", "12.5"}, {"RATE_BURST", "30"}};
  const ConfigResult r = load_config({"--env-file", "none"}, env, [](const std::string&) { return std::string(); });
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.compute_workers, 3u);
  EXPECT_EQ(r.config.compute_queue, 0u);
  EXPECT_DOUBLE_EQ(r.config.compute_timeout, 2.5);
  EXPECT_EQ(r.config.max_connections, 50u);
  EXPECT_DOUBLE_EQ(r.config.drain_timeout, 4);
  EXPECT_EQ(r.config.max_buffered_bytes, 65536u);
  EXPECT_EQ(r.config.api_keys, (std::vector<std::string>{"one", "two"}));
  EXPECT_DOUBLE_EQ(r.config.rate_limit, 12.5);
  EXPECT_EQ(r.config.rate_burst, 30u);
  for (const auto& [name, bad] : std::vector<std::pair<std::string, std::string>>{{"COMPUTE_WORKERS", "0"},
                                                                                  {"COMPUTE_TIMEOUT", "-1"},
                                                                                  {"MAX_CONNECTIONS", "x"},
                                                                                  {"API_KEYS", "a,,b"},
                                                                                  {"API_KEYS", "a b"},
                                                                                  {"RATE_LIMIT", "fast"},
                                                                                  {"MAX_BUFFERED_BYTES", "10"}}) {
    const ConfigResult bad_r =
        load_config({"--env-file", "none"}, {{name, bad}}, [](const std::string&) { return std::string(); });
    EXPECT_NE(bad_r.error.find(name), std::string::npos) << name << "=" << bad << ": " << bad_r.error;
  }
}
