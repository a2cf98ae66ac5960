/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC32c (crc32c.h).  The reflected polynomial 0x82f63b78; slice-by-8
 * folds eight bytes per step with eight 256-entry tables built from it
 * (Intel's "slicing-by-8"), and on x86-64 with SSE4.2 the crc32
 * instruction does the same eight bytes in one.  Both give the CRC of
 * the bytes in memory order, as SCTP sends it (least significant byte
 * first, RFC 4960 Appendix B).  The tables are filled and the path chosen
 * by a constructor, before any thread exists.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "crc32c.h"

#define CRC32C_POLY	0x82f63b78U	/* reflected Castagnoli */

static uint32_t	crc_tab[8][256];
static bool	crc_use_hw;

static uint32_t
crc32c_sw(uint32_t crc, const uint8_t *b, size_t len)
{
	uint64_t	 v;

	for (; len > 0 && ((uintptr_t)b & 7) != 0; len--)
		crc = crc_tab[0][(crc ^ *b++) & 0xff] ^ (crc >> 8);
	for (; len >= 8; len -= 8, b += 8) {
		memcpy(&v, b, sizeof(v));
#if __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
		v = __builtin_bswap64(v);
#endif
		v ^= crc;
		crc = crc_tab[7][v & 0xff] ^
		    crc_tab[6][(v >> 8) & 0xff] ^
		    crc_tab[5][(v >> 16) & 0xff] ^
		    crc_tab[4][(v >> 24) & 0xff] ^
		    crc_tab[3][(v >> 32) & 0xff] ^
		    crc_tab[2][(v >> 40) & 0xff] ^
		    crc_tab[1][(v >> 48) & 0xff] ^
		    crc_tab[0][v >> 56];
	}
	while (len-- > 0)
		crc = crc_tab[0][(crc ^ *b++) & 0xff] ^ (crc >> 8);
	return crc;
}

#if defined(__x86_64__)
__attribute__((target("sse4.2")))
static uint32_t
crc32c_sse42(uint32_t crc, const uint8_t *b, size_t len)
{
	uint64_t	 c = crc, v;

	for (; len > 0 && ((uintptr_t)b & 7) != 0; len--)
		c = __builtin_ia32_crc32qi((uint32_t)c, *b++);
	for (; len >= 8; len -= 8, b += 8) {
		memcpy(&v, b, sizeof(v));
		c = __builtin_ia32_crc32di(c, v);
	}
	while (len-- > 0)
		c = __builtin_ia32_crc32qi((uint32_t)c, *b++);
	return (uint32_t)c;
}
#endif

__attribute__((constructor))
static void
crc32c_init(void)
{
	uint32_t	 c;
	unsigned	 i, k;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = c & 1 ? (c >> 1) ^ CRC32C_POLY : c >> 1;
		crc_tab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (k = 1; k < 8; k++)
			crc_tab[k][i] = crc_tab[0][crc_tab[k - 1][i] & 0xff] ^
			    (crc_tab[k - 1][i] >> 8);
#if defined(__x86_64__)
	__builtin_cpu_init();
	crc_use_hw = __builtin_cpu_supports("sse4.2");
#endif
}

uint32_t
crc32c_update(uint32_t crc, const void *buf, size_t len)
{
#if defined(__x86_64__)
	if (crc_use_hw)
		return crc32c_sse42(crc, buf, len);
#endif
	return crc32c_sw(crc, buf, len);
}

uint32_t
crc32c(const void *buf, size_t len)
{
	return ~crc32c_update(~0U, buf, len);
}

int
crc32c_hw(void)
{
	return crc_use_hw;
}

void
crc32c_force_sw(int sw)
{
#if defined(__x86_64__)
	if (sw)
		crc_use_hw = false;
	else {
		__builtin_cpu_init();
		crc_use_hw = __builtin_cpu_supports("sse4.2");
	}
#else
	(void)sw;
#endif
}
