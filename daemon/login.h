// login.h - one connection's login phase (RFC 7143 §6, §11.12) and, for
// discovery sessions, the SendTargets full-feature phase.  Fed whole PDUs,
// answers bytes to send and what to do next; OS-free so tests can drive it
// with byte buffers and a fake kernel link.
#pragma once
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "allow.h"
#include "config.h"
#include "kernel_link.h"
#include "negotiate.h"
#include "pdu.h"
#include "sessions.h"
#include "text.h"

namespace iet {

// What a login needs from the rest of the daemon.
struct LoginEnv {
	const Config *config = nullptr;
	SessionRegistry *sessions = nullptr;
	KernelLink *kernel = nullptr;
	// Target name -> tid in the kernel (0: not running).
	std::function<uint32_t(const std::string &)> tid_of;
	// initiators.allow: may this initiator (name, address) use this target?
	std::function<bool(const std::string &target, const IpAddr &peer, const std::string &initiator)>
	    initiator_allowed;
	// targets.allow: is this target served on this local address?
	std::function<bool(const std::string &target, const IpAddr &local)> target_allowed;
};

struct LoginOutput {
	enum class Next { Continue, Close, Handoff };
	std::vector<uint8_t> bytes;	// send all of these first
	Next next = Next::Continue;
	std::optional<ConnNew> handoff;	// with Handoff: fd to be filled by the caller
	std::optional<SessionEntry> session;	// with Handoff: what to remember
};

class LoginConn {
public:
	LoginConn(LoginEnv env, IpAddr local, uint16_t local_port, IpAddr peer);

	[[nodiscard]] LoginOutput on_pdu(const Pdu &pdu);

	// Largest data segment to accept from the initiator right now.
	[[nodiscard]] uint32_t max_data() const { return max_data_; }
	[[nodiscard]] std::string who() const;
	// Still logging in (false once a discovery session is in full feature phase).
	[[nodiscard]] bool in_login() const { return state_ == State::Login; }

private:
	enum class State { Login, DiscoveryFfp, Done };

	LoginOutput on_login(const Pdu &pdu);
	LoginOutput on_discovery(const Pdu &pdu);
	LoginOutput refuse(uint8_t cls, uint8_t detail, const std::string &why);
	LoginOutput finish_normal(std::vector<uint8_t> data, uint8_t flags);
	std::vector<uint8_t> login_rsp(uint8_t flags, uint8_t cls, uint8_t detail,
				       const std::vector<uint8_t> &data, uint16_t tsih);
	std::vector<uint8_t> text_rsp_chunk(uint32_t itt);
	KeyValues send_targets(const std::string &which) const;
	bool auth_required() const;

	LoginEnv env_;
	IpAddr local_, peer_;
	uint16_t local_port_;
	State state_ = State::Login;
	uint32_t max_data_ = 8192;	// RFC 7143 §13.12 default during login

	bool first_ = true;
	int stage_ = IET_STAGE_SECURITY;
	uint8_t isid_[IET_ISID_LEN] = {};
	uint16_t tsih_ = 0;
	uint16_t cid_ = 0;
	uint32_t itt_ = 0;
	uint32_t statsn_ = 0;
	uint32_t exp_cmdsn_ = 0;

	std::string initiator_, alias_, target_name_;
	SessionKind kind_ = SessionKind::Normal;
	const TargetConfig *target_ = nullptr;
	uint32_t tid_ = 0;
	std::optional<Negotiator> neg_;
	TextAccumulator text_;
	bool sent_tpgt_ = false;

	// Discovery: a long SendTargets answer goes out in chunks (§11.10.2 C bit).
	std::vector<uint8_t> pending_text_;
	size_t pending_off_ = 0;
	uint32_t next_ttt_ = 1;
	uint32_t cur_ttt_ = IET_RESERVED_TAG;
};

} // namespace iet
