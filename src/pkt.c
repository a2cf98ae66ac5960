/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frame parsing and incremental checksum updates (pkt.h).  Frames sit in
 * the ring wherever the kernel put them, so multi-byte fields are read and
 * written with memcpy: no unaligned access, no aliasing games.  Checksums
 * work on 16-bit words as they lie in memory, as the kernel does: a one's
 * complement sum is the same in either byte order, so nothing is swapped.
 * Workers call it per packet; it never allocates, logs or calls the kernel.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "bytes.h"
#include "conn_sctp.h"
#include "crc32c.h"
#include "pkt.h"
#include "stats.h"
#include "util.h"

#define ETH_HLEN	14
#define ETH_P_IPV4	0x0800
#define ETH_P_IPV6	0x86dd
#define IP4_HLEN	20
#define IP6_HLEN	40
#define TCP_HLEN	20
#define UDP_HLEN	8
#define SCTP_HLEN	12	/* common header: ports, vtag, checksum */
#define SCTP_CHLEN	4	/* chunk header: type, flags, length */
#define SCTP_CSUM_OFF	8
#define IP4_MF		0x2000
#define IP4_OFFMASK	0x1fff
#define IP6_NH_HOPOPTS	0
#define IP6_NH_ROUTING	43
#define IP6_NH_FRAG	44
#define IP6_NH_DSTOPTS	60
#define IP6_NH_AUTH	51	/* AH: length in 4-byte units - 2 */
#define IP6_EXT_MAX	8	/* extension headers walked before giving up */

