/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICMP errors (icmp.c) and their relay by the methods (xmit/dr.c,
 * xmit/nat.c).  Each case builds an error quoting a packet of a
 * connection, lets the method rewrite it, and compares the result byte
 * for byte with the error built from scratch, with every checksum
 * computed anew (outer and quoted IPv4 headers, the quoted TCP/UDP
 * checksum when quoted, the ICMP checksum and ICMPv6's pseudo-header):
 * so every incremental update is checked against a full computation.
 * A partial ICMPv6 checksum is completed as a device would before the
 * comparison.  Fullnat translates both ends of the quote, and puts a
 * client's quoted sequence number back where its PROXY header shifted
 * it.  Malformed errors are refused with their reasons.  Fragmentation
 * needed about a tunnel packet (ipip, gue, gre; IPv4 and IPv6 outer)
 * lowers the real server's path MTU and sends the client an error built
 * from scratch here: the frame queued is decoded and checked.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "daemon.h"
#include "icmp.h"
#include "iface.h"
#include "pkt.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

#define FRAME_MAX	512
#define PAYLEN		24

static const uint8_t	 rs_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t	 cl_mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
static struct iface	 ifs[2] = {
	{ .if_name = "c0", .if_index = 2, .if_mac = { 2, 0, 0, 0, 0xc, 0 } },
	{ .if_name = "s0", .if_index = 3, .if_mac = { 2, 0, 0, 0, 0x5, 0 } },
};
static struct uvsd	 ud;
static struct worker	 wk = { .w_d = &ud };

/* Addresses of the connection and of the router that sends the error. */
struct addrs {
	const char	*cip, *vip, *rip, *router, *lip;
};
static const struct addrs a4 = { "198.51.100.7", "203.0.113.20",
    "10.0.2.11", "192.0.2.254", "10.0.2.1" };
static const struct addrs a6 = { "2001:db8:c::7", "2001:db8:f::20",
    "fd00:2::11", "2001:db8:1::fe", "fd00:2::1" };
#define CPORT	40000
#define VPORT	9000
#define RPORT	8080
#define LPORT	61000
#define PSEQ	1000		/* fullnat: the client's first data */
#define PPLEN	16		/* fullnat: PROXY header bytes */

/* The TCP sequence number mkpkt() writes. */
static uint32_t	 mk_seq;

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

/* RFC 1071 over big-endian words, byte by byte: the naive reference. */
static uint16_t
ref_csum(uint32_t sum, const uint8_t *b, uint32_t len)
{
	uint32_t	 i;

	for (i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (len & 1)
		sum += (uint32_t)b[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static uint32_t
ref_sum_addrs(const uint8_t *src, const uint8_t *dst, size_t alen)
{
	return (uint32_t)(0xffff & ~ref_csum(0, src, (uint32_t)alen)) +
	    (uint32_t)(0xffff & ~ref_csum(0, dst, (uint32_t)alen));
}

/* An IP packet src:sport -> dst:dport, checksums complete; its length. */
static uint32_t
mkpkt(uint8_t *ip, int af, int proto, const char *src, uint16_t sport,
    const char *dst, uint16_t dport, bool udp0)
{
	uint32_t	 hl = af == AF_INET ? 20 : 40, l4 = proto == IPPROTO_TCP ?
			    20 : proto == IPPROTO_SCTP ? 12 : 8, i, sum;
	size_t		 alen = af == AF_INET ? 4 : 16;
	uint8_t		*th = ip + hl, *s, *d;
	uint16_t	 c;

	memset(ip, 0, hl + l4 + PAYLEN);
	if (af == AF_INET) {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(hl + l4 + PAYLEN));
		put16(ip + 4, 0x4242);
		ip[8] = 61;
		ip[9] = (uint8_t)proto;
		s = ip + 12;
		d = ip + 16;
	} else {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)(l4 + PAYLEN));
		ip[6] = (uint8_t)proto;
		ip[7] = 61;
		s = ip + 8;
		d = ip + 24;
	}
	inet_pton(af, src, s);
	inet_pton(af, dst, d);
	if (af == AF_INET)
		put16(ip + 10, ref_csum(0, ip, 20));
	put16(th, sport);
	put16(th + 2, dport);
	if (proto == IPPROTO_TCP) {
		put16(th + 4, (uint16_t)(mk_seq >> 16));
		put16(th + 6, (uint16_t)mk_seq);
		th[12] = 5 << 4;
		th[13] = TCPF_ACK;
	} else if (proto == IPPROTO_SCTP) {
		/* Its CRC32c is relayed as it is: a fixed value will do. */
		memcpy(th + 4, "\x01\x02\x03\x04\xde\xad\xbe\xef", 8);
	} else
		put16(th + 4, (uint16_t)(l4 + PAYLEN));
	for (i = 0; i < PAYLEN; i++)
		th[l4 + i] = (uint8_t)(i * 13 + 1);
	if (udp0 || proto == IPPROTO_SCTP)
		return hl + l4 + PAYLEN;
	sum = ref_sum_addrs(s, d, alen) + (uint32_t)proto + l4 + PAYLEN;
	c = ref_csum(sum, th, l4 + PAYLEN);
	if (proto == IPPROTO_UDP && c == 0)
		c = 0xffff;
	put16(th + (proto == IPPROTO_TCP ? 16 : 6), c);
	return hl + l4 + PAYLEN;
}

/*
 * Ethernet + IP src -> dst + ICMP error (type, code) quoting <qlen>
 * bytes of <quote>; ICMPv6 with <partial> holds the pseudo-header sum
 * only, as a device expects it.  Returns the frame's length.
 */
static uint32_t
mkerr(uint8_t *f, int af, uint8_t type, uint8_t code, const char *src,
    const char *dst, uint8_t ttl, const uint8_t *quote, uint32_t qlen,
    bool partial)
{
	uint32_t	 hl = af == AF_INET ? 20 : 40, ilen = 8 + qlen, sum;
	uint8_t		*ip = f + 14, *ic = ip + hl, *s, *d;
	uint16_t	 c;

	memset(f, 0, 14 + hl + ilen);
	memcpy(f, ifs[0].if_mac, 6);
	memcpy(f + 6, cl_mac, 6);
	put16(f + 12, af == AF_INET ? 0x0800 : 0x86dd);
	if (af == AF_INET) {
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(hl + ilen));
		ip[8] = ttl;
		ip[9] = IPPROTO_ICMP;
		s = ip + 12;
		d = ip + 16;
	} else {
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)ilen);
		ip[6] = IPPROTO_ICMPV6;
		ip[7] = ttl;
		s = ip + 8;
		d = ip + 24;
	}
	inet_pton(af, src, s);
	inet_pton(af, dst, d);
	if (af == AF_INET)
		put16(ip + 10, ref_csum(0, ip, 20));
	ic[0] = type;
	ic[1] = code;
	if (type == 3 && code == 4)
		put16(ic + 6, 1400);		/* next-hop MTU */
	if (af == AF_INET6 && type == 2)
		put16(ic + 6, 1400);		/* MTU, 32 bits */
	memcpy(ic + 8, quote, qlen);
	sum = 0;
	if (af == AF_INET6)
		sum = ref_sum_addrs(s, d, 16) + IPPROTO_ICMPV6 + ilen;
	if (partial)
		c = (uint16_t)~ref_csum(sum, NULL, 0);
	else
		c = ref_csum(sum, ic, ilen);
	put16(ic + 2, c);
	return 14 + hl + ilen;
}

