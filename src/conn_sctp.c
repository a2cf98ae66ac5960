/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SCTP state tracking as IPVS does it (conn_sctp.h).  A chunk type maps
 * to one of ten events, the event and the direction to a row of
 * sctp_states[] in net/netfilter/ipvs/ip_vs_proto_sctp.c, which this
 * file repeats state for state, with its timeouts and state names.  The
 * states are the ones the real server is in, seen from the packets that
 * go through.  Pure code on constant data, any thread.
 */
#include "config.h"

#include <stdint.h>

#include "conn_sctp.h"

enum {
	EV_DATA = 0,		/* DATA, SACK, HEARTBEAT(-ACK), ECNE, CWR, ... */
	EV_INIT,
	EV_INIT_ACK,
	EV_COOKIE_ECHO,
	EV_COOKIE_ACK,
	EV_SHUTDOWN,
	EV_SHUTDOWN_ACK,
	EV_SHUTDOWN_COMPLETE,
	EV_ERROR,
	EV_ABORT,
	EV__MAX
};

static const uint8_t sctp_events[] = {
	[SCTP_CID_DATA]			= EV_DATA,
	[SCTP_CID_INIT]			= EV_INIT,
	[SCTP_CID_INIT_ACK]		= EV_INIT_ACK,
	[SCTP_CID_SACK]			= EV_DATA,
	[SCTP_CID_HEARTBEAT]		= EV_DATA,
	[SCTP_CID_HEARTBEAT_ACK]	= EV_DATA,
	[SCTP_CID_ABORT]		= EV_ABORT,
	[SCTP_CID_SHUTDOWN]		= EV_SHUTDOWN,
	[SCTP_CID_SHUTDOWN_ACK]		= EV_SHUTDOWN_ACK,
	[SCTP_CID_ERROR]		= EV_ERROR,
	[SCTP_CID_COOKIE_ECHO]		= EV_COOKIE_ECHO,
	[SCTP_CID_COOKIE_ACK]		= EV_COOKIE_ACK,
	[SCTP_CID_ECNE]			= EV_DATA,
	[SCTP_CID_CWR]			= EV_DATA,
	[SCTP_CID_SHUTDOWN_COMPLETE]	= EV_SHUTDOWN_COMPLETE,
};

/* Indexes of the tables: state - SCTPS_NONE. */
#define sNO	0
#define sI1	1
#define sIN	2
#define sCS	3
#define sCR	4
#define sCW	5
#define sCO	6
#define sCE	7
#define sES	8
#define sSS	9
#define sSR	10
#define sSA	11
#define sRJ	12
#define sCL	13

