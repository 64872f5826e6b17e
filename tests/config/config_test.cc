#include "constellation/config/config.h"

#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>

namespace constellation::config {
namespace {

using std::chrono::milliseconds;

constexpr const char* kSource = "/x/config.toml";

std::string parse_error(const std::string& text) {
  std::string err;
  auto config = parse_config(text, kSource, &err);
  EXPECT_FALSE(config.has_value()) << text;
  return err;
}

Config parse_ok(const std::string& text) {
  std::string err;
  auto config = parse_config(text, kSource, &err);
  EXPECT_TRUE(config.has_value()) << err;
  return config.value_or(Config{});
}

void expect_equal(const Config& a, const Config& b) {
  EXPECT_EQ(a.agent.name, b.agent.name);
  EXPECT_EQ(a.agent.description, b.agent.description);
  EXPECT_EQ(a.agent.skills, b.agent.skills);
  EXPECT_EQ(a.network.bind_host, b.network.bind_host);
  EXPECT_EQ(a.network.bind_port, b.network.bind_port);
  EXPECT_EQ(a.network.advertised_host, b.network.advertised_host);
  EXPECT_EQ(a.network.discovery, b.network.discovery);
  EXPECT_EQ(a.network.peers, b.network.peers);
  EXPECT_EQ(a.discovery.interval, b.discovery.interval);
  EXPECT_EQ(a.discovery.probe_timeout, b.discovery.probe_timeout);
  EXPECT_EQ(a.discovery.prune_after, b.discovery.prune_after);
  EXPECT_EQ(a.discovery.ports, b.discovery.ports);
  EXPECT_EQ(a.discovery.avahi_library, b.discovery.avahi_library);
  EXPECT_EQ(a.a2a.blocking_timeout, b.a2a.blocking_timeout);
  EXPECT_EQ(a.a2a.stream_keepalive, b.a2a.stream_keepalive);
  EXPECT_EQ(a.store.path, b.store.path);
  EXPECT_EQ(a.files.max_bytes, b.files.max_bytes);
  EXPECT_EQ(a.limits.max_body_bytes, b.limits.max_body_bytes);
  EXPECT_EQ(a.limits.header_timeout, b.limits.header_timeout);
  EXPECT_EQ(a.limits.body_timeout, b.limits.body_timeout);
  EXPECT_EQ(a.limits.idle_timeout, b.limits.idle_timeout);
  EXPECT_EQ(a.limits.max_connections, b.limits.max_connections);
  EXPECT_EQ(a.limits.max_pending_per_peer, b.limits.max_pending_per_peer);
}

TEST(ParseConfig, MinimalConfigTakesDefaults) {
  Config config = parse_ok("[agent]\nname = \"box\"\n");
  Config expected;
  expected.agent.name = "box";
  expect_equal(config, expected);
  EXPECT_EQ(config.network.bind_host, "0.0.0.0");
  EXPECT_EQ(config.network.bind_port, 7777);
  EXPECT_EQ(config.network.advertised_host, "auto");
  EXPECT_EQ(config.network.discovery, (std::vector<std::string>{"tailscale", "mdns"}));
  EXPECT_EQ(config.discovery.interval, milliseconds(30'000));
  EXPECT_EQ(config.store.path, "auto");
}

TEST(ParseConfig, FullConfig) {
  Config config = parse_ok(R"(
[agent]
name = "my-box"
description = "Cloud ARM dev box"
skills = ["bash", "research"]

[network]
bind = "127.0.0.2:7001"
advertised_host = "box.tailnet.ts.net"
discovery = ["tailscale"]
peers = ["http://10.0.0.5:7777", "https://peer.example/"]

[discovery]
interval = 5

[store]
path = "~/constellation.db"
)");
  EXPECT_EQ(config.agent.name, "my-box");
  EXPECT_EQ(config.agent.description, "Cloud ARM dev box");
  EXPECT_EQ(config.agent.skills, (std::vector<std::string>{"bash", "research"}));
  EXPECT_EQ(config.network.bind_host, "127.0.0.2");
  EXPECT_EQ(config.network.bind_port, 7001);
  EXPECT_EQ(config.network.advertised_host, "box.tailnet.ts.net");
  EXPECT_EQ(config.network.discovery, (std::vector<std::string>{"tailscale"}));
  EXPECT_EQ(config.network.peers,
            (std::vector<std::string>{"http://10.0.0.5:7777", "https://peer.example/"}));
  EXPECT_EQ(config.discovery.interval, milliseconds(5000));
  EXPECT_EQ(config.store.path, "~/constellation.db");
}

TEST(ParseConfig, BindForms) {
  Config v6 = parse_ok("[agent]\nname = \"a\"\n[network]\nbind = \"[::]:7777\"\n");
  EXPECT_EQ(v6.network.bind_host, "::");
  EXPECT_EQ(v6.network.bind_port, 7777);
  Config v6_loopback = parse_ok("[agent]\nname = \"a\"\n[network]\nbind = \"[::1]:1\"\n");
  EXPECT_EQ(v6_loopback.network.bind_host, "::1");
  EXPECT_EQ(v6_loopback.network.bind_port, 1);
  Config max = parse_ok("[agent]\nname = \"a\"\n[network]\nbind = \"localhost:65535\"\n");
  EXPECT_EQ(max.network.bind_host, "localhost");
  EXPECT_EQ(max.network.bind_port, 65535);
}

TEST(ParseConfig, BadBindNamesLineKeyAndValue) {
  const std::string prefix = "[agent]\nname = \"a\"\n\n[network]\n";
  // Line 5 holds the bind key.
  EXPECT_EQ(parse_error(prefix + "bind = \"nope\"\n"),
            "/x/config.toml:5: network.bind: expected \"host:port\" with a port from 1 to 65535, "
            "got \"nope\"");
  for (const char* bad : {"0.0.0.0:0", "0.0.0.0:65536", ":7777", "0.0.0.0:", "::1:7777",
                          "[127.0.0.1]:80", "[::]7777", "host:77a", "host:-1", "a b:80"}) {
    EXPECT_EQ(parse_error(prefix + "bind = \"" + bad + "\"\n"),
              std::string("/x/config.toml:5: network.bind: expected \"host:port\" with a port "
                          "from 1 to 65535, got \"") +
                  bad + "\"")
        << bad;
  }
}

TEST(ParseConfig, SyntaxErrorHasLineAndColumn) {
  // The descriptions are toml++'s own (3.3).
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nskills = [\n"),
            "/x/config.toml:3:12: TOML syntax error: Error while parsing array: encountered "
            "end-of-file");
  EXPECT_EQ(parse_error("[agent]\nname = = \"a\"\n"),
            "/x/config.toml:2:8: TOML syntax error: Error while parsing value: could not "
            "determine value type");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nname = \"b\"\n"),
            "/x/config.toml:3:8: TOML syntax error: Error while parsing key-value pair: cannot "
            "redefine existing string 'name'");
}

TEST(ParseConfig, UnknownKeysAreRefused) {
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nnmae = \"b\"\n"),
            "/x/config.toml:3: agent.nmae: unknown key (known: name, description, skills)");
  // A typo of the required key is reported as the typo, not as a missing name.
  EXPECT_EQ(parse_error("[agent]\nnmae = \"b\"\n"),
            "/x/config.toml:2: agent.nmae: unknown key (known: name, description, skills)");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[network]\nbnid = \"x:1\"\n"),
            "/x/config.toml:4: network.bnid: unknown key (known: bind, advertised_host, "
            "discovery, peers)");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[discovery]\nintervall = 3\n"),
            "/x/config.toml:4: discovery.intervall: unknown key (known: interval, probe_timeout, "
            "prune_after, ports, avahi_library)");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[store]\npath = \"a\"\nfile = \"b\"\n"),
            "/x/config.toml:5: store.file: unknown key (known: path)");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n\n[netwrok]\nbind = \"x:1\"\n"),
            "/x/config.toml:4: netwrok: unknown key (known: agent, network, discovery, a2a, store, files, security, limits)");
  EXPECT_EQ(parse_error("top = 1\n[agent]\nname = \"a\"\n"),
            "/x/config.toml:1: top: unknown key (known: agent, network, discovery, a2a, store, files, security, limits)");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[agent.extra]\nx = 1\n"),
            "/x/config.toml:3: agent.extra: unknown key (known: name, description, skills)");
}

