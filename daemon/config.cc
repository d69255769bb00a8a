#include "config.h"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>

namespace iet {

bool iequals(std::string_view a, std::string_view b)
{
	if (a.size() != b.size())
		return false;
	for (size_t i = 0; i < a.size(); i++)
		if (std::tolower(static_cast<unsigned char>(a[i])) !=
		    std::tolower(static_cast<unsigned char>(b[i])))
			return false;
	return true;
}

std::optional<uint64_t> parse_u64(std::string_view s)
{
	int base = 10;
	if (s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s.remove_prefix(2);
	}
	if (s.empty())
		return std::nullopt;
	uint64_t v = 0;
	for (char c : s) {
		int d;
		if (c >= '0' && c <= '9')
			d = c - '0';
		else if (base == 16 && std::isxdigit(static_cast<unsigned char>(c)))
			d = std::tolower(static_cast<unsigned char>(c)) - 'a' + 10;
		else
			return std::nullopt;
		if (v > (UINT64_MAX - d) / base)
			return std::nullopt;
		v = v * base + d;
	}
	return v;
}

static bool all_hex(std::string_view s)
{
	for (char c : s)
		if (!std::isxdigit(static_cast<unsigned char>(c)))
			return false;
	return true;
}

// Well-formed UTF-8 (RFC 3629: no overlongs, no surrogates, <= U+10FFFF).
static bool valid_utf8(std::string_view s)
{
	for (size_t i = 0; i < s.size();) {
		auto b = static_cast<unsigned char>(s[i]);
		size_t n = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : (b & 0xf0) == 0xe0 ? 2
			: b >= 0xf0 && b <= 0xf4 ? 3 : 4;
		if (n == 4 || (n && i + n >= s.size()))	// bad lead byte, or cut short
			return false;
		for (size_t k = 1; k <= n; k++)
			if ((static_cast<unsigned char>(s[i + k]) & 0xc0) != 0x80)
				return false;
		auto b1 = n ? static_cast<unsigned char>(s[i + 1]) : 0;
		if ((b == 0xe0 && b1 < 0xa0) || (b == 0xed && b1 > 0x9f) ||
		    (b == 0xf0 && b1 < 0x90) || (b == 0xf4 && b1 > 0x8f))
			return false;
		i += n + 1;
	}
	return true;
}

bool valid_iscsi_name(std::string_view name)
{
	if (name.empty() || name.size() > 223 || !valid_utf8(name))
		return false;
	// Names reach logs, regexes and ietadm's JSON: no controls, no separators.
	for (char c : name) {
		auto u = static_cast<unsigned char>(c);
		if (u < 0x20 || u == 0x7f || std::isspace(u) || c == ',')
			return false;
	}
	if (name.size() > 4 && iequals(name.substr(0, 4), "eui."))
		return name.size() == 20 && all_hex(name.substr(4));
	if (name.size() > 4 && iequals(name.substr(0, 4), "naa."))
		return (name.size() == 20 || name.size() == 36) && all_hex(name.substr(4));
	// iqn.YYYY-MM.reversed.domain[:unique]
	if (name.size() < 12 || !iequals(name.substr(0, 4), "iqn."))
		return false;
	for (int i = 4; i < 11; i++) {
		bool digit = std::isdigit(static_cast<unsigned char>(name[i]));
		if (i == 8 ? name[i] != '-' : !digit)
			return false;
	}
	return name[11] == '.' && name.size() > 12;
}

const TargetConfig *Config::find(std::string_view name) const
{
	for (const auto &t : targets)
		if (iequals(t.name, name))
			return &t;
	return nullptr;
}

namespace {

struct Parser {
	std::string_view filename;
	unsigned line = 0;
	Config cfg;
	std::set<size_t> first_burst_set;	// targets that set FirstBurstLength themselves

	std::unexpected<Error> err(const std::string &what) const
	{
		return fail(std::string(filename) + ":" + std::to_string(line) + ": " + what);
	}

	Result<uint64_t> number(std::string_view key, std::string_view v, uint64_t lo,
				uint64_t hi) const
	{
		auto n = parse_u64(v);
		if (!n || *n < lo || *n > hi)
			return err("bad number '" + std::string(v) + "' for " + std::string(key) +
				   " (range " + std::to_string(lo) + ".." + std::to_string(hi) + ")");
		return *n;
	}

	Result<bool> boolean(std::string_view key, std::string_view v) const
	{
		if (iequals(v, "yes"))
			return true;
		if (iequals(v, "no"))
			return false;
		return err("bad value '" + std::string(v) + "' for " + std::string(key) +
			   " (Yes or No)");
	}

