/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 fragmentation (frag.c).  Each case builds a UDP datagram (with
 * options, a partial checksum, DF, ...), cuts it for an MTU and checks
 * every fragment as a receiver would: length within the MTU, payload a
 * multiple of 8 but the last, offsets that follow each other, MF on all
 * but the last, the same id, a valid header checksum, copied options
 * kept and the others turned into NOPs; then reassembles the pieces and
 * compares with the original, whose UDP checksum must verify.
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

#include "frag.h"
#include "pkt.h"
#include "stats.h"
#include "util.h"

#define VH		((uint32_t)sizeof(struct vnet_hdr))
#define DGRAM_MAX	65535

enum { OPT_NONE, OPT_RR, OPT_LSRR };	/* RR is not copied, LSRR is */

static const struct {
	const char	*name;
	uint32_t	 udplen;	/* UDP header + payload */
	int		 opt;		/* OPT_* */
	uint32_t	 mtu;
	bool		 partial;	/* NEEDS_CSUM: checksum left to the device */
	bool		 df;
	int		 ret;
	unsigned	 nfrags;
} cases[] = {
	{ "4000 in 1500",	4008, OPT_NONE, 1500, false, false, DROP_NONE, 3 },
	{ "9000 in 1500",	9008, OPT_NONE, 1500, false, false, DROP_NONE, 7 },
	{ "9000 partial",	9008, OPT_NONE, 1500, true,  false, DROP_NONE, 7 },
	{ "exact two",		2960, OPT_NONE, 1500, false, false, DROP_NONE, 2 },
	{ "one byte over",	1481, OPT_NONE, 1500, false, false, DROP_NONE, 2 },
	{ "odd mtu",		3000, OPT_NONE, 1499, false, false, DROP_NONE, 3 },
	{ "rr option",		5000, OPT_RR,   1500, false, false, DROP_NONE, 4 },
	{ "lsrr option",	5000, OPT_LSRR, 1500, true,  false, DROP_NONE, 4 },
	{ "minimum mtu",	600,  OPT_NONE, 68,   false, false, DROP_NONE, 13 },
	{ "64 KiB",		65507, OPT_NONE, 1500, true, false, DROP_NONE, 45 },
	{ "df",			4008, OPT_NONE, 1500, false, true,  DROP_TOO_BIG, 0 },
	{ "mtu too small",	600,  OPT_NONE, 27,   false, false, DROP_TOO_BIG, 0 },
};

static uint16_t
ld16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

/* RFC 1071, big-endian words, byte by byte: the naive reference. */
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

/* The UDP checksum over pseudo-header and datagram, 0 when valid. */
static uint16_t
udp_verify(const uint8_t *ip, uint32_t hlen)
{
	uint32_t	 ulen = ld16(ip + 2) - hlen, sum;

	sum = ld16(ip + 12) + ld16(ip + 14) + ld16(ip + 16) + ld16(ip + 18) +
	    IPPROTO_UDP + ulen;
	return ref_csum(sum, ip + hlen, ulen);
}

/* vnet header + Ethernet + IPv4 (+ options) + UDP; returns its length. */
static uint32_t
build(uint8_t *buf, unsigned i, uint32_t *ret_hlen)
{
	struct vnet_hdr	*vh = (struct vnet_hdr *)buf;
	uint8_t		*eth = buf + VH, *ip = eth + 14, *udp;
	uint32_t	 hlen = cases[i].opt == OPT_NONE ? 20 : 32, k, sum;
	uint16_t	 c;

	memset(buf, 0, VH + 14 + hlen + 8);
	memset(eth, 0xaa, 6);
	memset(eth + 6, 0xbb, 6);
	put16(eth + 12, 0x0800);
	ip[0] = (uint8_t)(0x40 | hlen / 4);
	put16(ip + 2, (uint16_t)(hlen + cases[i].udplen));
	put16(ip + 4, 0x1234);
	put16(ip + 6, cases[i].df ? 0x4000 : 0);
	ip[8] = 64;
	ip[9] = IPPROTO_UDP;
	memcpy(ip + 12, "\xc0\x00\x02\x01\xcb\x00\x71\x14", 8);
	if (cases[i].opt != OPT_NONE) {
		/* A route option of 11 bytes, then NOP, END padding. */
		ip[20] = cases[i].opt == OPT_RR ? 7 : 0x83;
		ip[21] = 11;
		ip[22] = 4;
		memcpy(ip + 23, "\x0a\x00\x00\x01\x0a\x00\x00\x02", 8);
		ip[31] = 0;
	}
	put16(ip + 10, ref_csum(0, ip, hlen));
	udp = ip + hlen;
	put16(udp, 5353);
	put16(udp + 2, 9000);
	put16(udp + 4, (uint16_t)cases[i].udplen);
	for (k = 8; k < cases[i].udplen; k++)
		udp[k] = (uint8_t)(k * 7 + i);
	sum = ld16(ip + 12) + ld16(ip + 14) + ld16(ip + 16) + ld16(ip + 18) +
	    IPPROTO_UDP + cases[i].udplen;
	if (cases[i].partial) {
		/* What a device expects: the pseudo-header sum, not complemented. */
		c = (uint16_t)~ref_csum(sum, NULL, 0);
		put16(udp + 6, c);
		vh->vh_flags = VNET_F_NEEDS_CSUM;
		vh->vh_csum_start = (uint16_t)(14 + hlen);
		vh->vh_csum_offset = 6;
	} else {
		c = ref_csum(sum, udp, cases[i].udplen);
		put16(udp + 6, c ? c : 0xffff);
	}
	*ret_hlen = hlen;
	return VH + 14 + hlen + cases[i].udplen;
}

