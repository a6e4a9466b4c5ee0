// libFuzzer target for the router: pmkpi::handle(method, target, body) on arbitrary bytes.
// Input: "METHOD TARGET\n" then the body (the committed corpus is every request of
// tests/fixtures/requests.ndjson in that shape). Asserts what every answer must satisfy: a status
// the API documents, never 5xx, and a body that is valid JSON.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pmkpi/api.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t eol = input.find('\n');
  const std::string_view line = input.substr(0, eol);
  const std::string_view body = eol == std::string_view::npos ? std::string_view() : input.substr(eol + 1);
  const std::size_t space = line.find(' ');
  const std::string_view method = line.substr(0, space);
  const std::string_view target = space == std::string_view::npos ? std::string_view("/") : line.substr(space + 1);

  static const pmkpi::ApiOptions options{[] { return std::chrono::system_clock::time_point{}; }, {}};
  const pmkpi::Response r = pmkpi::handle(method, target, body, options);
  if (r.status < 200 || r.status >= 500) std::abort();
  if (!r.body.empty() && !pmkpi::Json::accept(r.body)) std::abort();
  return 0;
}
