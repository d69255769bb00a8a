// SPDX-License-Identifier: GPL-2.0-only
// Tables over the CDB decoder (kernel/cdb.c), compiled for userspace.
#include <gtest/gtest.h>

#include <cstdint>
#include <initializer_list>
#include <ostream>
#include <string>
#include <vector>

extern "C" {
#include "cdb.h"
}

namespace {

constexpr uint64_t kBlocks = 1000;

struct Lu {
	bool present = true;
	bool readonly = false;
	uint8_t blkbits = 9;
	uint64_t blocks = kBlocks;

	iet_cdb_lu get() const
	{
		iet_cdb_lu lu{};
		lu.present = present;
		lu.readonly = readonly;
		lu.blkbits = blkbits;
		lu.blocks = blocks;
		return lu;
	}
};

// A CDB of the opcode's group length, bytes given as (index, value).
std::vector<uint8_t> Cdb(uint8_t op,
			 std::initializer_list<std::pair<int, uint8_t>> set = {})
{
	unsigned int len = iet_cdb_group_len(op);
	std::vector<uint8_t> c(len ? len : 16, 0);
	c[0] = op;
	for (auto [i, v] : set)
		c.at(i) = v;
	return c;
}

std::vector<uint8_t> Rw16(uint8_t op, uint64_t lba, uint32_t nr, uint8_t b1 = 0)
{
	std::vector<uint8_t> c(16, 0);
	c[0] = op;
	c[1] = b1;
	put_unaligned_be64(lba, &c[2]);
	put_unaligned_be32(nr, &c[10]);
	return c;
}

std::vector<uint8_t> Rw10(uint8_t op, uint32_t lba, uint16_t nr, uint8_t b1 = 0)
{
	std::vector<uint8_t> c(10, 0);
	c[0] = op;
	c[1] = b1;
	put_unaligned_be32(lba, &c[2]);
	put_unaligned_be16(nr, &c[7]);
	return c;
}

struct Result {
	int ret;
	iet_cdb_info info;
	iet_sense_code sense;
};

Result Decode(const std::vector<uint8_t> &cdb, const Lu &lu = {},
	      int len = -1)
{
	Result r{};
	iet_cdb_lu l = lu.get();
	r.ret = iet_cdb_decode(cdb.data(),
			       len < 0 ? (unsigned int)cdb.size() : (unsigned int)len,
			       &l, &r.info, &r.sense);
	return r;
}

uint16_t Code(const iet_sense_code &s)
{
	return (uint16_t)(s.asc << 8 | s.ascq);
}

// ------------------------------------------------------------ good CDBs

struct GoodCase {
	const char *name;
	std::vector<uint8_t> cdb;
	iet_cdb_exec exec;
	iet_cdb_dir dir;
	uint32_t xfer_len;
};

void PrintTo(const GoodCase &c, std::ostream *os) { *os << c.name; }

class GoodCdb : public ::testing::TestWithParam<GoodCase> {};

TEST_P(GoodCdb, Decodes)
{
	const GoodCase &c = GetParam();
	Result r = Decode(c.cdb);
	ASSERT_EQ(r.ret, 0) << "sense " << int(r.sense.key) << "/" << std::hex
			    << Code(r.sense);
	EXPECT_EQ(r.info.exec, c.exec);
	EXPECT_EQ(r.info.dir, c.dir);
	EXPECT_EQ(r.info.xfer_len, c.xfer_len);
}

const GoodCase kGood[] = {
	{"tur", Cdb(IET_OP_TEST_UNIT_READY), IET_EXEC_NOP, IET_DIR_NONE, 0},
	{"start_stop", Cdb(IET_OP_START_STOP_UNIT, {{4, 1}}), IET_EXEC_NOP, IET_DIR_NONE, 0},
	{"prevent_allow", Cdb(IET_OP_PREVENT_ALLOW), IET_EXEC_NOP, IET_DIR_NONE, 0},
	{"request_sense", Cdb(IET_OP_REQUEST_SENSE, {{4, 252}}), IET_EXEC_REQUEST_SENSE, IET_DIR_FROM_DEV, 252},
	{"request_sense_0", Cdb(IET_OP_REQUEST_SENSE), IET_EXEC_REQUEST_SENSE, IET_DIR_NONE, 0},
	{"inquiry_std", Cdb(IET_OP_INQUIRY, {{4, 36}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 36},
	{"inquiry_big", Cdb(IET_OP_INQUIRY, {{3, 0xff}, {4, 0xff}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 65535},
	{"inquiry_vpd0", Cdb(IET_OP_INQUIRY, {{1, 1}, {4, 255}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 255},
	{"inquiry_vpd80", Cdb(IET_OP_INQUIRY, {{1, 1}, {2, 0x80}, {4, 255}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 255},
	{"inquiry_vpd83", Cdb(IET_OP_INQUIRY, {{1, 1}, {2, 0x83}, {4, 255}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 255},
	{"inquiry_vpdb0", Cdb(IET_OP_INQUIRY, {{1, 1}, {2, 0xb0}, {4, 64}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 64},
	{"inquiry_vpdb1", Cdb(IET_OP_INQUIRY, {{1, 1}, {2, 0xb1}, {4, 64}}), IET_EXEC_INQUIRY, IET_DIR_FROM_DEV, 64},
	{"mode_sense6_caching", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x08}, {4, 192}}), IET_EXEC_MODE_SENSE_6, IET_DIR_FROM_DEV, 192},
	{"mode_sense6_control", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x0a}, {4, 192}}), IET_EXEC_MODE_SENSE_6, IET_DIR_FROM_DEV, 192},
	{"mode_sense6_all", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x3f}, {4, 255}}), IET_EXEC_MODE_SENSE_6, IET_DIR_FROM_DEV, 255},
	{"mode_sense6_all_sub", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x3f}, {3, 0xff}, {4, 4}}), IET_EXEC_MODE_SENSE_6, IET_DIR_FROM_DEV, 4},
	{"mode_sense6_changeable", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x48}, {4, 64}}), IET_EXEC_MODE_SENSE_6, IET_DIR_FROM_DEV, 64},
	{"mode_sense6_default", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x88}, {4, 64}}), IET_EXEC_MODE_SENSE_6, IET_DIR_FROM_DEV, 64},
	{"mode_sense10_llbaa", Cdb(IET_OP_MODE_SENSE_10, {{1, 0x10}, {2, 0x3f}, {7, 0x10}, {8, 0}}), IET_EXEC_MODE_SENSE_10, IET_DIR_FROM_DEV, 4096},
	{"read_capacity10", Cdb(IET_OP_READ_CAPACITY_10), IET_EXEC_READ_CAPACITY_10, IET_DIR_FROM_DEV, 8},
	{"read_capacity10_pmi", Cdb(IET_OP_READ_CAPACITY_10, {{5, 7}, {8, 1}}), IET_EXEC_READ_CAPACITY_10, IET_DIR_FROM_DEV, 8},
	{"read_capacity16", Cdb(IET_OP_SERVICE_ACTION_IN_16, {{1, 0x10}, {13, 32}}), IET_EXEC_READ_CAPACITY_16, IET_DIR_FROM_DEV, 32},
	{"read_capacity16_huge_alloc", Cdb(IET_OP_SERVICE_ACTION_IN_16, {{1, 0x10}, {10, 0xff}, {11, 0xff}, {12, 0xff}, {13, 0xff}}), IET_EXEC_READ_CAPACITY_16, IET_DIR_FROM_DEV, IET_MAX_EMUL_BYTES},
	{"report_luns", Cdb(IET_OP_REPORT_LUNS, {{9, 16}}), IET_EXEC_REPORT_LUNS, IET_DIR_FROM_DEV, 16},
	{"report_luns_wk", Cdb(IET_OP_REPORT_LUNS, {{2, 1}, {9, 16}}), IET_EXEC_REPORT_LUNS, IET_DIR_FROM_DEV, 16},
	{"report_luns_huge", Cdb(IET_OP_REPORT_LUNS, {{6, 0xff}, {7, 0xff}, {8, 0xff}, {9, 0xff}}), IET_EXEC_REPORT_LUNS, IET_DIR_FROM_DEV, IET_MAX_EMUL_BYTES},
	{"read6", Cdb(IET_OP_READ_6, {{3, 10}, {4, 8}}), IET_EXEC_READ, IET_DIR_FROM_DEV, 8 * 512},
	{"read6_len0_is_256", Cdb(IET_OP_READ_6), IET_EXEC_READ, IET_DIR_FROM_DEV, 256 * 512},
	{"write6", Cdb(IET_OP_WRITE_6, {{4, 1}}), IET_EXEC_WRITE, IET_DIR_TO_DEV, 512},
	{"read10", Rw10(IET_OP_READ_10, 0, 8), IET_EXEC_READ, IET_DIR_FROM_DEV, 4096},
	{"read10_len0", Rw10(IET_OP_READ_10, 5, 0), IET_EXEC_NOP, IET_DIR_NONE, 0},
	{"read10_last_block", Rw10(IET_OP_READ_10, kBlocks - 1, 1), IET_EXEC_READ, IET_DIR_FROM_DEV, 512},
	{"read10_len0_at_end", Rw10(IET_OP_READ_10, kBlocks, 0), IET_EXEC_NOP, IET_DIR_NONE, 0},
	{"write10_fua", Rw10(IET_OP_WRITE_10, 1, 2, 0x08), IET_EXEC_WRITE, IET_DIR_TO_DEV, 1024},
	{"read12", Cdb(IET_OP_READ_12, {{9, 4}}), IET_EXEC_READ, IET_DIR_FROM_DEV, 2048},
	{"write12", Cdb(IET_OP_WRITE_12, {{9, 4}}), IET_EXEC_WRITE, IET_DIR_TO_DEV, 2048},
	{"read16", Rw16(IET_OP_READ_16, 100, 900), IET_EXEC_READ, IET_DIR_FROM_DEV, 900 * 512},
	{"write16", Rw16(IET_OP_WRITE_16, 999, 1), IET_EXEC_WRITE, IET_DIR_TO_DEV, 512},
	{"verify10", Rw10(IET_OP_VERIFY_10, 0, 1000), IET_EXEC_VERIFY, IET_DIR_NONE, 0},
	{"verify16", Rw16(IET_OP_VERIFY_16, 10, 10), IET_EXEC_VERIFY, IET_DIR_NONE, 0},
	{"verify10_bytchk1", Rw10(IET_OP_VERIFY_10, 0, 2, 0x02), IET_EXEC_COMPARE, IET_DIR_TO_DEV, 1024},
	{"verify16_bytchk3", Rw16(IET_OP_VERIFY_16, 0, 10, 0x06), IET_EXEC_COMPARE, IET_DIR_TO_DEV, 512},
	{"verify10_bytchk1_len0", Rw10(IET_OP_VERIFY_10, 0, 0, 0x02), IET_EXEC_VERIFY, IET_DIR_NONE, 0},
	{"sync10_all", Rw10(IET_OP_SYNC_CACHE_10, 0, 0), IET_EXEC_SYNC_CACHE, IET_DIR_NONE, 0},
	{"sync10_immed", Rw10(IET_OP_SYNC_CACHE_10, 0, 0, 0x02), IET_EXEC_SYNC_CACHE, IET_DIR_NONE, 0},
	{"sync16", Rw16(IET_OP_SYNC_CACHE_16, 500, 500), IET_EXEC_SYNC_CACHE, IET_DIR_NONE, 0},
};

