/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Direct routing (-g): the frame goes to the real server's MAC unchanged
 * above layer 2; the real server has the VIP on a loopback and answers
 * the client directly.  Checksums and the vnet header stay valid as they
 * are.  Workers.
 */
#include "config.h"

#include <stddef.h>

#include "xmit/xmit.h"

const struct xmit_ops xmit_dr = {
	.name	= "dr",
	.fwd	= "Route",
	.in	= xmit_to_rs,
	.out	= NULL,
};
