/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ipvsadm's command line (adm_opts.h).  One table lists every option
 * ipvsadm 1.31 knows, so that none is ever silently ignored: those uvsadm
 * implements set a command or an option, the others are refused as "not
 * supported yet".  The checks after parsing are ipvsadm's own: its
 * command/option matrix (commands_v_options[]), its defaults (wlc, -g,
 * weight 1) and its rule that a direct-routing real server listens on
 * the service's port, with its messages.  Pure code, uvsadm only.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "addr.h"
#include "adm_opts.h"
#include "proxyproto.h"
#include "sched/sched.h"
#include "sip.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

enum arg {
	ARG_NONE = 0,
	ARG_REQ,
	ARG_OPT,		/* -p [timeout] */
};

/* What an option is. */
enum opt_id {
	/* commands */
	O_ADD_SVC = 1, O_EDIT_SVC, O_DEL_SVC, O_CLEAR, O_ADD_RS, O_EDIT_RS,
	O_DEL_RS, O_LIST, O_ZERO, O_SET, O_SAVE, O_RESTORE, O_HELP, O_VERSION,
	/* options */
	O_TCP, O_UDP, O_SCTP, O_SCHED, O_PERSIST, O_NETMASK, O_SCHED_FLAGS, O_OPS,
	O_REAL, O_GATE, O_MASQ, O_WEIGHT, O_UTHRESH, O_LTHRESH, O_NUMERIC,
	O_CONN, O_TIMEOUT, O_STATS, O_RATE, O_THRESHOLDS, O_PERSISTCONN,
	O_TUN_INFO, O_EXACT, O_SORT, O_NOSORT, O_IPV6, O_SOCKET, O_HEALTH,
	O_FULLNAT, O_LADDR, O_PROXY, O_PE,
	O_IPIP, O_TUN_TYPE, O_TUN_PORT, O_TUN_NOCSUM, O_TUN_CSUM,
	O_TUN_REMCSUM,
	/* ipvsadm's that cannot work in uvsd: refused with the reason */
	O_FWMARK,
	/* ipvsadm's, not implemented yet */
	O_LATER,
};

struct opt {
	const char	*o_long;
	char		 o_short;	/* 0: none */
	uint8_t		 o_arg;		/* ARG_* */
	uint8_t		 o_id;		/* O_* */
};

static const struct opt opts[] = {
	{ "add-service",	'A', ARG_NONE, O_ADD_SVC },
	{ "edit-service",	'E', ARG_NONE, O_EDIT_SVC },
	{ "delete-service",	'D', ARG_NONE, O_DEL_SVC },
	{ "clear",		'C', ARG_NONE, O_CLEAR },
	{ "list",		'L', ARG_NONE, O_LIST },
	{ "list",		'l', ARG_NONE, O_LIST },
	{ "zero",		'Z', ARG_NONE, O_ZERO },
	{ "add-server",		'a', ARG_NONE, O_ADD_RS },
	{ "edit-server",	'e', ARG_NONE, O_EDIT_RS },
	{ "delete-server",	'd', ARG_NONE, O_DEL_RS },
	{ "set",		0, ARG_NONE, O_SET },
	{ "help",		'h', ARG_NONE, O_HELP },
	{ "version",		'v', ARG_NONE, O_VERSION },
	{ "restore",		'R', ARG_NONE, O_RESTORE },
	{ "save",		'S', ARG_NONE, O_SAVE },
	{ "tcp-service",	't', ARG_REQ, O_TCP },
	{ "udp-service",	'u', ARG_REQ, O_UDP },
	{ "sctp-service",	0, ARG_REQ, O_SCTP },
	{ "scheduler",		's', ARG_REQ, O_SCHED },
	{ "persistent",		'p', ARG_OPT, O_PERSIST },
	{ "netmask",		'M', ARG_REQ, O_NETMASK },
	{ "sched-flags",	'b', ARG_REQ, O_SCHED_FLAGS },
	{ "ops",		'o', ARG_NONE, O_OPS },
	{ "real-server",	'r', ARG_REQ, O_REAL },
	{ "gatewaying",		'g', ARG_NONE, O_GATE },
	{ "masquerading",	'm', ARG_NONE, O_MASQ },
	{ "weight",		'w', ARG_REQ, O_WEIGHT },
	{ "u-threshold",	'x', ARG_REQ, O_UTHRESH },
	{ "l-threshold",	'y', ARG_REQ, O_LTHRESH },
	{ "numeric",		'n', ARG_NONE, O_NUMERIC },
	{ "connection",		'c', ARG_NONE, O_CONN },
	{ "timeout",		0, ARG_NONE, O_TIMEOUT },
	{ "stats",		0, ARG_NONE, O_STATS },
	{ "rate",		0, ARG_NONE, O_RATE },
	{ "thresholds",		0, ARG_NONE, O_THRESHOLDS },
	{ "persistent-conn",	0, ARG_NONE, O_PERSISTCONN },
	{ "tun-info",		0, ARG_NONE, O_TUN_INFO },
	{ "exact",		'X', ARG_NONE, O_EXACT },
	{ "sort",		0, ARG_NONE, O_SORT },
	{ "nosort",		0, ARG_NONE, O_NOSORT },
	{ "ipv6",		'6', ARG_NONE, O_IPV6 },
	{ "socket",		0, ARG_REQ, O_SOCKET },
	{ "health",		0, ARG_NONE, O_HEALTH },	/* uvsadm's */
	/* uvsadm's fullnat, long only: ipvsadm 1.31 has no such options */
	{ "fullnat",		0, ARG_NONE, O_FULLNAT },
	{ "laddr",		0, ARG_REQ, O_LADDR },
	{ "proxy-protocol",	0, ARG_REQ, O_PROXY },
	/* ipvsadm 1.31's others: fwmark, tunnels, sync daemon */
	{ "fwmark-service",	'f', ARG_REQ, O_FWMARK },
	{ "ipip",		'i', ARG_NONE, O_IPIP },
	{ "pe",			0, ARG_REQ, O_PE },
	{ "start-daemon",	0, ARG_REQ, O_LATER },
	{ "stop-daemon",	0, ARG_REQ, O_LATER },
	{ "daemon",		0, ARG_NONE, O_LATER },
	{ "mcast-interface",	0, ARG_REQ, O_LATER },
	{ "syncid",		0, ARG_REQ, O_LATER },
	{ "mcast-group",	0, ARG_REQ, O_LATER },
	{ "mcast-port",		0, ARG_REQ, O_LATER },
	{ "mcast-ttl",		0, ARG_REQ, O_LATER },
	{ "sync-maxlen",	0, ARG_REQ, O_LATER },
	{ "tun-type",		0, ARG_REQ, O_TUN_TYPE },
	{ "tun-port",		0, ARG_REQ, O_TUN_PORT },
	{ "tun-nocsum",		0, ARG_NONE, O_TUN_NOCSUM },
	{ "tun-csum",		0, ARG_NONE, O_TUN_CSUM },
	{ "tun-remcsum",	0, ARG_NONE, O_TUN_REMCSUM },
};

