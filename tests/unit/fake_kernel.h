// fake_kernel.h - a KernelLink that records calls and keeps state in memory.
#pragma once
#include <algorithm>
#include <vector>

#include "kernel_link.h"

namespace iet::test {

struct FakeKernel : KernelLink {
	std::vector<KTarget> tgts;
	std::vector<KLun> lun_list;
	std::vector<KSession> sess;
	std::vector<SessionNew> session_news;
	std::vector<ConnNew> conn_news;
	std::vector<std::pair<uint32_t, uint64_t>> session_dels;
	std::string fail_lun_path;	// lun_new on this path fails like the kernel would

	Result<void> target_new(uint32_t tid, const std::string &name) override
	{
		tgts.push_back({tid, name});
		return {};
	}
	Result<void> lun_new(uint32_t tid, const LunConfig &l) override
	{
		if (!fail_lun_path.empty() && l.path == fail_lun_path)
			return fail("cannot open " + l.path + " (No such file or directory)", ENOENT);
		lun_list.push_back({tid, l.lun, l.type, l.mode, l.path, l.block_size, 0});
		return {};
	}
	Result<void> session_new(const SessionNew &s) override
	{
		session_news.push_back(s);
		sess.push_back({s.tid, s.sid, s.initiator, {}});
		return {};
	}
	Result<void> session_del(uint32_t tid, uint64_t sid) override
	{
		session_dels.emplace_back(tid, sid);
		std::erase_if(sess, [&](const KSession &k) { return k.tid == tid && k.sid == sid; });
		return {};
	}
	Result<void> conn_new(const ConnNew &c) override
	{
		conn_news.push_back(c);
		return {};
	}
	Result<std::vector<KTarget>> targets() override { return tgts; }
	Result<std::vector<KLun>> luns(std::optional<uint32_t> tid) override
	{
		std::vector<KLun> out;
		for (const auto &l : lun_list)
			if (!tid || l.tid == *tid)
				out.push_back(l);
		return out;
	}
	Result<std::vector<KSession>> sessions(std::optional<uint32_t> tid) override
	{
		std::vector<KSession> out;
		for (const auto &s : sess)
			if (!tid || s.tid == *tid)
				out.push_back(s);
		return out;
	}
};

} // namespace iet::test
