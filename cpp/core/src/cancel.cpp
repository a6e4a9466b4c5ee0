#include "cancel.hpp"

namespace pmkpi::detail {
namespace {
thread_local const std::function<bool()>* t_check = nullptr;
thread_local const ProgressReport* t_report = nullptr;
}  // namespace

CancelScope::CancelScope(const std::function<bool()>& check) : previous_(t_check) {
  t_check = check ? &check : nullptr;
}

CancelScope::~CancelScope() { t_check = previous_; }

void stop_if_cancelled() {
  if (t_check != nullptr && (*t_check)()) throw Cancelled{};
}

ProgressScope::ProgressScope(const ProgressReport& report) : previous_(t_report) {
  t_report = report ? &report : nullptr;
}

ProgressScope::~ProgressScope() { t_report = previous_; }

void report_progress(std::size_t done, std::size_t total) {
  if (t_report != nullptr) (*t_report)(done, total);
}

}  // namespace pmkpi::detail
