// SPDX-License-Identifier: GPL-2.0-only
/*
 * scsi_cmd.c - the life of a SCSI command between the transport and the
 * emulation: parse (cdb.c decodes, we pick the execute function), buffer,
 * execute, complete, release.  See the flow in iet.h.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/highmem.h>
#include <linux/workqueue.h>
#include <scsi/scsi_proto.h>

#include "scsi.h"

struct workqueue_struct *iet_scsi_wq;

static int (*const iet_exec_fn[__IET_EXEC_MAX])(struct iet_scsi_cmd *) = {
	[IET_EXEC_NOP]			= iet_spc_nop,
	[IET_EXEC_INQUIRY]		= iet_spc_inquiry,
	[IET_EXEC_REQUEST_SENSE]	= iet_spc_request_sense,
	[IET_EXEC_REPORT_LUNS]		= iet_spc_report_luns,
	[IET_EXEC_MODE_SENSE_6]		= iet_spc_mode_sense,
	[IET_EXEC_MODE_SENSE_10]	= iet_spc_mode_sense,
	[IET_EXEC_READ_CAPACITY_10]	= iet_sbc_read_capacity_10,
	[IET_EXEC_READ_CAPACITY_16]	= iet_sbc_read_capacity_16,
	[IET_EXEC_READ]			= iet_sbc_submit,
	[IET_EXEC_WRITE]		= iet_sbc_submit,
	[IET_EXEC_SYNC_CACHE]		= iet_sbc_submit,
	[IET_EXEC_VERIFY]		= iet_sbc_verify,
	[IET_EXEC_COMPARE]		= iet_sbc_compare,
};

void iet_scsi_set_sense(struct iet_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq)
{
	struct iet_sense_code s = { .key = key, .asc = asc, .ascq = ascq };

	BUILD_BUG_ON(IET_SENSE_LEN < IET_FIXED_SENSE_LEN);
	cmd->status = SAM_STAT_CHECK_CONDITION;
	iet_build_fixed_sense(cmd->sense, &s);
	cmd->sense_len = IET_FIXED_SENSE_LEN;
	cmd->data_len = 0;	/* no Data-In with a failed command */
}

static void iet_scsi_set_sense_code(struct iet_scsi_cmd *cmd,
				    const struct iet_sense_code *s)
{
	iet_scsi_set_sense(cmd, s->key, s->asc, s->ascq);
}

static void iet_scsi_set_errno(struct iet_scsi_cmd *cmd, int err)
{
	struct iet_sense_code s;

	iet_errno_to_sense(err, cmd->data_dir == DMA_TO_DEVICE, &s);
	iet_scsi_set_sense_code(cmd, &s);
}

static const enum dma_data_direction iet_dir_map[] = {
	[IET_DIR_NONE]		= DMA_NONE,
	[IET_DIR_TO_DEV]	= DMA_TO_DEVICE,
	[IET_DIR_FROM_DEV]	= DMA_FROM_DEVICE,
};

int iet_scsi_parse(struct iet_scsi_cmd *cmd)
{
	struct iet_volume *vol = cmd->vol;
	struct iet_cdb_lu lu = {};
	struct iet_cdb_info info;
	struct iet_sense_code sense;
	int ret;

	cmd->data_dir = DMA_NONE;
	cmd->xfer_len = 0;
	cmd->execute = NULL;
	cmd->lba = 0;
	cmd->nr_blocks = 0;
	cmd->fua = false;
	cmd->bvecs = NULL;
	cmd->nr_bvecs = 0;
	cmd->buf_len = 0;
	cmd->data_len = 0;
	cmd->status = SAM_STAT_GOOD;
	cmd->sense_len = 0;
	cmd->error = 0;
	atomic_set(&cmd->pending, 0);

	if (vol) {
		lu.present = true;
		lu.readonly = vol->iomode == IET_IOMODE_RO;
		lu.blkbits = vol->blkbits;
		lu.blocks = vol->blocks;
	}

	ret = iet_cdb_decode(cmd->cdb, min_t(unsigned int, cmd->cdb_len,
					     IET_MAX_CDB_LEN),
			     &lu, &info, &sense);
	if (ret) {
		iet_scsi_set_sense_code(cmd, &sense);
		return ret;
	}
	if (WARN_ON_ONCE(info.exec >= __IET_EXEC_MAX ||
			 !iet_exec_fn[info.exec])) {
		iet_scsi_set_sense(cmd, IET_SK_HARDWARE_ERROR, 0x44, 0x00);
		return -EINVAL;
	}

	cmd->execute = iet_exec_fn[info.exec];
	cmd->data_dir = iet_dir_map[info.dir];
	cmd->xfer_len = info.xfer_len;
	cmd->lba = info.lba;
	cmd->nr_blocks = info.nr_blocks;
	cmd->fua = info.fua;
	return 0;
}

static void iet_scsi_free_pages(struct bio_vec *bv, unsigned int nr)
{
	while (nr--)
		__free_page(bv[nr].bv_page);
}

/*
 * On -ENOMEM the status is set to BUSY (SAM-5 5.3.1) so the transport can
 * send it as is and the initiator retries later.
 */