/* ipvsadm 1.31's option bits and names, for its checks and messages. */
enum {
	OPTC_NUMERIC = 0, OPTC_CONNECTION, OPTC_SERVICE, OPTC_SCHEDULER,
	OPTC_PERSISTENT, OPTC_NETMASK, OPTC_SERVER, OPTC_FORWARD,
	OPTC_WEIGHT, OPTC_UTHRESHOLD, OPTC_LTHRESHOLD, OPTC_MCAST,
	OPTC_TIMEOUT, OPTC_DAEMON, OPTC_STATS, OPTC_RATE, OPTC_THRESHOLDS,
	OPTC_PERSISTENTCONN, OPTC_NOSORT, OPTC_SYNCID, OPTC_EXACT,
	OPTC_ONEPACKET, OPTC_PERSISTENCE_ENGINE, OPTC_SCHED_FLAGS,
	OPTC_MCAST_GROUP, OPTC_MCAST_PORT, OPTC_MCAST_TTL, OPTC_SYNC_MAXLEN,
	OPTC_TUN_INFO, OPTC_TUN_TYPE, OPTC_TUN_PORT, OPTC_TUN_NOCSUM,
	OPTC_TUN_CSUM, OPTC_TUN_REMCSUM,
	OPTC__MAX
};

static const char *const optnames[OPTC__MAX] = {
	"numeric", "connection", "service-address", "scheduler",
	"persistent", "netmask", "real-server", "forwarding-method",
	"weight", "u-threshold", "l-threshold", "mcast-interface",
	"timeout", "daemon", "stats", "rate", "thresholds",
	"persistent-conn", "nosort", "syncid", "exact", "ops", "pe",
	"sched-flags", "mcast-group", "mcast-port", "mcast-ttl",
	"sync-maxlen", "tun-info", "tun-type", "tun-port", "tun-nocsum",
	"tun-csum", "tun-remcsum",
};

/* ipvsadm's commands, in the order of its cmdnames[] and matrix rows. */
enum {
	ROW_ADD = 0, ROW_EDIT, ROW_DEL, ROW_FLUSH, ROW_LIST, ROW_ADDSRV,
	ROW_DELSRV, ROW_EDITSRV, ROW_TIMEOUT, ROW_STARTD, ROW_STOPD,
	ROW_RESTORE, ROW_SAVE, ROW_ZERO,
	ROW__MAX
};

static const char *const cmdnames[ROW__MAX] = {
	"add-service", "edit-service", "delete-service", "flush", "list",
	"add-server", "delete-server", "edit-server", "set", "start-daemon",
	"stop-daemon", "restore", "save", "zero",
};

/*
 * ipvsadm 1.31's commands_v_options[]: '+' compulsory, 'x' illegal,
 * '1' exclusive (one of them at most), ' ' optional.
 */
static const char cmd_opts[ROW__MAX][OPTC__MAX + 1] = {
	/*		 n c s s p M r f w x y m t d s r t p s s e o p b g p t s t t t n c r */
	[ROW_ADD] =	"xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
	[ROW_EDIT] =	"xx+   xxxxxxxxxxxxxxx   xxxxxxxxxx",
	[ROW_DEL] =	"xx+xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ROW_FLUSH] =	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ROW_LIST] =	" 11xxxxxxxxx11       xxxxxxx xxxxx",
	[ROW_ADDSRV] =	"xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
	[ROW_DELSRV] =	"xx+xxx+xxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ROW_EDITSRV] =	"xx+xxx+    xxxxxxxxxxxxxxxxxx     ",
	[ROW_TIMEOUT] =	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ROW_STARTD] =	"xxxxxxxxxxx xxxxxxx xxxx    xxxxxx",
	[ROW_STOPD] =	"xxxxxxxxxxxxxxxxxxx xxxxxxxxxxxxxx",
	[ROW_RESTORE] =	"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ROW_SAVE] =	" xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
	[ROW_ZERO] =	"xx xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
};

