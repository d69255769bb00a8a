// reconcile.h - bring the kernel in line with the configuration at start:
// create what is missing, keep what runs (an ietd restart must not end
// sessions), learn the sessions that already exist.
#pragma once
#include <cstdint>
#include <map>
#include <string>

#include "config.h"
#include "error.h"
#include "kernel_link.h"
#include "sessions.h"

namespace iet {

// Lower-cased target name -> tid.
using TidMap = std::map<std::string, uint32_t>;

[[nodiscard]] std::string fold_name(std::string_view name);

[[nodiscard]] Result<TidMap> apply_config(KernelLink &kernel, const Config &config,
					  SessionRegistry &sessions);

} // namespace iet
