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
#include "sched/sched.h"
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
	O_DEL_RS, O_LIST, O_HELP, O_VERSION,
	/* options */
	O_TCP, O_UDP, O_SCHED, O_REAL, O_GATE, O_MASQ, O_WEIGHT, O_NUMERIC,
	O_STATS, O_EXACT, O_SORT, O_NOSORT, O_SOCKET,
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
	{ "add-server",		'a', ARG_NONE, O_ADD_RS },
	{ "edit-server",	'e', ARG_NONE, O_EDIT_RS },
	{ "delete-server",	'd', ARG_NONE, O_DEL_RS },
	{ "help",		'h', ARG_NONE, O_HELP },
	{ "version",		'v', ARG_NONE, O_VERSION },
	{ "tcp-service",	't', ARG_REQ, O_TCP },
	{ "udp-service",	'u', ARG_REQ, O_UDP },
	{ "scheduler",		's', ARG_REQ, O_SCHED },
	{ "real-server",	'r', ARG_REQ, O_REAL },
	{ "gatewaying",		'g', ARG_NONE, O_GATE },
	{ "masquerading",	'm', ARG_NONE, O_MASQ },
	{ "weight",		'w', ARG_REQ, O_WEIGHT },
	{ "numeric",		'n', ARG_NONE, O_NUMERIC },
	{ "stats",		0, ARG_NONE, O_STATS },
	{ "exact",		'X', ARG_NONE, O_EXACT },
	{ "sort",		0, ARG_NONE, O_SORT },
	{ "nosort",		0, ARG_NONE, O_NOSORT },
	{ "socket",		0, ARG_REQ, O_SOCKET },
	/* ipvsadm 1.31's others */
	{ "zero",		'Z', ARG_NONE, O_LATER },
	{ "set",		0, ARG_NONE, O_LATER },
	{ "restore",		'R', ARG_NONE, O_LATER },
	{ "save",		'S', ARG_NONE, O_LATER },
	{ "start-daemon",	0, ARG_REQ, O_LATER },
	{ "stop-daemon",	0, ARG_REQ, O_LATER },
	{ "sctp-service",	0, ARG_REQ, O_LATER },
	{ "fwmark-service",	'f', ARG_REQ, O_LATER },
	{ "persistent",		'p', ARG_OPT, O_LATER },
	{ "netmask",		'M', ARG_REQ, O_LATER },
	{ "ipip",		'i', ARG_NONE, O_LATER },
	{ "u-threshold",	'x', ARG_REQ, O_LATER },
	{ "l-threshold",	'y', ARG_REQ, O_LATER },
	{ "connection",		'c', ARG_NONE, O_LATER },
	{ "mcast-interface",	0, ARG_REQ, O_LATER },
	{ "syncid",		0, ARG_REQ, O_LATER },
	{ "timeout",		0, ARG_NONE, O_LATER },
	{ "daemon",		0, ARG_NONE, O_LATER },
	{ "rate",		0, ARG_NONE, O_LATER },
	{ "thresholds",		0, ARG_NONE, O_LATER },
	{ "persistent-conn",	0, ARG_NONE, O_LATER },
	{ "ipv6",		'6', ARG_NONE, O_LATER },
	{ "ops",		'o', ARG_NONE, O_LATER },
	{ "pe",			0, ARG_REQ, O_LATER },
	{ "sched-flags",	'b', ARG_REQ, O_LATER },
	{ "mcast-group",	0, ARG_REQ, O_LATER },
	{ "mcast-port",		0, ARG_REQ, O_LATER },
	{ "mcast-ttl",		0, ARG_REQ, O_LATER },
	{ "sync-maxlen",	0, ARG_REQ, O_LATER },
	{ "tun-info",		0, ARG_NONE, O_LATER },
	{ "tun-type",		0, ARG_REQ, O_LATER },
	{ "tun-port",		0, ARG_REQ, O_LATER },
	{ "tun-nocsum",		0, ARG_NONE, O_LATER },
	{ "tun-csum",		0, ARG_NONE, O_LATER },
	{ "tun-remcsum",	0, ARG_NONE, O_LATER },
};

