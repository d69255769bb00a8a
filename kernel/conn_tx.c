// SPDX-License-Identifier: GPL-2.0-only
/*
 * conn_tx.c - the send side of a connection (io_work only): building
 * response PDUs (Data-In, SCSI Response, R2T, NOP-In, TMF, Text, Logout,
 * Reject), sending them resumably with MSG_DONTWAIT, and the task
 * management and logout decisions that produce some of them.
 */
#include <linux/mm.h>
#include <linux/crc32c.h>
#include <linux/net.h>
#include <linux/socket.h>

#include "conn_internal.h"

#define IET_SAM_STAT_GOOD	0x00

enum { IET_STAGE_DATA, IET_STAGE_STATUS, IET_STAGE_DONE };

/* ------------------------------------------------------------ building */

/* StatSN/ExpCmdSN/MaxCmdSN sit at bytes 24/28/32 of every target PDU. */
static void iet_tx_sn(struct iet_conn *conn, struct iet_bhs *bhs, bool status)
{
	struct iet_session *s = conn->session;
	u8 *b = (u8 *)bhs;

	if (status)
		put_unaligned_be32(conn->stat_sn++, b + 24);
	put_unaligned_be32(iet_session_exp_cmdsn(s), b + 28);
	put_unaligned_be32(iet_session_max_cmdsn(s), b + 32);
}

static struct iet_bhs *iet_tx_hdr(struct iet_conn *conn, u8 opcode,
				  struct iet_task *task)
{
	struct iet_bhs *bhs = (struct iet_bhs *)conn->tx_hdr;

	memset(conn->tx_hdr, 0, sizeof(conn->tx_hdr));
	bhs->opcode = opcode;
	bhs->itt = cpu_to_be32(task->itt);
	conn->tx_kdata = NULL;
	conn->tx_data_len = 0;
	return bhs;
}

/* The final status of a task: its window slot is free from now on, so
 * the MaxCmdSN we send with it already opens the window again. */
static void iet_tx_final(struct iet_conn *conn, struct iet_task *task,
			 struct iet_bhs *bhs)
{
	iet_session_task_gone(conn->session, task);
	iet_tx_sn(conn, bhs, true);
	task->rsp_stage = IET_STAGE_DONE;
}

static void iet_tx_set_data(struct iet_conn *conn, struct iet_bhs *bhs,
			    const u8 *kdata, u32 buf_off, u32 len)
{
	conn->tx_kdata = kdata;
	conn->tx_data_off = buf_off;
	conn->tx_data_len = len;
	iet_dlength_set(bhs->dlength, len);
}

static bool iet_tx_build_r2t(struct iet_conn *conn, struct iet_task *task)
{
	struct iet_params *p = &conn->session->params;
	u32 want_end = task->scmd.xfer_len;
	struct iet_r2t_hdr *h;
	u32 len;

	if (task->aborted || task->data_next < task->unsol_end ||
	    task->r2t_next >= want_end ||
	    task->r2t_outstanding >= p->max_outstanding_r2t)
		return false;
	len = min(p->max_burst, want_end - task->r2t_next);
	h = (struct iet_r2t_hdr *)iet_tx_hdr(conn, IET_OP_R2T, task);
	h->flags = IET_FLAG_FINAL;
	memcpy(h->lun, task->req.lun, sizeof(h->lun));
	h->ttt = cpu_to_be32((u32)task->gen << 16 | task->idx);
	iet_tx_sn(conn, (struct iet_bhs *)h, false);
	put_unaligned_be32(conn->stat_sn, &h->statsn);
	h->r2tsn = cpu_to_be32(task->r2tsn++);
	h->data_offset = cpu_to_be32(task->r2t_next);
	h->data_length = cpu_to_be32(len);
	task->r2t_next += len;
	task->r2t_sent_end = task->r2t_next;
	task->r2t_outstanding++;
	return true;
}

static void iet_tx_residual(struct iet_task *task, u8 *flags, u32 *count)
{
	struct iet_scsi_cmd *sc = &task->scmd;
	u32 wanted = 0;

	if (sc->data_dir == DMA_FROM_DEVICE)
		wanted = sc->data_len;
	else if (sc->data_dir == DMA_TO_DEVICE)
		wanted = task->scsi_xfer;
	iet_residual(task->edtl, wanted, flags, count);
}

