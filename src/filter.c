/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The ring sockets' classic BPF filter (filter.h), built from a snapshot.
 *
 * The program dispatches on the ethertype, then scans address lists:
 *
 *	ldh [12]
 *	jeq #0x0800, 0, 1; ja v4
 *	jeq #0x86dd, 0, 1; ja v6
 *	jeq #0x0806, 0, 1; ja arp		(when ARP is answered)
 *	ret #0
 * v4:	ld [30]; { jeq #vip, 0, 1; ret #-1 } per VIP and fullnat LIP
 *	ld [26]; { jeq #rip, 0, 1; ret #-1 } per nat real server
 *	ldb [23]; jeq #1, 1, 0; ret #0
 *	ldxb 4*([14]&0xf); ld [x + 38]
 *	{ jeq #rip, 0, 1; ret #-1 } per nat, then tun real server
 *	ret #0
 * v6:	per VIP: ld [38]; jeq #w0, 0, 7; ld [42]; jeq #w1, 0, 5;
 *	    ld [46]; jeq #w2, 0, 3; ld [50]; jeq #w3, 0, 1; ret #-1
 *	the same at [22] per nat real server
 *	ldb [20]; jeq #58, 1, 0; ret #0
 *	ldb [54]; jeq #135, 1, 0; ja quote
 *	    the same at [62] per answered VIP	(neighbour solicitations)
 * quote: the same at [86] per nat, then tun real server (ICMPv6 errors)
 *	ret #0
 * arp:	ld [38]; { jeq #vip, 0, 1; ret #-1 } per answered VIP; ret #0
 *
 * Address tests jump over a few instructions only, because conditional
 * jumps have 8-bit offsets and a list may be long; the dispatch uses
 * "ja", whose offset is 32 bits.  Addresses are sorted and deduplicated;
 * protocol and port are the workers' business, the filter only spares
 * them the host's other traffic.  ICMP errors about a connection are to
 * a VIP (about what it sent) or from a nat real server, both let in
 * above, or from a router between a nat real server and us, about what
 * a client sent it: the quote lists look for the real server as the
 * destination of the quoted header (IPv4: ICMP header 8 bytes after the
 * IP header, destination 16 bytes into the quote; IPv6: 8 + 24 bytes
 * after a fixed header without extensions).  A router between us and a
 * tun real server quotes our tunnel packet to it, so the tun real
 * servers join the quote lists (only those): its fragmentation needed
 * comes to our own address (icmp_parse_tun()).  The host sees it too
 * and keeps it: with no tunnel driver of its own it has no handler for
 * it (at most a PMTU for the real server in its route cache, harmless).
 * A neighbour solicitation is admitted by its target only when ICMPv6
 * follows the fixed header (no extension headers), which is how hosts
 * send them.  Control thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "arpnd.h"
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
#define ICMP6_QDADDR_OFF 86	/* 14 + 40 + 8 + 24 */
#define IP6_NH_OFF	20	/* 14 + offsetof(struct ipv6hdr, nexthdr) */
#define IP6_SADDR_OFF	22
#define IP6_DADDR_OFF	38
#define ICMP6_TYPE_OFF	54	/* right after the fixed header */
#define NS_TARGET_OFF	62	/* 54 + 8: nd_neighbor_solicit's target */
#define ARP_TPA_OFF	38	/* 14 + 24: target protocol address */
#define ETHERTYPE_IP4	0x0800
#define ETHERTYPE_IP6	0x86dd
#define ETHERTYPE_ARP	0x0806
#define IPPROTO_ICMP6	58
#define ND_NS		135
#define FILTER_ACCEPT	0xffffffffU	/* never a snap length: GSO frames */

/* Address lists, host order words as ld [k] yields them. */
struct addr_list {
	uint32_t	*al_v;		/* [al_n * al_words] */
	unsigned	 al_n;
	unsigned	 al_words;	/* 1: IPv4, 4: IPv6 */
};

/* L_TUN*: tun real servers, whose ICMP errors are about our tunnel. */
enum { L_VIP4, L_RIP4, L_ARP4, L_TUN4, L_VIP6, L_RIP6, L_NS6, L_TUN6,
    L__MAX };

static unsigned	 cmp_words;	/* qsort has no argument: control thread */

static int
words_cmp(const void *a, const void *b)
{
	const uint32_t	*x = a, *y = b;
	unsigned	 i;

	for (i = 0; i < cmp_words; i++)
		if (x[i] != y[i])
			return x[i] < y[i] ? -1 : 1;
	return 0;
}

/* Sort and drop duplicates in place. */
static void
addr_list_uniq(struct addr_list *al)
{
	size_t		 sz = al->al_words * sizeof(uint32_t);
	unsigned	 i, n = 0;

	if (al->al_n == 0)
		return;
	cmp_words = al->al_words;
	qsort(al->al_v, al->al_n, sz, words_cmp);
	for (i = 1; i < al->al_n; i++)
		if (memcmp(al->al_v + i * al->al_words,
		    al->al_v + n * al->al_words, sz) != 0) {
			n++;
			memmove(al->al_v + n * al->al_words,
			    al->al_v + i * al->al_words, sz);
		}
	al->al_n = n + 1;
}

static void
addr_list_add(struct addr_list *al, const struct addr *a)
{
	uint32_t	*v = al->al_v + al->al_n * al->al_words;
	unsigned	 i;

	for (i = 0; i < al->al_words; i++)
		v[i] = ntohl(a->a.w[i]);
	al->al_n++;
}

/* The list of <a>'s family among v4 <l4> and v6 <l6>. */
static struct addr_list *
of_af(struct addr_list *ls, int l4, int l6, const struct addr *a)
{
	return &ls[a->a_af == AF_INET ? l4 : l6];
}

static void
lists_free(struct addr_list *ls)
{
	unsigned	 i;

	for (i = 0; i < L__MAX; i++) {
		free(ls[i].al_v);
		ls[i].al_v = NULL;
	}
}

/*
 * The VIPs (with the LIPs of fullnat services: their replies come to
 * them), nat RIPs and answered VIPs of <t> by family, each sorted and
 * unique.
 */
static int
collect(const struct table *t, const struct arpnd *an, struct addr_list *ls)
{
	const struct svc	*svc;
	const struct rs		*rs;
	const struct addr	*a;
	size_t			 nrs = 0, nv;
	unsigned		 i, j;

	for (i = 0; i < t->t_nsvc; i++)
		nrs += t->t_svc[i].svc_nrs;
	nv = t->t_nsvc * (1 + LADDR_PER_SVC_MAX) + 1;
	for (i = 0; i < L__MAX; i++) {
		ls[i].al_n = 0;
		ls[i].al_words = i < L_VIP6 ? 1 : 4;
		ls[i].al_v = calloc((i == L_RIP4 || i == L_RIP6 ||
		    i == L_TUN4 || i == L_TUN6 ? nrs + 1 : nv) *
		    ls[i].al_words, sizeof(uint32_t));
		if (ls[i].al_v == NULL) {
			lists_free(ls);
			return -ENOMEM;
		}
	}
	for (i = 0; i < t->t_nsvc; i++) {
		svc = &t->t_svc[i];
		a = &svc->svc_ep.ep_addr;
		if (a->a_af != AF_INET && a->a_af != AF_INET6)
			continue;
		addr_list_add(of_af(ls, L_VIP4, L_VIP6, a), a);
		if (arpnd_wants(an, a))
			addr_list_add(of_af(ls, L_ARP4, L_NS6, a), a);
		for (j = 0; j < svc->svc_nladdr; j++) {
			a = laddr_addr(svc->svc_laddr[j]);
			addr_list_add(of_af(ls, L_VIP4, L_VIP6, a), a);
		}
		for (j = 0; j < svc->svc_nrs; j++) {
			rs = &svc->svc_rs[j];
			a = &rs->rs_ep.ep_addr;
			if (a->a_af != AF_INET && a->a_af != AF_INET6)
				continue;
			if (rs->rs_method == XMIT_NAT)
				addr_list_add(of_af(ls, L_RIP4, L_RIP6, a), a);
			else if (rs->rs_method == XMIT_TUN)
				addr_list_add(of_af(ls, L_TUN4, L_TUN6, a), a);
		}
	}
	for (i = 0; i < L__MAX; i++)
		addr_list_uniq(&ls[i]);
	return 0;
}

/* Instructions emit_addrs() makes for <al>. */
static size_t
addrs_len(const struct addr_list *al)
{
	if (al->al_n == 0)
		return 0;
	return al->al_words == 1 ? 1 + 2 * al->al_n : 9 * al->al_n;
}

#define STMT(c, k)		((struct sock_filter)BPF_STMT((c), (k)))
#define JUMP(c, k, t, f) \
	((struct sock_filter)BPF_JUMP((c), (k), (t), (f)))

/*
 * Accept when the address at <off> (BPF_ABS, or BPF_IND for IPv4 in
 * <mode>) is in <al>; fall through if not.
 */
static struct sock_filter *
emit_addrs(struct sock_filter *f, uint16_t mode, uint32_t off,
    const struct addr_list *al)
{
	const uint32_t	*v;
	unsigned	 i, w;

	if (al->al_n == 0)
		return f;
	if (al->al_words == 1)
		*f++ = STMT(BPF_LD | BPF_W | mode, off);
	for (i = 0; i < al->al_n; i++) {
		v = al->al_v + i * al->al_words;
		if (al->al_words == 1) {
			*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, v[0], 0, 1);
			*f++ = STMT(BPF_RET | BPF_K, FILTER_ACCEPT);
			continue;
		}
		for (w = 0; w < 4; w++) {
			*f++ = STMT(BPF_LD | BPF_W | BPF_ABS, off + 4 * w);
			/* A mismatch skips to the next address's block. */
			*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, v[w], 0,
			    (uint8_t)(7 - 2 * w));
		}
		*f++ = STMT(BPF_RET | BPF_K, FILTER_ACCEPT);
	}
	return f;
}

/* Instructions of the IPv4 block: VIPs, RIPs, ICMP quotes, ret. */
static size_t
v4_len(const struct addr_list *ls, bool all)
{
	if (all)
		return 1;
	return addrs_len(&ls[L_VIP4]) + addrs_len(&ls[L_RIP4]) +
	    (ls[L_RIP4].al_n || ls[L_TUN4].al_n ? 4 + addrs_len(&ls[L_RIP4]) +
	    addrs_len(&ls[L_TUN4]) : 0) + 1;
}

static struct sock_filter *
emit_v4(struct sock_filter *f, const struct addr_list *ls, bool all)
{
	if (all) {
		*f++ = STMT(BPF_RET | BPF_K, FILTER_ACCEPT);
		return f;
	}
	f = emit_addrs(f, BPF_ABS, IP4_DADDR_OFF, &ls[L_VIP4]);
	f = emit_addrs(f, BPF_ABS, IP4_SADDR_OFF, &ls[L_RIP4]);
	if (ls[L_RIP4].al_n > 0 || ls[L_TUN4].al_n > 0) {
		/* ICMP quoting a packet to a nat RIP, or a tunnel's. */
		*f++ = STMT(BPF_LD | BPF_B | BPF_ABS, IP4_PROTO_OFF);
		*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP, 1, 0);
		*f++ = STMT(BPF_RET | BPF_K, 0);
		*f++ = STMT(BPF_LDX | BPF_B | BPF_MSH, IP4_HDR_OFF);
		f = emit_addrs(f, BPF_IND, ICMP_QDADDR_OFF, &ls[L_RIP4]);
		f = emit_addrs(f, BPF_IND, ICMP_QDADDR_OFF, &ls[L_TUN4]);
	}
	*f++ = STMT(BPF_RET | BPF_K, 0);
	return f;
}

/* Instructions of the IPv6 block: VIPs, RIPs, NS, ICMPv6 quotes, ret. */
static size_t
v6_len(const struct addr_list *ls, bool all)
{
	size_t	 nns = ls[L_NS6].al_n;
	size_t	 nrip = ls[L_RIP6].al_n + ls[L_TUN6].al_n;

	if (all)
		return 1;
	return addrs_len(&ls[L_VIP6]) + addrs_len(&ls[L_RIP6]) +
	    (nns || nrip ? 3 : 0) + (nns ? 3 + addrs_len(&ls[L_NS6]) : 0) +
	    addrs_len(&ls[L_RIP6]) + addrs_len(&ls[L_TUN6]) + 1;
}

static struct sock_filter *
emit_v6(struct sock_filter *f, const struct addr_list *ls, bool all)
{
	struct sock_filter	*ja;

	if (all) {
		*f++ = STMT(BPF_RET | BPF_K, FILTER_ACCEPT);
		return f;
	}
	f = emit_addrs(f, BPF_ABS, IP6_DADDR_OFF, &ls[L_VIP6]);
	f = emit_addrs(f, BPF_ABS, IP6_SADDR_OFF, &ls[L_RIP6]);
	if (ls[L_NS6].al_n || ls[L_RIP6].al_n || ls[L_TUN6].al_n) {
		/* ICMPv6 right behind the fixed header. */
		*f++ = STMT(BPF_LD | BPF_B | BPF_ABS, IP6_NH_OFF);
		*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, IPPROTO_ICMP6, 1, 0);
		*f++ = STMT(BPF_RET | BPF_K, 0);
	}
	if (ls[L_NS6].al_n) {
		/* A solicitation for an answered VIP; else the quotes. */
		*f++ = STMT(BPF_LD | BPF_B | BPF_ABS, ICMP6_TYPE_OFF);
		*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ND_NS, 1, 0);
		ja = f++;
		f = emit_addrs(f, BPF_ABS, NS_TARGET_OFF, &ls[L_NS6]);
		*ja = STMT(BPF_JMP | BPF_JA, (uint32_t)(f - ja - 1));
	}
	/* ICMPv6 errors quoting a packet to a nat RIP, or a tunnel's. */
	f = emit_addrs(f, BPF_ABS, ICMP6_QDADDR_OFF, &ls[L_RIP6]);
	f = emit_addrs(f, BPF_ABS, ICMP6_QDADDR_OFF, &ls[L_TUN6]);
	*f++ = STMT(BPF_RET | BPF_K, 0);
	return f;
}

