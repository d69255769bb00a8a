#include "text.h"

#include <gtest/gtest.h>

using namespace iet;

static std::vector<uint8_t> bytes(std::string s) { return {s.begin(), s.end()}; }

TEST(Text, ParseAndEncodeRoundTrip)
{
	KeyValues kv{{"InitiatorName", "iqn.1993-08.org.debian:01:abc"}, {"SessionType", "Normal"},
		     {"X", ""}};
	auto enc = encode_text(kv);
	auto dec = parse_text(enc);
	ASSERT_TRUE(dec);
	EXPECT_EQ(*dec, kv);
}

TEST(Text, PaddingNulsAreSkipped)
{
	auto d = bytes(std::string("A=1\0B=2\0\0\0", 10));
	auto r = parse_text(d);
	ASSERT_TRUE(r);
	ASSERT_EQ(r->size(), 2u);
	EXPECT_EQ((*r)[1].second, "2");
}

TEST(Text, Errors)
{
	EXPECT_FALSE(parse_text(bytes("A=1")));				// no NUL
	EXPECT_FALSE(parse_text(bytes(std::string("A1\0", 3))));		// no '='
	EXPECT_FALSE(parse_text(bytes(std::string("=1\0", 3))));		// empty key
	EXPECT_FALSE(parse_text(bytes(std::string(64, 'k') + "=v" + std::string(1, '\0'))));
	EXPECT_FALSE(parse_text(bytes("k=" + std::string(8193, 'v') + std::string(1, '\0'))));
}

TEST(Text, ContinueBitJoinsPairsSplitAcrossPdus)
{
	TextAccumulator acc;
	auto r1 = acc.add(bytes("InitiatorNa"), true);
	ASSERT_TRUE(r1);
	EXPECT_FALSE(*r1);
	auto r2 = acc.add(bytes(std::string("me=iqn.x\0Sess", 13)), true);
	ASSERT_TRUE(r2);
	EXPECT_FALSE(*r2);
	auto r3 = acc.add(bytes(std::string("ionType=Discovery\0", 18)), false);
	ASSERT_TRUE(r3);
	EXPECT_TRUE(*r3);
	auto kv = acc.take();
	ASSERT_TRUE(kv);
	ASSERT_EQ(kv->size(), 2u);
	EXPECT_EQ((*kv)[0], (std::pair<std::string, std::string>{"InitiatorName", "iqn.x"}));
	EXPECT_EQ((*kv)[1].second, "Discovery");
}

TEST(Text, AccumulatorCapsTotal)
{
	TextAccumulator acc;
	std::vector<uint8_t> chunk(40000, 'a');
	ASSERT_TRUE(acc.add(chunk, true));
	EXPECT_FALSE(acc.add(chunk, true));
}
