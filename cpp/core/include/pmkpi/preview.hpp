#pragma once
// What the Import page shows before it computes anything: how the records engines read the first
// rows of a file (its source kind, delimiter, header and first rows), which engine the columns fit,
// the preset each engine would detect, and where each canonical column would be read from. It reads
// with the engines' own reader, presets and column resolution, so the preview never disagrees with
// the answer.

#include <cstddef>
#include <string_view>

#include "pmkpi/json.hpp"

namespace pmkpi::records {

/**
 * The preview of `text` (a whole file or its beginning: when `truncated`, a last line without its
 * end is left out). A JSON array is read as `records`, text whose first character is `{` as NDJSON,
 * anything else as CSV. Answers {"source", "delimiter", "header", "rows": [{"line", "cells"}],
 * "kind": "subscriptions" | "events" | null, "kinds": {<kind>: {"route", "preset", "presets",
 * "columns": [{"name", "required", "description", "source"}], "missing"}}}, or {"source", "error"}
 * (a 422 entry) when the text cannot be read at all.
 */
Json records_preview(std::string_view text, bool truncated, std::size_t max_rows = 20);

}  // namespace pmkpi::records
