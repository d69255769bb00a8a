#include "netlink.h"

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include <cerrno>
#include <cstring>
#include <ctime>

#include "log.h"

namespace iet {

namespace {

constexpr size_t kBufSize = 1 << 16;	// MNL_SOCKET_BUFFER_SIZE may be smaller than a dump batch

std::string errtext(int err) { return std::strerror(err); }

// libmnl's iteration macros assign void* (fine in C, not in C++): these
// walk attributes the same way with the library's bounds checks.
template <class F>
void for_each_attr(const nlmsghdr *nlh, size_t off, F f)
{
	const auto *a = static_cast<const nlattr *>(mnl_nlmsg_get_payload_offset(nlh, off));
	const char *tail = static_cast<const char *>(mnl_nlmsg_get_payload_tail(nlh));
	while (mnl_attr_ok(a, static_cast<int>(tail - reinterpret_cast<const char *>(a)))) {
		f(a);
		a = mnl_attr_next(a);
	}
}

template <class F>
void for_each_nested(const nlattr *nest, F f)
{
	const auto *a = static_cast<const nlattr *>(mnl_attr_get_payload(nest));
	const char *tail = static_cast<const char *>(mnl_attr_get_payload(nest)) + mnl_attr_get_payload_len(nest);
	while (mnl_attr_ok(a, static_cast<int>(tail - reinterpret_cast<const char *>(a)))) {
		f(a);
		a = mnl_attr_next(a);
	}
}


// Validate one attribute of a message of our family against its type
// (libmnl pattern: one callback per nesting level filling tb[]).
int attr_cb(const nlattr *attr, void *data)
{
	auto **tb = static_cast<const nlattr **>(data);
	int type = mnl_attr_get_type(attr);
	if (mnl_attr_type_valid(attr, IET_A_MAX) < 0)
		return MNL_CB_OK;	// newer kernel attribute: ignore
	mnl_attr_data_type t = MNL_TYPE_UNSPEC;
	switch (type) {
	case IET_A_TID:
	case IET_A_LUN:
	case IET_A_BLOCKSIZE:
	case IET_A_EXP_CMDSN:
	case IET_A_FD:
	case IET_A_STATSN:
	case IET_A_MAX_RECV_DSL:
	case IET_A_MAX_XMIT_DSL:
		t = MNL_TYPE_U32;
		break;
	case IET_A_BLOCKS:
	case IET_A_SIZE:
	case IET_A_SID:
		t = MNL_TYPE_U64;
		break;
	case IET_A_CID:
		t = MNL_TYPE_U16;
		break;
	case IET_A_IOTYPE:
	case IET_A_IOMODE:
	case IET_A_HDIGEST:
	case IET_A_DDIGEST:
	case IET_A_STATE:
		t = MNL_TYPE_U8;
		break;
	case IET_A_TARGET_NAME:
	case IET_A_PATH:
	case IET_A_INITIATOR_NAME:
	case IET_A_IP:
		t = MNL_TYPE_NUL_STRING;
		break;
	case IET_A_CONN:
	case IET_A_PARAMS:
		t = MNL_TYPE_NESTED;
		break;
	default:
		break;
	}
	if (t != MNL_TYPE_UNSPEC && mnl_attr_validate(attr, t) < 0)
		return MNL_CB_ERROR;	// malformed: refuse the whole message
	tb[type] = attr;
	return MNL_CB_OK;
}

std::string str_or(const nlattr *a, const char *dflt = "")
{
	return a ? std::string(mnl_attr_get_str(a)) : std::string(dflt);
}

} // namespace

struct NetlinkKernel::Msg {
	std::vector<char> buf = std::vector<char>(kBufSize);
	nlmsghdr *nlh = nullptr;
	bool dump = false;
	std::string extack;
};

NetlinkKernel::~NetlinkKernel()
{
	if (req_)
		mnl_socket_close(req_);
	if (evt_)
		mnl_socket_close(evt_);
}

int NetlinkKernel::event_fd() const { return evt_ ? mnl_socket_get_fd(evt_) : -1; }

namespace {

struct FamilyInfo {
	uint16_t id = 0;
	uint32_t group = 0;
};

int group_cb(const nlattr *attr, void *data)
{
	auto *fi = static_cast<FamilyInfo *>(data);
	const nlattr *tb[CTRL_ATTR_MCAST_GRP_MAX + 1] = {};
	for_each_nested(attr, [&](const nlattr *a) {
		int t = mnl_attr_get_type(a);
		if (t <= CTRL_ATTR_MCAST_GRP_MAX)
			tb[t] = a;
	});
	if (tb[CTRL_ATTR_MCAST_GRP_NAME] && tb[CTRL_ATTR_MCAST_GRP_ID] &&
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_NAME], MNL_TYPE_NUL_STRING) == 0 &&
	    mnl_attr_validate(tb[CTRL_ATTR_MCAST_GRP_ID], MNL_TYPE_U32) == 0 &&
	    std::strcmp(mnl_attr_get_str(tb[CTRL_ATTR_MCAST_GRP_NAME]), IET_GENL_MCGRP_EVENTS) == 0)
		fi->group = mnl_attr_get_u32(tb[CTRL_ATTR_MCAST_GRP_ID]);
	return MNL_CB_OK;
}

