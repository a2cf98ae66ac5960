/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * HTTP_GET and SSL_GET checkers: connect without blocking, for https a
 * TLS handshake driven by the socket's readiness (no verification of the
 * server's certificate, as keepalived's SSL_GET; SNI on request), one
 * "GET <path> HTTP/1.1" with "Connection: close", the response read up
 * to HC_HTTP_MAX and parsed by hc_http_parse() as it arrives, so a server
 * that keeps the connection open anyway does not cost a timeout.  Then
 * the status must pass hc_status_ok(), and the body the md5 digest and
 * the regular expression when configured (POSIX extended, matched line
 * by line as grep does: ^ and $ at every line).  The read/write state machine
 * hangs off one ev_io whose direction follows what the socket or OpenSSL
 * waits for.  Control thread only.
 */
#include "config.h"

#include <sys/socket.h>

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ev.h>
#include <openssl/err.h>
#include <openssl/ssl.h>

#include "addr.h"
#include "hc.h"

enum http_phase {
	HP_CONNECT,
	HP_HANDSHAKE,
	HP_SEND,
	HP_RECV,
};

struct http_check {
	ev_io		 hk_io;
	struct hc_attempt *hk_a;
	int		 hk_fd;
	int		 hk_phase;	/* enum http_phase */
	bool		 hk_tls;	/* https */
	SSL		*hk_ssl;	/* https only */
	char		 hk_req[HC_PATH_MAX * 2 + 128];
	size_t		 hk_req_len, hk_req_off;
	char		*hk_buf;	/* response; HC_HTTP_MAX + 1 for a NUL */
	size_t		 hk_len;
};

/* One context for every https check; made at the first one, kept. */
static SSL_CTX	*http_ssl_ctx;

