/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Frame parsing and header rewriting for the packet path.  pkt_parse()
 * validates an Ethernet frame as the ring delivered it (VLAN tag already
 * stripped by the kernel) and records where its headers are and its
 * 5-tuple; the rewrite helpers change addresses, ports and TTL with
 * RFC 1624 incremental checksum updates that respect partial checksums
 * (virtio NEEDS_CSUM: the L4 field holds the uncomplemented pseudo-header
 * sum, so only pseudo-header changes are applied, and ports are left to
 * whoever completes the sum).  Workers call it; pure code, no allocation.
 */
#ifndef UVS_PKT_H
#define UVS_PKT_H

#include <stdbool.h>
#include <stdint.h>

#include "addr.h"

/* The 10-byte header PACKET_VNET_HDR puts right before tp_mac. */
struct vnet_hdr {
	uint8_t		 vh_flags;	/* VNET_F_* */
	uint8_t		 vh_gso_type;	/* VNET_GSO_* */
	uint16_t	 vh_hdr_len;	/* host order (little endian on x86) */
	uint16_t	 vh_gso_size;
	uint16_t	 vh_csum_start;	/* from the Ethernet header */
	uint16_t	 vh_csum_offset; /* from csum_start */
} __attribute__((packed));

#define VNET_F_NEEDS_CSUM	1
#define VNET_F_DATA_VALID	2
#define VNET_GSO_NONE		0
#define VNET_GSO_TCPV4		1
#define VNET_GSO_UDP		3
#define VNET_GSO_TCPV6		4
#define VNET_GSO_UDP_L4		5
#define VNET_GSO_ECN		0x80

struct tuple {
	union inaddr	 t_src;
	union inaddr	 t_dst;
	uint16_t	 t_sport;	/* network order */
	uint16_t	 t_dport;	/* network order */
	uint8_t		 t_proto;	/* IPPROTO_TCP, _UDP or _SCTP */
	uint8_t		 t_af;		/* AF_INET or AF_INET6 */
	uint8_t		 t_pad[2];	/* zero: tuples compare with memcmp */
};

#define TCPF_FIN	0x01
#define TCPF_SYN	0x02
#define TCPF_RST	0x04
#define TCPF_ACK	0x10

struct pkt {
	uint8_t		*p_l2;		/* Ethernet header */
	uint32_t	 p_len;		/* frame length from p_l2 */
	struct vnet_hdr	*p_vnet;	/* NULL: frame carries none */
	uint16_t	 p_l3off;	/* from p_l2 */
	uint16_t	 p_l4off;	/* from p_l2 */
	uint32_t	 p_l3len;	/* IP datagram length (header + payload) */
	uint16_t	 p_l4csum_off;	/* L4 checksum field, from p_l2 */
	bool		 p_csum_partial; /* L4 checksum left to the device */
	uint8_t		 p_tcpflags;	/* TCPF_* of a TCP segment, else 0 */
	uint8_t		 p_sctp_chunk;	/* SCTP: the type of the chunk that
					   drives the state (conn_sctp.h) */
	uint16_t	 p_ethertype;	/* network order */
	struct tuple	 p_tuple;	/* src/dst of the frame as received */
	uint16_t	 p_headroom;	/* free bytes in front of the vnet
					   header (ring's PACKET_RESERVE) */
};

