#include "sessions.h"

#include <algorithm>

#include "config.h"

namespace iet {

uint16_t SessionRegistry::alloc_tsih(uint32_t tid)
{
	for (unsigned tries = 0; tries < 0x10000; tries++) {
		uint16_t t = next_tsih_++;
		if (next_tsih_ == 0)
			next_tsih_ = 1;	// 0 means "new session" on the wire: never hand it out
		if (t == 0)
			continue;
		if (!find_tsih(tid, t))
			return t;
	}
	return 0;
}

std::optional<SessionEntry> SessionRegistry::find(uint32_t tid, const std::string &initiator,
						  uint64_t isid) const
{
	for (const auto &e : entries_)
		if (e.tid == tid && e.isid() == isid && iequals(e.initiator, initiator))
			return e;
	return std::nullopt;
}

std::optional<SessionEntry> SessionRegistry::find_tsih(uint32_t tid, uint16_t tsih) const
{
	for (const auto &e : entries_)
		if (e.tid == tid && e.tsih() == tsih)
			return e;
	return std::nullopt;
}

void SessionRegistry::add(SessionEntry e)
{
	remove(e.tid, e.sid);
	entries_.push_back(std::move(e));
}

void SessionRegistry::remove(uint32_t tid, uint64_t sid)
{
	std::erase_if(entries_, [&](const SessionEntry &e) { return e.tid == tid && e.sid == sid; });
}

size_t SessionRegistry::count(uint32_t tid) const
{
	return std::count_if(entries_.begin(), entries_.end(),
			     [&](const SessionEntry &e) { return e.tid == tid; });
}

} // namespace iet
