// SPDX-License-Identifier: GPL-2.0-only
/*
 * volume.c - the LUNs of a target.  Each target keeps its volumes in an
 * xarray indexed by LUN.  The control path changes it under
 * iet_ctl_mutex; the data path looks volumes up under RCU and pins them
 * with a reference (kref_get_unless_zero), so it never takes the mutex.
 *
 * Lifetime: the target's xarray holds one reference, every in-flight
 * command one more.  Deleting a LUN removes it from the xarray and drops
 * the target's reference; the last put (possibly from irq context, at
 * command completion) queues release_work, which detaches the backend in
 * process context and frees the volume after an RCU grace period.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/log2.h>
#include <linux/ctype.h>

#include "scsi.h"

static const struct iet_iotype_ops *const iet_iotypes[__IET_IOTYPE_MAX] = {
	[IET_IOTYPE_FILEIO]	= &iet_fileio_ops,
	[IET_IOTYPE_BLOCKIO]	= &iet_blockio_ops,
	[IET_IOTYPE_NULLIO]	= &iet_nullio_ops,
};

static const char *const iet_iomode_names[__IET_IOMODE_MAX] = {
	[IET_IOMODE_WT]	= "wt",
	[IET_IOMODE_WB]	= "wb",
	[IET_IOMODE_RO]	= "ro",
};

static void iet_volume_free(struct iet_volume *vol)
{
	kfree(vol->path);
	/* Data-path readers may still be looking at it under RCU. */
	kfree_rcu(vol, rcu);
}

static void iet_volume_release_work(struct work_struct *work)
{
	struct iet_volume *vol = container_of(work, struct iet_volume,
					      release_work);

	vol->ops->detach(vol);
	iet_volume_free(vol);
}

static void iet_volume_release(struct kref *ref)
{
	struct iet_volume *vol = container_of(ref, struct iet_volume, ref);

	/* detach may sleep (fput, fsync); the last put may not. */
	queue_work(iet_scsi_wq, &vol->release_work);
}

/* SPC-4 7.8.5: the unit serial number is printable ASCII. */
static bool iet_sn_valid(const char *sn)
{
	size_t len = strnlen(sn, IET_SCSI_SN_MAX + 1);
	size_t i;

	if (!len || len > IET_SCSI_SN_MAX)
		return false;
	for (i = 0; i < len; i++)
		if (sn[i] < 0x21 || sn[i] > 0x7e)
			return false;
	return true;
}

int iet_volume_add(struct iet_target *t, const struct iet_volume_params *p,
		   struct netlink_ext_ack *extack)
{
	u32 blocksize = p->blocksize ? p->blocksize : 512;
	const struct iet_iotype_ops *ops;
	struct iet_volume *vol;
	int ret;

	lockdep_assert_held(&iet_ctl_mutex);

	if (p->lun > IET_LUN_MAX) {
		NL_SET_ERR_MSG(extack, "LUN out of range (0..16383)");
		return -EINVAL;
	}
	if ((unsigned int)p->iotype >= __IET_IOTYPE_MAX ||
	    !iet_iotypes[p->iotype]) {
		NL_SET_ERR_MSG(extack, "unknown iotype");
		return -EINVAL;
	}
	if ((unsigned int)p->iomode >= __IET_IOMODE_MAX) {
		NL_SET_ERR_MSG(extack, "unknown iomode");
		return -EINVAL;
	}
	if (blocksize < 512 || blocksize > 4096 || !is_power_of_2(blocksize)) {
		NL_SET_ERR_MSG(extack, "blocksize must be 512, 1024, 2048 or 4096");
		return -EINVAL;
	}
	if (p->scsi_id_len > IET_SCSI_ID_MAX || (p->scsi_id_len && !p->scsi_id)) {
		NL_SET_ERR_MSG(extack, "ScsiId longer than 16 bytes");
		return -EINVAL;
	}
	if (p->scsi_sn && !iet_sn_valid(p->scsi_sn)) {
		NL_SET_ERR_MSG(extack, "ScsiSN must be 1..32 printable characters");
		return -EINVAL;
	}
	if (xa_load(&t->volumes, p->lun)) {
		NL_SET_ERR_MSG(extack, "LUN already exists");
		return -EEXIST;
	}
	ops = iet_iotypes[p->iotype];

