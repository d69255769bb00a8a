// SPDX-License-Identifier: GPL-2.0-only
/*
 * proc.c - /proc/net/iet/{session,volume} in IET's exact format (admins'
 * scripts parse them): tabs indent, sid in decimal, ip dotted or [v6].
 */
#include <linux/proc_fs.h>
#include <linux/seq_file.h>
#include <net/net_namespace.h>

#include "conn_internal.h"

static struct proc_dir_entry *iet_proc_dir;

static const char *iet_digest_name(u8 d)
{
	return d == IET_DIGEST_CRC32C ? "crc32c" : "none";
}

static const char *iet_state_name(enum iet_conn_state st)
{
	switch (st) {
	case IET_CONN_ACTIVE:
		return "active";
	case IET_CONN_CLOSING:
		return "closing";
	default:
		return "unknown";
	}
}

static int iet_session_show(struct seq_file *m, void *v)
{
	struct iet_target *t;
	struct iet_session *s;
	struct iet_conn *conn;

	mutex_lock(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list) {
		seq_printf(m, "tid:%u name:%s\n", t->tid, t->name);
		list_for_each_entry(s, &t->sessions, list) {
			seq_printf(m, "\tsid:%llu initiator:%s\n", s->sid,
				   s->initiator);
			list_for_each_entry(conn, &s->conns, list)
				seq_printf(m, "\t\tcid:%u ip:%s state:%s hd:%s dd:%s\n",
					   conn->cid, conn->ip,
					   iet_state_name(iet_conn_show_state(conn)),
					   iet_digest_name(conn->hdigest),
					   iet_digest_name(conn->ddigest));
		}
	}
	mutex_unlock(&iet_ctl_mutex);
	return 0;
}

static int iet_volume_show(struct seq_file *m, void *v)
{
	struct iet_target *t;

	mutex_lock(&iet_ctl_mutex);
	list_for_each_entry(t, &iet_targets, list) {
		seq_printf(m, "tid:%u name:%s\n", t->tid, t->name);
		iet_volume_seq_show(m, t);
	}
	mutex_unlock(&iet_ctl_mutex);
	return 0;
}

int iet_proc_init(void)
{
	iet_proc_dir = proc_mkdir("iet", init_net.proc_net);
	if (!iet_proc_dir)
		return -ENOMEM;
	if (!proc_create_single("session", 0444, iet_proc_dir, iet_session_show) ||
	    !proc_create_single("volume", 0444, iet_proc_dir, iet_volume_show)) {
		remove_proc_subtree("iet", init_net.proc_net);
		return -ENOMEM;
	}
	return 0;
}

void iet_proc_exit(void)
{
	remove_proc_subtree("iet", init_net.proc_net);
}
