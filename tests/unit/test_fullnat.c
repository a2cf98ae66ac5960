/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of fullnat's pure parts: PROXY v1/v2 headers (IPv4, IPv6),
 * the sequence mapping around the inserted header (wraparound, zero
 * length segments, SACK blocks, checksums kept right), and local ports:
 * every port handed out for a shard hashes there as a reply tuple, none
 * twice, exhaustion refuses, ports come back, a service falls over to
 * its next LIP.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "conn_tcp.h"
#include "laddr.h"
#include "pkt.h"
#include "proxyproto.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

static struct tuple
tup(int af, const char *src, uint16_t sport, const char *dst, uint16_t dport)
{
	struct tuple	 t;

	memset(&t, 0, sizeof(t));
	t.t_af = (uint8_t)af;
	t.t_proto = IPPROTO_TCP;
	assert_int_equal(inet_pton(af, src, &t.t_src), 1);
	assert_int_equal(inet_pton(af, dst, &t.t_dst), 1);
	t.t_sport = htons(sport);
	t.t_dport = htons(dport);
	return t;
}

static const struct {
	int		 ver;
	int		 af;
	const char	*src, *dst;
	uint16_t	 sport, dport;
	const char	*want;		/* v1: text; v2: hex */
	size_t		 len;
} hdrs[] = {
	{ PROXY_V1, AF_INET, "10.0.1.2", "203.0.113.30", 40000, 80,
	  "PROXY TCP4 10.0.1.2 203.0.113.30 40000 80\r\n", 0 },
	{ PROXY_V1, AF_INET6, "2001:db8::2", "2001:db8:ffff::30", 65535, 443,
	  "PROXY TCP6 2001:db8::2 2001:db8:ffff::30 65535 443\r\n", 0 },
	{ PROXY_V1, AF_INET6,
	  "2001:db8:1111:2222:3333:4444:5555:6666",
	  "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff", 65535, 65535,
	  "PROXY TCP6 2001:db8:1111:2222:3333:4444:5555:6666 "
	  "2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff 65535 65535\r\n", 0 },
	{ PROXY_V2, AF_INET, "10.0.1.2", "203.0.113.30", 40000, 80,
	  "0d0a0d0a000d0a515549540a" "21" "11" "000c"
	  "0a000102" "cb00711e" "9c40" "0050", 28 },
	{ PROXY_V2, AF_INET6, "2001:db8::2", "2001:db8::30", 1, 65535,
	  "0d0a0d0a000d0a515549540a" "21" "21" "0024"
	  "20010db8000000000000000000000002"
	  "20010db8000000000000000000000030" "0001" "ffff", 52 },
};

static size_t
unhex(const char *h, uint8_t *out)
{
	size_t		 n = 0;
	unsigned	 b;

	for (; h[0] != '\0' && h[1] != '\0'; h += 2) {
		assert_int_equal(sscanf(h, "%2x", &b), 1);
		out[n++] = (uint8_t)b;
	}
	return n;
}

static void
test_proxy_headers(void **state)
{
	uint8_t		 buf[PROXY_HDR_MAX], want[PROXY_HDR_MAX];
	struct tuple	 t;
	size_t		 i, n, wn;

	(void)state;
	for (i = 0; i < nitems(hdrs); i++) {
		t = tup(hdrs[i].af, hdrs[i].src, hdrs[i].sport, hdrs[i].dst,
		    hdrs[i].dport);
		n = proxy_hdr(hdrs[i].ver, &t, buf, sizeof(buf));
		if (hdrs[i].ver == PROXY_V1) {
			wn = strlen(hdrs[i].want);
			memcpy(want, hdrs[i].want, wn);
		} else {
			wn = unhex(hdrs[i].want, want);
			assert_int_equal(wn, hdrs[i].len);
		}
		assert_int_equal(n, wn);
		assert_memory_equal(buf, want, wn);
		assert_true(n <= PROXY_HDR_MAX);
		/* One byte short: nothing, never a cut header. */
		assert_int_equal(proxy_hdr(hdrs[i].ver, &t, buf, wn - 1), 0);
	}
	t = tup(AF_INET, "10.0.1.2", 1, "10.0.0.1", 2);
	assert_int_equal(proxy_hdr(PROXY_NONE, &t, buf, sizeof(buf)), 0);
	assert_int_equal(proxy_hdr(3, &t, buf, sizeof(buf)), 0);
	t.t_af = 0;
	assert_int_equal(proxy_hdr(PROXY_V1, &t, buf, sizeof(buf)), 0);
}

