// Customer loyalty metrics: retention, churn, net revenue retention.
#include <algorithm>
#include <cmath>
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

MetricOutcome retention(const Args& a) {
  MetricOutcome o;
  const auto start = a.integer("customers_at_start");
  const auto end = a.integer("customers_at_end");
  const auto fresh = a.integer("new_customers_acquired");
  const double retained = static_cast<double>(end) - static_cast<double>(fresh);
  const double raw = percent(retained, static_cast<double>(start));
  o.value = std::clamp(raw, 0.0, 100.0);
  if (raw < 0)
    o.warnings.push_back("customers_at_end - new_customers_acquired is negative (" + plain(retained, 0) +
                         "): the inputs contradict each other, so the rate was clamped from " + plain(raw) +
                         "% to 0%.");
  else if (raw > 100)
    o.warnings.push_back("More customers were retained (" + plain(retained, 0) + ") than there were at the start (" +
                         plain(static_cast<double>(start), 0) + "), so the rate was clamped from " + plain(raw) +
                         "% to 100%.");
  o.interpretation = "Customer retention rate: " + plain(round_to(o.value, 2)) + "% ({band})";
  o.details =
      object({{"retained_customers", std::max(0LL, static_cast<long long>(end) - fresh)},  // both >= 0: no overflow
              {"unclamped_rate_percent", round_to(raw, 2)},
              {"implied_churn_rate_percent", round_to(100.0 - o.value, 2)}});
  return o;
}

MetricOutcome churn(const Args& a) {
  const auto lost = a.integer("customers_lost");
  const auto start = a.integer("total_customers_at_start");
  if (auto e = exceeds(a, "customers_lost", "total_customers_at_start")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(lost), static_cast<double>(start));
  const double monthly = o.value / 100.0;
  o.details = object({{"customers_lost", lost},
                      {"customers_retained", start - lost},
                      {"retention_rate_percent", round_to(100.0 - o.value, 2)},
                      {"annualized_churn_rate_percent", round_to((1.0 - std::pow(1.0 - monthly, 12.0)) * 100.0, 2)},
                      {"revenue_churn_rate", nullptr}});
  o.interpretation = "Customer churn rate: " + plain(round_to(o.value, 2)) + "% ({band})";
  const bool has_lost_revenue = a.has("revenue_from_lost_customers");
  const bool has_start_revenue = a.has("total_revenue_at_start");
  if (has_lost_revenue && has_start_revenue) {
    // The reference skipped this when the lost revenue was 0 (a truthiness test); 0 is a real 0%.
    const double lost_revenue = a.number("revenue_from_lost_customers");
    const double start_revenue = a.number("total_revenue_at_start");
    if (start_revenue <= 0) {
      o.warnings.push_back("total_revenue_at_start must be greater than 0 to compute revenue churn; it was skipped.");
    } else {
      const double revenue_churn = round_to(percent(lost_revenue, start_revenue), 2);
      o.details["revenue_churn_rate"] = revenue_churn;
      o.interpretation += "; revenue churn rate: " + plain(revenue_churn) + "%";
      if (lost_revenue < 0) o.warnings.push_back("revenue_from_lost_customers is negative.");
      if (lost_revenue > start_revenue)
        o.warnings.push_back(
            "revenue_from_lost_customers exceeds total_revenue_at_start: revenue churn is above 100%.");
    }
  } else if (has_lost_revenue || has_start_revenue) {
    o.warnings.push_back(
        "Revenue churn needs both revenue_from_lost_customers and total_revenue_at_start; it was skipped.");
  }
  return o;
}

MetricOutcome nrr(const Args& a) {
  MetricOutcome o;
  const double begin = a.number("mrr_at_beginning");
  const double end =
      begin + a.number("expansion_revenue") - a.number("contraction_revenue") - a.number("churned_revenue");
  o.value = percent(end, begin);
  o.interpretation = "Net revenue retention: " + plain(round_to(o.value, 2)) + "% ({band})";
  o.details = object(
      {{"mrr_at_end", round_to(end, 2)},
       {"net_change", round_to(end - begin, 2)},
       {"gross_revenue_retention_percent",
        round_to(std::max(0.0, percent(begin - a.number("contraction_revenue") - a.number("churned_revenue"), begin)),
                 2)}});
  if (end < 0) o.warnings.push_back("Contraction and churn exceed the starting MRR plus expansion: NRR is negative.");
  return o;
}

