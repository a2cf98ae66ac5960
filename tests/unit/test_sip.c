/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The SIP Call-ID decoder (sip.c): long and compact header names in any
 * case, blanks and folding around the colon, user@host values, line
 * ends CRLF, LF or CR, and what gives no Call-ID: missing, empty, after
 * the headers, not ended by a line end, trailing blanks, too long, and
 * messages cut anywhere.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"
#include "util.h"

#define RL	"OPTIONS sip:svc@192.0.2.10 SIP/2.0\r\n"

static const struct {
	const char	*msg;
	int		 ret;
	const char	*callid;	/* expected on 0 */
} cases[] = {
	{ RL "Call-ID: a84b4c76e66710\r\n\r\n",	0, "a84b4c76e66710" },
	{ RL "call-id: abc@pc33.example.com\r\n\r\n",	0,
	    "abc@pc33.example.com" },
	{ RL "CALL-ID:x\r\n",				0, "x" },
	{ RL "i: compact1\r\n\r\n",			0, "compact1" },
	{ RL "I:compact2\r\n",				0, "compact2" },
	{ RL "Call-ID \t: \t spaced\r\n",		0, "spaced" },
	{ RL "Call-ID:\r\n  folded\r\n",		0, "folded" },
	{ RL "Call-ID\r\n :after-fold\r\n",		0, "after-fold" },
	{ RL "Via: SIP/2.0/UDP h\r\nCall-ID: second\r\n", 0, "second" },
	{ "OPTIONS x SIP/2.0\nCall-ID: lf-only\n\n",	0, "lf-only" },
	{ "OPTIONS x SIP/2.0\rCall-ID: cr-only\r\r",	0, "cr-only" },
	{ RL "Call-ID: w!\"%'()*+-./:<>?[\\]_`{}~\r\n", 0,
	    "w!\"%'()*+-./:<>?[\\]_`{}~" },
	{ RL "Call-ID: a@b;tag\r\n",			-ENOENT, NULL },
	{ RL "Call-ID: id;x\r\n",			-ENOENT, NULL },
	/* An empty value is skipped: the next header may hold one. */
	{ RL "Call-ID:\r\nCall-ID: retry\r\n",		0, "retry" },
	{ RL "Call-ID: @host\r\ni: next\r\n",		0, "next" },
	{ RL "Call-ID: user@\r\ni: next2\r\n",		0, "next2" },
	/* Names that only start like it. */
	{ RL "Call-Info: <x>\r\nCall-ID: real\r\n",	0, "real" },
	{ RL "In-Reply-To: y\r\ni: z\r\n",		0, "z" },
	{ RL "iX: no\r\n",				-ENOENT, NULL },
	{ RL "Call-IDx: no\r\n",			-ENOENT, NULL },
	/* Missing, or not where a header is. */
	{ RL "Via: SIP/2.0/UDP h\r\n\r\n",		-ENOENT, NULL },
	{ "Call-ID: on-the-request-line\r\n\r\n",	-ENOENT, NULL },
	{ RL " Call-ID: continuation\r\n",		-ENOENT, NULL },
	{ RL "\r\nCall-ID: in-the-body\r\n",		-ENOENT, NULL },
	{ RL "Call-ID : \r\n\r\n",			-ENOENT, NULL },
	{ "",						-ENOENT, NULL },
	{ "\r\n",					-ENOENT, NULL },
	/* A value must end at a line end, right away (as IPVS). */
	{ RL "Call-ID: unterminated",			-ENOENT, NULL },
	{ RL "Call-ID: trailing \r\n",			-ENOENT, NULL },
	{ RL "Call-ID: a b\r\n",			-ENOENT, NULL },
	{ RL "Call-ID",					-ENOENT, NULL },
	{ RL "Call-ID:",				-ENOENT, NULL },
	{ RL "i",					-ENOENT, NULL },
};

static void
test_sip_callid_cases(void **state)
{
	const uint8_t	*id;
	size_t		 i, len;
	int		 r;

	(void)state;
	for (i = 0; i < nitems(cases); i++) {
		id = NULL;
		len = 0;
		r = sip_callid((const uint8_t *)cases[i].msg,
		    strlen(cases[i].msg), &id, &len);
		if (r != cases[i].ret)
			fail_msg("case %zu: %d, expected %d", i, r,
			    cases[i].ret);
		if (r != 0)
			continue;
		assert_int_equal(len, strlen(cases[i].callid));
		assert_memory_equal(id, cases[i].callid, len);
	}
}

/* 255 bytes is the most IPVS keeps; 256 is refused, not cut. */
static void
test_sip_callid_length(void **state)
{
	char		 msg[600], id[300];
	const uint8_t	*got;
	size_t		 len;

	(void)state;
	memset(id, 'k', sizeof(id));
	id[SIP_CALLID_MAX] = '\0';
	snprintf(msg, sizeof(msg), RL "Call-ID: %s\r\n\r\n", id);
	assert_int_equal(sip_callid((const uint8_t *)msg, strlen(msg), &got,
	    &len), 0);
	assert_int_equal(len, SIP_CALLID_MAX);
	id[SIP_CALLID_MAX] = 'k';
	id[SIP_CALLID_MAX + 1] = '\0';
	snprintf(msg, sizeof(msg), RL "Call-ID: %s\r\n\r\n", id);
	assert_int_equal(sip_callid((const uint8_t *)msg, strlen(msg), &got,
	    &len), -E2BIG);
	/* user@host counts whole. */
	memset(id, 'h', sizeof(id));
	id[128] = '@';
	id[SIP_CALLID_MAX + 1] = '\0';
	snprintf(msg, sizeof(msg), RL "i: %s\r\n", id);
	assert_int_equal(sip_callid((const uint8_t *)msg, strlen(msg), &got,
	    &len), -E2BIG);
}

/*
 * Every prefix of a good message, in a heap buffer of its exact size:
 * never a read past it (ASan, valgrind), and a Call-ID only once the
 * line end after it is in.
 */
static void
test_sip_callid_truncated(void **state)
{
	static const char msg[] = RL "Via: SIP/2.0/UDP h\r\n"
	    "Call-ID:\r\n  cut@here\r\nCSeq: 1 OPTIONS\r\n\r\n";
	const char	*end = strstr(msg, "here") + 4;
	const uint8_t	*id;
	size_t		 n, len;
	uint8_t		*buf;
	int		 r;

	(void)state;
	for (n = 0; n <= sizeof(msg) - 1; n++) {
		buf = malloc(n ? n : 1);
		assert_non_null(buf);
		memcpy(buf, msg, n);
		r = sip_callid(buf, n, &id, &len);
		if (n > (size_t)(end - msg)) {
			assert_int_equal(r, 0);
			assert_int_equal(len, 8);
			assert_memory_equal(id, "cut@here", 8);
		} else
			assert_int_equal(r, -ENOENT);
		free(buf);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sip_callid_cases),
		cmocka_unit_test(test_sip_callid_length),
		cmocka_unit_test(test_sip_callid_truncated),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
