#include "constellation/config/config.h"

#include "constellation/security/allowlist.h"

#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <limits>
#include <sstream>
#include <system_error>

#include <toml++/toml.h>

namespace constellation::config {
namespace {

constexpr std::string_view kNameHint =
    "set it under [agent] or rerun 'constellation init --force --name NAME'";
constexpr std::string_view kBindExpectation = "expected \"host:port\" with a port from 1 to 65535";
constexpr std::string_view kIntervalExpectation =
    "expected whole seconds (e.g. 30) or a duration string like \"500ms\", \"2s\", \"1m\"";

const char* type_name(toml::node_type type) {
  switch (type) {
    case toml::node_type::table:
      return "a table";
    case toml::node_type::array:
      return "an array";
    case toml::node_type::string:
      return "a string";
    case toml::node_type::integer:
      return "an integer";
    case toml::node_type::floating_point:
      return "a float";
    case toml::node_type::boolean:
      return "a boolean";
    case toml::node_type::date:
      return "a date";
    case toml::node_type::time:
      return "a time";
    case toml::node_type::date_time:
      return "a date-time";
    case toml::node_type::none:
      break;
  }
  return "nothing";
}

/// A TOML basic string; also how values are quoted in error messages, so a user can
/// see stray whitespace or control characters.
std::string quote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04X", static_cast<unsigned>(c));
          out += buf;
        } else {
          out += c;
        }
    }
  }
  out += '"';
  return out;
}

std::string quote_array(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i > 0) out += ", ";
    out += quote(items[i]);
  }
  out += "]";
  return out;
}

bool parse_unsigned(std::string_view digits, std::uint64_t* out) {
  if (digits.empty()) return false;
  for (char c : digits)
    if (c < '0' || c > '9') return false;
  auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), *out);
  return ec == std::errc() && end == digits.data() + digits.size();
}

/// "host:port", "[v6]:port". The host is returned without brackets.
bool split_host_port(std::string_view text, std::string* host, std::uint16_t* port) {
  std::string_view host_part;
  std::string_view port_part;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':')
      return false;
    host_part = text.substr(1, close - 1);
    // Brackets exist only to protect an IPv6 address's colons.
    if (host_part.find(':') == std::string_view::npos) return false;
    port_part = text.substr(close + 2);
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) return false;
    host_part = text.substr(0, colon);
    // A bare IPv6 address is ambiguous ("::1:80"), so it must be bracketed.
    if (host_part.find(':') != std::string_view::npos) return false;
    port_part = text.substr(colon + 1);
  }
  if (host_part.empty()) return false;
  for (char c : host_part)
    if (static_cast<unsigned char>(c) <= ' ' || c == '/' || c == '[' || c == ']') return false;
  std::uint64_t value = 0;
  if (!parse_unsigned(port_part, &value) || value < 1 || value > 65535) return false;
  *host = std::string(host_part);
  *port = static_cast<std::uint16_t>(value);
  return true;
}

std::string join_host_port(const std::string& host, std::uint16_t port) {
  if (host.find(':') != std::string::npos) return "[" + host + "]:" + std::to_string(port);
  return host + ":" + std::to_string(port);
}

/// "500ms", "2s", "1m" → milliseconds; false for anything else or zero.
bool parse_duration(std::string_view text, std::chrono::milliseconds* out) {
  std::size_t digits = 0;
  while (digits < text.size() && text[digits] >= '0' && text[digits] <= '9') ++digits;
  std::uint64_t value = 0;
  if (!parse_unsigned(text.substr(0, digits), &value)) return false;
  std::string_view unit = text.substr(digits);
  std::uint64_t scale = 0;
  if (unit == "ms") {
    scale = 1;
  } else if (unit == "s") {
    scale = 1000;
  } else if (unit == "m") {
    scale = 60'000;
  } else {
    return false;
  }
  constexpr auto kMax = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  if (value == 0 || value > kMax / scale) return false;
  *out = std::chrono::milliseconds(static_cast<std::int64_t>(value * scale));
  return true;
}

