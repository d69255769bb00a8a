/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cdb.h - the "parse" half of parse-then-execute: pure CDB decoding.
 *
 * iet_cdb_decode() looks at a CDB and the few facts it needs about the
 * logical unit (present?, capacity, block size, read-only?) and says which
 * emulation runs it, in which direction data moves and how many bytes, the
 * LBA range it touches, or which sense (key/ASC/ASCQ) it must fail with.
 * It does not touch any kernel object, so the same cdb.c builds into
 * iscsi_trgt.ko and into the userspace unit tests and fuzzer.
 *
 * References: SPC-4 (r37) for INQUIRY, REQUEST SENSE, REPORT LUNS,
 * MODE SENSE; SBC-3 (r36) for READ/WRITE/READ CAPACITY/SYNCHRONIZE CACHE/
 * VERIFY.
 */
#ifndef IET_CDB_H
#define IET_CDB_H

#include "pure.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Operation codes we know (SPC-4 annex D). */
#define IET_OP_TEST_UNIT_READY		0x00
#define IET_OP_REQUEST_SENSE		0x03
#define IET_OP_READ_6			0x08
#define IET_OP_WRITE_6			0x0a
#define IET_OP_INQUIRY			0x12
#define IET_OP_MODE_SELECT_6		0x15
#define IET_OP_MODE_SENSE_6		0x1a
#define IET_OP_START_STOP_UNIT		0x1b
#define IET_OP_PREVENT_ALLOW		0x1e
#define IET_OP_READ_CAPACITY_10		0x25
#define IET_OP_READ_10			0x28
#define IET_OP_WRITE_10			0x2a
#define IET_OP_VERIFY_10		0x2f
#define IET_OP_SYNC_CACHE_10		0x35
#define IET_OP_MODE_SELECT_10		0x55
#define IET_OP_MODE_SENSE_10		0x5a
#define IET_OP_READ_16			0x88
#define IET_OP_WRITE_16			0x8a
#define IET_OP_VERIFY_16		0x8f
#define IET_OP_SYNC_CACHE_16		0x91
#define IET_OP_SERVICE_ACTION_IN_16	0x9e
#define IET_SAI_READ_CAPACITY_16	0x10
#define IET_OP_REPORT_LUNS		0xa0
#define IET_OP_READ_12			0xa8
#define IET_OP_WRITE_12			0xaa

/* Sense keys (SPC-4 4.5.6). */
#define IET_SK_NO_SENSE			0x0
#define IET_SK_NOT_READY		0x2
#define IET_SK_MEDIUM_ERROR		0x3
#define IET_SK_HARDWARE_ERROR		0x4
#define IET_SK_ILLEGAL_REQUEST		0x5
#define IET_SK_UNIT_ATTENTION		0x6
#define IET_SK_DATA_PROTECT		0x7
#define IET_SK_ABORTED_COMMAND		0xb
#define IET_SK_MISCOMPARE		0xe

/* Additional sense codes (ASC << 8 | ASCQ), SPC-4 annex D.2. */
#define IET_ASC_NONE			0x0000
#define IET_ASC_WRITE_ERROR		0x0c00
#define IET_ASC_UNRECOVERED_READ_ERROR	0x1100
#define IET_ASC_INVALID_OPCODE		0x2000
#define IET_ASC_LBA_OUT_OF_RANGE	0x2100
#define IET_ASC_INVALID_FIELD_IN_CDB	0x2400
#define IET_ASC_MISCOMPARE_VERIFY	0x1d00
#define IET_ASC_LUN_NOT_SUPPORTED	0x2500
#define IET_ASC_WRITE_PROTECTED		0x2700
#define IET_ASC_SPACE_ALLOC_FAILED	0x2707
#define IET_ASC_SAVING_PARAMS_UNSUP	0x3900
#define IET_ASC_INTERNAL_TARGET_FAILURE	0x4400

/* The typed result of a failed decode. */
struct iet_sense_code {
	u8	key;
	u8	asc;
	u8	ascq;
};

