/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf (cfg.h): libconfig's tree walked section by section, one cfg_
 * function each (global, timeouts, services, a service, a real server),
 * into a new struct cfg whose vs_conf is built with vsconf_add_svc() and
 * vsconf_add_rs(), so a file passes the same checks as uvsadm requests.
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
#include <regex.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "addr.h"
#include "arpnd.h"
#include "cfg.h"
#include "cfg_load.h"
#include "daemon.h"
#include "hc.h"
#include "health.h"
#include "sched/sched.h"
#include "sip.h"
#include "stats.h"
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
static int
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

/* Services and real servers */

enum {
	S_PROTO, S_ADDR, S_PORT, S_SCHED, S_METHOD, S_PTIMEOUT, S_PGRAN,
	S_FLAGS, S_OPS, S_RS, S_CHECK, S_SORRY, S_QUORUM, S_HYST, S_QUP,
	S_QDOWN, S_LADDRS, S_PROXY, S_PE, S__MAX
};

static const struct cfg_key svc_keys[] = {
	{ "protocol",			S_PROTO },
	{ "address",			S_ADDR },
	{ "port",			S_PORT },
	{ "scheduler",			S_SCHED },
	{ "lvs_sched",			S_SCHED },	/* keepalived */
	{ "method",			S_METHOD },
	{ "lvs_method",			S_METHOD },	/* keepalived */
	{ "persistence_timeout",	S_PTIMEOUT },
	{ "persistence_granularity",	S_PGRAN },
	{ "persistence_engine",		S_PE },
	{ "flags",			S_FLAGS },
	{ "ops",			S_OPS },
	{ "real_servers",		S_RS },
	{ "real_server",		S_RS },		/* keepalived */
	{ "check",			S_CHECK },
	{ "sorry_server",		S_SORRY },
	{ "quorum",			S_QUORUM },
	{ "hysteresis",			S_HYST },
	{ "quorum_up",			S_QUP },
	{ "quorum_down",		S_QDOWN },
	{ "local_addresses",		S_LADDRS },	/* fullnat */
	{ "proxy_protocol",		S_PROXY },
};

static const struct {
	const char	*f_name;
	uint32_t	 f_flag;
} svc_flags[] = {
	{ "flag-1",	 SVC_F_SCHED1 },
	{ "flag-2",	 SVC_F_SCHED2 },
	{ "flag-3",	 SVC_F_SCHED3 },
	{ "sh-fallback", SVC_F_SCHED1 },
	{ "sh-port",	 SVC_F_SCHED2 },
	{ "mh-fallback", SVC_F_SCHED1 },
	{ "mh-port",	 SVC_F_SCHED2 },
};

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
cfg_sched(struct cfg_load *ld, const config_setting_t *s, struct cfg_svc *cs)
{
	const char	*v;

	if (cfg_str(ld, s, &v) != 0) {
		cs->cs_bad = true;
		return;
	}
	if (strlen(v) < SCHED_NAME_MAX && sched_find(v) != NULL) {
		snprintf(cs->cs_sc.sc_sched, sizeof(cs->cs_sc.sc_sched), "%s",
		    v);
		return;
	}
	cs->cs_bad = true;
	cfg_err(ld, s, "unknown scheduler '%.64s'", v);
}

static void
cfg_flags(struct cfg_load *ld, const config_setting_t *s, struct cfg_svc *cs)
{
	const config_setting_t	*e;
	const char		*v;
	unsigned		 i, j, n;

	if (!cfg_is_list(ld, s)) {
		cs->cs_bad = true;
		return;
	}
	n = (unsigned)config_setting_length(s);
	for (i = 0; i < n; i++) {
		e = config_setting_get_elem(s, i);
		if (cfg_str(ld, e, &v) != 0) {
			cs->cs_bad = true;
			continue;
		}
		for (j = 0; j < nitems(svc_flags); j++)
			if (strcmp(v, svc_flags[j].f_name) == 0)
				break;
		if (j == nitems(svc_flags)) {
			cfg_err(ld, e, "unknown scheduler flag '%.64s'", v);
			cs->cs_bad = true;
			continue;
		}
		cs->cs_sc.sc_flags |= svc_flags[j].f_flag;
	}
}

/*
 * persistence_granularity: a contiguous dotted mask for an IPv4 service,
 * a prefix length 1..128 for IPv6 (ipvsadm -M).  Needs the address.
 */
