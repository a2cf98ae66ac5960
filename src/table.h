/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Virtual services and real servers.
 *
 * The control thread owns the configuration, a struct vs_conf: plain
 * arrays of services and their real servers, edited by uvsadm requests
 * and reloads.  Every change is made on a copy (vsconf_dup()), validated
 * whole, and then committed with table_commit(): that builds an immutable
 * snapshot (struct table) with a lookup hash and each service's scheduler
 * state, and publishes it with one atomic pointer store.  Workers read
 * table_current() between batches and never see half a change; the old
 * snapshot is freed through the epoch once every worker has moved on.
 *
 * Identity survives snapshots: a service keeps its struct svc_state as
 * long as (proto, VIP, port) stays, and a real server its struct rs_state
 * as long as (service, RIP, port) stays.  States hold the stats slot, the
 * connection counts and the next hop, and are referenced by snapshots and
 * by connections, so a removed real server's connections go on until
 * they end and its counters stay readable meanwhile.
 */
#ifndef UVS_TABLE_H
#define UVS_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "laddr.h"
#include "util.h"

struct epoch;
struct sched_ops;
struct tuple;
struct wstats;

#define SCHED_NAME_MAX	16
#define SVC_MAX		4096	/* services in one table */
#define RS_PER_SVC_MAX	4096	/* real servers in one service */

/* Service flags, IPVS's values (IP_VS_SVC_F_*), as ipvsadm shows them. */
#define SVC_F_PERSISTENT	0x0001	/* -p */
#define SVC_F_ONEPACKET		0x0004	/* -o */
#define SVC_F_SCHED1		0x0008	/* flag-1, sh-fallback, mh-fallback */
#define SVC_F_SCHED2		0x0010	/* flag-2, sh-port, mh-port */
#define SVC_F_SCHED3		0x0020	/* flag-3 */
#define SVC_F_KNOWN		(SVC_F_PERSISTENT | SVC_F_ONEPACKET | \
				 SVC_F_SCHED1 | SVC_F_SCHED2 | SVC_F_SCHED3)
#define SVC_PERSIST_DEFAULT	300	/* -p without a timeout */
#define SVC_PERSIST_MAX		2678400	/* ipvsadm's MAX_TIMEOUT: 31 days */
#define SVC_NETMASK4_DEFAULT	0xffffffffU	/* -M: one template per client */
#define SVC_NETMASK6_DEFAULT	128
#define RS_THRESH_MAX		65535	/* -x, -y */
#define IKE_PORT		500	/* udp: AH/ESP follow its connections */

/* Next hop packed in 64 bits so workers read it in one load. */
#define NH_VALID	(1ULL << 63)
#define NH_MAC(nh)	((nh) & 0xffffffffffffULL)	/* MAC bytes 0..5 in bits 0..47 */
#define NH_IFACE(nh)	((unsigned)(((nh) >> 48) & 0xff)) /* interface slot */
#define NH_MAKE(mac48, iface) \
	(NH_VALID | ((uint64_t)(iface) << 48) | ((mac48) & 0xffffffffffffULL))

/* MAC <-> NH_MAC(): byte 0 of the MAC in bits 0..7, byte 5 in bits 40..47. */
static inline uint64_t
nh_mac_pack(const uint8_t mac[6])
{
	return (uint64_t)mac[0] | (uint64_t)mac[1] << 8 |
	    (uint64_t)mac[2] << 16 | (uint64_t)mac[3] << 24 |
	    (uint64_t)mac[4] << 32 | (uint64_t)mac[5] << 40;
}

static inline void
nh_mac_unpack(uint64_t nh, uint8_t mac[6])
{
	unsigned	 i;

	for (i = 0; i < 6; i++)
		mac[i] = (uint8_t)(nh >> (8 * i));
}

/* Long-lived identity of a real server. */
/*
 * A tunnel real server's encapsulation (-i, --tun-*): IPVS's tun_type,
 * tun_port and tun_flags.  All zero for the other methods.
 */
#define RS_TUN_IPIP		0	/* IP_VS_CONN_F_TUNNEL_TYPE_IPIP */
#define RS_TUN_GUE		1
#define RS_TUN_GRE		2
#define RS_TUN__MAX		3
#define RS_TUN_F_CSUM		0x1	/* IP_VS_TUNNEL_ENCAP_FLAG_CSUM */
#define RS_TUN_F_REMCSUM	0x2	/* IP_VS_TUNNEL_ENCAP_FLAG_REMCSUM */