/*
 * Parse <len> bytes at <frame> (Ethernet, IPv4 or IPv6, then TCP, UDP or
 * SCTP).
 * <vh> is the frame's virtio header or NULL.  Returns 0 and fills <p>, or
 * a DROP_* reason (stats.h); <p> is then partly filled.  ARP and other
 * non-IP frames give DROP_NOT_IP (p_ethertype set).  IPv6 hop-by-hop,
 * destination options and routing headers (with no segments left) are
 * skipped; a fragment header gives DROP_FRAG6: the fanout's DEFRAG
 * reassembles IPv4 only, so IPv6 fragments are counted and dropped.
 * UDP over IPv6 with a zero checksum gives DROP_UDP6_CSUM0.  SCTP needs
 * its common header and a whole first chunk header (DROP_SCTP_SHORT) whose
 * length fits the packet (DROP_BAD_SCTP_CHUNK); p_sctp_chunk is that
 * chunk's type, or ABORT when an ABORT follows a first COOKIE ECHO or
 * COOKIE ACK, as IPVS's set_sctp_state() reads it.  An SCTP checksum
 * left to the device (NEEDS_CSUM at offset 8) is a CRC32c nobody filled
 * in: p_csum_partial is then set, and pkt_sctp_csum() completes it.  Another
 * protocol gives DROP_PROTO with the IP part filled (p_l3len, p_l4off,
 * the tuple's addresses and protocol), which icmp.c decodes ICMP from.
 */
int	 pkt_parse(struct pkt *p, uint8_t *frame, uint32_t len,
	    struct vnet_hdr *vh);

/* RFC 1071 sum of <len> bytes at <buf>, added to <sum>, not folded. */
uint32_t csum_add_buf(uint32_t sum, const void *buf, uint32_t len);
/* Fold a 32-bit sum to 16 bits and complement it. */
uint16_t csum_fold(uint32_t sum);
/* RFC 1624 eqn. 3 on a complete checksum field (network order). */
void	 csum_replace2(uint16_t *field, uint16_t from, uint16_t to);
void	 csum_replace4(uint16_t *field, uint32_t from, uint32_t to);
/* The same for a partial (pseudo-header only, uncomplemented) field. */
void	 csum_partial_replace4(uint16_t *field, uint32_t from, uint32_t to);

/*
 * Rewrite the source (<dst> false) or destination (<dst> true) address and
 * port of the IPv4 packet in <p> to <addr> / <port> (network order),
 * updating the IP header checksum and the TCP/UDP checksum as <p> requires
 * (complete, partial, or UDP without checksum), or the whole SCTP CRC32c
 * (pkt_sctp_csum()).  Updates p_tuple.
 */
void	 pkt_rewrite4(struct pkt *p, bool dst, uint32_t addr, uint16_t port);
/* Decrement the IPv4 TTL with a checksum update. false: TTL was <= 1. */
bool	 pkt_ttl_dec4(struct pkt *p);
/*
 * pkt_rewrite4() for either family, by p_tuple.t_af: IPv6 has no header
 * checksum, so only the L4 checksum follows (complete or partial; a UDP
 * result of 0 is sent as 0xffff).  <addr> is of the packet's family.
 */
void	 pkt_rewrite(struct pkt *p, bool dst, const union inaddr *addr,
	    uint16_t port);
/*
 * Write the CRC32c of the SCTP packet in <p> into its checksum field and
 * clear a NEEDS_CSUM the vnet header had: the checksum is complete then.
 * pkt_rewrite() calls it for SCTP, since a CRC has no incremental update
 * by 16-bit words; workers call it for a partial one before forwarding.
 */
void	 pkt_sctp_csum(struct pkt *p);
/*
 * Only the source (<dst> false) or destination address of the IP packet
 * in <p>, with the IPv4 header checksum: for AH and ESP, which have no
 * pseudo-header checksum and no ports (nat of IPsec, as IPVS does it).
 */
void	 pkt_rewrite_addr(struct pkt *p, bool dst, const union inaddr *a);
/* Lower the IPv4 TTL or the IPv6 hop limit.  false: it was <= 1. */
bool	 pkt_ttl_dec(struct pkt *p);
/*
 * Verify the L4 checksum of <p> from scratch (tests and the fuzz target):
 * true if complete and correct, or partial (nothing to verify yet).
 */
bool	 pkt_l4csum_ok(const struct pkt *p);
/* Verify the IPv4 header checksum. */
bool	 pkt_ip4csum_ok(const struct pkt *p);

#endif