/* Fold to 16 bits with end-around carry, not complemented. */
static inline uint16_t
fold16(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/* ~m + m' for a 32-bit field, as two 16-bit words (RFC 1624 eqn. 3). */
static inline uint32_t
delta4(uint32_t from, uint32_t to)
{
	return (uint32_t)(uint16_t)~from + (uint16_t)~(from >> 16) +
	    (to & 0xffff) + (to >> 16);
}

/* Complete field at <f>: HC' = ~(~HC + ~m + m'). */
static inline void
replace2_at(uint8_t *f, uint16_t from, uint16_t to)
{
	st16(f, csum_fold((uint16_t)~ld16(f) + (uint16_t)~from + to));
}

static inline void
replace4_at(uint8_t *f, uint32_t from, uint32_t to)
{
	st16(f, csum_fold((uint16_t)~ld16(f) + delta4(from, to)));
}

/*
 * Partial field at <f> holds the uncomplemented pseudo-header sum, so eqn. 3
 * applies to ~field: field' = ~~(field + ~m + m'), i.e. the plain fold.
 */
static inline void
partial_replace4_at(uint8_t *f, uint32_t from, uint32_t to)
{
	st16(f, fold16(ld16(f) + delta4(from, to)));
}

uint32_t
csum_add_buf(uint32_t sum, const void *buf, uint32_t len)
{
	const uint8_t	*b = buf;
	uint64_t	 s = sum;
	uint32_t	 w;
	uint16_t	 h;
	uint8_t		 last[2];

	for (; len >= 4; b += 4, len -= 4) {
		memcpy(&w, b, sizeof(w));
		s += w;
	}
	if (len >= 2) {
		memcpy(&h, b, sizeof(h));
		s += h;
		b += 2;
		len -= 2;
	}
	if (len == 1) {
		/* The odd byte is the first of a word padded with zero. */
		last[0] = b[0];
		last[1] = 0;
		memcpy(&h, last, sizeof(h));
		s += h;
	}
	s = (s & 0xffffffff) + (s >> 32);
	s = (s & 0xffffffff) + (s >> 32);
	return (uint32_t)s;
}

uint16_t
csum_fold(uint32_t sum)
{
	return (uint16_t)~fold16(sum);
}

void
csum_replace2(uint16_t *field, uint16_t from, uint16_t to)
{
	replace2_at((uint8_t *)field, from, to);
}

void
csum_replace4(uint16_t *field, uint32_t from, uint32_t to)
{
	replace4_at((uint8_t *)field, from, to);
}

void
csum_partial_replace4(uint16_t *field, uint32_t from, uint32_t to)
{
	partial_replace4_at((uint8_t *)field, from, to);
}

static inline bool
vh_gso(const struct vnet_hdr *vh)
{
	return vh != NULL && vh->vh_gso_type != VNET_GSO_NONE;
}

static inline bool
vh_gso_udp_l4(const struct vnet_hdr *vh)
{
	return vh != NULL &&
	    (vh->vh_gso_type & ~VNET_GSO_ECN) == VNET_GSO_UDP_L4;
}

/*
 * The SCTP packet at <l4> (<l4len> bytes): a common header and at least
 * the first chunk's header, whose length stays inside.  The chunk that
 * drives the state is the first, unless an ABORT is bundled right after
 * a COOKIE ECHO or COOKIE ACK (IPVS's set_sctp_state()).
 */
static int
parse_sctp(struct pkt *p, const uint8_t *l4, uint32_t l4len)
{
	uint32_t	 clen, next;
	uint8_t		 type;

	if (l4len < SCTP_HLEN + SCTP_CHLEN)
		return DROP_SCTP_SHORT;
	type = l4[SCTP_HLEN];
	clen = ntohs(ld16(l4 + SCTP_HLEN + 2));
	if (clen < SCTP_CHLEN || clen > l4len - SCTP_HLEN)
		return DROP_BAD_SCTP_CHUNK;
	if (type == SCTP_CID_COOKIE_ECHO || type == SCTP_CID_COOKIE_ACK) {
		next = SCTP_HLEN + ((clen + 3) & ~3U);
		if (next + SCTP_CHLEN <= l4len &&
		    l4[next] == SCTP_CID_ABORT)
			type = SCTP_CID_ABORT;
	}
	p->p_sctp_chunk = type;
	/*
	 * Partial (NEEDS_CSUM, csum_offset 8): a CRC32c the sender left to
	 * a NETIF_F_SCTP_CRC device, which pkt_sctp_csum() computes.
	 */
	p->p_l4csum_off = p->p_l4off + SCTP_CSUM_OFF;
	return DROP_NONE;
}

/* TCP or UDP header at <l4> of a datagram with <l4len> bytes after L3. */
static int
parse_l4(struct pkt *p, const uint8_t *l4, uint32_t l4len,
    const struct vnet_hdr *vh)
{
	uint32_t	 doff, ulen;
	int		 r;

	switch (p->p_tuple.t_proto) {
	case IPPROTO_TCP:
		if (l4len < TCP_HLEN)
			return DROP_SHORT;
		doff = (uint32_t)(l4[12] >> 4) * 4;
		if (doff < TCP_HLEN || doff > l4len)
			return DROP_BAD_TCP_OFF;
		p->p_tcpflags = l4[13];
		p->p_l4csum_off = p->p_l4off + 16;
		break;
	case IPPROTO_UDP:
		if (l4len < UDP_HLEN)
			return DROP_SHORT;
		ulen = ntohs(ld16(l4 + 4));
		/* A UDP_L4 super-packet's length field is per segment. */
		if (!vh_gso_udp_l4(vh) && (ulen < UDP_HLEN || ulen > l4len))
			return DROP_BAD_UDP_LEN;
		p->p_l4csum_off = p->p_l4off + 6;
		break;
	case IPPROTO_SCTP:
		if ((r = parse_sctp(p, l4, l4len)) != DROP_NONE)
			return r;
		break;
	default:
		return DROP_PROTO;
	}
	memcpy(&p->p_tuple.t_sport, l4, 2);
	memcpy(&p->p_tuple.t_dport, l4 + 2, 2);
	return DROP_NONE;
}

static int
parse_ip4(struct pkt *p, uint8_t *ip, uint32_t avail,
    const struct vnet_hdr *vh)
{
	uint32_t	 ihl, tot;
	uint16_t	 frag;

	if (avail < IP4_HLEN)
		return DROP_SHORT;
	if (ip[0] >> 4 != 4)
		return DROP_BAD_VERSION;
	ihl = (uint32_t)(ip[0] & 0x0f) * 4;
	if (ihl < IP4_HLEN || ihl > avail)
		return DROP_BAD_IHL;
	tot = ntohs(ld16(ip + 2));
	if (tot == 0) {
		/* BIG TCP: a super-packet longer than 64 KiB. */
		if (!vh_gso(vh))
			return DROP_BAD_LEN;
		tot = avail;
	}
	/* Beyond tot_len lies Ethernet padding, not data. */
	if (tot < ihl || tot > avail)
		return DROP_BAD_LEN;
	p->p_l3len = tot;
	p->p_l4off = p->p_l3off + ihl;
	p->p_tuple.t_af = AF_INET;
	p->p_tuple.t_proto = ip[9];
	memcpy(&p->p_tuple.t_src.w[0], ip + 12, 4);
	memcpy(&p->p_tuple.t_dst.w[0], ip + 16, 4);
	frag = ntohs(ld16(ip + 6));
	if (frag & (IP4_MF | IP4_OFFMASK))
		return DROP_FRAG;
	return parse_l4(p, ip + ihl, tot - ihl, vh);
}

/*
 * Walk the extension headers of the IPv6 packet at <ip> (<plen> payload
 * bytes after the fixed header) up to the upper-layer header, as the
 * kernel's ipv6_skip_exthdr() does for what a director sees: hop-by-hop,
 * destination options and routing headers are skipped, a routing header
 * with segments left is not for us, and a fragment header is a counted
 * drop, since the fanout's DEFRAG reassembles IPv4 only (afpacket.md
 * §8.11).  AH is skipped too, as IPVS's ipv6_find_hdr() skips it, so the
 * protocol it protects (TCP, UDP, ESP, ...) decides; a nat rewrite
 * breaks its integrity check, as with IPVS.  Returns DROP_NONE with the
 * upper protocol in <ret_nh> and its offset from <ip> in <ret_off>, or a
 * DROP_* reason.
 */
static int
skip_ext6(const uint8_t *ip, uint32_t plen, uint8_t *ret_nh,
    uint32_t *ret_off)
{
	uint32_t	 off = IP6_HLEN, end = IP6_HLEN + plen, hlen;
	uint8_t		 nh = ip[6];
	unsigned	 n;

	for (n = 0; n < IP6_EXT_MAX; n++) {
		switch (nh) {
		case IP6_NH_HOPOPTS:
		case IP6_NH_DSTOPTS:
		case IP6_NH_ROUTING:
		case IP6_NH_AUTH:
			break;
		case IP6_NH_FRAG:
			return DROP_FRAG6;
		default:
			*ret_nh = nh;
			*ret_off = off;
			return DROP_NONE;
		}
		/* Hop-by-hop only right after the fixed header (RFC 8200). */
		if (nh == IP6_NH_HOPOPTS && off != IP6_HLEN)
			return DROP_IP6_EXT;
		if (end - off < 8)
			return DROP_SHORT;
		hlen = nh == IP6_NH_AUTH ? ((uint32_t)ip[off + 1] + 2) * 4 :
		    ((uint32_t)ip[off + 1] + 1) * 8;
		if (hlen > end - off)
			return DROP_SHORT;
		/* Segments left: the packet is on its way elsewhere. */
		if (nh == IP6_NH_ROUTING && ip[off + 3] != 0)
			return DROP_IP6_EXT;
		nh = ip[off];
		off += hlen;
	}
	return DROP_IP6_EXT;
}

static int
parse_ip6(struct pkt *p, uint8_t *ip, uint32_t avail,
    const struct vnet_hdr *vh)
{
	uint32_t	 plen, off;
	uint8_t		 nh;
	int		 r;

	if (avail < IP6_HLEN)
		return DROP_SHORT;
	if (ip[0] >> 4 != 6)
		return DROP_BAD_VERSION;
	plen = ntohs(ld16(ip + 4));
	if (plen == 0) {
		/* A jumbogram would carry its length in hop-by-hop. */
		if (!vh_gso(vh))
			return DROP_BAD_LEN;
		plen = avail - IP6_HLEN;
	}
	if (plen > avail - IP6_HLEN)
		return DROP_BAD_LEN;
	p->p_l3len = IP6_HLEN + plen;
	p->p_tuple.t_af = AF_INET6;
	memcpy(&p->p_tuple.t_src, ip + 8, 16);
	memcpy(&p->p_tuple.t_dst, ip + 24, 16);
	if ((r = skip_ext6(ip, plen, &nh, &off)) != DROP_NONE)
		return r;
	p->p_l4off = (uint16_t)(p->p_l3off + off);
	p->p_tuple.t_proto = nh;
	if ((r = parse_l4(p, ip + off, IP6_HLEN + plen - off, vh)) != DROP_NONE)
		return r;
	/* RFC 8200 8.1: UDP over IPv6 must carry a checksum. */
	if (nh == IPPROTO_UDP && !p->p_csum_partial &&
	    ld16(p->p_l2 + p->p_l4csum_off) == 0)
		return DROP_UDP6_CSUM0;
	return DROP_NONE;
}

int
pkt_parse(struct pkt *p, uint8_t *frame, uint32_t len, struct vnet_hdr *vh)
{
	p->p_l2 = frame;
	p->p_len = len;
	p->p_vnet = vh;
	p->p_l3off = ETH_HLEN;
	p->p_l4off = 0;
	p->p_l3len = 0;
	p->p_l4csum_off = 0;
	p->p_csum_partial = vh != NULL && (vh->vh_flags & VNET_F_NEEDS_CSUM);
	p->p_tcpflags = 0;
	p->p_sctp_chunk = 0;
	p->p_ethertype = 0;
	memset(&p->p_tuple, 0, sizeof(p->p_tuple));
	if (unlikely(len < ETH_HLEN))
		return DROP_SHORT;
	p->p_ethertype = ld16(frame + 12);
	switch (ntohs(p->p_ethertype)) {
	case ETH_P_IPV4:
		return parse_ip4(p, frame + ETH_HLEN, len - ETH_HLEN, vh);
	case ETH_P_IPV6:
		return parse_ip6(p, frame + ETH_HLEN, len - ETH_HLEN, vh);
	default:
		return DROP_NOT_IP;
	}
}

void
pkt_rewrite4(struct pkt *p, bool dst, uint32_t addr, uint16_t port)
{
	uint8_t		*ip = p->p_l2 + p->p_l3off;
	uint8_t		*l4 = p->p_l2 + p->p_l4off;
	uint8_t		*ck = p->p_l2 + p->p_l4csum_off;
	uint8_t		*a = ip + (dst ? 16 : 12);
	uint8_t		*pt = l4 + (dst ? 2 : 0);
	uint32_t	 oaddr = ld32(a);
	uint16_t	 oport = ld16(pt);
	bool		 udp = p->p_tuple.t_proto == IPPROTO_UDP;

	st32(a, addr);
	st16(pt, port);
	replace4_at(ip + 10, oaddr, addr);
	if (p->p_tuple.t_proto == IPPROTO_SCTP) {
		/* No pseudo-header: the CRC covers the SCTP packet only. */
		if (port != oport || p->p_csum_partial)
			pkt_sctp_csum(p);
	} else if (p->p_csum_partial) {
		/* The device sums the ports; only the pseudo-header is ours. */
		partial_replace4_at(ck, oaddr, addr);
	} else if (!udp || ld16(ck) != 0) {
		/* UDP over IPv4 with checksum 0 has none: keep it so. */
		replace4_at(ck, oaddr, addr);
		replace2_at(ck, oport, port);
		if (udp && ld16(ck) == 0)
			st16(ck, 0xffff);	/* RFC 768: 0 means "none" */
	}
	if (dst) {
		p->p_tuple.t_dst.w[0] = addr;
		p->p_tuple.t_dport = port;
	} else {
		p->p_tuple.t_src.w[0] = addr;
		p->p_tuple.t_sport = port;
	}
}

/* ~m + m' over the eight 16-bit words of a 128-bit field. */
static inline uint32_t
delta16(const uint8_t *from, const uint8_t *to)
{
	uint32_t	 sum = 0;
	unsigned	 i;

	for (i = 0; i < 16; i += 4)
		sum += delta4(ld32(from + i), ld32(to + i));
	return sum;
}

static void
rewrite6(struct pkt *p, bool dst, const union inaddr *addr, uint16_t port)
{
	uint8_t		*ip = p->p_l2 + p->p_l3off;
	uint8_t		*l4 = p->p_l2 + p->p_l4off;
	uint8_t		*ck = p->p_l2 + p->p_l4csum_off;
	uint8_t		*a = ip + (dst ? 24 : 8);
	uint8_t		*pt = l4 + (dst ? 2 : 0);
	uint8_t		 oaddr[16];
	uint16_t	 oport = ld16(pt);
	uint32_t	 d;

	memcpy(oaddr, a, 16);
	memcpy(a, addr->b, 16);
	st16(pt, port);
	d = delta16(oaddr, addr->b);
	/* No header checksum in IPv6: only the pseudo-header moves. */
	if (p->p_tuple.t_proto == IPPROTO_SCTP) {
		if (port != oport || p->p_csum_partial)
			pkt_sctp_csum(p);
	} else if (p->p_csum_partial) {
		st16(ck, fold16(ld16(ck) + fold16(d)));
	} else {
		st16(ck, csum_fold((uint16_t)~ld16(ck) + fold16(d)));
		replace2_at(ck, oport, port);
		/* Both UDPs: a computed 0 is sent as 0xffff (RFC 8200 8.1). */
		if (p->p_tuple.t_proto == IPPROTO_UDP && ld16(ck) == 0)
			st16(ck, 0xffff);
	}
	if (dst) {
		p->p_tuple.t_dst = *addr;
		p->p_tuple.t_dport = port;
	} else {
		p->p_tuple.t_src = *addr;
		p->p_tuple.t_sport = port;
	}
}

void
pkt_rewrite(struct pkt *p, bool dst, const union inaddr *addr, uint16_t port)
{
	if (p->p_tuple.t_af == AF_INET)
		pkt_rewrite4(p, dst, addr->w[0], port);
	else
		rewrite6(p, dst, addr, port);
}

/* The CRC32c of the SCTP packet in <p>, its checksum field taken as 0. */
static uint32_t
sctp_crc(const struct pkt *p)
{
	const uint8_t	*l4 = p->p_l2 + p->p_l4off;
	uint32_t	 len = p->p_l3len - (p->p_l4off - p->p_l3off);
	static const uint8_t zero[4];
	uint32_t	 c;

	c = crc32c_update(~0U, l4, SCTP_CSUM_OFF);
	c = crc32c_update(c, zero, sizeof(zero));
	c = crc32c_update(c, l4 + SCTP_HLEN, len - SCTP_HLEN);
	return ~c;
}

/* <v> as SCTP stores its checksum: least significant byte first. */
static void
st32le(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

void
pkt_sctp_csum(struct pkt *p)
{
	st32le(p->p_l2 + p->p_l4off + SCTP_CSUM_OFF, sctp_crc(p));
	if (p->p_csum_partial) {
		p->p_vnet->vh_flags &= (uint8_t)~VNET_F_NEEDS_CSUM;
		p->p_csum_partial = false;
	}
}

void
pkt_rewrite_addr(struct pkt *p, bool dst, const union inaddr *a)
{
	uint8_t		*ip = p->p_l2 + p->p_l3off;
	uint32_t	 old;

	if (p->p_tuple.t_af == AF_INET) {
		old = ld32(ip + (dst ? 16 : 12));
		st32(ip + (dst ? 16 : 12), a->w[0]);
		replace4_at(ip + 10, old, a->w[0]);
	} else
		memcpy(ip + (dst ? 24 : 8), a->b, 16);
	if (dst)
		p->p_tuple.t_dst = *a;
	else
		p->p_tuple.t_src = *a;
}

bool
pkt_ttl_dec(struct pkt *p)
{
	uint8_t		*ip = p->p_l2 + p->p_l3off;

	if (p->p_tuple.t_af == AF_INET)
		return pkt_ttl_dec4(p);
	/* The hop limit is not under any checksum. */
	if (ip[7] <= 1)
		return false;
	ip[7]--;
	return true;
}

bool
pkt_ttl_dec4(struct pkt *p)
{
	uint8_t		*ip = p->p_l2 + p->p_l3off;
	uint16_t	 from, to;

	if (ip[8] <= 1)
		return false;
	/* TTL shares its checksum word with the protocol. */
	from = ld16(ip + 8);
	ip[8]--;
	to = ld16(ip + 8);
	replace2_at(ip + 10, from, to);
	return true;
}

bool
pkt_l4csum_ok(const struct pkt *p)
{
	const uint8_t	*l4 = p->p_l2 + p->p_l4off;
	uint8_t		 ph[40], *q;
	uint32_t	 len, nlen;
	size_t		 alen;

	if (p->p_csum_partial)
		return true;
	len = p->p_l3len - (p->p_l4off - p->p_l3off);
	if (p->p_tuple.t_proto == IPPROTO_SCTP) {
		uint8_t	 want[4];

		st32le(want, sctp_crc(p));
		return memcmp(want, l4 + SCTP_CSUM_OFF, 4) == 0;
	}
	if (p->p_tuple.t_proto == IPPROTO_UDP) {
		if (p->p_tuple.t_af == AF_INET &&
		    ld16(p->p_l2 + p->p_l4csum_off) == 0)
			return true;
		/* The datagram ends where UDP says, not where IP does. */
		if (!vh_gso_udp_l4(p->p_vnet))
			len = ntohs(ld16(l4 + 4));
	}
	/* Both pseudo-headers sum to addresses + 32-bit length + proto. */
	alen = p->p_tuple.t_af == AF_INET ? 4 : 16;
	memcpy(ph, &p->p_tuple.t_src, alen);
	memcpy(ph + alen, &p->p_tuple.t_dst, alen);
	q = ph + 2 * alen;
	nlen = htonl(len);
	memcpy(q, &nlen, 4);
	q[4] = q[5] = q[6] = 0;
	q[7] = p->p_tuple.t_proto;
	return csum_fold(csum_add_buf(csum_add_buf(0, ph, 2 * alen + 8), l4,
	    len)) == 0;
}

bool
pkt_ip4csum_ok(const struct pkt *p)
{
	const uint8_t	*ip = p->p_l2 + p->p_l3off;

	/* IPv6 has no header checksum, hence nothing that can be right. */
	if (p->p_tuple.t_af != AF_INET)
		return false;
	return csum_fold(csum_add_buf(0, ip, (ip[0] & 0x0f) * 4)) == 0;
}
