// The catalog's own invariants: ids, paths, categories, units, domains, bands, and Args' field check.
#include "pmkpi/catalog.hpp"

#include <gtest/gtest.h>

#include <cctype>
#include <set>
#include <stdexcept>
#include <string>

#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;

bool is_ascending_op(BandOp op) { return op == BandOp::Lt || op == BandOp::Le; }
bool is_descending_op(BandOp op) { return op == BandOp::Gt || op == BandOp::Ge; }

TEST(Catalog, IdsAndPathsAreUnique) {
  std::set<std::string> ids, paths;
  for (const auto& r : route_table()) {
    EXPECT_TRUE(ids.insert(r.id).second) << "duplicate id " << r.id;
    EXPECT_TRUE(paths.insert(r.path).second) << "duplicate path " << r.path;
  }
  EXPECT_EQ(ids.size(), route_table().size());
}

TEST(Catalog, PathsDeriveFromIds) {
  for (const auto& r : route_table()) {
    if (r.metric) {
      EXPECT_EQ(r.path, "/metrics/" + r.id);
    } else {
      std::string expected = "/" + r.id;
      expected[expected.find('-')] = '/';
      EXPECT_EQ(r.path, expected);
    }
    EXPECT_EQ(find_route(r.path), &r);
  }
  EXPECT_EQ(find_route("/predict/metric")->id, "predict-metric");
  EXPECT_EQ(find_route("/metrics/retention-rate")->id, "retention-rate");
}

TEST(Catalog, EveryRouteIsEitherAKpiOrAnAnalysis) {
  for (const auto& r : route_table()) EXPECT_NE(static_cast<bool>(r.metric), static_cast<bool>(r.handler)) << r.id;
}

TEST(Catalog, CategoriesAreKnownAndUsed) {
  std::set<std::string> keys;
  for (const auto& c : categories()) {
    EXPECT_TRUE(keys.insert(c.key).second) << "duplicate category key " << c.key;
    EXPECT_EQ(&category(c.id), &c);
    EXPECT_FALSE(c.title.empty());
    bool used = false;
    for (const auto& r : route_table()) used = used || r.category == c.id;
    EXPECT_TRUE(used) << c.key << " has no route";
  }
  for (const auto& r : route_table()) EXPECT_NO_THROW(category(r.category)) << r.id;
  // Routes are listed category by category, in the order of categories().
  for (std::size_t i = 1; i < route_table().size(); ++i)
    EXPECT_LE(static_cast<int>(route_table()[i - 1].category), static_cast<int>(route_table()[i].category))
        << route_table()[i].id;
}

TEST(Catalog, UnitsAndDomainsAreKnown) {
  const std::set<std::string> units{"currency", "percentage", "visitors",     "seconds", "sessions", "actions",
                                    "score",    "hours",      "story_points", "ratio",   "months"};
  const std::set<std::string> domains{"any", "non_negative", "percentage", "score"};
  for (const auto& r : route_table()) {
    EXPECT_EQ(domains.count(std::string(domain_name(r.value_domain))), 1U) << r.id;
    if (r.metric) {
      EXPECT_EQ(units.count(std::string(unit_name(r.unit))), 1U) << r.id;
      EXPECT_FALSE(r.metric_name.empty()) << r.id;
    } else {
      EXPECT_EQ(r.unit, Unit::None) << r.id;
    }
  }
  EXPECT_EQ(unit_name(Unit::StoryPoints), "story_points");
  EXPECT_EQ(unit_name(Unit::None), "");
  EXPECT_EQ(domain_name(ValueDomain::NonNegative), "non_negative");
  // A percentage-valued metric whose value cannot leave [0, 100] says so; NRR and EGR can.
  EXPECT_EQ(find_route("/metrics/churn-rate")->value_domain, ValueDomain::Percentage);
  EXPECT_EQ(find_route("/metrics/nrr")->value_domain, ValueDomain::NonNegative);
  EXPECT_EQ(find_route("/metrics/egr")->value_domain, ValueDomain::Any);
  EXPECT_EQ(find_route("/metrics/nps")->value_domain, ValueDomain::Score);
}

