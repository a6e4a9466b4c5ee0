// User engagement metrics: conversion, traffic, DAU/MAU, session duration, bounce rate.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

MetricOutcome conversion(const Args& a) {
  if (auto e = exceeds(a, "number_of_conversions", "total_visitors_or_users")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("number_of_conversions")),
                    static_cast<double>(a.integer("total_visitors_or_users")));
  const std::string type = a.has("conversion_type") ? a.text("conversion_type") : std::string("conversion");
  o.interpretation = "Conversion rate (" + type + "): " + pct(o.value) + " ({band})";
  o.details = object({{"conversion_type", a.has("conversion_type") ? Json(type) : Json(nullptr)},
                      {"non_converted", a.integer("total_visitors_or_users") - a.integer("number_of_conversions")}});
  return o;
}

MetricOutcome traffic(const Args& a) {
  MetricOutcome o;
  const auto organic = a.integer("organic_traffic");
  const auto paid = a.integer("paid_traffic");
  const double total = static_cast<double>(organic) + static_cast<double>(paid);
  o.value = total;
  Json organic_share = nullptr, paid_share = nullptr;
  if (total > 0) {
    organic_share = round_to(percent(static_cast<double>(organic), total), 2);
    paid_share = round_to(percent(static_cast<double>(paid), total), 2);
    o.interpretation = "Total traffic: " + with_commas(total, 0) + " visitors (" + plain(organic_share.get<double>()) +
                       "% organic, " + plain(paid_share.get<double>()) + "% paid) per " + a.text("time_frame") +
                       " period";
  } else {
    o.interpretation = "No visitors in this " + a.text("time_frame") + " period";
    o.warnings.push_back("organic_traffic and paid_traffic are both 0: the organic share is undefined.");
  }
  o.details = object({{"organic_traffic", organic},
                      {"paid_traffic", paid},
                      {"organic_share_percent", organic_share},
                      {"paid_share_percent", paid_share},
                      {"time_frame", a.text("time_frame")}});
  return o;
}

MetricOutcome dau_mau(const Args& a) {
  if (auto e = exceeds(a, "daily_active_users", "monthly_active_users")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("daily_active_users")),
                    static_cast<double>(a.integer("monthly_active_users")));
  o.interpretation = "Stickiness (DAU/MAU): " + pct(o.value) + " ({band}); users are active about " +
                     plain(o.value * 30.0 / 100.0, 1) + " days a month";
  o.details =
      object({{"active_days_per_month", round_to(o.value * 30.0 / 100.0, 2)},
              {"measurement_date", a.has("measurement_date") ? Json(a.text("measurement_date")) : Json(nullptr)}});
  return o;
}

MetricOutcome session_duration(const Args& a) {
  MetricOutcome o;
  o.value = a.number("total_session_duration_seconds") / static_cast<double>(a.integer("total_number_of_sessions"));
  o.interpretation =
      "Average session duration: " + plain(round_to(o.value, 2)) + " seconds (" + plain(o.value / 60.0) + " minutes)";
  o.details = object({{"minutes", round_to(o.value / 60.0, 2)},
                      {"total_hours", round_to(a.number("total_session_duration_seconds") / 3600.0, 2)}});
  return o;
}

MetricOutcome bounce(const Args& a) {
  if (auto e = exceeds(a, "number_of_non_engaged_sessions", "total_number_of_sessions")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("number_of_non_engaged_sessions")),
                    static_cast<double>(a.integer("total_number_of_sessions")));
  o.interpretation = "Bounce rate: " + pct(o.value) + " ({band})";
  o.details = object(
      {{"engagement_rate_percent", round_to(100.0 - o.value, 2)},
       {"engaged_sessions", a.integer("total_number_of_sessions") - a.integer("number_of_non_engaged_sessions")}});
  return o;
}

RouteSpec traffic_route() {
  return RouteSpec(
      Route::metric("traffic", CategoryId::Engagement, traffic)
          .name("Traffic")
          .title("Website Traffic")
          .description("Visitors in a period, split into organic and paid.")
          .metric_name("Website Traffic")
          .unit(Unit::Visitors)
          .domain(ValueDomain::NonNegative)
          .integer_value()
          .formula("organic_traffic + paid_traffic")
          .benchmark("Aim for 70%+ of traffic from organic sources")
          .fields({
              Field::integer("organic_traffic", "Organic search visitors")
                  .label("Organic visitors")
                  .ge(0)
                  .example(5000),
              Field::integer("paid_traffic", "Paid source visitors").label("Paid visitors").ge(0).example(3000),
              Field::of("time_frame", FieldType::Enum, "Time period")
                  .label("Period")
                  .choices(time_frames())
                  .default_to("monthly")
                  .example("monthly"),
          }));
}

