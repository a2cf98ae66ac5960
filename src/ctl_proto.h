/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The admin protocol, shared by uvsd and uvsadm: one request per line,
 * words separated by blanks; the reply is zero or more data lines and a
 * last line "OK" or "ERR <ERRNO-NAME> <text>".  man/uvsd.8 documents the
 * verbs; ctl_cmd.c's table is their single source.
 */
#ifndef UVS_CTL_PROTO_H
#define UVS_CTL_PROTO_H

#define CTL_PROTO_VERSION	1
#define CTL_LINE_MAX		4096	/* a request, newline included */
#define CTL_ARGS_MAX		32	/* words in a request */
#define CTL_DEFAULT_SOCKET	"/run/uvsd/uvsd.sock"
/* What ipvsadm prints as the kernel's IPVS version: scripts parse it. */
#define CTL_IPVS_VERSION	"1.2.1"

#endif
