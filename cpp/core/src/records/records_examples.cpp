// The core computes every route's example answer itself (openapi.cpp): no route answers 501 here.
#include "records_handlers.hpp"

namespace pmkpi::detail {

Json elsewhere_response_example(std::string_view) { return nullptr; }

}  // namespace pmkpi::detail
