// Validation: every bound, missing field and wrong type of every route, derived from the catalog,
// plus the parser's limits (malformed, deep, huge input).
#include <cmath>
#include <string>

#include "pmkpi/catalog.hpp"
#include "pmkpi/validation.hpp"
#include "test_support.hpp"

namespace pmkpi {
namespace {

using testing::post;

bool numeric(const FieldSpec& f) { return f.type == FieldType::Number || f.type == FieldType::Integer; }

TEST(Validation, EveryRouteAcceptsItsExampleRequest) {
  for (const auto& r : route_table()) {
    auto a = post(r.path, example_request(r));
    EXPECT_EQ(a.status, 200) << r.path << " " << a.raw.body;
  }
}

TEST(Validation, EveryRequiredFieldMissingIsListed) {
  for (const auto& r : route_table()) {
    for (const auto& f : r.fields) {
      if (!f.required) continue;
      Json body = example_request(r);
      body.erase(f.name);
      auto a = post(r.path, body);
      ASSERT_EQ(a.status, 422) << r.path << " without " << f.name;
      ASSERT_EQ(a.body["detail"].size(), 1u);
      EXPECT_EQ(a.body["detail"][0],
                (Json{{"type", "missing"}, {"loc", {"body", f.name}}, {"msg", "Field required"}, {"input", body}}))
          << r.path;
    }
  }
}

TEST(Validation, EveryBoundIsEnforcedOnBothSides) {
  int checked = 0;
  for (const auto& r : route_table()) {
    for (const auto& f : r.fields) {
      if (!numeric(f)) continue;
      auto check = [&](double bad, double good, const char* type, const char* key, double edge,
                       const std::string& words) {
        Json body = example_request(r);
        body[f.name] = f.type == FieldType::Integer ? Json(static_cast<long long>(bad)) : Json(bad);
        auto a = post(r.path, body);
        ASSERT_EQ(a.status, 422) << r.path << " " << f.name << "=" << bad;
        Json entry = a.body["detail"][0];
        EXPECT_EQ(entry["type"], type);
        EXPECT_EQ(entry["loc"], Json({"body", f.name}));
        EXPECT_EQ(entry["msg"], "Input should be " + words + " " + plain(edge, 6));
        EXPECT_EQ(entry["ctx"][key].get<double>(), edge);
        EXPECT_EQ(entry["input"].get<double>(), bad);
        // The other side of the edge passes validation (it may still be a 400 contradiction).
        body[f.name] = f.type == FieldType::Integer ? Json(static_cast<long long>(good)) : Json(good);
        EXPECT_NE(post(r.path, body).status, 422) << r.path << " " << f.name << "=" << good;
        ++checked;
      };
      const double step = f.type == FieldType::Integer ? 1.0 : 0.5;
      if (f.gt) check(*f.gt, *f.gt + step, "greater_than", "gt", *f.gt, "greater than");
      if (f.ge) check(*f.ge - step, *f.ge, "greater_than_equal", "ge", *f.ge, "greater than or equal to");
      if (f.le) check(*f.le + step, *f.le, "less_than_equal", "le", *f.le, "less than or equal to");
    }
  }
  EXPECT_GT(checked, 50);
}

TEST(Validation, EveryNumericFieldRejectsText) {
  for (const auto& r : route_table()) {
    for (const auto& f : r.fields) {
      if (!numeric(f)) continue;
      Json body = example_request(r);
      body[f.name] = "abc";
      auto a = post(r.path, body);
      ASSERT_EQ(a.status, 422) << r.path << " " << f.name;
      const bool integer = f.type == FieldType::Integer;
      EXPECT_EQ(a.body["detail"][0],
                (Json{{"type", integer ? "int_parsing" : "float_parsing"},
                      {"loc", {"body", f.name}},
                      {"msg", integer ? "Input should be a valid integer, unable to parse string as an integer"
                                      : "Input should be a valid number, unable to parse string as a number"},
                      {"input", "abc"}}));
    }
  }
}

TEST(Validation, StringFieldsRejectNumbers) {
  auto a = post("/metrics/conversion-rate",
                Json{{"number_of_conversions", 1}, {"total_visitors_or_users", 2}, {"conversion_type", 5}});
  ASSERT_EQ(a.status, 422);
  EXPECT_EQ(a.body["detail"][0], (Json{{"type", "string_type"},
                                       {"loc", {"body", "conversion_type"}},
                                       {"msg", "Input should be a valid string"},
                                       {"input", 5}}));
}

TEST(Validation, IntegerCoercionFollowsPydanticLaxMode) {
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 10, "total_users": "10.000"})").status, 200);
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 10, "total_users": "10.5"})").body["detail"][0]["type"],
            "int_parsing");
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 10, "total_users": 1e3})").body["value"], 0.01);
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 10, "total_users": 9223372036854775807})").status, 200);
  EXPECT_EQ(
      post("/metrics/arpu", R"({"total_revenue": 10, "total_users": 9223372036854775808})").body["detail"][0]["type"],
      "int_parsing_size");
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 10, "total_users": "99999999999999999999"})")
                .body["detail"][0]["type"],
            "int_parsing_size");
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": 10, "total_users": 1e19})").body["detail"][0]["type"],
            "int_parsing_size");
  EXPECT_EQ(post("/metrics/arpu", R"({"total_revenue": "0x10", "total_users": 1})").body["detail"][0]["type"],
            "float_parsing");
}

