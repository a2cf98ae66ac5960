/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * AH and ESP in pkt.c: pkt_parse() leaves them as DROP_PROTO with the
 * IP part and tuple filled (worker.c then finds their IKE connection),
 * and pkt_rewrite_addr() changes one address, keeping the IPv4 header
 * checksum right and every byte after the IP header as it was.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "pkt.h"
#include "stats.h"
#include "util.h"

#define PAYLOAD	40

static const struct {
	int		 af;
	uint8_t		 proto;
	bool		 dst;
	const char	*src, *vip, *to;
} cases[] = {
	{ AF_INET, IPPROTO_ESP, true, "10.0.1.2", "203.0.113.20",
	    "10.0.2.12" },
	{ AF_INET, IPPROTO_AH, true, "10.0.1.2", "203.0.113.20",
	    "10.0.2.12" },
	{ AF_INET, IPPROTO_ESP, false, "10.0.2.12", "10.0.1.2",
	    "203.0.113.20" },
	{ AF_INET, IPPROTO_AH, false, "255.255.255.255", "10.0.1.2",
	    "0.0.0.1" },
	{ AF_INET6, IPPROTO_ESP, true,  "2001:db8:1::2", "2001:db8:113::20",
	    "2001:db8:2::12" },
	{ AF_INET6, IPPROTO_ESP, false, "2001:db8:2::12", "2001:db8:1::2",
	    "2001:db8:113::20" },
};

/* An Ethernet frame with IPv4 or IPv6 <proto> from <s> to <d>. */
static uint32_t
build(uint8_t *f, int af, uint8_t proto, const struct addr *s,
    const struct addr *d)
{
	uint32_t	 l3 = af == AF_INET ? 20 : 40, i, sum = 0;
	uint8_t		*ip = f + 14;

	memset(f, 0, 14 + l3 + PAYLOAD);
	f[12] = af == AF_INET ? 0x08 : 0x86;
	f[13] = af == AF_INET ? 0x00 : 0xdd;
	for (i = 0; i < PAYLOAD; i++)
		ip[l3 + i] = (uint8_t)(i * 37 + 11);
	if (af == AF_INET) {
		ip[0] = 0x45;
		ip[3] = 20 + PAYLOAD;
		ip[8] = 64;
		ip[9] = proto;
		memcpy(ip + 12, &s->a.w[0], 4);
		memcpy(ip + 16, &d->a.w[0], 4);
		for (i = 0; i < 20; i += 2)
			sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
		ip[10] = (uint8_t)(~sum >> 8);
		ip[11] = (uint8_t)~sum;
	} else {
		ip[0] = 0x60;
		ip[5] = PAYLOAD;
		ip[6] = proto;
		ip[7] = 64;
		memcpy(ip + 8, s->a.b, 16);
		memcpy(ip + 24, d->a.b, 16);
	}
	return 14 + l3 + PAYLOAD;
}

static void
test_pkt_ipsec_rewrite_cases(void **state)
{
	uint8_t		 f[200], want[200];
	struct addr	 s, d, to;
	struct pkt	 p;
	uint32_t	 len;
	size_t		 i;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(addr_parse(cases[i].src, &s), 0);
		assert_int_equal(addr_parse(cases[i].vip, &d), 0);
		assert_int_equal(addr_parse(cases[i].to, &to), 0);
		len = build(f, cases[i].af, cases[i].proto, &s, &d);
		assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_PROTO);
		assert_int_equal(p.p_tuple.t_proto, cases[i].proto);
		assert_int_equal(p.p_tuple.t_af, cases[i].af);
		assert_memory_equal(&p.p_tuple.t_src, &s.a, sizeof(s.a));
		assert_memory_equal(&p.p_tuple.t_dst, &d.a, sizeof(d.a));
		if (cases[i].af == AF_INET)
			assert_true(pkt_ip4csum_ok(&p));
		/* What the rewrite must give: the frame built that way. */
		build(want, cases[i].af, cases[i].proto,
		    cases[i].dst ? &s : &to, cases[i].dst ? &to : &d);
		pkt_rewrite_addr(&p, cases[i].dst, &to.a);
		if (memcmp(f, want, len) != 0)
			fail_msg("case %zu: frame differs", i);
		if (cases[i].af == AF_INET)
			assert_true(pkt_ip4csum_ok(&p));
		assert_memory_equal(cases[i].dst ? &p.p_tuple.t_dst :
		    &p.p_tuple.t_src, &to.a, sizeof(to.a));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_ipsec_rewrite_cases),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
