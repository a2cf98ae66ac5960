/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Unit tests of conn_sctp.c: the three IPVS transition tables checked
 * cell by cell against their text in ip_vs_proto_sctp.c, the chunk type
 * to event mapping, whole associations for dr and nat, names and
 * timeouts.
 */
#include "config.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "conn_sctp.h"
#include "util.h"

/* The kernel's sctp_states[], as printed there, one row per event. */
static const struct {
	int		 dir;
	uint8_t		 chunk;
	const char	*next;	/* for sNO ... sCL */
} table_rows[] = {
#define IN DIR_INPUT
	{ IN, SCTP_CID_DATA,
	"sES, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IN, SCTP_CID_INIT,
	"sI1, sIN, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sIN, sIN" },
	{ IN, SCTP_CID_INIT_ACK,
	"sCW, sCW, sCW, sCS, sCR, sCO, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IN, SCTP_CID_COOKIE_ECHO,
	"sCR, sIN, sIN, sCR, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IN, SCTP_CID_COOKIE_ACK,
	"sES, sI1, sIN, sCS, sCR, sCW, sCO, sES, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IN, SCTP_CID_SHUTDOWN,
	"sSR, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sSR, sSS, sSR, sSA, sRJ, sCL" },
	{ IN, SCTP_CID_SHUTDOWN_ACK,
	"sCL, sIN, sIN, sCS, sCR, sCW, sCO, sCE, sES, sCL, sSR, sCL, sRJ, sCL" },
	{ IN, SCTP_CID_SHUTDOWN_COMPLETE,
	"sCL, sCL, sCL, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sCL, sRJ, sCL" },
	{ IN, SCTP_CID_ERROR,
	"sCL, sI1, sIN, sCS, sCR, sCW, sCO, sCL, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IN, SCTP_CID_ABORT,
	"sCL, sCL, sCL, sCL, sCL, sRJ, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL" },
#undef IN
#define OUT DIR_OUTPUT
	{ OUT, SCTP_CID_DATA,
	"sES, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_INIT,
	"sCW, sCW, sCW, sCW, sCW, sCW, sCW, sCW, sES, sCW, sCW, sCW, sCW, sCW" },
	{ OUT, SCTP_CID_INIT_ACK,
	"sCS, sCS, sCS, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_COOKIE_ECHO,
	"sCE, sCE, sCE, sCE, sCE, sCE, sCE, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_COOKIE_ACK,
	"sES, sES, sES, sES, sES, sES, sES, sES, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_SHUTDOWN,
	"sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_SHUTDOWN_ACK,
	"sSA, sSA, sSA, sSA, sSA, sCW, sCO, sCE, sES, sSA, sSA, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_SHUTDOWN_COMPLETE,
	"sCL, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_ERROR,
	"sCL, sCL, sCL, sCL, sCL, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ OUT, SCTP_CID_ABORT,
	"sCL, sRJ, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL" },
#undef OUT
#define IO DIR_INPUT_ONLY
	{ IO, SCTP_CID_DATA,
	"sES, sI1, sIN, sCS, sCR, sES, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IO, SCTP_CID_INIT,
	"sI1, sIN, sIN, sIN, sIN, sIN, sCO, sCE, sES, sSS, sSR, sSA, sIN, sIN" },
	{ IO, SCTP_CID_INIT_ACK,
	"sCE, sCE, sCE, sCE, sCE, sCE, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IO, SCTP_CID_COOKIE_ECHO,
	"sES, sES, sES, sES, sES, sES, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IO, SCTP_CID_COOKIE_ACK,
	"sES, sI1, sIN, sES, sES, sCW, sES, sES, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IO, SCTP_CID_SHUTDOWN,
	"sSR, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sSR, sSS, sSR, sSA, sRJ, sCL" },
	{ IO, SCTP_CID_SHUTDOWN_ACK,
	"sCL, sIN, sIN, sCS, sCR, sCW, sCO, sCE, sCL, sCL, sSR, sCL, sRJ, sCL" },
	{ IO, SCTP_CID_SHUTDOWN_COMPLETE,
	"sCL, sCL, sCL, sCL, sCL, sCW, sCO, sCE, sES, sSS, sCL, sCL, sRJ, sCL" },
	{ IO, SCTP_CID_ERROR,
	"sCL, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL" },
	{ IO, SCTP_CID_ABORT,
	"sCL, sCL, sCL, sCL, sCL, sRJ, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL" },
#undef IO
};

