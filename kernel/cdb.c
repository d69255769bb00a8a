// SPDX-License-Identifier: GPL-2.0-only
/*
 * cdb.c - pure CDB decoding (see cdb.h).  Every field that comes from the
 * initiator is checked here, once, before anything is allocated: opcode,
 * reserved/unsupported bits, allocation lengths, and the LBA range with an
 * overflow-safe comparison.
 */
#include "cdb.h"

#define SENSE_ASC(c)	((u8)((c) >> 8))
#define SENSE_ASCQ(c)	((u8)((c) & 0xff))

static int fail(struct iet_sense_code *s, u8 key, u16 code)
{
	s->key = key;
	s->asc = SENSE_ASC(code);
	s->ascq = SENSE_ASCQ(code);
	return -EINVAL;
}

static int invalid_field(struct iet_sense_code *s)
{
	return fail(s, IET_SK_ILLEGAL_REQUEST, IET_ASC_INVALID_FIELD_IN_CDB);
}

static u32 min_u32(u32 a, u32 b)
{
	return a < b ? a : b;
}

unsigned int iet_cdb_group_len(u8 opcode)
{
	/* SPC-4 4.2.5.1: the group code (top three bits) fixes the length. */
	switch (opcode >> 5) {
	case 0:
		return 6;
	case 1:
	case 2:
		return 10;
	case 4:
		return 16;
	case 5:
		return 12;
	default:
		return 0;	/* 3: variable length/reserved; 6, 7: vendor */
	}
}

/*
 * SBC-3 4.5: a command that names blocks past the capacity fails with
 * LOGICAL BLOCK ADDRESS OUT OF RANGE.  Written so that lba + nr can never
 * overflow: lba and nr are both initiator-controlled.
 */
static bool lba_range_ok(const struct iet_cdb_lu *lu, u64 lba, u64 nr)
{
	return lba <= lu->blocks && nr <= lu->blocks - lba;
}

static int decode_rw(const u8 *cdb, const struct iet_cdb_lu *lu,
		     struct iet_cdb_info *info, struct iet_sense_code *sense,
		     bool write)
{
	u64 lba;
	u32 nr;
	u64 bytes;

	switch (cdb[0]) {
	case IET_OP_READ_6:
	case IET_OP_WRITE_6:
		/* SBC-3 5.7: 21-bit LBA; a length of 0 means 256 blocks. */
		lba = ((u32)(cdb[1] & 0x1f) << 16) | get_unaligned_be16(&cdb[2]);
		nr = cdb[4] ? cdb[4] : 256;
		break;
	case IET_OP_READ_10:
	case IET_OP_WRITE_10:
		lba = get_unaligned_be32(&cdb[2]);
		nr = get_unaligned_be16(&cdb[7]);
		break;
	case IET_OP_READ_12:
	case IET_OP_WRITE_12:
		lba = get_unaligned_be32(&cdb[2]);
		nr = get_unaligned_be32(&cdb[6]);
		break;
	default: /* READ_16 / WRITE_16 */
		lba = get_unaligned_be64(&cdb[2]);
		nr = get_unaligned_be32(&cdb[10]);
		break;
	}

	if (cdb[0] != IET_OP_READ_6 && cdb[0] != IET_OP_WRITE_6) {
		/*
		 * RDPROTECT/WRPROTECT: we keep no protection information, so
		 * any nonzero value is an invalid field (SBC-3 5.8, table 98).
		 */
		if (cdb[1] >> 5)
			return invalid_field(sense);
		info->fua = cdb[1] & 0x08;
	}

	if (!lba_range_ok(lu, lba, nr))
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_LBA_OUT_OF_RANGE);

	bytes = (u64)nr << lu->blkbits;
	if (bytes > IET_MAX_XFER_BYTES)	/* beyond what VPD B0 promised */
		return invalid_field(sense);

	if (write && lu->readonly)
		return fail(sense, IET_SK_DATA_PROTECT, IET_ASC_WRITE_PROTECTED);

	info->lba = lba;
	info->nr_blocks = nr;
	if (!nr) {
		/* SBC-3: zero blocks is not an error; nothing to move. */
		info->exec = IET_EXEC_NOP;
		info->dir = IET_DIR_NONE;
		return 0;
	}
	info->exec = write ? IET_EXEC_WRITE : IET_EXEC_READ;
	info->dir = write ? IET_DIR_TO_DEV : IET_DIR_FROM_DEV;
	info->xfer_len = (u32)bytes;
	return 0;
}

