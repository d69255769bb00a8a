// main.cc - ietd: read the configuration, set the kernel up, serve logins.
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <string>
#include <vector>

#include "config.h"
#include "log.h"
#include "netlink.h"
#include "options.h"
#include "reconcile.h"
#include "server.h"

using namespace iet;

static Result<Config> read_config(const Options &o)
{
	struct stat st;
	if (!o.config_given && stat(o.config.c_str(), &st) != 0) {
		// IET's old location, still found on upgraded systems.
		if (stat("/etc/ietd.conf", &st) == 0) {
			log::warn(o.config + " not found; using /etc/ietd.conf (please move it)");
			return load_config("/etc/ietd.conf");
		}
		log::warn(o.config + " not found: starting with no targets");
		return Config{};
	}
	return load_config(o.config);
}

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);
	auto opts = parse_options(args);
	if (!opts) {
		std::fprintf(stderr, "ietd: %s\n", opts.error().msg.c_str());
		return 2;
	}
	if (opts->help) {
		std::fputs(usage_text(), stdout);
		return 0;
	}
	if (opts->version) {
		std::printf("ietd (iscsitarget) %s\n", IET_VERSION);
		return 0;
	}
	log::init(true, opts->debug);

	auto config = read_config(*opts);
	if (!config) {
		log::error(config.error().msg);
		return 1;
	}
	auto kernel = NetlinkKernel::open();
	if (!kernel) {
		log::error(kernel.error().msg);
		return 1;
	}
	SessionRegistry sessions;
	auto tids = apply_config(**kernel, *config, sessions);
	if (!tids) {
		log::error(tids.error().msg);
		return 1;
	}
	Server server(*opts, std::move(*config), **kernel, std::move(*tids), std::move(sessions));
	auto l = server.listen();
	if (!l) {
		log::error(l.error().msg);
		return 1;
	}
	if (!opts->foreground) {
		if (daemon(0, 0) < 0) {
			log::error("daemon: cannot detach");
			return 1;
		}
		log::init(false, opts->debug);
	}
	auto r = server.run();
	if (!r) {
		log::error(r.error().msg);
		return 1;
	}
	return 0;
}
