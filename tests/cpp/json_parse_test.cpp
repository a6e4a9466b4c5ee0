// The request-body parser: the same documents as nlohmann's Json::parse (differential, on every
// fixture body and on wide objects), repeated keys as Python's json.loads treats them, the member
// cap as a 422, and the bounded echo of `input` in validation errors.
#include <fstream>
#include <random>
#include <string>

#include "../../cpp/core/src/json_parse.hpp"
#include "pmkpi/validation.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;

std::string wide_object(std::size_t members) {
  std::string s = "{";
  for (std::size_t i = 0; i < members; ++i) {
    if (i > 0) s += ',';
    // Keys out of sorted order, so an order-changing index would show.
    s += "\"k" + std::to_string((i * 7919) % members) + "\":" + std::to_string(i);
  }
  return s + "}";
}

TEST(JsonParse, SameDocumentsAsNlohmannOnEveryFixtureBody) {
  std::ifstream in(std::string(PMKPI_SOURCE_DIR) + "/tests/fixtures/requests.ndjson");
  std::string line;
  int compared = 0;
  while (std::getline(in, line)) {
    const Json fixture = Json::parse(line);
    if (!fixture.contains("body")) continue;
    const std::string text = fixture["body"].is_string() ? fixture["body"].get<std::string>() : fixture["body"].dump();
    std::string reason;
    if (detail::structure_problem(text, kMaxJsonDepth, detail::kMaxObjectMembers, reason) != std::string::npos)
      continue;  // refused before parsing (nested too deep to even print recursively)
    Json expected, actual;
    bool expected_ok = true, actual_ok = true;
    try {
      expected = Json::parse(text);
    } catch (const std::exception&) {
      expected_ok = false;
    }
    try {
      actual = detail::parse_linear(text);
    } catch (const std::exception&) {
      actual_ok = false;
    }
    ASSERT_EQ(expected_ok, actual_ok) << text;
    if (expected_ok) {
      ASSERT_EQ(expected.dump(), actual.dump()) << text;  // dump shows the order of keys
    }
    ++compared;
  }
  EXPECT_GT(compared, 100);
}

