/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * CRC32c (Castagnoli, RFC 3309/4960 Appendix B), the checksum of SCTP.
 * The SSE4.2 crc32 instruction where the CPU has it, else slice-by-8
 * tables; which one is chosen once, when the program starts.  Pure code,
 * any thread.
 */
#ifndef UVS_CRC32C_H
#define UVS_CRC32C_H

#include <stddef.h>
#include <stdint.h>

/*
 * Continue the CRC32c <crc> over <len> bytes at <buf>: the register is
 * not inverted in or out, so a whole message's CRC is
 * ~crc32c_update(~0, ...).
 */
uint32_t crc32c_update(uint32_t crc, const void *buf, size_t len);
/* The CRC32c of <len> bytes at <buf> (RFC 3720 B.4's values). */
uint32_t crc32c(const void *buf, size_t len);
/* Whether crc32c_update() uses the crc32 instruction (for bench, tests). */
int	 crc32c_hw(void);
/* Force the portable tables (tests compare both ways); any thread, once. */
void	 crc32c_force_sw(int sw);

#endif
