#include "pmkpi/validation.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

namespace pmkpi {
namespace {

// Item errors reported per list or map field; beyond this the field gets no more entries, so a
// million bad items cannot blow the response up.
constexpr std::size_t kMaxItemErrors = 20;

Json error_entry(const char* type, Json loc, std::string msg, const Json& input, Json ctx = nullptr) {
  Json e = Json::object();
  e["type"] = type;
  e["loc"] = std::move(loc);
  e["msg"] = std::move(msg);
  e["input"] = input;
  if (!ctx.is_null()) e["ctx"] = std::move(ctx);
  return e;
}

/** A bound as Python prints it in a message: 0, 1.5. */
Json bound_json(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return static_cast<long long>(v);
  return v;
}

std::string trim(const std::string& s) {
  std::size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return s.substr(b, e - b);
}

// Outcome of coercing one value: either `value` or an error entry in `error`.
struct Coerced {
  Json value;
  Json error;
};

Coerced coerce_number(const Json& in, const Json& loc) {
  double v = 0;
  if (in.is_number()) {
    v = in.get<double>();
  } else if (in.is_boolean()) {
    v = in.get<bool>() ? 1.0 : 0.0;
  } else if (in.is_string()) {
    const std::string s = trim(in.get<std::string>());
    const bool hex = s.find_first_of("xXpP") != std::string::npos;
    char* end = nullptr;
    errno = 0;
    v = s.empty() || hex ? 0 : std::strtod(s.c_str(), &end);
    if (s.empty() || hex || end != s.c_str() + s.size())
      return {nullptr, error_entry("float_parsing", loc,
                                   "Input should be a valid number, unable to parse string as a number", in)};
  } else {
    return {nullptr, error_entry("float_type", loc, "Input should be a valid number", in)};
  }
  if (!std::isfinite(v)) return {nullptr, error_entry("finite_number", loc, "Input should be a finite number", in)};
  return {v, nullptr};
}

Coerced too_big(const Json& in, const Json& loc) {
  return {nullptr, error_entry("int_parsing_size", loc,
                               "Unable to parse input string as an integer, exceeded maximum size", in)};
}

// Largest double below 2^63: every integral double under it converts to long long exactly.
constexpr double kInt64Limit = 9223372036854775808.0;

Coerced coerce_integer(const Json& in, const Json& loc) {
  if (in.is_number_integer()) {
    if (in.is_number_unsigned() &&
        in.get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<long long>::max()))
      return too_big(in, loc);
    return {in.get<long long>(), nullptr};
  }
  if (in.is_number_float()) {
    const double v = in.get<double>();
    if (!std::isfinite(v)) return {nullptr, error_entry("finite_number", loc, "Input should be a finite number", in)};
    if (std::floor(v) != v)
      return {nullptr, error_entry("int_from_float", loc,
                                   "Input should be a valid integer, got a number with a fractional part", in)};
    if (v >= kInt64Limit || v < -kInt64Limit) return too_big(in, loc);
    return {static_cast<long long>(v), nullptr};
  }
  if (in.is_boolean()) return {in.get<bool>() ? 1LL : 0LL, nullptr};
  if (in.is_string()) {
    const std::string s = trim(in.get<std::string>());
    std::size_t i = (!s.empty() && (s[0] == '+' || s[0] == '-')) ? 1 : 0;
    const std::size_t digits_start = i;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) ++i;
    const std::size_t digits_end = i;
    if (i < s.size() && s[i] == '.') {  // "1000.0" is accepted as pydantic does; "1000.5" is not
      ++i;
      while (i < s.size() && s[i] == '0') ++i;
    }
    if (digits_end == digits_start || i != s.size())
      return {nullptr, error_entry("int_parsing", loc,
                                   "Input should be a valid integer, unable to parse string as an integer", in)};
    errno = 0;
    const std::string digits = s.substr(0, digits_end);
    const long long v = std::strtoll(digits.c_str(), nullptr, 10);
    if (errno == ERANGE) return too_big(in, loc);
    return {v, nullptr};
  }
  return {nullptr, error_entry("int_type", loc, "Input should be a valid integer", in)};
}

Coerced coerce_string(const Json& in, const Json& loc) {
  if (in.is_string()) return {in, nullptr};
  return {nullptr, error_entry("string_type", loc, "Input should be a valid string", in)};
}

std::string enum_expected(const std::vector<std::string>& choices) {
  std::string s;
  for (std::size_t i = 0; i < choices.size(); ++i) {
    if (i > 0) s += i + 1 == choices.size() ? " or " : ", ";
    s += "'" + choices[i] + "'";
  }
  return s;
}

