#include "text.h"

namespace iet {

Result<KeyValues> parse_text(std::span<const uint8_t> data)
{
	KeyValues out;
	size_t pos = 0;
	while (pos < data.size()) {
		size_t end = pos;
		while (end < data.size() && data[end] != 0)
			end++;
		// A pair must end with NUL; padding NULs give empty strings we skip.
		if (end == data.size())
			return fail("text data not NUL-terminated");
		std::string pair(reinterpret_cast<const char *>(data.data() + pos), end - pos);
		pos = end + 1;
		if (pair.empty())
			continue;
		size_t eq = pair.find('=');
		if (eq == std::string::npos)
			return fail("text pair without '=': " + pair.substr(0, 64));
		if (eq == 0 || eq > kMaxKeyLen)
			return fail("bad key length in text pair");
		if (pair.size() - eq - 1 > kMaxValueLen)
			return fail("text value too long for key " + pair.substr(0, eq));
		out.emplace_back(pair.substr(0, eq), pair.substr(eq + 1));
	}
	return out;
}

std::vector<uint8_t> encode_text(const KeyValues &kv)
{
	std::vector<uint8_t> out;
	for (const auto &[k, v] : kv) {
		out.insert(out.end(), k.begin(), k.end());
		out.push_back('=');
		out.insert(out.end(), v.begin(), v.end());
		out.push_back(0);
	}
	return out;
}

Result<bool> TextAccumulator::add(std::span<const uint8_t> data, bool continue_bit)
{
	if (buf_.size() + data.size() > kMaxTextTotal)
		return fail("continued text exceeds " + std::to_string(kMaxTextTotal) + " bytes");
	buf_.insert(buf_.end(), data.begin(), data.end());
	complete_ = !continue_bit;
	return complete_;
}

Result<KeyValues> TextAccumulator::take()
{
	if (!complete_)
		return fail("text sequence not complete");
	auto r = parse_text(buf_);
	buf_.clear();
	complete_ = false;
	return r;
}

} // namespace iet
