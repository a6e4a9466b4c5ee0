// JSON Schema of the /records/subscriptions answer (in /openapi.json and the generated types). Written
// as JSON text parsed once: nlohmann's initializer lists cost about 60 KB of WebAssembly code here.
#include "pmkpi/json.hpp"

namespace pmkpi::detail {
namespace {

const char* kPeriod = R"json({"type": "object", "properties": {
  "period": {"type": "string", "description": "2024-03 (month), 2024-Q1 (quarter), 2024-03-04 (week: its first day)"},
  "mrr": {"type": "number", "description": "Sum of the customers' MRR at the end of the period"},
  "arr": {"type": "number", "description": "12 x mrr"},
  "customers": {"type": "integer", "description": "Customers with MRR > 0"},
  "arpa": {"type": ["number", "null"], "description": "mrr / customers"},
  "new_mrr": {"type": "number", "description": "MRR of customers who never had MRR before"},
  "expansion_mrr": {"type": "number", "description": "Increases of customers already paying"},
  "contraction_mrr": {"type": "number", "description": "Decreases of customers still paying (positive)"},
  "churned_mrr": {"type": "number", "description": "Previous MRR of customers now at 0 (positive)"},
  "reactivation_mrr": {"type": "number", "description": "MRR of customers back after a period at 0"},
  "net_new_mrr": {"type": "number", "description": "new + expansion + reactivation - contraction - churned = mrr - previous mrr"},
  "new_customers": {"type": "integer"}, "churned_customers": {"type": "integer"},
  "reactivated_customers": {"type": "integer"}, "expanded_customers": {"type": "integer"},
  "contracted_customers": {"type": "integer"},
  "logo_churn_rate": {"type": ["number", "null"], "description": "churned_customers / previous customers x 100"},
  "gross_mrr_churn_rate": {"type": ["number", "null"], "description": "(churned + contraction) / previous mrr x 100"},
  "net_mrr_churn_rate": {"type": ["number", "null"], "description": "(churned + contraction - expansion) / previous mrr x 100"},
  "net_revenue_retention": {"type": ["number", "null"], "description": "(M0 + expansion - contraction - churned) / M0 x 100"},
  "gross_revenue_retention": {"type": ["number", "null"], "description": "(M0 - contraction - churned) / M0 x 100"},
  "quick_ratio": {"type": ["number", "null"], "description": "(new + expansion + reactivation) / (contraction + churned)"}}})json";

const char* kRest = R"json({
  "cohorts": {"type": "object", "required": ["periods", "customers", "mrr", "logo", "revenue", "mean_logo", "mean_revenue"],
    "properties": {
      "periods": {"type": "array", "items": {"type": "string"}, "description": "cohort i's first period"},
      "customers": {"type": "array", "items": {"type": "integer"}, "description": "cohort sizes"},
      "mrr": {"type": "array", "items": {"type": "number"}, "description": "cohort MRR in its first period"},
      "logo": {"type": "array", "items": {"type": "array", "items": {"type": ["number", "null"]}},
               "description": "% of cohort i's customers with MRR > 0 at age k"},
      "revenue": {"type": "array", "items": {"type": "array", "items": {"type": ["number", "null"]}},
                  "description": "cohort i's MRR at age k over its MRR at age 0 x 100"},
      "mean_logo": {"type": "array", "items": {"type": ["number", "null"]}, "description": "size-weighted over cohorts old enough"},
      "mean_revenue": {"type": "array", "items": {"type": ["number", "null"]}, "description": "MRR-weighted over cohorts old enough"}}},
  "survival": {"type": "object", "required": ["curve", "median_lifetime_periods", "ltv"],
    "properties": {
      "curve": {"type": "array", "items": {"type": "number"}, "description": "Kaplan-Meier S(k), k = 0, 1, ... periods"},
      "at_risk": {"type": "array", "items": {"type": "integer"}},
      "churned": {"type": "array", "items": {"type": "integer"}},
      "median_lifetime_periods": {"type": ["integer", "null"], "description": "first k with S(k) <= 0.5"},
      "restricted_mean_lifetime_periods": {"type": "number", "description": "sum of S(k) over the observed ages"},
      "ltv": {"type": ["number", "null"], "description": "latest ARPA x restricted mean lifetime"}}},
  "rows": {"type": "object", "required": ["read", "used", "rejected"],
    "properties": {"read": {"type": "integer"}, "used": {"type": "integer"}, "rejected": {"type": "integer"}}},
  "warnings": {"type": "array", "items": {"type": "string"}, "description": "skipped rows (on_error: skip), first 20"},
  "period": {"type": "string", "enum": ["month", "week", "quarter"]},
  "currency": {"type": "string"}, "timezone": {"type": "string"},
  "preset": {"type": ["string", "null"], "description": "the preset used (named or detected)"},
  "mapping": {"type": "object", "additionalProperties": {"type": "string"},
              "description": "canonical column -> the input's column it was read from"},
  "as_of": {"type": "string", "description": "the last period computed"},
  "band": {"type": "object", "required": ["status", "label", "route"],
           "properties": {"status": {"type": "string"}, "label": {"type": "string"}, "route": {"type": "string"}}}})json";

}  // namespace