struct fixture {
	struct rs_state	 rss;
	struct svc_state svs;
	struct conn	 c;
	struct vnet_hdr	 vh;
	struct pkt	 p;
	uint8_t		 frame[FRAME_MAX];
	uint8_t		 want[FRAME_MAX];
};

static void
fixture_init(struct fixture *fx, int af, int method, int proto)
{
	const struct addrs *a = af == AF_INET ? &a4 : &a6;
	struct tuple	*in = &fx->c.c_tuple[CONN_IN];
	struct tuple	*out = &fx->c.c_tuple[CONN_OUT];

	memset(fx, 0, sizeof(*fx));
	fx->rss.rss_nh = NH_MAKE(nh_mac_pack(rs_mac), 1);
	fx->c.c_rs = &fx->rss;
	fx->c.c_svc = &fx->svs;
	fx->c.c_method = (uint8_t)method;
	fx->c.c_ciface = 0;
	memcpy(fx->c.c_cmac, cl_mac, 6);
	in->t_af = out->t_af = (uint8_t)af;
	in->t_proto = out->t_proto = (uint8_t)proto;
	inet_pton(af, a->cip, &in->t_src);
	inet_pton(af, a->vip, &in->t_dst);
	in->t_sport = htons(CPORT);
	in->t_dport = htons(VPORT);
	inet_pton(af, method == XMIT_DR ? a->vip : a->rip, &out->t_src);
	inet_pton(af, method == XMIT_FULLNAT ? a->lip : a->cip, &out->t_dst);
	out->t_sport = htons(method == XMIT_DR ? VPORT : RPORT);
	out->t_dport = htons(method == XMIT_FULLNAT ? LPORT : CPORT);
}

enum { TO_RS, TO_CLIENT };