/// "<digits>" with an optional unit B, KiB or MiB; nullopt for anything else.
std::optional<std::uint64_t> parse_size(std::string_view text) {
  std::size_t i = 0;
  std::uint64_t value = 0;
  while (i < text.size() && text[i] >= '0' && text[i] <= '9') {
    if (value > (std::uint64_t{1} << 40)) return std::nullopt;
    value = value * 10 + static_cast<std::uint64_t>(text[i] - '0');
    ++i;
  }
  if (i == 0) return std::nullopt;
  const std::string_view unit = text.substr(i);
  if (unit.empty() || unit == "B") return value;
  if (unit == "KiB") return value << 10;
  if (unit == "MiB") return value << 20;
  return std::nullopt;
}

std::string render_size(std::uint64_t bytes) {
  if (bytes % (1u << 20) == 0) return quote(std::to_string(bytes >> 20) + "MiB");
  if (bytes % (1u << 10) == 0) return quote(std::to_string(bytes >> 10) + "KiB");
  return std::to_string(bytes);
}

/// Walks the parsed document into a Config. Every check fails through fail(), so the
/// first problem found is reported with file, line and dotted key.
class ConfigReader {
 public:
  ConfigReader(const std::string& source, std::string* err) : source_(source), err_(err) {}

  bool read(const toml::table& root, Config* config) {
    if (!check_keys(root, "", {"agent", "network", "discovery", "a2a", "store", "files",
                               "security", "limits"})) {
      return false;
    }
    const toml::table* agent = nullptr;
    if (!table_at(root, "agent", &agent)) return false;
    if (!read_agent(agent, &config->agent)) return false;
    const toml::table* network = nullptr;
    if (!table_at(root, "network", &network)) return false;
    if (network && !read_network(*network, &config->network)) return false;
    const toml::table* discovery = nullptr;
    if (!table_at(root, "discovery", &discovery)) return false;
    if (discovery && !read_discovery(*discovery, &config->discovery)) return false;
    const toml::table* a2a = nullptr;
    if (!table_at(root, "a2a", &a2a)) return false;
    if (a2a && !read_a2a(*a2a, &config->a2a)) return false;
    const toml::table* store = nullptr;
    if (!table_at(root, "store", &store)) return false;
    if (store && !read_store(*store, &config->store)) return false;
    const toml::table* files = nullptr;
    if (!table_at(root, "files", &files)) return false;
    if (files && !read_files(*files, &config->files)) return false;
    const toml::table* security = nullptr;
    if (!table_at(root, "security", &security)) return false;
    if (security && !read_security(*security, &config->security)) return false;
    const toml::table* limits = nullptr;
    if (!table_at(root, "limits", &limits)) return false;
    if (limits && !read_limits(*limits, &config->limits)) return false;
    return true;
  }

 private:
  bool fail(const toml::source_region& where, std::string_view key, std::string_view what) {
    std::ostringstream out;
    out << source_;
    if (where.begin.line > 0) out << ':' << where.begin.line;
    out << ": " << key << ": " << what;
    if (err_) *err_ = out.str();
    return false;
  }

  bool fail_type(const toml::node& node, std::string_view key, std::string_view expected) {
    return fail(node.source(), key,
                std::string("expected ") + std::string(expected) + ", got " +
                    type_name(node.type()));
  }

  static std::string dotted(std::string_view prefix, std::string_view key) {
    if (prefix.empty()) return std::string(key);
    return std::string(prefix) + "." + std::string(key);
  }

  /// Refuses the key that comes first in the file among those not in `known`.
  bool check_keys(const toml::table& table, std::string_view prefix,
                  std::initializer_list<std::string_view> known) {
    const toml::key* first_unknown = nullptr;
    for (const auto& [key, node] : table) {
      bool is_known = false;
      for (auto k : known) is_known = is_known || key.str() == k;
      if (is_known) continue;
      if (!first_unknown || key.source().begin.line < first_unknown->source().begin.line)
        first_unknown = &key;
    }
    if (!first_unknown) return true;
    std::string list;
    for (auto k : known) {
      if (!list.empty()) list += ", ";
      list += k;
    }
    return fail(first_unknown->source(), dotted(prefix, first_unknown->str()),
                "unknown key (known: " + list + ")");
  }

