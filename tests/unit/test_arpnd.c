/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ARP and neighbour-solicitation decoding and answers (arpnd.c): valid
 * requests built here are mangled one field at a time, table-driven;
 * answers are checked field by field and their ICMPv6 checksum with
 * pkt.c's verifier.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <stdbool.h>
#include <string.h>
#include <sys/socket.h>

#include "arpnd.h"
#include "pkt.h"
#include "stats.h"
#include "util.h"

#define FMAX	128

static const uint8_t	 cmac[6] = { 0x02, 0, 0, 0, 0, 0x0c };
static const uint8_t	 dmac[6] = { 0x02, 0, 0, 0, 0, 0x0d };

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void
ip6(uint8_t *b, const char *s)
{
	assert_int_equal(inet_pton(AF_INET6, s, b), 1);
}

/* An ARP request from 192.0.2.1 (cmac) for 192.0.2.10. */
static uint32_t
arp_req(uint8_t *f)
{
	memset(f, 0, FMAX);
	memset(f, 0xff, 6);
	memcpy(f + 6, cmac, 6);
	put16(f + 12, 0x0806);
	put16(f + 14, 1);
	put16(f + 16, 0x0800);
	f[18] = 6;
	f[19] = 4;
	put16(f + 20, 1);
	memcpy(f + 22, cmac, 6);
	memcpy(f + 28, "\xc0\x00\x02\x01", 4);
	memcpy(f + 38, "\xc0\x00\x02\x0a", 4);
	return 42;
}

static uint16_t
icmp6_sum(const uint8_t *f, uint32_t plen)
{
	uint8_t		 ph[40];

	memcpy(ph, f + 22, 32);
	memset(ph + 32, 0, 8);
	put16(ph + 34, (uint16_t)plen);
	ph[39] = 58;
	return csum_fold(csum_add_buf(csum_add_buf(0, ph, 40), f + 54, plen));
}

/*
 * A solicitation from 2001:db8:1::2 (cmac) for 2001:db8:113::10 with a
 * source link-layer option, or (dad) from :: without one.
 */
static uint32_t
ns_req(uint8_t *f, bool dad)
{
	uint32_t	 plen = dad ? 24 : 32;
	uint16_t	 ck;

	memset(f, 0, FMAX);
	memcpy(f, "\x33\x33\xff\x00\x00\x10", 6);
	memcpy(f + 6, cmac, 6);
	put16(f + 12, 0x86dd);
	f[14] = 0x60;
	put16(f + 18, (uint16_t)plen);
	f[20] = 58;
	f[21] = 255;
	if (!dad)
		ip6(f + 22, "2001:db8:1::2");
	ip6(f + 38, "ff02::1:ff00:10");
	f[54] = 135;
	ip6(f + 62, "2001:db8:113::10");
	if (!dad) {
		f[78] = 1;
		f[79] = 1;
		memcpy(f + 80, cmac, 6);
	}
	ck = icmp6_sum(f, plen);
	memcpy(f + 56, &ck, 2);
	return 54 + plen;
}

enum base { B_ARP, B_NS, B_DAD };

struct poke {
	uint16_t	 pk_off;
	uint8_t		 pk_val;
	bool		 pk_used;
};

static const struct dec_case {
	const char	*name;
	enum base	 base;
	int		 len;		/* -1: as built */
	struct poke	 poke;
	bool		 resum;		/* recompute the ICMPv6 checksum */
	int		 ret;
} dec_cases[] = {
	{ "arp request",	B_ARP, -1, { 0 }, false, 1 },
	{ "arp cut",		B_ARP, 41, { 0 }, false, -DROP_BAD_ARP },
	{ "arp htype 6",	B_ARP, -1, { 15, 6, true }, false, -DROP_BAD_ARP },
	{ "arp ptype 86dd",	B_ARP, -1, { 16, 0x86, true }, false,
	    -DROP_BAD_ARP },
	{ "arp hlen 8",		B_ARP, -1, { 18, 8, true }, false, -DROP_BAD_ARP },
	{ "arp plen 5",		B_ARP, -1, { 19, 5, true }, false, -DROP_BAD_ARP },
	{ "arp reply",		B_ARP, -1, { 21, 2, true }, false, 0 },
	{ "arp multicast sha",	B_ARP, -1, { 22, 1, true }, false,
	    -DROP_BAD_ARP },
	{ "arp announcement",	B_ARP, -1, { 31, 10, true }, false, 0 },
	{ "ns",			B_NS, -1, { 0 }, false, 1 },
	{ "ns dad",		B_DAD, -1, { 0 }, false, 1 },
	{ "ns cut",		B_NS, 77, { 0 }, false, -DROP_BAD_NS },
	{ "ns hop limit 64",	B_NS, -1, { 21, 64, true }, true, -DROP_BAD_NS },
	{ "ns code 1",		B_NS, -1, { 55, 1, true }, true, -DROP_BAD_NS },
	{ "ns bad checksum",	B_NS, -1, { 57, 0x5a, true }, false,
	    -DROP_BAD_NS },
	{ "ns multicast target", B_NS, -1, { 62, 0xff, true }, true,
	    -DROP_BAD_NS },
	{ "ns option len 0",	B_NS, -1, { 79, 0, true }, true, -DROP_BAD_NS },
	{ "ns option too long",	B_NS, -1, { 79, 2, true }, true, -DROP_BAD_NS },
	{ "ns unknown option",	B_NS, -1, { 78, 14, true }, true, 1 },
	{ "ns plen < 24",	B_NS, -1, { 19, 20, true }, false, -DROP_BAD_NS },
	{ "ns plen > frame",	B_NS, -1, { 19, 40, true }, false, -DROP_BAD_NS },
	{ "ns multicast sll",	B_NS, -1, { 80, 3, true }, true, -DROP_BAD_NS },
	{ "dad to another group", B_DAD, -1, { 53, 0x11, true }, true,
	    -DROP_BAD_NS },
	{ "na",			B_NS, -1, { 54, 136, true }, true, 0 },
	{ "echo request",	B_NS, -1, { 54, 128, true }, true, 0 },
	{ "not icmpv6",		B_NS, -1, { 20, 17, true }, false, 0 },
	{ "ipv4",		B_NS, -1, { 12, 0x08, true }, false, 0 },
	{ "runt",		B_NS, 13, { 0 }, false, 0 },
};

