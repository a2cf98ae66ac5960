/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of conn_tcp.c: the three IPVS transition tables checked cell
 * by cell against their text in ip_vs_proto_tcp.c, the flag precedence,
 * whole handshakes and closes for dr and nat, names and timeouts.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "conn_tcp.h"
#include "pkt.h"
#include "util.h"

/* The kernel's tcp_states[], as printed there (ipvs-reference.md §1g). */
static const struct {
	int		 dir;
	uint8_t		 flags;
	const char	*next;	/* for sNO ... sSA */
} table_rows[] = {
	{ DIR_INPUT, TCPF_SYN,
	    "sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR" },
	{ DIR_INPUT, TCPF_FIN,
	    "sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW" },
	{ DIR_INPUT, TCPF_ACK,
	    "sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES" },
	{ DIR_INPUT, TCPF_RST,
	    "sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR" },
	{ DIR_OUTPUT, TCPF_SYN,
	    "sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR" },
	{ DIR_OUTPUT, TCPF_FIN,
	    "sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW" },
	{ DIR_OUTPUT, TCPF_ACK,
	    "sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES" },
	{ DIR_OUTPUT, TCPF_RST,
	    "sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL" },
	{ DIR_INPUT_ONLY, TCPF_SYN,
	    "sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR" },
	{ DIR_INPUT_ONLY, TCPF_FIN,
	    "sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW" },
	{ DIR_INPUT_ONLY, TCPF_ACK,
	    "sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES" },
	{ DIR_INPUT_ONLY, TCPF_RST,
	    "sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL" },
};

static const char *const short_names[TCPS__MAX] = {
	"sNO", "sES", "sSS", "sSR", "sFW", "sTW", "sCL", "sCW", "sLA", "sLI",
	"sSA",
};

static int
short_state(const char *s)
{
	int	 i;

	for (i = 0; i < TCPS__MAX; i++)
		if (strncmp(s, short_names[i], 3) == 0)
			return i;
	fail_msg("bad state name in table: %.3s", s);
	return -1;
}

static void
test_tcp_state_next_table(void **state)
{
	const char	*p;
	size_t		 i;
	int		 from, want;

	for (i = 0; i < nitems(table_rows); i++) {
		p = table_rows[i].next;
		for (from = 0; from < TCPS__MAX; from++, p += 5) {
			want = short_state(p);
			if (tcp_state_next(from, table_rows[i].dir,
			    table_rows[i].flags) != want)
				fail_msg("row %zu from %s: got %s, want %s", i,
				    tcp_state_name(from),
				    tcp_state_name(tcp_state_next(from,
				    table_rows[i].dir, table_rows[i].flags)),
				    tcp_state_name(want));
		}
	}
}

#define SA	(TCPF_SYN | TCPF_ACK)
#define FA	(TCPF_FIN | TCPF_ACK)
#define RA	(TCPF_RST | TCPF_ACK)
#define PSH	0x08
#define IN	DIR_INPUT
#define OUT	DIR_OUTPUT
#define IO	DIR_INPUT_ONLY
#define URG	0x20

