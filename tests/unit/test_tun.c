/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The tunnel method (xmit/tun.c) on hand-made frames in a buffer with
 * the ring's headroom: for every kind (ipip, gue, gre), checksum option,
 * outer and inner family, complete or partial inner checksum, the frame
 * that leaves is decoded as a real server's kernel would: Ethernet to
 * the next hop, outer IPv4/IPv6 header from the route's source to the
 * real server (IPv4 header checksum verified), the tunnel header (GUE
 * port, length, protocol, private remote-checksum option; GRE flags and
 * protocol), outer UDP and GRE checksums verified from scratch, and the
 * inner packet byte for byte as sent, its checksum still partial (start
 * moved) or complete and right.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "daemon.h"
#include "gso.h"
#include "iface.h"
#include "pkt.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

static const uint8_t	 rs_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t	 cl_mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
static struct uvsd	 ud;
static struct worker	 wk = { .w_d = &ud };

#define ROOM		RING_RESERVE
#define PAYLEN		100

static uint8_t		 buf[ROOM + RING_VNET_LEN + 400];
static uint8_t		 orig[400], tmp[400];

/* An inner frame at buf + ROOM (vnet header) with full checksums. */
static uint32_t
mkinner(int af, int proto, bool partial)
{
	struct vnet_hdr	*vh = (struct vnet_hdr *)(buf + ROOM);
	uint8_t		*f = buf + ROOM + RING_VNET_LEN, *ip = f + 14, *th;
	uint32_t	 iphl = af == AF_INET ? 20 : 40;
	uint32_t	 l4 = proto == IPPROTO_TCP ? 20 : 8, sum, i;
	uint16_t	 v;

	memset(buf, 0x5a, sizeof(buf));
	memset(vh, 0, sizeof(*vh));
	memset(f, 0, 14 + iphl + l4);
	memset(f, 0x02, 12);
	th = ip + iphl;
	if (af == AF_INET) {
		f[12] = 0x08;
		ip[0] = 0x45;
		ip[1] = 0x10;
		v = htons((uint16_t)(iphl + l4 + PAYLEN));
		memcpy(ip + 2, &v, 2);
		ip[6] = 0x40;
		ip[8] = 64;
		ip[9] = (uint8_t)proto;
		inet_pton(AF_INET, "10.0.1.2", ip + 12);
		inet_pton(AF_INET, "203.0.113.10", ip + 16);
		v = csum_fold(csum_add_buf(0, ip, 20));
		memcpy(ip + 10, &v, 2);
	} else {
		f[12] = 0x86;
		f[13] = 0xdd;
		ip[0] = 0x60;
		v = htons((uint16_t)(l4 + PAYLEN));
		memcpy(ip + 4, &v, 2);
		ip[6] = (uint8_t)proto;
		ip[7] = 64;
		inet_pton(AF_INET6, "fd00:1::2", ip + 8);
		inet_pton(AF_INET6, "fd00:3::10", ip + 24);
	}
	v = htons(40000);
	memcpy(th, &v, 2);
	v = htons(80);
	memcpy(th + 2, &v, 2);
	if (proto == IPPROTO_TCP) {
		th[12] = 5 << 4;
		th[13] = TCPF_ACK;
	} else {
		v = htons((uint16_t)(8 + PAYLEN));
		memcpy(th + 4, &v, 2);
	}
	for (i = 0; i < PAYLEN; i++)
		th[l4 + i] = (uint8_t)(i * 13 + 1);
	sum = af == AF_INET ? csum_pseudo(AF_INET, ip + 12, ip + 16,
	    (uint8_t)proto, l4 + PAYLEN) : csum_pseudo(AF_INET6, ip + 8,
	    ip + 24, (uint8_t)proto, l4 + PAYLEN);
	if (partial) {
		v = (uint16_t)~csum_fold(sum);
		vh->vh_flags = VNET_F_NEEDS_CSUM;
		vh->vh_csum_start = (uint16_t)(14 + iphl);
		vh->vh_csum_offset = proto == IPPROTO_TCP ? 16 : 6;
	} else {
		v = csum_fold(csum_add_buf(sum, th, l4 + PAYLEN));
		if (proto == IPPROTO_UDP && v == 0)
			v = 0xffff;
	}
	memcpy(th + (proto == IPPROTO_TCP ? 16 : 6), &v, 2);
	return 14 + iphl + l4 + PAYLEN;
}

