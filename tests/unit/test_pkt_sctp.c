/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SCTP in pkt.c: parsing the common header and the first chunk (good,
 * truncated, malformed), the chunk that drives the state, and the CRC32c
 * after rewrites and for partial checksums, checked against a
 * bit-at-a-time CRC over the frame built here.
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

#include "conn_sctp.h"
#include "crc32c.h"
#include "pkt.h"
#include "stats.h"
#include "util.h"

#define FRAME_MAX	256
#define L3		14

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

/*
 * Fill the checksum of the SCTP packet at <s> (<len> bytes); crc32c() is
 * held to RFC 3720's vectors and a bitwise reference by test_crc32c.
 */
static void
ref_fill(uint8_t *s, size_t len)
{
	uint32_t	 c;

	memset(s + 8, 0, 4);
	c = crc32c(s, len);
	s[8] = (uint8_t)c;
	s[9] = (uint8_t)(c >> 8);
	s[10] = (uint8_t)(c >> 16);
	s[11] = (uint8_t)(c >> 24);
}

/* The IPv4 header checksum of the 20 bytes at <ip>, by reference. */
static uint16_t
ip_csum(const uint8_t *ip)
{
	uint32_t	 sum = 0;
	unsigned	 i;

	for (i = 0; i < 20; i += 2)
		sum += (uint32_t)(ip[i] << 8 | ip[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Ethernet, IPv4 or IPv6 (192.0.2.1 -> 192.0.2.10, 2001:db8::1 ->
 * 2001:db8::10), SCTP 40000 -> 80 with vtag 0x01020304 and <clen> bytes
 * of chunks <ch>.  Returns the frame length.
 */
static uint32_t
build(uint8_t *f, int af, const uint8_t *ch, size_t clen)
{
	uint8_t		*ip = f + L3, *s;
	uint32_t	 l4len = 12 + (uint32_t)clen, l3h;

	memset(f, 0, FRAME_MAX);
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	if (af == AF_INET) {
		put16(f + 12, 0x0800);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + l4len));
		put16(ip + 6, 0x4000);
		ip[8] = 64;
		ip[9] = IPPROTO_SCTP;
		memcpy(ip + 12, "\xc0\x00\x02\x01\xc0\x00\x02\x0a", 8);
		put16(ip + 10, ip_csum(ip));
		l3h = 20;
	} else {
		put16(f + 12, 0x86dd);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = IPPROTO_SCTP;
		ip[7] = 64;
		inet_pton(AF_INET6, "2001:db8::1", ip + 8);
		inet_pton(AF_INET6, "2001:db8::10", ip + 24);
		l3h = 40;
	}
	s = ip + l3h;
	put16(s, 40000);
	put16(s + 2, 80);
	memcpy(s + 4, "\x01\x02\x03\x04", 4);
	memcpy(s + 12, ch, clen);
	ref_fill(s, l4len);
	return L3 + l3h + l4len;
}

/* Chunks: INIT (20 bytes), DATA with 4 bytes, COOKIE ECHO then ABORT. */
static const uint8_t c_init[20] = {
	SCTP_CID_INIT, 0, 0, 20, 0xaa, 0xbb, 0xcc, 0xdd, 0, 1, 0, 0,
	0, 10, 0, 10, 0x11, 0x22, 0x33, 0x44,
};
static const uint8_t c_data[20] = {
	SCTP_CID_DATA, 3, 0, 20, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
	'e', 'c', 'h', 'o',
};
static const uint8_t c_echo_abort[12] = {
	SCTP_CID_COOKIE_ECHO, 0, 0, 6, 0x55, 0x66, 0, 0,
	SCTP_CID_ABORT, 0, 0, 4,
};
static const uint8_t c_echo_data[24] = {
	SCTP_CID_COOKIE_ECHO, 0, 0, 8, 0x55, 0x66, 0x77, 0x88,
	SCTP_CID_DATA, 3, 0, 16, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0,
};
static const uint8_t c_ack_abort_cut[10] = {
	SCTP_CID_COOKIE_ACK, 0, 0, 4, SCTP_CID_ABORT, 0, 0, 4, 0, 0,
};
static const uint8_t c_len3[4] = { SCTP_CID_DATA, 0, 0, 3 };
static const uint8_t c_len_long[8] = { SCTP_CID_DATA, 0, 0, 12, 0, 0, 0, 0 };
static const uint8_t c_half[2] = { SCTP_CID_INIT, 0 };

static const struct {
	const char	*what;
	int		 af;
	const uint8_t	*ch;
	size_t		 clen;
	int		 ret;
	uint8_t		 chunk;
} cases[] = {
	{ "init v4",		AF_INET,  c_init, sizeof(c_init), DROP_NONE,
	    SCTP_CID_INIT },
	{ "init v6",		AF_INET6, c_init, sizeof(c_init), DROP_NONE,
	    SCTP_CID_INIT },
	{ "data v4",		AF_INET,  c_data, sizeof(c_data), DROP_NONE,
	    SCTP_CID_DATA },
	{ "cookie echo+abort",	AF_INET, c_echo_abort, sizeof(c_echo_abort),
	    DROP_NONE, SCTP_CID_ABORT },
	{ "cookie echo+data",	AF_INET6, c_echo_data, sizeof(c_echo_data),
	    DROP_NONE, SCTP_CID_COOKIE_ECHO },
	{ "cookie ack, abort cut", AF_INET, c_ack_abort_cut, 6, DROP_NONE,
	    SCTP_CID_COOKIE_ACK },
	{ "cookie ack+abort",	AF_INET, c_ack_abort_cut, 8, DROP_NONE,
	    SCTP_CID_ABORT },
	{ "common header only v4", AF_INET, c_init, 0, DROP_SCTP_SHORT, 0 },
	{ "common header only v6", AF_INET6, c_init, 0, DROP_SCTP_SHORT, 0 },
	{ "half a chunk header", AF_INET, c_half, sizeof(c_half),
	    DROP_SCTP_SHORT, 0 },
	{ "chunk length 3",	AF_INET, c_len3, sizeof(c_len3),
	    DROP_BAD_SCTP_CHUNK, 0 },
	{ "chunk beyond packet", AF_INET6, c_len_long, sizeof(c_len_long),
	    DROP_BAD_SCTP_CHUNK, 0 },
	{ "init cut short",	AF_INET, c_init, 16, DROP_BAD_SCTP_CHUNK, 0 },
};

static void
test_pkt_sctp_parse_cases(void **state)
{
	uint8_t		 f[FRAME_MAX];
	struct pkt	 p;
	uint32_t	 len;
	size_t		 i;
	int		 r;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		len = build(f, cases[i].af, cases[i].ch, cases[i].clen);
		r = pkt_parse(&p, f, len, NULL);
		if (r != cases[i].ret)
			fail_msg("%s: %d, want %d", cases[i].what, r,
			    cases[i].ret);
		if (r != DROP_NONE)
			continue;
		assert_int_equal(p.p_tuple.t_proto, IPPROTO_SCTP);
		assert_int_equal(p.p_tuple.t_af, cases[i].af);
		assert_int_equal(p.p_tuple.t_sport, htons(40000));
		assert_int_equal(p.p_tuple.t_dport, htons(80));
		assert_int_equal(p.p_sctp_chunk, cases[i].chunk);
		assert_int_equal(p.p_l4csum_off, p.p_l4off + 8);
		assert_false(p.p_csum_partial);
		assert_true(pkt_l4csum_ok(&p));
	}
}

