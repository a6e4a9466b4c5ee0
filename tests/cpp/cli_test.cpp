// The CLI's contract: output, status line, exit status, stdin body, and the batch stream.
#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <string>

#include "test_support.hpp"

namespace pmkpi {
namespace {

struct CliRun {
  int exit_code;
  std::string out;
};

/** Runs the CLI through the shell with `args`, optionally feeding `input` on stdin. */
CliRun cli(const std::string& args, const std::string& input = "") {
  // One input file per test: ctest runs the tests in parallel processes.
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  const std::string in_path = ::testing::TempDir() + "pmkpi_cli_" + info->name() + ".txt";
  std::ofstream(in_path, std::ios::binary) << input;
  const std::string cmd = std::string(PMKPI_CLI_PATH) + " " + args + " < " + in_path + " 2>/dev/null";
  FILE* p = popen(cmd.c_str(), "r");
  std::string out;
  char buf[4096];
  std::size_t n;
  while ((n = fread(buf, 1, sizeof buf, p)) > 0) out.append(buf, n);
  const int status = pclose(p);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, out};
}

TEST(Cli, RequestPrintsTheBodyAndExitsZeroOn2xx) {
  CliRun r =
      cli(R"(request POST /metrics/arpu '{"total_revenue": 50000.0, "total_users": 1000, "time_frame": "monthly"}')");
  EXPECT_EQ(r.exit_code, 0);
  Json body = Json::parse(r.out);
  EXPECT_EQ(body["value"], 50.0);
  EXPECT_EQ(r.out.back(), '\n');
}

TEST(Cli, StatusLineWithDashI) {
  CliRun r = cli(R"(request -i POST /metrics/arpu '{"total_revenue": 1}')");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_EQ(r.out.rfind("HTTP/1.1 422 Unprocessable Entity\r\n", 0), 0u) << r.out;
  EXPECT_NE(r.out.find("content-type: application/json\r\n"), std::string::npos);
  const auto blank = r.out.find("\r\n\r\n");
  ASSERT_NE(blank, std::string::npos);
  EXPECT_EQ(Json::parse(r.out.substr(blank + 4))["detail"][0]["type"], "missing");
  CliRun ok = cli("request -i GET /health");
  EXPECT_EQ(ok.out.rfind("HTTP/1.1 200 OK\r\n", 0), 0u);
  EXPECT_EQ(ok.exit_code, 0);
}

TEST(Cli, ErrorsExitOne) {
  EXPECT_EQ(cli("request GET /nope").exit_code, 1);
  EXPECT_EQ(cli("request GET /metrics/arpu").exit_code, 1);
  EXPECT_EQ(cli("request POST /metrics/mrr '{}'").exit_code, 1);
  EXPECT_EQ(cli("request POST /metrics/mrr '{}'").out,
            "{\"detail\":\"Must provide either (arpu + number_of_accounts) or "
            "(current_monthly_subscriptions + other components)\"}\n");
}

TEST(Cli, DashReadsTheBodyFromStdin) {
  CliRun r = cli("request POST /metrics/nps -", R"({"promoters":500,"passives":300,"detractors":200})");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_EQ(Json::parse(r.out)["value"], 30.0);
}

TEST(Cli, UsageErrorsExitTwo) {
  EXPECT_EQ(cli("").exit_code, 2);
  EXPECT_EQ(cli("request").exit_code, 2);
  EXPECT_EQ(cli("request POST").exit_code, 2);
  EXPECT_EQ(cli("frobnicate").exit_code, 2);
  EXPECT_EQ(cli("--help").exit_code, 0);
}

TEST(Cli, BatchAnswersEveryLineInOrder) {
  const std::string input =
      R"({"method":"POST","path":"/metrics/arpu","body":{"total_revenue":50000.0,"total_users":1000}})"
      "\n"
      "this is not json\n"
      "\n"
      R"({"method":"GET","path":"/health"})"
      "\n"
      R"({"path":"/metrics/arpu"})"
      "\n"
      R"({"method":"POST","path":"/metrics/arpu","body":"{\"total_revenue\": 1,"})"
      "\n"
      R"({"method":"POST","path":"/metrics/nps","body":{"promoters":0,"passives":0,"detractors":0}})"
      "\n"
      R"({"method":"POST","path":"/metrics/cltv","body":{"average_customer_lifetime_months":24,"average_revenue_per_user":50}})";
  CliRun r = cli("batch", input);
  EXPECT_EQ(r.exit_code, 0);
  std::istringstream lines(r.out);
  std::vector<Json> out;
  for (std::string line; std::getline(lines, line);) out.push_back(Json::parse(line));
  ASSERT_EQ(out.size(), 7u);
  EXPECT_EQ(out[0]["status"], 200);
  EXPECT_EQ(out[0]["body"]["value"], 50.0);
  EXPECT_EQ(out[1]["status"], 400);
  EXPECT_EQ(out[1]["body"]["detail"].get<std::string>().rfind("line 2: not valid JSON", 0), 0u);
  EXPECT_EQ(out[2]["status"], 200);
  EXPECT_EQ(out[2]["body"]["status"], "healthy");
  EXPECT_EQ(out[3]["status"], 400);
  EXPECT_EQ(out[3]["body"]["detail"].get<std::string>().rfind("line 5: expected an object", 0), 0u);
  EXPECT_EQ(out[4]["status"], 422);
  EXPECT_EQ(out[4]["body"]["detail"][0]["type"], "json_invalid");
  EXPECT_EQ(out[5]["status"], 400);
  EXPECT_EQ(out[6]["body"]["value"], 1200.0);
}

