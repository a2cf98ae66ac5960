/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests for the health checkers' pure helpers (hc_util.c): http
 * status ranges, MISC_CHECK exit codes, udp reply matching, the http
 * response parser (lengths, chunked, close-delimited, interim 1xx,
 * malformed) and the md5 body digest.
 */
#include "config.h"

#include <sys/wait.h>

#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include "hc.h"
#include "util.h"

static const struct {
	unsigned	 nstatus;
	uint16_t	 lo[3], hi[3];
	unsigned	 status;
	bool		 ok;
} status_cases[] = {
	{ 0, { 0 }, { 0 },			200, true },	/* default 2xx */
	{ 0, { 0 }, { 0 },			299, true },
	{ 0, { 0 }, { 0 },			199, false },
	{ 0, { 0 }, { 0 },			301, false },
	{ 0, { 0 }, { 0 },			503, false },
	{ 1, { 200 }, { 200 },			200, true },
	{ 1, { 200 }, { 200 },			204, false },
	{ 2, { 200, 301 }, { 200, 302 },	302, true },
	{ 2, { 200, 301 }, { 200, 302 },	303, false },
	{ 3, { 500, 200, 404 }, { 599, 299, 404 }, 404, true },
	{ 3, { 500, 200, 404 }, { 599, 299, 404 }, 403, false },
	{ 3, { 500, 200, 404 }, { 599, 299, 404 }, 503, true },
};

static void
test_hc_status_ok_ranges(void **state)
{
	struct hc_params p;
	size_t		 i;
	unsigned	 j;

	for (i = 0; i < nitems(status_cases); i++) {
		memset(&p, 0, sizeof(p));
		p.hp_nstatus = status_cases[i].nstatus;
		for (j = 0; j < p.hp_nstatus; j++) {
			p.hp_status_lo[j] = status_cases[i].lo[j];
			p.hp_status_hi[j] = status_cases[i].hi[j];
		}
		assert_int_equal(hc_status_ok(&p, status_cases[i].status),
		    status_cases[i].ok);
	}
}

static const struct {
	int		 wstatus;
	int		 outcome;
	int		 weight;	/* -1: untouched */
} exec_cases[] = {
	{ 0 << 8,	HC_OK,		-1 },
	{ 1 << 8,	HC_FAIL,	-1 },
	{ 2 << 8,	HC_WEIGHT,	0 },
	{ 3 << 8,	HC_WEIGHT,	1 },
	{ 102 << 8,	HC_WEIGHT,	100 },
	{ 255 << 8,	HC_WEIGHT,	253 },
	{ SIGKILL,	HC_FAIL,	-1 },	/* killed at the timeout */
	{ SIGTERM,	HC_FAIL,	-1 },
	{ SIGSEGV | 0x80, HC_FAIL,	-1 },	/* with a core */
};

static void
test_hc_exec_outcome_codes(void **state)
{
	size_t	 i;
	int	 w;

	for (i = 0; i < nitems(exec_cases); i++) {
		w = -1;
		assert_int_equal(hc_exec_outcome(exec_cases[i].wstatus, &w),
		    exec_cases[i].outcome);
		assert_int_equal(w, exec_cases[i].weight);
	}
	assert_int_equal(hc_exec_outcome(7 << 8, NULL), HC_WEIGHT);
}

static const struct {
	const char	*expect;	/* prefix; NULL: any */
	size_t		 min, max;
	const char	*reply;
	size_t		 len;
	bool		 ok;
} udp_cases[] = {
	{ NULL,		0, 0,	"",		0,	true },
	{ NULL,		0, 0,	"anything",	8,	true },
	{ "PONG",	0, 0,	"PONG",		4,	true },
	{ "PONG",	0, 0,	"PONG\n",	5,	true },	/* a prefix */
	{ "PONG",	0, 0,	"PON",		3,	false },
	{ "PONG",	0, 0,	"PING",		4,	false },
	{ "\0\1",	0, 0,	"\0\1\2",	3,	true },	/* binary */
	{ NULL,		4, 0,	"abc",		3,	false },
	{ NULL,		4, 0,	"abcd",		4,	true },
	{ NULL,		0, 4,	"abcd",		4,	true },
	{ NULL,		0, 4,	"abcde",	5,	false },
	{ "ab",		2, 3,	"abc",		3,	true },
	{ "ab",		2, 3,	"abcd",		4,	false },
};

