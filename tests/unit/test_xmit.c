/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Forwarding methods on hand-made frames: dr rewrites only MACs, nat
 * rewrites addresses and ports both ways with checksums that verify, a
 * missing next hop is refused, and the method table answers by name.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "conn.h"
#include "daemon.h"
#include "iface.h"
#include "pkt.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

static const uint8_t	 rs_mac[6] = { 0x02, 0, 0, 0, 0, 0x11 };
static const uint8_t	 cl_mac[6] = { 0x02, 0, 0, 0, 0, 0x22 };
static struct iface	 ifs[2] = {
	{ .if_name = "c0", .if_index = 2, .if_mac = { 2, 0, 0, 0, 0xc, 0 } },
	{ .if_name = "s0", .if_index = 3, .if_mac = { 2, 0, 0, 0, 0x5, 0 } },
};
/* The methods read the interfaces through their worker's daemon. */
static struct uvsd	 ud;
static struct worker	 wk = { .w_d = &ud };

/* Ethernet + IPv4 + TCP or UDP with correct checksums; returns length. */
static uint32_t
mkframe(uint8_t *f, int proto, const char *src, uint16_t sport,
    const char *dst, uint16_t dport, const uint8_t *dmac)
{
	uint32_t	 plen = 16, l4 = proto == IPPROTO_TCP ? 20 : 8;
	uint32_t	 sum, i;
	uint16_t	 v;
	uint8_t		*ip = f + 14, *th = ip + 20;

	memset(f, 0, 14 + 20 + l4 + plen);
	memcpy(f, dmac, 6);
	memcpy(f + 6, cl_mac, 6);
	f[12] = 0x08;
	ip[0] = 0x45;
	v = htons((uint16_t)(20 + l4 + plen));
	memcpy(ip + 2, &v, 2);
	ip[8] = 64;
	ip[9] = (uint8_t)proto;
	inet_pton(AF_INET, src, ip + 12);
	inet_pton(AF_INET, dst, ip + 16);
	v = csum_fold(csum_add_buf(0, ip, 20));
	memcpy(ip + 10, &v, 2);
	v = htons(sport);
	memcpy(th, &v, 2);
	v = htons(dport);
	memcpy(th + 2, &v, 2);
	if (proto == IPPROTO_TCP) {
		th[12] = 5 << 4;
		th[13] = TCPF_SYN;
	} else {
		v = htons((uint16_t)(8 + plen));
		memcpy(th + 4, &v, 2);
	}
	for (i = 0; i < plen; i++)
		th[l4 + i] = (uint8_t)(i * 7);
	/* Pseudo-header, then the segment. */
	sum = csum_add_buf(0, ip + 12, 8);
	sum += htons((uint16_t)proto) + htons((uint16_t)(l4 + plen));
	v = csum_fold(csum_add_buf(sum, th, l4 + plen));
	if (proto == IPPROTO_UDP && v == 0)
		v = 0xffff;
	memcpy(th + (proto == IPPROTO_TCP ? 16 : 6), &v, 2);
	return 14 + 20 + l4 + plen;
}

struct fixture {
	struct rs_state	 rss;
	struct svc_state svs;
	struct conn	 c;
	uint8_t		 frame[256];
	struct vnet_hdr	 vh;
	struct pkt	 p;
};

static void
fixture_init(struct fixture *fx, int method, int proto, bool resolved)
{
	memset(fx, 0, sizeof(*fx));
	if (resolved)
		fx->rss.rss_nh = NH_MAKE(nh_mac_pack(rs_mac), 1);
	fx->c.c_rs = &fx->rss;
	fx->c.c_svc = &fx->svs;
	fx->c.c_method = (uint8_t)method;
	fx->c.c_ciface = 0;
	memcpy(fx->c.c_cmac, cl_mac, 6);
	/* in: 10.0.0.2:40000 -> 192.0.2.10:80, out: 172.16.0.2:8080 -> client */
	fx->c.c_tuple[CONN_IN].t_af = AF_INET;
	fx->c.c_tuple[CONN_IN].t_proto = (uint8_t)proto;
	inet_pton(AF_INET, "10.0.0.2", &fx->c.c_tuple[CONN_IN].t_src.v4);
	inet_pton(AF_INET, "192.0.2.10", &fx->c.c_tuple[CONN_IN].t_dst.v4);
	fx->c.c_tuple[CONN_IN].t_sport = htons(40000);
	fx->c.c_tuple[CONN_IN].t_dport = htons(80);
	fx->c.c_tuple[CONN_OUT].t_af = AF_INET;
	fx->c.c_tuple[CONN_OUT].t_proto = (uint8_t)proto;
	inet_pton(AF_INET, "172.16.0.2", &fx->c.c_tuple[CONN_OUT].t_src.v4);
	inet_pton(AF_INET, "10.0.0.2", &fx->c.c_tuple[CONN_OUT].t_dst.v4);
	fx->c.c_tuple[CONN_OUT].t_sport = htons(8080);
	fx->c.c_tuple[CONN_OUT].t_dport = htons(40000);
}

static void
parse(struct fixture *fx, uint32_t len)
{
	assert_int_equal(pkt_parse(&fx->p, fx->frame, len, &fx->vh), DROP_NONE);
}

