/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsadm: ipvsadm's command line for uvsd.  The options are parsed by
 * adm_opts.c into one admin protocol request, which goes over uvsd's
 * Unix socket after a "hello"; listings come back as data lines and are
 * printed by adm_print.c exactly as ipvsadm prints them.  -R checks all
 * its input first and sends it as one batch, so it applies whole or not
 * at all.  This file holds what is not pure: name resolution, the
 * socket, stdin/stdout/stderr and exit statuses (0 done, 1 uvsd refused
 * or cannot be reached, 2 bad command line, unsupported option or bad -R
 * input).  Single-threaded.
 */
#include "config.h"

#include <errno.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/un.h>
#include <unistd.h>

#include "addr.h"
#include "adm_opts.h"
#include "adm_print.h"
#include "ctl_proto.h"
#include "rbuf.h"
#include "sched/sched.h"
#include "util.h"

#define REPLY_TIMEOUT	30	/* s to wait for uvsd's answer */
#define RESTORE_LINE_MAX 4096

static void
usage(FILE *f)
{
	fprintf(f,
	    "uvsadm %s (ipvsadm 1.31 compatible)\n"
	    "Usage:\n"
	    "  uvsadm -A|E virtual-service [-s scheduler] [-p [timeout]] [-M netmask] [-b sched-flags] [-o]\n"
	    "  uvsadm -D virtual-service\n"
	    "  uvsadm -C\n"
	    "  uvsadm -R\n"
	    "  uvsadm -S [-n]\n"
	    "  uvsadm -a|e virtual-service -r server-address [-g|m] [-w weight] [-x upper-threshold] [-y lower-threshold]\n"
	    "  uvsadm -d virtual-service -r server-address\n"
	    "  uvsadm -L|l [virtual-service] [options]\n"
	    "  uvsadm -Z [virtual-service]\n"
	    "  uvsadm --set tcp tcpfin udp\n"
	    "  uvsadm -h\n\n", PACKAGE_VERSION);
	fprintf(f,
	    "Commands:\n"
	    "Either long or short options are allowed.\n"
	    "  --add-service     -A        add virtual service with options\n"
	    "  --edit-service    -E        edit virtual service with options\n"
	    "  --delete-service  -D        delete virtual service\n"
	    "  --clear           -C        clear the whole table\n"
	    "  --restore         -R        restore rules from stdin, all or none\n"
	    "  --save            -S        save rules to stdout\n"
	    "  --add-server      -a        add real server with options\n"
	    "  --edit-server     -e        edit real server with options\n"
	    "  --delete-server   -d        delete real server\n"
	    "  --list            -L|-l     list the table\n"
	    "  --zero            -Z        zero counters in a service or all services\n"
	    "  --set tcp tcpfin udp        set connection timeout values\n"
	    "  --help            -h        display this help message\n"
	    "  --version         -v        display the version\n\n");
	fprintf(f,
	    "virtual-service:\n"
	    "  --tcp-service|-t  service-address   service-address is host[:port]\n"
	    "  --udp-service|-u  service-address   service-address is host[:port]\n"
	    "  --sctp-service    service-address   service-address is host[:port]\n\n");
	fprintf(f,
	    "Options:\n"
	    "  --scheduler    -s scheduler         one of " SCHED_NAMES ",\n"
	    "                                      the default scheduler is %s.\n"
	    "  --persistent   -p [timeout]         persistent service\n"
	    "  --netmask      -M netmask           persistent granularity mask\n"
	    "  --pe            engine              alternate persistence engine: sip (udp)\n"
	    "  --sched-flags  -b flags             scheduler flags (comma-separated)\n"
	    "  --ops          -o                   one-packet scheduling (udp)\n"
	    "  --real-server  -r server-address    server-address is host (and port)\n"
	    "  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
	    "  --ipip         -i                   ipip encapsulation (tunneling)\n"
	    "  --masquerading -m                   masquerading (NAT)\n"
	    "  --fullnat                           full NAT: to and from local addresses\n"
	    "  --laddr        address[,address]    the service's fullnat local addresses\n"
	    "  --proxy-protocol none|v1|v2         client address to fullnat servers (tcp)\n"
	    "  --tun-type      type                one of ipip|gue|gre,\n"
	    "                                      the default tunnel type is ipip.\n"
	    "  --tun-port      port                tunnel destination port\n"
	    "  --tun-nocsum                        tunnel encapsulation without checksum\n"
	    "  --tun-csum                          tunnel encapsulation with checksum\n"
	    "  --tun-remcsum                       tunnel encapsulation with remote checksum\n"
	    "  --weight       -w weight            capacity of real server\n"
	    "  --u-threshold  -x uthreshold        upper threshold of connections\n"
	    "  --l-threshold  -y lthreshold        lower threshold of connections\n"
	    "  --connection   -c                   output of current connections\n"
	    "  --timeout                           output of timeout (tcp tcpfin udp)\n"
	    "  --stats                             output of statistics information\n"
	    "  --rate                              output of rate information\n"
	    "  --exact        -X                   expand numbers (display exact values)\n"
	    "  --thresholds                        output of thresholds information\n"
	    "  --persistent-conn                   output of persistent connection info\n"
	    "  --tun-info                          output of tunnel information\n"
	    "  --nosort                            disable sorting output of service/server entries\n"
	    "  --sort                              does nothing, for backwards compatibility\n"
	    "  --numeric      -n                   numeric output of addresses and ports\n"
	    "  --health                            with -L: health checks' state and last result\n"
	    "  --socket       path                 uvsd's socket (default %s,\n"
	    "                                      or $UVSADM_SOCKET)\n\n",
	    SCHED_DEFAULT, CTL_DEFAULT_SOCKET);
	fprintf(f,
	    "Not supported yet (refused with exit status 2):\n"
	    "  --fwmark-service -f fwmark, --ipv6 -6,\n"
	    "  --start-daemon state, --stop-daemon state,\n"
	    "  --daemon, --mcast-interface interface, --syncid sid,\n"
	    "  --mcast-group address, --mcast-port port, --mcast-ttl ttl,\n"
	    "  --sync-maxlen length\n");
}

