// SPDX-License-Identifier: GPL-2.0-only
/*
 * netlink.c - the "iscsi_trgt" generic netlink family, exactly as
 * include/iet_netlink.h documents it (net/handshake/genl.c is the model):
 * strict policies on every attribute, GENL_ADMIN_PERM on every change,
 * dumps for lists, extack messages, and the "events" multicast group.
 */
#include <linux/file.h>
#include <linux/net.h>
#include <linux/tcp.h>
#include <net/genetlink.h>
#include <net/sock.h>

#include "conn_internal.h"

/* 6.1 policies keep min/max in s16: larger ranges need a range struct. */
static struct netlink_range_validation iet_len_range = {
	.min = 512, .max = IET_MAX_DSL,
};
static struct netlink_range_validation iet_fd_range = {
	.min = 0, .max = INT_MAX,
};
static struct netlink_range_validation iet_u16_range = {
	.min = 1, .max = 65535,
};

static const struct nla_policy iet_param_policy[IET_P_MAX + 1] = {
	[IET_P_INITIAL_R2T]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IET_P_IMMEDIATE_DATA]		= NLA_POLICY_MAX(NLA_U8, 1),
	[IET_P_MAX_BURST_LENGTH]	= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_len_range),
	[IET_P_FIRST_BURST_LENGTH]	= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_len_range),
	[IET_P_MAX_OUTSTANDING_R2T]	= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_u16_range),
	[IET_P_DATA_PDU_IN_ORDER]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IET_P_DATA_SEQUENCE_IN_ORDER]	= NLA_POLICY_MAX(NLA_U8, 1),
	[IET_P_ERROR_RECOVERY_LEVEL]	= NLA_POLICY_MAX(NLA_U8, 2),
	[IET_P_MAX_CONNECTIONS]		= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_u16_range),
	[IET_P_DEFAULT_TIME2WAIT]	= NLA_POLICY_MAX(NLA_U32, 3600),
	[IET_P_DEFAULT_TIME2RETAIN]	= NLA_POLICY_MAX(NLA_U32, 3600),
	[IET_P_QUEUED_CMDS]		= NLA_POLICY_RANGE(NLA_U32, 1, IET_QUEUED_CMDS_MAX),
};

static const struct nla_policy iet_policy[IET_A_MAX + 1] = {
	[IET_A_TID]		= NLA_POLICY_MIN(NLA_U32, 1),
	[IET_A_TARGET_NAME]	= { .type = NLA_NUL_STRING, .len = IET_NAME_MAX - 1 },
	[IET_A_LUN]		= NLA_POLICY_MAX(NLA_U32, IET_LUN_MAX),
	[IET_A_IOTYPE]		= NLA_POLICY_MAX(NLA_U8, __IET_IOTYPE_MAX - 1),
	[IET_A_IOMODE]		= NLA_POLICY_MAX(NLA_U8, __IET_IOMODE_MAX - 1),
	[IET_A_PATH]		= { .type = NLA_NUL_STRING, .len = IET_PATH_MAX - 1 },
	[IET_A_BLOCKSIZE]	= NLA_POLICY_RANGE(NLA_U32, 512, 4096),
	[IET_A_BLOCKS]		= { .type = NLA_REJECT },	/* dump only */
	[IET_A_SIZE]		= { .type = NLA_U64 },
	[IET_A_SCSI_ID]		= { .type = NLA_BINARY, .len = IET_SCSI_ID_MAX },
	[IET_A_SCSI_SN]		= { .type = NLA_NUL_STRING, .len = IET_SCSI_SN_MAX },
	[IET_A_SID]		= { .type = NLA_U64 },
	[IET_A_INITIATOR_NAME]	= { .type = NLA_NUL_STRING, .len = IET_NAME_MAX - 1 },
	[IET_A_EXP_CMDSN]	= { .type = NLA_U32 },
	[IET_A_PARAMS]		= NLA_POLICY_NESTED(iet_param_policy),
	[IET_A_CID]		= { .type = NLA_U16 },
	[IET_A_FD]		= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_fd_range),
	[IET_A_STATSN]		= { .type = NLA_U32 },
	[IET_A_HDIGEST]		= NLA_POLICY_MAX(NLA_U8, __IET_DIGEST_MAX - 1),
	[IET_A_DDIGEST]		= NLA_POLICY_MAX(NLA_U8, __IET_DIGEST_MAX - 1),
	[IET_A_MAX_RECV_DSL]	= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_len_range),
	[IET_A_MAX_XMIT_DSL]	= NLA_POLICY_FULL_RANGE(NLA_U32, &iet_len_range),
	[IET_A_CONN]		= { .type = NLA_REJECT },	/* dump only */
	[IET_A_IP]		= { .type = NLA_REJECT },	/* dump only */
	[IET_A_STATE]		= { .type = NLA_REJECT },	/* dump only */
	[IET_A_PAD]		= { .type = NLA_REJECT },
};

