#include <gtest/gtest.h>

#include "config.hpp"

using namespace pmkpi::server;

namespace {

FileReader files(std::map<std::string, std::string> contents) {
  return [contents](const std::string& path) -> std::optional<std::string> {
    auto it = contents.find(path);
    if (it == contents.end()) return std::nullopt;
    return it->second;
  };
}

ConfigResult load(std::vector<std::string> args, Environment env = {}, std::map<std::string, std::string> fs = {}) {
  return load_config(args, env, files(std::move(fs)));
}

}  // namespace

TEST(ServerConfig, DefaultsFollowTheSpec) {
  const ConfigResult r = load({});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.host, "0.0.0.0");
  EXPECT_EQ(r.config.port, 8000u);
  EXPECT_EQ(r.config.cors_origins, std::vector<std::string>{"*"});
  EXPECT_EQ(r.config.log_level, LogLevel::Info);
  EXPECT_EQ(r.config.workers, 0u);
  EXPECT_EQ(r.config.max_body_bytes, 16u * 1024 * 1024);
  EXPECT_EQ(r.config.ui_dir, "dist/app");
  EXPECT_FALSE(r.config.ui_dir_given);
}

TEST(ServerConfig, EnvironmentWinsOverDotenvAndFlagsWinOverBoth) {
  const auto fs = std::map<std::string, std::string>{{".env", "API_PORT=9001\nAPI_HOST=127.0.0.1\nLOG_LEVEL=debug\n"}};
  ConfigResult r = load({}, {}, fs);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.port, 9001u);
  EXPECT_EQ(r.config.host, "127.0.0.1");
  EXPECT_EQ(r.config.log_level, LogLevel::Debug);

  r = load({}, {{"API_PORT", "9002"}}, fs);
  EXPECT_EQ(r.config.port, 9002u);
  EXPECT_EQ(r.config.host, "127.0.0.1");

  r = load({"--port", "9003", "--host=::1"}, {{"API_PORT", "9002"}}, fs);
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.port, 9003u);
  EXPECT_EQ(r.config.host, "::1");
}

TEST(ServerConfig, EveryVariableIsRead) {
  const ConfigResult r = load({}, {{"API_HOST", "127.0.0.1"},
                                   {"API_PORT", "0"},
                                   {"CORS_ORIGINS", "https://App.example.com/, http://localhost:5173"},
                                   {"LOG_LEVEL", "WARNING"},
                                   {"API_WORKERS", "3"},
                                   {"MAX_BODY_BYTES", "1024"},
                                   {"KEEP_ALIVE_TIMEOUT", "0.5"},
                                   {"REQUEST_TIMEOUT", "2"},
                                   {"UI_DIR", "/srv/ui"},
                                   {"DOCS_DIR", "/srv/docs"}});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.host, "127.0.0.1");
  EXPECT_EQ(r.config.port, 0u);
  EXPECT_EQ(r.config.cors_origins, (std::vector<std::string>{"https://app.example.com", "http://localhost:5173"}));
  EXPECT_EQ(r.config.log_level, LogLevel::Warning);
  EXPECT_EQ(r.config.workers, 3u);
  EXPECT_EQ(r.config.max_body_bytes, 1024u);
  EXPECT_DOUBLE_EQ(r.config.keep_alive_timeout, 0.5);
  EXPECT_DOUBLE_EQ(r.config.request_timeout, 2.0);
  EXPECT_EQ(r.config.ui_dir, "/srv/ui");
  EXPECT_TRUE(r.config.ui_dir_given);
  EXPECT_EQ(r.config.docs_dir, "/srv/docs");
  EXPECT_TRUE(r.config.docs_dir_given);
}

