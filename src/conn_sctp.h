/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SCTP association states and their timeouts, as IPVS tracks them
 * (net/netfilter/ipvs/ip_vs_proto_sctp.c): the same fourteen states,
 * driven by the type of a packet's first chunk through the same three
 * tables (INPUT, OUTPUT, INPUT-ONLY as conn_tcp.h), with the same default
 * timeouts and the names ipvsadm -L -c shows.  The states share c_state's
 * number space with TCP's and "UDP", after them.  Pure code, any thread.
 */
#ifndef UVS_CONN_SCTP_H
#define UVS_CONN_SCTP_H

#include <stdint.h>

#include "conn_tcp.h"

enum sctp_state {
	SCTPS_NONE = CONN_STATE_UDP + 1,
	SCTPS_INIT1,		/* first INIT seen, no INIT ACK yet */
	SCTPS_INIT,		/* INIT again */
	SCTPS_COOKIE_SENT,	/* the server's INIT ACK seen */
	SCTPS_COOKIE_REPLIED,	/* the client's COOKIE ECHO seen */
	SCTPS_COOKIE_WAIT,	/* the server sent an INIT */
	SCTPS_COOKIE,		/* ... and the client an INIT ACK */
	SCTPS_COOKIE_ECHOED,	/* ... and the server a COOKIE ECHO */
	SCTPS_ESTABLISHED,
	SCTPS_SHUTDOWN_SENT,
	SCTPS_SHUTDOWN_RECEIVED,
	SCTPS_SHUTDOWN_ACK_SENT,
	SCTPS_REJECTED,		/* an INIT answered by ABORT */
	SCTPS_CLOSED,
	SCTPS__END
};

#define SCTPS__MAX	(SCTPS__END - SCTPS_NONE)	/* how many */
_Static_assert(SCTPS__MAX == CONN_SCTP_STATES, "conn_timeouts' ct_sctp");

/* Chunk types (RFC 9260 3.2) the state machine and the parser know. */
#define SCTP_CID_DATA		0
#define SCTP_CID_INIT		1
#define SCTP_CID_INIT_ACK	2
#define SCTP_CID_SACK		3
#define SCTP_CID_HEARTBEAT	4
#define SCTP_CID_HEARTBEAT_ACK	5
#define SCTP_CID_ABORT		6
#define SCTP_CID_SHUTDOWN	7
#define SCTP_CID_SHUTDOWN_ACK	8
#define SCTP_CID_ERROR		9
#define SCTP_CID_COOKIE_ECHO	10
#define SCTP_CID_COOKIE_ACK	11
#define SCTP_CID_ECNE		12
#define SCTP_CID_CWR		13
#define SCTP_CID_SHUTDOWN_COMPLETE 14

/* True when <state> is one of enum sctp_state. */
static inline int
sctp_state_is(int state)
{
	return state >= SCTPS_NONE && state < SCTPS__END;
}

/* IPVS's defaults, by state - SCTPS_NONE: ESTABLISHED 900, INIT1 4, ... */
void	 sctp_timeouts_default(uint32_t ret[SCTPS__MAX]);
/*
 * Next state from <state> for a packet in <dir> (enum conn_dir) whose
 * (first) chunk is of type <chunk>; unknown types count as DATA, as in
 * IPVS.  <state> outside enum sctp_state comes back unchanged.
 */
int	 sctp_state_next(int state, int dir, uint8_t chunk);
/* "ESTABLISHED", "C-SENT", ... as ipvsadm -L -c; "ERR!" if not SCTP's. */
const char *sctp_state_name(int state);

#endif