	Result<std::vector<iet_digest>> digests(std::string_view key, std::string_view v) const
	{
		std::vector<iet_digest> out;
		size_t pos = 0;
		while (pos <= v.size()) {
			size_t comma = v.find(',', pos);
			std::string_view item =
			    v.substr(pos, comma == std::string_view::npos ? v.npos : comma - pos);
			if (iequals(item, "none"))
				out.push_back(IET_DIGEST_NONE);
			else if (iequals(item, "crc32c"))
				out.push_back(IET_DIGEST_CRC32C);
			else
				return err("bad value '" + std::string(v) + "' for " + std::string(key) +
					   " (None, CRC32C or a list)");
			if (comma == std::string_view::npos)
				break;
			pos = comma + 1;
		}
		return out;
	}

	// Size with an optional K/M/G/T suffix (powers of 1024).
	Result<uint64_t> size(std::string_view key, std::string_view v) const
	{
		uint64_t mul = 1;
		if (!v.empty()) {
			switch (std::toupper(static_cast<unsigned char>(v.back()))) {
			case 'K': mul = 1ull << 10; break;
			case 'M': mul = 1ull << 20; break;
			case 'G': mul = 1ull << 30; break;
			case 'T': mul = 1ull << 40; break;
			}
			if (mul != 1)
				v.remove_suffix(1);
		}
		auto n = parse_u64(v);
		if (!n || *n == 0 || *n > UINT64_MAX / mul)
			return err("bad size '" + std::string(v) + "' for " + std::string(key));
		return *n * mul;
	}

	Result<void> lun(TargetConfig &t, std::string_view rest)
	{
		// "Lun N k=v,k=v"
		size_t sp = rest.find_first_of(" \t");
		std::string_view num = rest.substr(0, sp);
		auto n = number("Lun", num, 0, IET_LUN_MAX);
		if (!n)
			return std::unexpected(n.error());
		for (const auto &l : t.luns)
			if (l.lun == *n)
				return err("duplicate LUN " + std::to_string(*n) + " in target " + t.name);
		LunConfig lc;
		lc.lun = static_cast<uint32_t>(*n);
		std::string_view opts;
		if (sp != std::string_view::npos) {
			opts = rest.substr(sp);
			size_t b = opts.find_first_not_of(" \t");
			opts = b == opts.npos ? std::string_view{} : opts.substr(b);
		}
		bool have_type = false;
		std::optional<uint64_t> blocks;
		while (!opts.empty()) {
			size_t comma = opts.find(',');
			std::string_view kv = opts.substr(0, comma);
			opts = comma == opts.npos ? std::string_view{} : opts.substr(comma + 1);
			size_t eq = kv.find('=');
			if (eq == kv.npos)
				return err("bad LUN option '" + std::string(kv) + "' (want Key=Value)");
			std::string_view k = kv.substr(0, eq), v = kv.substr(eq + 1);
			if (iequals(k, "path")) {
				if (v.empty() || v.size() >= IET_PATH_MAX)
					return err("bad Path for LUN " + std::to_string(lc.lun));
				lc.path = v;
			} else if (iequals(k, "type")) {
				have_type = true;
				if (iequals(v, "fileio"))
					lc.type = IET_IOTYPE_FILEIO;
				else if (iequals(v, "blockio"))
					lc.type = IET_IOTYPE_BLOCKIO;
				else if (iequals(v, "nullio"))
					lc.type = IET_IOTYPE_NULLIO;
				else
					return err("unknown LUN Type '" + std::string(v) +
						   "' (fileio, blockio or nullio)");
			} else if (iequals(k, "iomode")) {
				if (iequals(v, "wt"))
					lc.mode = IET_IOMODE_WT;
				else if (iequals(v, "wb"))
					lc.mode = IET_IOMODE_WB;
				else if (iequals(v, "ro"))
					lc.mode = IET_IOMODE_RO;
				else
					return err("unknown IOMode '" + std::string(v) + "' (wt, wb or ro)");
			} else if (iequals(k, "blocksize")) {
				auto b = parse_u64(v);
				if (!b || (*b != 512 && *b != 1024 && *b != 2048 && *b != 4096))
					return err("bad BlockSize '" + std::string(v) +
						   "' (512, 1024, 2048 or 4096)");
				lc.block_size = static_cast<uint32_t>(*b);
			} else if (iequals(k, "blocks")) {
				auto b = parse_u64(v);
				if (!b || *b == 0)
					return err("bad Blocks '" + std::string(v) + "'");
				blocks = *b;
			} else if (iequals(k, "size")) {
				auto s = size("Size", v);
				if (!s)
					return std::unexpected(s.error());
				lc.size = *s;
			} else if (iequals(k, "scsiid")) {
				if (v.size() > IET_SCSI_ID_MAX)
					return err("ScsiId longer than " + std::to_string(IET_SCSI_ID_MAX) +
						   " bytes");
				lc.scsi_id = v;
			} else if (iequals(k, "scsisn")) {
				if (v.size() > IET_SCSI_SN_MAX)
					return err("ScsiSN longer than " + std::to_string(IET_SCSI_SN_MAX) +
						   " characters");
				lc.scsi_sn = v;
			} else {
				return err("unknown LUN option '" + std::string(k) + "'");
			}
		}
		if (!have_type)
			lc.type = lc.path.empty() ? IET_IOTYPE_NULLIO : IET_IOTYPE_FILEIO;
		if (lc.type != IET_IOTYPE_NULLIO && lc.path.empty())
			return err("LUN " + std::to_string(lc.lun) + " needs Path=");
		if (lc.type == IET_IOTYPE_NULLIO && !lc.path.empty())
			return err("LUN " + std::to_string(lc.lun) + ": nullio takes no Path");
		if (blocks) {
			if (*blocks > UINT64_MAX / lc.block_size)
				return err("Blocks too large");
			lc.size = *blocks * lc.block_size;
		}
		if (lc.size && lc.type != IET_IOTYPE_NULLIO)
			return err("Size/Blocks only apply to nullio LUNs");
		t.luns.push_back(std::move(lc));
		return {};
	}