  bool table_at(const toml::table& root, std::string_view key, const toml::table** out) {
    const toml::node* node = root.get(key);
    if (!node) return true;
    if (!node->is_table()) return fail_type(*node, key, "a table");
    *out = node->as_table();
    return true;
  }

  bool read_string(const toml::node& node, std::string_view key, std::string* out) {
    if (!node.is_string()) return fail_type(node, key, "a string");
    *out = node.as_string()->get();
    return true;
  }

  bool read_string_array(const toml::node& node, std::string_view key,
                         std::vector<std::string>* out) {
    if (!node.is_array()) return fail_type(node, key, "an array of strings");
    const toml::array& array = *node.as_array();
    std::vector<std::string> items;
    for (std::size_t i = 0; i < array.size(); ++i) {
      const toml::node& item = array[i];
      std::string item_key = std::string(key) + "[" + std::to_string(i) + "]";
      if (!item.is_string()) return fail_type(item, item_key, "a string");
      items.push_back(item.as_string()->get());
    }
    *out = std::move(items);
    return true;
  }

  bool read_agent(const toml::table* agent, Config::Agent* out) {
    // Unknown keys first: a misspelt "name" should be reported as the typo it is.
    if (agent && !check_keys(*agent, "agent", {"name", "description", "skills"})) return false;
    const toml::node* name = agent ? agent->get("name") : nullptr;
    if (!name) {
      if (err_) *err_ = source_ + ": agent.name: missing; " + std::string(kNameHint);
      return false;
    }
    if (!read_string(*name, "agent.name", &out->name)) return false;
    if (out->name.empty())
      return fail(name->source(), "agent.name", "must not be empty; " + std::string(kNameHint));
    if (const toml::node* node = agent->get("description"))
      if (!read_string(*node, "agent.description", &out->description)) return false;
    if (const toml::node* node = agent->get("skills"))
      if (!read_string_array(*node, "agent.skills", &out->skills)) return false;
    return true;
  }

  bool read_network(const toml::table& network, Config::Network* out) {
    if (!check_keys(network, "network", {"bind", "advertised_host", "discovery", "peers"}))
      return false;
    if (const toml::node* node = network.get("bind")) {
      std::string bind;
      if (!read_string(*node, "network.bind", &bind)) return false;
      if (!split_host_port(bind, &out->bind_host, &out->bind_port))
        return fail(node->source(), "network.bind",
                    std::string(kBindExpectation) + ", got " + quote(bind));
    }
    if (const toml::node* node = network.get("advertised_host")) {
      if (!read_string(*node, "network.advertised_host", &out->advertised_host)) return false;
      if (out->advertised_host.empty())
        return fail(node->source(), "network.advertised_host",
                    "must not be empty; use \"auto\" or a host name or address");
    }
    if (const toml::node* node = network.get("discovery")) {
      if (!read_string_array(*node, "network.discovery", &out->discovery)) return false;
      for (std::size_t i = 0; i < out->discovery.size(); ++i) {
        const std::string& method = out->discovery[i];
        if (method != "tailscale" && method != "mdns")
          return fail((*node->as_array())[i].source(),
                      "network.discovery[" + std::to_string(i) + "]",
                      "expected \"tailscale\" or \"mdns\", got " + quote(method));
      }
    }
    if (const toml::node* node = network.get("peers")) {
      if (!read_string_array(*node, "network.peers", &out->peers)) return false;
      for (std::size_t i = 0; i < out->peers.size(); ++i) {
        const std::string& url = out->peers[i];
        bool http = url.rfind("http://", 0) == 0 && url.size() > 7;
        bool https = url.rfind("https://", 0) == 0 && url.size() > 8;
        if (!http && !https)
          return fail((*node->as_array())[i].source(), "network.peers[" + std::to_string(i) + "]",
                      "expected a URL starting with http:// or https://, got " + quote(url));
      }
    }
    return true;
  }

