#include "log.hpp"

#include <unistd.h>

#include <cerrno>

#include "pmkpi/api.hpp"
#include "reply.hpp"

namespace pmkpi::server {

std::string format_access_line(const AccessRecord& r) {
  std::string line;
  line.reserve(200 + r.path.size());
  line += "{\"time\":\"";
  line += iso_timestamp(r.time);
  line += "\",\"level\":\"info\",\"event\":\"access\",\"method\":";
  line += json_quote(r.method);
  line += ",\"path\":";
  line += json_quote(r.path);
  line += ",\"status\":";
  line += std::to_string(r.status);
  line += ",\"duration_us\":";
  line += std::to_string(r.duration_us);
  line += ",\"bytes\":";
  line += std::to_string(r.bytes);
  line += ",\"remote\":";
  line += json_quote(r.remote);
  if (!r.request_id.empty()) {
    line += ",\"request_id\":";
    line += json_quote(r.request_id);
  }
  if (!r.forwarded_for.empty()) {
    line += ",\"forwarded_for\":";
    line += json_quote(r.forwarded_for);
  }
  line += "}\n";
  return line;
}

std::string format_event_line(std::chrono::system_clock::time_point time, LogLevel level, std::string_view event,
                              std::string_view message,
                              const std::vector<std::pair<std::string, std::string>>& fields) {
  std::string line = "{\"time\":\"" + iso_timestamp(time) + "\",\"level\":\"" + std::string(log_level_name(level)) +
                     "\",\"event\":" + json_quote(event) + ",\"message\":" + json_quote(message);
  for (const auto& [name, json_value] : fields) line += "," + json_quote(name) + ":" + json_value;
  line += "}\n";
  return line;
}

void Logger::write_line(std::string line) const {
  // One write per line: lines from several threads never interleave.
  std::size_t done = 0;
  while (done < line.size()) {
    const ssize_t n = ::write(fd_, line.data() + done, line.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return;  // a closed log stream must not stop the server
    done += static_cast<std::size_t>(n);
  }
}

void Logger::access(const AccessRecord& record) const {
  if (enabled(LogLevel::Info)) write_line(format_access_line(record));
}

void Logger::event(LogLevel level, std::string_view event, std::string_view message,
                   const std::vector<std::pair<std::string, std::string>>& fields) const {
  if (enabled(level)) write_line(format_event_line(std::chrono::system_clock::now(), level, event, message, fields));
}

void Logger::always(std::string_view event, std::string_view message,
                    const std::vector<std::pair<std::string, std::string>>& fields) const {
  write_line(format_event_line(std::chrono::system_clock::now(), LogLevel::Info, event, message, fields));
}

}  // namespace pmkpi::server
