// The events engine on a hand-worked log (RECORDS.md "Events"): five users in Europe/Berlin across
// the start of summer time (2026-03-29, 01:00 UTC), sessions split at exactly the timeout and one
// second past it, a funnel with out-of-order steps and a window edge. Every figure was worked by hand.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include "pmkpi/events.hpp"
#include "pmkpi/records.hpp"

namespace rec = pmkpi::records;
using pmkpi::Json;

namespace {

rec::Instant at(const char* text) {
  rec::Instant t = 0;
  EXPECT_TRUE(rec::parse_timestamp(text, rec::TimeZone(), rec::TimestampUnit::None, t)) << text;
  return t;
}

struct Ev {
  const char* user;
  const char* ts;
  const char* event;
};

// Deliberately not in time order: a3 before a2, dave's purchase first, bob's return before his first day.
const std::vector<Ev> kLog = {
    {"dave", "2026-03-31T08:00:01Z", "purchase"},    // d3: 1 day + 1 s after dave's entry
    {"alice", "2026-03-28T22:30:00Z", "app_open"},   // a1: local 23:30 CET, day 03-28
    {"alice", "2026-03-28T23:30:01Z", "purchase"},   // a3: 1801 s after a2: a new session
    {"alice", "2026-03-28T23:00:00Z", "view_item"},  // a2: local 00:00, day 03-29; 1800 s after a1
    {"alice", "2026-03-29T01:30:00Z", "app_open"},   // a4: local 03:30 CEST (after the change)
    {"bob", "2026-04-07T10:00:00Z", "app_open"},     // b4
    {"bob", "2026-03-29T10:00:00Z", "app_open"},     // b1
    {"bob", "2026-03-29T10:00:05Z", "view_item"},    // b2
    {"bob", "2026-03-29T10:00:11Z", "add_to_cart"},  // b3: an 11 s session
    {"carol", "2026-03-30T09:00:00Z", "purchase"},   // c1: before carol's entry: not a funnel step
    {"carol", "2026-03-30T09:05:00Z", "app_open"},   // c2
    {"carol", "2026-03-30T09:10:00Z", "view_item"},  // c3
    {"dave", "2026-03-30T08:00:00Z", "app_open"},    // d1
    {"dave", "2026-03-31T08:00:00Z", "view_item"},   // d2: exactly 1 day after d1
    {"eve", "2026-04-06T09:00:00Z", "app_open"},     // e1
};

rec::EventsOptions hand_options() {
  rec::EventsOptions o;
  o.conversion_events = {"purchase"};
  o.funnel_steps = {"app_open", "view_item", "purchase"};
  o.funnel_window_days = 1;
  o.activation_event = "purchase";
  return o;
}

rec::EventsEngine run(const std::vector<Ev>& log, rec::EventsOptions o = hand_options(),
                      const char* zone = "Europe/Berlin") {
  rec::EventsEngine engine(std::move(o), *rec::TimeZone::parse(zone));
  for (const auto& e : log) engine.add(e.user, at(e.ts), e.event);
  return engine;
}

Json day_column(const Json& daily, const char* key) {
  Json out = Json::array();
  for (const auto& d : daily) out.push_back(d[key]);
  return out;
}

}  // namespace

TEST(RecordsEvents, HandWorkedDailyActivesInLocalDays) {
  const Json daily = run(kLog).report()["daily"];
  ASSERT_EQ(daily.size(), 11u);
  EXPECT_EQ(daily.front()["day"], "2026-03-28");
  EXPECT_EQ(daily.back()["day"], "2026-04-07");
  EXPECT_EQ(day_column(daily, "dau"), Json::parse("[1,2,2,1,0,0,0,0,0,1,1]"));
  EXPECT_EQ(day_column(daily, "wau"), Json::parse("[1,2,4,4,4,4,4,4,2,2,2]"));
  EXPECT_EQ(day_column(daily, "mau"), Json::parse("[1,2,4,4,4,4,4,4,4,5,5]"));
  EXPECT_EQ(day_column(daily, "stickiness"), Json::parse("[100.0,100.0,50.0,25.0,0.0,0.0,0.0,0.0,0.0,20.0,20.0]"));
  EXPECT_EQ(day_column(daily, "new_users"), Json::parse("[1,1,2,0,0,0,0,0,0,1,0]"));
  EXPECT_EQ(day_column(daily, "events"), Json::parse("[1,6,4,2,0,0,0,0,0,1,1]"));
  EXPECT_EQ(day_column(daily, "sessions"), Json::parse("[1,3,2,1,0,0,0,0,0,1,1]"));
}

TEST(RecordsEvents, UtcDaysDifferFromLocalDays) {
  // In UTC, alice's a2 and a3 fall on 03-28, so 03-28 holds 3 events and 03-29 holds 4.
  const Json daily = run(kLog, hand_options(), "UTC").report()["daily"];
  EXPECT_EQ(daily[0]["events"], 3);
  EXPECT_EQ(daily[1]["events"], 4);
}