static const struct {
	int	 iaf;		/* inner */
	int	 proto;
	int	 oaf;		/* outer: the real server's */
	uint8_t	 type;		/* RS_TUN_* */
	uint8_t	 flags;		/* RS_TUN_F_* */
	bool	 partial;
	uint32_t hlen;		/* outer headers expected */
	bool	 remcsum;	/* GUE private option expected */
} cases[] = {
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_IPIP, 0, false, 20, false },
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_IPIP, 0, true,  20, false },
	{ AF_INET,  IPPROTO_UDP, AF_INET6, RS_TUN_IPIP, 0, false, 40, false },
	{ AF_INET6, IPPROTO_TCP, AF_INET6, RS_TUN_IPIP, 0, true,  40, false },
	{ AF_INET6, IPPROTO_UDP, AF_INET,  RS_TUN_IPIP, 0, false, 20, false },
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_GUE, 0, true,   32, false },
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_GUE, RS_TUN_F_CSUM, true,
	    32, false },
	{ AF_INET,  IPPROTO_UDP, AF_INET,  RS_TUN_GUE, RS_TUN_F_CSUM, false,
	    32, false },
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_GUE, RS_TUN_F_REMCSUM,
	    true, 40, true },
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_GUE, RS_TUN_F_REMCSUM,
	    false, 32, false },
	{ AF_INET6, IPPROTO_UDP, AF_INET6, RS_TUN_GUE, RS_TUN_F_CSUM, true,
	    52, false },
	{ AF_INET6, IPPROTO_TCP, AF_INET6, RS_TUN_GUE, RS_TUN_F_REMCSUM,
	    true, 60, true },
	{ AF_INET,  IPPROTO_TCP, AF_INET,  RS_TUN_GRE, 0, true,   24, false },
	{ AF_INET,  IPPROTO_UDP, AF_INET,  RS_TUN_GRE, RS_TUN_F_CSUM, true,
	    28, false },
	{ AF_INET6, IPPROTO_TCP, AF_INET,  RS_TUN_GRE, RS_TUN_F_CSUM, false,
	    28, false },
	{ AF_INET,  IPPROTO_TCP, AF_INET6, RS_TUN_GRE, 0, false,  44, false },
};

static void
fixture(struct rs_state *rss, struct conn *c, size_t i)
{
	struct rs_tun	 t = { .rt_type = cases[i].type,
			    .rt_flags = cases[i].flags,
			    .rt_port = cases[i].type == RS_TUN_GUE ? 6080 : 0 };

	memset(rss, 0, sizeof(*rss));
	memset(c, 0, sizeof(*c));
	rss->rss_nh = NH_MAKE(nh_mac_pack(rs_mac), 1) | NH_SRC_BIT;
	rss->rss_tun = rs_tun_pack(&t);
	rss->rss_ep.ep_addr.a_af = (uint8_t)cases[i].oaf;
	if (cases[i].oaf == AF_INET) {
		inet_pton(AF_INET, "10.0.2.11", &rss->rss_ep.ep_addr.a.v4);
		inet_pton(AF_INET, "10.0.2.1", &rss->rss_src[1].v4);
	} else {
		inet_pton(AF_INET6, "fd00:2::11", &rss->rss_ep.ep_addr.a.v6);
		inet_pton(AF_INET6, "fd00:2::1", &rss->rss_src[1].v6);
	}
	c->c_rs = rss;
	c->c_method = XMIT_TUN;
	memcpy(c->c_cmac, cl_mac, 6);
}

