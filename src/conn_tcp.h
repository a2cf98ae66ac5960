/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * TCP connection states and their timeouts, as IPVS tracks them
 * (net/netfilter/ipvs/ip_vs_proto_tcp.c): the same eleven states, the
 * same three transition tables (INPUT: client to real server; OUTPUT:
 * real server to client, seen by nat; INPUT-ONLY: no output seen, as with
 * dr), the same flag precedence (RST, SYN, FIN, ACK) and the same default
 * timeouts.  Pure code, any thread.
 */
#ifndef UVS_CONN_TCP_H
#define UVS_CONN_TCP_H

#include <stdint.h>

enum tcp_state {
	TCPS_NONE = 0,
	TCPS_ESTABLISHED,
	TCPS_SYN_SENT,
	TCPS_SYN_RECV,
	TCPS_FIN_WAIT,
	TCPS_TIME_WAIT,
	TCPS_CLOSE,
	TCPS_CLOSE_WAIT,
	TCPS_LAST_ACK,
	TCPS_LISTEN,
	TCPS_SYNACK,
	TCPS__MAX
};

/* Not a TCP state: what a UDP connection shows in listings. */
#define CONN_STATE_UDP	TCPS__MAX

enum conn_dir {
	DIR_INPUT = 0,		/* client -> real server, replies seen */
	DIR_OUTPUT,		/* real server -> client */
	DIR_INPUT_ONLY,		/* client -> real server, no reply seen (dr) */
	DIR__MAX
};

/* How many SCTP states there are (conn_sctp.h's SCTPS__MAX). */
#define CONN_SCTP_STATES 14

/* Timeouts in seconds, indexed by state; udp for UDP. */
struct conn_timeouts {
	uint32_t	 ct_tcp[TCPS__MAX];
	uint32_t	 ct_udp;
	uint32_t	 ct_sctp[CONN_SCTP_STATES]; /* by state - SCTPS_NONE */
};

/*
 * IPVS's defaults: ESTABLISHED 900, FIN_WAIT 120, UDP 300, ... and
 * SCTP's (conn_sctp.h).
 */
void	 tcp_timeouts_default(struct conn_timeouts *ret);
/* Next state from <state> for a segment with TCPF_* <flags> in <dir>. */
int	 tcp_state_next(int state, int dir, uint8_t flags);
/* "ESTABLISHED", ..., and "UDP" for CONN_STATE_UDP; "ERR!" if unknown. */
const char *tcp_state_name(int state);

#endif