#define A	TCPF_ACK
#define AF	(TCPF_ACK | TCPF_FIN)
#define AR	(TCPF_ACK | TCPF_RST)
#define S	TCPF_SYN

static const struct {
	uint32_t	 seq, paylen, dseq;
	uint8_t		 flags;
	bool		 sent, acked;
	int		 want;
} seq_in[] = {
	{ 999, 0, 1000, S, false, false, PP_KEEP },	/* the SYN */
	{ 999, 0, 1000, S, true, true, PP_KEEP },	/* retransmitted */
	/* The handshake's ACK carries the header until the server has it. */
	{ 1000, 0, 1000, A, false, false, PP_INSERT },
	{ 1000, 0, 1000, A, true, false, PP_INSERT },
	{ 1000, 0, 1000, A, true, true, PP_SHIFT },	/* then it moves */
	{ 1000, 0, 1000, AF, false, false, PP_INSERT },	/* FIN at once */
	{ 1000, 0, 1000, AR, false, false, PP_KEEP },	/* RST: never data */
	{ 1000, 0, 1000, AR, true, false, PP_SHIFT },
	{ 1000, 0, 1000, 0, false, false, PP_KEEP },	/* no ACK: odd, kept */
	{ 1000, 100, 1000, A, false, false, PP_INSERT },	/* first data */
	{ 1000, 100, 1000, A, true, true, PP_INSERT },	/* its retransmission */
	{ 1000, 1400, 1000, A, true, true, PP_INSERT },	/* coalesced */
	{ 1100, 0, 1000, A, true, true, PP_SHIFT },
	{ 1100, 50, 1000, A, false, false, PP_SHIFT },	/* header still due */
	{ 900, 10, 1000, A, false, false, PP_KEEP },	/* before: untouched */
	/* Wraparound: dseq at the top of the space. */
	{ 0xffffffffu, 10, 0xffffffffu, A, false, false, PP_INSERT },
	{ 5, 0, 0xffffffffu, A, true, true, PP_SHIFT },
	{ 0xfffffffeu, 0, 0xffffffffu, S, false, false, PP_KEEP },
	{ 0x7ffffffeu, 1, 0xffffffffu, A, true, true, PP_SHIFT },
	{ 0x7fffffffu, 1, 0xffffffffu, A, true, true, PP_KEEP }, /* half way */
};

static void
test_seq_in(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(seq_in); i++)
		assert_int_equal(pp_seq_in(seq_in[i].seq, seq_in[i].paylen,
		    seq_in[i].flags, seq_in[i].dseq, seq_in[i].sent,
		    seq_in[i].acked), seq_in[i].want);
}

static const struct {
	uint32_t	 x, dseq, hl;
	bool		 sent;
	uint32_t	 want;
} seq_out[] = {
	{ 1000, 1000, 40, true, 1000 },		/* nothing acked yet */
	{ 1001, 1000, 40, true, 1000 },		/* inside the header */
	{ 1039, 1000, 40, true, 1000 },
	{ 1040, 1000, 40, true, 1000 },		/* the header, all of it */
	{ 1041, 1000, 40, true, 1001 },
	{ 5040, 1000, 40, true, 5000 },
	{ 999, 1000, 40, true, 999 },
	{ 1001, 1000, 40, false, 1001 },	/* FIN without data, no header */
	{ 1140, 1000, 40, false, 1100 },	/* SACK of shifted data */
	/* Wraparound. */
	{ 0xfffffff0u + 40 + 10, 0xfffffff0u, 40, true, 0xfffffff0u + 10 },
	{ 0x00000010u, 0xfffffff0u, 40, true, 0xfffffff0u },
	{ 0x00000020u, 0xfffffff0u, 20, true, 0x0000000cu },
	{ 0xffffffe0u, 0xfffffff0u, 40, true, 0xffffffe0u },
};