int family_cb(const nlmsghdr *nlh, void *data)
{
	auto *fi = static_cast<FamilyInfo *>(data);
	for_each_attr(nlh, sizeof(genlmsghdr), [&](const nlattr *a) {
		switch (mnl_attr_get_type(a)) {
		case CTRL_ATTR_FAMILY_ID:
			if (mnl_attr_validate(a, MNL_TYPE_U16) == 0)
				fi->id = mnl_attr_get_u16(a);
			break;
		case CTRL_ATTR_MCAST_GROUPS:
			for_each_nested(a, [&](const nlattr *g) { group_cb(g, fi); });
			break;
		}
	});
	return MNL_CB_OK;
}

} // namespace

Result<std::unique_ptr<NetlinkKernel>> NetlinkKernel::open(const char *family)
{
	std::unique_ptr<NetlinkKernel> k(new NetlinkKernel());
	k->req_ = mnl_socket_open(NETLINK_GENERIC);
	k->evt_ = mnl_socket_open(NETLINK_GENERIC);
	if (!k->req_ || !k->evt_)
		return fail("cannot open a generic netlink socket: " + errtext(errno), errno);
	if (mnl_socket_bind(k->req_, 0, MNL_SOCKET_AUTOPID) < 0 ||
	    mnl_socket_bind(k->evt_, 0, MNL_SOCKET_AUTOPID) < 0)
		return fail("cannot bind a netlink socket: " + errtext(errno), errno);
	int one = 1;
	// Ask for extended acks so the kernel's reason reaches the admin.
	mnl_socket_setsockopt(k->req_, NETLINK_EXT_ACK, &one, sizeof(one));
	mnl_socket_setsockopt(k->req_, NETLINK_CAP_ACK, &one, sizeof(one));
	k->seq_ = static_cast<uint32_t>(time(nullptr));

	std::vector<char> buf(kBufSize);
	nlmsghdr *nlh = mnl_nlmsg_put_header(buf.data());
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++k->seq_;
	auto *g = static_cast<genlmsghdr *>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	mnl_attr_put_strz(nlh, CTRL_ATTR_FAMILY_NAME, family);
	if (mnl_socket_sendto(k->req_, nlh, nlh->nlmsg_len) < 0)
		return fail("netlink send: " + errtext(errno), errno);
	FamilyInfo fi;
	uint32_t portid = mnl_socket_get_portid(k->req_);
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(k->req_, buf.data(), buf.size());
		if (n < 0)
			return fail("netlink receive: " + errtext(errno), errno);
		int r = mnl_cb_run(buf.data(), n, k->seq_, portid, family_cb, &fi);
		if (r < 0) {
			if (errno == ENOENT)
				return fail(std::string("generic netlink family \"") + family +
						"\" not found: is the iscsi_trgt module loaded? "
						"(modprobe iscsi_trgt)",
					    ENOENT);
			return fail(std::string("resolving family ") + family + ": " + errtext(errno), errno);
		}
		if (r == MNL_CB_STOP)
			break;
	}
	if (!fi.id)
		return fail(std::string("family ") + family + " has no id", EPROTO);
	k->family_ = fi.id;
	k->group_ = fi.group;
	if (!fi.group)
		log::warn(std::string("family ") + family +
			  " has no \"events\" group: ended sessions will not be noticed");
	else if (mnl_socket_setsockopt(k->evt_, NETLINK_ADD_MEMBERSHIP, &fi.group, sizeof(fi.group)) < 0)
		return fail("joining the events group: " + errtext(errno), errno);
	return k;
}

