/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * IPv4 fragmentation on output (RFC 791, section 3.2).  The fanout's
 * DEFRAG reassembles IPv4 datagrams before uvsd sees them, so a datagram
 * forwarded as it came may be larger than the egress MTU; the kernel
 * refuses such frames, so uvsd cuts them again, keeping the IP id, the
 * flags and options that must be copied, with offsets in units of 8
 * bytes.  A partial L4 checksum (virtio NEEDS_CSUM) is completed in
 * software first: no device will sum a datagram split in pieces.  Pure
 * code, no allocation: the caller gives the room (worker scratch).
 * Workers, tests, the fuzz target.
 */
#ifndef UVS_FRAG_H
#define UVS_FRAG_H

#include <stdint.h>

struct vnet_hdr;

struct frag {
	uint8_t		*f_frame;	/* the datagram's Ethernet header */
	uint32_t	 f_hlen;	/* its IPv4 header, with options */
	uint32_t	 f_plen;	/* payload bytes after the header */
	uint32_t	 f_chunk;	/* bytes a fragment, multiple of 8 */
	uint32_t	 f_done;	/* payload bytes already cut */
	uint16_t	 f_frag;	/* its flags and offset, host order */
};

/*
 * Prepare to cut the IPv4 datagram in the Ethernet frame <frame> (<len>
 * bytes, no VLAN tag; <vh> its virtio header or NULL) into frames whose
 * IP datagrams fit <mtu>.  Completes a partial L4 checksum in place.
 * DROP_NONE, or DROP_TOO_BIG when it must not or cannot be cut (DF set,
 * not IPv4, <mtu> too small for a header and 8 bytes), or another DROP_*
 * for a frame that does not hold what its header says.
 */
int	 frag_start(struct frag *f, uint8_t *frame, uint32_t len,
	    struct vnet_hdr *vh, uint32_t mtu);
/* Bytes all the fragments take, each a vnet header and a frame. */
uint32_t frag_total(const struct frag *f);
/*
 * Write the next fragment at <out>: a zeroed struct vnet_hdr then the
 * Ethernet frame.  Returns its length, 0 when all are made.
 */
uint32_t frag_next(struct frag *f, uint8_t *out);

#endif
