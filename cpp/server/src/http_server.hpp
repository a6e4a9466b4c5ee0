#pragma once
// The network side: Boost.Beast/Asio, one io_context run by N threads. Kept behind this small
// interface so only one translation unit compiles Beast.

#include <memory>
#include <string>

#include "app.hpp"
#include "config.hpp"
#include "log.hpp"

namespace pmkpi::server {

class HttpServer {
 public:
  HttpServer(const Config& config, const Logger& logger);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  /** Binds and listens on the configured address; false with `error` when that fails. */
  bool listen(std::string& error);

  /** The bound port (the configured one, or the one the system picked for port 0). */
  unsigned port() const;

  /**
   * Serves `app` until SIGINT or SIGTERM, then stops accepting, closes idle connections, lets the
   * requests in flight finish for at most DRAIN_TIMEOUT, then drops (and logs) the rest. A second
   * signal stops at once. Heavy requests compute on a pool of COMPUTE_WORKERS threads apart from
   * the I/O threads, so the signal and /health are always handled promptly. Returns true when the
   * drain was clean (no request dropped).
   */
  bool run(const App& app);

  struct Impl;

 private:
  std::unique_ptr<Impl> impl_;
};

}  // namespace pmkpi::server