static void
check_case(size_t i)
{
	struct rs_state	 rss;
	struct conn	 c;
	struct pkt	 p, ip;
	struct vnet_hdr	*vh;
	uint8_t		*o, *th, *inner, src[16], dst[16];
	uint32_t	 ilen, ohl, tlen, sum;
	unsigned	 egress = 99;
	uint16_t	 v, csum;
	int		 r;

	fixture(&rss, &c, i);
	ilen = mkinner(cases[i].iaf, cases[i].proto, cases[i].partial);
	memcpy(orig, buf + ROOM + RING_VNET_LEN, ilen);
	r = pkt_parse(&p, buf + ROOM + RING_VNET_LEN, ilen,
	    (struct vnet_hdr *)(buf + ROOM));
	assert_int_equal(r, DROP_NONE);
	p.p_headroom = ROOM;
	r = xmit_tun.in(&wk, &p, &c, &egress);
	if (r != DROP_NONE)
		fail_msg("case %zu: drop %d", i, r);
	assert_int_equal(egress, 1);
	assert_ptr_equal(p.p_l2, buf + ROOM + RING_VNET_LEN - cases[i].hlen);
	assert_int_equal(p.p_len, ilen + cases[i].hlen);
	vh = (struct vnet_hdr *)(p.p_l2 - RING_VNET_LEN);
	assert_ptr_equal(vh, p.p_vnet);
	/* Ethernet: to the next hop, from the egress interface. */
	assert_memory_equal(p.p_l2, rs_mac, 6);
	assert_memory_equal(p.p_l2 + 6, ud.d_ifs[1].if_mac, 6);
	o = p.p_l2 + 14;
	inner = o + cases[i].hlen;
	ohl = cases[i].oaf == AF_INET ? 20 : 40;
	th = o + ohl;
	tlen = cases[i].hlen - ohl + ilen - 14;
	if (cases[i].oaf == AF_INET) {
		assert_int_equal(p.p_l2[12], 0x08);
		assert_int_equal(o[0], 0x45);
		assert_int_equal(csum_fold(csum_add_buf(0, o, 20)), 0);
		memcpy(&v, o + 2, 2);
		assert_int_equal(ntohs(v), cases[i].hlen + ilen - 14);
		assert_int_equal(o[6] & 0x40, 0x40);	/* DF as inside */
		memcpy(src, o + 12, 4);
		memcpy(dst, o + 16, 4);
		assert_memory_equal(src, &rss.rss_src[1], 4);
		assert_memory_equal(dst, &rss.rss_ep.ep_addr.a, 4);
	} else {
		assert_int_equal(p.p_l2[12], 0x86);
		assert_int_equal(o[0] >> 4, 6);
		memcpy(&v, o + 4, 2);
		assert_int_equal(ntohs(v), tlen);
		assert_memory_equal(o + 8, &rss.rss_src[1], 16);
		assert_memory_equal(o + 24, &rss.rss_ep.ep_addr.a, 16);
	}
	switch (cases[i].type) {
	case RS_TUN_IPIP:
		assert_int_equal(o[cases[i].oaf == AF_INET ? 9 : 6],
		    cases[i].iaf == AF_INET ? IPPROTO_IPIP : IPPROTO_IPV6);
		break;
	case RS_TUN_GUE:
		assert_int_equal(o[cases[i].oaf == AF_INET ? 9 : 6],
		    IPPROTO_UDP);
		memcpy(&v, th + 2, 2);
		assert_int_equal(ntohs(v), 6080);
		memcpy(&v, th + 4, 2);
		assert_int_equal(ntohs(v), tlen);
		assert_int_equal(th[8] >> 6, 0);	/* version 0 */
		assert_int_equal(th[9], cases[i].iaf == AF_INET ?
		    IPPROTO_IPIP : IPPROTO_IPV6);
		assert_int_equal(th[8] & 0x1f, cases[i].remcsum ? 2 : 0);
		if (cases[i].remcsum) {
			assert_int_equal(th[11] & 1, 1);
			assert_int_equal(th[12], 0x80);
			memcpy(&v, th + 16, 2);
			/* csum_start from the inner IP header */
			assert_int_equal(ntohs(v), cases[i].iaf == AF_INET ?
			    20 : 40);
		}
		memcpy(&v, th + 6, 2);
		if (cases[i].flags == 0)
			assert_int_equal(v, 0);
		else {
			if (cases[i].oaf == AF_INET)
				sum = csum_pseudo(AF_INET, o + 12, o + 16,
				    IPPROTO_UDP, tlen);
			else
				sum = csum_pseudo(AF_INET6, o + 8, o + 24,
				    IPPROTO_UDP, tlen);
			assert_int_equal(csum_fold(csum_add_buf(sum, th,
			    tlen)), 0);
		}
		break;
	case RS_TUN_GRE:
		assert_int_equal(o[cases[i].oaf == AF_INET ? 9 : 6],
		    IPPROTO_GRE);
		assert_int_equal(th[0], cases[i].flags ? 0x80 : 0);
		memcpy(&v, th + 2, 2);
		assert_int_equal(ntohs(v), cases[i].iaf == AF_INET ?
		    0x0800 : 0x86dd);
		if (cases[i].flags)
			assert_int_equal(csum_fold(csum_add_buf(0, th, tlen)),
			    0);
		break;
	}
	/* The inner packet: as sent but for a completed checksum. */
	memcpy(tmp, orig, 14);
	memcpy(tmp + 14, inner, ilen - 14);
	assert_int_equal(pkt_parse(&ip, tmp, ilen, NULL), DROP_NONE);
	if (cases[i].partial && (cases[i].flags == 0 ||
	    cases[i].type == RS_TUN_IPIP || cases[i].remcsum)) {
		/* Left partial: a device or the real server finishes it. */
		if (cases[i].remcsum)
			assert_int_equal(vh->vh_flags, 0);
		else {
			assert_int_equal(vh->vh_flags, VNET_F_NEEDS_CSUM);
			assert_int_equal(vh->vh_csum_start,
			    14 + cases[i].hlen + (cases[i].iaf == AF_INET ?
			    20 : 40));
		}
		csum = csum_fold(csum_add_buf(0, tmp + ip.p_l4off,
		    ilen - ip.p_l4off));
		memcpy(tmp + ip.p_l4csum_off, &csum, 2);
	} else
		assert_int_equal(vh->vh_flags & VNET_F_NEEDS_CSUM, 0);
	assert_true(pkt_l4csum_ok(&ip));
	if (!cases[i].partial)
		assert_memory_equal(tmp, orig, ilen);
	else
		assert_memory_equal(tmp + ip.p_l4csum_off + 2,
		    orig + ip.p_l4csum_off + 2, ilen - ip.p_l4csum_off - 2);
}