static struct genl_family iet_genl_family;
static bool iet_genl_registered;

enum { IET_MCGRP_EVENTS };

static const struct genl_multicast_group iet_mcgrps[] = {
	[IET_MCGRP_EVENTS] = { .name = IET_GENL_MCGRP_EVENTS },
};

/* Required attributes, with a message that names the missing one. */
static bool iet_need(struct genl_info *info, int attr)
{
	if (info->attrs[attr])
		return true;
	GENL_SET_ERR_MSG(info, "missing required attribute");
	NL_SET_ERR_ATTR_MISS(info->extack, NULL, attr);
	return false;
}

static struct iet_target *iet_nl_target(struct genl_info *info)
{
	struct iet_target *t;

	if (!iet_need(info, IET_A_TID))
		return NULL;
	t = iet_target_find(nla_get_u32(info->attrs[IET_A_TID]));
	if (!t)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_TID],
				    "no such target");
	return t;
}

/* ---------------------------------------------------------------- target */

static int iet_nl_target_new(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (!iet_need(info, IET_A_TID) || !iet_need(info, IET_A_TARGET_NAME))
		return -EINVAL;
	if (!nla_len(info->attrs[IET_A_TARGET_NAME]) ||
	    !*(char *)nla_data(info->attrs[IET_A_TARGET_NAME])) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_TARGET_NAME],
				    "empty target name");
		return -EINVAL;
	}
	mutex_lock(&iet_ctl_mutex);
	err = iet_target_add(nla_get_u32(info->attrs[IET_A_TID]),
			     nla_data(info->attrs[IET_A_TARGET_NAME]),
			     info->extack);
	mutex_unlock(&iet_ctl_mutex);
	return err;
}

static int iet_nl_target_del(struct sk_buff *skb, struct genl_info *info)
{
	int err;

	if (!iet_need(info, IET_A_TID))
		return -EINVAL;
	mutex_lock(&iet_ctl_mutex);
	err = iet_target_del(nla_get_u32(info->attrs[IET_A_TID]), info->extack);
	mutex_unlock(&iet_ctl_mutex);
	return err;
}

static void *iet_nl_put_hdr(struct sk_buff *skb, struct netlink_callback *cb,
			    u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
			   &iet_genl_family, NLM_F_MULTI, cmd);
}

/* cb->args[0]: next tid to dump (the list is sorted by tid). */
static int iet_nl_target_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct iet_target *t;
	void *hdr;

	mutex_lock(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list) {
		if (t->tid < cb->args[0])
			continue;
		hdr = iet_nl_put_hdr(skb, cb, IET_CMD_TARGET_GET);
		if (!hdr)
			break;
		if (nla_put_u32(skb, IET_A_TID, t->tid) ||
		    nla_put_string(skb, IET_A_TARGET_NAME, t->name)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = (long)t->tid + 1;
	}
	mutex_unlock(&iet_ctl_mutex);
	return skb->len;
}

/* ------------------------------------------------------------------- LUN */

