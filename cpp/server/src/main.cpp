// pmkpi-server: the REST API of the core over HTTP/1.1, with its docs pages and the web UI.
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <thread>

#include "app.hpp"
#include "config.hpp"
#include "http_server.hpp"
#include "log.hpp"
#include "pmkpi/api.hpp"

extern char** environ;

namespace {

using namespace pmkpi::server;
namespace fs = std::filesystem;

std::optional<std::string> read_text_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    const std::string entry = *e;
    const std::size_t eq = entry.find('=');
    if (eq != std::string::npos) env[entry.substr(0, eq)] = entry.substr(eq + 1);
  }
  return env;
}

/** docs-assets next to the executable: where the build puts them, and where the image copies them. */
std::string default_docs_dir() {
  std::error_code ec;
  const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("docs-assets") : (exe.parent_path() / "docs-assets").string();
}

int fail(int status, const std::string& message) {
  std::cerr << "pmkpi-server: " << message << "\n";
  if (status == 2) std::cerr << "Run pmkpi-server --help for the options.\n";
  return status;
}

}  // namespace

int main(int argc, char** argv) {
  // A closed log pipe must not kill the server; write() then just fails.
  std::signal(SIGPIPE, SIG_IGN);

  const ConfigResult loaded =
      load_config(std::vector<std::string>(argv + 1, argv + argc), process_environment(), read_text_file);
  if (loaded.help) {
    std::cout << usage_text();
    return 0;
  }
  if (loaded.version) {
    std::cout << "pmkpi-server " << pmkpi::kApiVersion << "\n";
    return 0;
  }
  if (!loaded.error.empty()) return fail(2, loaded.error);
  Config config = loaded.config;
  if (config.workers == 0) config.workers = std::max(1u, std::thread::hardware_concurrency());
  if (config.compute_workers == 0) config.compute_workers = std::max(1u, std::thread::hardware_concurrency());
  const Logger logger(config.log_level);

  DocsSite docs;
  const std::string docs_dir = config.docs_dir_given ? config.docs_dir : default_docs_dir();
  std::string why;
  if (auto loaded_docs = DocsSite::load(docs_dir, why)) {
    docs = std::move(*loaded_docs);
  } else if (config.docs_dir_given) {
    return fail(2, "DOCS_DIR " + docs_dir + " does not hold the Swagger UI and ReDoc assets: " + why);
  } else {
    logger.event(LogLevel::Warning, "docs_missing", "/docs and /redoc are unavailable: " + why);
  }

  std::optional<StaticSite> ui;
  if (config.ui_dir_given || fs::exists(config.ui_dir)) {
    ui = StaticSite::open(config.ui_dir, why);
    if (!ui) return fail(2, "UI_DIR: " + why);
  }

  HttpServer server(config, logger);
  if (!server.listen(why)) return fail(1, why);
  const unsigned port = server.port();

  pmkpi::ApiOptions api;
  api.servers = api_servers(config.host, port);
  const App app(CorsPolicy(config.cors_origins), api, std::move(docs), std::move(ui),
                AccessOptions{config.api_keys, config.rate_limit, config.rate_burst});

  std::string message = "pmkpi-server " + std::string(pmkpi::kApiVersion) + " listening on " +
                        local_url(config.host, port, "/") + " with " + std::to_string(config.workers) +
                        " worker thread(s); API docs: " + local_url(config.host, port, "/docs");
  message += app.has_ui() ? "; web UI: " + local_url(config.host, port, "/app/")
                          : "; web UI: not built (no " + config.ui_dir + ")";
  logger.always("listening", message,
                {{"host", json_quote(config.host)},
                 {"port", std::to_string(port)},
                 {"workers", std::to_string(config.workers)},
                 {"compute_workers", std::to_string(config.compute_workers)},
                 {"api_keys", config.api_keys.empty() ? "false" : "true"},
                 {"rate_limit", std::to_string(config.rate_limit)},
                 {"docs", app.has_docs() ? "true" : "false"},
                 {"ui", app.has_ui() ? "true" : "false"}});

  if (server.run(app)) {
    logger.event(LogLevel::Info, "stopped", "every connection is closed; exiting");
    return 0;
  }
  logger.event(LogLevel::Warning, "stopped", "requests were dropped by the stop (see request_dropped); exit status 1");
  std::fflush(nullptr);
  std::_Exit(1);  // compute threads may still run: no static destructors under them
}
