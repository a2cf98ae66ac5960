/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin protocol's verbs (ctl_cmd.h, uvsd.8 ADMIN PROTOCOL): one row
 * in ctl_cmds[] and one handler each.  A request is split into words, checked
 * against its row's argument counts, and handed to the handler, which
 * writes data lines into the reply buffer and returns 0 or -errno with
 * the reason in a struct uvs_err.  ctl_cmd_run() then appends "OK", or
 * throws the data lines away and appends "ERR <errno name> <text>".
 *
 * Changing verbs never touch the running configuration: ctl_cmd_run()
 * hands them a copy (vsconf_dup()) and table_commit()s it whole when
 * they succeed, so a request that fails changes nothing.  Inside a batch
 * ("begin") they edit the session's copy instead, and "commit" publishes
 * that copy in one snapshot, or nothing if any of them failed.  Listings
 * read the configuration that runs and the workers' counters.  Control
 * thread only.
 */
#include "config.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "addr.h"
#include "conn.h"
#include "ctl_cmd.h"
#include "ctl_cmd_int.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "health.h"
#include "laddr.h"
#include "proxyproto.h"
#include "rbuf.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

static int	 cmd_version(struct cmd_ctx *, int, char **);
static int	 cmd_hello(struct cmd_ctx *, int, char **);
static int	 cmd_status(struct cmd_ctx *, int, char **);
static int	 cmd_begin(struct cmd_ctx *, int, char **);
static int	 cmd_commit(struct cmd_ctx *, int, char **);
static int	 cmd_abort(struct cmd_ctx *, int, char **);
static int	 cmd_reload(struct cmd_ctx *, int, char **);
static int	 cmd_health(struct cmd_ctx *, int, char **);
static int	 cmd_help(struct cmd_ctx *, int, char **);


#define SVC_PARAMS	"[scheduler NAME] [persistent SECONDS] [netmask MASK] " \
			"[flags LIST|none] [ops [on|off]] [laddr A[,A...]|none] " \
			"[proxy none|v1|v2] [pe none|sip]"
#define RS_PARAMS	"[method dr|nat|fullnat|tun] [weight N] " \
			"[uthreshold N] [lthreshold N] " \
			"[tun-type ipip|gue|gre] [tun-port N] " \
			"[tun-csum nocsum|csum|remcsum]"

const struct ctl_cmd ctl_cmds[CMD__MAX] = {
	[CMD_VERSION] = { "version", 0, 0, 0, cmd_version, "version" },
	[CMD_HELLO] = { "hello", 1, 1, 0, cmd_hello,
	    "hello PROTOCOL-VERSION" },
	[CMD_STATUS] = { "status", 0, 0, 0, cmd_status, "status" },
	[CMD_ADD_SERVICE] = { "add-service", 2, 18, CMD_F_EDIT,
	    cmd_add_service, "add-service PROTO VIP:PORT " SVC_PARAMS },
	[CMD_EDIT_SERVICE] = { "edit-service", 2, 18, CMD_F_EDIT,
	    cmd_edit_service, "edit-service PROTO VIP:PORT " SVC_PARAMS },
	[CMD_DEL_SERVICE] = { "del-service", 2, 2, CMD_F_EDIT,
	    cmd_del_service, "del-service PROTO VIP:PORT" },
	[CMD_CLEAR] = { "clear", 0, 0, CMD_F_EDIT, cmd_clear, "clear" },
	[CMD_ADD_SERVER] = { "add-server", 3, 17, CMD_F_EDIT, cmd_add_server,
	    "add-server PROTO VIP:PORT RIP[:PORT] " RS_PARAMS },
	[CMD_EDIT_SERVER] = { "edit-server", 3, 17, CMD_F_EDIT,
	    cmd_edit_server, "edit-server PROTO VIP:PORT RIP[:PORT] "
	    RS_PARAMS },
	[CMD_DEL_SERVER] = { "del-server", 3, 3, CMD_F_EDIT, cmd_del_server,
	    "del-server PROTO VIP:PORT RIP[:PORT]" },
	[CMD_LIST] = { "list", 0, 2, 0, cmd_list, "list [PROTO VIP:PORT]" },
	[CMD_STATS] = { "stats", 0, 0, 0, cmd_stats, "stats" },
	[CMD_ZERO] = { "zero", 0, 2, CMD_F_NOBATCH, cmd_zero,
	    "zero [PROTO VIP:PORT]" },
	[CMD_TIMEOUT] = { "timeout", 0, 0, 0, cmd_timeout, "timeout" },
	[CMD_SET_TIMEOUT] = { "set-timeout", 3, 3, CMD_F_NOBATCH,
	    cmd_set_timeout, "set-timeout TCP TCPFIN UDP" },
	[CMD_CONNECTIONS] = { "connections", 0, 2, 0, cmd_connections,
	    "connections [PROTO VIP:PORT]" },
	[CMD_BEGIN] = { "begin", 0, 0, 0, cmd_begin, "begin" },
	[CMD_COMMIT] = { "commit", 0, 0, 0, cmd_commit, "commit" },
	[CMD_ABORT] = { "abort", 0, 0, 0, cmd_abort, "abort" },
	[CMD_RELOAD] = { "reload", 0, 0, CMD_F_NOBATCH, cmd_reload,
	    "reload" },
	[CMD_HEALTH] = { "health", 0, 0, 0, cmd_health, "health" },
	[CMD_HELP] = { "help", 0, 0, 0, cmd_help, "help" },
};

