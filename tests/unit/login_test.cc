// Login state machine driven by byte buffers, with a fake kernel link.
#include "login.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <set>

#include "fake_kernel.h"
#include "open_iscsi_offer.h"

using namespace iet;
using iet::test::FakeKernel;

namespace {

const char *kTarget = "iqn.2001-04.com.example:storage.disk1";
const char *kInit = "iqn.1993-08.org.debian:01:abc";
const uint8_t kIsid[6] = {0x00, 0x02, 0x3d, 0x00, 0x00, 0x01};

std::vector<uint8_t> login_req(uint8_t flags, const KeyValues &kv, uint16_t tsih = 0,
			       uint32_t cmdsn = 5, uint32_t exp_statsn = 100)
{
	Pdu p;
	auto &h = p.as<iet_login_req_hdr>();
	h.opcode = IET_OP_LOGIN_REQ | IET_OP_IMMEDIATE;
	h.flags = flags;
	std::memcpy(h.isid, kIsid, 6);
	be16_put(h.tsih, tsih);
	be32_put(h.itt, 0x11);
	be16_put(h.cid, 0);
	be32_put(h.cmdsn, cmdsn);
	be32_put(h.exp_statsn, exp_statsn);
	p.data = encode_text(kv);
	return encode_pdu(p);
}

std::vector<uint8_t> text_req(const KeyValues &kv, uint32_t ttt = IET_RESERVED_TAG)
{
	Pdu p;
	auto &h = p.as<iet_text_req_hdr>();
	h.opcode = IET_OP_TEXT_REQ | IET_OP_IMMEDIATE;
	h.flags = IET_FLAG_FINAL;
	be32_put(h.itt, 0x22);
	be32_put(h.ttt, ttt);
	p.data = encode_text(kv);
	return encode_pdu(p);
}

// Split a byte stream back into PDUs the way the daemon reads it.
std::vector<Pdu> frames(const std::vector<uint8_t> &bytes)
{
	PduReader r(1 << 20);
	std::vector<Pdu> out;
	size_t off = 0;
	while (off < bytes.size()) {
		size_t n = std::min(r.want(), bytes.size() - off);
		auto res = r.feed(std::span<const uint8_t>(bytes.data() + off, n));
		EXPECT_TRUE(res);
		if (!res)
			break;
		off += n;
		if (*res)
			out.push_back(**res);
	}
	return out;
}

struct Harness {
	Config config;
	SessionRegistry sessions;
	FakeKernel kernel;
	bool allow_initiator = true;
	std::unique_ptr<LoginConn> conn;

	Harness(const char *extra = "")
	{
		auto c = parse_config(std::string("Target ") + kTarget + "\n Lun 0 Type=nullio\n" + extra +
					  "Target iqn.2001-04.com.example:storage.disk2\n",
				      "t.conf");
		EXPECT_TRUE(c) << c.error().msg;
		config = *c;
		reset();
	}
	void reset()
	{
		LoginEnv env;
		env.config = &config;
		env.sessions = &sessions;
		env.kernel = &kernel;
		env.tid_of = [this](const std::string &n) -> uint32_t {
			if (iequals(n, kTarget))
				return 1;
			if (iequals(n, "iqn.2001-04.com.example:storage.disk2"))
				return 2;
			return 0;
		};
		env.initiator_allowed = [this](const std::string &, const IpAddr &, const std::string &) {
			return allow_initiator;
		};
		env.target_allowed = [](const std::string &, const IpAddr &) { return true; };
		conn = std::make_unique<LoginConn>(env, *IpAddr::parse("192.0.2.1"), 3260,
						   *IpAddr::parse("192.0.2.7"));
	}
	// Feed request bytes through framing into the machine.
	LoginOutput send(const std::vector<uint8_t> &bytes)
	{
		auto pdus = frames(bytes);
		EXPECT_EQ(pdus.size(), 1u);
		return conn->on_pdu(pdus.at(0));
	}
};

const iet_login_rsp_hdr &rsp_of(const Pdu &p) { return p.as<iet_login_rsp_hdr>(); }

std::string value(const KeyValues &kv, const std::string &key)
{
	for (const auto &[k, v] : kv)
		if (k == key)
			return v;
	return "<absent>";
}

const uint8_t kSecToOp = IET_LOGIN_FLAG_TRANSIT | (0 << 2) | 1;
const uint8_t kOpToFfp = IET_LOGIN_FLAG_TRANSIT | (1 << 2) | 3;

} // namespace