static int decode_inquiry(const u8 *cdb, struct iet_cdb_info *info,
			  struct iet_sense_code *sense)
{
	/* CMDDT (obsolete since SPC-3) is refused, as SPC-4 6.6.1 allows. */
	if (cdb[1] & 0x02)
		return invalid_field(sense);
	info->evpd = cdb[1] & 0x01;
	info->page = cdb[2];
	if (!info->evpd && info->page)
		return invalid_field(sense);
	if (info->evpd) {
		switch (info->page) {
		case 0x00:	/* supported pages */
		case 0x80:	/* unit serial number */
		case 0x83:	/* device identification */
		case 0xb0:	/* block limits */
		case 0xb1:	/* block device characteristics */
			break;
		default:
			return invalid_field(sense);
		}
	}
	info->alloc_len = get_unaligned_be16(&cdb[3]);
	info->exec = IET_EXEC_INQUIRY;
	return 0;
}

static int decode_mode_sense(const u8 *cdb, struct iet_cdb_info *info,
			     struct iet_sense_code *sense)
{
	bool ten = cdb[0] == IET_OP_MODE_SENSE_10;

	info->dbd = cdb[1] & 0x08;
	info->llbaa = ten && (cdb[1] & 0x10);
	info->pc = cdb[2] >> 6;
	info->page = cdb[2] & 0x3f;
	info->subpage = cdb[3];
	info->alloc_len = ten ? get_unaligned_be16(&cdb[7]) : cdb[4];

	/* SPC-4 6.11: saved values we do not keep. */
	if (info->pc == 3)
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_SAVING_PARAMS_UNSUP);
	switch (info->page) {
	case 0x08:	/* caching */
	case 0x0a:	/* control */
		if (info->subpage)
			return invalid_field(sense);
		break;
	case 0x3f:	/* all pages; 0xff: all pages and subpages */
		if (info->subpage && info->subpage != 0xff)
			return invalid_field(sense);
		break;
	default:
		return invalid_field(sense);
	}
	info->exec = ten ? IET_EXEC_MODE_SENSE_10 : IET_EXEC_MODE_SENSE_6;
	return 0;
}

static int decode_verify(const u8 *cdb, const struct iet_cdb_lu *lu,
			 struct iet_cdb_info *info,
			 struct iet_sense_code *sense)
{
	u8 bytchk = (cdb[1] >> 1) & 0x03;
	u64 bytes;
	u64 lba;
	u32 nr;

	/* VRPROTECT: no protection information.  BYTCHK 10b is reserved. */
	if ((cdb[1] >> 5) || bytchk == 2)
		return invalid_field(sense);
	if (cdb[0] == IET_OP_VERIFY_10) {
		lba = get_unaligned_be32(&cdb[2]);
		nr = get_unaligned_be16(&cdb[7]);
	} else {
		lba = get_unaligned_be64(&cdb[2]);
		nr = get_unaligned_be32(&cdb[10]);
	}
	if (!lba_range_ok(lu, lba, nr))
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_LBA_OUT_OF_RANGE);
	info->lba = lba;
	info->nr_blocks = nr;
	info->bytchk = bytchk;
	info->exec = IET_EXEC_VERIFY;
	if (!bytchk || !nr)
		return 0;	/* BYTCHK 0: a virtual medium always verifies */

	/*
	 * SBC-3 5.33: BYTCHK 01b sends every block to compare, 11b sends one
	 * block compared against each.  Either way the medium range read is
	 * bounded like a READ, so it fails the same way when too long.
	 */
	bytes = (u64)nr << lu->blkbits;
	if (bytes > IET_MAX_XFER_BYTES)
		return invalid_field(sense);
	info->exec = IET_EXEC_COMPARE;
	info->dir = IET_DIR_TO_DEV;
	info->xfer_len = bytchk == 1 ? (u32)bytes : 1U << lu->blkbits;
	return 0;
}

