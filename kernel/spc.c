// SPDX-License-Identifier: GPL-2.0-only
/*
 * spc.c - SPC-4 commands every logical unit answers: INQUIRY (standard
 * data and VPD pages), REQUEST SENSE, REPORT LUNS, MODE SENSE(6/10).
 * The CDB was validated by cdb.c; fields are re-read here without checks
 * only where cdb.c already rejected every bad value.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/kernel.h>
#include <scsi/scsi_proto.h>

#include "scsi.h"

#define IET_VENDOR		"IET     "		/* 8 bytes */
#define IET_PRODUCT		"VIRTUAL-DISK    "	/* 16 bytes */
#define IET_REVISION		"0001"			/* 4 bytes */

#define PERIPH_DISK		0x00
#define PERIPH_NO_LUN		0x7f	/* PQ 011b, type 1fh: no such LUN */

/* VPD responses are all well below this. */
#define IET_VPD_BUF		512

int iet_spc_nop(struct iet_scsi_cmd *cmd)
{
	return 0;
}

static void spc_standard_inquiry(struct iet_scsi_cmd *cmd, u8 *buf)
{
	/* SPC-4 6.6.2, 66 bytes: 36 standard + version descriptors. */
	static const u16 versions[] = {
		0x00a0,		/* SAM-5 */
		0x0960,		/* iSCSI */
		0x0460,		/* SPC-4 */
		0x04c0,		/* SBC-3 */
	};
	unsigned int i;

	buf[0] = cmd->vol ? PERIPH_DISK : PERIPH_NO_LUN;
	buf[2] = 0x06;		/* VERSION: SPC-4 */
	buf[3] = 0x02;		/* RESPONSE DATA FORMAT 2 */
	buf[4] = 66 - 5;	/* ADDITIONAL LENGTH */
	/*
	 * CMDQUE: we take many commands at once.  Without it Linux runs the
	 * LUN at queue depth 1.
	 */
	buf[7] = 0x02;
	memcpy(&buf[8], IET_VENDOR, 8);
	memcpy(&buf[16], IET_PRODUCT, 16);
	memcpy(&buf[32], IET_REVISION, 4);
	for (i = 0; i < ARRAY_SIZE(versions); i++)
		put_unaligned_be16(versions[i], &buf[58 + 2 * i]);
	iet_scsi_copy_response(cmd, buf, 66);
}

static u32 vpd_supported(struct iet_scsi_cmd *cmd, u8 *buf)
{
	static const u8 pages[] = { 0x00, 0x80, 0x83, 0xb0, 0xb1 };

	memcpy(&buf[4], pages, sizeof(pages));
	return 4 + sizeof(pages);
}

static u32 vpd_serial(struct iet_scsi_cmd *cmd, u8 *buf)
{
	/* volume.c always sets scsi_sn: configured or derived from tid/lun. */
	size_t len = strnlen(cmd->vol->scsi_sn, IET_SCSI_SN_MAX);

	memcpy(&buf[4], cmd->vol->scsi_sn, len);
	return 4 + len;
}

/* SAM-5 4.7.7: peripheral addressing below 256, flat space above. */
static void spc_encode_lun(u32 lun, u8 *p)
{
	memset(p, 0, 8);
	if (lun < 256) {
		p[1] = lun;
	} else {
		p[0] = 0x40 | ((lun >> 8) & 0x3f);
		p[1] = lun & 0xff;
	}
}

/* One designation descriptor header (SPC-4 7.8.6.1). */
static u8 *vpd_desig(u8 *p, u8 code_set, u8 assoc_type, u8 len)
{
	p[0] = code_set;	/* protocol identifier 0, code set */
	p[1] = assoc_type;	/* PIV 0, ASSOCIATION, DESIGNATOR TYPE */
	p[3] = len;
	return p + 4;
}

