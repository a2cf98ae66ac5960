/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frame parsing and checksum rewriting (pkt.c).  Frames are built here
 * with checksums from a deliberately naive reference (big-endian words,
 * byte by byte), then mangled one field at a time; rewrites are checked
 * against a frame built from scratch with the new addresses, so every
 * incremental update is compared with a full recomputation.
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

#include "pkt.h"
#include "stats.h"
#include "util.h"

#define FRAME_MAX	256
#define L3		14		/* IP header offset */
#define L4V4		34		/* L4 offset behind a 20-byte IPv4 header */
#define L4V6		54
#define PAYLEN		10		/* payload of the table's frames */

struct fspec {
	int		 fs_af;		/* AF_INET, AF_INET6; 0: ARP */
	int		 fs_proto;
	uint8_t		 fs_src[16];
	uint8_t		 fs_dst[16];
	uint16_t	 fs_sport;	/* host order */
	uint16_t	 fs_dport;	/* host order */
	uint16_t	 fs_paylen;
	uint8_t		 fs_ttl;
	uint8_t		 fs_payseed;
};

static uint32_t	 rnd_state;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static void
put16(uint8_t *b, uint16_t v)
{
	b[0] = v >> 8;
	b[1] = v & 0xff;
}

static uint16_t
get16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

