// The default build: Avahi is not linked, it is loaded here with dlopen (see avahi_api.h).

#include <dlfcn.h>

#include "avahi_api.h"
#include "constellation/util/concat.h"

namespace constellation::discovery {

namespace {

class DlopenedAvahi final : public AvahiLibrary {
 public:
  DlopenedAvahi(void* handle, AvahiApi api, std::string origin)
      : AvahiLibrary(api, std::move(origin)), handle_(handle) {}
  ~DlopenedAvahi() override { ::dlclose(handle_); }
  DlopenedAvahi(const DlopenedAvahi&) = delete;
  DlopenedAvahi& operator=(const DlopenedAvahi&) = delete;

 private:
  void* handle_;
};

std::string last_dl_error() {
  const char* e = ::dlerror();
  return e ? e : "unknown dynamic loader error";
}

Error cannot_load(const std::string& library, const std::string& why) {
  return make_error(ErrorKind::kInternal,
                    concat({"cannot load the Avahi client library ", library, " (", why,
                            "); install it (Debian/Ubuntu: apt install libavahi-client3 "
                            "avahi-daemon) and restart, or drop \"mdns\" from [network] "
                            "discovery to silence this"}));
}

}  // namespace

Result<std::shared_ptr<const AvahiLibrary>> load_avahi(const std::string& library) {
  // RTLD_NODELETE: libdbus, which comes with it, keeps process-wide state (its thread
  // locks, a shutdown hook) that must outlive our last reference; unloading it buys nothing.
  void* handle = ::dlopen(library.c_str(), RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  if (!handle) return cannot_load(library, last_dl_error());
  AvahiApi api;
  std::string missing;
#define CONSTELLATION_AVAHI_LOAD(name)                                    \
  api.name = reinterpret_cast<decltype(api.name)>(::dlsym(handle, #name)); \
  if (!api.name && missing.empty()) missing = #name;
  CONSTELLATION_AVAHI_FUNCTIONS(CONSTELLATION_AVAHI_LOAD)
#undef CONSTELLATION_AVAHI_LOAD
  if (!missing.empty()) {
    ::dlclose(handle);
    return cannot_load(library, concat({"it has no function ", missing,
                                        "; is it Avahi's libavahi-client 0.6 or newer?"}));
  }
  return std::shared_ptr<const AvahiLibrary>(
      std::make_shared<DlopenedAvahi>(handle, api, library));
}

}  // namespace constellation::discovery
