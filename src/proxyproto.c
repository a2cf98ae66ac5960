/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * PROXY protocol headers and the sequence mapping around them
 * (proxyproto.h).  Workers call it on fullnat TCP connections; no
 * allocation.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "pkt.h"
#include "proxyproto.h"

#define TCPOPT_EOL	0
#define TCPOPT_NOP	1
#define TCPOPT_SACK	5

static const uint8_t pp2_sig[12] = {
	0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a
};

static size_t
proxy_v1(const struct tuple *in, uint8_t *buf, size_t len)
{
	char		 src[INET6_ADDRSTRLEN], dst[INET6_ADDRSTRLEN];
	char		 tmp[PROXY_HDR_MAX];
	int		 n;

	if (inet_ntop(in->t_af, &in->t_src, src, sizeof(src)) == NULL ||
	    inet_ntop(in->t_af, &in->t_dst, dst, sizeof(dst)) == NULL)
		return 0;
	n = snprintf(tmp, sizeof(tmp), "PROXY %s %s %s %u %u\r\n",
	    in->t_af == AF_INET ? "TCP4" : "TCP6", src, dst,
	    (unsigned)ntohs(in->t_sport), (unsigned)ntohs(in->t_dport));
	if (n < 0 || (size_t)n >= sizeof(tmp) || (size_t)n > len)
		return 0;
	memcpy(buf, tmp, (size_t)n);
	return (size_t)n;
}

static size_t
proxy_v2(const struct tuple *in, uint8_t *buf, size_t len)
{
	size_t		 alen = in->t_af == AF_INET ? 4 : 16;
	size_t		 blen = 2 * alen + 4;
	uint16_t	 nblen = htons((uint16_t)blen);

	if (16 + blen > len)
		return 0;
	memcpy(buf, pp2_sig, sizeof(pp2_sig));
	buf[12] = 0x21;				/* version 2, PROXY */
	buf[13] = in->t_af == AF_INET ? 0x11 : 0x21;	/* TCP over v4/v6 */
	memcpy(buf + 14, &nblen, 2);
	memcpy(buf + 16, &in->t_src, alen);
	memcpy(buf + 16 + alen, &in->t_dst, alen);
	memcpy(buf + 16 + 2 * alen, &in->t_sport, 2);
	memcpy(buf + 18 + 2 * alen, &in->t_dport, 2);
	return 16 + blen;
}

size_t
proxy_hdr(int ver, const struct tuple *in, uint8_t *buf, size_t len)
{
	if (in->t_af != AF_INET && in->t_af != AF_INET6)
		return 0;
	switch (ver) {
	case PROXY_V1:
		return proxy_v1(in, buf, len);
	case PROXY_V2:
		return proxy_v2(in, buf, len);
	default:
		return 0;
	}
}

int
pp_seq_in(uint32_t seq, uint32_t paylen, uint8_t tcpflags, uint32_t dseq,
    bool sent, bool acked)
{
	if (tcpflags & TCPF_SYN)
		return PP_KEEP;
	if (seq == dseq) {
		if (paylen > 0)
			return PP_INSERT;
		if (tcpflags & TCPF_RST)
			return sent ? PP_SHIFT : PP_KEEP;
		/* A bare ACK or FIN carries it until the server has it. */
		if ((tcpflags & TCPF_ACK) && !acked)
			return PP_INSERT;
		return sent ? PP_SHIFT : PP_KEEP;
	}
	return seq_after(seq, dseq) ? PP_SHIFT : PP_KEEP;
}

uint32_t
pp_seq_out(uint32_t x, uint32_t dseq, uint32_t hl, bool sent)
{
	if (!seq_after(dseq + hl, x))		/* x >= dseq + hl */
		return x - hl;
	if (sent && seq_after(x, dseq))		/* inside the header */
		return dseq;
	return x;
}

/*
 * Replace the 32-bit field at <f> by pp_seq_out() of it.  A SACK edge may
 * start at an odd offset (one NOP before the option), where its bytes
 * straddle the checksum's 16-bit words: the update sums the words that
 * cover it, before and after (RFC 1624 eqn. 3 over them).
 */
static void
map_field(uint8_t *th, uint8_t *f, uint32_t dseq, uint32_t hl, bool sent,
    bool csum)
{
	uint32_t	 o, n, off = (uint32_t)(f - th), a, len, sum;
	uint16_t	 ck;

	memcpy(&o, f, 4);
	n = htonl(pp_seq_out(ntohl(o), dseq, hl, sent));
	if (n == o)
		return;
	a = off & ~1U;
	len = ((off + 5) & ~1U) - a;		/* 4 bytes, or 6 when odd */
	sum = csum_fold(csum_add_buf(0, th + a, len));	/* ~old words */
	memcpy(f, &n, 4);
	if (!csum)
		return;
	memcpy(&ck, th + 16, 2);
	sum += (uint16_t)~ck;
	sum += (uint16_t)~csum_fold(csum_add_buf(0, th + a, len));
	ck = csum_fold(sum);
	memcpy(th + 16, &ck, 2);
}

void
pp_tcp_out(uint8_t *th, uint32_t thlen, uint32_t dseq, uint32_t hl,
    bool sent, bool csum)
{
	uint32_t	 i, olen, j;

	if (th[13] & 0x10)				/* ACK */
		map_field(th, th + 8, dseq, hl, sent, csum);
	for (i = 20; i < thlen;) {
		if (th[i] == TCPOPT_EOL)
			break;
		if (th[i] == TCPOPT_NOP) {
			i++;
			continue;
		}
		if (i + 1 >= thlen || (olen = th[i + 1]) < 2 ||
		    i + olen > thlen)
			break;			/* malformed: leave the rest */
		if (th[i] == TCPOPT_SACK)
			for (j = i + 2; j + 4 <= i + olen; j += 4)
				map_field(th, th + j, dseq, hl, sent, csum);
		i += olen;
	}
}