static void iet_tx_build_data_in(struct iet_conn *conn, struct iet_task *task)
{
	struct iet_params *p = &conn->session->params;
	struct iet_data_in_hdr *h;
	bool final;
	u32 len;

	len = iet_datain_seg(task->tx_off, task->tx_len, conn->max_xmit_dsl,
			     p->max_burst, &final);
	h = (struct iet_data_in_hdr *)iet_tx_hdr(conn, IET_OP_SCSI_DATA_IN, task);
	memcpy(h->lun, task->req.lun, sizeof(h->lun));
	h->ttt = cpu_to_be32(IET_RESERVED_TAG);
	h->datasn = cpu_to_be32(task->tx_datasn++);
	h->buffer_offset = cpu_to_be32(task->tx_off);
	iet_tx_set_data(conn, (struct iet_bhs *)h, NULL, task->tx_off, len);
	task->tx_off += len;
	if (final)
		h->flags |= IET_FLAG_FINAL;
	if (task->tx_off < task->tx_len) {
		iet_tx_sn(conn, (struct iet_bhs *)h, false);
		return;
	}
	if (task->status_in_datain) {
		u8 rflags;
		u32 resid;

		/* RFC 7143 §11.7.4: status in the last Data-In (S bit). */
		iet_tx_residual(task, &rflags, &resid);
		h->flags |= IET_FLAG_FINAL | IET_DATA_FLAG_STATUS | rflags;
		h->cmd_status = task->scmd.status;
		h->residual_count = cpu_to_be32(resid);
		iet_tx_final(conn, task, (struct iet_bhs *)h);
	} else {
		iet_tx_sn(conn, (struct iet_bhs *)h, false);
		task->rsp_stage = IET_STAGE_STATUS;
	}
}

static void iet_tx_build_scsi_rsp(struct iet_conn *conn, struct iet_task *task)
{
	struct iet_scsi_cmd *sc = &task->scmd;
	struct iet_scsi_rsp_hdr *h;
	u32 resid, sense_len;
	u8 rflags;

	h = (struct iet_scsi_rsp_hdr *)iet_tx_hdr(conn, IET_OP_SCSI_RSP, task);
	iet_tx_residual(task, &rflags, &resid);
	h->flags = IET_FLAG_FINAL | rflags;
	h->response = IET_RSP_CMD_COMPLETED;
	h->cmd_status = sc->status;
	h->residual_count = cpu_to_be32(resid);
	h->exp_datasn = cpu_to_be32(sc->data_dir == DMA_TO_DEVICE ?
				    task->r2tsn : task->tx_datasn);
	sense_len = min_t(u32, sc->sense_len, IET_SENSE_LEN);
	if (sense_len) {
		/* §11.4.7: 2-byte SenseLength, then the sense data. */
		put_unaligned_be16(sense_len, task->kbuf_inline);
		memcpy(task->kbuf_inline + 2, sc->sense, sense_len);
		iet_tx_set_data(conn, (struct iet_bhs *)h, task->kbuf_inline, 0,
				sense_len + 2);
	}
	iet_tx_final(conn, task, (struct iet_bhs *)h);
}