struct parse;
static int	 tun_check(struct parse *p);

struct parse {
	const struct adm_resolver *p_res;
	struct adm_opts	*p_o;
	uint64_t	 p_optc;	/* 1 << OPTC_* given */
	const char	*p_svc;		/* -t/-u argument */
	const char	*p_rs;		/* -r argument */
	const char	*p_weight;
	const char	*p_persist;	/* -p argument, NULL: the default */
	const char	*p_netmask;
	const char	*p_sched_flags;
	const char	*p_uthresh;
	const char	*p_lthresh;
	char		*p_err;
	size_t		 p_errlen;
	const char	*p_prefix;	/* "uvsadm: " */
};

static int
fail(struct parse *p, int r, const char *fmt, ...) UVS_PRINTF(3, 4);

static int
fail(struct parse *p, int r, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	if (p->p_errlen == 0)
		return r;
	n = snprintf(p->p_err, p->p_errlen, "%s", p->p_prefix);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < p->p_errlen)
		vsnprintf(p->p_err + n, p->p_errlen - (size_t)n, fmt, ap);
	va_end(ap);
	return r;
}

/* ipvsadm's string_to_number(): strtol over the whole string. */
static long
str_to_num(const char *s, long min, long max)
{
	long	 v;
	char	*end;

	errno = 0;
	v = strtol(s, &end, 10);
	if (end == s || *end != '\0' || errno == ERANGE || v < min || v > max)
		return -1;
	return v;
}

#define TIMEOUT_MAX	(86400 * 31)	/* ipvsadm's MAX_TIMEOUT */

/* One of --set's values: ipvsadm's parse_timeout(buf, 0, MAX_TIMEOUT). */
static bool
set_value(struct parse *p, const char *s, uint32_t *ret)
{
	long	 v;

	(void)p;
	if ((v = str_to_num(s, 0, TIMEOUT_MAX)) == -1)
		return false;
	*ret = (uint32_t)v;
	return true;
}

