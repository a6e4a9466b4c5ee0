#pragma once
// Structured logging: one JSON object per line on standard output.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config.hpp"

namespace pmkpi::server {

/** What the access log records of one answered request. */
struct AccessRecord {
  std::chrono::system_clock::time_point time;
  std::string_view method;
  std::string_view path;  // without the query string, which may carry anything
  int status = 0;
  std::int64_t duration_us = 0;
  std::uint64_t bytes = 0;         // body bytes sent
  std::string_view remote;         // client address
  std::string_view request_id;     // X-Request-ID, taken from the request or generated; omitted when empty
  std::string_view forwarded_for;  // X-Forwarded-For as a proxy sent it (the client behind it); omitted when empty
};

/** {"time":...,"level":"info","event":"access","method":...,"path":...,"status":...,"duration_us":...,"bytes":...,"remote":...,"request_id":...} */
std::string format_access_line(const AccessRecord& record);

/** {"time":...,"level":...,"event":...,"message":..., extra fields...}; `fields` values are JSON texts. */
std::string format_event_line(std::chrono::system_clock::time_point time, LogLevel level, std::string_view event,
                              std::string_view message,
                              const std::vector<std::pair<std::string, std::string>>& fields = {});

class Logger {
 public:
  explicit Logger(LogLevel level, int fd = 1) : level_(level), fd_(fd) {}

  bool enabled(LogLevel level) const { return level >= level_; }

  /** Access lines are info: written at debug and info, never at warning or error. */
  void access(const AccessRecord& record) const;

  void event(LogLevel level, std::string_view event, std::string_view message,
             const std::vector<std::pair<std::string, std::string>>& fields = {}) const;

  /** Written whatever the level: the line that says where the server listens. */
  void always(std::string_view event, std::string_view message,
              const std::vector<std::pair<std::string, std::string>>& fields = {}) const;

 private:
  void write_line(std::string line) const;
  LogLevel level_;
  int fd_;
};

}  // namespace pmkpi::server
