#pragma once
// Cooperative cancellation of one handle() call. A caller that may stop wanting the answer (the
// server, when the client closes its connection or COMPUTE_TIMEOUT passes) sets
// ApiOptions::cancelled; handle() installs it for its thread while it runs, and the long loops of
// the engines (each ETS fit, every 65,536 records rows) call stop_if_cancelled(), which unwinds to
// handle() with Cancelled. Nothing is installed outside handle(): the CLI and the benchmarks that
// call the engines directly never stop.

#include <cstddef>
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

/**
 * Progress of a long read: while a ProgressScope is in scope, the records row reader reports how
 * far it got (bytes of text, or items of a JSON array, out of the total) every 65,536 rows, at the
 * same checkpoint as the cancellation check. The WebAssembly module installs one so that the page's
 * Worker can show a large file's progress; nothing else does.
 */
using ProgressReport = std::function<void(std::size_t done, std::size_t total)>;

class ProgressScope {
 public:
  explicit ProgressScope(const ProgressReport& report);
  ~ProgressScope();
  ProgressScope(const ProgressScope&) = delete;
  ProgressScope& operator=(const ProgressScope&) = delete;

 private:
  const ProgressReport* previous_;
};

/** Tells this thread's ProgressScope (if any) how far the read got. */
void report_progress(std::size_t done, std::size_t total);

}  // namespace pmkpi::detail
