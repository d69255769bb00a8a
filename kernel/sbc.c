// SPDX-License-Identifier: GPL-2.0-only
/*
 * sbc.c - SBC-3 block commands: READ CAPACITY(10/16) are answered here;
 * READ/WRITE/SYNCHRONIZE CACHE go to the volume's backend; VERIFY
 * without BYTCHK only needs the range check cdb.c already made.
 */
#include <linux/kernel.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

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

/*
 * VERIFY with BYTCHK (SBC-3 5.33): compare the Data-Out buffer with the
 * medium.  BYTCHK 01b: the buffer holds every block of the range; 11b: it
 * holds one block, compared against each block of the range.  A mismatch
 * is MISCOMPARE / MISCOMPARE DURING VERIFY OPERATION with the offset of
 * the first differing byte in INFORMATION.  Runs on our workqueue: reading
 * the medium may sleep.
 */
static void sbc_compare_work(struct work_struct *work)
{
	struct iet_scsi_cmd *cmd = container_of(work, struct iet_scsi_cmd, work);
	struct iet_volume *vol = cmd->vol;
	bool one_block = ((cmd->cdb[1] >> 1) & 0x03) == 3;
	size_t len = (size_t)cmd->nr_blocks << vol->blkbits;	/* <= 1 MiB */
	u8 *medium, *data;
	size_t i, off;
	struct iov_iter iter;
	int err = 0;

	medium = kvmalloc(len, GFP_KERNEL);
	data = kvmalloc(cmd->buf_len, GFP_KERNEL);
	if (!medium || !data) {
		err = -ENOMEM;
		goto out;
	}
	if (vol->ops == &iet_nullio_ops)
		memset(medium, 0, len);
	else
		err = iet_file_read_kernel(vol, medium, len,
					   (loff_t)cmd->lba << vol->blkbits);
	if (err)
		goto out;
	if (iet_scsi_buf_iter(cmd, ITER_SOURCE, 0, cmd->buf_len, &iter) ||
	    copy_from_iter(data, cmd->buf_len, &iter) != cmd->buf_len) {
		err = -EINVAL;
		goto out;
	}

	for (i = 0; i < len; i++) {
		off = one_block ? i & (vol->blocksize - 1) : i;
		if (medium[i] != data[off])
			break;
	}
	if (i < len) {
		iet_scsi_set_sense(cmd, IET_SK_MISCOMPARE,
				   IET_ASC_MISCOMPARE_VERIFY >> 8,
				   IET_ASC_MISCOMPARE_VERIFY & 0xff);
		/* VALID + INFORMATION: offset into the Data-Out buffer. */
		cmd->sense[0] |= 0x80;
		put_unaligned_be32(one_block ? (u32)off : (u32)i, &cmd->sense[3]);
		kvfree(medium);
		kvfree(data);
		cmd->done(cmd);
		return;
	}
out:
	kvfree(medium);
	kvfree(data);
	iet_scsi_cmd_complete(cmd, err);
}

int iet_sbc_compare(struct iet_scsi_cmd *cmd)
{
	struct iet_volume *vol = cmd->vol;

	if (cmd->lba > vol->blocks || cmd->nr_blocks > vol->blocks - cmd->lba)
		return -EINVAL;
	INIT_WORK(&cmd->work, sbc_compare_work);
	queue_work(iet_scsi_wq, &cmd->work);
	return IET_EXEC_QUEUED;
}