struct rs_tun {
	uint8_t		 rt_type;	/* RS_TUN_* */
	uint8_t		 rt_flags;	/* RS_TUN_F_*: at most one */
	uint16_t	 rt_port;	/* GUE's UDP port, host order; else 0 */
};

static inline uint32_t
rs_tun_pack(const struct rs_tun *t)
{
	return (uint32_t)t->rt_type | (uint32_t)t->rt_flags << 8 |
	    (uint32_t)t->rt_port << 16;
}

static inline void
rs_tun_unpack(uint32_t v, struct rs_tun *t)
{
	t->rt_type = (uint8_t)v;
	t->rt_flags = (uint8_t)(v >> 8);
	t->rt_port = (uint16_t)(v >> 16);
}

/*
 * The outer source address of a tunnel server rides with its next hop:
 * rss_nh's bit NH_SRC_BIT says which of rss_src[2] is current.  Control
 * writes the other slot, then publishes rss_nh with a release store;
 * a worker loads rss_nh with acquire and reads the slot it names.
 */
#define NH_SRC_BIT	(1ULL << 56)

struct rs_state {
	struct rs_state	*rss_next;	/* control thread's list of all states */
	struct ep	 rss_ep;	/* RIP:port */
	uint8_t		 rss_proto;	/* of its service */
	struct ep	 rss_svc;	/* its service's VIP:port */
	uint32_t	 rss_slot;	/* stats slot */
	uint32_t	 rss_refs;	/* snapshots + connections; atomic */
	int32_t		 rss_active;	/* ESTABLISHED connections; atomic */
	int32_t		 rss_inactive;	/* other connections; atomic */
	int32_t		 rss_persist;	/* persistence templates; atomic */
	uint32_t	 rss_overload;	/* above -x until below -y; atomic, workers */
	uint32_t	 rss_uthresh;	/* the latest snapshot's -x; atomic */
	uint32_t	 rss_lthresh;	/* the latest snapshot's -y; atomic */
	int32_t		 rss_last_weight; /* latest non-zero weight (IPVS's
					    last_weight, for mh); control */
	uint64_t	 rss_nh;	/* NH_MAKE() or 0; atomic, control writes */
	union inaddr	 rss_src[2];	/* our address toward it; NH_SRC_BIT */
	uint32_t	 rss_tun;	/* rs_tun_pack() of the latest snapshot;
					   atomic, control writes */
	uint64_t	 rss_pmtu;	/* tun: path MTU learnt from an ICMP error,
					   expiry << 32 | MTU, or 0; atomic,
					   workers (xmit/tun.c) */
	int		 rss_nh_err;	/* why rss_nh is 0: -errno; control only */
	bool		 rss_dead;	/* no longer in the configuration */
};

/* Long-lived identity of a virtual service. */
struct svc_state {
	struct svc_state *svs_next;
	uint8_t		 svs_proto;
	struct ep	 svs_ep;
	uint32_t	 svs_slot;
	uint32_t	 svs_refs;	/* atomic */
	bool		 svs_dead;
};

/* A real server as a snapshot holds it. Immutable once published. */
struct rs {
	struct rs_state	*rs_st;
	struct ep	 rs_ep;
	int32_t		 rs_weight;	/* 0: quiesced, no new connections */
	uint8_t		 rs_method;	/* XMIT_* */
	struct rs_tun	 rs_tun;	/* XMIT_TUN's encapsulation */
	uint32_t	 rs_uthresh;	/* as rc_uthresh */
	uint32_t	 rs_lthresh;	/* as rc_lthresh */
};

/*
 * The port a new flow to <dport> reaches <rs> on: its own, or for a
 * port-0 service (vsconf_rs_port() made it 0) the client's destination
 * port, as IPVS's ip_vs_sched_persist().  Network order.
 */
static inline uint16_t
rs_port_of(const struct rs *rs, uint16_t dport)
{
	return rs->rs_ep.ep_port != 0 ? rs->rs_ep.ep_port : dport;
}

