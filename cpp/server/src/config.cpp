#include "config.hpp"

#include "pmkpi/json.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace pmkpi::server {
namespace {

using pmkpi::trim;

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

template <typename T>
bool parse_unsigned(std::string_view text, T& out) {
  text = trim(text);
  if (text.empty()) return false;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  return ec == std::errc() && end == text.data() + text.size();
}

bool parse_seconds(std::string_view text, double& out) {
  const std::string s(trim(text));
  if (s.empty() || !(std::isdigit(static_cast<unsigned char>(s[0])) || s[0] == '.')) return false;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size() || !std::isfinite(v) || v <= 0 || v > 86400) return false;
  out = v;
  return true;
}

/** One setting: its variable, its flag, and how a text value is checked and stored. */
struct Setting {
  const char* variable;  // API_PORT
  const char* flag;      // --port
  const char* meta;      // PORT
  const char* help;
  // Stores a valid value and returns "", or returns what is wrong with it.
  std::string (*apply)(Config&, std::string_view);
};

std::string apply_host(Config& c, std::string_view v) {
  v = trim(v);
  if (!valid_host(v)) return "not an IP address (for example 0.0.0.0, 127.0.0.1, :: or ::1)";
  c.host = std::string(v);
  return "";
}

std::string apply_port(Config& c, std::string_view v) {
  unsigned port = 0;
  if (!parse_unsigned(v, port) || port > 65535) return "not a port number (0 to 65535; 0 picks a free port)";
  c.port = port;
  return "";
}

