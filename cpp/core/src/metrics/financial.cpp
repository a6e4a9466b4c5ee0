// Financial metrics: ARPU, MRR/ARR, CLTV, CAC.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

std::string period_noun(const std::string& time_frame) {
  if (time_frame == "daily") return "day";
  if (time_frame == "weekly") return "week";
  if (time_frame == "quarterly") return "quarter";
  if (time_frame == "yearly") return "year";
  return "month";
}

double periods_per_year(const std::string& time_frame) {
  if (time_frame == "daily") return 365;
  if (time_frame == "weekly") return 52;
  if (time_frame == "quarterly") return 4;
  if (time_frame == "yearly") return 1;
  return 12;
}

MetricOutcome arpu(const Args& a) {
  MetricOutcome o;
  const std::string tf = a.text("time_frame");
  o.value = a.number("total_revenue") / static_cast<double>(a.integer("total_users"));
  o.interpretation =
      "Average revenue per user: " + money(round_to(o.value, 2)) + " per " + period_noun(tf) + " (" + tf + ")";
  o.details = object({{"time_frame", tf},
                      {"total_revenue", a.number("total_revenue")},
                      {"total_users", a.integer("total_users")},
                      {"annualized_arpu", round_to(o.value * periods_per_year(tf), 2)}});
  if (a.number("total_revenue") < 0)
    o.warnings.push_back("total_revenue is negative (refunds exceed sales), so ARPU is negative.");
  return o;
}

MetricOutcome mrr(const Args& a) {
  const bool simple = a.has("arpu") && a.has("number_of_accounts");
  const bool detailed = a.has("current_monthly_subscriptions");
  if (!simple && !detailed)
    return rejected(
        "Must provide either (arpu + number_of_accounts) or (current_monthly_subscriptions + other components)");
  MetricOutcome o;
  if (simple) {
    o.value = a.number("arpu") * static_cast<double>(a.integer("number_of_accounts"));
    o.details = object({{"method", "arpu_x_accounts"},
                        {"arpu", a.number("arpu")},
                        {"number_of_accounts", a.integer("number_of_accounts")}});
    if (detailed)
      o.warnings.push_back(
          "Both methods were given; MRR uses method 1 (arpu x number_of_accounts) and ignores the components.");
  } else {
    const double current = a.number("current_monthly_subscriptions");
    const double net_new = a.number("revenue_new_subscriptions") + a.number("revenue_upgrades") -
                           a.number("revenue_downgrades") - a.number("revenue_lost_customers");
    o.value = current + net_new;
    o.details = object({{"method", "components"},
                        {"current_monthly_subscriptions", current},
                        {"revenue_new_subscriptions", a.number("revenue_new_subscriptions")},
                        {"revenue_upgrades", a.number("revenue_upgrades")},
                        {"revenue_downgrades", a.number("revenue_downgrades")},
                        {"revenue_lost_customers", a.number("revenue_lost_customers")},
                        {"net_new_mrr", round_to(net_new, 2)}});
    if (current > 0)
      o.details["mrr_growth_percent"] = round_to(percent(net_new, current), 2);
    else
      o.details["mrr_growth_percent"] = nullptr;
  }
  const double arr = o.value * 12.0;
  o.details["mrr"] = round_to(o.value, 2);
  o.details["arr"] = round_to(arr, 2);
  o.interpretation = "MRR: " + money(round_to(o.value, 2)) + ", ARR: " + money(round_to(arr, 2));
  for (const char* f : {"arpu", "number_of_accounts", "current_monthly_subscriptions", "revenue_new_subscriptions",
                        "revenue_upgrades", "revenue_downgrades", "revenue_lost_customers"})
    if (a.has(f) && a.number(f) < 0)
      o.warnings.push_back(std::string(f) + " is negative; amounts and counts are expected to be >= 0.");
  if (o.value < 0) o.warnings.push_back("The resulting MRR is negative: check the components.");
  return o;
}

MetricOutcome cltv(const Args& a) {
  MetricOutcome o;
  const double months = a.number("average_customer_lifetime_months");
  const double arpu = a.number("average_revenue_per_user");
  o.value = months * arpu;
  o.interpretation = "Each customer is worth " + money(round_to(o.value, 2)) + " over an average lifetime of " +
                     plain(months) + " months at " + money(arpu) + " per month";
  o.details = object({{"average_customer_lifetime_months", months},
                      {"average_revenue_per_user", arpu},
                      {"annual_value_per_customer", round_to(arpu * 12.0, 2)},
                      {"max_cac_for_3x_ratio", round_to(o.value / 3.0, 2)}});
  return o;
}

MetricOutcome cac(const Args& a) {
  MetricOutcome o;
  const double marketing = a.number("total_marketing_spending");
  const double sales = a.number("total_sales_spending");
  const auto customers = a.integer("number_of_new_customers");
  const double spend = marketing + sales;
  o.value = spend / static_cast<double>(customers);
  o.interpretation = "It costs " + money(round_to(o.value, 2)) + " to acquire one customer (" + money(spend) +
                     " spent on " + with_commas(static_cast<double>(customers), 0) + " new customers)";
  o.details =
      object({{"total_spending", round_to(spend, 2)},
              {"number_of_new_customers", customers},
              {"marketing_share_percent", spend > 0 ? Json(round_to(percent(marketing, spend), 2)) : Json(nullptr)},
              {"min_cltv_for_3x_ratio", round_to(o.value * 3.0, 2)}});
  return o;
}