static void iet_tx_build_simple(struct iet_conn *conn, struct iet_task *task)
{
	struct iet_params *p = &conn->session->params;
	struct iet_bhs *bhs;

	switch (task->op) {
	case IET_OP_NOP_OUT: {
		struct iet_nop_in_hdr *h;

		h = (struct iet_nop_in_hdr *)iet_tx_hdr(conn, IET_OP_NOP_IN, task);
		h->flags = IET_FLAG_FINAL;
		memcpy(h->lun, task->req.lun, sizeof(h->lun));
		h->ttt = cpu_to_be32(IET_RESERVED_TAG);
		if (task->kbuf_len)
			iet_tx_set_data(conn, (struct iet_bhs *)h, task->kbuf, 0,
					task->kbuf_len);
		bhs = (struct iet_bhs *)h;
		break;
	}
	case IET_OP_TEXT_REQ: {
		struct iet_text_rsp_hdr *h;

		/* Full-feature Text: nothing to say yet, an empty final answer. */
		h = (struct iet_text_rsp_hdr *)iet_tx_hdr(conn, IET_OP_TEXT_RSP, task);
		h->flags = IET_FLAG_FINAL;
		memcpy(h->lun, task->req.lun, sizeof(h->lun));
		h->ttt = cpu_to_be32(IET_RESERVED_TAG);
		bhs = (struct iet_bhs *)h;
		break;
	}
	case IET_OP_TASK_MGT_REQ: {
		struct iet_tmf_rsp_hdr *h;

		h = (struct iet_tmf_rsp_hdr *)iet_tx_hdr(conn, IET_OP_TASK_MGT_RSP, task);
		h->flags = IET_FLAG_FINAL;
		h->response = task->rsp_code;
		bhs = (struct iet_bhs *)h;
		break;
	}
	case IET_OP_LOGOUT_REQ: {
		struct iet_logout_rsp_hdr *h;

		h = (struct iet_logout_rsp_hdr *)iet_tx_hdr(conn, IET_OP_LOGOUT_RSP, task);
		h->flags = IET_FLAG_FINAL;
		h->response = task->rsp_code;
		h->time2wait = cpu_to_be16(min_t(u32, p->time2wait, 0xffff));
		h->time2retain = cpu_to_be16(min_t(u32, p->time2retain, 0xffff));
		bhs = (struct iet_bhs *)h;
		break;
	}
	default: {	/* IET_OP_REJECT */
		struct iet_reject_hdr *h;

		h = (struct iet_reject_hdr *)iet_tx_hdr(conn, IET_OP_REJECT, task);
		h->flags = IET_FLAG_FINAL;
		h->reason = task->rsp_code;
		h->ffffffff = cpu_to_be32(IET_RESERVED_TAG);
		/* §11.17.2: the data segment is the rejected header. */
		iet_tx_set_data(conn, (struct iet_bhs *)h, task->kbuf_inline, 0,
				IET_BHS_LEN);
		bhs = (struct iet_bhs *)h;
		break;
	}
	}
	iet_tx_final(conn, task, bhs);
}

/* Build the next PDU of task; false when it has nothing to send now. */
static bool iet_tx_build(struct iet_conn *conn, struct iet_task *task)
{
	if (task->state == IET_T_RX)
		return task->op == IET_OP_SCSI_CMD && iet_tx_build_r2t(conn, task);
	if (task->state != IET_T_TX || task->rsp_stage == IET_STAGE_DONE)
		return false;
	if (task->op != IET_OP_SCSI_CMD)
		iet_tx_build_simple(conn, task);
	else if (task->rsp_stage == IET_STAGE_DATA)
		iet_tx_build_data_in(conn, task);
	else
		iet_tx_build_scsi_rsp(conn, task);
	return true;
}

/* Digests and padding for the PDU just built. */
static void iet_tx_seal(struct iet_conn *conn, struct iet_task *task)
{
	u32 dl = conn->tx_data_len, pad = iet_padded(dl) - dl;

	conn->tx_hdr_len = IET_BHS_LEN;
	if (conn->hdigest) {
		put_unaligned_le32(~crc32c(~0u, conn->tx_hdr, IET_BHS_LEN),
				   conn->tx_hdr + IET_BHS_LEN);
		conn->tx_hdr_len += IET_DIGEST_LEN;
	}
	memset(conn->tx_tail, 0, sizeof(conn->tx_tail));
	conn->tx_tail_len = pad;
	if (conn->ddigest && dl) {
		u32 crc;

		if (conn->tx_kdata)
			crc = crc32c(~0u, conn->tx_kdata, dl);
		else
			crc = iet_crc_buf(conn, task, conn->tx_data_off, dl, ~0u);
		crc = crc32c(crc, conn->tx_tail, pad);
		put_unaligned_le32(~crc, conn->tx_tail + pad);
		conn->tx_tail_len += IET_DIGEST_LEN;
	}
	conn->tx_sent = 0;
}

/* ------------------------------------------------------------- sending */

static int iet_send_kvec(struct iet_conn *conn, const void *buf, size_t len,
			 bool more)
{
	struct kvec iov = { .iov_base = (void *)buf, .iov_len = len };
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0),
	};

	return kernel_sendmsg(conn->sock, &msg, &iov, 1, len);
}

static int iet_send_buf(struct iet_conn *conn, struct iet_task *task, u32 off,
			u32 len, bool more)
{
	struct msghdr msg = {
		.msg_flags = MSG_DONTWAIT | MSG_NOSIGNAL | (more ? MSG_MORE : 0),
	};
	int ret;

	ret = iet_scsi_buf_iter(&task->scmd, ITER_SOURCE, off, len, &msg.msg_iter);
	if (ret)
		return ret;
	return sock_sendmsg(conn->sock, &msg);
}

