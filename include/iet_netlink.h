/* SPDX-License-Identifier: GPL-2.0-only WITH Linux-syscall-note */
/*
 * iet_netlink.h - the generic netlink interface between ietd and
 * iscsi_trgt.ko.  The ONE definition, used by the kernel and userspace.
 *
 * Family "iscsi_trgt", version IET_GENL_VERSION.  Multicast group
 * "events" carries IET_CMD_EVENT_* notifications to ietd.
 *
 * Every command that changes state needs CAP_NET_ADMIN (GENL_ADMIN_PERM).
 * Every attribute has a policy in the kernel; unknown attributes are
 * rejected (strict validation).  Errors come back as negative errno in the
 * netlink ACK, with an extack message where it helps.
 *
 * Objects and their keys:
 *   target      IET_A_TID (u32, 1..), IET_A_TARGET_NAME (string)
 *   LUN         IET_A_TID + IET_A_LUN (u32, 0..16383)
 *   session     IET_A_TID + IET_A_SID (u64: ISID << 16 | TSIH)
 *   connection  IET_A_TID + IET_A_SID + IET_A_CID (u16)
 *
 * Commands:
 *   IET_CMD_TARGET_NEW    TID, TARGET_NAME                       -> ack
 *   IET_CMD_TARGET_DEL    TID  (fails -EBUSY while sessions exist)  -> ack
 *   IET_CMD_TARGET_GET    dump: one message per target: TID, TARGET_NAME
 *   IET_CMD_LUN_NEW       TID, LUN, IOTYPE, [PATH], [IOMODE], [BLOCKSIZE],
 *                         [SIZE] (nullio: bytes, default 64 GiB),
 *                         [SCSI_ID], [SCSI_SN]                   -> ack
 *   IET_CMD_LUN_DEL       TID, LUN                               -> ack
 *   IET_CMD_LUN_GET       dump, TID optional filter: TID, LUN, IOTYPE,
 *                         IOMODE, PATH?, BLOCKSIZE, BLOCKS
 *   IET_CMD_SESSION_NEW   TID, SID, INITIATOR_NAME, EXP_CMDSN,
 *                         PARAMS (nest, IET_P_*)                 -> ack
 *   IET_CMD_SESSION_DEL   TID, SID  (closes its connections)     -> ack
 *   IET_CMD_SESSION_GET   dump, TID optional filter: TID, SID,
 *                         INITIATOR_NAME, then CONN nests (CID, IP
 *                         text, STATE, HDIGEST, DDIGEST)
 *   IET_CMD_CONN_NEW      TID, SID, CID, FD, STATSN, HDIGEST,
 *                         DDIGEST, MAX_RECV_DSL, MAX_XMIT_DSL    -> ack
 *                         The kernel takes its own reference to the
 *                         socket behind FD (looked up in the sender's fd
 *                         table); ietd closes its fd after the ack.
 *   IET_CMD_CONN_DEL      TID, SID, CID                          -> ack
 *
 * Events (multicast group "events", kernel -> ietd):
 *   IET_CMD_EVENT_CONN_CLOSED    TID, SID, CID
 *   IET_CMD_EVENT_SESSION_ENDED  TID, SID
 *     With ErrorRecoveryLevel 0 a session ends when its last connection
 *     closes; the kernel frees it and says so.
 */
#ifndef IET_NETLINK_H
#define IET_NETLINK_H

#define IET_GENL_NAME		"iscsi_trgt"
#define IET_GENL_VERSION	1
#define IET_GENL_MCGRP_EVENTS	"events"

#define IET_NAME_MAX		224	/* 223 bytes of iSCSI name + NUL */
#define IET_PATH_MAX		4096
#define IET_LUN_MAX		16383	/* IET's limit: flat space addressing */
#define IET_SCSI_ID_MAX		16	/* bytes */
#define IET_SCSI_SN_MAX		32	/* characters */

enum iet_cmd {
	IET_CMD_UNSPEC,
	IET_CMD_TARGET_NEW,
	IET_CMD_TARGET_DEL,
	IET_CMD_TARGET_GET,
	IET_CMD_LUN_NEW,
	IET_CMD_LUN_DEL,
	IET_CMD_LUN_GET,
	IET_CMD_SESSION_NEW,
	IET_CMD_SESSION_DEL,
	IET_CMD_SESSION_GET,
	IET_CMD_CONN_NEW,
	IET_CMD_CONN_DEL,
	IET_CMD_EVENT_CONN_CLOSED,
	IET_CMD_EVENT_SESSION_ENDED,
	__IET_CMD_MAX,
};
#define IET_CMD_MAX (__IET_CMD_MAX - 1)

