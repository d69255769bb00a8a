// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_file.c - fileio: a regular file or a block device behind the LUN,
 * accessed through ->read_iter/->write_iter with the command's bvec
 * buffer, on our unbound workqueue so the connection's work item never
 * blocks on storage.
 *
 * iomode wt: every write is RWF_DSYNC (the write path runs
 *            vfs_fsync_range over what it wrote before returning);
 * iomode wb: writes stay in the page cache until SYNCHRONIZE CACHE, or
 *            FUA on the write, makes them stable;
 * iomode ro: opened O_RDONLY; writes were refused by cdb.c already.
 *
 * blockio is the same code on a block device only (the node must be a
 * block device), so configurations written for IET keep working.
 */
#include <linux/fs.h>
#include <linux/file.h>
#include <linux/uio.h>
#include <linux/workqueue.h>

#include "scsi.h"

static int file_attach(struct iet_volume *vol, const char *path,
		       struct netlink_ext_ack *extack, bool bdev_only)
{
	int flags = O_LARGEFILE;
	struct file *filp;
	umode_t mode;
	loff_t size;
	int ret;

	if (!path || !*path) {
		NL_SET_ERR_MSG(extack, "a path is required");
		return -EINVAL;
	}
	flags |= vol->iomode == IET_IOMODE_RO ? O_RDONLY : O_RDWR;
	filp = filp_open(path, flags, 0);
	if (IS_ERR(filp)) {
		NL_SET_ERR_MSG(extack, "cannot open the path");
		return PTR_ERR(filp);
	}

	/* For a device node, f_mapping->host is the block device's inode. */
	mode = file_inode(filp)->i_mode;
	if (!(S_ISBLK(mode) || (S_ISREG(mode) && !bdev_only))) {
		if (bdev_only)
			NL_SET_ERR_MSG(extack, "path is not a block device");
		else
			NL_SET_ERR_MSG(extack,
				       "path is neither a regular file nor a block device");
		ret = -EINVAL;
		goto put;
	}
	if (!filp->f_op->read_iter ||
	    (vol->iomode != IET_IOMODE_RO && !filp->f_op->write_iter)) {
		NL_SET_ERR_MSG(extack, "file system lacks read_iter/write_iter");
		ret = -EOPNOTSUPP;
		goto put;
	}

	size = i_size_read(filp->f_mapping->host);
	vol->blocks = size > 0 ? (u64)size >> vol->blkbits : 0;
	if (!vol->blocks) {
		NL_SET_ERR_MSG(extack, "backing store is smaller than one block");
		ret = -EINVAL;
		goto put;
	}
	vol->priv = filp;
	return 0;

put:
	fput(filp);
	return ret;
}

static int fileio_attach(struct iet_volume *vol, const char *path,
			 struct netlink_ext_ack *extack)
{
	return file_attach(vol, path, extack, false);
}

static int blockio_attach(struct iet_volume *vol, const char *path,
			  struct netlink_ext_ack *extack)
{
	return file_attach(vol, path, extack, true);
}

static void file_detach(struct iet_volume *vol)
{
	struct file *filp = vol->priv;

	vol->priv = NULL;
	if (filp)
		fput(filp);
}

static int file_read(struct iet_scsi_cmd *cmd, struct file *filp, loff_t pos)
{
	struct iov_iter iter;
	ssize_t ret;

	ret = iet_scsi_buf_iter(cmd, ITER_DEST, 0, cmd->xfer_len, &iter);
	if (ret)
		return ret;
	while (iov_iter_count(&iter)) {
		ret = vfs_iter_read(filp, &iter, &pos, 0);
		if (ret < 0)
			return ret;
		if (!ret) {
			/*
			 * EOF inside the capacity: the file was truncated
			 * behind our back.  Zeros, never stale page contents.
			 */
			iov_iter_zero(iov_iter_count(&iter), &iter);
			break;
		}
	}
	return 0;
}

static int file_write(struct iet_scsi_cmd *cmd, struct file *filp, loff_t pos)
{
	struct iet_volume *vol = cmd->vol;
	rwf_t flags = 0;
	struct iov_iter iter;
	ssize_t ret;

	/* SBC-3 5.39: FUA; write-through makes every write stable. */
	if (cmd->fua || vol->iomode == IET_IOMODE_WT)
		flags = RWF_DSYNC;

	ret = iet_scsi_buf_iter(cmd, ITER_SOURCE, 0, cmd->xfer_len, &iter);
	if (ret)
		return ret;
	file_start_write(filp);
	while (iov_iter_count(&iter)) {
		ret = vfs_iter_write(filp, &iter, &pos, flags);
		if (ret < 0)
			break;
		if (!ret) {
			ret = -EIO;
			break;
		}
		ret = 0;
	}
	file_end_write(filp);
	return ret;
}

static int file_flush(struct iet_scsi_cmd *cmd, struct file *filp, loff_t pos)
{
	struct iet_volume *vol = cmd->vol;
	loff_t end = LLONG_MAX;

	/* nr_blocks 0: from lba to the end of the medium (SBC-3 5.22). */
	if (cmd->nr_blocks)
		end = pos + ((loff_t)cmd->nr_blocks << vol->blkbits) - 1;
	return vfs_fsync_range(filp, pos, end, 1);
}

static void file_work(struct work_struct *work)
{
	struct iet_scsi_cmd *cmd = container_of(work, struct iet_scsi_cmd, work);
	struct iet_volume *vol = cmd->vol;
	struct file *filp = vol->priv;
	/* lba < blocks <= i_size >> blkbits: no overflow (cdb.c checked). */
	loff_t pos = (loff_t)cmd->lba << vol->blkbits;
	int err;

	switch (cmd->data_dir) {
	case DMA_FROM_DEVICE:
		err = file_read(cmd, filp, pos);
		break;
	case DMA_TO_DEVICE:
		err = file_write(cmd, filp, pos);
		break;
	default:
		err = file_flush(cmd, filp, pos);
		break;
	}
	iet_scsi_cmd_complete(cmd, err);
}

static void file_submit(struct iet_scsi_cmd *cmd)
{
	INIT_WORK(&cmd->work, file_work);
	queue_work(iet_scsi_wq, &cmd->work);
}

int iet_file_read_kernel(struct iet_volume *vol, void *buf, size_t len,
			 loff_t pos)
{
	struct file *filp = vol->priv;
	ssize_t ret;

	while (len) {
		ret = kernel_read(filp, buf, len, &pos);
		if (ret < 0)
			return ret;
		if (!ret) {
			/* Truncated behind our back: reads as zeros. */
			memset(buf, 0, len);
			break;
		}
		buf += ret;
		len -= ret;
	}
	return 0;
}

static void file_show(struct iet_volume *vol, struct seq_file *m)
{
	seq_printf(m, " path:%s", vol->path);
}

const struct iet_iotype_ops iet_fileio_ops = {
	.name	= "fileio",
	.attach	= fileio_attach,
	.detach	= file_detach,
	.submit	= file_submit,
	.show	= file_show,
};

const struct iet_iotype_ops iet_blockio_ops = {
	.name	= "blockio",
	.attach	= blockio_attach,
	.detach	= file_detach,
	.submit	= file_submit,
	.show	= file_show,
};