/* RFC 1071 over big-endian words, folded, not complemented. */
static uint32_t
ref_sum(uint32_t sum, const uint8_t *b, size_t n)
{
	size_t	 i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(b[i] << 8 | b[i + 1]);
	if (n & 1)
		sum += (uint32_t)b[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return sum;
}

static int
frame_af(const uint8_t *f)
{
	return get16(f + 12) == 0x86dd ? AF_INET6 : AF_INET;
}

/* Uncomplemented pseudo-header sum of the built frame <f>. */
static uint32_t
ref_pseudo(const uint8_t *f, uint32_t l4len)
{
	uint32_t	 s;

	if (frame_af(f) == AF_INET) {
		s = ref_sum(0, f + L3 + 12, 8);
		return ref_sum(s + f[L3 + 9] + l4len, NULL, 0);
	}
	s = ref_sum(0, f + L3 + 8, 32);
	return ref_sum(s + f[L3 + 6] + l4len, NULL, 0);
}

/* Complete L4 checksum of <f> (field taken as 0), not mangled for UDP. */
static uint16_t
ref_l4(const uint8_t *f, uint32_t l4len, uint32_t ckoff)
{
	uint8_t		 tmp[FRAME_MAX];
	uint32_t	 l4 = ckoff < L4V6 ? L4V4 : L4V6;

	memcpy(tmp, f, l4 + l4len);
	put16(tmp + ckoff, 0);
	return (uint16_t)~ref_sum(ref_pseudo(f, l4len), tmp + l4, l4len);
}

static uint32_t
build(uint8_t *f, const struct fspec *fs)
{
	uint32_t	 l4, l4len, i, ck;
	uint8_t		*ip = f + L3, *t;
	bool		 tcp = fs->fs_proto == IPPROTO_TCP;

	memset(f, 0, FRAME_MAX);
	memcpy(f, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02", 12);
	if (fs->fs_af == 0) {
		put16(f + 12, 0x0806);
		put16(f + 14, 1);
		put16(f + 16, 0x0800);
		f[18] = 6;
		f[19] = 4;
		put16(f + 20, 1);
		return 42;
	}
	l4len = (tcp ? 20 : 8) + fs->fs_paylen;
	if (fs->fs_af == AF_INET) {
		put16(f + 12, 0x0800);
		ip[0] = 0x45;
		put16(ip + 2, (uint16_t)(20 + l4len));
		put16(ip + 4, 0x1234);
		put16(ip + 6, 0x4000);	/* DF */
		ip[8] = fs->fs_ttl;
		ip[9] = (uint8_t)fs->fs_proto;
		memcpy(ip + 12, fs->fs_src, 4);
		memcpy(ip + 16, fs->fs_dst, 4);
		put16(ip + 10, (uint16_t)~ref_sum(0, ip, 20));
		l4 = L4V4;
	} else {
		put16(f + 12, 0x86dd);
		ip[0] = 0x60;
		put16(ip + 4, (uint16_t)l4len);
		ip[6] = (uint8_t)fs->fs_proto;
		ip[7] = fs->fs_ttl;
		memcpy(ip + 8, fs->fs_src, 16);
		memcpy(ip + 24, fs->fs_dst, 16);
		l4 = L4V6;
	}
	t = f + l4;
	put16(t, fs->fs_sport);
	put16(t + 2, fs->fs_dport);
	if (tcp) {
		put16(t + 4, 0x0102);
		put16(t + 8, 0x0304);
		t[12] = 5 << 4;
		t[13] = TCPF_SYN | TCPF_ACK;
		put16(t + 14, 65535);
		ck = l4 + 16;
	} else {
		put16(t + 4, (uint16_t)l4len);
		ck = l4 + 6;
	}
	for (i = 0; i < fs->fs_paylen; i++)
		f[l4 + l4len - fs->fs_paylen + i] =
		    (uint8_t)(fs->fs_payseed + i * 7 + 1);
	put16(f + ck, ref_l4(f, l4len, ck));
	if (!tcp && get16(f + ck) == 0)
		put16(f + ck, 0xffff);
	return l4 + l4len;
}

static void
spec_base(struct fspec *fs, int af, int proto)
{
	static const uint8_t	 s4[] = { 198, 51, 100, 7 },
				 d4[] = { 192, 0, 2, 10 },
				 s6[] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 7 },
				 d6[] = { 0x20, 0x01, 0x0d, 0xb8, 0, 1, [15] = 10 };

	memset(fs, 0, sizeof(*fs));
	fs->fs_af = af;
	fs->fs_proto = proto;
	if (af == AF_INET) {
		memcpy(fs->fs_src, s4, 4);
		memcpy(fs->fs_dst, d4, 4);
	} else if (af == AF_INET6) {
		memcpy(fs->fs_src, s6, 16);
		memcpy(fs->fs_dst, d6, 16);
	}
	fs->fs_sport = 40000;
	fs->fs_dport = 80;
	fs->fs_paylen = PAYLEN;
	fs->fs_ttl = 64;
}

static void
spec_random(struct fspec *fs, int proto)
{
	uint32_t	 a;

	spec_base(fs, AF_INET, proto);
	a = rnd();
	memcpy(fs->fs_src, &a, 4);
	a = rnd();
	memcpy(fs->fs_dst, &a, 4);
	fs->fs_sport = (uint16_t)rnd();
	fs->fs_dport = (uint16_t)rnd();
	fs->fs_paylen = (uint16_t)(rnd() % 41);
	fs->fs_payseed = (uint8_t)rnd();
}

enum base { B_TCP4, B_UDP4, B_TCP6, B_UDP6, B_ARP };

#define FULL		-1	/* the frame as built */
#define NOVH		-1	/* no vnet header */

struct poke {
	uint16_t	 pk_off;	/* from the Ethernet header */
	uint16_t	 pk_val;
	uint8_t		 pk_width;	/* 1, 2; 0: unused */
};

static const struct parse_case {
	const char	*name;
	enum base	 base;
	int		 len;		/* FULL or the frame length */
	uint8_t		 pad;		/* bytes added after the datagram */
	struct poke	 poke[2];
	int		 gso;		/* NOVH or the vnet gso_type */
	int		 ret;
	uint32_t	 l3len;		/* 0: not checked */
} parse_cases[] = {
	{ "tcp4",		B_TCP4, FULL, 0, { { 0 } }, NOVH, 0, 50 },
	{ "udp4",		B_UDP4, FULL, 0, { { 0 } }, NOVH, 0, 38 },
	{ "tcp6",		B_TCP6, FULL, 0, { { 0 } }, NOVH, 0, 70 },
	{ "udp6",		B_UDP6, FULL, 0, { { 0 } }, NOVH, 0, 58 },
	{ "arp",		B_ARP, FULL, 0, { { 0 } }, NOVH, DROP_NOT_IP, 0 },
	{ "empty",		B_TCP4, 0, 0, { { 0 } }, NOVH, DROP_SHORT, 0 },
	{ "eth cut",		B_TCP4, 13, 0, { { 0 } }, NOVH, DROP_SHORT, 0 },
	{ "eth only",		B_TCP4, 14, 0, { { 0 } }, NOVH, DROP_SHORT, 0 },
	{ "ip4 cut",		B_TCP4, 33, 0, { { 0 } }, NOVH, DROP_SHORT, 0 },
	{ "ip4 hdr only",	B_TCP4, 34, 0, { { 0 } }, NOVH, DROP_BAD_LEN, 0 },
	{ "tcp4 cut",		B_TCP4, 53, 0, { { 0 } }, NOVH, DROP_BAD_LEN, 0 },
	{ "tcp4 dgram cut",	B_TCP4, 53, 0, { { 16, 39, 2 } }, NOVH,
	    DROP_SHORT, 39 },
	{ "tcp4 no l4",		B_TCP4, 34, 0, { { 16, 20, 2 } }, NOVH,
	    DROP_SHORT, 20 },
	{ "udp4 dgram cut",	B_UDP4, 41, 0, { { 16, 27, 2 } }, NOVH,
	    DROP_SHORT, 27 },
	{ "ip6 cut",		B_TCP6, 53, 0, { { 0 } }, NOVH, DROP_SHORT, 0 },
	{ "ip6 hdr only",	B_TCP6, 54, 0, { { 0 } }, NOVH, DROP_BAD_LEN, 0 },
	{ "tcp6 dgram cut",	B_TCP6, 73, 0, { { 18, 19, 2 } }, NOVH,
	    DROP_SHORT, 59 },
	{ "udp6 dgram cut",	B_UDP6, 61, 0, { { 18, 7, 2 } }, NOVH,
	    DROP_SHORT, 47 },
	{ "ip4 version 6",	B_TCP4, FULL, 0, { { 14, 0x65, 1 } }, NOVH,
	    DROP_BAD_VERSION, 0 },
	{ "ip6 version 4",	B_TCP6, FULL, 0, { { 14, 0x40, 1 } }, NOVH,
	    DROP_BAD_VERSION, 0 },
	{ "ihl 0",		B_TCP4, FULL, 0, { { 14, 0x40, 1 } }, NOVH,
	    DROP_BAD_IHL, 0 },
	{ "ihl 4",		B_TCP4, FULL, 0, { { 14, 0x44, 1 } }, NOVH,
	    DROP_BAD_IHL, 0 },
	{ "ihl beyond frame",	B_TCP4, FULL, 0, { { 14, 0x4f, 1 } }, NOVH,
	    DROP_BAD_IHL, 0 },
	{ "tot_len > frame",	B_TCP4, FULL, 0, { { 16, 51, 2 } }, NOVH,
	    DROP_BAD_LEN, 0 },
	{ "tot_len < ihl",	B_TCP4, FULL, 0, { { 16, 19, 2 } }, NOVH,
	    DROP_BAD_LEN, 0 },
	{ "tot_len 0",		B_TCP4, FULL, 0, { { 16, 0, 2 } }, NOVH,
	    DROP_BAD_LEN, 0 },
	{ "tot_len 0 no gso",	B_TCP4, FULL, 0, { { 16, 0, 2 } },
	    VNET_GSO_NONE, DROP_BAD_LEN, 0 },
	{ "tot_len 0 gso",	B_TCP4, FULL, 0, { { 16, 0, 2 } },
	    VNET_GSO_TCPV4, 0, 50 },
	{ "udp4 padded",	B_UDP4, FULL, 8, { { 0 } }, NOVH, 0, 38 },
	{ "tcp4 padded",	B_TCP4, FULL, 6, { { 0 } }, NOVH, 0, 50 },
	{ "frag MF",		B_TCP4, FULL, 0, { { 20, 0x2000, 2 } }, NOVH,
	    DROP_FRAG, 0 },
	{ "frag offset",	B_TCP4, FULL, 0, { { 20, 0x0001, 2 } }, NOVH,
	    DROP_FRAG, 0 },
	{ "frag last",		B_UDP4, FULL, 0, { { 20, 0x1fff, 2 } }, NOVH,
	    DROP_FRAG, 0 },
	{ "no DF",		B_TCP4, FULL, 0, { { 20, 0, 2 } }, NOVH, 0, 50 },
	{ "doff 4",		B_TCP4, FULL, 0, { { 46, 0x40, 1 } }, NOVH,
	    DROP_BAD_TCP_OFF, 0 },
	{ "doff 7",		B_TCP4, FULL, 0, { { 46, 0x70, 1 } }, NOVH, 0, 0 },
	{ "doff 8 beyond",	B_TCP4, FULL, 0, { { 46, 0x80, 1 } }, NOVH,
	    DROP_BAD_TCP_OFF, 0 },
	{ "doff 15 beyond",	B_TCP4, FULL, 0, { { 46, 0xf0, 1 } }, NOVH,
	    DROP_BAD_TCP_OFF, 0 },
	{ "doff into pad",	B_TCP4, FULL, 8, { { 46, 0x80, 1 } }, NOVH,
	    DROP_BAD_TCP_OFF, 0 },
	{ "udp len 0",		B_UDP4, FULL, 0, { { 38, 0, 2 } }, NOVH,
	    DROP_BAD_UDP_LEN, 0 },
	{ "udp len 7",		B_UDP4, FULL, 0, { { 38, 7, 2 } }, NOVH,
	    DROP_BAD_UDP_LEN, 0 },
	{ "udp len 8",		B_UDP4, FULL, 0, { { 38, 8, 2 } }, NOVH, 0, 0 },
	{ "udp len > dgram",	B_UDP4, FULL, 0, { { 38, 19, 2 } }, NOVH,
	    DROP_BAD_UDP_LEN, 0 },
	{ "udp len into pad",	B_UDP4, FULL, 4, { { 38, 19, 2 } }, NOVH,
	    DROP_BAD_UDP_LEN, 0 },
	{ "udp len gso udp",	B_UDP4, FULL, 0, { { 38, 1400, 2 } },
	    VNET_GSO_UDP_L4, 0, 0 },
	{ "udp len gso tcp",	B_UDP4, FULL, 0, { { 38, 1400, 2 } },
	    VNET_GSO_TCPV4, DROP_BAD_UDP_LEN, 0 },
	{ "udp6 len 7",		B_UDP6, FULL, 0, { { 58, 7, 2 } }, NOVH,
	    DROP_BAD_UDP_LEN, 0 },
	{ "icmp",		B_TCP4, FULL, 0, { { 23, IPPROTO_ICMP, 1 } }, NOVH,
	    DROP_PROTO, 0 },
	{ "gre",		B_TCP4, FULL, 0, { { 23, IPPROTO_GRE, 1 } }, NOVH,
	    DROP_PROTO, 0 },
	{ "ip6 icmp6",		B_UDP6, FULL, 0, { { 20, IPPROTO_ICMPV6, 1 } },
	    NOVH, DROP_PROTO, 0 },
	/* The TCP header read as hop-by-hop: length 0x40 runs past it. */
	{ "ip6 hop-by-hop",	B_TCP6, FULL, 0, { { 20, 0, 1 } }, NOVH,
	    DROP_SHORT, 0 },
	{ "ip6 frag hdr",	B_UDP6, FULL, 0, { { 20, 44, 1 } }, NOVH,
	    DROP_FRAG6, 0 },
	{ "ip6 no next hdr",	B_UDP6, FULL, 0, { { 20, 59, 1 } }, NOVH,
	    DROP_PROTO, 0 },
	{ "udp6 csum 0",	B_UDP6, FULL, 0, { { 60, 0, 2 } }, NOVH,
	    DROP_UDP6_CSUM0, 0 },
	{ "ip6 plen > frame",	B_TCP6, FULL, 0, { { 18, 31, 2 } }, NOVH,
	    DROP_BAD_LEN, 0 },
	{ "ip6 plen 0",		B_TCP6, FULL, 0, { { 18, 0, 2 } }, NOVH,
	    DROP_BAD_LEN, 0 },
	{ "ip6 plen 0 gso",	B_TCP6, FULL, 0, { { 18, 0, 2 } },
	    VNET_GSO_TCPV6, 0, 70 },
	{ "ip6 padded",		B_UDP6, FULL, 6, { { 0 } }, NOVH, 0, 58 },
};

static uint32_t
build_base(uint8_t *f, enum base b)
{
	static const struct { int af, proto; } bases[] = {
		[B_TCP4] = { AF_INET, IPPROTO_TCP },
		[B_UDP4] = { AF_INET, IPPROTO_UDP },
		[B_TCP6] = { AF_INET6, IPPROTO_TCP },
		[B_UDP6] = { AF_INET6, IPPROTO_UDP },
		[B_ARP] = { 0, 0 },
	};
	struct fspec	 fs;

	spec_base(&fs, bases[b].af, bases[b].proto);
	return build(f, &fs);
}

static void
test_pkt_parse_cases(void **state)
{
	const struct parse_case	*c;
	const struct poke	*pk;
	struct vnet_hdr		 vh;
	struct pkt		 p;
	uint8_t			 f[FRAME_MAX];
	uint32_t		 len;
	size_t			 i, j;
	int			 r;

	for (i = 0; i < nitems(parse_cases); i++) {
		c = &parse_cases[i];
		len = build_base(f, c->base) + c->pad;
		if (c->len != FULL)
			len = (uint32_t)c->len;
		for (j = 0; j < nitems(c->poke); j++) {
			pk = &c->poke[j];
			if (pk->pk_width == 1)
				f[pk->pk_off] = (uint8_t)pk->pk_val;
			else if (pk->pk_width == 2)
				put16(f + pk->pk_off, pk->pk_val);
		}
		memset(&vh, 0, sizeof(vh));
		vh.vh_gso_type = (uint8_t)c->gso;
		r = pkt_parse(&p, f, len, c->gso == NOVH ? NULL : &vh);
		if (r != c->ret)
			fail_msg("%s: got %s, want %s", c->name, drop_name(r),
			    drop_name(c->ret));
		if (c->l3len != 0 && p.p_l3len != c->l3len)
			fail_msg("%s: l3len %u, want %u", c->name, p.p_l3len,
			    c->l3len);
		assert_int_equal(p.p_len, len);
		if (r == 0) {
			assert_true(p.p_l4off + (p.p_tuple.t_proto ==
			    IPPROTO_TCP ? 20u : 8u) <= len);
			assert_true(p.p_l4csum_off + 2u <= len);
		}
	}
}

static void
test_pkt_parse_fills_tuple_when_tcp4(void **state)
{
	struct pkt	 p;
	struct vnet_hdr	 vh = { .vh_flags = VNET_F_NEEDS_CSUM,
			    .vh_csum_start = L4V4, .vh_csum_offset = 16 };
	uint8_t		 f[FRAME_MAX];
	uint32_t	 len = build_base(f, B_TCP4);

	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_ptr_equal(p.p_l2, f);
	assert_null(p.p_vnet);
	assert_false(p.p_csum_partial);
	assert_int_equal(p.p_ethertype, htons(0x0800));
	assert_int_equal(p.p_l3off, L3);
	assert_int_equal(p.p_l4off, L4V4);
	assert_int_equal(p.p_l4csum_off, L4V4 + 16);
	assert_int_equal(p.p_tcpflags, TCPF_SYN | TCPF_ACK);
	assert_int_equal(p.p_tuple.t_af, AF_INET);
	assert_int_equal(p.p_tuple.t_proto, IPPROTO_TCP);
	assert_int_equal(p.p_tuple.t_src.w[0], htonl(0xc6336407));
	assert_int_equal(p.p_tuple.t_dst.w[0], htonl(0xc000020a));
	assert_int_equal(p.p_tuple.t_src.w[1] | p.p_tuple.t_src.w[2] |
	    p.p_tuple.t_src.w[3], 0);
	assert_int_equal(p.p_tuple.t_dst.w[1] | p.p_tuple.t_dst.w[2] |
	    p.p_tuple.t_dst.w[3], 0);
	assert_int_equal(p.p_tuple.t_sport, htons(40000));
	assert_int_equal(p.p_tuple.t_dport, htons(80));
	assert_int_equal(p.p_tuple.t_pad[0] | p.p_tuple.t_pad[1], 0);
	assert_true(pkt_ip4csum_ok(&p));
	assert_true(pkt_l4csum_ok(&p));

	assert_int_equal(pkt_parse(&p, f, len, &vh), 0);
	assert_ptr_equal(p.p_vnet, &vh);
	assert_true(p.p_csum_partial);
}

static void
test_pkt_parse_fills_tuple_when_udp4(void **state)
{
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX];
	uint32_t	 len = build_base(f, B_UDP4);

	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_int_equal(p.p_tuple.t_proto, IPPROTO_UDP);
	assert_int_equal(p.p_l4csum_off, L4V4 + 6);
	assert_int_equal(p.p_tcpflags, 0);
	assert_int_equal(p.p_tuple.t_sport, htons(40000));
	assert_int_equal(p.p_tuple.t_dport, htons(80));
	assert_true(pkt_l4csum_ok(&p));
}

