// SPDX-License-Identifier: GPL-2.0-only
/*
 * conn_rx.c - the receive state machine of a connection (io_work only).
 *
 * Resumable (nvmet_tcp_try_recv_pdu style): conn->rx_state and rx_off say
 * where we are; the socket is read with MSG_DONTWAIT and -EAGAIN means
 * "come back when sk_data_ready says so".  Every length, offset and tag
 * from the wire is checked before it is used; a violation closes the
 * connection (ERL 0) with one ratelimited line in the log.
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/crc32c.h>
#include <linux/net.h>
#include <linux/socket.h>

#include "conn_internal.h"

/* SPC-4 sense codes the transport itself raises. */
#define IET_SK_ILLEGAL_REQUEST	0x05
#define IET_SK_ABORTED_COMMAND	0x0b
#define IET_ASC_INVALID_CDB	0x24
#define IET_ASC_RESOURCES	0x55
#define IET_ASC_INVALID_IU	0x0e

static int iet_rx_violation(struct iet_conn *conn, const char *why)
{
	iet_conn_fatal(conn, why);
	return -EPROTO;
}

static int iet_recv_kvec(struct iet_conn *conn, void *buf, size_t len)
{
	struct kvec iov = { .iov_base = buf, .iov_len = len };
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int ret;

	ret = kernel_recvmsg(conn->sock, &msg, &iov, 1, len, msg.msg_flags);
	return ret == 0 ? -ECONNRESET : ret;	/* 0: the peer closed */
}

static int iet_recv_buf(struct iet_conn *conn, struct iet_task *task,
			u32 off, u32 len)
{
	struct msghdr msg = { .msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL };
	int ret;

	ret = iet_scsi_buf_iter(&task->scmd, ITER_DEST, off, len, &msg.msg_iter);
	if (ret)
		return ret;
	ret = sock_recvmsg(conn->sock, &msg, msg.msg_flags);
	return ret == 0 ? -ECONNRESET : ret;
}

/* CRC32C (RFC 7143 §13.1, Castagnoli) over part of a task's buffer. */
u32 iet_crc_buf(struct iet_conn *conn, struct iet_task *task, u32 off,
		u32 len, u32 crc)
{
	struct iov_iter it;

	if (iet_scsi_buf_iter(&task->scmd, ITER_SOURCE, off, len, &it))
		return ~crc;	/* cannot happen: ranges are checked */
	while (len) {
		u32 n = min_t(u32, len, PAGE_SIZE);

		if (copy_from_iter(conn->scratch, n, &it) != n)
			return ~crc;
		crc = crc32c(crc, conn->scratch, n);
		len -= n;
	}
	return crc;
}

static void iet_rx_reset(struct iet_conn *conn)
{
	conn->rx_state = IET_RX_HDR;
	conn->rx_off = 0;
	conn->rx_hdr_len = IET_BHS_LEN;
	conn->rx_sink = IET_SINK_NONE;
	conn->rx_task = NULL;
	conn->rx_reject = false;
}

static void iet_rx_sink_discard(struct iet_conn *conn)
{
	conn->rx_sink = IET_SINK_DISCARD;
	conn->rx_task = NULL;
}

static u32 iet_rx_cmdsn(struct iet_conn *conn)
{
	return get_unaligned_be32(conn->rx_hdr + 24);
}

/*
 * CmdSN for a new task.  Returns false when the command is outside the
 * window (or a duplicate): RFC 7143 §4.2.2.1 says ignore it silently; the
 * task is freed and its data dropped.
 */
static bool iet_rx_task_sn(struct iet_conn *conn, struct iet_task *task)
{
	task->cmdsn = iet_rx_cmdsn(conn);
	if (task->immediate) {
		task->sn_ready = true;
		return true;
	}
	if (iet_session_accept_cmdsn(conn->session, task) == 0)
		return true;
	pr_debug_ratelimited("%s: CmdSN %u outside the window, ignored\n",
			     IET_MODULE_NAME, task->cmdsn);
	iet_task_free(task);
	iet_rx_sink_discard(conn);
	return false;
}

