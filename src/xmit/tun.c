/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Tunnelling (-i): the client's IP packet, unchanged, goes inside an
 * outer IP header from our address toward the real server (the route's
 * preferred source, neigh.c) to the real server's address, as IPVS's
 * ip_vs_tunnel_xmit() and ip_vs_tunnel_xmit_v6(): plain IP-in-IP (ipip,
 * ip6ip6, 4in6, 6in4), GUE (UDP port --tun-port, RFC draft-ietf-intarea-
 * gue) or GRE (RFC 2784).  The real server decapsulates and answers the
 * client directly.
 *
 * The outer header is written in place, in the ring's headroom in front
 * of the frame (RING_RESERVE): the vnet and Ethernet headers move back.
 * Checksums follow ipvs_gue_encap()/ipvs_gre_encap():
 *  - nocsum: outer UDP checksum 0 (GUE), no GRE checksum; a partial
 *    inner checksum stays partial, csum_start moved by the outer length;
 *  - csum: the inner checksum is completed, then the outer UDP or GRE
 *    checksum is computed over everything it covers;
 *  - remcsum (GUE): a partial inner checksum is left to the real server,
 *    whose start and offset ride in GUE's private option (remote
 *    checksum offload); the outer UDP checksum is computed.
 * A GSO super-packet cannot say "tunnel" in a virtio header, so it is
 * segmented here (gso.c) and each segment encapsulated.  A packet that
 * will not fit the egress MTU with the outer header and may not be
 * fragmented gets an ICMP fragmentation needed / packet too big (pmtu.c)
 * with the MTU that would, as IPVS's ensure_mtu_is_adequate(); an IPv4
 * one without DF is encapsulated and its outer datagram fragmented on
 * output (worker_tx(), frag.c).  An ICMP error about what the real
 * server sent from the VIP goes to it through the tunnel as it is, as
 * IPVS's ip_vs_icmp_xmit() hands it to the method (icmp.c).  A router's
 * fragmentation needed about a tunnel packet itself (icmp_parse_tun())
 * lowers the path MTU toward the real server for TUN_PMTU_EXPIRES
 * (rss_pmtu, which tun_in() checks against) and reaches the client with
 * that MTU less the overhead (tun_icmp_tun()).  Workers.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "daemon.h"
#include "gso.h"
#include "icmp.h"
#include "iface.h"
#include "pkt.h"
#include "pmtu.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

#define ETH_LEN			14
#define IP4_HLEN		20
#define IP6_HLEN		40
#define UDP_HLEN		8
#define GUE_HLEN		4
#define GUE_PRIV_REMCSUM	8	/* GUE_LEN_PRIV + GUE_PLEN_REMCSUM */
#define GUE_FLAG_PRIV		0x0001	/* host order */
#define GUE_PFLAG_REMCSUM	0x80000000U
#define GRE_HLEN		4
#define GRE_CSUM_LEN		4
#define GRE_F_CSUM		0x8000
#define ETH_P_IP4		0x0800
#define ETH_P_IP6		0x86dd
#define TUN_TTL			64	/* the kernel's default hop limit */
#define TUN_PMTU_EXPIRES	600	/* seconds: net.ipv4.route.mtu_expires */
#define IP4_MIN_PMTU		552	/* net.ipv4.route.min_pmtu */
#define IP4_MIN_MTU		68	/* RFC 791 */
#define IP6_MIN_MTU		1280

struct tun_ctx {
	struct rs_tun		 x_t;
	const struct iface	*x_ifc;
	uint64_t		 x_nh;
	const union inaddr	*x_src;
	const union inaddr	*x_dst;
	int			 x_af;		/* outer */
	unsigned		 x_egress;
	uint16_t		 x_sport;	/* GUE, network order */
	bool			 x_remcsum;	/* partial inner, GUE remcsum */
	uint32_t		 x_hlen;	/* outer IP + tunnel headers */
};

static __thread uint16_t tun_ip_id;

