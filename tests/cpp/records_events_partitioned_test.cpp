// The events engine over hash partitions (events_partitioned.hpp) against one engine: every figure
// the same, whatever the batch size, with sessions from the timeout or from session ids, a funnel,
// activation, day retention and a named time zone.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "../../cpp/core/src/records/events_partitioned.hpp"

namespace {

namespace r = pmkpi::records;
namespace d = pmkpi::records::detail;

struct Event {
  std::string user, event, session;
  std::int64_t us;
};

/** A log in time order with ties and out-of-order stragglers: 400 users, 8 event names, 40 days. */
std::vector<Event> random_log(std::size_t n, bool sessions) {
  std::uint64_t s = 99;
  auto next = [&] {
    s = s * 6364136223846793005ULL + 1442695040888963407ULL;
    return s >> 33;
  };
  const char* names[] = {"signup", "view", "click", "search", "cart", "purchase", "share", "settings"};
  std::vector<Event> log;
  const std::int64_t start = 1767225600LL * 1000000;  // 2026-01-01
  for (std::size_t i = 0; i < n; ++i) {
    std::int64_t us = start + static_cast<std::int64_t>(i) * 40LL * 86400 * 1000000 / static_cast<std::int64_t>(n);
    if (next() % 10 == 0) us -= static_cast<std::int64_t>(next() % (3LL * 86400)) * 1000000;  // a late arrival
    if (next() % 20 == 0 && !log.empty()) us = log.back().us;                                 // a tie
    const std::uint64_t user = (next() % 400) * (next() % 400) / 400;                         // a heavy head
    log.push_back({"user-" + std::to_string(user), names[next() % 8],
                   sessions ? "s" + std::to_string(user) + "-" + std::to_string(next() % 5) : "", us});
  }
  return log;
}

r::EventsOptions options() {
  r::EventsOptions o;
  o.session_timeout_us = 20LL * 60 * 1000000;
  o.retention_period = r::PeriodKind::Day;
  o.funnel_steps = {"signup", "search", "purchase"};
  o.funnel_window_days = 3;
  o.activation_event = "purchase";
  o.activation_window_days = 5;
  o.view_events = {"view", "search"};
  o.conversion_events = {"purchase"};
  return o;
}

TEST(PartitionedEvents, SameFiguresAsOneEngineWhateverTheBatch) {
  const auto zone = r::TimeZone::parse("Europe/Berlin");
  ASSERT_TRUE(zone);
  for (bool sessions : {false, true}) {
    const std::vector<Event> log = random_log(6000, sessions);
    r::EventsEngine one(options(), *zone);
    for (const auto& e : log) one.add(e.user, e.us, e.event, e.session);
    const pmkpi::Json expected = d::events_report(one.totals(false), options(), *zone);
    // With 2 threads a batch is added on a second thread while the next is buffered.
    for (int threads : {1, 2})
      for (std::size_t batch : {1u, 7u, 64u, 1000u, 100000u}) {
        if (threads == 2 && batch == 1) continue;  // a thread per row: slow under the sanitizers
        r::set_events_threads(threads);
        d::PartitionedEvents parts(options(), *zone, batch);
        for (const auto& e : log) parts.add(e.user, e.us, e.event, e.session);
        parts.flush();
        EXPECT_FALSE(parts.span_problem());
        const d::EventsTotals totals = parts.totals(true);
        EXPECT_EQ(totals.user_ids.size(), one.users()) << batch;  // each user in exactly one partition
        EXPECT_EQ(d::events_report(totals, options(), *zone), expected)
            << "batch " << batch << " sessions " << sessions << " threads " << threads;
      }
    r::set_events_threads(1);
  }
}

TEST(PartitionedEvents, SpanProblemSeesEveryPartition) {
  r::EventsOptions o;
  d::PartitionedEvents parts(o, r::TimeZone(), 2);
  // Two users far apart in time land (very likely) in different partitions; the span is theirs together.
  parts.add("a", 0, "x", {});
  parts.add("b", 1000000LL * 86400 * 365 * 60, "x", {});
  parts.add("c", 1000000LL * 86400, "x", {});
  parts.flush();
  EXPECT_TRUE(parts.span_problem());
  d::PartitionedEvents none(o, r::TimeZone());
  none.flush();
  EXPECT_FALSE(none.span_problem());
  EXPECT_EQ(none.totals(false).users, 0);
}

}  // namespace