static bool
all_digits(const char *s)
{
	for (; *s != '\0'; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/*
 * ipvsadm's parse_service(): "host", "host:port", "v6addr" or
 * "[v6addr]:port"; host is a dotted quad (inet_aton() spellings) or a
 * name, port a number or a service name.  A missing port is 0.
 */
static int
parse_addrport(struct parse *p, const char *arg, int proto, struct ep *ret)
{
	const struct adm_resolver *res = p->p_res;
	struct ep	 ep;
	struct in_addr	 in4;
	char		 buf[256], *host = buf, *port = NULL, *close;
	uint16_t	 pn;
	long		 n;

	memset(&ep, 0, sizeof(ep));
	if (*arg == '\0' || all_digits(arg) || strlen(arg) >= sizeof(buf))
		return -EINVAL;
	memcpy(buf, arg, strlen(arg) + 1);
	if (buf[0] == '[') {
		host = buf + 1;
		if ((close = strchr(host, ']')) == NULL || close[1] != ':')
			return -EINVAL;
		*close = '\0';
		port = close + 2;
		if (inet_pton(AF_INET6, host, &ep.ep_addr.a.v6) != 1)
			return -EINVAL;
		ep.ep_addr.a_af = AF_INET6;
	} else if (inet_pton(AF_INET6, host, &ep.ep_addr.a.v6) == 1)
		ep.ep_addr.a_af = AF_INET6;
	else {
		if ((port = strrchr(host, ':')) != NULL)
			*port++ = '\0';
		if (inet_aton(host, &in4) != 0)
			addr_set_v4(&ep.ep_addr, in4.s_addr);
		else if (*host == '\0' || res == NULL || res->ar_host == NULL ||
		    res->ar_host(host, &ep.ep_addr, res->ar_arg) != 0)
			return -EINVAL;
	}
	if (port != NULL) {
		if ((n = str_to_num(port, 0, 65535)) != -1)
			ep.ep_port = htons((uint16_t)n);
		else if (*port != '\0' && res != NULL && res->ar_port != NULL &&
		    res->ar_port(port, proto, &pn, res->ar_arg) == 0)
			ep.ep_port = htons(pn);
		else
			return -EINVAL;
	}
	*ret = ep;
	return 0;
}

static const struct opt *
find_long(const char *name, size_t len)
{
	size_t	 i;

	for (i = 0; i < nitems(opts); i++)
		if (strlen(opts[i].o_long) == len &&
		    strncmp(opts[i].o_long, name, len) == 0)
			return &opts[i];
	return NULL;
}

static const struct opt *
find_short(char c)
{
	size_t	 i;

	for (i = 0; i < nitems(opts); i++)
		if (opts[i].o_short == c)
			return &opts[i];
	return NULL;
}

static int
set_command(struct parse *p, int cmd)
{
	if (p->p_o->ao_cmd != ADM_NONE)
		return fail(p, -EINVAL, "multiple commands specified");
	p->p_o->ao_cmd = cmd;
	return 0;
}

static int
set_option(struct parse *p, int optc)
{
	if (p->p_optc & (1ULL << optc))
		return fail(p, -EINVAL, "multiple '%s' options specified",
		    optnames[optc]);
	p->p_optc |= 1ULL << optc;
	return 0;
}

static bool
sched_ok(const char *s)
{
	size_t	 i, n = strlen(s);

	if (n == 0 || n >= SCHED_NAME_MAX)
		return false;
	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			return false;
	return true;
}

/* A command: stop parsing after -h and -v (returns 1). */
static int
apply_command(struct parse *p, int id)
{
	static const struct { int id, cmd; } map[] = {
		{ O_ADD_SVC, ADM_ADD_SVC }, { O_EDIT_SVC, ADM_EDIT_SVC },
		{ O_DEL_SVC, ADM_DEL_SVC }, { O_CLEAR, ADM_CLEAR },
		{ O_ADD_RS, ADM_ADD_RS }, { O_EDIT_RS, ADM_EDIT_RS },
		{ O_DEL_RS, ADM_DEL_RS }, { O_LIST, ADM_LIST },
		{ O_ZERO, ADM_ZERO }, { O_SET, ADM_SET }, { O_SAVE, ADM_SAVE },
		{ O_RESTORE, ADM_RESTORE }, { O_HELP, ADM_HELP },
		{ O_VERSION, ADM_VERSION },
	};
	size_t	 i;
	int	 r;

	for (i = 0; i < nitems(map); i++)
		if (map[i].id == id)
			break;
	if ((r = set_command(p, map[i].cmd)) < 0)
		return r;
	return map[i].cmd == ADM_HELP || map[i].cmd == ADM_VERSION;
}

/* A listing format: its option bit and its ADM_FMT_* flag. */
static int
apply_format(struct parse *p, int optc, unsigned fmt)
{
	p->p_o->ao_fmt |= fmt;
	return set_option(p, optc);
}

/*
 * Apply option <o> (spelled <spell> on the command line) with <arg>.
 * Returns 1 when parsing stops here (-h, -v), 0, or -errno.
 */
static int
apply(struct parse *p, const struct opt *o, const char *spell,
    const char *arg)
{
	struct adm_opts	*ao = p->p_o;
	int		 r;

	if (o->o_id >= O_ADD_SVC && o->o_id <= O_VERSION)
		return apply_command(p, o->o_id);
	switch (o->o_id) {
	case O_TCP:
	case O_UDP:
	case O_SCTP:
		if ((r = set_option(p, OPTC_SERVICE)) < 0)
			return r;
		ao->ao_proto = o->o_id == O_TCP ? IPPROTO_TCP :
		    o->o_id == O_UDP ? IPPROTO_UDP : IPPROTO_SCTP;
		p->p_svc = arg;
		return 0;
	case O_SCHED:
		if ((r = set_option(p, OPTC_SCHEDULER)) < 0)
			return r;
		if (!sched_ok(arg))
			return fail(p, -EINVAL, "illegal scheduler name "
			    "specified");
		memcpy(ao->ao_sched, arg, strlen(arg) + 1);
		return 0;
	case O_PERSIST:
		if ((r = set_option(p, OPTC_PERSISTENT)) < 0)
			return r;
		ao->ao_flags |= SVC_F_PERSISTENT;
		p->p_persist = arg;
		return 0;
	case O_NETMASK:
		p->p_netmask = arg;
		return set_option(p, OPTC_NETMASK);
	case O_SCHED_FLAGS:
		p->p_sched_flags = arg;
		return set_option(p, OPTC_SCHED_FLAGS);
	case O_OPS:
		ao->ao_flags |= SVC_F_ONEPACKET;
		return set_option(p, OPTC_ONEPACKET);
	case O_PE:
		if (strcmp(arg, "sip") != 0)
			return fail(p, -EINVAL, "%s: unknown persistence "
			    "engine '%s' (sip is the only one)", spell, arg);
		ao->ao_pe = PE_SIP;
		return set_option(p, OPTC_PERSISTENCE_ENGINE);
	case O_REAL:
		if ((r = set_option(p, OPTC_SERVER)) < 0)
			return r;
		p->p_rs = arg;
		return 0;
	case O_GATE:
	case O_MASQ:
	case O_FULLNAT:
	case O_IPIP:
		if ((r = set_option(p, OPTC_FORWARD)) < 0)
			return r;
		ao->ao_method = o->o_id == O_GATE ? XMIT_DR :
		    o->o_id == O_MASQ ? XMIT_NAT :
		    o->o_id == O_FULLNAT ? XMIT_FULLNAT : XMIT_TUN;
		return 0;
	case O_LADDR:
		/* Outside ipvsadm's matrix: finish() allows it on -A/-E. */
		if (ao->ao_laddr[0] != '\0')
			return fail(p, -EINVAL, "multiple '%s' options "
			    "specified", "laddr");
		if (*arg == '\0' || strlen(arg) >= sizeof(ao->ao_laddr) ||
		    (strcmp(arg, "none") != 0 &&
		    arg[strspn(arg, "0123456789abcdefABCDEF.:,[]")] != '\0'))
			return fail(p, -EINVAL, "%s: local addresses are "
			    "A[,A...] or none", spell);
		memcpy(ao->ao_laddr, arg, strlen(arg) + 1);
		return 0;
	case O_PROXY:
		if (ao->ao_proxy != 0)
			return fail(p, -EINVAL, "multiple '%s' options "
			    "specified", "proxy-protocol");
		if (strcmp(arg, "none") == 0)
			ao->ao_proxy = 1 + PROXY_NONE;
		else if (strcmp(arg, "v1") == 0)
			ao->ao_proxy = 1 + PROXY_V1;
		else if (strcmp(arg, "v2") == 0)
			ao->ao_proxy = 1 + PROXY_V2;
		else
			return fail(p, -EINVAL, "%s: none, v1 or v2", spell);
		return 0;
	case O_TUN_TYPE:
		if ((r = set_option(p, OPTC_TUN_TYPE)) < 0)
			return r;
		if ((r = rs_tun_parse(arg)) < 0)
			return fail(p, -EINVAL, "illegal tunnel type specified");
		ao->ao_tun.rt_type = (uint8_t)r;
		return 0;
	case O_TUN_PORT: {
		unsigned long	 v;

		if ((r = set_option(p, OPTC_TUN_PORT)) < 0)
			return r;
		if (parse_uint(arg, 1, 65535, &v) != 0)
			return fail(p, -EINVAL, "illegal tunnel port specified");
		ao->ao_tun.rt_port = (uint16_t)v;
		return 0;
	}
	case O_TUN_NOCSUM:
		return set_option(p, OPTC_TUN_NOCSUM);
	case O_TUN_CSUM:
		ao->ao_tun.rt_flags |= RS_TUN_F_CSUM;
		return set_option(p, OPTC_TUN_CSUM);
	case O_TUN_REMCSUM:
		ao->ao_tun.rt_flags |= RS_TUN_F_REMCSUM;
		return set_option(p, OPTC_TUN_REMCSUM);
	case O_WEIGHT:
		p->p_weight = arg;
		return set_option(p, OPTC_WEIGHT);
	case O_UTHRESH:
		p->p_uthresh = arg;
		return set_option(p, OPTC_UTHRESHOLD);
	case O_LTHRESH:
		p->p_lthresh = arg;
		return set_option(p, OPTC_LTHRESHOLD);
	case O_NUMERIC:
		return apply_format(p, OPTC_NUMERIC, ADM_FMT_NUMERIC);
	case O_CONN:
		ao->ao_list = ADM_LIST_CONN;
		return set_option(p, OPTC_CONNECTION);
	case O_TIMEOUT:
		ao->ao_list = ADM_LIST_TIMEOUT;
		return set_option(p, OPTC_TIMEOUT);
	case O_STATS:
		return apply_format(p, OPTC_STATS, ADM_FMT_STATS);
	case O_RATE:
		return apply_format(p, OPTC_RATE, ADM_FMT_RATE);
	case O_THRESHOLDS:
		return apply_format(p, OPTC_THRESHOLDS, ADM_FMT_THRESHOLDS);
	case O_PERSISTCONN:
		return apply_format(p, OPTC_PERSISTENTCONN,
		    ADM_FMT_PERSISTENTCONN);
	case O_TUN_INFO:
		return apply_format(p, OPTC_TUN_INFO, ADM_FMT_TUN_INFO);
	case O_EXACT:
		return apply_format(p, OPTC_EXACT, ADM_FMT_EXACT);
	case O_NOSORT:
		return apply_format(p, OPTC_NOSORT, ADM_FMT_NOSORT);
	case O_SORT:
		return 0;	/* the default; ipvsadm keeps it for scripts */
	case O_IPV6:
		/* ipvsadm's own words: -6 only qualifies -f. */
		return fail(p, -EINVAL, "-6 used before -f");
	case O_HEALTH:
		/* Not ipvsadm's: outside its option matrix, -L only reads it. */
		ao->ao_fmt |= ADM_FMT_HEALTH;
		return 0;
	case O_SOCKET:
		if (ao->ao_socket != NULL)
			return fail(p, -EINVAL, "multiple '%s' options "
			    "specified", "socket");
		if (*arg == '\0')
			return fail(p, -EINVAL, "%s: empty socket path", spell);
		ao->ao_socket = arg;
		return 0;
	case O_FWMARK:
		return fail(p, -ENOTSUP, "%s: firewall-mark services cannot "
		    "work in uvsd: it takes frames off the wire before "
		    "netfilter could mark them; give the service's addresses "
		    "and ports as lists in uvsd.conf instead (see uvsd.conf(5), "
		    "SERVICE GROUPS)", spell);
	default:
		return fail(p, -ENOTSUP, "%s: not supported yet", spell);
	}
}

/* The words of argv, popt-style. */
static int
parse_argv(struct parse *p, int argc, char *const *argv)
{
	const struct opt	*o;
	const char		*a, *arg, *eq;
	char			 spell[64];
	int			 i, r, nset = 0;
	size_t			 j;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0) {
			i++;
			break;
		}
		if (a[0] != '-' || a[1] == '\0') {
			/* --set's three values are its arguments. */
			if (p->p_o->ao_cmd == ADM_SET && nset < 3) {
				p->p_o->ao_set[nset] = 0;
				if (!set_value(p, a, &p->p_o->ao_set[nset]))
					return fail(p, -EINVAL, "invalid "
					    "timeout value `%s' specified", a);
				nset++;
				continue;
			}
			return fail(p, -EINVAL, "unexpected argument %s", a);
		}
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			o = find_long(a + 2, eq != NULL ? (size_t)(eq - a - 2) :
			    strlen(a + 2));
			snprintf(spell, sizeof(spell), "%.*s",
			    eq != NULL ? (int)(eq - a) : (int)strlen(a), a);
			if (o == NULL)
				return fail(p, -EINVAL, "%s: unknown option",
				    spell);
			if (o->o_id >= O_FWMARK)
				return apply(p, o, spell, NULL);
			arg = NULL;
			if (o->o_arg == ARG_NONE && eq != NULL)
				return fail(p, -EINVAL, "%s: option does not "
				    "take an argument", spell);
			if (eq != NULL)
				arg = eq + 1;
			else if (o->o_arg == ARG_REQ) {
				if (i + 1 >= argc)
					return fail(p, -EINVAL, "%s: missing "
					    "argument", spell);
				arg = argv[++i];
			} else if (o->o_arg == ARG_OPT && i + 1 < argc &&
			    argv[i + 1][0] != '-')
				arg = argv[++i];
			if ((r = apply(p, o, spell, arg)) != 0)
				return r;
			continue;
		}
		for (j = 1; a[j] != '\0'; j++) {
			snprintf(spell, sizeof(spell), "-%c", a[j]);
			if ((o = find_short(a[j])) == NULL)
				return fail(p, -EINVAL, "%s: unknown option",
				    (unsigned char)a[j] < 0x20 ||
				    (unsigned char)a[j] >= 0x7f ? "-?" : spell);
			if (o->o_id >= O_FWMARK)
				return apply(p, o, spell, NULL);
			arg = NULL;
			if (o->o_arg != ARG_NONE) {
				/* popt: an optional value is not an option. */
				if (a[j + 1] != '\0')
					arg = a + j + 1;
				else if (i + 1 < argc && (o->o_arg == ARG_REQ ||
				    argv[i + 1][0] != '-'))
					arg = argv[++i];
				else if (o->o_arg == ARG_REQ)
					return fail(p, -EINVAL, "%s: missing "
					    "argument", spell);
			}
			if ((r = apply(p, o, spell, arg)) != 0)
				return r;
			if (arg != NULL)
				break;
		}
	}
	if (i < argc) {
		if (p->p_o->ao_cmd == ADM_SET && nset < 3 && argc - i >= 3 - nset) {
			for (; nset < 3; nset++, i++)
				if (!set_value(p, argv[i], &p->p_o->ao_set[nset]))
					return fail(p, -EINVAL, "invalid "
					    "timeout value `%s' specified",
					    argv[i]);
		}
		if (i < argc)
			return fail(p, -EINVAL, "unexpected argument %s",
			    argv[i]);
	}
	if (p->p_o->ao_cmd == ADM_SET && nset < 3)
		return fail(p, -EINVAL, "--set option requires 3 timeout "
		    "values");
	return 0;
}

