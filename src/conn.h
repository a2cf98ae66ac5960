/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The connection table, shared by all workers.  A connection is found by
 * its inbound tuple (client -> VIP) and, for nat, by its reply tuple
 * (real server -> client).  Return traffic lands on any worker (fanout
 * hashes the tuple it sees), so the table is shared and sharded: each
 * shard has a lock, its buckets, its part of the entry pool and its
 * expiry wheel.  The shard is chosen by the client's side of a tuple
 * (source of an inbound tuple, destination of a reply tuple), which both
 * tuples of a nat connection share, so one shard lock covers a
 * connection and both of its hash links.  A fullnat reply tuple is
 * RIP:rport -> LIP:lport, whose client half is the local address, so
 * fullnat picks lport among the ports that hash to the client's shard
 * (laddr.h) and the rule holds for it too.
 *
 * Entries are fixed-size records from a pool allocated up front; the
 * table has a hard maximum, and conn_insert() fails when a shard's part
 * is used up (the caller counts DROP_CONN_FULL).  Expiry is lazy: a
 * packet only moves c_expires; conn_expire() walks each shard's
 * one-second wheel in bounded steps and re-files entries that were
 * refreshed, so it never holds a lock for long.
 *
 * Threads: workers look up and insert under the shard lock; the reaper
 * (any one thread) calls conn_expire(); the control thread lists.
 */
#ifndef UVS_CONN_H
#define UVS_CONN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "conn_sctp.h"
#include "conn_tcp.h"
#include "pkt.h"

struct laddr;
struct rs_state;
struct svc_state;

enum {
	CONN_IN = 0,		/* tuple client -> VIP */
	CONN_OUT = 1,		/* tuple real server -> client (nat),
				   real server -> LIP:lport (fullnat) */
};

#define CONN_F_OUTSEEN	0x01	/* a reply went through us (nat) */
#define CONN_F_ACTIVE	0x02	/* counted in rss_active, else rss_inactive */
#define CONN_F_HASOUT	0x04	/* c_tuple[CONN_OUT] is hashed */
#define CONN_F_TEMPLATE	0x08	/* persistence template: c_tuple[CONN_IN] is
				   (CIP & netmask):0 -> VIP:vport, no traffic */

/* c_ppflags: fullnat's PROXY protocol state. */
#define CONN_PP_ON	0x01	/* a PROXY header goes in at c_pseq */
#define CONN_PP_V2	0x02	/* version 2, else 1 */
#define CONN_PP_SENT	0x04	/* a header went out */
#define CONN_PP_ACKED	0x08	/* the real server acknowledged all of it */

/*
 * t_pad[0] of a template's tuple, so that no frame's tuple (pad zero)
 * ever finds a template, even from client port 0.
 */
#define CONN_TPL_MARK	1
/*
 * A due template that still controls connections is looked at again
 * this many seconds later (IPVS's ip_vs_conn_expire(): expire_later).
 */
#define CONN_TPL_RECHECK 60

struct conn_link {
	struct conn_link *cl_next;	/* bucket chain */
};

/*
 * What a persistence engine adds to a template's key (IPVS's pe_data):
 * the SIP Call-ID.  Slots come from a pool the table allocates with its
 * entries, CONN_PE_SHARE of them, and go back with their entry.
 */
#define CONN_PE_MAX	255	/* IPVS's IP_VS_PEDATA_MAXLEN */
#define CONN_PE_SHARE	8	/* one slot per this many entries */

struct conn_pe {
	struct conn_pe	*pe_next;	/* free list */
	uint16_t	 pe_len;	/* 1..CONN_PE_MAX */
	uint8_t		 pe_data[CONN_PE_MAX];
};

struct conn {
	struct conn_link c_link[2];	/* [CONN_IN], [CONN_OUT] */
	struct conn	*c_wnext;	/* expiry wheel slot / free list */
	struct conn	*c_wprev;
	struct tuple	 c_tuple[2];
	uint32_t	 c_expires;	/* seconds, conn_now() clock */
	uint32_t	 c_created;	/* seconds, conn_now() clock */
	uint16_t	 c_state;	/* enum tcp_state, CONN_STATE_UDP,
					   enum sctp_state */
	uint8_t		 c_flags;	/* CONN_F_* */
	uint8_t		 c_method;	/* XMIT_* */
	uint8_t		 c_ciface;	/* interface slot the client's frames came in */
	uint8_t		 c_cmac[6];	/* source MAC of the client's frames */
	uint8_t		 c_shard_pad;
	struct rs_state	*c_rs;		/* holds a reference */
	struct svc_state *c_svc;	/* holds a reference */
	struct conn	*c_ctl;		/* the template that made it, or NULL */
	uint32_t	 c_nctl;	/* template: connections whose c_ctl it
					   is; atomic; never expires while > 0 */
	struct laddr	*c_laddr;	/* fullnat: the LIP whose port
					   c_tuple[CONN_OUT].t_dport it holds */
	uint32_t	 c_pseq;	/* fullnat: the client's first data
					   sequence number, host order */
	uint16_t	 c_lshard;	/* fullnat: the shard c_laddr's port is of */
	uint8_t		 c_pplen;	/* fullnat: PROXY header bytes */
	uint8_t		 c_ppflags;	/* fullnat: CONN_PP_* */
	struct conn_pe	*c_pe;		/* template: engine data, or NULL */
};

