// Request bodies: the JSON parse with its json_invalid entry, and the pydantic-shaped 422 entry
// every route and engine reports its errors in.
#include <string>

#include "json_parse.hpp"
#include "pmkpi/validation.hpp"

namespace pmkpi {

Json error_entry(std::string_view type, Json loc, std::string msg, const Json& input, Json ctx) {
  Json e = Json::object();
  e["type"] = std::string(type);
  e["loc"] = std::move(loc);
  e["msg"] = std::move(msg);
  e["input"] = detail::echoed_input(input);  // bounded: a prefix of a large input
  if (!ctx.is_null()) e["ctx"] = std::move(ctx);
  return e;
}

namespace {

/** The parser's message with raw non-ASCII bytes (it quotes what it read) shown as \\xNN. */
std::string printable(const std::string& s) {
  static const char* hex = "0123456789abcdef";
  std::string out;
  for (char ch : s) {
    const unsigned char c = static_cast<unsigned char>(ch);
    if (c >= 0x20 && c < 0x7f) {
      out.push_back(ch);
    } else {
      out += "\\x";
      out.push_back(hex[c >> 4]);
      out.push_back(hex[c & 15]);
    }
  }
  return out;
}

bool parse_json(std::string_view text, Json& out, Json& error, const std::vector<FieldSpec>* fields) {
  auto invalid = [&](std::size_t position, const std::string& reason) {
    error = error_entry("json_invalid", Json::array({"body", position}), "JSON decode error", Json::object(),
                        Json{{"error", printable(reason)}});
    return false;
  };
  std::string problem;
  const std::size_t where = detail::structure_problem(text, kMaxJsonDepth, detail::kMaxObjectMembers, problem);
  if (where != std::string_view::npos) return invalid(where, problem);
  try {
    out = detail::parse_linear(text, fields);
    return true;
  } catch (const Json::parse_error& e) {
    std::string reason = e.what();
    // "[json.exception.parse_error.101] parse error at line 1, column 5: syntax error ..." -> "syntax error ..."
    const auto colon = reason.find(": ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    return invalid(e.byte > 0 ? e.byte - 1 : 0, reason);
  } catch (const Json::out_of_range& e) {
    // "number overflow parsing '1e400'": point at the literal, as a decoder would
    std::string reason = e.what();
    const auto colon = reason.find("] ");
    if (colon != std::string::npos) reason = reason.substr(colon + 2);
    std::size_t position = 0;
    const auto quote = reason.find('\'');
    if (quote != std::string::npos) {
      const auto end = reason.find('\'', quote + 1);
      const std::string literal =
          reason.substr(quote + 1, end == std::string::npos ? std::string::npos : end - quote - 1);
      const auto at = text.find(literal);
      if (at != std::string_view::npos) position = at;
    }
    return invalid(position, reason);
  } catch (const std::exception&) {
    return invalid(0, "invalid JSON");
  }
}

}  // namespace

bool parse_body(std::string_view text, Json& out, Json& error) { return parse_json(text, out, error, nullptr); }

bool parse_body(std::string_view text, Json& out, Json& error, const std::vector<FieldSpec>& fields) {
  return parse_json(text, out, error, &fields);
}

}  // namespace pmkpi