static const struct {
	const char	*name;
	int		 af, method, proto, dir;
	uint8_t		 type, code;
	uint32_t	 qlen;		/* quoted bytes; 0: the whole packet */
	bool		 partial;	/* ICMPv6 checksum left to the device */
	bool		 udp0;		/* quoted UDP without checksum */
	bool		 proxy;		/* fullnat: PROXY header sent, seq shifted */
} cases[] = {
	{ "4 nat udp port unreachable",	AF_INET, XMIT_NAT, IPPROTO_UDP,
	    TO_CLIENT, 3, 3, 0, false, false, false },
	{ "4 nat udp no checksum",	AF_INET, XMIT_NAT, IPPROTO_UDP,
	    TO_CLIENT, 3, 3, 0, false, true, false },
	{ "4 nat tcp from a router",	AF_INET, XMIT_NAT, IPPROTO_TCP,
	    TO_CLIENT, 11, 0, 28, false, false, false },
	{ "4 nat tcp frag needed",	AF_INET, XMIT_NAT, IPPROTO_TCP,
	    TO_RS, 3, 4, 0, false, false, false },
	{ "4 nat tcp 8 bytes quoted",	AF_INET, XMIT_NAT, IPPROTO_TCP,
	    TO_RS, 3, 4, 28, false, false, false },
	{ "4 nat udp ttl exceeded",	AF_INET, XMIT_NAT, IPPROTO_UDP,
	    TO_RS, 11, 0, 0, false, false, false },
	{ "4 nat udp source quench",	AF_INET, XMIT_NAT, IPPROTO_UDP,
	    TO_RS, 4, 0, 28, false, false, false },
	{ "4 dr tcp frag needed",	AF_INET, XMIT_DR, IPPROTO_TCP,
	    TO_RS, 3, 4, 0, false, false, false },
	{ "4 dr udp host unreachable",	AF_INET, XMIT_DR, IPPROTO_UDP,
	    TO_RS, 3, 1, 0, false, false, false },
	{ "6 nat udp port unreachable",	AF_INET6, XMIT_NAT, IPPROTO_UDP,
	    TO_CLIENT, 1, 4, 0, false, false, false },
	{ "6 nat tcp packet too big",	AF_INET6, XMIT_NAT, IPPROTO_TCP,
	    TO_RS, 2, 0, 0, false, false, false },
	{ "6 nat tcp partial",		AF_INET6, XMIT_NAT, IPPROTO_TCP,
	    TO_RS, 2, 0, 0, true, false, false },
	{ "6 nat udp partial to client", AF_INET6, XMIT_NAT, IPPROTO_UDP,
	    TO_CLIENT, 3, 0, 48, true, false, false },
	{ "6 nat tcp time exceeded",	AF_INET6, XMIT_NAT, IPPROTO_TCP,
	    TO_CLIENT, 3, 0, 48, false, false, false },
	{ "6 dr udp packet too big",	AF_INET6, XMIT_DR, IPPROTO_UDP,
	    TO_RS, 2, 0, 0, false, false, false },
	{ "4 nat sctp port unreachable", AF_INET, XMIT_NAT, IPPROTO_SCTP,
	    TO_CLIENT, 3, 3, 0, false, false, false },
	{ "4 nat sctp frag needed",	AF_INET, XMIT_NAT, IPPROTO_SCTP,
	    TO_RS, 3, 4, 0, false, false, false },
	{ "4 dr sctp frag needed",	AF_INET, XMIT_DR, IPPROTO_SCTP,
	    TO_RS, 3, 4, 0, false, false, false },
	{ "6 nat sctp packet too big",	AF_INET6, XMIT_NAT, IPPROTO_SCTP,
	    TO_RS, 2, 0, 0, false, false, false },
	{ "6 nat sctp port unreachable", AF_INET6, XMIT_NAT, IPPROTO_SCTP,
	    TO_CLIENT, 1, 4, 0, false, false, false },
	{ "4 fullnat tcp frag needed",	AF_INET, XMIT_FULLNAT, IPPROTO_TCP,
	    TO_RS, 3, 4, 0, false, false, false },
	{ "4 fullnat udp port unreachable", AF_INET, XMIT_FULLNAT, IPPROTO_UDP,
	    TO_CLIENT, 3, 3, 0, false, false, false },
	{ "4 fullnat tcp proxy seq",	AF_INET, XMIT_FULLNAT, IPPROTO_TCP,
	    TO_CLIENT, 3, 1, 0, false, false, true },
	{ "4 fullnat tcp proxy 8 bytes", AF_INET, XMIT_FULLNAT, IPPROTO_TCP,
	    TO_CLIENT, 11, 0, 28, false, false, true },
	{ "6 fullnat tcp packet too big", AF_INET6, XMIT_FULLNAT, IPPROTO_TCP,
	    TO_RS, 2, 0, 0, false, false, true },
	{ "6 fullnat udp partial",	AF_INET6, XMIT_FULLNAT, IPPROTO_UDP,
	    TO_CLIENT, 1, 4, 0, true, false, false },
};

/* Complete a partial ICMPv6 checksum as the device would. */
static void
device_complete(uint8_t *f, uint32_t len)
{
	uint8_t		*ic = f + 14 + 40;
	uint16_t	 c;

	c = ref_csum(0, ic, len - 14 - 40);
	put16(ic + 2, c);
}

