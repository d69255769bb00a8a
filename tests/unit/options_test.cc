#include "options.h"

#include <gtest/gtest.h>

using namespace iet;

TEST(Options, Defaults)
{
	auto o = parse_options({});
	ASSERT_TRUE(o);
	EXPECT_EQ(o->config, "/etc/iet/ietd.conf");
	EXPECT_FALSE(o->config_given);
	EXPECT_EQ(o->port, 3260);
	EXPECT_EQ(o->allow, "/etc/iet/initiators.allow");
	EXPECT_EQ(o->socket, "/run/iet/ietd.sock");
}

TEST(Options, All)
{
	auto o = parse_options({"-c", "/tmp/x.conf", "-f", "-d", "3", "--address=::1", "-p", "3261",
				"--allow", "/a", "--targets-allow=/t", "--socket", "/s"});
	ASSERT_TRUE(o) << o.error().msg;
	EXPECT_EQ(o->config, "/tmp/x.conf");
	EXPECT_TRUE(o->config_given);
	EXPECT_TRUE(o->foreground);
	EXPECT_EQ(o->debug, 3);
	EXPECT_EQ(o->address, "::1");
	EXPECT_EQ(o->port, 3261);
	EXPECT_EQ(o->allow, "/a");
	EXPECT_EQ(o->targets_allow, "/t");
	EXPECT_EQ(o->socket, "/s");
}

TEST(Options, Errors)
{
	EXPECT_FALSE(parse_options({"-p", "0"}));
	EXPECT_FALSE(parse_options({"-p", "70000"}));
	EXPECT_FALSE(parse_options({"-c"}));
	EXPECT_FALSE(parse_options({"--bogus"}));
}
