// The fully static build (CONSTELLATION_FULLY_STATIC): Avahi and libdbus are linked in,
// and dlopen is not an option (it would load a second libc into the process).

#include "avahi_api.h"

namespace constellation::discovery {

namespace {

class LinkedAvahi final : public AvahiLibrary {
 public:
  explicit LinkedAvahi(AvahiApi api) : AvahiLibrary(api, "linked in") {}
};

}  // namespace

Result<std::shared_ptr<const AvahiLibrary>> load_avahi(const std::string& /*library*/) {
  AvahiApi api;
#define CONSTELLATION_AVAHI_LINK(name) api.name = &::name;
  CONSTELLATION_AVAHI_FUNCTIONS(CONSTELLATION_AVAHI_LINK)
#undef CONSTELLATION_AVAHI_LINK
  return std::shared_ptr<const AvahiLibrary>(std::make_shared<LinkedAvahi>(api));
}

}  // namespace constellation::discovery
