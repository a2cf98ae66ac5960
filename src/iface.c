/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Interface facts (iface.h), by ioctl at start.  Control thread.
 */
#include "config.h"

#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iface.h"

int
iface_get(const char *name, struct iface *ret)
{
	struct iface	 ifc;
	struct ifreq	 ifr;
	int		 fd, r = 0;

	if (strlen(name) >= IF_NAMESIZE || *name == '\0')
		return -ENAMETOOLONG;
	memset(&ifc, 0, sizeof(ifc));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifc.if_name, sizeof(ifc.if_name), "%s", name);
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	if ((fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0)) == -1)
		return -errno;
	if (ioctl(fd, SIOCGIFINDEX, &ifr) == -1)
		goto out_errno;
	ifc.if_index = ifr.ifr_ifindex;
	if (ioctl(fd, SIOCGIFHWADDR, &ifr) == -1)
		goto out_errno;
	memcpy(ifc.if_mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(fd, SIOCGIFMTU, &ifr) == -1)
		goto out_errno;
	ifc.if_mtu = (uint32_t)ifr.ifr_mtu;
	close(fd);
	*ret = ifc;
	return 0;
out_errno:
	r = errno == ENODEV ? -ENODEV : -errno;
	close(fd);
	return r;
}

int
iface_slot(const struct iface *ifs, unsigned n, int ifindex)
{
	unsigned	 i;

	for (i = 0; i < n; i++)
		if (ifs[i].if_index == ifindex)
			return (int)i;
	return -1;
}
