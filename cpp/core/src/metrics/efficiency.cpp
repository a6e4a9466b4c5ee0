// Growth efficiency (category unit_economics): rule of 40, SaaS magic number, burn multiple.
// Bands and benchmark sources: benchmark_sources.cpp. The formulas' authors: each route's formula_source.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

MetricOutcome rule_of_40(const Args& a) {
  MetricOutcome o;
  const double growth = a.number("revenue_growth_percent"), margin = a.number("profit_margin_percent");
  const std::string basis = a.text("margin_basis");
  o.value = growth + margin;
  o.interpretation = "Rule of 40 score: " + plain(round_to(o.value, 2)) + " (" + plain(growth) + "% growth + " +
                     plain(margin) + "% " + (basis == "fcf" ? "free cash flow" : "EBITDA") + " margin): {band}";
  o.details = object({{"revenue_growth_percent", growth}, {"profit_margin_percent", margin}, {"margin_basis", basis}});
  if (margin < -100)
    o.warnings.push_back("profit_margin_percent is below -100%: losses exceed revenue, so growth carries the score.");
  return o;
}

MetricOutcome magic_number(const Args& a) {
  MetricOutcome o;
  const double current = a.number("current_quarter_revenue"), previous = a.number("previous_quarter_revenue");
  const double spend = a.number("previous_quarter_sales_marketing_spend");
  const double change = current - previous;
  o.value = change * 4.0 / spend;
  o.interpretation = "Magic number " + plain(round_to(o.value, 2)) + ": " + money(round_to(change * 4.0, 2)) +
                     " of annualized new revenue for " + money(spend) + " of sales and marketing ({band})";
  o.details = object(
      {{"quarterly_revenue_change", round_to(change, 2)}, {"annualized_revenue_change", round_to(change * 4.0, 2)}});
  if (change < 0) o.warnings.push_back("Revenue fell from the previous quarter, so the magic number is negative.");
  if (previous == 0)
    o.warnings.push_back("previous_quarter_revenue is 0: the first quarter of revenue makes the ratio unstable.");
  return o;
}

MetricOutcome burn_multiple(const Args& a) {
  const double burn = a.number("net_burn"), arr = a.number("net_new_arr");
  if (arr <= 0)
    return rejected("The burn multiple is undefined when net_new_arr is 0 or negative (got " + money(arr) +
                    "): " + money(burn) + " was burned without adding ARR.");
  MetricOutcome o;
  o.value = burn / arr;
  o.interpretation = "Burn multiple " + plain(round_to(o.value, 2)) + ": " + money(burn) + " burned for " + money(arr) +
                     " of net new ARR ({band})";
  o.details = object({{"net_burn", burn},
                      {"net_new_arr", arr},
                      {"net_new_arr_per_dollar_burned", burn > 0 ? Json(round_to(arr / burn, 2)) : Json(nullptr)}});
  if (burn == 0) o.warnings.push_back("net_burn is 0: the company grew ARR without burning cash.");
  return o;
}

RouteSpec magic_number_route() {
  return Route::metric("magic-number", CategoryId::UnitEconomics, magic_number)
      .name("Magic Number")
      .title("SaaS Magic Number")
      .description(
          "Annualized revenue added in a quarter per dollar of the previous quarter's sales and marketing spend.")
      .metric_name("SaaS Magic Number")
      .unit(Unit::Ratio)
      .domain(ValueDomain::Any)
      .formula("(current_quarter_revenue - previous_quarter_revenue) x 4 / previous_quarter_sales_marketing_spend")
      .formula_source("Scale Venture Partners, From $0 to $1M: The Magic Number")
      .benchmark("Above 0.75 is efficient, below 0.5 inefficient; Scale Venture Partners' data put the median near 0.7")
      .fields({
          Field::number("current_quarter_revenue", "Revenue this quarter")
              .label("Revenue this quarter")
              .ge(0)
              .example(1100000.0),
          Field::number("previous_quarter_revenue", "Revenue last quarter")
              .label("Revenue last quarter")
              .ge(0)
              .example(1000000.0),
          Field::number("previous_quarter_sales_marketing_spend", "Sales and marketing spend last quarter")
              .label("Sales and marketing spend last quarter")
              .gt(0)
              .example(500000.0),
      })
      .bands({{"efficient", "Efficient", BandOp::Gt, 0.75},
              {"moderate", "Moderate", BandOp::Ge, 0.5},
              {"inefficient", "Inefficient", BandOp::Otherwise, 0}});
}

RouteSpec burn_multiple_route() {
  return Route::metric("burn-multiple", CategoryId::UnitEconomics, burn_multiple)
      .name("Burn Multiple")
      .title("Burn Multiple")
      .description(
          "Cash burned per dollar of net new ARR over the same period. Net new ARR of 0 or less is a 400: "
          "the multiple "
          "is undefined.")
      .metric_name("Burn Multiple")
      .unit(Unit::Ratio)
      .domain(ValueDomain::NonNegative)
      .lower_is_better()
      .formula("net_burn / net_new_arr")
      .formula_source("David Sacks (Craft Ventures), The Burn Multiple (2020)")
      .benchmark("Under 1 is amazing, 1-1.5 great, 1.5-2 good, 2-3 suspect, over 3 bad (David Sacks)")
      .fields({
          Field::number("net_burn", "Net cash burned in the period").label("Net burn").ge(0).example(3000000.0),
          Field::number("net_new_arr", "ARR added in the period, net of churn and contraction")
              .label("Net new ARR")
              .example(2000000.0),
      })
      .bands({{"amazing", "Amazing", BandOp::Lt, 1},
              {"great", "Great", BandOp::Lt, 1.5},
              {"good", "Good", BandOp::Lt, 2},
              {"suspect", "Suspect", BandOp::Le, 3},
              {"bad", "Bad", BandOp::Otherwise, 0}});
}

}  // namespace

void add_efficiency_routes(std::vector<RouteSpec>& out) {
  out.push_back(
      Route::metric("rule-of-40", CategoryId::UnitEconomics, rule_of_40)
          .name("Rule of 40")
          .title("Rule of 40")
          .description("Revenue growth plus profit margin, both in percent; the margin is EBITDA or free cash flow "
                       "(margin_basis).")
          .metric_name("Rule of 40")
          .unit(Unit::Percentage)
          .domain(ValueDomain::Any)
          .formula("revenue_growth_percent + profit_margin_percent")
          .formula_source("Brad Feld, The Rule of 40% For a Healthy SaaS Company (2015)")
          .benchmark("Growth rate plus profit margin of 40% or more is healthy for a SaaS company at scale")
          .fields({
              Field::number("revenue_growth_percent", "Year-over-year revenue (or MRR) growth in percent")
                  .label("Revenue growth (%)")
                  .ge(-100)
                  .example(30.0),
              Field::number("profit_margin_percent", "Profit margin in percent")
                  .label("Profit margin (%)")
                  .le(100)
                  .example(15.0),
              Field::of("margin_basis", FieldType::Enum, "What the profit margin measures: EBITDA or free cash flow")
                  .label("Margin basis")
                  .choices({"ebitda", "fcf"})
                  .default_to("ebitda")
                  .example("ebitda"),
          })
          .bands({{"meets_rule", "Meets the rule of 40", BandOp::Ge, 40},
                  {"below_rule", "Below the rule of 40", BandOp::Otherwise, 0}}));

  out.push_back(magic_number_route());

  out.push_back(burn_multiple_route());
}

}  // namespace pmkpi::detail