static const uint8_t sctp_states[DIR__MAX][EV__MAX][SCTPS__MAX] = {
	[DIR_INPUT] = {
/*		  sNO  sI1  sIN  sCS  sCR  sCW  sCO  sCE  sES  sSS  sSR  sSA  sRJ  sCL */
/* d   */	{ sES, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* i   */	{ sI1, sIN, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sIN, sIN },
/* i_a */	{ sCW, sCW, sCW, sCS, sCR, sCO, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* c_e */	{ sCR, sIN, sIN, sCR, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* c_a */	{ sES, sI1, sIN, sCS, sCR, sCW, sCO, sES, sES, sSS, sSR, sSA, sRJ, sCL },
/* s   */	{ sSR, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sSR, sSS, sSR, sSA, sRJ, sCL },
/* s_a */	{ sCL, sIN, sIN, sCS, sCR, sCW, sCO, sCE, sES, sCL, sSR, sCL, sRJ, sCL },
/* s_c */	{ sCL, sCL, sCL, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sCL, sRJ, sCL },
/* err */	{ sCL, sI1, sIN, sCS, sCR, sCW, sCO, sCL, sES, sSS, sSR, sSA, sRJ, sCL },
/* ab  */	{ sCL, sCL, sCL, sCL, sCL, sRJ, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
	},
	[DIR_OUTPUT] = {
/*		  sNO  sI1  sIN  sCS  sCR  sCW  sCO  sCE  sES  sSS  sSR  sSA  sRJ  sCL */
/* d   */	{ sES, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* i   */	{ sCW, sCW, sCW, sCW, sCW, sCW, sCW, sCW, sES, sCW, sCW, sCW, sCW, sCW },
/* i_a */	{ sCS, sCS, sCS, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* c_e */	{ sCE, sCE, sCE, sCE, sCE, sCE, sCE, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* c_a */	{ sES, sES, sES, sES, sES, sES, sES, sES, sES, sSS, sSR, sSA, sRJ, sCL },
/* s   */	{ sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSS, sSR, sSA, sRJ, sCL },
/* s_a */	{ sSA, sSA, sSA, sSA, sSA, sCW, sCO, sCE, sES, sSA, sSA, sSA, sRJ, sCL },
/* s_c */	{ sCL, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* err */	{ sCL, sCL, sCL, sCL, sCL, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* ab  */	{ sCL, sRJ, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
	},
	[DIR_INPUT_ONLY] = {
/*		  sNO  sI1  sIN  sCS  sCR  sCW  sCO  sCE  sES  sSS  sSR  sSA  sRJ  sCL */
/* d   */	{ sES, sI1, sIN, sCS, sCR, sES, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* i   */	{ sI1, sIN, sIN, sIN, sIN, sIN, sCO, sCE, sES, sSS, sSR, sSA, sIN, sIN },
/* i_a */	{ sCE, sCE, sCE, sCE, sCE, sCE, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* c_e */	{ sES, sES, sES, sES, sES, sES, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* c_a */	{ sES, sI1, sIN, sES, sES, sCW, sES, sES, sES, sSS, sSR, sSA, sRJ, sCL },
/* s   */	{ sSR, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sSR, sSS, sSR, sSA, sRJ, sCL },
/* s_a */	{ sCL, sIN, sIN, sCS, sCR, sCW, sCO, sCE, sCL, sCL, sSR, sCL, sRJ, sCL },
/* s_c */	{ sCL, sCL, sCL, sCL, sCL, sCW, sCO, sCE, sES, sSS, sCL, sCL, sRJ, sCL },
/* err */	{ sCL, sI1, sIN, sCS, sCR, sCW, sCO, sCE, sES, sSS, sSR, sSA, sRJ, sCL },
/* ab  */	{ sCL, sCL, sCL, sCL, sCL, sRJ, sCL, sCL, sCL, sCL, sCL, sCL, sCL, sCL },
	},
};

/* IP_VS_SCTP_MAX_RTO: RTO.Max 60 s plus one. */
#define MAX_RTO		(60 + 1)

static const uint32_t sctp_timeouts[SCTPS__MAX] = {
	[sNO]	= 2,
	[sI1]	= 0 + 3 + 1,
	[sIN]	= MAX_RTO,
	[sCS]	= MAX_RTO,
	[sCR]	= MAX_RTO,
	[sCW]	= MAX_RTO,
	[sCO]	= MAX_RTO,
	[sCE]	= MAX_RTO,
	[sES]	= 15 * 60,
	[sSS]	= MAX_RTO,
	[sSR]	= MAX_RTO,
	[sSA]	= MAX_RTO,
	[sRJ]	= 0 + 3 + 1,
	[sCL]	= MAX_RTO,
};

static const char *const sctp_state_names[SCTPS__MAX] = {
	[sNO]	= "NONE",
	[sI1]	= "INIT1",
	[sIN]	= "INIT",
	[sCS]	= "C-SENT",
	[sCR]	= "C-REPLIED",
	[sCW]	= "C-WAIT",
	[sCO]	= "COOKIE",
	[sCE]	= "C-ECHOED",
	[sES]	= "ESTABLISHED",
	[sSS]	= "S-SENT",
	[sSR]	= "S-RECEIVED",
	[sSA]	= "S-ACK-SENT",
	[sRJ]	= "REJECTED",
	[sCL]	= "CLOSED",
};

void
sctp_timeouts_default(uint32_t ret[SCTPS__MAX])
{
	unsigned int	 i;

	for (i = 0; i < SCTPS__MAX; i++)
		ret[i] = sctp_timeouts[i];
}

int
sctp_state_next(int state, int dir, uint8_t chunk)
{
	int	 ev;

	if (!sctp_state_is(state) || dir < 0 || dir >= DIR__MAX)
		return state;
	ev = chunk < sizeof(sctp_events) ? sctp_events[chunk] : EV_DATA;
	return SCTPS_NONE + sctp_states[dir][ev][state - SCTPS_NONE];
}

const char *
sctp_state_name(int state)
{
	if (!sctp_state_is(state))
		return "ERR!";
	return sctp_state_names[state - SCTPS_NONE];
}