/* A virtual service as a snapshot holds it. Immutable once published. */
struct svc {
	struct svc	*svc_hnext;	/* lookup chain */
	struct svc_state *svc_st;
	uint8_t		 svc_proto;	/* IPPROTO_TCP or IPPROTO_UDP */
	struct ep	 svc_ep;	/* VIP:port */
	const struct sched_ops *svc_sched;
	void		*svc_sched_data; /* the scheduler's, made by its init */
	uint32_t	 svc_flags;	/* SVC_F_* */
	uint32_t	 svc_timeout;	/* persistence seconds; 0: none */
	uint32_t	 svc_netmask;	/* as sc_netmask, never 0 (default set) */
	uint8_t		 svc_pe;	/* PE_* (sip.h), persistence engine */
	unsigned	 svc_nrs;
	struct rs	*svc_rs;	/* [svc_nrs] */
	uint8_t		 svc_proxy;	/* fullnat TCP: PROXY_NONE, _V1, _V2 */
	unsigned	 svc_nladdr;	/* fullnat: its LIPs, else the global ones */
	struct laddr	*svc_laddr[LADDR_PER_SVC_MAX];
};

/* The snapshot workers read. */
struct table {
	uint64_t	 t_gen;		/* 1, 2, ... per commit */
	unsigned	 t_nsvc;
	struct svc	*t_svc;		/* [t_nsvc], configuration order */
	unsigned	 t_hmask;
	struct svc	**t_hash;	/* [t_hmask + 1] */
	unsigned	 t_nport0;	/* port-0 (every port) services */
};

/* The configuration, as the control thread edits it. */
struct rs_conf {
	struct ep	 rc_ep;
	int32_t		 rc_weight;
	uint8_t		 rc_method;
	struct rs_tun	 rc_tun;	/* XMIT_TUN only; zero otherwise */
	uint32_t	 rc_uthresh;	/* -x: no new connections above; 0: none */
	uint32_t	 rc_lthresh;	/* -y: take them again below; 0: 3/4 of -x */
};

struct svc_conf {
	uint8_t		 sc_proto;
	struct ep	 sc_ep;
	char		 sc_sched[SCHED_NAME_MAX];
	uint32_t	 sc_flags;	/* SVC_F_* */
	uint32_t	 sc_timeout;	/* -p: persistence seconds; 0: none */
	uint32_t	 sc_netmask;	/* -M: v4 mask (network order) or v6 prefix */
	uint8_t		 sc_pe;		/* --pe: PE_* (sip.h), udp with -p */
	unsigned	 sc_nrs;
	struct rs_conf	*sc_rs;		/* [sc_nrs] */
	uint8_t		 sc_proxy;	/* fullnat TCP: PROXY_* (proxyproto.h) */
	uint8_t		 sc_nladdr;	/* fullnat: own LIPs; 0: the global ones */
	struct addr	 sc_laddr[LADDR_PER_SVC_MAX];
};

struct vs_conf {
	unsigned	 vc_nsvc;
	struct svc_conf	*vc_svc;	/* [vc_nsvc], insertion order */
	unsigned	 vc_nladdr;	/* global fullnat LIPs (uvsd.conf) */
	struct addr	 vc_laddr[LADDR_PER_SVC_MAX];
};

/* Editing a configuration.  Control thread; errors fill <err>. */
struct vs_conf *vsconf_dup(const struct vs_conf *vc);	/* NULL: empty */
void	 vsconf_free(struct vs_conf *vc);
struct svc_conf *vsconf_find_svc(const struct vs_conf *vc, int proto,
	    const struct ep *vip);
struct rs_conf *vsconf_find_rs(const struct svc_conf *sc, const struct ep *rip);
/* -EEXIST, -EINVAL (bad scheduler, no port), -ENOSPC */
int	 vsconf_add_svc(struct vs_conf *vc, const struct svc_conf *svc,
	    struct uvs_err *err);
/*
 * Replace the parameters of an existing service (scheduler, flags,
 * persistence timeout, netmask) by those of <svc>, which must carry all
 * of them (the caller merges what a request leaves out). -ESRCH, -EINVAL
 */
int	 vsconf_edit_svc(struct vs_conf *vc, const struct svc_conf *svc,
	    struct uvs_err *err);
int	 vsconf_del_svc(struct vs_conf *vc, int proto, const struct ep *vip,
	    struct uvs_err *err);
void	 vsconf_clear(struct vs_conf *vc);
/* -ESRCH (no service), -EEXIST, -EINVAL, -ENOSPC */
int	 vsconf_add_rs(struct vs_conf *vc, int proto, const struct ep *vip,
	    const struct rs_conf *rs, struct uvs_err *err);
/* -ESRCH, -ENOENT (no such real server) */
int	 vsconf_edit_rs(struct vs_conf *vc, int proto, const struct ep *vip,
	    const struct rs_conf *rs, struct uvs_err *err);
