/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Deferred freeing for what workers read without locks (snapshots, real
 * server states): quiescent-state-based reclamation.  The control thread
 * defers an object with the current generation and bumps it; every worker
 * reports, between batches, the generation it has seen; an object is
 * freed once every worker has reported a generation past the one it was
 * deferred in.  Workers never block and never free.
 */
#ifndef UVS_EPOCH_H
#define UVS_EPOCH_H

#include <stdint.h>

#define EPOCH_READERS_MAX	256

struct epoch;

/* <nreaders> readers (workers), numbered 0..nreaders-1.  Control thread. */
struct epoch *epoch_new(unsigned nreaders);
/* Free everything still deferred, then the epoch. */
void	 epoch_free(struct epoch *e);
/* Reader <r> holds no pointer obtained before this call.  Worker. */
void	 epoch_quiescent(struct epoch *e, unsigned r);
/*
 * Reader <r> is going to sleep for a while (poll): it holds nothing and
 * will call epoch_quiescent() before it reads again.  Worker.
 */
void	 epoch_offline(struct epoch *e, unsigned r);
/* Call <fn>(<p>) once no reader can hold <p>.  Control thread. */
void	 epoch_defer(struct epoch *e, void (*fn)(void *), void *p);
/* Run what can be freed now.  Returns how many are still waiting. */
unsigned epoch_reclaim(struct epoch *e);

#endif
