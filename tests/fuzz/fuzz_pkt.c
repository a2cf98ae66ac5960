/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the frame parser and the rewrite helpers (pkt.c).
 * Input: one flag byte, then (flag bit 0) a 10-byte vnet header, then the
 * frame.  Flag bit 1 picks source or destination rewriting, bit 2 puts the
 * frame on an odd address so unaligned access shows up under UBSan, bit 3
 * rewrites IPv4 through pkt_rewrite4() rather than pkt_rewrite().  The
 * frame gets a heap buffer of its exact length, so ASan sees any read past
 * its end.  Beyond "never crash", it checks that rewriting keeps valid
 * checksums valid and that parsed offsets stay inside the frame, for
 * IPv4 and IPv6 (extension headers included), and that an SCTP packet
 * leaves every rewrite with a right CRC32c, whatever it had; AH and ESP
 * (DROP_PROTO, addresses filled) keep a valid IPv4 header checksum
 * through pkt_rewrite_addr().
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
#define F_REWRITE4	0x08

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnet_hdr	 vh, *vhp = NULL;
	struct pkt	 p;
	uint8_t		 flags, *mem, *frame;
	uint32_t	 len, odd, addr = htonl(0x0a000b0c), hlen;
	uint16_t	 port = htons(8080);
	union inaddr	 a;
	bool		 l4ok, ipok, dst, v4;
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
	if (r < 0 || r >= DROP__MAX || r == DROP_IPV6)
		__builtin_trap();
	if (r == DROP_PROTO && (p.p_tuple.t_proto == IPPROTO_ESP ||
	    p.p_tuple.t_proto == IPPROTO_AH)) {
		/* As worker_ipsec() takes them: an address, nothing else. */
		union inaddr	 a;
		bool		 ok;

		if (p.p_l3off + p.p_l3len > len ||
		    p.p_l3off + (p.p_tuple.t_af == AF_INET ? 20u : 40u) > len)
			__builtin_trap();
		ok = p.p_tuple.t_af != AF_INET || pkt_ip4csum_ok(&p);
		memset(&a, 0x5a, sizeof(a));
		pkt_rewrite_addr(&p, flags & F_DST, &a);
		if (ok && !(p.p_tuple.t_af != AF_INET || pkt_ip4csum_ok(&p)))
			__builtin_trap();
		goto out;
	}
	if (r != DROP_NONE)
		goto out;
	hlen = p.p_tuple.t_proto == IPPROTO_TCP ? 20 :
	    p.p_tuple.t_proto == IPPROTO_SCTP ? 16 : 8;
	if (p.p_l4off + hlen > len || p.p_l3off + p.p_l3len > len ||
	    p.p_l4csum_off + 2u > len || p.p_l4off < p.p_l3off ||
	    p.p_l4off - p.p_l3off > p.p_l3len)
		__builtin_trap();
	/* A UDP over IPv6 that parses has a checksum (or a partial one). */
	if (p.p_tuple.t_af == AF_INET6 && p.p_tuple.t_proto == IPPROTO_UDP &&
	    !p.p_csum_partial && frame[p.p_l4csum_off] == 0 &&
	    frame[p.p_l4csum_off + 1] == 0)
		__builtin_trap();
	l4ok = pkt_l4csum_ok(&p);
	v4 = p.p_tuple.t_af == AF_INET;
	ipok = v4 && pkt_ip4csum_ok(&p);
	dst = flags & F_DST;
	if (v4) {
		memset(&a, 0, sizeof(a));
		a.w[0] = addr;
	} else {
		memcpy(a.b, "\x20\x01\x0d\xb8\0\0\0\0\0\0\0\0\xfe\xdc\0\x01", 16);
	}
	if (v4 && (flags & F_REWRITE4))
		pkt_rewrite4(&p, dst, addr, port);
	else
		pkt_rewrite(&p, dst, &a, port);
	if (memcmp(dst ? &p.p_tuple.t_dst : &p.p_tuple.t_src, &a, 16) != 0 ||
	    (dst ? p.p_tuple.t_dport : p.p_tuple.t_sport) != port)
		__builtin_trap();
	/* An incremental update never spoils a checksum that was right. */
	if (l4ok && !pkt_l4csum_ok(&p))
		__builtin_trap();
	/* A new port, or a partial CRC, is a CRC computed afresh. */
	if (p.p_tuple.t_proto == IPPROTO_SCTP && !pkt_l4csum_ok(&p))
		__builtin_trap();
	if (ipok && !pkt_ip4csum_ok(&p))
		__builtin_trap();
	if (pkt_ttl_dec(&p) && ipok && !pkt_ip4csum_ok(&p))
		__builtin_trap();
	if (l4ok && !pkt_l4csum_ok(&p))
		__builtin_trap();
out:
	free(mem);
	return 0;
}
