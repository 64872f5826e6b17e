#include <utility>

#include "constellation/discovery/mdns.h"
#include "mdns_impl.h"
#include "mdns_txt.h"

namespace constellation::discovery {

namespace {

void on_client_cb(AvahiClient* c, AvahiClientState state, void* self) {
  guarded("client state",
          [&] { static_cast<MdnsService::Impl*>(self)->on_client_state(c, state); });
}

void on_retry_cb(AvahiTimeout*, void* self) {
  guarded("retry", [&] { static_cast<MdnsService::Impl*>(self)->on_retry(); });
}

}  // namespace

MdnsService::Impl::Impl(boost::asio::any_io_executor executor, MdnsAdvert advert,
                        MdnsCallbacks callbacks, std::string avahi_library)
    : executor_(std::move(executor)),
      advert_(std::move(advert)),
      callbacks_(std::move(callbacks)),
      txt_(make_txt(advert_)),
      avahi_library_(std::move(avahi_library)),
      instance_name_(make_instance_name(advert_)),
      peers_(advert_.node_id) {}

MdnsService::Impl::~Impl() { stop(); }

void MdnsService::Impl::start() {
  if (poll_ || load_failed_) return;
  sink_ = std::make_shared<MdnsSink>(callbacks_);
  if (!avahi_) {
    auto loaded = load_avahi(avahi_library_);
    if (!loaded) {
      // Not retried: a library does not appear while we run. One warning, then this
      // service stays inert and every other discovery source carries on.
      load_failed_ = true;
      spdlog::warn("mDNS: LAN discovery is off: {}", loaded.error().message);
      post_availability(false, loaded.error().message);
      return;
    }
    avahi_ = std::move(*loaded);
    spdlog::debug("mDNS: using Avahi from {}", avahi_->origin());
  }
  poll_ = own(av(), av().avahi_threaded_poll_new());
  if (!poll_) {
    spdlog::warn("mDNS: cannot create Avahi's event loop; LAN discovery is off");
    post_availability(false, "Avahi's event loop could not be created");
    return;
  }
  const AvahiPoll* api = av().avahi_threaded_poll_get(poll_.get());
  // The first connection attempt runs on Avahi's thread too, so start() never blocks
  // on D-Bus.
  timeval now{};
  av().avahi_elapse_time(&now, 0, 0);
  retry_ = AvahiTimeoutPtr(api->timeout_new(api, &now, on_retry_cb, this), AvahiTimeoutFree{api});
  if (!retry_ || av().avahi_threaded_poll_start(poll_.get()) < 0) {
    spdlog::warn("mDNS: cannot start Avahi's event loop; LAN discovery is off");
    post_availability(false, "Avahi's event loop could not be started");
    retry_.reset();
    poll_.reset();
  }
}

void MdnsService::Impl::stop() {
  if (!poll_) {
    if (sink_) sink_->open = false;  // a failed load's report may still be queued
    return;
  }
  av().avahi_threaded_poll_lock(poll_.get());
  sink_->open = false;
  // Freeing the group withdraws our service (the daemon sends goodbye packets).
  session_.reset();
  retry_.reset();
  retry_due_.reset();
  av().avahi_threaded_poll_unlock(poll_.get());
  av().avahi_threaded_poll_stop(poll_.get());
  poll_.reset();
  peers_ = MdnsPeerTable(advert_.node_id);
  availability_ = Availability::kUnknown;
}

void MdnsService::Impl::connect() {
  session_ = std::make_unique<MdnsSession>();
  int error = 0;
  // The bus is DBUS_SYSTEM_BUS_ADDRESS or the default socket; libdbus reads the variable
  // once per process (dbus_bus_get_private), so changing it later has no effect.
  AvahiClient* c = av().avahi_client_new(av().avahi_threaded_poll_get(poll_.get()), AVAHI_CLIENT_NO_FAIL,
                                    on_client_cb, this, &error);
  if (!c) {
    // NO_FAIL covers a missing daemon but not a missing bus: that is our retry.
    session_.reset();
    note_unavailable(fmt::format("no D-Bus system bus: {}", av().avahi_strerror(error)));
    arm_retry(kRetryInterval);
    return;
  }
  session_->client = own(av(), c);
  // The state callback may have fired inside avahi_client_new, before we knew `c`;
  // on_client_state ignored it, so act on the current state now.
  on_client_state(c, av().avahi_client_get_state(c));
}

void MdnsService::Impl::on_client_state(AvahiClient* c, AvahiClientState state) {
  if (!session_ || session_->client.get() != c) return;
  switch (state) {
    case AVAHI_CLIENT_S_RUNNING:
      publish(c);
      browse(c);
      if (!session_->unresolved.empty()) arm_retry(kRefreshDelay);
      break;
    case AVAHI_CLIENT_S_REGISTERING:
    case AVAHI_CLIENT_S_COLLISION:
      // The daemon is (re)registering its host name; our records go back once it runs.
      if (session_->group) av().avahi_entry_group_reset(session_->group.get());
      break;
    case AVAHI_CLIENT_CONNECTING:
      note_unavailable("avahi-daemon is not running");
      break;
    case AVAHI_CLIENT_FAILURE:
      note_unavailable(av().avahi_strerror(av().avahi_client_errno(c)));
      // Freeing the client inside its own callback is unsafe (libdbus is still
      // dispatching): the retry timer does it.
      arm_retry(kReconnectDelay);
      break;
  }
}

void MdnsService::Impl::on_retry() {
  retry_due_.reset();
  if (session_ && av().avahi_client_get_state(session_->client.get()) == AVAHI_CLIENT_FAILURE)
    drop_session();
  if (!session_) {
    connect();
    return;
  }
  AvahiClient* c = session_->client.get();
  if (av().avahi_client_get_state(c) != AVAHI_CLIENT_S_RUNNING) return;
  if (session_->browser_failed) {
    lose_all();
    session_->browser.reset();
    session_->browser_failed = false;
  }
  browse(c);
  auto unresolved = std::exchange(session_->unresolved, {});
  for (const auto& key : unresolved) resolve(c, key);
}

void MdnsService::Impl::arm_retry(std::chrono::milliseconds delay) {
  const auto due = std::chrono::steady_clock::now() + delay;
  if (retry_due_ && *retry_due_ <= due) return;
  retry_due_ = due;
  timeval when{};
  av().avahi_elapse_time(&when, static_cast<unsigned>(delay.count()), 0);
  av().avahi_threaded_poll_get(poll_.get())->timeout_update(retry_.get(), &when);
}

void MdnsService::Impl::drop_session() {
  lose_all();
  session_.reset();  // resolvers, browser and group first, then the client
}

void MdnsService::Impl::note_unavailable(const std::string& why) {
  post_availability(false, why);
  if (availability_ == Availability::kDown) {
    spdlog::debug("mDNS: avahi still unavailable: {}", why);
    return;
  }
  availability_ = Availability::kDown;
  spdlog::warn("mDNS: avahi is unavailable ({}); retrying in the background", why);
}

void MdnsService::Impl::note_published() {
  switch (availability_) {
    case Availability::kDown:
      spdlog::info("mDNS: avahi is back; published as '{}'", instance_name_);
      break;
    case Availability::kUnknown:
      spdlog::info("mDNS: published as '{}' ({} on port {})", instance_name_, kMdnsServiceType,
                   advert_.port);
      break;
    case Availability::kUp:
      spdlog::debug("mDNS: re-published as '{}'", instance_name_);
      break;
  }
  availability_ = Availability::kUp;
  post_availability(true, instance_name_);
}

MdnsService::MdnsService(boost::asio::any_io_executor executor, MdnsAdvert advert,
                         MdnsCallbacks callbacks, std::string avahi_library)
    : impl_(std::make_unique<Impl>(std::move(executor), std::move(advert), std::move(callbacks),
                                   std::move(avahi_library))) {}

MdnsService::~MdnsService() = default;

void MdnsService::start() { impl_->start(); }

void MdnsService::stop() { impl_->stop(); }

}  // namespace constellation::discovery