static const char *const short_names[SCTPS__MAX] = {
	"sNO", "sI1", "sIN", "sCS", "sCR", "sCW", "sCO", "sCE", "sES", "sSS",
	"sSR", "sSA", "sRJ", "sCL",
};

static int
short_state(const char *s)
{
	unsigned	 i;

	for (i = 0; i < SCTPS__MAX; i++)
		if (strncmp(s, short_names[i], 3) == 0)
			return SCTPS_NONE + (int)i;
	return -1;
}

static void
test_sctp_table_cells(void **state)
{
	const char	*s;
	size_t		 i;
	int		 st;

	(void)state;
	for (i = 0; i < nitems(table_rows); i++) {
		s = table_rows[i].next;
		for (st = SCTPS_NONE; st < SCTPS__END; st++) {
			assert_int_equal(sctp_state_next(st, table_rows[i].dir,
			    table_rows[i].chunk), short_state(s));
			s += 5;
		}
	}
}

/* Chunk types that are no event of their own count as DATA. */
static const struct {
	uint8_t		 chunk;
	int		 from, next;
} data_like[] = {
	{ SCTP_CID_SACK,		SCTPS_NONE,	SCTPS_ESTABLISHED },
	{ SCTP_CID_HEARTBEAT,		SCTPS_COOKIE_WAIT, SCTPS_ESTABLISHED },
	{ SCTP_CID_HEARTBEAT_ACK,	SCTPS_NONE,	SCTPS_ESTABLISHED },
	{ SCTP_CID_ECNE,		SCTPS_NONE,	SCTPS_ESTABLISHED },
	{ SCTP_CID_CWR,			SCTPS_NONE,	SCTPS_ESTABLISHED },
	{ 15,				SCTPS_NONE,	SCTPS_ESTABLISHED },
	{ 0x80,	/* ASCONF-ACK */	SCTPS_NONE,	SCTPS_ESTABLISHED },
	{ 0xc1,	/* ASCONF */		SCTPS_INIT1,	SCTPS_INIT1 },
	{ 0xff,				SCTPS_CLOSED,	SCTPS_CLOSED },
};

static void
test_sctp_data_like_chunks(void **state)
{
	size_t	 i;

	(void)state;
	for (i = 0; i < nitems(data_like); i++)
		assert_int_equal(sctp_state_next(data_like[i].from,
		    DIR_INPUT_ONLY, data_like[i].chunk), data_like[i].next);
}

/* Whole associations: <dir> letters I(nput) O(utput) N (input only). */
static const struct {
	const char	*what;
	const char	*dirs;
	uint8_t		 chunks[8];
	int		 states[8];
} flows[] = {
	{ "dr: handshake, data, shutdown", "NNNNNN",
	  { SCTP_CID_INIT, SCTP_CID_COOKIE_ECHO, SCTP_CID_DATA,
	    SCTP_CID_SACK, SCTP_CID_SHUTDOWN, SCTP_CID_SHUTDOWN_COMPLETE },
	  { SCTPS_INIT1, SCTPS_ESTABLISHED, SCTPS_ESTABLISHED,
	    SCTPS_ESTABLISHED, SCTPS_SHUTDOWN_RECEIVED, SCTPS_CLOSED } },
	{ "nat: four-way handshake", "IOIO",
	  { SCTP_CID_INIT, SCTP_CID_INIT_ACK, SCTP_CID_COOKIE_ECHO,
	    SCTP_CID_COOKIE_ACK },
	  { SCTPS_INIT1, SCTPS_COOKIE_SENT, SCTPS_COOKIE_REPLIED,
	    SCTPS_ESTABLISHED } },
	{ "nat: client shuts down", "IIOI",
	  { SCTP_CID_DATA, SCTP_CID_SHUTDOWN, SCTP_CID_SHUTDOWN_ACK,
	    SCTP_CID_SHUTDOWN_COMPLETE },
	  { SCTPS_ESTABLISHED, SCTPS_SHUTDOWN_RECEIVED,
	    SCTPS_SHUTDOWN_ACK_SENT, SCTPS_CLOSED } },
	{ "nat: INIT answered by ABORT", "IOI",
	  { SCTP_CID_INIT, SCTP_CID_ABORT, SCTP_CID_INIT },
	  { SCTPS_INIT1, SCTPS_REJECTED, SCTPS_INIT } },
	{ "dr: INIT retransmitted", "NNN",
	  { SCTP_CID_INIT, SCTP_CID_INIT, SCTP_CID_COOKIE_ECHO },
	  { SCTPS_INIT1, SCTPS_INIT, SCTPS_ESTABLISHED } },
};

