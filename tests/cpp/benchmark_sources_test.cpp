// Benchmark provenance and segments as catalog facts: every metric route carries a cited (or
// explicitly conventional) benchmark_source, in its responses and in /metrics/list, and segment
// bands are reachable through band_for like the general ones. Route values: tests/fixtures.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "pmkpi/catalog.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::get;
using testing::post;

const std::set<std::string>& kinds() {
  static const std::set<std::string> k{"survey", "published rule of thumb", "practitioner convention"};
  return k;
}

void expect_valid(const BenchmarkSource& s, const std::string& where) {
  EXPECT_FALSE(s.name.empty()) << where;
  EXPECT_TRUE(kinds().count(s.kind)) << where << ": kind '" << s.kind << "'";
  if (!s.url.empty()) {
    EXPECT_EQ(s.url.rfind("http", 0), 0u) << where << ": " << s.url;
  }
  if (s.year) {
    EXPECT_TRUE(*s.year >= 1990 && *s.year <= 2026) << where;
  }
  // A conventional figure names no source: no author, no year, no link.
  if (s.kind == "practitioner convention") {
    EXPECT_EQ(s.name, "Practitioner convention") << where;
    EXPECT_FALSE(s.year) << where;
    EXPECT_TRUE(s.url.empty()) << where;
  }
  EXPECT_EQ(Json::parse(s.rendered), benchmark_source_json(s)) << where;
}

TEST(BenchmarkSources, EveryMetricRouteAndSegmentHasOne) {
  std::size_t metrics = 0;
  for (const auto& r : route_table()) {
    if (!r.metric) continue;
    ++metrics;
    expect_valid(r.benchmark_source, r.id);
    for (const auto& s : r.segments) {
      expect_valid(s.source, r.id + " segment " + s.key);
      EXPECT_FALSE(s.benchmark.empty()) << r.id << " " << s.key;
      EXPECT_EQ(s.source.kind == "practitioner convention", false) << "a segment exists only where a source gives it";
    }
  }
  EXPECT_EQ(metrics, 33u);
}

TEST(BenchmarkSources, EveryResponseCarriesTheRoutesSource) {
  for (const auto& r : route_table()) {
    if (!r.metric) continue;
    auto a = post(r.path, example_request(r));
    ASSERT_EQ(a.status, 200) << r.path << " " << a.raw.body;
    EXPECT_EQ(a.body["benchmark_source"], benchmark_source_json(r.benchmark_source)) << r.path;
    EXPECT_FALSE(a.body["benchmark_source"]["name"].get<std::string>().empty()) << r.path;
  }
}

/** Every metric entry of the listing, wherever the listing's shape nests it. */
void collect_metric_entries(const Json& j, std::vector<const Json*>& out) {
  if (j.is_object()) {
    if (j.contains("endpoint") && j.contains("metric_name")) {
      out.push_back(&j);
      return;
    }
    for (const auto& [k, v] : j.items()) collect_metric_entries(v, out);
  } else if (j.is_array()) {
    for (const auto& v : j) collect_metric_entries(v, out);
  }
}

TEST(BenchmarkSources, ListingCarriesSourcesAndSegments) {
  auto a = get("/metrics/list");
  ASSERT_EQ(a.status, 200);
  std::vector<const Json*> entries;
  collect_metric_entries(a.body, entries);
  std::set<std::string> seen;
  for (const Json* m : entries) {
    const RouteSpec* r = find_route((*m)["endpoint"].get<std::string>());
    ASSERT_NE(r, nullptr);
    EXPECT_EQ((*m)["benchmark_source"], benchmark_source_json(r->benchmark_source)) << r->id;
    EXPECT_EQ((*m)["segments"].size(), r->segments.size()) << r->id;
    seen.insert(r->id);
  }
  EXPECT_EQ(seen.size(), 33u);
}

