// /records/subscriptions on bad input: every case of issue 9 with its exact answer, and the Stripe preset.
#include <gtest/gtest.h>

#include <string>

#include "pmkpi/api.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;

testing::Answer csv(const std::string& text, Json options = Json::object()) {
  options["csv"] = text;
  return post("/records/subscriptions", options);
}

Json only_error(const testing::Answer& a) {
  EXPECT_EQ(a.status, 422) << a.body.dump();
  EXPECT_EQ(a.body["detail"].size(), 1u) << a.body.dump();
  return a.body["detail"][0];
}

TEST(RecordsBadInput, EmptyFile) {
  const Json e = only_error(csv(""));
  EXPECT_EQ(e["type"], "empty_file");
  EXPECT_EQ(e["loc"], Json({"body", "csv"}));
  EXPECT_EQ(e["msg"], "The file is empty: it has no header line and no data rows.");
}

TEST(RecordsBadInput, HeaderWithoutRows) {
  const Json e = only_error(csv("customer_id,amount,start\n"));
  EXPECT_EQ(e["type"], "no_rows");
  EXPECT_EQ(e["msg"], "The input has a header but no data rows.");
}

TEST(RecordsBadInput, NoHeader) {
  const Json e = only_error(csv("c1,29,2024-01-05\nc2,10,2024-01-10\n"));
  EXPECT_EQ(e["type"], "missing_header");
  EXPECT_EQ(e["loc"], Json({"body", "csv", 1}));
  EXPECT_EQ(e["msg"],
            "The first line is not a header: it holds data (c1, ...). The first line must name the columns: "
            "customer_id, amount, start, ...");
}

TEST(RecordsBadInput, UnbalancedQuote) {
  const Json e = only_error(csv("customer_id,amount,start\nc1,\"29,2024-01-05\nc2,10,2024-01-10\n"));
  EXPECT_EQ(e["type"], "csv_invalid");
  EXPECT_EQ(e["loc"], Json({"body", "csv", 2}));
  EXPECT_EQ(e["msg"],
            "The file is not valid CSV: the quoted field opened on line 2 is never closed (unbalanced quote).");
}

TEST(RecordsBadInput, MissingColumn) {
  const Json e = only_error(csv("customer_id,price,start\nc1,29,2024-01-05\n"));
  EXPECT_EQ(e["type"], "missing_column");
  EXPECT_EQ(e["loc"], Json({"body", "csv"}));
  EXPECT_EQ(e["msg"],
            "Required column amount is missing (price per billing interval in major currency units, >= 0, before "
            "quantity). The input has: customer_id, price, start. Name it so, or map it with \"mapping\": "
            "{\"amount\": \"<your column>\"}.");
}

TEST(RecordsBadInput, BadNumberBadDateEndBeforeStartUnknownCurrency) {
  const auto a =
      csv("customer_id,amount,start,end,currency\n"
          "c1,29,2024-01-05,,USD\n"
          "c2,twelve,2024-01-05,,\n"
          "c3,10,2024-02-30,,\n"
          "c4,10,2024-03-05,2024-03-01,\n"
          "c5,10,2024-03-05,,DOLLARS\n");
  ASSERT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"], Json::parse(R"js([
    {"type": "float_parsing", "loc": ["body", "csv", 2, "amount"],
     "msg": "Input should be a valid number, unable to parse string as a number", "input": "twelve"},
    {"type": "datetime_parsing", "loc": ["body", "csv", 3, "start"],
     "msg": "Input should be a valid date or date-time (ISO 8601: 2024-03-01, 2024-03-01T10:00:00Z; epoch numbers need \"timestamp_unit\")",
     "input": "2024-02-30"
},
    {"type": "value_error", "loc": ["body", "csv", 4, "end"],
     "msg": "Value error, end is before start (2024-03-05)", "input": "2024-03-01"},
    {"type": "currency_invalid", "loc": ["body", "csv", 5, "currency"],
     "msg": "Input should be an ISO 4217 currency code of three letters (USD, EUR, ...)", "input": "DOLLARS"}])js"));
}

TEST(RecordsBadInput, SkipLeavesBadRowsOutCountedAndListed) {
  const auto a =
      csv("customer_id,amount,start\nc1,29,2024-01-05\nc2,x,2024-01-05\n,5,2024-01-05\n", Json{{"on_error", "skip"}});
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["rows"], Json({{"read", 3}, {"used", 1}, {"rejected", 2}}));
  EXPECT_EQ(a.body["warnings"],
            Json({"Line 2, column amount: Input should be a valid number, unable to parse string as a number "
                  "(input: \"x\")",
                  "Line 3, column customer_id: Field required: the customer_id is empty"}));
}

TEST(RecordsBadInput, CurrencyWithoutARate) {
  const Json e = only_error(csv("customer_id,amount,start,currency\nc1,29,2024-01-05,EUR\nc2,5,2024-01-05,GBP\n"));
  EXPECT_EQ(e["type"], "missing_rate");
  EXPECT_EQ(e["loc"], Json({"body", "rates"}));
  EXPECT_EQ(e["msg"], "Amounts in EUR, GBP need a rate to USD in \"rates\" (e.g. {\"EUR\": 1.08}).");
}

