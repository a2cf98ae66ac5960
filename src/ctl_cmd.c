/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin protocol's verbs (ctl_cmd.h, /tmp/proto.md, uvsd.8): one row
 * in cmds[] and one handler each.  A request is split into words, checked
 * against its row's argument counts, and handed to the handler, which
 * writes data lines into the reply buffer and returns 0 or -errno with
 * the reason in a struct uvs_err.  ctl_cmd_run() then appends "OK", or
 * throws the data lines away and appends "ERR <errno name> <text>".
 *
 * Changing verbs never touch the running configuration: they edit a copy
 * (vsconf_dup()) and table_commit() it whole, so a request that fails
 * changes nothing.  Listings read the published snapshot and sum the
 * workers' counters.  Control thread only.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "addr.h"
#include "conn.h"
#include "ctl_cmd.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "rbuf.h"
#include "sched/sched.h"
#include "stats.h"
#include "table.h"
#include "util.h"
#include "xmit/xmit.h"

#define QUOTE_MAX	64	/* user input quoted back in errors */

struct ctl_cmd {
	const char	*cc_name;
	int		 cc_minargs;	/* words after the verb */
	int		 cc_maxargs;
	int		(*cc_fn)(struct uvsd *d, int argc, char **argv,
			    struct rbuf *out, struct uvs_err *err);
	const char	*cc_usage;
};