static void
cfg_granularity(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs)
{
	struct in_addr	 m;
	const char	*v;
	long long	 len;
	uint32_t	 h;

	if (cs->cs_sc.sc_ep.ep_addr.a_af == AF_INET6) {
		if (cfg_int(ld, s, 1, 128, &len) != 0) {
			cs->cs_bad = true;
			return;
		}
		cs->cs_sc.sc_netmask = (uint32_t)len;
		return;
	}
	if (cfg_str(ld, s, &v) != 0) {
		cs->cs_bad = true;
		return;
	}
	h = 0;
	if (inet_pton(AF_INET, v, &m) == 1)
		h = ntohl(m.s_addr);
	if (h == 0 || (~h & (~h + 1)) != 0) {
		cfg_err(ld, s, "bad persistence_granularity '%.64s' (a "
		    "contiguous netmask such as 255.255.255.0)", v);
		cs->cs_bad = true;
		return;
	}
	cs->cs_sc.sc_netmask = m.s_addr;
}

/* The members of one service into <cs>; real servers come after. */
static void
cfg_service_members(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs)
{
	const config_setting_t	*seen[S__MAX] = { NULL }, *m;
	const char		*v;
	long long		 t;
	int			 i, id;

	for (i = 0; (m = config_setting_get_elem(s, (unsigned)i)) != NULL; i++) {
		if (cfg_ka_member(ld, m, cs->cs_ka, &cs->cs_bad))
			continue;
		if ((id = cfg_key_find(ld, m, svc_keys, nitems(svc_keys),
		    seen)) < 0) {
			cs->cs_bad = true;
			continue;
		}
		switch (id) {
		case S_PROTO:
			cs->cs_proto = m;
			if (cfg_str(ld, m, &v) != 0)
				cs->cs_bad = true;
			else if (strcasecmp(v, "tcp") == 0)
				cs->cs_sc.sc_proto = IPPROTO_TCP;
			else if (strcasecmp(v, "udp") == 0)
				cs->cs_sc.sc_proto = IPPROTO_UDP;
			else if (strcasecmp(v, "sctp") == 0)
				cs->cs_sc.sc_proto = IPPROTO_SCTP;
			else {
				cfg_err(ld, m, "unknown protocol '%.64s' (tcp, "
				    "udp or sctp)", v);
				cs->cs_bad = true;
			}
			break;
		case S_ADDR:
			cs->cs_addr = m;	/* cfg_service_group() */
			break;
		case S_PORT:
			cs->cs_port = m;
			break;
		case S_SCHED:
			cfg_sched(ld, m, cs);
			break;
		case S_METHOD:
			if (cfg_method_tun(ld, m, &cs->cs_method,
			    &cs->cs_tun) != 0)
				cs->cs_bad = true;
			break;
		case S_PTIMEOUT:
			if (cfg_int(ld, m, 0, CFG_PERSIST_MAX, &t) != 0) {
				cs->cs_bad = true;
			} else if (t > 0) {
				cs->cs_sc.sc_timeout = (uint32_t)t;
				cs->cs_sc.sc_flags |= SVC_F_PERSISTENT;
			}
			break;
		case S_PGRAN:
			cs->cs_gran = m;
			break;
		case S_FLAGS:
			cfg_flags(ld, m, cs);
			break;
		case S_OPS:
			cs->cs_ops_set = m;
			if (cfg_bool(ld, m, &cs->cs_ops) != 0)
				cs->cs_bad = true;
			break;
		case S_RS:
			cs->cs_rs = m;
			break;
		case S_CHECK:
			cs->cs_check = m;
			break;
		case S_SORRY:
			cs->cs_sorry = m;
			break;
		case S_LADDRS:
			if (cfg_laddrs(ld, m, cs->cs_sc.sc_laddr,
			    &cs->cs_sc.sc_nladdr) != 0)
				cs->cs_bad = true;
			break;
		case S_PE:
			cs->cs_pe_set = m;
			if (cfg_str(ld, m, &v) != 0)
				cs->cs_bad = true;
			else if (strcmp(v, "sip") == 0)
				cs->cs_sc.sc_pe = PE_SIP;
			else if (strcmp(v, "none") != 0) {
				cfg_err(ld, m, "unknown persistence engine "
				    "'%.64s' (sip or none)", v);
				cs->cs_bad = true;
			}
			break;
		case S_PROXY:
			if (cfg_int(ld, m, 0, 2, &t) != 0)
				cs->cs_bad = true;
			else
				cs->cs_sc.sc_proxy = (uint8_t)t;
			break;
		case S_QUORUM:
		case S_HYST:
			cs->cs_hs_set = true;
			if (cfg_int(ld, m, 0, INT32_MAX, &t) != 0)
				cs->cs_bad = true;
			else if (id == S_QUORUM)
				cs->cs_hs.hs_quorum = t;
			else
				cs->cs_hs.hs_hysteresis = t;
			break;
		default:
			cs->cs_hs_set = true;
			if (id == S_QUP ? cfg_strbuf(ld, m,
			    cs->cs_hs.hs_quorum_up,
			    sizeof(cs->cs_hs.hs_quorum_up)) : cfg_strbuf(ld, m,
			    cs->cs_hs.hs_quorum_down,
			    sizeof(cs->cs_hs.hs_quorum_down)))
				cs->cs_bad = true;
			break;
		}
	}
}

