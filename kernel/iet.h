/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * iet.h - objects and interfaces shared between the parts of iscsi_trgt:
 *
 *   control   (main.c, netlink.c, target.c, session.c, proc.c)
 *   transport (conn.c, conn_rx.c, conn_tx.c) - iSCSI full-feature phase
 *   SCSI      (scsi_cmd.c, spc.c, sbc.c, sense.c, volume.c, io_*.c)
 *
 * Locking: iet_ctl_mutex serialises every control-path change (targets,
 * volumes, sessions, connections).  The data path never takes it: it finds
 * volumes with iet_volume_get() (RCU + refcount) and keeps what it found
 * alive by reference counts.
 */
#ifndef IET_H
#define IET_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/kref.h>
#include <linux/xarray.h>
#include <linux/bvec.h>
#include <linux/uio.h>
#include <linux/dma-direction.h>
#include <linux/seq_file.h>
#include <linux/workqueue.h>
#include <net/netlink.h>

#include "../include/iet_pdu.h"
#include "../include/iet_netlink.h"

#define IET_MODULE_NAME	"iscsi_trgt"

extern struct mutex iet_ctl_mutex;

/* ---------------------------------------------------------------- target */

struct iet_target {
	u32			tid;
	char			name[IET_NAME_MAX];
	struct list_head	list;		/* iet_targets, under iet_ctl_mutex */
	struct xarray		volumes;	/* lun -> struct iet_volume * */
	struct list_head	sessions;	/* struct iet_session, under iet_ctl_mutex */
};

extern struct list_head iet_targets;

/* Callers hold iet_ctl_mutex. */
struct iet_target *iet_target_find(u32 tid);

/* ---------------------------------------------------------------- volume */

struct iet_volume;
struct iet_scsi_cmd;

/*
 * A backend.  attach/detach run in process context under iet_ctl_mutex.
 * submit runs a READ/WRITE/flush described by the command and completes it
 * with iet_scsi_cmd_complete(); it may complete from any context.
 */
struct iet_iotype_ops {
	const char	*name;		/* "fileio", "blockio", "nullio" */
	int	(*attach)(struct iet_volume *vol, const char *path,
			  struct netlink_ext_ack *extack);
	void	(*detach)(struct iet_volume *vol);
	void	(*submit)(struct iet_scsi_cmd *cmd);
	void	(*show)(struct iet_volume *vol, struct seq_file *m);	/* " path:..." */
};

struct iet_volume {
	struct iet_target	*target;
	u32			lun;
	struct kref		ref;		/* one per in-flight command + the target's */
	const struct iet_iotype_ops *ops;
	void			*priv;		/* backend state */
	enum iet_iomode		iomode;
	u32			blocksize;
	u8			blkbits;
	u64			blocks;		/* capacity in blocksize units */
	char			*path;		/* NULL for nullio */
	u8			scsi_id[IET_SCSI_ID_MAX];
	u8			scsi_id_len;
	char			scsi_sn[IET_SCSI_SN_MAX + 1];
	unsigned long		state;		/* shown in hex in /proc */
	struct rcu_head		rcu;
	struct work_struct	release_work;	/* last put may come from irq */
};

struct iet_volume_params {
	u32			lun;
	enum iet_iotype		iotype;
	enum iet_iomode		iomode;
	const char		*path;		/* NULL for nullio */
	u32			blocksize;	/* 0: backend default */
	u64			size;		/* nullio bytes; 0: default */
	const u8		*scsi_id;
	u32			scsi_id_len;
	const char		*scsi_sn;	/* NULL: derived from tid/lun */
};

/* Control path, iet_ctl_mutex held. */
int iet_volume_add(struct iet_target *t, const struct iet_volume_params *p,
		   struct netlink_ext_ack *extack);
int iet_volume_del(struct iet_target *t, u32 lun);
void iet_volume_del_all(struct iet_target *t);
/* Prints the "\tlun:%u state:%lx iotype:... " lines of /proc/net/iet/volume. */
void iet_volume_seq_show(struct seq_file *m, struct iet_target *t);

