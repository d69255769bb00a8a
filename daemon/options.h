// options.h - ietd's command line (IET's options plus ours).
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "error.h"

namespace iet {

struct Options {
	std::string config = "/etc/iet/ietd.conf";
	bool config_given = false;
	bool foreground = false;
	int debug = 0;
	std::string address;	// empty: all IPv4 and IPv6 addresses
	uint16_t port = 3260;
	std::string allow = "/etc/iet/initiators.allow";
	std::string targets_allow = "/etc/iet/targets.allow";
	std::string socket = "/run/iet/ietd.sock";
	bool help = false;
	bool version = false;
};

[[nodiscard]] Result<Options> parse_options(const std::vector<std::string> &args);
[[nodiscard]] const char *usage_text();

} // namespace iet
