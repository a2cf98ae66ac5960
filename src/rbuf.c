/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Growable text buffer (rbuf.h).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rbuf.h"

static int
rbuf_grow(struct rbuf *rb, size_t need)
{
	size_t	 cap = rb->rb_cap ? rb->rb_cap : 256;
	char	*b;

	while (cap < rb->rb_len + need + 1)
		cap *= 2;
	if (cap == rb->rb_cap)
		return 0;
	if ((b = realloc(rb->rb_buf, cap)) == NULL) {
		rb->rb_err = -ENOMEM;
		return -ENOMEM;
	}
	rb->rb_buf = b;
	rb->rb_cap = cap;
	return 0;
}

int
rbuf_add(struct rbuf *rb, const char *s, size_t len)
{
	if (rbuf_grow(rb, len) != 0)
		return -ENOMEM;
	memcpy(rb->rb_buf + rb->rb_len, s, len);
	rb->rb_len += len;
	rb->rb_buf[rb->rb_len] = '\0';
	return 0;
}

int
rbuf_printf(struct rbuf *rb, const char *fmt, ...)
{
	va_list	 ap;
	int	 n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || rbuf_grow(rb, (size_t)n) != 0)
		return -ENOMEM;
	va_start(ap, fmt);
	vsnprintf(rb->rb_buf + rb->rb_len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rb->rb_len += (size_t)n;
	return 0;
}

void
rbuf_reset(struct rbuf *rb)
{
	rb->rb_len = 0;
	rb->rb_err = 0;
	if (rb->rb_buf != NULL)
		rb->rb_buf[0] = '\0';
}

void
rbuf_free(struct rbuf *rb)
{
	free(rb->rb_buf);
	rb->rb_buf = NULL;
	rb->rb_len = rb->rb_cap = 0;
	rb->rb_err = 0;
}