int iet_scsi_alloc_buf(struct iet_scsi_cmd *cmd)
{
	u32 len = cmd->xfer_len;
	unsigned int nr, i;
	struct bio_vec *bv;
	gfp_t gfp = GFP_KERNEL;

	if (!len)
		return 0;
	/* cdb.c bounds every transfer; anything bigger is our bug. */
	if (WARN_ON_ONCE(len > max(IET_MAX_XFER_BYTES, IET_MAX_EMUL_BYTES))) {
		iet_scsi_set_sense(cmd, IET_SK_ILLEGAL_REQUEST, 0x24, 0x00);
		return -EINVAL;
	}
	/*
	 * Pages a backend fills completely (reads, emulated responses that
	 * send only what they wrote) need no zeroing.  Data-Out pages are
	 * zeroed so a short Data-Out sequence can never write stale kernel
	 * memory to the medium.
	 */
	if (cmd->data_dir != DMA_FROM_DEVICE)
		gfp |= __GFP_ZERO;

	nr = DIV_ROUND_UP(len, PAGE_SIZE);
	bv = kvmalloc_array(nr, sizeof(*bv), GFP_KERNEL);
	if (!bv)
		goto busy;
	for (i = 0; i < nr; i++) {
		struct page *page = alloc_page(gfp);

		if (!page)
			goto free_pages;
		bvec_set_page(&bv[i], page,
			      min_t(u32, PAGE_SIZE, len - i * PAGE_SIZE), 0);
	}
	cmd->bvecs = bv;
	cmd->nr_bvecs = nr;
	cmd->buf_len = len;
	return 0;

free_pages:
	iet_scsi_free_pages(bv, i);
	kvfree(bv);
busy:
	cmd->status = SAM_STAT_BUSY;
	cmd->sense_len = 0;
	return -ENOMEM;
}

int iet_scsi_buf_iter(struct iet_scsi_cmd *cmd, unsigned int dir, u32 offset,
		      u32 len, struct iov_iter *iter)
{
	/* offset and len come from Data-Out headers: no overflow here. */
	if (offset > cmd->buf_len || len > cmd->buf_len - offset)
		return -EINVAL;
	iov_iter_bvec(iter, dir, cmd->bvecs, cmd->nr_bvecs, cmd->buf_len);
	iov_iter_advance(iter, offset);
	iov_iter_truncate(iter, len);
	return 0;
}

void iet_scsi_copy_response(struct iet_scsi_cmd *cmd, const void *src,
			    u32 len)
{
	struct iov_iter iter;

	len = min(len, cmd->buf_len);
	if (!len || iet_scsi_buf_iter(cmd, ITER_DEST, 0, len, &iter)) {
		cmd->data_len = 0;
		return;
	}
	cmd->data_len = copy_to_iter(src, len, &iter);
}

void iet_scsi_execute(struct iet_scsi_cmd *cmd)
{
	int ret;

	if (WARN_ON_ONCE(!cmd->execute)) {
		iet_scsi_set_sense(cmd, IET_SK_HARDWARE_ERROR, 0x44, 0x00);
		cmd->done(cmd);
		return;
	}
	ret = cmd->execute(cmd);
	if (ret == IET_EXEC_QUEUED)
		return;		/* the backend calls iet_scsi_cmd_complete() */
	if (ret < 0)
		iet_scsi_set_errno(cmd, ret);
	cmd->done(cmd);
}

void iet_scsi_cmd_complete(struct iet_scsi_cmd *cmd, int err)
{
	cmd->error = err;
	if (err) {
		/*
		 * Only the volume is certain to be alive here (our reference);
		 * the target may already be gone.
		 */
		pr_warn_ratelimited("%s: lun %u (%s): %s at lba %llu: %d\n",
				    IET_MODULE_NAME, cmd->vol->lun,
				    cmd->vol->path ? cmd->vol->path : "nullio",
				    cmd->data_dir == DMA_TO_DEVICE ? "write" :
				    cmd->data_dir == DMA_FROM_DEVICE ? "read" :
				    "flush", cmd->lba, err);
		iet_scsi_set_errno(cmd, err);
	} else if (cmd->data_dir == DMA_FROM_DEVICE) {
		cmd->data_len = cmd->xfer_len;
	}
	cmd->done(cmd);
}

void iet_scsi_cmd_release(struct iet_scsi_cmd *cmd)
{
	if (cmd->bvecs) {
		iet_scsi_free_pages(cmd->bvecs, cmd->nr_bvecs);
		kvfree(cmd->bvecs);
		cmd->bvecs = NULL;
	}
	cmd->nr_bvecs = 0;
	cmd->buf_len = 0;
	if (cmd->vol) {
		iet_volume_put(cmd->vol);
		cmd->vol = NULL;
	}
}

int iet_scsi_init(void)
{
	/*
	 * Unbound: file I/O may sleep for long and should not hold up the
	 * connection's CPU; WQ_MEM_RECLAIM because writes may be what frees
	 * memory (a swap file on an iSCSI disk).
	 */
	iet_scsi_wq = alloc_workqueue("iet_scsi", WQ_UNBOUND | WQ_MEM_RECLAIM,
				      0);
	if (!iet_scsi_wq)
		return -ENOMEM;
	return 0;
}

void iet_scsi_exit(void)
{
	/*
	 * Called after every target (and so every volume) is gone: drains
	 * outstanding volume release work before the module text goes.
	 */
	destroy_workqueue(iet_scsi_wq);
	iet_scsi_wq = NULL;
	/* Volumes are freed with kfree_rcu(); wait for those too. */
	rcu_barrier();
}
