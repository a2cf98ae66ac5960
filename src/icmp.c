/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICMP errors (icmp.h).  Every field that changes inside the ICMP message
 * lies at an even offset from its start (the quote begins 8 bytes in,
 * IP headers are multiples of 4), so 16-bit one's complement deltas of
 * the words as they lie in memory apply to the ICMP checksum directly,
 * in either byte order (pkt.c).  Workers; pure code.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "bytes.h"
#include "icmp.h"
#include "pkt.h"
#include "stats.h"
#include "table.h"

#define ICMP_HLEN		8
#define ICMP_DEST_UNREACH	3
#define ICMP_SOURCE_QUENCH	4
#define ICMP_TIME_EXCEEDED	11
#define ICMP6_INFOMSG_MASK	0x80	/* types 128 and up: not errors */
#define IP4_HLEN		20
#define IP6_HLEN		40
#define IP4_OFFMASK		0x1fff
#define L4_QUOTE_MIN		8	/* RFC 792: 64 bits of datagram */
#define ICMP_FRAG_NEEDED	4	/* code of ICMP_DEST_UNREACH */
#define ICMP6_PACKET_TOO_BIG	2
#define UDP_HLEN		8
#define GUE_HLEN		4
#define GRE_F_CSUM		0x8000
#define GRE_F_ROUTING		0x4000
#define GRE_F_KEY		0x2000
#define GRE_F_SEQ		0x1000
#define GRE_VERSION		0x0007
#define ETH_P_IP4		0x0800
#define ETH_P_IP6		0x86dd

/* Sum of ~from + to over the 16-bit words of <len> (even) bytes. */
static uint32_t
delta_buf(const uint8_t *from, const uint8_t *to, size_t len)
{
	uint32_t	 d = 0;
	size_t		 i;

	for (i = 0; i < len; i += 2)
		d += (uint16_t)~ld16(from + i) + ld16(to + i);
	return d;
}

/* A complete checksum field at <f> after changes summing to <d>. */
static inline void
apply(uint8_t *f, uint32_t d)
{
	st16(f, csum_fold((uint16_t)~ld16(f) + d));
}

/* A partial field (pseudo-header sum, not complemented): ~ of the above. */
static inline void
apply_partial(uint8_t *f, uint32_t d)
{
	st16(f, (uint16_t)~csum_fold(ld16(f) + d));
}

bool
icmp_csum_ok(const struct pkt *p, const struct icmp_err *ie)
{
	const uint8_t	*ip = p->p_l2 + p->p_l3off;
	uint32_t	 sum = 0, w;

	if (p->p_tuple.t_af == AF_INET6) {
		/* RFC 4443 2.3: addresses, 32-bit length, next header. */
		sum = csum_add_buf(0, ip + 8, 32);
		w = htonl(ie->ie_len);
		sum = csum_add_buf(sum, &w, 4);
		w = htonl(IPPROTO_ICMPV6);
		sum = csum_add_buf(sum, &w, 4);
	}
	return csum_fold(csum_add_buf(sum, p->p_l2 + ie->ie_off,
	    ie->ie_len)) == 0;
}

static bool
icmp_is_error(int af, uint8_t type)
{
	if (af == AF_INET6)
		return !(type & ICMP6_INFOMSG_MASK);
	return type == ICMP_DEST_UNREACH || type == ICMP_SOURCE_QUENCH ||
	    type == ICMP_TIME_EXCEEDED;
}

