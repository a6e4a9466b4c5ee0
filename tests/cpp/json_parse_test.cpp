// The request-body parser: the same documents as nlohmann's Json::parse (differential, on every
// fixture body and on wide objects), repeated keys as Python's json.loads treats them, the member
// cap as a 422, and the bounded echo of `input` in validation errors.
#include <fstream>
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

}  // namespace
}  // namespace pmkpi