static const struct {
	int		 from;
	int		 dir;
	uint8_t		 flags;
	int		 to;
} precedence[] = {
	{ TCPS_NONE,		IN,	SA,			TCPS_SYN_RECV },
	{ TCPS_NONE,		OUT,	SA,			TCPS_SYN_SENT },
	{ TCPS_ESTABLISHED,	IN,	FA,			TCPS_CLOSE_WAIT },
	{ TCPS_ESTABLISHED,	IO,	FA,			TCPS_FIN_WAIT },
	{ TCPS_ESTABLISHED,	OUT,	FA,			TCPS_FIN_WAIT },
	{ TCPS_ESTABLISHED,	IN,	RA,			TCPS_CLOSE },
	{ TCPS_SYN_RECV,	IN,	TCPF_SYN | TCPF_RST,	TCPS_SYN_RECV },
	{ TCPS_NONE,		IN,	TCPF_SYN | TCPF_RST,	TCPS_CLOSE },
	{ TCPS_NONE,		IN,	TCPF_SYN | TCPF_FIN,	TCPS_SYN_RECV },
	{ TCPS_ESTABLISHED,	IN,	TCPF_FIN | TCPF_RST,	TCPS_CLOSE },
	{ TCPS_ESTABLISHED,	IN,	PSH | TCPF_ACK,		TCPS_ESTABLISHED },
	{ TCPS_SYN_RECV,	IN,	PSH | TCPF_ACK,		TCPS_ESTABLISHED },
	/* None of the four flags: the state stays. */
	{ TCPS_ESTABLISHED,	IN,	0,			TCPS_ESTABLISHED },
	{ TCPS_SYN_RECV,	OUT,	PSH | URG,		TCPS_SYN_RECV },
	/* Out of range: returned as is. */
	{ TCPS__MAX,		IN,	TCPF_SYN,		TCPS__MAX },
	{ -1,			IN,	TCPF_SYN,		-1 },
	{ TCPS_NONE,		DIR__MAX,	TCPF_SYN,	TCPS_NONE },
};

static void
test_tcp_state_next_precedence(void **state)
{
	size_t	 i;
	int	 got;

	for (i = 0; i < nitems(precedence); i++) {
		got = tcp_state_next(precedence[i].from, precedence[i].dir,
		    precedence[i].flags);
		if (got != precedence[i].to)
			fail_msg("case %zu: got %d, want %d", i, got,
			    precedence[i].to);
	}
}

struct seg {
	int		 dir;
	uint8_t		 flags;
	int		 after;
};

#define SEQ_MAX	10

static const struct {
	const char	*what;
	struct seg	 segs[SEQ_MAX];
	size_t		 n;
} sequences[] = {
	{ "dr: handshake, data, client closes", {
		{ DIR_INPUT_ONLY, TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_INPUT_ONLY, TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_INPUT_ONLY, PSH | TCPF_ACK, TCPS_ESTABLISHED },
		{ DIR_INPUT_ONLY, FA,		TCPS_FIN_WAIT },
		{ DIR_INPUT_ONLY, TCPF_ACK,	TCPS_FIN_WAIT },
	}, 5 },
	{ "dr: server closes first", {
		{ DIR_INPUT_ONLY, TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_INPUT_ONLY, TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_INPUT_ONLY, TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_INPUT_ONLY, FA,		TCPS_FIN_WAIT },
	}, 4 },
	{ "dr: reset", {
		{ DIR_INPUT_ONLY, TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_INPUT_ONLY, TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_INPUT_ONLY, RA,		TCPS_CLOSE },
	}, 3 },
	{ "dr: syn retransmitted", {
		{ DIR_INPUT_ONLY, TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_INPUT_ONLY, TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_INPUT_ONLY, TCPF_ACK,	TCPS_ESTABLISHED },
	}, 3 },
	{ "nat: handshake, data, client closes", {
		{ DIR_INPUT,	TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_OUTPUT,	SA,		TCPS_SYN_RECV },
		{ DIR_INPUT,	TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_OUTPUT,	PSH | TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_INPUT,	FA,		TCPS_CLOSE_WAIT },
		{ DIR_OUTPUT,	TCPF_ACK,	TCPS_CLOSE_WAIT },
		{ DIR_OUTPUT,	FA,		TCPS_TIME_WAIT },
		{ DIR_INPUT,	TCPF_ACK,	TCPS_TIME_WAIT },
	}, 8 },
	{ "nat: server closes first", {
		{ DIR_INPUT,	TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_OUTPUT,	SA,		TCPS_SYN_RECV },
		{ DIR_INPUT,	TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_OUTPUT,	FA,		TCPS_FIN_WAIT },
		{ DIR_INPUT,	TCPF_ACK,	TCPS_FIN_WAIT },
		{ DIR_INPUT,	FA,		TCPS_TIME_WAIT },
		{ DIR_OUTPUT,	TCPF_ACK,	TCPS_TIME_WAIT },
	}, 7 },
	{ "nat: server refuses", {
		{ DIR_INPUT,	TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_OUTPUT,	RA,		TCPS_CLOSE },
	}, 2 },
	{ "nat: client resets", {
		{ DIR_INPUT,	TCPF_SYN,	TCPS_SYN_RECV },
		{ DIR_OUTPUT,	SA,		TCPS_SYN_RECV },
		{ DIR_INPUT,	TCPF_ACK,	TCPS_ESTABLISHED },
		{ DIR_INPUT,	TCPF_RST,	TCPS_CLOSE },
	}, 4 },
};