static void
cfg_service_one(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *cs);

static void
cfg_service(struct cfg_load *ld, const config_setting_t *s)
{
	static struct cfg_group	 g;	/* control thread only; 20 KiB */
	struct cfg_svc		 cs, one;
	unsigned		 i, j, before;

	if (!cfg_is_group(ld, s))
		return;
	memset(&cs, 0, sizeof(cs));
	cs.cs_method = XMIT_DR;
	cs.cs_hs.hs_quorum = 1;		/* keepalived's */
	cfg_service_members(ld, s, &cs);
	if (cs.cs_proto == NULL)
		cfg_err(ld, s, "service without 'protocol'");
	if (cs.cs_addr == NULL)
		cfg_err(ld, s, "service without 'address'");
	if (cs.cs_port == NULL)
		cfg_err(ld, s, "service without 'port'");
	if (cs.cs_proto == NULL || cs.cs_addr == NULL || cs.cs_port == NULL) {
		cs.cs_bad = true;
		cfg_service_one(ld, s, &cs);	/* its other errors */
		return;
	}
	if (cfg_service_group(ld, &cs, &g) != 0) {
		cs.cs_bad = true;
		cfg_service_one(ld, s, &cs);
		return;
	}
	before = ld->ld_total;
	for (i = 0; i < g.g_naddr; i++)
		for (j = 0; j < g.g_nport; j++) {
			one = cs;
			one.cs_sc.sc_ep.ep_addr = g.g_addr[i];
			one.cs_sc.sc_ep.ep_port = g.g_port[j];
			cfg_service_one(ld, s, &one);
			/* One report of what is wrong, not one per member. */
			if (ld->ld_total > before || ld->ld_nomem)
				return;
		}
}

/* A service of a known address and port (or a bad one, for its errors). */
static void
cfg_service_one(struct cfg_load *ld, const config_setting_t *s,
    struct cfg_svc *csp)
{
	struct cfg_svc	 cs = *csp;
	struct uvs_err	 err = { .e_line = 0 };
	unsigned	 i, n;
	bool		 added = false;
	int		 r;