int
filter_build(const struct table *t, const struct arpnd *an,
    struct sock_fprog *prog)
{
	struct addr_list	 ls[L__MAX];
	struct sock_filter	*insns, *f, *ja4, *ja6, *jarp;
	size_t			 n, n4, n6, narp;
	bool			 all4, all6, allarp;
	int			 r;

	memset(ls, 0, sizeof(ls));
	if (t == NULL || t->t_nsvc == 0) {
		if ((insns = calloc(1, sizeof(*insns))) == NULL)
			return -ENOMEM;
		insns[0] = STMT(BPF_RET | BPF_K, 0);
		prog->len = 1;
		prog->filter = insns;
		return 0;
	}
	if ((r = collect(t, an, ls)) < 0)
		return r;
	all4 = ls[L_VIP4].al_n + ls[L_RIP4].al_n + ls[L_TUN4].al_n >
	    FILTER_ADDR_MAX;
	all6 = ls[L_VIP6].al_n + ls[L_RIP6].al_n + ls[L_NS6].al_n +
	    ls[L_TUN6].al_n > FILTER_ADDR6_MAX;
	allarp = ls[L_ARP4].al_n > FILTER_ADDR_MAX;
	for (;;) {
		n4 = v4_len(ls, all4);
		n6 = v6_len(ls, all6);
		narp = ls[L_ARP4].al_n == 0 ? 0 : allarp ? 1 :
		    addrs_len(&ls[L_ARP4]) + 1;
		n = 1 + 2 + 2 + (narp ? 2 : 0) + 1 + n4 + n6 + narp;
		/* Over the kernel's limit: give up exactness by steps. */
		if (n <= BPF_MAXINSNS)
			break;
		if (!all6)
			all6 = true;
		else if (!allarp)
			allarp = true;
		else
			all4 = true;
	}
	if ((insns = calloc(n, sizeof(*insns))) == NULL) {
		lists_free(ls);
		return -ENOMEM;
	}
	f = insns;
	*f++ = STMT(BPF_LD | BPF_H | BPF_ABS, ETH_TYPE_OFF);
	*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IP4, 0, 1);
	ja4 = f++;
	*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_IP6, 0, 1);
	ja6 = f++;
	jarp = NULL;
	if (narp) {
		*f++ = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ETHERTYPE_ARP, 0, 1);
		jarp = f++;
	}
	*f++ = STMT(BPF_RET | BPF_K, 0);
	*ja4 = STMT(BPF_JMP | BPF_JA, (uint32_t)(f - ja4 - 1));
	f = emit_v4(f, ls, all4);
	*ja6 = STMT(BPF_JMP | BPF_JA, (uint32_t)(f - ja6 - 1));
	f = emit_v6(f, ls, all6);
	if (narp) {
		*jarp = STMT(BPF_JMP | BPF_JA, (uint32_t)(f - jarp - 1));
		if (allarp)
			*f++ = STMT(BPF_RET | BPF_K, FILTER_ACCEPT);
		else {
			f = emit_addrs(f, BPF_ABS, ARP_TPA_OFF, &ls[L_ARP4]);
			*f++ = STMT(BPF_RET | BPF_K, 0);
		}
	}
	lists_free(ls);
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