/* Send what is left of the current PDU: 0 when all of it is out. */
static int iet_tx_send(struct iet_conn *conn)
{
	struct iet_task *task = conn->tx_task;
	u32 hl = conn->tx_hdr_len, dl = conn->tx_data_len, tl = conn->tx_tail_len;
	bool more_pdus = !list_is_singular(&conn->tx_list);
	int ret;

	while (conn->tx_sent < hl + dl + tl) {
		u32 s = conn->tx_sent;

		if (s < hl) {
			ret = iet_send_kvec(conn, conn->tx_hdr + s, hl - s,
					    dl + tl || more_pdus);
		} else if (s < hl + dl) {
			u32 o = s - hl;

			if (conn->tx_kdata)
				ret = iet_send_kvec(conn, conn->tx_kdata + o, dl - o,
						    tl || more_pdus);
			else
				ret = iet_send_buf(conn, task, conn->tx_data_off + o,
						   dl - o, tl || more_pdus);
		} else {
			u32 o = s - hl - dl;

			ret = iet_send_kvec(conn, conn->tx_tail + o, tl - o,
					    more_pdus);
		}
		if (ret < 0)
			return ret;
		if (ret == 0)
			return -EAGAIN;
		conn->tx_sent += ret;
	}
	return 0;
}

static void iet_tx_pdu_sent(struct iet_conn *conn, struct iet_task *task)
{
	conn->tx_task = NULL;
	if (task->state == IET_T_RX && task->aborted) {
		/* A TMF aborted it while we were sending its R2T. */
		iet_task_free_if_unheld(task);
		return;
	}
	if (task->state != IET_T_TX || task->rsp_stage != IET_STAGE_DONE)
		return;
	if (task->op == IET_OP_LOGOUT_REQ &&
	    task->rsp_code == IET_LOGOUT_RSP_SUCCESS) {
		iet_task_free(task);
		/* RFC 7143 §11.15: the response is out, now close. */
		iet_conn_fatal(conn, NULL);
		return;
	}
	iet_task_free(task);
}

int iet_conn_tx(struct iet_conn *conn, int budget)
{
	int done = 0, ret;

	while (done < budget) {
		struct iet_task *task = conn->tx_task;

		if (!task) {
			task = list_first_entry_or_null(&conn->tx_list,
							struct iet_task, tx_node);
			if (!task)
				break;
			if (!iet_tx_build(conn, task)) {
				list_del_init(&task->tx_node);
				task->on_tx = false;
				continue;
			}
			iet_tx_seal(conn, task);
			conn->tx_task = task;
		}
		ret = iet_tx_send(conn);
		if (ret == -EAGAIN)
			break;
		if (ret < 0)
			return ret;
		iet_tx_pdu_sent(conn, task);
		done++;
	}
	return done;
}

/* --------------------------------------------------- responses to tasks */

/* A SCSI task is finished (or failed before running): queue its answer. */
void iet_task_scsi_response(struct iet_task *task)
{
	struct iet_scsi_cmd *sc = &task->scmd;
	bool rbit = task->req.flags & IET_CMD_FLAG_READ;

	if (task->on_rx) {
		list_del_init(&task->rx_node);
		task->on_rx = false;
	}
	task->state = IET_T_TX;
	task->tx_len = 0;
	if (sc->data_dir == DMA_FROM_DEVICE && rbit && !task->write_failed)
		task->tx_len = min(sc->data_len, task->edtl);
	task->status_in_datain = task->tx_len && !sc->sense_len;
	task->rsp_stage = task->tx_len ? IET_STAGE_DATA : IET_STAGE_STATUS;
	iet_task_queue_tx(task);
}

/* Abort one SCSI task for a TMF (RFC 7143 §4.2.3.3). */
static void iet_tmf_abort_one(struct iet_task *tmf, struct iet_task *t)
{
	switch (t->state) {
	case IET_T_RX:
		t->aborted = true;
		/* Linked elsewhere or mid-PDU: freed when it comes back. */
		iet_task_free_if_unheld(t);
		break;
	case IET_T_EXEC:
		/*
		 * Inside the SCSI layer: answer the TMF once it is back.  A
		 * task carries one waiting TMF; a repeated abort of it is
		 * answered at once (the first one still waits) rather than
		 * overwriting, and so losing, the first.
		 */
		if (t->tmf)
			break;
		t->aborted = true;
		t->tmf = tmf;
		tmf->tmf_wait++;
		break;
	default:
		/* Its response is already on the way: nothing to stop. */
		break;
	}
}

