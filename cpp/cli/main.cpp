// pmkpi: the command-line front end of the core.
//   pmkpi request [-i] [-H HEADER] METHOD PATH [BODY|-]   one request; BODY "-" reads it from stdin
//   pmkpi batch            NDJSON {"method","path","body","content_type"} in, {"status","body"} out
//   pmkpi records subscriptions [--preset P] [--mapping JSON] [--options JSON] [FILE|-]
//   pmkpi records events [--OPTION VALUE ...] [FILE|-]   KPIs from an event log (CSV, NDJSON or JSON)
//   pmkpi records merge [--partial] STATE...  partial states (--partial of the two above) -> the answer
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "pmkpi/api.hpp"
#include "pmkpi/events.hpp"
#include "pmkpi/partial.hpp"
#include "pmkpi/validation.hpp"

namespace {

constexpr const char* kUsage =
    "usage: pmkpi request [-i] [-H 'Content-Type: TYPE'] METHOD PATH [BODY|-]\n"
    "       pmkpi batch < requests.ndjson\n"
    "       pmkpi records subscriptions [--partial] [--preset P] [--mapping JSON] [--options JSON] [FILE|-]\n"
    "       pmkpi records events [--partial] [--OPTION VALUE ...] [FILE|-]\n"
    "       pmkpi records merge [--partial] STATE [STATE ...]\n"
    "\n"
    "request  answers one request and prints the response body; -i prints the status line and\n"
    "         headers first, as curl -i does. BODY '-' reads the body from standard input.\n"
    "         -H gives a request header as curl does; the API reads Content-Type only (without\n"
    "         one the body is read as JSON; a type that is not JSON is answered 422, as FastAPI does).\n"
    "         Exit status 0 for a 2xx answer, 1 otherwise.\n"
    "batch    reads one JSON request per line, {\"method\":\"POST\",\"path\":\"/metrics/arpu\",\"body\":{...}}\n"
    "         (body may be a JSON value, or a string sent as the raw body; an optional\n"
    "         \"content_type\" is the request's Content-Type), and writes one\n"
    "         {\"status\":N,\"body\":{...}} line per request, in order. A bad line gets a 400 line.\n"
    "records  POST /records/subscriptions on a CSV, JSON array or NDJSON file (default or '-': stdin);\n"
    "         --options is a JSON object of the route's options ({\"period\":\"quarter\",...}).\n"
    "         Prints the JSON answer; exit status as for request.\n"
    "records events  POST /records/events on an event log from FILE or standard input (CSV; NDJSON for\n"
    "         .ndjson/.jsonl, a JSON array for .json, or --format csv|ndjson|records). Each --OPTION VALUE\n"
    "         is a body field of that route ('-' as '_'): --timezone Europe/Paris --funnel\n"
    "         '{\"steps\":[\"a\",\"b\"]}'. VALUE is read as JSON when it is JSON, else as text.\n"
    "--partial  (records subscriptions|events) prints the partial state of FILE, one shard of the\n"
    "         rows split by customer_id or user_id, instead of the answer (docs/PARTIALS.md).\n"
    "records merge  merges partial state files ('-': standard input) and prints the answer, the same\n"
    "         as one run over every shard's rows; --partial prints the merged state instead, to be\n"
    "         merged again. A user or customer in two states, or states read with different\n"
    "         options, is an error (exit status 1, the 422 body on standard output).\n";

int usage_error(const std::string& message) {
  std::cerr << "pmkpi: " << message << "\n" << kUsage;
  return 2;
}

/** The value of a "Name: value" header when its name is Content-Type (any case), else nothing. */
bool content_type_of(const std::string& header, std::string& out) {
  const auto colon = header.find(':');
  if (colon == std::string::npos) return false;
  std::string name(pmkpi::trim(std::string_view(header).substr(0, colon)));
  for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (name != "content-type") return false;
  out = std::string(pmkpi::trim(std::string_view(header).substr(colon + 1)));
  return true;
}

/** All of stdin, read a megabyte at a time (a character at a time, through std::cin, took half
 * the CPU of a 15 MB request). */
std::string read_stdin() {
  std::string text;
  std::vector<char> chunk(std::size_t{1} << 20);
  std::size_t n = 0;
  while ((n = std::fread(chunk.data(), 1, chunk.size(), stdin)) > 0) text.append(chunk.data(), n);
  return text;
}

int run_request(int argc, char** argv) {
  int i = 2;
  bool include_headers = false;
  std::string content_type;
  for (; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "-i") {
      include_headers = true;
    } else if (arg == "-H") {
      if (i + 1 == argc) return usage_error("-H needs a header, e.g. -H 'Content-Type: application/json'");
      const std::string header = argv[++i];
      if (header.find(':') == std::string::npos) return usage_error("-H takes 'Name: value', not '" + header + "'");
      content_type_of(header, content_type);
    } else {
      break;
    }
  }
  if (argc - i < 2 || argc - i > 3) return usage_error("request takes METHOD PATH [BODY|-]");
  const std::string method = argv[i], path = argv[i + 1];
  std::string body;
  if (argc - i == 3) {
    body = argv[i + 2];
    if (body == "-") body = read_stdin();
  }
  const pmkpi::Response r = pmkpi::handle(method, path, content_type, body);
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

void write_line(std::string& out, int status, const std::string& body) {
  out += "{\"status\":";
  out += std::to_string(status);
  out += ",\"body\":";
  out += body.empty() ? std::string("null") : body;
  out += "}\n";
}

std::string bad_line(std::size_t line_number, const std::string& why) {
  return pmkpi::Json{{"detail", "line " + std::to_string(line_number) + ": " + why}}.dump();
}

/** Answers one NDJSON request line into `out` (nothing for a blank line). */
void answer_line(const std::string& line, std::size_t line_number, std::string& out) {
  if (line.find_first_not_of(" \t\r") == std::string::npos) return;
  pmkpi::Json request, error;
  if (!pmkpi::parse_body(line, request, error)) {
    write_line(out, 400, bad_line(line_number, "not valid JSON (" + error["ctx"]["error"].get<std::string>() + ")"));
    return;
  }
  if (!request.is_object() || !request.contains("method") || !request["method"].is_string() ||
      !request.contains("path") || !request["path"].is_string()) {
    write_line(
        out, 400,
        bad_line(line_number, "expected an object with string \"method\" and \"path\" and an optional \"body\""));
    return;
  }
  const std::string& method = request["method"].get_ref<const std::string&>();
  const std::string& path = request["path"].get_ref<const std::string&>();
  std::string content_type;
  if (auto ct = request.find("content_type"); ct != request.end() && !ct->is_null()) {
    if (!ct->is_string()) {
      write_line(out, 400, bad_line(line_number, "\"content_type\" must be a string such as \"application/json\""));
      return;
    }
    content_type = ct->get<std::string>();
  }
  auto body = request.find("body");
  pmkpi::Response r;
  if (body == request.end() || body->is_null())
    r = pmkpi::handle(method, path, content_type, "");
  else if (body->is_string())
    r = pmkpi::handle(method, path, content_type, body->get_ref<const std::string&>());
  else if (pmkpi::is_json_content_type(content_type))
    r = pmkpi::handle_parsed(method, path, &*body);
  else  // a JSON value sent with a type that is not JSON: its text, as a client would send it
    r = pmkpi::handle(method, path, content_type, body->dump());
  write_line(out, r.status, r.body);
}

/**
 * Streams NDJSON requests from stdin to answers on stdout, in order. Lines are read in chunks
 * of bounded size; each chunk is split across the machine's cores and written back in input
 * order, so memory stays constant however long the stream is.
 */
int run_batch() {
  std::ios::sync_with_stdio(false);
  constexpr std::size_t kChunk = 4096;
  const std::size_t workers = std::max(1u, std::min(8u, std::thread::hardware_concurrency()));
  std::vector<std::string> lines(kChunk);
  std::vector<std::string> outputs(workers);
  std::size_t line_number = 0;
  for (;;) {
    std::size_t n = 0;
    while (n < kChunk && std::getline(std::cin, lines[n])) ++n;
    if (n == 0) break;
    const std::size_t first = line_number + 1;
    line_number += n;
    auto work = [&](std::size_t w) {
      std::string& out = outputs[w];
      out.clear();
      const std::size_t begin = n * w / workers, end = n * (w + 1) / workers;
      for (std::size_t i = begin; i < end; ++i) answer_line(lines[i], first + i, out);
    };
    std::vector<std::thread> helpers;
    if (n >= 256)  // a short tail is not worth a thread
      for (std::size_t w = 1; w < workers; ++w) helpers.emplace_back(work, w);
    else
      for (std::size_t w = 1; w < workers; ++w) outputs[w].clear();
    if (n >= 256)
      work(0);
    else {
      outputs[0].clear();
      for (std::size_t i = 0; i < n; ++i) answer_line(lines[i], first + i, outputs[0]);
    }
    for (auto& t : helpers) t.join();
    for (const auto& out : outputs) std::fwrite(out.data(), 1, out.size(), stdout);
    if (n < kChunk) break;
  }
  std::fflush(stdout);
  return 0;
}

bool read_input(const std::string& file, std::string& text) {
  if (file == "-") {
    text = read_stdin();
    return true;
  }
  std::ifstream in(file, std::ios::binary | std::ios::ate);
  if (!in) return false;
  text.resize(static_cast<std::size_t>(in.tellg()));
  in.seekg(0);
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  return static_cast<bool>(in);
}

bool json_option(const char* flag, const char* value, pmkpi::Json& out) {
  pmkpi::Json error;
  if (pmkpi::parse_body(value, out, error) && out.is_object()) return true;
  usage_error(std::string(flag) + " takes a JSON object");
  return false;
}

/** The rows of a file, as the route's csv, records or ndjson field. */
bool add_rows(std::string text, pmkpi::Json& body) {
  const auto first = text.find_first_not_of(" \t\r\n");
  const char c = first == std::string::npos ? '\0' : text[first];
  pmkpi::Json records, error;
  if (c == '[') {
    if (!pmkpi::parse_body(text, records, error)) {
      std::cerr << "pmkpi: the file starts like a JSON array but is not one: " << error.dump() << "\n";
      return false;
    }
    body["records"] = std::move(records);
  } else {
    body[c == '{' ? "ndjson" : "csv"] = std::move(text);
  }
  return true;
}

std::string source_format(const std::string& file, const std::string& given) {
  if (!given.empty()) return given;
  const auto ends = [&](const char* suffix) {
    const std::string s(suffix);
    return file.size() >= s.size() && file.compare(file.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".ndjson") || ends(".jsonl")) return "ndjson";
  if (ends(".json")) return "records";
  return "csv";
}

/** A partial state (or the 422 that stands for it) on standard output; exit status as for request. */
int print_state(const pmkpi::records::PartialAnswer& a) {
  std::string out = a.body.dump(-1, ' ', false, pmkpi::Json::error_handler_t::replace) + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return a.status == 200 ? 0 : 1;
}

/** An answer as the single pass prints it: events as the engine's JSON, subscriptions as the router's. */
int print_answer(const pmkpi::records::PartialAnswer& a, bool events) {
  std::string out;
  if (events) {
    out = a.body.dump();
  } else {
    pmkpi::append_json(out, a.body);
  }
  out += "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return a.status == 200 ? 0 : 1;
}

int run_records_merge(int argc, char** argv) {
  bool partial = false;
  std::vector<pmkpi::Json> states;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--partial") {
      partial = true;
      continue;
    }
    if (arg.size() > 1 && arg[0] == '-') return usage_error("unknown option " + arg);
    std::string text;
    if (!read_input(arg, text)) {
      std::cerr << "pmkpi: cannot read " << arg << "\n";
      return 2;
    }
    pmkpi::Json state, error;
    if (!pmkpi::parse_body(text, state, error)) {
      std::cerr << "pmkpi: " << arg << " is not JSON: " << error.dump() << "\n";
      return 1;
    }
    states.push_back(std::move(state));
  }
  if (states.empty()) return usage_error("merge takes one or more partial state files");
  pmkpi::records::PartialAnswer merged = pmkpi::records::merge_partials(states);
  states.clear();
  if (partial || merged.status != 200) return print_state(merged);
  const bool events = merged.body["kind"] == "events";
  return print_answer(pmkpi::records::finish_partial(merged.body), events);
}

