#include "constellation/server/http_message.h"

namespace constellation::server {

const std::string& HttpRequest::header(const std::string& name) const {
  static const std::string kEmpty;  // immutable: not shared mutable state
  auto it = headers.find(name);
  return it == headers.end() ? kEmpty : it->second;
}

std::string_view HttpRequest::path() const {
  std::string_view t = target;
  return t.substr(0, t.find('?'));
}

HttpResponse json_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

HttpResponse text_response(int status, std::string body) {
  HttpResponse r;
  r.status = status;
  r.content_type = "text/plain; charset=utf-8";
  r.body = std::move(body);
  return r;
}

}  // namespace constellation::server

namespace constellation::server {

HttpResponse plain_refusal(const LimitRefusal& refusal) {
  return text_response(refusal.status, refusal.message + "\n");
}

}  // namespace constellation::server
