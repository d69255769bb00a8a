// admin_protocol.h - the admin socket's requests and responses, shared by
// ietd and ietadm.  One JSON object per line each way; JSON stays at this
// edge: both sides work with the plain structs below.
#pragma once
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace iet::admin {

inline constexpr const char *kDefaultSocket = "/run/iet/ietd.sock";
inline constexpr size_t kMaxLine = 64 * 1024;	// a request longer than this is refused

struct Request {
	std::string op;		// "show", "new", "delete", "update"
	std::optional<uint32_t> tid;
	std::optional<uint64_t> sid;
	std::optional<uint32_t> cid;
	std::optional<uint32_t> lun;
	std::map<std::string, std::string> params;
	bool user = false;
	bool redirect = false;
};

struct Lun {
	uint32_t lun = 0;
	std::string type;	// fileio, blockio, nullio
	std::string iomode;	// wt, wb, ro
	std::string path;
	uint64_t blocks = 0;
	uint32_t blocksize = 512;
};

struct Conn {
	uint32_t cid = 0;
	std::string ip;
	std::string state;	// active, closing, unknown
	std::string hd, dd;	// none, crc32c
};

struct Session {
	uint64_t sid = 0;
	std::string initiator;
	std::vector<Conn> connections;
};

struct Target {
	uint32_t tid = 0;
	std::string name;
	std::vector<Lun> luns;
	std::vector<Session> sessions;
};

struct Response {
	std::optional<std::string> error;
	std::vector<Target> targets;
	std::vector<std::pair<std::string, std::string>> params;	// show --tid: ordered
};

// JSON mapping (nlohmann ADL hooks).  Optional fields are left out when empty.
inline void to_json(nlohmann::json &j, const Request &r)
{
	j = nlohmann::json{{"op", r.op}};
	if (r.tid)
		j["tid"] = *r.tid;
	if (r.sid)
		j["sid"] = *r.sid;
	if (r.cid)
		j["cid"] = *r.cid;
	if (r.lun)
		j["lun"] = *r.lun;
	if (!r.params.empty())
		j["params"] = r.params;
	if (r.user)
		j["user"] = true;
	if (r.redirect)
		j["redirect"] = true;
}

template <class T>
inline void get_opt(const nlohmann::json &j, const char *key, std::optional<T> &out)
{
	if (auto it = j.find(key); it != j.end() && !it->is_null())
		out = it->get<T>();
}

inline void from_json(const nlohmann::json &j, Request &r)
{
	r.op = j.at("op").get<std::string>();
	get_opt(j, "tid", r.tid);
	get_opt(j, "sid", r.sid);
	get_opt(j, "cid", r.cid);
	get_opt(j, "lun", r.lun);
	if (auto it = j.find("params"); it != j.end())
		r.params = it->get<std::map<std::string, std::string>>();
	r.user = j.value("user", false);
	r.redirect = j.value("redirect", false);
}

NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Lun, lun, type, iomode, path, blocks, blocksize)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Conn, cid, ip, state, hd, dd)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Session, sid, initiator, connections)
NLOHMANN_DEFINE_TYPE_NON_INTRUSIVE_WITH_DEFAULT(Target, tid, name, luns, sessions)

inline void to_json(nlohmann::json &j, const Response &r)
{
	j = nlohmann::json::object();
	if (r.error) {
		j["error"] = *r.error;
		return;
	}
	j["targets"] = r.targets;
	if (!r.params.empty()) {
		nlohmann::json p = nlohmann::json::array();
		for (const auto &[k, v] : r.params)
			p.push_back({{"key", k}, {"value", v}});
		j["params"] = p;
	}
}

inline void from_json(const nlohmann::json &j, Response &r)
{
	get_opt(j, "error", r.error);
	if (auto it = j.find("targets"); it != j.end())
		r.targets = it->get<std::vector<Target>>();
	if (auto it = j.find("params"); it != j.end())
		for (const auto &p : *it)
			r.params.emplace_back(p.at("key").get<std::string>(), p.at("value").get<std::string>());
}

} // namespace iet::admin