int
icmp_parse(const struct pkt *p, struct icmp_err *ret)
{
	const uint8_t	*ic = p->p_l2 + p->p_l4off, *in;
	struct icmp_err	 ie;
	uint32_t	 avail, hl;
	size_t		 alen;
	bool		 v6 = p->p_tuple.t_af == AF_INET6;
	uint8_t		 proto;

	memset(&ie, 0, sizeof(ie));
	ie.ie_len = p->p_l3len - (uint32_t)(p->p_l4off - p->p_l3off);
	if (ie.ie_len < ICMP_HLEN)
		return DROP_ICMP_SHORT;
	if (!icmp_is_error(p->p_tuple.t_af, ic[0]))
		return DROP_PROTO;
	ie.ie_off = p->p_l4off;
	ie.ie_type = ic[0];
	ie.ie_code = ic[1];
	/* A partial or device-checked sum has nothing to verify yet. */
	if (!p->p_csum_partial && (p->p_vnet == NULL ||
	    !(p->p_vnet->vh_flags & VNET_F_DATA_VALID)) &&
	    !icmp_csum_ok(p, &ie))
		return DROP_ICMP_CSUM;
	in = ic + ICMP_HLEN;
	avail = ie.ie_len - ICMP_HLEN;
	if (avail < (v6 ? IP6_HLEN : IP4_HLEN))
		return DROP_ICMP_SHORT;
	if (in[0] >> 4 != (v6 ? 6 : 4))
		return DROP_ICMP_INNER;
	if (v6) {
		/* Extension headers in the quote are not walked. */
		hl = IP6_HLEN;
		proto = in[6];
		alen = 16;
	} else {
		hl = (uint32_t)(in[0] & 0x0f) * 4;
		if (hl < IP4_HLEN || hl > avail)
			return DROP_ICMP_INNER;
		/* A later fragment quotes no ports. */
		if (ntohs(ld16(in + 6)) & IP4_OFFMASK)
			return DROP_ICMP_INNER;
		proto = in[9];
		alen = 4;
	}
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
	    proto != IPPROTO_SCTP)
		return DROP_PROTO;
	if (avail - hl < L4_QUOTE_MIN)
		return DROP_ICMP_SHORT;
	ie.ie_in3off = (uint16_t)(ie.ie_off + ICMP_HLEN);
	ie.ie_in4off = (uint16_t)(ie.ie_in3off + hl);
	ie.ie_in4len = (uint16_t)(avail - hl);
	ie.ie_tuple.t_af = p->p_tuple.t_af;
	ie.ie_tuple.t_proto = proto;
	/* Reversed: the quote's destination is the flow's source. */
	memcpy(&ie.ie_tuple.t_src, in + (v6 ? 24 : 16), alen);
	memcpy(&ie.ie_tuple.t_dst, in + (v6 ? 8 : 12), alen);
	memcpy(&ie.ie_tuple.t_sport, in + hl + 2, 2);
	memcpy(&ie.ie_tuple.t_dport, in + hl, 2);
	*ret = ie;
	return DROP_NONE;
}

void
icmp_rewrite(struct pkt *p, const struct icmp_err *ie, bool to_rs,
    const union inaddr *addr, uint16_t port)
{
	uint8_t		*ip = p->p_l2 + p->p_l3off;
	uint8_t		*ic = p->p_l2 + ie->ie_off;
	uint8_t		*in = p->p_l2 + ie->ie_in3off;
	uint8_t		*l4 = p->p_l2 + ie->ie_in4off;
	uint8_t		*oa, *qa, *qp, *qc;
	uint32_t	 d = 0, dq, dout;
	uint16_t	 c0, c1;
	size_t		 alen, coff;
	bool		 v6 = p->p_tuple.t_af == AF_INET6;
	bool		 udp = ie->ie_tuple.t_proto == IPPROTO_UDP;

	alen = v6 ? 16 : 4;
	/* to_rs: outer destination, quoted source; else the other two. */
	oa = ip + (v6 ? (to_rs ? 24 : 8) : (to_rs ? 16 : 12));
	qa = in + (v6 ? (to_rs ? 8 : 24) : (to_rs ? 12 : 16));
	qp = l4 + (to_rs ? 0 : 2);

	dout = delta_buf(oa, addr->b, alen);
	if (!v6)
		apply(ip + 10, dout);
	else if (p->p_csum_partial)
		apply_partial(ic + 2, dout);
	else
		d += dout;		/* ICMPv6 sums its pseudo-header */
	memcpy(oa, addr->b, alen);

	dq = delta_buf(qa, addr->b, alen);
	if (!v6) {
		c0 = ld16(in + 10);
		apply(in + 10, dq);
		d += (uint16_t)~c0 + ld16(in + 10);
	}
	d += dq;
	memcpy(qa, addr->b, alen);
	dq += (uint16_t)~ld16(qp) + port;
	d += (uint16_t)~ld16(qp) + port;
	st16(qp, port);

	/*
	 * The quoted TCP/UDP checksum, when quoted, as nf_nat keeps it; a
	 * quoted SCTP CRC32c covers what is not quoted, and the receiver
	 * matches the error by ports and verification tag, not by it.
	 */
	coff = udp ? 6 : 16;
	qc = l4 + coff;
	if (ie->ie_tuple.t_proto != IPPROTO_SCTP &&
	    ie->ie_in4len >= coff + 2 && !(udp && !v6 && ld16(qc) == 0)) {
		c0 = ld16(qc);
		c1 = csum_fold((uint16_t)~c0 + dq);
		if (udp && c1 == 0)
			c1 = 0xffff;
		st16(qc, c1);
		d += (uint16_t)~c0 + c1;
	}
	/* A partial sum is the device's to complete over what is there. */
	if (!p->p_csum_partial)
		apply(ic + 2, d);
	memcpy(to_rs ? &p->p_tuple.t_dst : &p->p_tuple.t_src, addr->b, alen);
}