static void
check_case(unsigned i, uint8_t *buf, uint8_t *out, uint8_t *re)
{
	struct frag	 f;
	uint8_t		 orig[14 + 32];
	uint8_t		*fr, *ip;
	uint32_t	 len, hlen, n, total, used = 0, next = 0, plen;
	unsigned	 nf = 0;
	int		 r;

	len = build(buf, i, &hlen);
	memcpy(orig, buf + VH, 14 + hlen);
	r = frag_start(&f, buf + VH, len - VH, (struct vnet_hdr *)buf,
	    cases[i].mtu);
	if (r != cases[i].ret)
		fail_msg("%s: frag_start %d, want %d", cases[i].name, r,
		    cases[i].ret);
	if (r != DROP_NONE)
		return;
	total = frag_total(&f);
	plen = cases[i].udplen;
	while ((n = frag_next(&f, out + used)) != 0) {
		fr = out + used;
		ip = fr + VH + 14;
		used += n;
		if (used > total)
			fail_msg("%s: fragments exceed frag_total %u", cases[i].name,
			    total);
		assert_memory_equal(fr, "\0\0\0\0\0\0\0\0\0\0", VH);
		assert_memory_equal(fr + VH, orig, 14);
		if (n - VH - 14 > cases[i].mtu || ld16(ip + 2) != n - VH - 14)
			fail_msg("%s: fragment %u: %u bytes for mtu %u",
			    cases[i].name, nf, n - VH - 14, cases[i].mtu);
		assert_int_equal(ip[0], orig[14]);
		assert_int_equal(ld16(ip + 4), 0x1234);
		assert_int_equal(ref_csum(0, ip, hlen), 0);
		assert_int_equal((ld16(ip + 6) & 0x1fff) * 8, next);
		assert_int_equal(ld16(ip + 6) & 0x4000, 0);
		n -= VH + 14 + hlen;
		next += n;
		if (next < plen) {
			assert_int_equal(ld16(ip + 6) & 0x2000, 0x2000);
			assert_int_equal(n % 8, 0);
		} else
			assert_int_equal(ld16(ip + 6) & 0x2000, 0);
		if (cases[i].opt == OPT_RR && nf > 0)
			assert_memory_equal(ip + 20, "\1\1\1\1\1\1\1\1\1\1\1", 11);
		else
			assert_memory_equal(ip + 20, orig + 14 + 20, hlen - 20);
		memcpy(re + hlen + next - n, ip + hlen, n);
		nf++;
	}
	assert_int_equal(used, total);
	assert_int_equal(nf, cases[i].nfrags);
	assert_int_equal(next, plen);
	/* Reassembled: the original header, its payload, a valid checksum. */
	memcpy(re, orig + 14, hlen);
	assert_memory_equal(re + hlen, buf + VH + 14 + hlen, plen);
	if (udp_verify(re, hlen) != 0)
		fail_msg("%s: reassembled UDP checksum does not verify",
		    cases[i].name);
}

static void
test_frag_cases(void **state)
{
	uint8_t		*buf, *out, *re;
	unsigned	 i;

	(void)state;
	buf = malloc(VH + 14 + DGRAM_MAX);
	out = malloc(2 * (VH + 14 + DGRAM_MAX) + 1400 * 64);
	re = malloc(DGRAM_MAX);
	assert_non_null(buf);
	assert_non_null(out);
	assert_non_null(re);
	for (i = 0; i < nitems(cases); i++)
		check_case(i, buf, out, re);
	free(buf);
	free(out);
	free(re);
}

/* Frames that are not an IPv4 datagram they can be cut from. */
static void
test_frag_refuses(void **state)
{
	static const struct {
		const char	*name;
		size_t		 off;
		uint8_t		 val;
		int		 ret;
	} bad[] = {
		{ "arp",		13, 0x06, DROP_TOO_BIG },	/* 0x0806 */
		{ "version 6",		14, 0x65, DROP_TOO_BIG },
		{ "ihl 4",		14, 0x44, DROP_BAD_LEN },
		{ "length beyond",	16, 0xff, DROP_BAD_LEN },
	};
	uint8_t		 frame[14 + 20 + 100];
	struct frag	 f;
	unsigned	 i;

	(void)state;
	for (i = 0; i < nitems(bad); i++) {
		memset(frame, 0, sizeof(frame));
		put16(frame + 12, 0x0800);
		frame[14] = 0x45;
		put16(frame + 16, 120);
		frame[bad[i].off] = bad[i].val;
		if (frag_start(&f, frame, sizeof(frame), NULL, 68) != bad[i].ret)
			fail_msg("%s: not refused as %d", bad[i].name, bad[i].ret);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_frag_cases),
		cmocka_unit_test(test_frag_refuses),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
