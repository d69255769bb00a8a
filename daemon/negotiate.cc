#include "negotiate.h"

#include <algorithm>
#include <cctype>

namespace iet {

Negotiator::Negotiator(const TargetParams &ours, SessionKind kind) : ours_(ours), kind_(kind)
{
	// Until the initiator says otherwise, RFC defaults apply; our side
	// of booleans/numbers starts from our configured offer.
	sess_.queued_cmds = ours.queued_cmds;
}

namespace {

std::string lower(std::string_view s)
{
	std::string o(s);
	for (auto &c : o)
		c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
	return o;
}

enum class Rule { Min, Max, Or, And, Digest, Declarative, Obsolete, Special };

struct KeyDef {
	const char *name;
	Rule rule;
	uint32_t lo, hi;
	bool session_only;	// irrelevant in discovery sessions
};

// RFC 7143 §13 table (FACTS.md).
const KeyDef kKeys[] = {
    {"HeaderDigest", Rule::Digest, 0, 0, false},
    {"DataDigest", Rule::Digest, 0, 0, false},
    {"MaxConnections", Rule::Min, 1, 65535, true},
    {"InitialR2T", Rule::Or, 0, 0, true},
    {"ImmediateData", Rule::And, 0, 0, true},
    {"MaxRecvDataSegmentLength", Rule::Declarative, 512, IET_MAX_DSL, false},
    {"MaxBurstLength", Rule::Min, 512, IET_MAX_DSL, true},
    {"FirstBurstLength", Rule::Min, 512, IET_MAX_DSL, true},
    {"DefaultTime2Wait", Rule::Max, 0, 3600, false},
    {"DefaultTime2Retain", Rule::Min, 0, 3600, false},
    {"MaxOutstandingR2T", Rule::Min, 1, 65535, true},
    {"DataPDUInOrder", Rule::Or, 0, 0, true},
    {"DataSequenceInOrder", Rule::Or, 0, 0, true},
    {"ErrorRecoveryLevel", Rule::Min, 0, 2, false},
    {"OFMarker", Rule::Obsolete, 0, 0, false},
    {"IFMarker", Rule::Obsolete, 0, 0, false},
    {"OFMarkInt", Rule::Obsolete, 0, 0, false},
    {"IFMarkInt", Rule::Obsolete, 0, 0, false},
    {"TaskReporting", Rule::Special, 0, 0, false},
    {"iSCSIProtocolLevel", Rule::Special, 0, 31, false},
};

std::optional<bool> parse_bool(std::string_view v)
{
	if (v == "Yes")
		return true;
	if (v == "No")
		return false;
	return std::nullopt;
}

const char *yn(bool b) { return b ? "Yes" : "No"; }

} // namespace

Result<KeyValues> Negotiator::answer(const KeyValues &offers)
{
	KeyValues out;
	bool touched_burst = false;
	for (const auto &[key, value] : offers) {
		const KeyDef *def = nullptr;
		for (const auto &d : kKeys)
			if (key == d.name) {	// keys are case-sensitive on the wire (§6.1)
				def = &d;
				break;
			}
		if (!def) {
			out.emplace_back(key, "NotUnderstood");
			continue;
		}
		if (!seen_.insert(lower(key)).second)
			return fail("key " + key + " negotiated twice");
		if (kind_ == SessionKind::Discovery && def->session_only) {
			out.emplace_back(key, "Irrelevant");
			continue;
		}
		switch (def->rule) {
		case Rule::Digest: {
			bool hd = key == "HeaderDigest";
			const auto &allowed = hd ? ours_.header_digest : ours_.data_digest;
			std::optional<iet_digest> pick;
			size_t pos = 0;
			while (!pick && pos <= value.size()) {
				size_t comma = value.find(',', pos);
				std::string item =
				    value.substr(pos, comma == std::string::npos ? std::string::npos : comma - pos);
				pos = comma == std::string::npos ? value.size() + 1 : comma + 1;
				iet_digest d;
				if (item == "None")
					d = IET_DIGEST_NONE;
				else if (item == "CRC32C")
					d = IET_DIGEST_CRC32C;
				else
					continue;	// unknown list item: skip (§6.2.1)
				if (std::find(allowed.begin(), allowed.end(), d) != allowed.end())
					pick = d;
			}
			if (!pick) {
				out.emplace_back(key, "Reject");
				break;
			}
			(hd ? conn_.header_digest : conn_.data_digest) = *pick;
			out.emplace_back(key, *pick == IET_DIGEST_CRC32C ? "CRC32C" : "None");
			break;
		}
		case Rule::Or:
		case Rule::And: {
			auto b = parse_bool(value);
			if (!b) {
				out.emplace_back(key, "Reject");
				break;
			}
			bool mine, *field;
			if (key == "InitialR2T") {
				mine = ours_.initial_r2t;
				field = &sess_.initial_r2t;
			} else if (key == "ImmediateData") {
				mine = ours_.immediate_data;
				field = &sess_.immediate_data;
			} else if (key == "DataPDUInOrder") {
				mine = ours_.data_pdu_in_order;
				field = &sess_.data_pdu_in_order;
			} else {
				mine = ours_.data_sequence_in_order;
				field = &sess_.data_sequence_in_order;
			}
			*field = def->rule == Rule::Or ? (*b || mine) : (*b && mine);
			out.emplace_back(key, yn(*field));
			break;
		}
		case Rule::Min:
		case Rule::Max: {
			auto n = parse_u64(value);
			if (!n || *n < def->lo || *n > def->hi) {
				out.emplace_back(key, "Reject");
				break;
			}
			uint32_t v = static_cast<uint32_t>(*n), mine, *field;
			if (key == "MaxConnections") {
				mine = ours_.max_connections;
				field = &sess_.max_connections;
			} else if (key == "MaxBurstLength") {
				mine = ours_.max_burst;
				field = &sess_.max_burst;
				touched_burst = true;
			} else if (key == "FirstBurstLength") {
				mine = ours_.first_burst;
				field = &sess_.first_burst;
				touched_burst = true;
			} else if (key == "DefaultTime2Wait") {
				mine = ours_.time2wait;
				field = &sess_.time2wait;
			} else if (key == "DefaultTime2Retain") {
				mine = ours_.time2retain;
				field = &sess_.time2retain;
			} else if (key == "MaxOutstandingR2T") {
				mine = ours_.max_outstanding_r2t;
				field = &sess_.max_outstanding_r2t;
			} else {
				mine = ours_.error_recovery_level;
				field = &sess_.error_recovery_level;
			}
			*field = def->rule == Rule::Min ? std::min(v, mine) : std::max(v, mine);
			out.emplace_back(key, std::to_string(*field));
			break;
		}
		case Rule::Declarative: {
			// The initiator declares what it can receive: that bounds what we send.
			auto n = parse_u64(value);
			if (!n || *n < def->lo || *n > def->hi) {
				out.emplace_back(key, "Reject");
				break;
			}
			conn_.max_xmit_dsl = std::min(static_cast<uint32_t>(*n), ours_.max_xmit_dsl);
			break;
		}
		case Rule::Obsolete:
			// RFC 7143 §13.25: markers are obsolete.  "No" is a legal answer
			// to a boolean offer of No and what every initiator expects;
			// anything else (Yes, intervals) is refused with Reject.
			out.emplace_back(key, (key == "OFMarker" || key == "IFMarker") && value == "No"
						  ? "No"
						  : "Reject");
			break;
		case Rule::Special:
			if (key == "TaskReporting") {
				out.emplace_back(key, "RFC3720");	// the only one we implement
			} else {
				auto n = parse_u64(value);
				if (!n || *n > def->hi)
					out.emplace_back(key, "Reject");
				else
					out.emplace_back(key, std::to_string(std::min<uint64_t>(*n, 1)));
			}
			break;
		}
	}
	// FirstBurstLength may not exceed MaxBurstLength (§13.14): fix our answer.
	if (touched_burst && sess_.first_burst > sess_.max_burst) {
		sess_.first_burst = sess_.max_burst;
		for (auto &[k, v] : out)
			if (k == "FirstBurstLength")
				v = std::to_string(sess_.first_burst);
	}
	return out;
}

KeyValues Negotiator::pending_declarations()
{
	if (declared_mrdsl_)
		return {};
	declared_mrdsl_ = true;
	conn_.max_recv_dsl = ours_.max_recv_dsl;
	return {{"MaxRecvDataSegmentLength", std::to_string(ours_.max_recv_dsl)}};
}

SessionParams Negotiator::session() const
{
	SessionParams s = sess_;
	if (s.first_burst > s.max_burst)
		s.first_burst = s.max_burst;
	return s;
}

} // namespace iet
