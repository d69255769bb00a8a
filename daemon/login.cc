#include "login.h"

#include <algorithm>
#include <cstdio>
#include <cstring>

#include "log.h"

namespace iet {

LoginConn::LoginConn(LoginEnv env, IpAddr local, uint16_t local_port, IpAddr peer)
    : env_(std::move(env)), local_(local), peer_(peer), local_port_(local_port)
{
}

std::string LoginConn::who() const
{
	std::string w = initiator_.empty() ? std::string("unknown initiator") : initiator_;
	w += " from " + peer_.to_string();
	if (!target_name_.empty())
		w += " to " + target_name_;
	else if (kind_ == SessionKind::Discovery)
		w += " (discovery)";
	return w;
}

bool LoginConn::auth_required() const
{
	if (kind_ == SessionKind::Discovery)
		return !env_.config->discovery_incoming.empty();
	return target_ && !target_->incoming.empty();
}

std::vector<uint8_t> LoginConn::login_rsp(uint8_t flags, uint8_t cls, uint8_t detail,
					  const std::vector<uint8_t> &data, uint16_t tsih)
{
	Pdu p;
	auto &h = p.as<iet_login_rsp_hdr>();
	h.opcode = IET_OP_LOGIN_RSP;
	h.flags = flags;
	h.max_version = 0;
	h.active_version = 0;
	std::memcpy(h.isid, isid_, IET_ISID_LEN);
	be16_put(h.tsih, tsih);
	be32_put(h.itt, itt_);
	be32_put(h.statsn, statsn_++);
	be32_put(h.exp_cmdsn, exp_cmdsn_);
	// Login is immediate and a window of one is all the login phase needs;
	// the full window opens with the final response (below).
	uint32_t window = 1;
	if ((flags & IET_LOGIN_FLAG_TRANSIT) && (flags & IET_LOGIN_NSG_MASK) == IET_STAGE_FULL_FEATURE &&
	    cls == IET_LOGIN_STATUS_SUCCESS && kind_ == SessionKind::Normal && target_)
		window = target_->params.queued_cmds;
	be32_put(h.max_cmdsn, exp_cmdsn_ + window - 1);
	h.status_class = cls;
	h.status_detail = detail;
	p.data = data;
	return encode_pdu(p);
}

LoginOutput LoginConn::refuse(uint8_t cls, uint8_t detail, const std::string &why)
{
	char code[8];
	std::snprintf(code, sizeof(code), "%02x%02x", cls, detail);
	log::warn("login refused (status 0x" + std::string(code) + "): " + who() + ": " + why);
	LoginOutput out;
	// A failed login response keeps CSG, clears T (§11.13.5).
	out.bytes = login_rsp(static_cast<uint8_t>(stage_ << IET_LOGIN_CSG_SHIFT), cls, detail, {}, 0);
	out.next = LoginOutput::Next::Close;
	state_ = State::Done;
	return out;
}

LoginOutput LoginConn::on_pdu(const Pdu &pdu)
{
	switch (state_) {
	case State::Login:
		return on_login(pdu);
	case State::DiscoveryFfp:
		return on_discovery(pdu);
	case State::Done:
		break;
	}
	return LoginOutput{{}, LoginOutput::Next::Close, {}, {}};
}

namespace {

// Keys the login layer handles itself; everything else goes to the negotiator.
bool login_key(const std::string &k)
{
	return k == "InitiatorName" || k == "InitiatorAlias" || k == "TargetName" ||
	       k == "SessionType" || k == "AuthMethod" || k == "TargetAlias" ||
	       k == "TargetAddress" || k == "TargetPortalGroupTag";
}

const std::string *find_key(const KeyValues &kv, const char *key)
{
	for (const auto &[k, v] : kv)
		if (k == key)
			return &v;
	return nullptr;
}

} // namespace

LoginOutput LoginConn::on_login(const Pdu &pdu)
{
	if (pdu.opcode() != IET_OP_LOGIN_REQ) {
		// Nothing but Login Requests before full feature phase (§6): a
		// protocol error by the peer; drop the connection.
		log::warn("non-login PDU (opcode 0x" + std::to_string(pdu.opcode()) +
			  ") during login from " + peer_.to_string() + ": closing");
		state_ = State::Done;
		return LoginOutput{{}, LoginOutput::Next::Close, {}, {}};
	}
	const auto &req = pdu.as<iet_login_req_hdr>();
	bool transit = req.flags & IET_LOGIN_FLAG_TRANSIT;
	bool cont = req.flags & IET_LOGIN_FLAG_CONTINUE;
	int csg = (req.flags & IET_LOGIN_CSG_MASK) >> IET_LOGIN_CSG_SHIFT;
	int nsg = req.flags & IET_LOGIN_NSG_MASK;

	if (first_) {
		first_ = false;
		std::memcpy(isid_, req.isid, IET_ISID_LEN);
		tsih_ = be16_get(req.tsih);
		cid_ = be16_get(req.cid);
		itt_ = be32_get(req.itt);
		// The first StatSN is ours to pick; following the initiator's
		// ExpStatSN keeps it happy (IET does the same).
		statsn_ = be32_get(req.exp_statsn);
		exp_cmdsn_ = be32_get(req.cmdsn);
		stage_ = csg;
		if (req.min_version > 0)
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_NO_VERSION,
				      "unsupported version range " + std::to_string(req.min_version) + "-" +
					  std::to_string(req.max_version));
	} else {
		itt_ = be32_get(req.itt);
		if (std::memcmp(isid_, req.isid, IET_ISID_LEN) != 0 || tsih_ != be16_get(req.tsih) ||
		    cid_ != be16_get(req.cid))
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INVALID_REQUEST,
				      "ISID/TSIH/CID changed during login");
	}
	if (transit && cont)
		return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INVALID_REQUEST,
			      "T and C bits both set");
	if (csg != stage_ || csg == 2 || csg == IET_STAGE_FULL_FEATURE)
		return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INVALID_REQUEST,
			      "bad current stage " + std::to_string(csg));
	if (transit && (nsg == 2 || nsg <= csg))
		return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INVALID_REQUEST,
			      "bad next stage " + std::to_string(nsg));

	auto done = text_.add(pdu.data, cont);
	if (!done)
		return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INIT_ERR, done.error().msg);
	if (!*done) {
		// More text follows: acknowledge with an empty response (§6.1).
		LoginOutput out;
		out.bytes = login_rsp(static_cast<uint8_t>(stage_ << IET_LOGIN_CSG_SHIFT), 0, 0, {}, 0);
		return out;
	}
	auto kv = text_.take();
	if (!kv)
		return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INIT_ERR, kv.error().msg);

	KeyValues answer;
	bool first_keys = !neg_.has_value();
	if (first_keys) {
		const std::string *in = find_key(*kv, "InitiatorName");
		if (!in || in->empty())
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_MISSING_PARAM,
				      "no InitiatorName");
		// Checked before any allow-list regex sees it or a log line prints it.
		if (!valid_iscsi_name(*in))
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INIT_ERR,
				      "malformed InitiatorName");
		initiator_ = *in;
		if (const std::string *a = find_key(*kv, "InitiatorAlias"))
			alias_ = *a;
		const std::string *st = find_key(*kv, "SessionType");
		if (st && *st == "Discovery")
			kind_ = SessionKind::Discovery;
		else if (st && *st != "Normal")
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_SESSION_TYPE,
				      "bad SessionType " + *st);
		if (kind_ == SessionKind::Normal) {
			const std::string *tn = find_key(*kv, "TargetName");
			if (!tn || tn->empty())
				return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_MISSING_PARAM,
					      "no TargetName");
			target_name_ = *tn;
			target_ = env_.config->find(*tn);
			tid_ = target_ ? env_.tid_of(target_->name) : 0;
			if (!target_ || tid_ == 0 || !env_.target_allowed(target_->name, local_))
				return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_TGT_NOT_FOUND,
					      "no such target");
			if (!env_.initiator_allowed(target_->name, peer_, initiator_))
				return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_TGT_FORBIDDEN,
					      "not allowed by initiators.allow");
			if (target_->params.max_sessions &&
			    env_.sessions->count(tid_) >= target_->params.max_sessions && tsih_ == 0 &&
			    !env_.sessions->find(tid_, initiator_, make_sid(isid_, 0) >> 16))
				return refuse(IET_LOGIN_STATUS_TARGET_ERR, IET_LOGIN_DETAIL_NO_RESOURCES,
					      "MaxSessions reached");
			neg_.emplace(target_->params, kind_);
		} else {
			neg_.emplace(TargetParams{}, kind_);
		}
		if (tsih_ != 0) {
			// Adding a connection to a session (MC/S) is not supported yet.
			if (kind_ == SessionKind::Normal && env_.sessions->find_tsih(tid_, tsih_))
				return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_ISID_ERROR,
					      "more than one connection per session is not supported");
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_NO_SESSION,
				      "no session with TSIH " + std::to_string(tsih_));
		}
		if (auth_required())
			return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_AUTH_FAILED,
				      "IncomingUser is set but CHAP is not implemented yet; "
				      "refusing rather than letting an unauthenticated initiator in");
		if (kind_ == SessionKind::Normal) {
			// §13.9: the target returns its portal group tag in the first response.
			answer.emplace_back("TargetPortalGroupTag", "1");
			if (!target_->alias.empty())
				answer.emplace_back("TargetAlias", target_->alias);
			sent_tpgt_ = true;
		}
	}

	KeyValues ops;
	for (const auto &[k, v] : *kv) {
		if (!login_key(k)) {
			ops.emplace_back(k, v);
			continue;
		}
		if (k == "AuthMethod") {
			if (stage_ != IET_STAGE_SECURITY) {
				answer.emplace_back(k, "Irrelevant");
				continue;
			}
			bool none = false;
			size_t pos = 0;
			while (pos <= v.size()) {
				size_t c = v.find(',', pos);
				if (v.substr(pos, c == std::string::npos ? std::string::npos : c - pos) == "None")
					none = true;
				pos = c == std::string::npos ? v.size() + 1 : c + 1;
			}
			if (!none)
				return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_AUTH_FAILED,
					      "initiator offers only AuthMethod=" + v + "; we offer None");
			answer.emplace_back(k, "None");
		}
		// InitiatorName etc.: declarative, no answer.
	}
	auto neg = neg_->answer(ops);
	if (!neg)
		return refuse(IET_LOGIN_STATUS_INITIATOR_ERR, IET_LOGIN_DETAIL_INIT_ERR, neg.error().msg);
	answer.insert(answer.end(), neg->begin(), neg->end());
	if (stage_ == IET_STAGE_OPERATIONAL || (transit && nsg == IET_STAGE_FULL_FEATURE)) {
		auto decl = neg_->pending_declarations();
		answer.insert(answer.end(), decl.begin(), decl.end());
	}

	uint8_t flags = static_cast<uint8_t>(stage_ << IET_LOGIN_CSG_SHIFT);
	if (transit)
		flags |= IET_LOGIN_FLAG_TRANSIT | static_cast<uint8_t>(nsg);
	std::vector<uint8_t> data = encode_text(answer);
	if (data.size() > 8192)
		return refuse(IET_LOGIN_STATUS_TARGET_ERR, IET_LOGIN_DETAIL_TARGET_ERROR,
			      "login response too long");

	if (transit && nsg == IET_STAGE_FULL_FEATURE)
		return finish_normal(std::move(data), flags);
	LoginOutput out;
	out.bytes = login_rsp(flags, 0, 0, data, 0);
	if (transit)
		stage_ = nsg;
	return out;
}

