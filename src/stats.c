/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Drop-reason names, slot allocation and summing of per-worker counters
 * (stats.h).  Summing and the allocator run in the control thread.
 */
#include "config.h"

#include <errno.h>
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

int
stats_slot_alloc(void)
{
	uint32_t	 i, s;

	for (i = 0; i < STATS_SLOTS; i++) {
		s = (slot_hint + i) % STATS_SLOTS;
		if (!(slot_used[s / 64] & (1ULL << (s % 64)))) {
			slot_used[s / 64] |= 1ULL << (s % 64);
			slot_hint = s + 1;
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