static void
test_seq_out(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(seq_out); i++)
		assert_int_equal(pp_seq_out(seq_out[i].x, seq_out[i].dseq,
		    seq_out[i].hl, seq_out[i].sent), seq_out[i].want);
}

/* The TCP checksum of header <th> alone (as a segment without data). */
static uint16_t
tcp_csum(const uint8_t *th, uint32_t len)
{
	uint8_t		 ph[12] = { 10, 0, 2, 11, 10, 0, 3, 1, 0, IPPROTO_TCP };
	uint16_t	 n = htons((uint16_t)len);

	memcpy(ph + 10, &n, 2);
	return csum_fold(csum_add_buf(csum_add_buf(0, ph, sizeof(ph)), th,
	    len));
}

static void
put32(uint8_t *b, uint32_t v)
{
	v = htonl(v);
	memcpy(b, &v, 4);
}

static uint32_t
get32(const uint8_t *b)
{
	uint32_t	 v;

	memcpy(&v, b, 4);
	return ntohl(v);
}

/* ack 5040, SACK 6040-7040 and 8040-9040, dseq 1000, 40 bytes of header. */
static void
make_seg(uint8_t *th, uint32_t *len)
{
	static const uint8_t opts[] = { 1, 1, 5, 18 };
	uint16_t	 ck;

	memset(th, 0, 60);
	th[12] = (20 + 20) / 4 << 4;
	th[13] = TCPF_ACK;
	put32(th + 4, 777);
	put32(th + 8, 5040);
	memcpy(th + 20, opts, sizeof(opts));
	put32(th + 24, 6040);
	put32(th + 28, 7040);
	put32(th + 32, 8040);
	put32(th + 36, 9040);
	*len = 40;
	ck = tcp_csum(th, *len);
	memcpy(th + 16, &ck, 2);
}

static void
test_tcp_out(void **state)
{
	uint8_t		 th[60], before[60];
	uint32_t	 len;
	uint16_t	 ck;

	(void)state;
	/* A complete checksum stays right after every change. */
	make_seg(th, &len);
	pp_tcp_out(th, len, 1000, 40, true, true);
	assert_int_equal(get32(th + 8), 5000);
	assert_int_equal(get32(th + 24), 6000);
	assert_int_equal(get32(th + 28), 7000);
	assert_int_equal(get32(th + 32), 8000);
	assert_int_equal(get32(th + 36), 9000);
	assert_int_equal(get32(th + 4), 777);		/* seq untouched */
	assert_int_equal(tcp_csum(th, len), 0);
	/* A partial one is the device's: left as it was. */
	make_seg(th, &len);
	memcpy(&ck, th + 16, 2);
	pp_tcp_out(th, len, 1000, 40, true, false);
	assert_int_equal(get32(th + 8), 5000);
	assert_int_equal(get32(th + 36), 9000);
	assert_memory_equal(th + 16, &ck, 2);
	/* Without ACK the ack field means nothing: kept. */
	make_seg(th, &len);
	th[13] = TCPF_SYN;
	pp_tcp_out(th, len, 1000, 40, true, true);
	assert_int_equal(get32(th + 8), 5040);
	assert_int_equal(get32(th + 24), 6000);
	/* One NOP: the edges start at odd offsets, across checksum words. */
	make_seg(th, &len);
	memmove(th + 21, th + 22, 18);
	th[39] = 1;			/* NOP, SACK 10 ... SACK ..., NOP */
	memset(th + 16, 0, 2);
	ck = tcp_csum(th, len);
	memcpy(th + 16, &ck, 2);
	pp_tcp_out(th, len, 1000, 40, true, true);
	assert_int_equal(get32(th + 23), 6000);
	assert_int_equal(get32(th + 35), 9000);
	assert_int_equal(tcp_csum(th, len), 0);
	/* Malformed options: a zero length, one past the header. */
	make_seg(th, &len);
	th[23] = 0;
	memcpy(before, th, sizeof(before));
	pp_tcp_out(th, len, 1000, 40, true, true);
	assert_int_equal(get32(th + 8), 5000);
	assert_memory_equal(th + 20, before + 20, 20);
	make_seg(th, &len);
	th[23] = 26;
	memset(th + 16, 0, 2);
	ck = tcp_csum(th, len);
	memcpy(th + 16, &ck, 2);
	memcpy(before, th, sizeof(before));
	pp_tcp_out(th, len, 1000, 40, true, true);
	assert_memory_equal(th + 20, before + 20, 20);
	assert_int_equal(tcp_csum(th, len), 0);
}

