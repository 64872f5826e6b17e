#pragma once
/// Owning handles for Avahi objects: each is freed by Avahi's own function, called through
/// the loaded library's table (avahi_api.h), which must outlive every handle.
///
/// Order matters: a client frees every group, browser and resolver still attached to it,
/// so those must be freed (or never referenced again) before their client. `MdnsSession`
/// declares the client first so that its destructor frees it last.
///
/// Make handles with `own(api, p)`: a handle built from a bare pointer has no table and
/// would crash when freed.

#include <memory>

#include "avahi_api.h"

namespace constellation::discovery {

struct AvahiFree {
  const AvahiApi* api = nullptr;
  void operator()(AvahiThreadedPoll* p) const { api->avahi_threaded_poll_free(p); }
  void operator()(AvahiClient* p) const { api->avahi_client_free(p); }
  void operator()(AvahiEntryGroup* p) const { api->avahi_entry_group_free(p); }
  void operator()(AvahiServiceBrowser* p) const { api->avahi_service_browser_free(p); }
  void operator()(AvahiServiceResolver* p) const { api->avahi_service_resolver_free(p); }
  void operator()(AvahiStringList* p) const { api->avahi_string_list_free(p); }
  void operator()(char* p) const { api->avahi_free(p); }
};

using AvahiPollPtr = std::unique_ptr<AvahiThreadedPoll, AvahiFree>;
using AvahiClientPtr = std::unique_ptr<AvahiClient, AvahiFree>;
using AvahiGroupPtr = std::unique_ptr<AvahiEntryGroup, AvahiFree>;
using AvahiBrowserPtr = std::unique_ptr<AvahiServiceBrowser, AvahiFree>;
using AvahiResolverPtr = std::unique_ptr<AvahiServiceResolver, AvahiFree>;
using AvahiStringListPtr = std::unique_ptr<AvahiStringList, AvahiFree>;
using AvahiCharPtr = std::unique_ptr<char, AvahiFree>;

/// Takes ownership of `p` (may be null), to be freed through `api`.
template <class T>
std::unique_ptr<T, AvahiFree> own(const AvahiApi& api, T* p) {
  return std::unique_ptr<T, AvahiFree>(p, AvahiFree{&api});
}

/// A timeout belongs to the poll that made it and is freed through that poll's API.
struct AvahiTimeoutFree {
  const AvahiPoll* api = nullptr;
  void operator()(AvahiTimeout* t) const { api->timeout_free(t); }
};
using AvahiTimeoutPtr = std::unique_ptr<AvahiTimeout, AvahiTimeoutFree>;

}  // namespace constellation::discovery
