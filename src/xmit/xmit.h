/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Forwarding methods: one file each, one const ops struct, one entry in
 * xmit.c's table.  A method is bound to a connection when it is created
 * and never chosen again per packet.  <in> rewrites a client's frame for
 * its real server, <out> a real server's reply for the client (NULL when
 * replies do not pass the director); both work on the frame in the ring
 * (in place; p_l2/p_len/p_vnet may move into the ring's headroom) and
 * return DROP_NONE with the egress interface slot in <ret_iface>, or a
 * DROP_* reason, or XMIT_SENT when they queued what they made themselves
 * through worker_tx() (segments, fragments, ICMP errors), the frame in
 * the ring then being done with.  Workers; no allocation, no syscall.
 */
#ifndef UVS_XMIT_H
#define UVS_XMIT_H

#include <stdbool.h>
#include <stdint.h>

struct conn;
struct icmp_err;
struct pkt;
struct worker;

/* Not a drop: the method queued its own frames (worker_tx()). */
#define XMIT_SENT	(-1)

enum xmit_method {
	XMIT_DR = 0,		/* -g: rewrite the MAC */
	XMIT_NAT,		/* -m: DNAT in, SNAT on the way out */
	XMIT_FULLNAT,		/* --fullnat: DNAT + SNAT to a LIP both ways */
	XMIT_TUN,		/* -i: IP-in-IP, GUE or GRE to the real server */
	XMIT__MAX
};

struct xmit_ops {
	const char	*name;		/* "dr", "nat", "fullnat": protocol, config */
	const char	*fwd;		/* Forward column: "Route", "Masq", "FullNat" */
	bool		 ipv6;		/* forwards IPv6 services too */
	int		(*in)(struct worker *w, struct pkt *p,
			    const struct conn *c, unsigned *ret_iface);
	int		(*out)(struct worker *w, struct pkt *p,
			    const struct conn *c, unsigned *ret_iface);
	/*
	 * ICMP error <ie> (icmp.h) in <p> about what <c>'s VIP sent, from
	 * outside: relay it to the real server (ip_vs_in_icmp(); dr and tun
	 * send it as it is, nat rewrites it).  NULL: not relayed.
	 */
	int		(*icmp_in)(struct worker *w, struct pkt *p,
			    const struct icmp_err *ie, const struct conn *c,
			    unsigned *ret_iface);
	/*
	 * ICMP error about what the client sent, from the real server's
	 * side: relay it to the client (ip_vs_out_icmp()).  NULL: replies
	 * do not pass the director.
	 */
	int		(*icmp_out)(struct worker *w, struct pkt *p,
			    const struct icmp_err *ie, const struct conn *c,
			    unsigned *ret_iface);
};

extern const struct xmit_ops xmit_dr;
extern const struct xmit_ops xmit_nat;
extern const struct xmit_ops xmit_fullnat;
extern const struct xmit_ops xmit_tun;

/* A real server of method <m> listens on the service's port (dr, tun). */
#define XMIT_SAME_PORT(m)	((m) == XMIT_DR || (m) == XMIT_TUN)

/*
 * Address <p> to the next hop of <c>'s real server, as the control thread
 * last resolved it: DROP_NO_NEIGH while unknown.  dr's in, nat's tail.
 */
int	 xmit_to_rs(struct worker *w, struct pkt *p, const struct conn *c,
	    unsigned *ret_iface);
/*
 * Address <p> back to <c>'s client: the MAC its first packet came from,
 * out of the interface it came in on.  Replies of nat and fullnat.
 */
int	 xmit_to_client(struct worker *w, struct pkt *p, const struct conn *c,
	    unsigned *ret_iface);
struct laddr;
struct rs;
struct svc;
struct tuple;

/*
 * Fullnat (fullnat.c): the reply tuple RIP:rport -> LIP:lport of <p>'s
 * new flow to <rs>, with a port of one of <svc>'s LIPs that hashes to
 * <shard>, which is held locked.  DROP_NONE, or DROP_NO_LPORT.
 */
int	 fullnat_conn_tuple(const struct svc *svc, const struct rs *rs,
	    const struct pkt *p, unsigned shard, struct tuple *ret,
	    struct laddr **ret_la);
/* The new connection <c> holds <la>'s port; PROXY state from the SYN <p>. */
void	 fullnat_conn_init(struct conn *c, const struct svc *svc,
	    const struct pkt *p, struct laddr *la, unsigned shard);
/* Give <c>'s port back (shard locked, or the table going). */
void	 fullnat_conn_release(struct conn *c);
/*
 * The PROXY header's segment (fullnat.c, exposed for tests): the frame
 * length <p> grows to with <c>'s header; the new frame, vnet header
 * first, built into <buf> of <cap> bytes and described by <ret>
 * (lengths and checksums right, a partial checksum kept partial;
 * DROP_NONE, DROP_TOO_BIG, DROP_PROXY); and the GSO type that lets the
 * kernel cut it when it no longer fits <mtu>.
 */
uint32_t fullnat_proxy_len(const struct pkt *p, const struct conn *c);
int	 fullnat_proxy_build(const struct pkt *p, const struct conn *c,
	    uint8_t *buf, uint32_t cap, struct pkt *ret);
void	 fullnat_proxy_fit(struct pkt *q, uint32_t mtu);

struct icmp_tun;
/*
 * Tunnel (tun.c): an ICMP fragmentation needed / packet too big <it>
 * (icmp_parse_tun()) of <p> about what we tunnelled for <c>, found by
 * its shard, held locked.  When it is about <c>'s real server and tunnel,
 * the path MTU toward the real server is lowered for some minutes and the
 * client, when its packet had DF (IPv6: always), gets fragmentation
 * needed with that MTU less the tunnel's overhead: XMIT_SENT, *<sent>
 * telling whether an error went out.  Else DROP_ICMP_NO_CONN.
 */
int	 tun_icmp_tun(struct worker *w, const struct pkt *p,
	    const struct icmp_tun *it, const struct conn *c, bool *sent);

/* The method <m>, or NULL. */
const struct xmit_ops *xmit_get(int m);
/* The method named <name> ("dr", "nat"), -EINVAL if none. */
int	 xmit_parse(const char *name);

#endif