static void
check_case(size_t i)
{
	const struct addrs *a = cases[i].af == AF_INET ? &a4 : &a6;
	const struct xmit_ops *xo = xmit_get(cases[i].method);
	struct fixture	 fx;
	struct icmp_err	 ie;
	uint8_t		 q[128], wq[128];
	uint32_t	 qlen, wqlen, len, wlen;
	unsigned	 egress = 99;
	int		 af = cases[i].af, proto = cases[i].proto;
	bool		 to_rs = cases[i].dir == TO_RS;
	bool		 nat = cases[i].method != XMIT_DR;
	bool		 full = cases[i].method == XMIT_FULLNAT;
	uint32_t	 seq = 5000;
	int		 r;

	fixture_init(&fx, af, cases[i].method, proto);
	if (cases[i].proto == IPPROTO_TCP && cases[i].proxy) {
		fx.c.c_ppflags = CONN_PP_ON | CONN_PP_SENT;
		fx.c.c_pseq = PSEQ;
		fx.c.c_pplen = PPLEN;
	}
	/*
	 * to_rs: the error is about what the VIP sent the client (as it
	 * left us), and the real server must see its own packet quoted;
	 * to the client: about what the client sent the real server (as we
	 * rewrote it), and the client must see its own packet quoted.
	 */
	/*
	 * fullnat: the real server sees LIP:lport instead of the client,
	 * and the client's sequence numbers past its PROXY header shifted.
	 */
	if (to_rs) {
		mk_seq = seq;
		qlen = mkpkt(q, af, proto, a->vip, VPORT, a->cip, CPORT,
		    cases[i].udp0);
		wqlen = mkpkt(wq, af, proto, nat ? a->rip : a->vip,
		    nat ? RPORT : VPORT, full ? a->lip : a->cip,
		    full ? LPORT : CPORT, cases[i].udp0);
		len = mkerr(fx.frame, af, cases[i].type, cases[i].code,
		    a->router, a->vip, 50, q, cases[i].qlen ? cases[i].qlen :
		    qlen, cases[i].partial);
		wlen = mkerr(fx.want, af, cases[i].type, cases[i].code,
		    full ? a->lip : a->router, nat ? a->rip : a->vip, 50, wq,
		    cases[i].qlen ? cases[i].qlen : wqlen, false);
	} else {
		mk_seq = seq + (cases[i].proxy ? PPLEN : 0);
		qlen = mkpkt(q, af, proto, full ? a->lip : a->cip,
		    full ? LPORT : CPORT, a->rip, RPORT, cases[i].udp0);
		mk_seq = seq;
		wqlen = mkpkt(wq, af, proto, a->cip, CPORT, a->vip, VPORT,
		    cases[i].udp0);
		len = mkerr(fx.frame, af, cases[i].type, cases[i].code,
		    a->router, full ? a->lip : a->cip, 50, q, cases[i].qlen ?
		    cases[i].qlen : qlen, cases[i].partial);
		wlen = mkerr(fx.want, af, cases[i].type, cases[i].code,
		    a->vip, a->cip, 49, wq, cases[i].qlen ? cases[i].qlen :
		    wqlen, false);
	}
	if (cases[i].partial)
		fx.vh.vh_flags = VNET_F_NEEDS_CSUM;
	assert_int_equal(pkt_parse(&fx.p, fx.frame, len, &fx.vh), DROP_PROTO);
	assert_true(icmp_is(&fx.p));
	r = icmp_parse(&fx.p, &ie);
	if (r != DROP_NONE)
		fail_msg("%s: icmp_parse %d", cases[i].name, r);
	assert_int_equal(ie.ie_type, cases[i].type);
	assert_int_equal(ie.ie_code, cases[i].code);
	assert_memory_equal(&ie.ie_tuple, &fx.c.c_tuple[to_rs ? CONN_IN :
	    CONN_OUT], sizeof(ie.ie_tuple));
	if (to_rs)
		r = xo->icmp_in(&wk, &fx.p, &ie, &fx.c, &egress);
	else if (xo->icmp_out == NULL)
		fail_msg("%s: no icmp_out", cases[i].name);
	else
		r = xo->icmp_out(&wk, &fx.p, &ie, &fx.c, &egress);
	assert_int_equal(r, DROP_NONE);
	assert_int_equal(egress, to_rs ? 1 : 0);
	assert_memory_equal(fx.frame, to_rs ? rs_mac : cl_mac, 6);
	assert_memory_equal(fx.frame + 6, ifs[to_rs ? 1 : 0].if_mac, 6);
	if (cases[i].partial)
		device_complete(fx.frame, len);
	assert_int_equal(len, wlen);
	if (memcmp(fx.frame + 12, fx.want + 12, len - 12) != 0) {
		uint32_t k;

		for (k = 12; k < len && fx.frame[k] == fx.want[k]; k++)
			;
		fail_msg("%s: byte %u is %#x, want %#x", cases[i].name, k,
		    fx.frame[k], fx.want[k]);
	}
	/* A relayed error parses as the flow it is about from its new side. */
	if (!cases[i].partial) {
		assert_int_equal(pkt_parse(&fx.p, fx.frame, len, NULL),
		    DROP_PROTO);
		assert_int_equal(icmp_parse(&fx.p, &ie), DROP_NONE);
		assert_true(icmp_csum_ok(&fx.p, &ie));
	}
}

static void
test_icmp_relay_cases(void **state)
{
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		check_case(i);
}

static void
test_icmp_dr_has_no_out(void **state)
{
	(void)state;
	assert_null(xmit_dr.icmp_out);
	assert_non_null(xmit_dr.icmp_in);
	assert_non_null(xmit_nat.icmp_in);
	assert_non_null(xmit_nat.icmp_out);
	assert_non_null(xmit_fullnat.icmp_in);
	assert_non_null(xmit_fullnat.icmp_out);
}

static void
test_icmp_nat_out_ttl_expired(void **state)
{
	struct fixture	 fx;
	struct icmp_err	 ie;
	uint8_t		 q[128];
	uint32_t	 qlen, len;
	unsigned	 egress;

	(void)state;
	fixture_init(&fx, AF_INET, XMIT_NAT, IPPROTO_UDP);
	qlen = mkpkt(q, AF_INET, IPPROTO_UDP, a4.cip, CPORT, a4.rip, RPORT,
	    false);
	len = mkerr(fx.frame, AF_INET, 3, 3, a4.rip, a4.cip, 1, q, qlen,
	    false);
	assert_int_equal(pkt_parse(&fx.p, fx.frame, len, NULL), DROP_PROTO);
	assert_int_equal(icmp_parse(&fx.p, &ie), DROP_NONE);
	assert_int_equal(xmit_nat.icmp_out(&wk, &fx.p, &ie, &fx.c, &egress),
	    DROP_TTL);
}

