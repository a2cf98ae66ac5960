/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Counters.  Every worker owns a struct wstats and is its only writer, so
 * the packet path makes no shared writes; the control thread sums all
 * workers' copies when somebody reads them.  Services and real servers
 * have a stats slot (an index into every worker's w_slot[]) that the
 * control thread hands out; a slot is zeroed when it is handed out, never
 * while a worker may write it.  Drops are counted by reason.
 */
#ifndef UVS_STATS_H
#define UVS_STATS_H

#include <stdint.h>

enum drop_reason {
	DROP_NONE = 0,		/* not a drop: "go on" */
	DROP_SHORT,		/* frame shorter than its headers */
	DROP_TRUNC,		/* ring copied less than the frame (tp_snaplen < tp_len) */
	DROP_OTHERHOST,		/* not addressed to this host's MAC */
	DROP_VLAN,		/* VLAN-tagged frame: not handled yet */
	DROP_NOT_IP,		/* not IPv4/IPv6 although the filter let it in */
	DROP_BAD_VERSION,	/* IP version field does not match the ethertype */
	DROP_BAD_IHL,		/* IPv4 header length < 20 or beyond the frame */
	DROP_BAD_LEN,		/* IP total length inconsistent with the frame */
	DROP_BAD_TCP_OFF,	/* TCP data offset < 5 or beyond the datagram */
	DROP_BAD_UDP_LEN,	/* UDP length inconsistent with the datagram */
	DROP_FRAG,		/* IP fragment the fanout did not reassemble */
	DROP_PROTO,		/* neither TCP nor UDP */
	DROP_IPV6,		/* unused since IPv6 is forwarded; name kept */
	DROP_TTL,		/* TTL would reach 0 on a routed reply */
	DROP_NO_SVC,		/* no virtual service and no connection */
	DROP_NOT_SYN,		/* TCP without SYN and without a connection */
	DROP_NO_DEST,		/* the scheduler found no available real server */
	DROP_CONN_FULL,		/* connection table at its maximum */
	DROP_NO_NEIGH,		/* next hop's MAC not (yet) known */
	DROP_NO_IFACE,		/* next hop is behind an interface uvsd does not own */
	DROP_TOO_BIG,		/* frame larger than the egress MTU, not GSO */
	DROP_TX,		/* the kernel refused to send */
	DROP_TX_FULL,		/* TX batch or TX ring full */
	DROP_NODEST_CONN,	/* connection of a removed real server, ended
				   (expire_nodest_conn) */
	DROP_NO_LPORT,		/* fullnat: no free port on any local address
				   in the client's shard */
	DROP_PROXY,		/* fullnat: PROXY header could not be made */
	DROP_FRAG6,		/* IPv6 fragment: DEFRAG is IPv4 only */
	DROP_UDP6_CSUM0,	/* UDP over IPv6 with checksum 0 (RFC 8200 8.1) */
	DROP_IP6_EXT,		/* IPv6 extension headers we cannot skip:
				   routing with segments left, too many */
	DROP_ICMP_SHORT,	/* ICMP error shorter than its header, a quoted
				   IP header and 8 bytes of TCP/UDP */
	DROP_ICMP_INNER,	/* quoted IP header inconsistent, or a later
				   fragment (no ports) */
	DROP_ICMP_CSUM,		/* ICMP checksum does not verify */
	DROP_ICMP_NO_CONN,	/* ICMP error about no known connection */
	DROP_ICMP_METHOD,	/* the connection's method relays no ICMP
				   error this way */
	DROP_FRAG_NEEDED,	/* DF packet too big for the path: ICMP
				   fragmentation needed / packet too big sent */
	DROP_NO_HEADROOM,	/* no room in front of the frame to encapsulate */
	DROP_GSO_BAD,		/* GSO super-packet that cannot be segmented */
	DROP_BAD_ARP,		/* malformed ARP for an answered VIP */
	DROP_BAD_NS,		/* malformed neighbour solicitation */
	DROP_NEIGH_IGNORED,	/* ARP or NDP that asks uvsd nothing */
	DROP_ICMP_RATELIMIT,	/* DF packet too big for the path whose ICMP
				   error the worker's rate limit withheld */
	DROP_SCTP_SHORT,	/* SCTP without a whole common and chunk header */
	DROP_BAD_SCTP_CHUNK,	/* SCTP first chunk length < 4 or beyond it */
	DROP_SCTP_NOT_INIT,	/* SCTP without INIT and without a connection */
	DROP_SIP_NO_CALLID,	/* datagram to a pe sip service without a
				   usable Call-ID (IPVS drops it too) */
	DROP_IPSEC_NO_IKE,	/* AH/ESP to a VIP with a udp:500 service but
				   no IKE connection CIP:500 -> VIP:500 */
	DROP_IPSEC_FULLNAT,	/* AH/ESP whose IKE connection is fullnat */
	DROP_SIP_CALLID_FULL,	/* a new call while every Call-ID slot of
				   the template's shard is in use */
	DROP__MAX
};

/* "short", "truncated", ...: stable names used by the protocol. */
const char *drop_name(int reason);

struct counters {
	uint64_t	 cn_conns;	/* connections scheduled */
	uint64_t	 cn_inpkts;	/* client -> real server */
	uint64_t	 cn_outpkts;	/* real server -> client (nat) */
	uint64_t	 cn_inbytes;
	uint64_t	 cn_outbytes;
};

#define STATS_SLOTS	65536	/* services + real servers, alive or draining */

struct wstats {
	uint64_t	 ws_rx_pkts;	/* frames taken off the rings */
	uint64_t	 ws_rx_bytes;
	uint64_t	 ws_tx_pkts;	/* frames handed to the kernel */
	uint64_t	 ws_tx_bytes;
	uint64_t	 ws_rx_blocks;	/* ring blocks processed */
	uint64_t	 ws_tx_calls;	/* sendmmsg() calls / TX ring kicks */
	uint64_t	 ws_ring_drops;	/* PACKET_STATISTICS tp_drops, summed */
	uint64_t	 ws_ring_freezes; /* PACKET_STATISTICS tp_freeze_q_cnt */
	uint64_t	 ws_frag_out;	/* datagrams cut into fragments (frag.c) */
	uint64_t	 ws_icmp_relayed; /* ICMP errors relayed (icmp.c) */
	uint64_t	 ws_arp_replies; /* ARP replies for VIPs (arpnd.c) */
	uint64_t	 ws_na_sent;	/* neighbour advertisements for VIPs */
	uint64_t	 ws_drop[DROP__MAX];
	struct counters	 ws_slot[STATS_SLOTS];
};

/* Bump a counter owned by the calling worker; readers load it whole. */
#define STAT_ADD(field, n) \
	__atomic_store_n(&(field), (field) + (n), __ATOMIC_RELAXED)
#define STAT_INC(field)	STAT_ADD(field, 1)

/* Rates as ipvsadm --rate shows them: per second, estimated over 2 s ticks. */
struct rates {
	uint64_t	 r_cps;
	uint64_t	 r_inpps;
	uint64_t	 r_outpps;
	uint64_t	 r_inbps;
	uint64_t	 r_outbps;
};

#define STATS_EST_INTERVAL	2	/* seconds between estimator ticks */

/*
 * The estimator's tick for every slot handed out (stats_slot_alloc()),
 * every STATS_EST_INTERVAL seconds, as the kernel's ip_vs_est does.
 * Control thread.
 */
void	 stats_estimate(struct wstats *const *ws, unsigned n);
/*
 * Counters of <slot> since it was handed out or last zeroed, and its
 * rates (either out pointer may be NULL).  Control thread.
 */
void	 stats_get(struct wstats *const *ws, unsigned n, uint32_t slot,
	    struct counters *ret, struct rates *ret_rates);
/* ipvsadm -Z for one slot: counters and rates read 0 from now on. */
void	 stats_zero(struct wstats *const *ws, unsigned n, uint32_t slot);

/* Sum slot <slot> over <n> workers into <ret>. Control thread. */
void	 stats_sum_slot(struct wstats *const *ws, unsigned n, uint32_t slot,
	    struct counters *ret);
/* Zero slot <slot> in every worker (only while no worker can write it). */
void	 stats_zero_slot(struct wstats *const *ws, unsigned n, uint32_t slot);

/*
 * Slot allocator, control thread only.  Returns a slot or -ENOSPC; the
 * slot's zero base and estimator start from nothing (the caller zeroes
 * the workers' counters).
 */
int	 stats_slot_alloc(void);
void	 stats_slot_free(uint32_t slot);

#endif
