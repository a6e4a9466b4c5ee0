#pragma once
// Partial states of the records engines (docs/PARTIALS.md): what one shard of an event log or of a
// subscription export reduces to, merged associatively and commutatively into the answer a single
// pass over the whole input gives. Shards must split the rows by user (events) or by customer
// (subscriptions); a user or customer in two shards is an error naming it.
//
//   records_partial("/records/events", body)   the route's body (one shard's rows) -> partial state
//   merge_partials({a, b, ...})                 partial states -> one partial state
//   finish_partial(state)                       partial state -> the route's 200 answer (or its 422)

#include <string_view>
#include <vector>

#include "pmkpi/json.hpp"

namespace pmkpi::records {

/** The format's name and version, in every partial state ("format", "version"). */
inline constexpr const char* kPartialFormat = "pmkpi-partial";
inline constexpr int kPartialVersion = 1;

struct PartialAnswer {
  int status = 200;
  Json body;  // a partial state or the route's answer on 200; {"detail": [...]} otherwise
};

/**
 * The partial state of one shard: `path` is "/records/events" or "/records/subscriptions" and `body`
 * that route's request body, validated as the route validates it (422 for what the route rejects).
 */
PartialAnswer records_partial(std::string_view path, const Json& body);

/**
 * One partial state from any number (at least one) of the same kind and options: 422 naming the
 * state and the differing option, the user or customer found in two states, or what makes a state
 * unreadable.
 */
PartialAnswer merge_partials(const std::vector<Json>& states);

/** The route's answer from a partial state: identical to the single pass over the same rows. */
PartialAnswer finish_partial(const Json& state);

}  // namespace pmkpi::records
