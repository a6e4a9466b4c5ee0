// pmkpi: the command-line front end of the core.
//   pmkpi request [-i] METHOD PATH [BODY|-]   one request; the body, or "-" to read it from stdin
//   pmkpi batch                               NDJSON {"method","path","body"} in, {"status","body"} out
#include <cstdio>
#include <iostream>
#include <iterator>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/validation.hpp"

namespace {

constexpr const char* kUsage =
    "usage: pmkpi request [-i] METHOD PATH [BODY|-]\n"
    "       pmkpi batch < requests.ndjson\n"
    "\n"
    "request  answers one request and prints the response body; -i prints the status line and\n"
    "         headers first, as curl -i does. BODY '-' reads the body from standard input.\n"
    "         Exit status 0 for a 2xx answer, 1 otherwise.\n"
    "batch    reads one JSON request per line, {\"method\":\"POST\",\"path\":\"/metrics/arpu\",\"body\":{...}}\n"
    "         (body may be a JSON value, or a string sent as the raw body), and writes one\n"
    "         {\"status\":N,\"body\":{...}} line per request, in order. A bad line gets a 400 line.\n";

int usage_error(const std::string& message) {
  std::cerr << "pmkpi: " << message << "\n" << kUsage;
  return 2;
}

int run_request(int argc, char** argv) {
  int i = 2;
  bool include_headers = false;
  if (i < argc && std::string(argv[i]) == "-i") {
    include_headers = true;
    ++i;
  }
  if (argc - i < 2 || argc - i > 3) return usage_error("request takes METHOD PATH [BODY|-]");
  const std::string method = argv[i], path = argv[i + 1];
  std::string body;
  if (argc - i == 3) {
    body = argv[i + 2];
    if (body == "-") body.assign(std::istreambuf_iterator<char>(std::cin), std::istreambuf_iterator<char>());
  }
  const pmkpi::Response r = pmkpi::handle(method, path, body);
  std::string out;
  if (include_headers) {
    out += "HTTP/1.1 " + std::to_string(r.status) + " " + std::string(pmkpi::reason_phrase(r.status)) + "\r\n";
    for (const auto& [name, value] : r.headers) out += name + ": " + value + "\r\n";
    out += "content-length: " + std::to_string(r.body.size()) + "\r\n\r\n";
  }
  out += r.body;
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return r.status >= 200 && r.status < 300 ? 0 : 1;
}

void write_line(std::string& buffer, int status, const std::string& body) {
  buffer += "{\"status\":";
  buffer += std::to_string(status);
  buffer += ",\"body\":";
  buffer += body.empty() ? std::string("null") : body;
  buffer += "}\n";
  if (buffer.size() > (1 << 16)) {
    std::fwrite(buffer.data(), 1, buffer.size(), stdout);
    buffer.clear();
  }
}

std::string bad_line(std::size_t line_number, const std::string& why) {
  return pmkpi::Json{{"detail", "line " + std::to_string(line_number) + ": " + why}}.dump();
}

int run_batch() {
  std::ios::sync_with_stdio(false);
  std::string line, buffer;
  buffer.reserve(1 << 17);
  std::size_t line_number = 0;
  while (std::getline(std::cin, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    pmkpi::Json request, error;
    if (!pmkpi::parse_body(line, request, error)) {
      write_line(buffer, 400, bad_line(line_number, "not valid JSON (" + error["ctx"]["error"].get<std::string>() + ")"));
      continue;
    }
    if (!request.is_object() || !request.contains("method") || !request["method"].is_string() ||
        !request.contains("path") || !request["path"].is_string()) {
      write_line(buffer, 400, bad_line(line_number, "expected an object with string \"method\" and \"path\" and an optional \"body\""));
      continue;
    }
    const std::string& method = request["method"].get_ref<const std::string&>();
    const std::string& path = request["path"].get_ref<const std::string&>();
    auto body = request.find("body");
    pmkpi::Response r;
    if (body == request.end() || body->is_null()) r = pmkpi::handle(method, path, "");
    else if (body->is_string()) r = pmkpi::handle(method, path, body->get_ref<const std::string&>());
    else r = pmkpi::handle_parsed(method, path, &*body);
    write_line(buffer, r.status, r.body);
  }
  std::fwrite(buffer.data(), 1, buffer.size(), stdout);
  std::fflush(stdout);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage_error("missing command");
  const std::string command = argv[1];
  if (command == "request") return run_request(argc, argv);
  if (command == "batch") return argc == 2 ? run_batch() : usage_error("batch takes no arguments");
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "--version") {
    std::cout << "pmkpi " << pmkpi::kApiVersion << "\n";
    return 0;
  }
  return usage_error("unknown command '" + command + "'");
}
