// Reading an event log into the events engine: columns, presets, row errors, and the banded answer.

#include <algorithm>

#include "events_partitioned.hpp"
#include "events_totals.hpp"
#include "pmkpi/catalog.hpp"

namespace pmkpi::records {

const std::vector<ColumnSpec>& event_columns() {
  static const std::vector<ColumnSpec> columns = {
      {"user_id", true, "the user (or anonymous id) who did the event"},
      {"timestamp", true, "when: ISO 8601, or an epoch number with timestamp_unit"},
      {"event", true, "the event's name"},
      {"session_id", false, "when present, defines sessions instead of the timeout"},
  };
  return columns;
}

const std::vector<Preset>& event_presets() {
  // Most specific first: detection takes the first preset whose signature columns are all there.
  static const std::vector<Preset> presets = {
      {"ga4",
       "Google Analytics 4's BigQuery export, flattened: user_pseudo_id, event_timestamp in microseconds, "
       "event_name, ga_session_id (when present) as the session.",
       {{"user_id", "user_pseudo_id"},
        {"timestamp", "event_timestamp"},
        {"event", "event_name"},
        {"session_id", "ga_session_id"}},
       {"user_pseudo_id", "event_timestamp", "event_name"}},
      {"posthog",
       "PostHog's event export: distinct_id, timestamp, event; sessions from the timeout.",
       {{"user_id", "distinct_id"}, {"timestamp", "timestamp"}, {"event", "event"}},
       {"distinct_id", "timestamp", "event"}},
      {"segment",
       "Segment's track calls: userId, or anonymousId where userId is empty; timestamp; event.",
       {{"user_id", "userId"}, {"timestamp", "timestamp"}, {"event", "event"}},
       {"anonymousId", "timestamp", "event"}},
      {"generic",
       "The canonical columns: user_id, timestamp, event, and session_id when present.",
       {{"user_id", "user_id"}, {"timestamp", "timestamp"}, {"event", "event"}, {"session_id", "session_id"}},
       {"user_id", "timestamp", "event"}},
  };
  return presets;
}

namespace {

const Preset* preset_named(std::string_view name) {
  for (const auto& p : event_presets())
    if (p.name == name) return &p;
  return nullptr;
}

// The preset's mapping, keeping optional columns only where the header has them (a GA4 export
// without ga_session_id is still a GA4 export), then the request's mapping over it.
std::vector<std::pair<std::string, std::string>> effective_mapping(const Preset* preset,
                                                                   const std::vector<std::string>& header,
                                                                   const EventsRequest& request) {
  std::vector<std::pair<std::string, std::string>> out;
  if (preset != nullptr) {
    for (const auto& [canonical, source] : preset->mapping) {
      const bool required = canonical != "session_id";
      std::string column = source;
      if (preset->name == "segment" && canonical == "user_id" && !find_column(header, "userId")) column = "anonymousId";
      if (required || find_column(header, column)) out.emplace_back(canonical, column);
    }
  }
  for (const auto& entry : request.mapping) {
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& e) { return e.first == entry.first; });
    if (it != out.end()) {
      it->second = entry.second;
    } else {
      out.push_back(entry);
    }
  }
  return out;
}

EventsAnswer unprocessable_one(const InputError& e) {
  return {422, unprocessable(Json::array({error_entry(e.type, e.loc, e.msg, e.input)}))};
}

struct Reading {
  RowCounts rows;
  RowErrors errors;
};

void read_rows(RowReader& reader, const ColumnMap& columns, std::optional<std::size_t> fallback_user,
               TimestampUnit unit, const EventsRequest& request, detail::PartitionedEvents& engine, Reading& out) {
  const std::size_t user = *columns.index[0], ts = *columns.index[1], ev = *columns.index[2];
  const std::optional<std::size_t> session = columns.index[3];
  Row row;
  while (reader.next(row)) {
    ++out.rows.read;
    const std::size_t before = out.errors.count();
    if (!reader.row_error().empty()) {
      out.errors.add(row.line, "", "row_invalid", reader.row_error(), "");
      continue;
    }
    std::string_view who = row.cell(user);
    if (who.empty() && fallback_user) who = row.cell(*fallback_user);
    if (who.empty()) out.errors.add(row.line, columns.source_name[0], "missing", "The user is empty.", "");
    Instant t = 0;
    if (!parse_timestamp(row.cell(ts), request.zone, unit, t))
      out.errors.add(row.line, columns.source_name[1], "timestamp_invalid",
                     unit == TimestampUnit::None ? "Not an ISO 8601 date or date-time."
                                                 : "Not an epoch number in the timestamp_unit.",
                     row.cell(ts));
    if (!row.present(ev)) out.errors.add(row.line, columns.source_name[2], "missing", "The event name is empty.", "");
    if (out.errors.count() != before) continue;
    ++out.rows.used;
    engine.add(who, t, row.cell(ev), session ? row.cell(*session) : std::string_view());
  }
  engine.flush();
  out.rows.rejected = out.rows.read - out.rows.used;
}

