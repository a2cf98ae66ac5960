/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ring sockets' classic BPF filter (filter.h), built from a snapshot.
 *
 * The program is a linear scan, kept as small as the kernel allows:
 *
 *	ldh [12]; jeq #0x0800, 1, 0; ret #0
 *	ld [30]; { jeq #vip, 0, 1; ret #-1 } per VIP and fullnat LIP
 *	ld [26]; { jeq #rip, 0, 1; ret #-1 } per nat real server
 *	ldb [23]; jeq #1, 1, 0; ret #0
 *	ldxb 4*([14]&0xf); ld [x + 38]
 *	{ jeq #rip, 0, 1; ret #-1 } per nat real server
 *	ret #0
 *
 * Each address test jumps over one instruction only, because classic
 * jumps have 8-bit offsets and a list may be long.  Addresses are sorted
 * and deduplicated; protocol and port are the workers' business, the
 * filter only spares them the host's other traffic.  ICMP errors about a
 * connection are to a VIP (about what it sent) or from a nat real
 * server, both let in above, or from a router between a nat real server
 * and us, about what a client sent it: the third list looks for the real
 * server as the destination of the quoted header (ICMP header 8 bytes
 * after the IP header, destination 16 bytes into the quote).  Worst case
 * 11 + 2 * FILTER_ADDR_MAX + 2 * nat RIPs instructions, under
 * BPF_MAXINSNS (4096).  Control thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "filter.h"
#include "laddr.h"
#include "table.h"
#include "xmit/xmit.h"

#define ETH_TYPE_OFF	12	/* Ethernet header, no VLAN tag (stripped) */
#define IP4_SADDR_OFF	26	/* 14 + offsetof(struct iphdr, saddr) */
#define IP4_DADDR_OFF	30
#define IP4_PROTO_OFF	23	/* 14 + offsetof(struct iphdr, protocol) */
#define IP4_HDR_OFF	14
#define ICMP_QDADDR_OFF	38	/* from X = IP header length: 14 + 8 + 16 */
#define ETHERTYPE_IP4	0x0800
#define FILTER_ACCEPT	0xffffffffU	/* never a snap length: GSO frames */

struct addr_list {
	uint32_t	*al_v;		/* host order, as ld [k] yields them */
	unsigned	 al_n;
};

static int
u32_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/* Sort and drop duplicates in place. */
static void
addr_list_uniq(struct addr_list *al)
{
	unsigned	 i, n = 0;

	if (al->al_n == 0)
		return;
	qsort(al->al_v, al->al_n, sizeof(al->al_v[0]), u32_cmp);
	for (i = 1; i < al->al_n; i++)
		if (al->al_v[i] != al->al_v[n])
			al->al_v[++n] = al->al_v[i];
	al->al_n = n + 1;
}

/*
 * The IPv4 VIPs (with the LIPs of fullnat services: their replies come
 * to them) and nat RIPs of <t>, each list sorted and unique.
 */
static int
collect(const struct table *t, struct addr_list *vips, struct addr_list *rips)
{
	const struct svc	*svc;
	const struct rs		*rs;
	size_t			 nrs = 0;
	unsigned		 i, j;

	for (i = 0; i < t->t_nsvc; i++)
		nrs += t->t_svc[i].svc_nrs;
	vips->al_n = rips->al_n = 0;
	vips->al_v = calloc(t->t_nsvc ? t->t_nsvc * (1 + LADDR_PER_SVC_MAX) :
	    1, sizeof(uint32_t));
	rips->al_v = calloc(nrs ? nrs : 1, sizeof(uint32_t));
	if (vips->al_v == NULL || rips->al_v == NULL) {
		free(vips->al_v);
		free(rips->al_v);
		return -ENOMEM;
	}
	for (i = 0; i < t->t_nsvc; i++) {
		svc = &t->t_svc[i];
		if (svc->svc_ep.ep_addr.a_af != AF_INET)
			continue;
		vips->al_v[vips->al_n++] = ntohl(svc->svc_ep.ep_addr.a.v4.s_addr);
		for (j = 0; j < svc->svc_nladdr; j++)
			vips->al_v[vips->al_n++] = ntohl(
			    laddr_addr(svc->svc_laddr[j])->a.v4.s_addr);
		for (j = 0; j < svc->svc_nrs; j++) {
			rs = &svc->svc_rs[j];
			if (rs->rs_method != XMIT_NAT ||
			    rs->rs_ep.ep_addr.a_af != AF_INET)
				continue;
			rips->al_v[rips->al_n++] =
			    ntohl(rs->rs_ep.ep_addr.a.v4.s_addr);
		}
	}
	addr_list_uniq(vips);
	addr_list_uniq(rips);
	return 0;
}

/* Compare the word at <off> (BPF_ABS or BPF_IND in <mode>) to <al>. */
static struct sock_filter *
emit_addrs(struct sock_filter *f, uint16_t mode, uint32_t off,
    const struct addr_list *al)
{
	unsigned	 i;

	if (al->al_n == 0)
		return f;
	*f++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | mode, off);
	for (i = 0; i < al->al_n; i++) {
		*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    al->al_v[i], 0, 1);
		*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
		    FILTER_ACCEPT);
	}
	return f;
}