/* ipvsadm's generic_opt_check(). */
static int
check_matrix(struct parse *p)
{
	static const int rows[] = {
		[ADM_ADD_SVC] = ROW_ADD, [ADM_EDIT_SVC] = ROW_EDIT,
		[ADM_DEL_SVC] = ROW_DEL, [ADM_CLEAR] = ROW_FLUSH,
		[ADM_ADD_RS] = ROW_ADDSRV, [ADM_EDIT_RS] = ROW_EDITSRV,
		[ADM_DEL_RS] = ROW_DELSRV, [ADM_LIST] = ROW_LIST,
		[ADM_ZERO] = ROW_ZERO, [ADM_SET] = ROW_TIMEOUT,
		[ADM_SAVE] = ROW_SAVE, [ADM_RESTORE] = ROW_RESTORE,
	};
	int	 cmd = p->p_o->ao_cmd, row, j, last = -1;

	if (cmd <= ADM_NONE || cmd > ADM_RESTORE)
		return 0;
	row = rows[cmd];
	for (j = 0; j < OPTC__MAX; j++) {
		bool	 given = (p->p_optc & (1ULL << j)) != 0;
		char	 k = cmd_opts[row][j];

		if (!given && k == '+')
			return fail(p, -EINVAL, "You need to supply the '%s' "
			    "option for the '%s' command", optnames[j],
			    cmdnames[row]);
		if (given && k == 'x')
			return fail(p, -EINVAL, "Illegal '%s' option with the "
			    "'%s' command", optnames[j], cmdnames[row]);
		if (given && k == '1') {
			if (last >= 0)
				return fail(p, -EINVAL, "The option '%s' "
				    "conflicts with the '%s' option in the "
				    "'%s' command", optnames[j],
				    optnames[last], cmdnames[row]);
			last = j;
		}
	}
	return 0;
}

