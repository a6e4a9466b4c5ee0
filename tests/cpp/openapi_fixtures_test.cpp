// Every fixture answer (tests/fixtures/requests.ndjson) validated against the response schemas that
// /openapi.json publishes for its route and status, so the documented schemas and the bodies the
// handlers build cannot drift apart. The validator is deliberately strict: an object key that its
// schema does not declare is an error (a body field missing from the documentation), and a schema
// keyword it does not know fails the test instead of being ignored.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <fstream>
#include <set>
#include <string>

#include "pmkpi/api.hpp"
#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

class Validator {
 public:
  explicit Validator(const Json& doc) : doc_(doc) {}

  /** Empty when `value` satisfies `schema`, else where and why it does not. */
  std::string check(const Json& schema, const Json& value, const std::string& where) const {
    for (const auto& [key, _] : schema.items())
      if (!kKnown.count(key)) return where + ": schema keyword '" + key + "' is not understood by this test";
    if (schema.contains("$ref")) return check(resolve(schema["$ref"].get<std::string>()), value, where);
    if (schema.contains("type") && !type_matches(schema["type"], value))
      return where + ": " + value.dump().substr(0, 80) + " is not of type " + schema["type"].dump();
    if (schema.contains("enum") &&
        std::find(schema["enum"].begin(), schema["enum"].end(), value) == schema["enum"].end())
      return where + ": " + value.dump() + " is not one of " + schema["enum"].dump();
    if (schema.contains("const") && schema["const"] != value)
      return where + ": " + value.dump() + " is not " + schema["const"].dump();
    if (schema.contains("anyOf")) {
      std::string why;
      for (const auto& option : schema["anyOf"]) {
        why = check(option, value, where);
        if (why.empty()) break;
      }
      if (!why.empty()) return where + ": matches no anyOf option (last: " + why + ")";
    }
    if (value.is_number() && schema.contains("minimum") && value.get<double>() < schema["minimum"].get<double>())
      return where + ": below the minimum";
    if (value.is_number() && schema.contains("maximum") && value.get<double>() > schema["maximum"].get<double>())
      return where + ": above the maximum";
    if (value.is_array() && schema.contains("items"))
      for (std::size_t i = 0; i < value.size(); ++i)
        if (auto why = check(schema["items"], value[i], where + "[" + std::to_string(i) + "]"); !why.empty())
          return why;
    if (value.is_object()) return check_object(schema, value, where);
    return "";
  }

 private:
  std::string check_object(const Json& schema, const Json& value, const std::string& where) const {
    if (schema.contains("required"))
      for (const auto& key : schema["required"])
        if (!value.contains(key.get<std::string>())) return where + ": required key " + key.dump() + " is missing";
    const bool open = schema.contains("additionalProperties");
    if (!schema.contains("properties") && !open) return "";  // a free-form object
    for (const auto& [key, item] : value.items()) {
      if (schema.contains("properties") && schema["properties"].contains(key)) {
        if (auto why = check(schema["properties"][key], item, where + "." + key); !why.empty()) return why;
      } else if (open && schema["additionalProperties"].is_object()) {
        if (auto why = check(schema["additionalProperties"], item, where + "." + key); !why.empty()) return why;
      } else if (!(open && schema["additionalProperties"] == true)) {
        return where + ": key '" + key + "' is not documented in the schema";
      }
    }
    return "";
  }

  static bool type_matches(const Json& type, const Json& value) {
    if (type.is_array()) {
      for (const auto& t : type)
        if (type_matches(t, value)) return true;
      return false;
    }
    const std::string t = type.get<std::string>();
    if (t == "object") return value.is_object();
    if (t == "array") return value.is_array();
    if (t == "string") return value.is_string();
    if (t == "number") return value.is_number();
    if (t == "integer")
      return value.is_number_integer() || (value.is_number() && value.get<double>() == std::floor(value.get<double>()));
    if (t == "boolean") return value.is_boolean();
    if (t == "null") return value.is_null();
    return false;
  }

  const Json& resolve(const std::string& ref) const {
    const std::string prefix = "#/components/schemas/";
    return doc_["components"]["schemas"].at(ref.substr(prefix.size()));
  }