std::string apply_cors(Config& c, std::string_view v) {
  std::vector<std::string> origins;
  std::string_view rest = v;
  while (true) {
    const std::size_t comma = rest.find(',');
    const std::string_view item = trim(rest.substr(0, comma));
    if (item == "*") {
      origins.emplace_back("*");
    } else if (auto o = normalize_origin(item)) {
      origins.push_back(*o);
    } else {
      return item.empty() ? std::string("has an empty entry: give * or a comma-separated list of origins")
                          : "\"" + std::string(item) + "\" is not an origin (scheme://host[:port], no path), nor *";
    }
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  if (origins.size() > 1 && std::find(origins.begin(), origins.end(), "*") != origins.end())
    return "mixes * with explicit origins: give one or the other";
  c.cors_origins = std::move(origins);
  return "";
}

std::string apply_log_level(Config& c, std::string_view v) {
  const std::string s = lower(trim(v));
  if (s == "debug")
    c.log_level = LogLevel::Debug;
  else if (s == "info")
    c.log_level = LogLevel::Info;
  else if (s == "warning" || s == "warn")
    c.log_level = LogLevel::Warning;
  else if (s == "error")
    c.log_level = LogLevel::Error;
  else
    return "not a log level (debug, info, warning or error)";
  return "";
}

std::string apply_workers(Config& c, std::string_view v) {
  unsigned n = 0;
  if (!parse_unsigned(v, n) || n < 1 || n > 1024) return "not a number of worker threads (1 to 1024)";
  c.workers = n;
  return "";
}

std::string apply_max_body(Config& c, std::string_view v) {
  std::uint64_t n = 0;
  if (!parse_unsigned(v, n) || n < 1 || n > (1ull << 32)) return "not a number of bytes (1 to 4294967296)";
  c.max_body_bytes = n;
  return "";
}

/** A duration in seconds (above 0, at most a day) into the Config member `Field`. */
template <double Config::*Field>
std::string apply_seconds(Config& c, std::string_view v) {
  return parse_seconds(v, c.*Field) ? "" : "not a number of seconds (above 0, at most 86400)";
}

/** A directory given explicitly (it must then exist); `what` says what it holds. */
std::string set_dir(std::string& dir, bool& given, std::string_view v, const char* what) {
  if (trim(v).empty()) return std::string("is empty: give the directory of ") + what;
  dir = std::string(trim(v));
  given = true;
  return "";
}

std::string apply_ui_dir(Config& c, std::string_view v) {
  return set_dir(c.ui_dir, c.ui_dir_given, v, "the built web UI");
}
std::string apply_docs_dir(Config& c, std::string_view v) {
  return set_dir(c.docs_dir, c.docs_dir_given, v, "the Swagger UI and ReDoc assets");
}

template <unsigned Min, unsigned Max>
std::string apply_count(unsigned& out, std::string_view v) {
  unsigned n = 0;
  if (!parse_unsigned(v, n) || n < Min || n > Max)
    return "not a whole number from " + std::to_string(Min) + " to " + std::to_string(Max);
  out = n;
  return "";
}

std::string apply_compute_workers(Config& c, std::string_view v) { return apply_count<1, 1024>(c.compute_workers, v); }
std::string apply_compute_queue(Config& c, std::string_view v) { return apply_count<0, 1000000>(c.compute_queue, v); }
std::string apply_max_connections(Config& c, std::string_view v) {
  return apply_count<1, 1000000>(c.max_connections, v);
}
std::string apply_rate_burst(Config& c, std::string_view v) { return apply_count<1, 1000000>(c.rate_burst, v); }

std::string apply_max_buffered(Config& c, std::string_view v) {
  std::uint64_t n = 0;
  if (!parse_unsigned(v, n) || n < 1024 || n > (1ull << 40)) return "not a number of bytes (1024 to 1099511627776)";
  c.max_buffered_bytes = n;
  return "";
}

std::string apply_api_keys(Config& c, std::string_view v) {
  std::vector<std::string> keys;
  std::string_view rest = v;
  while (!trim(rest).empty()) {
    const std::size_t comma = rest.find(',');
    const std::string_view key = trim(rest.substr(0, comma));
    if (key.empty()) return "has an empty entry: give keys separated by commas";
    for (char ch : key)
      if (ch <= ' ' || ch > '~') return "has a key with a space or a character outside printable ASCII";
    keys.emplace_back(key);
    if (comma == std::string_view::npos) break;
    rest.remove_prefix(comma + 1);
  }
  c.api_keys = std::move(keys);
  return "";
}

std::string apply_rate_limit(Config& c, std::string_view v) {
  const std::string s(trim(v));
  if (s == "0") {
    c.rate_limit = 0;
    return "";
  }
  return parse_seconds(s, c.rate_limit) ? "" : "not a number of requests per second (0 turns it off; at most 86400)";
}

const Setting kSettings[] = {
    {"API_HOST", "--host", "ADDRESS", "address to listen on (default 0.0.0.0)", apply_host},
    {"API_PORT", "--port", "PORT", "port to listen on; 0 picks a free one (default 8000)", apply_port},
    {"CORS_ORIGINS", "--cors-origins", "LIST", "origins allowed by CORS, comma-separated, or * (default *)",
     apply_cors},
    {"LOG_LEVEL", "--log-level", "LEVEL",
     "debug, info (one access-log line per request), warning or error (default info)", apply_log_level},
    {"API_WORKERS", "--workers", "N", "threads serving requests (default: one per core)", apply_workers},
    {"MAX_BODY_BYTES", "--max-body-bytes", "BYTES", "largest request body; 413 beyond (default 16777216)",
     apply_max_body},
    {"KEEP_ALIVE_TIMEOUT", "--keep-alive-timeout", "SECONDS", "idle time before a connection is closed (default 5)",
     apply_seconds<&Config::keep_alive_timeout>},
    {"REQUEST_TIMEOUT", "--request-timeout", "SECONDS",
     "time allowed to receive one request and to send its answer (default 30)",
     apply_seconds<&Config::request_timeout>},
    {"UI_DIR", "--ui-dir", "DIR", "built web UI served under /app/ (default dist/app, when it exists)", apply_ui_dir},
    {"DOCS_DIR", "--docs-dir", "DIR", "Swagger UI and ReDoc assets (default: docs-assets next to the binary)",
     apply_docs_dir},
    {"COMPUTE_WORKERS", "--compute-workers", "N",
     "threads computing forecasts and analyses, apart from the I/O threads (default: one per core)",
     apply_compute_workers},
    {"COMPUTE_QUEUE", "--compute-queue", "N",
     "forecast requests waiting for a compute thread; 503 with Retry-After beyond (default 64)", apply_compute_queue},
    {"COMPUTE_TIMEOUT", "--compute-timeout", "SECONDS",
     "time one forecast request may compute; 503 beyond (default 30)", apply_seconds<&Config::compute_timeout>},
    {"MAX_CONNECTIONS", "--max-connections", "N", "open connections; more are answered 503 (default 10000)",
     apply_max_connections},
    {"MAX_BUFFERED_BYTES", "--max-buffered-bytes", "BYTES",
     "request bodies being received, all connections together; 503 beyond (default 268435456)", apply_max_buffered},
    {"DRAIN_TIMEOUT", "--drain-timeout", "SECONDS",
     "time a stop waits for the requests in flight; exit status 1 if some were dropped (default 10)",
     apply_seconds<&Config::drain_timeout>},
    {"API_KEYS", "--api-keys", "LIST",
     "keys the API asks for (Authorization: Bearer KEY or X-API-Key: KEY), comma-separated; /health, the docs and "
     "the UI stay open (default: none, no authentication)",
     apply_api_keys},
    {"RATE_LIMIT", "--rate-limit", "PER_SECOND",
     "requests per second per API key or client address; 429 beyond "
     "(default 0: off)",
     apply_rate_limit},
    {"RATE_BURST", "--rate-burst", "N", "requests a client may send at once under RATE_LIMIT (default: twice the rate)",
     apply_rate_burst},
};

/** Applies every known variable of `vars`; `source` names where they came from in messages. */
std::string apply_variables(Config& c, const Environment& vars, const std::string& source) {
  for (const Setting& s : kSettings) {
    auto it = vars.find(s.variable);
    if (it == vars.end()) continue;
    if (std::string why = s.apply(c, it->second); !why.empty())
      return std::string(s.variable) + "=\"" + it->second + "\" (" + source + ") " + why;
  }
  return "";
}

}  // namespace

