// SPDX-License-Identifier: GPL-2.0-only
/*
 * target.c - iSCSI targets: tid, name, LUNs (owned through iet_volume_*)
 * and sessions.  Everything here runs under iet_ctl_mutex.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "conn_internal.h"

struct iet_target *iet_target_find(u32 tid)
{
	struct iet_target *t;

	lockdep_assert_held(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list)
		if (t->tid == tid)
			return t;
	return NULL;
}

int iet_target_add(u32 tid, const char *name, struct netlink_ext_ack *extack)
{
	struct iet_target *t, *pos;

	lockdep_assert_held(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list) {
		if (t->tid == tid) {
			NL_SET_ERR_MSG(extack, "target id already exists");
			return -EEXIST;
		}
		if (!strcmp(t->name, name)) {
			NL_SET_ERR_MSG(extack, "target name already exists");
			return -EEXIST;
		}
	}

	t = kzalloc(sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	t->tid = tid;
	strscpy(t->name, name, sizeof(t->name));
	xa_init(&t->volumes);
	INIT_LIST_HEAD(&t->sessions);

	/* Keep the list sorted by tid: dumps resume by tid. */
	list_for_each_entry(pos, &iet_targets, list)
		if (pos->tid > tid)
			break;
	list_add_tail(&t->list, &pos->list);
	return 0;
}

static void iet_target_free(struct iet_target *t)
{
	struct iet_session *s, *tmp;

	list_for_each_entry_safe(s, tmp, &t->sessions, list)
		iet_session_del(s);
	iet_volume_del_all(t);
	list_del(&t->list);
	xa_destroy(&t->volumes);
	kfree(t);
}

int iet_target_del(u32 tid, struct netlink_ext_ack *extack)
{
	struct iet_target *t;

	lockdep_assert_held(&iet_ctl_mutex);
	t = iet_target_find(tid);
	if (!t) {
		NL_SET_ERR_MSG(extack, "no such target");
		return -ENOENT;
	}
	if (!list_empty(&t->sessions)) {
		NL_SET_ERR_MSG(extack, "target has sessions");
		return -EBUSY;
	}
	iet_target_free(t);
	return 0;
}

void iet_target_del_all(void)
{
	struct iet_target *t, *tmp;

	lockdep_assert_held(&iet_ctl_mutex);
	list_for_each_entry_safe(t, tmp, &iet_targets, list)
		iet_target_free(t);
}
