// text.h - iSCSI text key=value data (RFC 7143 §6): NUL-separated pairs,
// possibly split across PDUs with the Continue bit.  Pure.
#pragma once
#include <cstdint>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "error.h"

namespace iet {

using KeyValues = std::vector<std::pair<std::string, std::string>>;

inline constexpr size_t kMaxKeyLen = 63;		// RFC 7143 §6.1
inline constexpr size_t kMaxValueLen = 8192;	// §6.1: simple-value limit (TargetAddress etc. shorter)
inline constexpr size_t kMaxTextTotal = 64 * 1024;	// our cap on a continued text sequence

[[nodiscard]] Result<KeyValues> parse_text(std::span<const uint8_t> data);
[[nodiscard]] std::vector<uint8_t> encode_text(const KeyValues &kv);

// Collects data segments of PDUs sent with the Continue bit.
class TextAccumulator {
public:
	// Add one PDU's data.  Returns true when the sequence is complete
	// (continue_bit clear); then take() yields the pairs.
	[[nodiscard]] Result<bool> add(std::span<const uint8_t> data, bool continue_bit);
	[[nodiscard]] Result<KeyValues> take();

private:
	std::vector<uint8_t> buf_;
	bool complete_ = false;
};

} // namespace iet