/*
 * <s> made safe to quote back: control bytes become '?' (a reply line
 * must stay one line and a terminal must stay sane), and it is cut at
 * QUOTE_MAX bytes.
 */
const char *
quote(const char *s, char *buf, size_t len)
{
	size_t	 i;

	for (i = 0; s[i] != '\0' && i + 1 < len && i < QUOTE_MAX; i++)
		buf[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ?
		    '?' : s[i];
	buf[i] = '\0';
	if (s[i] != '\0' && i >= 3)
		memcpy(buf + i - 3, "...", 3);
	return buf;
}

int
usage_err(const struct ctl_cmd *c, struct uvs_err *err)
{
	uvs_err_set(err, "usage: %s", c->cc_usage);
	return -EINVAL;
}

static int
parse_proto(const char *s, struct uvs_err *err)
{
	char	 q[QUOTE_MAX + 1];
	int	 p;

	if ((p = proto_parse(s)) < 0)
		uvs_err_set(err, "unknown protocol '%s' (tcp, udp or sctp)",
		    quote(s, q, sizeof(q)));
	return p;
}

static int
parse_ep(const char *s, bool need_port, struct ep *ret, struct uvs_err *err)
{
	char	 q[QUOTE_MAX + 1];

	if (ep_parse(s, need_port, ret) != 0) {
		uvs_err_set(err, "bad address '%s'", quote(s, q, sizeof(q)));
		return -EINVAL;
	}
	return 0;
}

/* PROTO VIP:PORT at argv[1], argv[2]. */
int
parse_svc(char **argv, int *ret_proto, struct ep *ret_vip,
    struct uvs_err *err)
{
	int	 p, r;

	if ((p = parse_proto(argv[1], err)) < 0)
		return p;
	if ((r = parse_ep(argv[2], true, ret_vip, err)) < 0)
		return r;
	*ret_proto = p;
	return 0;
}

/* A real server without a port takes its service's. */
int
parse_rip(const char *s, const struct ep *vip, struct ep *ret,
    struct uvs_err *err)
{
	int	 r;

	if ((r = parse_ep(s, false, ret, err)) < 0)
		return r;
	if (ret->ep_port == 0)
		ret->ep_port = vip->ep_port;
	return 0;
}

/*
 * Keyword arguments "key value ..." in argv[0..argc-1] into the matching
 * <vals>[i] of <keys>[i]; every key at most once.  A key in <bare> may
 * also stand alone, or take "on" or "off": alone it reads "on".  -EINVAL
 * on anything else (the caller answers with its usage).
 */
int
parse_kw(int argc, char **argv, const char *const *keys, const char **vals,
    size_t nkeys, const char *bare)
{
	size_t	 k;
	int	 i;

	for (k = 0; k < nkeys; k++)
		vals[k] = NULL;
	for (i = 0; i < argc; i++) {
		for (k = 0; k < nkeys; k++)
			if (strcmp(argv[i], keys[k]) == 0)
				break;
		if (k == nkeys || vals[k] != NULL)
			return -EINVAL;
		if (bare != NULL && strcmp(keys[k], bare) == 0) {
			if (i + 1 < argc && (strcmp(argv[i + 1], "on") == 0 ||
			    strcmp(argv[i + 1], "off") == 0))
				vals[k] = argv[++i];
			else
				vals[k] = "on";
			continue;
		}
		if (i + 1 >= argc)
			return -EINVAL;
		vals[k] = argv[++i];
	}
	return 0;
}

int
parse_sched(const char *s, char *ret, struct uvs_err *err)
{
	char	 q[QUOTE_MAX + 1];
	size_t	 i, n = strlen(s);

	for (i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '-' && s[i] != '_')
			break;
	if (n == 0 || i < n || n >= SCHED_NAME_MAX) {
		uvs_err_set(err, "bad scheduler name '%s'",
		    quote(s, q, sizeof(q)));
		return -EINVAL;
	}
	memcpy(ret, s, n + 1);
	return 0;
}

int
parse_num(const char *s, const char *what, unsigned long max, uint32_t *ret,
    struct uvs_err *err)
{
	unsigned long	 v;
	char		 q[QUOTE_MAX + 1];

	if (parse_uint(s, 0, max, &v) != 0) {
		uvs_err_set(err, "bad %s '%s' (0..%lu)", what,
		    quote(s, q, sizeof(q)), max);
		return -EINVAL;
	}
	*ret = (uint32_t)v;
	return 0;
}

/* A v4 mask must be contiguous: what persistence granularity means. */
int
parse_netmask(const char *s, int af, uint32_t *ret, struct uvs_err *err)
{
	struct in_addr	 in;
	unsigned long	 v;
	uint32_t	 m;
	char		 q[QUOTE_MAX + 1];

	if (af == AF_INET6) {
		if (parse_uint(s, 1, 128, &v) == 0) {
			*ret = (uint32_t)v;
			return 0;
		}
		uvs_err_set(err, "bad netmask '%s' (an IPv6 prefix length "
		    "1..128)", quote(s, q, sizeof(q)));
		return -EINVAL;
	}
	if (inet_pton(AF_INET, s, &in) == 1) {
		m = ntohl(in.s_addr);
		if ((m & (~m >> 1)) == 0 && m != 0) {
			*ret = in.s_addr;
			return 0;
		}
	}
	uvs_err_set(err, "bad netmask '%s' (a contiguous IPv4 mask such as "
	    "255.255.255.0)", quote(s, q, sizeof(q)));
	return -EINVAL;
}

static const struct {
	const char	*name;
	uint32_t	 flag;
} sched_flags[] = {
	{ "flag-1", SVC_F_SCHED1 }, { "flag-2", SVC_F_SCHED2 },
	{ "flag-3", SVC_F_SCHED3 },
	{ "sh-fallback", SVC_F_SCHED1 }, { "sh-port", SVC_F_SCHED2 },
	{ "mh-fallback", SVC_F_SCHED1 }, { "mh-port", SVC_F_SCHED2 },
};

int
parse_flags(const char *s, uint32_t *ret, struct uvs_err *err)
{
	char		 buf[128], q[QUOTE_MAX + 1], *w, *save;
	uint32_t	 f = 0;
	size_t		 i;

	if (strcmp(s, "none") == 0) {
		*ret = 0;
		return 0;
	}
	if (strlen(s) >= sizeof(buf) || *s == '\0' || *s == ',')
		goto bad;
	memcpy(buf, s, strlen(s) + 1);
	for (w = strtok_r(buf, ",", &save); w != NULL;
	    w = strtok_r(NULL, ",", &save)) {
		for (i = 0; i < nitems(sched_flags); i++)
			if (strcmp(w, sched_flags[i].name) == 0)
				break;
		if (i == nitems(sched_flags))
			goto bad;
		f |= sched_flags[i].flag;
	}
	*ret = f;
	return 0;
bad:
	uvs_err_set(err, "bad scheduler flags '%s' (comma list of flag-1, "
	    "flag-2, flag-3, sh-fallback, sh-port, mh-fallback, mh-port, "
	    "or none)", quote(s, q, sizeof(q)));
	return -EINVAL;
}

int
parse_method(const char *s, uint8_t *ret, struct uvs_err *err)
{
	char	 q[QUOTE_MAX + 1];
	int	 m;

	if ((m = xmit_parse(s)) >= 0) {
		*ret = (uint8_t)m;
		return 0;
	}
	uvs_err_set(err, "unknown method '%s' (dr, nat, fullnat or tun)",
	    quote(s, q, sizeof(q)));
	return -EINVAL;
}

int
parse_weight(const char *s, int32_t *ret, struct uvs_err *err)
{
	unsigned long	 w;
	char		 q[QUOTE_MAX + 1];

	if (parse_uint(s, 0, INT32_MAX, &w) != 0) {
		uvs_err_set(err, "bad weight '%s' (0..%d)",
		    quote(s, q, sizeof(q)), INT32_MAX);
		return -EINVAL;
	}
	*ret = (int32_t)w;
	return 0;
}

const char *
method_name(int m)
{
	const struct xmit_ops	*x = xmit_get(m);

	return x != NULL ? x->name : "?";
}

unsigned
nstats(const struct uvsd *d)
{
	return d->d_nworkers > 0 ? d->d_nworkers : 1;
}

/* The full mask: what a service without -M has. */
uint32_t
netmask_default(int af)
{
	return af == AF_INET6 ? 128 : 0xffffffffu;
}

/* No snapshot, a missing state: zeros. */
void
slot_get(struct uvsd *d, uint32_t slot, struct counters *ret,
    struct rates *ret_rates)
{
	memset(ret, 0, sizeof(*ret));
	memset(ret_rates, 0, sizeof(*ret_rates));
	if (d->d_wstats != NULL && slot < STATS_SLOTS)
		stats_get(d->d_wstats, nstats(d), slot, ret, ret_rates);
}

/*
 * Make <vc> what runs, or free it.  Either way the caller no longer owns
 * it.
 */
static int
commit(struct uvsd *d, struct vs_conf *vc, struct uvs_err *err)
{
	int	 r;

	if ((r = daemon_commit(d, vc, err)) < 0) {
		vsconf_free(vc);
		return r;
	}
	return 0;
}

static uint64_t
table_gen(struct uvsd *d)
{
	const struct table	*t = table_current(d->d_tables);

	return t != NULL ? t->t_gen : 0;
}

static int
cmd_version(struct cmd_ctx *x, int argc, char **argv)
{
	(void)argc, (void)argv;
	return rbuf_printf(x->x_out, "uvsd %s protocol %d\n", PACKAGE_VERSION,
	    CTL_PROTO_VERSION);
}

/*
 * uvsadm parses "uvsd speaks protocol N" out of the refusal to tell its
 * user which side is older: keep those words.
 */
static int
cmd_hello(struct cmd_ctx *x, int argc, char **argv)
{
	unsigned long	 v;

	(void)argc;
	if (parse_uint(argv[1], 0, UINT32_MAX, &v) != 0)
		return usage_err(&ctl_cmds[CMD_HELLO], x->x_err);
	if (v != CTL_PROTO_VERSION) {
		uvs_err_set(x->x_err, "client speaks protocol %lu, uvsd "
		    "speaks protocol %d", v, CTL_PROTO_VERSION);
		if (x->x_s != NULL)
			x->x_s->cs_close = true;
		return -EPROTO;
	}
	return 0;
}

/* "laddr A ports LO-HI tcp N udp N": a fullnat LIP's ports in use. */
static void
status_laddr(const struct laddr *la, void *arg)
{
	struct cmd_ctx	*x = arg;
	char		 a[ADDR_STRLEN];
	uint16_t	 lo, hi;

	laddr_set_range(x->x_d->d_laddrs, &lo, &hi);
	rbuf_printf(x->x_out, "laddr %s ports %u-%u tcp %u udp %u\n",
	    addr_fmt(laddr_addr(la), a, sizeof(a)), (unsigned)lo,
	    (unsigned)hi, laddr_ports_used(la, IPPROTO_TCP),
	    laddr_ports_used(la, IPPROTO_UDP));
}

static int
cmd_status(struct cmd_ctx *x, int argc, char **argv)
{
	struct uvsd	*d = x->x_d;
	struct rbuf	*out = x->x_out;
	time_t		 now = time(NULL);
	unsigned	 i;

	(void)argc, (void)argv;
	rbuf_printf(out, "uptime %lld\n", now > d->d_started ?
	    (long long)(now - d->d_started) : 0LL);
	rbuf_printf(out, "workers %u\n", d->d_nworkers);
	rbuf_add(out, "interfaces", strlen("interfaces"));
	for (i = 0; i < d->d_nifs; i++)
		rbuf_printf(out, " %s", d->d_ifs[i].if_name);
	rbuf_add(out, "\n", 1);
	rbuf_printf(out, "connections %u max %u\n",
	    d->d_conns != NULL ? conn_count(d->d_conns) : 0,
	    d->d_conns != NULL ? conn_max(d->d_conns) : 0);
	rbuf_printf(out, "generation %llu\n",
	    (unsigned long long)table_gen(d));
	rbuf_printf(out, "commits %llu\n", (unsigned long long)d->d_commits);
	rbuf_printf(out, "config %s\n", d->d_opts.o_config != NULL ?
	    d->d_opts.o_config : "none");
	if (d->d_reload_time == 0)
		rbuf_printf(out, "reload never\n");
	else if (d->d_reload_result == 0)
		rbuf_printf(out, "reload %lld ok\n",
		    (long long)d->d_reload_time);
	else
		rbuf_printf(out, "reload %lld failed %s\n",
		    (long long)d->d_reload_time, d->d_reload_msg[0] != '\0' ?
		    d->d_reload_msg : strerror(-d->d_reload_result));
	if (d->d_laddrs != NULL)
		laddr_foreach(d->d_laddrs, status_laddr, x);
	/* Each checked real server's health, last result and reason. */
	health_list(d->d_health, out);
	return out->rb_err;
}

void
ctl_session_reset(struct ctl_session *s)
{
	if (s == NULL)
		return;
	vsconf_free(s->cs_conf);
	s->cs_conf = NULL;
	s->cs_nreq = 0;
	s->cs_failed = 0;
	s->cs_fail_r = 0;
	s->cs_fail_text[0] = '\0';
	rbuf_free(&s->cs_lines);
}

static int
cmd_begin(struct cmd_ctx *x, int argc, char **argv)
{
	struct ctl_session	*s = x->x_s;

	(void)argc, (void)argv;
	if (s == NULL) {
		uvs_err_set(x->x_err, "batches need a connection");
		return -ENOTSUP;
	}
	if (s->cs_conf != NULL) {
		uvs_err_set(x->x_err, "a batch is already open (commit or "
		    "abort it first)");
		return -EBUSY;
	}
	if ((s->cs_conf = vsconf_dup(daemon_conf(x->x_d))) == NULL) {
		uvs_err_set(x->x_err, "out of memory");
		return -ENOMEM;
	}
	s->cs_gen = table_gen(x->x_d);
	return 0;
}

static int
no_batch(struct uvs_err *err, const char *verb)
{
	uvs_err_set(err, "%s without a batch (begin first)", verb);
	return -EINVAL;
}

static int	 run_edit(struct uvsd *d, struct ctl_session *s,
		    struct vs_conf *vc, char *line, struct rbuf *out,
		    struct uvs_err *err);

/*
 * The batch's requests again, on what runs now: somebody else committed
 * since "begin", and a batch must not undo that.
 */
static int
batch_replay(struct cmd_ctx *x, struct vs_conf **ret)
{
	struct ctl_session	*s = x->x_s;
	struct vs_conf		*vc;
	struct rbuf		 junk = { 0 };
	char			*p, *nl;
	unsigned		 n = 0;
	int			 r = 0;

	if ((vc = vsconf_dup(daemon_conf(x->x_d))) == NULL) {
		uvs_err_set(x->x_err, "out of memory");
		return -ENOMEM;
	}
	for (p = s->cs_lines.rb_buf; p != NULL && *p != '\0'; p = nl + 1) {
		nl = strchr(p, '\n');
		*nl = '\0';
		n++;
		r = run_edit(x->x_d, NULL, vc, p, &junk, x->x_err);
		*nl = '\n';
		if (r < 0) {
			char	 text[sizeof(x->x_err->e_text)];

			snprintf(text, sizeof(text), "%s", x->x_err->e_text);
			uvs_err_set(x->x_err, "request %u: %s", n, text);
			vsconf_free(vc);
			rbuf_free(&junk);
			return r;
		}
		rbuf_reset(&junk);
	}
	rbuf_free(&junk);
	*ret = vc;
	return 0;
}

static int
cmd_commit(struct cmd_ctx *x, int argc, char **argv)
{
	struct ctl_session	*s = x->x_s;
	struct vs_conf		*vc;
	int			 r;

	(void)argc, (void)argv;
	if (s == NULL || s->cs_conf == NULL)
		return no_batch(x->x_err, "commit");
	if (s->cs_failed != 0) {
		uvs_err_set(x->x_err, "request %u: %s", s->cs_failed,
		    s->cs_fail_text);
		r = s->cs_fail_r;
		ctl_session_reset(s);
		return r;
	}
	if (s->cs_nreq == 0) {
		ctl_session_reset(s);
		return 0;
	}
	if (table_gen(x->x_d) == s->cs_gen) {
		vc = s->cs_conf;
		s->cs_conf = NULL;
	} else if ((r = batch_replay(x, &vc)) < 0) {
		ctl_session_reset(s);
		return r;
	}
	ctl_session_reset(s);
	return commit(x->x_d, vc, x->x_err);
}

static int
cmd_abort(struct cmd_ctx *x, int argc, char **argv)
{
	(void)argc, (void)argv;
	if (x->x_s == NULL || x->x_s->cs_conf == NULL)
		return no_batch(x->x_err, "abort");
	ctl_session_reset(x->x_s);
	return 0;
}

static int
cmd_reload(struct cmd_ctx *x, int argc, char **argv)
{
	struct uvs_err	 e;
	char		 text[sizeof(e.e_text)];
	int		 r;

	(void)argc, (void)argv;
	memset(&e, 0, sizeof(e));
	if ((r = daemon_reload(x->x_d, &e)) == 0)
		return 0;
	if (r == -ENOENT && e.e_text[0] == '\0' &&
	    x->x_d->d_opts.o_config == NULL)
		uvs_err_set(x->x_err, "uvsd runs without a configuration "
		    "file (-f)");
	else if (e.e_text[0] != '\0')
		uvs_err_set(x->x_err, "%s", uvs_err_fmt(&e, text,
		    sizeof(text)));
	return r;
}

void
ctl_cmd_usage(struct rbuf *out)
{
	size_t	 i;

	for (i = 0; i < nitems(ctl_cmds); i++)
		rbuf_printf(out, "%s\n", ctl_cmds[i].cc_usage);
}

/* One "check" line per checked real server (health.c). */
static int
cmd_health(struct cmd_ctx *x, int argc, char **argv)
{
	(void)argc, (void)argv;
	health_list(x->x_d->d_health, x->x_out);
	return 0;
}

static int
cmd_help(struct cmd_ctx *x, int argc, char **argv)
{
	(void)argc, (void)argv;
	ctl_cmd_usage(x->x_out);
	return 0;
}

/*
 * Split <buf> in place into at most <max> blank-separated words.  Returns
 * the count, or -E2BIG when there are more.
 */
static int
split(char *buf, char **argv, int max)
{
	char	*p = buf;
	int	 n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p == '\0')
			return n;
		if (n == max)
			return -E2BIG;
		argv[n++] = p;
		while (*p != '\0' && *p != ' ' && *p != '\t')
			p++;
		if (*p != '\0')
			*p++ = '\0';
	}
}

