/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf (cfg.h): libconfig's tree walked section by section, one cfg_
 * function each (global, timeouts, services, a service, a real server),
 * into a new struct cfg whose vs_conf is built with vsconf_add_svc() and
 * vsconf_add_rs(), so a file passes the same checks as uvsadm requests.
 * Services are walked in config_svc.c, real servers in config_rs.c,
 * checks in config_hc.c, service groups in config_group.c.
 *
 * Every member of a group is looked up in its section's table, so a typo
 * is an error, not a silently ignored setting.  Errors are collected, not
 * stopped at: a broken setting is reported at its line and the walk goes
 * on, so `uvsd -t` shows every mistake at once; only a service or real
 * server without errors reaches the vs_conf, which keeps one bad setting
 * from causing a cascade of others.  libconfig's parser itself stops at
 * its first syntax error.  No logging (STYLE §3).  Control thread, and
 * uvsd -t before anything starts.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "arpnd.h"
#include "cfg.h"
#include "cfg_load.h"
#include "daemon.h"
#include "hc.h"
#include "health.h"
#include "sched/sched.h"
#include "table.h"
#include "util.h"
#include "vsconf.h"
#include "xmit/xmit.h"

void
cfg_err(struct cfg_load *ld, const config_setting_t *s, const char *fmt, ...)
{
	struct uvs_err	*e;
	const char	*file = NULL;
	va_list		 ap;

	ld->ld_total++;
	if (ld->ld_n >= ld->ld_max || ld->ld_errs == NULL)
		return;
	e = &ld->ld_errs[ld->ld_n++];
	if (s != NULL)
		file = config_setting_source_file(s);
	snprintf(e->e_file, sizeof(e->e_file), "%s",
	    file != NULL ? file : ld->ld_name);
	e->e_line = s != NULL ? (int)config_setting_source_line(s) : 0;
	va_start(ap, fmt);
	vsnprintf(e->e_text, sizeof(e->e_text), fmt, ap);
	va_end(ap);
}

/* An error from the vsconf_* API, placed at <s>. */
void
cfg_err_vs(struct cfg_load *ld, const config_setting_t *s, int r,
    const struct uvs_err *err)
{
	if (r == -ENOMEM)
		ld->ld_nomem = true;
	cfg_err(ld, s, "%s", r == -ENOMEM ? "out of memory" : err->e_text);
}

/* The name a message gives <s>: its own, or its array's for an element. */
const char *
cfg_name(const config_setting_t *s)
{
	while (s != NULL && config_setting_name(s) == NULL)
		s = config_setting_parent(s);
	return s != NULL && config_setting_name(s) != NULL ?
	    config_setting_name(s) : "(top)";
}

int
cfg_int(struct cfg_load *ld, const config_setting_t *s, long long min,
    long long max, long long *ret)
{
	long long	 v;

	if (config_setting_type(s) != CONFIG_TYPE_INT &&
	    config_setting_type(s) != CONFIG_TYPE_INT64) {
		cfg_err(ld, s, "'%s' must be an integer", cfg_name(s));
		return -EINVAL;
	}
	v = config_setting_get_int64(s);
	if (v < min || v > max) {
		cfg_err(ld, s, "'%s': %lld out of range %lld..%lld",
		    cfg_name(s), v, min, max);
		return -EINVAL;
	}
	*ret = v;
	return 0;
}

int
cfg_str(struct cfg_load *ld, const config_setting_t *s, const char **ret)
{
	if (config_setting_type(s) != CONFIG_TYPE_STRING) {
		cfg_err(ld, s, "'%s' must be a string", cfg_name(s));
		return -EINVAL;
	}
	*ret = config_setting_get_string(s);
	return 0;
}

int
cfg_bool(struct cfg_load *ld, const config_setting_t *s, bool *ret)
{
	if (config_setting_type(s) != CONFIG_TYPE_BOOL) {
		cfg_err(ld, s, "'%s' must be true or false", cfg_name(s));
		return -EINVAL;
	}
	*ret = config_setting_get_bool(s) != 0;
	return 0;
}