std::string_view log_level_name(LogLevel level) {
  switch (level) {
    case LogLevel::Debug:
      return "debug";
    case LogLevel::Info:
      return "info";
    case LogLevel::Warning:
      return "warning";
    case LogLevel::Error:
      return "error";
  }
  return "info";
}

bool valid_host(std::string_view host) {
  if (host == "localhost") return true;
  if (host.empty() || host.size() > 64) return false;
  const std::string h(host);
  unsigned char buf[16];
  return inet_pton(AF_INET, h.c_str(), buf) == 1 || inet_pton(AF_INET6, h.c_str(), buf) == 1;
}

std::optional<std::string> normalize_origin(std::string_view origin) {
  std::string o = lower(trim(origin));
  if (!o.empty() && o.back() == '/') o.pop_back();
  const std::size_t sep = o.find("://");
  if (sep == std::string::npos) return std::nullopt;
  const std::string scheme = o.substr(0, sep), authority = o.substr(sep + 3);
  if (scheme != "http" && scheme != "https") return std::nullopt;
  if (authority.empty()) return std::nullopt;
  for (char ch : authority) {
    const bool ok = std::isalnum(static_cast<unsigned char>(ch)) || ch == '.' || ch == '-' || ch == ':' || ch == '[' ||
                    ch == ']' || ch == '_';
    if (!ok) return std::nullopt;  // a path, a query, user info or a space
  }
  return o;
}

