/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ring filter (filter.c): programs built from hand-made snapshots
 * are run on sample frames by a small classic BPF interpreter, which
 * knows only the instructions filter.c emits and fails the test on any
 * other, and checks jumps the way the kernel's verifier does.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "arpnd.h"
#include "conn.h"
#include "conn_tcp.h"
#include "filter.h"
#include "laddr.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define ACCEPT		0xffffffffU
#define FRAME_LEN	54		/* Ethernet + IPv4 + TCP */

/* Run <prog> on <pkt> like the kernel: a load past the end returns 0. */
static uint32_t
bpf_run(const struct sock_fprog *prog, const uint8_t *pkt, size_t len)
{
	const struct sock_filter	*f;
	uint32_t			 a = 0, x = 0, k;
	unsigned			 pc = 0;

	for (;;) {
		assert_true(pc < prog->len);
		f = &prog->filter[pc++];
		k = f->k;
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (k + 4 > len)
				return 0;
			a = (uint32_t)pkt[k] << 24 | (uint32_t)pkt[k + 1] << 16 |
			    (uint32_t)pkt[k + 2] << 8 | pkt[k + 3];
			break;
		case BPF_LD | BPF_H | BPF_ABS:
			if (k + 2 > len)
				return 0;
			a = (uint32_t)pkt[k] << 8 | pkt[k + 1];
			break;
		case BPF_LD | BPF_B | BPF_ABS:
			if (k + 1 > len)
				return 0;
			a = pkt[k];
			break;
		case BPF_LD | BPF_W | BPF_IND:
			k += x;
			if (k + 4 > len)
				return 0;
			a = (uint32_t)pkt[k] << 24 | (uint32_t)pkt[k + 1] << 16 |
			    (uint32_t)pkt[k + 2] << 8 | pkt[k + 3];
			break;
		case BPF_LDX | BPF_B | BPF_MSH:
			if (k + 1 > len)
				return 0;
			x = 4 * (pkt[k] & 0xf);
			break;
		case BPF_JMP | BPF_JA:
			pc += k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JGT | BPF_K:
			pc += a > k ? f->jt : f->jf;
			break;
		case BPF_RET | BPF_K:
			return k;
		default:
			fail_msg("unexpected opcode %#x at %u", f->code, pc - 1);
		}
	}
}

/* What sk_chk_filter() insists on: length, jumps in range, ends in ret. */
static void
bpf_check(const struct sock_fprog *prog)
{
	const struct sock_filter	*f;
	unsigned			 i;

	assert_true(prog->len >= 1 && prog->len <= BPF_MAXINSNS);
	for (i = 0; i < prog->len; i++) {
		f = &prog->filter[i];
		if (BPF_CLASS(f->code) != BPF_JMP)
			continue;
		if (BPF_OP(f->code) == BPF_JA)
			assert_true(i + 1 + f->k < prog->len);
		else {
			assert_true(i + 1 + f->jt < prog->len);
			assert_true(i + 1 + f->jf < prog->len);
		}
	}
	assert_int_equal(BPF_CLASS(prog->filter[prog->len - 1].code), BPF_RET);
}

static void
frame(uint8_t *pkt, uint16_t type, const char *src, const char *dst)
{
	struct addr	 a;

	memset(pkt, 0, FRAME_LEN);
	pkt[12] = type >> 8;
	pkt[13] = type & 0xff;
	pkt[14] = 0x45;
	pkt[23] = IPPROTO_TCP;
	assert_int_equal(addr_parse(src, &a), 0);
	memcpy(pkt + 26, &a.a.v4, 4);
	assert_int_equal(addr_parse(dst, &a), 0);
	memcpy(pkt + 30, &a.a.v4, 4);
}

/* A snapshot as table_commit() would publish it, minus hash and states. */
struct rs_spec {
	const char	*rip;
	int		 method;
};

struct svc_spec {
	int		 proto;
	const char	*vip;
	struct rs_spec	 rs[4];		/* ends at rip == NULL */
};

