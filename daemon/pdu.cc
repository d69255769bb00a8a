#include "pdu.h"

#include <cstring>

namespace iet {

size_t PduReader::want() const
{
	return need_ - buf_.size();
}

Result<std::optional<Pdu>> PduReader::feed(std::span<const uint8_t> bytes)
{
	if (bytes.size() > want())
		return fail("PDU reader fed past the announced length");
	buf_.insert(buf_.end(), bytes.begin(), bytes.end());
	if (buf_.size() < need_)
		return std::optional<Pdu>{};
	return advance();
}

Result<std::optional<Pdu>> PduReader::advance()
{
	// Loop: a stage may be empty (no AHS, no data) and complete at once.
	for (;;) {
		if (buf_.size() < need_)
			return std::optional<Pdu>{};
		switch (stage_) {
		case Stage::Bhs: {
			std::memcpy(&cur_.bhs, buf_.data(), IET_BHS_LEN);
			dlen_ = iet_dlength_get(cur_.bhs.dlength);
			// Validate what the peer announced before allocating for it.
			if (dlen_ > max_data_)
				return fail("data segment of " + std::to_string(dlen_) +
					    " bytes exceeds " + std::to_string(max_data_));
			buf_.clear();
			stage_ = Stage::Ahs;
			need_ = size_t(cur_.bhs.ahslength) * 4;
			break;
		}
		case Stage::Ahs:
			cur_.ahs.assign(buf_.begin(), buf_.end());
			buf_.clear();
			stage_ = Stage::Data;
			need_ = iet_padded(dlen_);
			break;
		case Stage::Data: {
			cur_.data.assign(buf_.begin(), buf_.begin() + dlen_);
			Pdu done = std::move(cur_);
			cur_ = Pdu{};
			buf_.clear();
			stage_ = Stage::Bhs;
			need_ = IET_BHS_LEN;
			return std::optional<Pdu>{std::move(done)};
		}
		}
	}
}

std::vector<uint8_t> encode_pdu(const Pdu &pdu)
{
	Pdu p = pdu;
	p.bhs.ahslength = static_cast<uint8_t>(p.ahs.size() / 4);
	iet_dlength_set(p.bhs.dlength, static_cast<uint32_t>(p.data.size()));
	std::vector<uint8_t> out(IET_BHS_LEN);
	std::memcpy(out.data(), &p.bhs, IET_BHS_LEN);
	out.insert(out.end(), p.ahs.begin(), p.ahs.end());
	out.insert(out.end(), p.data.begin(), p.data.end());
	out.resize(IET_BHS_LEN + p.ahs.size() + iet_padded(static_cast<uint32_t>(p.data.size())), 0);
	return out;
}

} // namespace iet