static struct conn_table *
table64(void)
{
	struct conn_timeouts	 to;
	struct conn_table	*ct;

	tcp_timeouts_default(&to);
	ct = conn_table_new(1024, 64, &to);
	assert_non_null(ct);
	return ct;
}

static struct addr
addr4(const char *s)
{
	struct addr	 a;

	assert_int_equal(addr_parse(s, &a), 0);
	return a;
}

static void
test_ports_shard(void **state)
{
	struct conn_table *ct = table64();
	struct laddr_set *ls;
	struct laddr	*la;
	struct addr	 a = addr4("10.0.3.1");
	struct tuple	 reply;
	static uint8_t	 seen[65536];
	uint16_t	 port, ports[128];
	unsigned	 s, n = 0, k;
	int		 proto;

	(void)state;
	ls = laddr_set_new(ct, 40000, 40127);
	assert_non_null(ls);
	la = laddr_get(ls, &a);
	assert_non_null(la);
	assert_ptr_equal(laddr_get(ls, &a), la);	/* one per address */
	for (proto = IPPROTO_TCP; proto != 0;
	    proto = proto == IPPROTO_TCP ? IPPROTO_UDP : 0) {
		memset(seen, 0, sizeof(seen));
		n = 0;
		for (s = 0; s < 64; s++) {
			while (laddr_port_take(la, proto, s, &port)) {
				/* The reply tuple's shard, whatever the RS. */
				memset(&reply, 0, sizeof(reply));
				reply.t_src.v4.s_addr = htonl(0x0a00020b + s);
				reply.t_sport = htons((uint16_t)(80 + s));
				reply.t_dst = a.a;
				reply.t_dport = port;
				reply.t_proto = (uint8_t)proto;
				reply.t_af = AF_INET;
				assert_int_equal(conn_shard(ct, &reply,
				    CONN_OUT), s);
				assert_true(ntohs(port) >= 40000 &&
				    ntohs(port) <= 40127);
				assert_int_equal(seen[ntohs(port)], 0);
				seen[ntohs(port)] = 1;
				ports[n++] = port;
				assert_true(n <= 128);
			}
		}
		/* Every port of the range, each once: then exhaustion. */
		assert_int_equal(n, 128);
		assert_int_equal(laddr_ports_used(la, proto), 128);
		for (s = 0; s < 64; s++)
			assert_false(laddr_port_take(la, proto, s, &port));
		/* Back they come, each to its shard. */
		for (k = 0; k < n; k++) {
			reply.t_dport = ports[k];
			reply.t_proto = (uint8_t)proto;
			laddr_port_put(la, proto,
			    conn_shard(ct, &reply, CONN_OUT), ports[k]);
		}
		assert_int_equal(laddr_ports_used(la, proto), 0);
	}
	/* A shard out of range is refused, not read past. */
	assert_false(laddr_port_take(la, IPPROTO_TCP, 64, &port));
	laddr_set_free(ls);
	conn_table_free(ct, NULL, NULL);
}