/* ipvsadm's parse_sched_flags(), after every option: -s may follow -b. */
static int
sched_flags(struct parse *p, const char *sched, const char *arg,
    uint32_t *ret)
{
	static const struct {
		const char	*name;
		const char	*only;	/* the scheduler it needs */
		uint32_t	 flag;
	} names[] = {
		{ "flag-1", NULL, SVC_F_SCHED1 },
		{ "flag-2", NULL, SVC_F_SCHED2 },
		{ "flag-3", NULL, SVC_F_SCHED3 },
		{ "sh-fallback", "sh", SVC_F_SCHED1 },
		{ "sh-port", "sh", SVC_F_SCHED2 },
		{ "mh-fallback", "mh", SVC_F_SCHED1 },
		{ "mh-port", "mh", SVC_F_SCHED2 },
	};
	char		 buf[256], *w, *save;
	uint32_t	 f = 0;
	size_t		 i;

	snprintf(buf, sizeof(buf), "%s", arg);
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < nitems(names); i++)
			if (strcmp(w, names[i].name) == 0)
				break;
		if (i == nitems(names))
			return fail(p, -EINVAL, "invalid scheduler flag `%s'",
			    w);
		if (names[i].only != NULL && strcmp(sched, names[i].only) != 0)
			return fail(p, -EINVAL, "incompatible scheduler flag "
			    "`%s'", w);
		f |= names[i].flag;
	}
	if (f == 0)
		return fail(p, -EINVAL, "invalid scheduler flag `%s'", arg);
	*ret = f;
	return 0;
}