  bool read_discovery(const toml::table& discovery, Config::Discovery* out) {
    if (!check_keys(discovery, "discovery",
                    {"interval", "probe_timeout", "prune_after", "ports", "avahi_library"}))
      return false;
    if (const toml::node* node = discovery.get("avahi_library")) {
      if (!read_string(*node, "discovery.avahi_library", &out->avahi_library)) return false;
      if (out->avahi_library.empty())
        return fail(node->source(), "discovery.avahi_library",
                    "expected a library file name such as \"libavahi-client.so.3\" or an "
                    "absolute path; to turn mDNS off, drop \"mdns\" from [network] discovery");
    }
    if (!read_duration(discovery, "discovery", "interval", &out->interval)) return false;
    if (!read_duration(discovery, "discovery", "probe_timeout", &out->probe_timeout)) return false;
    if (!read_duration(discovery, "discovery", "prune_after", &out->prune_after)) return false;
    if (const toml::node* node = discovery.get("ports")) {
      const auto* list = node->as_array();
      if (!list) return fail_type(*node, "discovery.ports", "an array of port numbers");
      out->ports.clear();
      for (std::size_t i = 0; i < list->size(); ++i) {
        const toml::node& item = (*list)[i];
        const auto* port = item.as_integer();
        const std::string key = "discovery.ports[" + std::to_string(i) + "]";
        if (!port) return fail_type(item, key, "a port number");
        if (port->get() < 1 || port->get() > 65535)
          return fail(item.source(), key, "expected a port from 1 to 65535, got " +
                                               std::to_string(port->get()));
        out->ports.push_back(static_cast<std::uint16_t>(port->get()));
      }
    }
    return true;
  }

  /// A duration: whole seconds, or a string such as "500ms", "2s", "5m".
  bool read_a2a(const toml::table& a2a, Config::A2a* out) {
    if (!check_keys(a2a, "a2a", {"blocking_timeout", "stream_keepalive"})) return false;
    return read_duration(a2a, "a2a", "blocking_timeout", &out->blocking_timeout) &&
           read_duration(a2a, "a2a", "stream_keepalive", &out->stream_keepalive);
  }

  bool read_duration(const toml::table& table, const char* section, const char* name,
                     std::chrono::milliseconds* out) {
    const toml::node* node = table.get(name);
    if (!node) return true;
    const std::string key = std::string(section) + "." + name;
    constexpr std::int64_t kMaxSeconds = std::numeric_limits<std::int64_t>::max() / 1000;
    if (const auto* integer = node->as_integer()) {
      std::int64_t seconds = integer->get();
      if (seconds < 1 || seconds > kMaxSeconds)
        return fail(node->source(), key,
                    std::string(kIntervalExpectation) + ", got " + std::to_string(seconds));
      *out = std::chrono::seconds(seconds);
      return true;
    }
    if (const auto* text = node->as_string()) {
      if (!parse_duration(text->get(), out))
        return fail(node->source(), key,
                    std::string(kIntervalExpectation) + ", got " + quote(text->get()));
      return true;
    }
    return fail(node->source(), key,
                std::string(kIntervalExpectation) + ", got " + type_name(node->type()));
  }

  bool read_store(const toml::table& store, Config::Store* out) {
    if (!check_keys(store, "store", {"path"})) return false;
    if (const toml::node* node = store.get("path")) {
      if (!read_string(*node, "store.path", &out->path)) return false;
      if (out->path.empty())
        return fail(node->source(), "store.path", "must not be empty; use \"auto\" or a file path");
    }
    return true;
  }

