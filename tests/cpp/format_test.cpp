// Number formatting shared by every response.
#include <cmath>
#include <limits>

#include "test_support.hpp"

namespace pmkpi {
namespace {

TEST(Format, RoundsLikePython) {
  EXPECT_EQ(round_to(2.675, 2), 2.67);  // the binary value is below the tie
  EXPECT_EQ(round_to(0.125, 2), 0.12);  // an exact tie goes to even
  EXPECT_EQ(round_to(0.375, 2), 0.38);
  EXPECT_EQ(round_to(33.333333, 2), 33.33);
  EXPECT_EQ(round_to(-0.001, 2), 0.0);
  EXPECT_FALSE(std::signbit(round_to(-0.001, 2)));
  EXPECT_EQ(round_to(1e300, 2), 1e300);
  EXPECT_TRUE(std::isinf(round_to(std::numeric_limits<double>::infinity(), 2)));
}

TEST(Format, MoneyAndCommas) {
  EXPECT_EQ(money(50000), "$50,000.00");
  EXPECT_EQ(money(600000), "$600,000.00");
  EXPECT_EQ(money(999.999), "$1,000.00");
  EXPECT_EQ(money(-1500.5), "-$1,500.50");
  EXPECT_EQ(money(-0.001), "$0.00");
  EXPECT_EQ(with_commas(1234567, 0), "1,234,567");
  EXPECT_EQ(with_commas(100, 0), "100");
}

TEST(Format, PlainDropsTrailingZeros) {
  EXPECT_EQ(plain(85.0), "85");
  EXPECT_EQ(plain(62.5), "62.5");
  EXPECT_EQ(plain(33.3333), "33.33");
  EXPECT_EQ(plain(-0.0001), "0");
  EXPECT_EQ(plain(1.0 / 3.0, 4), "0.3333");
}

}  // namespace
}  // namespace pmkpi

namespace pmkpi {
namespace {

TEST(Format, AppendJsonWritesWhatDumpWrites) {
  const Json doc = Json::parse(
      R"({"a":[1,-2,3.5,1e23,0.1,-0.0,5e-324,1.7976931348623157e308,18446744073709551615,-9223372036854775808],
    "text":"quote \" backslash \\ tab \t newline \n bell \u0007 del \u007f unicode é 日本 😀","empty":{},"list":[],"t":true,"f":false,"n":null,
    "nested":{"deeper":[{"x":[[]]}]}})");
  std::string out;
  append_json(out, doc);
  EXPECT_EQ(out, doc.dump());
  EXPECT_EQ(Json::parse(out), doc);
}

TEST(Format, ForeignTextIsEscapedWithReplacement) {
  std::string out;
  append_json_string(out, std::string("a\"b\\c\n\x7f\x01 \xff \xc3\xa9 \xed\xa0\x80"), TextSource::Foreign);
  EXPECT_EQ(out, "\"a\\\"b\\\\c\\n\\u007f\\u0001 \\ufffd \xc3\xa9 \\ufffd\\ufffd\\ufffd\"");
  EXPECT_TRUE(Json::accept(out));
  std::string trusted;
  append_json_string(trusted, "caf\xc3\xa9 \b");
  EXPECT_EQ(trusted, "\"caf\xc3\xa9 \\b\"");
}

TEST(Format, ValidUtf8AndTrim) {
  EXPECT_EQ(valid_utf8("ok \xc3\xa9"), "ok \xc3\xa9");
  EXPECT_EQ(valid_utf8("\xff\xc3"), "\xef\xbf\xbd\xef\xbf\xbd");
  EXPECT_EQ(valid_utf8("\xf0\x9f\x98\x80"), "\xf0\x9f\x98\x80");  // 4-byte sequence kept
  EXPECT_EQ(valid_utf8("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");  // overlong
  EXPECT_EQ(trim("  a b\t\n"), "a b");
  EXPECT_EQ(trim(" \t "), "");
  EXPECT_EQ(trim(""), "");
}

}  // namespace
}  // namespace pmkpi