TEST(Login, DiscoverySessionEndToEnd)
{
	Harness h;
	auto o1 = h.send(login_req(kSecToOp, {{"InitiatorName", kInit},
					      {"SessionType", "Discovery"},
					      {"AuthMethod", "None"}}));
	ASSERT_EQ(o1.next, LoginOutput::Next::Continue);
	auto r1 = frames(o1.bytes);
	ASSERT_EQ(r1.size(), 1u);
	EXPECT_EQ(r1[0].opcode(), IET_OP_LOGIN_RSP);
	EXPECT_EQ(rsp_of(r1[0]).status_class, 0);
	EXPECT_EQ(be32_get(rsp_of(r1[0]).statsn), 100u) << "first StatSN follows ExpStatSN";
	auto kv1 = parse_text(r1[0].data);
	ASSERT_TRUE(kv1);
	EXPECT_EQ(value(*kv1, "AuthMethod"), "None");

	auto o2 = h.send(login_req(kOpToFfp, {{"HeaderDigest", "None"},
					      {"MaxRecvDataSegmentLength", "32768"},
					      {"MaxBurstLength", "262144"}}));
	ASSERT_EQ(o2.next, LoginOutput::Next::Continue);
	auto r2 = frames(o2.bytes);
	ASSERT_EQ(r2.size(), 1u);
	EXPECT_EQ(r2[0].bhs.flags, kOpToFfp);
	auto kv2 = parse_text(r2[0].data);
	EXPECT_EQ(value(*kv2, "MaxBurstLength"), "Irrelevant");
	EXPECT_EQ(value(*kv2, "MaxRecvDataSegmentLength"), "262144");
	EXPECT_EQ(be16_get(rsp_of(r2[0]).tsih), 0) << "discovery sessions don't reach the kernel";

	auto o3 = h.send(text_req({{"SendTargets", "All"}}));
	auto r3 = frames(o3.bytes);
	ASSERT_EQ(r3.size(), 1u);
	EXPECT_EQ(r3[0].opcode(), IET_OP_TEXT_RSP);
	EXPECT_EQ(r3[0].bhs.flags, IET_FLAG_FINAL);
	auto kv3 = parse_text(r3[0].data);
	ASSERT_TRUE(kv3);
	KeyValues want{{"TargetName", kTarget},
		       {"TargetAddress", "192.0.2.1:3260,1"},
		       {"TargetName", "iqn.2001-04.com.example:storage.disk2"},
		       {"TargetAddress", "192.0.2.1:3260,1"}};
	EXPECT_EQ(*kv3, want);

	Pdu lo;
	lo.bhs.opcode = IET_OP_LOGOUT_REQ | IET_OP_IMMEDIATE;
	lo.bhs.flags = IET_FLAG_FINAL;
	auto o4 = h.send(encode_pdu(lo));
	EXPECT_EQ(o4.next, LoginOutput::Next::Close);
	auto r4 = frames(o4.bytes);
	ASSERT_EQ(r4.size(), 1u);
	EXPECT_EQ(r4[0].opcode(), IET_OP_LOGOUT_RSP);
	EXPECT_TRUE(h.kernel.session_news.empty());
}

