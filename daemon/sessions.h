// sessions.h - ietd's view of live sessions: TSIH allocation and session
// reinstatement lookups.  Filled from the kernel's dump at start and kept
// current from login hand-overs and the kernel's SESSION_ENDED events.
#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace iet {

struct SessionEntry {
	uint32_t tid = 0;
	uint64_t sid = 0;
	std::string initiator;
	[[nodiscard]] uint16_t tsih() const { return static_cast<uint16_t>(sid & 0xffff); }
	[[nodiscard]] uint64_t isid() const { return sid >> 16; }
};

class SessionRegistry {
public:
	// A TSIH that is nonzero and not in use on this target.  0 if all are taken.
	[[nodiscard]] uint16_t alloc_tsih(uint32_t tid);
	// The session of this initiator name and ISID on this target, if any.
	[[nodiscard]] std::optional<SessionEntry> find(uint32_t tid, const std::string &initiator,
						       uint64_t isid) const;
	[[nodiscard]] std::optional<SessionEntry> find_tsih(uint32_t tid, uint16_t tsih) const;
	void add(SessionEntry e);
	void remove(uint32_t tid, uint64_t sid);
	[[nodiscard]] const std::vector<SessionEntry> &all() const { return entries_; }
	[[nodiscard]] size_t count(uint32_t tid) const;

private:
	std::vector<SessionEntry> entries_;
	uint16_t next_tsih_ = 1;
};

} // namespace iet
