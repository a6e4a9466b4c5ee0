// Seeded random mutations of every route's example request: whatever a client sends, the router
// answers a 2xx or 4xx with a JSON body, never a crash, a hang or a 500.
#include <map>
#include <random>
#include <string>

#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

Json random_value(std::mt19937& rng) {
  switch (rng() % 12) {
    case 0:
      return nullptr;
    case 1:
      return static_cast<long long>(rng()) - 2147483648LL;
    case 2:
      return std::uniform_real_distribution<double>(-1e6, 1e6)(rng);
    case 3:
      return "not a number";
    case 4:
      return Json::array({1, "x", nullptr});
    case 5:
      return Json::object({{"nested", 1}});
    case 6:
      return true;
    case 7:
      return 1e308;
    case 8:
      return -0.0;
    case 9:
      return "  42  ";
    case 10:
      return 9223372036854775807LL;
    default:
      return std::string(static_cast<std::size_t>(rng() % 300), static_cast<char>('a' + rng() % 26));
  }
}

TEST(Robustness, RandomFieldValuesNeverBreakTheRouter) {
  std::mt19937 rng(20261126);
  std::map<int, int> seen;  // status -> how many answers had it
  for (int round = 0; round < 300; ++round) {
    for (const auto& r : route_table()) {
      Json body = example_request(r);
      for (const auto& f : r.fields)
        if (rng() % 3 == 0) body[f.name] = random_value(rng);
      if (rng() % 10 == 0) body.erase(r.fields[rng() % r.fields.size()].name);
      Response res = handle("POST", r.path, body.dump());
      ASSERT_TRUE(res.status == 200 || res.status == 400 || res.status == 422)
          << r.path << " " << body.dump() << " -> " << res.body;
      ASSERT_TRUE(Json::accept(res.body)) << res.body;
      ++seen[res.status];
    }
  }
  // The mutations reach both sides of validation: some requests still compute, many are refused.
  EXPECT_GT(seen[200], 0);
  EXPECT_GT(seen[422], 0);
}

TEST(Robustness, RandomBytesAreRefusedAsJson) {
  std::mt19937 rng(7);
  for (int round = 0; round < 2000; ++round) {
    std::string body(static_cast<std::size_t>(rng() % 64), ' ');
    for (char& c : body) c = static_cast<char>(rng() % 256);
    Response res = handle("POST", "/metrics/nps", body);
    ASSERT_TRUE(res.status == 422 || res.status == 200 || res.status == 400) << res.status;
    ASSERT_TRUE(Json::accept(res.body)) << res.body;
    // As text, the bytes come back as the 422's `input`: still valid JSON (invalid UTF-8 replaced).
    Response text = handle("POST", "/metrics/nps", "text/plain", body);
    ASSERT_EQ(text.status, 422) << text.body;
    ASSERT_TRUE(Json::accept(text.body)) << text.body;
  }
}

}  // namespace
}  // namespace pmkpi