int	 vsconf_del_rs(struct vs_conf *vc, int proto, const struct ep *vip,
	    const struct ep *rip, struct uvs_err *err);

/* The control thread's side of the published table. */
struct table_ctl;

/*
 * <e> defers frees; <on_publish> (may be NULL) runs after every publish,
 * with the new snapshot (filters, nftables sets).
 */
struct table_ctl *table_ctl_new(struct epoch *e,
	    void (*on_publish)(const struct table *t, void *arg), void *arg);
/*
 * Frees through the epoch (snapshot, then every state): call it after
 * the workers and connections are gone and before epoch_free().
 */
void	 table_ctl_free(struct table_ctl *tc);
/*
 * The workers' counters (<n> of them; set before workers start, kept
 * by the caller): a stats slot handed to a new state is zeroed in each.
 */
void	 table_set_stats(struct table_ctl *tc, struct wstats *const *ws,
	    unsigned n);
/*
 * Fullnat's local addresses (kept by the caller, may be NULL: then a
 * commit with a fullnat real server fails).  Before the first commit.
 */
void	 table_set_laddrs(struct table_ctl *tc, struct laddr_set *ls);
/* What runs now; never NULL (an empty configuration at first). */
const struct vs_conf *table_conf(const struct table_ctl *tc);
/*
 * Make <vc> what runs: bind states, build and publish a snapshot.  On
 * success the table owns <vc>; on error (-ENOSPC for slots, -ENOMEM, a
 * scheduler's refusal) nothing changed and the caller still owns <vc>.
 */
int	 table_commit(struct table_ctl *tc, struct vs_conf *vc,
	    struct uvs_err *err);
/* The snapshot workers read: acquire load.  Worker or control. */
const struct table *table_current(const struct table_ctl *tc);
/*
 * The service for (<proto>, <vip> address, <port>), else the VIP's
 * port-0 service, or NULL.  Worker.
 */
const struct svc *table_lookup(const struct table *t, int proto,
	    const union inaddr *vip, uint8_t af, uint16_t port);
/* The states of the current snapshot and of draining real servers. */
struct rs_state *table_rs_states(const struct table_ctl *tc);
struct svc_state *table_svc_states(const struct table_ctl *tc);
/* Find a state by identity (control: listings). */
struct rs_state *table_find_rs_state(const struct table_ctl *tc, int proto,
	    const struct ep *vip, const struct ep *rip);
struct svc_state *table_find_svc_state(const struct table_ctl *tc, int proto,
	    const struct ep *vip);
/*
 * Free states that nothing references any more (through the epoch).
 * Control thread, from a timer.
 */
void	 table_gc(struct table_ctl *tc);

/* Reference counting of states by connections. Worker or reaper. */
void	 rs_state_hold(struct rs_state *rss);
void	 rs_state_put(struct rs_state *rss);
void	 svc_state_hold(struct svc_state *svs);
void	 svc_state_put(struct svc_state *svs);

/*
 * A connection to <rss> was made (counted inactive) or went (<active>:
 * it was counted active), and the overload flag follows, as IPVS's
 * ip_vs_bind_dest()/ip_vs_unbind_dest() do: set when active + inactive
 * reach -x, cleared below -y, or below 3/4 of -x without -y.  Templates
 * do not go through these.  Worker or reaper.
 */
void	 rs_state_conn_new(struct rs_state *rss);
void	 rs_state_conn_gone(struct rs_state *rss, bool active);

/* A real server may take new connections: weight > 0, not overloaded. */
static inline bool
rs_available(const struct rs *rs)
{
	return rs->rs_weight > 0 &&
	    !__atomic_load_n(&rs->rs_st->rss_overload, __ATOMIC_RELAXED);
}

/* "tcp 192.0.2.10:80", the prefix of messages; returns <buf>. */
/* 0, or -EINVAL with why <t> is not a valid encapsulation in <err>. */
int	 rs_tun_check(const struct rs_tun *t, struct uvs_err *err);
/* "ipip", "gue", "gre"; "?" */
const char *rs_tun_name(int type);
/* RS_TUN_* of <name>, -EINVAL */
int	 rs_tun_parse(const char *name);
/* "nocsum", "csum", "remcsum" of RS_TUN_F_* <flags> */
const char *rs_tun_csum_name(int flags);
/* RS_TUN_F_* of "nocsum", "csum", "remcsum", -EINVAL */
int	 rs_tun_csum_parse(const char *name);

const char *svc_fmt(int proto, const struct ep *vip, char *buf, size_t len);

#endif
