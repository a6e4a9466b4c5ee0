// Reading event logs: each preset on a realistic sample, and every bad input with its exact answer.
#include <gtest/gtest.h>

#include "pmkpi/api.hpp"
#include "pmkpi/events.hpp"

namespace rec = pmkpi::records;
using pmkpi::Json;

namespace {

rec::EventsAnswer answer(Json body) { return rec::answer_events(body); }

Json csv(std::string text, Json options = Json::object()) {
  options["csv"] = std::move(text);
  return options;
}

}  // namespace

TEST(RecordsEventsPresets, Ga4FlattenedExportInMicroseconds) {
  // The flattened BigQuery export: event_timestamp in microseconds, ga_session_id per user.
  const std::string text =
      "event_date,event_timestamp,event_name,user_pseudo_id,ga_session_id,page_location\n"
      "20260301,1772359200000000,session_start,1197.17,1772359200,https://shop.example/\n"
      "20260301,1772359200000000,page_view,1197.17,1772359200,https://shop.example/\n"
      "20260301,1772359230500000,page_view,1197.17,1772359200,https://shop.example/p/1\n"
      "20260301,1772366400000000,page_view,1197.17,1772366400,https://shop.example/\n"
      "20260301,1772359300000000,session_start,88.42,1772359300,https://shop.example/\n";
  const auto a = answer(csv(text));
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["preset"], "ga4");
  EXPECT_EQ(a.body["summary"]["users"], 2);
  EXPECT_EQ(a.body["summary"]["sessions"], 3);                              // by ga_session_id, not by the timeout
  EXPECT_EQ(a.body["summary"]["average_session_duration_seconds"], 10.17);  // (30.5 + 0 + 0) / 3
  EXPECT_EQ(a.body["daily"][0]["day"], "2026-03-01");
}

TEST(RecordsEventsPresets, SegmentFallsBackToAnonymousId) {
  const std::string text =
      "messageId,type,anonymousId,userId,event,timestamp\n"
      "m1,track,anon-1,,Product Viewed,2026-03-01T10:00:00.120Z\n"
      "m2,track,anon-1,user-9,Order Completed,2026-03-01T10:05:00.000Z\n"
      "m3,track,anon-2,,Product Viewed,2026-03-02T08:00:00Z\n";
  const auto a = answer(csv(text));
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["preset"], "segment");
  EXPECT_EQ(a.body["summary"]["users"], 3);  // anon-1, user-9, anon-2
  EXPECT_EQ(a.body["features"][0], Json::parse(R"({"event":"Product Viewed","users":2,"adoption_rate":66.67,
                                                   "events":2,"status":"high"})"));
}

TEST(RecordsEventsPresets, PosthogExport) {
  const std::string text =
      "uuid,event,distinct_id,timestamp,properties\n"
      "0190-a,$pageview,ph-1,2026-03-01 10:00:00.000000+00:00,\"{\"\"$current_url\"\": \"\"/\"\"}\"\n"
      "0190-b,signed_up,ph-1,2026-03-01 10:02:00.000000+00:00,{}\n"
      "0190-c,$pageview,ph-2,2026-03-03 09:00:00.000000+01:00,{}\n";
  const auto a = answer(csv(text, {{"activation_event", "signed_up"}}));
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["preset"], "posthog");
  EXPECT_EQ(a.body["activation"]["activated_users"], 1);
  EXPECT_EQ(a.body["activation"]["median_time_to_value_hours"], 0.03);  // 2 minutes
  EXPECT_EQ(a.body["daily"].size(), 3u);
  EXPECT_EQ(a.body["daily"][2]["day"], "2026-03-03");  // 08:00 UTC
}

TEST(RecordsEventsPresets, GenericWithSessionIdAndNdjsonAndRecords) {
  const std::string text = R"({"user_id":"a","timestamp":"2026-03-01T10:00:00Z","event":"x","session_id":"s"}
{"user_id":"a","timestamp":"2026-03-01T15:00:00Z","event":"y","session_id":"s"}
)";
  auto a = answer({{"ndjson", text}});
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["preset"], "generic");
  EXPECT_EQ(a.body["summary"]["sessions"], 1);
  a = answer({{"records", Json::parse(R"([{"User":"a","When":1772359200,"What":"x"}])")},
              {"mapping", {{"user_id", "User"}, {"timestamp", "When"}, {"event", "What"}}},
              {"timestamp_unit", "s"}});
  ASSERT_EQ(a.status, 200) << a.body.dump();
  EXPECT_EQ(a.body["preset"], nullptr);
  EXPECT_EQ(a.body["daily"][0]["day"], "2026-03-01");
}