static struct table *
table_make(const struct svc_spec *spec, size_t n)
{
	struct table	*t;
	struct svc	*svc;
	unsigned	 i, j;

	t = calloc(1, sizeof(*t));
	assert_non_null(t);
	t->t_gen = 1;
	t->t_nsvc = n;
	t->t_svc = calloc(n ? n : 1, sizeof(*t->t_svc));
	assert_non_null(t->t_svc);
	for (i = 0; i < n; i++) {
		svc = &t->t_svc[i];
		svc->svc_proto = spec[i].proto;
		assert_int_equal(ep_parse(spec[i].vip, true, &svc->svc_ep), 0);
		for (j = 0; spec[i].rs[j].rip != NULL; j++)
			;
		svc->svc_nrs = j;
		svc->svc_rs = calloc(j ? j : 1, sizeof(*svc->svc_rs));
		assert_non_null(svc->svc_rs);
		for (j = 0; j < svc->svc_nrs; j++) {
			assert_int_equal(ep_parse(spec[i].rs[j].rip, true,
			    &svc->svc_rs[j].rs_ep), 0);
			svc->svc_rs[j].rs_weight = 1;
			svc->svc_rs[j].rs_method = spec[i].rs[j].method;
		}
	}
	return t;
}

/* <n> tcp services on 10.<i>.<i>.<i>:80, none with a real server. */
static struct table *
table_make_many(unsigned n)
{
	struct table	*t;
	unsigned	 i;

	t = table_make(NULL, 0);
	free(t->t_svc);
	t->t_nsvc = n;
	t->t_svc = calloc(n, sizeof(*t->t_svc));
	assert_non_null(t->t_svc);
	for (i = 0; i < n; i++) {
		t->t_svc[i].svc_proto = IPPROTO_TCP;
		addr_set_v4(&t->t_svc[i].svc_ep.ep_addr, htonl(0x0a000000 + i));
		t->t_svc[i].svc_ep.ep_port = htons(80);
	}
	return t;
}

static void
table_drop(struct table *t)
{
	unsigned	 i;

	if (t == NULL)
		return;
	for (i = 0; i < t->t_nsvc; i++)
		free(t->t_svc[i].svc_rs);
	free(t->t_svc);
	free(t);
}

static const struct svc_spec mixed[] = {
	{ IPPROTO_TCP, "192.0.2.10:80", {
		{ "10.0.0.11:80", XMIT_NAT },
		{ "10.0.0.12:80", XMIT_DR },
		{ "10.0.0.13:80", XMIT_TUN },
		{ NULL, 0 } } },
	{ IPPROTO_UDP, "192.0.2.10:53", {	/* same VIP, same nat RIP */
		{ "10.0.0.11:53", XMIT_NAT },
		{ NULL, 0 } } },
	{ IPPROTO_TCP, "192.0.2.20:443", { { NULL, 0 } } },
	{ IPPROTO_TCP, "[2001:db8::1]:80", {
		{ "[2001:db8::11]:80", XMIT_NAT },
		{ NULL, 0 } } },
};

static const struct {
	const char	*what;
	uint16_t	 type;
	const char	*src, *dst;
	size_t		 len;
	uint32_t	 ret;
} frames[] = {
	{ "to a VIP",		0x0800, "198.51.100.1", "192.0.2.10", FRAME_LEN, ACCEPT },
	{ "to another VIP",	0x0800, "198.51.100.1", "192.0.2.20", FRAME_LEN, ACCEPT },
	{ "to another address",	0x0800, "198.51.100.1", "192.0.2.11", FRAME_LEN, 0 },
	{ "from a nat RIP",	0x0800, "10.0.0.11", "198.51.100.1", FRAME_LEN, ACCEPT },
	{ "from a dr RIP",	0x0800, "10.0.0.12", "198.51.100.1", FRAME_LEN, 0 },
	{ "from a tun RIP",	0x0800, "10.0.0.13", "198.51.100.1", FRAME_LEN, 0 },
	{ "ARP for a VIP",	0x0806, "10.0.0.11", "192.0.2.10", FRAME_LEN, 0 },
	{ "IPv6",		0x86dd, "10.0.0.11", "192.0.2.10", FRAME_LEN, 0 },
	{ "VLAN tag",		0x8100, "10.0.0.11", "192.0.2.10", FRAME_LEN, 0 },
	{ "truncated header",	0x0800, "198.51.100.1", "192.0.2.10", 32, 0 },
	{ "runt",		0x0800, "198.51.100.1", "192.0.2.10", 12, 0 },
};