TEST(ParseConfig, FirstUnknownKeyInFileOrderIsReported) {
  // toml++ keeps keys sorted; the message should still point at the earliest line.
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nzzz = 1\naaa = 2\n"),
            "/x/config.toml:3: agent.zzz: unknown key (known: name, description, skills)");
}

TEST(ParseConfig, MissingName) {
  const std::string expected =
      "/x/config.toml: agent.name: missing; set it under [agent] or rerun 'constellation init "
      "--force --name NAME'";
  EXPECT_EQ(parse_error(""), expected);
  EXPECT_EQ(parse_error("[agent]\ndescription = \"d\"\n"), expected);
  EXPECT_EQ(parse_error("[agent]\nname = \"\"\n"),
            "/x/config.toml:2: agent.name: must not be empty; set it under [agent] or rerun "
            "'constellation init --force --name NAME'");
}

TEST(ParseConfig, WrongTypes) {
  EXPECT_EQ(parse_error("[agent]\nname = 5\n"),
            "/x/config.toml:2: agent.name: expected a string, got an integer");
  EXPECT_EQ(parse_error("agent = 5\n"),
            "/x/config.toml:1: agent: expected a table, got an integer");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\ndescription = true\n"),
            "/x/config.toml:3: agent.description: expected a string, got a boolean");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nskills = \"bash\"\n"),
            "/x/config.toml:3: agent.skills: expected an array of strings, got a string");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nskills = [\"bash\",\n  3]\n"),
            "/x/config.toml:4: agent.skills[1]: expected a string, got an integer");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[network]\nbind = 7777\n"),
            "/x/config.toml:4: network.bind: expected a string, got an integer");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[network]\nadvertised_host = 1.5\n"),
            "/x/config.toml:4: network.advertised_host: expected a string, got a float");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[store]\npath = []\n"),
            "/x/config.toml:4: store.path: expected a string, got an array");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\nnetwork = \"x\"\n"),
            "/x/config.toml:3: agent.network: unknown key (known: name, description, skills)");
}