bool is_leap(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

/** Empty when `s` is a valid YYYY-MM-DD calendar date, else the reason. */
std::string date_problem(const std::string& s) {
  if (s.size() < 10) return "input is too short";
  if (s.size() > 10) return "unexpected extra characters at the end of the input";
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return "invalid character in date";
  if (s[4] != '-' || s[7] != '-') return "invalid date separator, expected `-`";
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (m < 1 || m > 12) return "month value is outside expected range of 1-12";
  static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const int max_day = days[m - 1] + (m == 2 && is_leap(y) ? 1 : 0);
  if (d < 1 || d > max_day) return "day value is outside expected range";
  return {};
}

Coerced coerce_date(const Json& in, const Json& loc) {
  if (!in.is_string()) return {nullptr, error_entry("date_type", loc, "Input should be a valid date", in)};
  const std::string problem = date_problem(in.get<std::string>());
  if (problem.empty()) return {in, nullptr};
  return {nullptr, error_entry("date_from_datetime_parsing", loc,
                               "Input should be a valid date or datetime, " + problem, in, Json{{"error", problem}})};
}

/** Checks gt/ge/le on a coerced number; returns an error entry or null. */
Json check_bounds(const FieldSpec& f, double v, const Json& input, const Json& loc) {
  if (f.gt && !(v > *f.gt))
    return error_entry("greater_than", loc, "Input should be greater than " + bound_json(*f.gt).dump(), input,
                       Json{{"gt", bound_json(*f.gt)}});
  if (f.ge && !(v >= *f.ge))
    return error_entry("greater_than_equal", loc,
                       "Input should be greater than or equal to " + bound_json(*f.ge).dump(), input,
                       Json{{"ge", bound_json(*f.ge)}});
  if (f.le && !(v <= *f.le))
    return error_entry("less_than_equal", loc, "Input should be less than or equal to " + bound_json(*f.le).dump(),
                       input, Json{{"le", bound_json(*f.le)}});
  return nullptr;
}

/** A scalar (number or integer) with its bounds. */
Coerced coerce_scalar(const FieldSpec& f, bool integer, const Json& in, const Json& loc) {
  Coerced c = integer ? coerce_integer(in, loc) : coerce_number(in, loc);
  if (!c.error.is_null()) return c;
  Json bound_error = check_bounds(f, c.value.get<double>(), in, loc);
  if (!bound_error.is_null()) return {nullptr, std::move(bound_error)};
  return c;
}

Json with_index(const Json& loc, Json key) {
  Json l = loc;
  l.push_back(std::move(key));
  return l;
}

/** A list of numbers or strings, with length limits and per-item checks. */
void coerce_list(const FieldSpec& f, FieldType item, const Json& in, const Json& loc, Json& out_value, Json& errors) {
  if (!in.is_array()) {
    errors.push_back(error_entry("list_type", loc, "Input should be a valid list", in));
    return;
  }
  const std::size_t n = in.size();
  if (f.min_items && n < *f.min_items) {
    errors.push_back(error_entry("too_short", loc,
                                 "List should have at least " + std::to_string(*f.min_items) + " item" +
                                     (*f.min_items == 1 ? "" : "s") + " after validation, not " + std::to_string(n),
                                 in, Json{{"field_type", "List"}, {"min_length", *f.min_items}, {"actual_length", n}}));
    return;
  }
  if (f.max_items && n > *f.max_items) {
    errors.push_back(error_entry("too_long", loc,
                                 "List should have at most " + std::to_string(*f.max_items) +
                                     " items after validation, not " + std::to_string(n),
                                 nullptr,
                                 Json{{"field_type", "List"}, {"max_length", *f.max_items}, {"actual_length", n}}));
    return;
  }
  Json values = Json::array();
  std::size_t item_errors = 0;
  for (std::size_t i = 0; i < n; ++i) {
    Coerced c = item == FieldType::String ? coerce_string(in[i], with_index(loc, i))
                                          : coerce_scalar(f, false, in[i], with_index(loc, i));
    if (!c.error.is_null()) {
      if (item_errors++ < kMaxItemErrors) errors.push_back(std::move(c.error));
    } else if (item_errors == 0) {
      values.push_back(std::move(c.value));
    }
  }
  if (item_errors == 0) out_value = std::move(values);
}

void coerce_field(const FieldSpec& f, const Json& in, Json& values, Json& errors) {
  // Scalars that are already what the field wants take the fast path: no copies, no loc built.
  if (f.type == FieldType::Number && in.is_number_float() && std::isfinite(in.get<double>()) && !f.gt && !f.ge &&
      !f.le) {
    values[f.name] = in;
    return;
  }
  if (f.type == FieldType::Integer && in.is_number_integer() && !in.is_number_unsigned()) {
    const double v = static_cast<double>(in.get<long long>());
    if ((!f.gt || v > *f.gt) && (!f.ge || v >= *f.ge) && (!f.le || v <= *f.le)) {
      values[f.name] = in;
      return;
    }
  }
  const Json loc = Json::array({"body", f.name});
  auto keep = [&](Coerced c) {
    if (c.error.is_null())
      values[f.name] = std::move(c.value);
    else
      errors.push_back(std::move(c.error));
  };
  switch (f.type) {
    case FieldType::Number:
      keep(coerce_scalar(f, false, in, loc));
      break;
    case FieldType::Integer:
      keep(coerce_scalar(f, true, in, loc));
      break;
    case FieldType::String:
      keep(coerce_string(in, loc));
      break;
    case FieldType::Date:
      keep(coerce_date(in, loc));
      break;
    case FieldType::Enum: {
      bool ok = false;
      if (in.is_string())
        for (const auto& c : f.choices) ok = ok || in.get_ref<const std::string&>() == c;
      if (ok) {
        values[f.name] = in;
      } else {
        const std::string expected = enum_expected(f.choices);
        errors.push_back(error_entry("enum", loc, "Input should be " + expected, in, Json{{"expected", expected}}));
      }
      break;
    }
    case FieldType::IntMap: {
      if (!in.is_object()) {
        errors.push_back(error_entry("dict_type", loc, "Input should be a valid dictionary", in));
        break;
      }
      Json out = Json::object();
      std::size_t item_errors = 0;
      for (const auto& [key, item] : in.items()) {
        Coerced c = coerce_scalar(f, true, item, with_index(loc, key));
        if (!c.error.is_null()) {
          if (item_errors++ < kMaxItemErrors) errors.push_back(std::move(c.error));
        } else {
          out[key] = std::move(c.value);
        }
      }
      if (item_errors == 0) values[f.name] = std::move(out);
      break;
    }
    case FieldType::NumberList:
    case FieldType::StringList: {
      Json out;
      coerce_list(f, f.type == FieldType::StringList ? FieldType::String : FieldType::Number, in, loc, out, errors);
      if (!out.is_null()) values[f.name] = std::move(out);
      break;
    }
    case FieldType::ObjectList:
      if (in.is_array())
        values[f.name] = in;  // items are checked row by row by the route, with their line numbers
      else
        errors.push_back(error_entry("list_type", loc, "Input should be a valid list", in));
      break;
    case FieldType::StringMap:
    case FieldType::NumberMap: {
      if (!in.is_object()) {
        errors.push_back(error_entry("dict_type", loc, "Input should be a valid dictionary", in));
        break;
      }
      Json out = Json::object();
      std::size_t item_errors = 0;
      for (const auto& [key, item] : in.items()) {
        Coerced c = f.type == FieldType::StringMap ? coerce_string(item, with_index(loc, key))
                                                   : coerce_scalar(f, false, item, with_index(loc, key));
        if (!c.error.is_null()) {
          if (item_errors++ < kMaxItemErrors) errors.push_back(std::move(c.error));
        } else {
          out[key] = std::move(c.value);
        }
      }
      if (item_errors == 0) values[f.name] = std::move(out);
      break;
    }
    case FieldType::NumberListMap: {
      if (!in.is_object()) {
        errors.push_back(error_entry("dict_type", loc, "Input should be a valid dictionary", in));
        break;
      }
      Json out = Json::object();
      const std::size_t errors_before = errors.size();
      for (const auto& [key, item] : in.items()) {
        Json list;
        coerce_list(f, FieldType::Number, item, with_index(loc, key), list, errors);
        if (!list.is_null()) out[key] = std::move(list);
        if (errors.size() - errors_before >= kMaxItemErrors) break;
      }
      if (errors.size() == errors_before) values[f.name] = std::move(out);
      break;
    }
  }
}

}  // namespace