TEST(RecordsEventsErrors, MissingColumnsNameEachOne) {
  const auto a = answer(csv("user,when\na,2026-03-01\n"));
  EXPECT_EQ(a.status, 422);
  ASSERT_EQ(a.body["detail"].size(), 3u) << a.body.dump();
  for (const auto& e : a.body["detail"]) EXPECT_EQ(e["type"], "missing_column");
}

TEST(RecordsEventsErrors, BadRowsRejectOrSkip) {
  const std::string text =
      "user_id,timestamp,event\n"
      "a,2026-03-01T10:00:00Z,open\n"
      ",2026-03-01T10:00:00Z,open\n"
      "b,2026-02-30T10:00:00Z,open\n"
      "c,2026-03-01T10:00:00Z,\n";
  auto a = answer(csv(text));
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(a.body, Json::parse(R"({"detail":[
    {"type":"missing","loc":["body","csv",2,"user_id"],"msg":"The user is empty.","input":""},
    {"type":"timestamp_invalid","loc":["body","csv",3,"timestamp"],"msg":"Not an ISO 8601 date or date-time.",
     "input":"2026-02-30T10:00:00Z"},
    {"type":"missing","loc":["body","csv",4,"event"],"msg":"The event name is empty.","input":""}]})"));
  a = answer(csv(text, {{"on_error", "skip"}}));
  ASSERT_EQ(a.status, 200);
  EXPECT_EQ(a.body["rows"], Json::parse(R"({"read":4,"used":1,"rejected":3})"));
  EXPECT_EQ(a.body["warnings"].size(), 3u);
  EXPECT_EQ(a.body["warnings"][1],
            "Line 3, column timestamp: Not an ISO 8601 date or date-time. (input: \"2026-02-30T10:00:00Z\")");
}

TEST(RecordsEventsErrors, EpochWithTheWrongUnit) {
  const auto a = answer(csv("user_id,timestamp,event\na,1772359200,open\n"));
  ASSERT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["type"], "timestamp_invalid");
  EXPECT_EQ(answer(csv("user_id,timestamp,event\na,1772359200,open\n", {{"timestamp_unit", "s"}})).status, 200);
}

TEST(RecordsEventsErrors, EveryRowRejectedOrNoRows) {
  auto a = answer(csv("user_id,timestamp,event\n,x,\n", {{"on_error", "skip"}}));
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["type"], "no_rows");
  EXPECT_EQ(a.body["detail"][0]["msg"], "Every row was rejected: there is nothing to compute.");
  a = answer(csv("user_id,timestamp,event\n"));
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["type"], "no_rows");
  a = answer(csv(""));
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["type"], "empty_file");
  a = answer(csv("user_id,timestamp,event\n\"a,2026-03-01,open\n"));
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["type"], "csv_invalid");
}

TEST(RecordsEventsErrors, SourcesAndOptions) {
  auto a = answer(Json::object());
  EXPECT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0]["msg"], "Give the events in exactly one of 'csv', 'ndjson' or 'records'");
  a = answer({{"csv", "x"}, {"ndjson", "y"}});
  EXPECT_EQ(a.body["detail"][0]["type"], "too_many_sources");
  a = answer(csv("user_id,timestamp,event\na,2026-03-01,open\n",
                 {{"timezone", "Mars/Olympus"},
                  {"retention_period", "quarter"},
                  {"week_start", "someday"},
                  {"timestamp_unit", "ns"},
                  {"on_error", "ignore"},
                  {"preset", "amplitude"},
                  {"session_timeout_minutes", 0},
                  {"mau_window_days", 0},
                  {"activation_window_days", 1.5},
                  {"view_events", "page_view"},
                  {"funnel", {{"steps", {"only_one"}}, {"window_days", -1}}}}));
  EXPECT_EQ(a.status, 422);
  Json locs = Json::array();
  for (const auto& e : a.body["detail"]) locs.push_back(e["loc"]);
  EXPECT_EQ(locs, Json::parse(R"([["body","timezone"],["body","retention_period"],["body","week_start"],
    ["body","mau_window_days"],["body","timestamp_unit"],["body","on_error"],["body","preset"],
    ["body","session_timeout_minutes"],["body","view_events"],["body","activation_window_days"],
    ["body","funnel","steps"],["body","funnel","window_days"]])"));
}

