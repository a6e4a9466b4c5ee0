// Where every route's bands and benchmark figures come from, and the segments a cited source gives.
// One entry per metric route, joined to the route by id when the catalog is built. The research
// behind each entry (what was searched, what each source says) is in docs/benchmark-sources.md.
// Rule: a figure without a source we could read is "practitioner convention" and names nothing.
#include <limits>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

#include "catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

const char* const kSurvey = "survey";
const char* const kRuleOfThumb = "published rule of thumb";
const char* const kConvention = "practitioner convention";

BenchmarkSource convention(std::string segment, std::string covers = {}) {
  return {"Practitioner convention", std::nullopt, "", std::move(segment), kConvention, std::move(covers), ""};
}

const char* const kSkokName = "David Skok, SaaS Metrics 2.0 - A Guide to Measuring and Improving What Matters";
const char* const kSkokUrl = "https://www.forentrepreneurs.com/saas-metrics-2/";
const char* const kSaasCapital2023 = "SaaS Capital, 2023 B2B SaaS Retention Benchmarks (Research Brief 28)";
const char* const kSaasCapitalCovers =
    "Medians of its 12th annual survey of more than 1,500 private B2B SaaS companies (companies under $1M ARR "
    "excluded), by annual contract value (ACV).";

/** SaaS Capital 2023 median NRR and GRR by ACV band, as printed in the brief's Figure 1. */
struct AcvMedian {
  const char* key;
  const char* label;
  double acv_below;  // upper end of the band (exclusive) in dollars a year; the last band has none
  double nrr;
  double grr;
};
const std::vector<AcvMedian>& acv_medians() {
  static const std::vector<AcvMedian> v{
      {"acv_under_12k", "ACV under $12k", 12e3, 100, 90},
      {"acv_12k_to_25k", "ACV $12k-$25k", 25e3, 102, 90},
      {"acv_25k_to_50k", "ACV $25k-$50k", 50e3, 103, 92},
      {"acv_50k_to_100k", "ACV $50k-$100k", 100e3, 105, 93},
      {"acv_100k_to_250k", "ACV $100k-$250k", 250e3, 107, 93},
      {"acv_over_250k", "ACV over $250k", std::numeric_limits<double>::infinity(), 110, 93},
  };
  return v;
}

std::vector<Segment> retention_segments(bool net) {
  std::vector<Segment> out;
  for (const auto& m : acv_medians()) {
    const double median = net ? m.nrr : m.grr;
    const std::string figure = plain(median, 0) + "%";
    Segment s;
    s.key = m.key;
    s.label = m.label;
    s.benchmark = std::string("SaaS Capital 2023 survey: median ") + (net ? "net" : "gross") +
                  " revenue retention for " + m.label + " is " + figure;
    s.source = {kSaasCapital2023, 2023, "", m.label, kSurvey, kSaasCapitalCovers, ""};
    s.bands = {
        {"at_or_above_median", "At or above the " + std::string(m.label) + " median of " + figure, BandOp::Ge, median},
        {"below_median", "Below the " + std::string(m.label) + " median of " + figure, BandOp::Otherwise, 0}};
    out.push_back(std::move(s));
  }
  return out;
}

/** Monthly customer churn by customer size, lower is better: better than, within or above the typical range. */
Segment churn_segment(const char* key, const char* label, double low, double high) {
  const std::string range = plain(low) + "-" + plain(high) + "%";
  Segment s;
  s.key = key;
  s.label = label;
  s.benchmark = std::string("Typical monthly churn for ") + label + " customers: " + range + " (Tomasz Tunguz)";
  s.source = {"Tomasz Tunguz, churn rates by customer size (SMB, mid-market, enterprise)",
              std::nullopt,
              "",
              label,
              kRuleOfThumb,
              "Monthly churn ranges SMB 3-7%, mid-market 1-2%, enterprise 0.5-1%, as quoted from Tunguz's post in "
              "https://richardwatson.co/ideal-customer-size.html; the original post was not available to us.",
              ""};
  s.bands = {{"better_than_typical", "Better than the typical " + range, BandOp::Lt, low},
             {"typical", "Within the typical " + range, BandOp::Le, high},
             {"worse_than_typical", "Worse than the typical " + range, BandOp::Otherwise, 0}};
  return s;
}