TEST(Catalog, BandsRunFromBestToWorstInTheDeclaredDirection) {
  for (const auto& r : route_table()) {
    if (r.bands.empty()) continue;
    ASSERT_GE(r.bands.size(), 2U) << r.id;
    EXPECT_EQ(r.bands.back().op, BandOp::Otherwise) << r.id << ": the last band must catch the rest";
    std::set<std::string> statuses;
    for (std::size_t i = 0; i < r.bands.size(); ++i) {
      const Band& b = r.bands[i];
      EXPECT_TRUE(statuses.insert(b.status).second) << r.id << ": duplicate status " << b.status;
      EXPECT_FALSE(b.label.empty()) << r.id;
      if (i + 1 == r.bands.size()) break;
      EXPECT_NE(b.op, BandOp::Otherwise) << r.id << ": only the last band may be 'otherwise'";
      EXPECT_TRUE(r.lower_is_better ? is_ascending_op(b.op) : is_descending_op(b.op))
          << r.id << " band " << b.status << " points the wrong way";
      if (i > 0) {
        const double previous = r.bands[i - 1].edge;
        if (r.lower_is_better)
          EXPECT_GT(b.edge, previous) << r.id << ": edges of a lower-is-better metric must rise";
        else
          EXPECT_LT(b.edge, previous) << r.id << ": edges of a higher-is-better metric must fall";
      }
    }
  }
}

TEST(Catalog, LowerIsBetterAndIntegerValueAreDeclaredFacts) {
  for (const char* id : {"churn-rate", "bounce-rate", "ces", "product-quality", "cac", "time-to-value"})
    EXPECT_TRUE(find_route(std::string("/metrics/") + id)->lower_is_better) << id;
  for (const char* id : {"retention-rate", "nrr", "nps", "csat", "arpu", "velocity"})
    EXPECT_FALSE(find_route(std::string("/metrics/") + id)->lower_is_better) << id;
  for (const auto& r : route_table()) EXPECT_EQ(r.integer_value, r.id == "traffic" || r.id == "velocity") << r.id;
}

TEST(Catalog, EveryFieldHasAHumanLabel) {
  for (const auto& r : route_table()) {
    for (const auto& f : r.fields) {
      EXPECT_FALSE(f.label.empty()) << r.id << "." << f.name << " has no label";
      EXPECT_EQ(f.label.find('_'), std::string::npos) << r.id << "." << f.name << ": " << f.label;
      EXPECT_TRUE(!f.label.empty() && std::isupper(static_cast<unsigned char>(f.label[0])))
          << r.id << "." << f.name << ": " << f.label;
    }
  }
  const Json listing = testing::get("/metrics/list").body;
  const Json& arpu = listing["financial_metrics"]["arpu"];
  EXPECT_EQ(arpu["fields"][0]["name"], "total_revenue");
  EXPECT_EQ(arpu["fields"][0]["label"], "Revenue");
}

TEST(CatalogArgs, AnUndeclaredNameThrows) {
  std::vector<FieldSpec> declared(2);
  declared[0].name = "total_revenue";
  declared[1].name = "total_users";
  declared[1].type = FieldType::Integer;
  declared[1].required = false;
  const Json values = {{"total_revenue", 5.0}};
  const Args a(values, declared);
  EXPECT_EQ(a.number("total_revenue"), 5.0);
  EXPECT_FALSE(a.has("total_users"));  // declared, absent: no error
  EXPECT_EQ(a.integer("total_users"), 0);
  EXPECT_THROW(a.number("total_revenu"), std::logic_error);
  EXPECT_THROW(a.has("users"), std::logic_error);
  EXPECT_THROW(a.text("time_frame"), std::logic_error);
  EXPECT_THROW(a.raw("x"), std::logic_error);
  const Args unchecked(values);
  EXPECT_EQ(unchecked.number("anything"), 0.0);
}

/** The route's example, reduced to its required fields plus `keep` (a field name, or none). */
Json reduced_example(const RouteSpec& r, const std::string& keep) {
  Json body = Json::object();
  for (const auto& f : r.fields)
    if ((f.required || f.name == keep) && !f.example.is_null()) body[f.name] = f.example;
  return body;
}

// Every formula reads its fields through Args: requests that leave optional fields out make each
// lookup of an absent field run the declared-name check, so a misspelt name answers 500 here.
TEST(CatalogArgs, EveryRouteReadsOnlyDeclaredFields) {
  for (const auto& r : route_table()) {
    if (!r.metric) continue;
    EXPECT_NE(post(r.path, reduced_example(r, "")).status, 500) << r.path << " with its required fields only";
    for (const auto& f : r.fields) {
      if (f.required) continue;
      EXPECT_NE(post(r.path, reduced_example(r, f.name)).status, 500) << r.path << " with " << f.name;
    }
    EXPECT_EQ(post(r.path, example_request(r)).status, 200) << r.path;
  }
}

}  // namespace
}  // namespace pmkpi