namespace {

nlmsghdr *start(std::vector<char> &buf, uint16_t family, uint8_t cmd, bool dump, uint32_t seq)
{
	nlmsghdr *nlh = mnl_nlmsg_put_header(buf.data());
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	nlh->nlmsg_seq = seq;
	auto *g = static_cast<genlmsghdr *>(mnl_nlmsg_put_extra_header(nlh, sizeof(genlmsghdr)));
	g->cmd = cmd;
	g->version = IET_GENL_VERSION;
	return nlh;
}

struct RunCtx {
	const std::function<void(const nlmsghdr *, const nlattr *const *tb)> *each;
	std::string *extack;
	int error = 0;
};

int data_cb(const nlmsghdr *nlh, void *data)
{
	auto *ctx = static_cast<RunCtx *>(data);
	const nlattr *tb[IET_A_MAX + 1] = {};
	if (mnl_attr_parse(nlh, sizeof(genlmsghdr), attr_cb, tb) < 0)
		return MNL_CB_ERROR;
	if (*ctx->each)
		(*ctx->each)(nlh, tb);
	return MNL_CB_OK;
}

// NLMSG_ERROR with its extack TLVs (the default handler drops the text).
int error_cb(const nlmsghdr *nlh, void *data)
{
	auto *ctx = static_cast<RunCtx *>(data);
	if (nlh->nlmsg_len < mnl_nlmsg_size(sizeof(nlmsgerr))) {
		errno = EBADMSG;
		return MNL_CB_ERROR;
	}
	const auto *e = static_cast<const nlmsgerr *>(mnl_nlmsg_get_payload(nlh));
	if (nlh->nlmsg_flags & NLM_F_ACK_TLVS) {
		size_t off = sizeof(nlmsgerr);
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
			off += e->msg.nlmsg_len - sizeof(nlmsghdr);
		for_each_attr(nlh, off, [&](const nlattr *a) {
			if (mnl_attr_get_type(a) == NLMSGERR_ATTR_MSG &&
			    mnl_attr_validate(a, MNL_TYPE_NUL_STRING) == 0)
				*ctx->extack = mnl_attr_get_str(a);
		});
	}
	if (e->error == 0)
		return MNL_CB_STOP;	// the ack
	ctx->error = -e->error;
	errno = -e->error;
	return MNL_CB_ERROR;
}

// End of a dump.  The kernel may put a negative errno in it when the dump
// failed part-way.  (With a control array, libmnl applies no default for
// types we leave empty: without this the loop would wait forever.)
int done_cb(const nlmsghdr *nlh, void *data)
{
	auto *ctx = static_cast<RunCtx *>(data);
	if (mnl_nlmsg_get_payload_len(nlh) >= sizeof(int)) {
		int err = *static_cast<const int *>(mnl_nlmsg_get_payload(nlh));
		if (err < 0) {
			ctx->error = -err;
			errno = -err;
			return MNL_CB_ERROR;
		}
	}
	return MNL_CB_STOP;
}

int overrun_cb(const nlmsghdr *, void *)
{
	errno = ENOSPC;
	return MNL_CB_ERROR;
}

} // namespace

void NetlinkKernel::drain()
{
	// A transaction that failed part-way (e.g. a malformed dump message)
	// leaves the rest of its answer queued: drop it so the next request
	// reads only its own answer.
	std::vector<char> buf(kBufSize);
	while (recv(mnl_socket_get_fd(req_), buf.data(), buf.size(), MSG_DONTWAIT) > 0)
		;
}

