/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for what fullnat reads of a real server's reply: the
 * TCP options walk that maps SACK edges (pp_tcp_out()), and the PROXY
 * header of whatever tuple a frame parses to.  Input: one flag byte
 * (bit 0: the header was sent; bits 1..7 and the next 4 bytes: header
 * length and first data sequence number), then an Ethernet frame in a
 * heap buffer of its exact length.  Beyond "never crash": a complete TCP
 * checksum that was right stays right, and headers fit PROXY_HDR_MAX.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt.h"
#include "proxyproto.h"
#include "stats.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t		 hdr[PROXY_HDR_MAX], *frame, *th;
	struct pkt	 p;
	uint32_t	 dseq, hl, thl, len;
	bool		 sent, ok;
	size_t		 n;

	if (size < 5 || size > 1 << 17)
		return 0;
	sent = data[0] & 1;
	hl = data[0] >> 1;
	memcpy(&dseq, data + 1, 4);
	data += 5;
	size -= 5;
	len = (uint32_t)size;
	if ((frame = malloc(len ? len : 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(frame, data, len);
	if (pkt_parse(&p, frame, len, NULL) != DROP_NONE ||
	    p.p_tuple.t_proto != IPPROTO_TCP)
		goto out;
	n = proxy_hdr(PROXY_V1, &p.p_tuple, hdr, sizeof(hdr));
	if (n == 0 || n > PROXY_HDR_MAX)
		__builtin_trap();
	n = proxy_hdr(PROXY_V2, &p.p_tuple, hdr, sizeof(hdr));
	if (n != (p.p_tuple.t_af == AF_INET ? 28u : 52u))
		__builtin_trap();
	th = frame + p.p_l4off;
	thl = (uint32_t)(th[12] >> 4) * 4;
	ok = pkt_l4csum_ok(&p);
	(void)pp_seq_in(dseq + hl, len, th[13], dseq, sent, hl & 1);
	pp_tcp_out(th, thl, dseq, hl, sent, true);
	if (ok && !pkt_l4csum_ok(&p))
		__builtin_trap();
	pp_tcp_out(th, thl, dseq, hl, sent, false);
out:
	free(frame);
	return 0;
}
