// User satisfaction metrics: NPS, EGR, CSAT, OSAT, CES.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

MetricOutcome nps(const Args& a) {
  const double promoters = static_cast<double>(a.integer("promoters"));
  const double passives = static_cast<double>(a.integer("passives"));
  const double detractors = static_cast<double>(a.integer("detractors"));
  const double total = promoters + passives + detractors;
  if (total == 0) return rejected("NPS needs at least one response: promoters, passives and detractors are all 0.");
  long long responses = 0;  // each count is >= 0; their sum may still not fit in 64 bits
  if (__builtin_add_overflow(a.integer("promoters"), a.integer("passives"), &responses) ||
      __builtin_add_overflow(responses, a.integer("detractors"), &responses))
    return rejected(
        "promoters + passives + detractors exceeds 9223372036854775807, the largest count this API "
        "represents.");
  MetricOutcome o;
  o.value = percent(promoters, total) - percent(detractors, total);  // the reference's order (METRICS.md)
  o.interpretation = "Net Promoter Score: " + plain(round_to(o.value, 2)) + " ({band})";
  o.details = object({{"total_responses", responses},
                      {"promoters_percent", round_to(percent(promoters, total), 2)},
                      {"passives_percent", round_to(percent(passives, total), 2)},
                      {"detractors_percent", round_to(percent(detractors, total), 2)}});
  return o;
}

MetricOutcome egr(const Args& a) {
  const double begin = a.number("mrr_at_beginning");
  const double referrals = a.number("new_customer_revenue_from_referrals");
  const double new_revenue = a.number("total_new_customer_revenue");
  if (referrals > new_revenue)
    return rejected("new_customer_revenue_from_referrals (" + plain(referrals) +
                    ") cannot exceed total_new_customer_revenue (" + plain(new_revenue) + ").");
  MetricOutcome o;
  const double nrr = percent(begin + a.number("expansion_revenue") + a.number("upsell_revenue") -
                                 a.number("churn_revenue") - a.number("contraction_revenue"),
                             begin);
  const double enc = percent(referrals, new_revenue);
  o.value = nrr + enc - 100.0;
  o.interpretation =
      "Earned growth rate: " + pct(o.value) + " ({band}); NRR " + pct(nrr) + ", earned new customers " + pct(enc);
  o.details =
      object({{"net_revenue_retention_percent", round_to(nrr, 2)}, {"earned_new_customers_percent", round_to(enc, 2)}});
  return o;
}

MetricOutcome satisfaction(const Args& a, const std::string& label) {
  if (auto e = exceeds(a, "number_of_satisfied_responses", "total_number_of_responses")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("number_of_satisfied_responses")),
                    static_cast<double>(a.integer("total_number_of_responses")));
  o.interpretation = label + ": " + pct(o.value) + " of respondents satisfied ({band})";
  o.details = object(
      {{"scale_type", a.raw("scale_type")},
       {"unsatisfied_responses", a.integer("total_number_of_responses") - a.integer("number_of_satisfied_responses")}});
  return o;
}

MetricOutcome ces(const Args& a) {
  const auto scale_max = a.integer("scale_max");
  const double mean =
      a.number("sum_of_all_effort_scores") / static_cast<double>(a.integer("total_number_of_respondents"));
  if (mean > static_cast<double>(scale_max))
    return rejected("The mean effort score (" + plain(mean) + ") cannot exceed scale_max (" +
                    std::to_string(scale_max) + "): check sum_of_all_effort_scores and total_number_of_respondents.");
  MetricOutcome o;
  o.value = mean;
  o.band_scale = static_cast<double>(scale_max) / 7.0;
  o.interpretation = "Customer effort score: " + plain(round_to(mean, 2)) + " on a 1-" + std::to_string(scale_max) +
                     " scale ({band}; lower is better)";
  o.details = object(
      {{"scale_max", scale_max}, {"normalized_7_point", round_to(mean * 7.0 / static_cast<double>(scale_max), 2)}});
  return o;
}