void add_unit_economics_sources(std::unordered_map<std::string, BenchmarkSource>& t) {
  // Unit economics
  t["ltv-cac"] = {kSkokName,
                  std::nullopt,
                  kSkokUrl,
                  "SaaS",
                  kRuleOfThumb,
                  "LTV:CAC of 3 or more. The 1x edge is arithmetic (below it a customer costs more than it returns); "
                  "the under-investment warning above 5 is convention.",
                  ""};
  t["cac-payback"] = {kSkokName, std::nullopt, kSkokUrl,
                      "SaaS",    kRuleOfThumb, "CAC recovered in under 12 months; the 18-month edge is convention.",
                      ""};
  t["quick-ratio"] = {"Mamoon Hamid (Social+Capital), interviewed in Measuring the SaaS Revolution with Mamoon Hamid",
                      2015,
                      "https://www.insightsquared.com/blog/measuring-the-saas-revolution-with-mamoon-hamid/",
                      "SaaS",
                      kRuleOfThumb,
                      "The threshold of 4, from the metric's author (introduced at SaaStr Annual, February 2015). The "
                      "1x edge is arithmetic: below it MRR shrinks.",
                      ""};
  t["grr"] = {kSaasCapital2023,
              2023,
              "",
              "All ACV bands (companies over $1M ARR)",
              kSurvey,
              "Median GRR ranged from 90% (ACV under $25k) to 93% (ACV over $50k): at or above 93% beats every "
              "segment's median, 90-93% is within their range.",
              ""};
  t["net-new-mrr"] = convention("SaaS");
  t["arpa"] = {kSaasCapital2023,
               2023,
               "",
               "ACV bands",
               kSurvey,
               "The ACV bands that segment retention benchmarks; ARPA x 12 places an account in one of them.",
               ""};
  t["rule-of-40"] = {"Brad Feld, The Rule of 40% For a Healthy SaaS Company",
                     2015,
                     "http://www.feld.com/archives/2015/02/rule-40-healthy-saas-company.html",
                     "SaaS companies at scale (the post assumes at least $50M in revenue)",
                     kRuleOfThumb,
                     "Growth rate + profit margin of 40% or more; Feld prefers EBITDA as the profit.",
                     ""};
  t["magic-number"] = {
      convention("SaaS",
                 "The 0.75 and 0.5 edges are convention. The formula is Scale Venture Partners' (From $0 to $1M: The "
                 "Magic Number, https://www.scalevp.com/insights/from-0-to-1m-the-magic-number/), whose data put the "
                 "long-term median near 0.7 (The Wonder Years of SaaS, "
                 "https://scalevp.com/blog/the-wonder-years-of-saas-balancing-growth-and-sales-efficiency).")};
  t["burn-multiple"] = {"David Sacks (Craft Ventures), The Burn Multiple",
                        2020,
                        "",
                        "Venture-backed startups",
                        kRuleOfThumb,
                        "Under 1 amazing, 1-1.5 great, 1.5-2 good, 2-3 suspect, over 3 bad (Sacks' own rules of "
                        "thumb, stated in his essay and his video on the metric).",
                        ""};
}

