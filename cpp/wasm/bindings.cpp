// The WebAssembly boundary: one call per request, {method, target, body} in, {status, statusText,
// headers, body} out. The client in web/src/client wraps it in fetch's Request and Response;
// nothing here knows a route. pmkpi::handle never throws, so no C++ exception reaches JavaScript.
#include <emscripten/bind.h>
#include <emscripten/val.h>

#include <string>

#include "pmkpi/api.hpp"

namespace {

// `body` arrives as bytes: embind accepts a JS string (UTF-8 encoded) or an ArrayBuffer/Uint8Array
// (copied as is), so a binary request body reaches the parser exactly as the native server sees it.
emscripten::val handle_request(const std::string& method, const std::string& target, const std::string& body) {
  const pmkpi::Response response = pmkpi::handle(method, target, body);
  emscripten::val headers = emscripten::val::object();
  for (const auto& [name, value] : response.headers) headers.set(name, value);
  headers.set("content-length", std::to_string(response.body.size()));
  emscripten::val out = emscripten::val::object();
  out.set("status", response.status);
  out.set("statusText", std::string(pmkpi::reason_phrase(response.status)));
  out.set("headers", headers);
  out.set("body", response.body);
  return out;
}

}  // namespace

EMSCRIPTEN_BINDINGS(pmkpi) { emscripten::function("_handle", &handle_request); }