TEST(Validation, NonFiniteNumbersAreRejected) {
  for (const char* text : {"\"nan\"", "\"inf\"", "\"-infinity\"", "\"Infinity\""}) {
    auto a = post("/metrics/arpu", std::string(R"({"total_revenue": )") + text + R"(, "total_users": 1})");
    ASSERT_EQ(a.status, 422) << text;
    EXPECT_EQ(a.body["detail"][0]["type"], "finite_number") << text;
  }
  // Python's json accepts these literals; JSON does not, and neither do we.
  for (const char* text : {"NaN", "Infinity", "-Infinity"}) {
    auto a = post("/metrics/arpu", std::string(R"({"total_revenue": )") + text + R"(, "total_users": 1})");
    ASSERT_EQ(a.status, 422) << text;
    EXPECT_EQ(a.body["detail"][0]["type"], "json_invalid") << text;
  }
}

TEST(Validation, MalformedJsonPointsAtTheProblem) {
  auto a = post("/metrics/arpu", std::string("{\"total_revenue\": tru}"));
  ASSERT_EQ(a.status, 422);
  const Json& e = a.body["detail"][0];
  EXPECT_EQ(e["type"], "json_invalid");
  EXPECT_EQ(e["msg"], "JSON decode error");
  EXPECT_EQ(e["input"], Json::object());
  EXPECT_EQ(e["loc"][0], "body");
  EXPECT_EQ(e["loc"][1], 21);
  EXPECT_NE(e["ctx"]["error"].get<std::string>().find("invalid literal"), std::string::npos);
  for (const char* text : {"{", "}", "{\"a\" 1}", "[1,]", "\"unterminated", "{\"a\":1}}", "\xff\xfe", "nul"})
    EXPECT_EQ(post("/metrics/arpu", std::string(text)).body["detail"][0]["type"], "json_invalid") << text;
}

TEST(Validation, DeepNestingIsRefusedWithoutRecursion) {
  for (int depth : {65, 1000, 1000000}) {
    std::string body = "{\"total_revenue\": " + std::string(static_cast<std::size_t>(depth), '[') +
                       std::string(static_cast<std::size_t>(depth), ']') + ", \"total_users\": 1}";
    auto a = post("/metrics/arpu", body);
    ASSERT_EQ(a.status, 422) << depth;
    EXPECT_EQ(a.body["detail"][0]["ctx"]["error"], "nesting deeper than 64 levels");
  }
  // Brackets inside strings do not count.
  std::string inside = "{\"total_revenue\": 1, \"total_users\": 1, \"note\": \"" + std::string(5000, '[') + "\"}";
  EXPECT_EQ(post("/metrics/arpu", inside).status, 200);
  // 64 levels are still fine (the value is simply the wrong type).
  std::string ok = "{\"total_revenue\": " + std::string(63, '[') + std::string(63, ']') + ", \"total_users\": 1}";
  EXPECT_EQ(post("/metrics/arpu", ok).body["detail"][0]["type"], "float_type");
}