LoginOutput LoginConn::finish_normal(std::vector<uint8_t> data, uint8_t flags)
{
	if (kind_ == SessionKind::Discovery) {
		LoginOutput out;
		out.bytes = login_rsp(flags, 0, 0, data, 0);
		state_ = State::DiscoveryFfp;
		stage_ = IET_STAGE_FULL_FEATURE;
		max_data_ = neg_->conn().max_recv_dsl;
		log::info("discovery login accepted: " + who());
		return out;
	}
	// Session reinstatement (§6.3.5): same initiator name + ISID, TSIH 0:
	// the old session goes first.
	uint64_t isid = make_sid(isid_, 0) >> 16;
	if (auto old = env_.sessions->find(tid_, initiator_, isid)) {
		log::info("reinstating session " + std::to_string(old->sid) + " of " + initiator_);
		auto r = env_.kernel->session_del(old->tid, old->sid);
		if (!r && r.error().err != ENOENT)
			return refuse(IET_LOGIN_STATUS_TARGET_ERR, IET_LOGIN_DETAIL_TARGET_ERROR,
				      "cannot end the old session: " + r.error().msg);
		env_.sessions->remove(old->tid, old->sid);
	}
	uint16_t tsih = env_.sessions->alloc_tsih(tid_);
	if (tsih == 0)
		return refuse(IET_LOGIN_STATUS_TARGET_ERR, IET_LOGIN_DETAIL_NO_RESOURCES, "no free TSIH");
	uint64_t sid = make_sid(isid_, tsih);

	SessionNew sn;
	sn.tid = tid_;
	sn.sid = sid;
	sn.initiator = initiator_;
	sn.exp_cmdsn = exp_cmdsn_;
	sn.params = neg_->session();
	sn.params.queued_cmds = target_->params.queued_cmds;
	// Create the session before answering so a kernel failure can still be
	// reported to the initiator as a target error instead of a reset.
	auto r = env_.kernel->session_new(sn);
	if (!r)
		return refuse(IET_LOGIN_STATUS_TARGET_ERR, IET_LOGIN_DETAIL_TARGET_ERROR,
			      "kernel refused the session: " + r.error().msg);

	LoginOutput out;
	out.bytes = login_rsp(flags, 0, 0, data, tsih);	// carries StatSN s, consumes it
	ConnNew cn;
	cn.tid = tid_;
	cn.sid = sid;
	cn.cid = cid_;
	cn.statsn = statsn_;	// s + 1: the next StatSN the kernel sends
	cn.params = neg_->conn();
	out.handoff = cn;
	out.session = SessionEntry{tid_, sid, initiator_};
	out.next = LoginOutput::Next::Handoff;
	state_ = State::Done;
	log::info("login accepted: " + who() + " (sid " + std::to_string(sid) + ", cid " +
		  std::to_string(cid_) + ")");
	return out;
}

