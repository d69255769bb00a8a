#include "server.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>

#include <cerrno>
#include <chrono>
#include <cstring>

#include "admin.h"
#include "log.h"

namespace iet {

namespace {

constexpr int kLoginTimeout = 30;	// seconds a connection may spend logging in
constexpr int kDiscoveryIdle = 300;	// seconds a discovery session may sit idle
constexpr int kWriteTimeoutMs = 5000;

std::string errtext(int e) { return std::strerror(e); }

Result<UniqueFd> bind_portal(const IpAddr &addr, uint16_t port)
{
	UniqueFd fd(socket(addr.family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
	if (!fd)
		return fail("socket: " + errtext(errno), errno);
	int one = 1;
	setsockopt(fd.get(), SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	sockaddr_storage ss{};
	socklen_t len;
	if (addr.family == AF_INET) {
		auto *s = reinterpret_cast<sockaddr_in *>(&ss);
		s->sin_family = AF_INET;
		s->sin_port = htons(port);
		std::memcpy(&s->sin_addr, addr.bytes, 4);
		len = sizeof(*s);
	} else {
		// V6ONLY so the IPv4 socket can bind the same port beside it.
		setsockopt(fd.get(), IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
		auto *s = reinterpret_cast<sockaddr_in6 *>(&ss);
		s->sin6_family = AF_INET6;
		s->sin6_port = htons(port);
		std::memcpy(&s->sin6_addr, addr.bytes, 16);
		len = sizeof(*s);
	}
	if (bind(fd.get(), reinterpret_cast<sockaddr *>(&ss), len) < 0)
		return fail("bind " + addr.to_string() + ":" + std::to_string(port) + ": " + errtext(errno),
			    errno);
	if (::listen(fd.get(), 64) < 0)
		return fail("listen: " + errtext(errno), errno);
	return fd;
}

} // namespace

Result<void> write_all(int fd, const std::vector<uint8_t> &bytes, int timeout_ms)
{
	size_t off = 0;
	while (off < bytes.size()) {
		ssize_t n = send(fd, bytes.data() + off, bytes.size() - off, MSG_NOSIGNAL);
		if (n > 0) {
			off += static_cast<size_t>(n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			pollfd p{fd, POLLOUT, 0};
			int r = poll(&p, 1, timeout_ms);
			if (r <= 0)
				return fail("send timed out", ETIMEDOUT);
			continue;
		}
		return fail("send: " + errtext(errno), errno);
	}
	return {};
}

Server::Server(Options opts, Config config, KernelLink &kernel, TidMap tids, SessionRegistry sessions)
    : opts_(std::move(opts)), config_(std::move(config)), kernel_(kernel), tids_(std::move(tids)),
      sessions_(std::move(sessions))
{
}

Result<void> Server::listen()
{
	spare_fd_.reset(open("/dev/null", O_RDONLY | O_CLOEXEC));
	epoll_.reset(epoll_create1(EPOLL_CLOEXEC));
	if (!epoll_)
		return fail("epoll_create1: " + errtext(errno), errno);
	auto add = [&](int fd) {
		epoll_event ev{};
		ev.events = EPOLLIN;
		ev.data.fd = fd;
		return epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev);
	};

	if (!opts_.address.empty()) {
		std::string a = opts_.address;
		if (a.size() > 2 && a.front() == '[' && a.back() == ']')
			a = a.substr(1, a.size() - 2);
		auto ip = IpAddr::parse(a);
		if (!ip)
			return fail("bad listen address '" + opts_.address + "'");
		auto fd = bind_portal(*ip, opts_.port);
		if (!fd)
			return std::unexpected(fd.error());
		portals_.push_back(std::move(*fd));
	} else {
		auto v4 = bind_portal(*IpAddr::parse("0.0.0.0"), opts_.port);
		if (!v4)
			return std::unexpected(v4.error());
		portals_.push_back(std::move(*v4));
		auto v6 = bind_portal(*IpAddr::parse("::"), opts_.port);
		if (v6)
			portals_.push_back(std::move(*v6));
		else
			log::warn("no IPv6 portal: " + v6.error().msg);
	}
	for (auto &p : portals_)
		add(p.get());
	{
		sockaddr_storage ss{};
		socklen_t len = sizeof(ss);
		if (getsockname(portals_[0].get(), reinterpret_cast<sockaddr *>(&ss), &len) == 0)
			bound_port_ = ntohs(ss.ss_family == AF_INET
						? reinterpret_cast<sockaddr_in *>(&ss)->sin_port
						: reinterpret_cast<sockaddr_in6 *>(&ss)->sin6_port);
		// With port 0 (tests) the IPv6 portal got another port: keep one.
		if (opts_.port == 0 && portals_.size() > 1) {
			epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, portals_[1].get(), nullptr);
			portals_.resize(1);
		}
		opts_.port = bound_port_;
	}
	stop_.reset(eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK));
	if (!stop_)
		return fail("eventfd: " + errtext(errno), errno);
	add(stop_.get());

	// Admin socket: root only (0600); ietadm changes the target.
	std::string dir = opts_.socket.substr(0, opts_.socket.rfind('/'));
	if (!dir.empty())
		mkdir(dir.c_str(), 0755);
	sockaddr_un sun{};
	sun.sun_family = AF_UNIX;
	if (opts_.socket.size() >= sizeof(sun.sun_path))
		return fail("admin socket path too long: " + opts_.socket);
	std::strncpy(sun.sun_path, opts_.socket.c_str(), sizeof(sun.sun_path) - 1);
	admin_.reset(socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0));
	if (!admin_)
		return fail("admin socket: " + errtext(errno), errno);
	unlink(opts_.socket.c_str());	// a stale socket from a previous run
	mode_t old = umask(0077);
	int br = bind(admin_.get(), reinterpret_cast<sockaddr *>(&sun), sizeof(sun));
	umask(old);
	if (br < 0)
		return fail("bind " + opts_.socket + ": " + errtext(errno), errno);
	if (::listen(admin_.get(), 8) < 0)
		return fail("listen " + opts_.socket + ": " + errtext(errno), errno);
	add(admin_.get());

	if (kernel_.event_fd() >= 0)
		add(kernel_.event_fd());

	sigset_t mask;
	sigemptyset(&mask);
	sigaddset(&mask, SIGTERM);
	sigaddset(&mask, SIGINT);
	sigprocmask(SIG_BLOCK, &mask, nullptr);
	signal_.reset(signalfd(-1, &mask, SFD_CLOEXEC | SFD_NONBLOCK));
	if (!signal_)
		return fail("signalfd: " + errtext(errno), errno);
	add(signal_.get());
	signal(SIGPIPE, SIG_IGN);
	signal(SIGHUP, SIG_IGN);	// no reload yet; a stray HUP must not kill the target
	log::info("listening on port " + std::to_string(opts_.port) + ", admin socket " + opts_.socket);
	return {};
}

Result<void> Server::run()
{
	epoll_event evs[32];
	for (;;) {
		int n = epoll_wait(epoll_.get(), evs, 32, 1000);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return fail("epoll_wait: " + errtext(errno), errno);
		}
		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			if (fd == signal_.get()) {
				signalfd_siginfo si;
				if (read(fd, &si, sizeof(si)) == sizeof(si)) {
					// IET behaviour: kernel state stays; sessions keep running.
					log::info(std::string("got ") + strsignal(si.ssi_signo) +
						  ": exiting, kernel targets and sessions stay");
					unlink(opts_.socket.c_str());
					return {};
				}
				continue;
			}
			if (fd == stop_.get()) {
				unlink(opts_.socket.c_str());
				return {};
			}
			if (fd == admin_.get()) {
				on_admin();
				continue;
			}
			if (fd == kernel_.event_fd()) {
				on_events();
				continue;
			}
			bool portal = false;
			for (auto &p : portals_)
				if (p.get() == fd)
					portal = true;
			if (portal)
				accept_on(fd);
			else
				on_readable(fd);
		}
		expire_logins();
	}
}

