// Unit economics: LTV:CAC, CAC payback, SaaS quick ratio, gross revenue retention, net new MRR, ARPA.
// Bands and benchmark sources: benchmark_sources.cpp. The formulas' authors: each route's formula_source.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

const char* const kSkok = "David Skok, SaaS Metrics 2.0 (forentrepreneurs.com)";

MetricOutcome ltv_cac(const Args& a) {
  const bool given = a.has("ltv");
  const bool derivable = a.has("arpa") && a.has("gross_margin_percent") && a.has("monthly_churn_rate_percent");
  if (!given && !derivable)
    return rejected(
        "Give either ltv, or arpa, gross_margin_percent and monthly_churn_rate_percent to derive it (LTV = arpa x "
        "gross margin / monthly churn).");
  MetricOutcome o;
  const double cac = a.number("cac");
  double ltv = 0;
  if (given) {
    ltv = a.number("ltv");
    o.details = object({{"ltv_method", "given"}});
    if (a.has("arpa") || a.has("gross_margin_percent") || a.has("monthly_churn_rate_percent"))
      o.warnings.push_back("ltv was given, so arpa, gross_margin_percent and monthly_churn_rate_percent were ignored.");
  } else {
    const double arpa = a.number("arpa"), margin = a.number("gross_margin_percent");
    const double churn = a.number("monthly_churn_rate_percent");
    ltv = arpa * margin / churn;  // the percentages cancel: arpa x (margin/100) / (churn/100)
    o.details = object({{"ltv_method", "derived"},
                        {"monthly_gross_profit_per_account", round_to(arpa * margin / 100.0, 2)},
                        {"customer_lifetime_months", round_to(100.0 / churn, 2)},
                        {"cac_payback_months", round_to(cac * 100.0 / (arpa * margin), 2)}});
  }
  o.value = ltv / cac;
  o.details["ltv"] = round_to(ltv, 2);
  o.details["cac"] = cac;
  o.details["max_cac_for_3x_ratio"] = round_to(ltv / 3.0, 2);
  o.interpretation = "LTV:CAC is " + plain(round_to(o.value, 2)) + ":1 (" + money(round_to(ltv, 2)) +
                     " of lifetime value for " + money(cac) + " of acquisition cost): {band}";
  if (round_to(o.value, 2) > 5)
    o.warnings.push_back(
        "LTV:CAC above 5 may mean under-investing in growth: more sales and marketing spend could "
        "buy customers that still pay back.");
  return o;
}

MetricOutcome cac_payback(const Args& a) {
  MetricOutcome o;
  const double cac = a.number("cac"), arpa = a.number("arpa"), margin = a.number("gross_margin_percent");
  o.value = cac * 100.0 / (arpa * margin);
  o.interpretation = "CAC is paid back in " + plain(round_to(o.value, 2)) + " months of gross profit ({band})";
  o.details = object({{"monthly_gross_profit_per_account", round_to(arpa * margin / 100.0, 2)},
                      {"payback_years", round_to(o.value / 12.0, 2)}});
  if (margin == 100)
    o.warnings.push_back(
        "The payback assumes a 100% gross margin (the default when gross_margin_percent is not "
        "given), which makes it look shorter than it is for a business with costs of delivery.");
  return o;
}

MetricOutcome quick_ratio(const Args& a) {
  const double gained = a.number("new_mrr") + a.number("expansion_mrr") + a.number("reactivation_mrr");
  const double lost = a.number("contraction_mrr") + a.number("churned_mrr");
  if (lost == 0)
    return rejected(
        "The quick ratio is undefined when contraction_mrr + churned_mrr is 0: no MRR was lost (MRR "
        "gained: " +
        money(gained) + "). /metrics/net-new-mrr reports the movement without dividing.");
  MetricOutcome o;
  o.value = gained / lost;
  o.interpretation = "Quick ratio " + plain(round_to(o.value, 2)) + ": " + money(gained) + " of MRR gained for " +
                     money(lost) + " lost ({band})";
  o.details = object({{"gained_mrr", round_to(gained, 2)},
                      {"lost_mrr", round_to(lost, 2)},
                      {"net_new_mrr", round_to(gained - lost, 2)}});
  return o;
}

MetricOutcome grr(const Args& a) {
  const double begin = a.number("mrr_at_beginning");
  const double lost = a.number("contraction_revenue") + a.number("churned_revenue");
  if (lost > begin)
    return rejected("contraction_revenue + churned_revenue (" + money(lost) + ") cannot exceed mrr_at_beginning (" +
                    money(begin) + "): a cohort cannot lose more than it started with.");
  MetricOutcome o;
  o.value = percent(begin - lost, begin);
  o.interpretation = "Gross revenue retention: " + pct(o.value) + " ({band})";
  o.details = object({{"retained_mrr", round_to(begin - lost, 2)},
                      {"lost_mrr", round_to(lost, 2)},
                      {"gross_revenue_churn_percent", round_to(100.0 - o.value, 2)}});
  return o;
}