static SSL_CTX *
http_ctx(void)
{
	SSL_CTX	*ctx;

	if (http_ssl_ctx != NULL)
		return http_ssl_ctx;
	if ((ctx = SSL_CTX_new(TLS_client_method())) == NULL)
		return NULL;
	/* keepalived's SSL_GET checks liveness, not identity. */
	SSL_CTX_set_verify(ctx, SSL_VERIFY_NONE, NULL);
#ifdef SSL_OP_IGNORE_UNEXPECTED_EOF
	/* Servers often close without close_notify after Connection: close. */
	SSL_CTX_set_options(ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
#endif
	SSL_CTX_set_session_cache_mode(ctx, SSL_SESS_CACHE_OFF);
	http_ssl_ctx = ctx;
	return ctx;
}

static void
http_release(struct http_check *hk)
{
	ev_io_stop(hk->hk_a->ha_loop, &hk->hk_io);
	if (hk->hk_ssl != NULL) {
		SSL_free(hk->hk_ssl);
		/* Leave no error behind for the next check to misread. */
		ERR_clear_error();
	}
	if (hk->hk_fd != -1)
		close(hk->hk_fd);
	hk->hk_a->ha_priv = NULL;
	free(hk->hk_buf);
	free(hk);
}

static void
http_done(struct http_check *hk, int outcome, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
http_done(struct http_check *hk, int outcome, const char *fmt, ...)
{
	struct hc_attempt *a = hk->hk_a;
	char		 reason[128];
	va_list		 ap;

	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	http_release(hk);
	hc_attempt_done(a, outcome, 0, reason);
}

static void
http_wait(struct http_check *hk, int events)
{
	struct ev_loop	*loop = hk->hk_a->ha_loop;

	if ((hk->hk_io.events & (EV_READ | EV_WRITE)) == events)
		return;
	ev_io_stop(loop, &hk->hk_io);
	ev_io_set(&hk->hk_io, hk->hk_fd, events);
	ev_io_start(loop, &hk->hk_io);
}

/* An SSL_* call returned <ret> <= 0: wait for the socket or fail. */
static int
http_ssl_wait(struct http_check *hk, int ret)
{
	switch (SSL_get_error(hk->hk_ssl, ret)) {
	case SSL_ERROR_WANT_READ:
		http_wait(hk, EV_READ);
		return 0;
	case SSL_ERROR_WANT_WRITE:
		http_wait(hk, EV_WRITE);
		return 0;
	default:
		return -EPROTO;
	}
}

static void
http_judge(struct http_check *hk, unsigned status, const char *body,
    size_t blen)
{
	const struct hc_params *p = hk->hk_a->ha_params;
	char		 hex[33];
	regex_t		 re;
	regmatch_t	 m;
	int		 r, eflags = 0;

	if (!hc_status_ok(p, status)) {
		http_done(hk, HC_FAIL, "status %u", status);
		return;
	}
	if (p->hp_digest[0] != '\0') {
		if (hc_md5_hex(body, blen, hex) != 0) {
			http_done(hk, HC_FAIL, "md5 unavailable");
			return;
		}
		if (strcasecmp(hex, p->hp_digest) != 0) {
			http_done(hk, HC_FAIL, "digest mismatch");
			return;
		}
	}
	if (p->hp_regex[0] != '\0') {
		if (regcomp(&re, p->hp_regex,
		    REG_EXTENDED | REG_NEWLINE | REG_NOSUB) != 0) {
			http_done(hk, HC_FAIL, "bad regex");
			return;
		}
		/* hk_buf has room for the NUL; REG_STARTEND looks past NULs. */
		((char *)body)[blen] = '\0';
		m.rm_so = 0;
		m.rm_eo = blen;
#ifdef REG_STARTEND
		eflags |= REG_STARTEND;
#endif
		r = regexec(&re, body, 1, &m, eflags);
		regfree(&re);
		if (r != 0) {
			http_done(hk, HC_FAIL, "regex no match");
			return;
		}
	}
	http_done(hk, HC_OK, "status %u", status);
}

/* Parse what came; <eof>: the server closed.  true: the attempt ended. */
static bool
http_parse(struct http_check *hk, bool eof)
{
	const char	*body;
	size_t		 blen;
	unsigned	 status;
	int		 r;

	r = hc_http_parse(hk->hk_buf, hk->hk_len, eof, &status, &body, &blen);
	if (r == 0)
		http_judge(hk, status, body, blen);
	else if (r == -EBADMSG)
		http_done(hk, HC_FAIL, "bad response");
	else if (hk->hk_len >= HC_HTTP_MAX)
		http_done(hk, HC_FAIL, "response over %d MiB",
		    HC_HTTP_MAX >> 20);
	else if (eof)
		http_done(hk, HC_FAIL, hk->hk_len == 0 ? "empty response" :
		    "truncated response");
	else
		return false;
	return true;
}

static void
http_recv(struct http_check *hk)
{
	ssize_t		 n;
	size_t		 room;
	int		 r;

	for (;;) {
		room = HC_HTTP_MAX - hk->hk_len;
		if (room == 0) {
			http_parse(hk, true);
			return;
		}
		if (hk->hk_ssl != NULL) {
			ERR_clear_error();
			r = SSL_read(hk->hk_ssl, hk->hk_buf + hk->hk_len,
			    room > INT32_MAX ? INT32_MAX : (int)room);
			if (r <= 0) {
				switch (SSL_get_error(hk->hk_ssl, r)) {
				case SSL_ERROR_ZERO_RETURN:
					http_parse(hk, true);
					return;
				case SSL_ERROR_SYSCALL:
					/* A close without close_notify. */
					if (ERR_peek_error() == 0 &&
					    (r == 0 || errno == 0 ||
					    errno == ECONNRESET)) {
						http_parse(hk, true);
						return;
					}
					break;
				}
				if (http_ssl_wait(hk, r) != 0)
					http_done(hk, HC_FAIL, "tls read failed");
				return;
			}
			n = r;
		} else {
			n = recv(hk->hk_fd, hk->hk_buf + hk->hk_len, room, 0);
			if (n == -1 && (errno == EAGAIN || errno == EINTR))
				return;
			if (n == -1) {
				http_done(hk, HC_FAIL, "read: %s",
				    strerror(errno));
				return;
			}
			if (n == 0) {
				http_parse(hk, true);
				return;
			}
		}
		hk->hk_len += n;
		/* Enough already? Done before the close, then. */
		if (http_parse(hk, false))
			return;
	}
}

static void
http_send(struct http_check *hk)
{
	const char	*p;
	size_t		 left;
	ssize_t		 n;
	int		 r;

	while (hk->hk_req_off < hk->hk_req_len) {
		p = hk->hk_req + hk->hk_req_off;
		left = hk->hk_req_len - hk->hk_req_off;
		if (hk->hk_ssl != NULL) {
			ERR_clear_error();
			r = SSL_write(hk->hk_ssl, p, (int)left);
			if (r <= 0) {
				if (http_ssl_wait(hk, r) != 0)
					http_done(hk, HC_FAIL,
					    "tls write failed");
				return;
			}
			n = r;
		} else {
			n = send(hk->hk_fd, p, left, MSG_NOSIGNAL);
			if (n == -1 && (errno == EAGAIN || errno == EINTR)) {
				http_wait(hk, EV_WRITE);
				return;
			}
			if (n == -1) {
				http_done(hk, HC_FAIL, "write: %s",
				    strerror(errno));
				return;
			}
		}
		hk->hk_req_off += n;
	}
	hk->hk_phase = HP_RECV;
	http_wait(hk, EV_READ);
	http_recv(hk);
}

static void
http_handshake(struct http_check *hk)
{
	int	 r;

	ERR_clear_error();
	r = SSL_do_handshake(hk->hk_ssl);
	if (r == 1) {
		hk->hk_phase = HP_SEND;
		http_send(hk);
	} else if (http_ssl_wait(hk, r) != 0)
		http_done(hk, HC_FAIL, "tls handshake failed");
}

static void
http_connected(struct http_check *hk)
{
	const struct hc_params *p = hk->hk_a->ha_params;
	socklen_t	 len = sizeof(int);
	int		 err = 0;

	if (getsockopt(hk->hk_fd, SOL_SOCKET, SO_ERROR, &err, &len) == -1)
		err = errno;
	if (err == ECONNREFUSED) {
		http_done(hk, HC_FAIL, "connect refused");
		return;
	}
	if (err != 0) {
		http_done(hk, HC_FAIL, "connect: %s", strerror(err));
		return;
	}
	if (!hk->hk_tls) {
		hk->hk_phase = HP_SEND;
		http_send(hk);
		return;
	}
	if ((hk->hk_ssl = SSL_new(http_ssl_ctx)) == NULL ||
	    SSL_set_fd(hk->hk_ssl, hk->hk_fd) != 1 ||
	    (p->hp_sni && p->hp_vhost[0] != '\0' &&
	    SSL_set_tlsext_host_name(hk->hk_ssl, p->hp_vhost) != 1)) {
		http_done(hk, HC_FAIL, "tls setup failed");
		return;
	}
	SSL_set_connect_state(hk->hk_ssl);
	hk->hk_phase = HP_HANDSHAKE;
	http_handshake(hk);
}

static void
http_io_cb(struct ev_loop *loop, ev_io *w, int revents)
{
	struct http_check *hk = w->data;

	switch (hk->hk_phase) {
	case HP_CONNECT:
		http_connected(hk);
		break;
	case HP_HANDSHAKE:
		http_handshake(hk);
		break;
	case HP_SEND:
		http_send(hk);
		break;
	case HP_RECV:
		http_recv(hk);
		break;
	}
}

/* "Host: " value: the virtual host, else the address, with a port that
 * is not the scheme's own. */
static void
http_host(const struct hc_attempt *a, bool tls, char *buf, size_t len)
{
	const struct hc_params *p = a->ha_params;
	uint16_t	 dflt = tls ? 443 : 80;
	char		 s[ADDR_STRLEN];

	if (p->hp_vhost[0] != '\0')
		snprintf(buf, len, "%s", p->hp_vhost);
	else if (ntohs(a->ha_target.ep_port) != dflt)
		ep_fmt(&a->ha_target, buf, len);
	else if (a->ha_target.ep_addr.a_af == AF_INET6)
		snprintf(buf, len, "[%s]",
		    addr_fmt(&a->ha_target.ep_addr, s, sizeof(s)));
	else
		addr_fmt(&a->ha_target.ep_addr, buf, len);
}

static int
http_start_tls(struct hc_attempt *a, bool tls)
{
	const struct hc_params *p = a->ha_params;
	struct sockaddr_storage ss;
	struct http_check *hk;
	char		 host[HC_PATH_MAX + ADDR_STRLEN];
	socklen_t	 sl;
	int		 r, n;

	if (tls && http_ctx() == NULL) {
		ERR_clear_error();
		return -ENOMEM;
	}
	if ((hk = calloc(1, sizeof(*hk))) == NULL)
		return -ENOMEM;
	hk->hk_a = a;
	hk->hk_fd = -1;
	hk->hk_tls = tls;
	if ((hk->hk_buf = malloc(HC_HTTP_MAX + 1)) == NULL) {
		free(hk);
		return -ENOMEM;
	}
	http_host(a, tls, host, sizeof(host));
	n = snprintf(hk->hk_req, sizeof(hk->hk_req),
	    "GET %s HTTP/1.1\r\nHost: %s\r\nConnection: close\r\n"
	    "User-Agent: uvsd-healthcheck\r\n\r\n",
	    p->hp_path[0] != '\0' ? p->hp_path : "/", host);
	if (n < 0 || (size_t)n >= sizeof(hk->hk_req)) {
		r = -ENAMETOOLONG;
		goto out_free;
	}
	hk->hk_req_len = n;
	hk->hk_fd = socket(a->ha_target.ep_addr.a_af,
	    SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (hk->hk_fd == -1)
		goto out_errno;
	if (p->hp_bind.a_af != 0) {
		sl = addr_sockaddr(&p->hp_bind, 0, &ss);
		if (bind(hk->hk_fd, (struct sockaddr *)&ss, sl) == -1)
			goto out_errno;
	}
	sl = addr_sockaddr(&a->ha_target.ep_addr, a->ha_target.ep_port, &ss);
	if (connect(hk->hk_fd, (struct sockaddr *)&ss, sl) == -1 &&
	    errno != EINPROGRESS)
		goto out_errno;
	/* Connected at once or not: writability says when and SO_ERROR how. */
	hk->hk_phase = HP_CONNECT;
	ev_io_init(&hk->hk_io, http_io_cb, hk->hk_fd, EV_WRITE);
	hk->hk_io.data = hk;
	ev_io_start(a->ha_loop, &hk->hk_io);
	a->ha_priv = hk;
	return 0;
out_errno:
	r = -errno;
out_free:
	if (hk->hk_fd != -1)
		close(hk->hk_fd);
	free(hk->hk_buf);
	free(hk);
	return r;
}

static int
http_start(struct hc_attempt *a)
{
	return http_start_tls(a, false);
}

static int
https_start(struct hc_attempt *a)
{
	return http_start_tls(a, true);
}

static void
http_cancel(struct hc_attempt *a)
{
	if (a->ha_priv != NULL)
		http_release(a->ha_priv);
}

const struct hc_ops hc_http = {
	.name = "http",
	.start = http_start,
	.cancel = http_cancel,
};

const struct hc_ops hc_https = {
	.name = "https",
	.start = https_start,
	.cancel = http_cancel,
};
