// The records import layer: CSV/JSON/NDJSON readers, column mapping, presets, time zones, periods.
#include <gtest/gtest.h>

#include "pmkpi/api.hpp"
#include "pmkpi/records.hpp"

namespace rec = pmkpi::records;
using pmkpi::Json;

namespace {

std::vector<std::vector<std::string>> all_rows(rec::RowReader& r) {
  std::vector<std::vector<std::string>> out;
  rec::Row row;
  while (r.next(row)) {
    std::vector<std::string> cells;
    for (std::size_t i = 0; i < row.size(); ++i) cells.emplace_back(row.cell(i));
    out.push_back(cells);
  }
  return out;
}

rec::Instant at(const char* text, const char* zone = "UTC", rec::TimestampUnit unit = rec::TimestampUnit::None) {
  rec::Instant t = 0;
  EXPECT_TRUE(rec::parse_timestamp(text, *rec::TimeZone::parse(zone), unit, t)) << text;
  return t;
}
constexpr rec::Instant kS = rec::kMicrosPerSecond;

}  // namespace

TEST(RecordsCsv, ReadsQuotedFieldsEscapesCrlfAndBom) {
  auto r = rec::RowReader::csv(
      "\xEF\xBB\xBFid, Name ,note\r\n1,\"Smith, J\",\"say \"\"hi\"\"\"\r\n\r\n2,x,\"two\nlines\"\r\n");
  ASSERT_FALSE(r.error());
  EXPECT_EQ(r.header(), (std::vector<std::string>{"id", "Name", "note"}));
  EXPECT_EQ(r.delimiter(), ',');
  const auto rows = all_rows(r);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"1", "Smith, J", "say \"hi\""}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"2", "x", "two\nlines"}));
}

TEST(RecordsCsv, DetectsSemicolonAndTabDelimiters) {
  auto semi = rec::RowReader::csv("a;b;c\n1,5;2;3\n");
  EXPECT_EQ(semi.delimiter(), ';');
  EXPECT_EQ(all_rows(semi)[0], (std::vector<std::string>{"1,5", "2", "3"}));
  auto tab = rec::RowReader::csv("a\tb\n1\t2");
  EXPECT_EQ(tab.delimiter(), '\t');
  EXPECT_EQ(all_rows(tab)[0], (std::vector<std::string>{"1", "2"}));
}

TEST(RecordsCsv, ManyEscapedCellsKeepTheirText) {
  std::string text = "a,b,c,d,e,f,g,h,i,j\n";
  for (int i = 0; i < 10; ++i) text += "\"q\"\"" + std::to_string(i) + "\"" + (i < 9 ? "," : "\n");
  auto r = rec::RowReader::csv(text);
  const auto rows = all_rows(r);
  ASSERT_EQ(rows.size(), 1u);
  for (int i = 0; i < 10; ++i) EXPECT_EQ(rows[0][i], "q\"" + std::to_string(i));
}

TEST(RecordsCsv, UnbalancedQuoteIsAnInputErrorWithItsLine) {
  auto r = rec::RowReader::csv("a,b\n1,2\n3,\"open\n4,5\n");
  rec::Row row;
  EXPECT_TRUE(r.next(row));
  EXPECT_FALSE(r.next(row));
  ASSERT_TRUE(r.error());
  EXPECT_EQ(r.error()->type, "csv_invalid");
  EXPECT_EQ(r.error()->loc, Json::array({"body", "csv", 3}));
  EXPECT_NE(r.error()->msg.find("line 3"), std::string::npos);
}

TEST(RecordsCsv, EmptyTextIsAnInputError) {
  for (const char* text : {"", "\xEF\xBB\xBF", "\n\r\n  \n"}) {
    auto r = rec::RowReader::csv(text);
    ASSERT_TRUE(r.error()) << text;
    EXPECT_EQ(r.error()->type, "empty_file");
  }
}

TEST(RecordsCsv, ExtraNonEmptyFieldsAreARowError) {
  auto r = rec::RowReader::csv("a,b\n1,2,3\n1,2,\n");
  rec::Row row;
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(r.row_error(), "The row has 3 fields; the header has 2.");
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(r.row_error(), "");
  EXPECT_EQ(row.line, 2u);
}

