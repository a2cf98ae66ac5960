/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ARP and neighbour-solicitation answers for VIPs (arpnd.h).
 *
 * An answer is what the kernel would send if the VIP were an address of
 * the interface (arp_process(), ndisc_recv_ns()): an ARP reply to the
 * requester's hardware address, or a solicited, overriding neighbour
 * advertisement with a target link-layer address option, from the VIP,
 * to the solicitor (after duplicate address detection from ::, to all
 * nodes and not solicited).  Announcements (gratuitous ARP) and replies
 * are not answered.  Workers answer from scratch; frames are read with
 * memcpy-free byte access, so nothing needs alignment.
 */
#include "config.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "arpnd.h"
#include "daemon.h"
#include "iface.h"
#include "pkt.h"
#include "ring.h"
#include "stats.h"
#include "table.h"
#include "worker.h"

#define ETH_HLEN	14
#define ETH_P_ARP	0x0806
#define ETH_P_IPV6	0x86dd
#define ARP_LEN		28	/* Ethernet/IPv4 ARP body */
#define IP6_HLEN	40
#define ICMP6		58
#define ND_NS		135
#define ND_NA		136
#define ND_NS_LEN	24	/* type, code, csum, reserved, target */
#define ND_OPT_SLLA	1
#define ND_OPT_TLLA	2
#define NA_F_SOLICITED	0x40	/* in the first byte of the flags word */
#define NA_F_OVERRIDE	0x20

static const uint8_t	 all_nodes_mac[6] = { 0x33, 0x33, 0, 0, 0, 1 };
static const uint8_t	 all_nodes[16] = { 0xff, 0x02, [15] = 1 };

static inline uint16_t
be16(const uint8_t *b)
{
	return (uint16_t)(b[0] << 8 | b[1]);
}

static inline void
put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

bool
arpnd_wants(const struct arpnd *an, const struct addr *a)
{
	unsigned	 i;

	if (an == NULL)
		return false;
	if (an->an_all)
		return true;
	for (i = 0; i < an->an_n; i++)
		if (an->an_addr[i].a_af == a->a_af &&
		    memcmp(&an->an_addr[i].a, &a->a, sizeof(a->a)) == 0)
			return true;
	return false;
}

static int
decode_arp(const uint8_t *f, uint32_t len, struct arpnd_req *rq)
{
	const uint8_t	*a = f + ETH_HLEN;

	if (len < ETH_HLEN + ARP_LEN)
		return -DROP_BAD_ARP;
	/* Ethernet hardware, IPv4 protocol, their address lengths. */
	if (be16(a) != 1 || be16(a + 2) != 0x0800 || a[4] != 6 || a[5] != 4)
		return -DROP_BAD_ARP;
	if (be16(a + 6) != 1)
		return 0;		/* a reply: nothing asked */
	if (a[8] & 1)
		return -DROP_BAD_ARP;	/* a multicast sender */
	/* An announcement (sender = target) asks nobody. */
	if (memcmp(a + 14, a + 24, 4) == 0)
		return 0;
	rq->rq_af = AF_INET;
	memcpy(rq->rq_mac, a + 8, 6);
	memcpy(&rq->rq_sender.w[0], a + 14, 4);
	memcpy(&rq->rq_target.w[0], a + 24, 4);
	return 1;
}

static bool
all_zero(const uint8_t *b, size_t n)
{
	while (n-- > 0)
		if (*b++ != 0)
			return false;
	return true;
}

static int
decode_ns(const uint8_t *f, uint32_t len, struct arpnd_req *rq)
{
	const uint8_t	*ip = f + ETH_HLEN, *icmp = ip + IP6_HLEN, *sll = NULL;
	uint8_t		 ph[40];
	uint32_t	 plen, off, olen, sum;

	if (len < ETH_HLEN + IP6_HLEN || ip[0] >> 4 != 6 || ip[6] != ICMP6)
		return 0;
	plen = be16(ip + 4);
	if (plen > len - ETH_HLEN - IP6_HLEN || plen < 1)
		return -DROP_BAD_NS;
	if (icmp[0] != ND_NS)
		return 0;		/* other ICMPv6: not ours to answer */
	/* RFC 4861 7.1.1: what makes a solicitation valid. */
	if (plen < ND_NS_LEN || ip[7] != 255 || icmp[1] != 0 ||
	    icmp[8] == 0xff)
		return -DROP_BAD_NS;
	memcpy(ph, ip + 8, 32);
	ph[32] = (uint8_t)(plen >> 24);
	ph[33] = (uint8_t)(plen >> 16);
	ph[34] = (uint8_t)(plen >> 8);
	ph[35] = (uint8_t)plen;
	ph[36] = ph[37] = ph[38] = 0;
	ph[39] = ICMP6;
	sum = csum_add_buf(csum_add_buf(0, ph, sizeof(ph)), icmp, plen);
	if (csum_fold(sum) != 0)
		return -DROP_BAD_NS;
	for (off = ND_NS_LEN; off < plen; off += olen) {
		if (plen - off < 2)
			return -DROP_BAD_NS;
		olen = (uint32_t)icmp[off + 1] * 8;
		if (olen == 0 || olen > plen - off)
			return -DROP_BAD_NS;
		if (icmp[off] == ND_OPT_SLLA && olen >= 8)
			sll = icmp + off + 2;
	}
	memset(rq, 0, sizeof(*rq));
	rq->rq_af = AF_INET6;
	rq->rq_dad = all_zero(ip + 8, 16);
	memcpy(&rq->rq_sender, ip + 8, 16);
	memcpy(&rq->rq_target, icmp + 8, 16);
	if (rq->rq_dad) {
		/* To the target's solicited-node group, and no address to
		 * answer to. */
		if (sll != NULL || memcmp(ip + 24,
		    "\xff\x02\0\0\0\0\0\0\0\0\0\x01\xff", 13) != 0 ||
		    memcmp(ip + 37, icmp + 8 + 13, 3) != 0)
			return -DROP_BAD_NS;
		memcpy(rq->rq_mac, all_nodes_mac, 6);
		return 1;
	}
	if (sll == NULL)
		sll = f + 6;		/* no option: the frame's source */
	if (sll[0] & 1)
		return -DROP_BAD_NS;
	memcpy(rq->rq_mac, sll, 6);
	return 1;
}

