// The subscriptions engine, first half: columns, presets, and reading rows into MRR changes.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <limits>
#include <set>
#include <unordered_map>

#include "pmkpi/detail/key_index.hpp"
#include "subscriptions_internal.hpp"

namespace pmkpi::records {

namespace {
enum Col : std::size_t {
  kCustomer,
  kSubscription,
  kAmount,
  kInterval,
  kIntervalCount,
  kQuantity,
  kCurrency,
  kStart,
  kEnd,
  kTrialEnd,
  kStatus,
  kCanceledAt,
  kColumnCount
};
}  // namespace

const std::vector<ColumnSpec>& subscription_columns() {
  static const std::vector<ColumnSpec> cols{
      {"customer_id", true, "the paying account"},
      {"subscription_id", false, "default: the data line number"},
      {"amount", true, "price per billing interval in major currency units, >= 0, before quantity"},
      {"interval", false, "day, week, month (default), quarter or year"},
      {"interval_count", false, "integer >= 1, default 1 (3 + month is billed every 3 months)"},
      {"quantity", false, "number >= 0, default 1 (seats)"},
      {"currency", false, "ISO 4217 code; default the request's currency"},
      {"start", true, "the first instant the subscription is in force"},
      {"end", false, "the first instant it is no longer in force; empty = still active; >= start"},
      {"trial_end", false, "before this instant the subscription is a trial and counts no revenue"},
      {"status", false, "billing status; with `canceled` and no `end`, `canceled_at` is the end (Stripe)"},
      {"canceled_at", false, "when the cancellation took effect, read as `end` for a canceled status"},
  };
  return cols;
}

const std::vector<Preset>& subscription_presets() {
  static const std::vector<Preset> presets{
      {"stripe",
       "Stripe's dashboard subscription export. `Customer ID` is the customer; `id` the subscription; `Amount` "
       "the plan price per interval in major units and `Quantity` its seats; `Currency` and `Interval` as "
       "written (`month`, `year`, ...); `Start (UTC)` the start; `Trial End (UTC)` the end of the trial (no "
       "revenue before it); `Ended At (UTC)` the end (the subscription no longer bills). A `canceled` "
       "subscription without `Ended At` ends at `Canceled At (UTC)`; `incomplete_expired` ones never billed "
       "and count no revenue. `Plan` is a natural segment_by. Times are UTC.",
       {{"customer_id", "Customer ID"},
        {"subscription_id", "id"},
        {"amount", "Amount"},
        {"interval", "Interval"},
        {"quantity", "Quantity"},
        {"currency", "Currency"},
        {"start", "Start (UTC)"},
        {"end", "Ended At (UTC)"},
        {"trial_end", "Trial End (UTC)"},
        {"status", "Status"},
        {"canceled_at", "Canceled At (UTC)"}},
       {"Customer ID", "Start (UTC)", "Amount"}},
      {"generic",
       "The canonical column names of RECORDS.md (customer_id, amount, start, ...).",
       {},
       {"customer_id", "amount", "start"}},
  };
  return presets;
}

namespace detail {
namespace {

constexpr double kZero = 1e-9;  // |MRR| below this is 0: cancelling sums leave rounding dust

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string lower(std::string_view s) {
  std::string out(trim(s));
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

/** Monthly factor of a billing interval, or a negative number when unknown. */
double interval_factor(std::string_view raw) {
  raw = trim(raw);
  if (raw.empty() || raw == "month") return 1.0;  // the common case, without a copy
  const std::string s = lower(raw);
  if (s.empty() || s == "month" || s == "monthly" || s == "months") return 1.0;
  if (s == "year" || s == "yearly" || s == "annual" || s == "annually" || s == "years") return 1.0 / 12.0;
  if (s == "quarter" || s == "quarterly" || s == "quarters") return 1.0 / 3.0;
  if (s == "week" || s == "weekly" || s == "weeks") return 52.0 / 12.0;
  if (s == "day" || s == "daily" || s == "days") return 365.0 / 12.0;
  return -1;
}

struct Reading {
  const SubscriptionOptions& o;
  const ColumnMap& cols;
  RowErrors& errors;
  Ledger& ledger;
  std::set<std::string> missing_rates;
  std::optional<std::size_t> segment_column;
  KeyIndex customer_index;
  KeyIndex segment_index;
  std::unordered_map<std::uint64_t, std::uint32_t> pair_index;
  std::string key_buffer;
};

std::string column_name(const Reading& r, std::size_t c) {
  return r.cols.source_name[c].empty() ? subscription_columns()[c].name : r.cols.source_name[c];
}

std::string_view cell(const Reading& r, const Row& row, std::size_t c) {
  return r.cols.index[c] ? trim(row.cell(*r.cols.index[c])) : std::string_view();
}

/** One timestamp cell; false (with an error recorded) when present and invalid. */
bool read_time(Reading& r, const Row& row, std::size_t c, std::optional<Instant>& out) {
  const std::string_view text = cell(r, row, c);
  if (text.empty()) return true;
  Instant t = 0;
  if (!parse_timestamp(text, r.o.calendar.zone, r.o.timestamp_unit, t)) {
    r.errors.add(row.line, column_name(r, c), "datetime_parsing",
                 "Input should be a valid date or date-time (ISO 8601: 2024-03-01, 2024-03-01T10:00:00Z" +
                     std::string(r.o.timestamp_unit == TimestampUnit::None ? "; epoch numbers need \"timestamp_unit\")"
                                                                           : ", or an epoch number)"),
                 text);
    return false;
  }
  out = t;
  return true;
}

bool read_number(Reading& r, const Row& row, std::size_t c, double fallback, double min, bool integer, double& out) {
  const std::string_view text = cell(r, row, c);
  out = fallback;
  if (text.empty()) return true;
  if (!parse_number(text, out)) {
    r.errors.add(row.line, column_name(r, c), "float_parsing",
                 "Input should be a valid number, unable to parse string as a number", text);
    return false;
  }
  if (integer && std::floor(out) != out) {
    r.errors.add(row.line, column_name(r, c), "int_parsing", "Input should be a valid integer", text);
    return false;
  }
  if (out < min) {
    r.errors.add(row.line, column_name(r, c), min > 0 ? "greater_than_equal" : "greater_than_equal",
                 "Input should be greater than or equal to " + std::string(min > 0 ? "1" : "0"), text);
    return false;
  }
  return true;
}

struct Parsed {
  std::string_view customer, currency_text;
  double mrr = 0;
  Instant start = 0;
  std::optional<Instant> end, trial_end;
  std::string currency;
};

/** Monthly amount and currency of a row; false with errors recorded. */
bool read_money(Reading& r, const Row& row, Parsed& p) {
  double amount = 0, count = 1, quantity = 1;
  bool ok = true;
  if (cell(r, row, kAmount).empty()) {
    r.errors.add(row.line, column_name(r, kAmount), "missing", "Field required: the amount is empty", "");
    ok = false;
  } else {
    ok = read_number(r, row, kAmount, 0, 0, false, amount) && ok;
  }
  ok = read_number(r, row, kIntervalCount, 1, 1, true, count) && ok;
  ok = read_number(r, row, kQuantity, 1, 0, false, quantity) && ok;
  const double f = interval_factor(cell(r, row, kInterval));
  if (f < 0) {
    r.errors.add(row.line, column_name(r, kInterval), "enum",
                 "Input should be 'day', 'week', 'month', 'quarter' or 'year'", cell(r, row, kInterval));
    ok = false;
  }
  const std::string_view cur = cell(r, row, kCurrency);
  p.currency = cur.empty() ? r.o.currency : std::string(cur);
  for (char& ch : p.currency) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  const bool code = p.currency.size() == 3 &&
                    std::all_of(p.currency.begin(), p.currency.end(), [](char ch) { return ch >= 'A' && ch <= 'Z'; });
  if (!code) {
    r.errors.add(row.line, column_name(r, kCurrency), "currency_invalid",
                 "Input should be an ISO 4217 currency code of three letters (USD, EUR, ...)", cur);
    ok = false;
  }
  if (!ok) return false;
  double rate = 1.0;
  if (p.currency != r.o.currency) {
    const auto it =
        std::find_if(r.o.rates.begin(), r.o.rates.end(), [&](const auto& kv) { return kv.first == p.currency; });
    if (it == r.o.rates.end()) {
      r.missing_rates.insert(p.currency);
    } else {
      rate = it->second;
    }
  }
  p.mrr = amount * quantity * f / count * rate;
  if (!(p.mrr <= kMaxMrr)) {  // also catches an infinity from amount x quantity
    r.errors.add(row.line, column_name(r, kAmount), "less_than_equal",
                 "Input should give a monthly amount of at most 1e15 (amount x quantity, per month)",
                 cell(r, row, kAmount));
    return false;
  }
  return true;
}

bool read_times(Reading& r, const Row& row, Parsed& p) {
  std::optional<Instant> start, canceled;
  bool ok = true;
  if (cell(r, row, kStart).empty()) {
    r.errors.add(row.line, column_name(r, kStart), "missing", "Field required: the start is empty", "");
    ok = false;
  } else {
    ok = read_time(r, row, kStart, start) && ok;
  }
  ok = read_time(r, row, kEnd, p.end) && ok;
  ok = read_time(r, row, kTrialEnd, p.trial_end) && ok;
  ok = read_time(r, row, kCanceledAt, canceled) && ok;
  if (!ok) return false;
  p.start = *start;
  const std::string_view status_text = cell(r, row, kStatus);
  const std::string status = status_text.empty() ? std::string() : lower(status_text);
  if (!p.end && status == "canceled" && canceled) p.end = canceled;
  if (status == "incomplete_expired" || status == "incomplete") p.end = p.start;  // never billed
  if (p.end && *p.end < p.start) {
    r.errors.add(row.line, column_name(r, kEnd), "value_error",
                 "Value error, end is before start (" + std::string(cell(r, row, kStart)) + ")", cell(r, row, kEnd));
    return false;
  }
  return true;
}

std::uint32_t intern(KeyIndex& index, std::string_view key) { return index.intern(key); }

void add_changes(std::vector<Change>& out, std::uint32_t key, std::int64_t from, std::optional<std::int64_t> to,
                 double mrr) {
  if (to && *to <= from) return;
  if (std::fabs(mrr) < kZero) return;
  out.push_back({key, static_cast<std::int32_t>(from), mrr});
  if (to) out.push_back({key, static_cast<std::int32_t>(*to), -mrr});
}

void record(Reading& r, const Row& row, const Parsed& p) {
  Ledger& l = r.ledger;
  const Calendar& cal = r.o.calendar;
  std::int64_t from = cal.period_of(p.start);
  if (p.trial_end) from = std::max(from, cal.period_of(*p.trial_end));
  std::optional<std::int64_t> to;
  if (p.end) to = cal.period_of(*p.end);
  l.first_period = std::min(l.first_period.value_or(cal.period_of(p.start)), cal.period_of(p.start));
  Instant latest = p.start;
  if (p.end) latest = std::max(latest, *p.end);
  if (p.trial_end) latest = std::max(latest, *p.trial_end);
  l.latest = std::max(l.latest.value_or(latest), latest);
  const std::uint32_t customer = intern(r.customer_index, p.customer);
  add_changes(l.changes, customer, from, to, p.mrr);
  if (!r.segment_column) return;
  std::string_view seg = trim(row.cell(*r.segment_column));
  const std::string name = seg.empty() ? std::string("(none)") : std::string(seg);
  const std::uint32_t s = intern(r.segment_index, name);
  if (s == l.segments.size()) l.segments.push_back(utf8_safe(name));
  const std::uint64_t pair_key = (static_cast<std::uint64_t>(s) << 32) | customer;
  auto [it, fresh] = r.pair_index.emplace(pair_key, static_cast<std::uint32_t>(r.pair_index.size()));
  if (fresh) {
    l.pair_segment.push_back(s);
    l.pair_customer.push_back(customer);
  }
  add_changes(l.segment_changes, it->second, from, to, p.mrr);
}

/** Reads every row; returns the number of rejected rows. */
std::size_t read_rows(RowReader& reader, Reading& r, RowCounts& counts) {
  Row row;
  while (reader.next(row)) {
    ++counts.read;
    const std::size_t before = r.errors.count();
    if (!reader.row_error().empty()) {
      r.errors.add(row.line, "", reader.kind() == SourceKind::Csv ? "csv_row" : "json_row", reader.row_error(), "");
    } else {
      Parsed p;
      p.customer = cell(r, row, kCustomer);
      if (p.customer.empty())
        r.errors.add(row.line, column_name(r, kCustomer), "missing", "Field required: the customer_id is empty", "");
      const bool money = read_money(r, row, p);
      const bool times = read_times(r, row, p);
      if (!p.customer.empty() && money && times) {
        record(r, row, p);
        ++counts.used;
        continue;
      }
    }
    if (r.errors.count() > before) ++counts.rejected;
  }
  return counts.rejected;
}

}  // namespace
}  // namespace detail

namespace {

/** The "no header" case: the first line looks like data (a date or a number in it). */
bool header_looks_like_data(const std::vector<std::string>& header) {
  for (const auto& h : header) {
    double v = 0;
    Instant t = 0;
    if (parse_number(h, v) || parse_timestamp(h, TimeZone(), TimestampUnit::None, t)) return true;
  }
  return false;
}

RecordsOutcome input_error(const InputError& e) {
  return {422, unprocessable(Json::array({error_entry(e.type, e.loc, e.msg, e.input)}))};
}

}  // namespace

namespace detail {

std::optional<RecordsOutcome> read_subscriptions(RowReader& reader, const SubscriptionOptions& o,
                                                 SubscriptionsShard& shard, bool with_ids) {
  if (reader.error()) return input_error(*reader.error());
  const auto& presets = subscription_presets();
  const Preset* preset = nullptr;
  if (!o.preset.empty()) {
    for (const auto& p : presets)
      if (p.name == o.preset) preset = &p;
  } else {
    preset = detect_preset(presets, reader.header());
  }
  std::vector<std::pair<std::string, std::string>> mapping = preset ? preset->mapping : decltype(mapping){};
  mapping.insert(mapping.end(), o.mapping.begin(), o.mapping.end());
  const ColumnMap cols = resolve_columns(reader.header(), subscription_columns(), mapping, reader.kind());
  if (!cols.ok()) {
    if (reader.kind() == SourceKind::Csv && header_looks_like_data(reader.header()))
      return input_error({"missing_header",
                          "The first line is not a header: it holds data (" + utf8_safe(reader.header()[0]) +
                              ", ...). The first line must name the columns: customer_id, amount, start, ...",
                          Json::array({"body", "csv", 1}), nullptr});
    return RecordsOutcome{422, unprocessable(cols.errors)};
  }
  Ledger& ledger = shard.ledger;
  RowErrors errors(reader.kind());
  Reading r{o, cols, errors, ledger, {}, {}, {}, {}, {}, {}};
  if (!o.segment_by.empty()) {
    r.segment_column = find_column(reader.header(), o.segment_by);
    if (!r.segment_column)
      return RecordsOutcome{422, unprocessable(Json::array({error_entry(
                                     "missing_column", Json::array({"body", "segment_by"}),
                                     "segment_by names column \"" + o.segment_by + "\", which the input does not have.",
                                     Json(o.segment_by))}))};
  }
  ReportInputs& in = shard.inputs;
  read_rows(reader, r, in.counts);
  if (reader.error()) return input_error(*reader.error());
  if (errors.count() > 0 && o.on_error == OnError::Reject) return RecordsOutcome{422, unprocessable(errors.listed())};
  for (auto& sentence : errors.sentences()) in.warnings.push_back(std::move(sentence));
  in.missing_rates = std::move(r.missing_rates);
  in.preset = preset ? Json(preset->name) : Json(nullptr);
  for (std::size_t c = 0; c < cols.index.size(); ++c)
    if (cols.index[c]) in.mapping[subscription_columns()[c].name] = cols.source_name[c];
  if (with_ids)
    for (std::uint32_t id = 0; id < r.customer_index.size(); ++id)
      shard.customer_ids.emplace_back(r.customer_index.at(id));
  return std::nullopt;
}

}  // namespace detail

RecordsOutcome analyze_subscriptions(RowReader& reader, const SubscriptionOptions& o) {
  detail::SubscriptionsShard shard;
  if (auto bad = detail::read_subscriptions(reader, o, shard, false)) return *bad;
  return detail::report(o, shard.ledger, shard.inputs);
}

}  // namespace pmkpi::records
