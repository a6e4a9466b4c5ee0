#pragma once
// The records import layer: what every "KPIs from records" engine (subscriptions, events) shares.
// Pure computation over text or JSON the caller already holds; no I/O.
//
//   Time and calendars
//     TimeZone::parse("UTC" | "+05:30" | "Europe/Paris")   fixed offsets and every IANA zone; the IANA
//                                                          table is compiled in (generated at build time
//                                                          from the system's tzdata), so it works in
//                                                          WebAssembly too
//     parse_timestamp(text, zone, unit, &instant)          ISO 8601 dates / date-times (Z, offsets, or no
//                                                          zone = read in `zone`), epoch numbers with a unit
//     Calendar{kind, zone, week_start}                     period_of(instant), start_of(period), name(period)
//   Reading rows
//     RowReader::csv(text) / json_array(records) / ndjson(text)
//                                                          one interface over RFC 4180 CSV (delimiter
//                                                          detection, BOM, quotes, CRLF), a JSON array of
//                                                          objects and NDJSON; rows stream one at a time
//     resolve_columns(header, columns, mapping)            canonical column -> source column (trimmed,
//                                                          case-insensitive), after a preset's mapping and
//                                                          the request's own
//     detect_preset(presets, header)                       the preset whose signature columns all appear
//   Errors and counts
//     RowErrors                                            up to 20 listed row errors in the 422 shape of
//                                                          RECORDS.md (loc ["body", source, line, column]),
//                                                          every error counted; rows read/used/rejected
//     parse_number(text, &value)                           strict decimal numbers
//
// The API is additive-only from its first publication (branch `records-import`).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pmkpi/json.hpp"
#include "pmkpi/validation.hpp"

namespace pmkpi::records {

// ---- time ------------------------------------------------------------------------------------------

/** Microseconds since 1970-01-01T00:00:00Z. */
using Instant = std::int64_t;
inline constexpr Instant kMicrosPerSecond = 1000000;
inline constexpr Instant kMicrosPerDay = 86400 * kMicrosPerSecond;

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
std::int64_t days_from_civil(std::int64_t year, unsigned month, unsigned day);

struct CivilDate {
  std::int64_t year;
  unsigned month, day;
};
/** The date of a day number (inverse of days_from_civil). */
CivilDate civil_from_days(std::int64_t days);

/** A time zone: a fixed offset from UTC, or an IANA zone with its transitions. */
class TimeZone {
 public:
  TimeZone();  // UTC
  /**
   * "UTC", "Z", a fixed offset ("+05:30", "-08:00", "+0530", "UTC+2") or an IANA name ("Europe/Paris",
   * case-insensitive); nullopt when unknown.
   */
  static std::optional<TimeZone> parse(std::string_view name);
  /** Seconds east of UTC in force at `utc_seconds`. */
  std::int64_t offset_at(std::int64_t utc_seconds) const;
  /**
   * The UTC second of a local wall-clock second. Ambiguous times (the repeated hour in autumn) take
   * the earlier instant; times in a spring-forward gap are read with the offset before the gap.
   */
  std::int64_t to_utc(std::int64_t local_seconds) const;
  const std::string& name() const { return name_; }

  struct Rules;  // transitions of an IANA zone (internal)

 private:
  std::string name_;
  std::int64_t fixed_offset_ = 0;
  std::shared_ptr<const Rules> rules_;  // null for fixed offsets
};

/** Every IANA zone name the compiled-in table knows, sorted. */
std::vector<std::string> time_zone_names();

enum class TimestampUnit { None, Seconds, Millis, Micros };

/** "s", "ms", "us" (or empty for None); nullopt for anything else. */
std::optional<TimestampUnit> parse_timestamp_unit(std::string_view text);

/**
 * Parses a timestamp: `2024-03-01` (its first instant), `2024-03-01T10:00[:00[.123]]` or with a space
 * instead of `T`, followed by `Z`, `+02:00`, `+0200`, `+02` or ` UTC`, or nothing (read in `zone`); or,
 * when `unit` is not None, an epoch number in that unit. Surrounding spaces are ignored. False when the
 * text is not a valid timestamp (month 13, February 30th, ...).
 */
bool parse_timestamp(std::string_view text, const TimeZone& zone, TimestampUnit unit, Instant& out);

enum class PeriodKind { Day, Week, Month, Quarter };

/** "day", "week", "month", "quarter"; nullopt otherwise. */
std::optional<PeriodKind> parse_period_kind(std::string_view text);
/** The name parse_period_kind reads: "day", "week", "month", "quarter". */
const char* period_name(PeriodKind kind);

/** "monday" .. "sunday" -> 0 .. 6 (days after Monday); nullopt otherwise. */
std::optional<int> parse_week_start(std::string_view text);

/** Calendar periods in a time zone. Period numbers are consecutive integers (P + 1 follows P). */
struct Calendar {
  PeriodKind kind = PeriodKind::Month;
  TimeZone zone;
  int week_start = 0;  // days after Monday

