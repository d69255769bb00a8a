// ietadm_args.h - ietadm's command line and text output, pure so they are
// unit-tested.
#pragma once
#include <string>
#include <vector>

#include "admin_protocol.h"
#include "error.h"

namespace iet {

struct IetadmArgs {
	admin::Request req;
	bool json = false;
	bool help = false;
	std::string socket = admin::kDefaultSocket;
};

[[nodiscard]] Result<IetadmArgs> parse_ietadm_args(const std::vector<std::string> &args);

// IET-like text: targets with LUNs and sessions (tabs indent), or Key=Value
// lines for a target's parameters.
[[nodiscard]] std::string format_show(const admin::Response &r);

} // namespace iet
