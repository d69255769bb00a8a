#include "config.h"

#include <gtest/gtest.h>

using namespace iet;

TEST(Config, ParsesTargetsLunsAndParams)
{
	auto c = parse_config(R"(# comment
Target iqn.2001-04.com.example:storage.disk1
	Lun 0 Path=/srv/disk.img,Type=fileio,IOMode=wb,BlockSize=4096,ScsiId=abc,ScsiSN=SN1
	lun 1 type=nullio,Blocks=1000
	maxrecvdatasegmentlength 65536
	InitialR2T No
	HeaderDigest CRC32C,None
	QueuedCommands 64
	IncomingUser joe secret12345
Target iqn.2001-04.com.example:storage.disk2
	Lun 3 Type=nullio,Size=1G
)",
			      "t.conf");
	ASSERT_TRUE(c) << c.error().msg;
	ASSERT_EQ(c->targets.size(), 2u);
	const auto &t = c->targets[0];
	EXPECT_EQ(t.name, "iqn.2001-04.com.example:storage.disk1");
	ASSERT_EQ(t.luns.size(), 2u);
	EXPECT_EQ(t.luns[0].type, IET_IOTYPE_FILEIO);
	EXPECT_EQ(t.luns[0].mode, IET_IOMODE_WB);
	EXPECT_EQ(t.luns[0].block_size, 4096u);
	EXPECT_EQ(t.luns[0].path, "/srv/disk.img");
	EXPECT_EQ(t.luns[0].scsi_id, "abc");
	EXPECT_EQ(t.luns[0].scsi_sn, "SN1");
	EXPECT_EQ(t.luns[1].type, IET_IOTYPE_NULLIO);
	EXPECT_EQ(t.luns[1].size, 1000u * 512);
	EXPECT_EQ(t.params.max_recv_dsl, 65536u);
	EXPECT_FALSE(t.params.initial_r2t);
	EXPECT_EQ(t.params.queued_cmds, 64u);
	ASSERT_EQ(t.params.header_digest.size(), 2u);
	EXPECT_EQ(t.params.header_digest[0], IET_DIGEST_CRC32C);
	ASSERT_EQ(t.incoming.size(), 1u);
	EXPECT_EQ(t.incoming[0].user, "joe");
	EXPECT_EQ(c->targets[1].luns[0].size, 1ull << 30);
	EXPECT_NE(c->find("IQN.2001-04.COM.EXAMPLE:STORAGE.DISK2"), nullptr);
}

TEST(Config, DefaultsFollowIet)
{
	auto c = parse_config("Target iqn.2001-04.com.example:a\n", "t.conf");
	ASSERT_TRUE(c);
	const auto &p = c->targets[0].params;
	EXPECT_TRUE(p.initial_r2t);
	EXPECT_TRUE(p.immediate_data);
	EXPECT_EQ(p.max_burst, 262144u);
	EXPECT_EQ(p.first_burst, 65536u);
	EXPECT_EQ(p.max_outstanding_r2t, 1u);
	EXPECT_EQ(p.time2wait, 2u);
	EXPECT_EQ(p.queued_cmds, 32u);
	EXPECT_EQ(p.wthreads, 8u);
	EXPECT_EQ(p.max_recv_dsl, 262144u);
	EXPECT_EQ(p.header_digest, std::vector<iet_digest>{IET_DIGEST_NONE});
}

struct BadCase {
	const char *text;
	const char *needle;
};

class ConfigErrors : public ::testing::TestWithParam<BadCase> {};

TEST_P(ConfigErrors, ReportFileLine)
{
	auto c = parse_config(GetParam().text, "ietd.conf");
	ASSERT_FALSE(c);
	EXPECT_NE(c.error().msg.find(GetParam().needle), std::string::npos) << c.error().msg;
}

