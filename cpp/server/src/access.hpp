#pragma once
// Access control and request identity, all off by default: API keys (401), a per-client rate
// limit with a burst (429 + Retry-After), and the X-Request-ID every answer carries.

#include <chrono>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "reply.hpp"

namespace pmkpi::server {

/** Requests that need neither a key nor a token: /health, the docs pages and assets, the web UI. */
bool is_open_path(std::string_view path);

/**
 * The X-Request-ID of a request: the client's, when it is 1 to 128 visible ASCII characters;
 * otherwise a new random one (32 hex digits).
 */
std::string request_id_for(std::string_view given);

/** Checks API keys: constant-time comparison, Bearer or X-API-Key. */
class ApiKeys {
 public:
  explicit ApiKeys(std::vector<std::string> keys) : keys_(std::move(keys)) {}
  bool enabled() const { return !keys_.empty(); }
  /** The key the request presents (Authorization: Bearer K, else X-API-Key: K), when it is valid. */
  std::optional<std::string> match(std::string_view authorization, std::string_view api_key) const;

 private:
  std::vector<std::string> keys_;
};

/**
 * Token buckets per client: `rate` tokens a second, at most `burst` stored. Thread-safe. Memory
 * is bounded: past kMaxClients buckets, the full ones (clients idle long enough) are forgotten.
 */
class RateLimiter {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;
  static constexpr std::size_t kMaxClients = 100000;

  RateLimiter(double rate, unsigned burst, Clock clock = std::chrono::steady_clock::now);
  bool enabled() const { return rate_ > 0; }
  /** 0 when `client` may go ahead (a token is taken), else the whole seconds until it may retry. */
  unsigned acquire(const std::string& client);
  std::size_t clients() const;

 private:
  struct Bucket {
    double tokens;
    std::chrono::steady_clock::time_point at;
  };
  double rate_;
  double burst_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::unordered_map<std::string, Bucket> buckets_;
};

}  // namespace pmkpi::server
