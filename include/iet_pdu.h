/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iet_pdu.h - the ONE definition of the iSCSI wire format (RFC 7143 §11)
 * shared by iscsi_trgt.ko and the userspace daemon, tools and tests.
 *
 * Every multi-byte field is big-endian on the wire and typed __be16/__be32
 * so sparse (kernel) and the compiler (userspace) keep us honest.  Build
 * with <linux/types.h>, which exists both in the kernel and in userspace
 * (linux-libc-dev).  Every struct is exactly one Basic Header Segment
 * (48 bytes); static asserts at the bottom prove it.
 */
#ifndef IET_PDU_H
#define IET_PDU_H

#include <linux/types.h>

#define IET_BHS_LEN		48
#define IET_DIGEST_LEN		4
#define IET_PAD_LEN		4	/* data segments are padded to 4 bytes */
#define IET_MAX_AHS_LEN		(255 * 4)
#define IET_MAX_DSL		((1u << 24) - 1)	/* 24-bit DataSegmentLength */
#define IET_RESERVED_TAG	0xffffffffu
#define IET_ISCSI_PORT		3260

/* Opcodes (§11.1.1): byte 0 bits 0-5; bit 6 = Immediate delivery. */
#define IET_OP_MASK		0x3f
#define IET_OP_IMMEDIATE	0x40

/* Initiator opcodes */
#define IET_OP_NOP_OUT		0x00
#define IET_OP_SCSI_CMD		0x01
#define IET_OP_TASK_MGT_REQ	0x02
#define IET_OP_LOGIN_REQ	0x03
#define IET_OP_TEXT_REQ		0x04
#define IET_OP_SCSI_DATA_OUT	0x05
#define IET_OP_LOGOUT_REQ	0x06
#define IET_OP_SNACK_REQ	0x10
/* Target opcodes */
#define IET_OP_NOP_IN		0x20
#define IET_OP_SCSI_RSP		0x21
#define IET_OP_TASK_MGT_RSP	0x22
#define IET_OP_LOGIN_RSP	0x23
#define IET_OP_TEXT_RSP		0x24
#define IET_OP_SCSI_DATA_IN	0x25
#define IET_OP_LOGOUT_RSP	0x26
#define IET_OP_R2T		0x31
#define IET_OP_ASYNC_MSG	0x32
#define IET_OP_REJECT		0x3f

/* Common flag: Final bit (byte 1, bit 7). */
#define IET_FLAG_FINAL		0x80

/*
 * Generic BHS (§11.2.1).  Bytes 1-3 and 20-47 are opcode-specific; the
 * TotalAHSLength / DataSegmentLength / LUN / ITT positions are common.
 */
struct iet_bhs {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;	/* in 4-byte words */
	__u8	dlength[3];	/* 24-bit big-endian DataSegmentLength */
	__u8	lun[8];
	__be32	itt;
	__u8	other[28];
};

/* SCSI Command (§11.3) */
#define IET_CMD_FLAG_READ	0x40
#define IET_CMD_FLAG_WRITE	0x20
#define IET_CMD_ATTR_MASK	0x07
#define IET_ATTR_UNTAGGED	0
#define IET_ATTR_SIMPLE		1
#define IET_ATTR_ORDERED	2
#define IET_ATTR_HOQ		3
#define IET_ATTR_ACA		4
#define IET_CDB_LEN		16

struct iet_scsi_cmd_hdr {
	__u8	opcode;
	__u8	flags;		/* F R W . . ATTR */
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	data_length;	/* Expected Data Transfer Length */
	__be32	cmdsn;
	__be32	exp_statsn;
	__u8	cdb[IET_CDB_LEN];
};

/* AHS (§11.2.2): extended CDB is type 1. */
#define IET_AHSTYPE_EXT_CDB	1
#define IET_AHSTYPE_RLENGTH	2
struct iet_ahs_hdr {
	__be16	ahslength;
	__u8	ahstype;
	__u8	ahspec;
};

/* SCSI Response (§11.4) */
#define IET_RSP_FLAG_BIDI_OVERFLOW	0x10
#define IET_RSP_FLAG_BIDI_UNDERFLOW	0x08
#define IET_RSP_FLAG_OVERFLOW		0x04
#define IET_RSP_FLAG_UNDERFLOW		0x02
#define IET_RSP_CMD_COMPLETED		0x00
#define IET_RSP_TARGET_FAILURE		0x01

