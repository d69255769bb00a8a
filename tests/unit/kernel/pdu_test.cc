// Unit tests for kernel/pdu.c: the same source that builds into
// iscsi_trgt.ko, compiled for userspace through kernel/pure.h.
#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <random>
#include <vector>

#include "pdu.h"
#include "iet_netlink.h"

namespace {

// IET_MAX_CDB_LEN of kernel/iet.h (a kernel-only header).
constexpr int kMaxCdb = 260;

iet_bhs MakeBhs(uint8_t opcode, uint32_t dlen, uint8_t ahs_words = 0) {
  iet_bhs b{};
  b.opcode = opcode;
  b.ahslength = ahs_words;
  iet_dlength_set(b.dlength, dlen);
  return b;
}

struct CheckCase {
  const char* name;
  uint8_t opcode;
  uint32_t dlen;
  uint32_t max_recv;
  iet_pdu_verdict verdict;
  uint8_t reject_reason;
};

class PduCheck : public ::testing::TestWithParam<CheckCase> {};

TEST_P(PduCheck, Verdict) {
  const CheckCase& c = GetParam();
  iet_bhs b = MakeBhs(c.opcode, c.dlen, 2);
  iet_pdu_info info;
  EXPECT_EQ(iet_pdu_check(&b, c.max_recv, &info), c.verdict) << c.name;
  EXPECT_EQ(info.op, c.opcode & IET_OP_MASK);
  EXPECT_EQ(info.immediate, (c.opcode & IET_OP_IMMEDIATE) != 0);
  EXPECT_EQ(info.data_len, c.dlen);
  EXPECT_EQ(info.ahs_len, 8u);
  if (c.verdict == IET_PDU_REJECT) {
    EXPECT_EQ(info.reject_reason, c.reject_reason);
  }
  if (c.verdict != IET_PDU_OK) {
    EXPECT_NE(info.why, nullptr);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, PduCheck,
    ::testing::Values(
        CheckCase{"scsi cmd", IET_OP_SCSI_CMD, 512, 8192, IET_PDU_OK, 0},
        CheckCase{"scsi cmd immediate", IET_OP_SCSI_CMD | IET_OP_IMMEDIATE, 0, 8192, IET_PDU_OK, 0},
        CheckCase{"dsl == max", IET_OP_SCSI_DATA_OUT, 8192, 8192, IET_PDU_OK, 0},
        CheckCase{"dsl > max", IET_OP_SCSI_DATA_OUT, 8193, 8192, IET_PDU_FATAL, 0},
        CheckCase{"dsl 2^24-1", IET_OP_NOP_OUT, IET_MAX_DSL, 8192, IET_PDU_FATAL, 0},
        CheckCase{"data-out with I bit", IET_OP_SCSI_DATA_OUT | IET_OP_IMMEDIATE, 0, 8192, IET_PDU_FATAL, 0},
        CheckCase{"nop-out ping", IET_OP_NOP_OUT | IET_OP_IMMEDIATE, 100, 8192, IET_PDU_OK, 0},
        CheckCase{"text", IET_OP_TEXT_REQ, 40, 8192, IET_PDU_OK, 0},
        CheckCase{"tmf", IET_OP_TASK_MGT_REQ | IET_OP_IMMEDIATE, 0, 8192, IET_PDU_OK, 0},
        CheckCase{"tmf with data", IET_OP_TASK_MGT_REQ, 4, 8192, IET_PDU_FATAL, 0},
        CheckCase{"logout", IET_OP_LOGOUT_REQ | IET_OP_IMMEDIATE, 0, 8192, IET_PDU_OK, 0},
        CheckCase{"logout with data", IET_OP_LOGOUT_REQ, 1, 8192, IET_PDU_FATAL, 0},
        CheckCase{"snack", IET_OP_SNACK_REQ, 0, 8192, IET_PDU_REJECT, IET_REJECT_SNACK_REJECT},
        CheckCase{"login in ffp", IET_OP_LOGIN_REQ | IET_OP_IMMEDIATE, 10, 8192, IET_PDU_REJECT,
                  IET_REJECT_PROTOCOL_ERROR},
        CheckCase{"target opcode", IET_OP_SCSI_RSP, 0, 8192, IET_PDU_REJECT, IET_REJECT_CMD_NOT_SUPPORTED},
        CheckCase{"unknown 0x1c", 0x1c, 16, 8192, IET_PDU_REJECT, IET_REJECT_CMD_NOT_SUPPORTED},
        CheckCase{"unknown with huge data", 0x1c, 9000, 8192, IET_PDU_FATAL, 0}),
    [](const ::testing::TestParamInfo<CheckCase>& i) {
      std::string n = i.param.name;
      for (auto& ch : n)
        if (!isalnum(static_cast<unsigned char>(ch))) ch = '_';
      return n;
    });

struct LunCase {
  std::array<uint8_t, 8> field;
  uint64_t lun;
};

class LunDecode : public ::testing::TestWithParam<LunCase> {};

TEST_P(LunDecode, Decodes) {
  const LunCase& c = GetParam();
  EXPECT_EQ(iet_lun_decode(c.field.data()), c.lun);
}

INSTANTIATE_TEST_SUITE_P(
    Table, LunDecode,
    ::testing::Values(LunCase{{0, 0, 0, 0, 0, 0, 0, 0}, 0},
                      LunCase{{0, 5, 0, 0, 0, 0, 0, 0}, 5},
                      LunCase{{0, 255, 0, 0, 0, 0, 0, 0}, 255},
                      LunCase{{0x40, 0x00, 0, 0, 0, 0, 0, 0}, 0},            // flat 0
                      LunCase{{0x41, 0x00, 0, 0, 0, 0, 0, 0}, 256},          // flat
                      LunCase{{0x7f, 0xff, 0, 0, 0, 0, 0, 0}, 16383},        // flat max
                      LunCase{{0x01, 0x00, 0, 0, 0, 0, 0, 0}, IET_LUN_INVALID},  // bus 1
                      LunCase{{0x80, 0x01, 0, 0, 0, 0, 0, 0}, IET_LUN_INVALID},  // logical unit addr
                      LunCase{{0xc0, 0x01, 0, 0, 0, 0, 0, 0}, IET_LUN_INVALID},  // extended
                      LunCase{{0, 1, 0, 1, 0, 0, 0, 0}, IET_LUN_INVALID},        // second level
                      LunCase{{0, 1, 0, 0, 0, 0, 0, 9}, IET_LUN_INVALID}));

TEST(LunEncode, RoundTripsEveryLun) {
  for (uint64_t lun = 0; lun <= IET_LUN_MAX; ++lun) {
    uint8_t f[8];
    iet_lun_encode(lun, f);
    ASSERT_EQ(iet_lun_decode(f), lun) << lun;
    if (lun < 256)
      EXPECT_EQ(f[0], 0) << "small LUNs use peripheral addressing";
    else
      EXPECT_EQ(f[0] >> 6, 1) << "large LUNs use flat addressing";
  }
}

std::vector<uint8_t> ExtCdbAhs(size_t extra, uint8_t fill) {
  // AHSLength = extra CDB bytes + 1 reserved byte; padded to 4.
  std::vector<uint8_t> a(iet_padded(3 + extra + 1));
  a[0] = static_cast<uint8_t>((extra + 1) >> 8);
  a[1] = static_cast<uint8_t>(extra + 1);
  a[2] = IET_AHSTYPE_EXT_CDB;
  for (size_t i = 0; i < extra; ++i) a[4 + i] = static_cast<uint8_t>(fill + i);
  return a;
}

TEST(AhsCdb, NoAhsGivesTheBhsCdb) {
  uint8_t bhs_cdb[16], cdb[kMaxCdb];
  for (int i = 0; i < 16; ++i) bhs_cdb[i] = static_cast<uint8_t>(i);
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, nullptr, 0, cdb, sizeof(cdb)), 16);
  EXPECT_EQ(0, memcmp(cdb, bhs_cdb, 16));
}

