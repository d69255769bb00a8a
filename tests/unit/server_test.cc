// The real event loop on loopback with a fake kernel: login over TCP, the
// hand-over leaves bytes after the last login PDU unread for the kernel,
// discovery, and the admin socket.
#include "server.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <cstring>
#include <thread>

#include "admin_protocol.h"
#include "fake_kernel.h"

using namespace iet;

namespace {

const char *kTarget = "iqn.2001-04.com.example:storage.disk1";

struct DupKernel : test::FakeKernel {
	std::vector<int> fds;	// our own references to handed-over sockets
	Result<void> conn_new(const ConnNew &c) override
	{
		fds.push_back(dup(c.fd));
		return FakeKernel::conn_new(c);
	}
	~DupKernel() override
	{
		for (int fd : fds)
			close(fd);
	}
};

UniqueFd connect_tcp(uint16_t port)
{
	UniqueFd fd(socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0));
	sockaddr_in sa{};
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	EXPECT_EQ(connect(fd.get(), reinterpret_cast<sockaddr *>(&sa), sizeof(sa)), 0);
	return fd;
}

std::vector<uint8_t> login(uint8_t flags, const KeyValues &kv, uint8_t isid_last)
{
	Pdu p;
	auto &h = p.as<iet_login_req_hdr>();
	h.opcode = IET_OP_LOGIN_REQ | IET_OP_IMMEDIATE;
	h.flags = flags;
	h.isid[0] = 0x80;
	h.isid[5] = isid_last;
	be32_put(h.cmdsn, 1);
	p.data = encode_text(kv);
	return encode_pdu(p);
}

// Read one PDU the way the daemon does, with a timeout.
std::optional<Pdu> read_pdu(int fd)
{
	PduReader r(1 << 20);
	std::vector<uint8_t> buf;
	for (;;) {
		pollfd p{fd, POLLIN, 0};
		if (poll(&p, 1, 5000) <= 0)
			return std::nullopt;
		buf.resize(r.want());
		ssize_t n = recv(fd, buf.data(), buf.size(), 0);
		if (n <= 0)
			return std::nullopt;
		auto res = r.feed(std::span<const uint8_t>(buf.data(), size_t(n)));
		if (!res)
			return std::nullopt;
		if (*res)
			return **res;
	}
}

void send_all(int fd, const std::vector<uint8_t> &b)
{
	ASSERT_EQ(send(fd, b.data(), b.size(), MSG_NOSIGNAL), ssize_t(b.size()));
}

struct Running {
	DupKernel kernel;
	std::unique_ptr<Server> server;
	std::thread thread;
	std::string sock;

	Running()
	{
		Options o;
		o.address = "127.0.0.1";
		o.port = 0;
		o.allow = "/nonexistent/initiators.allow";
		o.targets_allow = "/nonexistent/targets.allow";
		sock = "/tmp/ietd-unit-" + std::to_string(getpid()) + ".sock";
		o.socket = sock;
		auto cfg = parse_config(std::string("Target ") + kTarget + "\n Lun 0 Type=nullio\n", "c");
		EXPECT_TRUE(cfg);
		SessionRegistry sessions;
		auto tids = apply_config(kernel, *cfg, sessions);
		EXPECT_TRUE(tids);
		server = std::make_unique<Server>(o, *cfg, kernel, *tids, std::move(sessions));
		auto l = server->listen();
		EXPECT_TRUE(l) << (l ? "" : l.error().msg);
		thread = std::thread([this] { (void)server->run(); });
	}
	void stop()
	{
		if (thread.joinable()) {
			server->stop();
			thread.join();
		}
	}
	~Running() { stop(); }
};

} // namespace

TEST(Server, LoginHandsOverWithFollowingBytesUnread)
{
	Running r;
	auto c = connect_tcp(r.server->bound_port());
	// The final login PDU and the first full-feature bytes in one write,
	// as a fast initiator may send them.
	auto bytes = login(IET_LOGIN_FLAG_TRANSIT | (1 << 2) | 3,
			   {{"InitiatorName", "iqn.1993-08.org.debian:01:abc"}, {"TargetName", kTarget}}, 1);
	const std::string extra = "SCSI-COMMAND-BYTES-FOR-THE-KERNEL";
	bytes.insert(bytes.end(), extra.begin(), extra.end());
	send_all(c.get(), bytes);
	auto rsp = read_pdu(c.get());
	ASSERT_TRUE(rsp);
	EXPECT_EQ(rsp->opcode(), IET_OP_LOGIN_RSP);
	EXPECT_EQ(rsp->as<iet_login_rsp_hdr>().status_class, 0);
	r.stop();
	ASSERT_EQ(r.kernel.fds.size(), 1u);
	ASSERT_EQ(r.kernel.session_news.size(), 1u);
	EXPECT_EQ(r.kernel.conn_news[0].sid, r.kernel.session_news[0].sid);
	std::string got(extra.size(), '\0');
	pollfd p{r.kernel.fds[0], POLLIN, 0};
	ASSERT_EQ(poll(&p, 1, 2000), 1);
	EXPECT_EQ(recv(r.kernel.fds[0], got.data(), got.size(), MSG_DONTWAIT), ssize_t(extra.size()));
	EXPECT_EQ(got, extra);
}

TEST(Server, DiscoveryOverTcpAndAdminShow)
{
	Running r;
	auto c = connect_tcp(r.server->bound_port());
	send_all(c.get(), login(IET_LOGIN_FLAG_TRANSIT | 3,
				{{"InitiatorName", "iqn.1993-08.org.debian:01:abc"}, {"SessionType", "Discovery"}},
				2));
	auto l = read_pdu(c.get());
	ASSERT_TRUE(l);
	EXPECT_EQ(l->as<iet_login_rsp_hdr>().status_class, 0);
	Pdu t;
	t.bhs.opcode = IET_OP_TEXT_REQ | IET_OP_IMMEDIATE;
	t.bhs.flags = IET_FLAG_FINAL;
	be32_put(t.as<iet_text_req_hdr>().ttt, IET_RESERVED_TAG);
	t.data = encode_text({{"SendTargets", "All"}});
	send_all(c.get(), encode_pdu(t));
	auto tr = read_pdu(c.get());
	ASSERT_TRUE(tr);
	auto kv = parse_text(tr->data);
	ASSERT_TRUE(kv);
	ASSERT_EQ(kv->size(), 2u);
	EXPECT_EQ((*kv)[1].second, "127.0.0.1:" + std::to_string(r.server->bound_port()) + ",1");

	UniqueFd a(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	sockaddr_un sun{};
	sun.sun_family = AF_UNIX;
	std::strncpy(sun.sun_path, r.sock.c_str(), sizeof(sun.sun_path) - 1);
	ASSERT_EQ(connect(a.get(), reinterpret_cast<sockaddr *>(&sun), sizeof(sun)), 0);
	std::string req = "{\"op\":\"show\"}\n";
	ASSERT_EQ(send(a.get(), req.data(), req.size(), 0), ssize_t(req.size()));
	std::string resp;
	char buf[4096];
	ssize_t n;
	while ((n = recv(a.get(), buf, sizeof(buf), 0)) > 0)
		resp.append(buf, size_t(n));
	auto res = nlohmann::json::parse(resp).get<admin::Response>();
	ASSERT_FALSE(res.error);
	ASSERT_EQ(res.targets.size(), 1u);
	EXPECT_EQ(res.targets[0].name, kTarget);
	EXPECT_EQ(res.targets[0].luns.size(), 1u);
}