static void
test_filter_build_when_mixed(void **state)
{
	struct sock_fprog	 prog;
	struct table		*t;
	uint8_t			 pkt[FRAME_LEN];
	size_t			 i;

	t = table_make(mixed, nitems(mixed));
	assert_int_equal(filter_build(t, NULL, &prog), 0);
	bpf_check(&prog);
	/*
	 * Dispatch 6; IPv4: 2 unique VIPs and 1 unique nat RIP, (1 + 2 * 2)
	 * + (1 + 2 * 1) + the ICMP quote's (5 + 2 * 1) + a tun RIP's
	 * (1 + 2 * 1) + 1; IPv6: one VIP, one RIP, 9 + 9 + the ICMPv6
	 * quote's 3 + 9, + 1.
	 */
	assert_int_equal(prog.len, 6 + 19 + 31);
	for (i = 0; i < nitems(frames); i++) {
		frame(pkt, frames[i].type, frames[i].src, frames[i].dst);
		if (bpf_run(&prog, pkt, frames[i].len) != frames[i].ret)
			fail_msg("%s: expected %#x", frames[i].what,
			    frames[i].ret);
	}
	filter_free(&prog);
	assert_null(prog.filter);
	table_drop(t);
}

/* ICMP errors from anywhere, quoting a packet to <qdst>, IP header <ihl>. */
static const struct {
	const char	*what;
	const char	*src, *dst, *qdst;
	uint8_t		 proto, ihl;
	size_t		 len;
	uint32_t	 ret;
} icmps[] = {
	{ "router, about a nat RIP", "10.0.9.1", "198.51.100.1", "10.0.0.11",
	    IPPROTO_ICMP, 5, 62, ACCEPT },
	{ "router with options",	"10.0.9.1", "198.51.100.1", "10.0.0.11",
	    IPPROTO_ICMP, 6, 66, ACCEPT },
	{ "router, about a dr RIP",	"10.0.9.1", "198.51.100.1", "10.0.0.12",
	    IPPROTO_ICMP, 5, 62, 0 },
	{ "router, about a tunnel",	"10.0.9.1", "198.51.100.1", "10.0.0.13",
	    IPPROTO_ICMP, 5, 62, ACCEPT },
	{ "not ICMP",			"10.0.9.1", "198.51.100.1", "10.0.0.11",
	    IPPROTO_UDP, 5, 62, 0 },
	{ "quote cut short",		"10.0.9.1", "198.51.100.1", "10.0.0.11",
	    IPPROTO_ICMP, 5, 57, 0 },
	{ "to a VIP",			"10.0.9.1", "192.0.2.10", "198.51.100.1",
	    IPPROTO_ICMP, 5, 62, ACCEPT },
	{ "from a nat RIP",		"10.0.0.11", "198.51.100.1", "10.0.0.11",
	    IPPROTO_ICMP, 5, 62, ACCEPT },
};

static void
test_filter_build_icmp(void **state)
{
	struct sock_fprog	 prog;
	struct table		*t;
	struct addr		 a;
	uint8_t			 pkt[80];
	size_t			 i, q;

	t = table_make(mixed, nitems(mixed));
	assert_int_equal(filter_build(t, NULL, &prog), 0);
	bpf_check(&prog);
	for (i = 0; i < nitems(icmps); i++) {
		memset(pkt, 0, sizeof(pkt));
		frame(pkt, 0x0800, icmps[i].src, icmps[i].dst);
		pkt[14] = (uint8_t)(0x40 | icmps[i].ihl);
		pkt[23] = icmps[i].proto;
		q = 14 + 4 * icmps[i].ihl + 8;
		pkt[q] = 0x45;
		assert_int_equal(addr_parse(icmps[i].qdst, &a), 0);
		memcpy(pkt + q + 16, &a.a.v4, 4);
		if (bpf_run(&prog, pkt, icmps[i].len) != icmps[i].ret)
			fail_msg("%s: expected %#x", icmps[i].what,
			    icmps[i].ret);
	}
	filter_free(&prog);
	table_drop(t);
}

static void
test_filter_build_when_empty(void **state)
{
	static const struct svc_spec v6only[] = {
		{ IPPROTO_TCP, "[2001:db8::1]:80", { { NULL, 0 } } },
	};
	struct sock_fprog	 prog;
	struct table		*tables[3];
	uint8_t			 pkt[FRAME_LEN];
	size_t			 i, j;

	tables[0] = NULL;
	tables[1] = table_make(NULL, 0);
	tables[2] = table_make(v6only, nitems(v6only));
	for (i = 0; i < nitems(tables); i++) {
		assert_int_equal(filter_build(tables[i], NULL, &prog), 0);
		bpf_check(&prog);
		/* An IPv6 service makes a program that IPv4 frames fail. */
		assert_int_equal(prog.len, i < 2 ? 1 : 6 + 1 + 10);
		for (j = 0; j < nitems(frames); j++) {
			frame(pkt, frames[j].type, frames[j].src,
			    frames[j].dst);
			assert_int_equal(bpf_run(&prog, pkt, frames[j].len), 0);
		}
		filter_free(&prog);
		table_drop(tables[i]);
	}
}