/* A group, or a list/array of <what>; the setting itself if a scalar. */
bool
cfg_is_group(struct cfg_load *ld, const config_setting_t *s)
{
	if (config_setting_is_group(s))
		return true;
	cfg_err(ld, s, "'%s' must be a group { ... }", cfg_name(s));
	return false;
}

bool
cfg_is_list(struct cfg_load *ld, const config_setting_t *s)
{
	if (config_setting_is_list(s) || config_setting_is_array(s))
		return true;
	cfg_err(ld, s, "'%s' must be a list ( ... ) or [ ... ]", cfg_name(s));
	return false;
}

/*
 * The id of member <s> in <keys>[<n>], or -1 after reporting it as
 * unknown; a second spelling of a setting already given is an error too.
 */
int
cfg_key_find(struct cfg_load *ld, const config_setting_t *s,
    const struct cfg_key *keys, size_t n, const config_setting_t **seen)
{
	const char	*name = config_setting_name(s);
	size_t		 i;

	for (i = 0; i < n; i++)
		if (strcmp(keys[i].k_name, name) == 0)
			break;
	if (i == n) {
		cfg_err(ld, s, "unknown setting '%s'", name);
		return -1;
	}
	if (seen[keys[i].k_id] != NULL) {
		cfg_err(ld, s, "'%s' repeats '%s' of line %u", name,
		    config_setting_name(seen[keys[i].k_id]),
		    config_setting_source_line(seen[keys[i].k_id]));
		return -1;
	}
	seen[keys[i].k_id] = s;
	return (int)keys[i].k_id;
}

/* Global settings */

enum {
	G_INTERFACES, G_WORKERS, G_SOCKET, G_SOCKET_GROUP, G_CONN_MAX,
	G_TX_MODE, G_TIMEOUTS, G_EXPIRE_NODEST, G_MH_TABLE_SIZE, G_SERVICES,
	G_LADDRS, G_LPORTS, G_ANSWER, G__MAX
};

static const struct cfg_key global_keys[] = {
	{ "interfaces",		G_INTERFACES },
	{ "workers",		G_WORKERS },
	{ "socket",		G_SOCKET },
	{ "socket_group",	G_SOCKET_GROUP },
	{ "conn_max",		G_CONN_MAX },
	{ "tx_mode",		G_TX_MODE },
	{ "timeouts",		G_TIMEOUTS },
	{ "expire_nodest_conn",	G_EXPIRE_NODEST },
	{ "mh_table_size",	G_MH_TABLE_SIZE },
	{ "services",		G_SERVICES },
	{ "virtual_servers",	G_SERVICES },	/* keepalived's word */
	{ "local_addresses",	G_LADDRS },	/* fullnat */
	{ "local_port_range",	G_LPORTS },
	{ "answer_neighbours",	G_ANSWER },
};

/*
 * local_addresses = "A" or [ "A", ... ]: fullnat's LIPs, into <ret>
 * (at most LADDR_PER_SVC_MAX, no repeats).  0 or -EINVAL.
 */
int
cfg_laddrs(struct cfg_load *ld, const config_setting_t *s, struct addr *ret,
    uint8_t *ret_n)
{
	const config_setting_t	*e;
	struct addr		 a;
	unsigned		 i, j, n;
	int			 r = 0;

	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		n = 1;
	else if (!cfg_is_list(ld, s))
		return -EINVAL;
	else if ((n = (unsigned)config_setting_length(s)) == 0 ||
	    n > LADDR_PER_SVC_MAX) {
		cfg_err(ld, s, "'%s': 1 to %d addresses", cfg_name(s),
		    LADDR_PER_SVC_MAX);
		return -EINVAL;
	}
	*ret_n = 0;
	for (i = 0; i < n; i++) {
		e = config_setting_type(s) == CONFIG_TYPE_STRING ? s :
		    config_setting_get_elem(s, i);
		if (cfg_addr(ld, e, &a) != 0) {
			r = -EINVAL;
			continue;
		}
		for (j = 0; j < *ret_n; j++)
			if (addr_eq(&ret[j], &a))
				break;
		if (j < *ret_n) {
			cfg_err(ld, e, "local address given twice");
			r = -EINVAL;
			continue;
		}
		ret[(*ret_n)++] = a;
	}
	return r;
}