void iet_task_tmf_run(struct iet_task *tmf)
{
	struct iet_conn *conn = tmf->conn;
	struct iet_session *s = conn->session;
	struct iet_tmf_req_hdr *h = (struct iet_tmf_req_hdr *)&tmf->req;
	u8 fn = h->function & IET_TMF_MASK;
	u64 lun = iet_lun_decode(h->lun);
	struct iet_volume *vol;
	u32 i;

	tmf->state = IET_T_TX;
	switch (fn) {
	case IET_TMF_ABORT_TASK: {
		struct iet_task *t = iet_task_by_itt(conn, be32_to_cpu(h->rtt), tmf);
		u32 ref = be32_to_cpu(h->refcmdsn);

		if (t) {
			iet_tmf_abort_one(tmf, t);
			tmf->rsp_code = IET_TMF_RSP_COMPLETE;
		} else if (iet_cmdsn_in_window(ref, iet_session_exp_cmdsn(s),
					       iet_session_max_cmdsn(s))) {
			/* §11.5.1: never arrived but in the window: done. */
			tmf->rsp_code = IET_TMF_RSP_COMPLETE;
		} else {
			tmf->rsp_code = IET_TMF_RSP_NO_TASK;
		}
		break;
	}
	case IET_TMF_ABORT_TASK_SET:
	case IET_TMF_CLEAR_TASK_SET:
	case IET_TMF_LOGICAL_UNIT_RESET:
		vol = lun == IET_LUN_INVALID ? NULL : iet_volume_get(s->target, lun);
		if (!vol) {
			tmf->rsp_code = IET_TMF_RSP_NO_LUN;
			break;
		}
		iet_volume_put(vol);
		/* Only this connection's tasks: we run one per session. */
		for (i = 0; i < conn->nr_tasks; i++) {
			struct iet_task *t = &conn->tasks[i];

			if (t != tmf && t->state != IET_T_FREE &&
			    t->op == IET_OP_SCSI_CMD && t->scmd.lun == lun &&
			    !t->aborted)
				iet_tmf_abort_one(tmf, t);
		}
		tmf->rsp_code = IET_TMF_RSP_COMPLETE;
		break;
	case IET_TMF_TASK_REASSIGN:
		/* ERL 0: no task allegiance reassignment. */
		tmf->rsp_code = IET_TMF_RSP_NO_FAILOVER;
		break;
	case IET_TMF_CLEAR_ACA:
	case IET_TMF_TARGET_WARM_RESET:
	case IET_TMF_TARGET_COLD_RESET:
		tmf->rsp_code = IET_TMF_RSP_NOT_SUPPORTED;
		break;
	default:
		tmf->rsp_code = IET_TMF_RSP_REJECTED;
		break;
	}
	if (!tmf->tmf_wait)
		iet_task_queue_tx(tmf);
}

void iet_task_logout_run(struct iet_task *task)
{
	struct iet_conn *conn = task->conn;
	struct iet_logout_req_hdr *h = (struct iet_logout_req_hdr *)&task->req;
	unsigned long flags;

	task->state = IET_T_TX;
	switch (h->flags & IET_LOGOUT_REASON_MASK) {
	case IET_LOGOUT_CLOSE_SESSION:
		task->rsp_code = IET_LOGOUT_RSP_SUCCESS;
		conn->close_session = true;	/* read by the release work */
		break;
	case IET_LOGOUT_CLOSE_CONNECTION:
		task->rsp_code = be16_to_cpu(h->cid) == conn->cid ?
			IET_LOGOUT_RSP_SUCCESS : IET_LOGOUT_RSP_CID_NOT_FOUND;
		break;
	case IET_LOGOUT_REMOVE_FOR_RECOVERY:
		task->rsp_code = IET_LOGOUT_RSP_RECOVERY_UNSUPP;
		break;
	default:
		task->rsp_code = IET_LOGOUT_RSP_CLEANUP_FAILED;
		break;
	}
	if (task->rsp_code == IET_LOGOUT_RSP_SUCCESS) {
		/* Read nothing more; send what is queued, then close. */
		spin_lock_irqsave(&conn->lock, flags);
		if (conn->state == IET_CS_ACTIVE)
			conn->state = IET_CS_LOGOUT;
		spin_unlock_irqrestore(&conn->lock, flags);
	}
	iet_task_queue_tx(task);
}
