// negotiate.h - operational parameter negotiation (RFC 7143 §13) over
// values, never strings.  Pure: the login state machine feeds it the keys
// the initiator offered and sends back what it answers.
#pragma once
#include <cstdint>
#include <set>
#include <string>

#include "config.h"
#include "error.h"
#include "text.h"

namespace iet {

enum class SessionKind { Normal, Discovery };

// Session-wide results, handed to the kernel as IET_P_*.
struct SessionParams {
	bool initial_r2t = true;
	bool immediate_data = true;
	uint32_t max_burst = 262144;
	uint32_t first_burst = 65536;
	uint32_t max_outstanding_r2t = 1;
	bool data_pdu_in_order = true;
	bool data_sequence_in_order = true;
	uint32_t error_recovery_level = 0;
	uint32_t max_connections = 1;
	uint32_t time2wait = 2;
	uint32_t time2retain = 20;
	uint32_t queued_cmds = 32;
	bool operator==(const SessionParams &) const = default;
};

// Per-connection results.
struct ConnParams {
	iet_digest header_digest = IET_DIGEST_NONE;
	iet_digest data_digest = IET_DIGEST_NONE;
	uint32_t max_recv_dsl = 8192;	// what we declared (RFC default until declared)
	uint32_t max_xmit_dsl = 8192;	// what the initiator declared, capped by MaxXmitDataSegmentLength
	bool operator==(const ConnParams &) const = default;
};

class Negotiator {
public:
	Negotiator(const TargetParams &ours, SessionKind kind);

	// Answer the operational keys of one request.  Login-only keys
	// (InitiatorName, TargetName, SessionType, AuthMethod, ...) must be
	// taken out by the caller first.  An error is a protocol error by the
	// initiator (e.g. the same key negotiated twice) and fails the login.
	[[nodiscard]] Result<KeyValues> answer(const KeyValues &offers);

	// Declarations we still owe before leaving the operational stage
	// (our MaxRecvDataSegmentLength).  Empty once sent.
	[[nodiscard]] KeyValues pending_declarations();

	[[nodiscard]] SessionParams session() const;
	[[nodiscard]] const ConnParams &conn() const { return conn_; }

private:
	TargetParams ours_;
	SessionKind kind_;
	SessionParams sess_;
	ConnParams conn_;
	std::set<std::string> seen_;	// keys already negotiated (lower-cased)
	bool declared_mrdsl_ = false;
};

} // namespace iet
