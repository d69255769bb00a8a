// admin.h - answers admin requests (ietadm) from the kernel's dumps and the
// configuration.  Pure apart from the KernelLink it is given.
#pragma once
#include <functional>
#include <string>

#include "admin_protocol.h"
#include "config.h"
#include "kernel_link.h"

namespace iet {

[[nodiscard]] admin::Response handle_admin(const admin::Request &req, KernelLink &kernel,
					   const Config &config);

// One request line in, one response line out (JSON errors become {"error"}).
[[nodiscard]] std::string handle_admin_line(const std::string &line, KernelLink &kernel,
					    const Config &config);

// The parameters of a target as IET's ietadm --op show --tid prints them.
[[nodiscard]] std::vector<std::pair<std::string, std::string>> target_param_list(const TargetParams &p);

} // namespace iet
