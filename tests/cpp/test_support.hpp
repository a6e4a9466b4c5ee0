#pragma once
// Helpers shared by the test files: a pinned clock, request shortcuts, JSON subset matching.

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <string>
#include <vector>

#include "pmkpi/api.hpp"
#include "pmkpi/json.hpp"

namespace pmkpi::testing {

/** 2024-02-01T10:00:00Z, the spec's example time. */
inline ApiOptions pinned() {
  ApiOptions o;
  o.clock = [] { return std::chrono::system_clock::time_point(std::chrono::seconds(1706781600)); };
  return o;
}

/** 36 months from 2022-01 of a clear +-7% yearly cycle on a slow rise (2% a year), rounded to cents. */
struct MonthlySeries {
  Json stamps = Json::array();
  std::vector<double> values;
};
inline MonthlySeries seasonal_36_months_series() {
  MonthlySeries s;
  for (int t = 0; t < 36; ++t) {
    char buf[24];
    std::snprintf(buf, sizeof buf, "%04d-%02d-01", 2022 + t / 12, 1 + t % 12);
    s.stamps.push_back(buf);
    s.values.push_back(std::round(100 * 10000 * (1 + 0.02 * t / 12) * (1 + 0.07 * std::cos(2 * M_PI * (t - 11) / 12))) /
                       100);
  }
  return s;
}

struct Answer {
  int status;
  Json body;
  Response raw;
};

inline Answer post(const std::string& path, const std::string& body) {
  Response r = handle("POST", path, body, pinned());
  Json parsed = r.body.empty() ? Json() : Json::parse(r.body);
  return {r.status, parsed, r};
}

inline Answer post(const std::string& path, const Json& body) { return post(path, body.dump()); }

inline Answer post(const std::string& path, const char* body) { return post(path, std::string(body)); }

inline Answer get(const std::string& path) {
  Response r = handle("GET", path, "", pinned());
  return {r.status, r.body.empty() ? Json() : Json::parse(r.body), r};
}

/**
 * Empty when `actual` contains `expected`: objects may have extra keys, arrays must have the same
 * length with each element contained, numbers compare by value. Otherwise where they differ.
 */
inline std::string mismatch(const Json& expected, const Json& actual, const std::string& where = "$") {
  if (expected.is_object()) {
    if (!actual.is_object()) return where + ": expected an object, got " + actual.dump();
    for (const auto& [k, v] : expected.items()) {
      auto it = actual.find(k);
      if (it == actual.end()) return where + "." + k + ": missing";
      if (auto m = mismatch(v, *it, where + "." + k); !m.empty()) return m;
    }
    return {};
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size())
      return where + ": expected " + expected.dump() + ", got " + actual.dump();
    for (std::size_t i = 0; i < expected.size(); ++i)
      if (auto m = mismatch(expected[i], actual[i], where + "[" + std::to_string(i) + "]"); !m.empty()) return m;
    return {};
  }
  if (expected.is_number() && actual.is_number()) {
    if (expected.get<double>() == actual.get<double>()) return {};
    return where + ": expected " + expected.dump() + ", got " + actual.dump();
  }
  if (expected != actual) return where + ": expected " + expected.dump() + ", got " + actual.dump();
  return {};
}

}  // namespace pmkpi::testing
