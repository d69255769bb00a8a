// open_iscsi_offer.h - the operational keys open-iscsi offers by default
// (FACTS.md), shared by the negotiation and login tests.
#pragma once

#include "text.h"

namespace iet::test {

inline KeyValues open_iscsi_default_offer()
{
	return {{"HeaderDigest", "None"},
		{"DataDigest", "None"},
		{"DefaultTime2Wait", "2"},
		{"DefaultTime2Retain", "0"},
		{"IFMarker", "No"},
		{"OFMarker", "No"},
		{"ErrorRecoveryLevel", "0"},
		{"InitialR2T", "No"},
		{"ImmediateData", "Yes"},
		{"MaxBurstLength", "16776192"},
		{"FirstBurstLength", "262144"},
		{"MaxOutstandingR2T", "1"},
		{"MaxConnections", "1"},
		{"DataPDUInOrder", "Yes"},
		{"DataSequenceInOrder", "Yes"},
		{"MaxRecvDataSegmentLength", "262144"}};
}

} // namespace iet::test
