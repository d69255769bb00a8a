// ietadm - IET's admin tool.  Talks to ietd over its admin socket (never to
// the kernel directly): ietd validates, applies and keeps the one truth.
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "admin_protocol.h"
#include "config.h"
#include "fd.h"
#include "ietadm_args.h"

using namespace iet;

static const char *kUsage =
    "Usage: ietadm --op new|delete|update|show [--tid=N] [--sid=N] [--cid=N] [--lun=N]\n"
    "              [--params key=value,...] [--user] [--redirect] [--json] [--socket PATH]\n"
    "  --op show             the targets ietd serves, with LUNs and sessions\n"
    "  --op show --tid=N     the parameters of target N\n"
    "  --json                print ietd's JSON answer as it is\n"
    "  --socket PATH         ietd's admin socket (default /run/iet/ietd.sock)\n"
    "Other operations are not supported yet and fail with exit status 1.\n";

static Result<std::string> ask(const std::string &path, const std::string &line)
{
	UniqueFd fd(socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
	if (!fd)
		return fail(std::string("socket: ") + std::strerror(errno));
	sockaddr_un sun{};
	sun.sun_family = AF_UNIX;
	if (path.size() >= sizeof(sun.sun_path))
		return fail("socket path too long");
	std::strncpy(sun.sun_path, path.c_str(), sizeof(sun.sun_path) - 1);
	if (connect(fd.get(), reinterpret_cast<sockaddr *>(&sun), sizeof(sun)) < 0)
		return fail("cannot reach ietd at " + path + ": " + std::strerror(errno) +
			    " (is ietd running?)");
	size_t off = 0;
	while (off < line.size()) {
		ssize_t n = send(fd.get(), line.data() + off, line.size() - off, MSG_NOSIGNAL);
		if (n <= 0)
			return fail(std::string("send: ") + std::strerror(errno));
		off += static_cast<size_t>(n);
	}
	std::string resp;
	char buf[4096];
	for (;;) {
		ssize_t n = recv(fd.get(), buf, sizeof(buf), 0);
		if (n < 0)
			return fail(std::string("recv: ") + std::strerror(errno));
		if (n == 0)
			break;
		resp.append(buf, static_cast<size_t>(n));
		if (resp.find('\n') != std::string::npos)
			break;
	}
	if (resp.empty())
		return fail("ietd closed the connection without an answer");
	return resp.substr(0, resp.find('\n'));
}

int main(int argc, char **argv)
{
	std::vector<std::string> args(argv + 1, argv + argc);
	auto a = parse_ietadm_args(args);
	if (!a) {
		std::fprintf(stderr, "ietadm: %s\n%s", a.error().msg.c_str(), kUsage);
		return 2;
	}
	if (a->help) {
		std::fputs(kUsage, stdout);
		return 0;
	}
	if (a->req.op != "show") {
		// Never pretend success: say plainly what isn't there yet.
		std::fprintf(stderr, "ietadm: --op %s is not supported yet\n", a->req.op.c_str());
		return 1;
	}
	auto resp = ask(a->socket, nlohmann::json(a->req).dump() + "\n");
	if (!resp) {
		std::fprintf(stderr, "ietadm: %s\n", resp.error().msg.c_str());
		return 1;
	}
	admin::Response r;
	try {
		r = nlohmann::json::parse(*resp).get<admin::Response>();
	} catch (const nlohmann::json::exception &e) {
		std::fprintf(stderr, "ietadm: bad answer from ietd: %s\n", e.what());
		return 1;
	}
	if (r.error) {
		std::fprintf(stderr, "ietadm: %s\n", r.error->c_str());
		return 1;
	}
	if (a->json) {
		std::cout << *resp << "\n";
		return 0;
	}
	std::cout << format_show(r);
	return 0;
}