TEST(ParseConfig, DiscoveryTimingAndPorts) {
  Config defaults = parse_ok("[agent]\nname = \"a\"\n");
  EXPECT_EQ(defaults.discovery.probe_timeout, std::chrono::seconds(2));
  EXPECT_EQ(defaults.discovery.prune_after, std::chrono::minutes(5));
  EXPECT_TRUE(defaults.discovery.ports.empty());
  EXPECT_EQ(defaults.discovery.avahi_library, "libavahi-client.so.3");
  Config c = parse_ok(
      "[agent]\nname = \"a\"\n[discovery]\nprobe_timeout = \"750ms\"\nprune_after = \"1m\"\n"
      "ports = [7778, 8000]\n");
  EXPECT_EQ(c.discovery.probe_timeout, std::chrono::milliseconds(750));
  EXPECT_EQ(c.discovery.prune_after, std::chrono::minutes(1));
  EXPECT_EQ(c.discovery.ports, (std::vector<std::uint16_t>{7778, 8000}));
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n[discovery]\navahi_library = \"/opt/l.so\"\n")
                .discovery.avahi_library,
            "/opt/l.so");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[discovery]\navahi_library = \"\"\n"),
            "/x/config.toml:4: discovery.avahi_library: expected a library file name such as "
            "\"libavahi-client.so.3\" or an absolute path; to turn mDNS off, drop \"mdns\" from "
            "[network] discovery");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[discovery]\nports = [0]\n"),
            "/x/config.toml:4: discovery.ports[0]: expected a port from 1 to 65535, got 0");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[discovery]\nports = \"7778\"\n"),
            "/x/config.toml:4: discovery.ports: expected an array of port numbers, got a string");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[discovery]\nprune_after = \"soon\"\n"),
            "/x/config.toml:4: discovery.prune_after: expected whole seconds (e.g. 30) or a "
            "duration string like \"500ms\", \"2s\", \"1m\", got \"soon\"");
}

