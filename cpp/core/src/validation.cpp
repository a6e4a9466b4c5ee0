#include "pmkpi/validation.hpp"

#include "json_parse.hpp"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>

#include "civil_date.hpp"

namespace pmkpi {
namespace {

// Item errors reported per list or map field; beyond this the field gets no more entries, so a
// million bad items cannot blow the response up.
constexpr std::size_t kMaxItemErrors = 20;

/** A bound as Python prints it in a message: 0, 1.5. */
Json bound_json(double v) {
  if (std::floor(v) == v && std::fabs(v) < 1e15) return static_cast<long long>(v);
  return v;
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
    const std::string s(trim(in.get_ref<const std::string&>()));
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
    const std::string s(trim(in.get_ref<const std::string&>()));
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

/** Empty when `s` is a valid YYYY-MM-DD calendar date, else the reason. */
std::string date_problem(const std::string& s) {
  if (s.size() < 10) return "input is too short";
  if (s.size() > 10) return "unexpected extra characters at the end of the input";
  for (int i : {0, 1, 2, 3, 5, 6, 8, 9})
    if (!std::isdigit(static_cast<unsigned char>(s[static_cast<std::size_t>(i)]))) return "invalid character in date";
  if (s[4] != '-' || s[7] != '-') return "invalid date separator, expected `-`";
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (m < 1 || m > 12) return "month value is outside expected range of 1-12";
  if (!civil::is_valid(y, m, d)) return "day value is outside expected range";
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

/** A map of integers, strings or numbers: every value checked, under its key. */
void coerce_map(const FieldSpec& f, const Json& in, const Json& loc, Json& values, Json& errors) {
  if (!in.is_object()) {
    errors.push_back(error_entry("dict_type", loc, "Input should be a valid dictionary", in));
    return;
  }
  Json out = Json::object();
  std::size_t item_errors = 0;
  for (const auto& [key, item] : in.items()) {
    Coerced c = f.type == FieldType::StringMap
                    ? coerce_string(item, with_index(loc, key))
                    : coerce_scalar(f, f.type == FieldType::IntMap, item, with_index(loc, key));
    if (!c.error.is_null()) {
      if (item_errors++ < kMaxItemErrors) errors.push_back(std::move(c.error));
    } else {
      out[key] = std::move(c.value);
    }
  }
  if (item_errors == 0) values[f.name] = std::move(out);
}

/** One of the field's choices, exactly. */
Coerced coerce_enum(const FieldSpec& f, const Json& in, const Json& loc) {
  if (in.is_string())
    for (const auto& c : f.choices)
      if (in.get_ref<const std::string&>() == c) return {in, nullptr};
  const std::string expected = enum_expected(f.choices);
  return {nullptr, error_entry("enum", loc, "Input should be " + expected, in, Json{{"expected", expected}})};
}

/** A map of number lists (named series): each list checked as a NumberList field is. */
void coerce_list_map(const FieldSpec& f, const Json& in, const Json& loc, Json& values, Json& errors) {
  if (!in.is_object()) {
    errors.push_back(error_entry("dict_type", loc, "Input should be a valid dictionary", in));
    return;
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
    case FieldType::Enum:
      keep(coerce_enum(f, in, loc));
      break;
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
    case FieldType::Object:
      if (in.is_object())
        values[f.name] = in;  // its members are checked by the route, with their own locations
      else
        errors.push_back(error_entry("dict_type", loc, "Input should be a valid dictionary", in));
      break;
    case FieldType::IntMap:
    case FieldType::StringMap:
    case FieldType::NumberMap:
      coerce_map(f, in, loc, values, errors);
      break;
    case FieldType::NumberListMap:
      coerce_list_map(f, in, loc, values, errors);
      break;
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
    if (it != body->end() && it->is_null() && f.nullable) continue;  // Optional[...]: null is absent
    if (it == body->end()) {
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

}  // namespace pmkpi
