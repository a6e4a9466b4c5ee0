// The options of an events request (RECORDS.md, POST /records/events) turned into the engine's
// request, with a 422 entry for every option that is not usable.

#include <cmath>

#include "events_totals.hpp"
#include "records_handlers.hpp"

namespace pmkpi::records {

namespace {

Json loc_of(std::initializer_list<const char*> path) {
  Json loc = Json::array({"body"});
  for (const char* p : path) loc.push_back(p);
  return loc;
}

struct Reader {
  const Json& body;
  Json errors = Json::array();

  const Json* get(const char* name) const {
    auto it = body.find(name);
    return it == body.end() || it->is_null() ? nullptr : &*it;
  }
  void fail(Json loc, const char* type, std::string msg, const Json& input) {
    errors.push_back(error_entry(type, std::move(loc), std::move(msg), input));
  }
  std::optional<std::string> text(const char* name) {
    const Json* v = get(name);
    if (v == nullptr) return std::nullopt;
    if (!v->is_string()) {
      fail(loc_of({name}), "string_type", "Input should be a valid string", *v);
      return std::nullopt;
    }
    return v->get<std::string>();
  }
  std::optional<double> number(const char* name, double gt, double le) {
    const Json* v = get(name);
    if (v == nullptr) return std::nullopt;
    if (!v->is_number() || !std::isfinite(v->get<double>())) {
      fail(loc_of({name}), "float_type", "Input should be a valid number", *v);
      return std::nullopt;
    }
    const double x = v->get<double>();
    if (!(x > gt) || !(x <= le)) {
      fail(loc_of({name}), "out_of_range", "Input should be greater than " + plain(gt) + " and at most " + plain(le),
           *v);
      return std::nullopt;
    }
    return x;
  }
  std::optional<int> days(const Json& v, Json loc, int max) {
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > max) {
      fail(std::move(loc), "int_range", "Input should be a whole number of days from 1 to " + std::to_string(max), v);
      return std::nullopt;
    }
    return static_cast<int>(v.get<long long>());
  }
  std::vector<std::string> names(const Json& v, Json loc) {
    std::vector<std::string> out;
    if (!v.is_array()) {
      fail(std::move(loc), "list_type", "Input should be a valid list of event names", v);
      return out;
    }
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (v[i].is_string() && !v[i].get_ref<const std::string&>().empty()) {
        out.push_back(v[i].get<std::string>());
      } else {
        Json at = loc;
        at.push_back(i);
        fail(std::move(at), "string_type", "Input should be a non-empty event name", v[i]);
      }
    }
    return out;
  }
};

void read_calendar_options(Reader& r, EventsRequest& req) {
  if (auto tz = r.text("timezone")) {
    if (auto zone = TimeZone::parse(*tz)) {
      req.zone = *zone;
    } else {
      r.fail(loc_of({"timezone"}), "timezone_invalid",
             "Unknown time zone: use UTC, a fixed offset such as +05:30, or an IANA name such as Europe/Paris", *tz);
    }
  }
  if (auto p = r.text("retention_period")) {
    auto kind = parse_period_kind(*p);
    if (kind && *kind != PeriodKind::Quarter) {
      req.options.retention_period = *kind;
    } else {
      r.fail(loc_of({"retention_period"}), "enum", "Input should be 'day', 'week' or 'month'", *p);
    }
  }
  if (auto w = r.text("week_start")) {
    if (auto day = parse_week_start(*w)) {
      req.options.week_start = *day;
    } else {
      r.fail(loc_of({"week_start"}), "enum", "Input should be a day of the week: 'monday' ... 'sunday'", *w);
    }
  }
  if (const Json* v = r.get("mau_window_days")) {
    if (auto d = r.days(*v, loc_of({"mau_window_days"}), 366)) req.options.mau_window_days = *d;
  }
}

void read_reading_options(Reader& r, EventsRequest& req) {
  if (auto u = r.text("timestamp_unit")) {
    auto unit = parse_timestamp_unit(*u);
    if (unit && *unit != TimestampUnit::None) {
      req.timestamp_unit = *unit;
    } else {
      r.fail(loc_of({"timestamp_unit"}), "enum", "Input should be 's', 'ms' or 'us'", *u);
    }
  }
  if (auto e = r.text("on_error")) {
    if (auto mode = parse_on_error(*e)) {
      req.on_error = *mode;
    } else {
      r.fail(loc_of({"on_error"}), "enum", "Input should be 'reject' or 'skip'", *e);
    }
  }
  if (auto p = r.text("preset")) {
    bool known = false;
    for (const auto& preset : event_presets()) known = known || preset.name == *p;
    if (known) {
      req.preset = *p;
    } else {
      r.fail(loc_of({"preset"}), "enum", "Input should be 'generic', 'segment', 'posthog' or 'ga4'", *p);
    }
  }
  if (const Json* m = r.get("mapping")) {
    if (!m->is_object()) {
      r.fail(loc_of({"mapping"}), "dict_type", "Input should be an object of canonical column -> source column", *m);
    } else {
      for (const auto& [key, value] : m->items()) {
        if (value.is_string()) {
          req.mapping.emplace_back(key, value.get<std::string>());
        } else {
          r.fail(Json::array({"body", "mapping", key}), "string_type", "Input should be a valid string", value);
        }
      }
    }
  }
}

