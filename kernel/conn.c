// SPDX-License-Identifier: GPL-2.0-only
/*
 * conn.c - connections: socket hand-over from ietd, socket callbacks, the
 * per-connection work item, the task pool and teardown.
 *
 * The pattern is nvmet-tcp's (drivers/nvme/target/tcp.c): the socket
 * callbacks only queue io_work; io_work runs the resumable receive and send
 * state machines (conn_rx.c, conn_tx.c) with a budget and requeues itself.
 */
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/file.h>
#include <linux/in.h>
#include <linux/in6.h>
#include <linux/tcp.h>
#include <net/tcp.h>
#include <net/inet_sock.h>

#include "conn_internal.h"

/* ------------------------------------------------------------ callbacks */

static void iet_sk_data_ready(struct sock *sk)
{
	struct iet_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn)
		queue_work(iet_io_wq, &conn->io_work);
	read_unlock_bh(&sk->sk_callback_lock);
}

static void iet_sk_write_space(struct sock *sk)
{
	struct iet_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn && sk_stream_is_writeable(sk)) {
		clear_bit(SOCK_NOSPACE, &sk->sk_socket->flags);
		queue_work(iet_io_wq, &conn->io_work);
	}
	read_unlock_bh(&sk->sk_callback_lock);
}

static void iet_sk_state_change(struct sock *sk)
{
	void (*saved)(struct sock *sk) = NULL;
	struct iet_conn *conn;

	read_lock_bh(&sk->sk_callback_lock);
	conn = sk->sk_user_data;
	if (conn) {
		saved = conn->saved_state_change;
		switch (sk->sk_state) {
		case TCP_CLOSE:
			/* Reset or fully closed: nothing more to read. */
			iet_conn_fatal(conn, NULL);
			break;
		default:
			/* FIN: read what is left; recv() then sees EOF. */
			queue_work(iet_io_wq, &conn->io_work);
			break;
		}
	}
	read_unlock_bh(&sk->sk_callback_lock);
	if (saved)
		saved(sk);
}

