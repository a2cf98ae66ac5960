/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for uvsadm's command line (adm_opts.c), -R's input
 * lines and, with the same bytes, its reading of "list", "connections"
 * and "timeout" replies (adm_print.c).  The input split on NUL and
 * newline bytes is argv[1..]; without a resolver only numeric addresses
 * parse.  Beyond "never crash": a command line that parses has an
 * error-free request of one line, a failed parse says why, and a -R line
 * gives a request, nothing, or a reason.
 */
#include "config.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adm_opts.h"
#include "adm_print.h"
#include "ctl_proto.h"
#include "rbuf.h"

#define ARGS_MAX	64

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct adm_opts	 o;
	struct rbuf	 out = { 0 };
	char		*buf, *argv[ARGS_MAX + 1], err[512], req[CTL_LINE_MAX];
	char		*line, *next;
	unsigned	 fmt;
	size_t		 i;
	int		 argc = 0, r;

	if ((buf = malloc(size + 1)) == NULL)
		return 0;
	memcpy(buf, data, size);
	buf[size] = '\0';
	argv[argc++] = (char *)"uvsadm";
	for (i = 0; i <= size && argc < ARGS_MAX; i++) {
		if (i == 0 || buf[i - 1] == '\0') {
			if (i < size)
				argv[argc++] = buf + i;
		}
		if (i < size && buf[i] == '\n')
			buf[i] = '\0';
	}
	argv[argc] = NULL;
	r = adm_opts_parse(argc, argv, NULL, &o, err, sizeof(err));
	if (r == 0) {
		r = adm_request(&o, req, sizeof(req));
		if (r == 0 && (strchr(req, '\n') != NULL || req[0] == '\0'))
			abort();
		if (r != 0 && o.ao_cmd != ADM_HELP &&
		    o.ao_cmd != ADM_VERSION && o.ao_cmd != ADM_RESTORE)
			abort();
	} else if (strncmp(err, "uvsadm: ", 8) != 0 || err[8] == '\0')
		abort();

	/* The same bytes as -R's input, line by line. */
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (line = buf; line != NULL && line < buf + size; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		err[0] = '\0';
		r = adm_restore_line(line, NULL, req, sizeof(req), err,
		    sizeof(err));
		if ((r == 1 && (req[0] == '\0' || strchr(req, '\n') != NULL)) ||
		    (r < 0 && err[0] == '\0') || r > 1)
			abort();
	}

	/* The same bytes as a reply from uvsd. */
	memcpy(buf, data, size);
	buf[size] = '\0';
	fmt = size > 0 ? data[0] | (size > 1 ? (unsigned)data[1] << 8 : 0) : 0;
	adm_print_list(buf, fmt, size > 1 && (data[1] & 0x80), NULL, &out,
	    err, sizeof(err));
	rbuf_reset(&out);
	adm_print_conns(buf, fmt, NULL, &out, err, sizeof(err));
	rbuf_reset(&out);
	adm_print_timeout(buf, &out, err, sizeof(err));
	rbuf_free(&out);
	free(buf);
	return 0;
}
