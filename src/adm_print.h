/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsadm's listings: a "list" reply of the admin protocol printed the way
 * ipvsadm 1.31 prints the kernel's table, byte for byte (its printf
 * formats, truncation, sorting and number abbreviations), so scripts that
 * parse ipvsadm -L keep working.  Pure code: names come from hooks the
 * caller passes.  uvsadm only.
 */
#ifndef UVS_ADM_PRINT_H
#define UVS_ADM_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct addr;
struct rbuf;

/* Name lookups for listings without -n; NULL or a NULL hook: numbers. */
struct adm_names {
	/* The host name of <a> into <buf>, or NULL if it has none. */
	const char	*(*an_host)(const struct addr *a, char *buf,
			    size_t len, void *arg);
	/* The service name of <port> (host order) for IPPROTO_<proto>. */
	const char	*(*an_port)(uint16_t port, int proto, char *buf,
			    size_t len, void *arg);
	void		*an_arg;
};

/*
 * Print <reply>, the data lines of a "list" reply (without "OK"), into
 * <out> with ADM_FMT_* <fmt>: -L's listings, or with ADM_FMT_RULE what
 * -S saves.  <one_service>: the listing of -L -t ..., which ipvsadm
 * prints without its version line.  0, or -EPROTO with the reason in
 * <errbuf> when the reply does not parse.
 */
int	 adm_print_list(const char *reply, unsigned fmt, bool one_service,
	    const struct adm_names *names, struct rbuf *out, char *errbuf,
	    size_t errlen);
/* -L -c from a "connections" reply; as adm_print_list(). */
int	 adm_print_conns(const char *reply, unsigned fmt,
	    const struct adm_names *names, struct rbuf *out, char *errbuf,
	    size_t errlen);
/* -L --timeout from a "timeout" reply; as adm_print_list(). */
int	 adm_print_timeout(const char *reply, struct rbuf *out, char *errbuf,
	    size_t errlen);

#endif
