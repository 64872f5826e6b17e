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
#include <thread>
#include <utility>
#include <vector>

#include "constellation/daemon/task_waiters.h"
#include "constellation/store/inbound_tasks.h"
#include "store/store_fixture.h"

namespace constellation::server {
namespace {

using nlohmann::json;

// --- a2a_refusal: pure ------------------------------------------------------------------

TEST(A2aRefusal, JsonRpcCallsGetAJsonRpcErrorWithTheLimitsStatus) {
  const HttpResponse r =
      a2a_refusal(LimitRefusal{413, "Request body of 20 bytes is over this peer's limit", "POST", "/?x=1"});
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(r.body,
            R"({"jsonrpc":"2.0","id":null,"error":{"code":-32600,"message":"Request body of 20 )"
            R"(bytes is over this peer's limit"}})");
}

TEST(A2aRefusal, EverythingElseGetsPlainText) {
  EXPECT_EQ(a2a_refusal(LimitRefusal{413, "too big", "POST", "/push"}).content_type,
            "text/plain; charset=utf-8");
  EXPECT_EQ(a2a_refusal(LimitRefusal{503, "busy", "", ""}).body, "busy\n");
  EXPECT_EQ(a2a_refusal(LimitRefusal{431, "long", "GET", "/"}).body, "long\n");
}

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
    make_handler(std::chrono::seconds(60));
  }

  void make_handler(std::chrono::milliseconds blocking_timeout) {
    A2aHandlerDeps deps;
    deps.blocking_timeout = blocking_timeout;
    deps.watch_task = [this](const std::string& id, const boost::asio::any_io_executor& ex) {
      return std::unique_ptr<TaskWatch>(waiters_.enter(id, ex));
    };
    deps.on_task_changed = [this](const std::string& id) { waiters_.notify(id); };
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

  /// The id of the one open inbound task, once a request has stored it.
  std::string wait_for_open_task() {
    for (int i = 0; i < 500; ++i) {
      auto open = store::InboundTasks(*db_).list_open();
      if (open && !open->empty()) return open->front().task.id;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    ADD_FAILURE() << "no task was stored";
    return {};
  }

  daemon::TaskWaiters waiters_;
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

const std::string kBlockingSend =
    R"({"jsonrpc":"2.0","id":1,"method":"SendMessage","params":{"message":)"
    R"({"messageId":"m1","role":"ROLE_USER","parts":[{"text":"hold me"}]}}})";

TEST_F(A2aHandlerTest, BlockingSendIsHeldUntilTheAgentResponds) {
  std::thread responder([this] {
    const std::string id = wait_for_open_task();
    if (id.empty()) return;
    // Past the store commit the handler is waiting: a respond must release it at once.
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    auto done = store::InboundTasks(*db_).respond(id, "released", false, std::chrono::system_clock::now());
    EXPECT_TRUE(done) << done.error().message;
    waiters_.notify(id);
  });
  const auto started = std::chrono::steady_clock::now();
  const HttpResponse r = serve("POST", "/", kBlockingSend);
  responder.join();
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(30))
      << "released by the respond, not by the 60 s limit";
  const json task = json::parse(r.body)["result"]["task"];
  EXPECT_EQ(task["status"]["state"], "TASK_STATE_COMPLETED") << r.body;
  EXPECT_EQ(task["artifacts"][0]["parts"][0]["text"], "released");
}

TEST_F(A2aHandlerTest, BlockingSendIsReleasedWhenItsTaskIsCanceled) {
  std::thread canceler([this] {
    const std::string id = wait_for_open_task();
    if (id.empty()) return;
    const HttpResponse c = serve("POST", "/",
                                 R"({"jsonrpc":"2.0","id":2,"method":"CancelTask","params":{"id":")" +
                                     id + R"("}})");
    EXPECT_EQ(json::parse(c.body)["result"]["status"]["state"], "TASK_STATE_CANCELED") << c.body;
  });
  const HttpResponse r = serve("POST", "/", kBlockingSend);
  canceler.join();
  EXPECT_EQ(json::parse(r.body)["result"]["task"]["status"]["state"], "TASK_STATE_CANCELED") << r.body;
}

TEST_F(A2aHandlerTest, BlockingSendGetsTheTaskAsItStandsAtTheLimit) {
  make_handler(std::chrono::milliseconds(300));
  const HttpResponse r = serve("POST", "/", kBlockingSend);
  EXPECT_EQ(json::parse(r.body)["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED") << r.body;
}

TEST_F(A2aHandlerTest, BlockingSendIsReleasedAtShutdown) {
  std::thread stopper([this] {
    if (wait_for_open_task().empty()) return;
    waiters_.notify_all();
  });
  const HttpResponse r = serve("POST", "/", kBlockingSend);
  stopper.join();
  EXPECT_EQ(json::parse(r.body)["result"]["task"]["status"]["state"], "TASK_STATE_SUBMITTED") << r.body;
}

}  // namespace
}  // namespace constellation::server
