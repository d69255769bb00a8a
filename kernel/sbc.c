// SPDX-License-Identifier: GPL-2.0-only
/*
 * sbc.c - SBC-3 block commands: READ CAPACITY(10/16) are answered here;
 * READ/WRITE/SYNCHRONIZE CACHE go to the volume's backend; VERIFY
 * without BYTCHK only needs the range check cdb.c already made.
 */
#include <linux/kernel.h>

#include "scsi.h"

int iet_sbc_read_capacity_10(struct iet_scsi_cmd *cmd)
{
	struct iet_volume *vol = cmd->vol;
	u8 buf[8];

	/*
	 * SBC-3 5.15.2: when the last LBA does not fit in 32 bits, report
	 * FFFFFFFFh so the initiator switches to READ CAPACITY(16).
	 */
	if (!vol->blocks || vol->blocks - 1 >= 0xffffffffULL)
		put_unaligned_be32(0xffffffff, &buf[0]);
	else
		put_unaligned_be32((u32)(vol->blocks - 1), &buf[0]);
	put_unaligned_be32(vol->blocksize, &buf[4]);
	iet_scsi_copy_response(cmd, buf, sizeof(buf));
	return 0;
}

int iet_sbc_read_capacity_16(struct iet_scsi_cmd *cmd)
{
	struct iet_volume *vol = cmd->vol;
	u8 buf[32] = {};

	/* SBC-3 5.16.2: no protection, one logical block per physical. */
	put_unaligned_be64(vol->blocks ? vol->blocks - 1 : 0, &buf[0]);
	put_unaligned_be32(vol->blocksize, &buf[8]);
	iet_scsi_copy_response(cmd, buf, sizeof(buf));
	return 0;
}

int iet_sbc_submit(struct iet_scsi_cmd *cmd)
{
	struct iet_volume *vol = cmd->vol;

	/*
	 * Belt and braces: cdb.c checked the range against the capacity the
	 * volume had at parse time, and capacity never changes while a
	 * command holds the volume.
	 */
	if (cmd->lba > vol->blocks || cmd->nr_blocks > vol->blocks - cmd->lba)
		return -EINVAL;
	if (cmd->data_dir == DMA_TO_DEVICE && vol->iomode == IET_IOMODE_RO)
		return -EROFS;
	vol->ops->submit(cmd);
	return IET_EXEC_QUEUED;
}

int iet_sbc_verify(struct iet_scsi_cmd *cmd)
{
	/* BYTCHK 0: "verify the medium" - a virtual medium always is. */
	return 0;
}