	vol = kzalloc(sizeof(*vol), GFP_KERNEL);
	if (!vol)
		return -ENOMEM;
	vol->target = t;
	vol->lun = p->lun;
	kref_init(&vol->ref);	/* the target's reference */
	INIT_WORK(&vol->release_work, iet_volume_release_work);
	vol->ops = ops;
	vol->iomode = p->iomode;
	vol->blocksize = blocksize;
	vol->blkbits = ilog2(blocksize);
	if (p->scsi_id_len)
		memcpy(vol->scsi_id, p->scsi_id, p->scsi_id_len);
	vol->scsi_id_len = p->scsi_id_len;
	/*
	 * Derived serial: stable across reboots as long as tid and lun are,
	 * which is what udev's /dev/disk/by-id names need.
	 */
	if (p->scsi_sn)
		strscpy(vol->scsi_sn, p->scsi_sn, sizeof(vol->scsi_sn));
	else
		snprintf(vol->scsi_sn, sizeof(vol->scsi_sn), "%08x%04x",
			 t->tid, p->lun);

	if (p->iotype == IET_IOTYPE_NULLIO) {
		u64 size = p->size ? p->size : IET_NULLIO_DEFAULT_SIZE;

		vol->blocks = size >> vol->blkbits;
	} else {
		if (!p->path) {
			NL_SET_ERR_MSG(extack, "a path is required");
			ret = -EINVAL;
			goto free;
		}
		vol->path = kstrdup(p->path, GFP_KERNEL);
		if (!vol->path) {
			ret = -ENOMEM;
			goto free;
		}
	}

	ret = ops->attach(vol, vol->path, extack);
	if (ret)
		goto free;

	ret = xa_insert(&t->volumes, vol->lun, vol, GFP_KERNEL);
	if (ret) {
		if (ret == -EBUSY)
			ret = -EEXIST;
		goto detach;
	}
	return 0;

detach:
	ops->detach(vol);
free:
	kfree(vol->path);
	kfree(vol);
	return ret;
}

int iet_volume_del(struct iet_target *t, u32 lun)
{
	struct iet_volume *vol;

	lockdep_assert_held(&iet_ctl_mutex);
	vol = xa_erase(&t->volumes, lun);
	if (!vol)
		return -ENOENT;
	/* In-flight commands keep it alive; new lookups no longer find it. */
	iet_volume_put(vol);
	return 0;
}

void iet_volume_del_all(struct iet_target *t)
{
	struct iet_volume *vol;
	unsigned long lun;

	lockdep_assert_held(&iet_ctl_mutex);
	xa_for_each(&t->volumes, lun, vol) {
		xa_erase(&t->volumes, lun);
		iet_volume_put(vol);
	}
}

struct iet_volume *iet_volume_get(struct iet_target *t, u64 lun)
{
	struct iet_volume *vol;

	if (lun > IET_LUN_MAX)
		return NULL;
	rcu_read_lock();
	vol = xa_load(&t->volumes, lun);
	/* Zero means it is being released: treat as gone. */
	if (vol && !kref_get_unless_zero(&vol->ref))
		vol = NULL;
	rcu_read_unlock();
	return vol;
}

void iet_volume_put(struct iet_volume *vol)
{
	kref_put(&vol->ref, iet_volume_release);
}

/* Caller holds iet_ctl_mutex, so no volume goes away under us. */
void iet_volume_seq_show(struct seq_file *m, struct iet_target *t)
{
	struct iet_volume *vol;
	unsigned long lun;

	xa_for_each(&t->volumes, lun, vol) {
		seq_printf(m, "\tlun:%u state:%lx iotype:%s iomode:%s blocks:%llu blocksize:%u",
			   vol->lun, vol->state, vol->ops->name,
			   iet_iomode_names[vol->iomode], vol->blocks,
			   vol->blocksize);
		vol->ops->show(vol, m);
		seq_putc(m, '\n');
	}
}
