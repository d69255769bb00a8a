/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - force-included into every object of iscsi_trgt.ko.
 * Kernel API differences are detected here by probing headers and symbols,
 * never by comparing LINUX_VERSION_CODE.  Keep it small (< 150 lines).
 *
 * Two kinds of probe:
 *  - __has_include(<...>) for headers that moved or appeared;
 *  - IET_HAVE_* from Kbuild (kernel/Kbuild greps the target kernel's headers
 *    once per build) for a symbol or member a header gained or lost.
 * Supported and tested: Debian bookworm 6.1, trixie 6.12, sid 7.x
 * (tests/matrix).
 */
#ifndef IET_COMPAT_H
#define IET_COMPAT_H

/*
 * Generic netlink dumps: the request's attributes moved from
 * genl_dumpit_info::attrs into an embedded struct genl_info, reached with
 * genl_info_dump() (6.2+).  A macro: <net/genetlink.h> is not included yet.
 */
#ifdef IET_HAVE_GENL_INFO_DUMP
#define iet_genl_dump_attrs(cb)	(genl_info_dump(cb)->attrs)
#else
#define iet_genl_dump_attrs(cb)	(genl_dumpit_info(cb)->attrs)
#endif

/*
 * Workqueues: alloc_workqueue() wants WQ_PERCPU or WQ_UNBOUND said
 * explicitly (7.x warns when neither is given); older kernels have no
 * WQ_PERCPU flag and bind to a CPU by default, i.e. 0 means the same there.
 */
#ifndef IET_HAVE_WQ_PERCPU
#define WQ_PERCPU 0
#endif

#endif /* IET_COMPAT_H */