static void
test_pkt_parse_fills_tuple_when_ipv6(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX];
	uint32_t	 len;

	spec_base(&fs, AF_INET6, IPPROTO_TCP);
	len = build(f, &fs);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_int_equal(p.p_ethertype, htons(0x86dd));
	assert_int_equal(p.p_tuple.t_af, AF_INET6);
	assert_int_equal(p.p_tuple.t_proto, IPPROTO_TCP);
	assert_memory_equal(&p.p_tuple.t_src, fs.fs_src, 16);
	assert_memory_equal(&p.p_tuple.t_dst, fs.fs_dst, 16);
	assert_int_equal(p.p_tuple.t_sport, htons(40000));
	assert_int_equal(p.p_tuple.t_dport, htons(80));
	assert_int_equal(p.p_l4off, L4V6);
	assert_int_equal(p.p_l4csum_off, L4V6 + 16);
	assert_true(pkt_l4csum_ok(&p));

	spec_base(&fs, AF_INET6, IPPROTO_UDP);
	len = build(f, &fs);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_int_equal(p.p_l4csum_off, L4V6 + 6);
	assert_true(pkt_l4csum_ok(&p));
}

static void
test_csum_add_buf_matches_reference(void **state)
{
	uint8_t		 b[80];
	uint32_t	 i, len, start;

	rnd_state = 0x2545f491;
	for (len = 0; len < sizeof(b); len++) {
		for (i = 0; i < len; i++)
			b[i] = (uint8_t)rnd();
		start = rnd() & 0xffff;
		/* Network-order start word, as a caller would pass it. */
		assert_int_equal(csum_fold(csum_add_buf(htons((uint16_t)start),
		    b, len)), htons((uint16_t)~ref_sum(start, b, len)));
	}
	memset(b, 0xff, sizeof(b));
	assert_int_equal(csum_fold(csum_add_buf(0xffffffff, b, sizeof(b))),
	    htons((uint16_t)~ref_sum(0xffff, b, sizeof(b))));
}