/* Write bookkeeping after data arrived (or the command itself). */
static void iet_write_advance(struct iet_task *task, bool solicited,
			      bool final)
{
	struct iet_params *p = &task->conn->session->params;
	u32 want_end = task->scmd.xfer_len;

	if (!solicited && final && task->data_next < task->unsol_end) {
		/* The initiator ended its unsolicited burst early. */
		task->unsol_end = task->data_next;
		task->seq_end = task->data_next;
		task->r2t_next = task->data_next;
	}
	if (task->data_next == task->seq_end) {
		if (solicited && task->r2t_outstanding)
			task->r2t_outstanding--;
		task->exp_datasn = 0;
		task->seq_end = task->data_next;
		if (task->data_next < want_end)
			task->seq_end += min(p->max_burst, want_end - task->data_next);
	}
	if (task->data_next >= max(task->unsol_end, want_end)) {
		task->data_ready = true;
		iet_task_try_run(task);
		return;
	}
	if (!task->on_rx) {
		list_add_tail(&task->rx_node, &task->conn->rx_tasks);
		task->on_rx = true;
	}
	/* More to ask for with R2Ts (conn_tx.c decides how many). */
	if (task->data_next >= task->unsol_end && task->r2t_next < want_end)
		iet_task_queue_tx(task);
}

/*
 * A block write whose Expected Data Transfer Length is shorter than the
 * CDB's: write only the EDTL whole blocks and report the rest as an
 * overflow residual (RFC 7143 §11.4.5.2; what libiscsi's residual tests
 * and LIO expect).  Returns false when EDTL is not a whole number of
 * blocks: the caller fails the command instead.
 */
static bool iet_write_trim(struct iet_task *task, u32 edtl)
{
	struct iet_scsi_cmd *sc = &task->scmd;

	if (!sc->vol || !sc->nr_blocks || !sc->vol->blkbits ||
	    (edtl & ((1u << sc->vol->blkbits) - 1)))
		return false;
	sc->nr_blocks = edtl >> sc->vol->blkbits;
	sc->xfer_len = edtl;
	if (!sc->nr_blocks)
		task->skip_exec = true;
	return true;
}

static int iet_rx_scsi_cmd(struct iet_conn *conn, struct iet_task *task)
{
	struct iet_scsi_cmd_hdr *h = (struct iet_scsi_cmd_hdr *)conn->rx_hdr;
	struct iet_session *s = conn->session;
	struct iet_params *p = &s->params;
	struct iet_scsi_cmd *sc = &task->scmd;
	u32 imm = conn->rx_info.data_len;
	bool wbit = h->flags & IET_CMD_FLAG_WRITE;
	bool failed;
	int ret;

	task->edtl = be32_to_cpu(h->data_length);
	/* RFC 7143 §11.3: immediate data rules, checked before use. */
	if (imm) {
		if (!wbit)
			return iet_rx_violation(conn, "immediate data without the W bit");
		if (!p->immediate_data)
			return iet_rx_violation(conn, "immediate data not negotiated");
		if (imm > p->first_burst)
			return iet_rx_violation(conn, "immediate data beyond FirstBurstLength");
		if (imm > task->edtl)
			return iet_rx_violation(conn, "immediate data beyond the transfer length");
	}
	if (task->itt == IET_RESERVED_TAG)
		return iet_rx_violation(conn, "SCSI command with the reserved ITT");
	if (iet_task_by_itt(conn, task->itt, task))
		return iet_rx_violation(conn, "ITT already in use");
	ret = iet_ahs_build_cdb(h->cdb, conn->rx_hdr + IET_BHS_LEN,
				conn->rx_info.ahs_len, sc->cdb, sizeof(sc->cdb));
	if (ret < 0)
		return iet_rx_violation(conn, "malformed AHS");
	sc->cdb_len = ret;

	if (!iet_rx_task_sn(conn, task))
		return 0;

	sc->target = s->target;
	sc->lun = iet_lun_decode(h->lun);
	sc->vol = sc->lun == IET_LUN_INVALID ? NULL :
		  iet_volume_get(s->target, sc->lun);
	sc->task_attr = h->flags & IET_CMD_ATTR_MASK;
	sc->done = iet_task_scsi_done;
	task->scsi_setup = true;	/* from here on release is owed */

	failed = iet_scsi_parse(sc) != 0;
	task->scsi_xfer = sc->xfer_len;
	if (failed) {
		task->write_failed = true;
	} else if ((h->flags & IET_CMD_FLAG_READ) && wbit) {
		/* Bidirectional commands are not supported. */
		iet_scsi_set_sense(sc, IET_SK_ILLEGAL_REQUEST, IET_ASC_INVALID_CDB, 0);
		task->write_failed = true;
	} else if (sc->data_dir == DMA_TO_DEVICE &&
		   (!wbit || task->edtl < sc->xfer_len) &&
		   !iet_write_trim(task, wbit ? task->edtl : 0)) {
		/* We would write bytes the initiator never sends. */
		iet_scsi_set_sense(sc, IET_SK_ILLEGAL_REQUEST, IET_ASC_INVALID_IU, 3);
		task->write_failed = true;
	} else if (task->skip_exec) {
		/* Trimmed to nothing: GOOD with an overflow residual. */
		task->write_failed = true;
	} else if (iet_scsi_alloc_buf(sc)) {
		iet_scsi_set_sense(sc, IET_SK_ABORTED_COMMAND, IET_ASC_RESOURCES, 3);
		task->write_failed = true;
	}

	if (task->write_failed || sc->data_dir != DMA_TO_DEVICE) {
		/*
		 * Nothing to receive: answer as soon as it is our turn.  Any
		 * immediate or unsolicited data is dropped; Data-Out for an
		 * ITT we no longer know is discarded (see iet_rx_data_out).
		 */
		task->data_ready = true;
		if (imm)
			iet_rx_sink_discard(conn);
		conn->rx_task = task;	/* run at PDU end */
		return 0;
	}

	task->unsol_end = (h->flags & IET_FLAG_FINAL) ? imm :
		iet_unsolicited_len(task->edtl, imm, p->initial_r2t,
				    p->first_burst);
	task->seq_end = task->unsol_end;
	task->r2t_next = task->unsol_end;
	task->r2t_sent_end = task->unsol_end;
	conn->rx_task = task;
	if (imm) {
		conn->rx_sink = IET_SINK_BUF;
		conn->rx_buf_off = 0;
		conn->rx_buf_keep = min(imm, sc->xfer_len);
	}
	return 0;
}