  /// A size: whole bytes, or a string such as "512KiB", "10MiB", from `min` to `max`
  /// (`range` says so in the message).
  bool read_size(const toml::node& node, std::string_view key, std::uint64_t min,
                 std::uint64_t max, std::string_view range, std::uint64_t* out) {
    std::optional<std::uint64_t> bytes;
    std::string got;
    if (const auto* integer = node.as_integer()) {
      got = std::to_string(integer->get());
      if (integer->get() > 0) bytes = static_cast<std::uint64_t>(integer->get());
    } else if (const auto* text = node.as_string()) {
      got = quote(text->get());
      bytes = parse_size(text->get());
    } else {
      got = type_name(node.type());
    }
    if (!bytes || *bytes < min || *bytes > max) {
      return fail(node.source(), key,
                  "expected a size from " + std::string(range) +
                      ": whole bytes (e.g. 1048576) or a string like \"512KiB\" or \"10MiB\", "
                      "got " + got);
    }
    *out = *bytes;
    return true;
  }

  /// A whole number from `min` to `max`.
  bool read_count(const toml::table& table, const char* section, const char* name,
                  std::int64_t min, std::int64_t max, std::uint64_t* out) {
    const toml::node* node = table.get(name);
    if (!node) return true;
    const std::string key = std::string(section) + "." + name;
    const std::string expected =
        "expected a whole number from " + std::to_string(min) + " to " + std::to_string(max);
    const auto* integer = node->as_integer();
    if (!integer) return fail(node->source(), key, expected + ", got " + type_name(node->type()));
    if (integer->get() < min || integer->get() > max)
      return fail(node->source(), key, expected + ", got " + std::to_string(integer->get()));
    *out = static_cast<std::uint64_t>(integer->get());
    return true;
  }

  bool read_files(const toml::table& files, Config::Files* out) {
    if (!check_keys(files, "files", {"max_bytes"})) return false;
    const toml::node* node = files.get("max_bytes");
    if (!node) return true;
    return read_size(*node, "files.max_bytes", 1, kMaxFileBytesCeiling, "1 byte to 16MiB",
                     &out->max_bytes);
  }

  bool read_limits(const toml::table& limits, Config::Limits* out) {
    if (!check_keys(limits, "limits",
                    {"max_body_bytes", "header_timeout", "body_timeout", "idle_timeout",
                     "max_connections", "max_pending_per_peer"}))
      return false;
    if (const toml::node* node = limits.get("max_body_bytes")) {
      if (!read_size(*node, "limits.max_body_bytes", kMaxBodyBytesFloor, kMaxBodyBytesCeiling,
                     "1KiB to 64MiB", &out->max_body_bytes))
        return false;
    }
    return read_duration(limits, "limits", "header_timeout", &out->header_timeout) &&
           read_duration(limits, "limits", "body_timeout", &out->body_timeout) &&
           read_duration(limits, "limits", "idle_timeout", &out->idle_timeout) &&
           read_count(limits, "limits", "max_connections", 1, 100000, &out->max_connections) &&
           read_count(limits, "limits", "max_pending_per_peer", 1, 1000000,
                      &out->max_pending_per_peer);
  }

  bool read_security(const toml::table& security, Config::Security* out) {
    if (!check_keys(security, "security", {"allow", "token_file"})) return false;
    if (const toml::node* node = security.get("allow")) {
      if (!read_string_array(*node, "security.allow", &out->allow)) return false;
      if (auto list = security::Allowlist::parse(out->allow); !list) {
        // "allow[2]: \"x y\" is not …": the entry becomes part of the key.
        const std::string& message = list.error().message;
        const auto colon = message.find(": ");
        return fail(node->source(), "security." + message.substr(0, colon), message.substr(colon + 2));
      }
    }
    if (const toml::node* node = security.get("token_file")) {
      if (!read_string(*node, "security.token_file", &out->token_file)) return false;
    }
    return true;
  }

  const std::string& source_;
  std::string* err_;
};

std::string render_ports(const std::vector<std::uint16_t>& ports) {
  std::string out = "[";
  for (std::size_t i = 0; i < ports.size(); ++i) out += (i ? ", " : "") + std::to_string(ports[i]);
  return out + "]";
}

