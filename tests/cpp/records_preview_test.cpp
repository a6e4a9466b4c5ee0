// The Import page's preview (pmkpi/preview.hpp): the engines' own reader, presets and column
// resolution on a file's first rows, and the progress the row reader reports on a long read.
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "../../cpp/core/src/cancel.hpp"
#include "pmkpi/api.hpp"
#include "pmkpi/preview.hpp"

namespace {

using pmkpi::Json;
namespace rec = pmkpi::records;

const char* kStripe =
    "id,Customer ID,Plan,Quantity,Currency,Interval,Amount,Status,Start (UTC),Trial End (UTC),Canceled At (UTC),"
    "Ended At (UTC)\n"
    "sub_1,cus_A,pro,1,usd,month,49.00,active,2024-01-03 10:00,,,\n"
    "sub_2,cus_B,team,3,eur,year,990.00,canceled,2024-02-01 00:00,,2024-06-01 00:00,2024-06-01 00:00\n";

Json column(const Json& kind, const std::string& name) {
  for (const Json& c : kind["columns"])
    if (c["name"] == name) return c;
  return nullptr;
}

TEST(RecordsPreview, StripeExportIsSubscriptionsWithItsPresetAndSources) {
  const Json p = rec::records_preview(kStripe, false);
  EXPECT_EQ(p["source"], "csv");
  EXPECT_EQ(p["delimiter"], ",");
  EXPECT_EQ(p["kind"], "subscriptions");
  EXPECT_EQ(p["header"][1], "Customer ID");
  ASSERT_EQ(p["rows"].size(), 2U);
  EXPECT_EQ(p["rows"][0]["line"], 1);
  EXPECT_EQ(p["rows"][1]["cells"][6], "990.00");
  const Json& subs = p["kinds"]["subscriptions"];
  EXPECT_EQ(subs["route"], "/records/subscriptions");
  EXPECT_EQ(subs["preset"], "stripe");
  EXPECT_EQ(column(subs, "customer_id")["source"], "Customer ID");
  EXPECT_EQ(column(subs, "customer_id")["required"], true);
  EXPECT_EQ(subs["missing"], Json::array());
  // the events engine finds none of its required columns in a billing export
  const Json& events = p["kinds"]["events"];
  EXPECT_TRUE(events["preset"].is_null());
  EXPECT_FALSE(events["missing"].empty());
  EXPECT_TRUE(column(events, "user_id")["source"].is_null());
}

TEST(RecordsPreview, EventLogsAreEventsWhateverTheirSource) {
  const Json csv = rec::records_preview("user_pseudo_id;event_timestamp;event_name;ga_session_id\nx;1;a;2\n", false);
  EXPECT_EQ(csv["kind"], "events");
  EXPECT_EQ(csv["delimiter"], ";");
  EXPECT_EQ(csv["kinds"]["events"]["preset"], "ga4");
  const Json nd = rec::records_preview(
      "{\"distinct_id\":\"u1\",\"timestamp\":\"2024-01-01T00:00:00Z\",\"event\":\"a\"}\n{\"distinct_id\":", true);
  EXPECT_EQ(nd["source"], "ndjson");
  EXPECT_EQ(nd["kinds"]["events"]["preset"], "posthog");
  ASSERT_EQ(nd["rows"].size(), 1U);  // the cut-off second line is left out, not an error
  const Json arr = rec::records_preview(" [{\"user_id\":\"u\",\"timestamp\":\"2024-01-01\",\"event\":7}]", false);
  EXPECT_EQ(arr["source"], "records");
  EXPECT_EQ(arr["kind"], "events");
  EXPECT_EQ(arr["rows"][0]["cells"][2], "7");
}

TEST(RecordsPreview, TruncatedCsvKeepsWholeLinesAndRowsAreCapped) {
  std::string csv = "user_id,timestamp,event\n";
  for (int i = 0; i < 50; ++i) csv += "u" + std::to_string(i) + ",2024-01-01,view\n";
  csv += "u99,2024-0";
  const Json p = rec::records_preview(csv, true, 5);
  ASSERT_EQ(p["rows"].size(), 5U);
  EXPECT_EQ(p["rows"][4]["line"], 5);
  const Json all = rec::records_preview(csv, true, 100);
  EXPECT_EQ(all["rows"].size(), 50U);
  EXPECT_EQ(all["rows"].back()["cells"][0], "u49");
}

TEST(RecordsPreview, UnreadableInputIsTheEnginesErrorAndAForeignHeaderFitsNothing) {
  EXPECT_EQ(rec::records_preview("", false)["error"]["type"], "empty_file");
  const Json quote = rec::records_preview("a,b\n\"x,1\n", false);
  ASSERT_TRUE(quote.contains("error"));
  EXPECT_EQ(quote["error"]["loc"][1], "csv");
  const Json json = rec::records_preview("[{\"a\":1},", false);
  EXPECT_EQ(json["error"]["type"], "json_invalid");
  EXPECT_EQ(json["source"], "records");  // what the text is, even when it cannot be read
  EXPECT_EQ(quote["source"], "csv");
  const Json other = rec::records_preview("a,b\n1,2\n", false);
  EXPECT_TRUE(other["kind"].is_null());
  EXPECT_EQ(other["kinds"]["subscriptions"]["missing"][0], "customer_id");
}

TEST(RecordsProgress, TheReaderReportsHowFarALongReadGot) {
  std::string csv = "user_id,timestamp,event\n";
  for (int i = 0; i < 200000; ++i)
    csv += "u" + std::to_string(i % 500) + ",2024-01-0" + std::to_string(1 + i % 9) + ",view\n";
  std::vector<std::pair<std::size_t, std::size_t>> seen;
  const pmkpi::detail::ProgressReport report = [&](std::size_t done, std::size_t total) {
    seen.emplace_back(done, total);
  };
  {
    const pmkpi::detail::ProgressScope scope(report);
    const pmkpi::Response r = pmkpi::handle("POST", "/records/events", "text/csv", csv);
    ASSERT_EQ(r.status, 200) << r.body.substr(0, 300);
  }
  ASSERT_EQ(seen.size(), 3U);  // rows 65,536, 131,072 and 196,608
  for (std::size_t i = 0; i < seen.size(); ++i) {
    EXPECT_EQ(seen[i].second, csv.size());
    EXPECT_LT(seen[i].first, csv.size());
    if (i > 0) {
      EXPECT_GT(seen[i].first, seen[i - 1].first);
    }
  }
  // out of the scope nobody listens
  pmkpi::detail::report_progress(1, 2);
  EXPECT_EQ(seen.size(), 3U);
}

}  // namespace
