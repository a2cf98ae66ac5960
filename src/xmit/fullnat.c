/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Full NAT (--fullnat): both addresses are rewritten, so real servers
 * need nothing but a route back to the director's local addresses
 * (LIPs), on any network.  A client's frame CIP:cport -> VIP:vport
 * leaves as LIP:lport -> RIP:rport; the reply RIP:rport -> LIP:lport
 * comes back to us (its destination is ours) and leaves as VIP:vport ->
 * CIP:cport, TTL lowered as a router does, to the MAC and interface the
 * client's frames came from.
 *
 * Ports: the connection's reply tuple is filed in the shard of
 * LIP:lport, which must be the client's shard (one lock per
 * connection), so lport comes from the LIP's stack of ports of that
 * shard (laddr.h); the connection gives it back when it goes.  No port:
 * DROP_NO_LPORT, counted, never a reuse.
 *
 * The client's address: the real server sees only the LIP, so a TCP
 * service may carry the PROXY protocol (v1 or v2, per service): the
 * header goes in front of the client's first data, and sequence numbers
 * are shifted for the connection's life (proxyproto.h).  The segment
 * that gets the header is built anew in the worker's scratch (it grows)
 * and queued with worker_tx(): IP length and checksum follow; the TCP
 * checksum stays partial when it was (its pseudo-header length fixed),
 * or is computed whole when it was complete; a GSO super-packet keeps
 * its segment size (the kernel's segmentation puts the header in the
 * first segment); a plain segment that the header makes larger than the
 * egress MTU becomes a GSO frame the kernel cuts.  Other segments are
 * changed in place: seq up by the header's length on the way in, ack and
 * SACK edges down on the way out, with incremental checksum updates
 * (none for a partial checksum: the device sums the TCP header).  UDP
 * gets addresses rewritten and no header: there is no stream to put it
 * in.  IPv4 and IPv6 alike (a service, its real servers and its LIPs
 * are of one family; IPv6's header has no checksum and its payload
 * length, extension headers included, grows with the header).  ICMP
 * errors about a connection are translated both ways, both addresses
 * and ports of the quote, and the quoted sequence number back into the
 * client's space for the client (icmp.c).  Workers; no allocation, no
 * syscall.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "bytes.h"
#include "conn.h"
#include "daemon.h"
#include "icmp.h"
#include "iface.h"
#include "laddr.h"
#include "pkt.h"
#include "proxyproto.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

#define IP4_MAXLEN	65535u	/* also IPv6's largest payload */
#define IP6_HLEN	40
#define ETH_HLEN	14

int
fullnat_conn_tuple(const struct svc *svc, const struct rs *rs,
    const struct pkt *p, unsigned shard, struct tuple *ret,
    struct laddr **ret_la)
{
	const struct tuple *in = &p->p_tuple;
	unsigned	 i, start, n = svc->svc_nladdr;
	uint16_t	 port;

	if (n == 0)
		return DROP_NO_LPORT;
	/* Spread clients over the LIPs; fall over to the next when dry. */
	start = (unsigned)(ntohl(in->t_src.w[0] ^ in->t_src.w[3]) ^
	    ntohs(in->t_sport)) % n;
	for (i = 0; i < n; i++) {
		struct laddr *la = svc->svc_laddr[(start + i) % n];

		if (!laddr_port_take(la, in->t_proto, shard, &port))
			continue;
		memset(ret, 0, sizeof(*ret));
		ret->t_src = rs->rs_ep.ep_addr.a;
		ret->t_sport = rs_port_of(rs, in->t_dport);
		ret->t_dst = laddr_addr(la)->a;
		ret->t_dport = port;
		ret->t_proto = in->t_proto;
		ret->t_af = in->t_af;
		*ret_la = la;
		return DROP_NONE;
	}
	return DROP_NO_LPORT;
}

void
fullnat_conn_init(struct conn *c, const struct svc *svc,
    const struct pkt *p, struct laddr *la, unsigned shard)
{
	uint8_t		 hdr[PROXY_HDR_MAX];
	uint32_t	 seq;

	c->c_laddr = la;
	c->c_lshard = (uint16_t)shard;
	if (p->p_tuple.t_proto != IPPROTO_TCP || svc->svc_proxy == PROXY_NONE)
		return;
	c->c_pplen = (uint8_t)proxy_hdr(svc->svc_proxy, &p->p_tuple, hdr,
	    sizeof(hdr));
	if (c->c_pplen == 0)
		return;
	memcpy(&seq, p->p_l2 + p->p_l4off + 4, 4);
	c->c_pseq = ntohl(seq) + 1;	/* made on the SYN: ISN + 1 */
	c->c_ppflags = CONN_PP_ON |
	    (svc->svc_proxy == PROXY_V2 ? CONN_PP_V2 : 0);
}

