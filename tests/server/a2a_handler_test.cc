#include "constellation/server/a2a_handler.h"

#include <gtest/gtest.h>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_future.hpp>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

#include "constellation/store/inbound_tasks.h"
#include "store/store_fixture.h"

namespace constellation::server {
namespace {

using nlohmann::json;

// --- route_a2a: pure --------------------------------------------------------------------

TEST(RouteA2a, CardAtBothWellKnownPaths) {
  EXPECT_EQ(route_a2a("GET", "/.well-known/agent.json"), A2aRoute::kCard);
  EXPECT_EQ(route_a2a("GET", "/.well-known/agent-card.json"), A2aRoute::kCard);
  EXPECT_EQ(route_a2a("HEAD", "/.well-known/agent.json"), A2aRoute::kCard);
  EXPECT_EQ(route_a2a("HEAD", "/.well-known/agent-card.json"), A2aRoute::kCard);
}

TEST(RouteA2a, CardRefusesOtherMethods) {
  for (const char* method : {"POST", "PUT", "DELETE", "OPTIONS", "get"}) {
    SCOPED_TRACE(method);
    EXPECT_EQ(route_a2a(method, "/.well-known/agent.json"), A2aRoute::kMethodNotAllowed);
    EXPECT_EQ(route_a2a(method, "/.well-known/agent-card.json"), A2aRoute::kMethodNotAllowed);
  }
}

TEST(RouteA2a, RpcIsPostToRootOnly) {
  EXPECT_EQ(route_a2a("POST", "/"), A2aRoute::kRpc);
  // a2a-wire.md §1.1: GET / is 405. Methods are case-sensitive.
  for (const char* method : {"GET", "HEAD", "PUT", "post"}) {
    SCOPED_TRACE(method);
    EXPECT_EQ(route_a2a(method, "/"), A2aRoute::kMethodNotAllowed);
  }
}

TEST(RouteA2a, EverythingElseIsNotFound) {
  for (const char* path : {"", "/a2a", "//", "/.well-known/agent.json/", "/.well-known/",
                           "/.well-known/AGENT.json", "/v1/status", "/.well-known/agent.jsonx"}) {
    SCOPED_TRACE(path);
    EXPECT_EQ(route_a2a("GET", path), A2aRoute::kNotFound);
    EXPECT_EQ(route_a2a("POST", path), A2aRoute::kNotFound);
  }
}

TEST(RouteA2a, QueryIsIgnoredThroughRequestPath) {
  HttpRequest r;
  r.method = "POST";
  r.target = "/?trace=1";
  EXPECT_EQ(route_a2a(r.method, r.path()), A2aRoute::kRpc);
  r.method = "GET";
  r.target = "/.well-known/agent-card.json?v=2";
  EXPECT_EQ(route_a2a(r.method, r.path()), A2aRoute::kCard);
}

// --- make_a2a_handler: the coroutine, on a real io_context and store --------------------

const std::string kCard =
    R"({"name":"atlas","url":"http://127.0.0.2:7777/","version":"0.1.0","skills":[]})";

class A2aHandlerTest : public store::test_support::StoreTest {
 protected:
  void SetUp() override {
    StoreTest::SetUp();
    db_ = open_store();
    ASSERT_TRUE(db_);
    rpc_ = std::make_unique<RpcService>(*db_);
    A2aHandlerDeps deps;
    deps.card_json = kCard;
    deps.rpc = rpc_.get();
    deps.blocking = pool_.get_executor();
    deps.on_new_task = [this](const std::string& id) {
      std::lock_guard lock(mutex_);
      new_tasks_.push_back(id);
    };
    handler_ = make_a2a_handler(std::move(deps));
  }

  void TearDown() override {
    pool_.join();
    StoreTest::TearDown();
  }

  HttpResponse serve(std::string method, std::string target, std::string body = {}) {
    HttpRequest req;
    req.method = std::move(method);
    req.target = std::move(target);
    req.body = std::move(body);
    if (req.method == "POST") req.headers.emplace("content-type", "application/json");
    boost::asio::io_context ioc;
    auto done = boost::asio::co_spawn(ioc, handler_(std::move(req)), boost::asio::use_future);
    ioc.run();
    return done.get();
  }

  std::vector<std::string> new_tasks() {
    std::lock_guard lock(mutex_);
    return new_tasks_;
  }

  static std::string header(const HttpResponse& r, const std::string& name) {
    std::string value;
    int seen = 0;
    for (const auto& [k, v] : r.headers) {
      if (k == name) value = v, ++seen;
    }
    EXPECT_LE(seen, 1) << name << " set twice";
    return value;
  }