static int
resolve_host(const char *name, struct addr *ret, void *arg)
{
	static const int	 families[] = { AF_INET, AF_INET6 };
	struct addrinfo		 hints, *ai;
	size_t			 i;

	(void)arg;
	/* ipvsadm resolves IPv4 only; an IPv6-only name is our extra. */
	for (i = 0; i < nitems(families); i++) {
		memset(&hints, 0, sizeof(hints));
		hints.ai_family = families[i];
		hints.ai_socktype = SOCK_STREAM;
		if (getaddrinfo(name, NULL, &hints, &ai) != 0)
			continue;
		memset(ret, 0, sizeof(*ret));
		ret->a_af = (uint8_t)ai->ai_family;
		if (ai->ai_family == AF_INET)
			ret->a.v4 = ((struct sockaddr_in *)(void *)
			    ai->ai_addr)->sin_addr;
		else
			ret->a.v6 = ((struct sockaddr_in6 *)(void *)
			    ai->ai_addr)->sin6_addr;
		freeaddrinfo(ai);
		return 0;
	}
	return -ENOENT;
}

static int
resolve_port(const char *name, int proto, uint16_t *ret, void *arg)
{
	struct servent	*se;

	(void)arg;
	if ((se = getservbyname(name, proto_name(proto))) ==
	    NULL)
		return -ENOENT;
	*ret = ntohs((uint16_t)se->s_port);
	return 0;
}

static const char *
name_host(const struct addr *a, char *buf, size_t len, void *arg)
{
	struct sockaddr_storage	 ss;
	socklen_t		 sl;

	(void)arg;
	memset(&ss, 0, sizeof(ss));
	if (a->a_af == AF_INET6) {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		s6->sin6_family = AF_INET6;
		s6->sin6_addr = a->a.v6;
		sl = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_addr = a->a.v4;
		sl = sizeof(*s4);
	}
	if (getnameinfo((struct sockaddr *)&ss, sl, buf, (socklen_t)len, NULL,
	    0, NI_NAMEREQD) != 0)
		return NULL;
	return buf;
}

static const char *
name_port(uint16_t port, int proto, char *buf, size_t len, void *arg)
{
	struct servent	*se;

	(void)arg;
	se = getservbyport(htons(port), proto_name(proto));
	if (se == NULL)
		return NULL;
	snprintf(buf, len, "%s", se->s_name);
	return buf;
}

