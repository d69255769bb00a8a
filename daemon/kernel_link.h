// kernel_link.h - what ietd asks of iscsi_trgt.ko (include/iet_netlink.h),
// behind an interface so the login machine and admin server can be tested
// with a fake.  The real one is NetlinkKernel (netlink.h).
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "config.h"
#include "error.h"
#include "negotiate.h"

namespace iet {

struct KTarget {
	uint32_t tid = 0;
	std::string name;
};

struct KLun {
	uint32_t tid = 0;
	uint32_t lun = 0;
	iet_iotype type = IET_IOTYPE_FILEIO;
	iet_iomode mode = IET_IOMODE_WT;
	std::string path;
	uint32_t block_size = 512;
	uint64_t blocks = 0;
};

struct KConn {
	uint16_t cid = 0;
	std::string ip;
	iet_conn_state state = IET_CONN_UNKNOWN;
	iet_digest header_digest = IET_DIGEST_NONE;
	iet_digest data_digest = IET_DIGEST_NONE;
};

struct KSession {
	uint32_t tid = 0;
	uint64_t sid = 0;
	std::string initiator;
	std::vector<KConn> conns;
};

struct SessionNew {
	uint32_t tid = 0;
	uint64_t sid = 0;
	std::string initiator;
	uint32_t exp_cmdsn = 0;
	SessionParams params;
};

struct ConnNew {
	uint32_t tid = 0;
	uint64_t sid = 0;
	uint16_t cid = 0;
	int fd = -1;
	uint32_t statsn = 0;	// next StatSN the kernel sends
	ConnParams params;
};

struct KernelEvent {
	enum class Kind { ConnClosed, SessionEnded } kind;
	uint32_t tid = 0;
	uint64_t sid = 0;
	uint16_t cid = 0;
};

class KernelLink {
public:
	virtual ~KernelLink() = default;
	[[nodiscard]] virtual Result<void> target_new(uint32_t tid, const std::string &name) = 0;
	[[nodiscard]] virtual Result<void> lun_new(uint32_t tid, const LunConfig &lun) = 0;
	[[nodiscard]] virtual Result<void> session_new(const SessionNew &s) = 0;
	[[nodiscard]] virtual Result<void> session_del(uint32_t tid, uint64_t sid) = 0;
	[[nodiscard]] virtual Result<void> conn_new(const ConnNew &c) = 0;
	[[nodiscard]] virtual Result<std::vector<KTarget>> targets() = 0;
	[[nodiscard]] virtual Result<std::vector<KLun>> luns(std::optional<uint32_t> tid) = 0;
	[[nodiscard]] virtual Result<std::vector<KSession>> sessions(std::optional<uint32_t> tid) = 0;
	// The kernel's event multicast: an fd to poll (-1: none) and its reader.
	[[nodiscard]] virtual int event_fd() const { return -1; }
	[[nodiscard]] virtual Result<std::vector<KernelEvent>> read_events() { return std::vector<KernelEvent>{}; }
};

// SID as the kernel and /proc show it: ISID (6 bytes, big-endian) << 16 | TSIH.
[[nodiscard]] inline uint64_t make_sid(const uint8_t isid[6], uint16_t tsih)
{
	uint64_t v = 0;
	for (int i = 0; i < 6; i++)
		v = (v << 8) | isid[i];
	return (v << 16) | tsih;
}

} // namespace iet