static int iet_nl_lun_new(struct sk_buff *skb, struct genl_info *info)
{
	struct iet_volume_params p = {};
	struct nlattr **a = info->attrs;
	struct iet_target *t;
	int err;

	if (!iet_need(info, IET_A_LUN) || !iet_need(info, IET_A_IOTYPE))
		return -EINVAL;
	p.lun = nla_get_u32(a[IET_A_LUN]);
	p.iotype = nla_get_u8(a[IET_A_IOTYPE]);
	p.iomode = a[IET_A_IOMODE] ? nla_get_u8(a[IET_A_IOMODE]) : IET_IOMODE_WT;
	p.path = a[IET_A_PATH] ? nla_data(a[IET_A_PATH]) : NULL;
	if (p.iotype != IET_IOTYPE_NULLIO && (!p.path || !*p.path)) {
		NL_SET_ERR_MSG(info->extack, "this iotype needs a path");
		return -EINVAL;
	}
	if (a[IET_A_BLOCKSIZE]) {
		p.blocksize = nla_get_u32(a[IET_A_BLOCKSIZE]);
		if (p.blocksize & (p.blocksize - 1)) {
			NL_SET_ERR_MSG_ATTR(info->extack, a[IET_A_BLOCKSIZE],
					    "block size must be 512, 1024, 2048 or 4096");
			return -EINVAL;
		}
	}
	p.size = a[IET_A_SIZE] ? nla_get_u64(a[IET_A_SIZE]) : 0;
	if (a[IET_A_SCSI_ID]) {
		p.scsi_id = nla_data(a[IET_A_SCSI_ID]);
		p.scsi_id_len = nla_len(a[IET_A_SCSI_ID]);
	}
	p.scsi_sn = a[IET_A_SCSI_SN] ? nla_data(a[IET_A_SCSI_SN]) : NULL;

	mutex_lock(&iet_ctl_mutex);
	t = iet_nl_target(info);
	err = t ? iet_volume_add(t, &p, info->extack) : -ENOENT;
	mutex_unlock(&iet_ctl_mutex);
	return err;
}

static int iet_nl_lun_del(struct sk_buff *skb, struct genl_info *info)
{
	struct iet_target *t;
	int err;

	if (!iet_need(info, IET_A_LUN))
		return -EINVAL;
	mutex_lock(&iet_ctl_mutex);
	t = iet_nl_target(info);
	err = t ? iet_volume_del(t, nla_get_u32(info->attrs[IET_A_LUN])) : -ENOENT;
	if (err == -ENOENT && t)
		NL_SET_ERR_MSG(info->extack, "no such LUN");
	mutex_unlock(&iet_ctl_mutex);
	return err;
}

static int iet_nl_iotype(const struct iet_volume *vol)
{
	const char *n = vol->ops ? vol->ops->name : "";

	if (!strcmp(n, "fileio"))
		return IET_IOTYPE_FILEIO;
	if (!strcmp(n, "blockio"))
		return IET_IOTYPE_BLOCKIO;
	return IET_IOTYPE_NULLIO;
}

/* Optional TID filter from the dump request. */
static u32 iet_nl_dump_tid(struct netlink_callback *cb)
{
	struct nlattr **attrs = iet_genl_dump_attrs(cb);

	return attrs[IET_A_TID] ? nla_get_u32(attrs[IET_A_TID]) : 0;
}

