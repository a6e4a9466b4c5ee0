// Product/feature metrics: sessions per user, actions per session, feature adoption.
#include <string>

#include "../catalog_builders.hpp"

namespace pmkpi::detail {
namespace {

MetricOutcome sessions_per_user(const Args& a) {
  MetricOutcome o;
  o.value =
      static_cast<double>(a.integer("total_number_of_sessions")) / static_cast<double>(a.integer("number_of_users"));
  o.interpretation = "Each user has " + plain(round_to(o.value, 2)) + " sessions on average ({band})";
  o.details = object({{"total_number_of_sessions", a.integer("total_number_of_sessions")},
                      {"number_of_users", a.integer("number_of_users")}});
  return o;
}

MetricOutcome user_actions(const Args& a) {
  MetricOutcome o;
  const auto total = a.integer("total_actions");
  const double sessions = static_cast<double>(a.integer("total_sessions"));
  o.value = static_cast<double>(total) / sessions;
  o.interpretation = "Users perform " + plain(round_to(o.value, 2)) + " actions per session";
  Json breakdown = Json::object();
  if (a.has("action_types")) {
    double sum = 0;
    for (const auto& [type, count] : a.raw("action_types").items()) {
      const double c = count.get<double>();
      sum += c;
      breakdown[type] = {
          {"count", count},
          {"per_session", round_to(c / sessions, 2)},
          {"share_percent", total > 0 ? Json(round_to(percent(c, static_cast<double>(total)), 2)) : Json(nullptr)}};
    }
    if (sum != static_cast<double>(total))
      o.warnings.push_back("The action_types counts add up to " + plain(sum, 0) + ", not total_actions (" +
                           std::to_string(total) + ").");
  }
  o.details = object({{"action_types", breakdown}});
  return o;
}

MetricOutcome feature_adoption(const Args& a) {
  if (auto e = exceeds(a, "users_using_feature", "total_active_users")) return rejected(*e);
  MetricOutcome o;
  o.value = percent(static_cast<double>(a.integer("users_using_feature")),
                    static_cast<double>(a.integer("total_active_users")));
  const std::string feature = a.has("feature_name") ? a.text("feature_name") : std::string("the feature");
  o.interpretation = pct(o.value) + " of active users use " + feature + " ({band} adoption)";
  o.details = object({{"feature_name", a.has("feature_name") ? Json(feature) : Json(nullptr)},
                      {"non_adopters", a.integer("total_active_users") - a.integer("users_using_feature")}});
  return o;
}

}  // namespace

void add_product_routes(std::vector<RouteSpec>& out) {
  out.push_back(
      Route::metric("sessions-per-user", CategoryId::Product, sessions_per_user)
          .name("Sessions/User")
          .title("Sessions Per User")
          .description("How often users come back: sessions per user over a period.")
          .metric_name("Sessions Per User")
          .unit(Unit::Sessions)
          .domain(ValueDomain::NonNegative)
          .formula("total_number_of_sessions / number_of_users")
          .benchmark("Above 2 sessions per user is strong engagement; 1.4 is a healthy baseline")
          .fields({
              Field::integer("total_number_of_sessions", "Total sessions").label("Sessions").ge(0).example(14000),
              Field::integer("number_of_users", "Number of users").label("Users").gt(0).example(10000),
          })
          .bands({{"excellent", "Excellent", BandOp::Gt, 2.0},
                  {"good", "Good", BandOp::Ge, 1.4},
                  {"needs_improvement", "Needs improvement", BandOp::Otherwise, 0}}));
  out.push_back(
      Route::metric("user-actions", CategoryId::Product, user_actions)
          .name("User Actions")
          .title("User Actions Per Session")
          .description("How much users do in a session, optionally broken down by action type.")
          .metric_name("User Actions Per Session")
          .unit(Unit::Actions)
          .domain(ValueDomain::NonNegative)
          .formula("total_actions / total_sessions")
          .benchmark("Higher is better; compare against your own baseline and cohort")
          .fields({
              Field::integer("total_actions", "Total actions performed").label("Actions").ge(0).example(50000),
              Field::integer("total_sessions", "Total sessions").label("Sessions").gt(0).example(10000),
              Field::of("action_types", FieldType::IntMap, "Breakdown by action type (name to count)")
                  .label("Actions by type")
                  .ge(0)
                  .optional()
                  .example(Json{{"clicks", 30000}, {"scrolls", 15000}, {"form_fills", 5000}}),
          }));
  out.push_back(
      Route::metric("feature-adoption", CategoryId::Product, feature_adoption)
          .name("Feature Adoption")
          .title("Feature Adoption Rate")
          .description("Share of active users who use a feature.")
          .metric_name("Feature Adoption Rate")
          .unit(Unit::Percentage)
          .domain(ValueDomain::Percentage)
          .formula("users_using_feature / total_active_users x 100")
          .benchmark("Core features: above 50% is high adoption; 25-50% is moderate")
          .fields({
              Field::integer("users_using_feature", "Users who used the feature")
                  .label("Users of the feature")
                  .ge(0)
                  .example(600),
              Field::integer("total_active_users", "Total active users").label("Active users").gt(0).example(1000),
              Field::text("feature_name", "Feature name")
                  .label("Feature name")
                  .optional()
                  .example("Advanced Reporting"),
          })
          .bands({{"high", "High", BandOp::Gt, 50},
                  {"moderate", "Moderate", BandOp::Ge, 25},
                  {"low", "Low", BandOp::Otherwise, 0}}));
}

}  // namespace pmkpi::detail