static const struct {
	int	 method;
	int	 proto;
} in_cases[] = {
	{ XMIT_DR,	IPPROTO_TCP },
	{ XMIT_DR,	IPPROTO_UDP },
	{ XMIT_NAT,	IPPROTO_TCP },
	{ XMIT_NAT,	IPPROTO_UDP },
};

static void
test_xmit_in_cases(void **state)
{
	struct fixture	 fx;
	unsigned	 egress = 99;
	size_t		 i;
	char		 a[INET_ADDRSTRLEN];

	for (i = 0; i < nitems(in_cases); i++) {
		fixture_init(&fx, in_cases[i].method, in_cases[i].proto, true);
		parse(&fx, mkframe(fx.frame, in_cases[i].proto, "10.0.0.2",
		    40000, "192.0.2.10", 80, ifs[0].if_mac));
		assert_int_equal(xmit_get(in_cases[i].method)->in(&wk, &fx.p, &fx.c, &egress), DROP_NONE);
		assert_int_equal(egress, 1);
		assert_memory_equal(fx.frame, rs_mac, 6);
		assert_memory_equal(fx.frame + 6, ifs[1].if_mac, 6);
		inet_ntop(AF_INET, fx.frame + 14 + 16, a, sizeof(a));
		assert_string_equal(a, in_cases[i].method == XMIT_DR ?
		    "192.0.2.10" : "172.16.0.2");
		assert_int_equal(ntohs(fx.p.p_tuple.t_dport),
		    in_cases[i].method == XMIT_DR ? 80 : 8080);
		assert_true(pkt_ip4csum_ok(&fx.p));
		assert_true(pkt_l4csum_ok(&fx.p));
	}
}

static void
test_xmit_nat_out_rewrites_source(void **state)
{
	struct fixture	 fx;
	unsigned	 egress = 99;
	char		 a[INET_ADDRSTRLEN];

	fixture_init(&fx, XMIT_NAT, IPPROTO_TCP, true);
	parse(&fx, mkframe(fx.frame, IPPROTO_TCP, "172.16.0.2", 8080,
	    "10.0.0.2", 40000, ifs[1].if_mac));
	assert_int_equal(xmit_nat.out(&wk, &fx.p, &fx.c, &egress), DROP_NONE);
	assert_int_equal(egress, 0);
	assert_memory_equal(fx.frame, cl_mac, 6);
	assert_memory_equal(fx.frame + 6, ifs[0].if_mac, 6);
	inet_ntop(AF_INET, fx.frame + 14 + 12, a, sizeof(a));
	assert_string_equal(a, "192.0.2.10");
	assert_int_equal(ntohs(fx.p.p_tuple.t_sport), 80);
	assert_int_equal(fx.frame[14 + 8], 63);		/* routed: TTL - 1 */
	assert_true(pkt_ip4csum_ok(&fx.p));
	assert_true(pkt_l4csum_ok(&fx.p));
}

static void
test_xmit_nat_out_ttl_expired(void **state)
{
	struct fixture	 fx;
	unsigned	 egress;

	fixture_init(&fx, XMIT_NAT, IPPROTO_UDP, true);
	parse(&fx, mkframe(fx.frame, IPPROTO_UDP, "172.16.0.2", 8080,
	    "10.0.0.2", 40000, ifs[1].if_mac));
	fx.frame[14 + 8] = 1;
	assert_int_equal(xmit_nat.out(&wk, &fx.p, &fx.c, &egress), DROP_TTL);
}

static void
test_xmit_in_no_neighbour(void **state)
{
	struct fixture	 fx;
	unsigned	 egress;
	size_t		 i;

	for (i = 0; i < nitems(in_cases); i++) {
		fixture_init(&fx, in_cases[i].method, in_cases[i].proto, false);
		parse(&fx, mkframe(fx.frame, in_cases[i].proto, "10.0.0.2",
		    40000, "192.0.2.10", 80, ifs[0].if_mac));
		assert_int_equal(xmit_get(in_cases[i].method)->in(&wk, &fx.p, &fx.c, &egress), DROP_NO_NEIGH);
	}
}

static void
test_xmit_table(void **state)
{
	assert_int_equal(xmit_parse("dr"), XMIT_DR);
	assert_int_equal(xmit_parse("nat"), XMIT_NAT);
	assert_int_equal(xmit_parse("tun"), XMIT_TUN);
	assert_int_equal(xmit_parse("ipip"), -EINVAL);
	assert_string_equal(xmit_get(XMIT_TUN)->fwd, "Tunnel");
	assert_null(xmit_get(XMIT__MAX));
	assert_string_equal(xmit_get(XMIT_DR)->fwd, "Route");
	assert_string_equal(xmit_get(XMIT_NAT)->fwd, "Masq");
	assert_null(xmit_dr.out);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xmit_in_cases),
		cmocka_unit_test(test_xmit_nat_out_rewrites_source),
		cmocka_unit_test(test_xmit_nat_out_ttl_expired),
		cmocka_unit_test(test_xmit_in_no_neighbour),
		cmocka_unit_test(test_xmit_table),
	};

	memcpy(ud.d_ifs, ifs, sizeof(ifs));
	ud.d_nifs = 2;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
