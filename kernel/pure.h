/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * pure.h - the only header the kernel's pure code (PDU checks, CDB
 * decoding) includes, so the very same .c files build into iscsi_trgt.ko
 * and into the userspace unit tests and fuzzers (tests/unit/kernel).
 * Pure code touches no kernel object, allocates nothing and sleeps never.
 */
#ifndef IET_PURE_H
#define IET_PURE_H

#ifdef __KERNEL__
#include <linux/types.h>
#include <linux/string.h>
#include <linux/errno.h>
/* Feature probe, not a version check: the header moved in 6.12. */
#if __has_include(<linux/unaligned.h>)
#include <linux/unaligned.h>
#else
#include <asm/unaligned.h>
#endif
#else /* userspace build of the same source */
#include <linux/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <errno.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

static inline u16 get_unaligned_be16(const void *p)
{
	const u8 *b = (const u8 *)p;
	return (u16)((b[0] << 8) | b[1]);
}

static inline u32 get_unaligned_be32(const void *p)
{
	const u8 *b = (const u8 *)p;
	return ((u32)b[0] << 24) | ((u32)b[1] << 16) | ((u32)b[2] << 8) | b[3];
}

static inline u64 get_unaligned_be64(const void *p)
{
	return ((u64)get_unaligned_be32(p) << 32) |
	       get_unaligned_be32((const u8 *)p + 4);
}

static inline void put_unaligned_be16(u16 v, void *p)
{
	u8 *b = (u8 *)p;
	b[0] = (u8)(v >> 8);
	b[1] = (u8)v;
}

static inline void put_unaligned_be32(u32 v, void *p)
{
	u8 *b = (u8 *)p;
	b[0] = (u8)(v >> 24);
	b[1] = (u8)(v >> 16);
	b[2] = (u8)(v >> 8);
	b[3] = (u8)v;
}

static inline void put_unaligned_be64(u64 v, void *p)
{
	put_unaligned_be32((u32)(v >> 32), p);
	put_unaligned_be32((u32)v, (u8 *)p + 4);
}
#endif /* __KERNEL__ */

#endif /* IET_PURE_H */
