/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP state tracking as IPVS does it (conn_tcp.h): three tables, one per
 * direction, of four rows (syn, fin, ack, rst) indexed by the current
 * state.  The tables and timeouts are those of tcp_states[] and
 * tcp_timeouts[] in net/netfilter/ipvs/ip_vs_proto_tcp.c, so a listing
 * shows the states and a connection lives as long as an ipvsadm user
 * expects.  Pure code on constant data, any thread.
 */
#include "config.h"

#include <stdint.h>

#include "conn_sctp.h"
#include "conn_tcp.h"
#include "pkt.h"

enum {
	ROW_SYN = 0,
	ROW_FIN,
	ROW_ACK,
	ROW_RST,
	ROW__MAX
};

#define sNO	TCPS_NONE
#define sES	TCPS_ESTABLISHED
#define sSS	TCPS_SYN_SENT
#define sSR	TCPS_SYN_RECV
#define sFW	TCPS_FIN_WAIT
#define sTW	TCPS_TIME_WAIT
#define sCL	TCPS_CLOSE
#define sCW	TCPS_CLOSE_WAIT
#define sLA	TCPS_LAST_ACK
#define sLI	TCPS_LISTEN
#define sSA	TCPS_SYNACK

static const uint8_t tcp_states[DIR__MAX][ROW__MAX][TCPS__MAX] = {
	[DIR_INPUT] = {
/*		  sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA */
/* syn */	{ sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
/* fin */	{ sCL, sCW, sSS, sTW, sTW, sTW, sCL, sCW, sLA, sLI, sTW },
/* ack */	{ sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
/* rst */	{ sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sSR },
	},
	[DIR_OUTPUT] = {
/*		  sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA */
/* syn */	{ sSS, sES, sSS, sSR, sSS, sSS, sSS, sSS, sSS, sLI, sSR },
/* fin */	{ sTW, sFW, sSS, sTW, sFW, sTW, sCL, sTW, sLA, sLI, sTW },
/* ack */	{ sES, sES, sSS, sES, sFW, sTW, sCL, sCW, sLA, sES, sES },
/* rst */	{ sCL, sCL, sSS, sCL, sCL, sTW, sCL, sCL, sCL, sCL, sCL },
	},
	[DIR_INPUT_ONLY] = {
/*		  sNO  sES  sSS  sSR  sFW  sTW  sCL  sCW  sLA  sLI  sSA */
/* syn */	{ sSR, sES, sES, sSR, sSR, sSR, sSR, sSR, sSR, sSR, sSR },
/* fin */	{ sCL, sFW, sSS, sTW, sFW, sTW, sCL, sCW, sLA, sLI, sTW },
/* ack */	{ sCL, sES, sSS, sES, sFW, sTW, sCL, sCW, sCL, sLI, sES },
/* rst */	{ sCL, sCL, sCL, sSR, sCL, sCL, sCL, sCL, sLA, sLI, sCL },
	},
};

static const uint32_t tcp_timeouts[TCPS__MAX] = {
	[TCPS_NONE]		= 2,
	[TCPS_ESTABLISHED]	= 15 * 60,
	[TCPS_SYN_SENT]		= 2 * 60,
	[TCPS_SYN_RECV]		= 60,
	[TCPS_FIN_WAIT]		= 2 * 60,
	[TCPS_TIME_WAIT]	= 2 * 60,
	[TCPS_CLOSE]		= 10,
	[TCPS_CLOSE_WAIT]	= 60,
	[TCPS_LAST_ACK]		= 30,
	[TCPS_LISTEN]		= 2 * 60,
	[TCPS_SYNACK]		= 120,
};

#define UDP_TIMEOUT	(5 * 60)

static const char *const tcp_state_names[TCPS__MAX + 1] = {
	[TCPS_NONE]		= "NONE",
	[TCPS_ESTABLISHED]	= "ESTABLISHED",
	[TCPS_SYN_SENT]		= "SYN_SENT",
	[TCPS_SYN_RECV]		= "SYN_RECV",
	[TCPS_FIN_WAIT]		= "FIN_WAIT",
	[TCPS_TIME_WAIT]	= "TIME_WAIT",
	[TCPS_CLOSE]		= "CLOSE",
	[TCPS_CLOSE_WAIT]	= "CLOSE_WAIT",
	[TCPS_LAST_ACK]		= "LAST_ACK",
	[TCPS_LISTEN]		= "LISTEN",
	[TCPS_SYNACK]		= "SYNACK",
	[CONN_STATE_UDP]	= "UDP",
};

void
tcp_timeouts_default(struct conn_timeouts *ret)
{
	unsigned int	 i;

	for (i = 0; i < TCPS__MAX; i++)
		ret->ct_tcp[i] = tcp_timeouts[i];
	ret->ct_udp = UDP_TIMEOUT;
	sctp_timeouts_default(ret->ct_sctp);
}

/* IPVS's tcp_state_idx(): a SYN+RST is a reset, a FIN+ACK a fin. */
static int
tcp_state_row(uint8_t flags)
{
	if (flags & TCPF_RST)
		return ROW_RST;
	if (flags & TCPF_SYN)
		return ROW_SYN;
	if (flags & TCPF_FIN)
		return ROW_FIN;
	if (flags & TCPF_ACK)
		return ROW_ACK;
	return -1;
}

int
tcp_state_next(int state, int dir, uint8_t flags)
{
	int	 row;

	if (state < 0 || state >= TCPS__MAX || dir < 0 || dir >= DIR__MAX)
		return state;
	/*
	 * IPVS moves a segment without any of the four flags to CLOSE;
	 * we keep the state so that a stray bare segment cannot cut an
	 * established connection's timeout to ten seconds.
	 */
	if ((row = tcp_state_row(flags)) < 0)
		return state;
	return tcp_states[dir][row][state];
}

const char *
tcp_state_name(int state)
{
	if (state < 0 || state > CONN_STATE_UDP)
		return "ERR!";
	return tcp_state_names[state];
}