std::string render_interval(std::chrono::milliseconds interval) {
  if (interval.count() % 1000 == 0) return std::to_string(interval.count() / 1000);
  return quote(std::to_string(interval.count()) + "ms");
}

}  // namespace

std::optional<Config> parse_config(std::string_view text, const std::string& source,
                                   std::string* err) {
  try {
    toml::table root = toml::parse(text, std::string_view(source));
    Config config;
    if (!ConfigReader(source, err).read(root, &config)) return std::nullopt;
    return config;
  } catch (const toml::parse_error& e) {
    if (err) {
      std::ostringstream out;
      out << source << ':' << e.source().begin.line << ':' << e.source().begin.column
          << ": TOML syntax error: " << e.description();
      *err = out.str();
    }
  } catch (const std::exception& e) {
    if (err) *err = source + ": cannot parse config: " + e.what();
  }
  return std::nullopt;
}

std::optional<Config> load_config(const std::filesystem::path& path, std::string* err) {
  try {
    std::error_code ec;
    auto status = std::filesystem::status(path, ec);
    if (status.type() == std::filesystem::file_type::not_found) {
      if (err) *err = "no config at " + path.string() + "; create one with 'constellation init'";
      return std::nullopt;
    }
    if (ec) {
      if (err) *err = "cannot read config " + path.string() + ": " + ec.message();
      return std::nullopt;
    }
    if (std::filesystem::is_directory(status)) {
      if (err) *err = "cannot read config " + path.string() + ": it is a directory";
      return std::nullopt;
    }
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      if (err) *err = "cannot read config " + path.string() + ": " + std::strerror(errno);
      return std::nullopt;
    }
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) {
      if (err) *err = "cannot read config " + path.string() + ": " + std::strerror(errno);
      return std::nullopt;
    }
    return parse_config(text.str(), path.string(), err);
  } catch (const std::exception& e) {
    if (err) *err = "cannot read config " + path.string() + ": " + e.what();
    return std::nullopt;
  }
}