static void
test_filter_build_when_at_limit(void **state)
{
	struct sock_fprog	 prog;
	struct table		*t;
	uint8_t			 pkt[FRAME_LEN];

	t = table_make_many(FILTER_ADDR_MAX);
	assert_int_equal(filter_build(t, NULL, &prog), 0);
	bpf_check(&prog);
	assert_int_equal(prog.len, 6 + 1 + 2 * FILTER_ADDR_MAX + 1 + 1);
	frame(pkt, 0x0800, "198.51.100.1", "10.0.0.0");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), ACCEPT);
	frame(pkt, 0x0800, "198.51.100.1", "10.0.3.231");	/* the 1000th */
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), ACCEPT);
	frame(pkt, 0x0800, "198.51.100.1", "10.0.3.232");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), 0);
	filter_free(&prog);
	table_drop(t);
}

static void
test_filter_build_when_over_limit(void **state)
{
	struct sock_fprog	 prog;
	struct table		*t;
	uint8_t			 pkt[FRAME_LEN];
	size_t			 i;

	t = table_make_many(FILTER_ADDR_MAX + 1);
	assert_int_equal(filter_build(t, NULL, &prog), 0);
	bpf_check(&prog);
	assert_true(prog.len <= 8);
	for (i = 0; i < nitems(frames); i++) {
		frame(pkt, frames[i].type, frames[i].src, frames[i].dst);
		assert_int_equal(bpf_run(&prog, pkt, frames[i].len),
		    frames[i].type == 0x0800 && frames[i].len >= 14 ?
		    ACCEPT : 0);
	}
	filter_free(&prog);
	table_drop(t);
}

#define FRAME6_LEN	102	/* Ethernet + IPv6 + ICMPv6 quoting IPv6 */

/*
 * An IPv6 frame, or with <ns> a neighbour solicitation for <dst>, or
 * with <quote> an ICMPv6 error quoting a packet to <quote>.
 */
static void
frame6q(uint8_t *pkt, const char *src, const char *dst, bool ns,
    const char *quote)
{
	struct addr	 a;

	memset(pkt, 0, FRAME6_LEN);
	pkt[12] = 0x86;
	pkt[13] = 0xdd;
	pkt[14] = 0x60;
	pkt[20] = ns ? 58 : IPPROTO_TCP;
	assert_int_equal(addr_parse(src, &a), 0);
	memcpy(pkt + 22, &a.a, 16);
	assert_int_equal(addr_parse(dst, &a), 0);
	if (quote != NULL) {
		memcpy(pkt + 38, &a.a, 16);
		pkt[20] = 58;
		pkt[54] = 1;		/* destination unreachable */
		pkt[62] = 0x60;
		assert_int_equal(addr_parse(quote, &a), 0);
		memcpy(pkt + 86, &a.a, 16);
		return;
	}
	if (!ns) {
		memcpy(pkt + 38, &a.a, 16);
		return;
	}
	/* To the solicited-node group; the target in the message. */
	memcpy(pkt + 38, "\xff\x02\0\0\0\0\0\0\0\0\0\x01\xff", 13);
	memcpy(pkt + 51, &a.a.b[13], 3);
	pkt[54] = 135;
	memcpy(pkt + 62, &a.a, 16);
}

static void
frame6(uint8_t *pkt, const char *src, const char *dst, bool ns)
{
	frame6q(pkt, src, dst, ns, NULL);
}

/* An ARP request from <spa> for <tpa>. */
static void
frame_arp(uint8_t *pkt, const char *spa, const char *tpa)
{
	struct addr	 a;

	memset(pkt, 0, FRAME_LEN);
	memcpy(pkt + 12, "\x08\x06\x00\x01\x08\x00\x06\x04\x00\x01", 10);
	assert_int_equal(addr_parse(spa, &a), 0);
	memcpy(pkt + 28, &a.a.v4, 4);
	assert_int_equal(addr_parse(tpa, &a), 0);
	memcpy(pkt + 38, &a.a.v4, 4);
}