/* Handlers: argv[0] is the verb; 0 or -errno with the reason in <err>. */
static int	 cmd_version(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_hello(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_status(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_add_service(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_edit_service(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_del_service(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_clear(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_add_server(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_edit_server(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_del_server(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_list(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_stats(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);
static int	 cmd_help(struct uvsd *, int, char **, struct rbuf *,
		    struct uvs_err *);

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
	CMD_HELP,
	CMD__MAX
};

static const struct ctl_cmd cmds[CMD__MAX] = {
	[CMD_VERSION] = { "version", 0, 0, cmd_version, "version" },
	[CMD_HELLO] = { "hello", 1, 1, cmd_hello, "hello PROTOCOL-VERSION" },
	[CMD_STATUS] = { "status", 0, 0, cmd_status, "status" },
	[CMD_ADD_SERVICE] = { "add-service", 2, 4, cmd_add_service,
	    "add-service PROTO VIP:PORT [scheduler NAME]" },
	[CMD_EDIT_SERVICE] = { "edit-service", 2, 4, cmd_edit_service,
	    "edit-service PROTO VIP:PORT [scheduler NAME]" },
	[CMD_DEL_SERVICE] = { "del-service", 2, 2, cmd_del_service,
	    "del-service PROTO VIP:PORT" },
	[CMD_CLEAR] = { "clear", 0, 0, cmd_clear, "clear" },
	[CMD_ADD_SERVER] = { "add-server", 3, 7, cmd_add_server,
	    "add-server PROTO VIP:PORT RIP[:PORT] [method dr|nat] [weight N]" },
	[CMD_EDIT_SERVER] = { "edit-server", 3, 7, cmd_edit_server,
	    "edit-server PROTO VIP:PORT RIP[:PORT] [method dr|nat] [weight N]" },
	[CMD_DEL_SERVER] = { "del-server", 3, 3, cmd_del_server,
	    "del-server PROTO VIP:PORT RIP[:PORT]" },
	[CMD_LIST] = { "list", 0, 2, cmd_list, "list [PROTO VIP:PORT]" },
	[CMD_STATS] = { "stats", 0, 0, cmd_stats, "stats" },
	[CMD_HELP] = { "help", 0, 0, cmd_help, "help" },
};

/*
 * <s> made safe to quote back: control bytes become '?' (a reply line
 * must stay one line and a terminal must stay sane), and it is cut at
 * QUOTE_MAX bytes.
 */
static const char *
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

static int
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
		uvs_err_set(err, "unknown protocol '%s' (tcp or udp)",
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
static int
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
static int
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
 * <vals>[i] of <keys>[i]; every key at most once.  -EINVAL on anything
 * else (the caller answers with its usage).
 */
static int
parse_kw(int argc, char **argv, const char *const *keys, const char **vals,
    size_t nkeys)
{
	size_t	 k;
	int	 i;

	for (k = 0; k < nkeys; k++)
		vals[k] = NULL;
	if (argc % 2 != 0)
		return -EINVAL;
	for (i = 0; i < argc; i += 2) {
		for (k = 0; k < nkeys; k++)
			if (strcmp(argv[i], keys[k]) == 0)
				break;
		if (k == nkeys || vals[k] != NULL)
			return -EINVAL;
		vals[k] = argv[i + 1];
	}
	return 0;
}

static int
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

static int
parse_method(const char *s, uint8_t *ret, struct uvs_err *err)
{
	char	 q[QUOTE_MAX + 1];
	int	 m;

	if ((m = xmit_parse(s)) >= 0) {
		*ret = (uint8_t)m;
		return 0;
	}
	uvs_err_set(err, "unknown method '%s' (dr or nat)",
	    quote(s, q, sizeof(q)));
	return -EINVAL;
}

static int
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

static const char *
method_name(int m)
{
	const struct xmit_ops	*x = xmit_get(m);

	return x != NULL ? x->name : "?";
}

/*
 * Make <vc> what runs, or free it.  Either way the caller no longer owns
 * it.
 */
static int
commit(struct uvsd *d, struct vs_conf *vc, struct uvs_err *err)
{
	int	 r;

	if ((r = table_commit(d->d_tables, vc, err)) < 0) {
		vsconf_free(vc);
		return r;
	}
	d->d_commits++;
	daemon_after_commit(d);
	return 0;
}

static struct vs_conf *
conf_copy(struct uvsd *d, struct uvs_err *err)
{
	struct vs_conf	*vc;

	if ((vc = vsconf_dup(table_conf(d->d_tables))) == NULL)
		uvs_err_set(err, "out of memory");
	return vc;
}

static int
cmd_version(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	(void)d, (void)argc, (void)argv, (void)err;
	return rbuf_printf(out, "uvsd %s protocol %d\n", PACKAGE_VERSION,
	    CTL_PROTO_VERSION);
}

static int
cmd_hello(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	unsigned long	 v;

	(void)d, (void)argc, (void)out;
	if (parse_uint(argv[1], 0, UINT32_MAX, &v) != 0)
		return usage_err(&cmds[CMD_HELLO], err);
	if (v != CTL_PROTO_VERSION) {
		uvs_err_set(err, "client speaks protocol %lu, uvsd speaks "
		    "protocol %d", v, CTL_PROTO_VERSION);
		return -EPROTO;
	}
	return 0;
}

static int
cmd_status(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	const struct table	*t = table_current(d->d_tables);
	time_t			 now = time(NULL);
	unsigned		 i;

	(void)argc, (void)argv, (void)err;
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
	    (unsigned long long)(t != NULL ? t->t_gen : 0));
	return rbuf_printf(out, "commits %llu\n",
	    (unsigned long long)d->d_commits);
}

/* add-service and edit-service share their syntax. */
static int
svc_request(struct uvsd *d, int argc, char **argv, bool add,
    struct uvs_err *err)
{
	static const char *const keys[] = { "scheduler" };
	const struct ctl_cmd	*c = &cmds[add ? CMD_ADD_SERVICE :
				    CMD_EDIT_SERVICE];
	const struct svc_conf	*old;
	struct svc_conf		 sc;
	struct vs_conf		*vc;
	const char		*vals[nitems(keys)];
	int			 proto, r;

	memset(&sc, 0, sizeof(sc));
	if (parse_kw(argc - 3, argv + 3, keys, vals, nitems(keys)) != 0)
		return usage_err(c, err);
	if ((r = parse_svc(argv, &proto, &sc.sc_ep, err)) < 0)
		return r;
	sc.sc_proto = (uint8_t)proto;
	snprintf(sc.sc_sched, sizeof(sc.sc_sched), "%s", SCHED_DEFAULT);
	if (vals[0] != NULL && (r = parse_sched(vals[0], sc.sc_sched, err)) < 0)
		return r;
	if ((vc = conf_copy(d, err)) == NULL)
		return -ENOMEM;
	if (add)
		r = vsconf_add_svc(vc, &sc, err);
	else {
		/* What the request leaves out stays as it is. */
		old = vsconf_find_svc(vc, sc.sc_proto, &sc.sc_ep);
		if (old != NULL) {
			sc.sc_flags = old->sc_flags;
			if (vals[0] == NULL)
				memcpy(sc.sc_sched, old->sc_sched,
				    sizeof(sc.sc_sched));
		}
		r = vsconf_edit_svc(vc, &sc, err);
	}
	if (r < 0) {
		vsconf_free(vc);
		return r;
	}
	return commit(d, vc, err);
}

static int
cmd_add_service(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	(void)out;
	return svc_request(d, argc, argv, true, err);
}

static int
cmd_edit_service(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	(void)out;
	return svc_request(d, argc, argv, false, err);
}

static int
cmd_del_service(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	struct vs_conf	*vc;
	struct ep	 vip;
	int		 proto, r;

	(void)argc, (void)out;
	if ((r = parse_svc(argv, &proto, &vip, err)) < 0)
		return r;
	if ((vc = conf_copy(d, err)) == NULL)
		return -ENOMEM;
	if ((r = vsconf_del_svc(vc, proto, &vip, err)) < 0) {
		vsconf_free(vc);
		return r;
	}
	return commit(d, vc, err);
}

static int
cmd_clear(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	struct vs_conf	*vc;

	(void)argc, (void)argv, (void)out;
	if ((vc = conf_copy(d, err)) == NULL)
		return -ENOMEM;
	vsconf_clear(vc);
	return commit(d, vc, err);
}

/* add-server and edit-server share their syntax. */
static int
rs_request(struct uvsd *d, int argc, char **argv, bool add,
    struct uvs_err *err)
{
	static const char *const keys[] = { "method", "weight" };
	const struct ctl_cmd	*c = &cmds[add ? CMD_ADD_SERVER :
				    CMD_EDIT_SERVER];
	const struct svc_conf	*sc;
	const struct rs_conf	*old;
	struct rs_conf		 rc;
	struct vs_conf		*vc;
	struct ep		 vip;
	const char		*vals[nitems(keys)];
	int			 proto, r;

	memset(&rc, 0, sizeof(rc));
	if (parse_kw(argc - 4, argv + 4, keys, vals, nitems(keys)) != 0)
		return usage_err(c, err);
	if ((r = parse_svc(argv, &proto, &vip, err)) < 0 ||
	    (r = parse_rip(argv[3], &vip, &rc.rc_ep, err)) < 0)
		return r;
	rc.rc_method = XMIT_DR;
	rc.rc_weight = 1;
	if ((vc = conf_copy(d, err)) == NULL)
		return -ENOMEM;
	if (!add && (sc = vsconf_find_svc(vc, proto, &vip)) != NULL &&
	    (old = vsconf_find_rs(sc, &rc.rc_ep)) != NULL) {
		/* What the request leaves out stays as it is. */
		rc.rc_method = old->rc_method;
		rc.rc_weight = old->rc_weight;
	}
	if ((vals[0] != NULL &&
	    (r = parse_method(vals[0], &rc.rc_method, err)) < 0) ||
	    (vals[1] != NULL &&
	    (r = parse_weight(vals[1], &rc.rc_weight, err)) < 0)) {
		vsconf_free(vc);
		return r;
	}
	if (add)
		r = vsconf_add_rs(vc, proto, &vip, &rc, err);
	else
		r = vsconf_edit_rs(vc, proto, &vip, &rc, err);
	if (r < 0) {
		vsconf_free(vc);
		return r;
	}
	return commit(d, vc, err);
}

static int
cmd_add_server(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	(void)out;
	return rs_request(d, argc, argv, true, err);
}

static int
cmd_edit_server(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	(void)out;
	return rs_request(d, argc, argv, false, err);
}

static int
cmd_del_server(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	struct vs_conf	*vc;
	struct ep	 vip, rip;
	int		 proto, r;

	(void)argc, (void)out;
	if ((r = parse_svc(argv, &proto, &vip, err)) < 0 ||
	    (r = parse_rip(argv[3], &vip, &rip, err)) < 0)
		return r;
	if ((vc = conf_copy(d, err)) == NULL)
		return -ENOMEM;
	if ((r = vsconf_del_rs(vc, proto, &vip, &rip, err)) < 0) {
		vsconf_free(vc);
		return r;
	}
	return commit(d, vc, err);
}

static void
sum_slot(struct uvsd *d, uint32_t slot, struct counters *ret)
{
	memset(ret, 0, sizeof(*ret));
	if (d->d_wstats != NULL && slot < STATS_SLOTS)
		stats_sum_slot(d->d_wstats,
		    d->d_nworkers > 0 ? d->d_nworkers : 1, slot, ret);
}

static void
list_svc(struct uvsd *d, const struct svc *svc, struct rbuf *out)
{
	const struct rs	*rs;
	struct counters	 c;
	char		 vip[EP_STRLEN], rip[EP_STRLEN];
	const char	*proto = proto_name(svc->svc_proto);
	unsigned	 i;

	ep_fmt(&svc->svc_ep, vip, sizeof(vip));
	sum_slot(d, svc->svc_st != NULL ? svc->svc_st->svs_slot : STATS_SLOTS,
	    &c);
	rbuf_printf(out, "service %s %s scheduler %s flags 0x%x conns %llu "
	    "inpkts %llu outpkts %llu inbytes %llu outbytes %llu\n", proto,
	    vip, svc->svc_sched != NULL ? svc->svc_sched->name : "?",
	    svc->svc_flags, (unsigned long long)c.cn_conns,
	    (unsigned long long)c.cn_inpkts, (unsigned long long)c.cn_outpkts,
	    (unsigned long long)c.cn_inbytes,
	    (unsigned long long)c.cn_outbytes);
	for (i = 0; i < svc->svc_nrs; i++) {
		int32_t	 act = 0, inact = 0;

		rs = &svc->svc_rs[i];
		if (rs->rs_st != NULL) {
			act = __atomic_load_n(&rs->rs_st->rss_active,
			    __ATOMIC_RELAXED);
			inact = __atomic_load_n(&rs->rs_st->rss_inactive,
			    __ATOMIC_RELAXED);
		}
		sum_slot(d, rs->rs_st != NULL ? rs->rs_st->rss_slot :
		    STATS_SLOTS, &c);
		/* A decrement seen before its increment reads as 0. */
		rbuf_printf(out, "server %s %s %s method %s weight %d "
		    "active %d inactive %d conns %llu inpkts %llu "
		    "outpkts %llu inbytes %llu outbytes %llu\n", proto, vip,
		    ep_fmt(&rs->rs_ep, rip, sizeof(rip)),
		    method_name(rs->rs_method), rs->rs_weight,
		    act > 0 ? act : 0, inact > 0 ? inact : 0,
		    (unsigned long long)c.cn_conns,
		    (unsigned long long)c.cn_inpkts,
		    (unsigned long long)c.cn_outpkts,
		    (unsigned long long)c.cn_inbytes,
		    (unsigned long long)c.cn_outbytes);
	}
}

static int
cmd_list(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	const struct table	*t = table_current(d->d_tables);
	const struct svc	*svc;
	struct ep		 vip;
	char			 buf[EP_STRLEN];
	unsigned		 i, nsvc = t != NULL ? t->t_nsvc : 0;
	int			 proto = 0, r;

	if (argc != 1 && argc != 3)
		return usage_err(&cmds[CMD_LIST], err);
	if (argc == 3) {
		if ((r = parse_svc(argv, &proto, &vip, err)) < 0)
			return r;
		for (i = 0; i < nsvc; i++)
			if (t->t_svc[i].svc_proto == proto &&
			    ep_eq(&t->t_svc[i].svc_ep, &vip))
				break;
		if (i == nsvc) {
			uvs_err_set(err, "no such service '%s %s'",
			    proto_name(proto), ep_fmt(&vip, buf, sizeof(buf)));
			return -ESRCH;
		}
	}
	rbuf_printf(out, "info version %s size %u connections %u\n",
	    CTL_IPVS_VERSION,
	    d->d_conns != NULL ? conn_hash_size(d->d_conns) : 0,
	    d->d_conns != NULL ? conn_count(d->d_conns) : 0);
	for (i = 0; i < nsvc; i++) {
		svc = &t->t_svc[i];
		if (argc == 3 && (svc->svc_proto != proto ||
		    !ep_eq(&svc->svc_ep, &vip)))
			continue;
		list_svc(d, svc, out);
	}
	return 0;
}

static uint64_t
load64(const uint64_t *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static int
cmd_stats(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	static const struct {
		const char	*name;
		size_t		 off;
	} fields[] = {
		{ "rx-packets", offsetof(struct wstats, ws_rx_pkts) },
		{ "rx-bytes", offsetof(struct wstats, ws_rx_bytes) },
		{ "tx-packets", offsetof(struct wstats, ws_tx_pkts) },
		{ "tx-bytes", offsetof(struct wstats, ws_tx_bytes) },
		{ "rx-blocks", offsetof(struct wstats, ws_rx_blocks) },
		{ "tx-calls", offsetof(struct wstats, ws_tx_calls) },
		{ "ring-drops", offsetof(struct wstats, ws_ring_drops) },
		{ "ring-freezes", offsetof(struct wstats, ws_ring_freezes) },
	};
	unsigned	 n = d->d_nworkers > 0 ? d->d_nworkers : 1;
	unsigned	 i, w;
	uint64_t	 sum, drops;
	size_t		 f;
	int		 reason;

	(void)argc, (void)argv, (void)err;
	if (d->d_wstats == NULL)
		n = 0;
	for (f = 0; f < nitems(fields); f++) {
		for (sum = 0, i = 0; i < n; i++)
			sum += load64((const uint64_t *)(const void *)
			    ((const char *)d->d_wstats[i] + fields[f].off));
		rbuf_printf(out, "%s %llu\n", fields[f].name,
		    (unsigned long long)sum);
	}
	for (reason = 1; reason < DROP__MAX; reason++) {
		for (sum = 0, i = 0; i < n; i++)
			sum += load64(&d->d_wstats[i]->ws_drop[reason]);
		rbuf_printf(out, "drop %s %llu\n", drop_name(reason),
		    (unsigned long long)sum);
	}
	for (w = 0; w < d->d_nworkers && d->d_wstats != NULL; w++) {
		const struct wstats *ws = d->d_wstats[w];

		for (drops = 0, reason = 1; reason < DROP__MAX; reason++)
			drops += load64(&ws->ws_drop[reason]);
		rbuf_printf(out, "worker %u rx-packets %llu tx-packets %llu "
		    "drops %llu\n", w,
		    (unsigned long long)load64(&ws->ws_rx_pkts),
		    (unsigned long long)load64(&ws->ws_tx_pkts),
		    (unsigned long long)drops);
	}
	return 0;
}

void
ctl_cmd_usage(struct rbuf *out)
{
	size_t	 i;

	for (i = 0; i < nitems(cmds); i++)
		rbuf_printf(out, "%s\n", cmds[i].cc_usage);
}

static int
cmd_help(struct uvsd *d, int argc, char **argv, struct rbuf *out,
    struct uvs_err *err)
{
	(void)d, (void)argc, (void)argv, (void)err;
	ctl_cmd_usage(out);
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

void
ctl_cmd_run(struct uvsd *d, const char *line, struct rbuf *out)
{
	const struct ctl_cmd	*c = NULL;
	struct uvs_err		 err;
	char			 buf[CTL_LINE_MAX];
	char			 q[QUOTE_MAX + 1];
	char			*argv[CTL_ARGS_MAX + 1];
	size_t			 mark = out->rb_len, n, i;
	int			 argc, r;

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
	if ((argc = split(buf, argv, CTL_ARGS_MAX)) < 0) {
		uvs_err_set(&err, "too many words in request (at most %d)",
		    CTL_ARGS_MAX);
		r = argc;
		goto out;
	}
	if (argc == 0) {
		uvs_err_set(&err, "empty request");
		r = -EINVAL;
		goto out;
	}
	argv[argc] = NULL;
	for (i = 0; i < nitems(cmds); i++)
		if (strcmp(argv[0], cmds[i].cc_name) == 0)
			c = &cmds[i];
	if (c == NULL) {
		uvs_err_set(&err, "unknown command '%s'",
		    quote(argv[0], q, sizeof(q)));
		r = -EINVAL;
		goto out;
	}
	if (argc - 1 < c->cc_minargs || argc - 1 > c->cc_maxargs)
		r = usage_err(c, &err);
	else
		r = c->cc_fn(d, argc, argv, out, &err);
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
