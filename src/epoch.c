/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Quiescent-state-based reclamation (epoch.h).
 *
 * One global generation, starting at 1.  Each reader owns a cache line
 * holding the generation it last saw, or 0 while it is offline.  The
 * control thread publishes a new pointer first, then defers the old
 * object with the current generation g and bumps the generation to g + 1:
 * a reader that has since reported g + 1 loaded the generation after the
 * publish, so it can only see the new pointer.  An object deferred in g
 * is freed once every online reader has reported at least g + 1; offline
 * readers hold nothing and are skipped.
 *
 * epoch_quiescent() and epoch_offline() run in workers and only store to
 * their own line; everything else runs in the control thread.
 */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>

#include "epoch.h"

#define EPOCH_LINE	64

struct epoch_reader {
	uint64_t	 er_seen;	/* generation last seen; 0: offline */
	char		 er_pad[EPOCH_LINE - sizeof(uint64_t)];
};

struct epoch_item {
	struct epoch_item *ei_next;
	void		(*ei_fn)(void *);
	void		*ei_p;
	uint64_t	 ei_gen;	/* generation it was deferred in */
};

struct epoch {
	uint64_t	 e_gen;		/* atomic; the control thread bumps it */
	unsigned	 e_nreaders;
	unsigned	 e_nwait;	/* items on the list */
	struct epoch_item *e_head;	/* oldest first: generations ascend */
	struct epoch_item **e_tail;
	struct epoch_reader *e_readers;	/* [e_nreaders], line aligned */
};

struct epoch *
epoch_new(unsigned nreaders)
{
	struct epoch	*e;
	unsigned	 i;

	if (nreaders > EPOCH_READERS_MAX)
		return NULL;
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return NULL;
	e->e_gen = 1;
	e->e_nreaders = nreaders;
	e->e_tail = &e->e_head;
	if (nreaders > 0) {
		e->e_readers = aligned_alloc(EPOCH_LINE,
		    nreaders * sizeof(*e->e_readers));
		if (e->e_readers == NULL) {
			free(e);
			return NULL;
		}
		/*
		 * Readers start online, as if they had seen generation 1: a
		 * worker that reads before its first report still blocks
		 * reclamation of everything deferred from now on.
		 */
		for (i = 0; i < nreaders; i++)
			e->e_readers[i].er_seen = 1;
	}
	return e;
}

void
epoch_free(struct epoch *e)
{
	struct epoch_item *it;

	if (e == NULL)
		return;
	/* A freed object may defer another one: pop until empty. */
	while ((it = e->e_head) != NULL) {
		e->e_head = it->ei_next;
		if (e->e_head == NULL)
			e->e_tail = &e->e_head;
		it->ei_fn(it->ei_p);
		free(it);
	}
	free(e->e_readers);
	free(e);
}

void
epoch_quiescent(struct epoch *e, unsigned r)
{
	uint64_t	 g;

	g = __atomic_load_n(&e->e_gen, __ATOMIC_SEQ_CST);
	__atomic_store_n(&e->e_readers[r].er_seen, g, __ATOMIC_SEQ_CST);
	/*
	 * Coming back from offline, the store above must be visible before
	 * the next load of a published pointer, or the control thread could
	 * still read 0 here and free what that load returns (store-load
	 * order needs a full fence; the matching one is in epoch_reclaim).
	 */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

void
epoch_offline(struct epoch *e, unsigned r)
{
	__atomic_store_n(&e->e_readers[r].er_seen, 0, __ATOMIC_RELEASE);
}

void
epoch_defer(struct epoch *e, void (*fn)(void *), void *p)
{
	struct epoch_item *it;

	/*
	 * Without memory we cannot wait: rather than free <p> under a
	 * reader, keep it (a leak, but the control thread has no way to
	 * report it here and allocation failures are fatal elsewhere).
	 */
	if ((it = malloc(sizeof(*it))) == NULL)
		return;
	it->ei_next = NULL;
	it->ei_fn = fn;
	it->ei_p = p;
	it->ei_gen = __atomic_load_n(&e->e_gen, __ATOMIC_RELAXED);
	*e->e_tail = it;
	e->e_tail = &it->ei_next;
	e->e_nwait++;
	__atomic_add_fetch(&e->e_gen, 1, __ATOMIC_SEQ_CST);
}

unsigned
epoch_reclaim(struct epoch *e)
{
	struct epoch_item *it;
	uint64_t	 min = UINT64_MAX, s;
	unsigned	 i;

	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	for (i = 0; i < e->e_nreaders; i++) {
		s = __atomic_load_n(&e->e_readers[i].er_seen, __ATOMIC_SEQ_CST);
		/* Offline: holds nothing, is past everything. */
		if (s != 0 && s < min)
			min = s;
	}
	while ((it = e->e_head) != NULL && it->ei_gen < min) {
		e->e_head = it->ei_next;
		if (e->e_head == NULL)
			e->e_tail = &e->e_head;
		e->e_nwait--;
		it->ei_fn(it->ei_p);
		free(it);
	}
	return e->e_nwait;
}