void read_engine_options(Reader& r, EventsRequest& req) {
  auto& o = req.options;
  if (auto m = r.number("session_timeout_minutes", 0, 1440))
    o.session_timeout_us = static_cast<std::int64_t>(std::llround(*m * 60e6));
  if (const Json* v = r.get("view_events")) o.view_events = r.names(*v, loc_of({"view_events"}));
  if (const Json* v = r.get("conversion_events")) o.conversion_events = r.names(*v, loc_of({"conversion_events"}));
  if (auto a = r.text("activation_event")) o.activation_event = *a;
  if (const Json* v = r.get("activation_window_days")) {
    if (auto d = r.days(*v, loc_of({"activation_window_days"}), 366)) o.activation_window_days = *d;
  }
  const Json* f = r.get("funnel");
  if (f == nullptr) return;
  if (!f->is_object() || !f->contains("steps")) {
    r.fail(loc_of({"funnel"}), "model_type", "Input should be an object with 'steps' (and 'window_days')", *f);
    return;
  }
  o.funnel_steps = r.names((*f)["steps"], loc_of({"funnel", "steps"}));
  if (o.funnel_steps.size() < 2 && (*f)["steps"].is_array())
    r.fail(loc_of({"funnel", "steps"}), "too_short", "A funnel needs at least 2 steps", (*f)["steps"]);
  if (f->contains("window_days") && !(*f)["window_days"].is_null()) {
    if (auto d = r.days((*f)["window_days"], loc_of({"funnel", "window_days"}), 366)) o.funnel_window_days = *d;
  }
}

}  // namespace

namespace detail {

std::optional<EventsAnswer> read_events_body(const Json& body, EventsRequest& req, std::optional<RowReader>& reader,
                                             bool with_rows) {
  if (!body.is_object())
    return EventsAnswer{422, unprocessable(Json::array({error_entry("model_type", Json::array({"body"}),
                                                                    "Input should be an object", body)}))};
  Reader r{body};
  read_calendar_options(r, req);
  read_reading_options(r, req);
  read_engine_options(r, req);
  const Json* csv = r.get("csv");
  const Json* ndjson = r.get("ndjson");
  const Json* records = r.get("records");
  const int given = (csv != nullptr) + (ndjson != nullptr) + (records != nullptr);
  if (!with_rows) {
    if (given != 0) r.fail(loc_of({}), "too_many_sources", "Options only: no 'csv', 'ndjson' or 'records'", nullptr);
  } else if (given != 1) {
    r.fail(loc_of({}), given == 0 ? "missing" : "too_many_sources",
           "Give the events in exactly one of 'csv', 'ndjson' or 'records'", nullptr);
  } else if ((csv != nullptr && !csv->is_string()) || (ndjson != nullptr && !ndjson->is_string())) {
    r.fail(loc_of({csv != nullptr ? "csv" : "ndjson"}), "string_type", "Input should be a valid string", nullptr);
  } else if (records != nullptr && !records->is_array()) {
    r.fail(loc_of({"records"}), "list_type", "Input should be a valid list of objects", nullptr);
  }
  if (!r.errors.empty()) return EventsAnswer{422, unprocessable(std::move(r.errors))};
  if (!with_rows) return std::nullopt;
  reader.emplace(csv != nullptr      ? RowReader::csv(csv->get_ref<const std::string&>())
                 : ndjson != nullptr ? RowReader::ndjson(ndjson->get_ref<const std::string&>())
                                     : RowReader::json_array(*records));
  return std::nullopt;
}

}  // namespace detail

EventsAnswer answer_events(const Json& body) {
  EventsRequest req;
  std::optional<RowReader> reader;
  if (auto bad = detail::read_events_body(body, req, reader, true)) return *bad;
  return compute_events(*reader, req);
}

}  // namespace pmkpi::records

namespace pmkpi::detail {

RouteOutcome records_events_handler(const Args& a) {
  records::EventsAnswer answer = records::answer_events(a.all());
  return {answer.status, std::move(answer.body)};
}

}  // namespace pmkpi::detail