TEST(AhsCdb, ExtendedCdbIsAppended) {
  uint8_t bhs_cdb[16] = {0x7f}, cdb[kMaxCdb];
  auto a = ExtCdbAhs(16, 0xa0);  // 32-byte CDB
  ASSERT_EQ(iet_ahs_build_cdb(bhs_cdb, a.data(), a.size(), cdb, sizeof(cdb)), 32);
  EXPECT_EQ(cdb[0], 0x7f);
  EXPECT_EQ(cdb[16], 0xa0);
  EXPECT_EQ(cdb[31], 0xaf);
}

TEST(AhsCdb, OddLengthIsPadded) {
  uint8_t bhs_cdb[16] = {}, cdb[kMaxCdb];
  auto a = ExtCdbAhs(5, 1);  // 3 + 6 = 9 -> 12 bytes on the wire
  ASSERT_EQ(a.size(), 12u);
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, a.data(), a.size(), cdb, sizeof(cdb)), 21);
}

TEST(AhsCdb, SkipsOtherTypes) {
  uint8_t bhs_cdb[16] = {}, cdb[kMaxCdb];
  std::vector<uint8_t> a = {0, 5, IET_AHSTYPE_RLENGTH, 0, 0, 0, 0x10, 0};
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, a.data(), a.size(), cdb, sizeof(cdb)), 16);
}

