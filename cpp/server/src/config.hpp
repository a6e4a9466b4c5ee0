#pragma once
// Configuration of the server: defaults, then a .env file, then the environment, then flags.
// Pure functions of their inputs, so every rule is unit-tested without starting a server.

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace pmkpi::server {

enum class LogLevel { Debug, Info, Warning, Error };

std::string_view log_level_name(LogLevel level);

struct Config {
  std::string host = "0.0.0.0";
  unsigned port = 8000;                        // 0: an ephemeral port, printed at startup
  std::vector<std::string> cors_origins{"*"};  // "*" or exact origins, lower case, no trailing slash
  LogLevel log_level = LogLevel::Info;
  unsigned workers = 0;                        // threads running the io_context; 0: one per core
  std::uint64_t max_body_bytes = 16ull << 20;  // 413 beyond
  double keep_alive_timeout = 5.0;             // seconds a connection may sit idle between requests
  double request_timeout = 30.0;               // seconds to receive one request, and to send its answer
  std::string ui_dir = "dist/app";             // the web UI served under /app/
  bool ui_dir_given = false;                   // given explicitly: it must then exist
  std::string docs_dir;                        // Swagger UI and ReDoc assets; empty: next to the binary
  bool docs_dir_given = false;
  std::string env_file = ".env";
  // Bounded work and memory (issue 15).
  unsigned compute_workers = 0;                     // threads computing heavy requests; 0: one per core
  unsigned compute_queue = 64;                      // heavy requests waiting for a compute thread; 503 beyond
  double compute_timeout = 30.0;                    // seconds a heavy request may compute; 503 beyond
  unsigned max_connections = 10000;                 // open connections; more are answered 503 and closed
  std::uint64_t max_buffered_bytes = 256ull << 20;  // request bodies being received, all together; 503 beyond
  double drain_timeout = 10.0;                      // seconds a stop waits for the requests in flight
  // Access control, off by default.
  std::vector<std::string> api_keys;  // empty: no authentication
  double rate_limit = 0;              // requests per second per client (API key, else address); 0: off
  unsigned rate_burst = 0;            // requests a client may send at once; 0: twice the rate (at least 1)
};

using Environment = std::map<std::string, std::string, std::less<>>;

/** Reads a file's text, or nullopt when it does not exist (the .env file is optional). */
using FileReader = std::function<std::optional<std::string>(const std::string& path)>;

struct ConfigResult {
  Config config;
  std::string error;     // non-empty: the message to print, exit status 2
  bool help = false;     // --help was asked
  bool version = false;  // --version was asked
};

/**
 * Parses .env text: KEY=VALUE lines, `#` comments, an optional `export ` prefix, values optionally
 * in single or double quotes. Returns false with a message naming the line for a malformed line.
 */
bool parse_dotenv(std::string_view text, Environment& out, std::string& error);

/**
 * The configuration from the command line (`args` without the program name), the process
 * environment and the .env file read through `read_file`. The environment wins over the .env
 * file and flags win over both. Every bad value gives an error naming the variable and its source.
 */
ConfigResult load_config(const std::vector<std::string>& args, const Environment& env, const FileReader& read_file);

/** The --help text, generated from the table of settings. */
std::string usage_text();

/** Whether `host` is an IPv4 or IPv6 address literal (or "localhost"). */
bool valid_host(std::string_view host);

/** An origin normalised for comparison ("HTTPS://App.example.com/" -> "https://app.example.com"), or nullopt. */
std::optional<std::string> normalize_origin(std::string_view origin);

}  // namespace pmkpi::server