Result<void> NetlinkKernel::transact(Msg &m, const std::function<void(const nlmsghdr *, const nlattr *const *tb)> &each)
{
	drain();
	if (mnl_socket_sendto(req_, m.nlh, m.nlh->nlmsg_len) < 0)
		return fail("netlink send: " + errtext(errno), errno);
	RunCtx ctx{&each, &m.extack};
	mnl_cb_t ctl[NLMSG_MIN_TYPE] = {};
	ctl[NLMSG_ERROR] = error_cb;
	ctl[NLMSG_DONE] = done_cb;
	ctl[NLMSG_OVERRUN] = overrun_cb;
	uint32_t portid = mnl_socket_get_portid(req_);
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(req_, m.buf.data(), m.buf.size());
		if (n < 0)
			return fail("netlink receive: " + errtext(errno), errno);
		int r = mnl_cb_run2(m.buf.data(), n, m.nlh->nlmsg_seq, portid, data_cb, &ctx, ctl,
				    NLMSG_MIN_TYPE);
		if (r < 0) {
			int e = ctx.error ? ctx.error : errno;
			std::string msg = errtext(e);
			if (!m.extack.empty())
				msg = m.extack + " (" + msg + ")";
			return fail(msg, e);
		}
		if (r == MNL_CB_STOP)
			return {};
	}
}

Result<void> NetlinkKernel::target_new(uint32_t tid, const std::string &name)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_TARGET_NEW, false, ++seq_);
	mnl_attr_put_u32(m.nlh, IET_A_TID, tid);
	mnl_attr_put_strz(m.nlh, IET_A_TARGET_NAME, name.c_str());
	return transact(m, {});
}

Result<void> NetlinkKernel::lun_new(uint32_t tid, const LunConfig &l)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_LUN_NEW, false, ++seq_);
	mnl_attr_put_u32(m.nlh, IET_A_TID, tid);
	mnl_attr_put_u32(m.nlh, IET_A_LUN, l.lun);
	mnl_attr_put_u8(m.nlh, IET_A_IOTYPE, static_cast<uint8_t>(l.type));
	if (!l.path.empty())
		mnl_attr_put_strz(m.nlh, IET_A_PATH, l.path.c_str());
	mnl_attr_put_u8(m.nlh, IET_A_IOMODE, static_cast<uint8_t>(l.mode));
	mnl_attr_put_u32(m.nlh, IET_A_BLOCKSIZE, l.block_size);
	if (l.size)
		mnl_attr_put_u64(m.nlh, IET_A_SIZE, l.size);
	if (!l.scsi_id.empty())
		mnl_attr_put(m.nlh, IET_A_SCSI_ID, l.scsi_id.size(), l.scsi_id.data());
	if (!l.scsi_sn.empty())
		mnl_attr_put_strz(m.nlh, IET_A_SCSI_SN, l.scsi_sn.c_str());
	return transact(m, {});
}

Result<void> NetlinkKernel::session_new(const SessionNew &s)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_SESSION_NEW, false, ++seq_);
	mnl_attr_put_u32(m.nlh, IET_A_TID, s.tid);
	mnl_attr_put_u64(m.nlh, IET_A_SID, s.sid);
	mnl_attr_put_strz(m.nlh, IET_A_INITIATOR_NAME, s.initiator.c_str());
	mnl_attr_put_u32(m.nlh, IET_A_EXP_CMDSN, s.exp_cmdsn);
	nlattr *nest = mnl_attr_nest_start(m.nlh, IET_A_PARAMS);
	const SessionParams &p = s.params;
	mnl_attr_put_u8(m.nlh, IET_P_INITIAL_R2T, p.initial_r2t);
	mnl_attr_put_u8(m.nlh, IET_P_IMMEDIATE_DATA, p.immediate_data);
	mnl_attr_put_u32(m.nlh, IET_P_MAX_BURST_LENGTH, p.max_burst);
	mnl_attr_put_u32(m.nlh, IET_P_FIRST_BURST_LENGTH, p.first_burst);
	mnl_attr_put_u32(m.nlh, IET_P_MAX_OUTSTANDING_R2T, p.max_outstanding_r2t);
	mnl_attr_put_u8(m.nlh, IET_P_DATA_PDU_IN_ORDER, p.data_pdu_in_order);
	mnl_attr_put_u8(m.nlh, IET_P_DATA_SEQUENCE_IN_ORDER, p.data_sequence_in_order);
	mnl_attr_put_u8(m.nlh, IET_P_ERROR_RECOVERY_LEVEL, static_cast<uint8_t>(p.error_recovery_level));
	mnl_attr_put_u32(m.nlh, IET_P_MAX_CONNECTIONS, p.max_connections);
	mnl_attr_put_u32(m.nlh, IET_P_DEFAULT_TIME2WAIT, p.time2wait);
	mnl_attr_put_u32(m.nlh, IET_P_DEFAULT_TIME2RETAIN, p.time2retain);
	mnl_attr_put_u32(m.nlh, IET_P_QUEUED_CMDS, p.queued_cmds);
	mnl_attr_nest_end(m.nlh, nest);
	return transact(m, {});
}