static void iet_sk_install(struct iet_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	write_lock_bh(&sk->sk_callback_lock);
	conn->saved_data_ready = sk->sk_data_ready;
	conn->saved_write_space = sk->sk_write_space;
	conn->saved_state_change = sk->sk_state_change;
	sk->sk_user_data = conn;
	sk->sk_data_ready = iet_sk_data_ready;
	sk->sk_write_space = iet_sk_write_space;
	sk->sk_state_change = iet_sk_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

static void iet_sk_restore(struct iet_conn *conn)
{
	struct sock *sk = conn->sock->sk;

	/* Waits for callbacks running under the read lock to finish. */
	write_lock_bh(&sk->sk_callback_lock);
	sk->sk_user_data = NULL;
	sk->sk_data_ready = conn->saved_data_ready;
	sk->sk_write_space = conn->saved_write_space;
	sk->sk_state_change = conn->saved_state_change;
	write_unlock_bh(&sk->sk_callback_lock);
}

/* ----------------------------------------------------------------- tasks */

struct iet_task *iet_task_alloc(struct iet_conn *conn)
{
	struct iet_task *task;
	u16 idx, gen;

	task = list_first_entry_or_null(&conn->free_tasks, struct iet_task,
					list);
	if (!task)
		return NULL;
	list_del_init(&task->list);
	idx = task->idx;
	/* 15 bits so that a TTT (gen << 16 | idx) is never 0xffffffff. */
	gen = (task->gen + 1) & 0x7fff;
	memset(task, 0, sizeof(*task));
	task->conn = conn;
	task->idx = idx;
	task->gen = gen;
	INIT_LIST_HEAD(&task->list);
	INIT_LIST_HEAD(&task->rx_node);
	INIT_LIST_HEAD(&task->tx_node);
	task->state = IET_T_RX;
	task->kbuf = task->kbuf_inline;
	return task;
}

static void iet_task_put_back(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;

	if (task->scsi_setup) {
		iet_scsi_cmd_release(&task->scmd);
		task->scsi_setup = false;
	}
	if (task->kbuf && task->kbuf != task->kbuf_inline)
		kvfree(task->kbuf);
	task->kbuf = NULL;
	task->state = IET_T_FREE;
	list_add(&task->list, &conn->free_tasks);
}

/* io_work only. */
void iet_task_free(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;
	struct iet_task *tmf = task->tmf;

	if (task->on_rx) {
		list_del_init(&task->rx_node);
		task->on_rx = false;
	}
	if (task->on_tx) {
		list_del_init(&task->tx_node);
		task->on_tx = false;
	}
	iet_session_task_gone(conn->session, task);
	iet_task_put_back(task);
	/* A TMF waited for this task to be gone (RFC 7143 §4.2.3.3). */
	if (tmf && tmf->state != IET_T_FREE && tmf->tmf_wait && !--tmf->tmf_wait)
		iet_task_queue_tx(tmf);
}

/*
 * io_work only.  An aborted task may still be linked on the CmdSN wait list
 * or the done list, or be mid-PDU on either side: whoever holds it frees it
 * when it lets go.  Returns true if it was freed now.
 */
bool iet_task_free_if_unheld(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;
	struct iet_session *s = conn->session;
	bool held;

	spin_lock_bh(&s->sn_lock);
	held = task->on_sn_wait || task->on_done;
	spin_unlock_bh(&s->sn_lock);
	if (held || conn->rx_task == task || conn->tx_task == task)
		return false;
	iet_task_free(task);
	return true;
}

void iet_task_queue_tx(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;

	if (!task->on_tx) {
		list_add_tail(&task->tx_node, &conn->tx_list);
		task->on_tx = true;
	}
}

/* Bounded: at most nr_tasks entries. */
struct iet_task *iet_task_by_itt(struct iet_conn *conn, u32 itt,
				 struct iet_task *exclude)
{
	u32 i;

	for (i = 0; i < conn->nr_tasks; i++) {
		struct iet_task *t = &conn->tasks[i];

		if (t != exclude && t->state != IET_T_FREE && t->itt == itt &&
		    t->op == IET_OP_SCSI_CMD)
			return t;
	}
	return NULL;
}

/* SCSI layer ->done: any context.  Only hand the task to io_work. */
void iet_task_scsi_done(struct iet_scsi_cmd *cmd)
{
	struct iet_task *task = container_of(cmd, struct iet_task, scmd);
	struct iet_conn *conn = task->conn;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	list_add_tail(&task->list, &conn->done_list);
	queue_work(iet_io_wq, &conn->io_work);
	/* Last touch of conn: teardown waits for nr_exec under this lock. */
	if (!--conn->nr_exec)
		wake_up(&conn->exec_wq);
	spin_unlock_irqrestore(&conn->lock, flags);
}

/* Called with the owning session's sn_lock held (session.c). */
void iet_conn_hand_task(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	task->on_done = true;
	list_add_tail(&task->list, &conn->done_list);
	queue_work(iet_io_wq, &conn->io_work);
	spin_unlock_irqrestore(&conn->lock, flags);
}

static void iet_task_exec_scsi(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;
	unsigned long flags;
	bool go;

	spin_lock_irqsave(&conn->lock, flags);
	go = conn->state == IET_CS_ACTIVE;
	if (go) {
		conn->nr_exec++;
		task->state = IET_T_EXEC;
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (go)
		iet_scsi_execute(&task->scmd);
	/* else: the connection is closing; teardown frees the task. */
}

/* io_work only: run a task whose CmdSN turn has come and whose data is in. */
void iet_task_try_run(struct iet_task *task)
{
	if (task->state != IET_T_RX)
		return;
	if (task->aborted) {
		iet_task_free_if_unheld(task);
		return;
	}
	/* Still linked on done_list: process_done runs it when it unlinks. */
	if (task->on_done || !task->sn_ready || !task->data_ready)
		return;
	if (task->on_rx) {
		list_del_init(&task->rx_node);
		task->on_rx = false;
	}
	switch (task->op) {
	case IET_OP_SCSI_CMD:
		if (task->write_failed)
			iet_task_scsi_response(task);
		else
			iet_task_exec_scsi(task);
		break;
	case IET_OP_TASK_MGT_REQ:
		iet_task_tmf_run(task);
		break;
	case IET_OP_LOGOUT_REQ:
		iet_task_logout_run(task);
		break;
	default:	/* NOP-In, Text Response, Reject: answer now */
		task->state = IET_T_TX;
		iet_task_queue_tx(task);
		break;
	}
}

/* ------------------------------------------------------------- io_work */

static bool iet_conn_active(struct iet_conn *conn, bool for_rx)
{
	unsigned long flags;
	bool ok;

	spin_lock_irqsave(&conn->lock, flags);
	ok = conn->state == IET_CS_ACTIVE ||
	     (!for_rx && conn->state == IET_CS_LOGOUT);
	spin_unlock_irqrestore(&conn->lock, flags);
	return ok;
}

bool iet_conn_active_rx(struct iet_conn *conn)
{
	return iet_conn_active(conn, true);
}

static int iet_conn_process_done(struct iet_conn *conn)
{
	struct iet_task *task, *n;
	unsigned long flags;
	LIST_HEAD(done);
	int nr = 0;

	spin_lock_irqsave(&conn->lock, flags);
	list_splice_init(&conn->done_list, &done);
	spin_unlock_irqrestore(&conn->lock, flags);

	list_for_each_entry_safe(task, n, &done, list) {
		list_del_init(&task->list);
		task->on_done = false;
		nr++;
		if (task->state == IET_T_RX) {
			/* Released from the CmdSN wait list: its turn now. */
			task->sn_ready = true;
			iet_task_try_run(task);
		} else if (task->aborted) {
			iet_task_free(task);
		} else {
			iet_task_scsi_response(task);
		}
	}
	return nr;
}

static void iet_io_work(struct work_struct *w)
{
	struct iet_conn *conn = container_of(w, struct iet_conn, io_work);
	int budget = IET_IO_BUDGET;
	bool pending;
	int ret;

	do {
		pending = false;
		if (!iet_conn_active(conn, false))
			return;
		if (iet_conn_process_done(conn))
			pending = true;

		if (iet_conn_active(conn, true)) {
			ret = iet_conn_rx(conn, 8);
			if (ret < 0) {
				iet_conn_fatal(conn, ret == -ECONNRESET ?
					       NULL : "receive failed");
				return;
			}
			if (ret > 0)
				pending = true;
		}

		ret = iet_conn_tx(conn, 8);
		if (ret < 0) {
			iet_conn_fatal(conn, ret == -ECONNRESET || ret == -EPIPE ?
				       NULL : "send failed");
			return;
		}
		if (ret > 0)
			pending = true;
		budget -= 8;
	} while (pending && budget > 0);

	/* Budget spent with work left: yield, come back (nvmet-tcp). */
	if (pending)
		queue_work(iet_io_wq, &conn->io_work);
}

void iet_conn_kick(struct iet_conn *conn)
{
	queue_work(iet_io_wq, &conn->io_work);
}

/* ------------------------------------------------------------ lifetime */

static void iet_conn_free(struct kref *ref)
{
	struct iet_conn *conn = container_of(ref, struct iet_conn, ref);

	kfree(conn);
}

static void iet_conn_release_work(struct work_struct *w)
{
	struct iet_conn *conn = container_of(w, struct iet_conn, release_work);

	mutex_lock(&iet_ctl_mutex);
	if (!conn->destroyed) {
		struct iet_session *s = conn->session;
		struct iet_conn *other;

		/* Logout "close the session": its other connections go too. */
		if (conn->close_session)
			list_for_each_entry(other, &s->conns, list)
				if (other != conn)
					iet_conn_fatal(other, NULL);
		iet_conn_destroy(conn);
		iet_session_conn_gone(s);
	}
	mutex_unlock(&iet_ctl_mutex);
	kref_put(&conn->ref, iet_conn_free);
}

/*
 * Fail the connection from any context: one state change under the lock,
 * then the release work tears it down (it needs iet_ctl_mutex).  why is
 * NULL for an ordinary close by the peer.
 */
void iet_conn_fatal(struct iet_conn *conn, const char *why)
{
	unsigned long flags;
	bool first = false;

	spin_lock_irqsave(&conn->lock, flags);
	if (conn->state != IET_CS_CLOSING) {
		conn->state = IET_CS_CLOSING;
		first = true;
	}
	if (!conn->release_queued && !conn->destroyed) {
		conn->release_queued = true;
		kref_get(&conn->ref);
		queue_work(iet_ctl_wq, &conn->release_work);
	}
	spin_unlock_irqrestore(&conn->lock, flags);
	if (first && why)
		pr_warn_ratelimited("%s: %s: closing connection %u of session %#llx\n",
				    IET_MODULE_NAME, why, conn->cid,
				    conn->session->sid);
}

enum iet_conn_state iet_conn_show_state(struct iet_conn *conn)
{
	enum iet_conn_run_state st;
	unsigned long flags;

	spin_lock_irqsave(&conn->lock, flags);
	st = conn->state;
	spin_unlock_irqrestore(&conn->lock, flags);
	switch (st) {
	case IET_CS_ACTIVE:
		return IET_CONN_ACTIVE;
	case IET_CS_LOGOUT:
	case IET_CS_CLOSING:
		return IET_CONN_CLOSING;
	}
	return IET_CONN_UNKNOWN;
}

static u32 iet_conn_nr_exec(struct iet_conn *conn)
{
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&conn->lock, flags);
	n = conn->nr_exec;
	spin_unlock_irqrestore(&conn->lock, flags);
	return n;
}

/*
 * Teardown, iet_ctl_mutex held (STYLE.md #6): state change under the lock,
 * restore the socket callbacks, wait for commands inside the SCSI layer,
 * give back window slots, stop io_work, free, drop the socket reference.
 */
void iet_conn_destroy(struct iet_conn *conn)
{
	struct iet_session *s = conn->session;
	unsigned long flags;
	u32 i;

	lockdep_assert_held(&iet_ctl_mutex);

	spin_lock_irqsave(&conn->lock, flags);
	conn->state = IET_CS_CLOSING;
	spin_unlock_irqrestore(&conn->lock, flags);

	iet_sk_restore(conn);
	kernel_sock_shutdown(conn->sock, SHUT_RDWR);

	/* No new commands start once CLOSING; wait for the running ones. */
	wait_event(conn->exec_wq, iet_conn_nr_exec(conn) == 0);
	cancel_work_sync(&conn->io_work);

	/* After this no other connection hands us a task (session.c). */
	for (i = 0; i < conn->nr_tasks; i++)
		if (conn->tasks[i].state != IET_T_FREE)
			iet_session_task_gone(s, &conn->tasks[i]);
	/* A hand-over just before may have queued io_work: it sees CLOSING. */
	cancel_work_sync(&conn->io_work);

	for (i = 0; i < conn->nr_tasks; i++)
		if (conn->tasks[i].state != IET_T_FREE)
			iet_task_put_back(&conn->tasks[i]);

	fput(conn->sock->file);
	conn->sock = NULL;
	list_del(&conn->list);

	spin_lock_irqsave(&conn->lock, flags);
	conn->destroyed = true;
	spin_unlock_irqrestore(&conn->lock, flags);

	iet_genl_event_conn_closed(s->target->tid, s->sid, conn->cid);
	kvfree(conn->tasks);
	conn->tasks = NULL;
	free_page((unsigned long)conn->scratch);
	kref_put(&conn->ref, iet_conn_free);
}

struct iet_conn *iet_conn_find(struct iet_session *s, u16 cid)
{
	struct iet_conn *conn;

	list_for_each_entry(conn, &s->conns, list)
		if (conn->cid == cid)
			return conn;
	return NULL;
}

static void iet_conn_peer_ip(struct iet_conn *conn)
{
	struct sockaddr_storage ss;
	int len;

	memset(&ss, 0, sizeof(ss));
	len = kernel_getpeername(conn->sock, (struct sockaddr *)&ss);
	if (len < 0) {
		strscpy(conn->ip, "unknown", sizeof(conn->ip));
		return;
	}
	if (ss.ss_family == AF_INET) {
		snprintf(conn->ip, sizeof(conn->ip), "%pI4",
			 &((struct sockaddr_in *)&ss)->sin_addr);
	} else if (ss.ss_family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

		if (ipv6_addr_v4mapped(&sin6->sin6_addr))
			snprintf(conn->ip, sizeof(conn->ip), "%pI4",
				 &sin6->sin6_addr.s6_addr32[3]);
		else
			snprintf(conn->ip, sizeof(conn->ip), "[%pI6c]",
				 &sin6->sin6_addr);
	} else {
		strscpy(conn->ip, "unknown", sizeof(conn->ip));
	}
}

/*
 * Start a connection on a socket ietd logged in.  sock comes with a file
 * reference (sockfd_lookup) which becomes ours on success.
 */
int iet_conn_add(struct iet_session *s, u16 cid, struct socket *sock,
		 u32 stat_sn, u8 hd, u8 dd, u32 max_recv, u32 max_xmit,
		 struct netlink_ext_ack *extack)
{
	struct iet_conn *conn;
	u32 i;

	lockdep_assert_held(&iet_ctl_mutex);
	if (iet_conn_find(s, cid)) {
		NL_SET_ERR_MSG(extack, "connection id already in use");
		return -EEXIST;
	}
	conn = kzalloc(sizeof(*conn), GFP_KERNEL);
	if (!conn)
		return -ENOMEM;
	conn->session = s;
	conn->cid = cid;
	conn->sock = sock;
	conn->hdigest = hd;
	conn->ddigest = dd;
	conn->max_recv_dsl = max_recv;
	conn->max_xmit_dsl = max_xmit;
	conn->stat_sn = stat_sn;
	conn->exp_stat_sn = stat_sn;
	INIT_WORK(&conn->io_work, iet_io_work);
	INIT_WORK(&conn->release_work, iet_conn_release_work);
	kref_init(&conn->ref);
	spin_lock_init(&conn->lock);
	conn->state = IET_CS_ACTIVE;
	INIT_LIST_HEAD(&conn->done_list);
	init_waitqueue_head(&conn->exec_wq);
	INIT_LIST_HEAD(&conn->free_tasks);
	INIT_LIST_HEAD(&conn->rx_tasks);
	INIT_LIST_HEAD(&conn->tx_list);
	conn->rx_state = IET_RX_HDR;

	/* STYLE.md #3: the pool is sized from the window we grant. */
	conn->nr_tasks = s->params.queued_cmds + IET_EXTRA_TASKS;
	conn->tasks = kvcalloc(conn->nr_tasks, sizeof(*conn->tasks), GFP_KERNEL);
	if (!conn->tasks)
		goto free_conn;
	conn->scratch = (void *)__get_free_page(GFP_KERNEL);
	if (!conn->scratch)
		goto free_tasks;
	for (i = 0; i < conn->nr_tasks; i++) {
		conn->tasks[i].idx = i;
		conn->tasks[i].conn = conn;
		conn->tasks[i].state = IET_T_FREE;
		list_add_tail(&conn->tasks[i].list, &conn->free_tasks);
	}
	iet_conn_peer_ip(conn);

	/* The data path may reclaim memory for the initiator's writeback. */
	sock->sk->sk_allocation = GFP_ATOMIC;
	tcp_sock_set_nodelay(sock->sk);

	list_add_tail(&conn->list, &s->conns);
	s->had_conn = true;
	iet_sk_install(conn);
	/* Anything the initiator sent right after login is already waiting. */
	queue_work(iet_io_wq, &conn->io_work);
	return 0;

free_tasks:
	kvfree(conn->tasks);
free_conn:
	kfree(conn);
	return -ENOMEM;
}
