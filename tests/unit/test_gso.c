/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Software segmentation (gso.c): TCP and UDP super-packets built here, cut into
 * segments, each checked as a receiver would: parsed anew, its sequence
 * number, length, payload bytes, flags (FIN and PSH on the last segment
 * only, CWR on the first only), IPv4 ID, and checksums verified from
 * scratch, both when computed whole and when left partial and completed
 * the way a device does.
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

#include "gso.h"
#include "pkt.h"
#include "ring.h"
#include "stats.h"
#include "util.h"

#define SUPER_MAX	70000
#define SEQ0		0xfffff000U	/* wraps within the packet */
#define ID0		0xfffe		/* wraps too */
#define TCPF_PSH	0x08
#define TCPF_CWR	0x80

static uint8_t	 super[SUPER_MAX];
static uint8_t	 seg[2048];

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static uint32_t
get32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	    (uint32_t)b[2] << 8 | b[3];
}

/*
 * A super-packet as a TSO sender hands it over: vnet header with GSO,
 * partial checksum; TCP with 12 bytes of options (timestamps).  Returns
 * its length from the vnet header.
 */
static uint32_t
mksuper(int af, uint32_t payload, uint16_t mss, uint8_t flags)
{
	struct vnet_hdr	*vh = (struct vnet_hdr *)super;
	uint8_t		*eth = super + RING_VNET_LEN, *ip = eth + 14, *tcp;
	uint32_t	 iphl = af == AF_INET ? 20 : 40, thl = 32, i;

	memset(super, 0, sizeof(super));
	vh->vh_flags = VNET_F_NEEDS_CSUM;
	vh->vh_gso_type = af == AF_INET ? VNET_GSO_TCPV4 : VNET_GSO_TCPV6;
	vh->vh_gso_size = mss;
	vh->vh_hdr_len = (uint16_t)(14 + iphl + thl);
	vh->vh_csum_start = (uint16_t)(14 + iphl);
	vh->vh_csum_offset = 16;
	memset(eth, 0x02, 12);
	if (af == AF_INET) {
		put16(eth + 12, 0x0800);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(iphl + thl + payload));
		put16(ip + 4, ID0);
		ip[6] = 0x40;
		ip[8] = 64;
		ip[9] = IPPROTO_TCP;
		memcpy(ip + 12, "\x0a\x00\x01\x02", 4);
		memcpy(ip + 16, "\xcb\x00\x71\x0a", 4);
	} else {
		put16(eth + 12, 0x86dd);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)(thl + payload));
		ip[6] = IPPROTO_TCP;
		ip[7] = 64;
		ip[8] = 0xfd;
		ip[23] = 2;
		ip[24] = 0xfd;
		ip[39] = 10;
	}
	tcp = ip + iphl;
	put16(tcp, 40000);
	put16(tcp + 2, 80);
	tcp[4] = (uint8_t)(SEQ0 >> 24);
	tcp[5] = (uint8_t)(SEQ0 >> 16);
	tcp[6] = (uint8_t)(SEQ0 >> 8);
	tcp[7] = (uint8_t)SEQ0;
	tcp[12] = (uint8_t)((thl / 4) << 4);
	tcp[13] = flags;
	put16(tcp + 14, 512);
	tcp[20] = 1;
	tcp[21] = 1;
	tcp[22] = 8;
	tcp[23] = 10;
	for (i = 0; i < payload; i++)
		tcp[thl + i] = (uint8_t)(i * 7 + i / 251);
	return RING_VNET_LEN + 14 + iphl + thl + payload;
}

static const struct {
	int		 af;
	uint32_t	 payload;
	uint16_t	 mss;
	uint8_t		 flags;
	uint32_t	 nseg;
} cases[] = {
	{ AF_INET,	 65000, 1448, TCPF_ACK | TCPF_PSH,		45 },
	{ AF_INET,	 2896,	1448, TCPF_ACK | TCPF_PSH | TCPF_FIN,	2 },
	{ AF_INET,	 2897,	1448, TCPF_ACK | TCPF_CWR | TCPF_PSH,	3 },
	{ AF_INET,	 100,	1448, TCPF_ACK | TCPF_FIN | TCPF_CWR,	1 },
	{ AF_INET,	 10000, 536,  TCPF_ACK,				19 },
	{ AF_INET6,	 64000, 1428, TCPF_ACK | TCPF_PSH | TCPF_CWR,	45 },
	{ AF_INET6,	 1429,	1428, TCPF_ACK | TCPF_FIN,		2 },
};