TEST(RecordsJson, ArrayHeaderIsTheUnionOfKeysAndScalarsAreText) {
  const Json records = Json::parse(R"([{"id": "a", "amount": 29.5}, {"id": 7, "plan": null, "Active": true}, 3])");
  auto r = rec::RowReader::json_array(records);
  EXPECT_EQ(r.header(), (std::vector<std::string>{"id", "amount", "plan", "Active"}));
  rec::Row row;
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row.cell(0), "a");
  EXPECT_EQ(row.cell(1), "29.5");
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row.cell(0), "7");
  EXPECT_FALSE(row.present(2));
  EXPECT_EQ(row.cell(3), "true");
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row.line, 3u);
  EXPECT_EQ(r.row_error(), "The record is not a JSON object.");
  EXPECT_FALSE(r.next(row));
}

TEST(RecordsJson, NdjsonReadsLinesAndFlagsBadOnes) {
  auto r = rec::RowReader::ndjson("{\"id\": \"a\", \"n\": 1}\n\nnot json\n{\"id\": \"b\", \"extra\": \"x\"}\n");
  rec::Row row;
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row.cell(1), "1");
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row.line, 2u);
  EXPECT_EQ(r.row_error(), "The line is not valid JSON.");
  ASSERT_TRUE(r.next(row));
  EXPECT_EQ(row.cell(0), "b");
  EXPECT_EQ(row.cell(2), "x");
  EXPECT_EQ(r.header().back(), "extra");
  EXPECT_FALSE(r.next(row));
}

TEST(RecordsColumns, MappingAndCaseInsensitiveNamesResolve) {
  const std::vector<rec::ColumnSpec> cols{
      {"customer_id", true, "the paying account"}, {"amount", true, "price"}, {"plan", false, ""}};
  const std::vector<std::string> header{"Customer ID", " AMOUNT ", "other"};
  auto m = rec::resolve_columns(header, cols, {{"customer_id", "customer id"}}, rec::SourceKind::Csv);
  ASSERT_TRUE(m.ok()) << m.errors.dump();
  EXPECT_EQ(m.index[0], 0u);
  EXPECT_EQ(m.index[1], 1u);
  EXPECT_FALSE(m.index[2]);
  auto missing = rec::resolve_columns(header, cols, {}, rec::SourceKind::Csv);
  ASSERT_EQ(missing.errors.size(), 1u);
  EXPECT_EQ(missing.errors[0]["type"], "missing_column");
  EXPECT_EQ(missing.errors[0]["loc"], Json::array({"body", "csv"}));
  EXPECT_NE(missing.errors[0]["msg"].get<std::string>().find("customer_id"), std::string::npos);
  auto bad_map = rec::resolve_columns(header, cols, {{"plan", "Plan name"}, {"customer_id", "Customer ID"}},
                                      rec::SourceKind::Records);
  ASSERT_EQ(bad_map.errors.size(), 1u);
  EXPECT_EQ(bad_map.errors[0]["loc"], Json::array({"body", "mapping", "plan"}));
}

TEST(RecordsColumns, DetectsThePresetWhoseSignatureAppears) {
  const std::vector<rec::Preset> presets{{"stripe", "", {}, {"Customer ID", "Start (UTC)"}},
                                         {"generic", "", {}, {"customer_id"}}};
  EXPECT_EQ(rec::detect_preset(presets, {"id", "customer id", "start (utc)"})->name, "stripe");
  EXPECT_EQ(rec::detect_preset(presets, {"customer_id", "amount"})->name, "generic");
  EXPECT_EQ(rec::detect_preset(presets, {"x"}), nullptr);
}