static uint32_t
tun_hlen(int af, const struct rs_tun *t, bool remcsum)
{
	uint32_t	 h = af == AF_INET ? IP4_HLEN : IP6_HLEN;

	switch (t->rt_type) {
	case RS_TUN_GUE:
		h += UDP_HLEN + GUE_HLEN + (remcsum ? GUE_PRIV_REMCSUM : 0);
		break;
	case RS_TUN_GRE:
		h += GRE_HLEN + ((t->rt_flags & RS_TUN_F_CSUM) ?
		    GRE_CSUM_LEN : 0);
		break;
	}
	return h;
}

/* Does the outer header carry a checksum over the inner packet? */
static bool
tun_outer_csum(const struct rs_tun *t)
{
	if (t->rt_type == RS_TUN_GUE)
		return t->rt_flags != 0;
	return t->rt_type == RS_TUN_GRE && (t->rt_flags & RS_TUN_F_CSUM);
}

/* Complete the partial checksum of the frame at <l2> (vnet header <vh>). */
static void
tun_csum_complete(struct vnet_hdr *vh, uint8_t *l2, uint32_t flen)
{
	uint32_t	 cs = vh->vh_csum_start, co = vh->vh_csum_offset;
	uint16_t	 csum;

	if (!(vh->vh_flags & VNET_F_NEEDS_CSUM) || cs + co + 2 > flen)
		return;
	/* The field holds the pseudo-header sum: sum on from there. */
	csum = csum_fold(csum_add_buf(0, l2 + cs, flen - cs));
	/* A UDP checksum of 0 is sent as 0xffff. */
	if (csum == 0 && l2[ETH_LEN + ((l2[ETH_LEN] >> 4) == 4 ? 9 : 6)] ==
	    IPPROTO_UDP)
		csum = 0xffff;
	memcpy(l2 + cs + co, &csum, 2);
	vh->vh_flags &= (uint8_t)~VNET_F_NEEDS_CSUM;
}

/*
 * Encapsulate the frame whose vnet header is at <vhp>, an Ethernet
 * header then an IP datagram of <ilen> bytes, with x_hlen bytes free in
 * front of <vhp>.  Returns the new start (vnet header); the frame is
 * x_hlen bytes longer, without Ethernet padding.
 */
