#include "pmkpi/preview.hpp"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "pmkpi/events.hpp"
#include "pmkpi/records.hpp"
#include "pmkpi/validation.hpp"

namespace pmkpi::records {
namespace {

struct Engine {
  const char* kind;
  const char* route;
  const std::vector<ColumnSpec>& columns;
  const std::vector<Preset>& presets;
};

/** The text up to its last complete line when it was cut short. */
std::string_view whole_lines(std::string_view text, bool truncated) {
  if (!truncated) return text;
  const std::size_t end = text.rfind('\n');
  return end == std::string_view::npos ? std::string_view() : text.substr(0, end + 1);
}

Json engine_view(const Engine& e, const std::vector<std::string>& header, SourceKind source, bool& fits) {
  const Preset* preset = detect_preset(e.presets, header);
  const ColumnMap map =
      resolve_columns(header, e.columns, preset ? preset->mapping : decltype(preset->mapping){}, source);
  Json columns = Json::array();
  Json missing = Json::array();
  for (std::size_t i = 0; i < e.columns.size(); ++i) {
    const ColumnSpec& c = e.columns[i];
    const bool found = map.index[i].has_value();
    columns.push_back({{"name", c.name},
                       {"required", c.required},
                       {"description", c.description},
                       {"source", found ? Json(utf8_safe(map.source_name[i])) : Json(nullptr)}});
    if (c.required && !found) missing.push_back(c.name);
  }
  Json presets = Json::array();
  for (const Preset& p : e.presets) presets.push_back({{"name", p.name}, {"description", p.description}});
  fits = missing.empty();
  return {{"route", e.route},
          {"preset", preset ? Json(preset->name) : Json(nullptr)},
          {"presets", std::move(presets)},
          {"columns", std::move(columns)},
          {"missing", std::move(missing)}};
}

Json error_of(const InputError& e) { return {{"type", e.type}, {"loc", e.loc}, {"msg", e.msg}, {"input", e.input}}; }

}  // namespace

Json records_preview(std::string_view text, bool truncated, std::size_t max_rows) {
  std::size_t first = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") first = 3;
  while (first < text.size() &&
         (text[first] == ' ' || text[first] == '\t' || text[first] == '\r' || text[first] == '\n'))
    ++first;
  const char lead = first < text.size() ? text[first] : '\0';
  const SourceKind source = lead == '[' ? SourceKind::Records : lead == '{' ? SourceKind::Ndjson : SourceKind::Csv;
  auto failed = [&](Json error) { return Json{{"source", source_field(source)}, {"error", std::move(error)}}; };
  Json records;
  std::optional<RowReader> reader;
  if (lead == '[') {
    Json error;
    if (!parse_body(text, records, error)) return failed(std::move(error));
    reader.emplace(RowReader::json_array(records));
  } else if (lead == '{') {
    reader.emplace(RowReader::ndjson(whole_lines(text, truncated)));
  } else {
    reader.emplace(RowReader::csv(whole_lines(text, truncated)));
  }
  Json rows = Json::array();
  Row row;
  while (rows.size() < max_rows && reader->next(row)) {
    Json cells = Json::array();
    for (std::size_t c = 0; c < row.size(); ++c) cells.push_back(utf8_safe(row.cell(c)));
    rows.push_back({{"line", row.line}, {"cells", std::move(cells)}});
  }
  if (reader->error()) return failed(error_of(*reader->error()));
  const std::vector<std::string>& header = reader->header();
  Json names = Json::array();
  for (const std::string& h : header) names.push_back(utf8_safe(h));
  const Engine engines[] = {
      {"subscriptions", "/records/subscriptions", subscription_columns(), subscription_presets()},
      {"events", "/records/events", event_columns(), event_presets()},
  };
  Json kinds = Json::object();
  Json kind = nullptr;
  for (const Engine& e : engines) {
    bool fits = false;
    kinds[e.kind] = engine_view(e, header, reader->kind(), fits);
    if (fits && kind.is_null()) kind = e.kind;
  }
  return {{"source", source_field(reader->kind())},
          {"delimiter", std::string(1, reader->delimiter())},
          {"header", std::move(names)},
          {"rows", std::move(rows)},
          {"kind", std::move(kind)},
          {"kinds", std::move(kinds)}};
}

}  // namespace pmkpi::records