/* Malformed or unrelated messages: one mangled byte each. */
static const struct {
	const char	*name;
	int		 af;
	uint8_t		 type;
	uint32_t	 qlen;		/* 0: the whole quote */
	int		 off;		/* byte to set, from the ICMP header; -1 */
	uint8_t		 val;
	bool		 fix_csum;	/* recompute the ICMP checksum after */
	int		 ret;
} bad[] = {
	{ "good",		AF_INET, 3, 0,  -1, 0, true, DROP_NONE },
	{ "echo request",	AF_INET, 8, 0,  -1, 0, true, DROP_PROTO },
	{ "echo reply",		AF_INET, 0, 0,  -1, 0, true, DROP_PROTO },
	{ "redirect",		AF_INET, 5, 0,  -1, 0, true, DROP_PROTO },
	{ "bad checksum",	AF_INET, 3, 0,  2, 0x5a, false, DROP_ICMP_CSUM },
	{ "quote 7 bytes of l4", AF_INET, 3, 27, -1, 0, true, DROP_ICMP_SHORT },
	{ "quote 19 bytes",	AF_INET, 3, 19, -1, 0, true, DROP_ICMP_SHORT },
	{ "no quote",		AF_INET, 3, 0,  -2, 0, true, DROP_ICMP_SHORT },
	{ "quote version 6",	AF_INET, 3, 0,  8, 0x65, true, DROP_ICMP_INNER },
	{ "quote ihl 4",	AF_INET, 3, 0,  8, 0x44, true, DROP_ICMP_INNER },
	{ "quote ihl 15",	AF_INET, 3, 40, 8, 0x4f, true, DROP_ICMP_INNER },
	{ "quote later fragment", AF_INET, 3, 0, 15, 0x10, true,
	    DROP_ICMP_INNER },
	{ "quote icmp",		AF_INET, 3, 0,  17, IPPROTO_ICMP, true,
	    DROP_PROTO },
	{ "6 good",		AF_INET6, 1, 0, -1, 0, true, DROP_NONE },
	{ "6 echo request",	AF_INET6, 128, 0, -1, 0, true, DROP_PROTO },
	{ "6 neighbour solicit", AF_INET6, 135, 0, -1, 0, true, DROP_PROTO },
	{ "6 bad checksum",	AF_INET6, 1, 0, 3, 0x5a, false, DROP_ICMP_CSUM },
	{ "6 quote 39 bytes",	AF_INET6, 1, 39, -1, 0, true, DROP_ICMP_SHORT },
	{ "6 quote version 4",	AF_INET6, 1, 0, 8, 0x45, true, DROP_ICMP_INNER },
	{ "6 quote ext header",	AF_INET6, 1, 0, 14, 0, true, DROP_PROTO },
};

static void
test_icmp_parse_refuses(void **state)
{
	struct pkt	 p;
	struct icmp_err	 ie;
	uint8_t		 f[FRAME_MAX], q[128], *ic;
	uint32_t	 qlen, len, hl, sum;
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		const struct addrs *a = bad[i].af == AF_INET ? &a4 : &a6;

		hl = bad[i].af == AF_INET ? 20 : 40;
		qlen = mkpkt(q, bad[i].af, IPPROTO_UDP, a->vip, VPORT, a->cip,
		    CPORT, false);
		if (bad[i].qlen)
			qlen = bad[i].qlen;
		if (bad[i].off == -2)
			qlen = 0;
		len = mkerr(f, bad[i].af, bad[i].type, 0, a->router, a->vip,
		    50, q, qlen, false);
		ic = f + 14 + hl;
		if (bad[i].off >= 0)
			ic[bad[i].off] = bad[i].val;
		if (bad[i].fix_csum) {
			sum = 0;
			if (bad[i].af == AF_INET6)
				sum = ref_sum_addrs(f + 14 + 8, f + 14 + 24, 16) +
				    IPPROTO_ICMPV6 + (len - 14 - hl);
			put16(ic + 2, 0);
			put16(ic + 2, ref_csum(sum, ic, len - 14 - hl));
		}
		assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_PROTO);
		assert_true(icmp_is(&p));
		if ((r = icmp_parse(&p, &ie)) != bad[i].ret)
			fail_msg("%s: icmp_parse %d, want %d", bad[i].name, r,
			    bad[i].ret);
	}
}

/*
 * The tunnel packet we sent <rip> for the client's TCP packet to the VIP:
 * outer family <oaf>, inner <iaf>, tunnel <type> (GRE with checksum when
 * <gcsum>), GUE to <port>; the inner IPv4 packet with DF when <df>.
 */
