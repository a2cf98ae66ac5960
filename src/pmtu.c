/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ICMP "fragmentation needed" and ICMPv6 "packet too big" (pmtu.h), as
 * the kernel's icmp_send()/icmp6_send() make them for IPVS: from the
 * address the packet was sent to (the VIP, one of ours for the client),
 * quoting as much of the packet as fits 576 bytes (IPv4) or the IPv6
 * minimum MTU of 1280.  Workers; no allocation.
 */
#include "config.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "conn.h"
#include "daemon.h"
#include "gso.h"
#include "iface.h"
#include "pkt.h"
#include "pmtu.h"
#include "ratelimit.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "worker.h"
#include "xmit/xmit.h"

#define ETH_LEN		14
#define ICMP4_MAX	576	/* RFC 1812 4.3.2.3: an error fits 576 */
#define ICMP6_MAX	1280	/* RFC 4443 2.4 (c): the minimum MTU */
#define IPV6_MIN_MTU	1280

static int	 frag_needed(struct worker *w, int af, const uint8_t *orig,
		    uint32_t olen, const union inaddr *src, unsigned iface,
		    const uint8_t mac[6], uint32_t mtu);

bool
pmtu_may_fragment(const struct pkt *p)
{
	const uint8_t	*ip = p->p_l2 + p->p_l3off;

	return p->p_tuple.t_af == AF_INET && !(ip[6] & 0x40);
}

int
pmtu_frag_needed(struct worker *w, const struct pkt *p, unsigned iface,
    const uint8_t mac[6], uint32_t mtu)
{
	return pmtu_frag_needed_ip(w, p->p_tuple.t_af, p->p_l2 + p->p_l3off,
	    p->p_l3len, iface, mac, mtu);
}

int
pmtu_frag_needed_ip(struct worker *w, int af, const uint8_t *orig,
    uint32_t olen, unsigned iface, const uint8_t mac[6], uint32_t mtu)
{
	return frag_needed(w, af, orig, olen, NULL, iface, mac, mtu);
}

/* The error from <src>, or when NULL from <orig>'s destination. */
static int
frag_needed(struct worker *w, int af, const uint8_t *orig, uint32_t olen,
    const union inaddr *src, unsigned iface, const uint8_t mac[6],
    uint32_t mtu)
{
	const struct iface	*ifs = w->w_d->d_ifs;
	bool			 v4 = af == AF_INET;
	uint32_t		 iphl = v4 ? 20 : 40, quote, len, sum;
	uint8_t			*buf, *eth, *ip, *ic;
	uint16_t		 v16, csum;
	uint32_t		 v32;
	int			 r;

	if (iface >= w->w_d->d_nifs)
		return DROP_NO_IFACE;
	/*
	 * The kernel never limits these (icmpv4_mask_allow(): "Don't limit
	 * PMTU discovery"), but it sends one per skb it cannot forward, not
	 * one per frame a worker can turn around at line rate: a worker
	 * caps what it makes at icmp_msgs_per_sec/icmp_msgs_burst's defaults,
	 * never per destination (clients behind one NAT would wait).
	 */
	if (!tbucket_allow(&w->w_icmp_tb, ratelimit_now_ms(), ICMP_RATE,
	    ICMP_BURST))
		return DROP_ICMP_RATELIMIT;
	quote = olen;
	if (quote > (v4 ? ICMP4_MAX : ICMP6_MAX) - iphl - 8)
		quote = (v4 ? ICMP4_MAX : ICMP6_MAX) - iphl - 8;
	if (!v4 && mtu < IPV6_MIN_MTU)
		mtu = IPV6_MIN_MTU;
	len = RING_VNET_LEN + ETH_LEN + iphl + 8 + quote;
	if ((buf = worker_scratch(w, len)) == NULL)
		return DROP_TX_FULL;
	memset(buf, 0, RING_VNET_LEN + ETH_LEN + iphl + 8);
	eth = buf + RING_VNET_LEN;
	memcpy(eth, mac, 6);
	memcpy(eth + 6, ifs[iface].if_mac, 6);
	v16 = htons(v4 ? 0x0800 : 0x86dd);
	memcpy(eth + 12, &v16, 2);
	ip = eth + ETH_LEN;
	ic = ip + iphl;
	memcpy(ic + 8, orig, quote);
	if (v4) {
		ip[0] = 0x45;
		v16 = htons((uint16_t)(iphl + 8 + quote));
		memcpy(ip + 2, &v16, 2);
		ip[8] = 64;
		ip[9] = IPPROTO_ICMP;
		memcpy(ip + 12, src != NULL ? (const uint8_t *)src : orig + 16,
		    4);
		memcpy(ip + 16, orig + 12, 4);
		csum = csum_fold(csum_add_buf(0, ip, iphl));
		memcpy(ip + 10, &csum, 2);
		ic[0] = 3;	/* destination unreachable */
		ic[1] = 4;	/* fragmentation needed and DF set */
		v16 = htons((uint16_t)mtu);
		memcpy(ic + 6, &v16, 2);
		csum = csum_fold(csum_add_buf(0, ic, 8 + quote));
	} else {
		ip[0] = 0x60;
		v16 = htons((uint16_t)(8 + quote));
		memcpy(ip + 4, &v16, 2);
		ip[6] = IPPROTO_ICMPV6;
		ip[7] = 64;
		memcpy(ip + 8, src != NULL ? (const uint8_t *)src : orig + 24,
		    16);
		memcpy(ip + 24, orig + 8, 16);
		ic[0] = 2;	/* packet too big */
		v32 = htonl(mtu);
		memcpy(ic + 4, &v32, 4);
		sum = csum_pseudo(AF_INET6, ip + 8, ip + 24, IPPROTO_ICMPV6,
		    8 + quote);
		csum = csum_fold(csum_add_buf(sum, ic, 8 + quote));
	}
	memcpy(ic + 2, &csum, 2);
	/* Counted as the drop of the frame it answers: "frag-needed". */
	if ((r = worker_tx(w, iface, buf, len)) != DROP_NONE)
		return r;
	return DROP_FRAG_NEEDED;
}