/*
 * answer_neighbours = true | false | "A" | [ "A", ... ]: answer ARP and
 * neighbour solicitations for every VIP, none, or the listed ones while
 * they are VIPs (arpnd.h).
 */
static void
cfg_answer(struct cfg_load *ld, const config_setting_t *s)
{
	struct arpnd		*an = &ld->ld_cfg->cf_arpnd;
	const config_setting_t	*e;
	struct addr		 a;
	unsigned		 i, j, n;
	bool			 b;

	memset(an, 0, sizeof(*an));
	ld->ld_cfg->cf_line[CFG_R_ANSWER] = config_setting_source_line(s);
	if (config_setting_type(s) == CONFIG_TYPE_BOOL) {
		if (cfg_bool(ld, s, &b) == 0)
			an->an_all = b;
		return;
	}
	if (config_setting_type(s) == CONFIG_TYPE_STRING)
		n = 1;
	else if (!cfg_is_list(ld, s))
		return;
	else if ((n = (unsigned)config_setting_length(s)) == 0 ||
	    n > ARPND_ADDR_MAX) {
		cfg_err(ld, s, "'answer_neighbours': true, false or 1 to %d "
		    "addresses", ARPND_ADDR_MAX);
		return;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_type(s) == CONFIG_TYPE_STRING ? s :
		    config_setting_get_elem(s, i);
		if (cfg_addr(ld, e, &a) != 0)
			continue;
		for (j = 0; j < an->an_n; j++)
			if (addr_eq(&an->an_addr[j], &a))
				break;
		if (j < an->an_n) {
			cfg_err(ld, e, "'answer_neighbours': address given "
			    "twice");
			continue;
		}
		an->an_addr[an->an_n++] = a;
	}
}

/* local_port_range = "LO-HI": fullnat's ports on every LIP. */
static void
cfg_lports(struct cfg_load *ld, const config_setting_t *s)
{
	struct cfg	*c = ld->ld_cfg;
	const char	*v;
	unsigned	 lo, hi;
	char		 end;

	if (cfg_str(ld, s, &v) != 0)
		return;
	if (sscanf(v, "%u-%u%c", &lo, &hi, &end) != 2 || lo == 0 ||
	    lo > hi || hi > 65535) {
		cfg_err(ld, s, "'local_port_range': \"LO-HI\" with "
		    "1 <= LO <= HI <= 65535, not '%.64s'", v);
		return;
	}
	c->cf_lport_lo = (uint16_t)lo;
	c->cf_lport_hi = (uint16_t)hi;
	c->cf_line[CFG_R_LPORTS] = config_setting_source_line(s);
}

static void
cfg_interfaces(struct cfg_load *ld, const config_setting_t *s)
{
	struct cfg		*c = ld->ld_cfg;
	const config_setting_t	*e;
	const char		*name;
	unsigned		 i, j, n;

	if (config_setting_type(s) == CONFIG_TYPE_STRING) {
		n = 1;
	} else if (!cfg_is_list(ld, s)) {
		return;
	} else if ((n = (unsigned)config_setting_length(s)) == 0) {
		cfg_err(ld, s, "'interfaces' is empty");
		return;
	} else if (n > IFACE_MAX) {
		cfg_err(ld, s, "%u interfaces, at most %d", n, IFACE_MAX);
		return;
	}
	for (i = 0; i < n; i++) {
		e = config_setting_type(s) == CONFIG_TYPE_STRING ? s :
		    config_setting_get_elem(s, i);
		if (cfg_str(ld, e, &name) != 0)
			continue;
		if (name[0] == '\0' || strlen(name) >= IF_NAMESIZE ||
		    strchr(name, '/') != NULL || strchr(name, ' ') != NULL) {
			cfg_err(ld, e, "bad interface name '%s'", name);
			continue;
		}
		for (j = 0; j < c->cf_nifs; j++)
			if (strcmp(c->cf_ifnames[j], name) == 0)
				break;
		if (j < c->cf_nifs) {
			cfg_err(ld, e, "interface '%s' given twice", name);
			continue;
		}
		snprintf(c->cf_ifnames[c->cf_nifs++], IF_NAMESIZE, "%s", name);
	}
	c->cf_line[CFG_R_INTERFACES] = config_setting_source_line(s);
}

