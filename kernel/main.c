// SPDX-License-Identifier: GPL-2.0-only
/*
 * main.c - module init/exit for iscsi_trgt: the control mutex, the target
 * list, our workqueues, and the order things come up and go down in.
 */
#include <linux/module.h>
#include <linux/workqueue.h>
#include <net/genetlink.h>

#include "conn_internal.h"

DEFINE_MUTEX(iet_ctl_mutex);
LIST_HEAD(iet_targets);

/* Per-connection io_work runs here; WQ_MEM_RECLAIM because writeback may
 * depend on us (swap or dirty pages over iSCSI in the initiator's VM). */
struct workqueue_struct *iet_io_wq;
/* Connection release (needs iet_ctl_mutex, so not on iet_io_wq). */
struct workqueue_struct *iet_ctl_wq;

static int __init iet_init(void)
{
	int err;

	iet_io_wq = alloc_workqueue("iet_io", WQ_PERCPU | WQ_MEM_RECLAIM | WQ_HIGHPRI, 0);
	if (!iet_io_wq)
		return -ENOMEM;
	iet_ctl_wq = alloc_workqueue("iet_ctl", WQ_PERCPU | WQ_MEM_RECLAIM, 0);
	if (!iet_ctl_wq) {
		err = -ENOMEM;
		goto destroy_io_wq;
	}
	err = iet_scsi_init();
	if (err)
		goto destroy_ctl_wq;
	err = iet_proc_init();
	if (err)
		goto scsi_exit;
	/* Last: once the family exists, ietd may start sending commands. */
	err = iet_genl_init();
	if (err)
		goto proc_exit;
	pr_info("iSCSI Enterprise Target loaded\n");
	return 0;

proc_exit:
	iet_proc_exit();
scsi_exit:
	iet_scsi_exit();
destroy_ctl_wq:
	destroy_workqueue(iet_ctl_wq);
destroy_io_wq:
	destroy_workqueue(iet_io_wq);
	return err;
}

static void __exit iet_exit(void)
{
	/* No new control commands, no new readers of /proc. */
	iet_genl_exit();
	iet_proc_exit();

	/* Tear down live sessions too: rmmod must work with them. */
	mutex_lock(&iet_ctl_mutex);
	iet_target_del_all();
	mutex_unlock(&iet_ctl_mutex);

	/* Pending release works only drop their conn references now. */
	destroy_workqueue(iet_ctl_wq);
	destroy_workqueue(iet_io_wq);
	iet_scsi_exit();
}

module_init(iet_init);
module_exit(iet_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("iSCSI Enterprise Target");
MODULE_ALIAS_GENL_FAMILY(IET_GENL_NAME);