int
arpnd_decode(const uint8_t *f, uint32_t len, struct arpnd_req *rq)
{
	memset(rq, 0, sizeof(*rq));
	if (len < ETH_HLEN)
		return 0;
	switch (be16(f + 12)) {
	case ETH_P_ARP:
		return decode_arp(f, len, rq);
	case ETH_P_IPV6:
		return decode_ns(f, len, rq);
	default:
		return 0;
	}
}

static uint32_t
build_arp(uint8_t *b, const struct arpnd_req *rq, const uint8_t *mac)
{
	uint8_t	*a = b + ETH_HLEN;

	memset(b, 0, ARPND_ARP_LEN);
	memcpy(b, rq->rq_mac, 6);
	memcpy(b + 6, mac, 6);
	put16(b + 12, ETH_P_ARP);
	put16(a, 1);
	put16(a + 2, 0x0800);
	a[4] = 6;
	a[5] = 4;
	put16(a + 6, 2);
	memcpy(a + 8, mac, 6);
	memcpy(a + 14, &rq->rq_target.w[0], 4);
	memcpy(a + 18, rq->rq_mac, 6);
	memcpy(a + 24, &rq->rq_sender.w[0], 4);
	return ARPND_ARP_LEN;
}

static uint32_t
build_na(uint8_t *b, const struct arpnd_req *rq, const uint8_t *mac)
{
	uint8_t		*ip = b + ETH_HLEN, *icmp = ip + IP6_HLEN, ph[40];
	const uint32_t	 plen = ARPND_NA_LEN - ETH_HLEN - IP6_HLEN;
	uint16_t	 ck;

	memset(b, 0, ARPND_NA_LEN);
	memcpy(b, rq->rq_mac, 6);
	memcpy(b + 6, mac, 6);
	put16(b + 12, ETH_P_IPV6);
	ip[0] = 0x60;
	put16(ip + 4, (uint16_t)plen);
	ip[6] = ICMP6;
	ip[7] = 255;
	memcpy(ip + 8, &rq->rq_target, 16);
	memcpy(ip + 24, rq->rq_dad ? all_nodes : rq->rq_sender.b, 16);
	icmp[0] = ND_NA;
	icmp[4] = NA_F_OVERRIDE | (rq->rq_dad ? 0 : NA_F_SOLICITED);
	memcpy(icmp + 8, &rq->rq_target, 16);
	icmp[24] = ND_OPT_TLLA;
	icmp[25] = 1;
	memcpy(icmp + 26, mac, 6);
	memcpy(ph, ip + 8, 32);
	memset(ph + 32, 0, 8);
	ph[35] = (uint8_t)plen;
	ph[39] = ICMP6;
	ck = csum_fold(csum_add_buf(csum_add_buf(0, ph, sizeof(ph)), icmp,
	    plen));
	memcpy(icmp + 2, &ck, 2);
	return ARPND_NA_LEN;
}

uint32_t
arpnd_build(uint8_t *buf, const struct arpnd_req *rq, const uint8_t *mac)
{
	return rq->rq_af == AF_INET ? build_arp(buf, rq, mac) :
	    build_na(buf, rq, mac);
}

/* Is <a> the address of a service of <t>?  ARP and NS are rare: a scan. */
static bool
is_vip(const struct table *t, const struct addr *a)
{
	unsigned	 i;

	for (i = 0; t != NULL && i < t->t_nsvc; i++)
		if (t->t_svc[i].svc_ep.ep_addr.a_af == a->a_af &&
		    memcmp(&t->t_svc[i].svc_ep.ep_addr.a, &a->a,
		    sizeof(a->a)) == 0)
			return true;
	return false;
}