static uint32_t
mktun(uint8_t *q, int oaf, int iaf, int type, bool gcsum, uint16_t port,
    bool df, const char *rip)
{
	const struct addrs *oa = oaf == AF_INET ? &a4 : &a6;
	const struct addrs *ia = iaf == AF_INET ? &a4 : &a6;
	uint32_t	 ohl = oaf == AF_INET ? 20 : 40, tl, ilen;
	uint8_t		*th = q + ohl, *in, oproto, iproto;

	iproto = iaf == AF_INET ? IPPROTO_IPIP : IPPROTO_IPV6;
	tl = type == RS_TUN_GUE ? 12 : type == RS_TUN_GRE ?
	    (gcsum ? 8 : 4) : 0;
	oproto = type == RS_TUN_GUE ? IPPROTO_UDP : type == RS_TUN_GRE ?
	    IPPROTO_GRE : iproto;
	in = th + tl;
	ilen = mkpkt(in, iaf, IPPROTO_TCP, ia->cip, CPORT, ia->vip, VPORT,
	    false);
	if (iaf == AF_INET && df) {
		in[6] = 0x40;
		put16(in + 10, 0);
		put16(in + 10, ref_csum(0, in, 20));
	}
	memset(q, 0, ohl + tl);
	if (oaf == AF_INET) {
		q[0] = 0x45;
		put16(q + 2, (uint16_t)(ohl + tl + ilen));
		q[6] = 0x40;
		q[8] = 64;
		q[9] = oproto;
		inet_pton(AF_INET, oa->lip, q + 12);
		inet_pton(AF_INET, rip, q + 16);
		put16(q + 10, ref_csum(0, q, 20));
	} else {
		q[0] = 0x60;
		put16(q + 4, (uint16_t)(tl + ilen));
		q[6] = oproto;
		q[7] = 64;
		inet_pton(AF_INET6, oa->lip, q + 8);
		inet_pton(AF_INET6, rip, q + 24);
	}
	if (type == RS_TUN_GUE) {
		put16(th, 40001);
		put16(th + 2, port);
		put16(th + 4, (uint16_t)(tl + ilen));
		th[9] = iproto;
	} else if (type == RS_TUN_GRE) {
		put16(th, gcsum ? 0x8000 : 0);
		put16(th + 2, iaf == AF_INET ? 0x0800 : 0x86dd);
		if (gcsum)
			put16(th + 4, ref_csum(0, th, tl + ilen));
	}
	return ohl + tl + ilen;
}

#define GUE_PORT	6080

static const struct {
	const char	*name;
	int		 oaf, iaf, type;
	uint8_t		 flags;		/* RS_TUN_F_* of the real server */
	uint16_t	 port;		/* quoted GUE port */
	bool		 df;		/* the client's IPv4 packet had DF */
	bool		 other_rip;	/* the quote goes to another address */
	int		 ret;
	uint32_t	 hlen;		/* overhead the client's MTU loses */
} tuns[] = {
	{ "4 ipip",		AF_INET,  AF_INET,  RS_TUN_IPIP, 0, 0,
	    true, false, XMIT_SENT, 20 },
	{ "4 gue",		AF_INET,  AF_INET,  RS_TUN_GUE, 0, GUE_PORT,
	    true, false, XMIT_SENT, 32 },
	{ "4 gue remcsum",	AF_INET,  AF_INET,  RS_TUN_GUE,
	    RS_TUN_F_REMCSUM, GUE_PORT, true, false, XMIT_SENT, 40 },
	{ "4 gre",		AF_INET,  AF_INET,  RS_TUN_GRE, 0, 0,
	    true, false, XMIT_SENT, 24 },
	{ "4 gre csum",		AF_INET,  AF_INET,  RS_TUN_GRE,
	    RS_TUN_F_CSUM, 0, true, false, XMIT_SENT, 28 },
	{ "4 ipip 6in4",	AF_INET,  AF_INET6, RS_TUN_IPIP, 0, 0,
	    true, false, XMIT_SENT, 20 },
	{ "6 ipip",		AF_INET6, AF_INET6, RS_TUN_IPIP, 0, 0,
	    true, false, XMIT_SENT, 40 },
	{ "6 gue",		AF_INET6, AF_INET6, RS_TUN_GUE, 0, GUE_PORT,
	    true, false, XMIT_SENT, 52 },
	{ "6 gre 4in6",		AF_INET6, AF_INET,  RS_TUN_GRE, 0, 0,
	    true, false, XMIT_SENT, 44 },
	{ "4 ipip without DF",	AF_INET,  AF_INET,  RS_TUN_IPIP, 0, 0,
	    false, false, XMIT_SENT, 0 },
	{ "4 gue other port",	AF_INET,  AF_INET,  RS_TUN_GUE, 0, 6081,
	    true, false, DROP_ICMP_NO_CONN, 0 },
	{ "4 ipip other rip",	AF_INET,  AF_INET,  RS_TUN_IPIP, 0, 0,
	    true, true, DROP_ICMP_NO_CONN, 0 },
};

