/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * compat.h - force-included into every object of iscsi_trgt.ko.
 * Kernel API differences are detected here by probing headers and symbols,
 * never by comparing LINUX_VERSION_CODE.  Keep it small (< 150 lines).
 */
#ifndef IET_COMPAT_H
#define IET_COMPAT_H

#endif /* IET_COMPAT_H */
