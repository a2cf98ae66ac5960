/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What the control protocol's two halves share: ctl_cmd.c (the verb
 * table, parsing, edits, batches) and ctl_list.c (listings, counters,
 * timeouts, connections).  Private to those files.
 */
#ifndef UVS_CTL_CMD_INT_H
#define UVS_CTL_CMD_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"
#include "ctl_cmd.h"

struct counters;
struct rates;
struct rbuf;
struct uvs_err;
struct uvsd;
struct vs_conf;

#define QUOTE_MAX	64		/* user input quoted back in errors */
#define TIMEOUT_MAX	(86400 * 31)	/* ipvsadm's MAX_TIMEOUT */
#define THRESH_MAX	65535

/* What a handler works with. */
struct cmd_ctx {
	struct uvsd	*x_d;
	struct ctl_session *x_s;	/* may be NULL */
	struct vs_conf	*x_vc;		/* CMD_F_EDIT: the copy to edit */
	struct rbuf	*x_out;
	struct uvs_err	*x_err;
};

#define CMD_F_EDIT	0x01	/* changes the configuration */
#define CMD_F_NOBATCH	0x02	/* refused inside a batch */

struct ctl_cmd {
	const char	*cc_name;
	int		 cc_minargs;	/* words after the verb */
	int		 cc_maxargs;
	unsigned	 cc_flags;	/* CMD_F_* */
	int		(*cc_fn)(struct cmd_ctx *x, int argc, char **argv);
	const char	*cc_usage;
};

/* The verbs, in the order of ctl_cmds[]. */
enum {
	CMD_VERSION = 0,
	CMD_HELLO,
	CMD_STATUS,
	CMD_ADD_SERVICE,
	CMD_EDIT_SERVICE,
	CMD_DEL_SERVICE,
	CMD_CLEAR,
	CMD_ADD_SERVER,
	CMD_EDIT_SERVER,
	CMD_DEL_SERVER,
	CMD_LIST,
	CMD_STATS,
	CMD_ZERO,
	CMD_TIMEOUT,
	CMD_SET_TIMEOUT,
	CMD_CONNECTIONS,
	CMD_BEGIN,
	CMD_COMMIT,
	CMD_ABORT,
	CMD_RELOAD,
	CMD_HEALTH,
	CMD_HELP,
	CMD__MAX
};

extern const struct ctl_cmd ctl_cmds[CMD__MAX];

/* ctl_cmd.c's helpers that ctl_list.c uses. */
/* <c>'s usage as the error; -EINVAL. */
int	 usage_err(const struct ctl_cmd *c, struct uvs_err *err);
/* argv[1] (protocol) and argv[2] (VIP:port) of a request. */
int	 parse_svc(char **argv, int *ret_proto, struct ep *ret_vip,
	    struct uvs_err *err);
/* A decimal number of at most <max>, named <what> in the error. */
int	 parse_num(const char *s, const char *what, unsigned long max,
	    uint32_t *ret, struct uvs_err *err);
/* "dr", "nat", ...: a method's protocol word. */
const char *method_name(int m);
/* How many workers' counters there are. */
unsigned nstats(const struct uvsd *d);
/* -M's default for family <af>. */
uint32_t netmask_default(int af);
/* Slot <slot> summed over the workers, less its -Z base, and its rates. */
void	 slot_get(struct uvsd *d, uint32_t slot, struct counters *ret,
	    struct rates *ret_rates);

/* More of ctl_cmd.c's helpers, for ctl_edit.c. */
/*
 * <s> made safe to quote back: control bytes become '?' (a reply line
 * must stay one line and a terminal must stay sane), and it is cut at
 * QUOTE_MAX bytes.
 */
const char *quote(const char *s, char *buf, size_t len);
/* A real server without a port takes its service's. */
int	 parse_rip(const char *s, const struct ep *vip, struct ep *ret,
	    struct uvs_err *err);
/*
 * Keyword arguments "key value ..." in argv[0..argc-1] into the matching
 * <vals>[i] of <keys>[i]; every key at most once.  A key in <bare> may
 * also stand alone, or take "on" or "off": alone it reads "on".  -EINVAL
 * on anything else (the caller answers with its usage).
 */
int	 parse_kw(int argc, char **argv, const char *const *keys,
	    const char **vals, size_t nkeys, const char *bare);
/* A scheduler's name into <ret> (SCHED_NAME_MAX bytes). */
int	 parse_sched(const char *s, char *ret, struct uvs_err *err);
/* A v4 mask must be contiguous: what persistence granularity means. */
int	 parse_netmask(const char *s, int af, uint32_t *ret,
	    struct uvs_err *err);
int	 parse_flags(const char *s, uint32_t *ret, struct uvs_err *err);
int	 parse_method(const char *s, uint8_t *ret, struct uvs_err *err);
int	 parse_weight(const char *s, int32_t *ret, struct uvs_err *err);

/* ctl_edit.c: handlers; argv[0] is the verb, 0 or -errno (x_err). */
int	 cmd_add_service(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_edit_service(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_del_service(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_clear(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_add_server(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_edit_server(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_del_server(struct cmd_ctx *x, int argc, char **argv);

/* ctl_list.c: handlers; argv[0] is the verb, 0 or -errno (x_err). */
int	 cmd_list(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_stats(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_zero(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_timeout(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_set_timeout(struct cmd_ctx *x, int argc, char **argv);
int	 cmd_connections(struct cmd_ctx *x, int argc, char **argv);

#endif