	Result<Credential> credential(std::string_view key, std::string_view rest) const
	{
		size_t sp = rest.find_first_of(" \t");
		if (sp == rest.npos)
			return err(std::string(key) + " needs a user name and a secret");
		std::string_view user = rest.substr(0, sp), secret = rest.substr(sp);
		size_t b = secret.find_first_not_of(" \t");
		secret = secret.substr(b);
		if (secret.find_first_of(" \t") != secret.npos)
			return err(std::string(key) + ": secret must not contain blanks");
		return Credential{std::string(user), std::string(secret)};
	}

	Result<void> param(TargetParams &p, std::string_view key, std::string_view v)
	{
		struct Num {
			const char *name;
			uint32_t TargetParams::*field;
			uint64_t lo, hi;
		};
		static const Num nums[] = {
		    {"MaxRecvDataSegmentLength", &TargetParams::max_recv_dsl, 512, IET_MAX_DSL},
		    {"MaxXmitDataSegmentLength", &TargetParams::max_xmit_dsl, 512, IET_MAX_DSL},
		    {"MaxBurstLength", &TargetParams::max_burst, 512, IET_MAX_DSL},
		    {"FirstBurstLength", &TargetParams::first_burst, 512, IET_MAX_DSL},
		    {"MaxOutstandingR2T", &TargetParams::max_outstanding_r2t, 1, 65535},
		    /* The kernel serves one connection per session at ERL 0 so far. */
		    {"MaxConnections", &TargetParams::max_connections, 1, 1},
		    {"DefaultTime2Wait", &TargetParams::time2wait, 0, 3600},
		    {"DefaultTime2Retain", &TargetParams::time2retain, 0, 3600},
		    {"ErrorRecoveryLevel", &TargetParams::error_recovery_level, 0, 0},
		    {"QueuedCommands", &TargetParams::queued_cmds, 1, 256},
		    {"Wthreads", &TargetParams::wthreads, 1, 128},
		    {"NOPInterval", &TargetParams::nop_interval, 0, 90},
		    {"NOPTimeout", &TargetParams::nop_timeout, 0, 90},
		    {"MaxSessions", &TargetParams::max_sessions, 0, 65535},
		};
		for (const auto &n : nums) {
			if (!iequals(key, n.name))
				continue;
			auto r = number(key, v, n.lo, n.hi);
			if (!r)
				return std::unexpected(r.error());
			p.*(n.field) = static_cast<uint32_t>(*r);
			if (n.field == &TargetParams::first_burst)
				first_burst_set.insert(cfg.targets.size() - 1);
			return {};
		}
		struct Bool {
			const char *name;
			bool TargetParams::*field;
		};
		static const Bool bools[] = {
		    {"InitialR2T", &TargetParams::initial_r2t},
		    {"ImmediateData", &TargetParams::immediate_data},
		    {"DataPDUInOrder", &TargetParams::data_pdu_in_order},
		    {"DataSequenceInOrder", &TargetParams::data_sequence_in_order},
		};
		for (const auto &b : bools) {
			if (!iequals(key, b.name))
				continue;
			auto r = boolean(key, v);
			if (!r)
				return std::unexpected(r.error());
			/* The kernel takes data PDUs in order only (ERL 0). */
			if (!*r && (b.field == &TargetParams::data_pdu_in_order ||
				    b.field == &TargetParams::data_sequence_in_order))
				return err(std::string(key) + "=No is not supported (only Yes)");
			p.*(b.field) = *r;
			return {};
		}
		if (iequals(key, "HeaderDigest") || iequals(key, "DataDigest")) {
			auto d = digests(key, v);
			if (!d)
				return std::unexpected(d.error());
			(iequals(key, "HeaderDigest") ? p.header_digest : p.data_digest) = *d;
			return {};
		}
		// Markers are obsolete (RFC 7143 §13.25) but IET's sample config
		// lists them: accept and ignore, so an old ietd.conf still loads.
		for (const char *m : {"OFMarker", "IFMarker", "OFMarkInt", "IFMarkInt"})
			if (iequals(key, m))
				return {};
		return err("unknown key '" + std::string(key) + "'");
	}

