#include "constellation/client/outbound.h"

#include <boost/asio/execution/context.hpp>
#include <boost/asio/query.hpp>

namespace constellation::client {

namespace asio = boost::asio;

namespace {

class OutboundService : public asio::execution_context::service {
 public:
  using key_type = OutboundService;
  static inline asio::execution_context::id id;
  explicit OutboundService(asio::execution_context& context)
      : asio::execution_context::service(context) {}
  Outbound settings;

 private:
  void shutdown() override {}
};

}  // namespace

Outbound outbound_for_bind(const std::string& bind_host, std::string bearer_token) {
  Outbound out;
  if (!bind_host.empty() && bind_host != "0.0.0.0" && bind_host != "::" && bind_host != "[::]") {
    out.source_address = bind_host;
  }
  out.bearer_token = std::move(bearer_token);
  return out;
}

void set_outbound(asio::execution_context& context, Outbound outbound) {
  asio::use_service<OutboundService>(context).settings = std::move(outbound);
}

Outbound outbound_of(const asio::any_io_executor& executor) {
  auto& context = asio::query(executor, asio::execution::context);
  if (!asio::has_service<OutboundService>(context)) return {};
  return asio::use_service<OutboundService>(context).settings;
}

}  // namespace constellation::client
