#include "negotiate.h"

#include <gtest/gtest.h>

#include "open_iscsi_offer.h"

using namespace iet;

static std::string value(const KeyValues &kv, const std::string &key)
{
	for (const auto &[k, v] : kv)
		if (k == key)
			return v;
	return "<absent>";
}

struct Case {
	const char *key;
	const char *offer;
	const char *answer;
};

class NegotiateTable : public ::testing::TestWithParam<Case> {};

TEST_P(NegotiateTable, AnswersPerRfc7143)
{
	Negotiator n(TargetParams{}, SessionKind::Normal);
	auto r = n.answer({{GetParam().key, GetParam().offer}});
	ASSERT_TRUE(r) << r.error().msg;
	EXPECT_EQ(value(*r, GetParam().key), GetParam().answer)
	    << GetParam().key << "=" << GetParam().offer;
}

INSTANTIATE_TEST_SUITE_P(
    Table, NegotiateTable,
    ::testing::Values(Case{"HeaderDigest", "CRC32C,None", "None"}, Case{"HeaderDigest", "None", "None"},
		      Case{"DataDigest", "CRC32C", "Reject"}, Case{"MaxConnections", "8", "1"},
		      Case{"MaxConnections", "0", "Reject"}, Case{"InitialR2T", "No", "Yes"},
		      Case{"InitialR2T", "maybe", "Reject"}, Case{"ImmediateData", "Yes", "Yes"},
		      Case{"ImmediateData", "No", "No"}, Case{"MaxBurstLength", "16776192", "262144"},
		      Case{"MaxBurstLength", "4096", "4096"}, Case{"MaxBurstLength", "511", "Reject"},
		      Case{"MaxBurstLength", "16777216", "Reject"},
		      Case{"FirstBurstLength", "262144", "65536"}, Case{"DefaultTime2Wait", "0", "2"},
		      Case{"DefaultTime2Wait", "10", "10"}, Case{"DefaultTime2Retain", "0", "0"},
		      Case{"DefaultTime2Retain", "3601", "Reject"}, Case{"MaxOutstandingR2T", "8", "1"},
		      Case{"DataPDUInOrder", "No", "Yes"}, Case{"DataSequenceInOrder", "Yes", "Yes"},
		      Case{"ErrorRecoveryLevel", "2", "0"}, Case{"OFMarker", "No", "No"},
		      Case{"IFMarker", "Yes", "Reject"}, Case{"OFMarkInt", "2048~8192", "Reject"},
		      Case{"IFMarkInt", "2048", "Reject"}, Case{"X-com.example.Foo", "1", "NotUnderstood"},
		      Case{"FancyKey", "1", "NotUnderstood"}, Case{"TaskReporting", "FastAbort", "RFC3720"},
		      Case{"iSCSIProtocolLevel", "2", "1"}));

TEST(Negotiate, OpenIscsiDefaultOffer)
{
	// What open-iscsi sends by default (FACTS.md) against IET defaults.
	Negotiator n(TargetParams{}, SessionKind::Normal);
	auto r = n.answer(test::open_iscsi_default_offer());
	ASSERT_TRUE(r);
	EXPECT_EQ(value(*r, "InitialR2T"), "Yes");
	EXPECT_EQ(value(*r, "ImmediateData"), "Yes");
	EXPECT_EQ(value(*r, "MaxBurstLength"), "262144");
	EXPECT_EQ(value(*r, "FirstBurstLength"), "65536");
	EXPECT_EQ(value(*r, "MaxRecvDataSegmentLength"), "<absent>") << "declarative: no answer";
	auto decl = n.pending_declarations();
	ASSERT_EQ(decl.size(), 1u);
	EXPECT_EQ(decl[0].second, "262144");
	EXPECT_TRUE(n.pending_declarations().empty()) << "declared once";
	SessionParams s = n.session();
	EXPECT_TRUE(s.initial_r2t);
	EXPECT_TRUE(s.immediate_data);
	EXPECT_EQ(s.max_burst, 262144u);
	EXPECT_EQ(s.first_burst, 65536u);
	EXPECT_EQ(s.time2retain, 0u);
	EXPECT_EQ(n.conn().max_xmit_dsl, 262144u);
	EXPECT_EQ(n.conn().max_recv_dsl, 262144u);
}

TEST(Negotiate, FirstBurstNeverExceedsMaxBurst)
{
	TargetParams p;
	p.first_burst = 262144;
	p.max_burst = 262144;
	Negotiator n(p, SessionKind::Normal);
	auto r = n.answer({{"FirstBurstLength", "262144"}, {"MaxBurstLength", "8192"}});
	ASSERT_TRUE(r);
	EXPECT_EQ(value(*r, "FirstBurstLength"), "8192");
	EXPECT_EQ(n.session().first_burst, 8192u);
}

TEST(Negotiate, DigestsWhenConfigured)
{
	TargetParams p;
	p.header_digest = {IET_DIGEST_CRC32C, IET_DIGEST_NONE};
	Negotiator n(p, SessionKind::Normal);
	auto r = n.answer({{"HeaderDigest", "CRC32C,None"}, {"DataDigest", "CRC32C,None"}});
	ASSERT_TRUE(r);
	EXPECT_EQ(value(*r, "HeaderDigest"), "CRC32C");
	EXPECT_EQ(value(*r, "DataDigest"), "None");
	EXPECT_EQ(n.conn().header_digest, IET_DIGEST_CRC32C);
	EXPECT_EQ(n.conn().data_digest, IET_DIGEST_NONE);
}

TEST(Negotiate, DiscoveryMarksSessionKeysIrrelevant)
{
	Negotiator n(TargetParams{}, SessionKind::Discovery);
	auto r = n.answer({{"MaxBurstLength", "262144"}, {"HeaderDigest", "None"}});
	ASSERT_TRUE(r);
	EXPECT_EQ(value(*r, "MaxBurstLength"), "Irrelevant");
	EXPECT_EQ(value(*r, "HeaderDigest"), "None");
}

TEST(Negotiate, KeyTwiceIsAProtocolError)
{
	Negotiator n(TargetParams{}, SessionKind::Normal);
	ASSERT_TRUE(n.answer({{"MaxBurstLength", "4096"}}));
	EXPECT_FALSE(n.answer({{"MaxBurstLength", "8192"}}));
}

TEST(Negotiate, MaxXmitCappedByConfig)
{
	TargetParams p;
	p.max_xmit_dsl = 8192;
	Negotiator n(p, SessionKind::Normal);
	ASSERT_TRUE(n.answer({{"MaxRecvDataSegmentLength", "262144"}}));
	EXPECT_EQ(n.conn().max_xmit_dsl, 8192u);
	Negotiator n2(p, SessionKind::Normal);
	auto r = n2.answer({{"MaxRecvDataSegmentLength", "100"}});
	ASSERT_TRUE(r);
	EXPECT_EQ(value(*r, "MaxRecvDataSegmentLength"), "Reject");
}