RouteSpec conversion_rate_route() {
  return Route::metric("conversion-rate", CategoryId::Engagement, conversion)
      .name("Conversion Rate")
      .title("Conversion Rate")
      .description("Share of visitors or users who completed the target action.")
      .metric_name("Conversion Rate")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .formula("number_of_conversions / total_visitors_or_users x 100")
      .benchmark("E-commerce: 2-3%, SaaS: 3-5%, landing pages: 5-15%")
      .fields({
          Field::integer("number_of_conversions", "Users who converted").label("Conversions").ge(0).example(250),
          Field::integer("total_visitors_or_users", "Total exposed to the call to action")
              .label("Visitors or users")
              .gt(0)
              .example(10000),
          Field::text("conversion_type", "Type of conversion (e.g. \"signup\", \"purchase\")")
              .label("Conversion type")
              .optional()
              .example("signup"),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 5},
              {"good", "Good", BandOp::Ge, 2},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

RouteSpec dau_mau_route() {
  return Route::metric("dau-mau", CategoryId::Engagement, dau_mau)
      .name("DAU/MAU")
      .title("DAU/MAU Stickiness")
      .description("Stickiness: how many of the month's active users are active on a given day.")
      .metric_name("DAU/MAU Stickiness")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .formula("daily_active_users / monthly_active_users x 100")
      .benchmark("20% is good for most apps; 40%+ is exceptional (social and messaging apps)")
      .fields({
          Field::integer("daily_active_users", "Unique daily active users")
              .label("Daily active users")
              .ge(0)
              .example(5000),
          Field::integer("monthly_active_users", "Unique monthly active users")
              .label("Monthly active users")
              .gt(0)
              .example(15000),
          Field::of("measurement_date", FieldType::Date, "Measurement date (YYYY-MM-DD)")
              .label("Measurement date")
              .optional()
              .example("2024-02-01"),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 40},
              {"good", "Good", BandOp::Ge, 20},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

RouteSpec session_duration_route() {
  return Route::metric("session-duration", CategoryId::Engagement, session_duration)
      .name("Session Duration")
      .title("Average Session Duration")
      .description("Average time per session, in seconds.")
      .metric_name("Average Session Duration")
      .unit(Unit::Seconds)
      .domain(ValueDomain::NonNegative)
      .formula("total_session_duration_seconds / total_number_of_sessions")
      .benchmark("E-commerce: 2-3 minutes, media: 5-10 minutes")
      .fields({
          Field::number("total_session_duration_seconds", "Total time in seconds")
              .label("Total session time (seconds)")
              .ge(0)
              .example(360000.0),
          Field::integer("total_number_of_sessions", "Total sessions").label("Sessions").gt(0).example(10000),
      });
}

RouteSpec bounce_rate_route() {
  return Route::metric("bounce-rate", CategoryId::Engagement, bounce)
      .name("Bounce Rate")
      .title("Bounce Rate")
      .description("Share of sessions that were not engaged (GA4 definition).")
      .metric_name("Bounce Rate")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .lower_is_better()
      .formula("number_of_non_engaged_sessions / total_number_of_sessions x 100")
      .benchmark("Below 40% is good; 26-70% is the usual range")
      .fields({
          Field::integer("number_of_non_engaged_sessions",
                         "Sessions shorter than 10 s, with no conversion and fewer than 2 pages")
              .label("Non-engaged sessions (bounces)")
              .ge(0)
              .example(4500),
          Field::integer("total_number_of_sessions", "Total sessions").label("Sessions").gt(0).example(10000),
      })
      .bands({{"excellent", "Excellent", BandOp::Lt, 35},
              {"good", "Good", BandOp::Lt, 50},
              {"high", "High", BandOp::Otherwise, 0}});
}

}  // namespace

void add_engagement_routes(std::vector<RouteSpec>& out) {
  out.push_back(conversion_rate_route());
  out.push_back(traffic_route());
  out.push_back(dau_mau_route());
  out.push_back(session_duration_route());
  out.push_back(bounce_rate_route());
}

}  // namespace pmkpi::detail