void Server::stop()
{
	uint64_t one = 1;
	if (stop_)
		(void)!write(stop_.get(), &one, sizeof(one));
}

// Out of fds: the listener stays readable (level-triggered) and we would
// spin.  Give the spare fd back for a moment to take the connection off the
// queue and close it; the initiator retries later.
void Server::shed_one(int lfd)
{
	if (!spare_fd_)
		return;
	spare_fd_.reset();
	int fd = accept4(lfd, nullptr, nullptr, SOCK_CLOEXEC);
	if (fd >= 0)
		close(fd);
	spare_fd_.reset(open("/dev/null", O_RDONLY | O_CLOEXEC));
	// One line per 10 s at most: a flood must not flood the log too.
	static std::chrono::steady_clock::time_point last;
	auto now = std::chrono::steady_clock::now();
	if (now - last >= std::chrono::seconds(10)) {
		last = now;
		log::warn("out of file descriptors: refusing connections (" +
			  std::to_string(conns_.size()) + " connections open)");
	}
}

void Server::accept_on(int lfd)
{
	for (;;) {
		int fd = accept4(lfd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EMFILE || errno == ENFILE)
				shed_one(lfd);
			return;	// EAGAIN or a transient error; the next event retries
		}
		UniqueFd owned(fd);
		sockaddr_storage local{}, peer{};
		socklen_t ll = sizeof(local), pl = sizeof(peer);
		if (getsockname(fd, reinterpret_cast<sockaddr *>(&local), &ll) < 0 ||
		    getpeername(fd, reinterpret_cast<sockaddr *>(&peer), &pl) < 0)
			continue;
		auto lip = IpAddr::from_sockaddr(reinterpret_cast<sockaddr *>(&local));
		auto pip = IpAddr::from_sockaddr(reinterpret_cast<sockaddr *>(&peer));
		if (!lip || !pip)
			continue;
		epoll_event ev{};
		ev.events = EPOLLIN;
		ev.data.fd = fd;
		if (epoll_ctl(epoll_.get(), EPOLL_CTL_ADD, fd, &ev) < 0)
			continue;
		log::debug("connection from " + pip->to_string());
		Conn c;
		c.fd = std::move(owned);
		c.login = std::make_unique<LoginConn>(env(), *lip, opts_.port, *pip);
		c.started = c.last_pdu = time(nullptr);
		conns_.emplace(fd, std::move(c));
	}
}