static void
check_segments(size_t c, bool partial)
{
	struct pkt	 sp, p;
	struct vnet_hdr	*vh;
	uint32_t	 len, nseg, seglen, i, plen, off, iphl, thl = 32, k;
	uint8_t		*tcp, f, want;
	uint16_t	 csum;

	len = mksuper(cases[c].af, cases[c].payload, cases[c].mss,
	    cases[c].flags);
	assert_int_equal(pkt_parse(&sp, super + RING_VNET_LEN,
	    len - RING_VNET_LEN, (struct vnet_hdr *)super), DROP_NONE);
	assert_int_equal(gso_plan(&sp, &nseg, &seglen), DROP_NONE);
	assert_int_equal(nseg, cases[c].nseg);
	iphl = cases[c].af == AF_INET ? 20 : 40;
	assert_int_equal(seglen, iphl + thl + (cases[c].payload <
	    cases[c].mss ? cases[c].payload : cases[c].mss));
	for (i = 0, off = 0; i < nseg; i++, off += plen) {
		plen = cases[c].payload - off < cases[c].mss ?
		    cases[c].payload - off : cases[c].mss;
		memset(seg, 0xee, sizeof(seg));
		len = gso_build(&sp, i, seg, partial);
		assert_int_equal(len, RING_VNET_LEN + 14 + iphl + thl + plen);
		vh = (struct vnet_hdr *)seg;
		assert_int_equal(vh->vh_gso_type, VNET_GSO_NONE);
		tcp = seg + RING_VNET_LEN + 14 + iphl;
		if (partial) {
			/* Complete it as the device would, from csum_start. */
			assert_int_equal(vh->vh_flags, VNET_F_NEEDS_CSUM);
			assert_int_equal(vh->vh_csum_start, 14 + iphl);
			assert_int_equal(vh->vh_csum_offset, 16);
			csum = csum_fold(csum_add_buf(0, tcp, thl + plen));
			memcpy(tcp + 16, &csum, 2);
		} else
			assert_int_equal(vh->vh_flags, 0);
		assert_int_equal(pkt_parse(&p, seg + RING_VNET_LEN,
		    len - RING_VNET_LEN, NULL), DROP_NONE);
		assert_int_equal(p.p_l3len, iphl + thl + plen);
		assert_true(pkt_l4csum_ok(&p));
		if (cases[c].af == AF_INET) {
			assert_true(pkt_ip4csum_ok(&p));
			assert_int_equal(get16(seg + RING_VNET_LEN + 14 + 4),
			    (uint16_t)(ID0 + i));
		}
		assert_int_equal(get32(tcp + 4), (uint32_t)(SEQ0 + off));
		f = cases[c].flags;
		want = f & (uint8_t)~(TCPF_FIN | TCPF_PSH | TCPF_CWR);
		if (i == nseg - 1)
			want |= f & (TCPF_FIN | TCPF_PSH);
		if (i == 0)
			want |= f & TCPF_CWR;
		assert_int_equal(tcp[13], want);
		/* Options and payload as sent. */
		assert_memory_equal(tcp + 20, "\x01\x01\x08\x0a", 4);
		for (k = 0; k < plen; k++)
			if (tcp[thl + k] != (uint8_t)((off + k) * 7 +
			    (off + k) / 251))
				fail_msg("case %zu segment %u byte %u",
				    c, i, k);
	}
	assert_int_equal(off, cases[c].payload);
	assert_int_equal(gso_build(&sp, nseg, seg, partial), 0);
}

static void
test_gso_segments(void **state)
{
	size_t	 c;

	(void)state;
	for (c = 0; c < nitems(cases); c++) {
		check_segments(c, false);
		check_segments(c, true);
	}
}