/* cb->args[0]: tid, cb->args[1]: next lun within it. */
static int iet_nl_lun_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 only = iet_nl_dump_tid(cb);
	struct iet_volume *vol;
	struct iet_target *t;
	unsigned long lun;
	void *hdr;

	mutex_lock(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list) {
		if (t->tid < cb->args[0] || (only && t->tid != only))
			continue;
		if (t->tid != cb->args[0]) {
			cb->args[0] = t->tid;
			cb->args[1] = 0;
		}
		xa_for_each_start(&t->volumes, lun, vol, cb->args[1]) {
			hdr = iet_nl_put_hdr(skb, cb, IET_CMD_LUN_GET);
			if (!hdr)
				goto out;
			if (nla_put_u32(skb, IET_A_TID, t->tid) ||
			    nla_put_u32(skb, IET_A_LUN, vol->lun) ||
			    nla_put_u8(skb, IET_A_IOTYPE, iet_nl_iotype(vol)) ||
			    nla_put_u8(skb, IET_A_IOMODE, vol->iomode) ||
			    (vol->path && nla_put_string(skb, IET_A_PATH, vol->path)) ||
			    nla_put_u32(skb, IET_A_BLOCKSIZE, vol->blocksize) ||
			    nla_put_u64_64bit(skb, IET_A_BLOCKS, vol->blocks, IET_A_PAD)) {
				genlmsg_cancel(skb, hdr);
				goto out;
			}
			genlmsg_end(skb, hdr);
			cb->args[1] = lun + 1;
		}
		cb->args[0] = t->tid + 1;
		cb->args[1] = 0;
	}
out:
	mutex_unlock(&iet_ctl_mutex);
	return skb->len;
}

/* --------------------------------------------------------------- session */

static void iet_params_defaults(struct iet_params *p)
{
	/* RFC 7143 §13 defaults, QueuedCommands as IET's (32). */
	*p = (struct iet_params) {
		.initial_r2t = true,
		.immediate_data = true,
		.max_burst = 262144,
		.first_burst = 65536,
		.max_outstanding_r2t = 1,
		.data_pdu_in_order = true,
		.data_seq_in_order = true,
		.erl = 0,
		.max_conns = 1,
		.time2wait = 2,
		.time2retain = 20,
		.queued_cmds = 32,
	};
}

static int iet_params_parse(struct nlattr *nest, struct iet_params *p,
			    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[IET_P_MAX + 1];
	int err;

	iet_params_defaults(p);
	if (!nest)
		return 0;
	err = nla_parse_nested(tb, IET_P_MAX, nest, iet_param_policy, extack);
	if (err)
		return err;
	if (tb[IET_P_INITIAL_R2T])
		p->initial_r2t = nla_get_u8(tb[IET_P_INITIAL_R2T]);
	if (tb[IET_P_IMMEDIATE_DATA])
		p->immediate_data = nla_get_u8(tb[IET_P_IMMEDIATE_DATA]);
	if (tb[IET_P_MAX_BURST_LENGTH])
		p->max_burst = nla_get_u32(tb[IET_P_MAX_BURST_LENGTH]);
	if (tb[IET_P_FIRST_BURST_LENGTH])
		p->first_burst = nla_get_u32(tb[IET_P_FIRST_BURST_LENGTH]);
	if (tb[IET_P_MAX_OUTSTANDING_R2T])
		p->max_outstanding_r2t = nla_get_u32(tb[IET_P_MAX_OUTSTANDING_R2T]);
	if (tb[IET_P_DATA_PDU_IN_ORDER])
		p->data_pdu_in_order = nla_get_u8(tb[IET_P_DATA_PDU_IN_ORDER]);
	if (tb[IET_P_DATA_SEQUENCE_IN_ORDER])
		p->data_seq_in_order = nla_get_u8(tb[IET_P_DATA_SEQUENCE_IN_ORDER]);
	if (tb[IET_P_ERROR_RECOVERY_LEVEL])
		p->erl = nla_get_u8(tb[IET_P_ERROR_RECOVERY_LEVEL]);
	if (tb[IET_P_MAX_CONNECTIONS])
		p->max_conns = nla_get_u32(tb[IET_P_MAX_CONNECTIONS]);
	if (tb[IET_P_DEFAULT_TIME2WAIT])
		p->time2wait = nla_get_u32(tb[IET_P_DEFAULT_TIME2WAIT]);
	if (tb[IET_P_DEFAULT_TIME2RETAIN])
		p->time2retain = nla_get_u32(tb[IET_P_DEFAULT_TIME2RETAIN]);
	if (tb[IET_P_QUEUED_CMDS])
		p->queued_cmds = nla_get_u32(tb[IET_P_QUEUED_CMDS]);

	if (p->first_burst > p->max_burst) {
		NL_SET_ERR_MSG(extack, "FirstBurstLength exceeds MaxBurstLength");
		return -EINVAL;
	}
	if (p->erl) {
		NL_SET_ERR_MSG(extack, "only ErrorRecoveryLevel 0 is supported");
		return -EOPNOTSUPP;
	}
	/*
	 * The CmdSN window, TMF scope and ERL 0 session end are per
	 * connection so far; the receive path takes data PDUs in order only.
	 */
	if (p->max_conns > 1) {
		NL_SET_ERR_MSG(extack, "only MaxConnections 1 is supported");
		return -EOPNOTSUPP;
	}
	if (!p->data_pdu_in_order || !p->data_seq_in_order) {
		NL_SET_ERR_MSG(extack, "DataPDUInOrder and DataSequenceInOrder must be Yes");
		return -EOPNOTSUPP;
	}
	return 0;
}

