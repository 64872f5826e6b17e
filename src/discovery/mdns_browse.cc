// Their side of DNS-SD: one browser for `_a2a._tcp`, one long-lived resolver per browse
// result (Avahi reports FOUND again whenever the service's records change), and the
// peer table that turns all of it into found/lost.

#include <boost/asio/post.hpp>
#include <utility>

#include "mdns_impl.h"
#include "mdns_txt.h"

namespace constellation::discovery {

namespace {

void on_browse_cb(AvahiServiceBrowser* b, AvahiIfIndex interface, AvahiProtocol protocol,
                  AvahiBrowserEvent event, const char* name, const char* /*type*/,
                  const char* domain, AvahiLookupResultFlags, void* self) {
  guarded("browse", [&] {
    static_cast<MdnsService::Impl*>(self)->on_browse(b, interface, protocol, event, name, domain);
  });
}

void on_resolve_cb(AvahiServiceResolver* r, AvahiIfIndex interface, AvahiProtocol protocol,
                   AvahiResolverEvent event, const char* name, const char* /*type*/,
                   const char* domain, const char* host_name, const AvahiAddress* address,
                   std::uint16_t port, AvahiStringList* txt, AvahiLookupResultFlags, void* self) {
  guarded("resolve", [&] {
    static_cast<MdnsService::Impl*>(self)->on_resolve(r, interface, protocol, event, name, domain,
                                                      host_name, address, port, txt);
  });
}

std::vector<std::string> txt_strings(const AvahiApi& av, AvahiStringList* txt) {
  std::vector<std::string> out;
  for (AvahiStringList* l = txt; l; l = av.avahi_string_list_get_next(l))
    out.emplace_back(reinterpret_cast<const char*>(av.avahi_string_list_get_text(l)),
                     av.avahi_string_list_get_size(l));
  return out;
}

MdnsInstanceKey make_key(AvahiIfIndex interface, AvahiProtocol protocol, const char* name,
                         const char* domain) {
  return {interface, protocol, name ? name : "", domain ? domain : ""};
}

}  // namespace

void MdnsService::Impl::browse(AvahiClient* c) {
  if (session_->browser) return;
  AvahiServiceBrowser* b =
      av().avahi_service_browser_new(c, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, kMdnsServiceType, nullptr,
                                static_cast<AvahiLookupFlags>(0), on_browse_cb, this);
  if (!b) {
    if (!std::exchange(browse_warned_, true))
      spdlog::warn("mDNS: cannot browse for {}: {}", kMdnsServiceType,
                   av().avahi_strerror(av().avahi_client_errno(c)));
    arm_retry(kRetryInterval);
    return;
  }
  session_->browser = own(av(), b);
}

void MdnsService::Impl::resolve(AvahiClient* c, const MdnsInstanceKey& key) {
  AvahiServiceResolver* r = av().avahi_service_resolver_new(
      c, key.interface, key.protocol, key.name.c_str(), kMdnsServiceType, key.domain.c_str(),
      AVAHI_PROTO_INET, static_cast<AvahiLookupFlags>(0), on_resolve_cb, this);
  if (!r) {
    spdlog::debug("mDNS: cannot resolve '{}': {}", key.name, av().avahi_strerror(av().avahi_client_errno(c)));
    session_->unresolved.insert(key);
    arm_retry(kRetryInterval);
    return;
  }
  session_->resolvers[key] = MdnsResolution{own(av(), r)};
}

void MdnsService::Impl::on_browse(AvahiServiceBrowser* b, AvahiIfIndex interface,
                                  AvahiProtocol protocol, AvahiBrowserEvent event, const char* name,
                                  const char* domain) {
  if (!session_ || session_->browser.get() != b || session_->browser_failed) return;
  switch (event) {
    case AVAHI_BROWSER_NEW: {
      browse_warned_ = false;
      auto key = make_key(interface, protocol, name, domain);
      peers_.add(key);
      // A key waiting in `unresolved` gets its resolver from the retry timer.
      if (!session_->resolvers.contains(key) && !session_->unresolved.contains(key))
        resolve(session_->client.get(), key);
      break;
    }
    case AVAHI_BROWSER_REMOVE: {
      auto key = make_key(interface, protocol, name, domain);
      session_->resolvers.erase(key);
      session_->unresolved.erase(key);
      if (auto lost = peers_.remove(key)) post_lost(std::move(*lost));
      break;
    }
    case AVAHI_BROWSER_FAILURE:
      if (!std::exchange(browse_warned_, true))
        spdlog::warn("mDNS: browsing for {} failed: {}", kMdnsServiceType,
                     av().avahi_strerror(av().avahi_client_errno(session_->client.get())));
      // Not freed here, inside its own callback: the retry timer re-creates it.
      session_->browser_failed = true;
      arm_retry(kRetryInterval);
      break;
    case AVAHI_BROWSER_ALL_FOR_NOW:
    case AVAHI_BROWSER_CACHE_EXHAUSTED:
      browse_warned_ = false;
      break;
  }
}

void MdnsService::Impl::on_resolve(AvahiServiceResolver* r, AvahiIfIndex interface,
                                   AvahiProtocol protocol, AvahiResolverEvent event,
                                   const char* name, const char* domain, const char* host_name,
                                   const AvahiAddress* address, std::uint16_t port,
                                   AvahiStringList* txt) {
  if (!session_) return;
  auto key = make_key(interface, protocol, name, domain);
  auto it = session_->resolvers.find(key);
  if (it == session_->resolvers.end() || it->second.resolver.get() != r) return;
  if (event == AVAHI_RESOLVER_FAILURE) {
    // Usually a timeout (the host did not answer); freeing a resolver in its own
    // callback is what Avahi's examples do.
    spdlog::debug("mDNS: resolving '{}' failed: {}", key.name,
                  av().avahi_strerror(av().avahi_client_errno(session_->client.get())));
    session_->resolvers.erase(it);
    session_->unresolved.insert(key);
    arm_retry(kRetryInterval);
    return;
  }
  if (event == AVAHI_RESOLVER_FOUND && it->second.answered) {
    // The records changed. Avahi's resolver then can report a new SRV target with the
    // old target's address (seen after a name collision moved a name to another host),
    // so resolve afresh once the change has settled instead of trusting this answer.
    session_->resolvers.erase(it);
    session_->unresolved.insert(key);
    arm_retry(kRefreshDelay);
    return;
  }
  it->second.answered = true;
  if (!address || address->proto != AVAHI_PROTO_INET) return;
  MdnsPeer peer;
  peer.instance_name = key.name;
  peer.host_name = host_name ? host_name : "";
  char text[AVAHI_ADDRESS_STR_MAX] = {};
  av().avahi_address_snprint(text, sizeof text, address);
  peer.address = text;
  peer.port = port;
  apply_txt(txt_strings(av(), txt), peer);
  MdnsUpdate update = peers_.resolved(key, peer);
  if (update.found) post_found(std::move(*update.found));
  if (update.lost) post_lost(std::move(*update.lost));
}

void MdnsService::Impl::lose_all() {
  for (auto& name : peers_.clear()) post_lost(std::move(name));
  if (session_) {
    session_->resolvers.clear();
    session_->unresolved.clear();
  }
}

void MdnsService::Impl::post_found(MdnsPeer peer) {
  if (!sink_->callbacks.found) return;
  boost::asio::post(executor_, [sink = sink_, peer = std::move(peer)] {
    if (!sink->open) return;
    try {
      sink->callbacks.found(peer);
    } catch (const std::exception& e) {
      spdlog::error("mDNS: found handler for '{}': {}", peer.instance_name, e.what());
    }
  });
}

void MdnsService::Impl::post_lost(std::string name) {
  if (!sink_->callbacks.lost) return;
  boost::asio::post(executor_, [sink = sink_, name = std::move(name)] {
    if (!sink->open) return;
    try {
      sink->callbacks.lost(name);
    } catch (const std::exception& e) {
      spdlog::error("mDNS: lost handler for '{}': {}", name, e.what());
    }
  });
}

void MdnsService::Impl::post_availability(bool up, std::string detail) {
  if (!sink_ || !sink_->callbacks.availability) return;
  boost::asio::post(executor_, [sink = sink_, up, detail = std::move(detail)] {
    if (!sink->open) return;
    guarded("availability", [&] { sink->callbacks.availability(up, detail); });
  });
}

}  // namespace constellation::discovery
