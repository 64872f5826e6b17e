#pragma once
/// Owning handles for Avahi objects: each is freed by Avahi's own function.
///
/// Order matters: a client frees every group, browser and resolver still attached to it,
/// so those must be freed (or never referenced again) before their client. `MdnsSession`
/// declares the client first so that its destructor frees it last.

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#include <avahi-common/watch.h>

#include <memory>

namespace constellation::discovery {

struct AvahiFree {
  void operator()(AvahiThreadedPoll* p) const { avahi_threaded_poll_free(p); }
  void operator()(AvahiClient* p) const { avahi_client_free(p); }
  void operator()(AvahiEntryGroup* p) const { avahi_entry_group_free(p); }
  void operator()(AvahiServiceBrowser* p) const { avahi_service_browser_free(p); }
  void operator()(AvahiServiceResolver* p) const { avahi_service_resolver_free(p); }
  void operator()(AvahiStringList* p) const { avahi_string_list_free(p); }
  void operator()(char* p) const { avahi_free(p); }
};

using AvahiPollPtr = std::unique_ptr<AvahiThreadedPoll, AvahiFree>;
using AvahiClientPtr = std::unique_ptr<AvahiClient, AvahiFree>;
using AvahiGroupPtr = std::unique_ptr<AvahiEntryGroup, AvahiFree>;
using AvahiBrowserPtr = std::unique_ptr<AvahiServiceBrowser, AvahiFree>;
using AvahiResolverPtr = std::unique_ptr<AvahiServiceResolver, AvahiFree>;
using AvahiStringListPtr = std::unique_ptr<AvahiStringList, AvahiFree>;
using AvahiCharPtr = std::unique_ptr<char, AvahiFree>;

/// A timeout belongs to the poll that made it and is freed through that poll's API.
struct AvahiTimeoutFree {
  const AvahiPoll* api = nullptr;
  void operator()(AvahiTimeout* t) const { api->timeout_free(t); }
};
using AvahiTimeoutPtr = std::unique_ptr<AvahiTimeout, AvahiTimeoutFree>;

}  // namespace constellation::discovery
