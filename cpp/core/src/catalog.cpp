#include "pmkpi/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <unordered_map>

namespace pmkpi {

std::string_view unit_name(Unit unit) {
  switch (unit) {
    case Unit::None:
      return "";
    case Unit::Currency:
      return "currency";
    case Unit::Percentage:
      return "percentage";
    case Unit::Visitors:
      return "visitors";
    case Unit::Seconds:
      return "seconds";
    case Unit::Sessions:
      return "sessions";
    case Unit::Actions:
      return "actions";
    case Unit::Score:
      return "score";
    case Unit::Hours:
      return "hours";
    case Unit::StoryPoints:
      return "story_points";
    case Unit::Ratio:
      return "ratio";
    case Unit::Months:
      return "months";
  }
  return "";
}

std::string_view domain_name(ValueDomain domain) {
  switch (domain) {
    case ValueDomain::Any:
      return "any";
    case ValueDomain::NonNegative:
      return "non_negative";
    case ValueDomain::Percentage:
      return "percentage";
    case ValueDomain::Score:
      return "score";
  }
  return "any";
}

const Json* Args::find(std::string_view name) const {
  if (values_.is_object())
    for (const auto& [key, value] : values_.get_ref<const Json::object_t&>())
      if (key == name) return &value;
  if (declared_ != nullptr &&
      std::none_of(declared_->begin(), declared_->end(), [&](const FieldSpec& f) { return f.name == name; }))
    throw std::logic_error("Args: the route declares no field named \"" + std::string(name) + "\"");
  return nullptr;
}

bool Args::has(std::string_view name) const {
  const Json* v = find(name);
  return v != nullptr && !v->is_null();
}

const Json& Args::raw(std::string_view name) const {
  static const Json null_value;
  const Json* v = find(name);
  return v == nullptr ? null_value : *v;
}

double Args::number(std::string_view name) const {
  const Json& v = raw(name);
  return v.is_number() ? v.get<double>() : 0.0;
}

long long Args::integer(std::string_view name) const {
  const Json& v = raw(name);
  return v.is_number_integer() ? v.get<long long>() : 0;
}

std::string Args::text(std::string_view name) const {
  const Json& v = raw(name);
  return v.is_string() ? v.get<std::string>() : std::string();
}

const std::vector<Category>& categories() {
  static const std::vector<Category> list{
      {CategoryId::Financial, "financial_metrics", "Financial Metrics",
       "Revenue and unit economics: ARPU, MRR/ARR, CLTV, CAC."},
      {CategoryId::Loyalty, "customer_loyalty_metrics", "Customer Loyalty Metrics",
       "Whether customers and their revenue stay: retention, churn, NRR."},
      {CategoryId::Engagement, "user_engagement_metrics", "User Engagement Metrics",
       "How people arrive and engage: conversion, traffic, stickiness, sessions, bounces."},
      {CategoryId::Product, "product_metrics", "Product/Feature Popularity Metrics",
       "How the product is used: sessions per user, actions per session, feature adoption."},
      {CategoryId::Satisfaction, "satisfaction_metrics", "User Satisfaction Metrics",
       "What users say: NPS, earned growth, CSAT, OSAT, CES."},
      {CategoryId::Delivery, "additional_metrics", "Additional PM Metrics",
       "Activation, time to value, defect rate and delivery velocity."},
      {CategoryId::Predictions, "ml_predictions", "ML Predictions",
       "Forecasts and pattern analysis of a metric's history."},
      {CategoryId::UnitEconomics, "unit_economics", "Unit Economics",
       "Whether growth is efficient and customers pay back what they cost: LTV:CAC, CAC payback, quick ratio, "
       "GRR, net new MRR, ARPA, rule of 40, magic number, burn multiple."},
      {CategoryId::Records, "records", "KPIs from Records",
       "Every KPI computed from raw records: a billing system's subscription export, a product's event log."},
  };
  return list;
}

const Category& category(CategoryId id) {
  for (const auto& c : categories())
    if (c.id == id) return c;
  throw std::logic_error("category: an id without an entry in categories()");
}

const std::vector<RouteSpec>& route_table() {
  static const std::vector<RouteSpec> table = [] {
    std::vector<RouteSpec> out;
    detail::add_financial_routes(out);
    detail::add_loyalty_routes(out);
    detail::add_engagement_routes(out);
    detail::add_product_routes(out);
    detail::add_satisfaction_routes(out);
    detail::add_delivery_routes(out);
    detail::add_unit_economics_routes(out);
    detail::add_efficiency_routes(out);
    detail::add_analysis_routes(out);
    detail::add_records_routes(out);
    detail::add_records_events_routes(out);
    detail::attach_benchmark_sources(out);
    return out;
  }();
  return table;
}

const RouteSpec* find_route(std::string_view path) {
  static const std::unordered_map<std::string_view, const RouteSpec*> by_path = [] {
    std::unordered_map<std::string_view, const RouteSpec*> m;
    for (const auto& r : route_table()) m.emplace(r.path, &r);
    return m;
  }();
  auto it = by_path.find(path);
  return it == by_path.end() ? nullptr : it->second;
}

namespace {
std::string normalised_name(std::string_view s) {
  std::string out;
  for (char c : s) {
    unsigned char u = static_cast<unsigned char>(c);
    if (std::isalnum(u)) out.push_back(static_cast<char>(std::tolower(u)));
  }
  return out;
}
}  // namespace

namespace detail {
const RouteSpec* match_metric_name(const std::vector<RouteSpec>& routes, std::string_view name) {
  const std::string wanted = normalised_name(name);
  if (wanted.empty()) return nullptr;
  for (const auto& r : routes) {
    if (!r.metric) continue;
    if (normalised_name(r.id) == wanted || normalised_name(r.metric_name) == wanted ||
        normalised_name(r.name) == wanted || normalised_name(r.path) == wanted)
      return &r;
  }
  return nullptr;
}
}  // namespace detail

const RouteSpec* find_route_by_name(std::string_view name) { return detail::match_metric_name(route_table(), name); }

const Segment* find_segment(const RouteSpec& route, std::string_view key) {
  if (key.empty()) return nullptr;
  for (const auto& s : route.segments)
    if (s.key == key) return &s;
  return nullptr;
}

Json benchmark_source_json(const BenchmarkSource& s) {
  auto text = [](const std::string& v) { return v.empty() ? Json(nullptr) : Json(v); };
  Json out = Json::object();
  out["name"] = s.name;
  out["year"] = s.year ? Json(*s.year) : Json(nullptr);
  out["url"] = text(s.url);
  out["segment"] = text(s.segment);
  out["kind"] = s.kind;
  out["covers"] = text(s.covers);
  return out;
}

const Band* band_for(const RouteSpec& route, double value, double scale, std::string_view segment) {
  const Segment* seg = find_segment(route, segment);
  for (const auto& b : seg != nullptr ? seg->bands : route.bands) {
    const double edge = b.edge * scale;
    switch (b.op) {
      case BandOp::Gt:
        if (value > edge) return &b;
        break;
      case BandOp::Ge:
        if (value >= edge) return &b;
        break;
      case BandOp::Lt:
        if (value < edge) return &b;
        break;
      case BandOp::Le:
        if (value <= edge) return &b;
        break;
      case BandOp::Otherwise:
        return &b;
    }
  }
  return nullptr;
}

Json example_request(const RouteSpec& route) {
  Json body = Json::object();
  const std::string* first_group = nullptr;
  for (const auto& f : route.fields) {
    if (!f.group.empty()) {
      if (first_group == nullptr) first_group = &f.group;
      if (f.group != *first_group) continue;
    }
    if (!f.example.is_null()) body[f.name] = f.example;
  }
  return body;
}

}  // namespace pmkpi