static int iet_rx_data_out(struct iet_conn *conn)
{
	struct iet_data_out_hdr *h = (struct iet_data_out_hdr *)conn->rx_hdr;
	u32 itt = be32_to_cpu(h->itt), ttt = be32_to_cpu(h->ttt);
	u32 off = be32_to_cpu(h->buffer_offset);
	u32 len = conn->rx_info.data_len;
	struct iet_task *task = NULL, *t;
	bool solicited = ttt != IET_RESERVED_TAG;

	if (solicited) {
		u32 idx = ttt & 0xffff;

		if (idx < conn->nr_tasks) {
			t = &conn->tasks[idx];
			if (t->on_rx && t->gen == ttt >> 16 && t->itt == itt)
				task = t;
		}
	} else {
		list_for_each_entry(t, &conn->rx_tasks, rx_node)
			if (t->itt == itt) {
				task = t;
				break;
			}
	}
	if (!task) {
		/* Data for a command we already answered or aborted. */
		pr_debug_ratelimited("%s: Data-Out for unknown ITT %#x dropped\n",
				     IET_MODULE_NAME, itt);
		iet_rx_sink_discard(conn);
		return 0;
	}
	if (off != task->data_next)
		return iet_rx_violation(conn, "Data-Out out of order");
	if (!solicited) {
		if (!iet_range_ok(off, len, task->unsol_end))
			return iet_rx_violation(conn, "unsolicited data beyond FirstBurstLength");
	} else {
		if (off < task->unsol_end || !iet_range_ok(off, len, task->r2t_sent_end))
			return iet_rx_violation(conn, "Data-Out beyond what R2T asked for");
	}
	if (be32_to_cpu(h->datasn) != task->exp_datasn)
		return iet_rx_violation(conn, "bad DataSN");
	task->exp_datasn++;

	conn->rx_task = task;
	conn->rx_sink = IET_SINK_BUF;
	conn->rx_buf_off = off;
	conn->rx_buf_keep = off < task->scmd.xfer_len ?
			    min(len, task->scmd.xfer_len - off) : 0;
	return 0;
}

static int iet_rx_nop_out(struct iet_conn *conn, struct iet_task *task)
{
	struct iet_nop_out_hdr *h = (struct iet_nop_out_hdr *)conn->rx_hdr;
	u32 len = conn->rx_info.data_len;

	if (be32_to_cpu(h->ttt) != IET_RESERVED_TAG)
		return iet_rx_violation(conn, "NOP-Out answers a ping we never sent");
	if (!iet_rx_task_sn(conn, task))
		return 0;
	conn->rx_task = task;
	if (!len)
		return 0;
	/* Ping data is echoed back (RFC 7143 §11.18.5); len <= MaxRecvDSL. */
	if (len > sizeof(task->kbuf_inline)) {
		task->kbuf = kvmalloc(len, GFP_KERNEL);
		if (!task->kbuf) {
			task->kbuf = task->kbuf_inline;
			return -ENOMEM;
		}
	}
	task->kbuf_len = len;
	conn->rx_sink = IET_SINK_KBUF;
	conn->rx_kbuf = task->kbuf;
	return 0;
}

