#pragma once
/// The verbs as requests to the running daemon over its control socket.

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "constellation/node/verbs.h"

namespace constellation::control {

class DaemonVerbs : public node::Verbs {
 public:
  /// Connects only to ask /v1/status: nullopt when no daemon answers on `socket`.
  static std::unique_ptr<DaemonVerbs> connect(const std::filesystem::path& socket);

  Result<std::vector<store::PeerRecord>> peers() override;
  Result<std::string> send(const std::string& peer, const std::string& text,
                           const std::vector<a2a::Part>& attachments) override;
  Result<store::OutboundTask> wait(const std::string& id,
                                   std::chrono::milliseconds timeout) override;
  Result<std::vector<store::InboundTask>> inbox() override;
  Result<store::OutboundTask> cancel(const std::string& id) override;
  Result<std::string> send_turn(const std::string& id, const std::string& text,
                                const std::vector<a2a::Part>& attachments) override;
  Result<store::InboundTask> ask(const std::string& id, const std::string& question) override;
  Result<store::InboundTask> respond(const std::string& id, const std::string& text, bool failed,
                                     const std::vector<a2a::Part>& attachments) override;

  const nlohmann::json& status() const { return status_; }
  /// GET /v1/overview (for `constellation status`): the daemon's uptime, discovery
  /// health and the store's counts. kUsage when the daemon is too old to have it.
  Result<nlohmann::json> overview();

 private:
  DaemonVerbs(std::filesystem::path socket, nlohmann::json status)
      : socket_(std::move(socket)), status_(std::move(status)) {}
  Status put_parts(nlohmann::json& body, const std::vector<a2a::Part>& attachments) const;
  Result<nlohmann::json> call(const std::string& method, const std::string& path,
                              const nlohmann::json* body, std::chrono::milliseconds timeout);

  std::filesystem::path socket_;
  nlohmann::json status_;
};

}  // namespace constellation::control