TEST(Cli, BatchStreamsManyLines) {
  std::string input;
  for (int i = 1; i <= 20000; ++i)
    input += R"({"method":"POST","path":"/metrics/arpu","body":{"total_revenue":)" + std::to_string(i * 10) +
             R"(,"total_users":10}})"
             "\n";
  CliRun r = cli("batch", input);
  std::istringstream lines(r.out);
  int n = 0;
  for (std::string line; std::getline(lines, line);) {
    ++n;
    ASSERT_EQ(Json::parse(line)["body"]["value"], static_cast<double>(n)) << line;
  }
  EXPECT_EQ(n, 20000);
}

TEST(Cli, BatchLineNumbersHoldAcrossChunks) {
  std::string input;
  for (int i = 0; i < 5000; ++i)
    input += R"({"method":"GET","path":"/health"})"
             "\n";
  input += "{broken\n";
  input += R"({"method":"GET","path":"/"})"
           "\n";
  CliRun r = cli("batch", input);
  std::istringstream lines(r.out);
  std::vector<std::string> out;
  for (std::string line; std::getline(lines, line);) out.push_back(line);
  ASSERT_EQ(out.size(), 5002u);
  EXPECT_EQ(Json::parse(out[5000])["body"]["detail"].get<std::string>().rfind("line 5001: not valid JSON", 0), 0u);
  EXPECT_EQ(Json::parse(out[5001])["body"]["name"], "Product Management KPI API");
}

TEST(Cli, RecordsSubscriptionsReadsStdinWithOptions) {
  CliRun r = cli(R"(records subscriptions --options '{"period": "quarter"}' -)",
                 "customer_id,amount,start\nc1,30,2024-01-05\nc2,90,2024-05-01\n");
  EXPECT_EQ(r.exit_code, 0) << r.out;
  Json body = Json::parse(r.out);
  EXPECT_EQ(body["periods"].size(), 2u);
  EXPECT_EQ(body["summary"]["mrr"], 120.0);
}

TEST(Cli, RecordsSubscriptionsMappingAndBadRowsExitOne) {
  CliRun ok =
      cli(R"(records subscriptions --mapping '{"customer_id": "Account"}')", "Account,amount,start\nx,10,2024-01-01\n");
  EXPECT_EQ(ok.exit_code, 0) << ok.out;
  CliRun bad = cli("records subscriptions", "customer_id,amount,start\nx,ten,2024-01-01\n");
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_EQ(Json::parse(bad.out)["detail"][0]["loc"], Json({"body", "csv", 1, "amount"}));
  EXPECT_EQ(cli("records subscriptions --options nope").exit_code, 2);
}

}  // namespace
}  // namespace pmkpi
