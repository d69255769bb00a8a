/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * scsi.h - private to the SCSI half of iscsi_trgt (scsi_cmd.c, spc.c,
 * sbc.c, volume.c, io_*.c).  The transport only sees kernel/iet.h.
 *
 * Execute functions (cmd->execute) return:
 *   0              done: status/sense/data_len are set; the caller
 *                  completes the command with cmd->done()
 *   IET_EXEC_QUEUED a backend owns the command now and will call
 *                  iet_scsi_cmd_complete() exactly once
 *   -errno         failed: mapped to sense by iet_scsi_execute()
 *
 * Backend submit() is told what to do by cmd->data_dir:
 *   DMA_FROM_DEVICE  read  nr_blocks at lba into the buffer (xfer_len)
 *   DMA_TO_DEVICE    write nr_blocks at lba from the buffer; cmd->fua
 *   DMA_NONE         flush [lba, lba + nr_blocks), nr_blocks 0: to the end
 */
#ifndef IET_SCSI_H
#define IET_SCSI_H

#include "iet.h"
#include "cdb.h"

#define IET_EXEC_QUEUED		1

/* Unbound workqueue for backend I/O and volume release (scsi_cmd.c). */
extern struct workqueue_struct *iet_scsi_wq;

/* Copy an emulated response into the command buffer; sets data_len. */
void iet_scsi_copy_response(struct iet_scsi_cmd *cmd, const void *src,
			    u32 len);

/* spc.c */
int iet_spc_nop(struct iet_scsi_cmd *cmd);
int iet_spc_inquiry(struct iet_scsi_cmd *cmd);
int iet_spc_request_sense(struct iet_scsi_cmd *cmd);
int iet_spc_report_luns(struct iet_scsi_cmd *cmd);
int iet_spc_mode_sense(struct iet_scsi_cmd *cmd);

/* sbc.c */
int iet_sbc_read_capacity_10(struct iet_scsi_cmd *cmd);
int iet_sbc_read_capacity_16(struct iet_scsi_cmd *cmd);
int iet_sbc_submit(struct iet_scsi_cmd *cmd);	/* READ/WRITE/SYNC */
int iet_sbc_verify(struct iet_scsi_cmd *cmd);
int iet_sbc_compare(struct iet_scsi_cmd *cmd);	/* VERIFY with BYTCHK */

/* backends */
extern const struct iet_iotype_ops iet_fileio_ops;
extern const struct iet_iotype_ops iet_blockio_ops;	/* io_file.c on a bdev */
extern const struct iet_iotype_ops iet_nullio_ops;

/* Read the medium of a file/block backend into a kernel buffer (io_file.c). */
int iet_file_read_kernel(struct iet_volume *vol, void *buf, size_t len,
			 loff_t pos);

#define IET_NULLIO_DEFAULT_SIZE	(64ULL << 30)

#endif /* IET_SCSI_H */