/* A service's LIPs in turn: the first dry one falls over to the next. */
static void
test_conn_tuple(void **state)
{
	struct conn_table *ct = table64();
	struct laddr_set *ls;
	struct svc	 svc;
	struct rs	 rs;
	struct pkt	 p;
	struct tuple	 out;
	struct laddr	*la, *got;
	struct addr	 a1 = addr4("10.0.3.1"), a2 = addr4("10.0.3.2");
	unsigned	 shard, n1 = 0, n2 = 0, i;
	int		 r;

	(void)state;
	ls = laddr_set_new(ct, 1024, 65535);
	assert_non_null(ls);
	memset(&svc, 0, sizeof(svc));
	memset(&rs, 0, sizeof(rs));
	memset(&p, 0, sizeof(p));
	svc.svc_nladdr = 2;
	svc.svc_laddr[0] = laddr_get(ls, &a1);
	svc.svc_laddr[1] = laddr_get(ls, &a2);
	rs.rs_ep.ep_addr = addr4("10.0.2.11");
	rs.rs_ep.ep_port = htons(8080);
	p.p_tuple = tup(AF_INET, "10.0.1.2", 40000, "203.0.113.30", 80);
	shard = conn_shard(ct, &p.p_tuple, CONN_IN);
	for (i = 0;; i++) {
		r = fullnat_conn_tuple(&svc, &rs, &p, shard, &out, &got);
		if (r != DROP_NONE)
			break;
		assert_int_equal(conn_shard(ct, &out, CONN_OUT), shard);
		assert_memory_equal(&out.t_src, &rs.rs_ep.ep_addr.a,
		    sizeof(out.t_src));
		assert_int_equal(out.t_sport, htons(8080));
		assert_int_equal(out.t_proto, IPPROTO_TCP);
		assert_memory_equal(&out.t_dst, &laddr_addr(got)->a,
		    sizeof(out.t_dst));
		if (got == svc.svc_laddr[0])
			n1++;
		else
			n2++;
		assert_true(i < 65536);
	}
	assert_int_equal(r, DROP_NO_LPORT);
	/* Both were drained in this shard, about 64512/64 ports each. */
	assert_true(n1 > 500 && n2 > 500);
	assert_int_equal(n1 + n2, laddr_ports_used(svc.svc_laddr[0],
	    IPPROTO_TCP) + laddr_ports_used(svc.svc_laddr[1], IPPROTO_TCP));
	/* No LIP at all. */
	svc.svc_nladdr = 0;
	assert_int_equal(fullnat_conn_tuple(&svc, &rs, &p, shard, &out, &la),
	    DROP_NO_LPORT);
	laddr_set_free(ls);
	conn_table_free(ct, NULL, NULL);
}

/*
 * Ethernet + IPv4/IPv6 + TCP (ACK|PSH, seq <seq>) + <paylen> bytes, the
 * L4 checksum complete, or partial (the pseudo-header sum) with a vnet
 * header saying so; parsed into <p>.  Returns the frame.
 */
