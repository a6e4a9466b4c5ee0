#include <gtest/gtest.h>

#include "cors.hpp"

using namespace pmkpi::server;

TEST(ServerCors, AnyOriginPreflight) {
  const CorsPolicy any({"*"});
  ASSERT_TRUE(CorsPolicy::is_preflight("OPTIONS", "https://x.example", "POST"));
  EXPECT_FALSE(CorsPolicy::is_preflight("OPTIONS", "", "POST"));
  EXPECT_FALSE(CorsPolicy::is_preflight("OPTIONS", "https://x.example", ""));
  const Reply r = any.preflight("https://x.example", "POST", "content-type, x-trace");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(*r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(*r.header("access-control-allow-methods"), "GET, POST, HEAD, OPTIONS");
  EXPECT_EQ(*r.header("access-control-allow-headers"), "content-type, x-trace");
  EXPECT_EQ(*r.header("access-control-max-age"), "600");
}

TEST(ServerCors, ListedOriginsAreEchoedWithVary) {
  const CorsPolicy listed({"https://app.example.com"});
  Reply r = listed.preflight("https://app.example.com", "POST", "content-type");
  EXPECT_EQ(r.status, 204);
  EXPECT_EQ(*r.header("access-control-allow-origin"), "https://app.example.com");
  EXPECT_NE(r.header("vary")->find("Origin"), std::string::npos);

  Reply ordinary;
  listed.decorate(ordinary, "https://app.example.com");
  EXPECT_EQ(*ordinary.header("access-control-allow-origin"), "https://app.example.com");
  EXPECT_EQ(*ordinary.header("vary"), "Origin");
}

TEST(ServerCors, DisallowedOriginGetsNoCorsHeader) {
  const CorsPolicy listed({"https://app.example.com"});
  const Reply pre = listed.preflight("https://evil.example", "POST", "content-type");
  EXPECT_EQ(pre.status, 400);
  EXPECT_EQ(pre.header("access-control-allow-origin"), nullptr);
  EXPECT_EQ(pre.header("access-control-allow-methods"), nullptr);

  Reply ordinary;
  listed.decorate(ordinary, "https://evil.example");
  EXPECT_EQ(ordinary.header("access-control-allow-origin"), nullptr);
  Reply no_origin;
  listed.decorate(no_origin, "");
  EXPECT_EQ(no_origin.header("access-control-allow-origin"), nullptr);
}

TEST(ServerCors, BadPreflightsAreRefused) {
  const CorsPolicy any({"*"});
  EXPECT_EQ(any.preflight("https://x.example", "DELETE", "").status, 400);
  EXPECT_EQ(any.preflight("https://x.example", "POST", "content-type\r\nx: y").status, 400);
}

TEST(ServerCors, AnyOriginOnOrdinaryAnswers) {
  const CorsPolicy any({"*"});
  Reply r;
  any.decorate(r, "https://x.example");
  EXPECT_EQ(*r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(r.header("vary"), nullptr);
  Reply none;
  any.decorate(none, "");
  EXPECT_EQ(none.header("access-control-allow-origin"), nullptr);
}