TEST(ParseConfig, BlockingTimeout) {
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n").a2a.blocking_timeout, std::chrono::seconds(60));
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n[a2a]\nblocking_timeout = \"5m\"\n").a2a.blocking_timeout,
            std::chrono::minutes(5));
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[a2a]\nblocking_timeout = 0\n"),
            "/x/config.toml:4: a2a.blocking_timeout: expected whole seconds (e.g. 30) or a "
            "duration string like \"500ms\", \"2s\", \"1m\", got 0");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[a2a]\nblocking = 3\n"),
            "/x/config.toml:4: a2a.blocking: unknown key (known: blocking_timeout, "
            "stream_keepalive)");
}

TEST(ParseConfig, StreamKeepalive) {
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n").a2a.stream_keepalive, std::chrono::seconds(15));
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n[a2a]\nstream_keepalive = \"500ms\"\n").a2a.stream_keepalive,
            std::chrono::milliseconds(500));
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[a2a]\nstream_keepalive = \"soon\"\n"),
            "/x/config.toml:4: a2a.stream_keepalive: expected whole seconds (e.g. 30) or a "
            "duration string like \"500ms\", \"2s\", \"1m\", got \"soon\"");
}

TEST(ParseConfig, FilesMaxBytes) {
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n").files.max_bytes, 10u << 20);
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n[files]\nmax_bytes = 1000\n").files.max_bytes, 1000u);
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n[files]\nmax_bytes = \"512KiB\"\n").files.max_bytes,
            512u << 10);
  EXPECT_EQ(parse_ok("[agent]\nname = \"a\"\n[files]\nmax_bytes = \"16MiB\"\n").files.max_bytes,
            16u << 20);
  const std::string expectation =
      "/x/config.toml:4: files.max_bytes: expected a size from 1 byte to 16MiB: whole bytes (e.g. "
      "1048576) or a string like \"512KiB\" or \"10MiB\", got ";
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[files]\nmax_bytes = 0\n"), expectation + "0");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[files]\nmax_bytes = \"17MiB\"\n"),
            expectation + "\"17MiB\"");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[files]\nmax_bytes = \"10MB\"\n"),
            expectation + "\"10MB\"");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[files]\nmax_bytes = 1.5\n"),
            expectation + "a float");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[files]\nmax = 3\n"),
            "/x/config.toml:4: files.max: unknown key (known: max_bytes)");
}

TEST(ParseConfig, LimitsDefaults) {
  const Config::Limits limits = parse_ok("[agent]\nname = \"a\"\n").limits;
  EXPECT_EQ(limits.max_body_bytes, 1u << 20);
  EXPECT_EQ(limits.header_timeout, std::chrono::seconds(10));
  EXPECT_EQ(limits.body_timeout, std::chrono::seconds(60));
  EXPECT_EQ(limits.idle_timeout, std::chrono::seconds(30));
  EXPECT_EQ(limits.max_connections, 512u);
  EXPECT_EQ(limits.max_pending_per_peer, 1000u);
}

