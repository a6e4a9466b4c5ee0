#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "log.hpp"
#include "reply.hpp"

using namespace pmkpi::server;

namespace {

std::string read_all(int fd) {
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  return out;
}

/** What a logger at `level` writes for one access and one event of each level. */
std::string logged_at(LogLevel level) {
  int fds[2];
  if (::pipe(fds) != 0) return "pipe failed";
  {
    const Logger logger(level, fds[1]);
    AccessRecord r;
    r.time = std::chrono::system_clock::now();
    r.method = "GET";
    r.path = "/health";
    r.status = 200;
    logger.access(r);
    logger.event(LogLevel::Debug, "debug_event", "d");
    logger.event(LogLevel::Warning, "warning_event", "w");
    logger.event(LogLevel::Error, "error_event", "e");
    logger.always("listening", "l");
  }
  ::close(fds[1]);
  const std::string out = read_all(fds[0]);
  ::close(fds[0]);
  return out;
}

}  // namespace

TEST(ServerLog, AccessLineIsOneJsonObject) {
  AccessRecord r;
  r.time = std::chrono::system_clock::time_point(std::chrono::seconds(1706781600));
  r.method = "POST";
  r.path = "/metrics/\"arpu\"\n\xff";
  r.status = 422;
  r.duration_us = 123;
  r.bytes = 456;
  r.remote = "127.0.0.1";
  const std::string line = format_access_line(r);
  ASSERT_EQ(line.back(), '\n');
  EXPECT_EQ(line.find('\n'), line.size() - 1);
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["time"], "2024-02-01T10:00:00.000000Z");
  EXPECT_EQ(j["level"], "info");
  EXPECT_EQ(j["event"], "access");
  EXPECT_EQ(j["method"], "POST");
  EXPECT_EQ(j["path"], "/metrics/\"arpu\"\n\xef\xbf\xbd");
  EXPECT_EQ(j["status"], 422);
  EXPECT_EQ(j["duration_us"], 123);
  EXPECT_EQ(j["bytes"], 456);
  EXPECT_EQ(j["remote"], "127.0.0.1");
  EXPECT_FALSE(j.contains("request_id"));  // omitted when empty
  EXPECT_FALSE(j.contains("forwarded_for"));
  r.request_id = "abc";
  r.forwarded_for = "203.0.113.7, 10.0.0.1";
  const auto k = nlohmann::json::parse(format_access_line(r));
  EXPECT_EQ(k["request_id"], "abc");
  EXPECT_EQ(k["forwarded_for"], "203.0.113.7, 10.0.0.1");
}

TEST(ServerLog, LevelsFilter) {
  const std::string info = logged_at(LogLevel::Info);
  EXPECT_NE(info.find("\"event\":\"access\""), std::string::npos);
  EXPECT_EQ(info.find("debug_event"), std::string::npos);
  EXPECT_NE(info.find("warning_event"), std::string::npos);

  const std::string warning = logged_at(LogLevel::Warning);
  EXPECT_EQ(warning.find("\"event\":\"access\""), std::string::npos);
  EXPECT_NE(warning.find("warning_event"), std::string::npos);
  EXPECT_NE(warning.find("\"event\":\"listening\""), std::string::npos);

  const std::string error = logged_at(LogLevel::Error);
  EXPECT_EQ(error.find("warning_event"), std::string::npos);
  EXPECT_NE(error.find("error_event"), std::string::npos);

  const std::string debug = logged_at(LogLevel::Debug);
  EXPECT_NE(debug.find("debug_event"), std::string::npos);
  EXPECT_NE(debug.find("\"event\":\"access\""), std::string::npos);
}

TEST(ServerLog, EventLineCarriesFields) {
  const std::string line = format_event_line(std::chrono::system_clock::now(), LogLevel::Warning, "x", "msg \"q\"",
                                             {{"port", "8000"}, {"host", json_quote("::1")}});
  const auto j = nlohmann::json::parse(line);
  EXPECT_EQ(j["level"], "warning");
  EXPECT_EQ(j["message"], "msg \"q\"");
  EXPECT_EQ(j["port"], 8000);
  EXPECT_EQ(j["host"], "::1");
}

TEST(ServerReply, HttpDateAndJsonQuote) {
  EXPECT_EQ(http_date(784111777), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(json_quote("a\tb\x01"), "\"a\\tb\\u0001\"");
  EXPECT_EQ(json_quote("caf\xc3\xa9"), "\"caf\xc3\xa9\"");
  EXPECT_EQ(json_quote("\xc0\xaf"), "\"\\ufffd\\ufffd\"");  // overlong '/'
  const Reply e = error_reply(413, "too \"big\"");
  EXPECT_EQ(e.status, 413);
  EXPECT_EQ(e.body, "{\"detail\":\"too \\\"big\\\"\"}");
  EXPECT_EQ(*e.header("Content-Type"), "application/json");
}