void
fullnat_conn_release(struct conn *c)
{
	if (c->c_laddr == NULL)
		return;
	laddr_port_put(c->c_laddr, c->c_tuple[CONN_OUT].t_proto, c->c_lshard,
	    c->c_tuple[CONN_OUT].t_dport);
	c->c_laddr = NULL;
}

/* The pseudo-header sum of <p>'s addresses, TCP and <l4len>. */
static uint32_t
pseudo_sum(const struct pkt *p, uint32_t l4len)
{
	const uint8_t	*ip = p->p_l2 + p->p_l3off;
	uint8_t		 ph[40];
	uint32_t	 n = htonl(l4len);

	/* Both families: addresses, a 32-bit length, zeros, the protocol. */
	if (p->p_tuple.t_af == AF_INET) {
		memcpy(ph, ip + 12, 8);
		memcpy(ph + 8, &n, 4);
		memset(ph + 12, 0, 3);
		ph[15] = IPPROTO_TCP;
		return csum_add_buf(0, ph, 16);
	}
	memcpy(ph, ip + 8, 32);
	memcpy(ph + 32, &n, 4);
	memset(ph + 36, 0, 3);
	ph[39] = IPPROTO_TCP;
	return csum_add_buf(0, ph, 40);
}

uint32_t
fullnat_proxy_len(const struct pkt *p, const struct conn *c)
{
	uint32_t	 max = p->p_tuple.t_af == AF_INET ? IP4_MAXLEN :
			    IP6_HLEN + IP4_MAXLEN;
	uint32_t	 l3len = p->p_l3len + c->c_pplen;

	return p->p_l3off + (l3len > max ? max : l3len);
}

int
fullnat_proxy_build(const struct pkt *p, const struct conn *c, uint8_t *buf,
    uint32_t cap, struct pkt *ret)
{
	uint8_t		 hdr[PROXY_HDR_MAX], *ip, *th;
	struct vnet_hdr	*vh;
	uint32_t	 hl, hlen, l4off, thl, paylen, tot, ntot, max;
	uint16_t	 ck;

	hl = (uint32_t)proxy_hdr(c->c_ppflags & CONN_PP_V2 ? PROXY_V2 :
	    PROXY_V1, &c->c_tuple[CONN_IN], hdr, sizeof(hdr));
	if (hl == 0 || hl != c->c_pplen)
		return DROP_PROXY;
	l4off = p->p_l4off - p->p_l3off;	/* IP header(s) */
	thl = (uint32_t)(p->p_l2[p->p_l4off + 12] >> 4) * 4;
	hlen = p->p_l4off + thl;
	tot = p->p_l3len;
	paylen = tot - l4off - thl;
	ntot = tot + hl;
	max = p->p_tuple.t_af == AF_INET ? IP4_MAXLEN : IP6_HLEN + IP4_MAXLEN;
	if (ntot > max) {
		/* The tail waits for a retransmission: TCP takes part. */
		paylen -= ntot - max;
		ntot = max;
	}
	if (RING_VNET_LEN + hlen + hl + paylen > cap)
		return DROP_TOO_BIG;
	vh = (struct vnet_hdr *)buf;
	if (p->p_vnet != NULL)
		memcpy(vh, p->p_vnet, RING_VNET_LEN);
	else
		memset(vh, 0, RING_VNET_LEN);
	memcpy(buf + RING_VNET_LEN, p->p_l2, hlen);
	memcpy(buf + RING_VNET_LEN + hlen, hdr, hl);
	memcpy(buf + RING_VNET_LEN + hlen + hl, p->p_l2 + hlen, paylen);

	*ret = *p;
	ret->p_l2 = buf + RING_VNET_LEN;
	ret->p_len = hlen + hl + paylen;
	ret->p_vnet = vh;
	ret->p_l3len = ntot;
	ip = ret->p_l2 + ret->p_l3off;
	th = ret->p_l2 + ret->p_l4off;
	if (p->p_tuple.t_af == AF_INET) {
		if (ld16(ip + 2) != 0) {	/* 0: BIG TCP, no length */
			ck = ld16(ip + 10);
			csum_replace2(&ck, ld16(ip + 2), htons((uint16_t)ntot));
			st16(ip + 10, ck);
			st16(ip + 2, htons((uint16_t)ntot));
		}
	} else if (ld16(ip + 4) != 0)
		st16(ip + 4, htons((uint16_t)(ntot - IP6_HLEN)));
	if (ret->p_csum_partial) {
		ck = ld16(th + 16);
		csum_partial_replace4(&ck, htonl(tot - l4off),
		    htonl(ntot - l4off));
		st16(th + 16, ck);
	} else {
		/* An odd header moves every byte after it: sum anew. */
		st16(th + 16, 0);
		st16(th + 16, csum_fold(csum_add_buf(pseudo_sum(ret,
		    ntot - l4off), th, ntot - l4off)));
	}
	return DROP_NONE;
}