bool
pmtu_too_big(const struct pkt *p, uint32_t mtu)
{
	uint32_t	 len, nseg;

	len = p->p_l3len;
	if (p->p_vnet != NULL && p->p_vnet->vh_gso_type != VNET_GSO_NONE) {
		/* The kernel cuts it into gso_size segments: those must fit. */
		if (gso_plan(p, &nseg, &len) != DROP_NONE)
			return false;
	}
	return len > mtu && !pmtu_may_fragment(p);
}

int
pmtu_check(struct worker *w, const struct pkt *p, const struct conn *c)
{
	uint64_t	 nh;
	uint32_t	 mtu;

	if (c->c_method == XMIT_TUN)
		return DROP_NONE;
	nh = __atomic_load_n(&c->c_rs->rss_nh, __ATOMIC_RELAXED);
	if (!(nh & NH_VALID) || NH_IFACE(nh) >= w->w_d->d_nifs)
		return DROP_NONE;
	mtu = w->w_d->d_ifs[NH_IFACE(nh)].if_mtu;
	if (!pmtu_too_big(p, mtu))
		return DROP_NONE;
	return pmtu_frag_needed(w, p, c->c_ciface, c->c_cmac, mtu);
}

const union inaddr *
pmtu_out_source(const struct conn *c, uint64_t nh)
{
	const union inaddr	*src;
	static const union inaddr zero;

	/* fullnat: the reply is for the LIP, one of ours, as icmp_send(). */
	if (c->c_method == XMIT_FULLNAT)
		return NULL;
	/*
	 * nat: the kernel forwards the reply and answers from the address
	 * it would use toward the real server (the route's preferred
	 * source), which neigh.c keeps with the next hop.  The VIP only
	 * when there is none yet.
	 */
	if (nh & NH_VALID) {
		src = &c->c_rs->rss_src[(nh & NH_SRC_BIT) ? 1 : 0];
		if (memcmp(src, &zero, sizeof(zero)) != 0)
			return src;
	}
	return &c->c_tuple[CONN_IN].t_dst;
}

int
pmtu_check_out(struct worker *w, const struct pkt *p, const struct conn *c,
    unsigned iface)
{
	uint64_t	 nh;
	uint32_t	 mtu;

	if (c->c_ciface >= w->w_d->d_nifs)
		return DROP_NONE;
	mtu = w->w_d->d_ifs[c->c_ciface].if_mtu;
	if (!pmtu_too_big(p, mtu))
		return DROP_NONE;
	nh = __atomic_load_n(&c->c_rs->rss_nh, __ATOMIC_ACQUIRE);
	return frag_needed(w, p->p_tuple.t_af, p->p_l2 + p->p_l3off,
	    p->p_l3len, pmtu_out_source(c, nh), iface, p->p_l2 + 6, mtu);
}