/* ERR texts stay on one line whatever a table error quoted. */
static void
reply_err(struct rbuf *out, int r, const struct uvs_err *err)
{
	char	 text[sizeof(err->e_text)];
	size_t	 i;

	if (err->e_text[0] != '\0')
		snprintf(text, sizeof(text), "%s", err->e_text);
	else
		snprintf(text, sizeof(text), "%s", strerror(-r));
	for (i = 0; text[i] != '\0'; i++)
		if ((unsigned char)text[i] < 0x20 || text[i] == 0x7f)
			text[i] = '?';
	rbuf_printf(out, "ERR %s %s\n", errno_name(r), text);
}

/*
 * Split <line> (changed in place) and find its verb.  Returns the verb's
 * row, or NULL with the reason in <err> and *<ret_r>.
 */
static const struct ctl_cmd *
lookup(char *line, int *ret_argc, char **argv, int *ret_r,
    struct uvs_err *err)
{
	char	 q[QUOTE_MAX + 1];
	size_t	 i;
	int	 argc;

	if ((argc = split(line, argv, CTL_ARGS_MAX)) < 0) {
		uvs_err_set(err, "too many words in request (at most %d)",
		    CTL_ARGS_MAX);
		*ret_r = argc;
		return NULL;
	}
	if (argc == 0) {
		uvs_err_set(err, "empty request");
		*ret_r = -EINVAL;
		return NULL;
	}
	argv[argc] = NULL;
	*ret_argc = argc;
	for (i = 0; i < nitems(ctl_cmds); i++)
		if (strcmp(argv[0], ctl_cmds[i].cc_name) == 0)
			return &ctl_cmds[i];
	uvs_err_set(err, "unknown command '%s'", quote(argv[0], q, sizeof(q)));
	*ret_r = -EINVAL;
	return NULL;
}