static int iet_nl_session_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct iet_params p;
	struct iet_target *t;
	int err;

	if (!iet_need(info, IET_A_SID) || !iet_need(info, IET_A_INITIATOR_NAME) ||
	    !iet_need(info, IET_A_EXP_CMDSN))
		return -EINVAL;
	err = iet_params_parse(a[IET_A_PARAMS], &p, info->extack);
	if (err)
		return err;
	mutex_lock(&iet_ctl_mutex);
	t = iet_nl_target(info);
	err = t ? iet_session_add(t, nla_get_u64(a[IET_A_SID]),
				  nla_data(a[IET_A_INITIATOR_NAME]),
				  nla_get_u32(a[IET_A_EXP_CMDSN]), &p,
				  info->extack) : -ENOENT;
	mutex_unlock(&iet_ctl_mutex);
	return err;
}

static struct iet_session *iet_nl_session(struct genl_info *info)
{
	struct iet_target *t = iet_nl_target(info);
	struct iet_session *s;

	if (!t || !iet_need(info, IET_A_SID))
		return NULL;
	s = iet_session_find(t, nla_get_u64(info->attrs[IET_A_SID]));
	if (!s)
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_SID],
				    "no such session");
	return s;
}

static int iet_nl_session_del(struct sk_buff *skb, struct genl_info *info)
{
	struct iet_session *s;

	mutex_lock(&iet_ctl_mutex);
	s = iet_nl_session(info);
	if (s)
		iet_session_del(s);
	mutex_unlock(&iet_ctl_mutex);
	return s ? 0 : -ENOENT;
}

static int iet_nl_put_session(struct sk_buff *skb, struct iet_session *s)
{
	struct iet_conn *conn;
	struct nlattr *nest;

	if (nla_put_u32(skb, IET_A_TID, s->target->tid) ||
	    nla_put_u64_64bit(skb, IET_A_SID, s->sid, IET_A_PAD) ||
	    nla_put_string(skb, IET_A_INITIATOR_NAME, s->initiator))
		return -EMSGSIZE;
	list_for_each_entry(conn, &s->conns, list) {
		nest = nla_nest_start(skb, IET_A_CONN);
		if (!nest ||
		    nla_put_u16(skb, IET_A_CID, conn->cid) ||
		    nla_put_string(skb, IET_A_IP, conn->ip) ||
		    nla_put_u8(skb, IET_A_STATE, iet_conn_show_state(conn)) ||
		    nla_put_u8(skb, IET_A_HDIGEST, conn->hdigest) ||
		    nla_put_u8(skb, IET_A_DDIGEST, conn->ddigest))
			return -EMSGSIZE;
		nla_nest_end(skb, nest);
	}
	return 0;
}