static void
test_hc_udp_reply_ok_cases(void **state)
{
	struct hc_params p;
	size_t		 i;

	for (i = 0; i < nitems(udp_cases); i++) {
		memset(&p, 0, sizeof(p));
		if (udp_cases[i].expect != NULL) {
			/* "\0\1" is two bytes: strlen would say 0. */
			p.hp_reply_len = udp_cases[i].expect[0] == '\0' ? 2 :
			    strlen(udp_cases[i].expect);
			memcpy(p.hp_reply, udp_cases[i].expect,
			    p.hp_reply_len);
		}
		p.hp_min_reply = udp_cases[i].min;
		p.hp_max_reply = udp_cases[i].max;
		assert_int_equal(hc_udp_reply_ok(&p,
		    (const uint8_t *)udp_cases[i].reply, udp_cases[i].len),
		    udp_cases[i].ok);
	}
}

#define R200	"HTTP/1.1 200 OK\r\n"

static const struct {
	const char	*in;
	bool		 eof;
	int		 ret;
	unsigned	 status;
	const char	*body;
} parse_cases[] = {
	{ R200 "Content-Length: 5\r\n\r\nhello", false, 0, 200, "hello" },
	{ R200 "content-length:   5  \r\n\r\nhello", false, 0, 200, "hello" },
	{ R200 "Content-Length: 5\r\n\r\nhel", false, -EAGAIN, 0, NULL },
	{ R200 "Content-Length: 5\r\n\r\nhel", true, -EAGAIN, 0, NULL },
	/* Extra bytes after the body (a server ignoring close): not ours. */
	{ R200 "Content-Length: 2\r\n\r\nhello", false, 0, 200, "he" },
	{ R200 "Content-Length: 0\r\n\r\n", false, 0, 200, "" },
	{ R200 "Content-Length: 5\r\nContent-Length: 5\r\n\r\nhello",
	    false, 0, 200, "hello" },
	{ R200 "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!",
	    false, -EBADMSG, 0, NULL },
	{ R200 "Content-Length: -1\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ R200 "Content-Length: 99999999999999999999999\r\n\r\n",
	    false, -EBADMSG, 0, NULL },
	/* Close-delimited. */
	{ "HTTP/1.0 200 OK\r\n\r\nuntil close", false, -EAGAIN, 0, NULL },
	{ "HTTP/1.0 200 OK\r\n\r\nuntil close", true, 0, 200, "until close" },
	{ "HTTP/1.0 503 Service Unavailable\nServer: x\n\nbare newlines",
	    true, 0, 503, "bare newlines" },
	{ "HTTP/1.1 404\r\n\r\n", true, 0, 404, "" },	/* no reason */
	/* Chunked, with extensions, trailers, and beating Content-Length. */
	{ R200 "Transfer-Encoding: chunked\r\n\r\n"
	    "5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n",
	    false, 0, 200, "hello, world" },
	{ R200 "Transfer-Encoding: gzip, Chunked\r\nContent-Length: 3\r\n\r\n"
	    "A\r\n0123456789\r\n0\r\nX-Trailer: y\r\n\r\n",
	    false, 0, 200, "0123456789" },
	{ R200 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n",
	    false, -EAGAIN, 0, NULL },
	{ R200 "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n",
	    true, -EAGAIN, 0, NULL },
	{ R200 "Transfer-Encoding: chunked\r\n\r\n5\r\nhelloXX0\r\n\r\n",
	    false, -EBADMSG, 0, NULL },
	{ R200 "Transfer-Encoding: chunked\r\n\r\nzz\r\n", false, -EBADMSG,
	    0, NULL },
	{ R200 "Transfer-Encoding: chunked\r\n\r\n"
	    "fffffffffffffffffffff\r\n", false, -EBADMSG, 0, NULL },
	{ R200 "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false, 0, 200, "" },
	/* An encoding that is not chunked last: the body ends at close. */
	{ R200 "Transfer-Encoding: gzip\r\n\r\nzzz", true, 0, 200, "zzz" },
	/* Interim responses; bodiless statuses. */
	{ "HTTP/1.1 100 Continue\r\n\r\n" R200 "Content-Length: 2\r\n\r\nok",
	    false, 0, 200, "ok" },
	{ "HTTP/1.1 100 Continue\r\n\r\n", true, -EAGAIN, 0, NULL },
	{ "HTTP/1.1 204 No Content\r\n\r\n", false, 0, 204, "" },
	{ "HTTP/1.1 304 Not Modified\r\nContent-Length: 9\r\n\r\n", false, 0,
	    304, "" },
	/* Partial and malformed heads. */
	{ "", true, -EAGAIN, 0, NULL },
	{ "HTTP/1.1 200 OK\r\nServer: x", false, -EAGAIN, 0, NULL },
	{ "HTTP/1.1 200 OK", false, -EAGAIN, 0, NULL },
	{ "SSH-2.0-OpenSSH_9.2\r\n", false, -EBADMSG, 0, NULL },
	{ "HTTP/1.1 20 OK\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ "HTTP/1.1 2000 OK\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ "HTTP/1.1 099 OK\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ "HTTP/x.1 200 OK\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ R200 "no colon here\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ R200 ": empty name\r\n\r\n", false, -EBADMSG, 0, NULL },
	{ R200 "X-A: 1\r\n folded\r\nContent-Length: 1\r\n\r\n!", false, 0,
	    200, "!" },
};

static void
test_hc_http_parse_cases(void **state)
{
	const char	*body;
	unsigned	 status;
	size_t		 i, len, blen;
	char		*buf;
	int		 r;

	for (i = 0; i < nitems(parse_cases); i++) {
		len = strlen(parse_cases[i].in);
		/* Exactly sized: ASan sees any read past the response. */
		buf = malloc(len + 1);
		assert_non_null(buf);
		memcpy(buf, parse_cases[i].in, len);
		status = 0;
		body = NULL;
		blen = 0;
		r = hc_http_parse(buf, len, parse_cases[i].eof, &status,
		    &body, &blen);
		if (r != parse_cases[i].ret)
			fail_msg("case %zu: %d, want %d", i, r,
			    parse_cases[i].ret);
		if (r == 0) {
			assert_int_equal(status, parse_cases[i].status);
			assert_int_equal(blen, strlen(parse_cases[i].body));
			assert_memory_equal(body, parse_cases[i].body, blen);
		} else {
			assert_int_equal(status, 0);
			assert_null(body);
		}
		free(buf);
	}
}

/* A response split anywhere parses the same once all of it is there. */
static void
test_hc_http_parse_when_split(void **state)
{
	static const char in[] = R200 "Transfer-Encoding: chunked\r\n\r\n"
	    "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
	const char	*body;
	unsigned	 status;
	size_t		 cut, blen;
	char		 buf[sizeof(in)];

	for (cut = 0; cut < sizeof(in) - 1; cut++) {
		memcpy(buf, in, sizeof(in));
		assert_int_equal(hc_http_parse(buf, cut, false, &status, &body,
		    &blen), -EAGAIN);
	}
	memcpy(buf, in, sizeof(in));
	assert_int_equal(hc_http_parse(buf, sizeof(in) - 1, false, &status,
	    &body, &blen), 0);
	assert_int_equal(status, 200);
	assert_int_equal(blen, 5);
	assert_memory_equal(body, "abcde", 5);
}

static const struct {
	const char	*in;
	const char	*md5;
} md5_cases[] = {
	{ "",		"d41d8cd98f00b204e9800998ecf8427e" },
	{ "abc",	"900150983cd24fb0d6963f7d28e17f72" },
	{ "The quick brown fox jumps over the lazy dog",
			"9e107d9d372bb6826bd81d3542a419d6" },
};

static void
test_hc_md5_hex_vectors(void **state)
{
	char	 hex[33];
	size_t	 i;

	for (i = 0; i < nitems(md5_cases); i++) {
		assert_int_equal(hc_md5_hex(md5_cases[i].in,
		    strlen(md5_cases[i].in), hex), 0);
		assert_string_equal(hex, md5_cases[i].md5);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hc_status_ok_ranges),
		cmocka_unit_test(test_hc_exec_outcome_codes),
		cmocka_unit_test(test_hc_udp_reply_ok_cases),
		cmocka_unit_test(test_hc_http_parse_cases),
		cmocka_unit_test(test_hc_http_parse_when_split),
		cmocka_unit_test(test_hc_md5_hex_vectors),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