  inline static const std::set<std::string> kKnown = {
      "$ref",   "const",   "type",    "enum",  "anyOf",       "properties", "required", "additionalProperties",
      "items",  "minimum", "maximum", "title", "description", "examples",   "default",  "format",
      "example"};
  const Json& doc_;
};

struct Answer {
  std::string name, method, path;
  int status = 0;
  Json body;
};

std::vector<Answer> fixture_answers() {
  std::vector<Answer> out;
  std::ifstream in(std::string(PMKPI_SOURCE_DIR) + "/tests/fixtures/requests.ndjson");
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    const Json f = Json::parse(line);
    Answer a{f["name"], f["method"], f["path"], 0, {}};
    static const Json kNoBody;  // GET fixtures have none (a const operator[] on a missing key is undefined)
    const Json& body = f.contains("body") ? f["body"] : kNoBody;
    const std::string text = body.is_null() ? "" : body.is_string() ? body.get<std::string>() : body.dump();
    Response r = handle(a.method, a.path, text, testing::pinned());
    a.status = r.status;
    a.body = r.body.empty() ? Json() : Json::parse(r.body);
    out.push_back(std::move(a));
  }
  return out;
}

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

TEST(OpenApiFixtures, EveryPostAnswerMatchesItsDocumentedSchema) {
  const Json doc = openapi_document(testing::pinned());
  const Validator v(doc);
  int validated = 0;
  for (const auto& a : fixture_answers()) {
    // Answers to an undocumented method or path (405, 404) have no schema to match.
    if (!doc["paths"].contains(a.path) || !doc["paths"][a.path].contains(lower(a.method))) continue;
    SCOPED_TRACE(a.name);
    const Json& responses = doc["paths"][a.path][lower(a.method)]["responses"];
    const std::string status = std::to_string(a.status);
    ASSERT_TRUE(responses.contains(status)) << a.name << ": status " << status << " is not documented";
    const Json& schema = responses[status]["content"]["application/json"]["schema"];
    std::string why;
    try {
      why = v.check(schema, a.body, "$");
    } catch (const std::exception& e) {
      why = std::string("the schema could not be read: ") + e.what();
    }
    EXPECT_EQ(why, "") << a.name << " (" << a.path << " " << status << ")";
    ++validated;
  }
  EXPECT_GT(validated, 100);  // the fixture file answers every route, most of them several times
}

TEST(OpenApiFixtures, DocumentedExamplesMatchTheirSchemas) {
  const Json doc = openapi_document(testing::pinned());
  const Validator v(doc);
  for (const auto& r : route_table()) {
    const Json& content = doc["paths"][r.path]["post"]["responses"]["200"]["content"]["application/json"];
    ASSERT_TRUE(content.contains("example")) << r.path << " has no computed response example";
    EXPECT_EQ(v.check(content["schema"], content["example"], "$"), "") << r.path;
  }
}

TEST(OpenApiFixtures, ValidatorRejectsAnUndocumentedKeyAndAWrongType) {
  const Json doc = openapi_document(testing::pinned());
  const Validator v(doc);
  const Json schema = {{"type", "object"}, {"properties", {{"a", {{"type", "integer"}}}}}, {"required", {"a"}}};
  EXPECT_EQ(v.check(schema, Json{{"a", 1}}, "$"), "");
  EXPECT_NE(v.check(schema, Json{{"a", 1}, {"b", 2}}, "$"), "");
  EXPECT_NE(v.check(schema, Json{{"a", "x"}}, "$"), "");
  EXPECT_NE(v.check(schema, Json::object(), "$"), "");
}

TEST(OpenApiFixtures, BuildingTheCatalogComputesNoForecastExample) {
  // The forecast routes' examples are computed when /openapi.json is built, not with the catalog.
  int forecast_routes = 0;
  for (const auto& r : route_table())
    if (r.category == CategoryId::Predictions) {
      EXPECT_TRUE(r.response_example.is_null()) << r.path;
      ++forecast_routes;
    }
  EXPECT_EQ(forecast_routes, 3);
}

}  // namespace
}  // namespace pmkpi
