#include "pdu.h"

#include <gtest/gtest.h>

#include <cstring>

using namespace iet;

static std::vector<uint8_t> make(uint8_t op, std::vector<uint8_t> ahs, std::vector<uint8_t> data)
{
	Pdu p;
	p.bhs.opcode = op;
	p.ahs = std::move(ahs);
	p.data = std::move(data);
	return encode_pdu(p);
}

TEST(Pdu, EncodePadsAndSetsLengths)
{
	auto b = make(IET_OP_LOGIN_REQ, {}, {'a', 'b', 'c', 'd', 'e'});
	ASSERT_EQ(b.size(), 48u + 8);
	EXPECT_EQ(b[5], 0);
	EXPECT_EQ(b[7], 5);
	EXPECT_EQ(b[53], 0);
}

TEST(Pdu, ReaderAsksForExactlyTheAnnouncedBytes)
{
	auto one = make(IET_OP_LOGIN_REQ, {1, 2, 3, 4}, {'x', '=', 'y', 0, 'z'});
	auto two = make(IET_OP_TEXT_REQ, {}, {});
	std::vector<uint8_t> stream = one;
	stream.insert(stream.end(), two.begin(), two.end());

	PduReader r(8192);
	size_t off = 0;
	std::vector<Pdu> got;
	// Feed one byte at a time where possible, never past want().
	while (off < stream.size()) {
		size_t w = r.want();
		ASSERT_GT(w, 0u);
		size_t n = std::min<size_t>(w, 3);
		auto res = r.feed(std::span<const uint8_t>(stream.data() + off, n));
		ASSERT_TRUE(res) << res.error().msg;
		off += n;
		if (*res) {
			got.push_back(**res);
			if (got.size() == 1) {
				EXPECT_EQ(off, one.size()) << "stopped exactly at the PDU's end";
			}
		}
	}
	ASSERT_EQ(got.size(), 2u);
	EXPECT_EQ(got[0].opcode(), IET_OP_LOGIN_REQ);
	EXPECT_EQ(got[0].ahs, (std::vector<uint8_t>{1, 2, 3, 4}));
	EXPECT_EQ(got[0].data.size(), 5u);
	EXPECT_EQ(got[1].opcode(), IET_OP_TEXT_REQ);
	EXPECT_TRUE(got[1].data.empty());
}

TEST(Pdu, RejectsOversizedDataAndOverfeed)
{
	PduReader r(8192);
	std::vector<uint8_t> bhs(48, 0);
	bhs[5] = 0x01;	// 64 KiB + ... announced
	auto res = r.feed(bhs);
	EXPECT_FALSE(res);

	PduReader r2(8192);
	std::vector<uint8_t> too_much(49, 0);
	EXPECT_FALSE(r2.feed(too_much));
}

TEST(Pdu, BigEndianHelpers)
{
	__be32 v;
	be32_put(v, 0x01020304);
	EXPECT_EQ(reinterpret_cast<uint8_t *>(&v)[0], 1);
	EXPECT_EQ(be32_get(v), 0x01020304u);
	__be16 s;
	be16_put(s, 0xabcd);
	EXPECT_EQ(be16_get(s), 0xabcd);
}