static uint8_t *
tun_encap(const struct tun_ctx *x, uint8_t *vhp, uint32_t ilen)
{
	uint8_t		*nvh = vhp - x->x_hlen, *l2, *o, *th, *inner;
	struct vnet_hdr	*vh;
	uint32_t	 tlen, sum, v32;
	uint16_t	 v16, csum;
	uint8_t		 iproto, tos;
	bool		 df;

	inner = vhp + RING_VNET_LEN + ETH_LEN;
	if (inner[0] >> 4 == 4) {
		iproto = IPPROTO_IPIP;
		tos = inner[1];
		df = inner[6] & 0x40;
	} else {
		iproto = IPPROTO_IPV6;
		tos = (uint8_t)(inner[0] << 4 | inner[1] >> 4);
		df = true;
	}
	memmove(nvh, vhp, RING_VNET_LEN);
	vh = (struct vnet_hdr *)nvh;
	l2 = nvh + RING_VNET_LEN;
	nh_mac_unpack(x->x_nh, l2);
	memcpy(l2 + 6, x->x_ifc->if_mac, 6);
	v16 = htons(x->x_af == AF_INET ? ETH_P_IP4 : ETH_P_IP6);
	memcpy(l2 + 12, &v16, 2);
	o = l2 + ETH_LEN;
	th = o + (x->x_af == AF_INET ? IP4_HLEN : IP6_HLEN);
	tlen = x->x_hlen - (uint32_t)(th - o) + ilen;	/* tunnel + inner */

	/* The tunnel header first: the outer checksums need it. */
	switch (x->x_t.rt_type) {
	case RS_TUN_GUE:
		memcpy(th, &x->x_sport, 2);
		v16 = htons(x->x_t.rt_port);
		memcpy(th + 2, &v16, 2);
		v16 = htons((uint16_t)tlen);
		memcpy(th + 4, &v16, 2);
		th[6] = th[7] = 0;
		th[8] = x->x_remcsum ? GUE_PRIV_REMCSUM / 4 : 0;
		th[9] = iproto;
		v16 = htons(x->x_remcsum ? GUE_FLAG_PRIV : 0);
		memcpy(th + 10, &v16, 2);
		if (x->x_remcsum) {
			v32 = htonl(GUE_PFLAG_REMCSUM);
			memcpy(th + 12, &v32, 4);
			/* From the inner IP header, as ipvs_gue_encap(). */
			v16 = htons((uint16_t)(vh->vh_csum_start - ETH_LEN));
			memcpy(th + 16, &v16, 2);
			v16 = htons((uint16_t)(vh->vh_csum_start - ETH_LEN +
			    vh->vh_csum_offset));
			memcpy(th + 18, &v16, 2);
		}
		break;
	case RS_TUN_GRE:
		v16 = htons((x->x_t.rt_flags & RS_TUN_F_CSUM) ? GRE_F_CSUM : 0);
		memcpy(th, &v16, 2);
		v16 = htons(iproto == IPPROTO_IPIP ? ETH_P_IP4 : ETH_P_IP6);
		memcpy(th + 2, &v16, 2);
		if (x->x_t.rt_flags & RS_TUN_F_CSUM) {
			memset(th + 4, 0, 4);
			csum = csum_fold(csum_add_buf(0, th, tlen));
			memcpy(th + 4, &csum, 2);
		}
		break;
	}
	if (x->x_af == AF_INET) {
		o[0] = 0x45;
		o[1] = tos;
		v16 = htons((uint16_t)(x->x_hlen + ilen));
		memcpy(o + 2, &v16, 2);
		v16 = df ? 0 : htons(tun_ip_id++);
		memcpy(o + 4, &v16, 2);
		o[6] = df ? 0x40 : 0;
		o[7] = 0;
		o[8] = TUN_TTL;
		o[9] = x->x_t.rt_type == RS_TUN_GUE ? IPPROTO_UDP :
		    x->x_t.rt_type == RS_TUN_GRE ? IPPROTO_GRE : iproto;
		o[10] = o[11] = 0;
		memcpy(o + 12, &x->x_src->w[0], 4);
		memcpy(o + 16, &x->x_dst->w[0], 4);
		csum = csum_fold(csum_add_buf(0, o, IP4_HLEN));
		memcpy(o + 10, &csum, 2);
	} else {
		v32 = htonl(6U << 28 | (uint32_t)tos << 20);
		memcpy(o, &v32, 4);
		v16 = htons((uint16_t)tlen);
		memcpy(o + 4, &v16, 2);
		o[6] = x->x_t.rt_type == RS_TUN_GUE ? IPPROTO_UDP :
		    x->x_t.rt_type == RS_TUN_GRE ? IPPROTO_GRE : iproto;
		o[7] = TUN_TTL;
		memcpy(o + 8, x->x_src, 16);
		memcpy(o + 24, x->x_dst, 16);
	}
	if (x->x_t.rt_type == RS_TUN_GUE && x->x_t.rt_flags != 0) {
		sum = csum_pseudo(x->x_af, x->x_src, x->x_dst, IPPROTO_UDP,
		    tlen);
		csum = csum_fold(csum_add_buf(sum, th, tlen));
		if (csum == 0)
			csum = 0xffff;
		memcpy(th + 6, &csum, 2);
	}
	if (vh->vh_flags & VNET_F_NEEDS_CSUM) {
		if (x->x_remcsum)
			vh->vh_flags &= (uint8_t)~VNET_F_NEEDS_CSUM;
		else
			vh->vh_csum_start = (uint16_t)(vh->vh_csum_start +
			    x->x_hlen);
	}
	return nvh;
}

/* gso_segment()'s emit: one segment, in scratch with room in front. */
static int
tun_emit(struct worker *w, uint8_t *buf, uint32_t len, void *arg)
{
	const struct tun_ctx	*x = arg;
	uint8_t			*nvh;

	if (tun_outer_csum(&x->x_t) && !x->x_remcsum)
		tun_csum_complete((struct vnet_hdr *)buf, buf + RING_VNET_LEN,
		    len - RING_VNET_LEN);
	nvh = tun_encap(x, buf, len - RING_VNET_LEN - ETH_LEN);
	return worker_tx(w, x->x_egress, nvh, len + x->x_hlen);
}