KeyValues LoginConn::send_targets(const std::string &which) const
{
	KeyValues kv;
	std::string addr = local_.to_string() + ":" + std::to_string(local_port_) + ",1";
	for (const auto &t : env_.config->targets) {
		if (which != "All" && !iequals(which, t.name))
			continue;
		if (env_.tid_of(t.name) == 0 || !env_.target_allowed(t.name, local_) ||
		    !env_.initiator_allowed(t.name, peer_, initiator_))
			continue;
		kv.emplace_back("TargetName", t.name);
		kv.emplace_back("TargetAddress", addr);
	}
	return kv;
}

std::vector<uint8_t> LoginConn::text_rsp_chunk(uint32_t itt)
{
	size_t limit = neg_->conn().max_xmit_dsl;
	size_t left = pending_text_.size() - pending_off_;
	size_t n = std::min(left, limit);
	Pdu p;
	auto &h = p.as<iet_text_rsp_hdr>();
	h.opcode = IET_OP_TEXT_RSP;
	be32_put(h.itt, itt);
	p.data.assign(pending_text_.begin() + pending_off_, pending_text_.begin() + pending_off_ + n);
	pending_off_ += n;
	if (pending_off_ < pending_text_.size()) {
		// More to come: C bit, and a TTT the initiator echoes to ask for it.
		h.flags = IET_TEXT_FLAG_CONTINUE;
		cur_ttt_ = next_ttt_++;
		if (next_ttt_ == IET_RESERVED_TAG)
			next_ttt_ = 1;
		be32_put(h.ttt, cur_ttt_);
	} else {
		h.flags = IET_FLAG_FINAL;
		be32_put(h.ttt, IET_RESERVED_TAG);
		cur_ttt_ = IET_RESERVED_TAG;
		pending_text_.clear();
		pending_off_ = 0;
	}
	be32_put(h.statsn, statsn_++);
	be32_put(h.exp_cmdsn, exp_cmdsn_);
	be32_put(h.max_cmdsn, exp_cmdsn_);
	return encode_pdu(p);
}