static void
test_tun_kinds(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++)
		check_case(i);
}

static void
test_tun_refused(void **state)
{
	struct rs_state	 rss;
	struct conn	 c;
	struct pkt	 p;
	unsigned	 egress;
	uint32_t	 ilen;

	(void)state;
	/* No next hop yet. */
	fixture(&rss, &c, 0);
	rss.rss_nh = 0;
	ilen = mkinner(AF_INET, IPPROTO_TCP, false);
	assert_int_equal(pkt_parse(&p, buf + ROOM + RING_VNET_LEN, ilen,
	    (struct vnet_hdr *)(buf + ROOM)), DROP_NONE);
	p.p_headroom = ROOM;
	assert_int_equal(xmit_tun.in(&wk, &p, &c, &egress), DROP_NO_NEIGH);
	/* A next hop but no source address toward it. */
	fixture(&rss, &c, 0);
	memset(rss.rss_src, 0, sizeof(rss.rss_src));
	assert_int_equal(xmit_tun.in(&wk, &p, &c, &egress), DROP_NO_NEIGH);
	/* No room in front of the frame: refused, nothing written. */
	fixture(&rss, &c, 0);
	p.p_headroom = 19;
	assert_int_equal(xmit_tun.in(&wk, &p, &c, &egress), DROP_NO_HEADROOM);
	assert_int_equal(buf[ROOM - 1], 0x5a);
	assert_ptr_equal(p.p_l2, buf + ROOM + RING_VNET_LEN);
}

static int
setup(void **state)
{
	(void)state;
	ud.d_nifs = 2;
	memcpy(ud.d_ifs[0].if_mac, "\x02\x00\x00\x00\x0c\x00", 6);
	memcpy(ud.d_ifs[1].if_mac, "\x02\x00\x00\x00\x05\x00", 6);
	ud.d_ifs[0].if_mtu = ud.d_ifs[1].if_mtu = 1500;
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tun_kinds),
		cmocka_unit_test(test_tun_refused),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