/* RFC 1624 section 4 and its inverse, values in host order. */
static const struct {
	uint16_t	 hc, from, to, want;
} replace2_cases[] = {
	{ 0xdd2f, 0x5555, 0x3285, 0x0000 },
	{ 0x0000, 0x3285, 0x5555, 0xdd2f },
	{ 0x1234, 0xabcd, 0xabcd, 0x1234 },
	{ 0x0001, 0x0000, 0x0001, 0x0000 },	/* -0, never +0xffff */
};

static void
test_csum_replace2_cases(void **state)
{
	uint16_t	 field;
	size_t		 i;

	for (i = 0; i < nitems(replace2_cases); i++) {
		field = htons(replace2_cases[i].hc);
		csum_replace2(&field, htons(replace2_cases[i].from),
		    htons(replace2_cases[i].to));
		assert_int_equal(ntohs(field), replace2_cases[i].want);
	}
}

static void
test_csum_partial_replace4_tracks_sum(void **state)
{
	uint8_t		 rest[12], a[4], b[4];
	uint32_t	 i, from, to;
	uint16_t	 field;

	rnd_state = 0x9e3779b9;
	for (i = 0; i < 300; i++) {
		from = rnd();
		to = rnd();
		memcpy(a, &from, 4);
		memcpy(b, &to, 4);
		memcpy(rest, (uint32_t[]){ rnd(), rnd(), rnd() }, 12);
		field = htons((uint16_t)ref_sum(ref_sum(0, rest, 12), a, 4));
		csum_partial_replace4(&field, from, to);
		assert_int_equal(ntohs(field),
		    ref_sum(ref_sum(0, rest, 12), b, 4));
	}
}