/** Json::parse's answer for `text`: the document printed, or its exception's message. */
std::string nlohmann_answer(const std::string& text) {
  try {
    return Json::parse(text).dump();
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

std::string linear_answer(const std::string& text) {
  try {
    return detail::parse_linear(text).dump();
  } catch (const std::exception& e) {
    return std::string("error: ") + e.what();
  }
}

// Natively, simdjson reads the text and nlohmann's parser only what simdjson refuses: the two must
// accept the same texts and read the same values. Mutated bodies probe numbers (-0, exponents,
// 2^64, 1e400), escapes (lone surrogates, \u0000), raw bytes (invalid UTF-8, a BOM, controls).
TEST(JsonParse, SameAnswersAsNlohmannOnMutatedBodies) {
  std::ifstream in(std::string(PMKPI_SOURCE_DIR) + "/tests/fixtures/requests.ndjson");
  std::vector<std::string> seeds = {
      R"({"a": -0, "b": 0, "c": -0.0, "d": 18446744073709551615, "e": 18446744073709551616, "f": 1e400})",
      R"({"s": "\ud83d\ude00 \u0000 \ud800", "t": "\udc00", "n": [-9223372036854775808, -9223372036854775809]})",
      "\xef\xbb\xbf{\"a\": 1}", "{\"a\": \"\xc3\x28\"}", "[1e5, 1E-5, 0.1e+2, 123456789012345678901234567890]"};
  std::string line;
  while (std::getline(in, line)) {
    const Json fixture = Json::parse(line);
    if (fixture.contains("body"))
      seeds.push_back(fixture["body"].is_string() ? fixture["body"].get<std::string>() : fixture["body"].dump());
  }
  std::mt19937 rng(31337);
  const std::string alphabet = "-0123456789eE.+\"\\u{}[],: \t\ntfn\x01\x7f\xc3\xff\xef\xbb\xbf";
  int compared = 0;
  for (const std::string& seed : seeds) {
    for (int round = 0; round < 30; ++round) {
      std::string text = seed;
      for (int edits = 1 + static_cast<int>(rng() % 3); edits > 0 && !text.empty(); --edits) {
        const std::size_t at = rng() % text.size();
        const char c = alphabet[rng() % alphabet.size()];
        switch (rng() % 3) {
          case 0:
            text[at] = c;
            break;
          case 1:
            text.insert(text.begin() + static_cast<std::ptrdiff_t>(at), c);
            break;
          default:
            text.erase(at, 1);
        }
      }
      std::string reason;
      if (detail::structure_problem(text, kMaxJsonDepth, detail::kMaxObjectMembers, reason) != std::string::npos)
        continue;
      ASSERT_EQ(nlohmann_answer(text), linear_answer(text)) << text.substr(0, 300);
      ++compared;
    }
  }
  EXPECT_GT(compared, 3000);
}

TEST(JsonParse, WideObjectKeepsOrderAndMatchesNlohmann) {
  const std::string text = wide_object(5000);
  EXPECT_EQ(detail::parse_linear(text).dump(), Json::parse(text).dump());
}

TEST(JsonParse, RepeatedKeyKeepsFirstPositionAndLastValue) {
  // Below and above the size where the hash index takes over.
  for (std::size_t members : {3u, 40u}) {
    std::string text = wide_object(members);
    text.pop_back();
    text += ",\"k0\":\"last\",\"k1\":{\"a\":1,\"a\":2}}";
    const Json a = detail::parse_linear(text);
    const Json b = Json::parse(text);
    EXPECT_EQ(a.dump(), b.dump());
    EXPECT_EQ(a["k0"], "last");
    EXPECT_EQ(a["k1"], Json({{"a", 2}}));
    EXPECT_EQ(a.size(), members);
  }
}

TEST(JsonParse, ErrorsAreTheParserErrors) {
  Json out, error;
  ASSERT_FALSE(parse_body("{\"a\": 1,}", out, error));
  EXPECT_EQ(error["type"], "json_invalid");
  EXPECT_EQ(error["loc"], Json::array({"body", 8}));
  ASSERT_FALSE(parse_body("{\"a\": 1e400}", out, error));
  EXPECT_EQ(error["loc"], Json::array({"body", 6}));
  EXPECT_EQ(error["ctx"]["error"], "number overflow parsing '1e400'");
}

TEST(JsonParse, MemberCapIsA422NamingTheCap) {
  const auto ok = post("/metrics/arpu", wide_object(detail::kMaxObjectMembers));
  EXPECT_EQ(ok.status, 422);  // parsed: only the fields are missing
  EXPECT_EQ(ok.body["detail"][0]["type"], "missing");
  const std::string text = wide_object(detail::kMaxObjectMembers + 1);
  const auto refused = post("/metrics/arpu", text);
  ASSERT_EQ(refused.status, 422);
  const Json& e = refused.body["detail"][0];
  EXPECT_EQ(e["type"], "json_invalid");
  EXPECT_EQ(e["ctx"]["error"], "an object with more than 10000 members");
  // loc points at the colon of the first member past the cap.
  const std::size_t at = e["loc"][1].get<std::size_t>();
  EXPECT_EQ(text[at], ':');
}

TEST(JsonParse, DepthLimitUnchanged) {
  Json out, error;
  const std::string deep = std::string(65, '[') + std::string(65, ']');
  ASSERT_FALSE(parse_body(deep, out, error));
  EXPECT_EQ(error["loc"], Json::array({"body", 64}));
  EXPECT_EQ(error["ctx"]["error"], "nesting deeper than 64 levels");
  EXPECT_TRUE(parse_body(std::string(64, '[') + std::string(64, ']'), out, error));
}

TEST(EchoedInput, SmallInputsAreEchoedWhole) {
  const Json v = {{"total_revenue", "abc"}, {"list", {1, 2, 3}}};
  EXPECT_EQ(detail::echoed_input(v), v);
  EXPECT_EQ(detail::echoed_input(std::string(1000, 'x')), std::string(1000, 'x'));
}

TEST(EchoedInput, LargeInputsKeepAPrefix) {
  EXPECT_EQ(detail::echoed_input(std::string(5000, 'x')), std::string(1000, 'x') + "...");
  // A cut never splits a UTF-8 character: 999 ASCII bytes then a two-byte "é".
  EXPECT_EQ(detail::echoed_input(std::string(999, 'a') + "\xc3\xa9" + "tail"), std::string(999, 'a') + "...");
  Json big = Json::array();
  for (int i = 0; i < 5000; ++i) big.push_back(i);
  const Json echoed = detail::echoed_input(big);
  ASSERT_EQ(echoed.size(), detail::kEchoValues - 1);  // the array itself counts as one value
  EXPECT_EQ(echoed[0], 0);
  EXPECT_EQ(echoed.back(), 98);
}

TEST(EchoedInput, MissingFieldsOnALargeBodyAnswerLittle) {
  Json body = Json::object();
  for (int i = 0; i < 5000; ++i) body["k" + std::to_string(i)] = std::string(100, 'v');
  const std::string text = body.dump();
  const auto r = post("/metrics/arpu", text);
  ASSERT_EQ(r.status, 422);
  ASSERT_EQ(r.body["detail"].size(), 2u);  // total_revenue and total_users
  const Json& input = r.body["detail"][0]["input"];
  EXPECT_EQ(input.size(), detail::kEchoValues - 1);
  EXPECT_EQ(input.begin().key(), "k0");  // first members, in the body's order
  EXPECT_LT(r.raw.body.size(), text.size() / 10);
}

/** A random JSON value of at most `depth` levels: scalars, strings short and long, arrays, objects. */
Json random_value(std::mt19937& rng, int depth) {
  const int kind = static_cast<int>(rng() % (depth > 0 ? 8 : 5));
  switch (kind) {
    case 0:
      return nullptr;
    case 1:
      return static_cast<int>(rng() % 2001) - 1000;
    case 2:
      return static_cast<double>(rng() % 100000) / 64.0;
    case 3:
      return std::string(rng() % 3 == 0 ? 1200 : rng() % 12, static_cast<char>('a' + rng() % 26));
    case 4:
      return rng() % 2 == 0;
    case 5:
    case 6: {
      Json a = Json::array();
      const std::size_t n = rng() % (depth == 3 && rng() % 4 == 0 ? 150 : 6);
      for (std::size_t i = 0; i < n; ++i) a.push_back(random_value(rng, depth - 1));
      return a;
    }
    default: {
      Json o = Json::object();
      const std::size_t n = rng() % 8;
      for (std::size_t i = 0; i < n; ++i) o["m" + std::to_string(rng() % 10)] = random_value(rng, depth - 1);
      return o;
    }
  }
}

/**
 * A body for `route`: its fields (some valid, some of the wrong type, some repeated, some left
 * out) among unknown members with values of every shape, in random order.
 */
std::string random_body(std::mt19937& rng, const RouteSpec& route, bool& repeated) {
  repeated = false;
  std::vector<std::pair<std::string, Json>> members;
  for (const auto& f : route.fields) {
    if (rng() % 4 == 0) continue;
    const Json v = !f.example.is_null() && rng() % 2 == 0 ? f.example : random_value(rng, 3);
    members.emplace_back(f.name, v);
    if (rng() % 6 == 0) {  // a repeated field: the last value counts
      members.emplace_back(f.name, random_value(rng, 2));
      repeated = true;
    }
  }
  const std::size_t unknown = rng() % (rng() % 5 == 0 ? 400 : 40);
  for (std::size_t i = 0; i < unknown; ++i) members.emplace_back("x" + std::to_string(i), random_value(rng, 3));
  std::shuffle(members.begin(), members.end(), rng);
  std::string text = "{";
  for (const auto& [k, v] : members) text += (text.size() > 1 ? "," : "") + Json(k).dump() + ":" + v.dump();
  return text + "}";
}

TEST(JsonParse, BuildingOnlyARoutesFieldsValidatesAsTheWholeDocument) {
  std::mt19937 rng(20261203);
  int compared = 0;
  for (const auto& route : route_table()) {
    if (route.fields.empty()) continue;
    for (int round = 0; round < 12; ++round) {
      bool repeated = false;
      const std::string text = round == 0 ? "[" + random_value(rng, 3).dump() + "]" : random_body(rng, route, repeated);
      Json whole, kept, error;
      ASSERT_TRUE(parse_body(text, whole, error));
      ASSERT_TRUE(parse_body(text, kept, error, route.fields));
      Validated a = validate(route.fields, &whole), b = validate(route.fields, &kept);
      ASSERT_EQ(a.values.dump(), b.values.dump()) << route.path << " " << text.substr(0, 200);
      if (repeated) {
        // A repeated key's first value spent the echo's budget where its last value now stands, so
        // the echo of the whole body (in "missing" entries) may show other members: not compared.
        for (Validated* v : {&a, &b})
          for (auto& e : v->errors)
            if (e["type"] == "missing") e.erase("input");
      } else {
        ASSERT_EQ(detail::echoed_input(whole).dump(), detail::echoed_input(kept).dump()) << route.path;
      }
      ASSERT_EQ(a.errors.dump(), b.errors.dump()) << route.path << " " << text.substr(0, 200);
      if (kept.is_object()) {
        EXPECT_LE(kept.size(), detail::kEchoValues + route.fields.size());
      }
      ++compared;
    }
  }
  EXPECT_GT(compared, 400);
}

TEST(JsonParse, AWideBodyBuildsOnlyTheFieldsAndTheEchoPrefix) {
  const RouteSpec& arpu = *find_route("/metrics/arpu");
  std::string text = wide_object(detail::kMaxObjectMembers - 3);
  text.pop_back();
  text += R"(,"total_revenue":[1,2,3],"total_users":3,"k0":"again"})";
  Json kept, error;
  ASSERT_TRUE(parse_body(text, kept, error, arpu.fields));
  const Json whole = Json::parse(text);
  EXPECT_EQ(kept["total_revenue"], Json::array({1, 2, 3}));
  EXPECT_EQ(kept["total_users"], 3);
  EXPECT_EQ(kept["k0"], "again");  // a kept key repeated: its last value, as in the whole document
  EXPECT_EQ(kept.size(), detail::kEchoValues - 1 + 2);
  // Its members are the whole document's first members, in order, then the route's fields.
  auto w = whole.begin();
  for (auto it = kept.begin(); it.key().front() == 'k'; ++it, ++w) EXPECT_EQ(it.key(), w.key());
  // Malformed text is refused wherever the error is, built or dropped, with the same entry.
  for (const std::string& bad :
       {text.substr(0, text.size() - 1), std::string("{\"x\":[1,2,}"), std::string("{\"x\":{\"a\":tru}}")}) {
    Json ignored, a, b;
    EXPECT_FALSE(parse_body(bad, ignored, a));
    EXPECT_FALSE(parse_body(bad, ignored, b, arpu.fields));
    EXPECT_EQ(a, b);
  }
}

}  // namespace
}  // namespace pmkpi