TEST(Login, DiscoveryHidesDeniedTargetsAndSplitsLongAnswers)
{
	Harness h;
	h.allow_initiator = false;
	h.send(login_req(kSecToOp | 0, {{"InitiatorName", kInit}, {"SessionType", "Discovery"}}));
	h.send(login_req(kOpToFfp, {{"MaxRecvDataSegmentLength", "512"}}));
	auto r = frames(h.send(text_req({{"SendTargets", "All"}})).bytes);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_TRUE(r[0].data.empty()) << "no target may be seen";

	// Many targets, 512-byte MRDSL: the answer comes in C-bit chunks.
	Harness big;
	for (int i = 0; i < 20; i++)
		big.config.targets.push_back(TargetConfig{"iqn.2001-04.com.example:storage.disk1", {}, {}, {}, {}, {}});
	big.send(login_req(kSecToOp, {{"InitiatorName", kInit}, {"SessionType", "Discovery"}}));
	big.send(login_req(kOpToFfp, {{"MaxRecvDataSegmentLength", "512"}}));
	auto c1 = frames(big.send(text_req({{"SendTargets", "All"}})).bytes);
	ASSERT_EQ(c1.size(), 1u);
	EXPECT_EQ(c1[0].bhs.flags, IET_TEXT_FLAG_CONTINUE);
	EXPECT_EQ(c1[0].data.size(), 512u);
	std::vector<uint8_t> all = c1[0].data;
	uint32_t ttt = be32_get(c1[0].as<iet_text_rsp_hdr>().ttt);
	for (int i = 0; i < 20; i++) {
		auto c = frames(big.send(text_req({}, ttt)).bytes);
		ASSERT_EQ(c.size(), 1u);
		all.insert(all.end(), c[0].data.begin(), c[0].data.end());
		if (c[0].bhs.flags & IET_FLAG_FINAL)
			break;
		ttt = be32_get(c[0].as<iet_text_rsp_hdr>().ttt);
	}
	auto kv = parse_text(all);
	ASSERT_TRUE(kv);
	EXPECT_EQ(kv->size(), 2u * 22);
}

TEST(Login, NormalLoginHandsSessionAndConnectionToKernel)
{
	Harness h;
	auto o1 = h.send(login_req(kSecToOp, {{"InitiatorName", kInit},
					      {"TargetName", kTarget},
					      {"SessionType", "Normal"},
					      {"AuthMethod", "CHAP,None"}}));
	ASSERT_EQ(o1.next, LoginOutput::Next::Continue);
	auto kv1 = parse_text(frames(o1.bytes)[0].data);
	EXPECT_EQ(value(*kv1, "AuthMethod"), "None");
	EXPECT_EQ(value(*kv1, "TargetPortalGroupTag"), "1");

	auto o2 = h.send(login_req(kOpToFfp, test::open_iscsi_default_offer(),
				   0, 5, 101));
	ASSERT_EQ(o2.next, LoginOutput::Next::Handoff);
	auto r2 = frames(o2.bytes);
	ASSERT_EQ(r2.size(), 1u);
	const auto &rsp = rsp_of(r2[0]);
	EXPECT_EQ(rsp.flags, kOpToFfp);
	EXPECT_EQ(rsp.status_class, 0);
	uint16_t tsih = be16_get(rsp.tsih);
	EXPECT_NE(tsih, 0);
	EXPECT_EQ(be32_get(rsp.statsn), 101u);
	EXPECT_EQ(be32_get(rsp.exp_cmdsn), 5u);
	EXPECT_EQ(be32_get(rsp.max_cmdsn), 5u + 32 - 1);

	ASSERT_EQ(h.kernel.session_news.size(), 1u);
	const SessionNew &sn = h.kernel.session_news[0];
	EXPECT_EQ(sn.tid, 1u);
	EXPECT_EQ(sn.sid, make_sid(kIsid, tsih));
	EXPECT_EQ(sn.sid >> 16, 0x00023d000001ull);
	EXPECT_EQ(sn.initiator, kInit);
	EXPECT_EQ(sn.exp_cmdsn, 5u);
	SessionParams want;
	want.initial_r2t = true;
	want.immediate_data = true;
	want.max_burst = 262144;
	want.first_burst = 65536;
	want.time2retain = 0;
	want.queued_cmds = 32;
	EXPECT_EQ(sn.params, want);

	ASSERT_TRUE(o2.handoff);
	EXPECT_EQ(o2.handoff->tid, 1u);
	EXPECT_EQ(o2.handoff->sid, sn.sid);
	EXPECT_EQ(o2.handoff->cid, 0);
	EXPECT_EQ(o2.handoff->statsn, 102u) << "next StatSN after the final response";
	EXPECT_EQ(o2.handoff->params.max_recv_dsl, 262144u);
	EXPECT_EQ(o2.handoff->params.max_xmit_dsl, 262144u);
	EXPECT_EQ(o2.handoff->params.header_digest, IET_DIGEST_NONE);
	ASSERT_TRUE(o2.session);
	EXPECT_EQ(o2.session->sid, sn.sid);
}

