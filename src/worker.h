/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Workers: one pthread each, with one ring per interface.  A worker takes
 * a block off each ring, handles its frames (parse, find or create the
 * connection, rewrite in place), queues them on the egress interface's
 * ring, sends them all with one call per egress ring, and only then gives
 * the block back.  Between blocks it reports a quiescent state to the
 * epoch and picks up the newest snapshot.  No allocation, no lock but a
 * connection shard's, no syscall per packet, no logging: it counts.
 */
#ifndef UVS_WORKER_H
#define UVS_WORKER_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "iface.h"
#include "ratelimit.h"
#include "ring.h"

struct conn;
struct uvsd;
struct vnet_hdr;
struct wstats;

/*
 * Frames a worker makes itself (segments, fragments, ICMP errors) live
 * in its scratch area until the next flush; 4 MiB holds a block's worth
 * of segmented 64 KiB super-packets.
 */
#define WORKER_SCRATCH_SIZE	(4u << 20)

struct worker {
	unsigned	 w_id;
	struct uvsd	*w_d;
	struct wstats	*w_stats;
	struct ring	 w_ring[IFACE_MAX];	/* by interface slot */
	unsigned	 w_nrings;
	int		 w_cpu;			/* pinned CPU, -1: none */
	pthread_t	 w_thread;
	bool		 w_started;
	uint64_t	 w_loops;		/* progress, for the watchdog; atomic */
	uint8_t		*w_scratch;		/* [WORKER_SCRATCH_SIZE], mmap */
	uint32_t	 w_scratch_used;	/* bytes handed out since the flush */
	struct tbucket	 w_icmp_tb;		/* ICMP errors made (pmtu.c) */
};

/* Open <w>'s rings on every interface of <d>.  Control thread. 0/-errno. */
int	 worker_open(struct worker *w, struct uvsd *d, unsigned id,
	    const struct ring_opts *o);
int	 worker_start(struct worker *w);
/* Wait for a worker that saw d_stop, then close its rings. */
void	 worker_join(struct worker *w);
void	 worker_close(struct worker *w);

/*
 * Handle the frames of one RX block of ring <slot> (exposed for tests and
 * the fuzz target, which feed it hand-made blocks).
 */
void	 worker_block(struct worker *w, unsigned slot,
	    struct tpacket_block_desc *bd, uint32_t now);
/*
 * Drop what connection <c> holds (counts, references) before it goes back
 * to the pool: the release callback of conn_remove() and conn_expire().
 */
void	 worker_conn_release(struct conn *c, void *arg);
/* Send what worker_block() queued on every ring. */
void	 worker_flush(struct worker *w);

/*
 * <len> bytes of scratch (16-byte aligned) that stay valid until the
 * frames queued from them are sent; when the area is used up, everything
 * queued is sent first (worker_flush()) and it starts over, so callers
 * must queue a buffer before asking for the next one.  NULL only when
 * <len> exceeds the area.  Workers.
 */
uint8_t	*worker_scratch(struct worker *w, uint32_t len);
/*
 * Queue <len> bytes at <buf>, a struct vnet_hdr (RING_VNET_LEN bytes)
 * followed by an Ethernet frame, on the ring of interface slot <egress>;
 * <buf> lies in an RX block or in scratch.  A frame without a GSO type
 * must fit the egress MTU.  DROP_NONE or a DROP_* reason (not counted:
 * the caller counts).  Workers.
 */
int	 worker_tx(struct worker *w, unsigned egress, uint8_t *buf,
	    uint32_t len);

#endif