static void
spec_set(struct fspec *fs, bool dst, uint32_t addr, uint16_t port)
{
	memcpy(dst ? fs->fs_dst : fs->fs_src, &addr, 4);
	if (dst)
		fs->fs_dport = ntohs(port);
	else
		fs->fs_sport = ntohs(port);
}

static void
test_pkt_rewrite4_matches_full_when_random(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 i, len, addr;
	uint16_t	 port;
	bool		 dst;

	rnd_state = 0x12345678;
	for (i = 0; i < 400; i++) {
		spec_random(&fs, i & 1 ? IPPROTO_UDP : IPPROTO_TCP);
		len = build(f, &fs);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		dst = rnd() & 1;
		addr = rnd();
		port = (uint16_t)rnd();
		pkt_rewrite4(&p, dst, addr, port);
		spec_set(&fs, dst, addr, port);
		assert_int_equal(build(want, &fs), len);
		assert_memory_equal(f, want, len);
		assert_true(pkt_ip4csum_ok(&p));
		assert_true(pkt_l4csum_ok(&p));
		assert_int_equal(dst ? p.p_tuple.t_dst.w[0] :
		    p.p_tuple.t_src.w[0], addr);
		assert_int_equal(dst ? p.p_tuple.t_dport : p.p_tuple.t_sport,
		    port);
	}
}

static void
test_pkt_rewrite4_keeps_udp_csum_zero(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 len, addr = htonl(0x0a00000b);

	spec_base(&fs, AF_INET, IPPROTO_UDP);
	len = build(f, &fs);
	put16(f + L4V4 + 6, 0);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	pkt_rewrite4(&p, true, addr, htons(8080));
	assert_int_equal(get16(f + L4V4 + 6), 0);
	assert_true(pkt_l4csum_ok(&p));
	spec_set(&fs, true, addr, htons(8080));
	build(want, &fs);
	put16(want + L4V4 + 6, 0);
	assert_memory_equal(f, want, len);
}

static void
test_pkt_rewrite4_udp_zero_becomes_ffff(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX];
	uint32_t	 len, port;
	int		 zport = -1;

	spec_base(&fs, AF_INET, IPPROTO_UDP);
	for (port = 0; port < 65536 && zport < 0; port++) {
		fs.fs_dport = (uint16_t)port;
		build(f, &fs);
		if (ref_l4(f, 18, L4V4 + 6) == 0)
			zport = (int)port;
	}
	assert_true(zport >= 0);
	assert_int_equal(get16(f + L4V4 + 6), 0xffff);
	fs.fs_dport = (uint16_t)(zport + 1);
	len = build(f, &fs);
	assert_int_not_equal(get16(f + L4V4 + 6), 0xffff);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	pkt_rewrite4(&p, true, p.p_tuple.t_dst.w[0], htons((uint16_t)zport));
	assert_int_equal(get16(f + L4V4 + 6), 0xffff);
	assert_true(pkt_l4csum_ok(&p));
}

/* What a device does with NEEDS_CSUM: sum from csum_start, field included. */
static void
complete_csum(uint8_t *f, const struct vnet_hdr *vh, uint32_t len, bool udp)
{
	uint8_t		*ck = f + vh->vh_csum_start + vh->vh_csum_offset;
	uint16_t	 c;

	c = (uint16_t)~ref_sum(0, f + vh->vh_csum_start,
	    len - vh->vh_csum_start);
	put16(ck, udp && c == 0 ? 0xffff : c);
}

