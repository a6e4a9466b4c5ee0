#include "text_body.hpp"

#include <cctype>
#include <string>

#include "pmkpi/validation.hpp"

namespace pmkpi::detail {
namespace {

char first_char(std::string_view body) {
  if (body.size() >= 3 && body.substr(0, 3) == "\xEF\xBB\xBF") body.remove_prefix(3);
  for (char c : body)
    if (!std::isspace(static_cast<unsigned char>(c))) return c;
  return '\0';
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

const FieldSpec* field_named(const RouteSpec& route, const std::string& name) {
  for (const auto& f : route.fields)
    if (f.name == name) return &f;
  return nullptr;
}

void add_query(const RouteSpec& route, std::string_view target, Json& out) {
  const std::size_t q = target.find('?');
  if (q == std::string_view::npos) return;
  std::string_view query = target.substr(q + 1);
  query = query.substr(0, query.find('#'));
  while (!query.empty()) {
    const std::size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    const std::size_t eq = pair.find('=');
    const std::string key = decode(pair.substr(0, eq));
    const std::string value = eq == std::string_view::npos ? std::string() : decode(pair.substr(eq + 1));
    const FieldSpec* f = field_named(route, key);
    if (f == nullptr || key == route.text_body_field) continue;
    if (f->type == FieldType::StringMap || f->type == FieldType::NumberMap || f->type == FieldType::ObjectList) {
      Json parsed = Json::parse(value, nullptr, false);
      out[key] = parsed.is_discarded() ? Json(value) : parsed;
    } else {
      out[key] = value;
    }
  }
}

}  // namespace

bool is_text_body(const RouteSpec& route, std::string_view body) {
  if (route.text_body_field.empty()) return false;
  return first_char(body) != '{';  // a '{' body is JSON, or JSON lines when it does not parse
}

bool text_request(const RouteSpec& route, std::string_view target, std::string_view body, Json& out, Json& error) {
  out = Json::object();
  const char c = first_char(body);
  if (c == '[') {
    Json records;
    if (!parse_body(body, records, error)) return false;
    out["records"] = std::move(records);
  } else if (c == '{') {
    out["ndjson"] = std::string(body);
  } else {
    out[route.text_body_field] = std::string(body);
  }
  add_query(route, target, out);
  return true;
}

}  // namespace pmkpi::detail
