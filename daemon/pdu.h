// pdu.h - iSCSI PDU framing for the login phase: a pure, resumable reader
// that asks for exactly the bytes the header announces (never more, so the
// kernel finds any following bytes still in the socket), and an encoder.
#pragma once
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

#include "error.h"
#include "iet_pdu.h"

namespace iet {

struct Pdu {
	iet_bhs bhs{};
	std::vector<uint8_t> ahs;
	std::vector<uint8_t> data;	// without padding

	[[nodiscard]] uint8_t opcode() const { return bhs.opcode & IET_OP_MASK; }
	template <class H>
	[[nodiscard]] const H &as() const
	{
		static_assert(sizeof(H) == IET_BHS_LEN);
		return *reinterpret_cast<const H *>(&bhs);
	}
	template <class H>
	[[nodiscard]] H &as()
	{
		static_assert(sizeof(H) == IET_BHS_LEN);
		return *reinterpret_cast<H *>(&bhs);
	}
};

class PduReader {
public:
	// max_data: the largest data segment we accept (our MaxRecvDataSegmentLength
	// in force; 8192 during login per RFC 7143 §13.12 unless declared).
	explicit PduReader(uint32_t max_data) : max_data_(max_data) {}

	// How many bytes to read next (>0).  Read at most this many.
	[[nodiscard]] size_t want() const;

	// Feed bytes (at most want()).  Returns a PDU when one is complete,
	// nullopt when more bytes are needed, or an error for a bad header.
	[[nodiscard]] Result<std::optional<Pdu>> feed(std::span<const uint8_t> bytes);

	void set_max_data(uint32_t m) { max_data_ = m; }

private:
	enum class Stage { Bhs, Ahs, Data } stage_ = Stage::Bhs;
	uint32_t max_data_;
	std::vector<uint8_t> buf_;
	size_t need_ = IET_BHS_LEN;	// bytes of the current stage
	uint32_t dlen_ = 0;
	Pdu cur_;

	Result<std::optional<Pdu>> advance();
};

// Serialise: BHS (with AHS length and DataSegmentLength filled in from the
// vectors), AHS, data, zero padding.
[[nodiscard]] std::vector<uint8_t> encode_pdu(const Pdu &pdu);

// Big-endian helpers for header fields (no host-order assumptions).
inline uint32_t be32_get(const __be32 &v)
{
	const auto *p = reinterpret_cast<const uint8_t *>(&v);
	return (uint32_t(p[0]) << 24) | (uint32_t(p[1]) << 16) | (uint32_t(p[2]) << 8) | p[3];
}
inline void be32_put(__be32 &v, uint32_t x)
{
	auto *p = reinterpret_cast<uint8_t *>(&v);
	p[0] = uint8_t(x >> 24);
	p[1] = uint8_t(x >> 16);
	p[2] = uint8_t(x >> 8);
	p[3] = uint8_t(x);
}
inline uint16_t be16_get(const __be16 &v)
{
	const auto *p = reinterpret_cast<const uint8_t *>(&v);
	return uint16_t((p[0] << 8) | p[1]);
}
inline void be16_put(__be16 &v, uint16_t x)
{
	auto *p = reinterpret_cast<uint8_t *>(&v);
	p[0] = uint8_t(x >> 8);
	p[1] = uint8_t(x);
}

} // namespace iet