struct iet_scsi_rsp_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	response;
	__u8	cmd_status;	/* SCSI status */
	__u8	ahslength;
	__u8	dlength[3];
	__u8	rsvd8[8];
	__be32	itt;
	__be32	snack_tag;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__be32	exp_datasn;
	__be32	bi_residual_count;
	__be32	residual_count;
};

/* Task Management Function Request/Response (§11.5, §11.6) */
#define IET_TMF_MASK			0x7f
#define IET_TMF_ABORT_TASK		1
#define IET_TMF_ABORT_TASK_SET		2
#define IET_TMF_CLEAR_ACA		3
#define IET_TMF_CLEAR_TASK_SET		4
#define IET_TMF_LOGICAL_UNIT_RESET	5
#define IET_TMF_TARGET_WARM_RESET	6
#define IET_TMF_TARGET_COLD_RESET	7
#define IET_TMF_TASK_REASSIGN		8

#define IET_TMF_RSP_COMPLETE		0x00
#define IET_TMF_RSP_NO_TASK		0x01
#define IET_TMF_RSP_NO_LUN		0x02
#define IET_TMF_RSP_TASK_ALLEGIANT	0x03
#define IET_TMF_RSP_NO_FAILOVER		0x04
#define IET_TMF_RSP_NOT_SUPPORTED	0x05
#define IET_TMF_RSP_AUTH_FAILED		0x06
#define IET_TMF_RSP_REJECTED		0xff

struct iet_tmf_req_hdr {
	__u8	opcode;
	__u8	function;	/* bit 7 always 1 */
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	rtt;		/* Referenced Task Tag */
	__be32	cmdsn;
	__be32	exp_statsn;
	__be32	refcmdsn;
	__be32	exp_datasn;
	__u8	rsvd40[8];
};

struct iet_tmf_rsp_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	response;
	__u8	rsvd3;
	__u8	ahslength;
	__u8	dlength[3];
	__u8	rsvd8[8];
	__be32	itt;
	__be32	rsvd20;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__u8	rsvd36[12];
};

/* SCSI Data-Out (§11.7) and Data-In (§11.8) */
#define IET_DATA_FLAG_ACK	0x40	/* Data-In A bit */
#define IET_DATA_FLAG_OVERFLOW	0x04
#define IET_DATA_FLAG_UNDERFLOW	0x02
#define IET_DATA_FLAG_STATUS	0x01	/* Data-In S bit */

struct iet_data_out_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	rsvd24;
	__be32	exp_statsn;
	__be32	rsvd32;
	__be32	datasn;
	__be32	buffer_offset;
	__be32	rsvd44;
};

struct iet_data_in_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2;
	__u8	cmd_status;	/* valid only with the S bit */
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	statsn;		/* valid only with the S bit */
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__be32	datasn;
	__be32	buffer_offset;
	__be32	residual_count;
};

/* Ready To Transfer (§11.9) */
struct iet_r2t_hdr {
	__u8	opcode;
	__u8	flags;		/* always F */
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__be32	r2tsn;
	__be32	data_offset;
	__be32	data_length;
};

/* Asynchronous Message (§11.9) */
#define IET_ASYNC_SCSI_EVENT		0
#define IET_ASYNC_LOGOUT_REQUEST	1
#define IET_ASYNC_DROP_CONNECTION	2
#define IET_ASYNC_DROP_ALL		3
#define IET_ASYNC_NEGOTIATE		4

struct iet_async_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;		/* always 0xffffffff */
	__be32	rsvd20;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__u8	async_event;
	__u8	async_vcode;
	__be16	param1;
	__be16	param2;
	__be16	param3;
	__u8	rsvd44[4];
};

/* Text Request/Response (§11.10, §11.11) */
#define IET_TEXT_FLAG_CONTINUE	0x40

struct iet_text_req_hdr {
	__u8	opcode;
	__u8	flags;		/* F C */
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	cmdsn;
	__be32	exp_statsn;
	__u8	rsvd32[16];
};

struct iet_text_rsp_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__u8	rsvd36[12];
};

