// a2a_loadgen: a closed-loop HTTP/1.1 load generator for the server benchmarks (issue 7).
// N keep-alive connections, each sending its next request as soon as the previous answer
// is read (like wrk), for a fixed time or a fixed number of requests. The same binary
// drives our server and the SDK's, so the ratio between them is the generator's cost-free
// part. Prints one JSON line: throughput, latency percentiles, errors.
//
//   a2a_loadgen --host H --port P [--bind ADDR[+K]] [--connections N] [--threads T]
//               [--duration S] [--warmup S] [--requests N]
//               [--method GET|POST] [--path /] [--body-file F] [--header "K: V"]...
//               [--expect TEXT]
//
// A body may hold "{{seq}}": each request puts a number there that no other request of
// the run has (unique message ids). --expect: an answer must contain TEXT to count as
// good (e.g. "\"result\"", so JSON-RPC errors count as errors). --bind ADDR+K: connection i
// sends from ADDR + (i mod K), so the load comes from K callers (IPv4 only).

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include "stats.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using asio::awaitable;
using Clock = std::chrono::steady_clock;
constexpr auto kTuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct Options {
  std::string host = "127.0.0.1";
  std::string port;
  std::string bind;
  int bind_count = 1;  ///< --bind ADDR+K: K consecutive source addresses
  int connections = 1;
  int threads = 1;
  double duration_s = 5;
  double warmup_s = 1;
  long long requests = 0;  ///< >0: stop after this many, no warm-up, no time limit
  std::string method = "GET";
  std::string path = "/";
  std::string body;
  std::vector<std::string> headers;
  std::string expect;
};

[[noreturn]] void usage(const std::string& why) {
  std::cerr << "a2a_loadgen: " << why
            << "\nusage: a2a_loadgen --host H --port P [--bind ADDR] [--connections N] "
               "[--threads T] [--duration S] [--warmup S] [--requests N] [--method M] "
               "[--path P] [--body-file F] [--header 'K: V']... [--expect TEXT]\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(a + " needs a value");
      return argv[++i];
    };
    if (a == "--host") o.host = value();
    else if (a == "--port") o.port = value();
    else if (a == "--bind") o.bind = value();
    else if (a == "--connections") o.connections = std::stoi(value());
    else if (a == "--threads") o.threads = std::stoi(value());
    else if (a == "--duration") o.duration_s = std::stod(value());
    else if (a == "--warmup") o.warmup_s = std::stod(value());
    else if (a == "--requests") o.requests = std::stoll(value());
    else if (a == "--method") o.method = value();
    else if (a == "--path") o.path = value();
    else if (a == "--header") o.headers.push_back(value());
    else if (a == "--expect") o.expect = value();
    else if (a == "--body-file") {
      const std::string file = value();
      std::ifstream in(file, std::ios::binary);
      if (!in) usage("cannot read " + file);
      std::ostringstream text;
      text << in.rdbuf();
      o.body = text.str();
      while (!o.body.empty() && (o.body.back() == '\n' || o.body.back() == '\r')) o.body.pop_back();
    } else usage("unknown argument " + a);
  }
  if (o.port.empty()) usage("--port is required");
  if (o.connections < 1 || o.threads < 1) usage("--connections and --threads must be at least 1");
  if (const auto plus = o.bind.find('+'); plus != std::string::npos) {
    o.bind_count = std::stoi(o.bind.substr(plus + 1));
    o.bind.resize(plus);
    if (o.bind_count < 1) usage("--bind ADDR+K needs K of at least 1");
  }
  return o;
}

/// The request text with "{{seq}}" filled in: head and body split once, joined per request.
class RequestMaker {
 public:
  explicit RequestMaker(const Options& o) {
    std::string::size_type at = 0;
    for (;;) {
      const auto next = o.body.find("{{seq}}", at);
      pieces_.push_back(o.body.substr(at, next == std::string::npos ? std::string::npos : next - at));
      if (next == std::string::npos) break;
      at = next + 7;
    }
    head_ = o.method + " " + o.path + " HTTP/1.1\r\nHost: " + o.host + ":" + o.port + "\r\n";
    for (const auto& h : o.headers) head_ += h + "\r\n";
    if (!o.body.empty() || o.method == "POST") head_ += "Content-Type: application/json\r\n";
  }

  std::string make(long long seq) const {
    std::string body = pieces_.front();
    const std::string number = std::to_string(seq);
    for (std::size_t i = 1; i < pieces_.size(); ++i) body += number + pieces_[i];
    std::string text = head_;
    if (!body.empty() || pieces_.size() > 1 || head_.starts_with("POST")) {
      text += "Content-Length: " + std::to_string(body.size()) + "\r\n";
    }
    text += "\r\n";
    text += body;
    return text;
  }

 private:
  std::vector<std::string> pieces_;
  std::string head_;
};

struct Shared {
  const Options& options;
  RequestMaker maker;
  Clock::time_point measure_from;
  Clock::time_point stop_at;
  std::atomic<long long> issued{0};
  std::atomic<long long> errors{0};
  std::atomic<bool> error_shown{false};
  std::mutex merge;
  std::vector<std::uint32_t> latencies_us;  ///< of good answers inside the measured window
  long long measured = 0;
};

