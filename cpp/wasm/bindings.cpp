// The WebAssembly boundary: one call per request, {method, target, body} in, {status, statusText,
// headers, body} out. The client in web/src/client wraps it in fetch's Request and Response;
// nothing here knows a route. pmkpi::handle never throws, so no C++ exception reaches JavaScript.
#include <emscripten/bind.h>
#include <emscripten/emscripten.h>
#include <emscripten/val.h>

#include <string>
#include <vector>

#include "../core/src/cancel.hpp"
#include "pmkpi/api.hpp"
#include "pmkpi/validation.hpp"
#if PMKPI_WASM_RECORDS
#include "pmkpi/partial.hpp"
#include "pmkpi/preview.hpp"
#endif

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
// A long read's progress, to the page's Worker (Module.onProgress, when it set one).
EM_JS(void, pmkpi_progress, (double done, double total), {
  if (typeof Module['onProgress'] === 'function') Module['onProgress'](done, total);
});
// clang-format on

namespace {

const pmkpi::detail::ProgressReport kProgress = [](std::size_t done, std::size_t total) {
  pmkpi_progress(static_cast<double>(done), static_cast<double>(total));
};

#if PMKPI_WASM_RECORDS
emscripten::val answer(int status, const std::string& body) {
  const std::string status_text(pmkpi::reason_phrase(status));
  const std::string headers = "content-type:application/json\n";
  return emscripten::val::take_ownership(pmkpi_answer(status, status_text.c_str(), headers.data(),
                                                      static_cast<int>(headers.size()), body.data(),
                                                      static_cast<int>(body.size())));
}

emscripten::val answer(const pmkpi::records::PartialAnswer& a) { return answer(a.status, a.body.dump()); }

emscripten::val unprocessable(pmkpi::Json entry) {
  return answer(422, pmkpi::Json{{"detail", pmkpi::Json::array({std::move(entry)})}}.dump());
}
#endif

// `body` arrives as bytes: embind accepts a JS string (UTF-8 encoded) or an ArrayBuffer/Uint8Array
// (copied as is), so a binary request body reaches the parser exactly as the native server sees it.
// `content_type` is the request's Content-Type header, empty when it had none.
emscripten::val handle_typed(const std::string& method, const std::string& target, const std::string& content_type,
                             const std::string& body) {
  const pmkpi::detail::ProgressScope progress(kProgress);
  const pmkpi::Response response = pmkpi::handle(method, target, content_type, body);
  std::string header_lines;
  for (const auto& [name, value] : response.headers) header_lines += name + ":" + value + "\n";
  header_lines += "content-length:" + std::to_string(response.body.size()) + "\n";
  const std::string status_text(pmkpi::reason_phrase(response.status));
  return emscripten::val::take_ownership(pmkpi_answer(response.status, status_text.c_str(), header_lines.data(),
                                                      static_cast<int>(header_lines.size()), response.body.data(),
                                                      static_cast<int>(response.body.size())));
}

/** Without a Content-Type: the body is read as JSON, as for a request that sent none. */
emscripten::val handle_request(const std::string& method, const std::string& target, const std::string& body) {
  return handle_typed(method, target, std::string(), body);
}

#if PMKPI_WASM_RECORDS
// ---- the records tools (pmkpi-records only) ---------------------------------------------------------

/** The Import page's preview of a file's first bytes (pmkpi/preview.hpp), as JSON text. */
std::string preview(const std::string& text, bool truncated) {
  return pmkpi::records::records_preview(text, truncated).dump();
}

/**
 * The body of a records route from a file: `options` is the route's options as JSON text, `field`
 * where the rows go ("csv", "ndjson", or "records" for a JSON array read from `text`). False with
 * the 422 in `failed` when the options or the JSON array cannot be read.
 */
bool file_body(const std::string& options, const std::string& field, const std::string& text, pmkpi::Json& body,
               emscripten::val& failed) {
  pmkpi::Json error;
  if (!pmkpi::parse_body(options, body, error)) {
    failed = unprocessable(std::move(error));
    return false;
  }
  if (!body.is_object()) {
    failed =
        unprocessable(pmkpi::error_entry("model_attributes_type", pmkpi::Json::array({"body"}),
                                         "Input should be a valid dictionary or object to extract fields from", body));
    return false;
  }
  if (field == "records") {
    pmkpi::Json records;
    if (!pmkpi::parse_body(text, records, error)) {
      error["loc"] = pmkpi::Json::array({"body", "records", error["loc"][1]});
      failed = unprocessable(std::move(error));
      return false;
    }
    body["records"] = std::move(records);
  } else {
    body[field == "ndjson" ? "ndjson" : "csv"] = text;
  }
  return true;
}

/** A records route's answer on one file (the rows are not copied into a JSON request text first). */
emscripten::val records(const std::string& path, const std::string& options, const std::string& field,
                        const std::string& text) {
  pmkpi::Json body;
  emscripten::val failed = emscripten::val::null();
  if (!file_body(options, field, text, body, failed)) return failed;
  const pmkpi::detail::ProgressScope progress(kProgress);
  const pmkpi::Response r = pmkpi::handle_parsed("POST", path, &body);
  return answer(r.status, r.body);
}

/** One file's partial state (pmkpi/partial.hpp), for a merge with the other files' states. */
emscripten::val partial(const std::string& path, const std::string& options, const std::string& field,
                        const std::string& text) {
  pmkpi::Json body;
  emscripten::val failed = emscripten::val::null();
  if (!file_body(options, field, text, body, failed)) return failed;
  const pmkpi::detail::ProgressScope progress(kProgress);
  return answer(pmkpi::records::records_partial(path, body));
}

/** Parses each state; a state that is not JSON is the 422 of merge_partials for a damaged state. */
bool read_states(const std::vector<std::string>& texts, std::vector<pmkpi::Json>& states, emscripten::val& failed) {
  for (std::size_t i = 0; i < texts.size(); ++i) {
    pmkpi::Json state;
    pmkpi::Json error;
    if (!pmkpi::parse_body(texts[i], state, error)) {
      failed = unprocessable(pmkpi::error_entry("partial_invalid", pmkpi::Json::array({"partials", i}),
                                                "The partial state is not JSON", nullptr));
      return false;
    }
    states.push_back(std::move(state));
  }
  return true;
}

/** Partial states (JSON texts) merged and finished into the route's answer. */
emscripten::val merge_and_finish(const emscripten::val& list) {
  const std::vector<std::string> texts = emscripten::vecFromJSArray<std::string>(list);
  std::vector<pmkpi::Json> states;
  emscripten::val failed = emscripten::val::null();
  if (!read_states(texts, states, failed)) return failed;
  pmkpi::records::PartialAnswer merged = pmkpi::records::merge_partials(states);
  if (merged.status != 200) return answer(merged);
  return answer(pmkpi::records::finish_partial(merged.body));
}

#endif  // PMKPI_WASM_RECORDS

}  // namespace

EMSCRIPTEN_BINDINGS(pmkpi) {
  emscripten::function("_handle", &handle_request);  // (method, target, body)
  emscripten::function("_handle", &handle_typed);    // (method, target, contentType, body)
#if PMKPI_WASM_RECORDS
  emscripten::function("_preview", &preview);               // (text, truncated) -> JSON text
  emscripten::function("_records", &records);               // (path, optionsJson, field, text) -> answer
  emscripten::function("_partial", &partial);               // (path, optionsJson, field, text) -> answer
  emscripten::function("_mergeFinish", &merge_and_finish);  // ([state JSON texts]) -> answer
#endif
}