static u32 vpd_devid(struct iet_scsi_cmd *cmd, u8 *buf)
{
	struct iet_volume *vol = cmd->vol;
	const char *tname = cmd->target ? cmd->target->name : "";
	u8 *p = &buf[4];
	size_t sn_len = strnlen(vol->scsi_sn, IET_SCSI_SN_MAX);
	size_t tlen, slen, i;
	u8 naa[8], lun[8];
	bool have_naa = false;

	/*
	 * NAA designator.  A configured ScsiId of 8 or 16 bytes that is
	 * already a valid NAA (types 2, 3, 5; 6 for 16 bytes) goes out as
	 * is.  Otherwise derive a locally assigned NAA 3h (SPC-4 7.8.6.6.4,
	 * 60 bits of our choosing) from tid and lun, so that
	 * /dev/disk/by-id/wwn-* stays the same across reboots.
	 */
	if (vol->scsi_id_len == 16 && (vol->scsi_id[0] >> 4) == 6) {
		p = vpd_desig(p, 0x01, 0x03, 16);
		memcpy(p, vol->scsi_id, 16);
		p += 16;
		have_naa = true;
	} else if (vol->scsi_id_len == 8 &&
		   ((vol->scsi_id[0] >> 4) == 2 || (vol->scsi_id[0] >> 4) == 3 ||
		    (vol->scsi_id[0] >> 4) == 5)) {
		memcpy(naa, vol->scsi_id, 8);
		have_naa = true;
	} else if (!vol->scsi_id_len) {
		put_unaligned_be64((3ULL << 60) | ((u64)vol->target->tid << 16) |
				   vol->lun, naa);
		have_naa = true;
	}
	if (have_naa && p == &buf[4]) {
		p = vpd_desig(p, 0x01, 0x03, 8);	/* binary, LU, NAA */
		memcpy(p, naa, 8);
		p += 8;
	}

	/*
	 * T10 vendor ID designator (SPC-4 7.8.6.4): "IET     " followed by
	 * the ScsiId in hex when configured, else the unit serial number.
	 * IET's initiators' udev rules key on this one.
	 */
	if (vol->scsi_id_len) {
		p = vpd_desig(p, 0x02, 0x01, 8 + 2 * vol->scsi_id_len);
		memcpy(p, IET_VENDOR, 8);
		for (i = 0; i < vol->scsi_id_len; i++)
			snprintf((char *)p + 8 + 2 * i, 3, "%02x",
				 vol->scsi_id[i]);
		p += 8 + 2 * vol->scsi_id_len;
	} else {
		p = vpd_desig(p, 0x02, 0x01, 8 + sn_len);
		memcpy(p, IET_VENDOR, 8);
		memcpy(p + 8, vol->scsi_sn, sn_len);
		p += 8 + sn_len;
	}

	/*
	 * SCSI name string for the logical unit (SPC-4 7.8.6.11):
	 * "<target name>,L,0x<LUN in hex>", NUL-terminated, padded to a
	 * multiple of 4.  UTF-8 code set, LU association.
	 */
	tlen = strnlen(tname, IET_NAME_MAX - 1);
	slen = tlen + 3 + 2 + 16 + 1;
	slen = round_up(slen, 4);
	p = vpd_desig(p, 0x03, 0x08, slen);
	memcpy(p, tname, tlen);
	spc_encode_lun(vol->lun, lun);
	snprintf((char *)p + tlen, slen - tlen, ",L,0x%016llx",
		 (unsigned long long)get_unaligned_be64(lun));
	p += slen;

	return p - buf;
}

static u32 vpd_block_limits(struct iet_scsi_cmd *cmd, u8 *buf)
{
	u32 max_blocks = IET_MAX_XFER_BYTES >> cmd->vol->blkbits;

	/* SBC-3 6.5.3; page length 3Ch. */
	put_unaligned_be16(1, &buf[6]);		/* OPTIMAL XFER GRANULARITY */
	put_unaligned_be32(max_blocks, &buf[8]);	/* MAXIMUM TRANSFER */
	put_unaligned_be32(max_blocks, &buf[12]);	/* OPTIMAL TRANSFER */
	return 4 + 0x3c;
}

static u32 vpd_block_chars(struct iet_scsi_cmd *cmd, u8 *buf)
{
	/*
	 * SBC-3 6.5.2: nullio never rotates; for a file we do not know
	 * the medium and say "not reported" (0).
	 */
	if (cmd->vol->ops == &iet_nullio_ops)
		put_unaligned_be16(1, &buf[4]);
	return 4 + 0x3c;
}