/* Run <c> with its argument counts checked. */
static int
call(const struct ctl_cmd *c, struct cmd_ctx *x, int argc, char **argv)
{
	if (argc - 1 < c->cc_minargs || argc - 1 > c->cc_maxargs)
		return usage_err(c, x->x_err);
	return c->cc_fn(x, argc, argv);
}

/*
 * A changing request <line> against <vc> (a batch replay): only
 * CMD_F_EDIT verbs.
 */
static int
run_edit(struct uvsd *d, struct ctl_session *s, struct vs_conf *vc,
    char *line, struct rbuf *out, struct uvs_err *err)
{
	const struct ctl_cmd	*c;
	struct cmd_ctx		 x = { d, s, vc, out, err };
	char			*argv[CTL_ARGS_MAX + 1];
	int			 argc = 0, r = 0;

	if ((c = lookup(line, &argc, argv, &r, err)) == NULL)
		return r;
	if (!(c->cc_flags & CMD_F_EDIT)) {
		uvs_err_set(err, "%s cannot be replayed", c->cc_name);
		return -EINVAL;
	}
	return call(c, &x, argc, argv);
}

/* Inside a batch: remember the request, its failure, and answer. */
static int
batch_run(const struct ctl_cmd *c, struct cmd_ctx *x, int argc, char **argv,
    const char *line, size_t len)
{
	struct ctl_session	*s = x->x_s;
	int			 r;

	if (s->cs_lines.rb_len + len + 1 > CTL_BATCH_BYTES) {
		uvs_err_set(x->x_err, "batch too large (at most %u bytes of "
		    "requests)", CTL_BATCH_BYTES);
		r = -E2BIG;
	} else if (c->cc_flags & CMD_F_NOBATCH) {
		uvs_err_set(x->x_err, "%s cannot be part of a batch",
		    c->cc_name);
		r = -EBUSY;
	} else {
		x->x_vc = s->cs_conf;
		r = call(c, x, argc, argv);
		if (r == 0 && (c->cc_flags & CMD_F_EDIT) &&
		    (rbuf_add(&s->cs_lines, line, len) != 0 ||
		    rbuf_add(&s->cs_lines, "\n", 1) != 0)) {
			uvs_err_set(x->x_err, "out of memory");
			r = -ENOMEM;
		}
	}
	if (!(c->cc_flags & (CMD_F_EDIT | CMD_F_NOBATCH)))
		return r;	/* queries do not count */
	s->cs_nreq++;
	if (r < 0 && s->cs_failed == 0) {
		s->cs_failed = s->cs_nreq;
		s->cs_fail_r = r;
		snprintf(s->cs_fail_text, sizeof(s->cs_fail_text), "%s",
		    x->x_err->e_text[0] != '\0' ? x->x_err->e_text :
		    strerror(-r));
	}
	return r;
}