TEST(RecordsEvents, HandWorkedSummary) {
  const Json s = run(kLog).report()["summary"];
  EXPECT_EQ(s["users"], 5);
  EXPECT_EQ(s["events"], 15);
  EXPECT_EQ(s["sessions"], 9);  // alice 3 (split at 1801 s, not at 1800 s), bob 2, carol 1, dave 2, eve 1
  EXPECT_EQ(s["engaged_sessions"], 5);
  EXPECT_EQ(s["bounce_rate"], 44.44);                       // 4 of 9
  EXPECT_EQ(s["average_session_duration_seconds"], 268.0);  // (1800 + 11 + 600 + 1) / 9
  EXPECT_EQ(s["median_session_duration_seconds"], 0.0);
  EXPECT_EQ(s["sessions_per_user"], 1.8);
  EXPECT_EQ(s["actions_per_session"], 1.67);
  EXPECT_EQ(s["stickiness"], 28.64);  // (100 + 100 + 50 + 25 + 20 + 20) / 11
}

TEST(RecordsEvents, EngagementFollowsGa4) {
  // Without the conversion, alice's lone purchase session (0 s, 1 view) bounces too.
  auto o = hand_options();
  o.conversion_events.clear();
  EXPECT_EQ(run(kLog, o).report()["summary"]["bounce_rate"], 55.56);
  EXPECT_EQ(run(kLog, o).report()["summary"]["engaged_sessions"], 4);
  // Only view_item counts as a view, and no conversions: dave's 1 s session (view_item + purchase)
  // no longer has 2 views; alice's first session neither, but it lasts 1800 s.
  o.view_events = {"view_item"};
  EXPECT_EQ(run(kLog, o).report()["summary"]["engaged_sessions"], 3);
  // With the purchase as a conversion, dave's session is engaged again.
  o.conversion_events = {"purchase"};
  EXPECT_EQ(run(kLog, o).report()["summary"]["engaged_sessions"], 5);
}

TEST(RecordsEvents, HandWorkedCalendarPeriods) {
  const auto engine = run(kLog);
  EXPECT_EQ(engine.report()["weekly"], Json::parse(R"([
    {"week":"2026-03-23","active_users":2,"new_users":2,"events":7},
    {"week":"2026-03-30","active_users":2,"new_users":2,"events":6},
    {"week":"2026-04-06","active_users":2,"new_users":1,"events":2}])"));
  EXPECT_EQ(engine.report()["monthly"], Json::parse(R"([
    {"month":"2026-03","active_users":4,"new_users":4,"events":13},
    {"month":"2026-04","active_users":2,"new_users":1,"events":2}])"));
  auto sunday = hand_options();
  sunday.week_start = 6;  // weeks from Sunday: 03-29 opens a week, 03-28 closes the one before
  EXPECT_EQ(run(kLog, sunday).report()["weekly"][0],
            Json::parse(R"({"week":"2026-03-22","active_users":1,"new_users":1,"events":1})"));
}

TEST(RecordsEvents, HandWorkedFeatures) {
  EXPECT_EQ(run(kLog).report()["features"], Json::parse(R"([
    {"event":"app_open","users":5,"adoption_rate":100.0,"events":7},
    {"event":"view_item","users":4,"adoption_rate":80.0,"events":4},
    {"event":"purchase","users":3,"adoption_rate":60.0,"events":3},
    {"event":"add_to_cart","users":1,"adoption_rate":20.0,"events":1}])"));
}

TEST(RecordsEvents, HandWorkedWeeklyRetention) {
  const Json r = run(kLog).report()["retention"];
  EXPECT_EQ(r["period"], "week");
  EXPECT_EQ(r["cohorts"], Json::parse(R"([{"period":"2026-03-23","users":2},{"period":"2026-03-30","users":2},
                                          {"period":"2026-04-06","users":1}])"));
  EXPECT_EQ(r["classic"], Json::parse("[[100.0,0.0,50.0],[100.0,0.0],[100.0]]"));
  EXPECT_EQ(r["unbounded"], Json::parse("[[100.0,50.0,50.0],[100.0,0.0],[100.0]]"));
  EXPECT_EQ(r["mean_classic"], Json::parse("[100.0,0.0,50.0]"));
  EXPECT_EQ(r["mean_unbounded"], Json::parse("[100.0,25.0,50.0]"));
}

TEST(RecordsEvents, EmptyCohortIsARowOfNulls) {
  // Daily cohorts: no user starts on 03-31 .. 04-05 or 04-07.
  auto o = hand_options();
  o.retention_period = rec::PeriodKind::Day;
  const Json r = run(kLog, o).report()["retention"];
  ASSERT_EQ(r["classic"].size(), 11u);
  EXPECT_EQ(r["classic"][3], Json::parse("[null,null,null,null,null,null,null,null]"));
  // alice (03-28) is active on 03-28 and 03-29 only.
  EXPECT_EQ(r["classic"][0], Json::parse("[100.0,100.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0,0.0]"));
  // bob (03-29) comes back on 04-07, age 9.
  EXPECT_EQ(r["unbounded"][1][9], 100.0);
  EXPECT_EQ(r["classic"][1][8], 0.0);
}

