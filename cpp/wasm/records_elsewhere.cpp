// The records handlers of pmkpi-core, the module most pages load: it declares the records routes
// (their fields, schemas and wording are in its OpenAPI document and listing) but leaves their
// engines to pmkpi-records, which the client loads the first time a /records/* request comes and
// sends every such request to. Called directly, this module says so. The routes' example answers
// in its OpenAPI document are pmkpi-records' own, written at build time (records-examples.mjs).
#include "pmkpi/catalog.hpp"
#include "records_examples.inc"  // kRecordsExamples: {path: example answer}, generated
#include "records_handlers.hpp"

namespace pmkpi::detail {
namespace {

RouteOutcome elsewhere(const char* path) {
  return {501,
          Json{{"detail", std::string(path) + " is computed by the records module (pmkpi-records.wasm): this module "
                                              "(pmkpi-core.wasm) leaves the records engines out. The JavaScript client "
                                              "sends /records/* requests there."}}};
}

}  // namespace

RouteOutcome records_subscriptions_handler(const Args&) { return elsewhere("/records/subscriptions"); }
RouteOutcome records_events_handler(const Args&) { return elsewhere("/records/events"); }

Json elsewhere_response_example(std::string_view path) {
  static const Json examples = Json::parse(kRecordsExamples);
  const auto it = examples.find(std::string(path));
  return it == examples.end() ? Json(nullptr) : *it;
}

}  // namespace pmkpi::detail
