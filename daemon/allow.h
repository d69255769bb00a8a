// allow.h - initiators.allow / targets.allow: "<target|ALL> <comma list>".
// Pure parser and matcher; the daemon re-reads the file at every login.
#pragma once
#include <netinet/in.h>
#include <sys/socket.h>

#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "error.h"

namespace iet {

// A network address without port, IPv4 or IPv6 (v4-mapped v6 is folded to v4).
struct IpAddr {
	int family = AF_UNSPEC;
	uint8_t bytes[16] = {};

	static std::optional<IpAddr> from_sockaddr(const sockaddr *sa);
	static std::optional<IpAddr> parse(std::string_view text);	// "a.b.c.d" or "v6"
	[[nodiscard]] std::string to_string() const;		// "a.b.c.d" or "[v6]"
};

struct AllowPattern {
	enum class Kind { All, Net, Name } kind = Kind::All;
	IpAddr net;
	unsigned prefix = 0;
	std::string text;			// the pattern as written
	std::shared_ptr<std::regex> name;	// anchored, case-insensitive
};

struct AllowRule {
	std::string target;	// "ALL" or a target name
	std::vector<AllowPattern> patterns;
	unsigned line = 0;
};

struct AllowList {
	std::vector<AllowRule> rules;
};

[[nodiscard]] Result<AllowList> parse_allow(std::string_view text, std::string_view filename);

// True if some rule for this target (or ALL) has a pattern matching the
// address or (for names) the initiator name.  No rule matches: false.
[[nodiscard]] bool allow_match(const AllowList &list, std::string_view target, const IpAddr &addr,
			       std::string_view initiator_name);

// Load a file: missing -> nullopt (caller decides: IET allows all), a file
// that cannot be parsed -> error (caller denies, never allows by accident).
[[nodiscard]] Result<std::optional<AllowList>> load_allow(const std::string &path);

} // namespace iet
