#pragma once
// The subscriptions route's halves for partial states (partial.cpp): its options are read where the
// route reads them, so a partial state means what the route's body means.

#include "pmkpi/catalog.hpp"
#include "subscriptions_internal.hpp"

namespace pmkpi::detail {

/** One shard's partial state without its envelope: reading, rows, warnings, ids, state; or the 422. */
RouteOutcome subscriptions_partial(const Args& a);

/** The route's answer (banded) from validated options and a merged state. */
RouteOutcome subscriptions_finish(const Args& options, const Json& state, records::detail::ReportInputs inputs);

}  // namespace pmkpi::detail