/* ipvsadm's parse_netmask() (numeric) or an IPv6 prefix length. */
static int
netmask(struct parse *p, const char *arg, int af, uint32_t *ret)
{
	struct in_addr	 in;
	long		 n;

	if (af == AF_INET6) {
		if ((n = str_to_num(arg, 1, 128)) == -1)
			return fail(p, -EINVAL, "illegal ipv6 netmask "
			    "specified");
		*ret = (uint32_t)n;
		return 0;
	}
	if (inet_aton(arg, &in) == 0)
		return fail(p, -EINVAL, "illegal virtual server persistent "
		    "mask specified");
	*ret = in.s_addr;
	return 0;
}

static int
threshold(struct parse *p, const char *arg, const char *what,
    uint32_t *ret)
{
	long	 n;

	if ((n = str_to_num(arg, 0, 65535)) == -1)
		return fail(p, -EINVAL, "illegal %s specified", what);
	*ret = (uint32_t)n;
	return 0;
}

/* Addresses, ports, defaults: what ipvsadm's process_options() does. */
static int
finish(struct parse *p)
{
	struct adm_opts	*ao = p->p_o;
	int		 cmd = ao->ao_cmd, r;
	long		 w;

	if ((ao->ao_laddr[0] != '\0' || ao->ao_proxy != 0) &&
	    cmd != ADM_ADD_SVC && cmd != ADM_EDIT_SVC)
		return fail(p, -EINVAL, "--laddr and --proxy-protocol go with "
		    "-A or -E only");
	if (p->p_svc != NULL &&
	    parse_addrport(p, p->p_svc, ao->ao_proto, &ao->ao_svc) != 0)
		return fail(p, -EINVAL, "illegal virtual server "
		    "address[:port] specified");
	if (p->p_rs != NULL &&
	    parse_addrport(p, p->p_rs, ao->ao_proto, &ao->ao_rs) != 0)
		return fail(p, -EINVAL, "illegal real server "
		    "address[:port] specified");
	if (p->p_weight != NULL) {
		if ((w = str_to_num(p->p_weight, 0, INT32_MAX)) == -1)
			return fail(p, -EINVAL, "illegal weight specified");
		ao->ao_weight = (int32_t)w;
	}
	if (p->p_uthresh != NULL && (r = threshold(p, p->p_uthresh,
	    "u_threshold", &ao->ao_uthresh)) < 0)
		return r;
	if (p->p_lthresh != NULL && (r = threshold(p, p->p_lthresh,
	    "l_threshold", &ao->ao_lthresh)) < 0)
		return r;
	if (ao->ao_flags & SVC_F_PERSISTENT) {
		ao->ao_timeout = SVC_PERSIST_DEFAULT;
		if (p->p_persist != NULL &&
		    (w = str_to_num(p->p_persist, 1, TIMEOUT_MAX)) == -1)
			return fail(p, -EINVAL, "invalid timeout value `%s' "
			    "specified", p->p_persist);
		if (p->p_persist != NULL)
			ao->ao_timeout = (uint32_t)w;
	}
	if (p->p_netmask != NULL) {
		if ((r = netmask(p, p->p_netmask, ao->ao_svc.ep_addr.a_af,
		    &ao->ao_netmask)) < 0)
			return r;
		ao->ao_has_netmask = 1;
	}
	if (cmd == ADM_ADD_SVC || cmd == ADM_EDIT_SVC) {
		if (ao->ao_svc.ep_port == 0 &&
		    !(ao->ao_flags & SVC_F_PERSISTENT))
			return fail(p, -EINVAL, "Zero port specified for "
			    "non-persistent service");
		if ((ao->ao_flags & SVC_F_ONEPACKET) &&
		    ao->ao_proto != IPPROTO_UDP)
			return fail(p, -EINVAL, "One-Packet Scheduling is only "
			    "for UDP virtual services");
		/* IPVS reads a Call-ID only from persistent UDP services. */
		if (ao->ao_pe == PE_SIP && (ao->ao_proto != IPPROTO_UDP ||
		    !(ao->ao_flags & SVC_F_PERSISTENT)))
			return fail(p, -EINVAL, "--pe sip needs a persistent "
			    "UDP service (-u ... -p)");
		if (ao->ao_sched[0] == '\0')
			memcpy(ao->ao_sched, SCHED_DEFAULT,
			    sizeof(SCHED_DEFAULT));
		if (p->p_sched_flags != NULL) {
			uint32_t	 f = 0;

			if ((r = sched_flags(p, ao->ao_sched,
			    p->p_sched_flags, &f)) < 0)
				return r;
			ao->ao_flags |= f;
		}
	}
	if (p->p_rs != NULL && ao->ao_rs.ep_port == 0)
		ao->ao_rs.ep_port = ao->ao_svc.ep_port;
	if (cmd == ADM_ADD_RS || cmd == ADM_EDIT_RS) {
		/* A direct-routing or tunnel server answers on the service's port. */
		if (XMIT_SAME_PORT(ao->ao_method))
			ao->ao_rs.ep_port = ao->ao_svc.ep_port;
		if (ao->ao_rs.ep_addr.a_af != ao->ao_svc.ep_addr.a_af &&
		    ao->ao_method != XMIT_TUN)
			return fail(p, -EINVAL, "Different address family is "
			    "allowed only for tunneling servers");
		if ((r = tun_check(p)) < 0)
			return r;
	}
	if (cmd == ADM_LIST &&
	    (((p->p_optc & (1ULL << OPTC_CONNECTION | 1ULL << OPTC_TIMEOUT)) &&
	    (p->p_optc & (1ULL << OPTC_STATS | 1ULL << OPTC_RATE |
	    1ULL << OPTC_THRESHOLDS))) ||
	    ((p->p_optc & (1ULL << OPTC_TIMEOUT)) &&
	    (p->p_optc & (1ULL << OPTC_PERSISTENTCONN)))))
		return fail(p, -EINVAL, "options conflicts in the list "
		    "command");
	return 0;
}

