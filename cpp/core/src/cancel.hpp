#pragma once
// Cooperative cancellation of one handle() call. A caller that may stop wanting the answer (the
// server, when the client closes its connection or COMPUTE_TIMEOUT passes) sets
// ApiOptions::cancelled; handle() installs it for its thread while it runs, and the long loops of
// the engines (each ETS fit, every 65,536 records rows) call stop_if_cancelled(), which unwinds to
// handle() with Cancelled. Nothing is installed outside handle(): the CLI and the benchmarks that
// call the engines directly never stop.

#include <functional>

namespace pmkpi::detail {

/** Thrown by stop_if_cancelled(); not a std::exception, so no "internal error" handler takes it. */
struct Cancelled {};

/** Installs `check` (may be empty) as this thread's cancellation check while in scope. */
class CancelScope {
 public:
  explicit CancelScope(const std::function<bool()>& check);
  ~CancelScope();
  CancelScope(const CancelScope&) = delete;
  CancelScope& operator=(const CancelScope&) = delete;

 private:
  const std::function<bool()>* previous_;
};

/** Throws Cancelled when the running handle() call's caller no longer wants the answer. */
void stop_if_cancelled();

}  // namespace pmkpi::detail
