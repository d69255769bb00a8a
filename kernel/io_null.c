// SPDX-License-Identifier: GPL-2.0-only
/*
 * io_null.c - nullio: a medium of the configured size (IET_A_SIZE, default
 * 64 GiB) that reads as zeros and forgets what is written.  Useful to
 * measure the transport without any storage in the way.
 */
#include <linux/uio.h>

#include "scsi.h"

static int nullio_attach(struct iet_volume *vol, const char *path,
			 struct netlink_ext_ack *extack)
{
	/* volume.c already set vol->blocks from the size parameter. */
	if (!vol->blocks) {
		NL_SET_ERR_MSG(extack, "nullio size is smaller than one block");
		return -EINVAL;
	}
	return 0;
}

static void nullio_detach(struct iet_volume *vol)
{
}

static void nullio_submit(struct iet_scsi_cmd *cmd)
{
	struct iov_iter iter;

	/* Read buffers are not zeroed at allocation (scsi_cmd.c): do it. */
	if (cmd->data_dir == DMA_FROM_DEVICE &&
	    !iet_scsi_buf_iter(cmd, ITER_DEST, 0, cmd->buf_len, &iter))
		iov_iter_zero(cmd->buf_len, &iter);
	iet_scsi_cmd_complete(cmd, 0);
}

static void nullio_show(struct iet_volume *vol, struct seq_file *m)
{
	/* IET prints no path for nullio. */
}

const struct iet_iotype_ops iet_nullio_ops = {
	.name	= "nullio",
	.attach	= nullio_attach,
	.detach	= nullio_detach,
	.submit	= nullio_submit,
	.show	= nullio_show,
};