TEST(RecordsEventsRoute, CatalogRouteAnswersJsonAndTextBodies) {
  const std::string log = "user_id,timestamp,event\nu1,2026-03-28T23:30:00Z,open\nu1,2026-03-29T08:00:00Z,open\n";
  pmkpi::Response r =
      pmkpi::handle("POST", "/records/events", Json{{"csv", log}, {"timezone", "Europe/Berlin"}}.dump());
  ASSERT_EQ(r.status, 200) << r.body;
  Json body = Json::parse(r.body);
  EXPECT_EQ(body["daily"].size(), 1u);  // both on 03-29 in Berlin
  EXPECT_EQ(body["summary"]["bands"]["stickiness"]["route"], "/metrics/dau-mau");
  r = pmkpi::handle("POST", "/records/events?timezone=UTC&funnel=%7B%22steps%22%3A%5B%22open%22%2C%22open%22%5D%7D",
                    log);
  ASSERT_EQ(r.status, 200) << r.body;
  body = Json::parse(r.body);
  EXPECT_EQ(body["daily"].size(), 2u);
  EXPECT_EQ(body["funnel"]["steps"][1]["users"], 1);  // the second open follows the first
  r = pmkpi::handle("POST", "/records/events", R"({"csv": "x", "mau_window_days": 0, "funnel": []})");
  EXPECT_EQ(r.status, 422);
  EXPECT_EQ(Json::parse(r.body)["detail"].size(), 2u) << r.body;
}

// Two rows can name any two days: the report is bounded by the span, not by the rows. 5,001 days
// (2000-01-01 to 2013-09-09) are reported; one day more is a 422 that names the span, at once.
TEST(RecordsEventsSpan, AtMostFiveThousandAndOneDays) {
  const auto edge = answer(csv("user_id,timestamp,event\nu1,2000-01-01T00:00:00Z,a\nu2,2013-09-09T23:59:59Z,b\n",
                               {{"retention_period", "month"}}));
  ASSERT_EQ(edge.status, 200) << edge.body.dump().substr(0, 300);
  EXPECT_EQ(edge.body["daily"].size(), 5001u);
  EXPECT_EQ(edge.body["daily"][5000]["events"], 1);
  EXPECT_EQ(edge.body["daily"][0]["events"], 1);

  const auto over = answer(csv("user_id,timestamp,event\nu1,2000-01-01T00:00:00Z,a\nu2,2013-09-10T00:00:00Z,b\n",
                               {{"retention_period", "month"}}));
  ASSERT_EQ(over.status, 422);
  const Json& e = over.body["detail"][0];
  EXPECT_EQ(e["type"], "value_error");
  EXPECT_EQ(e["loc"], Json::array({"body"}));
  EXPECT_EQ(e["msg"],
            "The events span 5002 days (2000-01-01 to 2013-09-10); at most 5001 days are reported: drop the rows "
            "dated outside the range you want, or check the timestamp_unit.");
}

TEST(RecordsEventsSpan, EpochNumbersAcrossTheWholeRangeAreA422NotAnAllocation) {
  // Microseconds near the ends of int64: 2^27 days apart. Before the bound this took every byte of memory.
  const auto a = answer(csv("user_id,timestamp,event\nu1,-9000000000000000000,a\nu1,9000000000000000000,b\n",
                            {{"timestamp_unit", "us"}}));
  ASSERT_EQ(a.status, 422) << a.body.dump();
  EXPECT_EQ(a.body["detail"][0]["loc"], Json::array({"body"}));
  // Out of order: the earlier day arrives last, after the counted range grew past the bound.
  const auto b =
      answer(csv("user_id,timestamp,event\nu1,2020-01-01,a\nu1,2020-01-03,a\nu2,1900-01-01,b\nu3,2020-01-02,a\n"));
  ASSERT_EQ(b.status, 422);
}

TEST(RecordsEventsSpan, RetentionMatrixOfAtMostAThousandPeriods) {
  // 1,000 days with daily retention is the edge; 1,001 asks for a longer retention_period.
  const auto edge =
      answer(csv("user_id,timestamp,event\nu1,2020-01-01,a\nu2,2022-09-26,b\n", {{"retention_period", "day"}}));
  ASSERT_EQ(edge.status, 200) << edge.body.dump().substr(0, 300);
  EXPECT_EQ(edge.body["retention"]["cohorts"].size(), 1000u);
  const auto over =
      answer(csv("user_id,timestamp,event\nu1,2020-01-01,a\nu2,2022-09-27,b\n", {{"retention_period", "day"}}));
  ASSERT_EQ(over.status, 422);
  const Json& e = over.body["detail"][0];
  EXPECT_EQ(e["loc"], Json::array({"body", "retention_period"}));
  EXPECT_EQ(e["input"], "day");
  EXPECT_EQ(e["msg"],
            "The events span 1001 days (2020-01-01 to 2022-09-27); a retention matrix has at most 1000 periods: "
            "choose a longer retention_period.");
  // The same events by week: 144 periods, answered.
  EXPECT_EQ(answer(csv("user_id,timestamp,event\nu1,2020-01-01,a\nu2,2022-09-27,b\n")).status, 200);
}