TEST(BenchmarkSources, SegmentsAreOfferedAsAnEnumInput) {
  for (const char* path : {"/metrics/nrr", "/metrics/grr", "/metrics/churn-rate"}) {
    const RouteSpec* r = find_route(path);
    ASSERT_NE(r, nullptr);
    ASSERT_FALSE(r->segments.empty()) << path;
    const FieldSpec* field = nullptr;
    for (const auto& f : r->fields)
      if (f.name == "segment") field = &f;
    ASSERT_NE(field, nullptr) << path;
    EXPECT_FALSE(field->required);
    EXPECT_EQ(field->choices.size(), r->segments.size());
    for (std::size_t i = 0; i < r->segments.size(); ++i) EXPECT_EQ(field->choices[i], r->segments[i].key);
  }
  // Routes with no cited segment bands take no segment input.
  for (const char* path : {"/metrics/arpu", "/metrics/ltv-cac", "/metrics/retention-rate"})
    for (const auto& f : find_route(path)->fields) EXPECT_NE(f.name, "segment") << path;
}

TEST(BenchmarkSources, BandForReadsSegmentBandsAndFallsBackToTheGeneralOnes) {
  const RouteSpec& nrr = *find_route("/metrics/nrr");
  EXPECT_EQ(band_for(nrr, 104.0)->status, "good");
  EXPECT_EQ(band_for(nrr, 104.0, 1.0, "acv_25k_to_50k")->status, "at_or_above_median");
  EXPECT_EQ(band_for(nrr, 102.99, 1.0, "acv_25k_to_50k")->status, "below_median");
  EXPECT_EQ(band_for(nrr, 104.0, 1.0, "no_such_segment")->status, "good");
  const RouteSpec& churn = *find_route("/metrics/churn-rate");
  EXPECT_EQ(band_for(churn, 4.0)->status, "good");
  EXPECT_EQ(band_for(churn, 4.0, 1.0, "smb")->status, "typical");
  EXPECT_EQ(band_for(churn, 4.0, 1.0, "enterprise")->status, "worse_than_typical");
}

TEST(BenchmarkSources, AcvSegmentsMatchTheRetentionSegments) {
  const RouteSpec& grr = *find_route("/metrics/grr");
  std::set<std::string> keys;
  for (const auto& s : grr.segments) keys.insert(s.key);
  for (double acv : {0.0, 11999.99, 12000.0, 24999.0, 25000.0, 60000.0, 100000.0, 250000.0, 1e9})
    EXPECT_TRUE(keys.count(detail::acv_segment_for(acv))) << acv;
  EXPECT_EQ(detail::acv_segment_for(11999.99), "acv_under_12k");
  EXPECT_EQ(detail::acv_segment_for(12000.0), "acv_12k_to_25k");
  EXPECT_EQ(detail::acv_segment_for(250000.0), "acv_over_250k");
}

TEST(UnitEconomics, EveryRouteStatesItsFormulaAndSource) {
  std::size_t count = 0;
  for (const auto& r : route_table()) {
    if (r.category != CategoryId::UnitEconomics) continue;
    ++count;
    EXPECT_FALSE(r.formula_source.empty()) << r.id;
    auto a = post(r.path, example_request(r));
    ASSERT_EQ(a.status, 200) << r.id;
    EXPECT_EQ(a.body["details"]["formula"], r.formula) << r.id;
    EXPECT_EQ(a.body["details"]["formula_source"], r.formula_source) << r.id;
  }
  EXPECT_EQ(count, 9u);
  auto doc = get("/openapi.json");
  const Json& op = doc.body["paths"]["/metrics/burn-multiple"]["post"];
  EXPECT_EQ(op["tags"][0], "Unit Economics");
  const std::string description = op["description"].get<std::string>();
  EXPECT_NE(description.find("net_burn / net_new_arr (source: David Sacks"), std::string::npos) << description;
  EXPECT_NE(description.find("Benchmark source: David Sacks"), std::string::npos) << description;
  const Json& schema = doc.body["components"]["schemas"]["GrrResponse"];
  EXPECT_TRUE(schema["properties"].contains("benchmark_source"));
  const Json statuses = schema["properties"]["status"]["enum"];
  EXPECT_NE(std::find(statuses.begin(), statuses.end(), "below_median"), statuses.end()) << statuses.dump();
}

TEST(UnitEconomics, AlternativeLtvMethodsAreInputGroups) {
  const RouteSpec& r = *find_route("/metrics/ltv-cac");
  Json example = example_request(r);
  EXPECT_TRUE(example.contains("ltv"));
  EXPECT_TRUE(example.contains("cac"));
  EXPECT_FALSE(example.contains("arpa"));
}

}  // namespace
}  // namespace pmkpi