static uint32_t
build_base(uint8_t *f, enum base b)
{
	return b == B_ARP ? arp_req(f) : ns_req(f, b == B_DAD);
}

static void
test_arpnd_decode_cases(void **state)
{
	const struct dec_case	*c;
	struct arpnd_req	 rq;
	uint8_t			 f[FMAX];
	uint32_t		 len;
	uint16_t		 ck;
	size_t			 i;
	int			 r;

	for (i = 0; i < nitems(dec_cases); i++) {
		c = &dec_cases[i];
		len = build_base(f, c->base);
		if (c->poke.pk_used)
			f[c->poke.pk_off] = c->poke.pk_val;
		if (c->resum) {
			memset(f + 56, 0, 2);
			ck = icmp6_sum(f, len - 54);
			memcpy(f + 56, &ck, 2);
		}
		if (c->len >= 0)
			len = (uint32_t)c->len;
		r = arpnd_decode(f, len, &rq);
		if (r != c->ret)
			fail_msg("%s: got %d, want %d", c->name, r, c->ret);
	}
}

static void
test_arpnd_arp_reply(void **state)
{
	struct arpnd_req	 rq;
	uint8_t			 f[FMAX], r[FMAX];

	assert_int_equal(arpnd_decode(f, arp_req(f), &rq), 1);
	assert_int_equal(rq.rq_af, AF_INET);
	assert_memory_equal(rq.rq_mac, cmac, 6);
	assert_int_equal(rq.rq_target.w[0], htonl(0xc000020a));
	assert_int_equal(rq.rq_target.w[1] | rq.rq_target.w[3], 0);
	assert_int_equal(arpnd_build(r, &rq, dmac), ARPND_ARP_LEN);
	assert_memory_equal(r, cmac, 6);
	assert_memory_equal(r + 6, dmac, 6);
	assert_memory_equal(r + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x02",
	    10);
	assert_memory_equal(r + 22, dmac, 6);
	assert_memory_equal(r + 28, "\xc0\x00\x02\x0a", 4);
	assert_memory_equal(r + 32, cmac, 6);
	assert_memory_equal(r + 38, "\xc0\x00\x02\x01", 4);
	/* What it answers is itself no request. */
	assert_int_equal(arpnd_decode(r, ARPND_ARP_LEN, &rq), 0);
}

static void
test_arpnd_na(void **state)
{
	static const struct {
		bool		 dad;
		const char	*dst;
		uint8_t		 flags;
		const uint8_t	*mac;
	} cases[] = {
		{ false, "2001:db8:1::2", 0x60, cmac },
		{ true, "ff02::1", 0x20, (const uint8_t *)"\x33\x33\0\0\0\x01" },
	};
	struct arpnd_req	 rq;
	struct pkt		 p;
	uint8_t			 f[FMAX], r[FMAX], a[16];
	size_t			 i;

	for (i = 0; i < nitems(cases); i++) {
		assert_int_equal(arpnd_decode(f, ns_req(f, cases[i].dad), &rq),
		    1);
		assert_int_equal(rq.rq_dad, cases[i].dad);
		assert_int_equal(arpnd_build(r, &rq, dmac), ARPND_NA_LEN);
		assert_memory_equal(r, cases[i].mac, 6);
		assert_memory_equal(r + 6, dmac, 6);
		assert_int_equal(r[21], 255);
		ip6(a, "2001:db8:113::10");
		assert_memory_equal(r + 22, a, 16);	/* from the VIP */
		assert_memory_equal(r + 62, a, 16);	/* about it */
		ip6(a, cases[i].dst);
		assert_memory_equal(r + 38, a, 16);
		assert_int_equal(r[54], 136);
		assert_int_equal(r[58], cases[i].flags);
		assert_memory_equal(r + 78, "\x02\x01", 2);
		assert_memory_equal(r + 80, dmac, 6);
		assert_int_equal(icmp6_sum(r, ARPND_NA_LEN - 54), 0);
		/* pkt.c sees ICMPv6 behind a valid header; not a request. */
		assert_int_equal(pkt_parse(&p, r, ARPND_NA_LEN, NULL),
		    DROP_PROTO);
		assert_int_equal(arpnd_decode(r, ARPND_NA_LEN, &rq), 0);
	}
}

static void
test_arpnd_wants(void **state)
{
	struct arpnd	 an = { .an_n = 1 };
	struct addr	 a, b;

	assert_int_equal(addr_parse("2001:db8::10", &an.an_addr[0]), 0);
	assert_int_equal(addr_parse("2001:db8::10", &a), 0);
	assert_int_equal(addr_parse("192.0.2.10", &b), 0);
	assert_false(arpnd_wants(NULL, &a));
	assert_true(arpnd_wants(&an, &a));
	assert_false(arpnd_wants(&an, &b));
	an.an_all = true;
	assert_true(arpnd_wants(&an, &b));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arpnd_decode_cases),
		cmocka_unit_test(test_arpnd_arp_reply),
		cmocka_unit_test(test_arpnd_na),
		cmocka_unit_test(test_arpnd_wants),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