static uint8_t *
mkseg(struct pkt *p, struct vnet_hdr *vh, int af, bool partial,
    uint32_t seq, uint32_t paylen)
{
	static uint8_t	 f[2048];
	uint8_t		*ip = f + 14, *th;
	uint32_t	 iphl = af == AF_INET ? 20 : 40, i, l4len = 20 + paylen;
	uint16_t	 ck, n;
	struct pkt	 tmp;
	uint8_t		 ph[40];
	size_t		 alen = af == AF_INET ? 4 : 16;
	uint32_t	 nl = htonl(l4len);

	memset(f, 0, sizeof(f));
	memset(f, 0x02, 12);
	if (af == AF_INET) {
		f[12] = 0x08;
		ip[0] = 0x45;
		n = htons((uint16_t)(iphl + l4len));
		memcpy(ip + 2, &n, 2);
		ip[8] = 64;
		ip[9] = IPPROTO_TCP;
		inet_pton(AF_INET, "10.0.3.1", ip + 12);
		inet_pton(AF_INET, "10.0.2.11", ip + 16);
		ck = csum_fold(csum_add_buf(0, ip, 20));
		memcpy(ip + 10, &ck, 2);
	} else {
		f[12] = 0x86;
		f[13] = 0xdd;
		ip[0] = 0x60;
		n = htons((uint16_t)l4len);
		memcpy(ip + 4, &n, 2);
		ip[6] = IPPROTO_TCP;
		ip[7] = 64;
		inet_pton(AF_INET6, "2001:db8:3::1", ip + 8);
		inet_pton(AF_INET6, "2001:db8:2::11", ip + 24);
	}
	th = ip + iphl;
	n = htons(40000);
	memcpy(th, &n, 2);
	n = htons(80);
	memcpy(th + 2, &n, 2);
	put32(th + 4, seq);
	put32(th + 8, 12345);
	th[12] = 5 << 4;
	th[13] = TCPF_ACK | 0x08;
	for (i = 0; i < paylen; i++)
		th[20 + i] = (uint8_t)(i * 7 + 1);
	memset(vh, 0, sizeof(*vh));
	assert_int_equal(pkt_parse(&tmp, f, 14 + iphl + l4len, NULL),
	    DROP_NONE);
	/* The pseudo-header sum, the way pkt_l4csum_ok() builds it. */
	memcpy(ph, af == AF_INET ? ip + 12 : ip + 8, 2 * alen);
	memcpy(ph + 2 * alen, &nl, 4);
	memset(ph + 2 * alen + 4, 0, 3);
	ph[2 * alen + 7] = IPPROTO_TCP;
	if (partial) {
		ck = (uint16_t)~csum_fold(csum_add_buf(0, ph, 2 * alen + 8));
		vh->vh_flags = VNET_F_NEEDS_CSUM;
		vh->vh_csum_start = (uint16_t)(14 + iphl);
		vh->vh_csum_offset = 16;
	} else
		ck = csum_fold(csum_add_buf(csum_add_buf(0, ph, 2 * alen + 8),
		    th, l4len));
	memcpy(th + 16, &ck, 2);
	(void)pkt_parse(p, f, 14 + iphl + l4len, vh);
	assert_int_equal(p->p_tuple.t_af, af);
	assert_int_equal(p->p_l3len, iphl + l4len);
	return f;
}

/* What a device does with a partial checksum: sum from csum_start on. */
static void
complete_csum(struct pkt *p)
{
	uint8_t		*l4 = p->p_l2 + p->p_l4off;
	uint32_t	 l4len = p->p_l3len - (p->p_l4off - p->p_l3off);
	uint16_t	 ck = csum_fold(csum_add_buf(0, l4, l4len));

	memcpy(l4 + 16, &ck, 2);
	p->p_csum_partial = false;
}