TEST(AhsCdb, RejectsMalformed) {
  uint8_t bhs_cdb[16] = {}, cdb[kMaxCdb];
  std::vector<uint8_t> too_long = {0, 200, IET_AHSTYPE_EXT_CDB, 0};
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, too_long.data(), too_long.size(), cdb, sizeof(cdb)), -EINVAL);
  std::vector<uint8_t> zero = {0, 0, IET_AHSTYPE_EXT_CDB, 0};
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, zero.data(), zero.size(), cdb, sizeof(cdb)), -EINVAL);
  std::vector<uint8_t> unaligned = {0, 1, IET_AHSTYPE_EXT_CDB};
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, unaligned.data(), unaligned.size(), cdb, sizeof(cdb)), -EINVAL);
  auto two = ExtCdbAhs(4, 0);
  auto second = ExtCdbAhs(4, 0);
  two.insert(two.end(), second.begin(), second.end());
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, two.data(), two.size(), cdb, sizeof(cdb)), -EINVAL);
  auto big = ExtCdbAhs(300, 0);  // more than fits
  EXPECT_EQ(iet_ahs_build_cdb(bhs_cdb, big.data(), big.size(), cdb, sizeof(cdb)), -EINVAL);
}

// Random AHS bytes never make it read or write out of bounds (ASan build).
TEST(AhsCdb, FuzzNeverOverruns) {
  std::mt19937 rng(7);
  uint8_t bhs_cdb[16] = {};
  for (int i = 0; i < 20000; ++i) {
    size_t len = (rng() % 64) * 4;
    std::vector<uint8_t> a(len);
    for (auto& b : a) b = static_cast<uint8_t>(rng());
    if (len >= 4 && (rng() & 1)) {
      a[0] = 0;
      a[2] = IET_AHSTYPE_EXT_CDB;
    }
    std::vector<uint8_t> cdb(kMaxCdb);
    int r = iet_ahs_build_cdb(bhs_cdb, a.data(), static_cast<uint32_t>(len), cdb.data(),
                              static_cast<uint32_t>(cdb.size()));
    ASSERT_TRUE(r == -EINVAL || (r >= 16 && r <= kMaxCdb));
  }
}

// Random headers: whatever the verdict, framing is within our limits
// whenever the receiver is told to go on reading the PDU.
TEST(PduCheck, RandomHeadersKeepFramingBounded) {
  std::mt19937 rng(11);
  for (int i = 0; i < 200000; ++i) {
    iet_bhs b;
    auto* p = reinterpret_cast<uint8_t*>(&b);
    for (size_t k = 0; k < sizeof(b); ++k) p[k] = static_cast<uint8_t>(rng());
    const uint32_t max = 512u + rng() % (1u << 18);
    iet_pdu_info info;
    iet_pdu_verdict v = iet_pdu_check(&b, max, &info);
    ASSERT_EQ(info.ahs_len, b.ahslength * 4u);
    ASSERT_LE(info.ahs_len, static_cast<uint32_t>(IET_MAX_AHS_LEN));
    if (v != IET_PDU_FATAL) {
      ASSERT_LE(info.data_len, max);
    } else {
      ASSERT_NE(info.why, nullptr);
    }
    if (v == IET_PDU_REJECT) {
      ASSERT_NE(info.reject_reason, 0);
    }
  }
}

TEST(CmdSn, WindowWithWrap) {
  EXPECT_TRUE(iet_cmdsn_in_window(10, 10, 41));
  EXPECT_TRUE(iet_cmdsn_in_window(41, 10, 41));
  EXPECT_FALSE(iet_cmdsn_in_window(9, 10, 41));
  EXPECT_FALSE(iet_cmdsn_in_window(42, 10, 41));
  EXPECT_TRUE(iet_cmdsn_in_window(0xffffffffu, 0xfffffff0u, 5));
  EXPECT_TRUE(iet_cmdsn_in_window(3, 0xfffffff0u, 5));
  EXPECT_FALSE(iet_cmdsn_in_window(6, 0xfffffff0u, 5));
  // Window closed: MaxCmdSN = ExpCmdSN - 1.
  EXPECT_FALSE(iet_cmdsn_in_window(10, 10, 9));
}

