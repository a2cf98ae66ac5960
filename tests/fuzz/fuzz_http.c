/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the http(s) checkers' response parser
 * (hc_http_parse() in hc_util.c), which reads whatever a real server, or
 * something posing as one, sends.  Input: one flag byte (bit 0: the peer
 * closed), then the response, in a heap buffer of its exact length so
 * ASan sees any read past it.  Beyond "never crash": the result is one of
 * 0, -EAGAIN, -EBADMSG; a complete response has a three-digit final
 * status and a body inside the buffer; and what is complete before the
 * close stays complete, with the same status and body, after it.
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "hc.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char	*body, *body2;
	unsigned	 status, status2;
	size_t		 len, blen, blen2;
	char		*buf, *buf2;
	bool		 eof;
	int		 r;

	if (size < 1 || size - 1 > HC_HTTP_MAX)
		return 0;
	eof = data[0] & 1;
	len = size - 1;
	buf = malloc(len ? len : 1);
	buf2 = malloc(len ? len : 1);
	if (buf == NULL || buf2 == NULL)
		abort();
	memcpy(buf, data + 1, len);
	memcpy(buf2, data + 1, len);
	r = hc_http_parse(buf, len, eof, &status, &body, &blen);
	if (r != 0 && r != -EAGAIN && r != -EBADMSG)
		abort();
	if (r == 0) {
		if (status < 100 || status > 999 ||
		    (status / 100 == 1 && status != 101))
			abort();
		if (body < buf || body > buf + len ||
		    blen > (size_t)(buf + len - body))
			abort();
		if (!eof) {
			if (hc_http_parse(buf2, len, true, &status2, &body2,
			    &blen2) != 0 || status2 != status ||
			    blen2 != blen || memcmp(body, body2, blen) != 0)
				abort();
		}
	}
	free(buf);
	free(buf2);
	return 0;
}