TEST(ParseConfig, LimitsValues) {
  const Config::Limits limits = parse_ok(
      "[agent]\nname = \"a\"\n[limits]\nmax_body_bytes = \"2MiB\"\nheader_timeout = \"1500ms\"\n"
      "body_timeout = 5\nidle_timeout = \"1m\"\nmax_connections = 8\n"
      "max_pending_per_peer = 3\n").limits;
  EXPECT_EQ(limits.max_body_bytes, 2u << 20);
  EXPECT_EQ(limits.header_timeout, std::chrono::milliseconds(1500));
  EXPECT_EQ(limits.body_timeout, std::chrono::seconds(5));
  EXPECT_EQ(limits.idle_timeout, std::chrono::minutes(1));
  EXPECT_EQ(limits.max_connections, 8u);
  EXPECT_EQ(limits.max_pending_per_peer, 3u);
}

TEST(ParseConfig, LimitsErrorsNameFileLineAndKey) {
  const std::string head = "[agent]\nname = \"a\"\n[limits]\n";
  EXPECT_EQ(parse_error(head + "max_body_bytes = 512\n"),
            "/x/config.toml:4: limits.max_body_bytes: expected a size from 1KiB to 64MiB: whole "
            "bytes (e.g. 1048576) or a string like \"512KiB\" or \"10MiB\", got 512");
  EXPECT_EQ(parse_error(head + "max_body_bytes = \"65MiB\"\n"),
            "/x/config.toml:4: limits.max_body_bytes: expected a size from 1KiB to 64MiB: whole "
            "bytes (e.g. 1048576) or a string like \"512KiB\" or \"10MiB\", got \"65MiB\"");
  EXPECT_EQ(parse_error(head + "header_timeout = 0\n"),
            "/x/config.toml:4: limits.header_timeout: expected whole seconds (e.g. 30) or a "
            "duration string like \"500ms\", \"2s\", \"1m\", got 0");
  EXPECT_EQ(parse_error(head + "idle_timeout = \"soon\"\n"),
            "/x/config.toml:4: limits.idle_timeout: expected whole seconds (e.g. 30) or a "
            "duration string like \"500ms\", \"2s\", \"1m\", got \"soon\"");
  EXPECT_EQ(parse_error(head + "max_connections = 0\n"),
            "/x/config.toml:4: limits.max_connections: expected a whole number from 1 to 100000, "
            "got 0");
  EXPECT_EQ(parse_error(head + "max_connections = \"8\"\n"),
            "/x/config.toml:4: limits.max_connections: expected a whole number from 1 to 100000, "
            "got a string");
  EXPECT_EQ(parse_error(head + "max_pending_per_peer = 1000001\n"),
            "/x/config.toml:4: limits.max_pending_per_peer: expected a whole number from 1 to "
            "1000000, got 1000001");
  EXPECT_EQ(parse_error(head + "max_body = 3\n"),
            "/x/config.toml:4: limits.max_body: unknown key (known: max_body_bytes, "
            "header_timeout, body_timeout, idle_timeout, max_connections, max_pending_per_peer)");
  EXPECT_EQ(parse_error("limits = 3\n[agent]\nname = \"a\"\n"),
            "/x/config.toml:1: limits: expected a table, got an integer");
}

TEST(ParseConfig, DiscoveryMethods) {
  Config none = parse_ok("[agent]\nname = \"a\"\n[network]\ndiscovery = []\n");
  EXPECT_TRUE(none.network.discovery.empty());
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[network]\ndiscovery = [\"mdns\", \"bonjour\"]\n"),
            "/x/config.toml:4: network.discovery[1]: expected \"tailscale\" or \"mdns\", got "
            "\"bonjour\"");
}

TEST(ParseConfig, PeersMustBeHttpUrls) {
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[network]\npeers = [\"10.0.0.5:7777\"]\n"),
            "/x/config.toml:4: network.peers[0]: expected a URL starting with http:// or "
            "https://, got \"10.0.0.5:7777\"");
  EXPECT_FALSE(
      parse_config("[agent]\nname = \"a\"\n[network]\npeers = [\"http://\"]\n", kSource, nullptr));
}

