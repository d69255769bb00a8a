#include "allow.h"

#include <arpa/inet.h>

#include <cctype>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "config.h"

namespace iet {

std::optional<IpAddr> IpAddr::from_sockaddr(const sockaddr *sa)
{
	IpAddr a;
	if (sa->sa_family == AF_INET) {
		const auto *s4 = reinterpret_cast<const sockaddr_in *>(sa);
		a.family = AF_INET;
		std::memcpy(a.bytes, &s4->sin_addr, 4);
		return a;
	}
	if (sa->sa_family == AF_INET6) {
		const auto *s6 = reinterpret_cast<const sockaddr_in6 *>(sa);
		if (IN6_IS_ADDR_V4MAPPED(&s6->sin6_addr)) {
			a.family = AF_INET;
			std::memcpy(a.bytes, s6->sin6_addr.s6_addr + 12, 4);
		} else {
			a.family = AF_INET6;
			std::memcpy(a.bytes, &s6->sin6_addr, 16);
		}
		return a;
	}
	return std::nullopt;
}

std::optional<IpAddr> IpAddr::parse(std::string_view text)
{
	std::string s(text);
	IpAddr a;
	if (inet_pton(AF_INET, s.c_str(), a.bytes) == 1) {
		a.family = AF_INET;
		return a;
	}
	if (inet_pton(AF_INET6, s.c_str(), a.bytes) == 1) {
		a.family = AF_INET6;
		static const uint8_t mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
		if (std::memcmp(a.bytes, mapped, 12) == 0) {
			std::memmove(a.bytes, a.bytes + 12, 4);
			std::memset(a.bytes + 4, 0, 12);
			a.family = AF_INET;
		}
		return a;
	}
	return std::nullopt;
}

std::string IpAddr::to_string() const
{
	char buf[INET6_ADDRSTRLEN] = "";
	if (family == AF_INET) {
		inet_ntop(AF_INET, bytes, buf, sizeof(buf));
		return buf;
	}
	if (family == AF_INET6) {
		inet_ntop(AF_INET6, bytes, buf, sizeof(buf));
		return std::string("[") + buf + "]";
	}
	return "?";
}

static bool prefix_match(const IpAddr &net, unsigned prefix, const IpAddr &a)
{
	if (net.family != a.family)
		return false;
	unsigned full = prefix / 8, rest = prefix % 8;
	if (std::memcmp(net.bytes, a.bytes, full) != 0)
		return false;
	if (rest == 0)
		return true;
	uint8_t mask = static_cast<uint8_t>(0xff << (8 - rest));
	return (net.bytes[full] & mask) == (a.bytes[full] & mask);
}

namespace {

std::string trim(std::string_view s)
{
	size_t b = s.find_first_not_of(" \t\r");
	if (b == s.npos)
		return {};
	size_t e = s.find_last_not_of(" \t\r");
	return std::string(s.substr(b, e - b + 1));
}

// Try the item as an address (a.b.c.d[/n] or [v6][/n]); nullopt if it isn't one.
std::optional<AllowPattern> as_net(const std::string &item, std::string *error)
{
	std::string addr = item, pfx;
	bool bracket = !item.empty() && item[0] == '[';
	if (bracket) {
		size_t close = item.find(']');
		if (close == item.npos) {
			*error = "missing ']' in '" + item + "'";
			return std::nullopt;
		}
		addr = item.substr(1, close - 1);
		std::string tail = item.substr(close + 1);
		if (!tail.empty()) {
			if (tail[0] != '/') {
				*error = "junk after ']' in '" + item + "'";
				return std::nullopt;
			}
			pfx = tail.substr(1);
		}
	} else {
		size_t slash = item.find('/');
		if (slash != item.npos) {
			addr = item.substr(0, slash);
			pfx = item.substr(slash + 1);
		}
	}
	auto a = IpAddr::parse(addr);
	if (!a) {
		if (bracket)
			*error = "bad IPv6 address in '" + item + "'";
		return std::nullopt;
	}
	// An IPv6 address needs brackets (IET syntax); a bare dotted quad is IPv4.
	if (!bracket && addr.find(':') != addr.npos)
		return std::nullopt;
	AllowPattern p;
	p.kind = AllowPattern::Kind::Net;
	p.net = *a;
	p.text = item;
	unsigned max = a->family == AF_INET ? 32 : 128;
	p.prefix = max;
	if (!pfx.empty() || item.back() == '/') {
		auto n = parse_u64(pfx);
		if (!n || *n > max) {
			*error = "bad prefix length in '" + item + "'";
			return std::nullopt;
		}
		p.prefix = static_cast<unsigned>(*n);
	}
	return p;
}

} // namespace

Result<AllowList> parse_allow(std::string_view text, std::string_view filename)
{
	AllowList list;
	unsigned lineno = 0;
	size_t pos = 0;
	while (pos < text.size()) {
		size_t nl = text.find('\n', pos);
		std::string_view raw = text.substr(pos, nl == text.npos ? text.npos : nl - pos);
		pos = nl == text.npos ? text.size() : nl + 1;
		lineno++;
		size_t hash = raw.find('#');
		if (hash != raw.npos)
			raw = raw.substr(0, hash);
		std::string l = trim(raw);
		if (l.empty())
			continue;
		auto where = [&] { return std::string(filename) + ":" + std::to_string(lineno) + ": "; };
		size_t sp = l.find_first_of(" \t");
		if (sp == l.npos)
			return fail(where() + "want '<target|ALL> <list>'");
		AllowRule rule;
		rule.line = lineno;
		rule.target = l.substr(0, sp);
		std::string rest = l.substr(sp);
		size_t p2 = 0;
		while (p2 <= rest.size()) {
			size_t comma = rest.find(',', p2);
			std::string item = trim(rest.substr(p2, comma == rest.npos ? rest.npos : comma - p2));
			p2 = comma == rest.npos ? rest.size() + 1 : comma + 1;
			if (item.empty())
				continue;
			if (iequals(item, "ALL")) {
				rule.patterns.push_back(AllowPattern{AllowPattern::Kind::All, {}, 0, item, {}});
				continue;
			}
			std::string error;
			auto net = as_net(item, &error);
			if (!error.empty())
				return fail(where() + error);
			if (net) {
				rule.patterns.push_back(*net);
				continue;
			}
			AllowPattern np;
			np.kind = AllowPattern::Kind::Name;
			np.text = item;
			try {
				// Anchored: a pattern must match the whole name, not a piece of it.
				np.name = std::make_shared<std::regex>(
				    "^(" + item + ")$",
				    std::regex::extended | std::regex::icase | std::regex::nosubs);
			} catch (const std::regex_error &) {
				return fail(where() + "bad initiator name pattern '" + item + "'");
			}
			rule.patterns.push_back(std::move(np));
		}
		if (rule.patterns.empty())
			return fail(where() + "empty list");
		list.rules.push_back(std::move(rule));
	}
	return list;
}

bool allow_match(const AllowList &list, std::string_view target, const IpAddr &addr,
		 std::string_view initiator_name)
{
	for (const auto &r : list.rules) {
		if (!iequals(r.target, "ALL") && !iequals(r.target, target))
			continue;
		for (const auto &p : r.patterns) {
			switch (p.kind) {
			case AllowPattern::Kind::All:
				return true;
			case AllowPattern::Kind::Net:
				if (prefix_match(p.net, p.prefix, addr))
					return true;
				break;
			case AllowPattern::Kind::Name:
				if (!initiator_name.empty() &&
				    std::regex_match(initiator_name.begin(), initiator_name.end(), *p.name))
					return true;
				break;
			}
		}
	}
	return false;
}

Result<std::optional<AllowList>> load_allow(const std::string &path)
{
	std::ifstream in(path);
	if (!in) {
		if (errno == ENOENT)
			return std::optional<AllowList>{};
		return fail("cannot open " + path, errno);
	}
	std::ostringstream ss;
	ss << in.rdbuf();
	auto l = parse_allow(ss.str(), path);
	if (!l)
		return std::unexpected(l.error());
	return std::optional<AllowList>{std::move(*l)};
}

} // namespace iet
