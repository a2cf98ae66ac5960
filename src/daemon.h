/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The running daemon as one struct: what the control thread's parts
 * (command handlers, the socket, timers) reach through.  daemon.c starts
 * and stops the parts in order; uvsd.c only parses options.  A test can
 * build a struct uvsd with no interfaces and no workers and call the
 * command handlers on it (daemon_init_tables()).
 */
#ifndef UVS_DAEMON_H
#define UVS_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "arpnd.h"
#include "conn_tcp.h"
#include "iface.h"

struct arpnd_mc;
struct laddr_set;
struct cfg;
struct conn_table;
struct epoch;
struct ev_loop;
struct health;
struct neigh;
struct nft;
struct table;
struct table_ctl;
struct vs_conf;
struct worker;
struct wstats;
struct ctl;
struct uvs_err;

enum tx_mode {
	TX_MMSG = 0,		/* sendmmsg() with iovecs into the RX block */
	TX_RING,		/* copy into a TX ring, one kick per block */
};

struct uvsd_opts {
	const char	*o_ifnames[IFACE_MAX];
	unsigned	 o_nifs;
	unsigned	 o_workers;	/* 0: one per CPU */
	const char	*o_socket;	/* admin socket path */
	bool		 o_foreground;
	uint32_t	 o_conn_max;	/* connection table maximum */
	unsigned	 o_block_size;	/* RX ring block bytes */
	unsigned	 o_block_nr;	/* RX ring blocks */
	int		 o_tx_mode;	/* TX_* */
	bool		 o_qdisc_bypass;
	const char	*o_config;	/* -f: configuration file, NULL: none */
	const char	*o_socket_group; /* admin socket's group, NULL: root's */
	bool		 o_expire_nodest_conn; /* drop a removed server's flows */
	unsigned	 o_mh_table_size; /* --mh-table-size; 0: the file's */
	int		 o_loglevel;	/* LOG_* */
	uint16_t	 o_lport_lo;	/* fullnat local ports (host order) */
	uint16_t	 o_lport_hi;
	struct arpnd	 o_arpnd;	/* answer_neighbours (fixed at start) */
};

struct uvsd {
	struct uvsd_opts d_opts;
	struct iface	 d_ifs[IFACE_MAX];
	unsigned	 d_nifs;
	unsigned	 d_nworkers;
	struct worker	**d_workers;	/* [d_nworkers] */
	struct wstats	**d_wstats;	/* [max(d_nworkers, 1)], for summing */
	struct epoch	*d_epoch;
	struct table_ctl *d_tables;
	struct conn_table *d_conns;
	struct laddr_set *d_laddrs;	/* fullnat LIPs and their ports */
	struct nft	*d_nft;
	struct arpnd	*d_arpnd;	/* &d_opts.o_arpnd if it answers; NULL: none */
	struct arpnd_mc	*d_arpnd_mc;	/* solicited-node groups joined */
	struct neigh	*d_neigh;
	struct ctl	*d_ctl;
	struct ev_loop	*d_loop;
	time_t		 d_started;	/* wall clock */
	uint64_t	 d_commits;	/* successful table commits */
	time_t		 d_reload_time;	/* last reload, 0: never */
	int		 d_reload_result; /* 0 or -errno */
	char		 d_reload_msg[600]; /* "file:line: reason" when it failed */
	struct cfg	*d_cfg;		/* -f's file as last applied; NULL: none */
	struct health	*d_health;	/* health checks; NULL: none (tests) */
	struct vs_conf	*d_conf;	/* as configured while checks derive
					   what runs; NULL: table_conf() */
	volatile int	 d_stop;	/* workers and reaper leave */
};

/* Defaults into <o>. */
void	 daemon_opts_default(struct uvsd_opts *o);
/*
 * The parts that need no privileges and no interfaces: epoch, tables,
 * connection table, stats for <nstats> workers (at least one).  Tests use
 * it alone; daemon_run() calls it first.  0 or -errno.
 */
int	 daemon_init_tables(struct uvsd *d, unsigned nstats);
void	 daemon_free_tables(struct uvsd *d);
/* Start everything, run the loop until SIGTERM/SIGINT, stop. Exit code. */
int	 daemon_run(struct uvsd *d);

/*
 * Re-read the configuration file, validate it whole, and apply only the
 * difference; on error nothing changes, <err> says why (file:line), and
 * the result is kept for status.  sd_notify RELOADING=1/READY=1 around.
 * -ENOENT without a file.  Control thread (SIGHUP, the reload verb).
 */
int	 daemon_reload(struct uvsd *d, struct uvs_err *err);
/*
 * The configuration as uvsadm and uvsd.conf made it: what listings show
 * and edits start from.  With health checks, what runs is derived from
 * it (health.h); without, it is table_conf().  Never NULL.
 */
const struct vs_conf *daemon_conf(const struct uvsd *d);
/*
 * Make <vc> the configuration: commit what health checks derive of it.
 * On success the daemon owns <vc>; on error (table_commit()'s) nothing
 * changed and the caller still owns it.  Counts the commit and resolves
 * next hops.  Control thread.
 */
int	 daemon_commit(struct uvsd *d, struct vs_conf *vc, struct uvs_err *err);
/* After a table commit: resolve new real servers' next hops at once. */
void	 daemon_after_commit(struct uvsd *d);
/* The worker count uvsd would use with <o>. */
unsigned daemon_nworkers(const struct uvsd_opts *o);

#endif