static const struct {
	const char	*what;
	int		 kind;		/* 4: IPv4, 6: IPv6, 'n': NS, 'a': ARP */
	const char	*src, *dst;
	uint32_t	 none, some;	/* answering nothing, 192.0.2.10 + ::1 */
} frames6[] = {
	{ "v6 to a VIP",	6, "2001:db8:9::1", "2001:db8::1", ACCEPT, ACCEPT },
	{ "v6 to another",	6, "2001:db8:9::1", "2001:db8::2", 0, 0 },
	{ "v6 from a nat RIP",	6, "2001:db8::11", "2001:db8:9::1", ACCEPT, ACCEPT },
	{ "v6 from elsewhere",	6, "2001:db8::12", "2001:db8:9::1", 0, 0 },
	{ "v6 VIP's low word",	6, "2001:db8:9::1", "2001:db9::1", 0, 0 },
	{ "NS for a VIP",	'n', "2001:db8:9::1", "2001:db8::1", 0, ACCEPT },
	{ "NS for another",	'n', "2001:db8:9::1", "2001:db8::2", 0, 0 },
	{ "NS for a RIP",	'n', "2001:db8:9::1", "2001:db8::11", 0, 0 },
	{ "ARP for a VIP",	'a', "192.0.2.99", "192.0.2.10", 0, ACCEPT },
	{ "ARP for a VIP not answered", 'a', "192.0.2.99", "192.0.2.20", 0, 0 },
	{ "ARP for a RIP",	'a', "192.0.2.99", "10.0.0.11", 0, 0 },
	{ "v4 to a VIP",	4, "198.51.100.1", "192.0.2.10", ACCEPT, ACCEPT },
	/* 'q': the destination is the quoted packet's. */
	{ "ICMPv6 about a nat RIP", 'q', "2001:db8:9::fe", "2001:db8::11",
	    ACCEPT, ACCEPT },
	{ "ICMPv6 about another", 'q', "2001:db8:9::fe", "2001:db8::12", 0, 0 },
};

static void
test_filter_build_when_ipv6_and_answering(void **state)
{
	struct sock_fprog	 prog;
	struct arpnd		 an;
	struct table		*t;
	uint8_t			 pkt[FRAME6_LEN];
	size_t			 i, len;
	uint32_t		 r;
	int			 pass;

	t = table_make(mixed, nitems(mixed));
	memset(&an, 0, sizeof(an));
	an.an_n = 3;
	assert_int_equal(addr_parse("192.0.2.10", &an.an_addr[0]), 0);
	assert_int_equal(addr_parse("2001:db8::1", &an.an_addr[1]), 0);
	/* Not a VIP: listed but never answered. */
	assert_int_equal(addr_parse("10.0.0.11", &an.an_addr[2]), 0);
	for (pass = 0; pass < 2; pass++) {
		assert_int_equal(filter_build(t, pass ? &an : NULL, &prog), 0);
		bpf_check(&prog);
		for (i = 0; i < nitems(frames6); i++) {
			len = FRAME6_LEN;
			if (frames6[i].kind == 4) {
				frame(pkt, 0x0800, frames6[i].src,
				    frames6[i].dst);
				len = FRAME_LEN;
			} else if (frames6[i].kind == 'a') {
				frame_arp(pkt, frames6[i].src, frames6[i].dst);
				len = 42;
			} else if (frames6[i].kind == 'q')
				frame6q(pkt, frames6[i].src, "2001:db8:9::1",
				    false, frames6[i].dst);
			else
				frame6(pkt, frames6[i].src, frames6[i].dst,
				    frames6[i].kind == 'n');
			r = bpf_run(&prog, pkt, len);
			if (r != (pass ? frames6[i].some : frames6[i].none))
				fail_msg("%s, %s: got %#x", frames6[i].what,
				    pass ? "answering" : "not answering", r);
		}
		/* Cut short: loads past the end fail the frame. */
		frame6(pkt, "2001:db8:9::1", "2001:db8::1", false);
		assert_int_equal(bpf_run(&prog, pkt, 50), 0);
		filter_free(&prog);
	}
	table_drop(t);
}

