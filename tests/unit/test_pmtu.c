/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Path MTU decisions (pmtu.c): which packets are too big and may not be
 * fragmented (IPv4 DF or not, IPv6, GSO super-packets by their
 * segments), and where the error about a nat or fullnat real server's
 * reply comes from (the LIP, our address toward the real server, the
 * VIP when there is none).
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
#include "pkt.h"
#include "pmtu.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define FRAME_MAX	9100

static uint8_t	 frame[RING_VNET_LEN + FRAME_MAX];

static const struct {
	const char	*name;
	int		 af;
	bool		 df;
	uint32_t	 l3len;		/* IP datagram */
	uint16_t	 gso_size;	/* 0: not GSO */
	uint32_t	 mtu;
	bool		 too_big;
} cases[] = {
	{ "v4 DF over", AF_INET, true, 1500, 0, 1400, true },
	{ "v4 DF at the MTU", AF_INET, true, 1400, 0, 1400, false },
	{ "v4 DF under", AF_INET, true, 60, 0, 1400, false },
	{ "v4 without DF: fragmented", AF_INET, false, 1500, 0, 1400, false },
	{ "v6 over", AF_INET6, false, 1500, 0, 1400, true },
	{ "v6 at 1280", AF_INET6, false, 1280, 0, 1280, false },
	{ "v4 GSO, segments fit", AF_INET, true, 9000, 1360, 1400, false },
	{ "v4 GSO, segments over", AF_INET, true, 9000, 1448, 1400, true },
	{ "v4 GSO without DF", AF_INET, false, 9000, 1448, 1400, false },
	{ "v6 GSO, segments fit", AF_INET6, false, 9000, 1340, 1400, false },
	{ "v6 GSO, segments over", AF_INET6, false, 9000, 1440, 1400, true },
};

/* An Ethernet frame with a TCP segment of <l3len> bytes of IP. */
static void
mkframe(struct pkt *p, size_t i)
{
	struct vnet_hdr	*vh = (struct vnet_hdr *)frame;
	uint8_t		*f = frame + RING_VNET_LEN, *ip = f + 14, *th;
	bool		 v4 = cases[i].af == AF_INET;
	uint32_t	 iphl = v4 ? 20 : 40;
	uint16_t	 v;

	memset(frame, 0, sizeof(frame));
	memset(f, 0x02, 12);
	if (v4) {
		f[12] = 0x08;
		ip[0] = 0x45;
		v = htons((uint16_t)cases[i].l3len);
		memcpy(ip + 2, &v, 2);
		ip[6] = cases[i].df ? 0x40 : 0;
		ip[8] = 64;
		ip[9] = IPPROTO_TCP;
		inet_pton(AF_INET, "10.0.2.11", ip + 12);
		inet_pton(AF_INET, "10.0.1.2", ip + 16);
		v = csum_fold(csum_add_buf(0, ip, 20));
		memcpy(ip + 10, &v, 2);
	} else {
		f[12] = 0x86;
		f[13] = 0xdd;
		ip[0] = 0x60;
		v = htons((uint16_t)(cases[i].l3len - 40));
		memcpy(ip + 4, &v, 2);
		ip[6] = IPPROTO_TCP;
		ip[7] = 64;
		inet_pton(AF_INET6, "fd00:2::11", ip + 8);
		inet_pton(AF_INET6, "fd00:1::2", ip + 24);
	}
	th = ip + iphl;
	v = htons(80);
	memcpy(th, &v, 2);
	v = htons(40000);
	memcpy(th + 2, &v, 2);
	th[12] = 5 << 4;
	th[13] = TCPF_ACK;
	if (cases[i].gso_size != 0) {
		vh->vh_flags = VNET_F_NEEDS_CSUM;
		vh->vh_gso_type = v4 ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6;
		vh->vh_gso_size = cases[i].gso_size;
		vh->vh_hdr_len = (uint16_t)(14 + iphl + 20);
		vh->vh_csum_start = (uint16_t)(14 + iphl);
		vh->vh_csum_offset = 16;
	}
	assert_int_equal(pkt_parse(p, f, 14 + cases[i].l3len, vh), DROP_NONE);
}

static void
test_too_big(void **state)
{
	struct pkt	 p;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		mkframe(&p, i);
		if (pmtu_too_big(&p, cases[i].mtu) != cases[i].too_big)
			fail_msg("%s: too big %d, want %d", cases[i].name,
			    !cases[i].too_big, cases[i].too_big);
	}
}

static void
test_out_source(void **state)
{
	static const uint8_t mac[6] = { 2, 0, 0, 0, 0, 0x11 };
	struct rs_state	 rss;
	struct conn	 c;
	uint64_t	 nh = NH_MAKE(nh_mac_pack(mac), 1);

	(void)state;
	memset(&rss, 0, sizeof(rss));
	memset(&c, 0, sizeof(c));
	c.c_rs = &rss;
	inet_pton(AF_INET, "203.0.113.20", &c.c_tuple[CONN_IN].t_dst);
	inet_pton(AF_INET, "10.0.2.1", &rss.rss_src[0]);
	inet_pton(AF_INET, "10.0.2.2", &rss.rss_src[1]);
	/* fullnat: the reply's destination, the LIP. */
	c.c_method = XMIT_FULLNAT;
	assert_null(pmtu_out_source(&c, nh));
	/* nat: our address toward the real server, the slot named. */
	c.c_method = XMIT_NAT;
	assert_ptr_equal(pmtu_out_source(&c, nh), &rss.rss_src[0]);
	assert_ptr_equal(pmtu_out_source(&c, nh | NH_SRC_BIT),
	    &rss.rss_src[1]);
	/* None known: the VIP. */
	memset(&rss.rss_src[0], 0, sizeof(rss.rss_src[0]));
	assert_ptr_equal(pmtu_out_source(&c, nh),
	    &c.c_tuple[CONN_IN].t_dst);
	assert_ptr_equal(pmtu_out_source(&c, 0), &c.c_tuple[CONN_IN].t_dst);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_out_source),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
