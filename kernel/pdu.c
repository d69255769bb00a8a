// SPDX-License-Identifier: GPL-2.0-only
/*
 * pdu.c - pure checks and arithmetic over iSCSI PDUs (see pdu.h).
 * Built into iscsi_trgt.ko and, unchanged, into the userspace unit tests.
 */
#include "pdu.h"

enum iet_pdu_verdict iet_pdu_check(const struct iet_bhs *bhs, u32 max_recv_dsl,
				   struct iet_pdu_info *info)
{
	memset(info, 0, sizeof(*info));
	info->op = bhs->opcode & IET_OP_MASK;
	info->immediate = !!(bhs->opcode & IET_OP_IMMEDIATE);
	info->ahs_len = (u32)bhs->ahslength * 4;
	info->data_len = iet_dlength_get(bhs->dlength);

	/*
	 * Framing first: a segment longer than we declared is a broken peer
	 * (RFC 7143 §13.12), and we would not know where the next PDU starts
	 * if we tried to skip it under a smaller buffer.
	 */
	if (info->data_len > max_recv_dsl) {
		info->why = "DataSegmentLength exceeds MaxRecvDataSegmentLength";
		return IET_PDU_FATAL;
	}

	switch (info->op) {
	case IET_OP_SCSI_CMD:
	case IET_OP_NOP_OUT:
	case IET_OP_TEXT_REQ:
		return IET_PDU_OK;
	case IET_OP_SCSI_DATA_OUT:
		if (info->immediate) {
			info->why = "Data-Out with the I bit";
			return IET_PDU_FATAL;
		}
		return IET_PDU_OK;
	case IET_OP_TASK_MGT_REQ:
	case IET_OP_LOGOUT_REQ:
		/* §11.5, §11.14: these carry no data segment. */
		if (info->data_len) {
			info->why = "data segment on a PDU that has none";
			return IET_PDU_FATAL;
		}
		return IET_PDU_OK;
	case IET_OP_SNACK_REQ:
		/* ERL 0: we keep no state to answer a SNACK with. */
		info->reject_reason = IET_REJECT_SNACK_REJECT;
		info->why = "SNACK at ErrorRecoveryLevel 0";
		return IET_PDU_REJECT;
	case IET_OP_LOGIN_REQ:
		info->reject_reason = IET_REJECT_PROTOCOL_ERROR;
		info->why = "Login Request in full-feature phase";
		return IET_PDU_REJECT;
	default:
		info->reject_reason = IET_REJECT_CMD_NOT_SUPPORTED;
		info->why = "unknown opcode";
		return IET_PDU_REJECT;
	}
}

int iet_ahs_build_cdb(const u8 *bhs_cdb, const u8 *ahs, u32 len,
		      u8 *cdb, u32 cdb_max)
{
	u32 cdb_len = IET_CDB_LEN;
	u32 off = 0;
	bool have_ext = false;

	if (cdb_max < IET_CDB_LEN || (len & 3))
		return -EINVAL;
	memcpy(cdb, bhs_cdb, IET_CDB_LEN);

	while (off < len) {
		u32 alen, total;
		u8 type;

		if (len - off < 4)
			return -EINVAL;
		/* AHSLength counts the bytes after the 3-byte header (§11.2.2). */
		alen = get_unaligned_be16(ahs + off);
		type = ahs[off + 2];
		total = iet_padded(3 + alen);
		if (alen == 0 || total > len - off)
			return -EINVAL;
		if (type == IET_AHSTYPE_EXT_CDB) {
			/* One reserved byte, then the CDB bytes beyond 16. */
			u32 extra = alen - 1;

			if (have_ext || extra > cdb_max - IET_CDB_LEN)
				return -EINVAL;
			memcpy(cdb + IET_CDB_LEN, ahs + off + 4, extra);
			cdb_len += extra;
			have_ext = true;
		}
		/* Other AHS types (bidirectional read length) are ignored:
		 * we do not support bidirectional commands. */
		off += total;
	}
	return (int)cdb_len;
}

u64 iet_lun_decode(const u8 lun[8])
{
	u64 v;
	int i;

	for (i = 2; i < 8; i++)
		if (lun[i])
			return IET_LUN_INVALID;
	switch (lun[0] >> 6) {
	case 0:	/* peripheral device addressing, bus 0 only */
		if (lun[0] & 0x3f)
			return IET_LUN_INVALID;
		return lun[1];
	case 1:	/* flat space addressing */
		v = ((u64)(lun[0] & 0x3f) << 8) | lun[1];
		return v;
	default:
		return IET_LUN_INVALID;
	}
}

void iet_lun_encode(u64 lun, u8 out[8])
{
	memset(out, 0, 8);
	if (lun < 256) {
		out[1] = (u8)lun;
	} else {
		out[0] = (u8)(0x40 | ((lun >> 8) & 0x3f));
		out[1] = (u8)lun;
	}
}

u32 iet_unsolicited_len(u32 edtl, u32 imm_len, bool initial_r2t,
			u32 first_burst)
{
	u32 lim;

	if (initial_r2t)
		lim = imm_len;
	else
		lim = first_burst > imm_len ? first_burst : imm_len;
	return lim < edtl ? lim : edtl;
}

u32 iet_datain_seg(u32 offset, u32 total, u32 max_xmit, u32 max_burst,
		   bool *final)
{
	u32 left, burst_left, len;

	*final = true;
	if (offset >= total || !max_xmit || !max_burst)
		return 0;
	left = total - offset;
	burst_left = max_burst - (offset % max_burst);
	len = left;
	if (len > max_xmit)
		len = max_xmit;
	if (len > burst_left)
		len = burst_left;
	*final = len == left || len == burst_left;
	return len;
}

void iet_residual(u32 edtl, u32 wanted, u8 *flags, u32 *count)
{
	if (wanted > edtl) {
		*flags = IET_RSP_FLAG_OVERFLOW;
		*count = wanted - edtl;
	} else if (wanted < edtl) {
		*flags = IET_RSP_FLAG_UNDERFLOW;
		*count = edtl - wanted;
	} else {
		*flags = 0;
		*count = 0;
	}
}