	Result<void> run(std::string_view text)
	{
		TargetConfig *cur = nullptr;
		size_t pos = 0;
		while (pos < text.size()) {
			size_t nl = text.find('\n', pos);
			std::string_view raw = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
			pos = nl == text.npos ? text.size() : nl + 1;
			line++;
			// '#' starts a comment (IET: whole lines; we also allow trailing).
			size_t hash = raw.find('#');
			if (hash != raw.npos)
				raw = raw.substr(0, hash);
			size_t b = raw.find_first_not_of(" \t\r");
			if (b == raw.npos)
				continue;
			size_t e = raw.find_last_not_of(" \t\r");
			std::string_view l = raw.substr(b, e - b + 1);
			size_t sp = l.find_first_of(" \t");
			std::string_view key = l.substr(0, sp);
			std::string_view rest;
			if (sp != l.npos) {
				rest = l.substr(sp);
				rest = rest.substr(rest.find_first_not_of(" \t"));
			}
			if (iequals(key, "Target")) {
				if (rest.empty() || rest.find_first_of(" \t") != rest.npos)
					return err("Target needs exactly one name");
				if (!valid_iscsi_name(rest))
					return err("bad iSCSI name '" + std::string(rest) +
						   "' (want iqn.YYYY-MM.domain[:id], eui. or naa.)");
				if (cfg.find(rest))
					return err("duplicate target " + std::string(rest));
				cfg.targets.push_back(TargetConfig{});
				cur = &cfg.targets.back();
				cur->name = rest;
				continue;
			}
			if (iequals(key, "IncomingUser") || iequals(key, "OutgoingUser")) {
				if (rest.empty())
					continue;	// IET allows an empty IncomingUser line
				auto c = credential(key, rest);
				if (!c)
					return std::unexpected(c.error());
				bool in = iequals(key, "IncomingUser");
				if (cur)
					(in ? cur->incoming : cur->outgoing).push_back(*c);
				else
					(in ? cfg.discovery_incoming : cfg.discovery_outgoing).push_back(*c);
				continue;
			}
			if (!cur) {
				// IET's global keys that we do not implement yet.
				if (iequals(key, "iSNSServer") || iequals(key, "iSNSAccessControl"))
					continue;
				return err("unknown key '" + std::string(key) + "' outside a Target");
			}
			if (rest.empty())
				return err(std::string(key) + " needs a value");
			if (iequals(key, "Lun")) {
				auto r = lun(*cur, rest);
				if (!r)
					return r;
				continue;
			}
			if (iequals(key, "Alias")) {
				cur->alias = rest;
				continue;
			}
			auto r = param(cur->params, key, rest);
			if (!r)
				return r;
		}
		return {};
	}
};

} // namespace

Result<Config> parse_config(std::string_view text, std::string_view filename)
{
	Parser p;
	p.filename = filename;
	auto r = p.run(text);
	if (!r)
		return std::unexpected(r.error());
	for (size_t i = 0; i < p.cfg.targets.size(); i++) {
		auto &t = p.cfg.targets[i];
		if (t.params.first_burst <= t.params.max_burst)
			continue;
		// A default FirstBurstLength follows a smaller MaxBurstLength down;
		// one the admin wrote that contradicts it is an error.
		if (!p.first_burst_set.count(i))
			t.params.first_burst = t.params.max_burst;
		else
			return fail(std::string(filename) + ": target " + t.name +
				    ": FirstBurstLength exceeds MaxBurstLength");
	}
	return std::move(p.cfg);
}

Result<Config> load_config(const std::string &path)
{
	std::ifstream in(path);
	if (!in)
		return fail("cannot open " + path, errno);
	std::ostringstream ss;
	ss << in.rdbuf();
	return parse_config(ss.str(), path);
}

} // namespace iet