/* Data path: returns a referenced volume or NULL. */
struct iet_volume *iet_volume_get(struct iet_target *t, u64 lun);
void iet_volume_put(struct iet_volume *vol);

/* ----------------------------------------------------------- SCSI command */

#define IET_MAX_CDB_LEN		260	/* 16 in the BHS + extended CDB AHS */
#define IET_SENSE_LEN		18	/* fixed-format sense */

/*
 * One SCSI command as the emulation layer sees it.  The transport embeds
 * it in its own per-task structure (container_of) and owns its lifetime.
 *
 * Flow:
 *   transport fills target, vol (iet_volume_get; NULL if no such LUN), lun,
 *     cdb, cdb_len, task_attr, done
 *   iet_scsi_parse(cmd)      -> 0, and data_dir/xfer_len are set; or
 *                               nonzero, and status/sense are set (the
 *                               transport sends the status, discarding any
 *                               Data-Out the initiator still sends)
 *   iet_scsi_alloc_buf(cmd)  -> buffer of xfer_len bytes (may be 0)
 *   transport receives Data-Out into the buffer (iet_scsi_buf_iter)
 *   iet_scsi_execute(cmd)    -> eventually calls cmd->done(cmd) exactly once,
 *                               from any context (softirq for blockio);
 *                               status, sense and data_len are final then
 *   transport sends Data-In (data_len bytes) and status
 *   iet_scsi_cmd_release(cmd) frees the buffer and drops the volume ref
 */
struct iet_scsi_cmd {
	/* filled by the transport */
	struct iet_target	*target;
	struct iet_volume	*vol;
	u64			lun;		/* decoded LUN number */
	u8			cdb[IET_MAX_CDB_LEN];
	u16			cdb_len;
	u8			task_attr;	/* IET_ATTR_* */
	void			(*done)(struct iet_scsi_cmd *cmd);

	/* set by iet_scsi_parse */
	enum dma_data_direction	data_dir;	/* DMA_NONE/TO_DEVICE/FROM_DEVICE */
	u32			xfer_len;	/* bytes the command moves */
	int			(*execute)(struct iet_scsi_cmd *cmd);
	u64			lba;
	u32			nr_blocks;
	bool			fua;

	/* data buffer (iet_scsi_alloc_buf) */
	struct bio_vec		*bvecs;
	unsigned int		nr_bvecs;
	u32			buf_len;

	/* outcome */
	u32			data_len;	/* Data-In bytes valid (<= xfer_len) */
	u8			status;		/* SAM status */
	u8			sense_len;
	u8			sense[IET_SENSE_LEN];

	/* backend scratch */
	atomic_t		pending;
	int			error;		/* -errno from the backend */
	struct work_struct	work;
};

int iet_scsi_parse(struct iet_scsi_cmd *cmd);
int iet_scsi_alloc_buf(struct iet_scsi_cmd *cmd);
/* An iov_iter over [offset, offset + len) of the buffer; -EINVAL if outside. */
int iet_scsi_buf_iter(struct iet_scsi_cmd *cmd, unsigned int dir, u32 offset,
		      u32 len, struct iov_iter *iter);
void iet_scsi_execute(struct iet_scsi_cmd *cmd);
/* Backends call this when I/O is over; err is -errno or 0. */
void iet_scsi_cmd_complete(struct iet_scsi_cmd *cmd, int err);
void iet_scsi_cmd_release(struct iet_scsi_cmd *cmd);
/* Turn a command into CHECK CONDITION with the given sense key/ASC/ASCQ. */
void iet_scsi_set_sense(struct iet_scsi_cmd *cmd, u8 key, u8 asc, u8 ascq);

int iet_scsi_init(void);	/* workqueues, caches */
void iet_scsi_exit(void);

/* ------------------------------------------------------- sessions (core) */

struct iet_session;
struct iet_conn;

/* proc.c */
int iet_proc_init(void);
void iet_proc_exit(void);

/* netlink.c */
int iet_genl_init(void);
void iet_genl_exit(void);
void iet_genl_event_conn_closed(u32 tid, u64 sid, u16 cid);
void iet_genl_event_session_ended(u32 tid, u64 sid);

#endif /* IET_H */
