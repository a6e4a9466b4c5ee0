// The request fields and descriptions both records routes declare alike (the rows in three forms,
// the column mapping, the time zone, epoch units, bad-row policy, week start), written once.
#pragma once

#include <string>
#include <vector>

#include "../catalog_builders.hpp"
#include "pmkpi/records.hpp"

namespace pmkpi::detail {

/** The presets' names, in order: the choices of the `preset` field. */
std::vector<std::string> preset_names(const std::vector<records::Preset>& presets);

/** "`col` (required): what it is; ..." then `rest`, then each preset's conventions. */
std::string columns_description(const std::vector<records::ColumnSpec>& columns,
                                const std::vector<records::Preset>& presets, const std::string& rest);

/** How a records route words its rows: "rows", "events". */
struct RecordsNoun {
  const char* plural;       // "The <plural> as CSV text ..."
  std::string csv_example;  // the CSV field's example
  const char* source;       // "Column names and conventions of <source>; detected when absent"
};

/** csv, records, ndjson, preset and mapping: the rows and how their columns are named. */
std::vector<FieldSpec> source_fields(const RecordsNoun& noun, const std::vector<records::Preset>& presets);

/** The time zone of `what` ("the periods", "the days") and of times without an offset. */
FieldSpec timezone_field(const char* what);
/** The unit of epoch-number timestamps; `note` is appended to the description ("" for none). */
FieldSpec timestamp_unit_field(const char* note);
FieldSpec on_error_field();
FieldSpec week_start_field();

}  // namespace pmkpi::detail
