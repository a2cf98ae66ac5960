/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drop-reason names, slot allocation, summing of per-worker counters and
 * the rate estimator (stats.h).
 *
 * Workers only ever add to their counters; -Z cannot clear them under
 * their feet, so each slot has a zero base, the sum at the last -Z,
 * that readers subtract.  The estimator is the kernel's ip_vs_est.c:
 * every 2 s, per slot, rate = delta << 9 (packets, connections: per
 * second scaled by 2^10) or delta << 4 (bytes: scaled by 2^5), averaged
 * with weight 1/4 (avg += (rate - avg) >> 2) and read back rounded,
 * (avg + 0x1FF) >> 10 or (avg + 0xF) >> 5, so --rate shows what IPVS
 * would.  Everything but the workers' counters belongs to the control
 * thread.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "stats.h"
#include "util.h"

static const char *const drop_names[DROP__MAX] = {
	[DROP_NONE]		= "none",
	[DROP_SHORT]		= "short",
	[DROP_TRUNC]		= "truncated",
	[DROP_OTHERHOST]	= "otherhost",
	[DROP_VLAN]		= "vlan",
	[DROP_NOT_IP]		= "not-ip",
	[DROP_BAD_VERSION]	= "bad-version",
	[DROP_BAD_IHL]		= "bad-ihl",
	[DROP_BAD_LEN]		= "bad-length",
	[DROP_BAD_TCP_OFF]	= "bad-tcp-offset",
	[DROP_BAD_UDP_LEN]	= "bad-udp-length",
	[DROP_FRAG]		= "fragment",
	[DROP_PROTO]		= "protocol",
	[DROP_IPV6]		= "ipv6",
	[DROP_TTL]		= "ttl",
	[DROP_NO_SVC]		= "no-service",
	[DROP_NOT_SYN]		= "not-syn",
	[DROP_NO_DEST]		= "no-destination",
	[DROP_CONN_FULL]	= "conn-table-full",
	[DROP_NO_NEIGH]		= "no-neighbour",
	[DROP_NO_IFACE]		= "no-interface",
	[DROP_TOO_BIG]		= "too-big",
	[DROP_TX]		= "tx-error",
	[DROP_TX_FULL]		= "tx-full",
	[DROP_NODEST_CONN]	= "nodest-conn",
	[DROP_NO_LPORT]		= "no-local-port",
	[DROP_PROXY]		= "proxy-header",
	[DROP_FRAG6]		= "fragment6",
	[DROP_UDP6_CSUM0]	= "udp6-zero-csum",
	[DROP_IP6_EXT]		= "ipv6-ext-header",
	[DROP_BAD_ARP]		= "bad-arp",
	[DROP_BAD_NS]		= "bad-ns",
	[DROP_NEIGH_IGNORED]	= "neigh-ignored",
	[DROP_ICMP_RATELIMIT]	= "icmp-rate-limited",
	[DROP_SCTP_SHORT]	= "sctp-short",
	[DROP_BAD_SCTP_CHUNK]	= "bad-sctp-chunk",
	[DROP_SCTP_NOT_INIT]	= "sctp-not-init",
	[DROP_ICMP_SHORT]	= "icmp-short",
	[DROP_ICMP_INNER]	= "icmp-bad-inner",
	[DROP_ICMP_CSUM]	= "icmp-checksum",
	[DROP_ICMP_NO_CONN]	= "icmp-no-conn",
	[DROP_ICMP_METHOD]	= "icmp-method",
	[DROP_FRAG_NEEDED]	= "frag-needed",
	[DROP_NO_HEADROOM]	= "no-headroom",
	[DROP_GSO_BAD]		= "gso-bad",
	[DROP_SIP_NO_CALLID]	= "sip-no-callid",
	[DROP_IPSEC_NO_IKE]	= "ipsec-no-ike",
	[DROP_IPSEC_FULLNAT]	= "ipsec-fullnat",
	[DROP_SIP_CALLID_FULL]	= "sip-callid-full",
};

const char *
drop_name(int reason)
{
	if (reason < 0 || reason >= DROP__MAX || drop_names[reason] == NULL)
		return "?";
	return drop_names[reason];
}

void
stats_sum_slot(struct wstats *const *ws, unsigned n, uint32_t slot,
    struct counters *ret)
{
	struct counters	 s = { 0 };
	unsigned	 i;

	for (i = 0; i < n; i++) {
		const struct counters *c = &ws[i]->ws_slot[slot];

		s.cn_conns += __atomic_load_n(&c->cn_conns, __ATOMIC_RELAXED);
		s.cn_inpkts += __atomic_load_n(&c->cn_inpkts, __ATOMIC_RELAXED);
		s.cn_outpkts += __atomic_load_n(&c->cn_outpkts, __ATOMIC_RELAXED);
		s.cn_inbytes += __atomic_load_n(&c->cn_inbytes, __ATOMIC_RELAXED);
		s.cn_outbytes += __atomic_load_n(&c->cn_outbytes, __ATOMIC_RELAXED);
	}
	*ret = s;
}

void
stats_zero_slot(struct wstats *const *ws, unsigned n, uint32_t slot)
{
	unsigned	 i;

	for (i = 0; i < n; i++)
		memset(&ws[i]->ws_slot[slot], 0, sizeof(ws[i]->ws_slot[slot]));
}

