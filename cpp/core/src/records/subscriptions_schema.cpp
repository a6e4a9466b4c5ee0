// JSON Schema of the /records/subscriptions answer (in /openapi.json and the generated types).
#include "pmkpi/json.hpp"

namespace pmkpi::detail {
namespace {

Json typed(const char* type, const char* description) { return Json{{"type", type}, {"description", description}}; }
Json nullable(const char* type, const char* description) {
  return Json{{"type", Json::array({type, "null"})}, {"description", description}};
}
Json array_of(Json items, const char* description) {
  return Json{{"type", "array"}, {"items", std::move(items)}, {"description", description}};
}

Json period_schema() {
  Json p = Json::object();
  p["period"] = typed("string", "2024-03 (month), 2024-Q1 (quarter), 2024-03-04 (week: its first day)");
  p["mrr"] = typed("number", "Sum of the customers' MRR at the end of the period");
  p["arr"] = typed("number", "12 x mrr");
  p["customers"] = typed("integer", "Customers with MRR > 0");
  p["arpa"] = nullable("number", "mrr / customers");
  for (const char* k : {"new_mrr", "expansion_mrr", "contraction_mrr", "churned_mrr", "reactivation_mrr"})
    p[k] = typed("number", "Sum of the movements of this kind (positive)");
  p["net_new_mrr"] = typed("number", "new + expansion + reactivation - contraction - churned = mrr - previous mrr");
  for (const char* k :
       {"new_customers", "churned_customers", "reactivated_customers", "expanded_customers", "contracted_customers"})
    p[k] = typed("integer", "Customers with a movement of this kind");
  p["logo_churn_rate"] = nullable("number", "churned_customers / previous customers x 100");
  p["gross_mrr_churn_rate"] = nullable("number", "(churned + contraction) / previous mrr x 100");
  p["net_mrr_churn_rate"] = nullable("number", "(churned + contraction - expansion) / previous mrr x 100");
  p["net_revenue_retention"] = nullable("number", "(M0 + expansion - contraction - churned) / M0 x 100");
  p["gross_revenue_retention"] = nullable("number", "(M0 - contraction - churned) / M0 x 100");
  p["quick_ratio"] = nullable("number", "(new + expansion + reactivation) / (contraction + churned)");
  Json required = Json::array();
  for (const auto& [k, v] : p.items()) {
    (void)v;
    required.push_back(k);
  }
  return Json{{"type", "object"}, {"properties", std::move(p)}, {"required", std::move(required)}};
}

Json cohorts_schema() {
  const Json row = array_of(nullable("number", "percent"), "one cohort: age 0, 1, ...");
  return Json{{"type", "object"},
              {"properties",
               {{"periods", array_of(Json{{"type", "string"}}, "cohort i's first period")},
                {"customers", array_of(Json{{"type", "integer"}}, "cohort sizes")},
                {"mrr", array_of(Json{{"type", "number"}}, "cohort MRR in its first period")},
                {"logo", array_of(row, "% of cohort i's customers with MRR > 0 at age k")},
                {"revenue", array_of(row, "cohort i's MRR at age k over its MRR at age 0 x 100")},
                {"mean_logo", array_of(nullable("number", ""), "size-weighted mean over cohorts old enough")},
                {"mean_revenue", array_of(nullable("number", ""), "MRR-weighted mean over cohorts old enough")}}},
              {"required", {"periods", "customers", "mrr", "logo", "revenue", "mean_logo", "mean_revenue"}}};
}

Json survival_schema() {
  return Json{{"type", "object"},
              {"properties",
               {{"curve", array_of(Json{{"type", "number"}}, "Kaplan-Meier S(k), k = 0, 1, ... periods")},
                {"at_risk", array_of(Json{{"type", "integer"}}, "customers at risk at age k")},
                {"churned", array_of(Json{{"type", "integer"}}, "first churns at age k")},
                {"median_lifetime_periods", nullable("integer", "first k with S(k) <= 0.5")},
                {"restricted_mean_lifetime_periods", typed("number", "sum of S(k) over the observed ages")},
                {"ltv", nullable("number", "latest ARPA x restricted mean lifetime")}}},
              {"required", {"curve", "median_lifetime_periods", "ltv"}}};
}

Json summary_schema() {
  Json band = {{"type", "object"},
               {"properties",
                {{"status", {{"type", "string"}}}, {"label", {{"type", "string"}}}, {"route", {{"type", "string"}}}}},
               {"required", {"status", "label", "route"}}};
  Json p = period_schema()["properties"];
  Json s = Json::object();
  for (const char* k : {"period", "mrr", "arr", "customers", "arpa", "net_new_mrr", "new_mrr", "churned_mrr",
                        "logo_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "net_revenue_retention",
                        "gross_revenue_retention", "quick_ratio"})
    s[k] = p[k];
  s["annual_net_revenue_retention"] =
      nullable("number", "MRR now of the customers paying a year earlier, over their MRR then, x 100");
  s["ltv"] = nullable("number", "as survival.ltv");
  s["median_lifetime_periods"] = nullable("integer", "as survival.median_lifetime_periods");
  s["bands"] = Json{{"type", "object"},
                    {"description", "Figure -> the band of the catalog route that reads it"},
                    {"additionalProperties", band}};
  return Json{{"type", "object"}, {"properties", std::move(s)}};
}

}  // namespace

Json subscriptions_response_schema() {
  const Json rows = {
      {"type", "object"},
      {"properties",
       {{"read", {{"type", "integer"}}}, {"used", {{"type", "integer"}}}, {"rejected", {{"type", "integer"}}}}},
      {"required", {"read", "used", "rejected"}}};
  const Json segment = {
      {"type", "object"},
      {"properties", {{"segment", {{"type", "string"}}}, {"periods", array_of(period_schema(), "as periods")}}},
      {"required", {"segment", "periods"}}};
  Json props = Json::object();
  props["period"] = Json{{"type", "string"}, {"enum", {"month", "week", "quarter"}}};
  props["currency"] = typed("string", "the reporting currency");
  props["timezone"] = typed("string", "the periods' time zone");
  props["preset"] = nullable("string", "the preset used (named or detected)");
  props["mapping"] = Json{{"type", "object"},
                          {"description", "canonical column -> the input's column it was read from"},
                          {"additionalProperties", {{"type", "string"}}}};
  props["as_of"] = typed("string", "the last period computed");
  props["summary"] = summary_schema();
  props["periods"] = array_of(period_schema(), "every period from the first start to as_of, oldest first");
  props["cohorts"] = cohorts_schema();
  props["survival"] = survival_schema();
  props["segments"] = Json{{"type", "object"},
                           {"properties", {{"by", {{"type", "string"}}}, {"values", array_of(segment, "")}}},
                           {"required", {"by", "values"}}};
  props["rows"] = rows;
  props["warnings"] = array_of(Json{{"type", "string"}}, "skipped rows (on_error: skip), first 20");
  return Json{{"type", "object"},
              {"title", "RecordsSubscriptionsResponse"},
              {"properties", std::move(props)},
              {"required", {"period", "currency", "summary", "periods", "cohorts", "survival", "rows", "warnings"}}};
}

}  // namespace pmkpi::detail
