/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the frame parser and the rewrite helpers (pkt.c).
 * Input: one flag byte, then (flag bit 0) a 10-byte vnet header, then the
 * frame.  Flag bit 1 picks source or destination rewriting, bit 2 puts the
 * frame on an odd address so unaligned access shows up under UBSan.  The
 * frame gets a heap buffer of its exact length, so ASan sees any read past
 * its end.  Beyond "never crash", it checks that rewriting keeps valid
 * checksums valid and that parsed offsets stay inside the frame.
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
#include "stats.h"

#define F_VNET		0x01
#define F_DST		0x02
#define F_ODD		0x04

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnet_hdr	 vh, *vhp = NULL;
	struct pkt	 p;
	uint8_t		 flags, *mem, *frame;
	uint32_t	 len, odd, addr = htonl(0x0a000b0c), hlen;
	uint16_t	 port = htons(8080);
	bool		 l4ok, ipok, dst;
	int		 r;

	if (size < 1 || size > 1 << 20)
		return 0;
	flags = *data++;
	size--;
	if (flags & F_VNET) {
		if (size < sizeof(vh))
			return 0;
		memcpy(&vh, data, sizeof(vh));
		vhp = &vh;
		data += sizeof(vh);
		size -= sizeof(vh);
	}
	len = (uint32_t)size;
	odd = (flags & F_ODD) ? 1 : 0;
	if ((mem = malloc(len + odd > 0 ? len + odd : 1)) == NULL)
		return 0;
	frame = mem + odd;
	if (len > 0)
		memcpy(frame, data, len);

	r = pkt_parse(&p, frame, len, vhp);
	if (r < 0 || r >= DROP__MAX)
		__builtin_trap();
	if (r != DROP_NONE && r != DROP_IPV6)
		goto out;
	hlen = p.p_tuple.t_proto == IPPROTO_TCP ? 20 : 8;
	if (p.p_l4off + hlen > len || p.p_l3off + p.p_l3len > len ||
	    p.p_l4csum_off + 2u > len || p.p_l4off < p.p_l3off ||
	    p.p_l4off - p.p_l3off > p.p_l3len)
		__builtin_trap();
	l4ok = pkt_l4csum_ok(&p);
	if (r != DROP_NONE || p.p_tuple.t_af != AF_INET)
		goto out;

	ipok = pkt_ip4csum_ok(&p);
	dst = flags & F_DST;
	pkt_rewrite4(&p, dst, addr, port);
	if ((dst ? p.p_tuple.t_dst.w[0] : p.p_tuple.t_src.w[0]) != addr ||
	    (dst ? p.p_tuple.t_dport : p.p_tuple.t_sport) != port)
		__builtin_trap();
	/* An incremental update never spoils a checksum that was right. */
	if (l4ok && !pkt_l4csum_ok(&p))
		__builtin_trap();
	if (ipok && !pkt_ip4csum_ok(&p))
		__builtin_trap();
	if (pkt_ttl_dec4(&p) && ipok && !pkt_ip4csum_ok(&p))
		__builtin_trap();
	(void)pkt_l4csum_ok(&p);
out:
	free(mem);
	return 0;
}