/* Login Request/Response (§11.12, §11.13) */
#define IET_LOGIN_FLAG_TRANSIT		0x80
#define IET_LOGIN_FLAG_CONTINUE		0x40
#define IET_LOGIN_CSG_MASK		0x0c
#define IET_LOGIN_CSG_SHIFT		2
#define IET_LOGIN_NSG_MASK		0x03
#define IET_STAGE_SECURITY		0
#define IET_STAGE_OPERATIONAL		1
#define IET_STAGE_FULL_FEATURE		3

#define IET_ISID_LEN			6

struct iet_login_req_hdr {
	__u8	opcode;		/* always immediate */
	__u8	flags;		/* T C . . CSG NSG */
	__u8	max_version;
	__u8	min_version;
	__u8	ahslength;
	__u8	dlength[3];
	__u8	isid[IET_ISID_LEN];
	__be16	tsih;
	__be32	itt;
	__be16	cid;
	__be16	rsvd22;
	__be32	cmdsn;
	__be32	exp_statsn;
	__u8	rsvd32[16];
};

/* Login status class/detail (§11.13.5) */
#define IET_LOGIN_STATUS_SUCCESS		0x00
#define IET_LOGIN_STATUS_REDIRECT		0x01
#define IET_LOGIN_STATUS_INITIATOR_ERR		0x02
#define IET_LOGIN_STATUS_TARGET_ERR		0x03

#define IET_LOGIN_DETAIL_TGT_MOVED_TEMP		0x01
#define IET_LOGIN_DETAIL_TGT_MOVED_PERM		0x02
#define IET_LOGIN_DETAIL_INIT_ERR		0x00
#define IET_LOGIN_DETAIL_AUTH_FAILED		0x01
#define IET_LOGIN_DETAIL_TGT_FORBIDDEN		0x02
#define IET_LOGIN_DETAIL_TGT_NOT_FOUND		0x03
#define IET_LOGIN_DETAIL_TGT_REMOVED		0x04
#define IET_LOGIN_DETAIL_NO_VERSION		0x05
#define IET_LOGIN_DETAIL_ISID_ERROR		0x06 /* too many connections */
#define IET_LOGIN_DETAIL_MISSING_PARAM		0x07
#define IET_LOGIN_DETAIL_CONN_ADD_FAIL		0x08
#define IET_LOGIN_DETAIL_SESSION_TYPE		0x09
#define IET_LOGIN_DETAIL_NO_SESSION		0x0a
#define IET_LOGIN_DETAIL_INVALID_REQUEST	0x0b
#define IET_LOGIN_DETAIL_TARGET_ERROR		0x00
#define IET_LOGIN_DETAIL_SERVICE_UNAVAIL	0x01
#define IET_LOGIN_DETAIL_NO_RESOURCES		0x02

struct iet_login_rsp_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	max_version;
	__u8	active_version;
	__u8	ahslength;
	__u8	dlength[3];
	__u8	isid[IET_ISID_LEN];
	__be16	tsih;
	__be32	itt;
	__be32	rsvd20;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__u8	status_class;
	__u8	status_detail;
	__u8	rsvd38[10];
};

/* Logout Request/Response (§11.14, §11.15) */
#define IET_LOGOUT_REASON_MASK		0x7f
#define IET_LOGOUT_CLOSE_SESSION	0
#define IET_LOGOUT_CLOSE_CONNECTION	1
#define IET_LOGOUT_REMOVE_FOR_RECOVERY	2

#define IET_LOGOUT_RSP_SUCCESS		0
#define IET_LOGOUT_RSP_CID_NOT_FOUND	1
#define IET_LOGOUT_RSP_RECOVERY_UNSUPP	2
#define IET_LOGOUT_RSP_CLEANUP_FAILED	3

struct iet_logout_req_hdr {
	__u8	opcode;
	__u8	flags;		/* F + reason code */
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	rsvd8[8];
	__be32	itt;
	__be16	cid;
	__be16	rsvd22;
	__be32	cmdsn;
	__be32	exp_statsn;
	__u8	rsvd32[16];
};

struct iet_logout_rsp_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	response;
	__u8	rsvd3;
	__u8	ahslength;
	__u8	dlength[3];
	__u8	rsvd8[8];
	__be32	itt;
	__be32	rsvd20;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__be32	rsvd36;
	__be16	time2wait;
	__be16	time2retain;
	__be32	rsvd44;
};

/* SNACK Request (§11.16) */
struct iet_snack_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	rsvd24;
	__be32	exp_statsn;
	__u8	rsvd32[8];
	__be32	begrun;
	__be32	runlength;
};

