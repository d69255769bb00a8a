// SPDX-License-Identifier: GPL-2.0-only
// libFuzzer target over the CDB decoder (kernel/cdb.c).
//
// Input layout: byte 0 selects the logical unit's shape (present,
// read-only, block size), bytes 1..8 its capacity, the rest is the CDB.
// Beyond "no crash, no UB", it checks the decoder's promises that the
// rest of the module relies on: transfer bounds, the LBA range, and that
// a failure always carries a sense key.
//
// Built with -DIET_FUZZ_STANDALONE (gcc builds) it gets a main() that runs
// a deterministic pseudo-random sweep instead of libFuzzer.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>

extern "C" {
#include "cdb.h"
}

static void check(bool ok, const char *what)
{
	if (!ok) {
		std::fprintf(stderr, "cdb_fuzz: violated: %s\n", what);
		std::abort();
	}
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 9)
		return 0;
	struct iet_cdb_lu lu = {};
	lu.present = data[0] & 0x01;
	lu.readonly = data[0] & 0x02;
	lu.blkbits = 9 + ((data[0] >> 2) & 0x03);
	lu.blocks = get_unaligned_be64(data + 1);
	if (data[0] & 0x10)	// also explore small, realistic capacities
		lu.blocks &= 0xffffff;

	// A CDB buffer exactly as long as the input: ASan catches over-reads.
	size_t cdb_len = size - 9;
	uint8_t *cdb = static_cast<uint8_t *>(std::malloc(cdb_len ? cdb_len : 1));
	if (cdb_len)
		std::memcpy(cdb, data + 9, cdb_len);

	struct iet_cdb_info info;
	struct iet_sense_code sense;
	int ret = iet_cdb_decode(cdb, (unsigned int)cdb_len, &lu, &info, &sense);
	if (ret) {
		check(ret == -EINVAL, "failure is -EINVAL");
		check(sense.key != IET_SK_NO_SENSE, "failure has a sense key");
	} else {
		check(info.exec < __IET_EXEC_MAX, "exec in range");
		check(lu.present || info.exec == IET_EXEC_INQUIRY ||
		      info.exec == IET_EXEC_REPORT_LUNS ||
		      info.exec == IET_EXEC_REQUEST_SENSE,
		      "only INQUIRY/REPORT LUNS/REQUEST SENSE without a LUN");
		check(info.xfer_len <= IET_MAX_XFER_BYTES ||
		      info.xfer_len <= IET_MAX_EMUL_BYTES, "xfer bounded");
		check((info.dir == IET_DIR_NONE) == (info.xfer_len == 0),
		      "direction matches length");
		if (info.exec == IET_EXEC_READ || info.exec == IET_EXEC_WRITE ||
		    info.exec == IET_EXEC_VERIFY ||
		    info.exec == IET_EXEC_SYNC_CACHE) {
			check(info.lba <= lu.blocks &&
			      info.nr_blocks <= lu.blocks - info.lba,
			      "LBA range inside capacity");
		}
		if (info.exec == IET_EXEC_READ || info.exec == IET_EXEC_WRITE)
			check((uint64_t)info.nr_blocks << lu.blkbits ==
			      info.xfer_len, "xfer = blocks * block size");
		if (info.exec == IET_EXEC_WRITE)
			check(!lu.readonly, "no write on read-only");
	}
	std::free(cdb);
	return 0;
}

#ifdef IET_FUZZ_STANDALONE
// xorshift64*: deterministic, so a failure reproduces.
static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;
static uint64_t rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

int main(int argc, char **argv)
{
	static const uint8_t known[] = {
		0x00, 0x03, 0x08, 0x0a, 0x12, 0x15, 0x1a, 0x1b, 0x1e, 0x25,
		0x28, 0x2a, 0x2f, 0x35, 0x55, 0x5a, 0x88, 0x8a, 0x8f, 0x91,
		0x9e, 0xa0, 0xa8, 0xaa,
	};
	long iterations = argc > 1 ? std::atol(argv[1]) : 100000;
	uint8_t buf[9 + 32];

	for (long i = 0; i < iterations; i++) {
		size_t size = rng() % sizeof(buf) + 1;
		for (size_t j = 0; j < size; j++)
			buf[j] = (uint8_t)rng();
		// Mostly opcodes we implement, so the deep paths get hit.
		if (size > 9 && (rng() & 3))
			buf[9] = known[rng() % sizeof(known)];
		// Often small lengths and LBAs near the end of the medium.
		if (size > 20 && (rng() & 1))
			std::memset(buf + 9 + 2, 0, 4);
		LLVMFuzzerTestOneInput(buf, size);
	}
	std::printf("cdb_fuzz: %ld inputs, no violation\n", iterations);
	return 0;
}
#endif