Result<void> NetlinkKernel::session_del(uint32_t tid, uint64_t sid)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_SESSION_DEL, false, ++seq_);
	mnl_attr_put_u32(m.nlh, IET_A_TID, tid);
	mnl_attr_put_u64(m.nlh, IET_A_SID, sid);
	return transact(m, {});
}

Result<void> NetlinkKernel::conn_new(const ConnNew &c)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_CONN_NEW, false, ++seq_);
	mnl_attr_put_u32(m.nlh, IET_A_TID, c.tid);
	mnl_attr_put_u64(m.nlh, IET_A_SID, c.sid);
	mnl_attr_put_u16(m.nlh, IET_A_CID, c.cid);
	mnl_attr_put_u32(m.nlh, IET_A_FD, static_cast<uint32_t>(c.fd));
	mnl_attr_put_u32(m.nlh, IET_A_STATSN, c.statsn);
	mnl_attr_put_u8(m.nlh, IET_A_HDIGEST, static_cast<uint8_t>(c.params.header_digest));
	mnl_attr_put_u8(m.nlh, IET_A_DDIGEST, static_cast<uint8_t>(c.params.data_digest));
	mnl_attr_put_u32(m.nlh, IET_A_MAX_RECV_DSL, c.params.max_recv_dsl);
	mnl_attr_put_u32(m.nlh, IET_A_MAX_XMIT_DSL, c.params.max_xmit_dsl);
	return transact(m, {});
}

Result<std::vector<KTarget>> NetlinkKernel::targets()
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_TARGET_GET, true, ++seq_);
	std::vector<KTarget> out;
	auto r = transact(m, [&](const nlmsghdr *, const nlattr *const *tb) {
		if (!tb[IET_A_TID])
			return;
		out.push_back(KTarget{mnl_attr_get_u32(tb[IET_A_TID]), str_or(tb[IET_A_TARGET_NAME])});
	});
	if (!r)
		return std::unexpected(r.error());
	return out;
}

Result<std::vector<KLun>> NetlinkKernel::luns(std::optional<uint32_t> tid)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_LUN_GET, true, ++seq_);
	if (tid)
		mnl_attr_put_u32(m.nlh, IET_A_TID, *tid);
	std::vector<KLun> out;
	auto r = transact(m, [&](const nlmsghdr *, const nlattr *const *tb) {
		if (!tb[IET_A_TID] || !tb[IET_A_LUN])
			return;
		KLun l;
		l.tid = mnl_attr_get_u32(tb[IET_A_TID]);
		l.lun = mnl_attr_get_u32(tb[IET_A_LUN]);
		if (tb[IET_A_IOTYPE] && mnl_attr_get_u8(tb[IET_A_IOTYPE]) < __IET_IOTYPE_MAX)
			l.type = static_cast<iet_iotype>(mnl_attr_get_u8(tb[IET_A_IOTYPE]));
		if (tb[IET_A_IOMODE] && mnl_attr_get_u8(tb[IET_A_IOMODE]) < __IET_IOMODE_MAX)
			l.mode = static_cast<iet_iomode>(mnl_attr_get_u8(tb[IET_A_IOMODE]));
		l.path = str_or(tb[IET_A_PATH]);
		if (tb[IET_A_BLOCKSIZE])
			l.block_size = mnl_attr_get_u32(tb[IET_A_BLOCKSIZE]);
		if (tb[IET_A_BLOCKS])
			l.blocks = mnl_attr_get_u64(tb[IET_A_BLOCKS]);
		out.push_back(std::move(l));
	});
	if (!r)
		return std::unexpected(r.error());
	return out;
}