static bool iet_rx_needs_task(struct iet_conn *conn)
{
	switch (conn->rx_info.op) {
	case IET_OP_SCSI_DATA_OUT:
		return false;
	case IET_OP_NOP_OUT:
		return get_unaligned_be32(conn->rx_hdr + 16) != IET_RESERVED_TAG;
	default:
		return true;
	}
}

/* The whole header is in: decide what the data segment is for. */
static int iet_rx_dispatch(struct iet_conn *conn, enum iet_pdu_verdict v)
{
	struct iet_task *task = NULL;

	conn->rx_sink = IET_SINK_DISCARD;
	if (v == IET_PDU_OK && !iet_rx_needs_task(conn))
		return conn->rx_info.op == IET_OP_SCSI_DATA_OUT ?
			iet_rx_data_out(conn) : 0;

	task = iet_task_alloc(conn);
	if (!task) {
		/* Pool empty (immediate PDUs beyond the window): wait. */
		conn->rx_state = IET_RX_WAIT_TASK;
		return -EAGAIN;
	}
	task->op = conn->rx_info.op;
	task->immediate = conn->rx_info.immediate;
	task->itt = get_unaligned_be32(conn->rx_hdr + 16);
	memcpy(&task->req, conn->rx_hdr, IET_BHS_LEN);

	if (v == IET_PDU_REJECT) {
		task->op = IET_OP_REJECT;	/* our marker: send a Reject */
		task->rsp_code = conn->rx_info.reject_reason;
		memcpy(task->kbuf_inline, conn->rx_hdr, IET_BHS_LEN);
		task->kbuf_len = IET_BHS_LEN;
		task->sn_ready = true;
		task->data_ready = true;
		conn->rx_task = task;
		return 0;
	}
	switch (task->op) {
	case IET_OP_SCSI_CMD:
		return iet_rx_scsi_cmd(conn, task);
	case IET_OP_NOP_OUT:
		return iet_rx_nop_out(conn, task);
	case IET_OP_TEXT_REQ:		/* answered empty; data dropped */
	case IET_OP_TASK_MGT_REQ:
	case IET_OP_LOGOUT_REQ:
		if (iet_rx_task_sn(conn, task))
			conn->rx_task = task;
		return 0;
	}
	iet_task_free(task);
	return iet_rx_violation(conn, "unexpected opcode");
}

/* The PDU is completely in (and its digests checked). */
static void iet_rx_pdu_done(struct iet_conn *conn)
{
	struct iet_task *task = conn->rx_task;

	if (!task)
		return;
	if (task->aborted) {
		/* A TMF took it while its data was coming in. */
		conn->rx_task = NULL;
		iet_task_free_if_unheld(task);
		return;
	}
	if (conn->rx_info.op == IET_OP_SCSI_DATA_OUT) {
		struct iet_data_out_hdr *h = (struct iet_data_out_hdr *)conn->rx_hdr;

		task->data_next += conn->rx_info.data_len;
		iet_write_advance(task, h->ttt != cpu_to_be32(IET_RESERVED_TAG),
				  h->flags & IET_FLAG_FINAL);
		return;
	}
	if (task->op == IET_OP_SCSI_CMD && !task->data_ready) {
		struct iet_scsi_cmd_hdr *h = (struct iet_scsi_cmd_hdr *)conn->rx_hdr;

		task->data_next = conn->rx_info.data_len;
		iet_write_advance(task, false, h->flags & IET_FLAG_FINAL);
		return;
	}
	task->data_ready = true;
	iet_task_try_run(task);
}

static u32 iet_rx_tail_len(struct iet_conn *conn)
{
	u32 dl = conn->rx_info.data_len;

	return iet_padded(dl) - dl + (conn->ddigest && dl ? IET_DIGEST_LEN : 0);
}