int
arpnd_frame(struct worker *w, const struct table *t, unsigned slot,
    const uint8_t *f, uint32_t len)
{
	struct arpnd_req	 rq;
	struct addr		 a;
	uint8_t			*buf;
	uint32_t		 n;
	int			 r;

	if ((r = arpnd_decode(f, len, &rq)) < 0)
		return -r;
	if (r == 0)
		return DROP_NEIGH_IGNORED;
	memset(&a, 0, sizeof(a));
	a.a_af = rq.rq_af;
	a.a = rq.rq_target;
	if (!arpnd_wants(w->w_d->d_arpnd, &a) || !is_vip(t, &a))
		return DROP_NEIGH_IGNORED;
	if ((buf = worker_scratch(w, RING_VNET_LEN + ARPND_NA_LEN)) == NULL)
		return DROP_TX_FULL;
	memset(buf, 0, RING_VNET_LEN);
	n = arpnd_build(buf + RING_VNET_LEN, &rq, w->w_d->d_ifs[slot].if_mac);
	if ((r = worker_tx(w, slot, buf, RING_VNET_LEN + n)) != DROP_NONE)
		return r;
	if (rq.rq_af == AF_INET)
		STAT_INC(w->w_stats->ws_arp_replies);
	else
		STAT_INC(w->w_stats->ws_na_sent);
	return DROP_NONE;
}

/* --- solicited-node multicast groups -------------------------------------- */

struct mc_ent {
	int		 me_ifindex;
	uint8_t		 me_mac[6];
};

struct arpnd_mc {
	int		 mc_fd;
	struct mc_ent	*mc_cur;	/* joined */
	unsigned	 mc_n;
};

struct arpnd_mc *
arpnd_mc_open(void)
{
	struct arpnd_mc	*mc;

	if ((mc = calloc(1, sizeof(*mc))) == NULL)
		return NULL;
	/* Protocol 0: bound to nothing, it receives no frame itself. */
	if ((mc->mc_fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0)) == -1) {
		free(mc);
		return NULL;
	}
	return mc;
}

static int
mc_op(struct arpnd_mc *mc, int op, const struct mc_ent *e)
{
	struct packet_mreq	 mr;

	memset(&mr, 0, sizeof(mr));
	mr.mr_ifindex = e->me_ifindex;
	mr.mr_type = PACKET_MR_MULTICAST;
	mr.mr_alen = 6;
	memcpy(mr.mr_address, e->me_mac, 6);
	if (setsockopt(mc->mc_fd, SOL_PACKET, op, &mr, sizeof(mr)) == -1)
		return -errno;
	return 0;
}

static bool
mc_has(const struct mc_ent *v, unsigned n, const struct mc_ent *e)
{
	unsigned	 i;

	for (i = 0; i < n; i++)
		if (v[i].me_ifindex == e->me_ifindex &&
		    memcmp(v[i].me_mac, e->me_mac, 6) == 0)
			return true;
	return false;
}

int
arpnd_mc_sync(struct arpnd_mc *mc, const struct iface *ifs, unsigned nifs,
    const struct arpnd *an, const struct table *t)
{
	const struct addr	*a;
	struct mc_ent		*want = NULL, e;
	unsigned		 n = 0, i, j;
	int			 r, first = 0;

	if (t != NULL && t->t_nsvc > 0 &&
	    (want = calloc((size_t)t->t_nsvc * nifs, sizeof(*want))) == NULL)
		return -ENOMEM;
	for (i = 0; t != NULL && i < t->t_nsvc; i++) {
		a = &t->t_svc[i].svc_ep.ep_addr;
		if (a->a_af != AF_INET6 || !arpnd_wants(an, a))
			continue;
		for (j = 0; j < nifs; j++) {
			e.me_ifindex = ifs[j].if_index;
			e.me_mac[0] = e.me_mac[1] = 0x33;
			e.me_mac[2] = 0xff;
			memcpy(e.me_mac + 3, a->a.b + 13, 3);
			if (!mc_has(want, n, &e))
				want[n++] = e;
		}
	}
	for (i = 0; i < mc->mc_n; i++)
		if (!mc_has(want, n, &mc->mc_cur[i]) &&
		    (r = mc_op(mc, PACKET_DROP_MEMBERSHIP, &mc->mc_cur[i])) &&
		    first == 0)
			first = r;
	for (i = 0; i < n; i++)
		if (!mc_has(mc->mc_cur, mc->mc_n, &want[i]) &&
		    (r = mc_op(mc, PACKET_ADD_MEMBERSHIP, &want[i])) &&
		    first == 0)
			first = r;
	free(mc->mc_cur);
	mc->mc_cur = want;
	mc->mc_n = n;
	return first;
}

void
arpnd_mc_close(struct arpnd_mc *mc)
{
	if (mc == NULL)
		return;
	/* Memberships go with the socket. */
	close(mc->mc_fd);
	free(mc->mc_cur);
	free(mc);
}