static void
test_pkt_sctp_csum_ok_when_corrupted(void **state)
{
	uint8_t		 f[FRAME_MAX];
	struct pkt	 p;
	uint32_t	 len, off;

	(void)state;
	len = build(f, AF_INET, c_data, sizeof(c_data));
	for (off = 34; off < len; off++) {
		assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_NONE);
		f[off] ^= 0x10;
		/* Port, vtag, checksum or payload: any bit is covered. */
		if (pkt_parse(&p, f, len, NULL) == DROP_NONE)
			assert_false(pkt_l4csum_ok(&p));
		f[off] ^= 0x10;
	}
}

/* NAT both ways, either family: the CRC is whole again after each. */
static void
test_pkt_sctp_rewrite_keeps_crc(void **state)
{
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	union inaddr	 a;
	struct pkt	 p;
	uint32_t	 len;
	int		 af, dst;

	(void)state;
	for (af = AF_INET; af <= AF_INET6; af += AF_INET6 - AF_INET)
		for (dst = 0; dst <= 1; dst++) {
			len = build(f, af, c_data, sizeof(c_data));
			assert_int_equal(pkt_parse(&p, f, len, NULL),
			    DROP_NONE);
			memset(&a, 0, sizeof(a));
			if (af == AF_INET)
				inet_pton(AF_INET, "10.0.0.11", &a);
			else
				inet_pton(AF_INET6, "fd00::11", &a);
			pkt_rewrite(&p, dst, &a, htons(8080));
			assert_true(pkt_l4csum_ok(&p));
			if (af == AF_INET)
				assert_true(pkt_ip4csum_ok(&p));
			/* The same bytes as a reference over the result. */
			memcpy(want, f, len);
			ref_fill(want + p.p_l4off, len - p.p_l4off);
			assert_memory_equal(f, want, len);
			assert_int_equal(dst ? p.p_tuple.t_dport :
			    p.p_tuple.t_sport, htons(8080));
		}
}

/* A CRC left to the device is computed, and NEEDS_CSUM cleared. */
static void
test_pkt_sctp_partial_completed(void **state)
{
	uint8_t		 f[FRAME_MAX + 10], *fr = f + 10;
	struct vnet_hdr	*vh = (struct vnet_hdr *)f;
	union inaddr	 a;
	struct pkt	 p;
	uint32_t	 len;
	int		 rewrite;

	(void)state;
	for (rewrite = 0; rewrite <= 1; rewrite++) {
		len = build(fr, AF_INET6, c_init, sizeof(c_init));
		memset(fr + 54 + 8, 0, 4);	/* as the sender leaves it */
		memset(vh, 0, sizeof(*vh));
		vh->vh_flags = VNET_F_NEEDS_CSUM;
		vh->vh_csum_start = 54;
		vh->vh_csum_offset = 8;
		assert_int_equal(pkt_parse(&p, fr, len, vh), DROP_NONE);
		assert_true(p.p_csum_partial);
		if (rewrite) {
			memset(&a, 0, sizeof(a));
			inet_pton(AF_INET6, "fd00::11", &a);
			/* Same port: the CRC must still be filled in. */
			pkt_rewrite(&p, true, &a, htons(80));
		} else
			pkt_sctp_csum(&p);
		assert_false(p.p_csum_partial);
		assert_int_equal(vh->vh_flags & VNET_F_NEEDS_CSUM, 0);
		assert_true(pkt_l4csum_ok(&p));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_sctp_parse_cases),
		cmocka_unit_test(test_pkt_sctp_csum_ok_when_corrupted),
		cmocka_unit_test(test_pkt_sctp_rewrite_keeps_crc),
		cmocka_unit_test(test_pkt_sctp_partial_completed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
