#include "allow.h"

#include <gtest/gtest.h>

using namespace iet;

static IpAddr ip(const char *s) { return *IpAddr::parse(s); }

TEST(Allow, ParsesAndMatches)
{
	auto l = parse_allow(R"(# IET style
iqn.2001-04.com.example:disk1 192.168.0.0/16, [2001:db8::]/32
iqn.2001-04.com.example:disk2 iqn.1993-08.org.debian:01:.*
ALL 10.1.2.3
)",
			     "initiators.allow");
	ASSERT_TRUE(l) << l.error().msg;
	const char *d1 = "iqn.2001-04.com.example:disk1", *d2 = "iqn.2001-04.com.example:disk2";
	EXPECT_TRUE(allow_match(*l, d1, ip("192.168.7.9"), "x"));
	EXPECT_FALSE(allow_match(*l, d1, ip("192.169.0.1"), "x"));
	EXPECT_TRUE(allow_match(*l, d1, ip("2001:db8::5"), "x"));
	EXPECT_FALSE(allow_match(*l, d1, ip("2001:db9::5"), "x"));
	EXPECT_TRUE(allow_match(*l, d1, ip("::ffff:192.168.1.1"), "x")) << "v4-mapped folds to v4";
	EXPECT_TRUE(allow_match(*l, d2, ip("1.1.1.1"), "iqn.1993-08.org.debian:01:abc"));
	// Anchored: the pattern must cover the whole name.
	EXPECT_FALSE(allow_match(*l, d2, ip("1.1.1.1"), "xiqn.1993-08.org.debian:01:abc"));
	EXPECT_TRUE(allow_match(*l, d2, ip("10.1.2.3"), "anyone")) << "ALL line";
	EXPECT_FALSE(allow_match(*l, d2, ip("10.1.2.4"), "anyone"));
	EXPECT_TRUE(allow_match(*l, "IQN.2001-04.COM.EXAMPLE:DISK1", ip("192.168.0.1"), "x"));
}

TEST(Allow, AllAllAndEmpty)
{
	auto all = parse_allow("ALL ALL\n", "f");
	ASSERT_TRUE(all);
	EXPECT_TRUE(allow_match(*all, "iqn.2001-04.com.example:x", ip("8.8.8.8"), "n"));
	auto empty = parse_allow("# nothing\n\n", "f");
	ASSERT_TRUE(empty);
	EXPECT_FALSE(allow_match(*empty, "iqn.2001-04.com.example:x", ip("8.8.8.8"), "n"))
	    << "a present but empty file denies";
}

TEST(Allow, Errors)
{
	EXPECT_FALSE(parse_allow("ALL 10.0.0.0/33\n", "f"));
	EXPECT_FALSE(parse_allow("ALL [2001:db8::\n", "f"));
	EXPECT_FALSE(parse_allow("ALL [zz::1]\n", "f"));
	EXPECT_FALSE(parse_allow("ALL\n", "f"));
	auto bad = parse_allow("ALL 1.2.3.4\nALL iqn.(\n", "f");
	ASSERT_FALSE(bad);
	EXPECT_NE(bad.error().msg.find("f:2:"), std::string::npos);
}

TEST(Allow, MissingFileIsNullopt)
{
	auto r = load_allow("/nonexistent/initiators.allow");
	ASSERT_TRUE(r);
	EXPECT_FALSE(r->has_value());
}

TEST(Allow, AddressText)
{
	EXPECT_EQ(ip("10.0.0.1").to_string(), "10.0.0.1");
	EXPECT_EQ(ip("fe80::1").to_string(), "[fe80::1]");
}
