#include "pmkpi/catalog.hpp"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace pmkpi {

bool Args::has(std::string_view name) const {
  auto it = values_.find(std::string(name));
  return it != values_.end() && !it->is_null();
}

const Json& Args::raw(std::string_view name) const {
  static const Json null_value;
  auto it = values_.find(std::string(name));
  return it == values_.end() ? null_value : *it;
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
      {"financial_metrics", "Financial Metrics", "Revenue and unit economics: ARPU, MRR/ARR, CLTV, CAC."},
      {"customer_loyalty_metrics", "Customer Loyalty Metrics",
       "Whether customers and their revenue stay: retention, churn, NRR."},
      {"user_engagement_metrics", "User Engagement Metrics",
       "How people arrive and engage: conversion, traffic, stickiness, sessions, bounces."},
      {"product_feature_metrics", "Product/Feature Metrics",
       "How the product is used: sessions per user, actions per session, feature adoption."},
      {"user_satisfaction_metrics", "User Satisfaction Metrics",
       "What users say: NPS, earned growth, CSAT, OSAT, CES."},
      {"additional_pm_metrics", "Additional PM Metrics",
       "Activation, time to value, defect rate and delivery velocity."},
      {"unit_economics", "Unit Economics",
       "Whether growth is efficient and customers pay back what they cost: LTV:CAC, CAC payback, quick ratio, "
       "GRR, net new MRR, ARPA, rule of 40, magic number, burn multiple."},
      {"ml_predictions", "ML Predictions", "Forecasts and pattern analysis of a metric's history."},
  };
  return list;
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
