/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pdu.h - pure helpers over iSCSI PDUs received in full-feature phase:
 * BHS validation, AHS walking (extended CDB), LUN field decoding/encoding,
 * CmdSN window, data transfer arithmetic (Data-In segmentation, R2T sizes,
 * unsolicited data, residuals).
 *
 * Nothing here touches a kernel object, allocates or sleeps, so pdu.c
 * builds into iscsi_trgt.ko and into tests/unit/kernel/pdu_test.cc alike.
 * Every value handed in may come straight from the wire.
 */
#ifndef IET_PDU_HELPERS_H
#define IET_PDU_HELPERS_H

#include "pure.h"
#include "../include/iet_pdu.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Result of iet_pdu_check(): what the receiver must do with the PDU. */
enum iet_pdu_verdict {
	IET_PDU_OK = 0,
	IET_PDU_REJECT,		/* unknown/unsupported opcode: Reject, go on */
	IET_PDU_FATAL,		/* framing broken: close the connection */
};

struct iet_pdu_info {
	u8	op;		/* opcode without the I bit */
	bool	immediate;
	u32	ahs_len;	/* bytes */
	u32	data_len;	/* DataSegmentLength, unpadded */
	u8	reject_reason;	/* IET_REJECT_* when verdict is REJECT */
	const char *why;	/* short reason for the log when not OK */
};

/*
 * Check a Basic Header Segment received from an initiator in full-feature
 * phase.  max_recv_dsl is the MaxRecvDataSegmentLength we declared.
 * Framing (AHS and data lengths) is always filled in when the verdict is
 * REJECT, so the receiver can skip the PDU and keep the stream in sync.
 */
enum iet_pdu_verdict iet_pdu_check(const struct iet_bhs *bhs, u32 max_recv_dsl,
				   struct iet_pdu_info *info);

/*
 * Walk the AHS area (len bytes, a multiple of 4) and build the full CDB:
 * the 16 bytes of the BHS followed by an Extended CDB AHS if present.
 * Returns the CDB length, or -EINVAL for a malformed AHS / too long a CDB.
 */
int iet_ahs_build_cdb(const u8 *bhs_cdb, const u8 *ahs, u32 len,
		      u8 *cdb, u32 cdb_max);

#define IET_LUN_INVALID		(~(u64)0)

/*
 * Decode the 8-byte LUN field (SAM-5 §4.7): single level peripheral
 * (00b) or flat space (01b) addressing.  Anything else, or non-zero
 * second-level bytes, gives IET_LUN_INVALID.
 */
u64 iet_lun_decode(const u8 lun[8]);
/* The LUN field we report for lun (REPORT LUNS, responses): < 256 as
 * peripheral addressing (what Linux expects for small LUNs), else flat. */
void iet_lun_encode(u64 lun, u8 out[8]);

/* Non-immediate CmdSN acceptance: exp <= sn <= max (serial arithmetic). */
static inline bool iet_cmdsn_in_window(u32 sn, u32 exp, u32 max)
{
	return iet_sn_le(exp, sn) && iet_sn_le(sn, max);
}

/* [off, off + len) inside [0, total) without overflow. */
static inline bool iet_range_ok(u32 off, u32 len, u32 total)
{
	return off <= total && len <= total - off;
}

/*
 * Bytes of unsolicited data (immediate + unsolicited Data-Out) the
 * initiator may send for a write of edtl bytes (RFC 7143 §13.11-13.14):
 * with InitialR2T=No up to FirstBurstLength; with InitialR2T=Yes only the
 * immediate data.  imm_len is the immediate data actually received.
 */
u32 iet_unsolicited_len(u32 edtl, u32 imm_len, bool initial_r2t,
			u32 first_burst);

/*
 * Next Data-In PDU: at offset of total bytes, no longer than max_xmit
 * (the initiator's MaxRecvDataSegmentLength) and never crossing a
 * MaxBurstLength sequence boundary.  *final says the PDU ends a sequence
 * (F bit).  Returns its length.
 */
u32 iet_datain_seg(u32 offset, u32 total, u32 max_xmit, u32 max_burst,
		   bool *final);

/* Residual flags and count for a transfer of done bytes against the
 * Expected Data Transfer Length (RFC 7143 §11.4.5). */
void iet_residual(u32 edtl, u32 wanted, u8 *flags, u32 *count);

#ifdef __cplusplus
}
#endif

#endif /* IET_PDU_HELPERS_H */