void report_error(Shared& s, const std::string& what) {
  s.errors.fetch_add(1);
  if (!s.error_shown.exchange(true)) std::cerr << "a2a_loadgen: first error: " << what << "\n";
}

awaitable<void> connection(Shared& s, asio::ip::tcp::endpoint target, asio::ip::address source) {
  auto ex = co_await asio::this_coro::executor;
  std::vector<std::uint32_t> mine;
  long long measured = 0;
  bool done = false;
  while (!done) {
    asio::ip::tcp::socket socket(ex);
    boost::system::error_code ec;
    socket.open(target.protocol(), ec);
    if (!source.is_unspecified() && !ec) socket.bind(asio::ip::tcp::endpoint(source, 0), ec);
    if (!ec) std::tie(ec) = co_await socket.async_connect(target, kTuple);
    if (ec) {
      report_error(s, "connect: " + ec.message());
      break;  // a server that refuses connections will not take more load either
    }
    socket.set_option(asio::ip::tcp::no_delay(true), ec);
    beast::flat_buffer buffer;
    for (;;) {
      long long seq = 0;
      if (s.options.requests > 0) {
        seq = s.issued.fetch_add(1);
        if (seq >= s.options.requests) {
          done = true;
          break;
        }
      } else {
        if (Clock::now() >= s.stop_at) {
          done = true;
          break;
        }
        seq = s.issued.fetch_add(1);
      }
      const std::string request = s.maker.make(seq);
      const auto sent = Clock::now();
      auto [wec, wn] = co_await asio::async_write(socket, asio::buffer(request), kTuple);
      if (wec) {
        report_error(s, "write: " + wec.message());
        break;  // reconnect
      }
      http::response_parser<http::string_body> parser;
      parser.body_limit(64 << 20);
      auto [rec, rn] = co_await http::async_read(socket, buffer, parser, kTuple);
      const auto answered = Clock::now();
      if (rec) {
        report_error(s, "read: " + rec.message());
        break;
      }
      const auto& res = parser.get();
      if (res.result_int() != 200 ||
          (!s.options.expect.empty() && res.body().find(s.options.expect) == std::string::npos)) {
        report_error(s, "HTTP " + std::to_string(res.result_int()) + ": " + res.body().substr(0, 300));
      } else if (s.options.requests > 0 || sent >= s.measure_from) {
        mine.push_back(static_cast<std::uint32_t>(
            std::chrono::duration_cast<std::chrono::microseconds>(answered - sent).count()));
        ++measured;
      }
      if (!res.keep_alive()) break;
    }
  }
  std::lock_guard lock(s.merge);
  s.latencies_us.insert(s.latencies_us.end(), mine.begin(), mine.end());
  s.measured += measured;
}

}  // namespace

int main(int argc, char** argv) {
  const Options options = parse(argc, argv);
  asio::io_context ioc(options.threads);
  boost::system::error_code ec;
  const asio::ip::tcp::endpoint target(asio::ip::make_address(options.host, ec),
                                       static_cast<unsigned short>(std::stoi(options.port)));
  if (ec) usage("--host must be an IP address: " + ec.message());

  Shared shared{options, RequestMaker(options), {}, {}};
  const auto start = Clock::now();
  const bool counted = options.requests > 0;
  shared.measure_from = counted ? start : start + std::chrono::duration_cast<Clock::duration>(
                                                      std::chrono::duration<double>(options.warmup_s));
  shared.stop_at = shared.measure_from + std::chrono::duration_cast<Clock::duration>(
                                             std::chrono::duration<double>(options.duration_s));
  asio::ip::address_v4 first_source;
  if (!options.bind.empty()) {
    first_source = asio::ip::make_address_v4(options.bind, ec);
    if (ec) usage("--bind must be an IPv4 address: " + ec.message());
  }
  for (int i = 0; i < options.connections; ++i) {
    asio::ip::address source;  // unspecified: the kernel picks
    if (!options.bind.empty()) {
      source = asio::ip::address_v4(first_source.to_uint() +
                                    static_cast<unsigned>(i % options.bind_count));
    }
    asio::co_spawn(asio::make_strand(ioc), connection(shared, target, source), asio::detached);
  }
  std::vector<std::thread> threads;
  for (int i = 1; i < options.threads; ++i) threads.emplace_back([&ioc] { ioc.run(); });
  ioc.run();
  for (auto& t : threads) t.join();
  const auto end = Clock::now();

  const double seconds =
      std::chrono::duration<double>(end - (counted ? start : shared.measure_from)).count();
  auto& l = shared.latencies_us;
  auto ms = [](std::uint32_t us) { return static_cast<double>(us) / 1000.0; };
  std::printf(
      "{\"connections\":%d,\"requests\":%lld,\"errors\":%lld,\"seconds\":%.3f,\"rps\":%.1f,"
      "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f}\n",
      options.connections, shared.measured, shared.errors.load(), seconds,
      seconds > 0 ? static_cast<double>(shared.measured) / seconds : 0.0,
      ms(constellation::bench::percentile(l, 50)), ms(constellation::bench::percentile(l, 90)),
      ms(constellation::bench::percentile(l, 99)), ms(constellation::bench::percentile(l, 100)));
  return shared.errors.load() > 0 && shared.measured == 0 ? 1 : 0;
}