TEST(RecordsErrors, ListsTwentyAndCountsAll) {
  rec::RowErrors errors(rec::SourceKind::Csv);
  for (int i = 1; i <= 25; ++i) errors.add(i, "amount", "float_parsing", "Not a number.", "abc");
  EXPECT_EQ(errors.count(), 25u);
  ASSERT_EQ(errors.listed().size(), 20u);
  EXPECT_EQ(errors.listed()[0]["loc"], Json::array({"body", "csv", 1, "amount"}));
  EXPECT_EQ(errors.sentences().back(), "5 more bad rows are not listed.");
  EXPECT_EQ(rec::utf8_safe("a\xff"
                           "b"),
            "a\xEF\xBF\xBD"
            "b");
}

TEST(RecordsNumbers, StrictDecimals) {
  double v = 0;
  EXPECT_TRUE(rec::parse_number(" 29.00 ", v));
  EXPECT_EQ(v, 29.0);
  EXPECT_TRUE(rec::parse_number("-1e3", v));
  EXPECT_EQ(v, -1000.0);
  for (const char* bad : {"", "abc", "0x10", "nan", "inf", "1,5", "12abc"})
    EXPECT_FALSE(rec::parse_number(bad, v)) << bad;
}

TEST(RecordsTime, ParsesDatesDateTimesOffsetsAndEpochs) {
  EXPECT_EQ(at("1970-01-02"), 86400 * kS);
  EXPECT_EQ(at("2024-03-01T10:30:00Z"), (rec::days_from_civil(2024, 3, 1) * 86400 + 37800) * kS);
  EXPECT_EQ(at("2024-03-01 10:30"), at("2024-03-01T10:30:00.000Z"));
  EXPECT_EQ(at("2024-03-01T12:30:00+02:00"), at("2024-03-01T10:30:00Z"));
  EXPECT_EQ(at("2024-03-01T12:30:00+0200"), at("2024-03-01T10:30:00Z"));
  EXPECT_EQ(at("2024-03-01T05:00:00-05"), at("2024-03-01T10:00:00Z"));
  EXPECT_EQ(at("2024-03-01T10:30:00.25Z") - at("2024-03-01T10:30:00Z"), kS / 4);
  EXPECT_EQ(at("2024-03-01", "+05:30"), at("2024-02-29T18:30:00Z"));
  EXPECT_EQ(at("1709289000", "UTC", rec::TimestampUnit::Seconds), at("2024-03-01T10:30:00Z"));
  EXPECT_EQ(at("1709289000000", "UTC", rec::TimestampUnit::Millis), at("2024-03-01T10:30:00Z"));
  rec::Instant t = 0;
  const rec::TimeZone utc;
  for (const char* bad : {"2024-13-01", "2024-02-30", "2023-02-29", "2024-3-1", "yesterday", "1709289000",
                          "2024-03-01T25:00", "2024-03-01T10:00+99:00", "2024-03-01X"})
    EXPECT_FALSE(rec::parse_timestamp(bad, utc, rec::TimestampUnit::None, t)) << bad;
  EXPECT_TRUE(rec::parse_timestamp("2024-02-29", utc, rec::TimestampUnit::None, t));
}

TEST(RecordsTime, IanaZonesFollowDaylightSaving) {
  const auto ny = *rec::TimeZone::parse("america/new_york");
  EXPECT_EQ(ny.name(), "America/New_York");
  EXPECT_EQ(ny.offset_at(at("2024-01-15T12:00:00Z") / kS), -5 * 3600);
  EXPECT_EQ(ny.offset_at(at("2024-07-15T12:00:00Z") / kS), -4 * 3600);
  EXPECT_EQ(ny.offset_at(at("1975-07-15T12:00:00Z") / kS), -4 * 3600);
  // 2024-03-10 02:30 does not exist in New York (read with the offset before the gap: 07:30Z);
  // 2024-11-03 01:30 happens twice (the earlier one, EDT: 05:30Z).
  EXPECT_EQ(at("2024-03-10T02:30", "America/New_York"), at("2024-03-10T07:30:00Z"));
  EXPECT_EQ(at("2024-11-03T01:30", "America/New_York"), at("2024-11-03T05:30:00Z"));
  EXPECT_EQ(at("2024-07-01", "Europe/Paris"), at("2024-06-30T22:00:00Z"));
  EXPECT_EQ(at("2024-01-01", "Asia/Kolkata"), at("2023-12-31T18:30:00Z"));
  EXPECT_EQ(at("2024-01-01", "UTC+2"), at("2023-12-31T22:00:00Z"));
  EXPECT_FALSE(rec::TimeZone::parse("Mars/Olympus"));
  EXPECT_GT(rec::time_zone_names().size(), 300u);
}

