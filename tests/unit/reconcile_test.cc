#include "reconcile.h"

#include <gtest/gtest.h>

#include "fake_kernel.h"

using namespace iet;
using iet::test::FakeKernel;

static Config conf(const char *text)
{
	auto c = parse_config(text, "c");
	EXPECT_TRUE(c) << c.error().msg;
	return *c;
}

TEST(Reconcile, CreatesTargetsAndLuns)
{
	FakeKernel k;
	SessionRegistry s;
	auto tids = apply_config(k, conf("Target iqn.2001-04.com.example:a\n Lun 0 Type=nullio\n"
					 "Target iqn.2001-04.com.example:b\n Lun 2 Path=/x\n"),
				 s);
	ASSERT_TRUE(tids);
	ASSERT_EQ(k.tgts.size(), 2u);
	EXPECT_EQ(k.tgts[0].tid, 1u);
	EXPECT_EQ(k.tgts[1].tid, 2u);
	EXPECT_EQ(k.lun_list.size(), 2u);
	EXPECT_EQ(tids->at("iqn.2001-04.com.example:b"), 2u);
}

TEST(Reconcile, RestartKeepsWhatRuns)
{
	FakeKernel k;
	k.tgts = {{1, "iqn.2001-04.com.example:b"}};
	k.lun_list = {{1, 2, IET_IOTYPE_FILEIO, IET_IOMODE_WT, "/x", 512, 10}};
	k.sess = {{1, 0x1234560001ull, "iqn.1993-08.org.debian:01:abc", {}}};
	SessionRegistry s;
	auto tids = apply_config(k, conf("Target iqn.2001-04.com.example:a\n"
					 "Target iqn.2001-04.com.example:b\n Lun 2 Path=/x\n"),
				 s);
	ASSERT_TRUE(tids);
	EXPECT_EQ(tids->at("iqn.2001-04.com.example:b"), 1u);
	EXPECT_EQ(tids->at("iqn.2001-04.com.example:a"), 2u) << "new target takes a free tid";
	EXPECT_EQ(k.lun_list.size(), 1u) << "existing LUN not created again";
	ASSERT_EQ(s.all().size(), 1u);
	EXPECT_EQ(s.all()[0].tsih(), 1);
}

TEST(Reconcile, LunFailureIsLoud)
{
	FakeKernel k;
	k.fail_lun_path = "/missing.img";
	SessionRegistry s;
	auto r = apply_config(k, conf("Target iqn.2001-04.com.example:a\n Lun 0 Path=/missing.img\n"), s);
	ASSERT_FALSE(r);
	EXPECT_NE(r.error().msg.find("LUN 0 (/missing.img): cannot open"), std::string::npos)
	    << r.error().msg;
}