/* A bitmap of used slots and a rotating hint, so freed slots rest a while. */
static uint64_t	 slot_used[STATS_SLOTS / 64];
static uint32_t	 slot_hint;

/* Per slot: the zero base and the estimator, as ip_vs_estimator. */
struct slot_est {
	struct counters	 se_base;	/* sum at the last stats_zero() */
	struct counters	 se_last;	/* sum at the last tick */
	uint64_t	 se_cps;	/* << 10 */
	uint64_t	 se_inpps;	/* << 10 */
	uint64_t	 se_outpps;	/* << 10 */
	uint64_t	 se_inbps;	/* << 5 */
	uint64_t	 se_outbps;	/* << 5 */
};

static struct slot_est	 slot_est[STATS_SLOTS];

/* One EWMA step with weight 1/4, signed as the kernel's. */
static inline uint64_t
est_step(uint64_t avg, uint64_t rate)
{
	return (uint64_t)((int64_t)avg +
	    (((int64_t)rate - (int64_t)avg) >> 2));
}

static void
est_tick(struct slot_est *e, const struct counters *n)
{
	/* 2 s ticks: per second scaled by 2^10 is delta << 9, by 2^5 << 4. */
	e->se_cps = est_step(e->se_cps,
	    (n->cn_conns - e->se_last.cn_conns) << 9);
	e->se_inpps = est_step(e->se_inpps,
	    (n->cn_inpkts - e->se_last.cn_inpkts) << 9);
	e->se_outpps = est_step(e->se_outpps,
	    (n->cn_outpkts - e->se_last.cn_outpkts) << 9);
	e->se_inbps = est_step(e->se_inbps,
	    (n->cn_inbytes - e->se_last.cn_inbytes) << 4);
	e->se_outbps = est_step(e->se_outbps,
	    (n->cn_outbytes - e->se_last.cn_outbytes) << 4);
	e->se_last = *n;
}

static bool
slot_in_use(uint32_t s)
{
	return (slot_used[s / 64] & (1ULL << (s % 64))) != 0;
}

void
stats_estimate(struct wstats *const *ws, unsigned n)
{
	struct counters	 sum;
	uint32_t	 w, s;
	uint64_t	 bits;

	for (w = 0; w < STATS_SLOTS / 64; w++) {
		for (bits = slot_used[w]; bits != 0; bits &= bits - 1) {
			s = w * 64 + (uint32_t)__builtin_ctzll(bits);
			stats_sum_slot(ws, n, s, &sum);
			est_tick(&slot_est[s], &sum);
		}
	}
}

/* <a> - <b>, 0 if a counter went back (a slot zeroed under a reader). */
static inline uint64_t
since(uint64_t a, uint64_t b)
{
	return a >= b ? a - b : 0;
}

void
stats_get(struct wstats *const *ws, unsigned n, uint32_t slot,
    struct counters *ret, struct rates *ret_rates)
{
	const struct slot_est *e;
	struct counters	 sum;

	if (slot >= STATS_SLOTS) {
		if (ret != NULL)
			memset(ret, 0, sizeof(*ret));
		if (ret_rates != NULL)
			memset(ret_rates, 0, sizeof(*ret_rates));
		return;
	}
	e = &slot_est[slot];
	if (ret != NULL) {
		stats_sum_slot(ws, n, slot, &sum);
		ret->cn_conns = since(sum.cn_conns, e->se_base.cn_conns);
		ret->cn_inpkts = since(sum.cn_inpkts, e->se_base.cn_inpkts);
		ret->cn_outpkts = since(sum.cn_outpkts, e->se_base.cn_outpkts);
		ret->cn_inbytes = since(sum.cn_inbytes, e->se_base.cn_inbytes);
		ret->cn_outbytes = since(sum.cn_outbytes,
		    e->se_base.cn_outbytes);
	}
	if (ret_rates != NULL) {
		ret_rates->r_cps = (e->se_cps + 0x1FF) >> 10;
		ret_rates->r_inpps = (e->se_inpps + 0x1FF) >> 10;
		ret_rates->r_outpps = (e->se_outpps + 0x1FF) >> 10;
		ret_rates->r_inbps = (e->se_inbps + 0xF) >> 5;
		ret_rates->r_outbps = (e->se_outbps + 0xF) >> 5;
	}
}

void
stats_zero(struct wstats *const *ws, unsigned n, uint32_t slot)
{
	struct slot_est	*e;
	struct counters	 sum;

	if (slot >= STATS_SLOTS)
		return;
	e = &slot_est[slot];
	stats_sum_slot(ws, n, slot, &sum);
	memset(e, 0, sizeof(*e));
	/* ip_vs_zero_estimator(): the next tick measures from now. */
	e->se_base = sum;
	e->se_last = sum;
}

int
stats_slot_alloc(void)
{
	uint32_t	 i, s;

	for (i = 0; i < STATS_SLOTS; i++) {
		s = (slot_hint + i) % STATS_SLOTS;
		if (!slot_in_use(s)) {
			slot_used[s / 64] |= 1ULL << (s % 64);
			slot_hint = s + 1;
			memset(&slot_est[s], 0, sizeof(slot_est[s]));
			return (int)s;
		}
	}
	return -ENOSPC;
}

void
stats_slot_free(uint32_t slot)
{
	if (slot < STATS_SLOTS)
		slot_used[slot / 64] &= ~(1ULL << (slot % 64));
}