static void
test_pkt_rewrite4_partial_when_needs_csum(void **state)
{
	struct fspec	 fs;
	struct vnet_hdr	 vh;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 i, len, l4len, addr;
	uint16_t	 port, ckoff;
	bool		 dst, udp;

	rnd_state = 0xdeadbeef;
	for (i = 0; i < 300; i++) {
		udp = i & 1;
		spec_random(&fs, udp ? IPPROTO_UDP : IPPROTO_TCP);
		len = build(f, &fs);
		l4len = len - L4V4;
		ckoff = L4V4 + (udp ? 6 : 16);
		/* As veth delivers it: the uncomplemented pseudo-header sum. */
		put16(f + ckoff, (uint16_t)ref_pseudo(f, l4len));
		memset(&vh, 0, sizeof(vh));
		vh.vh_flags = VNET_F_NEEDS_CSUM;
		vh.vh_csum_start = L4V4;
		vh.vh_csum_offset = udp ? 6 : 16;
		assert_int_equal(pkt_parse(&p, f, len, &vh), 0);
		assert_true(p.p_csum_partial);
		dst = rnd() & 1;
		addr = rnd();
		port = (uint16_t)rnd();
		pkt_rewrite4(&p, dst, addr, port);
		if (rnd() & 1)
			pkt_rewrite4(&p, !dst, rnd(), (uint16_t)rnd());
		assert_true(pkt_ip4csum_ok(&p));
		assert_int_equal(get16(f + ckoff), ref_pseudo(f, l4len));
		complete_csum(f, &vh, len, udp);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		assert_true(pkt_l4csum_ok(&p));
		/* The device's result equals a full computation. */
		memcpy(want, f, len);
		put16(want + ckoff, ref_l4(f, l4len, ckoff));
		if (udp && get16(want + ckoff) == 0)
			put16(want + ckoff, 0xffff);
		assert_memory_equal(f, want, len);
	}
}

static void
test_pkt_l4csum_ok_when_corrupted(void **state)
{
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX];
	uint32_t	 len;
	enum base	 b;

	for (b = B_TCP4; b <= B_UDP6; b++) {
		len = build_base(f, b);
		f[len - 1] ^= 0x40;
		pkt_parse(&p, f, len, NULL);
		assert_false(pkt_l4csum_ok(&p));
	}
	len = build_base(f, B_TCP4);
	f[L3 + 1] ^= 0x04;	/* TOS */
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_false(pkt_ip4csum_ok(&p));
	assert_true(pkt_l4csum_ok(&p));
}

static void
test_pkt_ttl_dec4_keeps_ip_csum(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 len, ttl;

	for (ttl = 2; ttl <= 255; ttl++) {
		spec_base(&fs, AF_INET, ttl & 1 ? IPPROTO_UDP : IPPROTO_TCP);
		fs.fs_ttl = (uint8_t)ttl;
		len = build(f, &fs);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		assert_true(pkt_ttl_dec4(&p));
		fs.fs_ttl = (uint8_t)(ttl - 1);
		build(want, &fs);
		assert_memory_equal(f, want, len);
		assert_true(pkt_ip4csum_ok(&p));
	}
}

static void
test_pkt_ttl_dec4_refuses_when_ttl_le_1(void **state)
{
	static const uint8_t	 ttls[] = { 0, 1 };
	struct fspec		 fs;
	struct pkt		 p;
	uint8_t			 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t		 len;
	size_t			 i;

	for (i = 0; i < nitems(ttls); i++) {
		spec_base(&fs, AF_INET, IPPROTO_TCP);
		fs.fs_ttl = ttls[i];
		len = build(f, &fs);
		memcpy(want, f, len);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		assert_false(pkt_ttl_dec4(&p));
		assert_memory_equal(f, want, len);
	}
}

/*
 * Put an extension header of <type> and <units> 8-byte units beyond the
 * first right after the fixed IPv6 header of <f>; byte 3 (a routing
 * header's segments left) is <b3>.  Returns the new frame length.
 */
static uint32_t
insert_ext6(uint8_t *f, uint32_t len, uint8_t type, uint8_t units, uint8_t b3)
{
	uint32_t	 hlen = ((uint32_t)units + 1) * 8;

	assert_true(len + hlen <= FRAME_MAX);
	memmove(f + L4V6 + hlen, f + L4V6, len - L4V6);
	memset(f + L4V6, 0, hlen);
	f[L4V6] = f[L3 + 6];
	/* AH counts 4-byte units, less two (RFC 4302). */
	f[L4V6 + 1] = type == IPPROTO_AH ? (uint8_t)(hlen / 4 - 2) : units;
	f[L4V6 + 3] = b3;
	f[L3 + 6] = type;
	put16(f + L3 + 4, (uint16_t)(get16(f + L3 + 4) + hlen));
	return len + hlen;
}

static const struct ext_case {
	const char	*name;
	enum base	 base;
	uint8_t		 ext[4][3];	/* type, units, byte 3; outermost last */
	unsigned	 next;
	int		 ret;
	uint16_t	 l4off;
} ext_cases[] = {
	{ "hop-by-hop",		B_TCP6, { { 0, 0, 0 } }, 1, 0, L4V6 + 8 },
	{ "dstopts 3 units",	B_UDP6, { { 60, 3, 0 } }, 1, 0, L4V6 + 32 },
	{ "routing done",	B_TCP6, { { 43, 2, 0 } }, 1, 0, L4V6 + 24 },
	{ "hbh dst rt dst",	B_UDP6, { { 60, 0, 0 }, { 43, 0, 0 },
	    { 60, 1, 0 }, { 0, 0, 0 } }, 4, 0, L4V6 + 40 },
	{ "routing left 1",	B_TCP6, { { 43, 2, 1 } }, 1, DROP_IP6_EXT, 0 },
	{ "hbh not first",	B_TCP6, { { 0, 0, 0 }, { 60, 0, 0 } }, 2,
	    DROP_IP6_EXT, 0 },
	{ "frag behind hbh",	B_UDP6, { { 44, 0, 0 }, { 0, 0, 0 } }, 2,
	    DROP_FRAG6, 0 },
	{ "icmp6 behind dst",	B_UDP6, { { 60, 0, 0 } }, 1, 0, 0 },
	/* AH skipped as IPVS's ipv6_find_hdr() does: 24 bytes, SHA1-96. */
	{ "ah",			B_TCP6, { { 51, 2, 0 } }, 1, 0, L4V6 + 24 },
	{ "hbh ah dst",		B_UDP6, { { 60, 0, 0 }, { 51, 1, 0 },
	    { 0, 0, 0 } }, 3, 0, L4V6 + 32 },
};

