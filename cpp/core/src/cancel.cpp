#include "cancel.hpp"

namespace pmkpi::detail {
namespace {
thread_local const std::function<bool()>* t_check = nullptr;
}  // namespace

CancelScope::CancelScope(const std::function<bool()>& check) : previous_(t_check) {
  t_check = check ? &check : nullptr;
}

CancelScope::~CancelScope() { t_check = previous_; }

void stop_if_cancelled() {
  if (t_check != nullptr && (*t_check)()) throw Cancelled{};
}

}  // namespace pmkpi::detail
