/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * What vsconf.c (editing the configuration) and table.c (committing it)
 * share: how a configured service or real server runs, its checks, and
 * the error messages both give.  Private to those files.
 */
#ifndef UVS_VSCONF_H
#define UVS_VSCONF_H

#include <stdint.h>

#include "addr.h"
#include "table.h"
#include "util.h"

#define SVC_STRLEN	(EP_STRLEN + 8)	/* svc_fmt()'s "tcp [v6]:port" */

/*
 * A real server's port as it runs: DR cannot change the port, so it is
 * the service's (ipvsadm ignores the one given with -g); NAT without a
 * port keeps the service's.
 */
uint16_t vsconf_rs_port(const struct svc_conf *sc, const struct rs_conf *rc);
/* The scheduler's name, the default when none was given. */
const char *vsconf_sched_name(const struct svc_conf *sc);
/* -M as it runs: the family's default when none was given. */
uint32_t vsconf_netmask(const struct svc_conf *sc);

/* SVC_F_PERSISTENT says whether there is a timeout, nothing else. */
uint32_t vsconf_flags(const struct svc_conf *sc);
/* <sc> as it will run and read back: defaults filled in. */
void	 vsconf_svc_norm(struct svc_conf *sc);
/* A service as ipvsadm checks it: 0 or -EINVAL with its message. */
int	 vsconf_svc_check(const struct svc_conf *sc, struct uvs_err *err);
/* A real server of <sc>, likewise. */
int	 vsconf_rs_check(const struct svc_conf *sc, const struct rs_conf *rc,
	    struct uvs_err *err);
/* "<what>: tcp 192.0.2.1:80" and the like, into <err>. */
void	 vsconf_err_svc(struct uvs_err *err, const char *what, int proto,
	    const struct ep *vip);
void	 vsconf_err_rs(struct uvs_err *err, const char *what,
	    const struct svc_conf *sc, const struct ep *rip);
void	 vsconf_err_limit(struct uvs_err *err, const struct svc_conf *sc);

#endif
