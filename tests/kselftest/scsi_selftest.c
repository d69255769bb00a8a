// SPDX-License-Identifier: GPL-2.0-only
// In-kernel self-test of the SCSI half (kernel/scsi_cmd.c, cdb.c, spc.c,
// sbc.c, volume.c, io_file.c, io_null.c) without the transport: a module
// built from those objects plus this driver adds nullio/fileio/blockio LUNs
// to a fake target and runs commands through parse -> alloc_buf ->
// execute -> done -> release, checking data, sense and /proc output.
// Built and booted by run.sh beside this file; each check prints
// "iet_st: PASS:" or "iet_st: FAIL:" to the kernel log.
#include <linux/module.h>
#include <linux/completion.h>
#include <linux/slab.h>
#include <linux/random.h>
#include <scsi/scsi_proto.h>
#include "scsi.h"

DEFINE_MUTEX(iet_ctl_mutex);
static struct iet_target tgt = { .tid = 7, .name = "iqn.2001-04.com.example:selftest" };
static char *file = "/tmp/st.img";
module_param(file, charp, 0);
static char *bdev = "";
module_param(bdev, charp, 0);
static int npass, nfail;

#define CHECK(cond, fmt, ...) do { if (cond) { npass++; pr_info("iet_st: PASS: " fmt "\n", ##__VA_ARGS__); } \
	else { nfail++; pr_info("iet_st: FAIL: " fmt " (line %d)\n", ##__VA_ARGS__, __LINE__); } } while (0)

struct st_cmd {
	struct iet_scsi_cmd c;
	struct completion done;
	int ndone;
	u8 in[4096];
	u32 in_len;
};

static void st_done(struct iet_scsi_cmd *c)
{
	struct st_cmd *s = container_of(c, struct st_cmd, c);
	s->ndone++;
	complete(&s->done);
}

/* Runs one command; returns SAM status; data-in copied into s->in (first 4 KiB). */
static int run(struct st_cmd *s, u32 lun, const u8 *cdb, int cdb_len, const void *out, u32 out_len, void *big_in)
{
	struct iov_iter it;
	memset(s, 0, sizeof(*s));
	init_completion(&s->done);
	s->c.target = &tgt;
	s->c.lun = lun;
	s->c.vol = iet_volume_get(&tgt, lun);
	memcpy(s->c.cdb, cdb, cdb_len);
	s->c.cdb_len = 16;
	s->c.done = st_done;
	if (iet_scsi_parse(&s->c))
		goto out;
	if (iet_scsi_alloc_buf(&s->c))
		goto out;
	if (s->c.data_dir == DMA_TO_DEVICE) {
		if (iet_scsi_buf_iter(&s->c, ITER_DEST, 0, min(out_len, s->c.xfer_len), &it) == 0)
			if (copy_to_iter(out, min(out_len, s->c.xfer_len), &it) != min(out_len, s->c.xfer_len))
				nfail++;
	}
	iet_scsi_execute(&s->c);
	if (!wait_for_completion_timeout(&s->done, 10 * HZ)) {
		pr_info("iet_st: FAIL: command 0x%02x timed out\n", cdb[0]);
		nfail++;
	}
	if (s->ndone != 1) { nfail++; pr_info("iet_st: FAIL: done called %d times\n", s->ndone); }
	if (s->c.data_dir == DMA_FROM_DEVICE && s->c.data_len) {
		s->in_len = min_t(u32, s->c.data_len, sizeof(s->in));
		if (iet_scsi_buf_iter(&s->c, ITER_SOURCE, 0, s->in_len, &it) ||
		    copy_from_iter(s->in, s->in_len, &it) != s->in_len)
			nfail++;
		if (big_in) {
			if (iet_scsi_buf_iter(&s->c, ITER_SOURCE, 0, s->c.data_len, &it) ||
			    copy_from_iter(big_in, s->c.data_len, &it) != s->c.data_len)
				nfail++;
		}
	}
out:
	iet_scsi_cmd_release(&s->c);
	return s->c.status;
}

static u16 asc(struct st_cmd *s) { return s->c.sense[12] << 8 | s->c.sense[13]; }
static u8 key(struct st_cmd *s) { return s->c.sense[2] & 0xf; }

static void hexdump(const char *what, const u8 *p, u32 n)
{
	print_hex_dump(KERN_INFO, what, DUMP_PREFIX_OFFSET, 16, 1, p, n, true);
}

static int add(u32 lun, enum iet_iotype t, enum iet_iomode m, const char *path, u64 size, u32 bs, const char *sn)
{
	struct iet_volume_params p = { .lun = lun, .iotype = t, .iomode = m, .path = path, .size = size, .blocksize = bs, .scsi_sn = sn };
	int r;
	mutex_lock(&iet_ctl_mutex);
	r = iet_volume_add(&tgt, &p, NULL);
	mutex_unlock(&iet_ctl_mutex);
	return r;
}

static int __init st_init(void)
{
	struct st_cmd *s = kzalloc(sizeof(*s), GFP_KERNEL);
	u8 *wbuf = kmalloc(1 << 20, GFP_KERNEL), *rbuf = kmalloc(1 << 20, GFP_KERNEL);
	u8 c[16];
	int r, i;
	struct seq_file *m;

	xa_init(&tgt.volumes);
	INIT_LIST_HEAD(&tgt.sessions);
	r = iet_scsi_init();
	CHECK(!r, "scsi init");

	CHECK(add(0, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 1 << 20, 0, NULL) == 0, "add nullio lun 0");
	CHECK(add(1, IET_IOTYPE_FILEIO, IET_IOMODE_WT, file, 0, 0, NULL) == 0, "add fileio wt lun 1");
	CHECK(add(2, IET_IOTYPE_FILEIO, IET_IOMODE_RO, file, 0, 4096, "MYSERIAL") == 0, "add fileio ro 4k lun 2");
	CHECK(add(3, IET_IOTYPE_FILEIO, IET_IOMODE_WB, file, 0, 0, NULL) == 0, "add fileio wb lun 3");
	CHECK(add(1, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 0, 0, NULL) == -EEXIST, "duplicate lun refused");
	CHECK(add(9, IET_IOTYPE_FILEIO, IET_IOMODE_WT, "/nonexistent", 0, 0, NULL) == -ENOENT, "missing path refused");
	CHECK(add(9, IET_IOTYPE_FILEIO, IET_IOMODE_WT, "/dev/null", 0, 0, NULL) == -EINVAL, "char device refused");
	CHECK(add(9, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 0, 3000, NULL) == -EINVAL, "blocksize 3000 refused");
	CHECK(add(9, IET_IOTYPE_BLOCKIO, IET_IOMODE_WT, file, 0, 0, NULL) == -EINVAL, "blockio on a file refused");
	CHECK(add(16384, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 0, 0, NULL) == -EINVAL, "lun 16384 refused");
	CHECK(add(300, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 4ULL << 40, 0, NULL) == 0, "add nullio lun 300 (4 TiB)");
	CHECK(add(9, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 100, 0, NULL) == -EINVAL, "nullio smaller than a block refused");
	CHECK(add(9, IET_IOTYPE_NULLIO, IET_IOMODE_WT, NULL, 0, 0, "bad serial") == -EINVAL, "serial with a space refused");
	CHECK(add(9, IET_IOTYPE_FILEIO, IET_IOMODE_WT, NULL, 0, 0, NULL) == -EINVAL, "fileio without path refused");
	if (bdev[0])
		CHECK(add(4, IET_IOTYPE_BLOCKIO, IET_IOMODE_WT, bdev, 0, 0, NULL) == 0, "add blockio lun 4 on %s", bdev);

	m = kzalloc(sizeof(*m), GFP_KERNEL);
	m->size = 4096; m->buf = kzalloc(4096, GFP_KERNEL);
	mutex_lock(&iet_ctl_mutex);
	iet_volume_seq_show(m, &tgt);
	mutex_unlock(&iet_ctl_mutex);
	pr_info("iet_st: /proc volume:\n%s", m->buf);
	CHECK(strstr(m->buf, "\tlun:0 state:0 iotype:nullio iomode:wt blocks:2048 blocksize:512\n") != NULL, "proc nullio line");
	CHECK(strstr(m->buf, "\tlun:2 state:0 iotype:fileio iomode:ro blocks:256 blocksize:4096 path:/tmp/st.img\n") != NULL, "proc fileio ro line");
	kfree(m->buf); kfree(m);

	/* INQUIRY */
	memset(c, 0, 16); c[0] = 0x12; c[4] = 96;
	r = run(s, 0, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 66 && s->in[0] == 0 && !memcmp(s->in + 8, "IET     VIRTUAL-DISK    0001", 28), "standard INQUIRY");
	r = run(s, 5, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in[0] == 0x7f, "INQUIRY on missing LUN: PQ=3");
	c[4] = 5;
	r = run(s, 0, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 5 && s->in[4] == 61, "INQUIRY truncated to allocation length");
	c[1] = 1; c[2] = 0x00; c[4] = 255;
	r = run(s, 1, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 9 && s->in[1] == 0 && s->in[3] == 5 && s->in[8] == 0xb1, "VPD 00");
	c[2] = 0x80;
	r = run(s, 1, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 16 && !memcmp(s->in + 4, "000000070001", 12), "VPD 80 derived serial");
	r = run(s, 2, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 12 && !memcmp(s->in + 4, "MYSERIAL", 8), "VPD 80 configured serial");
	c[2] = 0x83;
	r = run(s, 1, c, 6, NULL, 0, NULL);
	hexdump("iet_st: vpd83 ", s->in, s->in_len);
	CHECK(r == 0 && s->in[1] == 0x83 && s->in[5] == 0x03 && s->in[8] == 0x30 && get_unaligned_be16(&s->in[2]) == s->in_len - 4, "VPD 83 NAA first");
	c[2] = 0xb0;
	r = run(s, 1, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 64 && get_unaligned_be32(&s->in[8]) == 2048, "VPD B0 max transfer 2048 blocks");
	r = run(s, 2, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && get_unaligned_be32(&s->in[8]) == 256, "VPD B0 max transfer 256 4k blocks");
	r = run(s, 5, c, 6, NULL, 0, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && asc(s) == 0x2500, "VPD on missing LUN");

	/* TUR / missing LUN */
	memset(c, 0, 16);
	r = run(s, 0, c, 6, NULL, 0, NULL);
	CHECK(r == 0, "TUR");
	r = run(s, 5, c, 6, NULL, 0, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && key(s) == 5 && asc(s) == 0x2500 && s->c.sense_len == 18, "TUR missing LUN: 5/25/00");
	c[0] = 0x03; c[4] = 18;
	r = run(s, 5, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 18 && s->in[2] == 5 && s->in[12] == 0x25, "REQUEST SENSE on missing LUN");
	r = run(s, 0, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 18 && s->in[0] == 0x70 && s->in[2] == 0, "REQUEST SENSE: NO SENSE");

	/* REPORT LUNS */
	memset(c, 0, 16); c[0] = 0xa0; put_unaligned_be32(4096, &c[6]);
	r = run(s, 5, c, 12, NULL, 0, NULL);
	CHECK(r == 0 && get_unaligned_be32(s->in) == 8 * (bdev[0] ? 6 : 5) && s->in[8 + 1] == 0 && s->in[16 + 1] == 1, "REPORT LUNS from a missing LUN");
	i = bdev[0] ? 5 : 4;
	CHECK(s->in[8 + 8 * i] == 0x41 && s->in[8 + 8 * i + 1] == 0x2c, "REPORT LUNS: lun 300 flat space");
	put_unaligned_be32(16, &c[6]);
	r = run(s, 0, c, 12, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 16 && get_unaligned_be32(s->in) == 8 * (bdev[0] ? 6 : 5), "REPORT LUNS truncated, full length in header");

	/* READ CAPACITY */
	memset(c, 0, 16); c[0] = 0x25;
	r = run(s, 0, c, 10, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 8 && get_unaligned_be32(s->in) == 2047 && get_unaligned_be32(s->in + 4) == 512, "READ CAPACITY(10) nullio");
	r = run(s, 300, c, 10, NULL, 0, NULL);
	CHECK(r == 0 && get_unaligned_be32(s->in) == 0xffffffff, "READ CAPACITY(10) 4 TiB -> FFFFFFFF");
	memset(c, 0, 16); c[0] = 0x9e; c[1] = 0x10; c[13] = 32;
	r = run(s, 300, c, 16, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 32 && get_unaligned_be64(s->in) == (4ULL << 31) - 1, "READ CAPACITY(16) 4 TiB");
	r = run(s, 2, c, 16, NULL, 0, NULL);
	CHECK(r == 0 && get_unaligned_be64(s->in) == 255 && get_unaligned_be32(s->in + 8) == 4096, "READ CAPACITY(16) 4k");

	/* MODE SENSE */
	memset(c, 0, 16); c[0] = 0x1a; c[2] = 0x3f; c[4] = 255;
	r = run(s, 1, c, 6, NULL, 0, NULL);
	hexdump("iet_st: ms6 ", s->in, s->in_len);
	CHECK(r == 0 && s->in_len == 4 + 8 + 20 + 12 && s->in[0] == s->in_len - 1 && s->in[3] == 8 && s->in[12] == 0x08 && !(s->in[14] & 4) && s->in[32] == 0x0a, "MODE SENSE(6) all pages wt: WCE=0");
	r = run(s, 3, c, 6, NULL, 0, NULL);
	CHECK(r == 0 && (s->in[14] & 4), "MODE SENSE(6) wb: WCE=1");
	memset(c, 0, 16); c[0] = 0x5a; c[1] = 0x10; c[2] = 0x08; c[8] = 255;
	r = run(s, 2, c, 10, NULL, 0, NULL);
	CHECK(r == 0 && s->in_len == 8 + 16 + 20 && (s->in[3] & 0x80) && s->in[4] == 1 && get_unaligned_be64(s->in + 8) == 256, "MODE SENSE(10) LLBAA ro: WP, long descriptor");

	/* I/O on fileio */
	get_random_bytes(wbuf, 1 << 20);
	memset(c, 0, 16); c[0] = 0x2a; put_unaligned_be32(100, &c[2]); put_unaligned_be16(2048, &c[7]);
	r = run(s, 1, c, 10, NULL, 0, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && asc(s) == 0x2100, "WRITE(10) 2048 blocks at 100 past end");
	put_unaligned_be32(0, &c[2]);
	r = run(s, 1, c, 10, wbuf, 1 << 20, NULL);
	CHECK(r == 0, "WRITE(10) 1 MiB wt");
	memset(c, 0, 16); c[0] = 0x88; put_unaligned_be32(2048, &c[10]);
	memset(rbuf, 0, 1 << 20);
	r = run(s, 3, c, 16, NULL, 0, rbuf);
	CHECK(r == 0 && s->c.data_len == (1 << 20) && !memcmp(rbuf, wbuf, 1 << 20), "READ(16) 1 MiB via another LUN matches");
	memset(c, 0, 16); c[0] = 0x28; put_unaligned_be32(1, &c[2]); put_unaligned_be16(1, &c[7]);
	r = run(s, 2, c, 10, NULL, 0, rbuf);
	CHECK(r == 0 && s->c.data_len == 4096 && !memcmp(rbuf, wbuf + 4096, 4096), "READ(10) 4k-block LUN at lba 1");
	memset(c, 0, 16); c[0] = 0x2a; put_unaligned_be16(1, &c[7]);
	r = run(s, 2, c, 10, wbuf, 4096, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && key(s) == 7 && asc(s) == 0x2700, "WRITE on ro LUN: DATA PROTECT");
	c[1] = 0x08; put_unaligned_be32(2047, &c[2]);
	r = run(s, 3, c, 10, wbuf, 512, NULL);
	CHECK(r == 0, "WRITE(10) FUA on wb LUN last block");
	memset(c, 0, 16); c[0] = 0x35;
	r = run(s, 3, c, 10, NULL, 0, NULL);
	CHECK(r == 0, "SYNC CACHE(10) whole");
	memset(c, 0, 16); c[0] = 0x91; put_unaligned_be64(10, &c[2]); put_unaligned_be32(10, &c[10]);
	r = run(s, 3, c, 16, NULL, 0, NULL);
	CHECK(r == 0, "SYNC CACHE(16) range");
	memset(c, 0, 16); c[0] = 0x2f; put_unaligned_be16(5, &c[7]);
	r = run(s, 1, c, 10, NULL, 0, NULL);
	CHECK(r == 0, "VERIFY(10)");

	/* VERIFY with BYTCHK against what WRITE(10) 1 MiB put at lba 0 of the file */
	memset(c, 0, 16); c[0] = 0x2f; c[1] = 0x02; put_unaligned_be32(3, &c[2]); put_unaligned_be16(4, &c[7]);
	r = run(s, 1, c, 10, wbuf + 3 * 512, 4 * 512, NULL);
	CHECK(r == 0, "VERIFY(10) BYTCHK=1 matching data");
	memcpy(rbuf, wbuf + 3 * 512, 4 * 512);
	rbuf[1000] ^= 0xff;
	r = run(s, 1, c, 10, rbuf, 4 * 512, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && key(s) == 0xe && asc(s) == 0x1d00 && (s->c.sense[0] & 0x80) &&
	      get_unaligned_be32(&s->c.sense[3]) == 1000, "VERIFY(10) BYTCHK=1 miscompare at offset 1000");
	memset(c, 0, 16); c[0] = 0x8f; c[1] = 0x06; put_unaligned_be32(4, &c[10]);
	memset(rbuf, 0, 512);
	r = run(s, 0, c, 16, rbuf, 512, NULL);
	CHECK(r == 0, "VERIFY(16) BYTCHK=3 nullio against zeros");
	rbuf[7] = 1;
	r = run(s, 0, c, 16, rbuf, 512, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && key(s) == 0xe && get_unaligned_be32(&s->c.sense[3]) == 7, "VERIFY(16) BYTCHK=3 miscompare");

	/* nullio */
	memset(c, 0, 16); c[0] = 0x28; put_unaligned_be16(8, &c[7]);
	memset(rbuf, 0xaa, 4096);
	r = run(s, 0, c, 10, NULL, 0, rbuf);
	CHECK(r == 0 && s->c.data_len == 4096 && !memchr_inv(rbuf, 0, 4096), "nullio READ returns zeros");
	c[0] = 0x2a;
	r = run(s, 0, c, 10, wbuf, 4096, NULL);
	CHECK(r == 0, "nullio WRITE");
	if (bdev[0]) {
		c[0] = 0x2a;
		r = run(s, 4, c, 10, wbuf, 4096, NULL);
		CHECK(r == 0, "blockio WRITE");
		c[0] = 0x28;
		r = run(s, 4, c, 10, NULL, 0, rbuf);
		CHECK(r == 0 && !memcmp(rbuf, wbuf, 4096), "blockio READ back");
	}

	/* unsupported */
	memset(c, 0, 16); c[0] = 0x15;
	r = run(s, 1, c, 6, NULL, 0, NULL);
	CHECK(r == SAM_STAT_CHECK_CONDITION && asc(s) == 0x2000, "MODE SELECT: invalid opcode");

	/* delete a LUN that a command still holds */
	{
		struct iet_volume *v = iet_volume_get(&tgt, 1);
		mutex_lock(&iet_ctl_mutex);
		r = iet_volume_del(&tgt, 1);
		mutex_unlock(&iet_ctl_mutex);
		CHECK(r == 0 && v && !iet_volume_get(&tgt, 1), "del while referenced");
		CHECK(v && v->priv, "volume still attached while referenced");
		iet_volume_put(v);
		mutex_lock(&iet_ctl_mutex);
		CHECK(iet_volume_del(&tgt, 1) == -ENOENT, "second del: ENOENT");
		mutex_unlock(&iet_ctl_mutex);
	}

	pr_info("iet_st: RESULT passed=%d failed=%d\n", npass, nfail);
	kfree(s); kfree(wbuf); kfree(rbuf);
	return 0;
}

static void __exit st_exit(void)
{
	mutex_lock(&iet_ctl_mutex);
	iet_volume_del_all(&tgt);
	mutex_unlock(&iet_ctl_mutex);
	iet_scsi_exit();
	pr_info("iet_st: unloaded\n");
}
module_init(st_init);
module_exit(st_exit);
MODULE_LICENSE("GPL");