/* ipvsadm's option bits and names, for its checks and messages. */
enum {
	OPTC_NUMERIC = 0,
	OPTC_SERVICE,
	OPTC_SCHEDULER,
	OPTC_SERVER,
	OPTC_FORWARD,
	OPTC_WEIGHT,
	OPTC_STATS,
	OPTC_NOSORT,
	OPTC_EXACT,
	OPTC__MAX
};

static const char *const optnames[OPTC__MAX] = {
	"numeric", "service-address", "scheduler", "real-server",
	"forwarding-method", "weight", "stats", "nosort", "exact",
};

/* Indexed by ADM_* - 1, the commands that have a row in the matrix. */
static const char *const cmdnames[] = {
	"add-service", "edit-service", "delete-service", "flush",
	"add-server", "edit-server", "delete-server", "list",
};

/*
 * ipvsadm's commands_v_options[], the columns uvsadm implements:
 * '+' compulsory, 'x' illegal, ' ' optional.
 */
static const char cmd_opts[][OPTC__MAX] = {
	/*		 -n   svc  -s   -r   fwd  -w   -st  srt  -ex */
	/* ADD */	{ 'x', '+', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/* EDIT */	{ 'x', '+', ' ', 'x', 'x', 'x', 'x', 'x', 'x' },
	/* DEL */	{ 'x', '+', 'x', 'x', 'x', 'x', 'x', 'x', 'x' },
	/* FLUSH */	{ 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x' },
	/* ADDSRV */	{ 'x', '+', 'x', '+', ' ', ' ', 'x', 'x', 'x' },
	/* EDITSRV */	{ 'x', '+', 'x', '+', ' ', ' ', 'x', 'x', 'x' },
	/* DELSRV */	{ 'x', '+', 'x', '+', 'x', 'x', 'x', 'x', 'x' },
	/* LIST */	{ ' ', ' ', 'x', 'x', 'x', 'x', ' ', ' ', ' ' },
};

struct parse {
	const struct adm_resolver *p_res;
	struct adm_opts	*p_o;
	unsigned	 p_optc;	/* 1 << OPTC_* given */
	const char	*p_svc;		/* -t/-u argument */
	const char	*p_rs;		/* -r argument */
	const char	*p_weight;
	char		*p_err;
	size_t		 p_errlen;
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
	n = snprintf(p->p_err, p->p_errlen, "uvsadm: ");
	va_start(ap, fmt);
	if (n > 0 && (size_t)n < p->p_errlen)
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
	if (p->p_optc & (1u << optc))
		return fail(p, -EINVAL, "multiple '%s' options specified",
		    optnames[optc]);
	p->p_optc |= 1u << optc;
	return 0;
}

static int
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

	switch (o->o_id) {
	case O_ADD_SVC:
		return set_command(p, ADM_ADD_SVC);
	case O_EDIT_SVC:
		return set_command(p, ADM_EDIT_SVC);
	case O_DEL_SVC:
		return set_command(p, ADM_DEL_SVC);
	case O_CLEAR:
		return set_command(p, ADM_CLEAR);
	case O_ADD_RS:
		return set_command(p, ADM_ADD_RS);
	case O_EDIT_RS:
		return set_command(p, ADM_EDIT_RS);
	case O_DEL_RS:
		return set_command(p, ADM_DEL_RS);
	case O_LIST:
		return set_command(p, ADM_LIST);
	case O_HELP:
		if ((r = set_command(p, ADM_HELP)) < 0)
			return r;
		return 1;
	case O_VERSION:
		if ((r = set_command(p, ADM_VERSION)) < 0)
			return r;
		return 1;
	case O_TCP:
	case O_UDP:
		if ((r = set_option(p, OPTC_SERVICE)) < 0)
			return r;
		ao->ao_proto = o->o_id == O_TCP ? IPPROTO_TCP : IPPROTO_UDP;
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
	case O_REAL:
		if ((r = set_option(p, OPTC_SERVER)) < 0)
			return r;
		p->p_rs = arg;
		return 0;
	case O_GATE:
	case O_MASQ:
		if ((r = set_option(p, OPTC_FORWARD)) < 0)
			return r;
		ao->ao_method = o->o_id == O_GATE ? XMIT_DR : XMIT_NAT;
		return 0;
	case O_WEIGHT:
		if ((r = set_option(p, OPTC_WEIGHT)) < 0)
			return r;
		p->p_weight = arg;
		return 0;
	case O_NUMERIC:
		ao->ao_fmt |= ADM_FMT_NUMERIC;
		return set_option(p, OPTC_NUMERIC);
	case O_STATS:
		ao->ao_fmt |= ADM_FMT_STATS;
		return set_option(p, OPTC_STATS);
	case O_EXACT:
		ao->ao_fmt |= ADM_FMT_EXACT;
		return set_option(p, OPTC_EXACT);
	case O_NOSORT:
		ao->ao_fmt |= ADM_FMT_NOSORT;
		return set_option(p, OPTC_NOSORT);
	case O_SORT:
		return 0;	/* the default; ipvsadm keeps it for scripts */
	case O_SOCKET:
		if (ao->ao_socket != NULL)
			return fail(p, -EINVAL, "multiple '%s' options "
			    "specified", "socket");
		if (*arg == '\0')
			return fail(p, -EINVAL, "%s: empty socket path", spell);
		ao->ao_socket = arg;
		return 0;
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
	int			 i, r;
	size_t			 j;

	for (i = 1; i < argc; i++) {
		a = argv[i];
		if (strcmp(a, "--") == 0) {
			if (i + 1 < argc)
				return fail(p, -EINVAL, "unexpected argument "
				    "%s", argv[i + 1]);
			return 0;
		}
		if (a[0] != '-' || a[1] == '\0')
			return fail(p, -EINVAL, "unexpected argument %s", a);
		if (a[1] == '-') {
			eq = strchr(a + 2, '=');
			o = find_long(a + 2, eq != NULL ? (size_t)(eq - a - 2) :
			    strlen(a + 2));
			snprintf(spell, sizeof(spell), "%.*s",
			    eq != NULL ? (int)(eq - a) : (int)strlen(a), a);
			if (o == NULL)
				return fail(p, -EINVAL, "%s: unknown option",
				    spell);
			if (o->o_id == O_LATER)
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
			}
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
			if (o->o_id == O_LATER)
				return apply(p, o, spell, NULL);
			arg = NULL;
			if (o->o_arg == ARG_REQ) {
				if (a[j + 1] != '\0')
					arg = a + j + 1;
				else if (i + 1 < argc)
					arg = argv[++i];
				else
					return fail(p, -EINVAL, "%s: missing "
					    "argument", spell);
			}
			if ((r = apply(p, o, spell, arg)) != 0)
				return r;
			if (arg != NULL)
				break;
		}
	}
	return 0;
}

/* ipvsadm's generic_opt_check(). */
static int
check_matrix(struct parse *p)
{
	int	 cmd = p->p_o->ao_cmd, row, j;

	switch (cmd) {
	case ADM_ADD_SVC: row = 0; break;
	case ADM_EDIT_SVC: row = 1; break;
	case ADM_DEL_SVC: row = 2; break;
	case ADM_CLEAR: row = 3; break;
	case ADM_ADD_RS: row = 4; break;
	case ADM_EDIT_RS: row = 5; break;
	case ADM_DEL_RS: row = 6; break;
	case ADM_LIST: row = 7; break;
	default: return 0;
	}
	for (j = 0; j < OPTC__MAX; j++) {
		bool	 given = (p->p_optc & (1u << j)) != 0;

		if (!given && cmd_opts[row][j] == '+')
			return fail(p, -EINVAL, "You need to supply the '%s' "
			    "option for the '%s' command", optnames[j],
			    cmdnames[row]);
		if (given && cmd_opts[row][j] == 'x')
			return fail(p, -EINVAL, "Illegal '%s' option with the "
			    "'%s' command", optnames[j], cmdnames[row]);
	}
	return 0;
}

/* Addresses, ports, defaults: what ipvsadm's process_options() does. */
static int
finish(struct parse *p)
{
	struct adm_opts	*ao = p->p_o;
	int		 cmd = ao->ao_cmd;
	long		 w;

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
	if (p->p_svc != NULL && ao->ao_svc.ep_port == 0) {
		if (cmd == ADM_ADD_SVC || cmd == ADM_EDIT_SVC)
			return fail(p, -EINVAL, "Zero port specified for "
			    "non-persistent service");
		/* IPVS would look for a port 0 service: persistent only. */
		return fail(p, -EINVAL, "Service not defined (zero port)");
	}
	if ((cmd == ADM_ADD_SVC || cmd == ADM_EDIT_SVC) &&
	    ao->ao_sched[0] == '\0')
		memcpy(ao->ao_sched, SCHED_DEFAULT, sizeof(SCHED_DEFAULT));
	if (p->p_rs != NULL && ao->ao_rs.ep_port == 0)
		ao->ao_rs.ep_port = ao->ao_svc.ep_port;
	if (cmd == ADM_ADD_RS || cmd == ADM_EDIT_RS) {
		/* A direct-routing server answers on the service's port. */
		if (ao->ao_method == XMIT_DR)
			ao->ao_rs.ep_port = ao->ao_svc.ep_port;
		if (ao->ao_rs.ep_addr.a_af != ao->ao_svc.ep_addr.a_af)
			return fail(p, -EINVAL, "Different address family is "
			    "allowed only for tunneling servers");
	}
	return 0;
}

int
adm_opts_parse(int argc, char *const *argv, const struct adm_resolver *res,
    struct adm_opts *ret, char *errbuf, size_t errlen)
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

static const char *
method_word(int m)
{
	return m == XMIT_NAT ? "nat" : "dr";
}

int
adm_request(const struct adm_opts *o, char *buf, size_t len)
{
	char		 vip[EP_STRLEN], rip[EP_STRLEN];
	const char	*proto = proto_name(o->ao_proto);
	int		 n;

	ep_fmt(&o->ao_svc, vip, sizeof(vip));
	ep_fmt(&o->ao_rs, rip, sizeof(rip));
	switch (o->ao_cmd) {
	case ADM_ADD_SVC:
	case ADM_EDIT_SVC:
		n = snprintf(buf, len, "%s %s %s scheduler %s",
		    o->ao_cmd == ADM_ADD_SVC ? "add-service" : "edit-service",
		    proto, vip, o->ao_sched);
		break;
	case ADM_DEL_SVC:
		n = snprintf(buf, len, "del-service %s %s", proto, vip);
		break;
	case ADM_CLEAR:
		n = snprintf(buf, len, "clear");
		break;
	case ADM_ADD_RS:
	case ADM_EDIT_RS:
		/* Like ipvsadm: -e without -g/-m/-w means -g -w 1. */
		n = snprintf(buf, len, "%s %s %s %s method %s weight %d",
		    o->ao_cmd == ADM_ADD_RS ? "add-server" : "edit-server",
		    proto, vip, rip, method_word(o->ao_method), o->ao_weight);
		break;
	case ADM_DEL_RS:
		n = snprintf(buf, len, "del-server %s %s %s", proto, vip, rip);
		break;
	case ADM_LIST:
		if (o->ao_proto != 0)
			n = snprintf(buf, len, "list %s %s", proto, vip);
		else
			n = snprintf(buf, len, "list");
		break;
	default:
		return -EINVAL;
	}
	if (n < 0 || (size_t)n >= len)
		return -ENOSPC;
	return 0;
}
