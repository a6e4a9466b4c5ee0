// libFuzzer target for the request-body parser, differential: on arbitrary bytes, the parser the
// routes use (simdjson natively, then the document builder) must accept exactly the texts
// nlohmann's Json::parse accepts, read the same values, and fail with the same message. Then, as
// a route reads it (only its fields built whole), the body must validate as the whole document
// does: the same values and the same errors. Input as handle_fuzz's: "METHOD TARGET\n" then the
// body; the target's route, or one picked by the first line's length when it names none. Corpus:
// the requests of tests/fixtures/requests.ndjson, as handle_fuzz's.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "../../cpp/core/src/json_parse.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/validation.hpp"

namespace {

std::string answer(bool linear, const std::string& text) {
  try {
    return (linear ? pmkpi::detail::parse_linear(text) : pmkpi::Json::parse(text)).dump();
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

/** The errors without their echoed inputs (a repeated key may move what an echo of the body shows). */
pmkpi::Json without_inputs(pmkpi::Json errors) {
  for (auto& e : errors) e.erase("input");
  return errors;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = input.find('\n');
  if (eol == std::string_view::npos) return 0;
  const std::string_view line = input.substr(0, eol);
  const std::size_t space = line.find(' ');
  const pmkpi::RouteSpec* found = space == std::string_view::npos ? nullptr : pmkpi::find_route(line.substr(space + 1));
  const auto& routes = pmkpi::route_table();
  const pmkpi::RouteSpec& route = found != nullptr ? *found : routes[line.size() % routes.size()];
  const std::string text(input.substr(eol + 1));
  std::string reason;
  if (pmkpi::detail::structure_problem(text, pmkpi::kMaxJsonDepth, pmkpi::detail::kMaxObjectMembers, reason) !=
      std::string::npos)
    return 0;  // refused before either parser runs
  if (answer(true, text) != answer(false, text)) std::abort();
  pmkpi::Json whole, kept, error;
  if (!pmkpi::parse_body(text, whole, error)) return 0;
  if (!pmkpi::parse_body(text, kept, error, route.fields)) std::abort();
  const pmkpi::Validated a = pmkpi::validate(route.fields, &whole), b = pmkpi::validate(route.fields, &kept);
  if (a.values != b.values || without_inputs(a.errors) != without_inputs(b.errors)) std::abort();
  return 0;
}