RouteSpec satisfaction_route(const std::string& id, const std::string& name, std::string title, std::string metric_name,
                             std::string benchmark) {
  return Route::metric(id, CategoryId::Satisfaction, [label = name](const Args& a) { return satisfaction(a, label); })
      .name(name)
      .title(std::move(title))
      .description("Share of survey responses that were satisfied (" + name + ").")
      .metric_name(std::move(metric_name))
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .formula("number_of_satisfied_responses / total_number_of_responses x 100")
      .benchmark(std::move(benchmark))
      .fields({
          Field::integer("number_of_satisfied_responses", "Satisfied responses (4-5 on a 5-point scale)")
              .label("Satisfied responses")
              .ge(0)
              .example(750),
          Field::integer("total_number_of_responses", "Total responses").label("Responses").gt(0).example(1000),
          Field::text("scale_type", "\"5-point\" or \"10-point\"")
              .label("Scale")
              .default_to("5-point")
              .nullable()
              .example("5-point"),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 80},
              {"good", "Good", BandOp::Ge, 70},
              {"average", "Average", BandOp::Ge, 60},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

RouteSpec nps_route() {
  return Route::metric("nps", CategoryId::Satisfaction, nps)
      .name("NPS")
      .title("Net Promoter Score")
      .description("Promoters minus detractors, as a share of all responses (-100 to 100).")
      .metric_name("Net Promoter Score (NPS)")
      .unit(Unit::Score)
      .domain(ValueDomain::Score)
      .formula("(promoters - detractors) / (promoters + passives + detractors) x 100")
      .benchmark("Above 0 is good, above 30 is great, above 50 is excellent; SaaS averages about 30-40")
      .fields({
          Field::integer("promoters", "Users who rated 9-10").label("Promoters (9-10)").ge(0).example(500),
          Field::integer("passives", "Users who rated 7-8").label("Passives (7-8)").ge(0).example(300),
          Field::integer("detractors", "Users who rated 0-6").label("Detractors (0-6)").ge(0).example(200),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 50},
              {"good", "Good", BandOp::Gt, 30},
              {"average", "Average", BandOp::Ge, 0},
              {"needs_urgent_improvement", "Needs urgent improvement", BandOp::Otherwise, 0}});
}

RouteSpec egr_route() {
  return Route::metric("egr", CategoryId::Satisfaction, egr)
      .name("EGR")
      .title("Earned Growth Rate")
      .description("Growth earned from existing customers (NRR) and from referrals (earned new customers).")
      .metric_name("Earned Growth Rate (EGR)")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Any)
      .formula(
          "NRR + ENC - 100, NRR = (mrr_at_beginning + expansion + upsell - churn - contraction) / "
          "mrr_at_beginning x 100, ENC = new_customer_revenue_from_referrals / total_new_customer_revenue x 100")
      .benchmark("Bain & Company: companies with the highest earned growth outgrow their peers; above 20% is excellent")
      .fields({
          Field::number("mrr_at_beginning", "Starting MRR").label("MRR at the beginning").gt(0).example(100000.0),
          Field::number("expansion_revenue", "Expansion revenue")
              .label("Expansion revenue (upgrades)")
              .ge(0)
              .example(10000.0),
          Field::number("upsell_revenue", "Upsell revenue").label("Upsell revenue").ge(0).example(5000.0),
          Field::number("churn_revenue", "Churned revenue").label("Churned revenue").ge(0).example(8000.0),
          Field::number("contraction_revenue", "Downgrade revenue")
              .label("Contraction revenue (downgrades)")
              .ge(0)
              .example(2000.0),
          Field::number("new_customer_revenue_from_referrals", "Revenue from referred new customers")
              .label("New revenue from referrals")
              .ge(0)
              .example(15000.0),
          Field::number("total_new_customer_revenue", "Total new customer revenue")
              .label("Revenue from all new customers")
              .gt(0)
              .example(50000.0),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 20},
              {"good", "Good", BandOp::Gt, 10},
              {"average", "Average", BandOp::Ge, 0},
              {"negative_growth", "Negative growth", BandOp::Otherwise, 0}});
}

RouteSpec ces_route() {
  return Route::metric("ces", CategoryId::Satisfaction, ces)
      .name("CES")
      .title("Customer Effort Score")
      .description("Mean effort rating; lower means customers find it easier. Band edges scale with scale_max / 7.")
      .metric_name("Customer Effort Score (CES)")
      .unit(Unit::Score)
      .domain(ValueDomain::NonNegative)
      .lower_is_better()
      .formula("sum_of_all_effort_scores / total_number_of_respondents")
      .benchmark("Lower is better: below 2 of 7 is excellent, below 3 of 7 is good")
      .fields({
          Field::number("sum_of_all_effort_scores", "Sum of all ratings")
              .label("Sum of effort scores")
              .ge(0)
              .example(2500.0),
          Field::integer("total_number_of_respondents", "Total respondents").label("Respondents").gt(0).example(1000),
          Field::integer("scale_max", "Maximum of the rating scale (typically 5 or 7)")
              .label("Top of the scale")
              .ge(1)
              .default_to(7)
              .example(7),
      })
      .bands({{"excellent", "Excellent", BandOp::Lt, 2.0},
              {"good", "Good", BandOp::Lt, 3.0},
              {"average", "Average", BandOp::Lt, 4.0},
              {"high_effort", "High effort", BandOp::Otherwise, 0}});
}

}  // namespace

void add_satisfaction_routes(std::vector<RouteSpec>& out) {
  out.push_back(nps_route());
  out.push_back(egr_route());
  out.push_back(satisfaction_route("csat", "CSAT", "Customer Satisfaction Score", "Customer Satisfaction Score (CSAT)",
                                   "Above 75% is good; top performers exceed 80%"));
  out.push_back(satisfaction_route(
      "osat", "OSAT", "Overall Satisfaction Score", "Overall Satisfaction Score (OSAT)",
      "Above 75% is good; the ACSI (American Customer Satisfaction Index) is the industry reference"));
  out.push_back(ces_route());
}

}  // namespace pmkpi::detail