TEST(RecordsEvents, HandWorkedLifecycle) {
  EXPECT_EQ(run(kLog).report()["lifecycle"], Json::parse(R"([
    {"period":"2026-03-23","new":2,"returning":0,"resurrecting":0,"dormant":0,"active":2},
    {"period":"2026-03-30","new":2,"returning":0,"resurrecting":0,"dormant":2,"active":2},
    {"period":"2026-04-06","new":1,"returning":0,"resurrecting":1,"dormant":2,"active":2}])"));
}

TEST(RecordsEvents, HandWorkedFunnelWithOutOfOrderStepsAndWindowEdge) {
  EXPECT_EQ(run(kLog).report()["funnel"], Json::parse(R"({"window_days":1,"steps":[
    {"step":1,"event":"app_open","users":5,"conversion_from_start":100.0,"conversion_from_previous":100.0,
     "median_seconds_from_start":0.0},
    {"step":2,"event":"view_item","users":4,"conversion_from_start":80.0,"conversion_from_previous":80.0,
     "median_seconds_from_start":1050.0},
    {"step":3,"event":"purchase","users":1,"conversion_from_start":20.0,"conversion_from_previous":25.0,
     "median_seconds_from_start":3601.0}]})"));
}

TEST(RecordsEvents, HandWorkedActivation) {
  // alice 3601 s, carol 0 s (her first event is the purchase), dave 1 day + 1 s.
  EXPECT_EQ(run(kLog).report()["activation"], Json::parse(R"({"event":"purchase","window_days":7,"users":5,
    "activated_users":3,"activation_rate":60.0,"median_time_to_value_hours":1.0,"mean_time_to_value_hours":8.33})"));
  auto o = hand_options();
  o.activation_window_days = 1;  // dave misses it by one second
  EXPECT_EQ(run(kLog, o).report()["activation"]["activated_users"], 2);
}

TEST(RecordsEvents, HandWorkedPowerUsers) {
  const Json p = run(kLog).report()["power_users"];
  EXPECT_EQ(p["last_day"], "2026-04-07");
  EXPECT_EQ(p["l7"], Json::parse("[2,0,0,0,0,0,0]"));
  Json l28 = Json::array();
  for (int k = 1; k <= 28; ++k) l28.push_back(k == 1 ? 2 : k == 2 ? 3 : 0);
  EXPECT_EQ(p["l28"], l28);
}

TEST(RecordsEvents, SessionIdDefinesSessions) {
  rec::EventsEngine engine(rec::EventsOptions{}, rec::TimeZone());
  engine.add("u", at("2026-01-01T10:00:00Z"), "a", "s1");
  engine.add("u", at("2026-01-01T12:00:00Z"), "b", "s1");  // 2 h later, same session id
  engine.add("u", at("2026-01-01T12:00:01Z"), "c", "s2");
  engine.add("v", at("2026-01-01T12:00:01Z"), "c", "s2");  // another user's s2 is another session
  const Json s = engine.report()["summary"];
  EXPECT_EQ(s["sessions"], 3);
  EXPECT_EQ(s["average_session_duration_seconds"], 2400.0);  // (7200 + 0 + 0) / 3
}

TEST(RecordsEvents, InputOrderDoesNotChangeTheAnswer) {
  std::mt19937 rng(7);
  std::vector<std::string> users, names = {"open", "view", "buy", "share"};
  for (int i = 0; i < 40; ++i) users.push_back("u" + std::to_string(i));
  struct Row {
    std::string user, event;
    rec::Instant t;
  };
  std::vector<Row> rows;
  const rec::Instant start = at("2026-03-01T00:00:00Z");
  for (int i = 0; i < 3000; ++i)
    rows.push_back({users[rng() % users.size()], names[rng() % names.size()],
                    start + static_cast<rec::Instant>(rng() % (60u * 86400u)) * rec::kMicrosPerSecond});
  std::stable_sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.t < b.t; });
  rec::EventsOptions o;
  o.funnel_steps = {"open", "view", "buy"};
  o.activation_event = "buy";
  o.session_timeout_us = 6LL * 3600 * rec::kMicrosPerSecond;
  const auto feed = [&](const std::vector<Row>& log) {
    rec::EventsEngine e(o, *rec::TimeZone::parse("America/New_York"));
    for (const auto& r : log) e.add(r.user, r.t, r.event);
    return e.report();
  };
  const Json sorted = feed(rows);
  std::shuffle(rows.begin(), rows.end(), rng);
  EXPECT_EQ(feed(rows), sorted);
}
