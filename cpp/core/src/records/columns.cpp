// Column mapping, presets, numbers and row errors of the records import layer.
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "pmkpi/records.hpp"

namespace pmkpi::records {

std::string column_key(std::string_view name) {
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
  while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
  std::string out(name);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::string_view name) {
  const std::string key = column_key(name);
  for (std::size_t i = 0; i < header.size(); ++i)
    if (column_key(header[i]) == key) return i;
  return std::nullopt;
}

const Preset* detect_preset(const std::vector<Preset>& presets, const std::vector<std::string>& header) {
  for (const auto& p : presets) {
    bool all = !p.signature.empty();
    for (const auto& col : p.signature) all = all && find_column(header, col).has_value();
    if (all) return &p;
  }
  return nullptr;
}

const char* source_field(SourceKind kind) {
  switch (kind) {
    case SourceKind::Csv:
      return "csv";
    case SourceKind::Records:
      return "records";
    case SourceKind::Ndjson:
      return "ndjson";
  }
  return "csv";
}

Json unprocessable(Json entries) { return Json{{"detail", std::move(entries)}}; }

ColumnMap resolve_columns(const std::vector<std::string>& header, const std::vector<ColumnSpec>& columns,
                          const std::vector<std::pair<std::string, std::string>>& mapping, SourceKind source) {
  ColumnMap m;
  m.index.assign(columns.size(), std::nullopt);
  m.source_name.assign(columns.size(), std::string());
  std::string found;
  for (const auto& h : header) found += (found.empty() ? "" : ", ") + h;
  for (std::size_t c = 0; c < columns.size(); ++c) {
    const std::string* mapped = nullptr;
    for (const auto& [canonical, src] : mapping)  // later entries (the request's) win
      if (column_key(canonical) == column_key(columns[c].name)) mapped = &src;
    if (mapped != nullptr) {
      m.index[c] = find_column(header, *mapped);
      if (!m.index[c]) {
        m.errors.push_back(error_entry("missing_column", Json::array({"body", "mapping", columns[c].name}),
                                       "The mapping names column \"" + *mapped + "\" for " + columns[c].name +
                                           ", but the input has no such column (it has: " + found + ").",
                                       Json(*mapped)));
        continue;
      }
    } else {
      m.index[c] = find_column(header, columns[c].name);
    }
    if (m.index[c]) {
      m.source_name[c] = header[*m.index[c]];
    } else if (columns[c].required) {
      m.errors.push_back(error_entry("missing_column", Json::array({"body", source_field(source)}),
                                     "Required column " + columns[c].name + " is missing (" + columns[c].description +
                                         "). The input has: " + (found.empty() ? "no columns" : found) +
                                         ". Name it so, or map it with \"mapping\": {\"" + columns[c].name +
                                         "\": \"<your column>\"}.",
                                     nullptr));
    }
  }
  return m;
}

bool parse_number(std::string_view text, double& out) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front()))) text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.remove_suffix(1);
  if (text.empty() || text.size() > 64) return false;
  for (char c : text)
    if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || c == '-' || c == '+' || c == 'e' || c == 'E'))
      return false;
  char buf[72];
  text.copy(buf, text.size());
  buf[text.size()] = '\0';
  char* end = nullptr;
  errno = 0;
  const double v = std::strtod(buf, &end);
  if (end != buf + text.size() || !std::isfinite(v)) return false;
  out = v;
  return true;
}

std::optional<OnError> parse_on_error(std::string_view text) {
  if (text == "reject") return OnError::Reject;
  if (text == "skip") return OnError::Skip;
  return std::nullopt;
}

void RowErrors::add(std::size_t line, std::string_view column, std::string_view type, std::string msg,
                    std::string_view input) {
  ++count_;
  if (listed_.size() >= kMaxListedRowErrors) return;
  Json loc = Json::array({"body", source_field(source_), line});
  if (!column.empty()) loc.push_back(std::string(column));
  std::string shown = utf8_safe(input.substr(0, 200));
  listed_.push_back(error_entry(type, std::move(loc), std::move(msg), Json(std::move(shown))));
}

std::vector<std::string> RowErrors::sentences() const {
  std::vector<std::string> out;
  for (const auto& e : listed_) {
    const Json& loc = e["loc"];
    std::string s = "Line " + std::to_string(loc[2].get<std::size_t>());
    if (loc.size() > 3) s += ", column " + loc[3].get<std::string>();
    s += ": " + e["msg"].get<std::string>();
    if (e["input"].is_string() && !e["input"].get_ref<const std::string&>().empty())
      s += " (input: \"" + e["input"].get<std::string>() + "\")";
    out.push_back(std::move(s));
  }
  if (count_ > listed_.size())
    out.push_back(std::to_string(count_ - listed_.size()) + " more bad rows are not listed.");
  return out;
}

std::string utf8_safe(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) >> 6) == 2;
    if (ok && n == 2) ok = c >= 0xC2;
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      out += "\xEF\xBF\xBD";  // U+FFFD
      ++i;
    }
  }
  return out;
}

Json RowCounts::to_json() const { return Json{{"read", read}, {"used", used}, {"rejected", rejected}}; }

}  // namespace pmkpi::records
