/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * conn_internal.h - sessions, connections and tasks: private to the
 * control path (target.c, session.c, netlink.c, proc.c) and the transport
 * (conn.c, conn_rx.c, conn_tx.c).  The SCSI side never sees these.
 *
 * Threading model (STYLE.md #1, #2):
 *  - Each connection has ONE work item (io_work) on iet_io_wq.  The socket
 *    callbacks and the SCSI ->done only queue it.  A work item never runs
 *    concurrently with itself, so the receive state (conn->rx_*) and the
 *    send state (conn->tx_*) need no lock: only io_work touches them.
 *  - conn->lock (irq-safe: ->done may come from any context) guards
 *    conn->state, conn->done_list and conn->nr_exec.
 *  - session->sn_lock guards the CmdSN window and the list of commands
 *    waiting for an earlier CmdSN.
 *  - Creating and destroying sessions and connections happens under
 *    iet_ctl_mutex; a connection that fails on its own asks for its
 *    destruction through release_work, which takes the mutex.
 */
#ifndef IET_CONN_INTERNAL_H
#define IET_CONN_INTERNAL_H

#include <linux/spinlock.h>
#include <linux/wait.h>
#include <linux/net.h>
#include <linux/socket.h>
#include <net/sock.h>

#include "iet.h"
#include "pdu.h"

/* Tasks beyond QueuedCmds: immediate commands, NOP-Out, TMF, Reject. */
#define IET_EXTRA_TASKS		16
#define IET_QUEUED_CMDS_MAX	1024
/* Work budget per run before yielding the CPU (nvmet-tcp style). */
#define IET_IO_BUDGET		64
#define IET_IP_LEN		48
/* Header buffer: BHS + AHS + header digest. */
#define IET_HDR_BUF		(IET_BHS_LEN + IET_MAX_AHS_LEN + IET_DIGEST_LEN)

struct iet_params {
	bool	initial_r2t;
	bool	immediate_data;
	u32	max_burst;
	u32	first_burst;
	u32	max_outstanding_r2t;
	bool	data_pdu_in_order;
	bool	data_seq_in_order;
	u8	erl;
	u32	max_conns;
	u32	time2wait;
	u32	time2retain;
	u32	queued_cmds;
};

struct iet_session {
	struct iet_target	*target;
	u64			sid;
	char			initiator[IET_NAME_MAX];
	struct iet_params	params;
	struct list_head	list;		/* target->sessions */
	struct list_head	conns;		/* under iet_ctl_mutex */
	bool			had_conn;	/* ERL 0: end with the last one */

	spinlock_t		sn_lock;
	u32			exp_cmdsn;
	u32			nr_window;	/* non-immediate tasks alive */
	struct list_head	sn_wait;	/* tasks with CmdSN > ExpCmdSN */
};

enum iet_conn_run_state {
	IET_CS_ACTIVE,		/* full-feature phase */
	IET_CS_LOGOUT,		/* Logout Response queued: send it, then close */
	IET_CS_CLOSING,		/* closing: no more I/O on the socket */
};

enum iet_rx_state {
	IET_RX_HDR,		/* BHS, then AHS + header digest */
	IET_RX_DATA,		/* data segment into its sink */
	IET_RX_TAIL,		/* pad + data digest */
	IET_RX_WAIT_TASK,	/* header parsed, waiting for a free task */
};

enum iet_rx_sink {
	IET_SINK_NONE,
	IET_SINK_BUF,		/* the task's SCSI buffer at rx_buf_off */
	IET_SINK_KBUF,		/* rx_kbuf (ping/text data) */
	IET_SINK_DISCARD,	/* read and drop */
};

enum iet_task_state {
	IET_T_FREE,
	IET_T_RX,		/* receiving Data-Out / waiting for CmdSN turn */
	IET_T_EXEC,		/* in the SCSI layer */
	IET_T_TX,		/* response queued or being sent */
	IET_T_DONE,		/* waiting to be freed (e.g. aborted) */
};

struct iet_conn;

struct iet_task {
	struct iet_scsi_cmd	scmd;		/* must stay first: see ->done */
	struct iet_conn		*conn;
	u16			idx;		/* in conn->tasks */
	u16			gen;		/* bumps per use: stale TTTs */
	enum iet_task_state	state;
	struct list_head	list;		/* free/done/tx/sn_wait list */
	struct list_head	rx_node;	/* conn->rx_tasks: may get Data-Out */
	struct list_head	tx_node;	/* conn->tx_list */
	bool			on_sn_wait;	/* under session->sn_lock */
	bool			on_done;	/* handed over, on done_list */
	bool			on_rx;
	bool			on_tx;
	bool			in_window;	/* holds a CmdSN window slot */
	bool			scsi_setup;	/* iet_scsi_cmd_release() owed */

	struct iet_bhs		req;		/* request BHS as received */
	u8			op;
	bool			immediate;
	u32			itt;
	u32			cmdsn;
	bool			sn_ready;	/* its CmdSN turn has come */
	bool			data_ready;	/* all Data-Out it needs is in */
	bool			aborted;	/* by a TMF: no response */
	bool			no_lun;		/* the LUN does not exist */
	struct iet_task		*tmf;		/* TMF waiting for us */
	u32			tmf_wait;	/* (TMF) tasks it waits for */

	/* write */
	u32			edtl;		/* Expected Data Transfer Length */
	u32			wire_len;	/* bytes to take from the wire */
	u32			data_next;	/* next expected buffer offset */
	u32			unsol_end;	/* end of the unsolicited burst */
	u32			r2t_next;	/* next offset to ask for */
	u32			r2t_sent_end;	/* end of what R2Ts asked so far */
	u32			r2tsn;
	u32			r2t_outstanding;
	u32			seq_end;	/* end of current data sequence */
	u32			exp_datasn;	/* in the current sequence */
	bool			write_failed;	/* do not execute: drain, answer */
	bool			skip_exec;	/* write trimmed to 0 blocks */
	u32			scsi_xfer;	/* xfer_len as parsed (residuals) */

	/* send */
	u8			rsp_op;		/* PDU kind to send */
	u8			rsp_stage;	/* SCSI: 0 Data-In, 1 Response, 2 done */
	bool			status_in_datain;
	u32			tx_off;		/* Data-In offset */
	u32			tx_datasn;
	u32			tx_len;		/* Data-In bytes to send */
	u8			rsp_code;	/* TMF/Logout response, Reject reason */
	void			*kbuf;		/* ping/text/reject data */
	u32			kbuf_len;
	u8			kbuf_inline[IET_BHS_LEN];
};

struct iet_conn {
	struct iet_session	*session;
	u16			cid;
	struct list_head	list;		/* session->conns */
	struct socket		*sock;
	char			ip[IET_IP_LEN];
	u8			hdigest;
	u8			ddigest;
	u32			max_recv_dsl;
	u32			max_xmit_dsl;

	void			(*saved_data_ready)(struct sock *sk);
	void			(*saved_write_space)(struct sock *sk);
	void			(*saved_state_change)(struct sock *sk);

	struct work_struct	io_work;
	struct work_struct	release_work;
	struct kref		ref;		/* conn memory: owner + release_work */

	spinlock_t		lock;
	enum iet_conn_run_state	state;
	struct list_head	done_list;	/* tasks back from SCSI */
	u32			nr_exec;	/* tasks inside the SCSI layer */
	wait_queue_head_t	exec_wq;
	bool			release_queued;
	bool			destroyed;

	/* io_work only */
	struct iet_task		*tasks;
	u32			nr_tasks;
	struct list_head	free_tasks;
	struct list_head	rx_tasks;	/* tasks that may take Data-Out */
	struct list_head	tx_list;	/* tasks with PDUs to send */
	u32			stat_sn;
	u32			exp_stat_sn;

	enum iet_rx_state	rx_state;
	u8			rx_hdr[IET_HDR_BUF] __aligned(8);
	u32			rx_hdr_len;	/* bytes of rx_hdr wanted */
	u32			rx_off;		/* bytes of the current part in */
	struct iet_pdu_info	rx_info;
	enum iet_rx_sink	rx_sink;
	struct iet_task		*rx_task;
	u32			rx_buf_off;	/* SINK_BUF: buffer offset */
	u32			rx_buf_keep;	/* SINK_BUF: bytes kept, rest dropped */
	u8			*rx_kbuf;
	u8			rx_tail[IET_PAD_LEN + IET_DIGEST_LEN];
	u32			rx_tail_len;
	u32			rx_crc;
	bool			rx_reject;	/* Reject this PDU after it is read */
	void			*scratch;	/* PAGE_SIZE, for SINK_DISCARD */

	struct iet_task		*tx_task;	/* PDU in flight */
	u8			tx_hdr[IET_BHS_LEN + IET_DIGEST_LEN] __aligned(8);
	u32			tx_hdr_len;
	u32			tx_data_off;	/* SCSI buffer offset (bvec data) */
	u32			tx_data_len;	/* data bytes of this PDU */
	const u8		*tx_kdata;	/* or kernel data */
	u8			tx_tail[IET_PAD_LEN + IET_DIGEST_LEN];
	u32			tx_tail_len;
	u32			tx_sent;	/* bytes of this PDU sent */
	bool			close_session;	/* Logout: close the whole session */
};

extern struct workqueue_struct *iet_io_wq;
extern struct workqueue_struct *iet_ctl_wq;

/* main.c/target.c */
int iet_target_add(u32 tid, const char *name, struct netlink_ext_ack *extack);
int iet_target_del(u32 tid, struct netlink_ext_ack *extack);
void iet_target_del_all(void);

/* session.c, iet_ctl_mutex held */
struct iet_session *iet_session_find(struct iet_target *t, u64 sid);
int iet_session_add(struct iet_target *t, u64 sid, const char *initiator,
		    u32 exp_cmdsn, const struct iet_params *p,
		    struct netlink_ext_ack *extack);
void iet_session_del(struct iet_session *s);
void iet_session_conn_gone(struct iet_session *s);
/* CmdSN bookkeeping (session.c, any context of io_work). */
u32 iet_session_exp_cmdsn(struct iet_session *s);
u32 iet_session_max_cmdsn(struct iet_session *s);
/* Returns 0 accepted (task->sn_ready tells whether it may run now),
 * -EAGAIN outside the window (silently ignored per RFC 7143 §4.2.2.1). */
int iet_session_accept_cmdsn(struct iet_session *s, struct iet_task *task);
void iet_session_task_gone(struct iet_session *s, struct iet_task *task);

/* conn.c */
struct iet_conn *iet_conn_find(struct iet_session *s, u16 cid);
int iet_conn_add(struct iet_session *s, u16 cid, struct socket *sock,
		 u32 stat_sn, u8 hd, u8 dd, u32 max_recv, u32 max_xmit,
		 struct netlink_ext_ack *extack);
void iet_conn_destroy(struct iet_conn *conn);	/* iet_ctl_mutex held */
void iet_conn_fatal(struct iet_conn *conn, const char *why);
void iet_conn_kick(struct iet_conn *conn);
enum iet_conn_state iet_conn_show_state(struct iet_conn *conn);
struct iet_task *iet_task_alloc(struct iet_conn *conn);
void iet_task_free(struct iet_task *task);
bool iet_task_free_if_unheld(struct iet_task *task);
void iet_task_try_run(struct iet_task *task);
void iet_conn_hand_task(struct iet_task *task);
void iet_task_queue_tx(struct iet_task *task);
struct iet_task *iet_task_by_itt(struct iet_conn *conn, u32 itt,
				 struct iet_task *exclude);
void iet_task_scsi_done(struct iet_scsi_cmd *cmd);
bool iet_conn_active_rx(struct iet_conn *conn);
void iet_task_tmf_run(struct iet_task *tmf);
void iet_task_logout_run(struct iet_task *task);
u32 iet_crc_buf(struct iet_conn *conn, struct iet_task *task, u32 off,
		u32 len, u32 crc);

/* conn_rx.c */
int iet_conn_rx(struct iet_conn *conn, int budget);
/* conn_tx.c */
int iet_conn_tx(struct iet_conn *conn, int budget);
void iet_task_scsi_response(struct iet_task *task);

#endif /* IET_CONN_INTERNAL_H */