Validated validate(const std::vector<FieldSpec>& fields, const Json* body) {
  Validated v;
  if (body == nullptr || body->is_null()) {
    v.errors.push_back(error_entry("missing", Json::array({"body"}), "Field required", nullptr));
    return v;
  }
  if (!body->is_object()) {
    v.errors.push_back(error_entry("model_attributes_type", Json::array({"body"}),
                                   "Input should be a valid dictionary or object to extract fields from", *body));
    return v;
  }
  v.values.get_ref<Json::object_t&>().reserve(fields.size());
  for (const auto& f : fields) {
    auto it = body->find(f.name);
    const bool present = it != body->end() && !(it->is_null() && !f.required);
    if (!present) {
      if (f.required)
        v.errors.push_back(error_entry("missing", Json::array({"body", f.name}), "Field required", *body));
      else if (!f.default_value.is_null())
        v.values[f.name] = f.default_value;
      continue;
    }
    coerce_field(f, *it, v.values, v.errors);
  }
  return v;
}

namespace {

/** Deepest nesting of arrays/objects in `text`, stopping early once past `limit`. */
int nesting_depth(std::string_view text, int limit, std::size_t& where) {
  int depth = 0, deepest = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\')
        ++i;
      else if (c == '"')
        in_string = false;
      continue;
    }
    if (c == '"')
      in_string = true;
    else if (c == '[' || c == '{') {
      if (++depth > deepest) deepest = depth;
      if (deepest > limit) {
        where = i;
        return deepest;
      }
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

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

}  // namespace

bool parse_body(std::string_view text, Json& out, Json& error) {
  auto invalid = [&](std::size_t position, const std::string& reason) {
    error = error_entry("json_invalid", Json::array({"body", position}), "JSON decode error", Json::object(),
                        Json{{"error", printable(reason)}});
    return false;
  };
  std::size_t where = 0;
  if (nesting_depth(text, kMaxJsonDepth, where) > kMaxJsonDepth)
    return invalid(where, "nesting deeper than " + std::to_string(kMaxJsonDepth) + " levels");
  try {
    out = Json::parse(text.begin(), text.end());
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

}  // namespace pmkpi