int
filter_build(const struct table *t, struct sock_fprog *prog)
{
	struct addr_list	 vips = { NULL, 0 }, rips = { NULL, 0 };
	struct sock_filter	*insns, *f;
	size_t			 n;
	bool			 all;
	int			 r;

	if (t == NULL || t->t_nsvc == 0) {
		n = 1;
		all = false;
	} else {
		if ((r = collect(t, &vips, &rips)) < 0)
			return r;
		all = vips.al_n + rips.al_n > FILTER_ADDR_MAX;
		if (vips.al_n + rips.al_n == 0)
			n = 1;
		else if (all)
			n = 4;
		else
			n = 4 + (vips.al_n ? 1 + 2 * vips.al_n : 0) +
			    (rips.al_n ? 6 + 4 * rips.al_n : 0);
	}
	if ((insns = calloc(n, sizeof(*insns))) == NULL) {
		free(vips.al_v);
		free(rips.al_v);
		return -ENOMEM;
	}
	f = insns;
	if (n > 1) {
		*f++ = (struct sock_filter)BPF_STMT(BPF_LD | BPF_H | BPF_ABS,
		    ETH_TYPE_OFF);
		*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K,
		    ETHERTYPE_IP4, 1, 0);
		*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		if (all)
			*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K,
			    FILTER_ACCEPT);
		else {
			f = emit_addrs(f, BPF_ABS, IP4_DADDR_OFF, &vips);
			f = emit_addrs(f, BPF_ABS, IP4_SADDR_OFF, &rips);
			if (rips.al_n > 0) {
				/* ICMP quoting a packet to a nat RIP. */
				*f++ = (struct sock_filter)BPF_STMT(BPF_LD |
				    BPF_B | BPF_ABS, IP4_PROTO_OFF);
				*f++ = (struct sock_filter)BPF_JUMP(BPF_JMP |
				    BPF_JEQ | BPF_K, IPPROTO_ICMP, 1, 0);
				*f++ = (struct sock_filter)BPF_STMT(BPF_RET |
				    BPF_K, 0);
				*f++ = (struct sock_filter)BPF_STMT(BPF_LDX |
				    BPF_B | BPF_MSH, IP4_HDR_OFF);
				f = emit_addrs(f, BPF_IND, ICMP_QDADDR_OFF,
				    &rips);
			}
			*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
		}
	} else
		*f++ = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, 0);
	free(vips.al_v);
	free(rips.al_v);
	prog->len = (unsigned short)(f - insns);
	prog->filter = insns;
	return 0;
}

void
filter_free(struct sock_fprog *prog)
{
	if (prog == NULL)
		return;
	free(prog->filter);
	prog->filter = NULL;
	prog->len = 0;
}