static void
test_sctp_flows(void **state)
{
	size_t		 i, k;
	int		 st, dir;

	(void)state;
	for (i = 0; i < nitems(flows); i++) {
		st = i == 2 ? SCTPS_ESTABLISHED : SCTPS_NONE;
		for (k = 0; flows[i].dirs[k] != '\0'; k++) {
			dir = flows[i].dirs[k] == 'I' ? DIR_INPUT :
			    flows[i].dirs[k] == 'O' ? DIR_OUTPUT :
			    DIR_INPUT_ONLY;
			st = sctp_state_next(st, dir, flows[i].chunks[k]);
			if (st != flows[i].states[k])
				fail_msg("%s: step %zu: %s, want %s",
				    flows[i].what, k, sctp_state_name(st),
				    sctp_state_name(flows[i].states[k]));
		}
	}
}

static void
test_sctp_names_and_timeouts(void **state)
{
	uint32_t	 to[SCTPS__MAX];
	struct conn_timeouts ct;

	(void)state;
	assert_string_equal(sctp_state_name(SCTPS_NONE), "NONE");
	assert_string_equal(sctp_state_name(SCTPS_COOKIE_SENT), "C-SENT");
	assert_string_equal(sctp_state_name(SCTPS_COOKIE_ECHOED), "C-ECHOED");
	assert_string_equal(sctp_state_name(SCTPS_ESTABLISHED), "ESTABLISHED");
	assert_string_equal(sctp_state_name(SCTPS_SHUTDOWN_ACK_SENT),
	    "S-ACK-SENT");
	assert_string_equal(sctp_state_name(SCTPS_CLOSED), "CLOSED");
	assert_string_equal(sctp_state_name(TCPS_ESTABLISHED), "ERR!");
	assert_string_equal(sctp_state_name(SCTPS__END), "ERR!");
	/* Not SCTP's: unchanged. */
	assert_int_equal(sctp_state_next(TCPS_SYN_RECV, DIR_INPUT,
	    SCTP_CID_INIT), TCPS_SYN_RECV);
	assert_int_equal(sctp_state_next(SCTPS_NONE, DIR__MAX,
	    SCTP_CID_INIT), SCTPS_NONE);
	sctp_timeouts_default(to);
	assert_int_equal(to[SCTPS_NONE - SCTPS_NONE], 2);
	assert_int_equal(to[SCTPS_INIT1 - SCTPS_NONE], 4);
	assert_int_equal(to[SCTPS_INIT - SCTPS_NONE], 61);
	assert_int_equal(to[SCTPS_ESTABLISHED - SCTPS_NONE], 900);
	assert_int_equal(to[SCTPS_REJECTED - SCTPS_NONE], 4);
	assert_int_equal(to[SCTPS_CLOSED - SCTPS_NONE], 61);
	tcp_timeouts_default(&ct);
	assert_int_equal(ct.ct_sctp[SCTPS_ESTABLISHED - SCTPS_NONE], 900);
	assert_int_equal(ct.ct_udp, 300);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sctp_table_cells),
		cmocka_unit_test(test_sctp_data_like_chunks),
		cmocka_unit_test(test_sctp_flows),
		cmocka_unit_test(test_sctp_names_and_timeouts),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