static int iet_rx_hdr(struct iet_conn *conn)
{
	enum iet_pdu_verdict v;
	int ret;

	while (conn->rx_off < conn->rx_hdr_len) {
		ret = iet_recv_kvec(conn, conn->rx_hdr + conn->rx_off,
				    conn->rx_hdr_len - conn->rx_off);
		if (ret < 0)
			return ret;
		conn->rx_off += ret;
		if (conn->rx_off == IET_BHS_LEN && conn->rx_hdr_len == IET_BHS_LEN) {
			v = iet_pdu_check((struct iet_bhs *)conn->rx_hdr,
					  conn->max_recv_dsl, &conn->rx_info);
			if (v == IET_PDU_FATAL)
				return iet_rx_violation(conn, conn->rx_info.why);
			conn->rx_reject = v == IET_PDU_REJECT;
			conn->rx_hdr_len = IET_BHS_LEN + conn->rx_info.ahs_len +
					   (conn->hdigest ? IET_DIGEST_LEN : 0);
		}
	}
	if (conn->hdigest) {
		u32 hl = conn->rx_hdr_len - IET_DIGEST_LEN;
		u32 crc = ~crc32c(~0u, conn->rx_hdr, hl);

		if (crc != get_unaligned_le32(conn->rx_hdr + hl))
			return iet_rx_violation(conn, "header digest error");
	}
	if (conn->rx_reject)
		pr_info_ratelimited("%s: rejecting PDU: %s\n", IET_MODULE_NAME,
				    conn->rx_info.why);
	return 0;
}

static int iet_rx_start_data(struct iet_conn *conn)
{
	int ret;

	ret = iet_rx_dispatch(conn, conn->rx_reject ? IET_PDU_REJECT : IET_PDU_OK);
	if (ret)
		return ret;
	conn->rx_off = 0;
	conn->rx_crc = ~0u;
	conn->rx_state = IET_RX_DATA;
	return 0;
}

static int iet_rx_data(struct iet_conn *conn)
{
	u32 dl = conn->rx_info.data_len;
	int ret;

	while (conn->rx_off < dl) {
		u32 left = dl - conn->rx_off;
		u8 *kb = NULL;

		if (conn->rx_sink == IET_SINK_BUF &&
		    conn->rx_off < conn->rx_buf_keep) {
			u32 off = conn->rx_buf_off + conn->rx_off;

			ret = iet_recv_buf(conn, conn->rx_task, off,
					   conn->rx_buf_keep - conn->rx_off);
			if (ret > 0 && conn->ddigest)
				conn->rx_crc = iet_crc_buf(conn, conn->rx_task,
							   off, ret, conn->rx_crc);
		} else {
			if (conn->rx_sink == IET_SINK_KBUF) {
				kb = conn->rx_kbuf + conn->rx_off;
			} else {
				kb = conn->scratch;
				left = min_t(u32, left, PAGE_SIZE);
			}
			ret = iet_recv_kvec(conn, kb, left);
			if (ret > 0 && conn->ddigest)
				conn->rx_crc = crc32c(conn->rx_crc, kb, ret);
		}
		if (ret < 0)
			return ret;
		conn->rx_off += ret;
	}
	conn->rx_state = IET_RX_TAIL;
	conn->rx_off = 0;
	conn->rx_tail_len = iet_rx_tail_len(conn);
	return 0;
}

static int iet_rx_tail(struct iet_conn *conn)
{
	u32 dl = conn->rx_info.data_len;
	int ret;

	while (conn->rx_off < conn->rx_tail_len) {
		ret = iet_recv_kvec(conn, conn->rx_tail + conn->rx_off,
				    conn->rx_tail_len - conn->rx_off);
		if (ret < 0)
			return ret;
		conn->rx_off += ret;
	}
	if (conn->ddigest && dl) {
		u32 pad = iet_padded(dl) - dl;
		u32 crc = ~crc32c(conn->rx_crc, conn->rx_tail, pad);

		if (crc != get_unaligned_le32(conn->rx_tail + pad))
			return iet_rx_violation(conn, "data digest error");
	}
	iet_rx_pdu_done(conn);
	iet_rx_reset(conn);
	return 0;
}

/* Receive up to budget PDUs.  Returns PDUs/parts done, or -errno. */
int iet_conn_rx(struct iet_conn *conn, int budget)
{
	int done = 0, ret = 0;

	if (!conn->rx_hdr_len)
		iet_rx_reset(conn);
	while (done < budget) {
		switch (conn->rx_state) {
		case IET_RX_HDR:
			ret = iet_rx_hdr(conn);
			if (!ret)
				ret = iet_rx_start_data(conn);
			break;
		case IET_RX_WAIT_TASK:
			ret = iet_rx_start_data(conn);
			break;
		case IET_RX_DATA:
			ret = iet_rx_data(conn);
			break;
		case IET_RX_TAIL:
			ret = iet_rx_tail(conn);
			if (!ret)
				done++;
			break;
		}
		if (ret == -EAGAIN)
			break;
		if (ret < 0)
			return ret;
		if (!iet_conn_active_rx(conn))
			break;
	}
	return done;
}