INSTANTIATE_TEST_SUITE_P(
    Table, ConfigErrors,
    ::testing::Values(
	BadCase{"Target iqn.2001-04.com.example:a\n  Frobnicate 1\n", "ietd.conf:2: unknown key 'Frobnicate'"},
	BadCase{"Target iqn.2001-04.com.example:a\n\n  MaxBurstLength 12x\n", "ietd.conf:3: bad number"},
	BadCase{"Target iqn.2001-04.com.example:a\n  MaxBurstLength 100\n", "ietd.conf:2: bad number"},
	BadCase{"Target iqn.2001-04.com.example:a\n Lun 0 Type=nullio\n Lun 0 Type=nullio\n",
		"ietd.conf:3: duplicate LUN 0"},
	BadCase{"Target foo.bar\n", "ietd.conf:1: bad iSCSI name"},
	BadCase{"Target iqn.01-04.com.x\n", "ietd.conf:1: bad iSCSI name"},
	BadCase{"Target iqn.2001-04.com.example:a\n Lun 0 Type=fileio\n", "ietd.conf:2: LUN 0 needs Path"},
	BadCase{"Target iqn.2001-04.com.example:a\n Lun 16384 Type=nullio\n", "ietd.conf:2: bad number"},
	BadCase{"Target iqn.2001-04.com.example:a\n Lun 0 Path=/x,Type=tape\n", "unknown LUN Type"},
	BadCase{"Target iqn.2001-04.com.example:a\n Lun 0 Path=/x,BlockSize=513\n", "bad BlockSize"},
	BadCase{"Target iqn.2001-04.com.example:a\n InitialR2T maybe\n", "ietd.conf:2: bad value"},
	BadCase{"MaxBurstLength 512\n", "ietd.conf:1: unknown key 'MaxBurstLength' outside a Target"},
	BadCase{"Target iqn.2001-04.com.example:a\n Lun 0 Path=/x,ScsiSN=012345678901234567890123456789012\n",
		"ScsiSN longer"},
	BadCase{"Target iqn.2001-04.com.example:a\nTarget iqn.2001-04.com.example:A\n", "duplicate target"},
	BadCase{"Target iqn.2001-04.com.example:a\n FirstBurstLength 1048576\n", "FirstBurstLength exceeds"},
	// What the kernel cannot serve yet is refused here, not at login.
	BadCase{"Target iqn.2001-04.com.example:a\n MaxConnections 2\n", "ietd.conf:2: bad number '2' for MaxConnections (range 1..1)"},
	BadCase{"Target iqn.2001-04.com.example:a\n ErrorRecoveryLevel 1\n", "ietd.conf:2: bad number"},
	BadCase{"Target iqn.2001-04.com.example:a\n DataPDUInOrder No\n", "ietd.conf:2: DataPDUInOrder=No is not supported"},
	BadCase{"Target iqn.2001-04.com.example:a\n DataSequenceInOrder no\n", "DataSequenceInOrder=No is not supported"}));

TEST(Config, ObsoleteMarkerKeysAreIgnored)
{
	auto c = parse_config("Target iqn.2001-04.com.example:a\n OFMarker No\n IFMarkInt 2048\n", "t.conf");
	EXPECT_TRUE(c) << c.error().msg;
}

TEST(Config, IscsiNames)
{
	EXPECT_TRUE(valid_iscsi_name("iqn.2001-04.com.example:storage.disk1"));
	EXPECT_TRUE(valid_iscsi_name("eui.0123456789ABCDEF"));
	EXPECT_TRUE(valid_iscsi_name("naa.52004567BA64678D"));
	EXPECT_FALSE(valid_iscsi_name("eui.0123"));
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04"));
	EXPECT_FALSE(valid_iscsi_name(std::string("iqn.2001-04.com.x:") + std::string(220, 'a')));
	// UTF-8 is allowed (RFC 3722), malformed UTF-8 and control bytes are not.
	EXPECT_TRUE(valid_iscsi_name("iqn.2001-04.com.example:d\xc3\xa9p\xc3\xb4t"));
	EXPECT_TRUE(valid_iscsi_name("iqn.2001-04.com.example:\xf0\x9f\x92\xbe"));
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04.com.example:\xff"));
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04.com.example:\xc0\xaf"));	  // overlong '/'
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04.com.example:\xed\xa0\x80"));  // surrogate
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04.com.example:\xe2\x82"));	  // cut short
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04.com.example:a\x01" "b"));
	EXPECT_FALSE(valid_iscsi_name("iqn.2001-04.com.example:a\x7f"));
}
