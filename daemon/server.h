// server.h - ietd's event loop: portals (IPv4 + IPv6), login connections,
// the admin socket and the kernel's events, all in one epoll.
#pragma once
#include <ctime>
#include <map>
#include <memory>
#include <vector>

#include "config.h"
#include "fd.h"
#include "login.h"
#include "kernel_link.h"
#include "options.h"
#include "pdu.h"
#include "reconcile.h"
#include "sessions.h"

namespace iet {

class Server {
public:
	Server(Options opts, Config config, KernelLink &kernel, TidMap tids, SessionRegistry sessions);

	// Bind portals and the admin socket.
	[[nodiscard]] Result<void> listen();
	// Run until SIGTERM/SIGINT or stop().
	[[nodiscard]] Result<void> run();
	// Make run() return (from another thread; tests).
	void stop();
	// The port the first portal got (port 0 in Options: the kernel picks).
	[[nodiscard]] uint16_t bound_port() const { return bound_port_; }

private:
	struct Conn {
		UniqueFd fd;
		PduReader reader{8192};
		std::unique_ptr<LoginConn> login;
		time_t started = 0;
		time_t last_pdu = 0;
	};

	LoginEnv env();
	void accept_on(int lfd);
	void on_readable(int fd);
	void drop(int fd);
	void handoff(Conn &c, LoginOutput &out);
	void on_admin();
	void on_events();
	void expire_logins();
	bool initiator_allowed(const std::string &target, const IpAddr &peer, const std::string &name);
	bool target_allowed(const std::string &target, const IpAddr &local);

	Options opts_;
	Config config_;
	KernelLink &kernel_;
	TidMap tids_;
	SessionRegistry sessions_;
	UniqueFd epoll_;
	UniqueFd signal_;
	UniqueFd stop_;
	uint16_t bound_port_ = 0;
	UniqueFd admin_;
	std::vector<UniqueFd> portals_;
	std::map<int, Conn> conns_;
	// Held open so that when fds run out we can still accept-and-close the
	// waiting connection instead of spinning on a listener that stays ready.
	UniqueFd spare_fd_;
	void shed_one(int lfd);
};

// Write all bytes to a (non-blocking) socket, waiting up to timeout_ms for room.
[[nodiscard]] Result<void> write_all(int fd, const std::vector<uint8_t> &bytes, int timeout_ms);

} // namespace iet