/* cb->args[0]: tid, cb->args[1]: sessions of it already dumped. */
static int iet_nl_session_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	u32 only = iet_nl_dump_tid(cb);
	struct iet_session *s;
	struct iet_target *t;
	long idx;
	void *hdr;

	mutex_lock(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list) {
		if (t->tid < cb->args[0] || (only && t->tid != only))
			continue;
		if (t->tid != cb->args[0]) {
			cb->args[0] = t->tid;
			cb->args[1] = 0;
		}
		idx = 0;
		list_for_each_entry(s, &t->sessions, list) {
			if (idx++ < cb->args[1])
				continue;
			hdr = iet_nl_put_hdr(skb, cb, IET_CMD_SESSION_GET);
			if (!hdr)
				goto out;
			if (iet_nl_put_session(skb, s)) {
				genlmsg_cancel(skb, hdr);
				goto out;
			}
			genlmsg_end(skb, hdr);
			cb->args[1] = idx;
		}
		cb->args[0] = t->tid + 1;
		cb->args[1] = 0;
	}
out:
	mutex_unlock(&iet_ctl_mutex);
	return skb->len;
}

/* ------------------------------------------------------------ connection */

/* The socket ietd logged in on: a connected TCP stream, nothing else. */
static struct socket *iet_nl_get_socket(struct genl_info *info)
{
	struct socket *sock;
	struct sock *sk;
	int err;

	sock = sockfd_lookup(nla_get_u32(info->attrs[IET_A_FD]), &err);
	if (!sock) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_FD],
				    "fd is not a socket");
		return ERR_PTR(err);
	}
	sk = sock->sk;
	if (sock->type != SOCK_STREAM || !sk || sk->sk_protocol != IPPROTO_TCP ||
	    (sk->sk_family != AF_INET && sk->sk_family != AF_INET6)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_FD],
				    "fd is not a TCP socket");
		sockfd_put(sock);
		return ERR_PTR(-EINVAL);
	}
	if (READ_ONCE(sk->sk_state) != TCP_ESTABLISHED) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_FD],
				    "socket is not connected");
		sockfd_put(sock);
		return ERR_PTR(-ENOTCONN);
	}
	/* Handed over twice: our callbacks would save our own callbacks. */
	if (READ_ONCE(sk->sk_user_data)) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_FD],
				    "socket is already in use");
		sockfd_put(sock);
		return ERR_PTR(-EBUSY);
	}
	return sock;
}

static int iet_nl_conn_new(struct sk_buff *skb, struct genl_info *info)
{
	struct nlattr **a = info->attrs;
	struct iet_session *s;
	struct socket *sock;
	u8 hd, dd;
	int err;

	if (!iet_need(info, IET_A_CID) || !iet_need(info, IET_A_FD) ||
	    !iet_need(info, IET_A_STATSN) || !iet_need(info, IET_A_MAX_RECV_DSL) ||
	    !iet_need(info, IET_A_MAX_XMIT_DSL))
		return -EINVAL;
	hd = a[IET_A_HDIGEST] ? nla_get_u8(a[IET_A_HDIGEST]) : IET_DIGEST_NONE;
	dd = a[IET_A_DDIGEST] ? nla_get_u8(a[IET_A_DDIGEST]) : IET_DIGEST_NONE;

	/* Looked up here, in ietd's context: the fd is in its table. */
	sock = iet_nl_get_socket(info);
	if (IS_ERR(sock))
		return PTR_ERR(sock);

	mutex_lock(&iet_ctl_mutex);
	s = iet_nl_session(info);
	if (!s) {
		err = -ENOENT;
	} else if (list_count_nodes(&s->conns) >= s->params.max_conns) {
		NL_SET_ERR_MSG(info->extack, "session has MaxConnections connections");
		err = -EBUSY;
	} else {
		err = iet_conn_add(s, nla_get_u16(a[IET_A_CID]), sock,
				   nla_get_u32(a[IET_A_STATSN]), hd, dd,
				   nla_get_u32(a[IET_A_MAX_RECV_DSL]),
				   nla_get_u32(a[IET_A_MAX_XMIT_DSL]),
				   info->extack);
	}
	mutex_unlock(&iet_ctl_mutex);
	/* On success the file reference from sockfd_lookup is the conn's. */
	if (err)
		sockfd_put(sock);
	return err;
}

