/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Loads and stores of 16- and 32-bit header fields at any alignment,
 * in the byte order they have in the frame (no swapping): memcpy, which
 * compilers turn into one move.  Pure code, any thread.
 */
#ifndef UVS_BYTES_H
#define UVS_BYTES_H

#include <stdint.h>
#include <string.h>

static inline uint16_t
ld16(const uint8_t *b)
{
	uint16_t	 v;

	memcpy(&v, b, sizeof(v));
	return v;
}

static inline void
st16(uint8_t *b, uint16_t v)
{
	memcpy(b, &v, sizeof(v));
}

static inline uint32_t
ld32(const uint8_t *b)
{
	uint32_t	 v;

	memcpy(&v, b, sizeof(v));
	return v;
}

static inline void
st32(uint8_t *b, uint32_t v)
{
	memcpy(b, &v, sizeof(v));
}

#endif
