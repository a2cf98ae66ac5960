/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * A growable text buffer for replies and listings.  Control thread and
 * uvsadm; allocation is fine here.
 */
#ifndef UVS_RBUF_H
#define UVS_RBUF_H

#include <stddef.h>

#include "util.h"

struct rbuf {
	char		*rb_buf;	/* NUL-terminated, NULL while empty */
	size_t		 rb_len;
	size_t		 rb_cap;
	int		 rb_err;	/* -ENOMEM once an append failed */
};

/* Append; on allocation failure sets rb_err and returns -ENOMEM. */
int	 rbuf_printf(struct rbuf *rb, const char *fmt, ...) UVS_PRINTF(2, 3);
int	 rbuf_add(struct rbuf *rb, const char *s, size_t len);
void	 rbuf_reset(struct rbuf *rb);
void	 rbuf_free(struct rbuf *rb);

#endif
