/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Next hops from the kernel.  For a real server's address uvsd asks the
 * kernel which route and interface lead to it (RTM_GETROUTE) and the MAC
 * of the next hop on it (RTM_GETNEIGH); when the neighbour is unknown it
 * asks the kernel to resolve it (RTM_NEWNEIGH with NTF_USE, the kernel
 * sends the ARP or NS) and answers -EAGAIN.  A second rtnetlink socket
 * listens to neighbour, route and link changes so that the control
 * thread re-resolves every real server when anything moved.  No static
 * MACs anywhere.  Control thread.
 */
#ifndef UVS_NEIGH_H
#define UVS_NEIGH_H

#include <stdint.h>

struct addr;
union inaddr;
struct iface;

struct neigh;

/* Open both sockets for interfaces <ifs>[<n>] (kept by pointer). */
struct neigh *neigh_open(const struct iface *ifs, unsigned n);
void	 neigh_close(struct neigh *nb);
/* The event socket, for an ev_io watcher. */
int	 neigh_event_fd(const struct neigh *nb);
/* Drain pending events; returns 1 if any may change a next hop, else 0. */
int	 neigh_read_events(struct neigh *nb);
/*
 * Resolve <dst>: 0 and NH_MAKE(mac, slot) in <ret_nh> (table.h), or
 * -EAGAIN (resolution started), -ENETUNREACH (no route), -ENODEV (the
 * route leaves by an interface uvsd does not serve), -errno.  With
 * <ret_src>, also the route's preferred source address (RTA_PREFSRC),
 * the outer source of tunnels (all zero when the kernel gave none).
 */
int	 neigh_resolve(struct neigh *nb, const struct addr *dst, uint64_t *ret_nh,
	    union inaddr *ret_src);

#endif