TEST(Validation, HugeBodiesAndHugeNumbersAnswerCleanly) {
  Json big = {{"total_revenue", 1e308}, {"total_users", 1}, {"padding", std::string(5 * 1024 * 1024, 'x')}};
  auto a = post("/metrics/arpu", big);
  EXPECT_EQ(a.status, 200);
  EXPECT_EQ(a.body["value"].get<double>(), 1e308);
  auto overflow =
      post("/metrics/cltv", Json{{"average_customer_lifetime_months", 1e200}, {"average_revenue_per_user", 1e200}});
  EXPECT_EQ(overflow.status, 400);
  auto tiny = post("/metrics/arpu", Json{{"total_revenue", 5e-324}, {"total_users", 1}});
  EXPECT_EQ(tiny.status, 200);
  EXPECT_EQ(tiny.body["value"], 0.0);
}

TEST(Validation, NullBodyAndNonObjectBodies) {
  EXPECT_EQ(
      post("/metrics/arpu", std::string("null")).body,
      (Json{{"detail", {{{"type", "missing"}, {"loc", {"body"}}, {"msg", "Field required"}, {"input", nullptr}}}}}));
  for (const char* text : {"1", "\"text\"", "true", "[]"}) {
    auto a = post("/metrics/arpu", std::string(text));
    ASSERT_EQ(a.status, 422);
    EXPECT_EQ(a.body["detail"][0]["type"], "model_attributes_type") << text;
    EXPECT_EQ(a.body["detail"][0]["input"], Json::parse(text));
  }
}

TEST(Validation, DatesAreCalendarDates) {
  auto date = [](const char* d) {
    return post("/metrics/dau-mau",
                Json{{"daily_active_users", 1}, {"monthly_active_users", 2}, {"measurement_date", d}});
  };
  EXPECT_EQ(date("2024-02-29").status, 200);
  EXPECT_EQ(date("2023-02-29").body["detail"][0]["ctx"]["error"], "day value is outside expected range");
  EXPECT_EQ(date("2024-13-01").body["detail"][0]["ctx"]["error"], "month value is outside expected range of 1-12");
  EXPECT_EQ(date("2024/02/01").body["detail"][0]["ctx"]["error"], "invalid date separator, expected `-`");
  EXPECT_EQ(date("24-2-1").body["detail"][0]["ctx"]["error"], "input is too short");
  auto not_text = post("/metrics/dau-mau",
                       Json{{"daily_active_users", 1}, {"monthly_active_users", 2}, {"measurement_date", 20240201}});
  EXPECT_EQ(not_text.body["detail"][0]["type"], "date_type");
}

TEST(Validation, MapValuesAreValidatedWithTheirKeyInLoc) {
  auto a = post("/metrics/user-actions",
                Json{{"total_actions", 1}, {"total_sessions", 1}, {"action_types", {{"clicks", "x"}, {"views", 2.5}}}});
  ASSERT_EQ(a.status, 422);
  ASSERT_EQ(a.body["detail"].size(), 2u);
  EXPECT_EQ(a.body["detail"][0]["loc"], Json({"body", "action_types", "clicks"}));
  EXPECT_EQ(a.body["detail"][1]["type"], "int_from_float");
  EXPECT_EQ(post("/metrics/user-actions", Json{{"total_actions", 1}, {"total_sessions", 1}, {"action_types", 3}})
                .body["detail"][0]["type"],
            "dict_type");
}

TEST(Validation, ListsReportTooShortAndItemErrors) {
  FieldSpec f;
  f.name = "values";
  f.type = FieldType::NumberList;
  f.min_items = 3;
  f.max_items = 5;
  Json body = {{"values", {1, 2}}};
  Validated v = validate({f}, &body);
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.errors[0]["type"], "too_short");
  EXPECT_EQ(v.errors[0]["msg"], "List should have at least 3 items after validation, not 2");
  body = {{"values", {1, 2, 3, 4, 5, 6}}};
  v = validate({f}, &body);
  EXPECT_EQ(v.errors[0]["type"], "too_long");
  EXPECT_EQ(v.errors[0]["ctx"]["max_length"], 5);
  body = {{"values", {1, "x", 3}}};
  v = validate({f}, &body);
  EXPECT_EQ(v.errors[0]["loc"], Json({"body", "values", 1}));
  body = {{"values", {1, "2", 3.5}}};
  v = validate({f}, &body);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(v.values["values"], Json({1.0, 2.0, 3.5}));
  // A million bad items produce a bounded error list, not a million entries.
  FieldSpec big = f;
  big.max_items.reset();
  Json many = {{"values", Json::array()}};
  for (int i = 0; i < 1000000; ++i) many["values"].push_back("x");
  v = validate({big}, &many);
  EXPECT_EQ(v.errors.size(), 20u);
}

}  // namespace
}  // namespace pmkpi
