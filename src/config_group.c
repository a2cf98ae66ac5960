/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd.conf's service groups (cfg_load.h), keepalived's
 * virtual_server_group: 'address' may be a list, and an IPv4 entry a
 * range of its last byte ("192.0.2.10-19");
 * 'port' may be a list of ports and "lo-hi" ranges.  The service then
 * stands for one service per address and port, sharing everything else,
 * as keepalived makes one IPVS service per group member.  IPVS's other
 * way, a firewall-mark service, cannot work here: uvsd takes frames off
 * the wire before netfilter could mark them.
 */
#include "config.h"

#include <sys/socket.h>

#include <arpa/inet.h>
#include <errno.h>
#include <libconfig.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cfg_load.h"
#include "table.h"
/* One address entry: "A" or, IPv4 only, "A-last" (last byte). */
static int
cfg_group_addr1(struct cfg_load *ld, const config_setting_t *e,
    struct cfg_group *g)
{
	const char	*v, *dash;
	char		 buf[ADDR_STRLEN], *end;
	struct addr	 a;
	unsigned long	 last, n, k;

	if (cfg_str(ld, e, &v) != 0)
		return -EINVAL;
	dash = strchr(v, '-');
	if (dash == NULL || (size_t)(dash - v) >= sizeof(buf)) {
		if (addr_parse(v, &a) != 0) {
			cfg_err(ld, e, "bad address '%.64s'", v);
			return -EINVAL;
		}
		n = 1;
	} else {
		memcpy(buf, v, (size_t)(dash - v));
		buf[dash - v] = '\0';
		errno = 0;
		last = strtoul(dash + 1, &end, 10);
		if (addr_parse(buf, &a) != 0 || a.a_af != AF_INET ||
		    *end != '\0' || end == dash + 1 || errno != 0 ||
		    last > 255 || last < a.a.b[3]) {
			cfg_err(ld, e, "bad address range '%.64s' (an IPv4 "
			    "address, '-', and the last byte of the last "
			    "address)", v);
			return -EINVAL;
		}
		n = last - a.a.b[3] + 1;
	}
	if (g->g_naddr + n > CFG_SVCGROUP_MAX) {
		cfg_err(ld, e, "more than %u addresses in a service",
		    CFG_SVCGROUP_MAX);
		return -EINVAL;
	}
	for (k = 0; k < n; k++) {
		g->g_addr[g->g_naddr++] = a;
		a.a.b[3]++;
	}
	return 0;
}

/*
 * One port entry: an integer or "lo-hi".  0 is a port-0 service (every
 * port), which vsconf_add_svc() allows only with persistence.
 */
static int
cfg_group_port1(struct cfg_load *ld, const config_setting_t *e,
    struct cfg_group *g)
{
	unsigned long	 lo, hi;
	const char	*v;
	char		*end;
	long long	 port;

	if (config_setting_type(e) != CONFIG_TYPE_STRING) {
		if (cfg_int(ld, e, 0, 65535, &port) != 0)
			return -EINVAL;
		lo = hi = (unsigned long)port;
	} else {
		if (cfg_str(ld, e, &v) != 0)
			return -EINVAL;
		errno = 0;
		lo = strtoul(v, &end, 10);
		hi = *end == '-' ? strtoul(end + 1, &end, 10) : 0;
		if (*end != '\0' || errno != 0 || lo < 1 || hi > 65535 ||
		    hi < lo) {
			cfg_err(ld, e, "bad port range '%.64s' (\"lo-hi\", 1 "
			    "to 65535)", v);
			return -EINVAL;
		}
	}
	if (g->g_nport + (hi - lo) + 1 > CFG_SVCGROUP_MAX) {
		cfg_err(ld, e, "more than %u ports in a service",
		    CFG_SVCGROUP_MAX);
		return -EINVAL;
	}
	for (; lo <= hi; lo++)
		g->g_port[g->g_nport++] = htons((uint16_t)lo);
	return 0;
}

/* 'address' and 'port' of a service into <g>: 0 or -EINVAL (reported). */
int
cfg_service_group(struct cfg_load *ld, const struct cfg_svc *cs,
    struct cfg_group *g)
{
	const config_setting_t	*e;
	unsigned		 i, n;
	int			 r = 0;

	g->g_naddr = g->g_nport = 0;
	if (config_setting_type(cs->cs_addr) == CONFIG_TYPE_LIST ||
	    config_setting_type(cs->cs_addr) == CONFIG_TYPE_ARRAY) {
		n = (unsigned)config_setting_length(cs->cs_addr);
		if (n == 0) {
			cfg_err(ld, cs->cs_addr, "empty address list");
			r = -EINVAL;
		}
		for (i = 0; i < n; i++) {
			e = config_setting_get_elem(cs->cs_addr, i);
			if (cfg_group_addr1(ld, e, g) != 0)
				r = -EINVAL;
		}
	} else if (cfg_group_addr1(ld, cs->cs_addr, g) != 0)
		r = -EINVAL;
	if (config_setting_type(cs->cs_port) == CONFIG_TYPE_LIST ||
	    config_setting_type(cs->cs_port) == CONFIG_TYPE_ARRAY) {
		n = (unsigned)config_setting_length(cs->cs_port);
		if (n == 0) {
			cfg_err(ld, cs->cs_port, "empty port list");
			r = -EINVAL;
		}
		for (i = 0; i < n; i++) {
			e = config_setting_get_elem(cs->cs_port, i);
			if (cfg_group_port1(ld, e, g) != 0)
				r = -EINVAL;
		}
	} else if (cfg_group_port1(ld, cs->cs_port, g) != 0)
		r = -EINVAL;
	if (r != 0)
		return r;
	for (i = 1; i < g->g_naddr; i++)
		if (g->g_addr[i].a_af != g->g_addr[0].a_af) {
			cfg_err(ld, cs->cs_addr, "a service's addresses are "
			    "of one family");
			return -EINVAL;
		}
	if ((unsigned long)g->g_naddr * g->g_nport > CFG_SVCGROUP_MAX) {
		cfg_err(ld, cs->cs_addr, "%u addresses and %u ports make %lu "
		    "services, at most %u", g->g_naddr, g->g_nport,
		    (unsigned long)g->g_naddr * g->g_nport, CFG_SVCGROUP_MAX);
		return -EINVAL;
	}
	return 0;
}