LoginOutput LoginConn::on_discovery(const Pdu &pdu)
{
	LoginOutput out;
	bool immediate = pdu.bhs.opcode & IET_OP_IMMEDIATE;
	switch (pdu.opcode()) {
	case IET_OP_TEXT_REQ: {
		const auto &req = pdu.as<iet_text_req_hdr>();
		uint32_t ttt = be32_get(req.ttt);
		if (!immediate)
			exp_cmdsn_++;
		if (ttt != IET_RESERVED_TAG) {
			// Continuation of our long answer: must be the TTT we gave.
			if (ttt != cur_ttt_ || pending_text_.empty()) {
				log::warn("discovery: unexpected text TTT from " + peer_.to_string());
				state_ = State::Done;
				out.next = LoginOutput::Next::Close;
				return out;
			}
			out.bytes = text_rsp_chunk(be32_get(req.itt));
			return out;
		}
		auto done = text_.add(pdu.data, req.flags & IET_TEXT_FLAG_CONTINUE);
		if (!done) {
			log::warn("discovery: " + done.error().msg + " from " + peer_.to_string());
			state_ = State::Done;
			out.next = LoginOutput::Next::Close;
			return out;
		}
		KeyValues answer;
		if (*done) {
			auto kv = text_.take();
			if (!kv) {
				log::warn("discovery: " + kv.error().msg + " from " + peer_.to_string());
				state_ = State::Done;
				out.next = LoginOutput::Next::Close;
				return out;
			}
			for (const auto &[k, v] : *kv) {
				if (k == "SendTargets") {
					auto st = send_targets(v);
					answer.insert(answer.end(), st.begin(), st.end());
				} else {
					answer.emplace_back(k, "NotUnderstood");
				}
			}
		}
		pending_text_ = encode_text(answer);
		pending_off_ = 0;
		out.bytes = text_rsp_chunk(be32_get(req.itt));
		return out;
	}
	case IET_OP_LOGOUT_REQ: {
		const auto &req = pdu.as<iet_logout_req_hdr>();
		if (!immediate)
			exp_cmdsn_++;
		Pdu p;
		auto &h = p.as<iet_logout_rsp_hdr>();
		h.opcode = IET_OP_LOGOUT_RSP;
		h.flags = IET_FLAG_FINAL;
		h.response = IET_LOGOUT_RSP_SUCCESS;
		be32_put(h.itt, be32_get(req.itt));
		be32_put(h.statsn, statsn_++);
		be32_put(h.exp_cmdsn, exp_cmdsn_);
		be32_put(h.max_cmdsn, exp_cmdsn_);
		out.bytes = encode_pdu(p);
		out.next = LoginOutput::Next::Close;
		state_ = State::Done;
		log::info("discovery logout: " + who());
		return out;
	}
	case IET_OP_NOP_OUT: {
		const auto &req = pdu.as<iet_nop_out_hdr>();
		if (!immediate)
			exp_cmdsn_++;
		if (be32_get(req.itt) == IET_RESERVED_TAG)
			return out;	// a NOP-Out that wants no answer
		Pdu p;
		auto &h = p.as<iet_nop_in_hdr>();
		h.opcode = IET_OP_NOP_IN;
		h.flags = IET_FLAG_FINAL;
		be32_put(h.itt, be32_get(req.itt));
		be32_put(h.ttt, IET_RESERVED_TAG);
		be32_put(h.statsn, statsn_++);
		be32_put(h.exp_cmdsn, exp_cmdsn_);
		be32_put(h.max_cmdsn, exp_cmdsn_);
		p.data = pdu.data;	// ping data comes back (§11.19)
		out.bytes = encode_pdu(p);
		return out;
	}
	default: {
		// Anything else has no place in a discovery session: Reject it
		// (§11.17) with the offending header, and go on.
		Pdu p;
		auto &h = p.as<iet_reject_hdr>();
		h.opcode = IET_OP_REJECT;
		h.flags = IET_FLAG_FINAL;
		h.reason = IET_REJECT_PROTOCOL_ERROR;
		be32_put(h.ffffffff, IET_RESERVED_TAG);
		be32_put(h.statsn, statsn_++);
		be32_put(h.exp_cmdsn, exp_cmdsn_);
		be32_put(h.max_cmdsn, exp_cmdsn_);
		const auto *b = reinterpret_cast<const uint8_t *>(&pdu.bhs);
		p.data.assign(b, b + IET_BHS_LEN);
		out.bytes = encode_pdu(p);
		return out;
	}
	}
}

} // namespace iet