/* Leave <q>'s TCP checksum to the kernel or the device (GSO needs it). */
static void
make_partial(struct pkt *q)
{
	struct vnet_hdr	*vh = q->p_vnet;
	uint8_t		*th = q->p_l2 + q->p_l4off;

	vh->vh_flags = VNET_F_NEEDS_CSUM;
	vh->vh_csum_start = q->p_l4off;
	vh->vh_csum_offset = 16;
	q->p_csum_partial = true;
	/* A partial field holds the pseudo-header sum, uncomplemented. */
	st16(th + 16, (uint16_t)~csum_fold(pseudo_sum(q,
	    q->p_l3len - (q->p_l4off - q->p_l3off))));
}

void
fullnat_proxy_fit(struct pkt *q, uint32_t mtu)
{
	struct vnet_hdr	*vh = q->p_vnet;
	uint8_t		*th = q->p_l2 + q->p_l4off;
	uint32_t	 l4off = q->p_l4off - q->p_l3off;
	uint32_t	 thl = (uint32_t)(th[12] >> 4) * 4;

	if (vh->vh_gso_type != VNET_GSO_NONE) {
		/* A GRO super-packet may say DATA_VALID: GSO wants partial. */
		if (!q->p_csum_partial)
			make_partial(q);
		return;
	}
	if (q->p_len <= mtu + ETH_HLEN || mtu <= l4off + thl)
		return;
	/*
	 * Too big for one frame now: the kernel cuts it, into segments
	 * that fit the egress MTU.
	 */
	vh->vh_gso_type = q->p_tuple.t_af == AF_INET ? VNET_GSO_TCPV4 :
	    VNET_GSO_TCPV6;
	vh->vh_gso_size = (uint16_t)(mtu - l4off - thl);
	vh->vh_hdr_len = (uint16_t)(q->p_l4off + thl);
	make_partial(q);
}

/*
 * The segment of <p> (addresses already rewritten) with the PROXY
 * header of <c> in front of its payload, built in scratch and queued.
 */
static int
proxy_insert(struct worker *w, struct pkt *p, const struct conn *c)
{
	struct pkt	 q;
	uint8_t		*buf;
	uint32_t	 len = RING_VNET_LEN + fullnat_proxy_len(p, c);
	unsigned	 egress;
	int		 r;

	if ((buf = worker_scratch(w, len)) == NULL)
		return DROP_TOO_BIG;
	if ((r = fullnat_proxy_build(p, c, buf, len, &q)) != DROP_NONE)
		return r;
	if ((r = xmit_to_rs(w, &q, c, &egress)) != DROP_NONE)
		return r;
	fullnat_proxy_fit(&q, w->w_d->d_ifs[egress].if_mtu);
	if ((r = worker_tx(w, egress, buf, RING_VNET_LEN + q.p_len)) !=
	    DROP_NONE)
		return r;
	return XMIT_SENT;
}

/* Shift the client's sequence number by the header; insert it if due. */
static int
proxy_in(struct worker *w, struct pkt *p, struct conn *c, bool *sent)
{
	uint8_t		*th = p->p_l2 + p->p_l4off;
	uint32_t	 thl = (uint32_t)(th[12] >> 4) * 4;
	uint32_t	 paylen = p->p_l3len - (p->p_l4off - p->p_l3off) - thl;
	uint32_t	 seq = ntohl(ld32(th + 4)), nseq;
	uint16_t	 ck;
	int		 r;

	*sent = false;
	/* A new SYN before any header (the client retried): its ISN. */
	if ((p->p_tcpflags & (TCPF_SYN | TCPF_ACK)) == TCPF_SYN &&
	    !(c->c_ppflags & CONN_PP_SENT))
		c->c_pseq = seq + 1;
	switch (pp_seq_in(seq, paylen, p->p_tcpflags, c->c_pseq,
	    c->c_ppflags & CONN_PP_SENT, c->c_ppflags & CONN_PP_ACKED)) {
	case PP_INSERT:
		if ((r = proxy_insert(w, p, c)) == XMIT_SENT) {
			c->c_ppflags |= CONN_PP_SENT;
			*sent = true;
		}
		return r;
	case PP_SHIFT:
		nseq = htonl(seq + c->c_pplen);
		if (!p->p_csum_partial) {
			ck = ld16(th + 16);
			csum_replace4(&ck, htonl(seq), nseq);
			st16(th + 16, ck);
		}
		memcpy(th + 4, &nseq, 4);
		return DROP_NONE;
	default:
		return DROP_NONE;
	}
}

