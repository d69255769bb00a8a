#include "admin.h"

#include "log.h"

namespace iet {

namespace {

const char *iotype_name(iet_iotype t)
{
	switch (t) {
	case IET_IOTYPE_FILEIO: return "fileio";
	case IET_IOTYPE_BLOCKIO: return "blockio";
	case IET_IOTYPE_NULLIO: return "nullio";
	default: return "unknown";
	}
}

const char *iomode_name(iet_iomode m)
{
	switch (m) {
	case IET_IOMODE_WT: return "wt";
	case IET_IOMODE_WB: return "wb";
	case IET_IOMODE_RO: return "ro";
	default: return "unknown";
	}
}

const char *digest_name(iet_digest d) { return d == IET_DIGEST_CRC32C ? "crc32c" : "none"; }

const char *state_name(iet_conn_state s)
{
	switch (s) {
	case IET_CONN_ACTIVE: return "active";
	case IET_CONN_CLOSING: return "closing";
	default: return "unknown";
	}
}

std::string digests(const std::vector<iet_digest> &d)
{
	std::string s;
	for (auto x : d) {
		if (!s.empty())
			s += ",";
		s += x == IET_DIGEST_CRC32C ? "CRC32C" : "None";
	}
	return s;
}

admin::Response error(std::string msg)
{
	admin::Response r;
	r.error = std::move(msg);
	return r;
}

} // namespace

std::vector<std::pair<std::string, std::string>> target_param_list(const TargetParams &p)
{
	auto yn = [](bool b) { return std::string(b ? "Yes" : "No"); };
	return {
	    {"InitialR2T", yn(p.initial_r2t)},
	    {"ImmediateData", yn(p.immediate_data)},
	    {"MaxConnections", std::to_string(p.max_connections)},
	    {"MaxRecvDataSegmentLength", std::to_string(p.max_recv_dsl)},
	    {"MaxXmitDataSegmentLength", std::to_string(p.max_xmit_dsl)},
	    {"MaxBurstLength", std::to_string(p.max_burst)},
	    {"FirstBurstLength", std::to_string(p.first_burst)},
	    {"DefaultTime2Wait", std::to_string(p.time2wait)},
	    {"DefaultTime2Retain", std::to_string(p.time2retain)},
	    {"MaxOutstandingR2T", std::to_string(p.max_outstanding_r2t)},
	    {"DataPDUInOrder", yn(p.data_pdu_in_order)},
	    {"DataSequenceInOrder", yn(p.data_sequence_in_order)},
	    {"ErrorRecoveryLevel", std::to_string(p.error_recovery_level)},
	    {"HeaderDigest", digests(p.header_digest)},
	    {"DataDigest", digests(p.data_digest)},
	    {"OFMarker", "No"},
	    {"IFMarker", "No"},
	    {"Wthreads", std::to_string(p.wthreads)},
	    {"QueuedCommands", std::to_string(p.queued_cmds)},
	    {"NOPInterval", std::to_string(p.nop_interval)},
	    {"NOPTimeout", std::to_string(p.nop_timeout)},
	};
}

admin::Response handle_admin(const admin::Request &req, KernelLink &kernel, const Config &config)
{
	if (req.op != "show")
		return error("--op " + req.op + " is not supported yet");
	if (req.user || req.redirect || req.sid || req.cid || req.lun || !req.params.empty())
		return error("this form of --op show is not supported yet");

	auto targets = kernel.targets();
	if (!targets)
		return error("kernel: " + targets.error().msg);

	admin::Response resp;
	if (req.tid) {
		// Parameters of one target: what ietd offers in negotiation.
		const KTarget *kt = nullptr;
		for (const auto &t : *targets)
			if (t.tid == *req.tid)
				kt = &t;
		if (!kt)
			return error("no target with tid " + std::to_string(*req.tid));
		const TargetConfig *tc = config.find(kt->name);
		resp.params = target_param_list(tc ? tc->params : TargetParams{});
		return resp;
	}

	auto luns = kernel.luns(std::nullopt);
	if (!luns)
		return error("kernel: " + luns.error().msg);
	auto sessions = kernel.sessions(std::nullopt);
	if (!sessions)
		return error("kernel: " + sessions.error().msg);
	for (const auto &kt : *targets) {
		admin::Target t;
		t.tid = kt.tid;
		t.name = kt.name;
		for (const auto &l : *luns)
			if (l.tid == kt.tid)
				t.luns.push_back(admin::Lun{l.lun, iotype_name(l.type), iomode_name(l.mode),
							    l.path, l.blocks, l.block_size});
		for (const auto &s : *sessions) {
			if (s.tid != kt.tid)
				continue;
			admin::Session as{s.sid, s.initiator, {}};
			for (const auto &c : s.conns)
				as.connections.push_back(admin::Conn{c.cid, c.ip, state_name(c.state),
								     digest_name(c.header_digest),
								     digest_name(c.data_digest)});
			t.sessions.push_back(std::move(as));
		}
		resp.targets.push_back(std::move(t));
	}
	return resp;
}

std::string handle_admin_line(const std::string &line, KernelLink &kernel, const Config &config)
{
	admin::Response resp;
	try {
		auto req = nlohmann::json::parse(line).get<admin::Request>();
		resp = handle_admin(req, kernel, config);
	} catch (const nlohmann::json::exception &e) {
		resp = error(std::string("bad request: ") + e.what());
	}
	// Names come from the wire and error texts echo the request: never let
	// a byte that is not UTF-8 throw out of dump() and end the daemon.
	return nlohmann::json(resp).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) +
	       "\n";
}

} // namespace iet