bool parse_dotenv(std::string_view text, Environment& out, std::string& error) {
  std::size_t line_no = 0;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    std::string_view line = text.substr(0, nl);
    text = nl == std::string_view::npos ? std::string_view() : text.substr(nl + 1);
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    line = trim(line);
    if (line.empty() || line.front() == '#') continue;
    if (line.substr(0, 7) == "export ") line = trim(line.substr(7));
    const std::size_t eq = line.find('=');
    const std::string_view key = trim(line.substr(0, eq));
    bool key_ok = eq != std::string_view::npos && !key.empty() && !std::isdigit(static_cast<unsigned char>(key[0]));
    for (char ch : key) key_ok = key_ok && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    if (!key_ok) {
      error = "line " + std::to_string(line_no) + " is not KEY=VALUE: " + std::string(line);
      return false;
    }
    std::string_view value = trim(line.substr(eq + 1));
    if (!value.empty() && (value.front() == '"' || value.front() == '\'')) {
      const char quote = value.front();
      const std::size_t close = value.find(quote, 1);
      if (close == std::string_view::npos) {
        error = "line " + std::to_string(line_no) + " has an unterminated quoted value";
        return false;
      }
      value = value.substr(1, close - 1);
    } else if (const std::size_t hash = value.find(" #"); hash != std::string_view::npos) {
      value = trim(value.substr(0, hash));  // an inline comment after an unquoted value
    }
    out[std::string(key)] = std::string(value);
  }
  return true;
}

std::string usage_text() {
  std::string out =
      "usage: pmkpi-server [options]\n"
      "\n"
      "Serves the pmkpi REST API, its documentation (/docs, /redoc, /openapi.json) and the web UI (/app/).\n"
      "Each option can also be set by its environment variable, or in a .env file in the working\n"
      "directory; flags win over the environment, which wins over the .env file.\n"
      "\n";
  for (const Setting& s : kSettings) {
    std::string left = std::string("  ") + s.flag + " " + s.meta;
    left.resize(std::max<std::size_t>(left.size() + 1, 34), ' ');
    out += left + s.variable + ": " + s.help + "\n";
  }
  out +=
      "  --env-file FILE                 the .env file to read (default .env; a missing file is skipped)\n"
      "  --help, --version\n"
      "\n"
      "SIGINT or SIGTERM stops accepting connections, finishes the requests in flight (at most DRAIN_TIMEOUT)\n"
      "and exits 0, or 1 when requests had to be dropped (each is logged).\n"
      "Exit status 2: a bad option or value; 1: the address cannot be bound, or the drain was not clean.\n";
  return out;
}

ConfigResult load_config(const std::vector<std::string>& args, const Environment& env, const FileReader& read_file) {
  ConfigResult result;
  // First pass over the flags: only --help, --version and --env-file change what is read.
  std::vector<std::pair<const Setting*, std::string>> flags;
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i], value;
    bool has_value = false;
    if (const std::size_t eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_value = true;
    }
    if (name == "--help" || name == "-h") {
      result.help = true;
      return result;
    }
    if (name == "--version") {
      result.version = true;
      return result;
    }
    const Setting* setting = nullptr;
    for (const Setting& s : kSettings)
      if (name == s.flag) setting = &s;
    if (setting == nullptr && name != "--env-file") {
      result.error = "unknown option " + name + " (see --help)";
      return result;
    }
    if (!has_value) {
      if (i + 1 >= args.size()) {
        result.error = "option " + name + " needs a value";
        return result;
      }
      value = args[++i];
    }
    if (setting == nullptr) {
      if (value.empty()) {
        result.error = "option --env-file needs a file name";
        return result;
      }
      result.config.env_file = value;
    } else {
      flags.emplace_back(setting, value);
    }
  }

  Config& c = result.config;
  if (auto text = read_file(c.env_file)) {
    Environment dotenv;
    std::string why;
    if (!parse_dotenv(*text, dotenv, why)) {
      result.error = c.env_file + ": " + why;
      return result;
    }
    if (std::string e = apply_variables(c, dotenv, "from " + c.env_file); !e.empty()) {
      result.error = e;
      return result;
    }
  } else if (c.env_file != ".env") {
    result.error = "the env file " + c.env_file + " cannot be read";
    return result;
  }
  if (std::string e = apply_variables(c, env, "from the environment"); !e.empty()) {
    result.error = e;
    return result;
  }
  for (const auto& [s, value] : flags) {
    if (std::string why = s->apply(c, value); !why.empty()) {
      result.error = std::string(s->flag) + " \"" + value + "\" " + why;
      return result;
    }
  }
  return result;
}

}  // namespace pmkpi::server