/* Reject (§11.17) */
#define IET_REJECT_DIGEST_ERROR		0x02
#define IET_REJECT_SNACK_REJECT		0x03
#define IET_REJECT_PROTOCOL_ERROR	0x04
#define IET_REJECT_CMD_NOT_SUPPORTED	0x05
#define IET_REJECT_IMM_CMD_REJECT	0x06
#define IET_REJECT_TASK_IN_PROGRESS	0x07
#define IET_REJECT_INVALID_DATA_ACK	0x08
#define IET_REJECT_INVALID_PDU_FIELD	0x09
#define IET_REJECT_LONG_OP_REJECT	0x0a
#define IET_REJECT_WAITING_FOR_LOGOUT	0x0c

struct iet_reject_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	reason;
	__u8	rsvd3;
	__u8	ahslength;
	__u8	dlength[3];
	__u8	rsvd8[8];
	__be32	ffffffff;
	__be32	rsvd20;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__be32	datasn;
	__u8	rsvd40[8];
};

/* NOP-Out / NOP-In (§11.18, §11.19) */
struct iet_nop_out_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	cmdsn;
	__be32	exp_statsn;
	__u8	rsvd32[16];
};

struct iet_nop_in_hdr {
	__u8	opcode;
	__u8	flags;
	__u8	rsvd2[2];
	__u8	ahslength;
	__u8	dlength[3];
	__u8	lun[8];
	__be32	itt;
	__be32	ttt;
	__be32	statsn;
	__be32	exp_cmdsn;
	__be32	max_cmdsn;
	__u8	rsvd36[12];
};

/* 24-bit DataSegmentLength helpers (no byte-order macros needed). */
static inline __u32 iet_dlength_get(const __u8 d[3])
{
	return ((__u32)d[0] << 16) | ((__u32)d[1] << 8) | d[2];
}

static inline void iet_dlength_set(__u8 d[3], __u32 len)
{
	d[0] = (__u8)(len >> 16);
	d[1] = (__u8)(len >> 8);
	d[2] = (__u8)len;
}

/* Bytes of a data segment on the wire including pad (not digests). */
static inline __u32 iet_padded(__u32 len)
{
	return (len + (IET_PAD_LEN - 1)) & ~(__u32)(IET_PAD_LEN - 1);
}

/* Serial number arithmetic (RFC 1982 as used by RFC 7143 §4.2.2.1). */
static inline int iet_sn_lt(__u32 a, __u32 b)
{
	return a != b && (__s32)(a - b) < 0;
}

static inline int iet_sn_le(__u32 a, __u32 b)
{
	return a == b || (__s32)(a - b) < 0;
}

#ifdef __cplusplus
#define IET_STATIC_ASSERT(c, m) static_assert(c, m)
#else
#define IET_STATIC_ASSERT(c, m) _Static_assert(c, m)
#endif

#define IET_BHS_CHECK(t) IET_STATIC_ASSERT(sizeof(struct t) == IET_BHS_LEN, #t " is not one BHS")
IET_BHS_CHECK(iet_bhs);
IET_BHS_CHECK(iet_scsi_cmd_hdr);
IET_BHS_CHECK(iet_scsi_rsp_hdr);
IET_BHS_CHECK(iet_tmf_req_hdr);
IET_BHS_CHECK(iet_tmf_rsp_hdr);
IET_BHS_CHECK(iet_data_out_hdr);
IET_BHS_CHECK(iet_data_in_hdr);
IET_BHS_CHECK(iet_r2t_hdr);
IET_BHS_CHECK(iet_async_hdr);
IET_BHS_CHECK(iet_text_req_hdr);
IET_BHS_CHECK(iet_text_rsp_hdr);
IET_BHS_CHECK(iet_login_req_hdr);
IET_BHS_CHECK(iet_login_rsp_hdr);
IET_BHS_CHECK(iet_logout_req_hdr);
IET_BHS_CHECK(iet_logout_rsp_hdr);
IET_BHS_CHECK(iet_snack_hdr);
IET_BHS_CHECK(iet_reject_hdr);
IET_BHS_CHECK(iet_nop_out_hdr);
IET_BHS_CHECK(iet_nop_in_hdr);
#undef IET_BHS_CHECK

#endif /* IET_PDU_H */
