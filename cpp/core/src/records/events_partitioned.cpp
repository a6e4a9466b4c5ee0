// The events engine over users spread by a hash of their id (events_partitioned.hpp).
#include "events_partitioned.hpp"

#include <algorithm>
#include <atomic>
#include <utility>

namespace pmkpi::records {
namespace {
std::atomic<int> g_threads{1};
}  // namespace

void set_events_threads(int threads) { g_threads.store(threads < 2 ? 1 : 2); }

}  // namespace pmkpi::records

namespace pmkpi::records::detail {
namespace {

/** The partition of a user: the top bits of the user index's hash (each engine's index uses the low ones). */
std::uint32_t partition_of(std::string_view user, unsigned bits) {
  return static_cast<std::uint32_t>(KeyIndex::hash(user) >> (64 - bits));
}

}  // namespace

PartitionedEvents::PartitionedEvents(const EventsOptions& options, const TimeZone& zone, std::size_t batch)
    : options_(options),
      zone_(zone),
      engines_(1u << kBits),
      batch_(std::max<std::size_t>(batch, 1)),
      buckets_(1u << kBits) {}

EventsEngine& PartitionedEvents::engine(std::size_t k) {
  if (!engines_[k]) engines_[k] = std::make_unique<EventsEngine>(options_, zone_);
  return *engines_[k];
}

void PartitionedEvents::add(std::string_view user, std::int64_t utc_us, std::string_view event,
                            std::string_view session_id) {
  Bucket& b = buckets_[partition_of(user, kBits)];
  auto keep = [&](std::string_view s) {
    const auto at = static_cast<std::uint32_t>(b.text.size());
    b.text.append(s);
    return at;
  };
  Pending p;
  p.user = keep(user);
  p.user_size = static_cast<std::uint32_t>(user.size());
  p.event = keep(event);
  p.event_size = static_cast<std::uint32_t>(event.size());
  p.session = keep(session_id);
  p.session_size = static_cast<std::uint32_t>(session_id.size());
  p.utc_us = utc_us;
  b.rows.push_back(p);
  pending_text_ += user.size() + event.size() + session_id.size();
  // A bucket's offsets are 32-bit: the batch is added long before a bucket could hold 4 GB of text.
  if (++pending_ >= batch_ || pending_text_ > (1u << 30)) flush(false);
}

PartitionedEvents::~PartitionedEvents() {
  if (worker_.joinable()) worker_.join();
}

void PartitionedEvents::add_buckets(std::vector<Bucket>& buckets) {
  // Only a user's own events are ordered (ties keep input order), so a bucket at a time is as good
  // as the input order, whether the buckets go to their partitions or all to one engine.
  for (std::size_t k = 0; k < buckets.size(); ++k) {
    Bucket& b = buckets[k];
    if (b.rows.empty()) continue;
    EventsEngine& e = engine(partitioned_ ? k : 0);
    const std::string_view text(b.text);
    for (const Pending& p : b.rows)
      e.add(text.substr(p.user, p.user_size), p.utc_us, text.substr(p.event, p.event_size),
            text.substr(p.session, p.session_size));
    b.rows.clear();
    b.text.clear();
  }
}

void PartitionedEvents::wait() {
  if (worker_.joinable()) worker_.join();
  if (failure_) std::rethrow_exception(std::exchange(failure_, nullptr));
}

void PartitionedEvents::flush(bool last) {
  if (!last) partitioned_ = true;
  pending_ = pending_text_ = 0;
#ifndef __EMSCRIPTEN__
  if (!last && g_threads.load() > 1) {
    // Only the second thread touches the engines until wait(): the next batch is read meanwhile.
    wait();
    std::swap(buckets_, adding_);
    if (buckets_.empty()) buckets_.resize(adding_.size());
    worker_ = std::thread([this] {
      try {
        add_buckets(adding_);
      } catch (...) {
        failure_ = std::current_exception();
      }
    });
    return;
  }
#endif
  wait();
  add_buckets(buckets_);
}

std::optional<InputError> PartitionedEvents::span_problem() const {
  std::int32_t first = INT32_MAX, last = INT32_MIN;
  bool any = false;
  for (const auto& e : engines_) {
    if (!e || e->users() == 0) continue;
    any = true;
    const auto [lo, hi] = e->days();
    first = std::min(first, lo);
    last = std::max(last, hi);
  }
  if (!any) return std::nullopt;
  return events_span_problem(first, last, options_, zone_);
}

EventsTotals PartitionedEvents::totals(bool with_ids) const {
  std::optional<EventsTotals> all;
  for (const auto& e : engines_) {
    if (!e || e->users() == 0) continue;
    if (!all) {
      all = e->totals(with_ids);
      continue;
    }
    EventsTotals more = e->totals(with_ids);
    std::vector<std::string> ids = std::move(more.user_ids);
    all->add(std::move(more));
    for (auto& id : ids) all->user_ids.push_back(std::move(id));
  }
  // No user at all: the totals of an empty engine (the answer says there is nothing to compute).
  return all ? std::move(*all) : EventsEngine(options_, zone_).totals(with_ids);
}

}  // namespace pmkpi::records::detail
