/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf: a libconfig file read into a new struct cfg, global settings
 * and a fresh struct vs_conf built with the vsconf_* API, so that a file
 * passes exactly the checks an uvsadm request passes.  Nothing here
 * touches what runs: the caller commits the result (start-up, reload).
 * Every refusal names file:line.  (The header is not "config.h": that
 * name is autoconf's, included first by every .c.)  Control thread and
 * uvsd -t; pure code apart from reading the file.
 */
#ifndef UVS_CFG_H
#define UVS_CFG_H

#include <stdbool.h>
#include <stdint.h>

#include "arpnd.h"
#include "iface.h"

struct health_conf;
struct uvs_err;
struct vs_conf;

#define CFG_SOCKET_MAX	108	/* sizeof(sun_path), NUL included */
#define CFG_GROUP_MAX	64	/* a group name, NUL included */
#define CFG_TIMEOUT_MAX	2678400	/* 31 days, as ipvsadm --set */
#define CFG_PERSIST_MAX	2678400	/* persistence_timeout, as ipvsadm -p */
#define CFG_WORKERS_MAX	256
#define CFG_CONN_MIN	64
#define CFG_CONN_MAX	(1U << 26)
#define CFG_ERRS_MAX	32	/* errors a caller usually collects */

/* Global settings a running uvsd cannot take without a restart. */
enum cfg_restart {
	CFG_R_INTERFACES = 0,
	CFG_R_WORKERS,
	CFG_R_SOCKET,
	CFG_R_SOCKET_GROUP,
	CFG_R_CONN_MAX,
	CFG_R_TX_MODE,
	CFG_R_LPORTS,
	CFG_R_ANSWER,
	CFG_R__MAX
};

struct cfg {
	char		 cf_ifnames[IFACE_MAX][IF_NAMESIZE]; /* [cf_nifs] */
	unsigned	 cf_nifs;	/* 0: not set */
	unsigned	 cf_workers;	/* 0: not set (one per CPU) */
	char		 cf_socket[CFG_SOCKET_MAX]; /* "": not set */
	char		 cf_socket_group[CFG_GROUP_MAX]; /* "": not set */
	uint32_t	 cf_conn_max;	/* 0: not set */
	int		 cf_tx_mode;	/* TX_* of daemon.h; -1: not set */
	uint32_t	 cf_to_tcp;	/* ESTABLISHED seconds; 0: IPVS's */
	uint32_t	 cf_to_tcpfin;	/* FIN_WAIT seconds; 0: IPVS's */
	uint32_t	 cf_to_udp;	/* UDP seconds; 0: IPVS's */
	bool		 cf_expire_nodest_conn; /* drop a removed server's flows */
	unsigned	 cf_mh_table_size; /* mh's M, a prime; 0: not set */
	uint16_t	 cf_lport_lo;	/* fullnat ports; 0: not set */
	uint16_t	 cf_lport_hi;
	struct arpnd	 cf_arpnd;	/* answer_neighbours; zero: none */
	unsigned	 cf_line[CFG_R__MAX]; /* where each was set; 0: not */
	unsigned	 cf_nsvc;	/* services in cf_vc */
	unsigned	 cf_nrs;	/* real servers in cf_vc, all services */
	struct vs_conf	*cf_vc;		/* owned; NULL once committed */
	struct health_conf *cf_health;	/* owned; NULL: no checks (health.h) */
};

/*
 * Read file <path> into <ret> (overwritten; free with cfg_free()).  On
 * error <ret> holds nothing to free, up to <nerrs_max> errors (file, line,
 * text) went to <errs>[] and their number to <ret_nerrs> (both may be
 * NULL/0).  A syntax error stops at the first; otherwise every setting is
 * checked and every error reported.  @include "x" is relative to <path>'s
 * directory.  Returns 0, -EINVAL (errors), -ENOENT/-EACCES/... (cannot
 * read, one error filled) or -ENOMEM.
 */
int	 cfg_load_file(const char *path, struct cfg *ret, struct uvs_err *errs,
	    unsigned nerrs_max, unsigned *ret_nerrs);
/*
 * The same for <text>, named <name> in messages (tests, the fuzzer).
 * @include is refused: a string has no directory to be relative to.
 */
int	 cfg_load_string(const char *text, const char *name, struct cfg *ret,
	    struct uvs_err *errs, unsigned nerrs_max, unsigned *ret_nerrs);
/* Free what <c> holds (its vs_conf); <c> itself is the caller's. NULL ok. */
void	 cfg_free(struct cfg *c);
/*
 * 0 if <new> sets the restart-only settings (enum cfg_restart) as <old>
 * did, else -EINVAL and <err> names the first that changed, at its line
 * in <new> (file <name>).
 */
int	 cfg_restart_diff(const struct cfg *old, const struct cfg *new,
	    const char *name, struct uvs_err *err);
/* "interfaces", "workers", ...: the setting's name in the file. */
const char *cfg_restart_name(int which);

#endif
