#include "ietadm_args.h"

#include <sstream>

#include "config.h"

namespace iet {

Result<IetadmArgs> parse_ietadm_args(const std::vector<std::string> &args)
{
	IetadmArgs o;
	bool have_op = false;
	for (size_t i = 0; i < args.size(); i++) {
		std::string a = args[i], val;
		bool has_val = false;
		size_t eq = a.find('=');
		if (a.rfind("--", 0) == 0 && eq != std::string::npos) {
			val = a.substr(eq + 1);
			a = a.substr(0, eq);
			has_val = true;
		}
		auto need = [&]() -> Result<std::string> {
			if (has_val)
				return val;
			if (i + 1 >= args.size())
				return fail(a + " needs a value");
			return args[++i];
		};
		auto num = [&](uint64_t max) -> Result<uint64_t> {
			auto v = need();
			if (!v)
				return std::unexpected(v.error());
			auto n = parse_u64(*v);
			if (!n || *n > max)
				return fail("bad number '" + *v + "' for " + a);
			return *n;
		};
		if (a == "--op" || a == "-o") {
			auto v = need();
			if (!v)
				return std::unexpected(v.error());
			if (*v != "new" && *v != "delete" && *v != "update" && *v != "show")
				return fail("unknown --op '" + *v + "' (new, delete, update or show)");
			o.req.op = *v;
			have_op = true;
		} else if (a == "--tid" || a == "-t") {
			auto n = num(UINT32_MAX);
			if (!n)
				return std::unexpected(n.error());
			o.req.tid = static_cast<uint32_t>(*n);
		} else if (a == "--sid" || a == "-s") {
			auto n = num(UINT64_MAX);
			if (!n)
				return std::unexpected(n.error());
			o.req.sid = *n;
		} else if (a == "--cid" || a == "-c") {
			auto n = num(65535);
			if (!n)
				return std::unexpected(n.error());
			o.req.cid = static_cast<uint32_t>(*n);
		} else if (a == "--lun" || a == "-l") {
			auto n = num(16383);
			if (!n)
				return std::unexpected(n.error());
			o.req.lun = static_cast<uint32_t>(*n);
		} else if (a == "--params" || a == "-p") {
			auto v = need();
			if (!v)
				return std::unexpected(v.error());
			std::string s = *v;
			size_t pos = 0;
			while (pos <= s.size()) {
				size_t c = s.find(',', pos);
				std::string kv = s.substr(pos, c == std::string::npos ? std::string::npos : c - pos);
				pos = c == std::string::npos ? s.size() + 1 : c + 1;
				if (kv.empty())
					continue;
				size_t e = kv.find('=');
				if (e == std::string::npos || e == 0)
					return fail("bad --params item '" + kv + "' (want key=value)");
				o.req.params[kv.substr(0, e)] = kv.substr(e + 1);
			}
		} else if (a == "--user" || a == "-u") {
			o.req.user = true;
		} else if (a == "--redirect" || a == "-r") {
			o.req.redirect = true;
		} else if (a == "--json") {
			o.json = true;
		} else if (a == "--socket") {
			auto v = need();
			if (!v)
				return std::unexpected(v.error());
			o.socket = *v;
		} else if (a == "--help" || a == "-h") {
			o.help = true;
		} else {
			return fail("unknown option '" + args[i] + "'");
		}
	}
	if (!have_op && !o.help)
		return fail("--op is required");
	return o;
}

std::string format_show(const admin::Response &r)
{
	std::ostringstream os;
	for (const auto &[k, v] : r.params)
		os << k << "=" << v << "\n";
	for (const auto &t : r.targets) {
		os << "tid:" << t.tid << " name:" << t.name << "\n";
		for (const auto &l : t.luns) {
			os << "\tlun:" << l.lun << " iotype:" << l.type << " iomode:" << l.iomode
			   << " blocks:" << l.blocks << " blocksize:" << l.blocksize;
			if (!l.path.empty())
				os << " path:" << l.path;
			os << "\n";
		}
		for (const auto &s : t.sessions) {
			os << "\tsid:" << s.sid << " initiator:" << s.initiator << "\n";
			for (const auto &c : s.connections)
				os << "\t\tcid:" << c.cid << " ip:" << c.ip << " state:" << c.state
				   << " hd:" << c.hd << " dd:" << c.dd << "\n";
		}
	}
	return os.str();
}

} // namespace iet
