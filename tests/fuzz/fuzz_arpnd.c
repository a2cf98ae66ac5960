/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the ARP and neighbour-solicitation decoder and the
 * answers built from what it accepts (arpnd.c).  The input is one
 * Ethernet frame in a heap buffer of its exact length, so ASan sees any
 * read past its end.  Beyond "never crash": the decoder answers 1, 0 or
 * a negative bad-arp/bad-ns reason; an answer is a frame of the promised
 * length that is itself no request, and a neighbour advertisement's
 * ICMPv6 checksum verifies.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "arpnd.h"
#include "pkt.h"
#include "stats.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const uint8_t	 mac[6] = { 0x02, 0, 0, 0, 0, 0x0d };

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arpnd_req	 rq, again;
	uint8_t			*f, out[ARPND_NA_LEN], ph[40];
	uint32_t		 n;
	int			 r;

	if (size > 1 << 16)
		return 0;
	if ((f = malloc(size > 0 ? size : 1)) == NULL)
		return 0;
	if (size > 0)
		memcpy(f, data, size);
	r = arpnd_decode(f, (uint32_t)size, &rq);
	if (r != 1 && r != 0 && r != -DROP_BAD_ARP && r != -DROP_BAD_NS)
		__builtin_trap();
	if (r != 1)
		goto out;
	if (rq.rq_af != AF_INET && rq.rq_af != AF_INET6)
		__builtin_trap();
	n = arpnd_build(out, &rq, mac);
	if (n != (rq.rq_af == AF_INET ? ARPND_ARP_LEN : ARPND_NA_LEN))
		__builtin_trap();
	if (arpnd_decode(out, n, &again) != 0)
		__builtin_trap();
	if (rq.rq_af == AF_INET6) {
		memcpy(ph, out + 22, 32);
		memset(ph + 32, 0, 8);
		ph[35] = (uint8_t)(n - 54);
		ph[39] = 58;
		if (csum_fold(csum_add_buf(csum_add_buf(0, ph, 40), out + 54,
		    n - 54)) != 0)
			__builtin_trap();
	}
out:
	free(f);
	return 0;
}
