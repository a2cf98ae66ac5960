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
 * it.  Malformed errors are refused with their reasons.
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
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "daemon.h"
#include "icmp.h"
#include "iface.h"
#include "pkt.h"
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
			    20 : 8, i, sum;
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
	} else
		put16(th + 4, (uint16_t)(l4 + PAYLEN));
	for (i = 0; i < PAYLEN; i++)
		th[l4 + i] = (uint8_t)(i * 13 + 1);
	if (udp0)
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_icmp_relay_cases),
		cmocka_unit_test(test_icmp_dr_has_no_out),
		cmocka_unit_test(test_icmp_nat_out_ttl_expired),
		cmocka_unit_test(test_icmp_parse_refuses),
	};

	memcpy(ud.d_ifs, ifs, sizeof(ifs));
	ud.d_nifs = 2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
