/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * One worker's AF_PACKET socket on one interface: a TPACKET_V3 RX ring in
 * the interface's fanout group (HASH | DEFRAG | IGNORE_OUTGOING, so the
 * group never sees what uvsd itself sends), PACKET_VNET_HDR so partial
 * checksums and GSO super-packets arrive described and leave intact, and
 * the TX side: a batch of iovecs into the RX block for sendmmsg(), or a
 * TX ring filled by copy and kicked once per block.
 *
 * Set-up order matters (afpacket.md §1.1): version, vnet header, loss,
 * rings, bind, then fanout.  ring_open/close run in the control thread at
 * start and stop; everything else in the worker that owns the ring.
 */
#ifndef UVS_RING_H
#define UVS_RING_H

#include <linux/if_packet.h>
#include <linux/filter.h>
#include <stdbool.h>
#include <stdint.h>
#include <sys/socket.h>

struct iface;

#define RING_VNET_LEN	10	/* struct virtio_net_hdr before tp_mac */
/*
 * PACKET_RESERVE: room in front of each received frame (afpacket.md
 * §1.4) where tunnels write their outer headers in place; the largest,
 * IPv6 + UDP + GUE with remote checksum, is 60 bytes.
 */
#define RING_RESERVE	64
#define RING_TX_BATCH	1024	/* frames queued per sendmmsg() */

struct ring_opts {
	unsigned	 ro_block_size;	/* bytes, power of two pages, >= 128 KiB */
	unsigned	 ro_block_nr;
	unsigned	 ro_tov_ms;	/* block retire timeout */
	int		 ro_tx_mode;	/* TX_MMSG or TX_RING (daemon.h) */
	unsigned	 ro_tx_frames;	/* TX ring frames (TX_RING) */
	bool		 ro_qdisc_bypass;
	int		 ro_sndbuf;	/* SO_SNDBUFFORCE bytes, 0: leave */
};

struct ring {
	int		 r_fd;
	uint8_t		*r_map;		/* RX blocks, then TX frames */
	size_t		 r_maplen;
	unsigned	 r_block_size;
	unsigned	 r_block_nr;
	unsigned	 r_cur;		/* next RX block to read */
	int		 r_tx_mode;
	/* TX_MMSG */
	struct mmsghdr	*r_mm;		/* [RING_TX_BATCH] */
	struct iovec	*r_iov;		/* [RING_TX_BATCH] */
	unsigned	 r_nmm;
	/* TX_RING */
	int		 r_fd_big;	/* plain socket for frames over a slot */
	uint8_t		*r_tx;		/* first TX frame */
	unsigned	 r_tx_frame_size;
	unsigned	 r_tx_nr;
	unsigned	 r_tx_head;
	unsigned	 r_tx_pending;
};

/*
 * Open <r> on <ifc>, joining fanout group <group>.  0 or -errno; on error
 * nothing is left open.
 */
int	 ring_open(struct ring *r, const struct iface *ifc, uint16_t group,
	    const struct ring_opts *o);
void	 ring_close(struct ring *r);
/* Swap the socket filter (atomic per socket).  0 or -errno. */
int	 ring_set_filter(struct ring *r, const struct sock_fprog *prog);
/* The current block if the kernel handed it over, else NULL. */
struct tpacket_block_desc *ring_block(struct ring *r);
/* Give the current block back and move on. */
void	 ring_block_done(struct ring *r);
/*
 * Queue <len> bytes at <buf> (vnet header + frame) for sending.  With
 * TX_MMSG <buf> must stay valid until ring_tx_flush(); with TX_RING it is
 * copied.  false: no room (the caller counts DROP_TX_FULL).
 */
bool	 ring_tx_add(struct ring *r, uint8_t *buf, uint32_t len);
/*
 * Send what is queued: one sendmmsg() (repeated while it makes progress)
 * or one TX ring kick.  Returns frames the kernel refused (DROP_TX).
 */
unsigned ring_tx_flush(struct ring *r, uint64_t *ret_calls);
/* PACKET_STATISTICS (clear-on-read): drops and freezes since last call. */
int	 ring_stats(struct ring *r, uint64_t *ret_drops, uint64_t *ret_freezes);

#endif
