// config.h - ietd.conf in IET's syntax, parsed by a pure function.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "error.h"
#include "iet_netlink.h"
#include "iet_pdu.h"

namespace iet {

// Operational parameters a target offers (IET 1.4.20 defaults, except
// MaxRecv/MaxXmitDataSegmentLength: 262144 so open-iscsi moves big PDUs).
struct TargetParams {
	uint32_t max_recv_dsl = 262144;
	uint32_t max_xmit_dsl = 262144;
	uint32_t max_burst = 262144;
	uint32_t first_burst = 65536;
	uint32_t max_outstanding_r2t = 1;
	uint32_t max_connections = 1;
	uint32_t time2wait = 2;
	uint32_t time2retain = 20;
	uint32_t error_recovery_level = 0;
	uint32_t queued_cmds = 32;
	uint32_t wthreads = 8;
	uint32_t nop_interval = 0;
	uint32_t nop_timeout = 0;
	uint32_t max_sessions = 0;	// 0: unlimited
	bool initial_r2t = true;
	bool immediate_data = true;
	bool data_pdu_in_order = true;
	bool data_sequence_in_order = true;
	// Digests we accept, in our order of preference.
	std::vector<iet_digest> header_digest{IET_DIGEST_NONE};
	std::vector<iet_digest> data_digest{IET_DIGEST_NONE};
};

struct Credential {
	std::string user;
	std::string secret;
};

struct LunConfig {
	uint32_t lun = 0;
	iet_iotype type = IET_IOTYPE_FILEIO;
	std::string path;
	iet_iomode mode = IET_IOMODE_WT;
	uint32_t block_size = 512;
	uint64_t size = 0;	// nullio bytes; 0 = kernel default
	std::string scsi_id;
	std::string scsi_sn;
};

struct TargetConfig {
	std::string name;
	std::string alias;
	std::vector<LunConfig> luns;
	TargetParams params;
	std::vector<Credential> incoming;	// CHAP: stored, not yet used
	std::vector<Credential> outgoing;
};

struct Config {
	std::vector<TargetConfig> targets;
	std::vector<Credential> discovery_incoming;
	std::vector<Credential> discovery_outgoing;

	[[nodiscard]] const TargetConfig *find(std::string_view name) const;
};

// Parse ietd.conf text; errors name file:line.
[[nodiscard]] Result<Config> parse_config(std::string_view text, std::string_view filename);
[[nodiscard]] Result<Config> load_config(const std::string &path);

// iSCSI name check (RFC 7143 §4.2.7): iqn., eui. or naa. forms, <= 223 bytes.
[[nodiscard]] bool valid_iscsi_name(std::string_view name);

// Case-insensitive ASCII compare (config keys, iSCSI names after folding).
[[nodiscard]] bool iequals(std::string_view a, std::string_view b);

// Parse an unsigned decimal (or 0x hex) number; nullopt on junk or overflow.
[[nodiscard]] std::optional<uint64_t> parse_u64(std::string_view s);

} // namespace iet