Json subscriptions_response_schema() {
  const Json period = Json::parse(kPeriod);
  Json rest = Json::parse(kRest);
  Json required = Json::array();
  for (const auto& item : period["properties"].items()) required.push_back(item.key());
  Json period_schema = period;
  period_schema["required"] = required;
  Json summary = Json::object();
  for (const char* k : {"period", "mrr", "arr", "customers", "arpa", "net_new_mrr", "new_mrr", "churned_mrr",
                        "logo_churn_rate", "gross_mrr_churn_rate", "net_mrr_churn_rate", "net_revenue_retention",
                        "gross_revenue_retention", "quick_ratio"})
    summary[k] = period["properties"][k];
  summary["annual_net_revenue_retention"] = Json::parse(
      R"({"type": ["number", "null"], "description": "MRR now of the customers paying a year earlier, over their MRR then, x 100"})");
  summary["ltv"] = rest["survival"]["properties"]["ltv"];
  summary["median_lifetime_periods"] = rest["survival"]["properties"]["median_lifetime_periods"];
  summary["bands"] = Json::object();
  summary["bands"]["type"] = "object";
  summary["bands"]["description"] = "Figure -> the band of the catalog route that reads it";
  summary["bands"]["additionalProperties"] = rest["band"];
  rest.erase("band");
  Json segment = Json::object();
  segment["type"] = "object";
  segment["required"] = Json::array({"segment", "periods"});
  segment["properties"]["segment"]["type"] = "string";
  segment["properties"]["periods"]["type"] = "array";
  segment["properties"]["periods"]["items"] = period_schema;
  Json props = std::move(rest);
  props["summary"]["type"] = "object";
  props["summary"]["properties"] = std::move(summary);
  props["periods"]["type"] = "array";
  props["periods"]["description"] = "every period from the first start to as_of, oldest first";
  props["periods"]["items"] = period_schema;
  props["segments"]["type"] = "object";
  props["segments"]["required"] = Json::array({"by", "values"});
  props["segments"]["properties"]["by"]["type"] = "string";
  props["segments"]["properties"]["values"]["type"] = "array";
  props["segments"]["properties"]["values"]["items"] = std::move(segment);
  Json schema = Json::object();
  schema["type"] = "object";
  schema["title"] = "RecordsSubscriptionsResponse";
  schema["properties"] = std::move(props);
  schema["required"] =
      Json::array({"period", "currency", "summary", "periods", "cohorts", "survival", "rows", "warnings"});
  return schema;
}

}  // namespace pmkpi::detail