/** The source of every metric route of the specification, then of the unit economics routes. */
std::unordered_map<std::string, BenchmarkSource> source_table() {
  std::unordered_map<std::string, BenchmarkSource> t;
  // Financial metrics
  t["arpu"] = convention("SaaS, monthly");
  t["mrr"] = convention("SaaS, month over month");
  t["cltv"] = {kSkokName, std::nullopt, kSkokUrl, "SaaS", kRuleOfThumb, "LTV at least 3x CAC.", ""};
  t["cac"] = convention("B2B SaaS", "The $239 average has no source we could find; the 3:1 ratio is Skok's.");
  // Customer loyalty metrics
  t["retention-rate"] = convention("SaaS");
  t["churn-rate"] = convention("SaaS, monthly customer churn");
  t["nrr"] = convention("SaaS", "General bands; with `segment`, SaaS Capital's 2023 medians by ACV apply.");
  // User engagement metrics
  t["conversion-rate"] = convention("E-commerce, SaaS, landing pages");
  t["traffic"] = convention("Websites");
  t["dau-mau"] = convention("Apps");
  t["session-duration"] = convention("E-commerce, media");
  t["bounce-rate"] = {
      convention("Websites (GA4 definition)",
                 "Band edges are convention. Bounce = a session that is not engaged; an engaged session lasts longer "
                 "than 10 seconds, has a key event, or has at least 2 page or screen views (Google Analytics Help, "
                 "[GA4] Session, https://support.google.com/analytics/answer/12798876).")};
  // Product/feature metrics
  t["sessions-per-user"] = convention("Apps");
  t["user-actions"] = convention("Apps");
  t["feature-adoption"] = convention("SaaS features");
  // User satisfaction metrics
  t["nps"] = convention("All industries",
                        "Band edges are convention. NPS itself: Frederick F. Reichheld, The One Number You Need to "
                        "Grow, Harvard Business Review, December 2003.");
  t["egr"] = convention("All industries",
                        "Band edges are convention. Earned growth rate (NRR + earned new customers - 100%): "
                        "Reichheld, Darnell and Burns, Net Promoter 3.0, Harvard Business Review, 2021.");
  t["csat"] = convention("All industries");
  t["osat"] = convention("All industries",
                         "Band edges are convention. The reference the benchmark names: the American Customer "
                         "Satisfaction Index, a national 0-100 index (https://theacsi.org/).");
  t["ces"] = convention("Customer service, 7-point scale",
                        "Band edges are convention. CES itself: Dixon, Freeman and Toman, Stop Trying to Delight "
                        "Your Customers, Harvard Business Review, July 2010.");
  // Additional PM metrics
  t["activation-rate"] = convention("SaaS");
  t["time-to-value"] = convention("SaaS");
  t["product-quality"] = convention("Software delivery");
  t["velocity"] = convention("Scrum teams");
  add_unit_economics_sources(t);
  return t;
}

/** Segments a cited source gives bands for; without `segment` the route's general bands apply. */
std::unordered_map<std::string, std::vector<Segment>> segment_table() {
  std::unordered_map<std::string, std::vector<Segment>> t;
  t["churn-rate"] = {churn_segment("smb", "SMB", 3, 7), churn_segment("mid_market", "mid-market", 1, 2),
                     churn_segment("enterprise", "enterprise", 0.5, 1)};
  t["nrr"] = retention_segments(true);
  t["grr"] = retention_segments(false);
  return t;
}

}  // namespace

std::string acv_segment_for(double acv) {
  for (const auto& m : acv_medians())
    if (acv < m.acv_below) return m.key;
  return acv_medians().back().key;
}

void attach_benchmark_sources(std::vector<RouteSpec>& routes) {
  auto sources = source_table();
  auto segments = segment_table();
  for (auto& r : routes) {
    if (!r.metric) continue;
    auto it = sources.find(r.id);
    // A metric route without provenance is a catalog bug: fail at start-up, and in every test.
    if (it == sources.end()) throw std::logic_error("no benchmark_source declared for " + r.id);
    r.benchmark_source = std::move(it->second);
    r.benchmark_source.rendered = benchmark_source_json(r.benchmark_source).dump();
    auto seg = segments.find(r.id);
    if (seg == segments.end()) continue;
    r.segments = std::move(seg->second);
    std::vector<std::string> keys;
    std::string described = "Customer segment whose cited benchmark and bands apply instead of the general ones: ";
    for (auto& s : r.segments) {
      s.source.rendered = benchmark_source_json(s.source).dump();
      described += (keys.empty() ? "" : ", ") + s.key + " (" + s.label + ")";
      keys.push_back(s.key);
    }
    r.fields.push_back(Field::of("segment", FieldType::Enum, described)
                           .label("Benchmark segment")
                           .choices(std::move(keys))
                           .optional());
  }
}

}  // namespace pmkpi::detail