LoginEnv Server::env()
{
	LoginEnv e;
	e.config = &config_;
	e.sessions = &sessions_;
	e.kernel = &kernel_;
	e.tid_of = [this](const std::string &name) -> uint32_t {
		auto it = tids_.find(fold_name(name));
		return it == tids_.end() ? 0 : it->second;
	};
	e.initiator_allowed = [this](const std::string &t, const IpAddr &p, const std::string &n) {
		return initiator_allowed(t, p, n);
	};
	e.target_allowed = [this](const std::string &t, const IpAddr &l) { return target_allowed(t, l); };
	return e;
}

bool Server::initiator_allowed(const std::string &target, const IpAddr &peer, const std::string &name)
{
	// Re-read at every login (IET): edits take effect without a restart.
	auto list = load_allow(opts_.allow);
	if (!list) {
		log::error(list.error().msg + ": denying");
		return false;
	}
	if (!*list)
		return true;	// no file: everyone (IET)
	return allow_match(**list, target, peer, name);
}

bool Server::target_allowed(const std::string &target, const IpAddr &local)
{
	auto list = load_allow(opts_.targets_allow);
	if (!list) {
		log::error(list.error().msg + ": not serving");
		return false;
	}
	if (!*list)
		return true;
	return allow_match(**list, target, local, "");
}

void Server::drop(int fd)
{
	epoll_ctl(epoll_.get(), EPOLL_CTL_DEL, fd, nullptr);
	conns_.erase(fd);	// UniqueFd closes it
}

void Server::on_readable(int fd)
{
	auto it = conns_.find(fd);
	if (it == conns_.end())
		return;
	Conn &c = it->second;
	std::vector<uint8_t> buf;
	for (;;) {
		// Read exactly what the header announced, never ahead: bytes after
		// the last login PDU belong to the kernel.
		buf.resize(c.reader.want());
		ssize_t n = recv(fd, buf.data(), buf.size(), 0);
		if (n == 0) {
			log::debug("connection closed by " + c.login->who());
			drop(fd);
			return;
		}
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (errno != EAGAIN && errno != EWOULDBLOCK) {
				log::debug("recv: " + errtext(errno) + ": " + c.login->who());
				drop(fd);
			}
			return;
		}
		auto pdu = c.reader.feed(std::span<const uint8_t>(buf.data(), static_cast<size_t>(n)));
		if (!pdu) {
			log::warn("bad PDU from " + c.login->who() + ": " + pdu.error().msg);
			drop(fd);
			return;
		}
		if (!*pdu)
			continue;
		c.last_pdu = time(nullptr);
		LoginOutput out = c.login->on_pdu(**pdu);
		c.reader.set_max_data(c.login->max_data());
		if (out.next == LoginOutput::Next::Handoff) {
			handoff(c, out);
			drop(fd);
			return;
		}
		if (!out.bytes.empty()) {
			auto w = write_all(fd, out.bytes, kWriteTimeoutMs);
			if (!w) {
				log::warn("writing to " + c.login->who() + ": " + w.error().msg);
				drop(fd);
				return;
			}
		}
		if (out.next == LoginOutput::Next::Close) {
			drop(fd);
			return;
		}
	}
}

