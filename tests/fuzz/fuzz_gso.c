/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for software segmentation (gso.c) of whatever a
 * virtio header may claim of a frame.  Input: one flag byte (bit 0:
 * leave checksums partial), the GSO size (2 bytes, little endian) and
 * type (1 byte), then an Ethernet frame in a heap buffer of its exact
 * length; each segment goes to a heap buffer of exactly the length
 * gso_plan() promised.  Beyond "never crash": every segment parses, is
 * no longer than promised, and with complete checksums verifies.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gso.h"
#include "pkt.h"
#include "ring.h"
#include "stats.h"

#define SEG_MAX		64	/* segments built per input */

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnet_hdr	 vh;
	struct pkt	 p, sp;
	uint8_t		*frame, *seg;
	uint32_t	 len, nseg, seglen, i, n;
	bool		 partial;
	int		 r;

	if (size < 4 || size > 1 << 17)
		return 0;
	memset(&vh, 0, sizeof(vh));
	partial = data[0] & 1;
	vh.vh_flags = (data[0] & 2) ? VNET_F_NEEDS_CSUM : 0;
	vh.vh_gso_size = (uint16_t)(data[1] | data[2] << 8);
	vh.vh_gso_type = data[3];
	data += 4;
	size -= 4;
	len = (uint32_t)size;
	if ((frame = malloc(len ? len : 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(frame, data, len);
	r = pkt_parse(&p, frame, len, &vh);
	if (r != DROP_NONE || gso_plan(&p, &nseg, &seglen) != DROP_NONE)
		goto out;
	for (i = 0; i < nseg && i < SEG_MAX; i++) {
		if ((seg = malloc(RING_VNET_LEN + 14 + seglen)) == NULL)
			break;
		n = gso_build(&p, i, seg, partial);
		if (n == 0 || n > RING_VNET_LEN + 14 + seglen)
			__builtin_trap();
		if (pkt_parse(&sp, seg + RING_VNET_LEN, n - RING_VNET_LEN,
		    NULL) != DROP_NONE)
			__builtin_trap();
		if (!partial && !pkt_l4csum_ok(&sp))
			__builtin_trap();
		free(seg);
	}
out:
	free(frame);
	return 0;
}