/* What runs a command once it is decoded. */
enum iet_cdb_exec {
	IET_EXEC_NOP,			/* GOOD, nothing to do (TUR, ...) */
	IET_EXEC_INQUIRY,
	IET_EXEC_REQUEST_SENSE,
	IET_EXEC_REPORT_LUNS,
	IET_EXEC_MODE_SENSE_6,
	IET_EXEC_MODE_SENSE_10,
	IET_EXEC_READ_CAPACITY_10,
	IET_EXEC_READ_CAPACITY_16,
	IET_EXEC_READ,			/* backend: read lba/nr_blocks */
	IET_EXEC_WRITE,			/* backend: write lba/nr_blocks */
	IET_EXEC_SYNC_CACHE,		/* backend: flush lba/nr_blocks (0: to end) */
	IET_EXEC_VERIFY,		/* range checked, no medium access */
	IET_EXEC_COMPARE,		/* VERIFY with BYTCHK: Data-Out vs medium */
	__IET_EXEC_MAX,
};

enum iet_cdb_dir {
	IET_DIR_NONE,
	IET_DIR_TO_DEV,			/* Data-Out: initiator -> target */
	IET_DIR_FROM_DEV,		/* Data-In: target -> initiator */
};

/* What the decoder needs to know about the logical unit. */
struct iet_cdb_lu {
	bool	present;		/* false: no LUN behind this number */
	bool	readonly;
	u8	blkbits;		/* 9..12 */
	u64	blocks;			/* capacity in blocks */
};

/*
 * Largest data transfer of one command.  Reported as MAXIMUM TRANSFER
 * LENGTH in VPD page B0 (in blocks), so a compliant initiator never asks
 * for more; a larger READ/WRITE fails with INVALID FIELD IN CDB.  It also
 * bounds the pages one command pins (the buffer is allocated up front).
 */
#define IET_MAX_XFER_BYTES		(1024U * 1024U)

/*
 * Emulated Data-In responses never exceed this: the largest is REPORT
 * LUNS with every LUN (8-byte header + 8 bytes per LUN).  Allocation
 * lengths larger than this are clamped, not refused (SPC-4 4.2.5.6: the
 * allocation length only bounds what we return).
 */
#define IET_MAX_EMUL_BYTES		(8U + 8U * 16384U)

struct iet_cdb_info {
	enum iet_cdb_exec	exec;
	enum iet_cdb_dir	dir;
	u32			xfer_len;	/* bytes to allocate/move */
	u32			alloc_len;	/* allocation length from the CDB */
	u64			lba;
	u32			nr_blocks;
	bool			fua;
	bool			evpd;		/* INQUIRY */
	u8			page;		/* INQUIRY VPD page / MODE page */
	u8			subpage;	/* MODE SENSE */
	u8			pc;		/* MODE SENSE page control */
	bool			dbd;		/* MODE SENSE: no block descriptor */
	bool			llbaa;		/* MODE SENSE(10) */
	u8			select_report;	/* REPORT LUNS */
	u8			bytchk;		/* VERIFY: 0, 1 (all blocks), 3 (one block) */
};

/* Returns the length of the CDB for this opcode's group, 0 if reserved. */
unsigned int iet_cdb_group_len(u8 opcode);

/*
 * Decode cdb[0..cdb_len).  Returns 0 and fills *info, or -EINVAL and
 * fills *sense (ILLEGAL REQUEST/... or DATA PROTECT/WRITE PROTECTED).
 * info is zeroed first in any case.
 */
int iet_cdb_decode(const u8 *cdb, unsigned int cdb_len,
		   const struct iet_cdb_lu *lu, struct iet_cdb_info *info,
		   struct iet_sense_code *sense);

/*
 * The one errno -> sense mapping (STYLE.md #6).  write tells a failed
 * write (WRITE ERROR) from a failed read (UNRECOVERED READ ERROR).
 */
void iet_errno_to_sense(int err, bool write, struct iet_sense_code *sense);

/* Fixed-format sense data (SPC-4 4.5.3), 18 bytes, into buf. */
#define IET_FIXED_SENSE_LEN		18
void iet_build_fixed_sense(u8 *buf, const struct iet_sense_code *sense);

#ifdef __cplusplus
}
#endif

#endif /* IET_CDB_H */
