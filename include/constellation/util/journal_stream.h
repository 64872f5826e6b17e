#pragma once
/// systemd's JOURNAL_STREAM: "<device>:<inode>" of the stream journald reads a service's
/// stderr from. It is inherited by children whose stderr goes elsewhere, so it counts
/// only when it names our stderr (sd_journal_stream_fd(3), systemd.exec(5)).

#include <cstdint>
#include <string_view>

namespace constellation {

/// Whether `value` ("8:12345", decimal) names the file with this device and inode.
/// Anything malformed is false. Pure, for tests.
bool journal_stream_matches(std::string_view value, std::uint64_t device, std::uint64_t inode);

/// The syslog priority ("<3>" … "<7>") journald reads from the start of a line, for a
/// log level of spdlog's order (0 trace … 6 off). Pure.
const char* syslog_prefix(int spdlog_level);

}  // namespace constellation