TEST(RecordsBadInput, OptionsAndBodyShape) {
  EXPECT_EQ(only_error(post("/records/subscriptions", Json{{"currency", "USD"}}))["type"], "missing");
  EXPECT_EQ(only_error(csv("customer_id,amount,start\nc,1,2024-01-01\n", Json{{"timezone", "Mars/Base"}}))["loc"],
            Json({"body", "timezone"}));
  EXPECT_EQ(only_error(csv("customer_id,amount,start\nc,1,2024-01-01\n", Json{{"period", "decade"}}))["type"], "enum");
  EXPECT_EQ(only_error(csv("customer_id,amount,start\nc,1,2024-01-01\n", Json{{"segment_by", "plan"}}))["loc"],
            Json({"body", "segment_by"}));
  const Json records = Json::parse(R"([{"customer_id": "c", "amount": 1, "start": "2024-01-01"}, 2])");
  const Json e = only_error(post("/records/subscriptions", Json{{"records", records}}));
  EXPECT_EQ(e["loc"], Json({"body", "records", 2}));
  EXPECT_EQ(e["msg"], "The record is not a JSON object.");
  EXPECT_EQ(post("/records/subscriptions", std::string("[1, 2")).status, 422);  // a broken JSON array body
}

TEST(RecordsBadInput, InvalidUtf8IsEchoedSafely) {
  const auto a = post("/records/subscriptions", std::string("customer_id,amount,start\nc1,\xff\xfe,2024-01-05\n"));
  ASSERT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["input"], "\xEF\xBF\xBD\xEF\xBF\xBD");
}

#ifndef __EMSCRIPTEN__
// A 100 MB export (about 2.4 million rows) is answered, with memory bounded by the subscriptions (not the
// rows' text) and in seconds; over HTTP the server's body limit answers 413 before the core sees it.
TEST(RecordsBadInput, HundredMegabyteFile) {
  std::string text = "customer_id,amount,interval,start,end\n";
  text.reserve(100u << 20);
  std::size_t rows = 0;
  for (; text.size() < (100u << 20); ++rows) {
    const std::size_t c = rows % 200000;
    text += "cust" + std::to_string(c) + ",29.00,month,2024-0" + std::to_string(1 + rows % 9) + "-15," +
            (rows % 4 == 0 ? "2025-01-01" : "") + "\n";
  }
  const auto a = csv(text);
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["rows"]["read"], rows);
  EXPECT_EQ(a.body["rows"]["used"], rows);
}
#endif

// A Stripe dashboard export: a trial, a cancellation at period end (Canceled At without Ended At), an
// ended subscription, an incomplete_expired one, yearly and monthly plans, seats.
const char* kStripe =
    "id,Customer ID,Customer Email,Plan,Product,Quantity,Currency,Interval,Amount,Status,Created (UTC),"
    "Start (UTC),Current Period Start (UTC),Current Period End (UTC),Trial Start (UTC),Trial End (UTC),"
    "Canceled At (UTC),Ended At (UTC)\n"
    "sub_1,cus_A,a@x.io,pro_monthly,Pro,1,usd,month,49.00,active,2024-01-03 10:00,2024-01-03 10:00,"
    "2024-03-03 10:00,2024-04-03 10:00,,,,\n"
    "sub_2,cus_B,b@x.io,team_yearly,Team,5,usd,year,120.00,active,2024-01-20 08:30,2024-01-20 08:30,"
    "2024-01-20 08:30,2025-01-20 08:30,,,,\n"
    "sub_3,cus_C,c@x.io,pro_monthly,Pro,1,usd,month,49.00,trialing,2024-02-25 12:00,2024-02-25 12:00,"
    "2024-02-25 12:00,2024-03-10 12:00,2024-02-25 12:00,2024-03-10 12:00,,\n"
    "sub_4,cus_D,d@x.io,pro_monthly,Pro,2,usd,month,49.00,canceled,2024-01-10 09:00,2024-01-10 09:00,"
    "2024-02-10 09:00,2024-03-10 09:00,,,2024-03-10 09:00,\n"
    "sub_5,cus_E,e@x.io,basic_monthly,Basic,1,usd,month,19.00,canceled,2024-01-05 09:00,2024-01-05 09:00,"
    "2024-02-05 09:00,2024-03-05 09:00,,,2024-02-20 17:00,2024-03-05 09:00\n"
    "sub_6,cus_F,f@x.io,basic_monthly,Basic,1,usd,month,19.00,incomplete_expired,2024-02-01 09:00,"
    "2024-02-01 09:00,,,,,,\n";

TEST(RecordsStripe, PresetIsDetectedAndItsConventionsHold) {
  const auto a =
      post("/records/subscriptions", Json{{"csv", kStripe}, {"as_of", "2024-03-31"}, {"segment_by", "Plan"}});
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["preset"], "stripe");
  EXPECT_EQ(a.body["mapping"]["end"], "Ended At (UTC)");
  // Jan: A 49 + B 5 x 120 / 12 = 50 + D 2 x 49 = 98 + E 19 = 216. Feb: the same (C is in trial, F never billed).
  // Mar: E ended Mar 5th (-19), D canceled effective Mar 10th (-98), C's trial ended Mar 10th (+49): 148.
  const Json& p = a.body["periods"];
  ASSERT_EQ(p.size(), 3u);
  EXPECT_EQ(p[0]["mrr"], 216.0);
  EXPECT_EQ(p[1]["mrr"], 216.0);
  EXPECT_EQ(p[2]["mrr"], 148.0);
  EXPECT_EQ(p[2]["churned_mrr"], 117.0);
  EXPECT_EQ(p[2]["new_mrr"], 49.0);
  EXPECT_EQ(p[2]["customers"], 3);
  EXPECT_EQ(a.body["rows"], Json({{"read", 6}, {"used", 6}, {"rejected", 0}}));
  EXPECT_EQ(a.body["segments"]["values"][0]["segment"], "pro_monthly");  // 49 + 49 in March
}

}  // namespace
}  // namespace pmkpi