std::string render_config(const Config& config) {
  std::ostringstream out;
  out << "# Constellation configuration; every `constellation` command reads it.\n"
      << "\n"
      << "[agent]\n"
      << "# The name other peers see and address you by; keep it unique on the mesh.\n"
      << "name = " << quote(config.agent.name) << "\n"
      << "# One line telling other agents what this one is good for.\n"
      << "description = " << quote(config.agent.description) << "\n"
      << "# Skill names advertised on the agent card.\n"
      << "skills = " << quote_array(config.agent.skills) << "\n"
      << "\n"
      << "[network]\n"
      << "# Address and port the A2A server listens on (\"[::]:7777\" for IPv6).\n"
      << "bind = " << quote(join_host_port(config.network.bind_host, config.network.bind_port))
      << "\n"
      << "# Host peers use to reach us: \"auto\" = the bind address if specific, else the\n"
      << "# Tailscale IPv4 (when \"tailscale\" is in discovery), else the first LAN IPv4.\n"
      << "advertised_host = " << quote(config.network.advertised_host) << "\n"
      << "# How peers are found: \"tailscale\", \"mdns\" (drop \"mdns\" on untrusted LANs).\n"
      << "discovery = " << quote_array(config.network.discovery) << "\n"
      << "# Extra peers probed by base URL, e.g. [\"http://10.0.0.5:7777\"].\n"
      << "peers = " << quote_array(config.network.peers) << "\n"
      << "\n"
      << "[discovery]\n"
      << "# Time between discovery rounds: seconds, or a string like \"500ms\", \"2s\", \"1m\".\n"
      << "interval = " << render_interval(config.discovery.interval) << "\n"
      << "# How long one card probe may take before the peer counts as not answering.\n"
      << "probe_timeout = " << render_interval(config.discovery.probe_timeout) << "\n"
      << "# Forget a peer that has not answered for this long.\n"
      << "prune_after = " << render_interval(config.discovery.prune_after) << "\n"
      << "# Ports probed on Tailscale peers besides our own port, e.g. [7778].\n"
      << "ports = " << render_ports(config.discovery.ports) << "\n"
      << "# The Avahi client library loaded for \"mdns\" (a soname, or an absolute path).\n"
      << "avahi_library = " << quote(config.discovery.avahi_library) << "\n"
      << "\n"
      << "[a2a]\n"
      << "# A standard A2A client that asks to wait for the answer is held open this long\n"
      << "# (or until you respond), then gets the task as it stands and may poll it.\n"
      << "blocking_timeout = " << render_interval(config.a2a.blocking_timeout) << "\n"
      << "# An open SSE stream (a client following a task live) gets a keep-alive comment\n"
      << "# this often while nothing happens, so proxies and clients do not time it out.\n"
      << "stream_keepalive = " << render_interval(config.a2a.stream_keepalive) << "\n"
      << "\n"
      << "[store]\n"
      << "# SQLite file holding peers and tasks. \"auto\" = $XDG_DATA_HOME/constellation/store.db;\n"
      << "# a relative path is relative to this file's directory.\n"
      << "path = " << quote(config.store.path) << "\n"
      << "\n"
      << "[files]\n"
      << "# The most one message's attachments (send/respond --file) may weigh together,\n"
      << "# sent or received: bytes, or a string like \"512KiB\", \"10MiB\" (at most 16MiB).\n"
      << "max_bytes = " << render_size(config.files.max_bytes) << "\n"
      << "\n"
      << "[security]\n"
      << "# Who may call this agent; everyone else gets HTTP 403 and nothing is stored\n"
      << "# (the agent card stays readable: discovery announces it anyway).\n"
      << "# Entries: tailnet users (\"alice@example.com\"), tags (\"tag:a2a-agent\"), node or\n"
      << "# peer names (\"buildbox\"), addresses or CIDRs (\"192.168.1.0/24\"). Names, users and\n"
      << "# tags count only when Tailscale (whois) or discovery vouches for the caller.\n"
      << "# Empty = anyone who can reach the port (on a tailnet, its ACLs decide that).\n"
      << "allow = " << quote_array(config.security.allow) << "\n"
      << "# A file with a shared secret for meshes without a tailnet (e.g. a LAN): callers must\n"
      << "# send it as a bearer token, and we send it to the peers we call. Same file on\n"
      << "# every peer, mode 0600. \"\" = no token.\n"
      << "token_file = " << quote(config.security.token_file) << "\n"
      << "\n"
      << "[limits]\n"
      << "# What one client may take of this peer. A request body may hold this much text and\n"
      << "# JSON plus [files] max_bytes of files in base64 (4/3 of their size); above the sum\n"
      << "# it is refused with HTTP 413. Raise [files] max_bytes, not this, for bigger files.\n"
      << "max_body_bytes = " << render_size(config.limits.max_body_bytes) << "\n"
      << "# A client must send its request headers within header_timeout of its first byte\n"
      << "# and the body within body_timeout after them, or it is dropped (a slow client\n"
      << "# holds a connection); a kept-alive connection is closed after idle_timeout\n"
      << "# without a request. Seconds, or strings like \"500ms\", \"2s\", \"1m\".\n"
      << "header_timeout = " << render_interval(config.limits.header_timeout) << "\n"
      << "body_timeout = " << render_interval(config.limits.body_timeout) << "\n"
      << "idle_timeout = " << render_interval(config.limits.idle_timeout) << "\n"
      << "# Connections open at once; one more is answered 503 (retry later).\n"
      << "max_connections = " << config.limits.max_connections << "\n"
      << "# Tasks one peer (by network address) may have waiting in the inbox, unanswered;\n"
      << "# further new tasks from it are refused until you answer some.\n"
      << "max_pending_per_peer = " << config.limits.max_pending_per_peer << "\n";
  return out.str();
}

}  // namespace constellation::config
