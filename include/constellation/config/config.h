#pragma once
/// config.toml: what it may contain, its defaults, and how it is read and written.

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace constellation::config {

inline constexpr std::uint16_t kDefaultPort = 7777;

/// `[files] max_bytes`: its default, and the most it may be set to. The ceiling bounds
/// the HTTP bodies every peer must be ready for (server and client limits derive from it).
inline constexpr std::uint64_t kDefaultMaxFileBytes = 10u << 20;  // 10 MiB
inline constexpr std::uint64_t kMaxFileBytesCeiling = 16u << 20;  // 16 MiB
/// `[limits] max_body_bytes`: the room in one request for everything but its files.
inline constexpr std::uint64_t kDefaultMaxBodyBytes = 1u << 20;  // 1 MiB
inline constexpr std::uint64_t kMaxBodyBytesFloor = 1u << 10;    // 1 KiB
inline constexpr std::uint64_t kMaxBodyBytesCeiling = 64u << 20;  // 64 MiB
/// `[limits] max_pending_per_peer`.
inline constexpr std::uint64_t kDefaultMaxPendingPerPeer = 1000;

struct Config {
  struct Agent {
    std::string name;
    std::string description;
    std::vector<std::string> skills;
  } agent;

  struct Network {
    std::string bind_host = "0.0.0.0";
    std::uint16_t bind_port = kDefaultPort;
    /// "auto" (tailscale ip, else LAN ip) or a host name / address used as given.
    std::string advertised_host = "auto";
    std::vector<std::string> discovery{"tailscale", "mdns"};
    /// Static peers: base URLs ("http://host:port") probed like discovered ones.
    std::vector<std::string> peers;
  } network;

  struct Discovery {
    /// Time between probe rounds; the first round runs at start-up.
    std::chrono::milliseconds interval{std::chrono::seconds(30)};
    /// How long one card probe may take; one dead host never delays the others.
    std::chrono::milliseconds probe_timeout{std::chrono::seconds(2)};
    /// An offline peer is forgotten when it has not answered for this long.
    std::chrono::milliseconds prune_after{std::chrono::minutes(5)};
    /// Ports probed on every Tailscale peer besides our own bind port.
    std::vector<std::uint16_t> ports;
    /// The Avahi client library loaded at start when "mdns" is on: a soname the dynamic
    /// loader finds, or an absolute path (for an Avahi installed off the standard paths).
    /// Same value as discovery::kAvahiClientLibrary (config/ does not see discovery/).
    std::string avahi_library = "libavahi-client.so.3";
  } discovery;

  struct A2a {
    /// How long a standard client's blocking send (v1.0 without returnImmediately,
    /// v0.3 `blocking`) is held open waiting for `respond`; then it gets the task as
    /// it stands.
    std::chrono::milliseconds blocking_timeout{std::chrono::seconds(60)};
    /// How often an open SSE stream (message/stream, SubscribeToTask, …) carries a
    /// `: keep-alive` comment while its task does not change.
    std::chrono::milliseconds stream_keepalive{std::chrono::seconds(15)};
  } a2a;

  struct Store {
    std::string path = "auto";  ///< "auto" = $XDG_DATA_HOME/constellation/store.db
  } store;

  struct Security {
    /// Who may call: tailnet users, tags, node or peer names, addresses/CIDRs
    /// (security/allowlist.h). Empty = everyone who can reach the port.
    std::vector<std::string> allow;
    /// A file holding the mesh's shared bearer token ("" = none): callers must present
    /// it, and we present it to the peers we call. "~/" and relative paths as for store.
    std::string token_file;
  } security;

  struct Files {
    /// The most bytes of files one message may carry (all its attachments together),
    /// checked by `send`/`respond` before anything leaves and by the server on receipt.
    std::uint64_t max_bytes = kDefaultMaxFileBytes;
  } files;

  /// What one client may take of the A2A server (and of the control socket, whose
  /// clients are this user's own verbs).
  struct Limits {
    /// Room in one request body for the text and JSON; the server also accepts
    /// [files] max_bytes of files in base64 on top (413 above the sum).
    std::uint64_t max_body_bytes = kDefaultMaxBodyBytes;
    /// From a connection's first byte to the end of its request headers (slowloris).
    std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
    /// From the end of the headers to the end of the body.
    std::chrono::milliseconds body_timeout{std::chrono::seconds(60)};
    /// How long a keep-alive connection may sit between two requests.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(30)};
    /// Connections open at once on the A2A port; more are answered 503.
    std::uint64_t max_connections = 512;
    /// Tasks one peer (source address) may have waiting in our inbox (submitted or
    /// working) before further new tasks from it are refused.
    std::uint64_t max_pending_per_peer = kDefaultMaxPendingPerPeer;
  } limits;
};

/// Parses config text. `source` names the file in messages. Errors carry file, line
/// and key: "config.toml:7: network.bind: expected \"host:port\", got \"nope\"". Unknown
/// keys are refused the same way, so a typo never silently falls back to a default.
/// [agent] name is required and must be non-empty.
std::optional<Config> parse_config(std::string_view text, const std::string& source,
                                   std::string* err);

/// Reads and parses the file. A missing file says so and suggests `constellation init`.
std::optional<Config> load_config(const std::filesystem::path& path, std::string* err);

/// TOML text that parse_config reads back to the same Config, with comments that
/// explain each key (this is what `init` writes).
std::string render_config(const Config& config);

}  // namespace constellation::config
