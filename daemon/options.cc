#include "options.h"

#include "config.h"

namespace iet {

const char *usage_text()
{
	return "Usage: ietd [OPTION]...\n"
	       "iSCSI target daemon: logs initiators in and hands their connections to iscsi_trgt.\n"
	       "  -c, --config FILE        configuration (default /etc/iet/ietd.conf)\n"
	       "  -f, --foreground         stay in the foreground, log to stderr\n"
	       "  -d, --debug LEVEL        debug logging (0 = off)\n"
	       "  -a, --address ADDR       listen on this address only (default: all)\n"
	       "  -p, --port PORT          TCP port (default 3260)\n"
	       "      --allow FILE         initiators.allow (default /etc/iet/initiators.allow)\n"
	       "      --targets-allow FILE targets.allow (default /etc/iet/targets.allow)\n"
	       "      --socket PATH        admin socket for ietadm (default /run/iet/ietd.sock)\n"
	       "  -h, --help               this text\n"
	       "      --version            version\n";
}

Result<Options> parse_options(const std::vector<std::string> &args)
{
	Options o;
	for (size_t i = 0; i < args.size(); i++) {
		std::string a = args[i];
		std::string val;
		bool has_inline = false;
		if (a.rfind("--", 0) == 0) {
			size_t eq = a.find('=');
			if (eq != std::string::npos) {
				val = a.substr(eq + 1);
				a = a.substr(0, eq);
				has_inline = true;
			}
		}
		auto need = [&](const std::string &name) -> Result<std::string> {
			if (has_inline)
				return val;
			if (i + 1 >= args.size())
				return fail("option " + name + " needs a value");
			return args[++i];
		};
		auto take = [&](std::string &field, const std::string &name) -> Result<void> {
			auto v = need(name);
			if (!v)
				return std::unexpected(v.error());
			field = *v;
			return {};
		};
		Result<void> r;
		if (a == "-c" || a == "--config") {
			r = take(o.config, a);
			o.config_given = true;
		} else if (a == "-f" || a == "--foreground") {
			o.foreground = true;
		} else if (a == "-d" || a == "--debug") {
			std::string v;
			r = take(v, a);
			if (r) {
				auto n = parse_u64(v);
				if (!n || *n > 9)
					return fail("bad debug level '" + v + "'");
				o.debug = static_cast<int>(*n);
			}
		} else if (a == "-a" || a == "--address") {
			r = take(o.address, a);
		} else if (a == "-p" || a == "--port") {
			std::string v;
			r = take(v, a);
			if (r) {
				auto n = parse_u64(v);
				if (!n || *n == 0 || *n > 65535)
					return fail("bad port '" + v + "'");
				o.port = static_cast<uint16_t>(*n);
			}
		} else if (a == "--allow") {
			r = take(o.allow, a);
		} else if (a == "--targets-allow") {
			r = take(o.targets_allow, a);
		} else if (a == "--socket") {
			r = take(o.socket, a);
		} else if (a == "-h" || a == "--help") {
			o.help = true;
		} else if (a == "--version") {
			o.version = true;
		} else {
			return fail("unknown option '" + args[i] + "' (try --help)");
		}
		if (!r)
			return std::unexpected(r.error());
	}
	return o;
}

} // namespace iet