TEST(RecordsCalendar, NamesAndBoundsOfPeriods) {
  rec::Calendar month{rec::PeriodKind::Month, *rec::TimeZone::parse("+05:30"), 0};
  const auto p = month.period_of(at("2024-01-31T19:00:00Z"));  // 00:30 on Feb 1st in +05:30
  EXPECT_EQ(month.name(p), "2024-02");
  EXPECT_EQ(month.start_of(p), at("2024-01-31T18:30:00Z"));
  EXPECT_EQ(month.name(p + 11), "2025-01");
  rec::Calendar quarter{rec::PeriodKind::Quarter, rec::TimeZone(), 0};
  EXPECT_EQ(quarter.name(quarter.period_of(at("2024-05-31"))), "2024-Q2");
  EXPECT_EQ(quarter.start_of(quarter.period_of(at("2024-05-31"))), at("2024-04-01"));
  rec::Calendar week{rec::PeriodKind::Week, rec::TimeZone(), 0};
  EXPECT_EQ(week.name(week.period_of(at("2024-03-06"))), "2024-03-04");  // a Wednesday -> its Monday
  EXPECT_EQ(week.name(week.period_of(at("2024-03-04"))), "2024-03-04");
  EXPECT_EQ(week.name(week.period_of(at("2024-03-03T23:59:59Z"))), "2024-02-26");
  rec::Calendar sunday{rec::PeriodKind::Week, rec::TimeZone(), *rec::parse_week_start("Sunday")};
  EXPECT_EQ(sunday.name(sunday.period_of(at("2024-03-06"))), "2024-03-03");
  rec::Calendar paris{rec::PeriodKind::Month, *rec::TimeZone::parse("Europe/Paris"), 0};
  EXPECT_EQ(paris.start_of(paris.period_of(at("2024-04-15"))), at("2024-03-31T22:00:00Z"));
  EXPECT_EQ(paris.name(paris.period_of(at("2024-03-31T22:30:00Z"))), "2024-04");
  EXPECT_EQ(paris.name(paris.period_of(at("2024-03-31T21:30:00Z"))), "2024-03");
}

// Cohort matrices grow with the square of the periods: 1,000 months (1940-05 to 2023-08) are
// computed, one more is a 422 naming the span, answered at once instead of a gigabyte of cohorts.
TEST(RecordsSubscriptionsSpan, AtMostAThousandPeriods) {
  auto body = [](const char* start) {
    return pmkpi::Json{{"csv", std::string("customer_id,amount,interval,start,end\nc1,29,month,") + start +
                                   ",\nc2,49,month,2023-08-10,\n"}};
  };
  const auto edge = pmkpi::handle("POST", "/records/subscriptions", body("1940-05-01").dump());
  ASSERT_EQ(edge.status, 200) << edge.body.substr(0, 300);
  EXPECT_EQ(pmkpi::Json::parse(edge.body)["periods"].size(), 1000u);
  const auto over = pmkpi::handle("POST", "/records/subscriptions", body("1940-04-30").dump());
  ASSERT_EQ(over.status, 422);
  const pmkpi::Json e = pmkpi::Json::parse(over.body)["detail"][0];
  EXPECT_EQ(e["loc"], pmkpi::Json::array({"body", "period"}));
  EXPECT_EQ(e["msg"],
            "The data spans 1001 months; at most 1000 periods are computed, as the cohort matrices grow with the "
            "square of that (choose a longer period or set as_of).");
  // The same rows by quarter: 334 periods, answered.
  pmkpi::Json quarterly = body("1940-04-30");
  quarterly["period"] = "quarter";
  EXPECT_EQ(pmkpi::handle("POST", "/records/subscriptions", quarterly.dump()).status, 200);
}
