#pragma once
// Dense ids of strings (customer ids, segment values) for the records engines.

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace pmkpi::records::detail {

/**
 * Dense ids of strings: open addressing over an arena of the keys. Several times faster than an
 * unordered_map<std::string> here (no node per key, no temporary string per lookup).
 */
class KeyIndex {
 public:
  std::uint32_t intern(std::string_view key) {
    if ((offsets_.size() + 1) * 2 > slots_.size()) grow();
    const std::uint64_t h = hash(key);
    for (std::size_t i = h & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1)) {
      const std::uint32_t id = slots_[i];
      if (id == kEmpty) {
        slots_[i] = static_cast<std::uint32_t>(offsets_.size());
        offsets_.push_back(arena_.size());
        arena_.append(key);
        hashes_.push_back(h);
        return slots_[i];
      }
      if (hashes_[id] == h && at(id) == key) return id;
    }
  }
  std::size_t size() const { return offsets_.size(); }
  /** The hash the index places a key by (its low bits pick the slot). */
  static std::uint64_t hash(std::string_view s) {
    std::uint64_t h = 1469598103934665603ull;  // FNV-1a
    for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
    return h ^ (h >> 29);
  }
  /** The key of an id. */
  std::string_view at(std::uint32_t id) const {
    const std::size_t end = id + 1 < offsets_.size() ? offsets_[id + 1] : arena_.size();
    return std::string_view(arena_).substr(offsets_[id], end - offsets_[id]);
  }

 private:
  static constexpr std::uint32_t kEmpty = 0xFFFFFFFFu;
  void grow() {
    slots_.assign(std::max<std::size_t>(1024, slots_.size() * 2), kEmpty);
    for (std::uint32_t id = 0; id < offsets_.size(); ++id)
      for (std::size_t i = hashes_[id] & (slots_.size() - 1);; i = (i + 1) & (slots_.size() - 1))
        if (slots_[i] == kEmpty) {
          slots_[i] = id;
          break;
        }
  }
  std::vector<std::uint32_t> slots_;
  std::vector<std::size_t> offsets_;
  std::vector<std::uint64_t> hashes_;
  std::string arena_;
};

}  // namespace pmkpi::records::detail
