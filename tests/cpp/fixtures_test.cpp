// Runs every request of tests/fixtures/requests.ndjson (shared with the WASM parity tests)
// through the router and checks status and body.
#include <cctype>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

struct Fixture {
  std::string name;
  Json spec;
};

std::vector<Fixture> load_fixtures() {
  std::vector<Fixture> out;
  std::ifstream in(std::string(PMKPI_SOURCE_DIR) + "/tests/fixtures/requests.ndjson");
  std::string line;
  while (std::getline(in, line))
    if (!line.empty()) {
      Json j = Json::parse(line);
      out.push_back({j["name"].get<std::string>(), j});
    }
  return out;
}

void PrintTo(const Fixture& f, std::ostream* os) { *os << f.name; }

class FixtureTest : public ::testing::TestWithParam<Fixture> {};

TEST_P(FixtureTest, AnswersAsExpected) {
  const Json& f = GetParam().spec;
  static const Json kNoBody;  // GET fixtures have none (a const operator[] on a missing key is undefined)
  const Json& body = f.contains("body") ? f["body"] : kNoBody;
  const std::string method = f["method"].get<std::string>();
  const std::string path = f["path"].get<std::string>();
  // As a client sends it: the fixture's content_type, else application/json for a body.
  const std::string type = f.value("content_type", body.is_null() ? "" : "application/json");
  Response r = body.is_null()     ? handle(method, path, type, "", testing::pinned())
               : body.is_string() ? handle(method, path, type, body.get<std::string>(), testing::pinned())
                                  : handle(method, path, type, body.dump(), testing::pinned());
  ASSERT_EQ(r.status, f["expect"]["status"].get<int>()) << r.body;
  Json actual = Json::parse(r.body);
  if (f["expect"].contains("body")) {
    EXPECT_EQ(testing::mismatch(f["expect"]["body"], actual), "") << r.body;
  }
  if (r.status == 200 && path.rfind("/metrics/", 0) == 0 && method == "POST") {
    EXPECT_EQ(actual["timestamp"], "2024-02-01T10:00:00.000000Z");
    EXPECT_TRUE(actual["interpretation"].is_string() && !actual["interpretation"].get<std::string>().empty());
    EXPECT_EQ(actual["interpretation"].get<std::string>().find("{band}"), std::string::npos);
  }
}

std::string fixture_name(const ::testing::TestParamInfo<Fixture>& info) {
  std::string s = std::to_string(info.index) + "_";
  for (char c : info.param.name) s.push_back(std::isalnum(static_cast<unsigned char>(c)) ? c : '_');
  return s;
}

INSTANTIATE_TEST_SUITE_P(Requests, FixtureTest, ::testing::ValuesIn(load_fixtures()), fixture_name);

TEST(Fixtures, CoverEveryRoute) {
  std::set<std::string> covered;
  for (const auto& f : load_fixtures()) covered.insert(f.spec["path"].get<std::string>());
  for (const auto& r : route_table()) EXPECT_TRUE(covered.count(r.path)) << r.path << " has no fixture";
}

}  // namespace
}  // namespace pmkpi
