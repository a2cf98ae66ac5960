/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the ICMP error decoders (icmp_parse(), and
 * icmp_parse_tun() for errors about tunnel packets) and rewriter (icmp.c)
 * and IPv4 fragmentation (frag.c).  Input: one flag byte, a 2-byte MTU,
 * then (flag bit 0) a 10-byte vnet header, then an Ethernet frame in a
 * heap buffer of its exact length, so ASan sees any read past its end.
 * Flag bit 1 picks the direction of the rewrite.  Beyond "never crash":
 * decoded offsets stay inside the frame, a rewrite keeps a valid ICMP
 * checksum valid, a tunnel error's inner quote lies inside the frame
 * behind the outer headers and holds an IP header and 8 bytes, and the
 * fragments of a datagram are as long as
 * frag_total() says, fit the MTU and carry a valid header checksum.
 */
#include "config.h"

#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "frag.h"
#include "icmp.h"
#include "pkt.h"
#include "stats.h"

#define F_VNET		0x01
#define F_TO_RS		0x02

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
fuzz_icmp(uint8_t *frame, uint32_t len, struct vnet_hdr *vh, bool to_rs)
{
	static const union inaddr a = { .b = { 10, 0, 2, 11, 0xfd, 0, 0, 2,
	    0, 0, 0, 0, 0, 0, 0, 0x11 } };
	union inaddr	 addr = a;
	struct icmp_err	 ie;
	struct pkt	 p;
	bool		 ok;

	if (pkt_parse(&p, frame, len, vh) != DROP_PROTO || !icmp_is(&p))
		return;
	if (icmp_parse(&p, &ie) != DROP_NONE)
		return;
	if (ie.ie_off != p.p_l4off || ie.ie_in3off != ie.ie_off + 8 ||
	    ie.ie_in4off <= ie.ie_in3off || ie.ie_in4len < 8 ||
	    (uint32_t)ie.ie_in4off + ie.ie_in4len != p.p_l3off + p.p_l3len ||
	    (uint32_t)ie.ie_off + ie.ie_len > len)
		__builtin_trap();
	if (p.p_tuple.t_af == AF_INET)
		memset(addr.b + 4, 0, 12);
	ok = !p.p_csum_partial && icmp_csum_ok(&p, &ie);
	icmp_rewrite(&p, &ie, to_rs, &addr, 0x1f90);
	if (ok && !icmp_csum_ok(&p, &ie))
		__builtin_trap();
}

static void
fuzz_icmp_tun(uint8_t *frame, uint32_t len, struct vnet_hdr *vh)
{
	struct icmp_tun	 it;
	struct pkt	 p;
	uint32_t	 min;

	if (pkt_parse(&p, frame, len, vh) != DROP_PROTO || !icmp_is(&p))
		return;
	if (icmp_parse_tun(&p, &it) != DROP_NONE)
		return;
	min = it.it_tuple.t_af == AF_INET ? 28 : 48;
	if ((it.it_tuple.t_af != AF_INET && it.it_tuple.t_af != AF_INET6) ||
	    it.it_oaf != p.p_tuple.t_af || it.it_inlen < min ||
	    it.it_in3off < p.p_l4off + 8 + (it.it_oaf == AF_INET ? 20 : 40) ||
	    (uint32_t)it.it_in3off + it.it_inlen != p.p_l3off + p.p_l3len ||
	    (uint32_t)it.it_in3off + it.it_inlen > len)
		__builtin_trap();
}

static void
fuzz_frag(uint8_t *frame, uint32_t len, struct vnet_hdr *vh, uint32_t mtu)
{
	struct frag	 f;
	uint8_t		*out, *ip;
	uint32_t	 total, used = 0, n;

	if (frag_start(&f, frame, len, vh, mtu) != DROP_NONE)
		return;
	total = frag_total(&f);
	if ((out = malloc(total)) == NULL)
		return;
	while ((n = frag_next(&f, out + used)) != 0) {
		ip = out + used + sizeof(struct vnet_hdr) + 14;
		if (n - sizeof(struct vnet_hdr) - 14 > mtu ||
		    csum_fold(csum_add_buf(0, ip, (ip[0] & 0x0f) * 4)) != 0)
			__builtin_trap();
		used += n;
		if (used > total)
			__builtin_trap();
	}
	if (used != total)
		__builtin_trap();
	free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct vnet_hdr	 vh, *vhp = NULL;
	uint8_t		 flags, *frame;
	uint32_t	 len, mtu;

	if (size < 3 || size > 1 << 17)
		return 0;
	flags = data[0];
	mtu = (uint32_t)data[1] << 8 | data[2];
	data += 3;
	size -= 3;
	if (flags & F_VNET) {
		if (size < sizeof(vh))
			return 0;
		memcpy(&vh, data, sizeof(vh));
		vhp = &vh;
		data += sizeof(vh);
		size -= sizeof(vh);
	}
	len = (uint32_t)size;
	if ((frame = malloc(len > 0 ? len : 1)) == NULL)
		return 0;
	if (len > 0)
		memcpy(frame, data, len);
	fuzz_icmp_tun(frame, len, vhp);
	fuzz_icmp(frame, len, vhp, flags & F_TO_RS);
	memcpy(frame, data, len);
	fuzz_frag(frame, len, vhp, mtu);
	free(frame);
	return 0;
}