static void
test_proxy_build(void **state)
{
	static uint8_t	 buf[4096];
	uint8_t		 hdr[PROXY_HDR_MAX], *f;
	struct vnet_hdr	 vh;
	struct conn	 c;
	struct pkt	 p, q, r;
	uint32_t	 hl, iphl;
	int		 af, part, ver;

	(void)state;
	for (af = AF_INET; af != 0; af = af == AF_INET ? AF_INET6 : 0)
	for (part = 0; part < 2; part++)
	for (ver = PROXY_V1; ver <= PROXY_V2; ver++) {
		iphl = af == AF_INET ? 20 : 40;
		memset(&c, 0, sizeof(c));
		c.c_tuple[CONN_IN] = af == AF_INET ?
		    tup(AF_INET, "10.0.1.2", 40001, "203.0.113.30", 80) :
		    tup(AF_INET6, "2001:db8:1::2", 40001, "2001:db8::30", 80);
		hl = (uint32_t)proxy_hdr(ver, &c.c_tuple[CONN_IN], hdr,
		    sizeof(hdr));
		c.c_pplen = (uint8_t)hl;
		c.c_ppflags = CONN_PP_ON | (ver == PROXY_V2 ? CONN_PP_V2 : 0);
		f = mkseg(&p, &vh, af, part, 1000, 301);
		assert_int_equal(fullnat_proxy_len(&p, &c),
		    14 + iphl + 20 + 301 + hl);
		/* Too small a buffer: refused, nothing written past it. */
		assert_int_equal(fullnat_proxy_build(&p, &c, buf, 10 +
		    fullnat_proxy_len(&p, &c) - 1, &q), DROP_TOO_BIG);
		assert_int_equal(fullnat_proxy_build(&p, &c, buf, sizeof(buf),
		    &q), DROP_NONE);
		assert_int_equal(q.p_len, 14 + iphl + 20 + hl + 301);
		assert_ptr_equal(q.p_l2, buf + 10);
		assert_memory_equal(q.p_l2 + 14 + iphl + 20, hdr, hl);
		assert_memory_equal(q.p_l2 + 14 + iphl + 20 + hl,
		    f + 14 + iphl + 20, 301);
		/* It parses again, longer, with right sums. */
		assert_int_equal(pkt_parse(&r, q.p_l2, q.p_len, q.p_vnet),
		    DROP_NONE);
		assert_int_equal(r.p_l3len, iphl + 20 + hl + 301);
		assert_int_equal(r.p_csum_partial, part);
		if (af == AF_INET)
			assert_true(pkt_ip4csum_ok(&r));
		if (part)
			complete_csum(&r);
		assert_true(pkt_l4csum_ok(&r));
		/* Over the MTU: a GSO frame whose segments fit. */
		assert_int_equal(fullnat_proxy_build(&p, &c, buf, sizeof(buf),
		    &q), DROP_NONE);
		fullnat_proxy_fit(&q, 1500);
		assert_int_equal(q.p_vnet->vh_gso_type, VNET_GSO_NONE);
		fullnat_proxy_fit(&q, 200);
		assert_int_equal(q.p_vnet->vh_gso_type, af == AF_INET ?
		    VNET_GSO_TCPV4 : VNET_GSO_TCPV6);
		assert_int_equal(q.p_vnet->vh_gso_size, 200 - iphl - 20);
		assert_int_equal(q.p_vnet->vh_flags, VNET_F_NEEDS_CSUM);
		assert_int_equal(q.p_vnet->vh_csum_start, 14 + iphl);
		assert_int_equal(q.p_vnet->vh_csum_offset, 16);
		complete_csum(&q);
		assert_true(pkt_l4csum_ok(&q));
		/* A GSO frame with a complete sum (GRO, DATA_VALID): partial. */
		mkseg(&p, &vh, af, false, 1000, 301);
		vh.vh_gso_type = af == AF_INET ? VNET_GSO_TCPV4 :
		    VNET_GSO_TCPV6;
		vh.vh_gso_size = 100;
		vh.vh_flags = VNET_F_DATA_VALID;
		assert_int_equal(fullnat_proxy_build(&p, &c, buf, sizeof(buf),
		    &q), DROP_NONE);
		fullnat_proxy_fit(&q, 1500);
		assert_int_equal(q.p_vnet->vh_gso_size, 100);
		assert_int_equal(q.p_vnet->vh_flags, VNET_F_NEEDS_CSUM);
		complete_csum(&q);
		assert_true(pkt_l4csum_ok(&q));
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_proxy_headers),
		cmocka_unit_test(test_seq_in),
		cmocka_unit_test(test_seq_out),
		cmocka_unit_test(test_tcp_out),
		cmocka_unit_test(test_ports_shard),
		cmocka_unit_test(test_conn_tuple),
		cmocka_unit_test(test_proxy_build),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