/* ipvsadm's tunnel option checks, in its order and words. */
static int
tun_check(struct parse *p)
{
	static const int	 topts[] = { OPTC_TUN_PORT, OPTC_TUN_NOCSUM,
				    OPTC_TUN_CSUM, OPTC_TUN_REMCSUM };
	/* tunnel_types_v_options[]: port nocsum csum remcsum */
	static const char	 legal[RS_TUN__MAX][4] = {
		{ 'x', 'x', 'x', 'x' },		/* ipip */
		{ '+', '1', '1', '1' },		/* gue */
		{ 'x', '1', '1', 'x' },		/* gre */
	};
	const uint64_t		 tunopts = 1ULL << OPTC_TUN_TYPE |
				    1ULL << OPTC_TUN_PORT |
				    1ULL << OPTC_TUN_NOCSUM |
				    1ULL << OPTC_TUN_CSUM |
				    1ULL << OPTC_TUN_REMCSUM;
	int			 t = p->p_o->ao_tun.rt_type, last = -1;
	unsigned		 j;

	if ((p->p_optc & tunopts) && p->p_o->ao_method != XMIT_TUN)
		return fail(p, -EINVAL, "Tunnel options conflict with "
		    "forward method");
	for (j = 0; j < nitems(topts); j++) {
		if (!(p->p_optc & (1ULL << topts[j]))) {
			if (legal[t][j] == '+')
				return fail(p, -EINVAL, "You need to supply "
				    "the '%s' option for the '%s' tunnel type",
				    optnames[topts[j]], rs_tun_name(t));
			continue;
		}
		if (legal[t][j] == 'x')
			return fail(p, -EINVAL, "Illegal '%s' option with the "
			    "'%s' tunnel type", optnames[topts[j]],
			    rs_tun_name(t));
		if (legal[t][j] == '1') {
			if (last >= 0)
				return fail(p, -EINVAL, "The option '%s' "
				    "conflicts with the '%s' option in the "
				    "'%s' tunnel type", optnames[topts[j]],
				    optnames[last], rs_tun_name(t));
			last = topts[j];
		}
	}
	return 0;
}

int
adm_opts_parse_prefix(int argc, char *const *argv,
    const struct adm_resolver *res, struct adm_opts *ret, char *errbuf,
    size_t errlen, const char *prefix)
{
	struct adm_opts	 ao;
	struct parse	 p;
	int		 r;

	memset(&ao, 0, sizeof(ao));
	ao.ao_method = XMIT_DR;
	ao.ao_weight = 1;
	memset(&p, 0, sizeof(p));
	p.p_res = res;
	p.p_o = &ao;
	p.p_err = errbuf;
	p.p_errlen = errlen;
	p.p_prefix = prefix;
	if (errlen > 0)
		errbuf[0] = '\0';
	if ((r = parse_argv(&p, argc, argv)) < 0)
		return r;
	if (r == 0) {
		/* ipvsadm with no command lists. */
		if (ao.ao_cmd == ADM_NONE)
			ao.ao_cmd = ADM_LIST;
		if ((r = check_matrix(&p)) < 0 || (r = finish(&p)) < 0)
			return r;
	}
	*ret = ao;
	return 0;
}

int
adm_opts_parse(int argc, char *const *argv, const struct adm_resolver *res,
    struct adm_opts *ret, char *errbuf, size_t errlen)
{
	return adm_opts_parse_prefix(argc, argv, res, ret, errbuf, errlen,
	    "uvsadm: ");
}