void
ctl_cmd_run(struct uvsd *d, struct ctl_session *s, const char *line,
    struct rbuf *out)
{
	const struct ctl_cmd	*c;
	struct uvs_err		 err;
	struct cmd_ctx		 x = { d, s, NULL, out, &err };
	char			 buf[CTL_LINE_MAX];
	char			*argv[CTL_ARGS_MAX + 1];
	size_t			 mark = out->rb_len, n;
	int			 argc = 0, r = 0;

	memset(&err, 0, sizeof(err));
	n = strlen(line);
	if (n > 0 && line[n - 1] == '\r')	/* socat crlf, telnet */
		n--;
	if (n >= sizeof(buf)) {
		uvs_err_set(&err, "request line too long");
		r = -E2BIG;
		goto out;
	}
	memcpy(buf, line, n);
	buf[n] = '\0';
	if ((c = lookup(buf, &argc, argv, &r, &err)) == NULL)
		goto out;
	if (s != NULL && s->cs_conf != NULL && (c->cc_flags &
	    (CMD_F_EDIT | CMD_F_NOBATCH)))
		r = batch_run(c, &x, argc, argv, line, n);
	else if (c->cc_flags & CMD_F_EDIT) {
		if ((x.x_vc = vsconf_dup(daemon_conf(d))) == NULL) {
			uvs_err_set(&err, "out of memory");
			r = -ENOMEM;
		} else if ((r = call(c, &x, argc, argv)) < 0)
			vsconf_free(x.x_vc);
		else
			r = commit(d, x.x_vc, &err);
	} else
		r = call(c, &x, argc, argv);
	if (r == 0 && out->rb_err != 0) {
		uvs_err_set(&err, "out of memory");
		r = -ENOMEM;
	}
out:
	if (r < 0) {
		/* Half a listing would read as a whole one. */
		out->rb_len = mark;
		if (out->rb_buf != NULL)
			out->rb_buf[mark] = '\0';
		out->rb_err = 0;
		reply_err(out, r, &err);
	} else
		rbuf_add(out, "OK\n", 3);
}