INSTANTIATE_TEST_SUITE_P(Cdb, GoodCdb, ::testing::ValuesIn(kGood),
			 [](const auto &info) { return std::string(info.param.name); });

TEST(Cdb, RwFieldsAreDecoded)
{
	Result r = Decode(Rw16(IET_OP_WRITE_16, 0x123, 7, 0x08));
	ASSERT_EQ(r.ret, 0);
	EXPECT_EQ(r.info.lba, 0x123u);
	EXPECT_EQ(r.info.nr_blocks, 7u);
	EXPECT_TRUE(r.info.fua);

	r = Decode(Cdb(IET_OP_READ_6, {{1, 0x1f}, {2, 0xff}, {3, 0xff}, {4, 1}}),
		   Lu{.blocks = 0x200000});
	ASSERT_EQ(r.ret, 0) << int(r.sense.key) << "/" << std::hex << Code(r.sense);
	EXPECT_EQ(r.info.lba, 0x1fffffu);	// 21-bit LBA, top bits ignored
	EXPECT_FALSE(r.info.fua);
}

TEST(Cdb, InquiryAndModeFields)
{
	Result r = Decode(Cdb(IET_OP_INQUIRY, {{1, 1}, {2, 0x83}, {3, 1}, {4, 2}}));
	ASSERT_EQ(r.ret, 0);
	EXPECT_TRUE(r.info.evpd);
	EXPECT_EQ(r.info.page, 0x83);
	EXPECT_EQ(r.info.alloc_len, 258u);

	r = Decode(Cdb(IET_OP_MODE_SENSE_10, {{1, 0x18}, {2, 0x88}, {8, 100}}));
	ASSERT_EQ(r.ret, 0);
	EXPECT_TRUE(r.info.dbd);
	EXPECT_TRUE(r.info.llbaa);
	EXPECT_EQ(r.info.pc, 2);
	EXPECT_EQ(r.info.page, 0x08);
	EXPECT_EQ(r.info.alloc_len, 100u);
}