static int decode_sync_cache(const u8 *cdb, const struct iet_cdb_lu *lu,
			     struct iet_cdb_info *info,
			     struct iet_sense_code *sense)
{
	u64 lba;
	u32 nr;

	if (cdb[0] == IET_OP_SYNC_CACHE_10) {
		lba = get_unaligned_be32(&cdb[2]);
		nr = get_unaligned_be16(&cdb[7]);
	} else {
		lba = get_unaligned_be64(&cdb[2]);
		nr = get_unaligned_be32(&cdb[10]);
	}
	/* SBC-3 5.22: NUMBER OF LOGICAL BLOCKS 0 means "to the end". */
	if (!lba_range_ok(lu, lba, nr))
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_LBA_OUT_OF_RANGE);
	info->lba = lba;
	info->nr_blocks = nr;
	info->exec = IET_EXEC_SYNC_CACHE;
	return 0;
}

int iet_cdb_decode(const u8 *cdb, unsigned int cdb_len,
		   const struct iet_cdb_lu *lu, struct iet_cdb_info *info,
		   struct iet_sense_code *sense)
{
	unsigned int len;
	u8 op;
	int ret;

	memset(info, 0, sizeof(*info));
	memset(sense, 0, sizeof(*sense));

	if (!cdb_len)
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_INVALID_OPCODE);
	op = cdb[0];

	/*
	 * SPC-4 4.6.5 (logical units not present): INQUIRY, REPORT LUNS and
	 * REQUEST SENSE still work; everything else is LUN NOT SUPPORTED.
	 */
	if (!lu->present && op != IET_OP_INQUIRY && op != IET_OP_REPORT_LUNS &&
	    op != IET_OP_REQUEST_SENSE)
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_LUN_NOT_SUPPORTED);

	len = iet_cdb_group_len(op);
	if (!len)
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_INVALID_OPCODE);
	/* The transport may hand us fewer bytes than the opcode needs. */
	if (cdb_len < len)
		return invalid_field(sense);
	/*
	 * CONTROL byte: NACA (bit 2) asks for ACA, which we do not support
	 * (SAM-5 5.9.1.2); LINK (bit 0) is obsolete.  Both are invalid.
	 */
	if (cdb[len - 1] & 0x05)
		return invalid_field(sense);

	switch (op) {
	case IET_OP_TEST_UNIT_READY:
	case IET_OP_START_STOP_UNIT:	/* a virtual disk is always spinning */
	case IET_OP_PREVENT_ALLOW:	/* nothing to lock: not removable */
		info->exec = IET_EXEC_NOP;
		return 0;

	case IET_OP_REQUEST_SENSE:
		/* DESC: we only produce fixed-format sense (SPC-4 6.39). */
		if (cdb[1] & 0x01)
			return invalid_field(sense);
		info->alloc_len = cdb[4];
		info->exec = IET_EXEC_REQUEST_SENSE;
		break;

	case IET_OP_INQUIRY:
		ret = decode_inquiry(cdb, info, sense);
		if (ret)
			return ret;
		break;

	case IET_OP_MODE_SENSE_6:
	case IET_OP_MODE_SENSE_10:
		ret = decode_mode_sense(cdb, info, sense);
		if (ret)
			return ret;
		break;

	case IET_OP_READ_CAPACITY_10:
		/* SBC-3 5.15: with PMI clear the LBA field must be zero. */
		if (!(cdb[8] & 0x01) && get_unaligned_be32(&cdb[2]))
			return invalid_field(sense);
		info->alloc_len = 8;
		info->exec = IET_EXEC_READ_CAPACITY_10;
		break;

	case IET_OP_SERVICE_ACTION_IN_16:
		if ((cdb[1] & 0x1f) != IET_SAI_READ_CAPACITY_16)
			return invalid_field(sense);
		if (!(cdb[14] & 0x01) && get_unaligned_be64(&cdb[2]))
			return invalid_field(sense);
		info->alloc_len = get_unaligned_be32(&cdb[10]);
		info->exec = IET_EXEC_READ_CAPACITY_16;
		break;

	case IET_OP_REPORT_LUNS:
		info->select_report = cdb[2];
		/* 0: all, 1: well-known only (we have none), 2: all. */
		if (info->select_report > 2)
			return invalid_field(sense);
		info->alloc_len = get_unaligned_be32(&cdb[6]);
		/* SPC-4 6.33: an allocation length below 4 is invalid. */
		if (info->alloc_len < 4)
			return invalid_field(sense);
		info->exec = IET_EXEC_REPORT_LUNS;
		break;

	case IET_OP_READ_6:
	case IET_OP_READ_10:
	case IET_OP_READ_12:
	case IET_OP_READ_16:
		return decode_rw(cdb, lu, info, sense, false);

	case IET_OP_WRITE_6:
	case IET_OP_WRITE_10:
	case IET_OP_WRITE_12:
	case IET_OP_WRITE_16:
		return decode_rw(cdb, lu, info, sense, true);

	case IET_OP_VERIFY_10:
	case IET_OP_VERIFY_16:
		return decode_verify(cdb, lu, info, sense);

	case IET_OP_SYNC_CACHE_10:
	case IET_OP_SYNC_CACHE_16:
		return decode_sync_cache(cdb, lu, info, sense);

	default:
		/* MODE SELECT included: no changeable parameters. */
		return fail(sense, IET_SK_ILLEGAL_REQUEST,
			    IET_ASC_INVALID_OPCODE);
	}

	/*
	 * Emulated Data-In: the buffer is the allocation length, clamped to
	 * the largest response we can produce.  A zero allocation length
	 * is not an error; nothing is returned (SPC-4 4.2.5.6).
	 */
	info->dir = IET_DIR_FROM_DEV;
	info->xfer_len = min_u32(info->alloc_len, IET_MAX_EMUL_BYTES);
	if (!info->xfer_len)
		info->dir = IET_DIR_NONE;
	return 0;
}