  /** The period holding an instant. */
  std::int64_t period_of(Instant t) const;
  /** The period holding a local date (day number since 1970-01-01). */
  std::int64_t period_of_day(std::int64_t local_day) const;
  /** The first instant of a period (local midnight of its first day). */
  Instant start_of(std::int64_t period) const;
  /** Its first day (day number). */
  std::int64_t first_day(std::int64_t period) const;
  /** `2024-03` (month), `2024-Q1` (quarter), `2024-03-04` (day, week: the first day). */
  std::string name(std::int64_t period) const;
  /** Periods in a year: 12, 4, 52 (week), 365 (day); the "12 months earlier" distance. */
  int per_year() const;
};

// ---- numbers ---------------------------------------------------------------------------------------

/** A decimal number (`29`, `-1.5`, `1e3`), surrounding spaces allowed; no hex, NaN or infinity. */
bool parse_number(std::string_view text, double& out);

// ---- reading rows ----------------------------------------------------------------------------------

/** Which field of the request body rows come from: "csv", "records" or "ndjson" (for error locations). */
enum class SourceKind { Csv, Records, Ndjson };
const char* source_field(SourceKind kind);

/** A fatal problem of the input as a whole (not CSV, no header, no rows): answered with one 422 entry. */
struct InputError {
  std::string type;  // csv_invalid, json_invalid, missing_header, no_rows, ...
  std::string msg;
  Json loc;    // ["body", "csv"] or ["body", "csv", line]
  Json input;  // a short excerpt, or null
};

/**
 * One row: the text of each header column (empty when absent or null), views valid until the next
 * call of RowReader::next. JSON values that are not strings are given as their JSON text (`29.5`,
 * `true`); `present(i)` is false for an absent or null JSON value and an empty CSV cell.
 */
class Row {
 public:
  std::size_t size() const { return cells_.size(); }
  std::string_view cell(std::size_t column) const {
    return column < cells_.size() ? cells_[column] : std::string_view();
  }
  bool present(std::size_t column) const { return !cell(column).empty(); }
  /** 1-based number of the data row (the header is not counted). */
  std::size_t line = 0;

 private:
  friend class RowReader;
  std::vector<std::string_view> cells_;
  std::vector<std::string> owned_;  // unescaped quoted cells and JSON scalars
};

/** Streams rows from CSV text, a JSON array of objects, or NDJSON text. */
class RowReader {
 public:
  /** RFC 4180 CSV; the delimiter (`,` `;` or tab) is detected from the header line; a UTF-8 BOM is skipped. */
  static RowReader csv(std::string_view text);
  /** A JSON array of objects (`records`); the header is every key, in order of first appearance. */
  static RowReader json_array(const Json& records);
  /** One JSON object per line; the header is the first object's keys, extended as new keys appear. */
  static RowReader ndjson(std::string_view text);

  RowReader(RowReader&&) noexcept;
  RowReader& operator=(RowReader&&) noexcept;
  ~RowReader();

  SourceKind kind() const;
  /** Set when the input as a whole is unusable (checked after construction and after next() ends). */
  const std::optional<InputError>& error() const;
  /** The source's column names, trimmed, as written. */
  const std::vector<std::string>& header() const;
  /** The detected CSV delimiter (',' for JSON sources). */
  char delimiter() const;
  /**
   * The next row; false at the end of the input or on a fatal error (error() says which). A row that is
   * not a JSON object (records, NDJSON) is given with no cells and `row_error()` set.
   */
  bool next(Row& row);
  /** Why the last row is unusable as a whole (a JSON array item that is not an object), or empty. */
  const std::string& row_error() const;
  /** Bytes consumed so far and in total (progress of text sources; items for records). */
  std::size_t position() const;
  std::size_t total() const;

  struct Impl;

