#include "access.hpp"

#include <algorithm>
#include <cmath>
#include <random>

namespace pmkpi::server {

bool is_open_path(std::string_view path) {
  return path == "/health" || path == "/docs" || path == "/redoc" || path == "/openapi.json" || path == "/app" ||
         path.rfind("/docs/", 0) == 0 || path.rfind("/app/", 0) == 0;
}

std::string request_id_for(std::string_view given) {
  const bool usable = !given.empty() && given.size() <= 128 &&
                      std::all_of(given.begin(), given.end(), [](char c) { return c > ' ' && c <= '~'; });
  if (usable) return std::string(given);
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static const char* hex = "0123456789abcdef";
  std::string id(32, '0');
  for (int half = 0; half < 2; ++half) {
    std::uint64_t bits = rng();
    for (int i = 0; i < 16; ++i, bits >>= 4) id[static_cast<std::size_t>(half * 16 + i)] = hex[bits & 15];
  }
  return id;
}

namespace {

/** Compares without stopping at the first difference, so timing does not reveal a key's prefix. */
bool same(std::string_view a, std::string_view b) {
  unsigned char diff = a.size() == b.size() ? 0 : 1;
  for (std::size_t i = 0; i < a.size(); ++i)
    diff |= static_cast<unsigned char>(a[i] ^ b[i % (b.empty() ? 1 : b.size())]);
  return diff == 0 && !b.empty();
}

std::string_view bearer(std::string_view authorization) {
  if (authorization.size() < 7 || !iequals(authorization.substr(0, 7), "bearer ")) return {};
  std::string_view token = authorization.substr(7);
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

}  // namespace

std::optional<std::string> ApiKeys::match(std::string_view authorization, std::string_view api_key) const {
  const std::string_view presented = !bearer(authorization).empty() ? bearer(authorization) : api_key;
  if (presented.empty()) return std::nullopt;
  bool found = false;
  for (const auto& key : keys_) found = same(presented, key) || found;  // every key compared
  if (!found) return std::nullopt;
  return std::string(presented);
}

RateLimiter::RateLimiter(double rate, unsigned burst, Clock clock)
    : rate_(rate), burst_(burst > 0 ? burst : std::max(1.0, std::ceil(2 * rate))), clock_(std::move(clock)) {}

unsigned RateLimiter::acquire(const std::string& client) {
  const auto now = clock_();
  std::lock_guard<std::mutex> lock(mutex_);
  auto refill = [&](Bucket& b) {
    const double elapsed = std::chrono::duration<double>(now - b.at).count();
    b.tokens = std::min(burst_, b.tokens + std::max(0.0, elapsed) * rate_);
    b.at = now;
  };
  if (buckets_.size() >= kMaxClients && buckets_.find(client) == buckets_.end()) {
    for (auto it = buckets_.begin(); it != buckets_.end();) {
      refill(it->second);
      it = it->second.tokens >= burst_ ? buckets_.erase(it) : std::next(it);
    }
  }
  auto [it, fresh] = buckets_.try_emplace(client, Bucket{burst_, now});
  Bucket& b = it->second;
  if (!fresh) refill(b);
  if (b.tokens >= 1) {
    b.tokens -= 1;
    return 0;
  }
  return static_cast<unsigned>(std::max(1.0, std::ceil((1 - b.tokens) / rate_)));
}

std::size_t RateLimiter::clients() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return buckets_.size();
}

}  // namespace pmkpi::server