/* Too many for 4096 instructions: IPv6 is admitted wholesale. */
static void
test_filter_build_when_too_long(void **state)
{
	struct sock_fprog	 prog;
	struct arpnd		 an = { .an_all = true };
	struct table		*t;
	struct svc		*svc;
	uint8_t			 pkt[FRAME6_LEN];
	unsigned		 i, n6 = 150;

	t = table_make_many(FILTER_ADDR_MAX);
	t->t_svc = realloc(t->t_svc, (t->t_nsvc + n6) * sizeof(*t->t_svc));
	assert_non_null(t->t_svc);
	for (i = 0; i < n6; i++) {
		svc = &t->t_svc[t->t_nsvc + i];
		memset(svc, 0, sizeof(*svc));
		svc->svc_proto = IPPROTO_TCP;
		assert_int_equal(addr_parse("2001:db8::", &svc->svc_ep.ep_addr),
		    0);
		svc->svc_ep.ep_addr.a.b[15] = (uint8_t)i;
		svc->svc_ep.ep_addr.a.b[14] = (uint8_t)(i >> 8);
		svc->svc_ep.ep_port = htons(80);
	}
	t->t_nsvc += n6;
	assert_int_equal(filter_build(t, &an, &prog), 0);
	bpf_check(&prog);
	frame_arp(pkt, "192.0.2.99", "10.0.0.5");
	assert_int_equal(bpf_run(&prog, pkt, 42), ACCEPT);
	frame_arp(pkt, "192.0.2.99", "192.0.2.10");
	assert_int_equal(bpf_run(&prog, pkt, 42), 0);
	frame6(pkt, "2001:db8:9::1", "2001:db8:77::1", false);
	assert_int_equal(bpf_run(&prog, pkt, FRAME6_LEN), ACCEPT);
	frame(pkt, 0x0800, "198.51.100.1", "10.0.3.231");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), ACCEPT);
	frame(pkt, 0x0800, "198.51.100.1", "10.0.3.232");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), 0);
	filter_free(&prog);
	table_drop(t);
}

/* Replies of fullnat real servers come to the service's LIPs. */
static void
test_filter_build_when_fullnat(void **state)
{
	static const struct svc_spec fn[] = {
		{ IPPROTO_TCP, "192.0.2.30:80", {
			{ "10.0.0.21:8080", XMIT_FULLNAT },
			{ NULL, 0 } } },
	};
	struct conn_timeouts	 to;
	struct conn_table	*ct;
	struct laddr_set	*ls;
	struct sock_fprog	 prog;
	struct table		*t;
	struct addr		 a1, a2;
	uint8_t			 pkt[FRAME_LEN];

	(void)state;
	tcp_timeouts_default(&to);
	assert_non_null(ct = conn_table_new(64, 4, &to));
	assert_non_null(ls = laddr_set_new(ct, 1024, 1100));
	assert_int_equal(addr_parse("10.0.3.1", &a1), 0);
	assert_int_equal(addr_parse("10.0.3.2", &a2), 0);
	t = table_make(fn, nitems(fn));
	t->t_svc[0].svc_nladdr = 2;
	t->t_svc[0].svc_laddr[0] = laddr_get(ls, &a1);
	t->t_svc[0].svc_laddr[1] = laddr_get(ls, &a2);
	assert_int_equal(filter_build(t, NULL, &prog), 0);
	bpf_check(&prog);
	frame(pkt, 0x0800, "10.0.0.21", "10.0.3.1");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), ACCEPT);
	frame(pkt, 0x0800, "10.0.0.21", "10.0.3.2");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), ACCEPT);
	frame(pkt, 0x0800, "198.51.100.1", "192.0.2.30");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), ACCEPT);
	/* A fullnat RIP's other traffic is not ours (unlike nat's). */
	frame(pkt, 0x0800, "10.0.0.21", "10.0.3.3");
	assert_int_equal(bpf_run(&prog, pkt, FRAME_LEN), 0);
	filter_free(&prog);
	table_drop(t);
	laddr_set_free(ls);
	conn_table_free(ct, NULL, NULL);
}

static void
test_filter_free_when_null(void **state)
{
	struct sock_fprog	 prog = { 0, NULL };

	filter_free(NULL);
	filter_free(&prog);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter_build_when_mixed),
		cmocka_unit_test(test_filter_build_icmp),
		cmocka_unit_test(test_filter_build_when_empty),
		cmocka_unit_test(test_filter_build_when_at_limit),
		cmocka_unit_test(test_filter_build_when_over_limit),
		cmocka_unit_test(test_filter_build_when_ipv6_and_answering),
		cmocka_unit_test(test_filter_build_when_too_long),
		cmocka_unit_test(test_filter_build_when_fullnat),
		cmocka_unit_test(test_filter_free_when_null),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