// The engine is called directly (not through the router) so that a large file is not copied again.
int run_records_events(int argc, char** argv) {
  pmkpi::Json body = pmkpi::Json::object();
  std::string file = "-", format;
  bool partial = false;
  for (int i = 3; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--partial") {
      partial = true;
      continue;
    }
    if (arg.rfind("--", 0) != 0 || arg == "--") {
      if (i != argc - 1) return usage_error("the FILE comes last");
      file = arg;
      continue;
    }
    if (i + 1 >= argc) return usage_error("option " + arg + " needs a value");
    std::string name = arg.substr(2), value = argv[++i];
    std::replace(name.begin(), name.end(), '-', '_');
    if (name == "format") {
      format = value;
      continue;
    }
    pmkpi::Json parsed = pmkpi::Json::parse(value, nullptr, false);
    body[name] = parsed.is_discarded() || parsed.is_string() ? pmkpi::Json(value) : parsed;
  }
  std::string text;
  if (!read_input(file, text)) {
    std::cerr << "pmkpi: cannot read " << file << "\n";
    return 2;
  }
  format = source_format(file, format);
  if (format == "records") {
    pmkpi::Json records = pmkpi::Json::parse(text, nullptr, false);
    if (records.is_discarded()) return usage_error(file + " is not valid JSON");
    body["records"] = std::move(records);
  } else if (format == "csv" || format == "ndjson") {
    body[format] = std::move(text);
  } else {
    return usage_error("--format is csv, ndjson or records");
  }
  // The CLI has the machine to itself: a long log is read while the batch before is added.
  pmkpi::records::set_events_threads(std::thread::hardware_concurrency() > 1 ? 2 : 1);
  if (partial) return print_state(pmkpi::records::records_partial("/records/events", body));
  const pmkpi::records::EventsAnswer answer = pmkpi::records::answer_events(body);
  std::string out = answer.body.dump() + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return answer.status == 200 ? 0 : 1;
}

