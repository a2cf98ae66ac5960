/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsadm: ipvsadm's command line for uvsd.  The options are parsed by
 * adm_opts.c into one admin protocol request, which goes over uvsd's
 * Unix socket after a "hello"; listings come back as data lines and are
 * printed by adm_print.c exactly as ipvsadm prints them.  This file
 * holds what is not pure: name resolution, the socket, stdout/stderr and
 * exit statuses (0 done, 1 uvsd refused or cannot be reached, 2 bad
 * command line).  Single-threaded.
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
#include "util.h"

#define REPLY_TIMEOUT	30	/* s to wait for uvsd's answer */

static void
usage(FILE *f)
{
	fprintf(f,
	    "uvsadm %s (ipvsadm 1.31 compatible)\n"
	    "Usage:\n"
	    "  uvsadm -A|E virtual-service [-s scheduler]\n"
	    "  uvsadm -D virtual-service\n"
	    "  uvsadm -C\n"
	    "  uvsadm -a|e virtual-service -r server-address [-g|m] [-w weight]\n"
	    "  uvsadm -d virtual-service -r server-address\n"
	    "  uvsadm -L|l [virtual-service] [-n] [--stats] [--exact] [--nosort]\n"
	    "  uvsadm -h\n\n", PACKAGE_VERSION);
	fprintf(f,
	    "Commands:\n"
	    "Either long or short options are allowed.\n"
	    "  --add-service     -A        add virtual service with options\n"
	    "  --edit-service    -E        edit virtual service with options\n"
	    "  --delete-service  -D        delete virtual service\n"
	    "  --clear           -C        clear the whole table\n"
	    "  --add-server      -a        add real server with options\n"
	    "  --edit-server     -e        edit real server with options\n"
	    "  --delete-server   -d        delete real server\n"
	    "  --list            -L|-l     list the table\n"
	    "  --help            -h        display this help message\n"
	    "  --version         -v        display the version\n\n");
	fprintf(f,
	    "virtual-service:\n"
	    "  --tcp-service|-t  service-address   service-address is host[:port]\n"
	    "  --udp-service|-u  service-address   service-address is host[:port]\n\n");
	fprintf(f,
	    "Options:\n"
	    "  --scheduler    -s scheduler         one of rr|wrr|lc|wlc,\n"
	    "                                      the default scheduler is wlc.\n"
	    "  --real-server  -r server-address    server-address is host (and port)\n"
	    "  --gatewaying   -g                   gatewaying (direct routing) (default)\n"
	    "  --masquerading -m                   masquerading (NAT)\n"
	    "  --weight       -w weight            capacity of real server\n"
	    "  --stats                             output of statistics information\n"
	    "  --exact                             expand numbers (display exact values)\n"
	    "  --nosort                            disable sorting output of service/server entries\n"
	    "  --sort                              does nothing, for backwards compatibility\n"
	    "  --numeric      -n                   numeric output of addresses and ports\n"
	    "  --socket       path                 uvsd's socket (default %s,\n"
	    "                                      or $UVSADM_SOCKET)\n\n"
	    "Other ipvsadm options are recognised and refused: not supported yet.\n",
	    CTL_DEFAULT_SOCKET);
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
	if ((se = getservbyname(name, proto == IPPROTO_UDP ? "udp" : "tcp")) ==
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
	se = getservbyport(htons(port), proto == IPPROTO_UDP ? "udp" : "tcp");
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

static int
send_all(int fd, const char *buf, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		n = send(fd, buf, len, MSG_NOSIGNAL);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return -errno;
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
 * Read until <nreplies> replies have ended into <in>, as NUL-separated
 * lines.  0 or -errno (-ECONNRESET: uvsd closed the connection first).
 */
static int
read_replies(int fd, struct rbuf *in, int nreplies)
{
	char	 chunk[65536];
	size_t	 scan = 0;
	ssize_t	 n;
	int	 seen = 0;

	while (seen < nreplies) {
		n = recv(fd, chunk, sizeof(chunk), 0);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		if (n == 0)
			return -ECONNRESET;
		if (rbuf_add(in, chunk, (size_t)n) != 0)
			return -ENOMEM;
		for (; scan < in->rb_len; scan++) {
			char	*nl = memchr(in->rb_buf + scan, '\n',
			    in->rb_len - scan);
			char	*line = in->rb_buf + scan;

			if (nl == NULL)
				break;
			*nl = '\0';
			if (is_final(line) && ++seen == nreplies)
				break;
			scan = (size_t)(nl - in->rb_buf);
		}
	}
	return 0;
}

/*
 * The reply starting at *<pos> in <in>: its data lines joined with
 * newlines into <data>, its final line returned.
 */
static const char *
next_reply(const struct rbuf *in, size_t *pos, struct rbuf *data)
{
	const char	*line;

	while (*pos < in->rb_len) {
		line = in->rb_buf + *pos;
		*pos += strlen(line) + 1;
		if (is_final(line))
			return line;
		rbuf_printf(data, "%s\n", line);
	}
	return "ERR EPROTO reply cut short";
}

/* "ERR <NAME> <text>" -> "<text>" */
static const char *
err_text(const char *final)
{
	const char	*sp = strchr(final + 4, ' ');

	return sp != NULL ? sp + 1 : final;
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
	struct rbuf	 in = { 0 }, data = { 0 }, out = { 0 };
	const char	*path, *final;
	char		 err[512], req[CTL_LINE_MAX], msg[CTL_LINE_MAX + 16];
	size_t		 pos = 0;
	int		 fd, r, rc = 1;

	if (adm_opts_parse(argc, argv, &res, &o, err, sizeof(err)) < 0) {
		fprintf(stderr, "%s\n", err);
		return 2;
	}
	if (o.ao_cmd == ADM_HELP) {
		usage(stdout);
		return 0;
	}
	if (o.ao_cmd == ADM_VERSION) {
		printf("uvsadm %s (ipvsadm 1.31 compatible)\n",
		    PACKAGE_VERSION);
		return 0;
	}
	if (adm_request(&o, req, sizeof(req)) != 0) {
		fprintf(stderr, "uvsadm: request too long\n");
		return 2;
	}
	if ((path = o.ao_socket) == NULL &&
	    ((path = getenv("UVSADM_SOCKET")) == NULL || *path == '\0'))
		path = CTL_DEFAULT_SOCKET;
	if ((fd = connect_uvsd(path)) < 0) {
		fprintf(stderr, "uvsadm: cannot connect to uvsd at %s: %s\n",
		    path, strerror(-fd));
		return 1;
	}
	snprintf(msg, sizeof(msg), "hello %d\n%s\n", CTL_PROTO_VERSION, req);
	if ((r = send_all(fd, msg, strlen(msg))) < 0 ||
	    (r = read_replies(fd, &in, 2)) < 0) {
		fprintf(stderr, "uvsadm: %s: %s\n", path,
		    r == -ECONNRESET ? "uvsd closed the connection" :
		    r == -ETIMEDOUT ? "uvsd does not answer" : strerror(-r));
		goto out;
	}
	final = next_reply(&in, &pos, &data);
	if (strcmp(final, "OK") != 0) {
		fprintf(stderr, "uvsadm: %s\n", err_text(final));
		goto out;
	}
	rbuf_reset(&data);
	final = next_reply(&in, &pos, &data);
	if (strcmp(final, "OK") != 0) {
		fprintf(stderr, "uvsadm: %s\n", err_text(final));
		goto out;
	}
	if (o.ao_cmd == ADM_LIST) {
		if (adm_print_list(data.rb_buf, o.ao_fmt, o.ao_proto != 0,
		    &names, &out, err, sizeof(err)) < 0) {
			fprintf(stderr, "uvsadm: %s\n", err);
			goto out;
		}
		if (out.rb_len > 0 &&
		    fwrite(out.rb_buf, 1, out.rb_len, stdout) != out.rb_len)
			goto out;
	}
	if (fflush(stdout) == EOF) {
		fprintf(stderr, "uvsadm: stdout: %s\n", strerror(errno));
		goto out;
	}
	rc = 0;
out:
	close(fd);
	rbuf_free(&in);
	rbuf_free(&data);
	rbuf_free(&out);
	return rc;
}