/* UDP_SEGMENT: 3000 bytes of payload in datagrams of 1200, v4 and v6. */
static void
test_gso_udp(void **state)
{
	struct vnet_hdr	*vh = (struct vnet_hdr *)super;
	struct pkt	 sp, p;
	uint32_t	 len, nseg, seglen, i, k, plen, off, iphl;
	uint8_t		*l4, *ip;
	int		 af, part;

	(void)state;
	for (af = 0; af < 2; af++)
	for (part = 0; part < 2; part++) {
		iphl = af == 0 ? 20 : 40;
		len = mksuper(af == 0 ? AF_INET : AF_INET6, 3000 + 24, 1200,
		    0);
		/* The same frame, made UDP: 8-byte header, then the data. */
		ip = super + RING_VNET_LEN + 14;
		l4 = ip + iphl;
		if (af == 0) {
			ip[9] = IPPROTO_UDP;
			put16(ip + 2, (uint16_t)(iphl + 8 + 3000));
			ip[10] = ip[11] = 0;
		} else {
			ip[6] = IPPROTO_UDP;
			put16(ip + 4, (uint16_t)(8 + 3000));
		}
		memmove(l4 + 8, l4 + 32, 3000);
		put16(l4 + 4, 8 + 1200);	/* per segment */
		len -= 24;
		vh->vh_gso_type = VNET_GSO_UDP_L4;
		vh->vh_csum_offset = 6;
		assert_int_equal(pkt_parse(&sp, super + RING_VNET_LEN,
		    len - RING_VNET_LEN, vh), DROP_NONE);
		assert_int_equal(gso_plan(&sp, &nseg, &seglen), DROP_NONE);
		assert_int_equal(nseg, 3);
		assert_int_equal(seglen, iphl + 8 + 1200);
		for (i = 0, off = 0; i < nseg; i++, off += plen) {
			plen = 3000 - off < 1200 ? 3000 - off : 1200;
			len = gso_build(&sp, i, seg, part);
			assert_int_equal(len, RING_VNET_LEN + 14 + iphl + 8 +
			    plen);
			l4 = seg + RING_VNET_LEN + 14 + iphl;
			assert_int_equal(get16(l4 + 4), 8 + plen);
			if (part) {
				uint16_t c = csum_fold(csum_add_buf(0, l4,
				    8 + plen));

				assert_int_equal(((struct vnet_hdr *)seg)->
				    vh_csum_offset, 6);
				memcpy(l4 + 6, &c, 2);
			}
			assert_int_equal(pkt_parse(&p, seg + RING_VNET_LEN,
			    len - RING_VNET_LEN, NULL), DROP_NONE);
			assert_int_equal(p.p_tuple.t_proto, IPPROTO_UDP);
			assert_true(pkt_l4csum_ok(&p));
			if (af == 0) {
				assert_true(pkt_ip4csum_ok(&p));
				assert_int_equal(get16(seg + RING_VNET_LEN +
				    14 + 4), (uint16_t)(ID0 + i));
			}
			for (k = 0; k < plen; k++)
				if (l4[8 + k] != (uint8_t)((off + k) * 7 +
				    (off + k) / 251))
					fail_msg("udp segment %u byte %u", i, k);
		}
	}
}

static void
test_gso_refused(void **state)
{
	struct pkt	 sp;
	struct vnet_hdr	*vh = (struct vnet_hdr *)super;
	uint32_t	 len, nseg, seglen;

	(void)state;
	/* No gso_size. */
	len = mksuper(AF_INET, 3000, 1448, TCPF_ACK);
	vh->vh_gso_size = 0;
	assert_int_equal(pkt_parse(&sp, super + RING_VNET_LEN,
	    len - RING_VNET_LEN, vh), DROP_NONE);
	assert_int_equal(gso_plan(&sp, &nseg, &seglen), DROP_GSO_BAD);
	assert_int_equal(gso_build(&sp, 0, seg, false), 0);
	/* No vnet header at all. */
	vh->vh_gso_size = 1448;
	assert_int_equal(pkt_parse(&sp, super + RING_VNET_LEN,
	    len - RING_VNET_LEN, NULL), DROP_NONE);
	assert_int_equal(gso_plan(&sp, &nseg, &seglen), DROP_GSO_BAD);
	/* UDP is not TCP. */
	len = mksuper(AF_INET, 3000, 1448, TCPF_ACK);
	super[RING_VNET_LEN + 14 + 9] = IPPROTO_UDP;
	put16(super + RING_VNET_LEN + 14 + 20 + 4, 3000 + 32);
	assert_int_equal(pkt_parse(&sp, super + RING_VNET_LEN,
	    len - RING_VNET_LEN, vh), DROP_NONE);
	assert_int_equal(gso_plan(&sp, &nseg, &seglen), DROP_GSO_BAD);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_gso_segments),
		cmocka_unit_test(test_gso_udp),
		cmocka_unit_test(test_gso_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
