// Partial states (docs/PARTIALS.md): shards split by user or customer merge into the single pass's
// answer byte for byte, in any order and grouping; overlap, mismatched options and damaged states
// are 422s naming what is wrong.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "pmkpi/api.hpp"
#include "pmkpi/events.hpp"
#include "pmkpi/partial.hpp"

namespace {

using pmkpi::Json;
namespace rec = pmkpi::records;

// An event log with out-of-order rows, sessions across midnight, a funnel and activation, an even
// number of sessions per shard and overall (so the medians average two middle values).
std::string event_log() {
  std::string csv = "user_id,timestamp,event\n";
  const char* names[] = {"signup", "view", "buy", "view", "search"};
  for (int i = 0; i < 600; ++i) {
    const int user = (i * 7919) % 37;
    const long t = 1767225600L + i * 5400L + (i % 11 == 0 ? -20000 : 0) + (user % 5) * 61;
    csv += "u" + std::to_string(user) + "," + std::to_string(t) + "," + names[(i + user) % 5] + "\n";
  }
  return csv;
}

std::string subscription_export() {
  std::string csv = "customer_id,plan,amount,interval,currency,start,end\n";
  for (int i = 0; i < 300; ++i) {
    const int c = (i * 31) % 90, month = 1 + i % 12, day = 1 + i % 27;
    const std::string start = "2025-" + std::string(month < 10 ? "0" : "") + std::to_string(month) + "-" +
                              (day < 10 ? "0" : "") + std::to_string(day);
    const std::string end = i % 3 == 0 ? "2026-0" + std::to_string(1 + i % 6) + "-15" : "";
    csv += "c" + std::to_string(c) + "," + (i % 2 ? "pro" : "basic") + "," + std::to_string(10 + i % 7 * 9.5) + "," +
           (i % 4 == 0 ? "year" : "month") + "," + (i % 5 == 0 ? "EUR" : "USD") + "," + start + "," + end + "\n";
  }
  return csv;
}

// The rows of `csv` whose key (first column) hashes to `shard` of `n`, under the same header.
std::string shard_of(const std::string& csv, int shard, int n) {
  std::string out = csv.substr(0, csv.find('\n') + 1);
  for (std::size_t at = out.size(); at < csv.size();) {
    const std::size_t end = csv.find('\n', at);
    const std::string line = csv.substr(at, end - at + 1);
    if (static_cast<int>(std::hash<std::string>{}(line.substr(0, line.find(','))) % n) == shard) out += line;
    at = end + 1;
  }
  return out;
}

Json events_body(const std::string& csv) {
  return {{"csv", csv},
          {"timestamp_unit", "s"},
          {"funnel", {{"steps", {"signup", "view", "buy"}}, {"window_days", 2}}},
          {"activation_event", "buy"},
          {"retention_period", "day"}};
}

Json subscriptions_body(const std::string& csv) {
  return {{"csv", csv}, {"segment_by", "plan"}, {"rates", {{"EUR", 1.1}}}, {"period", "month"}};
}

Json state(const char* path, const Json& body) {
  rec::PartialAnswer a = rec::records_partial(path, body);
  EXPECT_EQ(a.status, 200) << a.body.dump().substr(0, 400);
  return a.body;
}

Json merged(const std::vector<Json>& states) {
  rec::PartialAnswer a = rec::merge_partials(states);
  EXPECT_EQ(a.status, 200) << a.body.dump().substr(0, 400);
  return a.body;
}

std::string finished(const Json& s) {
  rec::PartialAnswer a = rec::finish_partial(s);
  EXPECT_EQ(a.status, 200) << a.body.dump().substr(0, 400);
  return a.body.dump();
}

TEST(RecordsPartial, EventShardsMergeToTheSinglePassInAnyOrderAndGrouping) {
  const std::string csv = event_log();
  const std::string single = rec::answer_events(events_body(csv)).body.dump();
  std::vector<Json> s;
  for (int i = 0; i < 3; ++i) s.push_back(state("/records/events", events_body(shard_of(csv, i, 3))));
  EXPECT_EQ(finished(merged({s[0], s[1], s[2]})), single);
  EXPECT_EQ(finished(merged({s[2], s[0], s[1]})), single);
  // Associative and commutative on the states themselves, not only on the answers.
  const Json left = merged({merged({s[0], s[1]}), s[2]}), right = merged({s[0], merged({s[2], s[1]})});
  EXPECT_EQ(left.dump(), right.dump());
  EXPECT_EQ(left.dump(), merged({s[1], s[2], s[0]}).dump());
  EXPECT_EQ(finished(left), single);
  // One shard alone is the single pass over its rows.
  EXPECT_EQ(finished(s[1]), rec::answer_events(events_body(shard_of(csv, 1, 3))).body.dump());
}

TEST(RecordsPartial, MediansMergeExactly) {
  // Sessions of 10, 20 | 30, 40 seconds: the merged median is (20 + 30) / 2, which neither shard has.
  const std::string a = "user_id,timestamp,event\na,0,x\na,10,x\na,5000,x\na,5020,x\n";
  const std::string b = "user_id,timestamp,event\nb,0,x\nb,30,x\nb,5000,x\nb,5040,x\n";
  const Json m = merged({state("/records/events", {{"csv", a}, {"timestamp_unit", "s"}}),
                         state("/records/events", {{"csv", b}, {"timestamp_unit", "s"}})});
  const Json answer = rec::finish_partial(m).body;
  EXPECT_EQ(answer["summary"]["median_session_duration_seconds"], 25.0);
  EXPECT_EQ(answer["summary"]["average_session_duration_seconds"], 25.0);
}

TEST(RecordsPartial, SubscriptionShardsMergeToTheSinglePass) {
  const std::string csv = subscription_export();
  const Json body = subscriptions_body(csv);
  const std::string single = pmkpi::handle_parsed("POST", "/records/subscriptions", &body).body;
  std::vector<Json> s;
  for (int i = 0; i < 4; ++i) s.push_back(state("/records/subscriptions", subscriptions_body(shard_of(csv, i, 4))));
  const Json m = merged({s[3], s[1], s[0], s[2]});
  EXPECT_EQ(m.dump(), merged({merged({s[0], s[1]}), merged({s[2], s[3]})}).dump());
  std::string from_shards;
  pmkpi::append_json(from_shards, rec::finish_partial(m).body);
  EXPECT_EQ(from_shards, single);
  EXPECT_NE(single.find("\"segments\""), std::string::npos);
}

TEST(RecordsPartial, AUserInTwoShardsIsAnErrorNamingIt) {
  const std::string a = "user_id,timestamp,event\nann,0,x\nbob,10,x\n";
  const std::string b = "user_id,timestamp,event\ncid,0,x\nbob,99,y\n";
  rec::PartialAnswer r = rec::merge_partials({state("/records/events", {{"csv", a}, {"timestamp_unit", "s"}}),
                                              state("/records/events", {{"csv", b}, {"timestamp_unit", "s"}})});
  ASSERT_EQ(r.status, 422);
  const Json& e = r.body["detail"][0];
  EXPECT_EQ(e["type"], "shard_overlap");
  EXPECT_EQ(e["input"], "bob");
  EXPECT_EQ(e["loc"], Json::parse(R"(["partials",1,"ids"])"));
  EXPECT_NE(e["msg"].get<std::string>().find("partial state 1 and in partial state 2"), std::string::npos);

  const std::string c = "customer_id,amount,start\nc1,10,2025-01-01\n";
  rec::PartialAnswer s = rec::merge_partials(
      {state("/records/subscriptions", {{"csv", c}}), state("/records/subscriptions", {{"csv", c}})});
  ASSERT_EQ(s.status, 422);
  EXPECT_EQ(s.body["detail"][0]["input"], "c1");
  EXPECT_NE(s.body["detail"][0]["msg"].get<std::string>().find("customer"), std::string::npos);
}

TEST(RecordsPartial, IdsThatAreNotUtf8StaySortedAndMerge) {
  // As bytes "\xff" sorts after the emoji (F0 9F 98 80); the state lists it as U+FFFD (EF BF BD),
  // which sorts before: the ids are sorted as listed, so the state merges.
  const std::string a = "customer_id,amount,start\n\xff,10,2025-01-01\n\xf0\x9f\x98\x80,20,2025-02-01\n";
  const std::string b = "customer_id,amount,start\nc,5,2025-01-01\n";
  const Json s = merged({state("/records/subscriptions", {{"csv", a}}), state("/records/subscriptions", {{"csv", b}})});
  EXPECT_EQ(s["ids"], Json::parse("[\"c\",\"\xef\xbf\xbd\",\"\xf0\x9f\x98\x80\"]"));
  EXPECT_EQ(rec::finish_partial(s).status, 200);
}

TEST(RecordsPartial, StatesOfOtherOptionsOrKindsDoNotMerge) {
  const std::string a = "user_id,timestamp,event\nann,0,x\n", b = "user_id,timestamp,event\nbob,0,x\n";
  rec::PartialAnswer r = rec::merge_partials(
      {state("/records/events", {{"csv", a}, {"timestamp_unit", "s"}}),
       state("/records/events", {{"csv", b}, {"timestamp_unit", "s"}, {"timezone", "Europe/Paris"}})});
  ASSERT_EQ(r.status, 422);
  EXPECT_EQ(r.body["detail"][0]["type"], "partial_mismatch");
  EXPECT_EQ(r.body["detail"][0]["loc"], Json::parse(R"(["partials",1,"options","timezone"])"));
  rec::PartialAnswer k =
      rec::merge_partials({state("/records/events", {{"csv", a}, {"timestamp_unit", "s"}}),
                           state("/records/subscriptions", {{"csv", "customer_id,amount,start\nc,1,2025-01-01\n"}})});
  ASSERT_EQ(k.status, 422);
  EXPECT_EQ(k.body["detail"][0]["loc"], Json::parse(R"(["partials",1,"kind"])"));
}

TEST(RecordsPartial, ShardErrorsAreTheRoutesOwn) {
  // A bad row under on_error reject, an unknown option, an unknown route.
  rec::PartialAnswer bad = rec::records_partial(
      "/records/events", {{"csv", "user_id,timestamp,event\nu,never,x\n"}, {"timestamp_unit", "s"}});
  ASSERT_EQ(bad.status, 422);
  EXPECT_EQ(bad.body["detail"][0]["type"], "timestamp_invalid");
  EXPECT_EQ(
      rec::records_partial("/records/subscriptions", {{"csv", "customer_id,amount,start\n"}, {"period", "decade"}})
          .status,
      422);
  EXPECT_EQ(rec::records_partial("/metrics/arpu", Json::object()).status, 422);
  // A shard with no rows is a state; the answer says there are none once every state is in.
  const Json empty = state("/records/events", {{"csv", "user_id,timestamp,event\n"}, {"timestamp_unit", "s"}});
  rec::PartialAnswer none = rec::finish_partial(empty);
  ASSERT_EQ(none.status, 422);
  EXPECT_EQ(none.body["detail"][0]["type"], "no_rows");
}

TEST(RecordsPartial, DamagedStatesAreClearErrorsNeverCrashes) {
  const Json good = state("/records/events", events_body(event_log()));
  ASSERT_EQ(rec::merge_partials({}).status, 422);
  const auto expect_invalid = [](const Json& s, const char* words) {
    rec::PartialAnswer m = rec::merge_partials({s});
    ASSERT_EQ(m.status, 422) << words;
    EXPECT_EQ(m.body["detail"][0]["type"], "partial_invalid");
    EXPECT_NE(m.body["detail"][0]["msg"].get<std::string>().find(words), std::string::npos)
        << m.body["detail"][0]["msg"];
    EXPECT_EQ(rec::finish_partial(s).status, 422);
  };
  expect_invalid(Json::array(), "not a partial state");
  Json v = good;
  v["version"] = 99;
  expect_invalid(v, "version 99");
  Json unsorted = good;
  std::swap(unsorted["ids"][0], unsorted["ids"][1]);
  expect_invalid(unsorted, "sorted");
  Json far = good;
  far["state"]["series"]["dau"][0] = -4000000000000000000LL;
  expect_invalid(far, "dau");
  Json huge = good;
  huge["state"]["last_day"] = 90000000;
  expect_invalid(huge, "first_day and last_day");
  Json negative = good;
  negative["state"]["reached"][0] = -5;
  expect_invalid(negative, "reached");
  Json rows = good;
  rows["rows"]["used"] = 1;
  expect_invalid(rows, "rows.read");
  // Every field removed in turn, and every value replaced by a string: a 422 each time.
  for (const auto& [key, value] : good["state"].items()) {
    Json without = good;
    without["state"].erase(key);
    EXPECT_EQ(rec::merge_partials({without}).status, 422) << key;
    Json wrong = good;
    wrong["state"][key] = "x";
    EXPECT_EQ(rec::finish_partial(wrong).status, 422) << key;
  }
  const Json sub = state("/records/subscriptions", subscriptions_body(subscription_export()));
  Json early = sub;
  early["state"]["customers"][0][0][0] = -99999999;
  EXPECT_EQ(rec::finish_partial(early).status, 422);
  Json missing_customer = sub;
  missing_customer["state"]["customers"].erase(0);
  EXPECT_EQ(rec::merge_partials({missing_customer}).status, 422);
}

}  // namespace
