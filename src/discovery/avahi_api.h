#pragma once
/// The Avahi client library as a table of function pointers, so that the shipped binary
/// does not link it: it is loaded at run time (dlopen, avahi_api_dlopen.cc), and a machine
/// without it only loses mDNS. The fully static build (CONSTELLATION_FULLY_STATIC) links
/// Avahi in and fills the same table with the linked functions (avahi_api_static.cc),
/// because dlopen from a static binary would load a second libc.
///
/// Every Avahi call of src/discovery goes through this table; the headers are used for
/// the types and signatures only (decltype never references a symbol).

#include <avahi-client/client.h>
#include <avahi-client/lookup.h>
#include <avahi-client/publish.h>
#include <avahi-common/address.h>
#include <avahi-common/alternative.h>
#include <avahi-common/error.h>
#include <avahi-common/malloc.h>
#include <avahi-common/strlst.h>
#include <avahi-common/thread-watch.h>
#include <avahi-common/timeval.h>

#include <memory>
#include <string>

#include "constellation/discovery/mdns.h"
#include "constellation/util/error.h"

namespace constellation::discovery {

// One X(name) per Avahi function we call. A list, so that the table and both loaders
// cannot drift apart: a function added here is declared, loaded and checked everywhere.
#define CONSTELLATION_AVAHI_FUNCTIONS(X)   \
  X(avahi_threaded_poll_new)               \
  X(avahi_threaded_poll_free)              \
  X(avahi_threaded_poll_get)               \
  X(avahi_threaded_poll_start)             \
  X(avahi_threaded_poll_stop)              \
  X(avahi_threaded_poll_lock)              \
  X(avahi_threaded_poll_unlock)            \
  X(avahi_elapse_time)                     \
  X(avahi_strerror)                        \
  X(avahi_free)                            \
  X(avahi_string_list_add)                 \
  X(avahi_string_list_free)                \
  X(avahi_string_list_get_next)            \
  X(avahi_string_list_get_text)            \
  X(avahi_string_list_get_size)            \
  X(avahi_alternative_service_name)        \
  X(avahi_address_snprint)                 \
  X(avahi_client_new)                      \
  X(avahi_client_free)                     \
  X(avahi_client_get_state)                \
  X(avahi_client_errno)                    \
  X(avahi_entry_group_new)                 \
  X(avahi_entry_group_free)                \
  X(avahi_entry_group_reset)               \
  X(avahi_entry_group_is_empty)            \
  X(avahi_entry_group_add_service_strlst)  \
  X(avahi_entry_group_commit)              \
  X(avahi_entry_group_get_client)          \
  X(avahi_service_browser_new)             \
  X(avahi_service_browser_free)            \
  X(avahi_service_resolver_new)            \
  X(avahi_service_resolver_free)

/// The functions, each member named as the Avahi function it points to.
struct AvahiApi {
#define CONSTELLATION_AVAHI_MEMBER(name) decltype(&::name) name = nullptr;
  CONSTELLATION_AVAHI_FUNCTIONS(CONSTELLATION_AVAHI_MEMBER)
#undef CONSTELLATION_AVAHI_MEMBER
};

/// The loaded library: the table plus whatever keeps its code mapped. Shared by the
/// service and the deleters of every Avahi object it owns.
class AvahiLibrary {
 public:
  virtual ~AvahiLibrary() = default;
  const AvahiApi& api() const { return api_; }
  /// What was loaded, for messages: the soname or path asked for, or "linked in".
  const std::string& origin() const { return origin_; }

 protected:
  AvahiLibrary(AvahiApi api, std::string origin) : api_(api), origin_(std::move(origin)) {}

 private:
  AvahiApi api_;
  std::string origin_;
};

/// Loads the Avahi client library named `library` (a soname such as kAvahiClientLibrary,
/// or an absolute path). The error says which library and function failed and how to
/// get it (install libavahi-client3, or drop "mdns" from [network] discovery).
/// In the fully static build Avahi is linked in and `library` is ignored.
Result<std::shared_ptr<const AvahiLibrary>> load_avahi(const std::string& library);

}  // namespace constellation::discovery
