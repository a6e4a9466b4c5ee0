// Row readers of the records import layer: RFC 4180 CSV, a JSON array of objects, NDJSON.
#include <algorithm>
#include <cctype>

#include "../cancel.hpp"
#include "pmkpi/records.hpp"

namespace pmkpi::records {

struct RowReader::Impl {
  SourceKind kind = SourceKind::Csv;
  std::optional<InputError> error;
  std::vector<std::string> header;
  std::vector<std::string> header_keys;  // column_key of each header name
  char delimiter = ',';
  std::string row_error;
  std::size_t rows = 0;
  // text sources
  std::string_view text;
  std::size_t pos = 0;
  std::size_t physical_line = 1;
  // records
  const Json* records = nullptr;
  std::size_t item = 0;
  // ndjson: the line being read, kept alive for the row's views
  Json current;

  void add_header(std::string name) {
    header_keys.push_back(column_key(name));
    header.push_back(std::move(name));
  }
};

namespace {

std::string_view trim_view(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

/** The delimiter of the header line: the most frequent of , ; tab outside quotes (comma on ties). */
char detect_delimiter(std::string_view text) {
  std::size_t comma = 0, semi = 0, tab = 0;
  bool quoted = false;
  for (char c : text) {
    if (c == '"') quoted = !quoted;
    if (quoted) continue;
    if (c == '\n') break;
    comma += c == ',';
    semi += c == ';';
    tab += c == '\t';
  }
  if (semi > comma && semi >= tab) return ';';
  if (tab > comma && tab > semi) return '\t';
  return ',';
}

bool blank_line(std::string_view text, std::size_t pos) {
  for (std::size_t i = pos; i < text.size(); ++i) {
    if (text[i] == '\n') return true;
    if (text[i] != '\r' && text[i] != ' ' && text[i] != '\t') return false;
  }
  return true;
}

/**
 * Reads one CSV record from im.pos into cells (views into the text, or into `owned` for quoted cells
 * with "" escapes). False with im.error set on an unbalanced quote.
 */
bool read_record(RowReader::Impl& im, std::vector<std::string_view>& cells, std::vector<std::string>& owned) {
  cells.clear();
  owned.clear();
  const std::string_view t = im.text;
  std::size_t p = im.pos;
  std::vector<std::pair<std::size_t, std::size_t>> owned_at;  // cell -> owned string (set at the end)
  for (;;) {
    if (p < t.size() && t[p] == '"') {
      const std::size_t open_line = im.physical_line;
      std::size_t q = p + 1, start = q;
      bool escaped = false;
      for (;;) {
        const std::size_t close = t.find('"', q);
        if (close == std::string_view::npos) {
          im.error = InputError{"csv_invalid",
                                "The file is not valid CSV: the quoted field opened on line " +
                                    std::to_string(open_line) + " is never closed (unbalanced quote).",
                                Json::array({"body", "csv", open_line}), Json(std::string(t.substr(p, 40)))};
          return false;
        }
        im.physical_line += static_cast<std::size_t>(std::count(t.begin() + q, t.begin() + close, '\n'));
        if (close + 1 < t.size() && t[close + 1] == '"') {
          escaped = true;
          q = close + 2;
          continue;
        }
        std::string_view raw = t.substr(start, close - start);
        if (escaped) {
          std::string s;
          s.reserve(raw.size());
          for (std::size_t i = 0; i < raw.size(); ++i) {
            s.push_back(raw[i]);
            if (raw[i] == '"') ++i;  // "" -> "
          }
          owned.push_back(std::move(s));
          owned_at.emplace_back(cells.size(), owned.size() - 1);
          cells.emplace_back();
        } else {
          cells.push_back(raw);
        }
        p = close + 1;
        break;
      }
      // Anything between the closing quote and the delimiter (spaces) is ignored.
      while (p < t.size() && t[p] != im.delimiter && t[p] != '\n') ++p;
    } else {
      std::size_t e = p;
      while (e < t.size() && t[e] != im.delimiter && t[e] != '\n') ++e;
      std::string_view cell = t.substr(p, e - p);
      if (!cell.empty() && cell.back() == '\r' && (e == t.size() || t[e] == '\n')) cell.remove_suffix(1);
      cells.push_back(cell);
      p = e;
    }
    if (p >= t.size()) break;
    if (t[p] == '\n') {
      ++p;
      ++im.physical_line;
      break;
    }
    ++p;  // delimiter
  }
  // Pointed at only now: `owned` may have reallocated (moving short strings) while it grew.
  for (auto [cell, k] : owned_at) cells[cell] = owned[k];
  im.pos = p;
  return true;
}

std::string scalar_text(const Json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return std::string();
  return v.dump();
}

}  // namespace

RowReader::RowReader(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
RowReader::RowReader(RowReader&&) noexcept = default;
RowReader& RowReader::operator=(RowReader&&) noexcept = default;
RowReader::~RowReader() = default;

RowReader RowReader::csv(std::string_view text) {
  auto im = std::make_unique<Impl>();
  im->kind = SourceKind::Csv;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  im->text = text;
  // Leading blank lines are not a header.
  while (im->pos < text.size() && blank_line(text, im->pos)) {
    const std::size_t nl = text.find('\n', im->pos);
    if (nl == std::string_view::npos) {
      im->pos = text.size();
      break;
    }
    im->pos = nl + 1;
    ++im->physical_line;
  }
  if (im->pos >= text.size()) {
    im->error = InputError{"empty_file", "The file is empty: it has no header line and no data rows.",
                           Json::array({"body", "csv"}), nullptr};
    return RowReader(std::move(im));
  }
  im->delimiter = detect_delimiter(text.substr(im->pos));
  std::vector<std::string_view> cells;
  std::vector<std::string> owned;
  if (!read_record(*im, cells, owned)) return RowReader(std::move(im));
  // Quoted header cells may live in `owned`: copy every name.
  for (auto c : cells) im->add_header(std::string(trim_view(c)));
  return RowReader(std::move(im));
}

RowReader RowReader::json_array(const Json& records) {
  auto im = std::make_unique<Impl>();
  im->kind = SourceKind::Records;
  im->records = &records;
  if (!records.is_array()) {
    // The route's validation only lets arrays through; a direct caller gets the same clear error.
    im->error = InputError{"json_invalid", "records must be a JSON array of objects", Json::array({"body", "records"}),
                           nullptr};
    return RowReader(std::move(im));
  }
  std::vector<std::string> seen;
  for (const auto& r : records) {
    if (!r.is_object()) continue;
    for (const auto& [key, value] : r.items()) {
      (void)value;
      const std::string k = column_key(key);
      if (std::find(im->header_keys.begin(), im->header_keys.end(), k) == im->header_keys.end())
        im->add_header(std::string(trim_view(key)));
    }
  }
  return RowReader(std::move(im));
}

RowReader RowReader::ndjson(std::string_view text) {
  auto im = std::make_unique<Impl>();
  im->kind = SourceKind::Ndjson;
  if (text.size() >= 3 && text.substr(0, 3) == "\xEF\xBB\xBF") text.remove_prefix(3);
  im->text = text;
  // The first object names the columns; later objects may add more (appended as they appear).
  std::size_t p = 0;
  while (p < text.size()) {
    std::size_t nl = text.find('\n', p);
    if (nl == std::string_view::npos) nl = text.size();
    const std::string_view line = trim_view(text.substr(p, nl - p));
    p = nl + 1;
    if (line.empty()) continue;
    Json first = Json::parse(line, nullptr, false);
    if (first.is_object())
      for (const auto& [key, value] : first.items()) {
        (void)value;
        im->add_header(std::string(trim_view(key)));
      }
    break;
  }
  if (im->header.empty() && trim_view(text).empty())
    im->error =
        InputError{"empty_file", "The input is empty: it has no rows.", Json::array({"body", "ndjson"}), nullptr};
  return RowReader(std::move(im));
}

SourceKind RowReader::kind() const { return impl_->kind; }
const std::optional<InputError>& RowReader::error() const { return impl_->error; }
const std::vector<std::string>& RowReader::header() const { return impl_->header; }
char RowReader::delimiter() const { return impl_->delimiter; }
const std::string& RowReader::row_error() const { return impl_->row_error; }
std::size_t RowReader::position() const { return impl_->kind == SourceKind::Records ? impl_->item : impl_->pos; }
std::size_t RowReader::total() const {
  return impl_->kind == SourceKind::Records ? impl_->records->size() : impl_->text.size();
}

namespace {

/** Fills a row from a JSON object, adding unseen keys to the header (NDJSON). */
void object_row(RowReader::Impl& im, const Json& obj, std::vector<std::string_view>& cells,
                std::vector<std::string>& owned, bool extend_header) {
  if (extend_header)
    for (const auto& [key, value] : obj.items()) {
      (void)value;
      const std::string k = column_key(key);
      if (std::find(im.header_keys.begin(), im.header_keys.end(), k) == im.header_keys.end())
        im.add_header(std::string(trim_view(key)));
    }
  cells.assign(im.header.size(), std::string_view());
  owned.clear();
  owned.reserve(im.header.size());
  std::vector<std::pair<std::size_t, std::size_t>> owned_at;
  for (const auto& [key, value] : obj.items()) {
    const std::string k = column_key(key);
    const auto it = std::find(im.header_keys.begin(), im.header_keys.end(), k);
    if (it == im.header_keys.end()) continue;
    const std::size_t col = static_cast<std::size_t>(it - im.header_keys.begin());
    if (value.is_string()) {
      cells[col] = value.get_ref<const std::string&>();
    } else if (!value.is_null()) {
      owned.push_back(scalar_text(value));
      owned_at.emplace_back(col, owned.size() - 1);
    }
  }
  for (auto [col, k] : owned_at) cells[col] = owned[k];
}

}  // namespace

bool RowReader::next(Row& row) {
  Impl& im = *impl_;
  // Every importer reads through here: its handle() call may stop every 65,536 rows (cancel.hpp),
  // and a caller watching the progress hears how far the read got.
  if (im.rows != 0 && (im.rows & 0xFFFF) == 0) {
    pmkpi::detail::report_progress(position(), total());
    pmkpi::detail::stop_if_cancelled();
  }
  im.row_error.clear();
  if (im.error) return false;
  if (im.kind == SourceKind::Records) {
    if (im.records == nullptr || im.item >= im.records->size()) return false;
    const Json& r = (*im.records)[im.item++];
    row.line = ++im.rows;
    if (!r.is_object()) {
      row.cells_.clear();
      im.row_error = "The record is not a JSON object.";
      return true;
    }
    object_row(im, r, row.cells_, row.owned_, false);
    return true;
  }
  // Blank lines between records are not rows.
  while (im.pos < im.text.size() && blank_line(im.text, im.pos)) {
    const std::size_t nl = im.text.find('\n', im.pos);
    im.pos = nl == std::string_view::npos ? im.text.size() : nl + 1;
    ++im.physical_line;
  }
  if (im.pos >= im.text.size()) return false;
  row.line = ++im.rows;
  if (im.kind == SourceKind::Ndjson) {
    std::size_t nl = im.text.find('\n', im.pos);
    if (nl == std::string_view::npos) nl = im.text.size();
    const std::string_view line = trim_view(im.text.substr(im.pos, nl - im.pos));
    im.pos = nl + 1;
    ++im.physical_line;
    im.current = Json::parse(line, nullptr, false);
    if (!im.current.is_object()) {
      row.cells_.clear();
      im.row_error = im.current.is_discarded() ? "The line is not valid JSON." : "The line is not a JSON object.";
      return true;
    }
    object_row(im, im.current, row.cells_, row.owned_, true);
    return true;
  }
  row.owned_.reserve(im.header.size());
  if (!read_record(im, row.cells_, row.owned_)) return false;
  if (row.cells_.size() > im.header.size()) {
    for (std::size_t i = im.header.size(); i < row.cells_.size(); ++i)
      if (!trim_view(row.cells_[i]).empty()) {
        im.row_error = "The row has " + std::to_string(row.cells_.size()) + " fields; the header has " +
                       std::to_string(im.header.size()) + ".";
        break;
      }
  }
  return true;
}

}  // namespace pmkpi::records
