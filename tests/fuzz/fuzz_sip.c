/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for the sip persistence engine's Call-ID decoder
 * (sip_callid() in sip.c), which reads any client's UDP datagram to a
 * pe sip service.  Input: the datagram's payload, in a heap buffer of its
 * exact length so ASan sees any read past it.  Beyond "never crash": the
 * result is 0, -ENOENT or -E2BIG; a Call-ID found lies inside the buffer,
 * is 1..SIP_CALLID_MAX bytes of word characters with at most one '@', and
 * a CR or LF follows it.
 */
#include "config.h"

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sip.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t	*id = NULL;
	uint8_t		*buf;
	size_t		 len = 0, i, at = 0;
	int		 r;

	buf = malloc(size ? size : 1);
	if (buf == NULL)
		return 0;
	memcpy(buf, data, size);
	r = sip_callid(buf, size, &id, &len);
	if (r != 0 && r != -ENOENT && r != -E2BIG)
		abort();
	if (r == 0) {
		if (id < buf || len == 0 || len > SIP_CALLID_MAX ||
		    (size_t)(id - buf) + len >= size ||
		    (id[len] != '\r' && id[len] != '\n'))
			abort();
		for (i = 0; i < len; i++) {
			if (id[i] == '@')
				at++;
			if (id[i] <= ' ' || id[i] >= 0x7f || id[i] == ';' ||
			    id[i] == ',' || id[i] == '=')
				abort();
		}
		if (at > 1)
			abort();
	}
	free(buf);
	return 0;
}