void
icmp_quote_set32(struct pkt *p, const struct icmp_err *ie, uint32_t off,
    uint32_t val)
{
	uint8_t		*l4 = p->p_l2 + ie->ie_in4off;
	uint8_t		*qc, *f = l4 + off;
	uint32_t	 d, dq;
	uint16_t	 c0, c1;
	size_t		 coff;
	bool		 udp = ie->ie_tuple.t_proto == IPPROTO_UDP;

	if (off > ie->ie_in4len || ie->ie_in4len - off < 4 || (off & 1))
		return;
	d = dq = delta_buf(f, (const uint8_t *)&val, 4);
	memcpy(f, &val, 4);
	coff = udp ? 6 : 16;
	qc = l4 + coff;
	/* The checksum field itself is never what changes here. */
	if (ie->ie_in4len >= coff + 2 && (off + 4 <= coff || off >= coff + 2) &&
	    !(udp && p->p_tuple.t_af == AF_INET && ld16(qc) == 0)) {
		c0 = ld16(qc);
		c1 = csum_fold((uint16_t)~c0 + dq);
		if (udp && c1 == 0)
			c1 = 0xffff;
		st16(qc, c1);
		d += (uint16_t)~c0 + c1;
	}
	if (!p->p_csum_partial)
		apply(p->p_l2 + ie->ie_off + 2, d);
}

/* The length and checksum checks of the ICMP message of <p>. */
static int
icmp_head(const struct pkt *p, uint32_t *ret_len)
{
	struct icmp_err	 ie;

	memset(&ie, 0, sizeof(ie));
	ie.ie_off = p->p_l4off;
	ie.ie_len = p->p_l3len - (uint32_t)(p->p_l4off - p->p_l3off);
	if (ie.ie_len < ICMP_HLEN)
		return DROP_ICMP_SHORT;
	if (!p->p_csum_partial && (p->p_vnet == NULL ||
	    !(p->p_vnet->vh_flags & VNET_F_DATA_VALID)) &&
	    !icmp_csum_ok(p, &ie))
		return DROP_ICMP_CSUM;
	*ret_len = ie.ie_len;
	return DROP_NONE;
}

/*
 * An IP header of version <v> at <in>, <avail> bytes quoted: its length
 * and protocol, or a DROP_*.  A later IPv4 fragment quotes no headers.
 */
static int
quote_ip(const uint8_t *in, uint32_t avail, int v, uint32_t *ret_hl,
    uint8_t *ret_proto)
{
	uint32_t	 hl;

	if (avail < (v == 6 ? IP6_HLEN : IP4_HLEN))
		return DROP_ICMP_SHORT;
	if (in[0] >> 4 != v)
		return DROP_ICMP_INNER;
	if (v == 6) {
		*ret_hl = IP6_HLEN;
		*ret_proto = in[6];
		return DROP_NONE;
	}
	hl = (uint32_t)(in[0] & 0x0f) * 4;
	if (hl < IP4_HLEN || hl > avail ||
	    (ntohs(ld16(in + 6)) & IP4_OFFMASK))
		return DROP_ICMP_INNER;
	*ret_hl = hl;
	*ret_proto = in[9];
	return DROP_NONE;
}

/* The tunnel header at <th>: its length and the inner IP version. */
static int
quote_tun(const uint8_t *th, uint32_t avail, uint8_t oproto,
    struct icmp_tun *it, uint32_t *ret_len, int *ret_v)
{
	uint32_t	 tl;
	uint16_t	 f, et;