	/* After the members: the method is the sorry server's default. */
	/* Real servers' checks start from it even without a type. */
	cfg_check_default(&cs.cs_hp);
	if (cfg_ka_apply(ld, cs.cs_ka, &cs.cs_hp) != 0)
		cs.cs_bad = true;
	if (cs.cs_check != NULL &&
	    (cfg_check(ld, cs.cs_check, &cs.cs_hp) != 0 ||
	    cfg_check_valid(ld, cs.cs_check, &cs.cs_hp) != 0))
		cs.cs_bad = true;
	if (cs.cs_sorry != NULL && cfg_sorry(ld, cs.cs_sorry, &cs) != 0)
		cs.cs_bad = true;
	/* Defaults of ipvsadm -M; the address family decides the form. */
	cs.cs_sc.sc_netmask = cs.cs_sc.sc_ep.ep_addr.a_af == AF_INET6 ? 128 :
	    0xffffffffU;
	/* Without a good address, its form is unknown: no second error. */
	if (cs.cs_gran != NULL && cs.cs_sc.sc_ep.ep_addr.a_af != 0)
		cfg_granularity(ld, cs.cs_gran, &cs);
	if (cs.cs_ops) {
		if (cs.cs_sc.sc_proto != IPPROTO_UDP) {
			cfg_err(ld, cs.cs_ops_set, "'ops' (one-packet "
			    "scheduling) is for udp services only");
			cs.cs_bad = true;
		} else {
			cs.cs_sc.sc_flags |= SVC_F_ONEPACKET;
		}
	}
	if (cs.cs_sc.sc_pe == PE_SIP && !cs.cs_bad &&
	    (cs.cs_sc.sc_proto != IPPROTO_UDP || cs.cs_sc.sc_timeout == 0)) {
		cfg_err(ld, cs.cs_pe_set, "persistence engine sip needs a "
		    "udp service with persistence_timeout");
		cs.cs_bad = true;
	}
	if (!cs.cs_bad) {
		r = vsconf_add_svc(ld->ld_cfg->cf_vc, &cs.cs_sc, &err);
		if (r != 0)
			cfg_err_vs(ld, s, r, &err);
		else {
			ld->ld_cfg->cf_nsvc++;
			added = true;
		}
	}
	cs.cs_hs.hs_first = ld->ld_hf != NULL ? ld->ld_hf->hf_nrs : 0;
	n = 0;
	if (cs.cs_rs != NULL && cfg_is_list(ld, cs.cs_rs))
		n = (unsigned)config_setting_length(cs.cs_rs);
	if (n > RS_PER_SVC_MAX) {
		cfg_err(ld, cs.cs_rs, "%u real servers, at most %u", n,
		    RS_PER_SVC_MAX);
		return;
	}
	for (i = 0; i < n && !ld->ld_nomem; i++)
		cfg_real_server(ld, config_setting_get_elem(cs.cs_rs, i), &cs,
		    added);
	/* Its checks follow the last service's: hs_first was right. */
	if (added && (cs.cs_hs.hs_nrs > 0 || cs.cs_hs.hs_sorry ||
	    cs.cs_hs_set)) {
		cs.cs_hs.hs_proto = cs.cs_sc.sc_proto;
		cs.cs_hs.hs_vip = cs.cs_sc.sc_ep;
		cfg_health_add(ld, &cs.cs_hs, NULL);
	}
}

static void
cfg_services(struct cfg_load *ld, const config_setting_t *s)
{
	unsigned	 i, n;

	if (!cfg_is_list(ld, s))
		return;
	n = (unsigned)config_setting_length(s);
	if (n > SVC_MAX) {
		cfg_err(ld, s, "%u services, at most %u", n, SVC_MAX);
		return;
	}
	for (i = 0; i < n && !ld->ld_nomem; i++)
		cfg_service(ld, config_setting_get_elem(s, i));
	if (ld->ld_cfg->cf_nsvc + ld->ld_cfg->cf_nrs > STATS_SLOTS)
		cfg_err(ld, s, "%u services and real servers, at most %u",
		    ld->ld_cfg->cf_nsvc + ld->ld_cfg->cf_nrs, STATS_SLOTS);
}

/*
 * Every service with a fullnat real server has a local address of its
 * family, its own or a global one, whichever came first in the file;
 * reported at the services list (the commit would refuse it too, later).
 */
static void
cfg_fullnat_laddrs(struct cfg_load *ld, const config_setting_t *list)
{
	const struct vs_conf *vc = ld->ld_cfg->cf_vc;
	const struct svc_conf *sc;
	const struct addr *la;
	char		 s[SVC_STRLEN];
	unsigned	 i, j, n;
	bool		 fullnat, ok;

	for (i = 0; vc != NULL && i < vc->vc_nsvc; i++) {
		sc = &vc->vc_svc[i];
		fullnat = false;
		for (j = 0; j < sc->sc_nrs; j++)
			fullnat |= sc->sc_rs[j].rc_method == XMIT_FULLNAT;
		la = sc->sc_nladdr ? sc->sc_laddr : vc->vc_laddr;
		n = sc->sc_nladdr ? sc->sc_nladdr : vc->vc_nladdr;
		for (ok = false, j = 0; j < n; j++)
			ok |= la[j].a_af == sc->sc_ep.ep_addr.a_af;
		if (fullnat && !ok) {
			cfg_err(ld, list, "%s: fullnat real servers need a "
			    "local address of its family (local_addresses)",
			    svc_fmt(sc->sc_proto, &sc->sc_ep, s, sizeof(s)));
			return;		/* one report, not one per service */
		}
	}
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
