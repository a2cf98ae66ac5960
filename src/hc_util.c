/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The health checkers' pure helpers: which http status codes pass, what
 * a MISC_CHECK exit code means, which udp replies pass, the http response
 * parser and the body digest.  They hold no state and touch no socket, so
 * the unit tests and the fuzz target run them alone, and they live apart
 * from hc_http.c so that linking them does not pull in the checkers and
 * health.c.  Any thread; uvsd calls them from the control thread.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "hc.h"

bool
hc_status_ok(const struct hc_params *p, unsigned status)
{
	unsigned	 i;

	if (p->hp_nstatus == 0)
		return status >= 200 && status <= 299;
	for (i = 0; i < p->hp_nstatus && i < HC_STATUS_RANGES; i++)
		if (status >= p->hp_status_lo[i] && status <= p->hp_status_hi[i])
			return true;
	return false;
}

/* keepalived's MISC_CHECK: 0 up, 1 down, 2..255 up with weight code - 2. */
int
hc_exec_outcome(int wait_status, int *ret_weight)
{
	int	 code;

	if (!WIFEXITED(wait_status))
		return HC_FAIL;		/* killed: a hung script is down */
	code = WEXITSTATUS(wait_status);
	if (code == 0)
		return HC_OK;
	if (code == 1)
		return HC_FAIL;
	if (ret_weight != NULL)
		*ret_weight = code - 2;
	return HC_WEIGHT;
}

bool
hc_udp_reply_ok(const struct hc_params *p, const uint8_t *buf, size_t len)
{
	if (p->hp_min_reply != 0 && len < p->hp_min_reply)
		return false;
	if (p->hp_max_reply != 0 && len > p->hp_max_reply)
		return false;
	if (p->hp_reply_len == 0)
		return true;
	if (p->hp_reply_len > sizeof(p->hp_reply) || len < p->hp_reply_len)
		return false;
	return memcmp(buf, p->hp_reply, p->hp_reply_len) == 0;
}

enum http_body {
	BODY_NONE,		/* 1xx, 204, 304 */
	BODY_LENGTH,		/* Content-Length */
	BODY_CHUNKED,		/* Transfer-Encoding: ..., chunked */
	BODY_CLOSE,		/* until the peer closes */
};

struct http_head {
	unsigned	 h_status;
	size_t		 h_len;		/* bytes up to and with the empty line */
	int		 h_body;	/* enum http_body */
	size_t		 h_clen;	/* BODY_LENGTH */
};

/* The line at <p>: its length without "\r\n" or "\n", NULL if unended. */
static const char *
http_line(const char *p, const char *end, size_t *ret_len)
{
	const char	*nl;

	nl = memchr(p, '\n', end - p);
	if (nl == NULL)
		return NULL;
	*ret_len = nl - p;
	if (*ret_len > 0 && p[*ret_len - 1] == '\r')
		(*ret_len)--;
	return nl + 1;
}

static bool
http_ows(char c)
{
	return c == ' ' || c == '\t';
}

/* Does header <name> (<n> bytes, a-z in <want>) match, any case? */
static bool
http_name_is(const char *name, size_t n, const char *want)
{
	return n == strlen(want) && strncasecmp(name, want, n) == 0;
}

static int
http_content_length(const char *v, size_t n, struct http_head *h)
{
	size_t	 i, clen = 0;

	if (n == 0)
		return -EBADMSG;
	for (i = 0; i < n; i++) {
		if (v[i] < '0' || v[i] > '9')
			return -EBADMSG;
		if (clen > (SIZE_MAX - 9) / 10)
			return -EBADMSG;
		clen = clen * 10 + (v[i] - '0');
	}
	/* Two different lengths: a smuggling attempt or a broken server. */
	if (h->h_body == BODY_LENGTH && h->h_clen != clen)
		return -EBADMSG;
	if (h->h_body != BODY_CHUNKED) {
		h->h_body = BODY_LENGTH;
		h->h_clen = clen;
	}
	return 0;
}

/* RFC 9112 6.3: chunked last means chunked, anything else: until close. */
static void
http_transfer_encoding(const char *v, size_t n, struct http_head *h)
{
	const char	*last = v;
	size_t		 i;

	for (i = 0; i < n; i++)
		if (v[i] == ',')
			last = v + i + 1;
	n -= last - v;
	while (n > 0 && http_ows(*last)) {
		last++;
		n--;
	}
	h->h_body = http_name_is(last, n, "chunked") ? BODY_CHUNKED :
	    BODY_CLOSE;
}