static int iet_nl_conn_del(struct sk_buff *skb, struct genl_info *info)
{
	struct iet_session *s;
	struct iet_conn *conn = NULL;
	int err = -ENOENT;

	if (!iet_need(info, IET_A_CID))
		return -EINVAL;
	mutex_lock(&iet_ctl_mutex);
	s = iet_nl_session(info);
	if (s)
		conn = iet_conn_find(s, nla_get_u16(info->attrs[IET_A_CID]));
	if (conn) {
		iet_conn_destroy(conn);
		iet_session_conn_gone(s);
		err = 0;
	} else if (s) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[IET_A_CID],
				    "no such connection");
	}
	mutex_unlock(&iet_ctl_mutex);
	return err;
}

/* ---------------------------------------------------------------- family */

static const struct genl_ops iet_genl_ops[] = {
	{ .cmd = IET_CMD_TARGET_NEW, .doit = iet_nl_target_new,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_TARGET_DEL, .doit = iet_nl_target_del,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_TARGET_GET, .dumpit = iet_nl_target_dump },
	{ .cmd = IET_CMD_LUN_NEW, .doit = iet_nl_lun_new,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_LUN_DEL, .doit = iet_nl_lun_del,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_LUN_GET, .dumpit = iet_nl_lun_dump },
	{ .cmd = IET_CMD_SESSION_NEW, .doit = iet_nl_session_new,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_SESSION_DEL, .doit = iet_nl_session_del,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_SESSION_GET, .dumpit = iet_nl_session_dump },
	{ .cmd = IET_CMD_CONN_NEW, .doit = iet_nl_conn_new,
	  .flags = GENL_ADMIN_PERM },
	{ .cmd = IET_CMD_CONN_DEL, .doit = iet_nl_conn_del,
	  .flags = GENL_ADMIN_PERM },
};

static struct genl_family iet_genl_family __ro_after_init = {
	.name		= IET_GENL_NAME,
	.version	= IET_GENL_VERSION,
	.maxattr	= IET_A_MAX,
	.policy		= iet_policy,
	.module		= THIS_MODULE,
	.ops		= iet_genl_ops,
	.n_ops		= ARRAY_SIZE(iet_genl_ops),
	/* resv_start_op 0: strict validation for every command (no legacy). */
	.mcgrps		= iet_mcgrps,
	.n_mcgrps	= ARRAY_SIZE(iet_mcgrps),
};

static void iet_genl_event(u8 cmd, u32 tid, u64 sid, bool with_cid, u16 cid)
{
	struct sk_buff *skb;
	void *hdr;

	if (!iet_genl_registered)
		return;	/* module unload: nobody to tell */
	skb = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!skb)
		return;
	hdr = genlmsg_put(skb, 0, 0, &iet_genl_family, 0, cmd);
	if (!hdr)
		goto free;
	if (nla_put_u32(skb, IET_A_TID, tid) ||
	    nla_put_u64_64bit(skb, IET_A_SID, sid, IET_A_PAD) ||
	    (with_cid && nla_put_u16(skb, IET_A_CID, cid)))
		goto free;
	genlmsg_end(skb, hdr);
	/* -ESRCH just means ietd is not listening right now. */
	genlmsg_multicast(&iet_genl_family, skb, 0, IET_MCGRP_EVENTS, GFP_KERNEL);
	return;
free:
	nlmsg_free(skb);
}

void iet_genl_event_conn_closed(u32 tid, u64 sid, u16 cid)
{
	iet_genl_event(IET_CMD_EVENT_CONN_CLOSED, tid, sid, true, cid);
}

void iet_genl_event_session_ended(u32 tid, u64 sid)
{
	iet_genl_event(IET_CMD_EVENT_SESSION_ENDED, tid, sid, false, 0);
}

int iet_genl_init(void)
{
	int err = genl_register_family(&iet_genl_family);

	if (!err)
		iet_genl_registered = true;
	return err;
}

void iet_genl_exit(void)
{
	iet_genl_registered = false;
	genl_unregister_family(&iet_genl_family);
}
