// SPDX-License-Identifier: GPL-2.0-only
/*
 * session.c - iSCSI sessions: identity, negotiated parameters, the CmdSN
 * window and ordered delivery of commands (RFC 7143 §4.2.2.1, §3.2.2.1).
 *
 * Window: MaxCmdSN = ExpCmdSN - 1 + QueuedCmds - (non-immediate tasks
 * alive).  A command takes a slot when accepted and gives it back when its
 * response has been sent, so MaxCmdSN only ever moves forward and the
 * initiator never has more than QueuedCmds commands with us.
 */
#include <linux/slab.h>
#include <linux/string.h>

#include "conn_internal.h"

struct iet_session *iet_session_find(struct iet_target *t, u64 sid)
{
	struct iet_session *s;

	lockdep_assert_held(&iet_ctl_mutex);
	list_for_each_entry(s, &t->sessions, list)
		if (s->sid == sid)
			return s;
	return NULL;
}

int iet_session_add(struct iet_target *t, u64 sid, const char *initiator,
		    u32 exp_cmdsn, const struct iet_params *p,
		    struct netlink_ext_ack *extack)
{
	struct iet_session *s;

	lockdep_assert_held(&iet_ctl_mutex);
	if (iet_session_find(t, sid)) {
		NL_SET_ERR_MSG(extack, "session already exists");
		return -EEXIST;
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	s->target = t;
	s->sid = sid;
	strscpy(s->initiator, initiator, sizeof(s->initiator));
	s->params = *p;
	INIT_LIST_HEAD(&s->conns);
	spin_lock_init(&s->sn_lock);
	s->exp_cmdsn = exp_cmdsn;
	INIT_LIST_HEAD(&s->sn_wait);
	list_add_tail(&s->list, &t->sessions);
	return 0;
}

static void iet_session_free(struct iet_session *s)
{
	u32 tid = s->target->tid;
	u64 sid = s->sid;

	WARN_ON_ONCE(!list_empty(&s->conns));
	list_del(&s->list);
	kfree(s);
	iet_genl_event_session_ended(tid, sid);
}

/* Explicit delete (netlink, target/module teardown): close everything. */
void iet_session_del(struct iet_session *s)
{
	struct iet_conn *conn, *tmp;

	lockdep_assert_held(&iet_ctl_mutex);
	list_for_each_entry_safe(conn, tmp, &s->conns, list)
		iet_conn_destroy(conn);
	iet_session_free(s);
}

/* A connection went away: with ERL 0 the session ends with its last one. */
void iet_session_conn_gone(struct iet_session *s)
{
	lockdep_assert_held(&iet_ctl_mutex);
	if (list_empty(&s->conns) && s->had_conn)
		iet_session_free(s);
}

u32 iet_session_exp_cmdsn(struct iet_session *s)
{
	u32 v;

	spin_lock_bh(&s->sn_lock);
	v = s->exp_cmdsn;
	spin_unlock_bh(&s->sn_lock);
	return v;
}

static u32 iet_max_cmdsn_locked(struct iet_session *s)
{
	return s->exp_cmdsn - 1 + s->params.queued_cmds - s->nr_window;
}

u32 iet_session_max_cmdsn(struct iet_session *s)
{
	u32 v;

	spin_lock_bh(&s->sn_lock);
	v = iet_max_cmdsn_locked(s);
	spin_unlock_bh(&s->sn_lock);
	return v;
}

int iet_session_accept_cmdsn(struct iet_session *s, struct iet_task *task)
{
	struct iet_task *pos, *n;

	spin_lock_bh(&s->sn_lock);
	if (!iet_cmdsn_in_window(task->cmdsn, s->exp_cmdsn,
				 iet_max_cmdsn_locked(s))) {
		spin_unlock_bh(&s->sn_lock);
		return -EAGAIN;
	}
	if (task->cmdsn != s->exp_cmdsn) {
		/* A gap (another connection is behind): wait in order. */
		list_for_each_entry(pos, &s->sn_wait, list) {
			if (pos->cmdsn == task->cmdsn) {
				/* Duplicate within the window: ignore it. */
				spin_unlock_bh(&s->sn_lock);
				return -EAGAIN;
			}
			if (iet_sn_lt(task->cmdsn, pos->cmdsn))
				break;
		}
		list_add_tail(&task->list, &pos->list);
		task->on_sn_wait = true;
		task->in_window = true;
		s->nr_window++;
		spin_unlock_bh(&s->sn_lock);
		return 0;
	}
	s->nr_window++;
	task->in_window = true;
	s->exp_cmdsn++;
	task->sn_ready = true;
	/* The gap may be closed now: release the waiters in order. */
	list_for_each_entry_safe(pos, n, &s->sn_wait, list) {
		if (pos->cmdsn != s->exp_cmdsn)
			break;
		s->exp_cmdsn++;
		pos->on_sn_wait = false;
		/*
		 * Not sn_ready yet: the owner's io_work sets it when it takes
		 * the task off its done list, so the task can never run while
		 * it is still linked there (a Data-Out completing it in the
		 * same rx batch would otherwise execute it twice).
		 */
		list_del_init(&pos->list);
		/*
		 * The waiter may belong to another connection: only its own
		 * io_work may touch it, so hand it over through its done
		 * list.  Done under sn_lock, so a connection tearing down
		 * (iet_session_task_gone) never races with this hand-over.
		 */
		iet_conn_hand_task(pos);
	}
	spin_unlock_bh(&s->sn_lock);
	return 0;
}

/* The task's slot in the window is free again (response sent, or the
 * connection is going away). */
void iet_session_task_gone(struct iet_session *s, struct iet_task *task)
{
	if (!task->in_window)
		return;
	spin_lock_bh(&s->sn_lock);
	if (task->on_sn_wait) {
		list_del_init(&task->list);
		task->on_sn_wait = false;
	}
	task->in_window = false;
	s->nr_window--;
	spin_unlock_bh(&s->sn_lock);
}
