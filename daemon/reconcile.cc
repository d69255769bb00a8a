#include "reconcile.h"

#include <algorithm>
#include <cctype>
#include <set>

#include "log.h"

namespace iet {

std::string fold_name(std::string_view name)
{
	std::string s(name);
	for (auto &c : s)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return s;
}

Result<TidMap> apply_config(KernelLink &kernel, const Config &config, SessionRegistry &sessions)
{
	auto existing = kernel.targets();
	if (!existing)
		return fail("cannot list the kernel's targets: " + existing.error().msg, existing.error().err);
	TidMap tids;
	std::set<uint32_t> used;
	for (const auto &t : *existing) {
		tids[fold_name(t.name)] = t.tid;
		used.insert(t.tid);
	}
	auto luns = kernel.luns(std::nullopt);
	if (!luns)
		return fail("cannot list the kernel's LUNs: " + luns.error().msg, luns.error().err);

	uint32_t next = 1;
	for (const auto &t : config.targets) {
		uint32_t tid;
		auto it = tids.find(fold_name(t.name));
		if (it != tids.end()) {
			tid = it->second;
			log::info("target " + t.name + " already in the kernel as tid " +
				  std::to_string(tid) + ": keeping it");
		} else {
			while (used.count(next))
				next++;
			tid = next;
			auto r = kernel.target_new(tid, t.name);
			if (!r)
				return fail("target " + t.name + ": " + r.error().msg, r.error().err);
			used.insert(tid);
			tids[fold_name(t.name)] = tid;
			log::info("target " + t.name + " created as tid " + std::to_string(tid));
		}
		for (const auto &l : t.luns) {
			bool have = std::any_of(luns->begin(), luns->end(), [&](const KLun &k) {
				return k.tid == tid && k.lun == l.lun;
			});
			if (have)
				continue;
			auto r = kernel.lun_new(tid, l);
			if (!r)
				return fail("target " + t.name + " LUN " + std::to_string(l.lun) +
					    (l.path.empty() ? "" : " (" + l.path + ")") + ": " + r.error().msg,
					    r.error().err);
		}
	}
	for (const auto &t : *existing)
		if (!config.find(t.name))
			log::warn("target " + t.name + " (tid " + std::to_string(t.tid) +
				  ") runs in the kernel but is not in the configuration: left as is");

	auto ks = kernel.sessions(std::nullopt);
	if (!ks)
		return fail("cannot list the kernel's sessions: " + ks.error().msg, ks.error().err);
	for (const auto &s : *ks)
		sessions.add(SessionEntry{s.tid, s.sid, s.initiator});
	return tids;
}

} // namespace iet