static void
test_pkt_parse_skips_ext6(void **state)
{
	const struct ext_case	*c;
	struct pkt		 p;
	uint8_t			 f[FRAME_MAX];
	uint32_t		 len;
	size_t			 i, j;
	int			 r, want;

	for (i = 0; i < nitems(ext_cases); i++) {
		c = &ext_cases[i];
		len = build_base(f, c->base);
		want = c->ret;
		if (strcmp(c->name, "icmp6 behind dst") == 0) {
			f[L3 + 6] = IPPROTO_ICMPV6;
			want = DROP_PROTO;
		}
		for (j = 0; j < c->next; j++)
			len = insert_ext6(f, len, c->ext[j][0], c->ext[j][1],
			    c->ext[j][2]);
		r = pkt_parse(&p, f, len, NULL);
		if (r != want)
			fail_msg("%s: got %s, want %s", c->name, drop_name(r),
			    drop_name(want));
		if (r != 0)
			continue;
		assert_int_equal(p.p_l4off, c->l4off);
		assert_int_equal(p.p_l3len, len - L3);
		assert_int_equal(p.p_tuple.t_proto, c->base == B_TCP6 ?
		    IPPROTO_TCP : IPPROTO_UDP);
		assert_int_equal(p.p_tuple.t_dport, htons(80));
		/* The pseudo-header leaves extension headers out. */
		assert_true(pkt_l4csum_ok(&p));
	}
	/* Nine headers are more than anyone sends a director. */
	len = build_base(f, B_TCP6);
	for (j = 0; j < 9; j++)
		len = insert_ext6(f, len, 60, 0, 0);
	assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_IP6_EXT);
	/* An AH whose length runs past the payload. */
	len = insert_ext6(f, build_base(f, B_TCP6), IPPROTO_AH, 2, 0);
	f[L4V6 + 1] = 200;
	assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_SHORT);
	/* A header cut by the payload length. */
	len = insert_ext6(f, build_base(f, B_TCP6), 60, 0, 0);
	put16(f + L3 + 4, 4);
	assert_int_equal(pkt_parse(&p, f, len, NULL), DROP_SHORT);
}

static void
spec_random6(struct fspec *fs, int proto)
{
	unsigned	 i;

	spec_base(fs, AF_INET6, proto);
	for (i = 0; i < 16; i++) {
		fs->fs_src[i] = (uint8_t)rnd();
		fs->fs_dst[i] = (uint8_t)rnd();
	}
	fs->fs_sport = (uint16_t)rnd();
	fs->fs_dport = (uint16_t)rnd();
	fs->fs_paylen = (uint16_t)(rnd() % 41);
	fs->fs_payseed = (uint8_t)rnd();
	fs->fs_ttl = (uint8_t)(rnd() | 2);
}

static void
rnd_addr6(union inaddr *a)
{
	unsigned	 i;

	for (i = 0; i < 16; i++)
		a->b[i] = (uint8_t)rnd();
}

static void
test_pkt_rewrite_matches_full_when_ipv6(void **state)
{
	struct fspec	 fs;
	union inaddr	 a;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 i, len;
	uint16_t	 port;
	bool		 dst;

	rnd_state = 0x6a09e667;
	for (i = 0; i < 400; i++) {
		spec_random6(&fs, i & 1 ? IPPROTO_UDP : IPPROTO_TCP);
		len = build(f, &fs);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		dst = rnd() & 1;
		rnd_addr6(&a);
		port = (uint16_t)rnd();
		pkt_rewrite(&p, dst, &a, port);
		memcpy(dst ? fs.fs_dst : fs.fs_src, a.b, 16);
		if (dst)
			fs.fs_dport = ntohs(port);
		else
			fs.fs_sport = ntohs(port);
		assert_int_equal(build(want, &fs), len);
		assert_memory_equal(f, want, len);
		assert_true(pkt_l4csum_ok(&p));
		assert_memory_equal(dst ? &p.p_tuple.t_dst : &p.p_tuple.t_src,
		    &a, 16);
		assert_int_equal(dst ? p.p_tuple.t_dport : p.p_tuple.t_sport,
		    port);
	}
}

static void
test_pkt_rewrite_v4_same_as_rewrite4(void **state)
{
	struct fspec	 fs;
	union inaddr	 a = { .w = { htonl(0x0a000b0c) } };
	struct pkt	 p, q;
	uint8_t		 f[FRAME_MAX], g[FRAME_MAX];
	uint32_t	 len;

	spec_base(&fs, AF_INET, IPPROTO_TCP);
	len = build(f, &fs);
	memcpy(g, f, len);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_int_equal(pkt_parse(&q, g, len, NULL), 0);
	pkt_rewrite(&p, false, &a, htons(1234));
	pkt_rewrite4(&q, false, a.w[0], htons(1234));
	assert_memory_equal(f, g, len);
	assert_true(pkt_ip4csum_ok(&p));
	assert_true(pkt_l4csum_ok(&p));
}