int run_records(int argc, char** argv) {
  if (argc >= 3 && std::string(argv[2]) == "events") return run_records_events(argc, argv);
  if (argc >= 3 && std::string(argv[2]) == "merge") return run_records_merge(argc, argv);
  if (argc < 3 || std::string(argv[2]) != "subscriptions")
    return usage_error("records takes: subscriptions, events or merge");
  pmkpi::Json body = pmkpi::Json::object(), mapping;
  std::string file = "-";
  bool partial = false;
  for (int i = 3; i < argc; ++i) {
    const std::string arg = argv[i];
    const bool has_value = i + 1 < argc;
    if (arg == "--partial") {
      partial = true;
    } else if (arg == "--preset" && has_value) {
      body["preset"] = argv[++i];
    } else if (arg == "--mapping" && has_value) {
      if (!json_option("--mapping", argv[++i], mapping)) return 2;
      body["mapping"] = mapping;
    } else if (arg == "--options" && has_value) {
      pmkpi::Json options;
      if (!json_option("--options", argv[++i], options)) return 2;
      for (auto& [k, v] : options.items()) body[k] = v;
    } else if (arg.size() > 1 && arg[0] == '-' && arg != "-") {
      return usage_error("unknown or incomplete option " + arg);
    } else {
      file = arg;
    }
  }
  std::string text;
  if (!read_input(file, text)) {
    std::cerr << "pmkpi: cannot read " << file << "\n";
    return 2;
  }
  if (!add_rows(std::move(text), body)) return 1;
  if (partial) return print_state(pmkpi::records::records_partial("/records/subscriptions", body));
  const pmkpi::Response r = pmkpi::handle_parsed("POST", "/records/subscriptions", &body);
  std::string out = r.body + "\n";
  std::fwrite(out.data(), 1, out.size(), stdout);
  return r.status >= 200 && r.status < 300 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage_error("missing command");
  const std::string command = argv[1];
  if (command == "request") return run_request(argc, argv);
  if (command == "batch") return argc == 2 ? run_batch() : usage_error("batch takes no arguments");
  if (command == "records") return run_records(argc, argv);
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