int iet_spc_inquiry(struct iet_scsi_cmd *cmd)
{
	bool evpd = cmd->cdb[1] & 0x01;
	u8 page = cmd->cdb[2];
	u32 len;
	u8 *buf;

	buf = kzalloc(IET_VPD_BUF, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	if (!evpd) {
		spc_standard_inquiry(cmd, buf);
		goto free;
	}
	/*
	 * VPD pages describe a logical unit; with none behind this LUN there
	 * is nothing to describe (SPC-4 6.6.1).
	 */
	if (!cmd->vol) {
		iet_scsi_set_sense(cmd, IET_SK_ILLEGAL_REQUEST, 0x25, 0x00);
		goto free;
	}

	switch (page) {
	case 0x00:
		len = vpd_supported(cmd, buf);
		break;
	case 0x80:
		len = vpd_serial(cmd, buf);
		break;
	case 0x83:
		len = vpd_devid(cmd, buf);
		break;
	case 0xb0:
		len = vpd_block_limits(cmd, buf);
		break;
	case 0xb1:
		len = vpd_block_chars(cmd, buf);
		break;
	default:
		/* cdb.c lets no other page through. */
		iet_scsi_set_sense(cmd, IET_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		goto free;
	}
	buf[0] = PERIPH_DISK;
	buf[1] = page;
	put_unaligned_be16(len - 4, &buf[2]);
	iet_scsi_copy_response(cmd, buf, len);
free:
	kfree(buf);
	return 0;
}

int iet_spc_request_sense(struct iet_scsi_cmd *cmd)
{
	struct iet_sense_code s = { .key = IET_SK_NO_SENSE };
	u8 buf[IET_FIXED_SENSE_LEN];

	/*
	 * We keep no deferred or pending sense: every error was reported
	 * with CHECK CONDITION at once (autosense).  A missing LUN answers
	 * with LOGICAL UNIT NOT SUPPORTED and GOOD status (SPC-4 6.39).
	 */
	if (!cmd->vol) {
		s.key = IET_SK_ILLEGAL_REQUEST;
		s.asc = 0x25;
	}
	iet_build_fixed_sense(buf, &s);
	iet_scsi_copy_response(cmd, buf, sizeof(buf));
	return 0;
}

int iet_spc_report_luns(struct iet_scsi_cmd *cmd)
{
	struct iet_target *t = cmd->target;
	unsigned long index;
	void *entry;
	u32 n = 0, len;
	u8 *buf;

	if (WARN_ON_ONCE(!t))
		return -EINVAL;
	buf = kvzalloc(IET_MAX_EMUL_BYTES, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;

	/* SELECT REPORT 01h: well-known LUNs only; we have none. */
	if (cmd->cdb[2] != 0x01) {
		/*
		 * Only the index is used, never the volume itself, so the
		 * RCU walk inside xa_for_each is enough.
		 */
		xa_for_each_range(&t->volumes, index, entry, 0, IET_LUN_MAX) {
			spc_encode_lun(index, &buf[8 + 8 * n]);
			if (++n > IET_LUN_MAX)
				break;
		}
	}
	len = 8 + 8 * n;
	put_unaligned_be32(8 * n, &buf[0]);	/* LUN LIST LENGTH */
	iet_scsi_copy_response(cmd, buf, len);
	kvfree(buf);
	return 0;
}

static u32 mode_caching_page(struct iet_scsi_cmd *cmd, u8 pc, u8 *p)
{
	/* SBC-3 6.4.5, 20 bytes. */
	p[0] = 0x08;
	p[1] = 0x12;
	if (pc == 1)		/* changeable values: none */
		return 20;
	/*
	 * WCE tells the initiator whether it must send SYNCHRONIZE CACHE:
	 * only write-back keeps data in a volatile cache.
	 */
	if (cmd->vol->iomode == IET_IOMODE_WB)
		p[2] |= 0x04;
	return 20;
}

static u32 mode_control_page(struct iet_scsi_cmd *cmd, u8 pc, u8 *p)
{
	/* SPC-4 7.5.8, 12 bytes. */
	p[0] = 0x0a;
	p[1] = 0x0a;
	if (pc == 1)
		return 12;
	p[3] = 0x10;		/* QUEUE ALGORITHM MODIFIER 1: unrestricted */
	put_unaligned_be16(0xffff, &p[8]);	/* BUSY TIMEOUT: unlimited */
	return 12;
}

int iet_spc_mode_sense(struct iet_scsi_cmd *cmd)
{
	struct iet_volume *vol = cmd->vol;
	bool ten = cmd->cdb[0] == IET_OP_MODE_SENSE_10;
	bool dbd = cmd->cdb[1] & 0x08;
	bool llbaa = ten && (cmd->cdb[1] & 0x10);
	u8 pc = cmd->cdb[2] >> 6;
	u8 page = cmd->cdb[2] & 0x3f;
	u8 buf[128] = {};
	u32 hdr = ten ? 8 : 4;
	u32 bdlen = dbd ? 0 : (llbaa ? 16 : 8);
	u32 len = hdr;
	u8 devspec;

	/* DPOFUA: we honour FUA; WP on a read-only LUN (SBC-3 6.4.1). */
	devspec = 0x10;
	if (vol->iomode == IET_IOMODE_RO)
		devspec |= 0x80;

	if (bdlen == 8) {
		u64 blocks = vol->blocks;

		put_unaligned_be32(blocks > 0xffffffffULL ? 0xffffffff :
				   (u32)blocks, &buf[len]);
		put_unaligned_be32(vol->blocksize & 0xffffff, &buf[len + 4]);
	} else if (bdlen == 16) {
		put_unaligned_be64(vol->blocks, &buf[len]);
		put_unaligned_be32(vol->blocksize, &buf[len + 12]);
	}
	len += bdlen;

	if (page == 0x08 || page == 0x3f)
		len += mode_caching_page(cmd, pc, &buf[len]);
	if (page == 0x0a || page == 0x3f)
		len += mode_control_page(cmd, pc, &buf[len]);

	if (ten) {
		put_unaligned_be16(len - 2, &buf[0]);
		buf[3] = devspec;
		if (bdlen == 16)
			buf[4] = 0x01;	/* LONGLBA */
		put_unaligned_be16(bdlen, &buf[6]);
	} else {
		buf[0] = len - 1;
		buf[2] = devspec;
		buf[3] = bdlen;
	}
	iet_scsi_copy_response(cmd, buf, len);
	return 0;
}
