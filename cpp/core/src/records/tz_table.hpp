#pragma once
// The compiled-in IANA time zone table (generated at build time by scripts/generate-tz-table.py).

#include <cstddef>
#include <cstdint>

namespace pmkpi::records::detail {

struct TzData {
  std::int32_t initial_offset;  // seconds east of UTC on 1970-01-01
  const char* footer;           // POSIX TZ rule of the years after the table (reference only)
  const char* transitions;      // "dt:offset,dt:offset,...": dt seconds after the previous transition
};

struct TzName {
  const char* name;  // "Europe/Paris"
  std::uint16_t data;
};

extern const TzData kTzData[];
extern const TzName kTzNames[];  // sorted by name
extern const std::size_t kTzNameCount;

}  // namespace pmkpi::records::detail