  boost::asio::thread_pool pool_{1};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<RpcService> rpc_;
  HttpHandler handler_;
  std::mutex mutex_;
  std::vector<std::string> new_tasks_;
};

TEST_F(A2aHandlerTest, ServesTheCardAtBothPaths) {
  for (const char* target : {"/.well-known/agent.json", "/.well-known/agent-card.json?x=1"}) {
    SCOPED_TRACE(target);
    const HttpResponse r = serve("GET", target);
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.content_type, "application/json");
    EXPECT_EQ(r.body, kCard);
    EXPECT_EQ(header(r, "Cache-Control"), "public, max-age=60");
  }
}

TEST(CardEtag, StrongQuotedAndChangesWithTheCard) {
  const std::string a = card_etag(R"({"name":"a"})");
  EXPECT_EQ(a.size(), 18u) << a;
  EXPECT_EQ(a.front(), '"');
  EXPECT_EQ(a.back(), '"');
  EXPECT_EQ(a, card_etag(R"({"name":"a"})"));
  EXPECT_NE(a, card_etag(R"({"name":"b"})"));
  EXPECT_EQ(card_etag(""), "\"cbf29ce484222325\"") << "FNV-1a offset basis for no bytes";
}

TEST(IfNoneMatch, ListsWildcardAndWeakComparison) {
  const std::string tag = "\"0123456789abcdef\"";
  EXPECT_TRUE(if_none_match(tag, tag));
  EXPECT_TRUE(if_none_match("W/" + tag, tag)) << "If-None-Match compares weakly";
  EXPECT_TRUE(if_none_match("\"other\", " + tag, tag));
  EXPECT_TRUE(if_none_match(" \"other\" ,\t" + tag + " ", tag));
  EXPECT_TRUE(if_none_match("*", tag));
  EXPECT_FALSE(if_none_match("", tag));
  EXPECT_FALSE(if_none_match("\"other\"", tag));
  EXPECT_FALSE(if_none_match("0123456789abcdef", tag)) << "unquoted is a different tag";
  EXPECT_FALSE(if_none_match(",,", tag));
}

TEST_F(A2aHandlerTest, CardCarriesAnEtagAndAMatchIs304WithoutABody) {
  const HttpResponse first = serve("GET", "/.well-known/agent-card.json");
  const std::string etag = header(first, "ETag");
  EXPECT_EQ(etag, card_etag(kCard));

  HttpRequest again;
  again.method = "GET";
  again.target = "/.well-known/agent.json";
  again.headers["if-none-match"] = etag;
  boost::asio::io_context ioc;
  auto done = boost::asio::co_spawn(ioc, handler_(again), boost::asio::use_future);
  ioc.run();
  const HttpResponse r = done.get();
  EXPECT_EQ(r.status, 304);
  EXPECT_EQ(r.body, "");
  EXPECT_EQ(header(r, "ETag"), etag);
  EXPECT_EQ(header(r, "Cache-Control"), "public, max-age=60");
}

TEST_F(A2aHandlerTest, WrongMethodIs405WithAllow) {
  HttpResponse r = serve("GET", "/");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "method not allowed\n");
  EXPECT_EQ(header(r, "Allow"), "POST");

  r = serve("POST", "/.well-known/agent.json");
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(header(r, "Allow"), "GET, HEAD");
}

TEST_F(A2aHandlerTest, UnknownPathIs404) {
  const HttpResponse r = serve("POST", "/a2a", R"({"jsonrpc":"2.0"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.content_type, "text/plain; charset=utf-8");
  EXPECT_EQ(r.body, "not found\n");
  EXPECT_TRUE(new_tasks().empty());
}

TEST_F(A2aHandlerTest, RpcStoresTheTaskAndReportsItOnce) {
  const std::string send =
      R"({"jsonrpc":"2.0","id":"r","method":"tasks/send","params":{"id":"t-h",)"
      R"("message":{"role":"user","parts":[{"type":"text","text":"hi"}]}}})";
  HttpResponse r = serve("POST", "/", send);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  const json reply = json::parse(r.body);
  EXPECT_EQ(reply["result"]["id"], "t-h");
  EXPECT_EQ(reply["result"]["status"]["state"], "submitted");
  EXPECT_EQ(new_tasks(), std::vector<std::string>{"t-h"});

  // A re-send stores nothing, so nobody is told about a new task.
  r = serve("POST", "/", send);
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(new_tasks(), std::vector<std::string>{"t-h"});
  auto open = store::InboundTasks(*db_).list_open();
  ASSERT_TRUE(open);
  EXPECT_EQ(open->size(), 1u);
}

TEST_F(A2aHandlerTest, RpcErrorsTravelWithHttp200) {
  // a2a-wire.md §0: a JSON-RPC error goes with HTTP 200.
  const HttpResponse r = serve("POST", "/", "not json");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  const json reply = json::parse(r.body);
  EXPECT_EQ(reply["error"]["code"], -32700);
  EXPECT_EQ(reply["id"], nullptr);
  EXPECT_TRUE(new_tasks().empty());
}

}  // namespace
}  // namespace constellation::server
