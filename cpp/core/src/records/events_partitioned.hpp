#pragma once
// The events engine over users spread by a hash of their id: rows are buffered a batch at a time and
// added partition by partition (a radix-partitioned aggregation, as column stores do it), so that the
// user states one partition touches stay in the caches; the partitions' totals add up to the whole's.

#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "events_totals.hpp"

namespace pmkpi::records::detail {

class PartitionedEvents {
 public:
  /** `batch`: the rows buffered before they are added (tests make it small). */
  PartitionedEvents(const EventsOptions& options, const TimeZone& zone, std::size_t batch = kBatch);
  PartitionedEvents(const PartitionedEvents&) = delete;
  PartitionedEvents& operator=(const PartitionedEvents&) = delete;
  ~PartitionedEvents();

  /** Buffers one event (its strings copied); a full batch is added to the engines. */
  void add(std::string_view user, std::int64_t utc_us, std::string_view event, std::string_view session_id);
  /**
   * Adds what is buffered; call before span_problem() and totals(). An input that fits in one batch
   * goes to a single engine (the partitions pay off only where the users outgrow the caches).
   */
  void flush() { flush(true); }

  /** As EventsEngine::span_problem, over every partition's days. */
  std::optional<InputError> span_problem() const;
  /** The totals of every partition added up (users are disjoint: each lives in one partition). */
  EventsTotals totals(bool with_ids) const;

 private:
  struct Pending {
    std::uint32_t user, user_size, event, event_size, session, session_size;  // into the bucket's text
    std::int64_t utc_us;
  };
  /** A partition's buffered rows, in input order, and their strings. */
  struct Bucket {
    std::vector<Pending> rows;
    std::string text;
  };
  static constexpr unsigned kBits = 8;             // 256 partitions: 800 users each at 200,000
  static constexpr std::size_t kBatch = 1u << 20;  // 1,048,576 rows buffered (about 60 MB)

  void flush(bool last);
  /** Adds the buckets' rows to their engines and empties them (keeping their memory). */
  void add_buckets(std::vector<Bucket>& buckets);
  /** Waits for the batch being added on the second thread; rethrows what it threw. */
  void wait();
  EventsEngine& engine(std::size_t k);

  EventsOptions options_;
  TimeZone zone_;
  std::vector<std::unique_ptr<EventsEngine>> engines_;  // made on first use
  bool partitioned_ = false;
  std::size_t batch_;
  std::vector<Bucket> buckets_;
  std::vector<Bucket> adding_;  // the batch the second thread adds (set_events_threads(2))
  std::thread worker_;
  std::exception_ptr failure_;
  std::size_t pending_ = 0, pending_text_ = 0;
};

}  // namespace pmkpi::records::detail
