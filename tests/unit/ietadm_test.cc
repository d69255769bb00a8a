#include "ietadm_args.h"

#include <gtest/gtest.h>

using namespace iet;

TEST(Ietadm, ParsesIetCommandLine)
{
	auto a = parse_ietadm_args({"--op", "show", "--tid=1", "--sid", "282574492336640", "--cid=0",
				    "--lun=3", "--params", "MaxBurstLength=4096,ImmediateData=No",
				    "--user", "--json", "--socket=/tmp/s"});
	ASSERT_TRUE(a) << a.error().msg;
	EXPECT_EQ(a->req.op, "show");
	EXPECT_EQ(a->req.tid, 1u);
	EXPECT_EQ(a->req.sid, 282574492336640ull);
	EXPECT_EQ(a->req.cid, 0u);
	EXPECT_EQ(a->req.lun, 3u);
	EXPECT_EQ(a->req.params.at("ImmediateData"), "No");
	EXPECT_TRUE(a->req.user);
	EXPECT_TRUE(a->json);
	EXPECT_EQ(a->socket, "/tmp/s");
}

TEST(Ietadm, Errors)
{
	EXPECT_FALSE(parse_ietadm_args({}));
	EXPECT_FALSE(parse_ietadm_args({"--op", "frob"}));
	EXPECT_FALSE(parse_ietadm_args({"--op", "show", "--tid=x"}));
	EXPECT_FALSE(parse_ietadm_args({"--op", "show", "--params", "novalue"}));
	EXPECT_FALSE(parse_ietadm_args({"--op", "show", "--lun=16384"}));
	EXPECT_TRUE(parse_ietadm_args({"--help"}));
}

TEST(Ietadm, FormatsLikeIet)
{
	admin::Response r;
	admin::Target t{1, "iqn.2001-04.com.example:storage.disk2", {}, {}};
	t.luns.push_back({0, "fileio", "wt", "/dev/vg/lv", 2097152, 512});
	t.luns.push_back({1, "nullio", "wt", "", 100, 512});
	t.sessions.push_back({282574492336640ull, "iqn.1993-08.org.debian:01:abc",
			      {{0, "192.168.0.10", "active", "none", "none"}}});
	r.targets.push_back(t);
	EXPECT_EQ(format_show(r),
		  "tid:1 name:iqn.2001-04.com.example:storage.disk2\n"
		  "\tlun:0 iotype:fileio iomode:wt blocks:2097152 blocksize:512 path:/dev/vg/lv\n"
		  "\tlun:1 iotype:nullio iomode:wt blocks:100 blocksize:512\n"
		  "\tsid:282574492336640 initiator:iqn.1993-08.org.debian:01:abc\n"
		  "\t\tcid:0 ip:192.168.0.10 state:active hd:none dd:none\n");
	admin::Response p;
	p.params = {{"InitialR2T", "Yes"}, {"MaxBurstLength", "262144"}};
	EXPECT_EQ(format_show(p), "InitialR2T=Yes\nMaxBurstLength=262144\n");
}