Result<std::vector<KSession>> NetlinkKernel::sessions(std::optional<uint32_t> tid)
{
	Msg m;
	m.nlh = start(m.buf, family_, IET_CMD_SESSION_GET, true, ++seq_);
	if (tid)
		mnl_attr_put_u32(m.nlh, IET_A_TID, *tid);
	std::vector<KSession> out;
	auto r = transact(m, [&](const nlmsghdr *nlh, const nlattr *const *tb) {
		if (!tb[IET_A_TID] || !tb[IET_A_SID])
			return;
		KSession s;
		s.tid = mnl_attr_get_u32(tb[IET_A_TID]);
		s.sid = mnl_attr_get_u64(tb[IET_A_SID]);
		s.initiator = str_or(tb[IET_A_INITIATOR_NAME]);
		// Several CONN nests per message: walk them all, not just tb[].
		for_each_attr(nlh, sizeof(genlmsghdr), [&](const nlattr *a) {
			if (mnl_attr_get_type(a) != IET_A_CONN)
				return;
			const nlattr *ct[IET_A_MAX + 1] = {};
			if (mnl_attr_parse_nested(a, attr_cb, ct) < 0)
				return;
			KConn c;
			if (ct[IET_A_CID])
				c.cid = mnl_attr_get_u16(ct[IET_A_CID]);
			c.ip = str_or(ct[IET_A_IP]);
			if (ct[IET_A_STATE] && mnl_attr_get_u8(ct[IET_A_STATE]) < __IET_CONN_STATE_MAX)
				c.state = static_cast<iet_conn_state>(mnl_attr_get_u8(ct[IET_A_STATE]));
			if (ct[IET_A_HDIGEST] && mnl_attr_get_u8(ct[IET_A_HDIGEST]) < __IET_DIGEST_MAX)
				c.header_digest = static_cast<iet_digest>(mnl_attr_get_u8(ct[IET_A_HDIGEST]));
			if (ct[IET_A_DDIGEST] && mnl_attr_get_u8(ct[IET_A_DDIGEST]) < __IET_DIGEST_MAX)
				c.data_digest = static_cast<iet_digest>(mnl_attr_get_u8(ct[IET_A_DDIGEST]));
			s.conns.push_back(std::move(c));
		});
		out.push_back(std::move(s));
	});
	if (!r)
		return std::unexpected(r.error());
	return out;
}

Result<std::vector<KernelEvent>> NetlinkKernel::read_events()
{
	std::vector<char> buf(kBufSize);
	ssize_t n = recv(mnl_socket_get_fd(evt_), buf.data(), buf.size(), MSG_DONTWAIT);
	if (n < 0) {
		if (errno == EAGAIN || errno == EWOULDBLOCK)
			return std::vector<KernelEvent>{};
		// ENOBUFS: events were lost; the caller resyncs from a dump.
		return fail("events socket: " + errtext(errno), errno);
	}
	std::vector<KernelEvent> out;
	auto *nlh = reinterpret_cast<const nlmsghdr *>(buf.data());
	int len = static_cast<int>(n);
	while (mnl_nlmsg_ok(nlh, len)) {
		if (nlh->nlmsg_type == family_ &&
		    nlh->nlmsg_len >= mnl_nlmsg_size(sizeof(genlmsghdr))) {
			const auto *g = static_cast<const genlmsghdr *>(mnl_nlmsg_get_payload(nlh));
			const nlattr *tb[IET_A_MAX + 1] = {};
			if (mnl_attr_parse(nlh, sizeof(genlmsghdr), attr_cb, tb) >= 0 && tb[IET_A_TID] &&
			    tb[IET_A_SID]) {
				KernelEvent e{KernelEvent::Kind::SessionEnded, mnl_attr_get_u32(tb[IET_A_TID]),
					      mnl_attr_get_u64(tb[IET_A_SID]), 0};
				if (g->cmd == IET_CMD_EVENT_CONN_CLOSED) {
					e.kind = KernelEvent::Kind::ConnClosed;
					if (tb[IET_A_CID])
						e.cid = mnl_attr_get_u16(tb[IET_A_CID]);
					out.push_back(e);
				} else if (g->cmd == IET_CMD_EVENT_SESSION_ENDED) {
					out.push_back(e);
				}
			}
		}
		nlh = mnl_nlmsg_next(nlh, &len);
	}
	return out;
}

} // namespace iet
