/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Persistence (ipvsadm -p, -M): the real server for a new flow of a
 * persistent service comes from a template, a connection-table entry
 * keyed (CIP & netmask):0 -> VIP:vport, as IPVS's ip_vs_sched_persist()
 * does.  Workers, under the template's shard lock only; the caller holds
 * no other shard lock.
 */
#ifndef UVS_PERSIST_H
#define UVS_PERSIST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct conn;
struct conn_table;
struct rs;
struct svc;
struct tuple;

/* The template key of client tuple <t> of service <svc>, into <ret>. */
void	 persist_key(const struct svc *svc, const struct tuple *t,
	    struct tuple *ret);
/*
 * The real server of <svc> (persistent) for the new flow <t>: its
 * template's if the template's real server is still in <svc> (weight 0
 * and overload do not matter, as in IPVS with expire_quiescent_template
 * 0), else the scheduler's, recorded in a template made or rebound for
 * it.  The template's expiry moves to <now> + svc_timeout.  With
 * <control>, the template counts one more controlled connection and
 * comes back in <ret_tpl>: the caller stores it in the new connection's
 * c_ctl, or calls persist_unref() if it makes none.  Returns DROP_NONE
 * and <ret_rs>, or DROP_NO_DEST, DROP_CONN_FULL.
 */
int	 persist_schedule(struct conn_table *ct, const struct svc *svc,
	    const struct tuple *t, uint32_t now, bool control,
	    struct rs **ret_rs, struct conn **ret_tpl);
/*
 * persist_schedule() with a persistence engine's data: the <pelen> bytes
 * at <pe> (1..CONN_PE_MAX; NULL: none) are part of the template's key,
 * compared whole.  DROP_CONN_FULL also when no pe slot is left.
 */
int	 persist_schedule_pe(struct conn_table *ct, const struct svc *svc,
	    const struct tuple *t, const void *pe, size_t pelen, uint32_t now,
	    bool control, struct rs **ret_rs, struct conn **ret_tpl);
/* Drop a controlled connection's count on template <tpl> (may be NULL). */
void	 persist_unref(struct conn *tpl);
/*
 * What a template holds, dropped before it goes back to the pool (from
 * the connection release callback).
 */
void	 persist_release(struct conn *tpl);

#endif
