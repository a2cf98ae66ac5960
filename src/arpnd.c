/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * ARP and neighbour-solicitation answers for VIPs (arpnd.h).
 */
#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "arpnd.h"

bool
arpnd_wants(const struct arpnd *an, const struct addr *a)
{
	unsigned	 i;

	if (an == NULL)
		return false;
	if (an->an_all)
		return true;
	for (i = 0; i < an->an_n; i++)
		if (an->an_addr[i].a_af == a->a_af &&
		    memcmp(&an->an_addr[i].a, &a->a, sizeof(a->a)) == 0)
			return true;
	return false;
}