enum iet_attr {
	IET_A_UNSPEC,
	IET_A_TID,		/* u32 */
	IET_A_TARGET_NAME,	/* NUL-terminated string, < IET_NAME_MAX */
	IET_A_LUN,		/* u32 */
	IET_A_IOTYPE,		/* u8: enum iet_iotype */
	IET_A_IOMODE,		/* u8: enum iet_iomode */
	IET_A_PATH,		/* NUL-terminated string, < IET_PATH_MAX */
	IET_A_BLOCKSIZE,	/* u32: 512, 1024, 2048 or 4096 */
	IET_A_BLOCKS,		/* u64 (dump only) */
	IET_A_SIZE,		/* u64 bytes (nullio size) */
	IET_A_SCSI_ID,		/* binary, <= IET_SCSI_ID_MAX */
	IET_A_SCSI_SN,		/* string, <= IET_SCSI_SN_MAX chars */
	IET_A_SID,		/* u64 */
	IET_A_INITIATOR_NAME,	/* string, < IET_NAME_MAX */
	IET_A_EXP_CMDSN,	/* u32 */
	IET_A_PARAMS,		/* nest of enum iet_param */
	IET_A_CID,		/* u16 */
	IET_A_FD,		/* u32: socket fd in the sender's table */
	IET_A_STATSN,		/* u32: next StatSN to send */
	IET_A_HDIGEST,		/* u8: enum iet_digest */
	IET_A_DDIGEST,		/* u8: enum iet_digest */
	IET_A_MAX_RECV_DSL,	/* u32: what WE declared (we receive up to) */
	IET_A_MAX_XMIT_DSL,	/* u32: what the initiator declared */
	IET_A_CONN,		/* nest (dump): CID, IP, STATE, HDIGEST, DDIGEST */
	IET_A_IP,		/* string: "a.b.c.d" or "[v6]" (dump only) */
	IET_A_STATE,		/* u8: enum iet_conn_state (dump only) */
	IET_A_PAD,
	__IET_A_MAX,
};
#define IET_A_MAX (__IET_A_MAX - 1)

/* Negotiated session-wide parameters (values, never strings). */
enum iet_param {
	IET_P_UNSPEC,
	IET_P_INITIAL_R2T,		/* u8 bool */
	IET_P_IMMEDIATE_DATA,		/* u8 bool */
	IET_P_MAX_BURST_LENGTH,		/* u32 */
	IET_P_FIRST_BURST_LENGTH,	/* u32 */
	IET_P_MAX_OUTSTANDING_R2T,	/* u32 */
	IET_P_DATA_PDU_IN_ORDER,	/* u8 bool */
	IET_P_DATA_SEQUENCE_IN_ORDER,	/* u8 bool */
	IET_P_ERROR_RECOVERY_LEVEL,	/* u8 */
	IET_P_MAX_CONNECTIONS,		/* u32 */
	IET_P_DEFAULT_TIME2WAIT,	/* u32 */
	IET_P_DEFAULT_TIME2RETAIN,	/* u32 */
	IET_P_QUEUED_CMDS,		/* u32: command window we grant */
	__IET_P_MAX,
};
#define IET_P_MAX (__IET_P_MAX - 1)

enum iet_iotype {
	IET_IOTYPE_FILEIO,
	IET_IOTYPE_BLOCKIO,
	IET_IOTYPE_NULLIO,
	__IET_IOTYPE_MAX,
};

enum iet_iomode {
	IET_IOMODE_WT,		/* write-through: data reaches stable storage */
	IET_IOMODE_WB,		/* write-back: page cache, flushed on SYNC CACHE */
	IET_IOMODE_RO,		/* read-only LUN */
	__IET_IOMODE_MAX,
};

enum iet_digest {
	IET_DIGEST_NONE,
	IET_DIGEST_CRC32C,
	__IET_DIGEST_MAX,
};

enum iet_conn_state {
	IET_CONN_ACTIVE,
	IET_CONN_CLOSING,
	IET_CONN_UNKNOWN,
	__IET_CONN_STATE_MAX,
};

#endif /* IET_NETLINK_H */