TEST(ParseConfig, Interval) {
  auto interval = [](const std::string& value) {
    return parse_ok("[agent]\nname = \"a\"\n[discovery]\ninterval = " + value + "\n")
        .discovery.interval;
  };
  EXPECT_EQ(interval("1"), milliseconds(1000));
  EXPECT_EQ(interval("45"), milliseconds(45'000));
  EXPECT_EQ(interval("\"500ms\""), milliseconds(500));
  EXPECT_EQ(interval("\"2s\""), milliseconds(2000));
  EXPECT_EQ(interval("\"1m\""), milliseconds(60'000));

  const std::string expectation =
      "expected whole seconds (e.g. 30) or a duration string like \"500ms\", \"2s\", \"1m\", "
      "got ";
  auto error = [](const std::string& value) {
    return parse_error("[agent]\nname = \"a\"\n[discovery]\ninterval = " + value + "\n");
  };
  EXPECT_EQ(error("0"), "/x/config.toml:4: discovery.interval: " + expectation + "0");
  EXPECT_EQ(error("-3"), "/x/config.toml:4: discovery.interval: " + expectation + "-3");
  EXPECT_EQ(error("\"0s\""), "/x/config.toml:4: discovery.interval: " + expectation + "\"0s\"");
  EXPECT_EQ(error("\"5\""), "/x/config.toml:4: discovery.interval: " + expectation + "\"5\"");
  EXPECT_EQ(error("\"5h\""), "/x/config.toml:4: discovery.interval: " + expectation + "\"5h\"");
  EXPECT_EQ(error("\"1.5s\""),
            "/x/config.toml:4: discovery.interval: " + expectation + "\"1.5s\"");
  EXPECT_EQ(error("2.5"), "/x/config.toml:4: discovery.interval: " + expectation + "a float");
}

TEST(ParseConfig, EmptyStoreAndAdvertisedHostAreRefused) {
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[store]\npath = \"\"\n"),
            "/x/config.toml:4: store.path: must not be empty; use \"auto\" or a file path");
  EXPECT_EQ(parse_error("[agent]\nname = \"a\"\n[network]\nadvertised_host = \"\"\n"),
            "/x/config.toml:4: network.advertised_host: must not be empty; use \"auto\" or a "
            "host name or address");
}

TEST(ParseConfig, NullErrPointerIsAllowed) {
  EXPECT_FALSE(parse_config("[agent", kSource, nullptr).has_value());
  EXPECT_FALSE(parse_config("[agent]\n", kSource, nullptr).has_value());
}

TEST(RenderConfig, DefaultsRoundTrip) {
  Config config;
  config.agent.name = "box";
  std::string text = render_config(config);
  expect_equal(parse_ok(text), config);
  // `init` writes this file for people to edit: every key carries a comment.
  EXPECT_NE(text.find("# "), std::string::npos);
  EXPECT_NE(text.find("interval = 30\n"), std::string::npos) << text;
  EXPECT_NE(text.find("bind = \"0.0.0.0:7777\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("max_bytes = \"10MiB\"\n"), std::string::npos) << text;
}

TEST(RenderConfig, EverythingSetRoundTrips) {
  Config config;
  config.agent.name = "weird \"name\" \\ with\ttab";
  config.agent.description = "line one\nline two, ünïcødé, \x01 control";
  config.agent.skills = {"bash", "re\"search"};
  config.network.bind_host = "::";
  config.network.bind_port = 9000;
  config.network.advertised_host = "10.1.2.3";
  config.network.discovery = {};
  config.network.peers = {"http://a:1", "https://b/"};
  config.discovery.interval = milliseconds(1500);
  config.discovery.probe_timeout = milliseconds(800);
  config.discovery.prune_after = milliseconds(600000);
  config.discovery.ports = {7778, 65535};
  config.discovery.avahi_library = "/opt/avahi/lib/libavahi-client.so.3";
  config.a2a.blocking_timeout = milliseconds(2500);
  config.a2a.stream_keepalive = milliseconds(750);
  config.store.path = "data/store.db";
  config.files.max_bytes = 1500;
  config.limits.max_body_bytes = 3u << 20;
  config.limits.header_timeout = milliseconds(2500);
  config.limits.body_timeout = milliseconds(90000);
  config.limits.idle_timeout = milliseconds(500);
  config.limits.max_connections = 64;
  config.limits.max_pending_per_peer = 7;
  std::string text = render_config(config);
  expect_equal(parse_ok(text), config);
  EXPECT_NE(text.find("bind = \"[::]:9000\"\n"), std::string::npos) << text;
  EXPECT_NE(text.find("interval = \"1500ms\"\n"), std::string::npos) << text;
}

class LoadConfigTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("constellation-config-test-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override {
    std::error_code ec;
    std::filesystem::permissions(dir_ / "config.toml", std::filesystem::perms::owner_all,
                                 std::filesystem::perm_options::add, ec);
    std::filesystem::remove_all(dir_, ec);
  }
  void write(const std::string& text) { std::ofstream(dir_ / "config.toml") << text; }

  std::filesystem::path dir_;
};

TEST_F(LoadConfigTest, MissingFileSuggestsInit) {
  std::string err;
  EXPECT_FALSE(load_config(dir_ / "config.toml", &err));
  EXPECT_EQ(err, "no config at " + (dir_ / "config.toml").string() +
                     "; create one with 'constellation init'");
}

TEST_F(LoadConfigTest, ReadsAndNamesTheFileInErrors) {
  write("[agent]\nname = \"box\"\n");
  std::string err;
  auto config = load_config(dir_ / "config.toml", &err);
  ASSERT_TRUE(config) << err;
  EXPECT_EQ(config->agent.name, "box");

  write("[agent]\nname = \"box\"\n[network]\nbind = \"nope\"\n");
  EXPECT_FALSE(load_config(dir_ / "config.toml", &err));
  EXPECT_EQ(err, (dir_ / "config.toml").string() +
                     ":4: network.bind: expected \"host:port\" with a port from 1 to 65535, got "
                     "\"nope\"");
}

TEST_F(LoadConfigTest, RenderedFileLoads) {
  Config config;
  config.agent.name = "box";
  write(render_config(config));
  std::string err;
  auto loaded = load_config(dir_ / "config.toml", &err);
  ASSERT_TRUE(loaded) << err;
  expect_equal(*loaded, config);
}

TEST_F(LoadConfigTest, DirectoryIsUnreadable) {
  std::filesystem::create_directories(dir_ / "config.toml");
  std::string err;
  EXPECT_FALSE(load_config(dir_ / "config.toml", &err));
  EXPECT_EQ(err, "cannot read config " + (dir_ / "config.toml").string() + ": it is a directory");
}

TEST_F(LoadConfigTest, PathThatCannotBeCheckedSaysWhy) {
  std::filesystem::path path = dir_ / std::string(300, 'x');
  std::string err;
  EXPECT_FALSE(load_config(path, &err));
  EXPECT_EQ(err, "cannot read config " + path.string() + ": File name too long");
}

TEST_F(LoadConfigTest, UnreadableFileSaysSo) {
  if (::geteuid() == 0) GTEST_SKIP() << "root reads files regardless of permissions";
  write("[agent]\nname = \"box\"\n");
  std::filesystem::permissions(dir_ / "config.toml", std::filesystem::perms::none);
  std::string err;
  EXPECT_FALSE(load_config(dir_ / "config.toml", &err));
  EXPECT_EQ(err, "cannot read config " + (dir_ / "config.toml").string() + ": Permission denied");
}

}  // namespace
}  // namespace constellation::config