RouteSpec mrr_route() {
  const std::string simple = "Method 1: arpu x number_of_accounts";
  const std::string detailed = "Method 2: subscription components";
  return RouteSpec(
      Route::metric("mrr", CategoryId::Financial, mrr)
          .name("MRR/ARR")
          .title("Monthly Recurring Revenue")
          .description(
              "Monthly and annual recurring revenue. Method 1: arpu x number_of_accounts. Method 2: "
              "current_monthly_subscriptions + new + upgrades - downgrades - lost. Method 1 wins when both of its "
              "fields are present; ARR = 12 x MRR.")
          .metric_name("MRR")
          .unit(Unit::Currency)
          .domain(ValueDomain::Any)
          .formula("arpu x number_of_accounts, or current_monthly_subscriptions + revenue_new_subscriptions + "
                   "revenue_upgrades - revenue_downgrades - revenue_lost_customers")
          .benchmark("Target: 10-20% MoM growth for healthy SaaS")
          .fields({
              Field::number("arpu", "Method 1: average revenue per user per month")
                  .label("ARPU (average revenue per user)")
                  .optional()
                  .example(50.0)
                  .group(simple),
              Field::integer("number_of_accounts", "Method 1: number of subscriber accounts")
                  .label("Number of accounts")
                  .optional()
                  .example(1000)
                  .group(simple),
              Field::number("current_monthly_subscriptions", "Method 2: sum of all current subscriptions")
                  .label("Current monthly subscriptions")
                  .optional()
                  .example(45000.0)
                  .group(detailed),
              Field::number("revenue_new_subscriptions", "Method 2: revenue from new subscriptions")
                  .label("Revenue from new subscriptions")
                  .optional()
                  .example(5000.0)
                  .group(detailed),
              Field::number("revenue_upgrades", "Method 2: revenue from upgrades")
                  .label("Revenue from upgrades")
                  .optional()
                  .example(2000.0)
                  .group(detailed),
              Field::number("revenue_downgrades", "Method 2: revenue lost from downgrades")
                  .label("Revenue lost to downgrades")
                  .optional()
                  .example(500.0)
                  .group(detailed),
              Field::number("revenue_lost_customers", "Method 2: revenue from churned customers")
                  .label("Revenue lost to churned customers")
                  .optional()
                  .example(1500.0)
                  .group(detailed),
          }));
}

}  // namespace

void add_financial_routes(std::vector<RouteSpec>& out) {
  out.push_back(Route::metric("arpu", CategoryId::Financial, arpu)
                    .name("ARPU")
                    .title("Average Revenue Per User")
                    .description("Revenue earned per user over a period.")
                    .metric_name("ARPU")
                    .unit(Unit::Currency)
                    .domain(ValueDomain::Any)
                    .formula("total_revenue / total_users")
                    .benchmark("Varies by industry. SaaS: $50-500/month typical")
                    .fields({
                        Field::number("total_revenue", "Total revenue in the period").label("Revenue").example(50000.0),
                        Field::integer("total_users", "Total number of users").label("Users").gt(0).example(1000),
                        Field::of("time_frame", FieldType::Enum, "Period the revenue covers")
                            .label("Period")
                            .choices(time_frames())
                            .default_to("monthly")
                            .example("monthly"),
                    }));
  out.push_back(mrr_route());
  out.push_back(Route::metric("cltv", CategoryId::Financial, cltv)
                    .name("CLTV/LTV")
                    .title("Customer Lifetime Value")
                    .description("Revenue a customer brings over their whole lifetime.")
                    .metric_name("CLTV")
                    .unit(Unit::Currency)
                    .domain(ValueDomain::NonNegative)
                    .formula("average_customer_lifetime_months x average_revenue_per_user")
                    .benchmark("CLTV should be at least 3x CAC (a CLTV:CAC ratio of 3:1 or better)")
                    .fields({
                        Field::number("average_customer_lifetime_months", "Average customer lifespan in months")
                            .label("Average customer lifetime (months)")
                            .gt(0)
                            .example(24.0),
                        Field::number("average_revenue_per_user", "Monthly ARPU")
                            .label("Average revenue per user")
                            .gt(0)
                            .example(50.0),
                    }));
  out.push_back(
      Route::metric("cac", CategoryId::Financial, cac)
          .name("CAC")
          .title("Customer Acquisition Cost")
          .description("Sales and marketing spend per newly acquired customer.")
          .metric_name("CAC")
          .unit(Unit::Currency)
          .domain(ValueDomain::NonNegative)
          .lower_is_better()
          .formula("(total_marketing_spending + total_sales_spending) / number_of_new_customers")
          .benchmark("B2B SaaS average CAC is about $239; aim for a CLTV:CAC ratio of 3:1")
          .fields({
              Field::number("total_marketing_spending", "Marketing spend")
                  .label("Marketing spend")
                  .ge(0)
                  .example(10000.0),
              Field::number("total_sales_spending", "Sales spend (including salaries)")
                  .label("Sales spend")
                  .ge(0)
                  .example(5000.0),
              Field::integer("number_of_new_customers", "Customers acquired").label("New customers").gt(0).example(50),
          }));
}

}  // namespace pmkpi::detail
