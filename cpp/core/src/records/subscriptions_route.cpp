// POST /records/subscriptions: the catalog declaration and its options. The handler, which runs
// the engine, is records_subscriptions_handler (subscriptions_handler.cpp).
#include "../catalog_builders.hpp"
#include "pmkpi/catalog.hpp"
#include "pmkpi/records.hpp"
#include "records_handlers.hpp"
#include "route_fields.hpp"

namespace pmkpi::detail {
namespace {

namespace rec = pmkpi::records;

std::vector<FieldSpec> fields() {
  std::vector<FieldSpec> out = source_fields(
      {"rows",
       "customer_id,amount,interval,start,end\nc1,29,month,2024-01-05,\nc2,290,year,2024-01-20,2024-03-20\nc3,49,"
       "month,2024-02-01,\n",
       "a billing system"},
      rec::subscription_presets());
  out.insert(
      out.end(),
      {
          Field::text("currency", "The reporting currency (ISO 4217)").label("Reporting currency").default_to("USD"),
          Field::of("rates", FieldType::NumberMap,
                    "Currency -> multiplier into the reporting currency ({\"EUR\": 1.08})")
              .label("Exchange rates")
              .gt(0)
              .optional(),
          Field::of("period", FieldType::Enum, "Calendar period of the figures")
              .label("Period")
              .choices({"month", "week", "quarter"})
              .default_to("month"),
          week_start_field(),
          Field::text("from", "First period of the output (a date in it); the computation still starts at the data's")
              .label("From")
              .optional(),
          Field::text("to", "Last period of the output (a date in it)").label("To").optional(),
          Field::text("as_of",
                      "The periods run to the one holding this date (default: the latest timestamp of the data)")
              .label("As of")
              .optional(),
          timezone_field("the periods"),
          timestamp_unit_field(""),
          Field::text("segment_by", "A column (plan, country, ...): periods[] per value of it")
              .label("Segment by")
              .optional(),
          on_error_field(),
      });
  return out;
}

}  // namespace

Json subscriptions_response_schema();  // subscriptions_schema.cpp

void add_records_routes(std::vector<RouteSpec>& out) {
  out.push_back(Route::analysis("records-subscriptions", CategoryId::Records, records_subscriptions_handler)
                    .name("Subscription KPIs")
                    .title("KPIs from Subscription Records")
                    .description("MRR, its movements (new, expansion, contraction, churn, reactivation), churn and "
                                 "retention rates, quick ratio, cohorts, survival and LTV from a billing system's "
                                 "subscription export, as RECORDS.md defines them. Send JSON ({\"csv\": ...} or "
                                 "{\"records\": [...]}) or the CSV itself as text/csv with the options in the query "
                                 "string. Columns: " +
                                 columns_description(rec::subscription_columns(), rec::subscription_presets(),
                                                     "any other column can be a segment_by."))
                    .metric_name("Subscription KPIs")
                    .fields(fields())
                    .response_schema(subscriptions_response_schema())
                    .text_body("csv"));
}

}  // namespace pmkpi::detail
