// Additional PM metrics: activation, time to value, defect rate, development velocity.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

MetricOutcome activation(const Args& a) {
  if (auto e = exceeds(a, "activated_users", "total_signups")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("activated_users")), static_cast<double>(a.integer("total_signups")));
  o.interpretation = "Activation rate: " + pct(o.value) + " of signups activated ({band})";
  o.details = object(
      {{"activation_criteria", a.has("activation_criteria") ? Json(a.text("activation_criteria")) : Json(nullptr)},
       {"not_activated", a.integer("total_signups") - a.integer("activated_users")}});
  return o;
}

MetricOutcome time_to_value(const Args& a) {
  MetricOutcome o;
  o.value = a.number("total_time_to_value_hours") / static_cast<double>(a.integer("number_of_users"));
  o.interpretation =
      "Users reach value in " + plain(round_to(o.value, 2)) + " hours on average (" + plain(o.value / 24.0) + " days)";
  o.details = object({{"days", round_to(o.value / 24.0, 2)}, {"within_24_hours", o.value < 24.0}});
  return o;
}

MetricOutcome defect_rate(const Args& a) {
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("number_of_defects")),
                    static_cast<double>(a.integer("total_features_or_releases")));
  o.interpretation = "Defect rate: " + pct(o.value) + " ({band})";
  o.details = object({{"defects_per_release", round_to(o.value / 100.0, 2)}});
  return o;
}

MetricOutcome velocity(const Args& a) {
  MetricOutcome o;
  const auto points = a.integer("story_points_completed");
  const auto days = a.integer("sprint_length_days");
  o.value = static_cast<double>(points);
  const double per_day = static_cast<double>(points) / static_cast<double>(days);
  o.interpretation = "Velocity: " + std::to_string(points) + " story points in a " + std::to_string(days) +
                     "-day sprint (" + plain(per_day) + " per day";
  o.details = object({{"points_per_day", round_to(per_day, 2)}, {"points_per_person", nullptr}});
  if (a.has("team_size") && a.integer("team_size") <= 0) {
    o.warnings.push_back("team_size is " + std::to_string(a.integer("team_size")) +
                         ": a team needs at least one person, so there is no points-per-person figure.");
  } else if (a.has("team_size")) {
    const double per_person = static_cast<double>(points) / static_cast<double>(a.integer("team_size"));
    o.details["points_per_person"] = round_to(per_person, 2);
    o.interpretation += ", " + plain(per_person) + " per person";
  }
  o.interpretation += ")";
  return o;
}

RouteSpec activation_rate_route() {
  return Route::metric("activation-rate", CategoryId::Delivery, activation)
      .name("Activation Rate")
      .title("Activation Rate")
      .description("Share of signups who reached the activation milestone.")
      .metric_name("Activation Rate")
      .unit(Unit::Percentage)
      .domain(ValueDomain::Percentage)
      .formula("activated_users / total_signups x 100")
      .benchmark("Above 50% is good for SaaS; the average is about 35-40%")
      .fields({
          Field::integer("activated_users", "Users who reached the activation milestone")
              .label("Activated users")
              .ge(0)
              .example(850),
          Field::integer("total_signups", "Total signups").label("Sign-ups").gt(0).example(1000),
          Field::text("activation_criteria", "What counts as activated")
              .label("Activation criterion")
              .optional()
              .example("Completed onboarding + first action"),
      })
      .bands({{"excellent", "Excellent", BandOp::Gt, 60},
              {"good", "Good", BandOp::Ge, 40},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

RouteSpec time_to_value_route() {
  return Route::metric("time-to-value", CategoryId::Delivery, time_to_value)
      .name("Time to Value")
      .title("Time to Value")
      .description("How long new users take, on average, to get the first value from the product.")
      .metric_name("Time to Value (TTV)")
      .unit(Unit::Hours)
      .domain(ValueDomain::NonNegative)
      .lower_is_better()
      .formula("total_time_to_value_hours / number_of_users")
      .benchmark("Aim for under 24 hours in SaaS; shorter is better")
      .fields({
          Field::number("total_time_to_value_hours", "Total hours users took to reach value")
              .label("Total time to value (hours)")
              .ge(0)
              .example(2400.0),
          Field::integer("number_of_users", "Number of users").label("Users").gt(0).example(800),
      });
}

RouteSpec product_quality_route() {
  return Route::metric("product-quality", CategoryId::Delivery, defect_rate)
      .name("Product Quality")
      .title("Defect Rate")
      .description("Defects found per feature or release, as a percentage.")
      .metric_name("Defect Rate")
      .unit(Unit::Percentage)
      .domain(ValueDomain::NonNegative)
      .lower_is_better()
      .formula("number_of_defects / total_features_or_releases x 100")
      .benchmark("Below 5% is excellent, below 10% is good")
      .fields({
          Field::integer("number_of_defects", "Defects found").label("Defects").ge(0).example(25),
          Field::integer("total_features_or_releases", "Features or releases shipped")
              .label("Features or releases shipped")
              .gt(0)
              .example(100),
      })
      .bands({{"excellent", "Excellent", BandOp::Lt, 5},
              {"good", "Good", BandOp::Lt, 10},
              {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}});
}

RouteSpec velocity_route() {
  return Route::metric("velocity", CategoryId::Delivery, velocity)
      .name("Velocity")
      .title("Development Velocity")
      .description("Story points completed in a sprint, per day and per person.")
      .metric_name("Development Velocity")
      .unit(Unit::StoryPoints)
      .domain(ValueDomain::NonNegative)
      .integer_value()
      .formula("story_points_completed; per day = points / sprint_length_days; per person = points / team_size")
      .benchmark("Consistency matters more than the maximum: aim for a stable velocity sprint over sprint")
      .fields({
          Field::integer("story_points_completed", "Story points completed in the sprint")
              .label("Story points completed")
              .ge(0)
              .example(85),
          Field::integer("sprint_length_days", "Sprint length in days").label("Sprint length (days)").gt(0).example(14),
          Field::integer("team_size", "Number of people on the team (no per-person figure unless positive)")
              .label("Team size")
              .optional()
              .example(8),
      });
}

}  // namespace

void add_delivery_routes(std::vector<RouteSpec>& out) {
  out.push_back(activation_rate_route());
  out.push_back(time_to_value_route());
  out.push_back(product_quality_route());
  out.push_back(velocity_route());
}

}  // namespace pmkpi::detail
