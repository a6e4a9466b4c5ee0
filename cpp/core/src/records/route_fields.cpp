#include "route_fields.hpp"

namespace pmkpi::detail {

std::vector<std::string> preset_names(const std::vector<records::Preset>& presets) {
  std::vector<std::string> names;
  for (const auto& p : presets) names.push_back(p.name);
  return names;
}

std::string columns_description(const std::vector<records::ColumnSpec>& columns,
                                const std::vector<records::Preset>& presets, const std::string& rest) {
  std::string s;
  for (const auto& c : columns)
    s += "`" + c.name + "`" + (c.required ? " (required)" : "") + ": " + c.description + "; ";
  s += rest;
  for (const auto& p : presets) s += "\n\nPreset `" + p.name + "`: " + p.description;
  return s;
}

std::vector<FieldSpec> source_fields(const RecordsNoun& noun, const std::vector<records::Preset>& presets) {
  const std::string plural = noun.plural;
  return {
      Field::text("csv", "The " + plural + " as CSV text (RFC 4180; delimiter , ; or tab detected; UTF-8 BOM allowed)")
          .label("CSV text")
          .optional()
          .example(noun.csv_example),
      Field::of("records", FieldType::ObjectList, "The " + plural + " as a JSON array of objects")
          .label("Records")
          .optional(),
      Field::text("ndjson", "The " + plural + " as JSON lines (one object per line)").label("JSON lines").optional(),
      Field::of("preset", FieldType::Enum,
                std::string("Column names and conventions of ") + noun.source + "; detected when absent")
          .label("Preset")
          .choices(preset_names(presets))
          .optional(),
      Field::of("mapping", FieldType::StringMap, "Canonical column -> your column, over the preset's mapping")
          .label("Column mapping")
          .optional(),
  };
}

FieldSpec timezone_field(const char* what) {
  return Field::text("timezone",
                     std::string("Time zone of ") + what + " and of times without an offset (IANA name or +05:30)")
      .label("Time zone")
      .default_to("UTC");
}

FieldSpec timestamp_unit_field(const char* note) {
  return Field::of("timestamp_unit", FieldType::Enum, std::string("Unit of epoch-number timestamps") + note)
      .label("Epoch timestamp unit")
      .choices({"s", "ms", "us"})
      .optional();
}

FieldSpec on_error_field() {
  return Field::of("on_error", FieldType::Enum, "reject: bad rows make a 422; skip: they are left out and listed")
      .label("Bad rows")
      .choices({"reject", "skip"})
      .default_to("reject");
}

FieldSpec week_start_field() {
  return Field::of("week_start", FieldType::Enum, "First day of a week")
      .label("Week starts on")
      .choices({"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"})
      .default_to("monday");
}

}  // namespace pmkpi::detail
