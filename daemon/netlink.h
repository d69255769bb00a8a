// netlink.h - KernelLink over the "iscsi_trgt" generic netlink family
// (include/iet_netlink.h) with libmnl.  One socket for requests (acks and
// dumps, strictly in sequence), one joined to the "events" group.
#pragma once
#include <libmnl/libmnl.h>

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "kernel_link.h"

namespace iet {

class NetlinkKernel final : public KernelLink {
public:
	// Resolves the family; fails with a clear message if the module is not
	// loaded.  (Tests pass another family's name.)
	[[nodiscard]] static Result<std::unique_ptr<NetlinkKernel>> open(const char *family = IET_GENL_NAME);
	~NetlinkKernel() override;

	Result<void> target_new(uint32_t tid, const std::string &name) override;
	Result<void> lun_new(uint32_t tid, const LunConfig &lun) override;
	Result<void> session_new(const SessionNew &s) override;
	Result<void> session_del(uint32_t tid, uint64_t sid) override;
	Result<void> conn_new(const ConnNew &c) override;
	Result<std::vector<KTarget>> targets() override;
	Result<std::vector<KLun>> luns(std::optional<uint32_t> tid) override;
	Result<std::vector<KSession>> sessions(std::optional<uint32_t> tid) override;

	// The events socket, for the daemon's poll loop.
	[[nodiscard]] int event_fd() const override;
	// Read what is waiting on the events socket.
	[[nodiscard]] Result<std::vector<KernelEvent>> read_events() override;

private:
	NetlinkKernel() = default;
	struct Msg;
	void drain();
	Result<void> transact(Msg &m, const std::function<void(const struct nlmsghdr *, const struct nlattr *const *tb)> &each);

	mnl_socket *req_ = nullptr;
	mnl_socket *evt_ = nullptr;
	uint16_t family_ = 0;
	uint32_t group_ = 0;
	uint32_t seq_ = 0;
};

} // namespace iet
