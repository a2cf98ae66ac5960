/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The PROXY protocol (haproxy's proxy-protocol.txt, v1 text and v2
 * binary) that tells a fullnat real server the client's address, and
 * the TCP sequence arithmetic of inserting its header in a stream.
 *
 * The header goes in front of the client's first data byte, the one at
 * sequence number <dseq> = ISN + 1.  From then on the real server's view
 * of the client's sequence space is shifted by the header's length <hl>:
 * client -> RS sequence numbers after <dseq> gain <hl>; RS -> client
 * acknowledgements and SACK edges lose it (an acknowledgement inside
 * the header maps to <dseq>).  A segment that starts at <dseq> with data
 * (the first one, or its retransmission, or a coalesced retransmission)
 * gets the header again, the same bytes, since they depend only on the
 * connection's tuple.  So does a bare ACK (or FIN) at <dseq> until the
 * real server has acknowledged the whole header (<acked>): the header
 * leaves with the ACK that ends the handshake, as a proxy sends it right
 * after connecting, so that a server that speaks first (SMTP, FTP) and
 * waits for the header before its greeting is not deadlocked; should
 * that segment be lost, the next one at <dseq> carries it again, and a
 * copy the server already has is trimmed by its TCP as a retransmission.
 * A RST at <dseq> moves only once a header went out (<sent>).  A SYN
 * carrying data (TCP Fast Open) is passed as it is, without a header.
 * Pure code.
 */
#ifndef UVS_PROXYPROTO_H
#define UVS_PROXYPROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct tuple;

#define PROXY_NONE	0
#define PROXY_V1	1
#define PROXY_V2	2
/* "PROXY TCP6 " + 2 * 39 + 2 * 5 + 3 spaces + CRLF: at most 107 bytes. */
#define PROXY_HDR_MAX	108

/*
 * The header of version <ver> for a TCP connection whose inbound tuple
 * (client -> VIP) is <in>, into <buf> of <len> bytes.  Its length, or 0
 * when <ver> is none or unknown or <len> is too small.
 */
size_t	 proxy_hdr(int ver, const struct tuple *in, uint8_t *buf, size_t len);

/* a after b in sequence space (RFC 1982 style, 32 bits). */
static inline bool
seq_after(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) > 0;
}

enum { PP_KEEP, PP_SHIFT, PP_INSERT };

/*
 * What a client -> RS segment with sequence number <seq> (host order),
 * TCP flags <tcpflags> (TCPF_*) and <paylen> payload bytes needs:
 * PP_KEEP, PP_SHIFT (seq + hl), or PP_INSERT (the header in front of its
 * payload, seq unchanged).
 */
int	 pp_seq_in(uint32_t seq, uint32_t paylen, uint8_t tcpflags,
	    uint32_t dseq, bool sent, bool acked);
/*
 * An acknowledgement number or SACK edge <x> (host order) of the real
 * server, in the client's sequence space.
 */
uint32_t pp_seq_out(uint32_t x, uint32_t dseq, uint32_t hl, bool sent);
/*
 * Map the ack number and the SACK blocks of the TCP header at <th>
 * (<thlen> bytes, options included) with pp_seq_out(); with <csum>, the
 * TCP checksum follows each change (a complete checksum), else it is
 * left alone (a partial one: the device sums the header).
 */
void	 pp_tcp_out(uint8_t *th, uint32_t thlen, uint32_t dseq, uint32_t hl,
	    bool sent, bool csum);

#endif