TEST(Login, SessionReinstatementDeletesTheOldSessionFirst)
{
	Harness h;
	h.sessions.add(SessionEntry{1, make_sid(kIsid, 7), kInit});
	h.send(login_req(IET_LOGIN_FLAG_TRANSIT | (1 << 2) | 3,
			 {{"InitiatorName", kInit}, {"TargetName", kTarget}}));
	ASSERT_EQ(h.kernel.session_dels.size(), 1u);
	EXPECT_EQ(h.kernel.session_dels[0].second, make_sid(kIsid, 7));
	ASSERT_EQ(h.kernel.session_news.size(), 1u);
	EXPECT_NE(h.kernel.session_news[0].sid & 0xffff, 7u);
	EXPECT_FALSE(h.sessions.find_tsih(1, 7));
}

struct Refusal {
	const char *name;
	KeyValues keys;
	uint8_t flags;
	bool allow;
	uint8_t cls, detail;
	const char *extra_conf;
	uint16_t tsih;
};

class LoginRefusals : public ::testing::TestWithParam<Refusal> {};

TEST_P(LoginRefusals, AnswerStatusAndClose)
{
	const Refusal &c = GetParam();
	Harness h(c.extra_conf);
	h.allow_initiator = c.allow;
	auto o = h.send(login_req(c.flags, c.keys, c.tsih));
	EXPECT_EQ(o.next, LoginOutput::Next::Close);
	auto r = frames(o.bytes);
	ASSERT_EQ(r.size(), 1u);
	EXPECT_EQ(rsp_of(r[0]).status_class, c.cls);
	EXPECT_EQ(rsp_of(r[0]).status_detail, c.detail);
	EXPECT_TRUE(h.kernel.session_news.empty()) << "never let a refused initiator in";
}

