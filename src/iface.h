/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The interfaces uvsd serves (-i): name, index, MAC and MTU, read once at
 * start.  An interface is known to the rest of uvsd by its slot, its
 * index in the array.  Control thread at start; read-only afterwards.
 */
#ifndef UVS_IFACE_H
#define UVS_IFACE_H

#include <net/if.h>
#include <stdint.h>

#define IFACE_MAX	32

struct iface {
	char		 if_name[IF_NAMESIZE];
	int		 if_index;
	uint8_t		 if_mac[6];
	uint32_t	 if_mtu;
};

/* Fill <ret> for interface <name>: 0, -ENODEV, or -errno. */
int	 iface_get(const char *name, struct iface *ret);
/* The slot of kernel interface <ifindex> in <ifs>[<n>], or -1. */
int	 iface_slot(const struct iface *ifs, unsigned n, int ifindex);

#endif
