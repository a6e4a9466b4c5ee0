// libFuzzer target for the records importers (branch records-import): RowReader over CSV, a JSON
// array of records and NDJSON, plus timestamp and number parsing of every cell. The first byte
// picks the reader; the rest is its text. Asserts the invariants callers rely on: the reader
// ends, a row with more non-empty cells than the header carries its error, and an error leaves no
// row behind.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "pmkpi/records.hpp"

namespace rec = pmkpi::records;

namespace {

void drain(rec::RowReader reader) {
  rec::Row row;
  std::size_t rows = 0;
  const rec::TimeZone utc = *rec::TimeZone::parse("UTC");
  while (reader.next(row)) {
    // Cells beyond the header are allowed only when empty (a trailing delimiter); otherwise the row
    // carries its error, so no value is dropped without a word.
    for (std::size_t i = reader.header().size(); i < row.size(); ++i)
      if (!row.cell(i).empty() && row.cell(i).find_first_not_of(" \t\r") != std::string_view::npos &&
          reader.row_error().empty())
        std::abort();
    for (std::size_t i = 0; i < row.size(); ++i) {
      double number = 0;
      rec::parse_number(row.cell(i), number);
      rec::Instant instant{};
      rec::parse_timestamp(row.cell(i), utc, rec::TimestampUnit::None, instant);
    }
    if (++rows > 10'000'000) std::abort();  // more rows than bytes: the reader does not advance
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  switch (data[0] % 3) {
    case 0:
      drain(rec::RowReader::csv(text));
      break;
    case 1:
      drain(rec::RowReader::ndjson(text));
      break;
    default: {
      const pmkpi::Json records = pmkpi::Json::parse(text, nullptr, false);
      if (!records.is_discarded()) drain(rec::RowReader::json_array(records));
    }
  }
  return 0;
}
