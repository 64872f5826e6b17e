#include "constellation/server/http_message.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

namespace constellation::server {
namespace {

HttpRequest request_for(std::string target) {
  HttpRequest r;
  r.method = "GET";
  r.target = std::move(target);
  return r;
}

TEST(HttpRequestPath, StripsTheQueryString) {
  EXPECT_EQ(request_for("/").path(), "/");
  EXPECT_EQ(request_for("/?").path(), "/");
  EXPECT_EQ(request_for("/?a=b").path(), "/");
  EXPECT_EQ(request_for("/.well-known/agent.json?x=1&y=2").path(), "/.well-known/agent.json");
  // Only the first '?' starts the query.
  EXPECT_EQ(request_for("/a?b?c").path(), "/a");
  EXPECT_EQ(request_for("/v1/peers").path(), "/v1/peers");
}

TEST(HttpRequestPath, EmptyTargets) {
  EXPECT_EQ(request_for("").path(), "");
  EXPECT_EQ(request_for("?only=query").path(), "");
}

TEST(HttpRequestPath, ViewsTheTargetWithoutCopying) {
  const HttpRequest r = request_for("/abc?d");
  const std::string_view p = r.path();
  EXPECT_EQ(p.data(), r.target.data());
  EXPECT_EQ(p.size(), 4u);
}

TEST(HttpRequestHeader, ReturnsTheValueOrEmpty) {
  HttpRequest r;
  r.headers = {{"content-type", "application/json"},
               {"x-a2a-source-url", "http://100.64.0.7:7777/"}};
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("x-a2a-source-url"), "http://100.64.0.7:7777/");
  EXPECT_EQ(r.header("accept"), "");
  // Names are stored lowercased by the session; lookups must use lowercase too.
  EXPECT_EQ(r.header("Content-Type"), "");
}

TEST(HttpRequestHeader, AbsentHeaderIsAStableEmptyString) {
  const HttpRequest a;
  const HttpRequest b;
  const std::string& x = a.header("nope");
  EXPECT_TRUE(x.empty());
  EXPECT_EQ(&x, &b.header("other")) << "one shared empty string, valid after the request dies";
}

TEST(HttpResponses, JsonResponse) {
  const HttpResponse r = json_response(201, R"({"a":1})");
  EXPECT_EQ(r.status, 201);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, R"({"a":1})");
  EXPECT_TRUE(r.headers.empty());
}

TEST(HttpResponses, TextResponse) {
  const HttpResponse r = text_response(404, "not found\n");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "not found\n");
  EXPECT_TRUE(r.headers.empty());
}

TEST(HttpResponses, DefaultResponseIsAnEmptyJson200) {
  const HttpResponse r;
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body, "");
}

TEST(ServerLimits, Defaults) {
  const ServerLimits limits;
  EXPECT_EQ(limits.max_body_bytes, 1024u * 1024u);
  EXPECT_EQ(limits.max_header_bytes, 16u * 1024u);
  EXPECT_EQ(limits.header_timeout, std::chrono::seconds(10));
  EXPECT_EQ(limits.body_timeout, std::chrono::seconds(60));
  EXPECT_EQ(limits.idle_timeout, std::chrono::seconds(30));
  EXPECT_EQ(limits.write_timeout, std::chrono::seconds(15));
  EXPECT_EQ(limits.max_connections, 512u);
}

TEST(LimitRefusals, PlainTextByDefault) {
  const HttpResponse r = plain_refusal(LimitRefusal{431, "Request headers are too long", "", ""});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "Request headers are too long\n");
}

}  // namespace
}  // namespace constellation::server
