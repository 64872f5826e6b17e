#pragma once
/// Which of the three A2A dialects a request or a peer speaks (a2a-wire.md §4): the
/// original's legacy subset, v0.3 and v1.0. Pure decisions, testable without a socket.

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

namespace constellation::a2a {

enum class Dialect { kLegacy, kV03, kV10 };

/// "legacy", "0.3", "1.0": also how the store records a task's dialect.
const char* dialect_name(Dialect dialect);
std::optional<Dialect> dialect_from_name(std::string_view name);

/// Where a JSON-RPC method belongs (§4.2 step 3). The method, not the A2A-Version
/// header, picks the handler.
struct MethodRoute {
  enum class Kind {
    kDialect,      ///< `dialect` handles it
    kTaskDialect,  ///< tasks/get, tasks/cancel: the dialect the task was created in
    kUnknown,      ///< -32601
  };
  Kind kind = Kind::kUnknown;
  Dialect dialect = Dialect::kV03;
};
MethodRoute route_method(std::string_view method);

/// tasks/get or tasks/cancel of a task the store does not know: answered in the legacy
/// dialect when the caller announced itself the way the Rust client does, else in v0.3.
Dialect dialect_for_unknown_task(bool has_source_url_header);

/// A peer's JSON-RPC endpoint as its card describes it (§4.5).
struct PeerEndpoint {
  Dialect dialect = Dialect::kLegacy;
  std::string url;     ///< where to POST
  std::string tenant;  ///< v1.0 only: sent in every request's params when not empty
  bool push = false;       ///< capabilities.pushNotifications (never for legacy)
  bool streaming = false;  ///< capabilities.streaming (never for legacy)
  friend bool operator==(const PeerEndpoint&, const PeerEndpoint&) = default;
};

/// Classifies a card, first match wins: a JSONRPC `supportedInterfaces` entry of major
/// version 1 → v1.0; else one of version 0.3 → v0.3; else `protocolVersion`,
/// `preferredTransport` or `additionalInterfaces` → v0.3 at the JSONRPC URL; else a
/// `url` → legacy. nullopt and *err when the card offers no JSON-RPC endpoint at all.
std::optional<PeerEndpoint> choose_endpoint(const nlohmann::json& card, std::string* err);

}  // namespace constellation::a2a