struct conn_table;

/* The table's clock: monotonic seconds (coarse, vDSO, no syscall). */
uint32_t conn_now(void);

/*
 * A table of at most <max> connections in <nshards> shards (a power of
 * two, at least 1); <to> are the timeouts (copied, changeable with
 * conn_set_timeouts()).  NULL on allocation failure.  Control thread.
 */
struct conn_table *conn_table_new(uint32_t max, unsigned nshards,
	    const struct conn_timeouts *to);
/*
 * Free the table.  <release> is called for every live entry (to drop its
 * references) unless NULL.
 */
void	 conn_table_free(struct conn_table *ct,
	    void (*release)(struct conn *c, void *arg), void *arg);
void	 conn_set_timeouts(struct conn_table *ct, const struct conn_timeouts *to);
void	 conn_get_timeouts(const struct conn_table *ct, struct conn_timeouts *ret);
uint32_t conn_max(const struct conn_table *ct);
/* Bucket count, what ipvsadm shows as "size=". */
uint32_t conn_hash_size(const struct conn_table *ct);
/* Live entries (approximate while workers run). */
uint32_t conn_count(const struct conn_table *ct);

/* Shard count, a power of two (laddr.c sorts ports by shard). */
unsigned conn_nshards(const struct conn_table *ct);
/* The shard of tuple <t> used as <dir> (CONN_IN or CONN_OUT). */
unsigned conn_shard(const struct conn_table *ct, const struct tuple *t, int dir);
void	 conn_lock(struct conn_table *ct, unsigned shard);
void	 conn_unlock(struct conn_table *ct, unsigned shard);

/*
 * With <shard> locked: the connection whose <dir> tuple equals <t>, or
 * NULL.
 */
struct conn *conn_find(struct conn_table *ct, unsigned shard,
	    const struct tuple *t, int dir);
/*
 * With <shard> locked: the first connection whose <dir> tuple equals <t>
 * and for which <match>(c, <arg>) is true (any, when <match> is NULL),
 * or NULL.
 */
struct conn *conn_find_if(struct conn_table *ct, unsigned shard,
	    const struct tuple *t, int dir,
	    bool (*match)(const struct conn *c, const void *arg),
	    const void *arg);
/*
 * With <c>'s shard <shard> locked: give <c> a slot holding a copy of the
 * <len> bytes at <data> (1..CONN_PE_MAX).  The slot goes back to the
 * shard's pool with <c>.  -ENOSPC when the shard has none left, -EINVAL
 * for a bad length; <c> is then unchanged.
 */
int	 conn_set_pe(struct conn_table *ct, unsigned shard, struct conn *c,
	    const void *data, size_t len);
/* Seeded hash of <len> bytes (template keys), the table's own seed. */
uint32_t conn_hash_bytes(const struct conn_table *ct, const void *data,
	    size_t len);

/*
 * With <shard> locked (the shard of <in> as CONN_IN, which must equal
 * that of <out> as CONN_OUT when <out> is not NULL): take an entry, copy
 * and hash the tuples, set c_created and c_state NONE, and file it for
 * expiry after <timeout> seconds.  The caller fills the rest before
 * unlocking.  NULL when the shard's pool is empty.
 */
struct conn *conn_insert(struct conn_table *ct, unsigned shard,
	    const struct tuple *in, const struct tuple *out, uint32_t now,
	    uint32_t timeout);
/* With the shard locked: set c_expires to now + the timeout of c_state. */
void	 conn_touch(struct conn_table *ct, struct conn *c, uint32_t now);
/* With the shard locked: set c_expires to <now> + <timeout> (templates). */
void	 conn_touch_for(struct conn_table *ct, struct conn *c, uint32_t now,
	    uint32_t timeout);
/* The timeout in seconds of state <state> ("UDP" included). */
uint32_t conn_timeout_of(const struct conn_table *ct, int state);
/*
 * With the shard locked: unhash <c> and return it to the pool after
 * calling <release> on it (may be NULL).
 */
void	 conn_remove(struct conn_table *ct, unsigned shard, struct conn *c,
	    void (*release)(struct conn *c, void *arg), void *arg);

/*
 * Expire entries whose c_expires <= <now>, calling <release> on each
 * before it goes back to the pool; a template with c_nctl > 0 is kept
 * CONN_TPL_RECHECK seconds more instead.  Takes each shard lock in turn and
 * handles at most <budget> entries per lock hold.  Returns how many
 * expired.  Safe from any one thread at a time.
 */
uint32_t conn_expire(struct conn_table *ct, uint32_t now, unsigned budget,
	    void (*release)(struct conn *c, void *arg), void *arg);
/*
 * Call <fn> on every live entry, each shard locked in turn; <fn> must not
 * call into the table.  Stops early when <fn> returns non-zero and
 * returns that value.
 */
int	 conn_foreach(struct conn_table *ct,
	    int (*fn)(const struct conn *c, void *arg), void *arg);

#endif