/* A 16-bit hash of the flow for GUE's source port, as udp_flow_src_port(). */
static uint16_t
tun_sport(const struct tuple *t)
{
	uint32_t	 h = 2166136261U;
	const uint8_t	*b = (const uint8_t *)t;
	size_t		 i;

	for (i = 0; i < sizeof(*t); i++)
		h = (h ^ b[i]) * 16777619U;
	/* The kernel's default ip_local_port_range is 32768..60999. */
	return htons((uint16_t)(32768 + h % 28232));
}

/* <mtu>, or the lower path MTU learnt toward <rss> while it lasts. */
static uint32_t
tun_pmtu(const struct rs_state *rss, uint32_t mtu)
{
	uint64_t	 v = __atomic_load_n(&rss->rss_pmtu, __ATOMIC_RELAXED);

	if (v == 0 || (uint32_t)v >= mtu || (uint32_t)(v >> 32) <= conn_now())
		return mtu;
	return (uint32_t)v;
}

static int
tun_in(struct worker *w, struct pkt *p, const struct conn *c,
    unsigned *ret_iface)
{
	const struct rs_state	*rss = c->c_rs;
	struct tun_ctx		 x;
	uint32_t		 ilen = p->p_l3len, seglen, nseg, mtu;
	bool			 gso;
	int			 r;

	x.x_nh = __atomic_load_n(&rss->rss_nh, __ATOMIC_ACQUIRE);
	if (!(x.x_nh & NH_VALID))
		return DROP_NO_NEIGH;
	if (NH_IFACE(x.x_nh) >= w->w_d->d_nifs)
		return DROP_NO_IFACE;
	rs_tun_unpack(__atomic_load_n(&rss->rss_tun, __ATOMIC_RELAXED),
	    &x.x_t);
	x.x_src = &rss->rss_src[(x.x_nh & NH_SRC_BIT) ? 1 : 0];
	x.x_dst = &rss->rss_ep.ep_addr.a;
	x.x_af = rss->rss_ep.ep_addr.a_af;
	if (x.x_src->w[0] == 0 && x.x_src->w[1] == 0 && x.x_src->w[2] == 0 &&
	    x.x_src->w[3] == 0)
		return DROP_NO_NEIGH;	/* no source address toward it yet */
	x.x_ifc = &w->w_d->d_ifs[NH_IFACE(x.x_nh)];
	x.x_egress = NH_IFACE(x.x_nh);
	x.x_sport = tun_sport(&p->p_tuple);
	gso = p->p_vnet != NULL && p->p_vnet->vh_gso_type != VNET_GSO_NONE;
	/* Segments are built with their checksum complete, never partial. */
	x.x_remcsum = x.x_t.rt_type == RS_TUN_GUE &&
	    x.x_t.rt_flags == RS_TUN_F_REMCSUM && p->p_csum_partial && !gso;
	x.x_hlen = tun_hlen(x.x_af, &x.x_t, x.x_remcsum);
	mtu = tun_pmtu(rss, x.x_ifc->if_mtu);
	if (p->p_l3off != ETH_LEN)
		return DROP_BAD_LEN;

	if (gso) {
		if ((r = gso_plan(p, &nseg, &seglen)) != DROP_NONE)
			return r;
		if (seglen + x.x_hlen > mtu && !pmtu_may_fragment(p))
			return pmtu_frag_needed(w, p, c->c_ciface, c->c_cmac,
			    mtu - x.x_hlen);
		r = gso_segment(w, p, x.x_hlen, !tun_outer_csum(&x.x_t),
		    tun_emit, &x);
		return r == DROP_NONE ? XMIT_SENT : r;
	}
	/*
	 * One that may be fragmented goes on: its outer header copies the
	 * clear DF, and worker_tx() cuts it for the egress MTU (frag.c).
	 */
	if (ilen + x.x_hlen > mtu && !pmtu_may_fragment(p))
		return pmtu_frag_needed(w, p, c->c_ciface, c->c_cmac,
		    mtu - x.x_hlen);
	if (p->p_vnet == NULL || p->p_headroom < x.x_hlen)
		return DROP_NO_HEADROOM;
	if (tun_outer_csum(&x.x_t) && !x.x_remcsum)
		tun_csum_complete(p->p_vnet, p->p_l2, ETH_LEN + ilen);
	p->p_vnet = (struct vnet_hdr *)tun_encap(&x, (uint8_t *)p->p_vnet,
	    ilen);
	p->p_l2 = (uint8_t *)p->p_vnet + RING_VNET_LEN;
	p->p_len = ETH_LEN + x.x_hlen + ilen;
	p->p_headroom = (uint16_t)(p->p_headroom - x.x_hlen);
	*ret_iface = x.x_egress;
	return DROP_NONE;
}