INSTANTIATE_TEST_SUITE_P(
    Table, LoginRefusals,
    ::testing::Values(
	Refusal{"UnknownTarget", {{"InitiatorName", kInit}, {"TargetName", "iqn.2001-04.com.example:nope"}},
		kSecToOp, true, 2, 3, "", 0},
	Refusal{"DeniedInitiator", {{"InitiatorName", kInit}, {"TargetName", kTarget}}, kSecToOp, false, 2, 2,
		"", 0},
	Refusal{"NoInitiatorName", {{"TargetName", kTarget}}, kSecToOp, true, 2, 7, "", 0},
	Refusal{"NoTargetName", {{"InitiatorName", kInit}}, kSecToOp, true, 2, 7, "", 0},
	Refusal{"ChapNotYet",
		{{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP,None"}},
		kSecToOp, true, 2, 1, " IncomingUser joe secretsecret1\n", 0},
	Refusal{"ChapNotYetSkippingSecurity", {{"InitiatorName", kInit}, {"TargetName", kTarget}},
		kOpToFfp, true, 2, 1, " IncomingUser joe secretsecret1\n", 0},
	Refusal{"OnlyChapOffered", {{"InitiatorName", kInit}, {"TargetName", kTarget}, {"AuthMethod", "CHAP"}},
		kSecToOp, true, 2, 1, "", 0},
	Refusal{"TAndCBoth", {{"InitiatorName", kInit}, {"TargetName", kTarget}},
		kSecToOp | IET_LOGIN_FLAG_CONTINUE, true, 2, 0x0b, "", 0},
	Refusal{"BadSessionType", {{"InitiatorName", kInit}, {"SessionType", "Weird"}}, kSecToOp, true, 2, 9,
		"", 0},
	Refusal{"UnknownTsih", {{"InitiatorName", kInit}, {"TargetName", kTarget}}, kSecToOp, true, 2, 0x0a,
		"", 9},
	// Refused before any allow-list regex runs on it or a log prints it.
	Refusal{"InitiatorNameNotUtf8", {{"InitiatorName", "iqn.2000-01.x:\xff"}, {"TargetName", kTarget}},
		kSecToOp, true, 2, 0, "", 0},
	Refusal{"InitiatorNameWithNewline",
		{{"InitiatorName", "iqn.2000-01.x:a\nFAKE LOG LINE"}, {"TargetName", kTarget}}, kSecToOp, true,
		2, 0, "", 0},
	Refusal{"InitiatorNameTooLong",
		{{"InitiatorName", "iqn.2000-01.x:" + std::string(8000, ':')}, {"TargetName", kTarget}},
		kSecToOp, true, 2, 0, "", 0},
	Refusal{"DiscoveryInitiatorNameNotUtf8",
		{{"InitiatorName", "iqn.2000-01.x:\xc0\xaf"}, {"SessionType", "Discovery"}}, kSecToOp, true, 2,
		0, "", 0}),
    [](const auto &info) { return std::string(info.param.name); });

TEST(Login, ContinueBitGetsEmptyAnswers)
{
	Harness h;
	auto full = encode_text({{"InitiatorName", kInit}, {"TargetName", kTarget}});
	std::vector<uint8_t> a(full.begin(), full.begin() + 10), b(full.begin() + 10, full.end());
	Pdu p1;
	auto &h1 = p1.as<iet_login_req_hdr>();
	h1.opcode = IET_OP_LOGIN_REQ | IET_OP_IMMEDIATE;
	h1.flags = IET_LOGIN_FLAG_CONTINUE;
	std::memcpy(h1.isid, kIsid, 6);
	p1.data = a;
	auto o1 = h.send(encode_pdu(p1));
	ASSERT_EQ(o1.next, LoginOutput::Next::Continue);
	auto r1 = frames(o1.bytes);
	ASSERT_EQ(r1.size(), 1u);
	EXPECT_TRUE(r1[0].data.empty());
	Pdu p2 = p1;
	p2.bhs.flags = IET_LOGIN_FLAG_TRANSIT | 3;
	p2.data = b;
	auto o2 = h.send(encode_pdu(p2));
	EXPECT_EQ(o2.next, LoginOutput::Next::Handoff);
}

TEST(Login, NonLoginPduDuringLoginCloses)
{
	Harness h;
	auto o = h.send(text_req({{"SendTargets", "All"}}));
	EXPECT_EQ(o.next, LoginOutput::Next::Close);
	EXPECT_TRUE(o.bytes.empty());
}

TEST(Login, TsihUniquePerTargetAndNonzero)
{
	SessionRegistry r;
	std::set<uint16_t> seen;
	for (int i = 0; i < 100; i++) {
		uint16_t t = r.alloc_tsih(1);
		ASSERT_NE(t, 0);
		ASSERT_TRUE(seen.insert(t).second);
		r.add(SessionEntry{1, t, "x"});
	}
}

TEST(Login, RandomPdusNeverCrash)
{
	// Cheap robustness sweep (the real fuzzers live in tests/fuzz): random
	// headers and text into fresh machines; anything may be refused, nothing
	// may crash or reach the kernel without a full login.
	std::mt19937 rng(12345);
	for (int round = 0; round < 300; round++) {
		Harness h;
		for (int i = 0; i < 6; i++) {
			Pdu p;
			auto *b = reinterpret_cast<uint8_t *>(&p.bhs);
			for (size_t k = 0; k < sizeof(p.bhs); k++)
				b[k] = static_cast<uint8_t>(rng());
			if (rng() % 2)
				p.bhs.opcode = IET_OP_LOGIN_REQ | IET_OP_IMMEDIATE;
			static const char *keys[] = {"InitiatorName=iqn.x", "TargetName=" , "SessionType=Discovery",
						     "AuthMethod=None", "MaxBurstLength=99999999", "HeaderDigest=,,",
						     "SendTargets=All", "junk", "=", "MaxRecvDataSegmentLength=0"};
			std::string text;
			for (int k = rng() % 5; k > 0; k--) {
				text += keys[rng() % 10];
				text.push_back(rng() % 4 ? '\0' : 'x');
			}
			p.data.assign(text.begin(), text.end());
			p.ahs.clear();
			auto bytes = encode_pdu(p);
			auto pdus = frames(bytes);
			if (pdus.size() != 1)
				break;
			auto out = h.conn->on_pdu(pdus[0]);
			if (out.next == LoginOutput::Next::Close)
				break;
		}
	}
	SUCCEED();
}
