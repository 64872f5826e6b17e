// Only in the fully static build (CONSTELLATION_FULLY_STATIC): Debian's libdbus-1.a calls
// sd_listen_fds and sd_is_socket, which live in libsystemd, and Debian ships no
// libsystemd.a. libdbus uses them only when it is itself started by systemd socket
// activation (dbus-daemon), never in a client such as ours, so "no sockets passed" is
// the truthful answer.
extern "C" {
int sd_listen_fds(int /*unset_environment*/) { return 0; }
int sd_is_socket(int /*fd*/, int /*family*/, int /*type*/, int /*listening*/) { return 0; }
}