Json band_of(const char* path, const Json& value) {
  const RouteSpec* route = find_route(path);
  Json out = {{"route", path}, {"status", nullptr}, {"label", nullptr}};
  if (route == nullptr || !value.is_number()) return out;
  if (const Band* band = band_for(*route, value.get<double>())) {
    out["status"] = band->status;
    out["label"] = band->label;
  }
  return out;
}

Json banded(Json body, const EventsOptions& options) {
  Json& s = body["summary"];
  s["bands"] = {
      {"stickiness", band_of("/metrics/dau-mau", s["stickiness"])},
      {"bounce_rate", band_of("/metrics/bounce-rate", s["bounce_rate"])},
      {"average_session_duration_seconds", band_of("/metrics/session-duration", s["average_session_duration_seconds"])},
      {"sessions_per_user", band_of("/metrics/sessions-per-user", s["sessions_per_user"])}};
  for (auto& f : body["features"]) f["status"] = band_of("/metrics/feature-adoption", f["adoption_rate"])["status"];
  if (body.contains("activation")) {
    body["activation"]["status"] = band_of("/metrics/activation-rate", body["activation"]["activation_rate"])["status"];
  }
  body["session_timeout_minutes"] = static_cast<double>(options.session_timeout_us) / 6e7;
  return body;
}

// Reads every row into `engine`: a 422 when the input, its columns or (under on_error "reject") a
// row is unusable.
std::optional<EventsAnswer> read_events(RowReader& reader, const EventsRequest& request,
                                        detail::PartitionedEvents& engine, Reading& reading, const Preset*& preset) {
  if (reader.error()) return unprocessable_one(*reader.error());
  const auto& header = reader.header();
  preset = request.preset.empty() ? detect_preset(event_presets(), header) : preset_named(request.preset);
  const auto mapping = effective_mapping(preset, header, request);
  const ColumnMap columns = resolve_columns(header, event_columns(), mapping, reader.kind());
  if (!columns.ok()) return EventsAnswer{422, unprocessable(columns.errors)};
  std::optional<std::size_t> fallback_user;
  if (preset != nullptr && preset->name == "segment" && columns.source_name[0] != "anonymousId")
    fallback_user = find_column(header, "anonymousId");
  TimestampUnit unit = TimestampUnit::None;
  if (request.timestamp_unit) {
    unit = *request.timestamp_unit;
  } else if (preset != nullptr && preset->name == "ga4") {
    unit = TimestampUnit::Micros;
  }
  read_rows(reader, columns, fallback_user, unit, request, engine, reading);
  if (reader.error()) return unprocessable_one(*reader.error());
  if (reading.errors.count() > 0 && request.on_error == OnError::Reject)
    return EventsAnswer{422, unprocessable(reading.errors.listed())};
  if (auto problem = engine.span_problem()) return unprocessable_one(*problem);
  return std::nullopt;
}

}  // namespace

namespace detail {

EventsAnswer events_answer(const EventsTotals& totals, const EventsShard& shard) {
  if (totals.users > 0)
    if (auto problem = events_span_problem(totals.first_day, totals.last_day, shard.options, shard.zone))
      return unprocessable_one(*problem);
  if (shard.rows.used == 0) {
    const char* msg = shard.rows.read == 0 ? "The input has a header but no data rows."
                                           : "Every row was rejected: there is nothing to compute.";
    return unprocessable_one({"no_rows", msg, Json::array({"body", shard.source}), nullptr});
  }
  Json body = Json::object();
  body["rows"] = shard.rows.to_json();
  body["preset"] = shard.preset;
  body["timezone"] = shard.zone.name();
  Json figures = banded(events_report(totals, shard.options, shard.zone), shard.options);
  for (auto& [key, value] : figures.items()) body[key] = std::move(value);
  body["warnings"] = shard.warnings;
  return {200, std::move(body)};
}

std::optional<EventsAnswer> read_events_shard(RowReader& reader, const EventsRequest& request,
                                              std::optional<EventsTotals>& totals, EventsShard& shard, bool with_ids) {
  PartitionedEvents engine(request.options, request.zone);
  Reading reading{{}, RowErrors(reader.kind())};
  const Preset* preset = nullptr;
  if (auto bad = read_events(reader, request, engine, reading, preset)) return bad;
  shard.options = request.options;
  shard.zone = request.zone;
  shard.source = source_field(reader.kind());
  shard.preset = preset != nullptr ? Json(preset->name) : Json();
  shard.rows = reading.rows;
  shard.warnings = Json::array();
  for (auto& w : reading.errors.sentences()) shard.warnings.push_back(std::move(w));
  totals = engine.totals(with_ids);
  return std::nullopt;
}

}  // namespace detail

EventsAnswer compute_events(RowReader& reader, const EventsRequest& request) {
  std::optional<detail::EventsTotals> totals;
  detail::EventsShard shard;
  if (auto bad = detail::read_events_shard(reader, request, totals, shard, false)) return *bad;
  return detail::events_answer(*totals, shard);
}

}  // namespace pmkpi::records
