#include "admin.h"

#include <gtest/gtest.h>

#include "fake_kernel.h"

using namespace iet;
using iet::test::FakeKernel;

TEST(Admin, RequestJsonRoundTrip)
{
	admin::Request r;
	r.op = "show";
	r.tid = 3;
	r.sid = 0x23d00000101ull;
	r.params = {{"MaxBurstLength", "4096"}};
	r.redirect = true;
	nlohmann::json j = r;
	auto back = nlohmann::json::parse(j.dump()).get<admin::Request>();
	EXPECT_EQ(back.op, "show");
	EXPECT_EQ(back.tid, 3u);
	EXPECT_EQ(back.sid, r.sid);
	EXPECT_FALSE(back.cid);
	EXPECT_EQ(back.params, r.params);
	EXPECT_TRUE(back.redirect);
	EXPECT_FALSE(back.user);
}

TEST(Admin, ShowTargetsFromKernelDumps)
{
	FakeKernel k;
	k.tgts = {{1, "iqn.2001-04.com.example:a"}, {2, "iqn.2001-04.com.example:b"}};
	k.lun_list = {{1, 0, IET_IOTYPE_FILEIO, IET_IOMODE_WB, "/srv/a.img", 512, 2097152},
		      {2, 1, IET_IOTYPE_NULLIO, IET_IOMODE_WT, "", 4096, 100}};
	k.sess = {{1, 282574492336640ull, "iqn.1993-08.org.debian:01:abc",
		   {{0, "192.168.0.10", IET_CONN_ACTIVE, IET_DIGEST_NONE, IET_DIGEST_CRC32C}}}};
	Config cfg;
	std::string line = handle_admin_line(R"({"op":"show"})", k, cfg);
	ASSERT_EQ(line.back(), '\n');
	auto resp = nlohmann::json::parse(line).get<admin::Response>();
	ASSERT_FALSE(resp.error);
	ASSERT_EQ(resp.targets.size(), 2u);
	const auto &t = resp.targets[0];
	EXPECT_EQ(t.tid, 1u);
	ASSERT_EQ(t.luns.size(), 1u);
	EXPECT_EQ(t.luns[0].type, "fileio");
	EXPECT_EQ(t.luns[0].iomode, "wb");
	EXPECT_EQ(t.luns[0].blocks, 2097152u);
	ASSERT_EQ(t.sessions.size(), 1u);
	EXPECT_EQ(t.sessions[0].sid, 282574492336640ull);
	ASSERT_EQ(t.sessions[0].connections.size(), 1u);
	EXPECT_EQ(t.sessions[0].connections[0].state, "active");
	EXPECT_EQ(t.sessions[0].connections[0].dd, "crc32c");
	EXPECT_EQ(resp.targets[1].luns[0].type, "nullio");

	// And back through JSON unchanged.
	auto again = nlohmann::json::parse(nlohmann::json(resp).dump()).get<admin::Response>();
	EXPECT_EQ(nlohmann::json(again), nlohmann::json(resp));
}

TEST(Admin, ShowParamsOfTarget)
{
	FakeKernel k;
	k.tgts = {{4, "iqn.2001-04.com.example:a"}};
	auto cfg = parse_config("Target iqn.2001-04.com.example:a\n MaxBurstLength 4096\n", "c");
	ASSERT_TRUE(cfg);
	admin::Request r;
	r.op = "show";
	r.tid = 4;
	auto resp = handle_admin(r, k, *cfg);
	ASSERT_FALSE(resp.error);
	bool found = false;
	for (const auto &[key, v] : resp.params)
		if (key == "MaxBurstLength") {
			EXPECT_EQ(v, "4096");
			found = true;
		}
	EXPECT_TRUE(found);
	r.tid = 5;
	EXPECT_TRUE(handle_admin(r, k, *cfg).error);
}

TEST(Admin, BytesThatAreNotUtf8NeverEndTheDaemon)
{
	FakeKernel k;
	Config cfg;
	// The parse error echoes the raw byte: the answer must still be JSON.
	std::string out;
	ASSERT_NO_THROW(out = handle_admin_line("\xff", k, cfg));
	EXPECT_TRUE(nlohmann::json::parse(out).contains("error"));
}

TEST(Admin, UnsupportedAndBadRequestsAnswerError)
{
	FakeKernel k;
	Config cfg;
	for (const char *req : {R"({"op":"new","tid":1})", R"({"op":"delete"})", R"({"op":"update"})",
				R"({"op":"show","sid":5})", "not json", R"({"nop":1})"}) {
		auto j = nlohmann::json::parse(handle_admin_line(req, k, cfg));
		EXPECT_TRUE(j.contains("error")) << req;
		EXPECT_FALSE(j.contains("targets")) << req;
	}
}