static void
test_tcp_state_next_sequences(void **state)
{
	size_t	 i, j;
	int	 st;

	for (i = 0; i < nitems(sequences); i++) {
		st = TCPS_NONE;
		for (j = 0; j < sequences[i].n; j++) {
			st = tcp_state_next(st, sequences[i].segs[j].dir,
			    sequences[i].segs[j].flags);
			if (st != sequences[i].segs[j].after)
				fail_msg("%s: segment %zu: got %s, want %s",
				    sequences[i].what, j, tcp_state_name(st),
				    tcp_state_name(sequences[i].segs[j].after));
		}
	}
}

static const struct {
	int		 state;
	const char	*name;
	uint32_t	 timeout;	/* 0: not a TCP state */
} states[] = {
	{ TCPS_NONE,		"NONE",		2 },
	{ TCPS_ESTABLISHED,	"ESTABLISHED",	900 },
	{ TCPS_SYN_SENT,	"SYN_SENT",	120 },
	{ TCPS_SYN_RECV,	"SYN_RECV",	60 },
	{ TCPS_FIN_WAIT,	"FIN_WAIT",	120 },
	{ TCPS_TIME_WAIT,	"TIME_WAIT",	120 },
	{ TCPS_CLOSE,		"CLOSE",	10 },
	{ TCPS_CLOSE_WAIT,	"CLOSE_WAIT",	60 },
	{ TCPS_LAST_ACK,	"LAST_ACK",	30 },
	{ TCPS_LISTEN,		"LISTEN",	120 },
	{ TCPS_SYNACK,		"SYNACK",	120 },
	{ CONN_STATE_UDP,	"UDP",		0 },
	{ CONN_STATE_UDP + 1,	"ERR!",		0 },
	{ -1,			"ERR!",		0 },
	{ 1000,			"ERR!",		0 },
};

static void
test_tcp_state_name_all(void **state)
{
	size_t	 i;

	for (i = 0; i < nitems(states); i++)
		assert_string_equal(tcp_state_name(states[i].state),
		    states[i].name);
}

static void
test_tcp_timeouts_default_ipvs(void **state)
{
	struct conn_timeouts	 to;
	size_t			 i;

	memset(&to, 0xff, sizeof(to));
	tcp_timeouts_default(&to);
	for (i = 0; i < nitems(states); i++)
		if (states[i].state >= 0 && states[i].state < TCPS__MAX)
			assert_int_equal(to.ct_tcp[states[i].state],
			    states[i].timeout);
	assert_int_equal(to.ct_udp, 300);
	/* What ipvsadm --timeout prints: "900 120 300". */
	assert_int_equal(to.ct_tcp[TCPS_ESTABLISHED], 900);
	assert_int_equal(to.ct_tcp[TCPS_FIN_WAIT], 120);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_state_next_table),
		cmocka_unit_test(test_tcp_state_next_precedence),
		cmocka_unit_test(test_tcp_state_next_sequences),
		cmocka_unit_test(test_tcp_state_name_all),
		cmocka_unit_test(test_tcp_timeouts_default_ipvs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
