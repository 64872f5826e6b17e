// Our side of DNS-SD: one entry group holding the `_a2a._tcp` service, renamed on
// collisions and re-added whenever the daemon re-registers.

#include <new>

#include "mdns_impl.h"

namespace constellation::discovery {

namespace {

void on_group_cb(AvahiEntryGroup* g, AvahiEntryGroupState state, void* self) {
  guarded("entry group state",
          [&] { static_cast<MdnsService::Impl*>(self)->on_group_state(g, state); });
}

AvahiStringListPtr to_string_list(const AvahiApi& av, const std::vector<std::string>& strings) {
  AvahiStringListPtr list = own<AvahiStringList>(av, nullptr);
  // avahi_string_list_add prepends: add in reverse to publish in our order. It returns
  // null when out of memory, having left the list as it was.
  for (auto it = strings.rbegin(); it != strings.rend(); ++it) {
    AvahiStringList* longer = av.avahi_string_list_add(list.get(), it->c_str());
    if (!longer) throw std::bad_alloc();
    list.release();
    list.reset(longer);
  }
  return list;
}

const char* client_error(const AvahiApi& av, AvahiEntryGroup* g) {
  return av.avahi_strerror(av.avahi_client_errno(av.avahi_entry_group_get_client(g)));
}

}  // namespace

void MdnsService::Impl::publish(AvahiClient* c) {
  if (!session_->group) {
    AvahiEntryGroup* g = av().avahi_entry_group_new(c, on_group_cb, this);
    if (!g) {
      spdlog::warn("mDNS: cannot create an entry group to publish '{}': {}", instance_name_,
                   av().avahi_strerror(av().avahi_client_errno(c)));
      return;
    }
    session_->group = own(av(), g);
  }
  // Not empty: still registered from before, e.g. this is a second RUNNING state.
  if (av().avahi_entry_group_is_empty(session_->group.get())) add_and_commit(session_->group.get());
}

void MdnsService::Impl::add_and_commit(AvahiEntryGroup* g) {
  AvahiStringListPtr txt = to_string_list(av(), txt_);
  for (int attempt = 0; attempt < kMaxRenames; ++attempt) {
    int rc = av().avahi_entry_group_add_service_strlst(
        g, AVAHI_IF_UNSPEC, AVAHI_PROTO_INET, static_cast<AvahiPublishFlags>(0),
        instance_name_.c_str(), kMdnsServiceType, nullptr, nullptr, advert_.port, txt.get());
    if (rc == AVAHI_ERR_COLLISION) {
      // Another client of the same daemon already has this name.
      rename();
      av().avahi_entry_group_reset(g);
      continue;
    }
    if (rc < 0) {
      spdlog::warn("mDNS: cannot publish '{}' on port {}: {}", instance_name_, advert_.port,
                   av().avahi_strerror(rc));
      return;
    }
    if ((rc = av().avahi_entry_group_commit(g)) < 0)
      spdlog::warn("mDNS: cannot commit '{}': {}", instance_name_, av().avahi_strerror(rc));
    return;
  }
  spdlog::warn("mDNS: gave up publishing after {} name collisions (last tried '{}')", kMaxRenames,
               instance_name_);
}

void MdnsService::Impl::rename() {
  AvahiCharPtr alternative = own(av(), av().avahi_alternative_service_name(instance_name_.c_str()));
  if (!alternative) throw std::bad_alloc();
  spdlog::info("mDNS: the name '{}' is taken; publishing as '{}'", instance_name_,
               alternative.get());
  instance_name_ = alternative.get();
}

void MdnsService::Impl::on_group_state(AvahiEntryGroup* g, AvahiEntryGroupState state) {
  if (!session_ || session_->group.get() != g) return;
  switch (state) {
    case AVAHI_ENTRY_GROUP_ESTABLISHED:
      note_published();
      break;
    case AVAHI_ENTRY_GROUP_COLLISION:
      // Another host on the LAN has the name (found while probing or later).
      rename();
      av().avahi_entry_group_reset(g);
      add_and_commit(g);
      break;
    case AVAHI_ENTRY_GROUP_FAILURE:
      spdlog::warn("mDNS: publishing '{}' failed: {}", instance_name_, client_error(av(), g));
      break;
    case AVAHI_ENTRY_GROUP_UNCOMMITED:
    case AVAHI_ENTRY_GROUP_REGISTERING:
      break;
  }
}

}  // namespace constellation::discovery