RouteSpec retention_rate_route() {
  return Route::metric("retention-rate", CategoryId::Loyalty, retention)
      .name("Retention Rate")
      .title("Customer Retention Rate")
      .description("Share of the customers at the start of a period who are still customers at its end.")
      .metric_name("Retention Rate")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .formula("(customers_at_end - new_customers_acquired) / customers_at_start x 100, clamped to [0, 100]")
      .benchmark("SaaS: above 90% is good, above 85% is acceptable")
      .fields({
          Field::integer("customers_at_start", "Customers at period start")
              .label("Customers at the start")
              .gt(0)
              .example(1000),
          Field::integer("customers_at_end", "Customers at period end")
              .label("Customers at the end")
              .ge(0)
              .example(950),
          Field::integer("new_customers_acquired", "New customers in period")
              .label("New customers acquired")
              .ge(0)
              .example(100),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 90},
              {"good", "Good", BandOp::Gt, 75},
              {"average", "Average", BandOp::Gt, 60},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

RouteSpec churn_rate_route() {
  return Route::metric("churn-rate", CategoryId::Loyalty, churn)
      .name("Churn Rate")
      .title("Churn Rate")
      .description("Share of customers lost over a period; revenue churn as well when both revenue fields are given.")
      .metric_name("Churn Rate")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .lower_is_better()
      .formula(
          "customers_lost / total_customers_at_start x 100; revenue churn = revenue_from_lost_customers / "
          "total_revenue_at_start x 100")
      .benchmark("SaaS monthly churn: below 5% is good, below 2% is excellent")
      .fields({
          Field::integer("customers_lost", "Customers who churned").label("Customers lost").ge(0).example(50),
          Field::integer("total_customers_at_start", "Total customers at start")
              .label("Customers at the start")
              .gt(0)
              .example(1000),
          Field::number("revenue_from_lost_customers", "Revenue lost from churn")
              .label("Revenue from lost customers")
              .optional()
              .example(2500.0),
          Field::number("total_revenue_at_start", "Total revenue at start")
              .label("Revenue at the start")
              .optional()
              .example(50000.0),
      })
      .bands({{"excellent", "Excellent", BandOp::Lt, 2},
              {"good", "Good", BandOp::Lt, 5},
              {"acceptable", "Acceptable", BandOp::Lt, 7},
              {"high", "High", BandOp::Otherwise, 0}});
}

RouteSpec nrr_route() {
  return Route::metric("nrr", CategoryId::Loyalty, nrr)
      .name("NRR")
      .title("Net Revenue Retention")
      .description("Recurring revenue kept from existing customers, counting expansion, contraction and churn.")
      .metric_name("Net Revenue Retention (NRR)")
      .unit(Unit::Percentage)
      .domain(ValueDomain::NonNegative)
      .formula(
          "(mrr_at_beginning + expansion_revenue - contraction_revenue - churned_revenue) / mrr_at_beginning x 100")
      .benchmark("Above 100% means growth from existing customers; best-in-class SaaS exceeds 110-120%")
      .fields({
          Field::number("mrr_at_beginning", "Starting MRR").label("MRR at the beginning").gt(0).example(50000.0),
          Field::number("expansion_revenue", "Expansion/upsell revenue")
              .label("Expansion revenue (upgrades)")
              .ge(0)
              .example(5000.0),
          Field::number("contraction_revenue", "Downgrade revenue")
              .label("Contraction revenue (downgrades)")
              .ge(0)
              .example(1000.0),
          Field::number("churned_revenue", "Churned revenue").label("Churned revenue").ge(0).example(2000.0),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 110},
              {"good", "Good", BandOp::Ge, 100},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

}  // namespace

void add_loyalty_routes(std::vector<RouteSpec>& out) {
  out.push_back(retention_rate_route());
  out.push_back(churn_rate_route());
  out.push_back(nrr_route());
}

}  // namespace pmkpi::detail