/* The error the client got: from the VIP, saying <mtu>, quoting <in>. */
static void
check_client_err(const uint8_t *buf, uint32_t len, int iaf,
    const uint8_t *in, uint32_t mtu)
{
	const struct addrs *ia = iaf == AF_INET ? &a4 : &a6;
	const uint8_t	*f = buf + RING_VNET_LEN, *ip = f + 14, *ic;
	uint32_t	 hl = iaf == AF_INET ? 20 : 40, ilen, sum;
	uint8_t		 a[16];

	assert_memory_equal(f, cl_mac, 6);
	assert_memory_equal(f + 6, ifs[0].if_mac, 6);
	ic = ip + hl;
	ilen = len - RING_VNET_LEN - 14 - hl;
	assert_memory_equal(ic + 8, in, 28);
	if (iaf == AF_INET) {
		assert_int_equal(f[12] << 8 | f[13], 0x0800);
		assert_int_equal(ref_csum(0, ip, 20), 0);
		inet_pton(AF_INET, ia->vip, a);
		assert_memory_equal(ip + 12, a, 4);
		inet_pton(AF_INET, ia->cip, a);
		assert_memory_equal(ip + 16, a, 4);
		assert_int_equal(ic[0], 3);
		assert_int_equal(ic[1], 4);
		assert_int_equal(ic[6] << 8 | ic[7], mtu);
		assert_int_equal(ref_csum(0, ic, ilen), 0);
	} else {
		assert_int_equal(f[12] << 8 | f[13], 0x86dd);
		inet_pton(AF_INET6, ia->vip, a);
		assert_memory_equal(ip + 8, a, 16);
		inet_pton(AF_INET6, ia->cip, a);
		assert_memory_equal(ip + 24, a, 16);
		assert_int_equal(ic[0], 2);
		assert_int_equal(ic[1], 0);
		assert_int_equal((uint32_t)(ic[4] << 24 | ic[5] << 16 |
		    ic[6] << 8 | ic[7]), mtu);
		sum = ref_sum_addrs(ip + 8, ip + 24, 16) + IPPROTO_ICMPV6 +
		    ilen;
		assert_int_equal(ref_csum(sum, ic, ilen), 0);
	}
}

static void
test_icmp_tunnel_frag_needed(void **state)
{
	static struct mmsghdr	 mm[RING_TX_BATCH];
	static struct iovec	 iov[RING_TX_BATCH];
	static struct wstats	 ws;
	struct fixture		 fx;
	struct icmp_tun		 it;
	uint8_t			 q[256];
	uint32_t		 qlen, len;
	struct rs_tun		 t;
	size_t			 i;
	int			 r;
	bool			 sent;

	(void)state;
	wk.w_scratch = calloc(1, WORKER_SCRATCH_SIZE);
	assert_non_null(wk.w_scratch);
	wk.w_stats = &ws;
	wk.w_nrings = 2;
	for (i = 0; i < 2; i++) {
		wk.w_ring[i].r_tx_mode = TX_MMSG;
		wk.w_ring[i].r_mm = mm;
		wk.w_ring[i].r_iov = iov;
		ud.d_ifs[i].if_mtu = 1500;
	}
	for (i = 0; i < nitems(tuns); i++) {
		const struct addrs *oa = tuns[i].oaf == AF_INET ? &a4 : &a6;

		fixture_init(&fx, tuns[i].iaf, XMIT_TUN, IPPROTO_TCP);
		fx.rss.rss_ep.ep_addr.a_af = (uint8_t)tuns[i].oaf;
		inet_pton(tuns[i].oaf, oa->rip, &fx.rss.rss_ep.ep_addr.a);
		t.rt_type = (uint8_t)tuns[i].type;
		t.rt_flags = tuns[i].flags;
		t.rt_port = tuns[i].type == RS_TUN_GUE ? GUE_PORT : 0;
		fx.rss.rss_tun = rs_tun_pack(&t);
		qlen = mktun(q, tuns[i].oaf, tuns[i].iaf, tuns[i].type,
		    tuns[i].flags & RS_TUN_F_CSUM, tuns[i].port, tuns[i].df,
		    tuns[i].other_rip ? oa->router : oa->rip);
		len = mkerr(fx.frame, tuns[i].oaf, tuns[i].oaf == AF_INET ?
		    3 : 2, tuns[i].oaf == AF_INET ? 4 : 0, oa->router, oa->lip,
		    60, q, qlen, false);
		assert_int_equal(pkt_parse(&fx.p, fx.frame, len, NULL),
		    DROP_PROTO);
		if ((r = icmp_parse_tun(&fx.p, &it)) != DROP_NONE)
			fail_msg("%s: icmp_parse_tun %d", tuns[i].name, r);
		assert_memory_equal(&it.it_tuple, &fx.c.c_tuple[CONN_IN],
		    sizeof(it.it_tuple));
		assert_int_equal(it.it_mtu, 1400);
		wk.w_ring[0].r_nmm = wk.w_ring[1].r_nmm = 0;
		wk.w_scratch_used = 0;
		r = tun_icmp_tun(&wk, &fx.p, &it, &fx.c, &sent);
		if (r != tuns[i].ret)
			fail_msg("%s: tun_icmp_tun %d, want %d", tuns[i].name,
			    r, tuns[i].ret);
		if (r != XMIT_SENT) {
			assert_false(sent);
			assert_int_equal(fx.rss.rss_pmtu, 0);
			continue;
		}
		/* The path MTU is learnt for 10 minutes. */
		assert_int_equal((uint32_t)fx.rss.rss_pmtu, 1400);
		assert_true((uint32_t)(fx.rss.rss_pmtu >> 32) > conn_now() +
		    590);
		assert_int_equal(sent, tuns[i].hlen != 0);
		assert_int_equal(wk.w_ring[1].r_nmm, 0);
		assert_int_equal(wk.w_ring[0].r_nmm, sent ? 1 : 0);
		if (sent)
			check_client_err(iov[0].iov_base,
			    (uint32_t)iov[0].iov_len, tuns[i].iaf,
			    fx.frame + it.it_in3off, 1400 - tuns[i].hlen);
	}
	free(wk.w_scratch);
	wk.w_scratch = NULL;
	wk.w_nrings = 0;
}