static void
test_pkt_rewrite_udp6_zero_becomes_ffff(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	union inaddr	 a;
	uint8_t		 f[FRAME_MAX];
	uint32_t	 len, port;
	int		 zport = -1;

	spec_base(&fs, AF_INET6, IPPROTO_UDP);
	for (port = 0; port < 65536 && zport < 0; port++) {
		fs.fs_dport = (uint16_t)port;
		build(f, &fs);
		if (ref_l4(f, 18, L4V6 + 6) == 0)
			zport = (int)port;
	}
	assert_true(zport >= 0);
	fs.fs_dport = (uint16_t)(zport + 1);
	len = build(f, &fs);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	a = p.p_tuple.t_dst;
	pkt_rewrite(&p, true, &a, htons((uint16_t)zport));
	assert_int_equal(get16(f + L4V6 + 6), 0xffff);
	assert_true(pkt_l4csum_ok(&p));
	/* And it parses again: not the forbidden 0. */
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
}

static void
test_pkt_rewrite6_partial_when_needs_csum(void **state)
{
	struct fspec	 fs;
	struct vnet_hdr	 vh;
	struct pkt	 p;
	union inaddr	 a;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 i, len, l4len;
	uint16_t	 ckoff;
	bool		 dst, udp;

	rnd_state = 0xbb67ae85;
	for (i = 0; i < 300; i++) {
		udp = i & 1;
		spec_random6(&fs, udp ? IPPROTO_UDP : IPPROTO_TCP);
		len = build(f, &fs);
		l4len = len - L4V6;
		ckoff = L4V6 + (udp ? 6 : 16);
		put16(f + ckoff, (uint16_t)ref_pseudo(f, l4len));
		memset(&vh, 0, sizeof(vh));
		vh.vh_flags = VNET_F_NEEDS_CSUM;
		vh.vh_csum_start = L4V6;
		vh.vh_csum_offset = udp ? 6 : 16;
		assert_int_equal(pkt_parse(&p, f, len, &vh), 0);
		assert_true(p.p_csum_partial);
		dst = rnd() & 1;
		rnd_addr6(&a);
		pkt_rewrite(&p, dst, &a, (uint16_t)rnd());
		if (rnd() & 1) {
			rnd_addr6(&a);
			pkt_rewrite(&p, !dst, &a, (uint16_t)rnd());
		}
		assert_int_equal(get16(f + ckoff), ref_pseudo(f, l4len));
		complete_csum(f, &vh, len, udp);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		assert_true(pkt_l4csum_ok(&p));
		memcpy(want, f, len);
		put16(want + ckoff, ref_l4(f, l4len, ckoff));
		if (udp && get16(want + ckoff) == 0)
			put16(want + ckoff, 0xffff);
		assert_memory_equal(f, want, len);
	}
}

static void
test_pkt_ttl_dec_lowers_hop_limit(void **state)
{
	struct fspec	 fs;
	struct pkt	 p;
	uint8_t		 f[FRAME_MAX], want[FRAME_MAX];
	uint32_t	 len, hl;

	for (hl = 0; hl <= 255; hl++) {
		spec_base(&fs, AF_INET6, hl & 1 ? IPPROTO_UDP : IPPROTO_TCP);
		fs.fs_ttl = (uint8_t)hl;
		len = build(f, &fs);
		memcpy(want, f, len);
		assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
		if (hl <= 1) {
			assert_false(pkt_ttl_dec(&p));
		} else {
			assert_true(pkt_ttl_dec(&p));
			want[L3 + 7] = (uint8_t)(hl - 1);
		}
		assert_memory_equal(f, want, len);
		assert_true(pkt_l4csum_ok(&p));
	}
	spec_base(&fs, AF_INET, IPPROTO_TCP);
	len = build(f, &fs);
	assert_int_equal(pkt_parse(&p, f, len, NULL), 0);
	assert_true(pkt_ttl_dec(&p));
	assert_int_equal(f[L3 + 8], 63);
	assert_true(pkt_ip4csum_ok(&p));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pkt_parse_cases),
		cmocka_unit_test(test_pkt_parse_fills_tuple_when_tcp4),
		cmocka_unit_test(test_pkt_parse_fills_tuple_when_udp4),
		cmocka_unit_test(test_pkt_parse_fills_tuple_when_ipv6),
		cmocka_unit_test(test_csum_add_buf_matches_reference),
		cmocka_unit_test(test_csum_replace2_cases),
		cmocka_unit_test(test_csum_partial_replace4_tracks_sum),
		cmocka_unit_test(test_pkt_rewrite4_matches_full_when_random),
		cmocka_unit_test(test_pkt_rewrite4_keeps_udp_csum_zero),
		cmocka_unit_test(test_pkt_rewrite4_udp_zero_becomes_ffff),
		cmocka_unit_test(test_pkt_rewrite4_partial_when_needs_csum),
		cmocka_unit_test(test_pkt_l4csum_ok_when_corrupted),
		cmocka_unit_test(test_pkt_ttl_dec4_keeps_ip_csum),
		cmocka_unit_test(test_pkt_ttl_dec4_refuses_when_ttl_le_1),
		cmocka_unit_test(test_pkt_parse_skips_ext6),
		cmocka_unit_test(test_pkt_rewrite_matches_full_when_ipv6),
		cmocka_unit_test(test_pkt_rewrite_v4_same_as_rewrite4),
		cmocka_unit_test(test_pkt_rewrite_udp6_zero_becomes_ffff),
		cmocka_unit_test(test_pkt_rewrite6_partial_when_needs_csum),
		cmocka_unit_test(test_pkt_ttl_dec_lowers_hop_limit),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