 private:
  explicit RowReader(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

/** Trimmed, ASCII-lowercased text: the key columns are matched by. */
std::string column_key(std::string_view name);

/**
 * Bounds of a records report, so that two rows dated in the year 1 and in 9999 get a 422 naming
 * the span instead of a report of millions of periods: the days of the events engine's daily
 * figures, and the periods of any cohort matrix (its cells grow with the square of them: the
 * subscriptions engine's months, weeks or quarters, the events engine's retention periods).
 */
inline constexpr std::int64_t kMaxReportPeriods = 5001;
inline constexpr std::int64_t kMaxCohortPeriods = 1000;

/** A canonical column an engine reads. */
struct ColumnSpec {
  std::string name;
  bool required = false;
  std::string description;
};

/** A named mapping plus its conventions (documented in `description`). */
struct Preset {
  std::string name;
  std::string description;
  std::vector<std::pair<std::string, std::string>> mapping;  // canonical -> source column
  std::vector<std::string> signature;                        // source columns whose presence identifies the preset
};

/** The first preset (in order) whose every signature column is in `header`; nullptr if none. */
const Preset* detect_preset(const std::vector<Preset>& presets, const std::vector<std::string>& header);

/** Where each canonical column is in the source, or the 422 entries that say what is missing. */
struct ColumnMap {
  std::vector<std::optional<std::size_t>> index;  // per ColumnSpec, in order: the source column
  std::vector<std::string> source_name;           // its name as the source writes it ("" when absent)
  Json errors = Json::array();                    // missing required columns, mapped columns not found
  bool ok() const { return errors.empty(); }
};

/**
 * Resolves every canonical column: a mapping entry (the request's over the preset's) names its source
 * column; otherwise a source column of the canonical name itself. A required column that resolves to
 * nothing, or a mapping naming a column the header lacks, is a `missing_column` entry with
 * loc ["body", <source field>] (or ["body", "mapping", <canonical>]).
 */
ColumnMap resolve_columns(const std::vector<std::string>& header, const std::vector<ColumnSpec>& columns,
                          const std::vector<std::pair<std::string, std::string>>& mapping, SourceKind source);

/** The source index of a column named `name` (matched as column_key does), or nullopt. */
std::optional<std::size_t> find_column(const std::vector<std::string>& header, std::string_view name);

// ---- errors and counts -----------------------------------------------------------------------------

enum class OnError { Reject, Skip };
/** "reject" / "skip"; nullopt otherwise. */
std::optional<OnError> parse_on_error(std::string_view text);

inline constexpr std::size_t kMaxListedRowErrors = 20;

/** Row errors of one request: the first 20 listed, all counted. */
class RowErrors {
 public:
  explicit RowErrors(SourceKind source) : source_(source) {}
  /** Records one error; `column` is the source column name (empty for the row as a whole). */
  void add(std::size_t line, std::string_view column, std::string_view type, std::string msg, std::string_view input);
  std::size_t count() const { return count_; }
  /** The listed entries: {"type", "loc": ["body", source, line, column], "msg", "input"}. */
  const Json& listed() const { return listed_; }
  /** The same entries as warning sentences: "line 3, column amount: ... (input: "abc")". */
  std::vector<std::string> sentences() const;

 private:
  SourceKind source_;
  std::size_t count_ = 0;
  Json listed_ = Json::array();
};

/** rows.read = rows.used + rows.rejected, always. */
struct RowCounts {
  std::size_t read = 0, used = 0, rejected = 0;
  Json to_json() const;
};

/** `s` with every invalid UTF-8 byte replaced by U+FFFD (input echoed into JSON must be valid UTF-8). */
std::string utf8_safe(std::string_view s);

/** The 422 body of a list of entries: {"detail": [...]}. */
Json unprocessable(Json entries);

/** One 422 entry in the shape of RECORDS.md: the core's own (validation.hpp). */
using pmkpi::error_entry;

}  // namespace pmkpi::records

// ---- subscriptions (RECORDS.md "Subscriptions") ---------------------------------------------------

namespace pmkpi::records {

/** The canonical columns of a subscription export, in RECORDS.md's order (plus Stripe's status pair). */
const std::vector<ColumnSpec>& subscription_columns();

/** `generic` (the canonical names) and `stripe` (the dashboard's subscription export), detection order. */
const std::vector<Preset>& subscription_presets();

/** The request options of /records/subscriptions, already parsed. */
struct SubscriptionOptions {
  std::string preset;                                        // empty: detected from the header
  std::vector<std::pair<std::string, std::string>> mapping;  // canonical -> source column
  std::string currency = "USD";                              // the reporting currency
  std::vector<std::pair<std::string, double>> rates;         // currency -> multiplier to `currency`
  Calendar calendar;                                         // period kind, time zone, week start
  std::string from, to, as_of;                               // timestamps (empty: not given)
  std::string segment_by;                                    // a source column (empty: none)
  OnError on_error = OnError::Reject;
  TimestampUnit timestamp_unit = TimestampUnit::None;
};

struct RecordsOutcome {
  int status = 200;
  Json body;
};

/**
 * Every figure of RECORDS.md's Subscriptions section from the rows of `reader`: periods[], cohorts,
 * survival, per-segment periods, rows and warnings (summary bands are added by the route). A 422 body
 * in RECORDS.md's shape for unusable input. Memory grows with subscriptions and customers, not with
 * the text.
 */
RecordsOutcome analyze_subscriptions(RowReader& reader, const SubscriptionOptions& options);

}  // namespace pmkpi::records