MetricOutcome net_new_mrr(const Args& a) {
  MetricOutcome o;
  const char* const movements[] = {"new_mrr", "expansion_mrr", "reactivation_mrr", "contraction_mrr", "churned_mrr"};
  const double gained = a.number("new_mrr") + a.number("expansion_mrr") + a.number("reactivation_mrr");
  const double lost = a.number("contraction_mrr") + a.number("churned_mrr");
  o.value = gained - lost;
  const double moved = gained + lost;
  Json shares = Json::object();
  for (const char* m : movements)
    shares[m] = moved > 0 ? Json(round_to(percent(a.number(m), moved), 2)) : Json(nullptr);
  o.details = object({{"gained_mrr", round_to(gained, 2)},
                      {"lost_mrr", round_to(lost, 2)},
                      {"movement_shares_percent", std::move(shares)}});
  o.interpretation =
      "Net new MRR: " + money(round_to(o.value, 2)) + " (" + money(gained) + " gained, " + money(lost) + " lost)";
  if (moved == 0) o.warnings.push_back("No MRR moved in the period: every movement is 0.");
  if (o.value < 0) o.warnings.push_back("MRR shrank: contraction and churn exceed new, expansion and reactivation.");
  return o;
}

MetricOutcome arpa(const Args& a) {
  MetricOutcome o;
  const auto accounts = a.integer("active_accounts");
  o.value = a.number("mrr") / static_cast<double>(accounts);
  const double acv = o.value * 12.0;
  o.interpretation = "Average revenue per account: " + money(round_to(o.value, 2)) + " per month (" +
                     money(round_to(acv, 2)) + " a year)";
  o.details = object({{"annual_revenue_per_account", round_to(acv, 2)}, {"acv_segment", acv_segment_for(acv)}});
  return o;
}

void add_ratio_routes(std::vector<RouteSpec>& out) {
  const std::string given = "Method 1: LTV given", derived = "Method 2: LTV derived";
  out.push_back(
      Route::metric("ltv-cac", CategoryId::UnitEconomics, ltv_cac)
          .name("LTV:CAC")
          .title("LTV to CAC Ratio")
          .description("Lifetime value of a customer per dollar spent acquiring one. Give ltv, or derive it from arpa, "
                       "gross_margin_percent and monthly_churn_rate_percent (ltv wins when both are given).")
          .metric_name("LTV:CAC Ratio")
          .unit(Unit::Ratio)
          .domain(ValueDomain::NonNegative)
          .formula("ltv / cac, with ltv = arpa x gross_margin_percent / monthly_churn_rate_percent when it is derived")
          .formula_source(kSkok)
          .benchmark("3:1 or better is healthy; below 1:1 each customer loses money; above 5:1 may be under-investing")
          .fields({
              Field::number("ltv", "Method 1: customer lifetime value")
                  .label("LTV")
                  .gt(0)
                  .optional()
                  .example(3600.0)
                  .group(given),
              Field::number("arpa", "Method 2: average revenue per account per month")
                  .label("ARPA (monthly)")
                  .gt(0)
                  .optional()
                  .example(100.0)
                  .group(derived),
              Field::number("gross_margin_percent", "Method 2: gross margin in percent")
                  .label("Gross margin (%)")
                  .gt(0)
                  .le(100)
                  .optional()
                  .example(80.0)
                  .group(derived),
              Field::number("monthly_churn_rate_percent", "Method 2: monthly customer churn in percent")
                  .label("Monthly churn rate (%)")
                  .gt(0)
                  .le(100)
                  .optional()
                  .example(2.0)
                  .group(derived),
              Field::number("cac", "Customer acquisition cost").label("CAC").gt(0).example(1000.0),
          })
          .bands({{"healthy", "Healthy", BandOp::Ge, 3},
                  {"weak", "Weak", BandOp::Ge, 1},
                  {"losing_money", "Losing money on each customer", BandOp::Otherwise, 0}}));

  out.push_back(
      Route::metric("cac-payback", CategoryId::UnitEconomics, cac_payback)
          .name("CAC Payback")
          .title("CAC Payback Period")
          .description("Months of gross profit from one account needed to recover what it cost to acquire.")
          .metric_name("CAC Payback Period")
          .unit(Unit::Months)
          .domain(ValueDomain::NonNegative)
          .lower_is_better()
          .formula("cac / (arpa x gross_margin_percent / 100)")
          .formula_source(kSkok)
          .benchmark("Under 12 months is good; 12-18 months is acceptable; over 18 months ties up too much cash")
          .fields({
              Field::number("cac", "Customer acquisition cost").label("CAC").gt(0).example(1200.0),
              Field::number("arpa", "Average revenue per account per month")
                  .label("ARPA (monthly)")
                  .gt(0)
                  .example(100.0),
              Field::number("gross_margin_percent", "Gross margin in percent")
                  .label("Gross margin (%)")
                  .gt(0)
                  .le(100)
                  .default_to(100.0)
                  .example(80.0),
          })
          .bands({{"good", "Good", BandOp::Lt, 12},
                  {"acceptable", "Acceptable", BandOp::Le, 18},
                  {"too_long", "Too long", BandOp::Otherwise, 0}}));
}