static int
connect_uvsd(const char *path)
{
	struct sockaddr_un	 sun = { .sun_family = AF_UNIX };
	struct timeval		 tv = { .tv_sec = REPLY_TIMEOUT };
	int			 fd, r;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path) + 1);
	if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sun, sizeof(sun)) == -1) {
		r = -errno;
		close(fd);
		return r;
	}
	/* A wedged uvsd must not wedge scripts too. */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
	return fd;
}

/* The connection to uvsd and what it sent that was not read yet. */
struct client {
	int		 c_fd;
	const char	*c_path;
	struct rbuf	 c_in;
	size_t		 c_pos;		/* first unread byte of c_in */
};

static int
send_all(struct client *c, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = send(c->c_fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

static bool
is_final(const char *line)
{
	return strcmp(line, "OK") == 0 || strncmp(line, "ERR ", 4) == 0;
}

/*
 * The next reply: its data lines into <data>, its last line into
 * <final>.  0 or -errno (-ECONNRESET: uvsd closed the connection first).
 */
static int
next_reply(struct client *c, struct rbuf *data, char *final, size_t flen)
{
	char	 chunk[65536], *line, *nl;
	ssize_t	 n;

	for (;;) {
		while (c->c_pos < c->c_in.rb_len &&
		    (nl = memchr(c->c_in.rb_buf + c->c_pos, '\n',
		    c->c_in.rb_len - c->c_pos)) != NULL) {
			line = c->c_in.rb_buf + c->c_pos;
			*nl = '\0';
			c->c_pos = (size_t)(nl - c->c_in.rb_buf) + 1;
			if (is_final(line)) {
				snprintf(final, flen, "%s", line);
				return 0;
			}
			if (rbuf_printf(data, "%s\n", line) < 0)
				return -ENOMEM;
		}
		if (c->c_pos > 0) {
			memmove(c->c_in.rb_buf, c->c_in.rb_buf + c->c_pos,
			    c->c_in.rb_len - c->c_pos + 1);
			c->c_in.rb_len -= c->c_pos;
			c->c_pos = 0;
		}
		n = recv(c->c_fd, chunk, sizeof(chunk), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -ECONNRESET;
		if (rbuf_add(&c->c_in, chunk, (size_t)n) != 0)
			return -ENOMEM;
	}
}

static void
comm_error(const struct client *c, int r)
{
	fprintf(stderr, "uvsadm: %s: %s\n", c->c_path,
	    r == -ECONNRESET ? "uvsd closed the connection" :
	    r == -ETIMEDOUT ? "uvsd does not answer" : strerror(-r));
}

/* "ERR <NAME> <text>" -> "<text>" */
static const char *
err_text(const char *final)
{
	const char	*sp = strchr(final + 4, ' ');

	return sp != NULL ? sp + 1 : final;
}

/*
 * The reply to "hello": OK, or a refusal that names the versions on
 * both sides.  0 or 1 (the exit status).
 */
static int
check_hello(const struct client *c, const char *final)
{
	const char	*p;

	if (strcmp(final, "OK") == 0)
		return 0;
	if (strncmp(final, "ERR EPROTO ", 11) == 0 &&
	    (p = strstr(final, "uvsd speaks protocol ")) != NULL)
		fprintf(stderr, "uvsadm: uvsadm speaks admin protocol %d, "
		    "uvsd at %s speaks %s\n", CTL_PROTO_VERSION, c->c_path,
		    p + strlen("uvsd speaks protocol "));
	else
		fprintf(stderr, "uvsadm: %s: %s\n", c->c_path,
		    err_text(final));
	return 1;
}

/*
 * Send <msg> and read the next reply.  A send that fails may still have
 * an answer waiting (uvsd refusing the client and closing): read it.
 */
static int
exchange(struct client *c, const char *msg, struct rbuf *data, char *final,
    size_t flen)
{
	int	 r, rr;

	r = send_all(c, msg, strlen(msg));
	if ((rr = next_reply(c, data, final, flen)) == 0)
		return 0;
	return r < 0 ? r : rr;
}

/* One request after "hello"; its data lines into <data>.  Exit status. */
static int
request(struct client *c, const char *req, struct rbuf *data)
{
	char	 msg[CTL_LINE_MAX + 32], final[CTL_LINE_MAX];
	int	 r;

	snprintf(msg, sizeof(msg), "hello %d\n%s\n", CTL_PROTO_VERSION, req);
	if ((r = exchange(c, msg, data, final, sizeof(final))) < 0) {
		comm_error(c, r);
		return 1;
	}
	if ((r = check_hello(c, final)) != 0)
		return r;
	rbuf_reset(data);
	if ((r = next_reply(c, data, final, sizeof(final))) < 0) {
		comm_error(c, r);
		return 1;
	}
	if (strcmp(final, "OK") != 0) {
		fprintf(stderr, "uvsadm: %s\n", err_text(final));
		return 1;
	}
	return 0;
}

/* A request of -R and the input line it came from. */
struct restore_req {
	unsigned	 rr_line;
	char		*rr_req;
};

/*
 * Read the whole of -R's input and check every line before uvsd sees
 * any: a bad line is named and nothing changes.  Exit status 0 or 2.
 */
static int
restore_read(FILE *in, const struct adm_resolver *res,
    struct restore_req **ret, size_t *ret_n)
{
	struct restore_req	*rq = NULL, *nrq;
	char			 line[RESTORE_LINE_MAX + 2], err[512];
	char			 req[CTL_LINE_MAX];
	size_t			 n = 0, cap = 0, len;
	unsigned		 lineno = 0;
	int			 r;

	while (fgets(line, sizeof(line), in) != NULL) {
		lineno++;
		len = strlen(line);
		if (len == sizeof(line) - 1 && line[len - 1] != '\n') {
			fprintf(stderr, "uvsadm: line %u: line too long\n",
			    lineno);
			goto fail;
		}
		if ((r = adm_restore_line(line, res, req, sizeof(req), err,
		    sizeof(err))) < 0) {
			fprintf(stderr, "uvsadm: line %u: %s\n", lineno, err);
			goto fail;
		}
		if (r == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			if ((nrq = reallocarray(rq, cap, sizeof(*rq))) == NULL)
				goto nomem;
			rq = nrq;
		}
		rq[n].rr_line = lineno;
		if ((rq[n].rr_req = strdup(req)) == NULL)
			goto nomem;
		n++;
	}
	if (ferror(in)) {
		fprintf(stderr, "uvsadm: stdin: %s\n", strerror(errno));
		goto fail;
	}
	*ret = rq;
	*ret_n = n;
	return 0;
nomem:
	fprintf(stderr, "uvsadm: out of memory\n");
fail:
	while (n > 0)
		free(rq[--n].rr_req);
	free(rq);
	return 2;
}

/*
 * -R, all or nothing: "begin", every request (one at a time, so a
 * refusal names its line), "commit".  Leaving without "commit" changes
 * nothing: uvsd drops a batch whose client goes.
 */
static int
restore(struct client *c, const struct adm_resolver *res)
{
	struct restore_req	*rq = NULL;
	struct rbuf		 data = { 0 };
	char			 msg[CTL_LINE_MAX + 32], final[CTL_LINE_MAX];
	const char		*t;
	size_t			 n = 0, i;
	unsigned long		 k;
	int			 r, rc = 1;

	if ((rc = restore_read(stdin, res, &rq, &n)) != 0)
		return rc;
	rc = 1;
	snprintf(msg, sizeof(msg), "hello %d\nbegin\n", CTL_PROTO_VERSION);
	if ((r = exchange(c, msg, &data, final, sizeof(final))) < 0)
		goto comm;
	if (check_hello(c, final) != 0)
		goto out;
	if ((r = next_reply(c, &data, final, sizeof(final))) < 0)
		goto comm;
	if (strcmp(final, "OK") != 0) {
		fprintf(stderr, "uvsadm: begin: %s\n", err_text(final));
		goto out;
	}
	for (i = 0; i < n; i++) {
		snprintf(msg, sizeof(msg), "%s\n", rq[i].rr_req);
		if ((r = exchange(c, msg, &data, final, sizeof(final))) < 0)
			goto comm;
		if (strcmp(final, "OK") != 0) {
			fprintf(stderr, "uvsadm: line %u: %s\n",
			    rq[i].rr_line, err_text(final));
			goto out;
		}
	}
	if ((r = exchange(c, "commit\n", &data, final, sizeof(final))) < 0)
		goto comm;
	if (strcmp(final, "OK") != 0) {
		/* "request N: text" when a request failed after all. */
		t = err_text(final);
		if (sscanf(t, "request %lu:", &k) == 1 && k >= 1 && k <= n &&
		    (t = strchr(t, ':')) != NULL)
			fprintf(stderr, "uvsadm: line %u:%s\n",
			    rq[k - 1].rr_line, t + 1);
		else
			fprintf(stderr, "uvsadm: commit: %s\n", t);
		goto out;
	}
	rc = 0;
	goto out;
comm:
	comm_error(c, r);
out:
	for (i = 0; i < n; i++)
		free(rq[i].rr_req);
	free(rq);
	rbuf_free(&data);
	return rc;
}

/* The listing or saved rules of <o> from <data>.  Exit status. */
static int
print_reply(const struct adm_opts *o, const char *data,
    const struct adm_names *names)
{
	struct rbuf	 out = { 0 };
	char		 err[512];
	int		 r, rc = 1;

	if (o->ao_cmd == ADM_SAVE)
		r = adm_print_list(data, (o->ao_fmt & ADM_FMT_NUMERIC) |
		    ADM_FMT_RULE, false, names, &out, err, sizeof(err));
	else if (o->ao_list == ADM_LIST_CONN)
		r = adm_print_conns(data, o->ao_fmt, names, &out, err,
		    sizeof(err));
	else if (o->ao_list == ADM_LIST_TIMEOUT)
		r = adm_print_timeout(data, &out, err, sizeof(err));
	else
		r = adm_print_list(data, o->ao_fmt, o->ao_proto != 0, names,
		    &out, err, sizeof(err));
	if (r < 0)
		fprintf(stderr, "uvsadm: %s\n", err);
	else if (out.rb_len > 0 &&
	    fwrite(out.rb_buf, 1, out.rb_len, stdout) != out.rb_len)
		fprintf(stderr, "uvsadm: stdout: %s\n", strerror(errno));
	else
		rc = 0;
	rbuf_free(&out);
	return rc;
}

int
main(int argc, char **argv)
{
	static const struct adm_resolver res = {
		.ar_host = resolve_host, .ar_port = resolve_port,
	};
	static const struct adm_names names = {
		.an_host = name_host, .an_port = name_port,
	};
	struct adm_opts	 o;
	struct client	 c = { .c_fd = -1 };
	struct rbuf	 data = { 0 };
	char		 err[512], req[CTL_LINE_MAX];
	int		 fd, rc;

	if ((rc = adm_opts_parse(argc, argv, &res, &o, err,
	    sizeof(err))) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (o.ao_cmd == ADM_HELP) {
		usage(stdout);
		return 0;
	}
	if (o.ao_cmd == ADM_VERSION) {
		printf("uvsadm %s (ipvsadm 1.31 compatible, admin protocol "
		    "%d)\n", PACKAGE_VERSION, CTL_PROTO_VERSION);
		return 0;
	}
	if (o.ao_cmd != ADM_RESTORE && adm_request(&o, req, sizeof(req)) != 0) {
		fprintf(stderr, "uvsadm: request too long\n");
		return 2;
	}
	if ((c.c_path = o.ao_socket) == NULL &&
	    ((c.c_path = getenv("UVSADM_SOCKET")) == NULL ||
	    *c.c_path == '\0'))
		c.c_path = CTL_DEFAULT_SOCKET;
	if ((fd = connect_uvsd(c.c_path)) < 0) {
		fprintf(stderr, "uvsadm: cannot connect to uvsd at %s: %s\n",
		    c.c_path, strerror(-fd));
		return 1;
	}
	c.c_fd = fd;
	if (o.ao_cmd == ADM_RESTORE)
		rc = restore(&c, &res);
	else if ((rc = request(&c, req, &data)) == 0 &&
	    (o.ao_cmd == ADM_LIST || o.ao_cmd == ADM_SAVE))
		rc = print_reply(&o, data.rb_buf, &names);
	if (rc == 0 && fflush(stdout) == EOF) {
		fprintf(stderr, "uvsadm: stdout: %s\n", strerror(errno));
		rc = 1;
	}
	close(fd);
	rbuf_free(&c.c_in);
	rbuf_free(&data);
	return rc;
}
