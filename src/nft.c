/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The nftables netdev table that keeps the host stack out (nft.h).
 *
 * uvsd writes nft's own language and lets libnftables run it: a buffer
 * is one transaction, so a snapshot's sets are flushed and refilled
 * atomically and the kernel never drops by half a configuration.  The
 * table looks like this (one chain per served interface, named by slot
 * because interface names may hold characters a chain name may not):
 *
 *	table netdev uvs {
 *		set svc4 { type ipv4_addr . inet_proto . inet_service; }
 *		set rs4 { type ipv4_addr . inet_proto . inet_service; }
 *		set vip4 { type ipv4_addr; }
 *		set rip4 { type ipv4_addr; }
 *		set lip4 { type ipv4_addr; }
 *		set svc6 { type ipv6_addr . inet_proto . inet_service; }
 *		set rs6 { type ipv6_addr . inet_proto . inet_service; }
 *		set vip6 { type ipv6_addr; }
 *		set rip6 { type ipv6_addr; }
 *		set lip6 { type ipv6_addr; }
 *		set svcany4 { type ipv4_addr . inet_proto; }
 *		set rsany4 { type ipv4_addr . inet_proto; }
 *		set svcany6 { type ipv6_addr . inet_proto; }
 *		set rsany6 { type ipv6_addr . inet_proto; }
 *		chain in0 {
 *			type filter hook ingress device "eth0" priority 0;
 *			ip daddr . meta l4proto . th dport @svc4 counter drop
 *			ip saddr . meta l4proto . th sport @rs4
 *			    fib daddr type != local counter drop
 *			ip frag-off & 0x1fff != 0 meta l4proto
 *			    { tcp, udp, sctp } ip daddr @vip4 counter drop
 *			ip frag-off & 0x1fff != 0 meta l4proto
 *			    { tcp, udp, sctp } ip saddr @rip4
 *			    fib daddr type != local counter drop
 *			ip frag-off & 0x1fff != 0 meta l4proto
 *			    { tcp, udp, sctp } ip daddr @lip4 counter drop
 *			ip daddr @lip4 meta l4proto { tcp, udp }
 *			    th dport LO-HI counter drop
 *			icmp type { destination-unreachable, source-quench,
 *			    time-exceeded } @th,160,32 . @th,136,8 .
 *			    @th,224,16 @icmpsvc4 counter drop
 *			icmp type { ... } @th,192,32 . @th,136,8 .
 *			    @th,240,16 @icmprs4 fib daddr type != local
 *			    counter drop
 *			ip daddr @ipsec4 meta l4proto { esp, ah } counter drop
 *			ip saddr @ipsecrs4 meta l4proto { esp, ah }
 *			    fib daddr type != local counter drop
 *			ip6 daddr . meta l4proto . th dport @svc6 counter drop
 *			ip6 saddr . meta l4proto . th sport @rs6
 *			    fib daddr type != local counter drop
 *			exthdr frag exists ip6 daddr @vip6 counter drop
 *			exthdr frag exists ip6 saddr @rip6
 *			    fib daddr type != local counter drop
 *			exthdr frag exists ip6 daddr @lip6 counter drop
 *			ip6 daddr @lip6 meta l4proto { tcp, udp }
 *			    th dport LO-HI counter drop
 *			icmpv6 type { destination-unreachable,
 *			    packet-too-big, time-exceeded, parameter-problem }
 *			    @th,128,128 . @th,112,8 . @th,384,16 @icmpsvc6
 *			    counter drop
 *			icmpv6 type { ... } @th,256,128 . @th,112,8 .
 *			    @th,400,16 @icmprs6 fib daddr type != local
 *			    counter drop
 *			ip6 daddr @ipsec6 meta l4proto esp counter drop
 *			ip6 saddr @ipsecrs6 meta l4proto esp
 *			    fib daddr type != local counter drop
 *			ip daddr . meta l4proto @svcany4 counter drop
 *			ip saddr . meta l4proto @rsany4
 *			    fib daddr type != local counter drop
 *			ip6 daddr . meta l4proto @svcany6 counter drop
 *			ip6 saddr . meta l4proto @rsany6
 *			    fib daddr type != local counter drop
 *			ip6 daddr @vip6 meta l4proto ah counter drop
 *			ip6 saddr @rip6 meta l4proto ah
 *			    fib daddr type != local counter drop
 *		}
 *	}
 *
 * Replies of nat real servers are dropped only when they are not for the
 * director itself: health checks connect to the same RIP:port from a
 * local address and must get their answers.  Fragments after the first
 * carry no ports, so they are dropped by address: the fanout's DEFRAG
 * reassembled a copy for uvsd, and the host must not forward or queue
 * the rest of a datagram whose head it never saw.  Replies to fullnat's
 * local addresses are dropped in the local port range only
 * (local_port_range, fixed at start), so a LIP that is also an address
 * of the host keeps its own connections on ports outside the range
 * (though not their later fragments).  ICMP errors that uvsd
 * relays (icmp.c) are dropped by the packet they quote: from the VIP's
 * address and port (icmpsvc4 holds svc4's elements, matched on the
 * quoted source) or to a nat real server's (icmprs4, rs4's, on the
 * quoted destination); raw payload offsets from the ICMP header, the
 * quote 8 bytes in with a 20-byte header, so nftables can compare them
 * as integers in network order.  Errors about anything else, and a
 * quote with IP options, stay the host's.  IPv6 gets the same sets,
 * except that uvsd drops IPv6 fragments (the fanout reassembles IPv4
 * only), so the host drops every fragment to a VIP or from a nat real
 * server too; the first one carries ports and meets the svc6/rs6 rules,
 * nft's meta l4proto and th skipping extension headers as the kernel
 * does.  ICMPv6 errors are matched as ICMP ones, on a quoted fixed header
 * (40 bytes, no extension headers) and its ports.  The table lives in
 * uvsd's network namespace, so daemons in different namespaces never
 * clash.  AH and ESP (no ports) are uvsd's only to the VIPs of udp
 * services on port 500 (ipsec4: they follow IKE's connections, worker.c)
 * and from those services' nat real servers (ipsecrs4).  IPv6 AH is an
 * extension header that uvsd steps over as IPVS does (pkt.c), but
 * nftables stops at it (meta l4proto ah, no ports): AH to any IPv6 VIP,
 * or from a nat real server not for the host, is dropped by address, as
 * later fragments are.  A port-0 service (persistent, every port of its
 * VIP, as in IPVS) and its nat real servers, whose replies come from
 * any port, are in svcany4/6 and rsany4/6 by address and protocol; their
 * port-0 elements in svc4/rs4 match nothing real, and ICMP errors about
 * their flows reach the host too (uvsd relays them, the host drops
 * what it knows nothing of).  Control thread.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <nftables/libnftables.h>

#include "iface.h"
#include "nft.h"
#include "laddr.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define NFT_SET_TYPE	"ipv4_addr . inet_proto . inet_service"
/* Quoted source . protocol . source port, and destination . ... */
#define NFT_QSRC	"@th,160,32 . @th,136,8 . @th,224,16"
#define NFT_QDST	"@th,192,32 . @th,136,8 . @th,240,16"
#define NFT_ICMP_ERR	"icmp type { destination-unreachable, source-quench, " \
			"time-exceeded } "
#define NFT_SET6_TYPE	"ipv6_addr . inet_proto . inet_service"
/* The same in ICMPv6: a fixed quoted header, ports 40 bytes into it. */
#define NFT_QSRC6	"@th,128,128 . @th,112,8 . @th,384,16"
#define NFT_QDST6	"@th,256,128 . @th,112,8 . @th,400,16"
#define NFT_ICMP6_ERR	"icmpv6 type { destination-unreachable, " \
			"packet-too-big, time-exceeded, parameter-problem } "
/* A TCP, UDP or SCTP fragment other than the first: it has no ports. */
#define NFT_LATER_FRAG	"ip frag-off & 0x1fff != 0 " \
			"meta l4proto { tcp, udp, sctp } "

struct nft {
	struct nft_ctx	*nf_ctx;
};

/* An element of svc4 or rs4: address (host order) << 24 | proto << 16 | port. */
#define ELEM_MAKE(a, proto, port) \
	((uint64_t)(a) << 24 | (uint64_t)(proto) << 16 | (port))

static struct nft_ctx *
ctx_new(void)
{
	struct nft_ctx	*ctx;

	if ((ctx = nft_ctx_new(NFT_CTX_DEFAULT)) == NULL)
		return NULL;
	if (nft_ctx_buffer_output(ctx) != 0 || nft_ctx_buffer_error(ctx) != 0) {
		nft_ctx_free(ctx);
		return NULL;
	}
	return ctx;
}

/*
 * Run <cmds> as one transaction.  On failure <err> (may be NULL) gets the
 * first line of nft's message; the rest only points into <cmds>.
 */
static int
ctx_run(struct nft_ctx *ctx, const char *cmds, struct uvs_err *err)
{
	const char	*msg;
	size_t		 len;
	int		 r;

	/* Retrieval rewinds the buffers; start from empty ones. */
	(void)nft_ctx_get_output_buffer(ctx);
	(void)nft_ctx_get_error_buffer(ctx);
	r = nft_run_cmd_from_buffer(ctx, cmds);
	(void)nft_ctx_get_output_buffer(ctx);
	msg = nft_ctx_get_error_buffer(ctx);
	if (r == 0)
		return 0;
	if (msg == NULL || *msg == '\0')
		msg = "failed without a message";
	if (strncmp(msg, "Error: ", 7) == 0)
		msg += 7;
	len = strcspn(msg, "\n");
	uvs_err_set(err, "nftables: %.*s", (int)len, msg);
	return -EIO;
}

/* Deleting a table that is not there fails; adding one that is does not. */
#define CMD_REMOVE	"add table netdev " NFT_TABLE "\n" \
			"delete table netdev " NFT_TABLE "\n"

int
nft_remove_stale(void)
{
	struct nft_ctx	*ctx;
	int		 r;

	if ((ctx = ctx_new()) == NULL)
		return -ENOMEM;
	r = ctx_run(ctx, CMD_REMOVE, NULL);
	nft_ctx_free(ctx);
	return r;
}

struct nft *
nft_open(const struct iface *ifs, unsigned n, uint16_t lport_lo,
    uint16_t lport_hi, struct uvs_err *err)
{
	struct nft	*nf;
	char		*cmds = NULL;
	size_t		 len = 0;
	FILE		*fp;
	unsigned	 i;
	int		 r;

	for (i = 0; i < n; i++)
		/* Quoted in nft's language: no quote or backslash inside. */
		if (ifs[i].if_name[strcspn(ifs[i].if_name, "\"\\")] != '\0') {
			uvs_err_set(err, "nftables: interface name '%s' "
			    "cannot be quoted", ifs[i].if_name);
			return NULL;
		}
	if ((nf = calloc(1, sizeof(*nf))) == NULL ||
	    (nf->nf_ctx = ctx_new()) == NULL) {
		uvs_err_set(err, "nftables: %s", strerror(ENOMEM));
		goto out_free;
	}
	if ((fp = open_memstream(&cmds, &len)) == NULL) {
		uvs_err_set(err, "nftables: %s", strerror(errno));
		goto out_free;
	}
	/* A stale table goes in the same transaction as the new one. */
	fprintf(fp, CMD_REMOVE "table netdev " NFT_TABLE " {\n"
	    "\tset svc4 { type " NFT_SET_TYPE "; }\n"
	    "\tset rs4 { type " NFT_SET_TYPE "; }\n"
	    "\tset vip4 { type ipv4_addr; }\n"
	    "\tset rip4 { type ipv4_addr; }\n"
	    "\tset lip4 { type ipv4_addr; }\n"
	    "\tset icmpsvc4 { typeof " NFT_QSRC "; }\n"
	    "\tset icmprs4 { typeof " NFT_QDST "; }\n"
	    "\tset svc6 { type " NFT_SET6_TYPE "; }\n"
	    "\tset rs6 { type " NFT_SET6_TYPE "; }\n"
	    "\tset vip6 { type ipv6_addr; }\n"
	    "\tset rip6 { type ipv6_addr; }\n"
	    "\tset lip6 { type ipv6_addr; }\n"
	    "\tset icmpsvc6 { typeof " NFT_QSRC6 "; }\n"
	    "\tset icmprs6 { typeof " NFT_QDST6 "; }\n"
	    "\tset ipsec4 { type ipv4_addr; }\n"
	    "\tset ipsecrs4 { type ipv4_addr; }\n"
	    "\tset ipsec6 { type ipv6_addr; }\n"
	    "\tset ipsecrs6 { type ipv6_addr; }\n"
	    "\tset svcany4 { type ipv4_addr . inet_proto; }\n"
	    "\tset rsany4 { type ipv4_addr . inet_proto; }\n"
	    "\tset svcany6 { type ipv6_addr . inet_proto; }\n"
	    "\tset rsany6 { type ipv6_addr . inet_proto; }\n");
	for (i = 0; i < n; i++)
		fprintf(fp, "\tchain in%u {\n"
		    "\t\ttype filter hook ingress device \"%s\" priority 0;\n"
		    "\t\tip daddr . meta l4proto . th dport @svc4 "
		    "counter drop\n"
		    "\t\tip saddr . meta l4proto . th sport @rs4 "
		    "fib daddr type != local counter drop\n"
		    "\t\t" NFT_LATER_FRAG "ip daddr @vip4 counter drop\n"
		    "\t\t" NFT_LATER_FRAG "ip saddr @rip4 "
		    "fib daddr type != local counter drop\n"
		    "\t\t" NFT_LATER_FRAG "ip daddr @lip4 counter drop\n"
		    "\t\tip daddr @lip4 meta l4proto { tcp, udp } "
		    "th dport %u-%u counter drop\n"
		    "\t\t" NFT_ICMP_ERR NFT_QSRC " @icmpsvc4 counter drop\n"
		    "\t\t" NFT_ICMP_ERR NFT_QDST " @icmprs4 "
		    "fib daddr type != local counter drop\n"
		    "\t\tip6 daddr . meta l4proto . th dport @svc6 "
		    "counter drop\n"
		    "\t\tip6 saddr . meta l4proto . th sport @rs6 "
		    "fib daddr type != local counter drop\n"
		    "\t\texthdr frag exists ip6 daddr @vip6 counter drop\n"
		    "\t\texthdr frag exists ip6 saddr @rip6 "
		    "fib daddr type != local counter drop\n"
		    "\t\texthdr frag exists ip6 daddr @lip6 counter drop\n"
		    "\t\tip6 daddr @lip6 meta l4proto { tcp, udp } "
		    "th dport %u-%u counter drop\n"
		    "\t\t" NFT_ICMP6_ERR NFT_QSRC6 " @icmpsvc6 counter drop\n"
		    "\t\t" NFT_ICMP6_ERR NFT_QDST6 " @icmprs6 "
		    "fib daddr type != local counter drop\n"
		    "\t\tip daddr @ipsec4 meta l4proto { esp, ah } "
		    "counter drop\n"
		    "\t\tip saddr @ipsecrs4 meta l4proto { esp, ah } "
		    "fib daddr type != local counter drop\n"
		    "\t\tip6 daddr @ipsec6 meta l4proto esp counter drop\n"
		    "\t\tip6 saddr @ipsecrs6 meta l4proto esp "
		    "fib daddr type != local counter drop\n"
		    "\t\tip6 daddr @vip6 meta l4proto ah counter drop\n"
		    "\t\tip6 saddr @rip6 meta l4proto ah "
		    "fib daddr type != local counter drop\n"
		    "\t\tip daddr . meta l4proto @svcany4 counter drop\n"
		    "\t\tip saddr . meta l4proto @rsany4 "
		    "fib daddr type != local counter drop\n"
		    "\t\tip6 daddr . meta l4proto @svcany6 counter drop\n"
		    "\t\tip6 saddr . meta l4proto @rsany6 "
		    "fib daddr type != local counter drop\n"
		    "\t}\n", i, ifs[i].if_name, (unsigned)lport_lo,
		    (unsigned)lport_hi, (unsigned)lport_lo, (unsigned)lport_hi);
	fprintf(fp, "}\n");
	if (fclose(fp) == EOF) {
		uvs_err_set(err, "nftables: %s", strerror(errno));
		goto out_free;
	}
	r = ctx_run(nf->nf_ctx, cmds, err);
	free(cmds);
	if (r < 0)
		goto out_free_ctx;
	return nf;
out_free:
	free(cmds);
out_free_ctx:
	if (nf != NULL && nf->nf_ctx != NULL)
		nft_ctx_free(nf->nf_ctx);
	free(nf);
	return NULL;
}

static int
elem_cmp(const void *a, const void *b)
{
	uint64_t	 x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "add element" for <set> with <elems>[<n>], sorted and deduplicated. */
static void
put_elems(FILE *fp, const char *set, uint64_t *elems, size_t n)
{
	struct in_addr	 in;
	char		 buf[INET_ADDRSTRLEN];
	size_t		 i;

	if (n == 0)
		return;
	qsort(elems, n, sizeof(elems[0]), elem_cmp);
	fprintf(fp, "add element netdev " NFT_TABLE " %s {", set);
	for (i = 0; i < n; i++) {
		if (i > 0 && elems[i] == elems[i - 1])
			continue;
		in.s_addr = htonl((uint32_t)(elems[i] >> 24));
		inet_ntop(AF_INET, &in, buf, sizeof(buf));
		fprintf(fp, "%s %s . %u . %u", i > 0 ? "," : "", buf,
		    (unsigned)(elems[i] >> 16 & 0xff),
		    (unsigned)(elems[i] & 0xffff));
	}
	fprintf(fp, " }\n");
}

/* The same elements as raw integers, for icmpsvc4 and icmprs4. */
static void
put_raw(FILE *fp, const char *set, const uint64_t *elems, size_t n)
{
	size_t		 i;

	if (n == 0)
		return;
	fprintf(fp, "add element netdev " NFT_TABLE " %s {", set);
	for (i = 0; i < n; i++) {
		if (i > 0 && elems[i] == elems[i - 1])
			continue;
		fprintf(fp, "%s 0x%08x . 0x%02x . 0x%04x", i > 0 ? "," : "",
		    (unsigned)(elems[i] >> 24), (unsigned)(elems[i] >> 16 & 0xff),
		    (unsigned)(elems[i] & 0xffff));
	}
	fprintf(fp, " }\n");
}

/*
 * "add element" for address set <set>: the addresses of <elems>[<n>]
 * (sorted by put_elems()); with <port0>, "address . proto" of the port-0
 * elements only, for svcany4 and rsany4.
 */
static void
put_addrs(FILE *fp, const char *set, const uint64_t *elems, size_t n,
    bool port0)
{
	struct in_addr	 in;
	char		 buf[INET_ADDRSTRLEN];
	unsigned	 shift = port0 ? 16 : 24;
	size_t		 i;
	bool		 first = true;
	uint64_t	 last = 0;

	for (i = 0; i < n; i++) {
		if ((port0 && (elems[i] & 0xffff) != 0) ||
		    (!first && elems[i] >> shift == last))
			continue;
		if (first)
			fprintf(fp, "add element netdev " NFT_TABLE " %s {", set);
		in.s_addr = htonl((uint32_t)(elems[i] >> 24));
		inet_ntop(AF_INET, &in, buf, sizeof(buf));
		fprintf(fp, "%s %s", first ? "" : ",", buf);
		if (port0)
			fprintf(fp, " . %u", (unsigned)(elems[i] >> 16 & 0xff));
		last = elems[i] >> shift;
		first = false;
	}
	if (!first)
		fprintf(fp, " }\n");
}

/* "add element" for the address set <set>: <a>[<n>], host order. */
static void
put_lips(FILE *fp, const char *set, uint64_t *a, size_t n)
{
	struct in_addr	 in;
	char		 buf[INET_ADDRSTRLEN];
	size_t		 i;

	if (n == 0)
		return;
	qsort(a, n, sizeof(a[0]), elem_cmp);
	fprintf(fp, "add element netdev " NFT_TABLE " %s {", set);
	for (i = 0; i < n; i++) {
		if (i > 0 && a[i] == a[i - 1])
			continue;
		in.s_addr = htonl((uint32_t)a[i]);
		inet_ntop(AF_INET, &in, buf, sizeof(buf));
		fprintf(fp, "%s %s", i > 0 ? "," : "", buf);
	}
	fprintf(fp, " }\n");
}

/* An element of svc6 or rs6. */
struct elem6 {
	struct in6_addr	 e_addr;
	uint8_t		 e_proto;
	uint16_t	 e_port;	/* host order */
};

static int
elem6_cmp(const void *a, const void *b)
{
	const struct elem6	*x = a, *y = b;
	int			 r;

	if ((r = memcmp(&x->e_addr, &y->e_addr, sizeof(x->e_addr))) != 0)
		return r;
	if (x->e_proto != y->e_proto)
		return x->e_proto < y->e_proto ? -1 : 1;
	return x->e_port < y->e_port ? -1 : x->e_port > y->e_port;
}

/*
 * put_addrs() for IPv6: the addresses of <elems>[<n>] (sorted), or with
 * <port0> "address . proto" of the port-0 ones, for svcany6 and rsany6.
 */
static void
put_addrs6(FILE *fp, const char *set, const struct elem6 *elems, size_t n,
    bool port0)
{
	char		 buf[INET6_ADDRSTRLEN];
	const struct elem6 *last = NULL;
	size_t		 i;

	for (i = 0; i < n; i++) {
		if ((port0 && elems[i].e_port != 0) || (last != NULL &&
		    memcmp(&elems[i].e_addr, &last->e_addr,
		    sizeof(last->e_addr)) == 0 &&
		    (!port0 || elems[i].e_proto == last->e_proto)))
			continue;
		if (last == NULL)
			fprintf(fp, "add element netdev " NFT_TABLE " %s {",
			    set);
		inet_ntop(AF_INET6, &elems[i].e_addr, buf, sizeof(buf));
		fprintf(fp, "%s %s", last == NULL ? "" : ",", buf);
		if (port0)
			fprintf(fp, " . %u", (unsigned)elems[i].e_proto);
		last = &elems[i];
	}
	if (last != NULL)
		fprintf(fp, " }\n");
}

/*
 * "add element" for <set> (address . proto . port; NULL: none) and for
 * the address set <aset>: <elems>[<n>], sorted and deduplicated here.
 */
static void
put_elems6(FILE *fp, const char *set, const char *aset, struct elem6 *elems,
    size_t n)
{
	char		 buf[INET6_ADDRSTRLEN];
	size_t		 i;
	bool		 first;

	if (n == 0)
		return;
	qsort(elems, n, sizeof(elems[0]), elem6_cmp);
	if (set != NULL) {
		fprintf(fp, "add element netdev " NFT_TABLE " %s {", set);
		for (i = 0, first = true; i < n; i++) {
			if (i > 0 && elem6_cmp(&elems[i], &elems[i - 1]) == 0)
				continue;
			inet_ntop(AF_INET6, &elems[i].e_addr, buf, sizeof(buf));
			fprintf(fp, "%s %s . %u . %u", first ? "" : ",", buf,
			    (unsigned)elems[i].e_proto,
			    (unsigned)elems[i].e_port);
			first = false;
		}
		fprintf(fp, " }\n");
	}
	put_addrs6(fp, aset, elems, n, false);
}

/* <elems>[<n>] (sorted) as raw integers, for icmpsvc6 and icmprs6. */
static void
put_raw6(FILE *fp, const char *set, const struct elem6 *elems, size_t n)
{
	size_t		 i, k;
	bool		 first = true;

	for (i = 0; i < n; i++) {
		if (i > 0 && elem6_cmp(&elems[i], &elems[i - 1]) == 0)
			continue;
		if (first)
			fprintf(fp, "add element netdev " NFT_TABLE " %s {",
			    set);
		fprintf(fp, "%s 0x", first ? "" : ",");
		for (k = 0; k < sizeof(elems[i].e_addr); k++)
			fprintf(fp, "%02x", elems[i].e_addr.s6_addr[k]);
		fprintf(fp, " . 0x%02x . 0x%04x", (unsigned)elems[i].e_proto,
		    (unsigned)elems[i].e_port);
		first = false;
	}
	if (!first)
		fprintf(fp, " }\n");
}

/* The svc6, rs6 and lip6 elements of IPv6 service <svc>. */
static void
sync6(const struct svc *svc, struct elem6 *svcs, size_t *nsvc,
    struct elem6 *rss, size_t *nrs, struct elem6 *lips, size_t *nlip)
{
	const struct rs	*rs;
	struct elem6	*e;
	uint16_t	 port;
	unsigned	 j;

	e = &svcs[(*nsvc)++];
	memcpy(&e->e_addr, &svc->svc_ep.ep_addr.a.v6, sizeof(e->e_addr));
	e->e_proto = svc->svc_proto;
	e->e_port = ntohs(svc->svc_ep.ep_port);
	for (j = 0; j < svc->svc_nladdr; j++) {
		e = &lips[(*nlip)++];
		memcpy(&e->e_addr, &laddr_addr(svc->svc_laddr[j])->a.v6,
		    sizeof(e->e_addr));
	}
	for (j = 0; j < svc->svc_nrs; j++) {
		rs = &svc->svc_rs[j];
		if (rs->rs_method != XMIT_NAT ||
		    rs->rs_ep.ep_addr.a_af != AF_INET6)
			continue;
		port = rs->rs_ep.ep_port ? rs->rs_ep.ep_port :
		    svc->svc_ep.ep_port;
		e = &rss[(*nrs)++];
		memcpy(&e->e_addr, &rs->rs_ep.ep_addr.a.v6, sizeof(e->e_addr));
		e->e_proto = svc->svc_proto;
		e->e_port = ntohs(port);
	}
}

/*
 * The AH/ESP addresses of udp service <svc> on port 500: its VIP, and its
 * nat real servers (v4 host order, v6 elem6 with address only).
 */
static void
sync_ike(const struct svc *svc, uint64_t *vips, size_t *nvip,
    uint64_t *rips, size_t *nrip, struct elem6 *vips6, size_t *nvip6,
    struct elem6 *rips6, size_t *nrip6)
{
	const struct addr	*a = &svc->svc_ep.ep_addr;
	struct elem6		*e;
	unsigned		 j;

	if (a->a_af == AF_INET)
		vips[(*nvip)++] = ntohl(a->a.v4.s_addr);
	else {
		e = &vips6[(*nvip6)++];
		memset(e, 0, sizeof(*e));
		memcpy(&e->e_addr, &a->a.v6, sizeof(e->e_addr));
	}
	for (j = 0; j < svc->svc_nrs; j++) {
		a = &svc->svc_rs[j].rs_ep.ep_addr;
		if (svc->svc_rs[j].rs_method != XMIT_NAT)
			continue;
		if (a->a_af == AF_INET)
			rips[(*nrip)++] = ntohl(a->a.v4.s_addr);
		else if (a->a_af == AF_INET6) {
			e = &rips6[(*nrip6)++];
			memset(e, 0, sizeof(*e));
			memcpy(&e->e_addr, &a->a.v6, sizeof(e->e_addr));
		}
	}
}

int
nft_sync(struct nft *nf, const struct table *t, struct uvs_err *err)
{
	const struct svc	*svc;
	const struct rs		*rs;
	uint64_t		*svcs = NULL, *rss = NULL, *lips = NULL;
	uint64_t		*ike = NULL, *ikers = NULL;
	struct elem6		*svcs6 = NULL, *rss6 = NULL, *lips6 = NULL;
	struct elem6		*ike6 = NULL, *ikers6 = NULL;
	size_t			 nsvc = 0, nrs = 0, nlip = 0, len = 0, i, j;
	size_t			 nsvc6 = 0, nrs6 = 0, nlip6 = 0;
	size_t			 nike = 0, nikers = 0, nike6 = 0, nikers6 = 0;
	uint16_t		 port;
	char			*cmds = NULL;
	FILE			*fp;
	int			 r;

	if (t != NULL) {
		for (i = 0; i < t->t_nsvc; i++)
			nrs += t->t_svc[i].svc_nrs;
		svcs = calloc(t->t_nsvc + 1, sizeof(*svcs));
		rss = calloc(nrs + 1, sizeof(*rss));
		lips = calloc(t->t_nsvc * LADDR_PER_SVC_MAX + 1,
		    sizeof(*lips));
		svcs6 = calloc(t->t_nsvc + 1, sizeof(*svcs6));
		rss6 = calloc(nrs + 1, sizeof(*rss6));
		lips6 = calloc(t->t_nsvc * LADDR_PER_SVC_MAX + 1,
		    sizeof(*lips6));
		ike = calloc(t->t_nsvc + 1, sizeof(*ike));
		ikers = calloc(nrs + 1, sizeof(*ikers));
		ike6 = calloc(t->t_nsvc + 1, sizeof(*ike6));
		ikers6 = calloc(nrs + 1, sizeof(*ikers6));
		if (svcs == NULL || rss == NULL || lips == NULL ||
		    svcs6 == NULL || rss6 == NULL || lips6 == NULL ||
		    ike == NULL || ikers == NULL || ike6 == NULL ||
		    ikers6 == NULL) {
			r = -ENOMEM;
			goto out_errno;
		}
		nrs = 0;
		for (i = 0; i < t->t_nsvc; i++) {
			svc = &t->t_svc[i];
			if (svc->svc_proto == IPPROTO_UDP &&
			    svc->svc_ep.ep_port == htons(IKE_PORT))
				sync_ike(svc, ike, &nike, ikers, &nikers, ike6,
				    &nike6, ikers6, &nikers6);
			if (svc->svc_ep.ep_addr.a_af == AF_INET6) {
				sync6(svc, svcs6, &nsvc6, rss6, &nrs6, lips6,
				    &nlip6);
				continue;
			}
			if (svc->svc_ep.ep_addr.a_af != AF_INET)
				continue;
			svcs[nsvc++] = ELEM_MAKE(
			    ntohl(svc->svc_ep.ep_addr.a.v4.s_addr),
			    svc->svc_proto, ntohs(svc->svc_ep.ep_port));
			for (j = 0; j < svc->svc_nladdr; j++)
				lips[nlip++] = ntohl(laddr_addr(
				    svc->svc_laddr[j])->a.v4.s_addr);
			for (j = 0; j < svc->svc_nrs; j++) {
				rs = &svc->svc_rs[j];
				if (rs->rs_method != XMIT_NAT ||
				    rs->rs_ep.ep_addr.a_af != AF_INET)
					continue;
				/* A real server without a port serves the VIP's. */
				port = rs->rs_ep.ep_port ? rs->rs_ep.ep_port :
				    svc->svc_ep.ep_port;
				rss[nrs++] = ELEM_MAKE(
				    ntohl(rs->rs_ep.ep_addr.a.v4.s_addr),
				    svc->svc_proto, ntohs(port));
			}
		}
	}
	if ((fp = open_memstream(&cmds, &len)) == NULL) {
		r = -errno;
		goto out_errno;
	}
	fprintf(fp, "flush set netdev " NFT_TABLE " svc4\n"
	    "flush set netdev " NFT_TABLE " rs4\n"
	    "flush set netdev " NFT_TABLE " vip4\n"
	    "flush set netdev " NFT_TABLE " rip4\n"
	    "flush set netdev " NFT_TABLE " lip4\n"
	    "flush set netdev " NFT_TABLE " icmpsvc4\n"
	    "flush set netdev " NFT_TABLE " icmprs4\n"
	    "flush set netdev " NFT_TABLE " svc6\n"
	    "flush set netdev " NFT_TABLE " rs6\n"
	    "flush set netdev " NFT_TABLE " vip6\n"
	    "flush set netdev " NFT_TABLE " rip6\n"
	    "flush set netdev " NFT_TABLE " lip6\n"
	    "flush set netdev " NFT_TABLE " icmpsvc6\n"
	    "flush set netdev " NFT_TABLE " icmprs6\n"
	    "flush set netdev " NFT_TABLE " ipsec4\n"
	    "flush set netdev " NFT_TABLE " ipsecrs4\n"
	    "flush set netdev " NFT_TABLE " ipsec6\n"
	    "flush set netdev " NFT_TABLE " ipsecrs6\n"
	    "flush set netdev " NFT_TABLE " svcany4\n"
	    "flush set netdev " NFT_TABLE " rsany4\n"
	    "flush set netdev " NFT_TABLE " svcany6\n"
	    "flush set netdev " NFT_TABLE " rsany6\n");
	put_elems(fp, "svc4", svcs, nsvc);
	put_elems(fp, "rs4", rss, nrs);
	put_addrs(fp, "vip4", svcs, nsvc, false);
	put_addrs(fp, "rip4", rss, nrs, false);
	put_lips(fp, "lip4", lips, nlip);
	put_raw(fp, "icmpsvc4", svcs, nsvc);
	put_raw(fp, "icmprs4", rss, nrs);
	put_elems6(fp, "svc6", "vip6", svcs6, nsvc6);
	put_elems6(fp, "rs6", "rip6", rss6, nrs6);
	put_elems6(fp, NULL, "lip6", lips6, nlip6);
	put_raw6(fp, "icmpsvc6", svcs6, nsvc6);
	put_raw6(fp, "icmprs6", rss6, nrs6);
	put_lips(fp, "ipsec4", ike, nike);
	put_lips(fp, "ipsecrs4", ikers, nikers);
	put_elems6(fp, NULL, "ipsec6", ike6, nike6);
	put_elems6(fp, NULL, "ipsecrs6", ikers6, nikers6);
	/* After put_elems() and put_elems6() sorted them. */
	put_addrs(fp, "svcany4", svcs, nsvc, true);
	put_addrs(fp, "rsany4", rss, nrs, true);
	put_addrs6(fp, "svcany6", svcs6, nsvc6, true);
	put_addrs6(fp, "rsany6", rss6, nrs6, true);
	if (fclose(fp) == EOF) {
		r = -errno;
		goto out_errno;
	}
	r = ctx_run(nf->nf_ctx, cmds, err);
	goto out_free;
out_errno:
	uvs_err_set(err, "nftables: %s", strerror(-r));
out_free:
	free(cmds);
	free(svcs);
	free(rss);
	free(lips);
	free(svcs6);
	free(rss6);
	free(lips6);
	free(ike);
	free(ikers);
	free(ike6);
	free(ikers6);
	return r;
}

void
nft_close(struct nft *nf)
{
	if (nf == NULL)
		return;
	(void)ctx_run(nf->nf_ctx, CMD_REMOVE, NULL);
	nft_ctx_free(nf->nf_ctx);
	free(nf);
}