void Server::handoff(Conn &c, LoginOutput &out)
{
	const ConnNew &cn = *out.handoff;
	auto w = write_all(c.fd.get(), out.bytes, kWriteTimeoutMs);
	if (!w) {
		log::warn("final login response to " + c.login->who() + ": " + w.error().msg);
		(void)kernel_.session_del(cn.tid, cn.sid);
		return;
	}
	// Hand the socket over as a plain blocking socket, as it was accepted.
	int fl = fcntl(c.fd.get(), F_GETFL);
	if (fl >= 0)
		fcntl(c.fd.get(), F_SETFL, fl & ~O_NONBLOCK);
	ConnNew req = cn;
	req.fd = c.fd.get();
	auto r = kernel_.conn_new(req);
	if (!r) {
		log::error("kernel refused the connection of " + c.login->who() + ": " + r.error().msg);
		(void)kernel_.session_del(cn.tid, cn.sid);
		return;
	}
	sessions_.add(*out.session);
	log::debug("connection of " + c.login->who() + " handed to the kernel");
	// Our fd closes in drop(); the kernel holds its own reference.
}

void Server::expire_logins()
{
	time_t now = time(nullptr);
	std::vector<int> old;
	// A login must finish in time (a half-open login must not pin an fd
	// forever); a discovery session may idle longer between requests.
	for (auto &[fd, c] : conns_)
		if (c.login->in_login() ? now - c.started > kLoginTimeout
					: now - c.last_pdu > kDiscoveryIdle)
			old.push_back(fd);
	for (int fd : old) {
		log::warn("timed out: " + conns_.at(fd).login->who());
		drop(fd);
	}
}

void Server::on_admin()
{
	UniqueFd fd(accept4(admin_.get(), nullptr, nullptr, SOCK_CLOEXEC));
	if (!fd)
		return;
	// One short request per connection; don't let a stuck client hang us.
	timeval tv{2, 0};
	setsockopt(fd.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd.get(), SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	std::string line;
	char buf[4096];
	while (line.find('\n') == std::string::npos) {
		ssize_t n = recv(fd.get(), buf, sizeof(buf), 0);
		if (n <= 0)
			break;
		line.append(buf, static_cast<size_t>(n));
		if (line.size() > admin::kMaxLine)
			break;
	}
	std::string resp;
	if (line.size() > admin::kMaxLine)
		resp = "{\"error\":\"request too long\"}\n";
	else
		resp = handle_admin_line(line.substr(0, line.find('\n')), kernel_, config_);
	std::vector<uint8_t> bytes(resp.begin(), resp.end());
	(void)write_all(fd.get(), bytes, kWriteTimeoutMs);
}

void Server::on_events()
{
	auto evs = kernel_.read_events();
	if (!evs) {
		// Lost events (ENOBUFS): relearn the sessions from a dump.
		log::warn(evs.error().msg + ": resyncing sessions from the kernel");
		auto ks = kernel_.sessions(std::nullopt);
		if (ks) {
			sessions_ = SessionRegistry{};
			for (const auto &s : *ks)
				sessions_.add(SessionEntry{s.tid, s.sid, s.initiator});
		}
		return;
	}
	for (const auto &e : *evs) {
		if (e.kind == KernelEvent::Kind::SessionEnded) {
			log::info("session " + std::to_string(e.sid) + " on tid " + std::to_string(e.tid) +
				  " ended");
			sessions_.remove(e.tid, e.sid);
		} else {
			log::debug("connection " + std::to_string(e.cid) + " of session " +
				   std::to_string(e.sid) + " closed");
		}
	}
}

} // namespace iet
