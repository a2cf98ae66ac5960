/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Local addresses (LIPs) of fullnat and their ports.  A fullnat
 * connection client:cport -> VIP:vport leaves as LIP:lport -> RIP:rport,
 * so its reply tuple is RIP:rport -> LIP:lport, and the table (conn.h)
 * files that tuple in the shard its client half LIP:lport hashes to,
 * while the inbound tuple goes to the shard of the client's CIP:cport.
 * One shard lock must cover both, so lport is chosen among the ports
 * whose reply half hashes to the client's shard.
 *
 * Ports are therefore pre-sorted by shard.  When a LIP is first used,
 * the control thread computes, for TCP and for UDP, the shard of every
 * port of the range (conn_shard() of LIP:port as a reply tuple), and
 * lays the ports out in one array, grouped by shard; each shard's group
 * is a stack of its free ports.  A worker that holds shard <s>'s lock
 * pops a port of group <s> for a new connection, and the connection's
 * release (under the same lock: expiry, removal) pushes it back.  So no
 * two live connections share a LIP's port, whatever their real server:
 * (LIP, lport, RIP, rport) is unique a fortiori; a group that is empty
 * is exhaustion, counted and refused (DROP_NO_LPORT), never a reuse.  No
 * other lock, no allocation on the packet path.  With N shards a LIP
 * holds about range/N ports per shard: a client's shard is fixed by its
 * own address and port, so a LIP is exhausted for some clients while a
 * few ports remain in other shards; more LIPs spread that.
 *
 * Which LIP: the service's own list, else the global one; tried in turn
 * from a hash of the client, the first with a free port wins.
 *
 * A LIP's ports live as long as the set (the daemon's life): removing a
 * LIP from the configuration leaves its live connections their ports,
 * and adding it back finds the same stacks.  The range is fixed when
 * the set is made (uvsd.conf local_port_range, read at start).
 */
#ifndef UVS_LADDR_H
#define UVS_LADDR_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

struct conn_table;

#define LADDR_PER_SVC_MAX	8	/* local addresses of one service */
#define LADDR_MAX		256	/* distinct local addresses in all */
#define LPORT_LO_DEFAULT	1024
#define LPORT_HI_DEFAULT	65535

struct laddr;
struct laddr_set;

/*
 * A set of LIPs whose ports are <lo>..<hi> (host order, lo <= hi) sorted
 * by the shards of <ct>.  Control thread; NULL on allocation failure.
 */
struct laddr_set *laddr_set_new(const struct conn_table *ct, uint16_t lo,
	    uint16_t hi);
void	 laddr_set_free(struct laddr_set *ls);
void	 laddr_set_range(const struct laddr_set *ls, uint16_t *lo,
	    uint16_t *hi);
/*
 * The LIP <a>, made on first use.  Control thread (it allocates);
 * NULL: out of memory or LADDR_MAX reached.
 */
struct laddr *laddr_get(struct laddr_set *ls, const struct addr *a);
const struct addr *laddr_addr(const struct laddr *la);

/*
 * With shard <shard> locked: a free port (network order) of <la> for
 * protocol <proto> whose reply tuple hashes to <shard>.  false when none.
 */
bool	 laddr_port_take(struct laddr *la, int proto, unsigned shard,
	    uint16_t *ret_port);
/* With <shard> locked: give back <port> (network order), from take. */
void	 laddr_port_put(struct laddr *la, int proto, unsigned shard,
	    uint16_t port);
/* Ports of <la> in use for <proto> (approximate while workers run). */
uint32_t laddr_ports_used(const struct laddr *la, int proto);
/* Call <fn> on every LIP of the set.  Control thread. */
void	 laddr_foreach(const struct laddr_set *ls,
	    void (*fn)(const struct laddr *la, void *arg), void *arg);

#endif
