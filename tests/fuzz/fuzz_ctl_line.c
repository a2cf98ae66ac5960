/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * libFuzzer target for admin requests (ctl_cmd.c).  The input is split
 * into lines as ctl.c frames them; each line runs against a daemon's
 * tables (no socket, no workers) that start every input as the same
 * small configuration.  The lines run in one client's session, so
 * batches (begin/commit/abort) are exercised too, and the session is
 * dropped at the end as a client that goes.  Beyond "never crash": every
 * reply ends in exactly one final line, "OK" or "ERR <NAME> <text>", a
 * listing uvsd produces always prints as ipvsadm output (adm_print.c),
 * and so do its connections and timeouts.
 */
#include "config.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "adm_opts.h"
#include "adm_print.h"
#include "ctl_cmd.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "epoch.h"
#include "rbuf.h"
#include "table.h"

int	 LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct uvsd	 d;
static struct ctl_session session;

static const char *const base[] = {
	"clear",
	"add-service tcp 192.0.2.10:80 scheduler rr",
	"add-server tcp 192.0.2.10:80 10.0.0.1 method dr weight 1",
	"add-server tcp 192.0.2.10:80 10.0.0.2:8080 method nat weight 3",
	"add-service udp [2001:db8::1]:53",
	"add-server udp [2001:db8::1]:53 [2001:db8::2]",
};

static void
run(const char *line, struct rbuf *out)
{
	const char	*last;
	size_t		 n;

	rbuf_reset(out);
	ctl_cmd_run(&d, &session, line, out);
	if (out->rb_err != 0)
		return;
	/* The last line is the only final one. */
	if (out->rb_len < 3 || out->rb_buf[out->rb_len - 1] != '\n')
		abort();
	out->rb_buf[out->rb_len - 1] = '\0';
	last = strrchr(out->rb_buf, '\n');
	last = last != NULL ? last + 1 : out->rb_buf;
	if (strcmp(last, "OK") != 0 && strncmp(last, "ERR E", 5) != 0)
		abort();
	for (n = 0; out->rb_buf + n < last; n++)
		if (strncmp(out->rb_buf + n, "OK\n", 3) == 0 &&
		    (n == 0 || out->rb_buf[n - 1] == '\n'))
			abort();
	out->rb_buf[out->rb_len - 1] = '\n';
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct rbuf	 out = { 0 }, print = { 0 };
	char		 line[CTL_LINE_MAX + 1], err[256];
	size_t		 i, start, n;
	int		 r;

	if (d.d_tables == NULL) {
		d.d_opts.o_conn_max = 256;
		if (daemon_init_tables(&d, 1) != 0)
			abort();
	}
	for (i = 0; i < sizeof(base) / sizeof(base[0]); i++) {
		run(base[i], &out);
		if (strcmp(out.rb_buf, "OK\n") != 0)
			abort();
	}
	for (start = 0; start < size; start = i + 1) {
		for (i = start; i < size && data[i] != '\n'; i++)
			;
		n = i - start;
		if (n >= CTL_LINE_MAX)	/* ctl.c refuses it before */
			continue;
		memcpy(line, data + start, n);
		line[n] = '\0';
		run(line, &out);
		if (out.rb_err != 0 || out.rb_len < 3 ||
		    strcmp(out.rb_buf + out.rb_len - 3, "OK\n") != 0)
			continue;
		out.rb_buf[out.rb_len - 3] = '\0';
		rbuf_reset(&print);
		if (strncmp(line, "list", 4) == 0)
			r = adm_print_list(out.rb_buf, ADM_FMT_NUMERIC, false,
			    NULL, &print, err, sizeof(err));
		else if (strncmp(line, "connections", 11) == 0)
			r = adm_print_conns(out.rb_buf, ADM_FMT_NUMERIC, NULL,
			    &print, err, sizeof(err));
		else if (strncmp(line, "timeout", 7) == 0)
			r = adm_print_timeout(out.rb_buf, &print, err,
			    sizeof(err));
		else
			r = 0;
		if (r != 0 && print.rb_err == 0)
			abort();
	}
	ctl_session_reset(&session);
	session.cs_close = false;
	table_gc(d.d_tables);
	epoch_reclaim(d.d_epoch);
	rbuf_free(&out);
	rbuf_free(&print);
	return 0;
}