/* Status line and headers of one response. 0, -EAGAIN or -EBADMSG. */
static int
http_head_parse(const char *buf, size_t len, struct http_head *h)
{
	const char	*p = buf, *end = buf + len, *next, *colon, *v;
	size_t		 n, vn;
	int		 r;

	memset(h, 0, sizeof(*h));
	h->h_body = BODY_CLOSE;
	if ((next = http_line(p, end, &n)) == NULL)
		return len > HC_HTTP_MAX ? -EBADMSG : -EAGAIN;
	/* "HTTP/1.1 200 OK": version, three digits, optional reason. */
	if (n < 12 || memcmp(p, "HTTP/", 5) != 0 || p[5] < '0' || p[5] > '9' ||
	    p[6] != '.' || p[7] < '0' || p[7] > '9' || p[8] != ' ' ||
	    p[9] < '1' || p[9] > '9' || p[10] < '0' || p[10] > '9' ||
	    p[11] < '0' || p[11] > '9' || (n > 12 && p[12] != ' '))
		return -EBADMSG;
	h->h_status = (p[9] - '0') * 100 + (p[10] - '0') * 10 + (p[11] - '0');
	for (p = next;; p = next) {
		if ((next = http_line(p, end, &n)) == NULL)
			return -EAGAIN;
		if (n == 0)
			break;
		if (http_ows(*p))
			continue;	/* obsolete folding: nothing we use */
		colon = memchr(p, ':', n);
		if (colon == NULL || colon == p)
			return -EBADMSG;
		v = colon + 1;
		vn = n - (v - p);
		while (vn > 0 && http_ows(*v)) {
			v++;
			vn--;
		}
		while (vn > 0 && http_ows(v[vn - 1]))
			vn--;
		if (http_name_is(p, colon - p, "content-length")) {
			if ((r = http_content_length(v, vn, h)) != 0)
				return r;
		} else if (http_name_is(p, colon - p, "transfer-encoding"))
			http_transfer_encoding(v, vn, h);
	}
	h->h_len = next - buf;
	if (h->h_status / 100 == 1 || h->h_status == 204 || h->h_status == 304)
		h->h_body = BODY_NONE;
	return 0;
}

static int
http_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * Walk the chunked body at <buf>; with <decode>, move the data of each
 * chunk down to the start of <buf> (it never overtakes the walk: every
 * chunk's size line is at least one byte longer than nothing).  Returns
 * 0 with the decoded length, -EAGAIN or -EBADMSG.
 */
static int
http_chunked(char *buf, size_t len, bool decode, size_t *ret_len)
{
	char		*p = buf, *end = buf + len, *next;
	size_t		 n, i, sz, out = 0;
	int		 d;

	for (;;) {
		if ((next = (char *)http_line(p, end, &n)) == NULL)
			return -EAGAIN;
		for (i = 0, sz = 0; i < n && (d = http_hex(p[i])) >= 0; i++) {
			if (sz > (SIZE_MAX >> 4))
				return -EBADMSG;
			sz = sz << 4 | d;
		}
		if (i == 0)
			return -EBADMSG;
		while (i < n && http_ows(p[i]))
			i++;
		if (i < n && p[i] != ';')
			return -EBADMSG;
		p = next;
		if (sz == 0)
			break;
		if ((size_t)(end - p) < sz)
			return -EAGAIN;
		if (decode)
			memmove(buf + out, p, sz);
		out += sz;
		p += sz;
		if (p < end && *p == '\r')
			p++;
		if (p == end)
			return -EAGAIN;
		if (*p++ != '\n')
			return -EBADMSG;
	}
	/* Trailer fields, up to the empty line. */
	for (;;) {
		if ((next = (char *)http_line(p, end, &n)) == NULL)
			return -EAGAIN;
		if (n == 0)
			break;
		p = next;
	}
	*ret_len = out;
	return 0;
}

int
hc_http_parse(char *buf, size_t len, bool eof, unsigned *ret_status,
    const char **ret_body, size_t *ret_body_len)
{
	struct http_head h;
	size_t		 off = 0, rest, blen = 0;
	char		*body;
	int		 r;

	for (;;) {
		if ((r = http_head_parse(buf + off, len - off, &h)) != 0)
			return r;
		/* An interim 100 Continue: the final response follows. */
		if (h.h_status / 100 == 1 && h.h_status != 101) {
			off += h.h_len;
			continue;
		}
		break;
	}
	body = buf + off + h.h_len;
	rest = len - off - h.h_len;
	switch (h.h_body) {
	case BODY_NONE:
		blen = 0;
		break;
	case BODY_LENGTH:
		if (rest < h.h_clen)
			return -EAGAIN;
		blen = h.h_clen;
		break;
	case BODY_CLOSE:
		if (!eof)
			return -EAGAIN;
		blen = rest;
		break;
	case BODY_CHUNKED:
		if ((r = http_chunked(body, rest, false, &blen)) != 0)
			return r;
		http_chunked(body, rest, true, &blen);
		break;
	}
	*ret_status = h.h_status;
	*ret_body = body;
	*ret_body_len = blen;
	return 0;
}

int
hc_md5_hex(const void *buf, size_t len, char ret_hex[33])
{
	static const char hex[] = "0123456789abcdef";
	unsigned char	 md[EVP_MAX_MD_SIZE];
	unsigned int	 mdlen, i;

	if (EVP_Digest(buf, len, md, &mdlen, EVP_md5(), NULL) != 1 ||
	    mdlen != 16)
		return -EIO;
	for (i = 0; i < mdlen; i++) {
		ret_hex[2 * i] = hex[md[i] >> 4];
		ret_hex[2 * i + 1] = hex[md[i] & 0xf];
	}
	ret_hex[32] = '\0';
	return 0;
}