/** The month's five MRR movements: the fields of the quick ratio and of net new MRR. */
std::vector<FieldSpec> mrr_movement_fields() {
  return {
      Field::number("new_mrr", "MRR from new customers").label("New MRR").ge(0).example(20000.0),
      Field::number("expansion_mrr", "MRR from upgrades and upsells").label("Expansion MRR").ge(0).example(8000.0),
      Field::number("reactivation_mrr", "MRR from returning customers")
          .label("Reactivation MRR")
          .ge(0)
          .default_to(0.0)
          .example(2000.0),
      Field::number("contraction_mrr", "MRR lost to downgrades").label("Contraction MRR").ge(0).example(3000.0),
      Field::number("churned_mrr", "MRR lost to cancellations").label("Churned MRR").ge(0).example(4500.0),
  };
}

void add_movement_routes(std::vector<RouteSpec>& out) {
  out.push_back(
      Route::metric("quick-ratio", CategoryId::UnitEconomics, quick_ratio)
          .name("Quick Ratio")
          .title("SaaS Quick Ratio")
          .description("MRR gained (new, expansion, reactivation) per dollar of MRR lost (contraction, churn). When "
                       "nothing was lost "
                       "the ratio is undefined and the answer is a 400 naming the MRR gained.")
          .metric_name("SaaS Quick Ratio")
          .unit(Unit::Ratio)
          .domain(ValueDomain::NonNegative)
          .formula("(new_mrr + expansion_mrr + reactivation_mrr) / (contraction_mrr + churned_mrr)")
          .formula_source("Mamoon Hamid (Social+Capital), SaaStr Annual 2015")
          .benchmark("Above 4 is excellent growth efficiency; at or below 1 MRR is not growing")
          .fields(mrr_movement_fields())
          .bands({{"excellent", "Excellent", BandOp::Gt, 4},
                  {"growing", "Growing", BandOp::Gt, 1},
                  {"not_growing", "Not growing", BandOp::Otherwise, 0}}));

  out.push_back(
      Route::metric("net-new-mrr", CategoryId::UnitEconomics, net_new_mrr)
          .name("Net New MRR")
          .title("Net New MRR")
          .description("The month's MRR movements summed, with each movement's share of all movement in details.")
          .metric_name("Net New MRR")
          .unit(Unit::Currency)
          .domain(ValueDomain::Any)
          .formula("new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr")
          .formula_source("Practitioner convention (MRR movement accounting)")
          .benchmark("Positive means the recurring base grew; read it with the quick ratio to see how efficiently")
          .fields(mrr_movement_fields()));
}

void add_revenue_routes(std::vector<RouteSpec>& out) {
  out.push_back(
      Route::metric("grr", CategoryId::UnitEconomics, grr)
          .name("GRR")
          .title("Gross Revenue Retention")
          .description(
              "Share of starting recurring revenue kept after contraction and churn, without expansion (so never above "
              "100%). An optional segment (annual contract value) selects SaaS Capital's median for that segment.")
          .metric_name("Gross Revenue Retention (GRR)")
          .unit(Unit::Percentage)
          .domain(ValueDomain::Percentage)
          .formula("(mrr_at_beginning - contraction_revenue - churned_revenue) / mrr_at_beginning x 100")
          .formula_source("SaaS Capital, B2B SaaS Retention Benchmarks (gross retention excludes upsells)")
          .benchmark("SaaS Capital 2023: median GRR is 90-93% across contract sizes")
          .fields({
              Field::number("mrr_at_beginning", "MRR of the cohort at the start")
                  .label("MRR at start")
                  .gt(0)
                  .example(50000.0),
              Field::number("contraction_revenue", "MRR lost to downgrades")
                  .label("Contraction revenue")
                  .ge(0)
                  .example(1000.0),
              Field::number("churned_revenue", "MRR lost to cancellations")
                  .label("Churned revenue")
                  .ge(0)
                  .example(2000.0),
          })
          .bands({{"strong", "Strong (at or above every segment's median)", BandOp::Ge, 93},
                  {"typical", "Typical", BandOp::Ge, 90},
                  {"below_typical", "Below typical", BandOp::Otherwise, 0}}));

  out.push_back(
      Route::metric("arpa", CategoryId::UnitEconomics, arpa)
          .name("ARPA")
          .title("Average Revenue Per Account")
          .description("Monthly recurring revenue per paying account; details name the annual-contract-value segment "
                       "it falls in, "
                       "which the NRR and GRR routes accept as `segment`.")
          .metric_name("ARPA")
          .unit(Unit::Currency)
          .domain(ValueDomain::NonNegative)
          .formula("mrr / active_accounts")
          .formula_source("Practitioner convention")
          .benchmark("Compare with companies of similar contract value: SaaS Capital segments retention by ACV")
          .fields({
              Field::number("mrr", "Monthly recurring revenue").label("MRR").ge(0).example(50000.0),
              Field::integer("active_accounts", "Paying accounts").label("Active accounts").gt(0).example(400),
          }));
}

}  // namespace

void add_unit_economics_routes(std::vector<RouteSpec>& out) {
  add_ratio_routes(out);
  add_movement_routes(out);
  add_revenue_routes(out);
}

}  // namespace pmkpi::detail
