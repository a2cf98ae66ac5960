/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Software segmentation of GSO super-packets (the frames a virtio
 * header marks VNET_GSO_TCPV4/TCPV6, and UDP_L4: UDP_SEGMENT's trains of
 * datagrams), for what the header cannot express:
 * the kernel takes no GSO type for IP-in-IP, GRE or UDP tunnels from a
 * packet socket (afpacket.md §4.4).  Each segment is a whole frame (vnet
 * header without GSO, Ethernet, IP, TCP, payload) as the kernel's
 * tcp_gso_segment() would cut it: sequence numbers advance by the
 * payload, FIN and PSH stay on the last segment, CWR on the first, IPv4
 * IDs count up; a UDP segment is a datagram of its own (length and
 * checksum), as __udp_gso_segment() makes.  Pure code but gso_segment();
 * workers.
 */
#ifndef UVS_GSO_H
#define UVS_GSO_H

#include <stdbool.h>
#include <stdint.h>

struct pkt;
struct worker;

/* The RFC 1071 sum (unfolded) of an IPv4 or IPv6 pseudo-header. */
uint32_t csum_pseudo(int af, const void *src, const void *dst,
	    uint8_t proto, uint32_t len);
/* Segments <p> makes and the IP length of the largest; 0 or DROP_*. */
int	 gso_plan(const struct pkt *p, uint32_t *ret_nseg,
	    uint32_t *ret_seglen);
/*
 * Write segment <i> of <p> at <buf> (room for RING_VNET_LEN + 14 +
 * the largest segment): returns its length from <buf>, vnet header
 * included.  <partial>: leave the TCP checksum to the device (NEEDS_CSUM,
 * pseudo-header sum in the field); else compute it whole.
 */
uint32_t gso_build(const struct pkt *p, uint32_t i, uint8_t *buf,
	    bool partial);
/*
 * Cut <p> into segments built in <w>'s scratch, each with <room> free
 * bytes in front of its vnet header, and hand each to <emit>, which
 * queues it (worker_tx()).  DROP_NONE, or the first DROP_* of <emit>
 * (the rest are not sent).
 */
int	 gso_segment(struct worker *w, const struct pkt *p, uint32_t room,
	    bool partial, int (*emit)(struct worker *w, uint8_t *buf,
	    uint32_t len, void *arg), void *arg);

#endif