TEST(ServerConfig, EveryBadValueIsNamedWithItsSource) {
  const std::vector<std::pair<std::string, std::string>> bad = {{"API_HOST", "example.com"},
                                                                {"API_HOST", ""},
                                                                {"API_PORT", "65536"},
                                                                {"API_PORT", "80a"},
                                                                {"API_PORT", "-1"},
                                                                {"CORS_ORIGINS", "example.com"},
                                                                {"CORS_ORIGINS", ""},
                                                                {"CORS_ORIGINS", "*,https://a.b"},
                                                                {"CORS_ORIGINS", "https://a.b/path"},
                                                                {"LOG_LEVEL", "verbose"},
                                                                {"API_WORKERS", "0"},
                                                                {"API_WORKERS", "many"},
                                                                {"MAX_BODY_BYTES", "0"},
                                                                {"MAX_BODY_BYTES", "1e6"},
                                                                {"KEEP_ALIVE_TIMEOUT", "-1"},
                                                                {"KEEP_ALIVE_TIMEOUT", "nan"},
                                                                {"REQUEST_TIMEOUT", "0"},
                                                                {"UI_DIR", " "},
                                                                {"DOCS_DIR", ""}};
  for (const auto& [name, value] : bad) {
    const ConfigResult r = load({}, {{name, value}});
    EXPECT_NE(r.error.find(name), std::string::npos) << name << "=" << value << ": " << r.error;
    EXPECT_NE(r.error.find("from the environment"), std::string::npos) << r.error;
  }
  const ConfigResult r = load({}, {}, {{".env", "# settings\nAPI_PORT=http\n"}});
  EXPECT_NE(r.error.find("API_PORT=\"http\" (from .env)"), std::string::npos) << r.error;
}

TEST(ServerConfig, BadFlagsAreErrors) {
  EXPECT_NE(load({"--port"}).error.find("needs a value"), std::string::npos);
  EXPECT_NE(load({"--bogus", "1"}).error.find("unknown option --bogus"), std::string::npos);
  EXPECT_NE(load({"--port", "x"}).error.find("--port \"x\" not a port number"), std::string::npos);
  EXPECT_NE(load({"--env-file", "missing.env"}).error.find("cannot be read"), std::string::npos);
  EXPECT_TRUE(load({"--help"}).help);
  EXPECT_TRUE(load({"--version"}).version);
}

TEST(ServerConfig, EnvFileFlagChoosesTheFile) {
  const ConfigResult r = load({"--env-file", "prod.env"}, {}, {{"prod.env", "API_PORT=7000"}, {".env", "API_PORT=1"}});
  ASSERT_EQ(r.error, "");
  EXPECT_EQ(r.config.port, 7000u);
}

TEST(ServerConfig, DotenvSyntax) {
  Environment env;
  std::string error;
  ASSERT_TRUE(
      parse_dotenv("# comment\n\nexport API_HOST=127.0.0.1\r\nCORS_ORIGINS=\"https://a.example, https://b.example\"\n"
                   "LOG_LEVEL='debug'\nAPI_PORT=8100 # inline comment\nEMPTY=\n",
                   env, error))
      << error;
  EXPECT_EQ(env["API_HOST"], "127.0.0.1");
  EXPECT_EQ(env["CORS_ORIGINS"], "https://a.example, https://b.example");
  EXPECT_EQ(env["LOG_LEVEL"], "debug");
  EXPECT_EQ(env["API_PORT"], "8100");
  EXPECT_EQ(env["EMPTY"], "");

  EXPECT_FALSE(parse_dotenv("API_PORT=1\nnot a setting\n", env, error));
  EXPECT_EQ(error, "line 2 is not KEY=VALUE: not a setting");
  EXPECT_FALSE(parse_dotenv("A=\"open\n", env, error));
  EXPECT_NE(error.find("unterminated"), std::string::npos);
}

TEST(ServerConfig, HostsAndOrigins) {
  EXPECT_TRUE(valid_host("0.0.0.0"));
  EXPECT_TRUE(valid_host("::"));
  EXPECT_TRUE(valid_host("localhost"));
  EXPECT_FALSE(valid_host("256.1.1.1"));
  EXPECT_FALSE(valid_host("example.com"));
  EXPECT_EQ(normalize_origin("HTTPS://App.Example.com/"), "https://app.example.com");
  EXPECT_EQ(normalize_origin("http://[::1]:8080"), "http://[::1]:8080");
  EXPECT_EQ(normalize_origin("ftp://a.example"), std::nullopt);
  EXPECT_EQ(normalize_origin("https://a.example/x"), std::nullopt);
  EXPECT_EQ(normalize_origin("https://user@a.example"), std::nullopt);
}

TEST(ServerConfig, UsageListsEveryVariable) {
  const std::string usage = usage_text();
  for (const char* v : {"API_HOST", "API_PORT", "CORS_ORIGINS", "LOG_LEVEL", "API_WORKERS", "MAX_BODY_BYTES",
                        "KEEP_ALIVE_TIMEOUT", "REQUEST_TIMEOUT", "UI_DIR", "DOCS_DIR", "--env-file"})
    EXPECT_NE(usage.find(v), std::string::npos) << v;
}