// ------------------------------------------------------------- bad CDBs

struct BadCase {
	const char *name;
	std::vector<uint8_t> cdb;
	Lu lu;
	uint8_t key;
	uint16_t code;
	int len = -1;	// cdb_len override
};

void PrintTo(const BadCase &c, std::ostream *os) { *os << c.name; }

class BadCdb : public ::testing::TestWithParam<BadCase> {};

TEST_P(BadCdb, FailsWithSense)
{
	const BadCase &c = GetParam();
	Result r = Decode(c.cdb, c.lu, c.len);
	ASSERT_EQ(r.ret, -EINVAL);
	EXPECT_EQ(r.sense.key, c.key);
	EXPECT_EQ(Code(r.sense), c.code) << std::hex << Code(r.sense);
	EXPECT_EQ(r.info.xfer_len, 0u);
}

constexpr uint8_t IR = IET_SK_ILLEGAL_REQUEST;
constexpr uint8_t DP = IET_SK_DATA_PROTECT;
const Lu kLu{};
const Lu kRo{.readonly = true};
const Lu kNone{.present = false};
const Lu k4k{.blkbits = 12, .blocks = 1u << 20};

const BadCase kBad[] = {
	// opcodes
	{"empty", {}, kLu, IR, IET_ASC_INVALID_OPCODE, 0},
	{"unknown_opcode", Cdb(0x02), kLu, IR, IET_ASC_INVALID_OPCODE},
	{"group3_opcode", Cdb(0x7f), kLu, IR, IET_ASC_INVALID_OPCODE},
	{"vendor_opcode", Cdb(0xc0), kLu, IR, IET_ASC_INVALID_OPCODE},
	{"mode_select6", Cdb(IET_OP_MODE_SELECT_6), kLu, IR, IET_ASC_INVALID_OPCODE},
	{"mode_select10", Cdb(IET_OP_MODE_SELECT_10), kLu, IR, IET_ASC_INVALID_OPCODE},
	{"short_cdb", Rw16(IET_OP_READ_16, 0, 1), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB, 10},
	// control byte
	{"naca", Cdb(IET_OP_TEST_UNIT_READY, {{5, 0x04}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"link", Cdb(IET_OP_READ_10, {{9, 0x01}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// missing LUN
	{"no_lun_tur", Cdb(IET_OP_TEST_UNIT_READY), kNone, IR, IET_ASC_LUN_NOT_SUPPORTED},
	{"no_lun_read", Rw10(IET_OP_READ_10, 0, 1), kNone, IR, IET_ASC_LUN_NOT_SUPPORTED},
	{"no_lun_readcap", Cdb(IET_OP_READ_CAPACITY_10), kNone, IR, IET_ASC_LUN_NOT_SUPPORTED},
	{"no_lun_mode_sense", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x3f}, {4, 255}}), kNone, IR, IET_ASC_LUN_NOT_SUPPORTED},
	{"no_lun_unknown", Cdb(0x02), kNone, IR, IET_ASC_LUN_NOT_SUPPORTED},
	// REQUEST SENSE / INQUIRY fields
	{"request_sense_desc", Cdb(IET_OP_REQUEST_SENSE, {{1, 1}, {4, 18}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"inquiry_cmddt", Cdb(IET_OP_INQUIRY, {{1, 2}, {4, 36}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"inquiry_page_without_evpd", Cdb(IET_OP_INQUIRY, {{2, 0x80}, {4, 36}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"inquiry_unknown_vpd", Cdb(IET_OP_INQUIRY, {{1, 1}, {2, 0xb2}, {4, 36}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// MODE SENSE fields
	{"mode_sense_saved", Cdb(IET_OP_MODE_SENSE_6, {{2, 0xff}, {4, 255}}), kLu, IR, IET_ASC_SAVING_PARAMS_UNSUP},
	{"mode_sense_unknown_page", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x1c}, {4, 255}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"mode_sense_subpage", Cdb(IET_OP_MODE_SENSE_10, {{2, 0x08}, {3, 1}, {8, 255}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"mode_sense_all_bad_sub", Cdb(IET_OP_MODE_SENSE_6, {{2, 0x3f}, {3, 1}, {4, 255}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// READ CAPACITY fields
	{"read_cap10_lba_no_pmi", Cdb(IET_OP_READ_CAPACITY_10, {{5, 1}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"read_cap16_lba_no_pmi", Cdb(IET_OP_SERVICE_ACTION_IN_16, {{1, 0x10}, {9, 1}, {13, 32}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"sai_other_action", Cdb(IET_OP_SERVICE_ACTION_IN_16, {{1, 0x12}, {13, 32}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// REPORT LUNS fields
	{"report_luns_alloc_3", Cdb(IET_OP_REPORT_LUNS, {{9, 3}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"report_luns_select", Cdb(IET_OP_REPORT_LUNS, {{2, 0x10}, {9, 16}}), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"report_luns_select_no_lun", Cdb(IET_OP_REPORT_LUNS, {{2, 0x03}, {9, 16}}), kNone, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// READ/WRITE fields
	{"read10_rdprotect", Rw10(IET_OP_READ_10, 0, 1, 0x20), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"write16_wrprotect", Rw16(IET_OP_WRITE_16, 0, 1, 0xe0), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"verify_bytchk_reserved", Rw10(IET_OP_VERIFY_10, 0, 1, 0x04), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"verify_bytchk_too_long", Rw16(IET_OP_VERIFY_16, 0, 2049, 0x02), Lu{.blocks = 1u << 20}, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"verify_bytchk_past_end", Rw10(IET_OP_VERIFY_10, kBlocks, 1, 0x02), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"verify16_vrprotect", Rw16(IET_OP_VERIFY_16, 0, 1, 0x20), kLu, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// LBA range, including overflow of lba + length
	{"read10_past_end", Rw10(IET_OP_READ_10, kBlocks, 1), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read10_straddles_end", Rw10(IET_OP_READ_10, kBlocks - 1, 2), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read10_len0_past_end", Rw10(IET_OP_READ_10, kBlocks + 1, 0), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read6_past_end", Cdb(IET_OP_READ_6, {{2, 0x03}, {3, 0xe8}, {4, 1}}), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read6_256_past_end", Cdb(IET_OP_READ_6, {{2, 0x03}, {3, 0x00}}), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read16_lba_max", Rw16(IET_OP_READ_16, UINT64_MAX, 1), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read16_wraps", Rw16(IET_OP_READ_16, UINT64_MAX - 1, 2), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"read16_len_max", Rw16(IET_OP_READ_16, 1, UINT32_MAX), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"write12_len_max", Cdb(IET_OP_WRITE_12, {{6, 0xff}, {7, 0xff}, {8, 0xff}, {9, 0xff}}), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"verify16_past_end", Rw16(IET_OP_VERIFY_16, kBlocks, 1), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"sync16_past_end", Rw16(IET_OP_SYNC_CACHE_16, kBlocks + 1, 0), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	{"sync10_straddles", Rw10(IET_OP_SYNC_CACHE_10, 999, 2), kLu, IR, IET_ASC_LBA_OUT_OF_RANGE},
	// transfer too large (> MAXIMUM TRANSFER LENGTH of VPD B0)
	{"read16_too_long_512", Rw16(IET_OP_READ_16, 0, 2049), Lu{.blocks = 1u << 20}, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	{"write16_too_long_4k", Rw16(IET_OP_WRITE_16, 0, 257), k4k, IR, IET_ASC_INVALID_FIELD_IN_CDB},
	// read-only LUN
	{"ro_write10", Rw10(IET_OP_WRITE_10, 0, 1), kRo, DP, IET_ASC_WRITE_PROTECTED},
	{"ro_write6", Cdb(IET_OP_WRITE_6, {{4, 1}}), kRo, DP, IET_ASC_WRITE_PROTECTED},
	{"ro_write16_len0", Rw16(IET_OP_WRITE_16, 0, 0), kRo, DP, IET_ASC_WRITE_PROTECTED},
};

INSTANTIATE_TEST_SUITE_P(Cdb, BadCdb, ::testing::ValuesIn(kBad),
			 [](const auto &info) { return std::string(info.param.name); });

TEST(Cdb, MaxTransferIsAccepted)
{
	// Exactly IET_MAX_XFER_BYTES at both block sizes.
	Result r = Decode(Rw16(IET_OP_READ_16, 0, IET_MAX_XFER_BYTES >> 9),
			  Lu{.blocks = 1u << 20});
	ASSERT_EQ(r.ret, 0);
	EXPECT_EQ(r.info.xfer_len, IET_MAX_XFER_BYTES);
	r = Decode(Rw16(IET_OP_WRITE_16, (1u << 20) - 256, 256), k4k);
	ASSERT_EQ(r.ret, 0);
	EXPECT_EQ(r.info.xfer_len, IET_MAX_XFER_BYTES);
}

TEST(Cdb, ReadOnlyAllowsReadsAndSync)
{
	EXPECT_EQ(Decode(Rw10(IET_OP_READ_10, 0, 1), kRo).ret, 0);
	EXPECT_EQ(Decode(Rw10(IET_OP_SYNC_CACHE_10, 0, 0), kRo).ret, 0);
	EXPECT_EQ(Decode(Rw10(IET_OP_VERIFY_10, 0, 1), kRo).ret, 0);
}

TEST(Cdb, MissingLunStillAnswersDiscoveryCommands)
{
	EXPECT_EQ(Decode(Cdb(IET_OP_INQUIRY, {{4, 36}}), kNone).ret, 0);
	EXPECT_EQ(Decode(Cdb(IET_OP_REPORT_LUNS, {{9, 16}}), kNone).ret, 0);
	EXPECT_EQ(Decode(Cdb(IET_OP_REQUEST_SENSE, {{4, 18}}), kNone).ret, 0);
}

TEST(Cdb, LargeCapacityRangeCheck)
{
	Lu big{.blocks = UINT64_MAX};
	EXPECT_EQ(Decode(Rw16(IET_OP_READ_16, UINT64_MAX - 1, 1), big).ret, 0);
	EXPECT_EQ(Decode(Rw16(IET_OP_READ_16, UINT64_MAX - 1, 2), big).ret, -EINVAL);
	Lu empty{.blocks = 0};
	EXPECT_EQ(Decode(Rw16(IET_OP_READ_16, 0, 1), empty).ret, -EINVAL);
}

TEST(Cdb, GroupLengths)
{
	EXPECT_EQ(iet_cdb_group_len(0x00), 6u);
	EXPECT_EQ(iet_cdb_group_len(0x28), 10u);
	EXPECT_EQ(iet_cdb_group_len(0x5a), 10u);
	EXPECT_EQ(iet_cdb_group_len(0x7e), 0u);
	EXPECT_EQ(iet_cdb_group_len(0x88), 16u);
	EXPECT_EQ(iet_cdb_group_len(0xa0), 12u);
	EXPECT_EQ(iet_cdb_group_len(0xc0), 0u);
	EXPECT_EQ(iet_cdb_group_len(0xff), 0u);
}

// ---------------------------------------------------- errno -> sense map

struct ErrCase {
	int err;
	bool write;
	uint8_t key;
	uint16_t code;
};

void PrintTo(const ErrCase &c, std::ostream *os)
{
	*os << c.err << (c.write ? " write" : " read");
}

class ErrnoSense : public ::testing::TestWithParam<ErrCase> {};

TEST_P(ErrnoSense, Maps)
{
	const ErrCase &c = GetParam();
	iet_sense_code s{};
	iet_errno_to_sense(c.err, c.write, &s);
	EXPECT_EQ(s.key, c.key);
	EXPECT_EQ(Code(s), c.code);
}

INSTANTIATE_TEST_SUITE_P(
	Cdb, ErrnoSense,
	::testing::Values(
		ErrCase{-EIO, false, IET_SK_MEDIUM_ERROR, IET_ASC_UNRECOVERED_READ_ERROR},
		ErrCase{-EIO, true, IET_SK_MEDIUM_ERROR, IET_ASC_WRITE_ERROR},
		ErrCase{-ENOSPC, true, IET_SK_DATA_PROTECT, IET_ASC_SPACE_ALLOC_FAILED},
		ErrCase{-EDQUOT, true, IET_SK_DATA_PROTECT, IET_ASC_SPACE_ALLOC_FAILED},
		ErrCase{-EROFS, true, IET_SK_DATA_PROTECT, IET_ASC_WRITE_PROTECTED},
		ErrCase{-ENOMEM, false, IET_SK_HARDWARE_ERROR, IET_ASC_INTERNAL_TARGET_FAILURE},
		ErrCase{-EINVAL, true, IET_SK_HARDWARE_ERROR, IET_ASC_INTERNAL_TARGET_FAILURE}),
	[](const auto &info) {
		return "errno" + std::to_string(-info.param.err) +
		       (info.param.write ? "_write" : "_read");
	});

TEST(Cdb, FixedSenseLayout)
{
	uint8_t buf[IET_FIXED_SENSE_LEN];
	memset(buf, 0xaa, sizeof(buf));
	iet_sense_code s{IET_SK_ILLEGAL_REQUEST, 0x24, 0x00};
	iet_build_fixed_sense(buf, &s);
	EXPECT_EQ(buf[0], 0x70);
	EXPECT_EQ(buf[2], 0x05);
	EXPECT_EQ(buf[7], 10);
	EXPECT_EQ(buf[12], 0x24);
	EXPECT_EQ(buf[13], 0x00);
	for (int i : {1, 3, 4, 5, 6, 8, 9, 10, 11, 14, 15, 16, 17})
		EXPECT_EQ(buf[i], 0) << i;
}

} // namespace