/* An error about what the real server sent from the VIP: tunnelled. */
static int
tun_icmp_in(struct worker *w, struct pkt *p, const struct icmp_err *ie,
    const struct conn *c, unsigned *ret_iface)
{
	(void)ie;
	return tun_in(w, p, c, ret_iface);
}

int
tun_icmp_tun(struct worker *w, const struct pkt *p, const struct icmp_tun *it,
    const struct conn *c, bool *sent)
{
	struct rs_state	*rss = c->c_rs;
	const uint8_t	*in = p->p_l2 + it->it_in3off;
	struct rs_tun	 t;
	uint64_t	 nh;
	uint32_t	 mtu, hlen, emtu;
	int		 r;

	*sent = false;
	if (c->c_method != XMIT_TUN)
		return DROP_ICMP_NO_CONN;
	rs_tun_unpack(__atomic_load_n(&rss->rss_tun, __ATOMIC_RELAXED), &t);
	/* Only about our tunnel to this connection's real server. */
	if (rss->rss_ep.ep_addr.a_af != it->it_oaf || memcmp(&it->it_rip,
	    &rss->rss_ep.ep_addr.a, it->it_oaf == AF_INET ? 4 : 16) != 0 ||
	    t.rt_type != it->it_type ||
	    (t.rt_type == RS_TUN_GUE && t.rt_port != it->it_port))
		return DROP_ICMP_NO_CONN;
	/* As the kernel's __ip_rt_update_pmtu() and RFC 8201 5.2. */
	mtu = it->it_mtu;
	if (it->it_oaf == AF_INET && mtu < IP4_MIN_PMTU)
		mtu = IP4_MIN_PMTU;
	if (it->it_oaf == AF_INET6 && mtu < IP6_MIN_MTU)
		mtu = IP6_MIN_MTU;
	nh = __atomic_load_n(&rss->rss_nh, __ATOMIC_ACQUIRE);
	if ((nh & NH_VALID) && NH_IFACE(nh) < w->w_d->d_nifs) {
		emtu = tun_pmtu(rss, w->w_d->d_ifs[NH_IFACE(nh)].if_mtu);
		if (mtu >= emtu)
			mtu = emtu;	/* nothing to learn: prefer ours */
		else
			__atomic_store_n(&rss->rss_pmtu, (uint64_t)(conn_now() +
			    TUN_PMTU_EXPIRES) << 32 | mtu, __ATOMIC_RELAXED);
	}
	/* The client's datagram without DF is fragmented on the way. */
	if (it->it_tuple.t_af == AF_INET && !(in[6] & 0x40))
		return XMIT_SENT;
	/* The largest overhead the real server's tunnel may take. */
	hlen = tun_hlen(it->it_oaf, &t, t.rt_type == RS_TUN_GUE &&
	    t.rt_flags == RS_TUN_F_REMCSUM);
	mtu = mtu > hlen + IP4_MIN_MTU ? mtu - hlen : IP4_MIN_MTU;
	r = pmtu_frag_needed_ip(w, it->it_tuple.t_af, in, it->it_inlen,
	    c->c_ciface, c->c_cmac, mtu);
	if (r != DROP_FRAG_NEEDED)
		return r;
	*sent = true;
	return XMIT_SENT;
}

const struct xmit_ops xmit_tun = {
	.name		= "tun",
	.fwd		= "Tunnel",
	.ipv6		= true,
	.in		= tun_in,
	.out		= NULL,
	.icmp_in	= tun_icmp_in,
	.icmp_out	= NULL,
};
