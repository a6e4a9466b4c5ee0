// The WebAssembly boundary: one call per request, {method, target, body} in, {status, statusText,
// headers, body} out. The client in web/src/client wraps it in fetch's Request and Response;
// nothing here knows a route. pmkpi::handle never throws, so no C++ exception reaches JavaScript.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>

#include "pmkpi/api.hpp"

// Builds the answer object in one step on the JavaScript side: each val::set would cross the
// boundary and convert its key and value separately, and embind's std::string return scans the
// body byte by byte before decoding it. Headers arrive as "name:value\n" lines.
// The body is JavaScript, which clang-format would break (it splits `===`).
// clang-format off
EM_JS(emscripten::EM_VAL, pmkpi_answer, (int status, const char* status_text, const char* header_lines,
                                         int header_length, const char* body, int body_length), {
  var headers = {};
  var lines = UTF8ToString(header_lines, header_length).split('\n');
  for (var i = 0; i < lines.length; ++i) {
    var colon = lines[i].indexOf(':');
    if (colon > 0) headers[lines[i].slice(0, colon)] = lines[i].slice(colon + 1);
  }
  return Emval.toHandle({
    'status': status,
    'statusText': UTF8ToString(status_text),
    'headers': headers,
    'body': body_length === 0 ? "" : UTF8ToString(body, body_length)
  });
});
// clang-format on

namespace {

// `body` arrives as bytes: embind accepts a JS string (UTF-8 encoded) or an ArrayBuffer/Uint8Array
// (copied as is), so a binary request body reaches the parser exactly as the native server sees it.
emscripten::val handle_request(const std::string& method, const std::string& target, const std::string& body) {
  const pmkpi::Response response = pmkpi::handle(method, target, body);
  std::string header_lines;
  for (const auto& [name, value] : response.headers) header_lines += name + ":" + value + "\n";
  header_lines += "content-length:" + std::to_string(response.body.size()) + "\n";
  const std::string status_text(pmkpi::reason_phrase(response.status));
  return emscripten::val::take_ownership(pmkpi_answer(response.status, status_text.c_str(), header_lines.data(),
                                                      static_cast<int>(header_lines.size()), response.body.data(),
                                                      static_cast<int>(response.body.size())));
}

}  // namespace

EMSCRIPTEN_BINDINGS(pmkpi) { emscripten::function("_handle", &handle_request); }