enum { T_TCP, T_TCPFIN, T_UDP, T__MAX };

static const struct cfg_key timeout_keys[] = {
	{ "tcp",	T_TCP },
	{ "tcpfin",	T_TCPFIN },
	{ "udp",	T_UDP },
};

/* timeouts = { tcp = S; tcpfin = S; udp = S; }: ipvsadm --set. */
static void
cfg_timeouts(struct cfg_load *ld, const config_setting_t *s)
{
	const config_setting_t	*seen[T__MAX] = { NULL }, *m;
	struct cfg		*c = ld->ld_cfg;
	long long		 v;
	int			 i, id;

	if (!cfg_is_group(ld, s))
		return;
	for (i = 0; (m = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		id = cfg_key_find(ld, m, timeout_keys, nitems(timeout_keys),
		    seen);
		if (id < 0 || cfg_int(ld, m, 0, CFG_TIMEOUT_MAX, &v) != 0)
			continue;
		if (id == T_TCP)
			c->cf_to_tcp = (uint32_t)v;
		else if (id == T_TCPFIN)
			c->cf_to_tcpfin = (uint32_t)v;
		else
			c->cf_to_udp = (uint32_t)v;
	}
}

int
cfg_addr(struct cfg_load *ld, const config_setting_t *s, struct addr *ret)
{
	const char	*v;

	if (cfg_str(ld, s, &v) != 0)
		return -EINVAL;
	if (addr_parse(v, ret) != 0) {
		cfg_err(ld, s, "bad address '%s'", v);
		return -EINVAL;
	}
	return 0;
}

int
cfg_port(struct cfg_load *ld, const config_setting_t *s, uint16_t *ret)
{
	long long	 v;

	if (cfg_int(ld, s, 1, 65535, &v) != 0)
		return -EINVAL;
	*ret = htons((uint16_t)v);
	return 0;
}

static void
cfg_global(struct cfg_load *ld, const config_setting_t *root)
{
	const config_setting_t	*seen[G__MAX] = { NULL }, *m;
	struct cfg		*c = ld->ld_cfg;
	const char		*v;
	long long		 n;
	bool			 b;
	int			 i, id;

	for (i = 0; (m = config_setting_get_elem(root, (unsigned)i)) != NULL;
	    i++) {
		if ((id = cfg_key_find(ld, m, global_keys, nitems(global_keys),
		    seen)) < 0)
			continue;
		switch (id) {
		case G_INTERFACES:
			cfg_interfaces(ld, m);
			break;
		case G_WORKERS:
			if (cfg_int(ld, m, 0, CFG_WORKERS_MAX, &n) == 0)
				c->cf_workers = (unsigned)n;
			c->cf_line[CFG_R_WORKERS] = config_setting_source_line(m);
			break;
		case G_SOCKET:
			if (cfg_str(ld, m, &v) != 0)
				break;
			if (v[0] == '\0' || strlen(v) >= CFG_SOCKET_MAX)
				cfg_err(ld, m, "'socket': a path of 1 to %d "
				    "bytes", CFG_SOCKET_MAX - 1);
			else
				snprintf(c->cf_socket, sizeof(c->cf_socket),
				    "%s", v);
			c->cf_line[CFG_R_SOCKET] = config_setting_source_line(m);
			break;
		case G_SOCKET_GROUP:
			if (cfg_str(ld, m, &v) != 0)
				break;
			if (v[0] == '\0' || strlen(v) >= CFG_GROUP_MAX)
				cfg_err(ld, m, "'socket_group': a group name "
				    "of 1 to %d bytes", CFG_GROUP_MAX - 1);
			else
				snprintf(c->cf_socket_group,
				    sizeof(c->cf_socket_group), "%s", v);
			c->cf_line[CFG_R_SOCKET_GROUP] =
			    config_setting_source_line(m);
			break;
		case G_CONN_MAX:
			if (cfg_int(ld, m, CFG_CONN_MIN, CFG_CONN_MAX, &n) == 0)
				c->cf_conn_max = (uint32_t)n;
			c->cf_line[CFG_R_CONN_MAX] =
			    config_setting_source_line(m);
			break;
		case G_TX_MODE:
			if (cfg_str(ld, m, &v) != 0)
				break;
			if (strcmp(v, "mmsg") == 0)
				c->cf_tx_mode = TX_MMSG;
			else if (strcmp(v, "ring") == 0)
				c->cf_tx_mode = TX_RING;
			else
				cfg_err(ld, m, "unknown tx_mode '%.64s' (mmsg "
				    "or ring)", v);
			c->cf_line[CFG_R_TX_MODE] = config_setting_source_line(m);
			break;
		case G_TIMEOUTS:
			cfg_timeouts(ld, m);
			break;
		case G_EXPIRE_NODEST:
			if (cfg_bool(ld, m, &b) == 0)
				c->cf_expire_nodest_conn = b;
			break;
		case G_MH_TABLE_SIZE:
			if (cfg_int(ld, m, LLONG_MIN, LLONG_MAX, &n) != 0)
				break;
			if (n < 0 || !sched_mh_size_ok((unsigned long)n))
				cfg_err(ld, m, "'mh_table_size': %lld is not a "
				    "prime from %d to %d", n, SCHED_MH_SIZE_MIN,
				    SCHED_MH_SIZE_MAX);
			else
				c->cf_mh_table_size = (unsigned)n;
			break;
		case G_LADDRS:
			if (c->cf_vc != NULL) {
				uint8_t nl = 0;

				if (cfg_laddrs(ld, m, c->cf_vc->vc_laddr,
				    &nl) == 0)
					c->cf_vc->vc_nladdr = nl;
			}
			break;
		case G_LPORTS:
			cfg_lports(ld, m);
			break;
		case G_ANSWER:
			cfg_answer(ld, m);
			break;
		default:
			cfg_services(ld, m);
			break;
		}
	}
	cfg_fullnat_laddrs(ld, seen[G_SERVICES]);
	cfg_mh_fits(ld, seen[G_SERVICES]);
}

/* The shared part of both loads: <conf> is read (or not: <ok> false). */
static int
cfg_load(config_t *conf, bool ok, const char *name, struct cfg *ret,
    struct uvs_err *errs, unsigned nerrs_max, unsigned *ret_nerrs)
{
	struct cfg_load	 ld = { .ld_name = name, .ld_errs = errs,
			    .ld_max = nerrs_max };
	struct cfg	*c;
	const char	*file;

	if ((c = calloc(1, sizeof(*c))) == NULL)
		return -ENOMEM;
	c->cf_tx_mode = -1;
	ld.ld_cfg = c;
	if (!ok) {
		file = config_error_file(conf);
		if (errs != NULL && nerrs_max > 0)
			uvs_err_at(&errs[0], file != NULL ? file : name,
			    config_error_line(conf), "%s",
			    config_error_text(conf));
		ld.ld_n = errs != NULL && nerrs_max > 0 ? 1 : 0;
		ld.ld_total = 1;
	} else if ((c->cf_vc = vsconf_dup(NULL)) == NULL) {
		ld.ld_nomem = true;
	} else {
		cfg_global(&ld, config_root_setting(conf));
	}
	if (ret_nerrs != NULL)
		*ret_nerrs = ld.ld_n;
	c->cf_health = ld.ld_hf;
	if (ld.ld_total > 0 || ld.ld_nomem) {
		cfg_free(c);
		free(c);
		return ld.ld_nomem ? -ENOMEM : -EINVAL;
	}
	*ret = *c;
	free(c);
	return 0;
}

int
cfg_load_string(const char *text, const char *name, struct cfg *ret,
    struct uvs_err *errs, unsigned nerrs_max, unsigned *ret_nerrs)
{
	config_t	 conf;
	const char	*p;
	int		 line, r;

	/* libconfig would open any file named there. */
	if ((p = strstr(text, "@include")) != NULL) {
		for (line = 1; text < p; text++)
			line += *text == '\n';
		if (errs != NULL && nerrs_max > 0)
			uvs_err_at(&errs[0], name, line, "@include is not "
			    "allowed here");
		if (ret_nerrs != NULL)
			*ret_nerrs = errs != NULL && nerrs_max > 0 ? 1 : 0;
		return -EINVAL;
	}
	config_init(&conf);
	r = cfg_load(&conf, config_read_string(&conf, text) == CONFIG_TRUE,
	    name, ret, errs, nerrs_max, ret_nerrs);
	config_destroy(&conf);
	return r;
}

int
cfg_load_file(const char *path, struct cfg *ret, struct uvs_err *errs,
    unsigned nerrs_max, unsigned *ret_nerrs)
{
	config_t	 conf;
	FILE		*f;
	char		*dir, *slash;
	int		 r;

	/* libconfig says "file I/O error"; the user wants to know which. */
	if ((f = fopen(path, "r")) == NULL) {
		r = -errno;
		if (errs != NULL && nerrs_max > 0)
			uvs_err_at(&errs[0], path, 0, "cannot read: %s",
			    strerror(-r));
		if (ret_nerrs != NULL)
			*ret_nerrs = errs != NULL && nerrs_max > 0 ? 1 : 0;
		return r;
	}
	fclose(f);
	if ((dir = strdup(path)) == NULL)
		return -ENOMEM;
	config_init(&conf);
	if ((slash = strrchr(dir, '/')) != NULL) {
		slash[slash == dir ? 1 : 0] = '\0';
		config_set_include_dir(&conf, dir);
	}
	r = cfg_load(&conf, config_read_file(&conf, path) == CONFIG_TRUE,
	    path, ret, errs, nerrs_max, ret_nerrs);
	config_destroy(&conf);
	free(dir);
	return r;
}

void
cfg_free(struct cfg *c)
{
	if (c == NULL)
		return;
	vsconf_free(c->cf_vc);
	c->cf_vc = NULL;
	health_conf_free(c->cf_health);
	c->cf_health = NULL;
}

const char *
cfg_restart_name(int which)
{
	static const char *const names[CFG_R__MAX] = {
		[CFG_R_INTERFACES] = "interfaces",
		[CFG_R_WORKERS] = "workers",
		[CFG_R_SOCKET] = "socket",
		[CFG_R_SOCKET_GROUP] = "socket_group",
		[CFG_R_CONN_MAX] = "conn_max",
		[CFG_R_TX_MODE] = "tx_mode",
		[CFG_R_LPORTS] = "local_port_range",
		[CFG_R_ANSWER] = "answer_neighbours",
	};

	return which >= 0 && which < CFG_R__MAX ? names[which] : "?";
}

int
cfg_restart_diff(const struct cfg *old, const struct cfg *new,
    const char *name, struct uvs_err *err)
{
	unsigned	 i;
	int		 which = -1;

	if (old->cf_nifs != new->cf_nifs)
		which = CFG_R_INTERFACES;
	for (i = 0; which < 0 && i < new->cf_nifs; i++)
		if (strcmp(old->cf_ifnames[i], new->cf_ifnames[i]) != 0)
			which = CFG_R_INTERFACES;
	if (which < 0 && old->cf_workers != new->cf_workers)
		which = CFG_R_WORKERS;
	if (which < 0 && strcmp(old->cf_socket, new->cf_socket) != 0)
		which = CFG_R_SOCKET;
	if (which < 0 &&
	    strcmp(old->cf_socket_group, new->cf_socket_group) != 0)
		which = CFG_R_SOCKET_GROUP;
	if (which < 0 && old->cf_conn_max != new->cf_conn_max)
		which = CFG_R_CONN_MAX;
	if (which < 0 && old->cf_tx_mode != new->cf_tx_mode)
		which = CFG_R_TX_MODE;
	if (which < 0 && (old->cf_lport_lo != new->cf_lport_lo ||
	    old->cf_lport_hi != new->cf_lport_hi))
		which = CFG_R_LPORTS;
	if (which < 0 && (old->cf_arpnd.an_all != new->cf_arpnd.an_all ||
	    old->cf_arpnd.an_n != new->cf_arpnd.an_n ||
	    memcmp(old->cf_arpnd.an_addr, new->cf_arpnd.an_addr,
	    new->cf_arpnd.an_n * sizeof(new->cf_arpnd.an_addr[0])) != 0))
		which = CFG_R_ANSWER;
	if (which < 0)
		return 0;
	uvs_err_at(err, name, (int)new->cf_line[which], "'%s' changed: it "
	    "takes a restart of uvsd, not a reload", cfg_restart_name(which));
	return -EINVAL;
}