TEST(Range, OverflowSafe) {
  EXPECT_TRUE(iet_range_ok(0, 100, 100));
  EXPECT_TRUE(iet_range_ok(100, 0, 100));
  EXPECT_FALSE(iet_range_ok(101, 0, 100));
  EXPECT_FALSE(iet_range_ok(50, 51, 100));
  EXPECT_FALSE(iet_range_ok(0xfffffff0u, 0x20, 100));
  EXPECT_FALSE(iet_range_ok(10, 0xfffffffau, 100));
}

struct UnsolCase {
  uint32_t edtl, imm;
  bool initial_r2t;
  uint32_t first_burst, want;
};

class Unsolicited : public ::testing::TestWithParam<UnsolCase> {};

TEST_P(Unsolicited, Length) {
  const UnsolCase& c = GetParam();
  EXPECT_EQ(iet_unsolicited_len(c.edtl, c.imm, c.initial_r2t, c.first_burst), c.want);
}

INSTANTIATE_TEST_SUITE_P(Table, Unsolicited,
                         ::testing::Values(UnsolCase{1 << 20, 8192, true, 65536, 8192},
                                           UnsolCase{1 << 20, 0, true, 65536, 0},
                                           UnsolCase{1 << 20, 8192, false, 65536, 65536},
                                           UnsolCase{4096, 4096, false, 65536, 4096},
                                           UnsolCase{32768, 0, false, 65536, 32768},
                                           UnsolCase{1 << 20, 0, false, 262144, 262144}));

TEST(DataIn, SplitsAtMaxXmitAndBursts) {
  // 100 KiB read, initiator takes 8 KiB PDUs, MaxBurstLength 32 KiB.
  const uint32_t total = 100 * 1024, xmit = 8192, burst = 32768;
  uint32_t off = 0, pdus = 0, finals = 0;
  while (off < total) {
    bool final = false;
    uint32_t len = iet_datain_seg(off, total, xmit, burst, &final);
    ASSERT_GT(len, 0u);
    ASSERT_LE(len, xmit);
    // Never crosses a burst boundary; F exactly at burst ends and the end.
    ASSERT_LE(off % burst + len, burst);
    off += len;
    ++pdus;
    EXPECT_EQ(final, off == total || off % burst == 0) << off;
    finals += final;
  }
  EXPECT_EQ(off, total);
  EXPECT_EQ(pdus, 13u);
  EXPECT_EQ(finals, 4u);
}

TEST(DataIn, OddSizes) {
  bool final = false;
  EXPECT_EQ(iet_datain_seg(0, 36, 262144, 262144, &final), 36u);
  EXPECT_TRUE(final);
  EXPECT_EQ(iet_datain_seg(36, 36, 262144, 262144, &final), 0u);
  EXPECT_EQ(iet_datain_seg(0, 1000, 512, 700, &final), 512u);
  EXPECT_FALSE(final);
  EXPECT_EQ(iet_datain_seg(512, 1000, 512, 700, &final), 188u);
  EXPECT_TRUE(final);
  EXPECT_EQ(iet_datain_seg(700, 1000, 512, 700, &final), 300u);
  EXPECT_TRUE(final);
}

TEST(Residual, OverUnderExact) {
  uint8_t f;
  uint32_t n;
  iet_residual(4096, 4096, &f, &n);
  EXPECT_EQ(f, 0);
  EXPECT_EQ(n, 0u);
  iet_residual(255, 36, &f, &n);  // INQUIRY shorter than the allocation
  EXPECT_EQ(f, IET_RSP_FLAG_UNDERFLOW);
  EXPECT_EQ(n, 219u);
  iet_residual(512, 4096, &f, &n);
  EXPECT_EQ(f, IET_RSP_FLAG_OVERFLOW);
  EXPECT_EQ(n, 3584u);
  iet_residual(0, 8, &f, &n);
  EXPECT_EQ(f, IET_RSP_FLAG_OVERFLOW);
  EXPECT_EQ(n, 8u);
}

}  // namespace