	switch (oproto) {
	case IPPROTO_IPIP:
		it->it_type = RS_TUN_IPIP;
		*ret_len = 0;
		*ret_v = 4;
		return DROP_NONE;
	case IPPROTO_IPV6:
		it->it_type = RS_TUN_IPIP;
		*ret_len = 0;
		*ret_v = 6;
		return DROP_NONE;
	case IPPROTO_UDP:
		/*
		 * GUE version 0, a data message (C clear), carrying IP: else
		 * an ordinary UDP error, whatever its length.
		 */
		if (avail < UDP_HLEN + GUE_HLEN || (th[UDP_HLEN] & 0xe0) ||
		    (th[UDP_HLEN + 1] != IPPROTO_IPIP &&
		    th[UDP_HLEN + 1] != IPPROTO_IPV6))
			return DROP_PROTO;
		tl = UDP_HLEN + GUE_HLEN + (uint32_t)(th[UDP_HLEN] & 0x1f) * 4;
		it->it_type = RS_TUN_GUE;
		it->it_port = ntohs(ld16(th + 2));
		*ret_len = tl;
		*ret_v = th[UDP_HLEN + 1] == IPPROTO_IPIP ? 4 : 6;
		return DROP_NONE;
	case IPPROTO_GRE:
		if (avail < 4)
			return DROP_ICMP_SHORT;
		f = ntohs(ld16(th));
		et = ntohs(ld16(th + 2));
		/* RFC 2784 as we send it: no routing, version 0. */
		if ((f & (GRE_F_ROUTING | GRE_VERSION)) ||
		    (et != ETH_P_IP4 && et != ETH_P_IP6))
			return DROP_ICMP_INNER;
		tl = 4 + ((f & GRE_F_CSUM) ? 4 : 0) + ((f & GRE_F_KEY) ? 4 : 0) +
		    ((f & GRE_F_SEQ) ? 4 : 0);
		it->it_type = RS_TUN_GRE;
		*ret_len = tl;
		*ret_v = et == ETH_P_IP4 ? 4 : 6;
		return DROP_NONE;
	}
	return DROP_PROTO;
}

int
icmp_parse_tun(const struct pkt *p, struct icmp_tun *ret)
{
	const uint8_t	*ic = p->p_l2 + p->p_l4off, *q;
	struct icmp_tun	 it;
	uint32_t	 len, avail, hl, tl, mtu;
	bool		 v6 = p->p_tuple.t_af == AF_INET6;
	uint8_t		 proto;
	int		 r, iv;

	memset(&it, 0, sizeof(it));
	if (p->p_l3len < (uint32_t)(p->p_l4off - p->p_l3off) + ICMP_HLEN)
		return DROP_ICMP_SHORT;
	if (v6 ? ic[0] != ICMP6_PACKET_TOO_BIG || ic[1] != 0 :
	    ic[0] != ICMP_DEST_UNREACH || ic[1] != ICMP_FRAG_NEEDED)
		return DROP_PROTO;
	if ((r = icmp_head(p, &len)) != DROP_NONE)
		return r;
	memcpy(&mtu, ic + 4, 4);
	it.it_mtu = v6 ? ntohl(mtu) : ntohs(ld16(ic + 6));
	q = ic + ICMP_HLEN;
	avail = len - ICMP_HLEN;
	/* The outer header we sent, from us to the real server. */
	if ((r = quote_ip(q, avail, v6 ? 6 : 4, &hl, &proto)) != DROP_NONE)
		return r;
	it.it_oaf = v6 ? AF_INET6 : AF_INET;
	memcpy(&it.it_rip, q + (v6 ? 24 : 16), v6 ? 16 : 4);
	q += hl;
	avail -= hl;
	if ((r = quote_tun(q, avail, proto, &it, &tl, &iv)) != DROP_NONE)
		return r;
	if (tl > avail)
		return DROP_ICMP_SHORT;
	q += tl;
	avail -= tl;
	/* The client's packet, as it came to the VIP. */
	if ((r = quote_ip(q, avail, iv, &hl, &proto)) != DROP_NONE)
		return r;
	if (proto != IPPROTO_TCP && proto != IPPROTO_UDP &&
	    proto != IPPROTO_SCTP)
		return DROP_ICMP_INNER;
	if (avail - hl < L4_QUOTE_MIN)
		return DROP_ICMP_SHORT;
	it.it_in3off = (uint16_t)(q - p->p_l2);
	it.it_inlen = (uint16_t)avail;
	it.it_tuple.t_af = iv == 6 ? AF_INET6 : AF_INET;
	it.it_tuple.t_proto = proto;
	memcpy(&it.it_tuple.t_src, q + (iv == 6 ? 8 : 12), iv == 6 ? 16 : 4);
	memcpy(&it.it_tuple.t_dst, q + (iv == 6 ? 24 : 16), iv == 6 ? 16 : 4);
	memcpy(&it.it_tuple.t_sport, q + hl, 2);
	memcpy(&it.it_tuple.t_dport, q + hl + 2, 2);
	*ret = it;
	return DROP_NONE;
}
