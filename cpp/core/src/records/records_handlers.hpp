#pragma once
// The records routes' handlers, declared apart from their catalog declarations (the routes' fields,
// schemas and wording): the WebAssembly module of the pages that compute no records (pmkpi-core)
// links its own definitions of these two (cpp/wasm/records_elsewhere.cpp), and the records
// engines stay out of it; the client sends /records/* to the records module (pmkpi-records).

#include <string_view>

#include "pmkpi/catalog.hpp"

namespace pmkpi::detail {

/** POST /records/subscriptions (subscriptions_handler.cpp). */
RouteOutcome records_subscriptions_handler(const Args& a);

/** POST /records/events (events_request.cpp). */
RouteOutcome records_events_handler(const Args& a);

/**
 * The example answer of a route whose handler answered 501 (computed elsewhere): null in the core
 * (records_examples.cpp), which computes every example itself; pmkpi-core.wasm defines its own,
 * generated at build time from pmkpi-records.wasm's answers (cpp/wasm/records_elsewhere.cpp).
 */
Json elsewhere_response_example(std::string_view path);

}  // namespace pmkpi::detail