void iet_errno_to_sense(int err, bool write, struct iet_sense_code *sense)
{
	u16 code;
	u8 key;

	switch (err) {
	case -EIO:
		key = IET_SK_MEDIUM_ERROR;
		code = write ? IET_ASC_WRITE_ERROR :
			       IET_ASC_UNRECOVERED_READ_ERROR;
		break;
	case -ENOSPC:
	case -EDQUOT:
		/* Thin provisioning ran out (SBC-3 4.7.3.6). */
		key = IET_SK_DATA_PROTECT;
		code = IET_ASC_SPACE_ALLOC_FAILED;
		break;
	case -EROFS:
		key = IET_SK_DATA_PROTECT;
		code = IET_ASC_WRITE_PROTECTED;
		break;
	default:
		key = IET_SK_HARDWARE_ERROR;
		code = IET_ASC_INTERNAL_TARGET_FAILURE;
		break;
	}
	sense->key = key;
	sense->asc = SENSE_ASC(code);
	sense->ascq = SENSE_ASCQ(code);
}

void iet_build_fixed_sense(u8 *buf, const struct iet_sense_code *sense)
{
	memset(buf, 0, IET_FIXED_SENSE_LEN);
	buf[0] = 0x70;			/* current error, fixed format */
	buf[2] = sense->key & 0x0f;
	buf[7] = IET_FIXED_SENSE_LEN - 8;	/* additional sense length */
	buf[12] = sense->asc;
	buf[13] = sense->ascq;
}