static int
fullnat_in(struct worker *w, struct pkt *p, const struct conn *cc,
    unsigned *ret_iface)
{
	/* The shard lock is held: the method keeps its PROXY state. */
	struct conn	*c = (struct conn *)cc;
	const struct tuple *out = &c->c_tuple[CONN_OUT];
	bool		 sent;
	int		 r;

	pkt_rewrite(p, true, &out->t_src, out->t_sport);
	pkt_rewrite(p, false, &out->t_dst, out->t_dport);
	if (c->c_ppflags & CONN_PP_ON) {
		r = proxy_in(w, p, c, &sent);
		if (sent || r != DROP_NONE)
			return r;
	}
	return xmit_to_rs(w, p, c, ret_iface);
}

static int
fullnat_out(struct worker *w, struct pkt *p, const struct conn *cc,
    unsigned *ret_iface)
{
	/* The shard lock is held: the method keeps its PROXY state. */
	struct conn	*c = (struct conn *)cc;
	const struct tuple *in = &c->c_tuple[CONN_IN];
	uint8_t		*th = p->p_l2 + p->p_l4off;

	if (!pkt_ttl_dec(p))
		return DROP_TTL;
	if (c->c_ppflags & CONN_PP_ON) {
		/* The server has the whole header: no more in bare ACKs. */
		if ((th[13] & TCPF_ACK) && (c->c_ppflags & CONN_PP_SENT) &&
		    !seq_after(c->c_pseq + c->c_pplen, ntohl(ld32(th + 8))))
			c->c_ppflags |= CONN_PP_ACKED;
		pp_tcp_out(th, (uint32_t)(th[12] >> 4) * 4, c->c_pseq,
		    c->c_pplen, c->c_ppflags & CONN_PP_SENT,
		    !p->p_csum_partial);
	}
	pkt_rewrite(p, false, &in->t_dst, in->t_dport);
	pkt_rewrite(p, true, &in->t_src, in->t_sport);
	return xmit_to_client(w, p, c, ret_iface);
}

/*
 * An ICMP error about what the VIP sent the client, for the real
 * server: it must see its own packet quoted, RIP:rport -> LIP:lport, in
 * an error from the LIP.  The quoted ack keeps the client's sequence
 * space: the real server's stack does not look at it.
 */
static int
fullnat_icmp_in(struct worker *w, struct pkt *p, const struct icmp_err *ie,
    const struct conn *c, unsigned *ret_iface)
{
	const struct tuple *out = &c->c_tuple[CONN_OUT];

	icmp_rewrite(p, ie, true, &out->t_src, out->t_sport);
	icmp_rewrite(p, ie, false, &out->t_dst, out->t_dport);
	return xmit_to_rs(w, p, c, ret_iface);
}

/*
 * An ICMP error about what a client sent, from the real server's side,
 * for the client: its packet quoted as it sent it, CIP:cport ->
 * VIP:vport, with the sequence number back in its own space (a TCP
 * stack drops errors quoting a segment it never sent).
 */
static int
fullnat_icmp_out(struct worker *w, struct pkt *p, const struct icmp_err *ie,
    const struct conn *c, unsigned *ret_iface)
{
	const struct tuple *in = &c->c_tuple[CONN_IN];
	uint32_t	 seq;

	if (!pkt_ttl_dec(p))
		return DROP_TTL;
	icmp_rewrite(p, ie, false, &in->t_dst, in->t_dport);
	icmp_rewrite(p, ie, true, &in->t_src, in->t_sport);
	if ((c->c_ppflags & CONN_PP_ON) && ie->ie_tuple.t_proto ==
	    IPPROTO_TCP) {
		memcpy(&seq, p->p_l2 + ie->ie_in4off + 4, 4);
		seq = htonl(pp_seq_out(ntohl(seq), c->c_pseq, c->c_pplen,
		    c->c_ppflags & CONN_PP_SENT));
		icmp_quote_set32(p, ie, 4, seq);
	}
	return xmit_to_client(w, p, c, ret_iface);
}

const struct xmit_ops xmit_fullnat = {
	.name		= "fullnat",
	.fwd		= "FullNat",
	.ipv6		= true,
	.in		= fullnat_in,
	.out		= fullnat_out,
	.icmp_in	= fullnat_icmp_in,
	.icmp_out	= fullnat_icmp_out,
};