/* Tunnel errors that do not decode: one mangled byte each. */
static const struct {
	const char	*name;
	int		 type;
	uint8_t		 icmp_code;
	uint32_t	 qlen;		/* 0: the whole quote */
	int		 off;		/* byte of the quote to set; -1 */
	uint8_t		 val;
	int		 ret;
} badtun[] = {
	{ "good ipip",		RS_TUN_IPIP, 4, 0, -1, 0, DROP_NONE },
	{ "host unreachable",	RS_TUN_IPIP, 1, 0, -1, 0, DROP_PROTO },
	{ "quotes icmp",	RS_TUN_IPIP, 4, 0, 9, IPPROTO_ICMP, DROP_PROTO },
	{ "outer ihl 4",	RS_TUN_IPIP, 4, 0, 0, 0x44, DROP_ICMP_INNER },
	{ "outer later fragment", RS_TUN_IPIP, 4, 0, 6, 0x01,
	    DROP_ICMP_INNER },
	{ "inner version 6",	RS_TUN_IPIP, 4, 0, 20, 0x65, DROP_ICMP_INNER },
	{ "inner icmp",		RS_TUN_IPIP, 4, 0, 29, IPPROTO_ICMP,
	    DROP_ICMP_INNER },
	{ "inner cut short",	RS_TUN_IPIP, 4, 47, -1, 0, DROP_ICMP_SHORT },
	{ "outer only",		RS_TUN_IPIP, 4, 20, -1, 0, DROP_ICMP_SHORT },
	{ "good gue",		RS_TUN_GUE, 4, 0, -1, 0, DROP_NONE },
	{ "gue control",	RS_TUN_GUE, 4, 0, 28, 0x20, DROP_PROTO },
	{ "gue version 1",	RS_TUN_GUE, 4, 0, 28, 0x40, DROP_PROTO },
	{ "gue carries tcp",	RS_TUN_GUE, 4, 0, 29, IPPROTO_TCP, DROP_PROTO },
	{ "gue options past quote", RS_TUN_GUE, 4, 0, 28, 0x1f,
	    DROP_ICMP_SHORT },
	{ "udp cut short",	RS_TUN_GUE, 4, 30, -1, 0, DROP_PROTO },
	{ "good gre",		RS_TUN_GRE, 4, 0, -1, 0, DROP_NONE },
	{ "gre routing",	RS_TUN_GRE, 4, 0, 20, 0x40, DROP_ICMP_INNER },
	{ "gre version 1",	RS_TUN_GRE, 4, 0, 21, 0x01, DROP_ICMP_INNER },
	{ "gre carries arp",	RS_TUN_GRE, 4, 0, 23, 0x06, DROP_ICMP_INNER },
	{ "gre cut short",	RS_TUN_GRE, 4, 22, -1, 0, DROP_ICMP_SHORT },
};

static void
test_icmp_tunnel_refuses(void **state)
{
	struct pkt	 p;
	struct icmp_tun	 it;
	uint8_t		 f[FRAME_MAX], q[256];
	uint32_t	 qlen, len;
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < nitems(badtun); i++) {
		qlen = mktun(q, AF_INET, AF_INET, badtun[i].type, false,
		    GUE_PORT, true, a4.rip);
		if (badtun[i].qlen)
			qlen = badtun[i].qlen;
		if (badtun[i].off >= 0)
			q[badtun[i].off] = badtun[i].val;
		len = mkerr(f, AF_INET, 3, badtun[i].icmp_code, a4.router,
		    a4.lip, 60, q, qlen, false);
		assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_PROTO);
		if ((r = icmp_parse_tun(&p, &it)) != badtun[i].ret)
			fail_msg("%s: icmp_parse_tun %d, want %d",
			    badtun[i].name, r, badtun[i].ret);
	}
	/* A bad checksum is refused before anything else. */
	qlen = mktun(q, AF_INET, AF_INET, RS_TUN_GRE, false, 0, true, a4.rip);
	len = mkerr(f, AF_INET, 3, 4, a4.router, a4.lip, 60, q, qlen, false);
	f[14 + 20 + 2] ^= 0x5a;
	assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_PROTO);
	assert_int_equal(icmp_parse_tun(&p, &it), DROP_ICMP_CSUM);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_relay_cases),
		cmocka_unit_test(test_icmp_dr_has_no_out),
		cmocka_unit_test(test_icmp_nat_out_ttl_expired),
		cmocka_unit_test(test_icmp_parse_refuses),
		cmocka_unit_test(test_icmp_tunnel_frag_needed),
		cmocka_unit_test(test_icmp_tunnel_refuses),
	};

	memcpy(ud.d_ifs, ifs, sizeof(ifs));
	ud.d_nifs = 2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
