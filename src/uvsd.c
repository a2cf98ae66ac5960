/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * uvsd: options and the -f file, then daemon_run().  Command-line options
 * override the file's global settings; -t checks the file and exits.
 * Main thread.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "ctl_proto.h"
#include "daemon.h"
#include "log.h"
#include "sched/sched.h"
#include "util.h"

enum {
	OPT_CONN_MAX = 256,
	OPT_TX_MODE,
	OPT_BLOCK_SIZE,
	OPT_BLOCKS,
	OPT_QDISC_BYPASS,
	OPT_SOCKET_GROUP,
	OPT_MH_SIZE,
	OPT_VERSION,
};

static const struct option longopts[] = {
	{ "interface",		required_argument,	NULL, 'i' },
	{ "config",		required_argument,	NULL, 'f' },
	{ "test",		no_argument,		NULL, 't' },
	{ "workers",		required_argument,	NULL, 'w' },
	{ "socket",		required_argument,	NULL, 's' },
	{ "socket-group",	required_argument,	NULL, OPT_SOCKET_GROUP },
	{ "foreground",		no_argument,		NULL, 'F' },
	{ "verbose",		no_argument,		NULL, 'v' },
	{ "conn-max",		required_argument,	NULL, OPT_CONN_MAX },
	{ "tx-mode",		required_argument,	NULL, OPT_TX_MODE },
	{ "ring-block-size",	required_argument,	NULL, OPT_BLOCK_SIZE },
	{ "ring-blocks",	required_argument,	NULL, OPT_BLOCKS },
	{ "qdisc-bypass",	no_argument,		NULL, OPT_QDISC_BYPASS },
	{ "mh-table-size",	required_argument,	NULL, OPT_MH_SIZE },
	{ "version",		no_argument,		NULL, OPT_VERSION },
	{ "help",		no_argument,		NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
	fprintf(f,
"usage: uvsd [-f FILE] [-i IFACE ...] [options]\n"
"       uvsd -t -f FILE\n"
"  -f, --config FILE         read settings, services and real servers from\n"
"                            FILE (uvsd.conf(5)); SIGHUP reloads it\n"
"  -t, --test                check the -f FILE, print its errors, exit\n"
"  -i, --interface IFACE     serve IFACE (repeatable, at most %d)\n"
"  -w, --workers N           worker threads (default: one per CPU, here %u)\n"
"  -s, --socket PATH         admin socket (default: %s)\n"
"      --socket-group GROUP  group allowed to use the admin socket (mode 0660)\n"
"  -F, --foreground          do not detach; log to stderr\n"
"  -v, --verbose             log debug messages\n"
"      --conn-max N          connection table maximum (default: 1048576)\n"
"      --tx-mode mmsg|ring   sendmmsg() from the RX ring (default) or a TX ring\n"
"      --ring-block-size B   RX ring block bytes (default: 262144)\n"
"      --ring-blocks N       RX ring blocks per worker and interface (default: 64)\n"
"      --qdisc-bypass        send with PACKET_QDISC_BYPASS (no tc, no taps)\n"
"      --mh-table-size M     mh scheduler's table, a prime (default: 4093)\n"
"      --version             print the version and exit\n"
"  -h, --help                this text\n", IFACE_MAX,
	    (unsigned)sysconf(_SC_NPROCESSORS_ONLN), CTL_DEFAULT_SOCKET);
}

static unsigned long
num_arg(const char *opt, const char *s, unsigned long min, unsigned long max)
{
	unsigned long	 v;

	if (parse_uint(s, min, max, &v) != 0) {
		fprintf(stderr, "uvsd: %s: '%s' is not a number from %lu to %lu\n",
		    opt, s, min, max);
		exit(2);
	}
	return v;
}

/* Every error as file:line: reason, on stderr. */
static void
print_errors(const struct uvs_err *errs, unsigned n)
{
	char		 buf[sizeof(errs->e_file) + sizeof(errs->e_text) + 16];
	unsigned	 i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "%s\n", uvs_err_fmt(&errs[i], buf, sizeof(buf)));
}

/*
 * The file's global settings where no option gave one: options given on
 * the command line (<given>, by option character) win.
 */
static void
apply_file(struct uvsd_opts *o, const struct cfg *c, const bool *given)
{
	unsigned	 i;

	if (!given['i'])
		for (i = 0; i < c->cf_nifs; i++)
			o->o_ifnames[o->o_nifs++] = c->cf_ifnames[i];
	if (!given['w'] && c->cf_workers > 0)
		o->o_workers = c->cf_workers;
	if (!given['s'] && c->cf_socket[0] != '\0')
		o->o_socket = c->cf_socket;
	if (!given[OPT_SOCKET_GROUP] && c->cf_socket_group[0] != '\0')
		o->o_socket_group = c->cf_socket_group;
	if (!given[OPT_CONN_MAX] && c->cf_conn_max > 0)
		o->o_conn_max = c->cf_conn_max;
	if (!given[OPT_TX_MODE] && c->cf_tx_mode >= 0)
		o->o_tx_mode = c->cf_tx_mode;
	o->o_expire_nodest_conn = c->cf_expire_nodest_conn;
	o->o_arpnd = c->cf_arpnd;
	if (c->cf_lport_lo != 0) {
		o->o_lport_lo = c->cf_lport_lo;
		o->o_lport_hi = c->cf_lport_hi;
	}
}

int
main(int argc, char **argv)
{
	struct uvsd	 d;
	struct uvs_err	 errs[CFG_ERRS_MAX];
	struct cfg	*cf;
	unsigned long	 v;
	unsigned	 nerrs;
	bool		 given[OPT_VERSION + 1] = { false }, test = false;
	int		 c, r;

	memset(&d, 0, sizeof(d));
	daemon_opts_default(&d.d_opts);
	while ((c = getopt_long(argc, argv, "f:ti:w:s:Fvh", longopts,
	    NULL)) != -1) {
		if (c > 0 && c <= OPT_VERSION)
			given[c] = true;
		switch (c) {
		case 'f':
			d.d_opts.o_config = optarg;
			break;
		case 't':
			test = true;
			break;
		case 'i':
			if (d.d_opts.o_nifs == IFACE_MAX) {
				fprintf(stderr, "uvsd: at most %d interfaces\n",
				    IFACE_MAX);
				return 2;
			}
			d.d_opts.o_ifnames[d.d_opts.o_nifs++] = optarg;
			break;
		case 'w':
			d.d_opts.o_workers = (unsigned)num_arg("--workers",
			    optarg, 1, 256);
			break;
		case 's':
			d.d_opts.o_socket = optarg;
			break;
		case 'F':
			d.d_opts.o_foreground = true;
			break;
		case 'v':
			d.d_opts.o_loglevel = LOG_DEBUG;
			break;
		case OPT_CONN_MAX:
			d.d_opts.o_conn_max = (uint32_t)num_arg("--conn-max",
			    optarg, 64, 1UL << 26);
			break;
		case OPT_TX_MODE:
			if (strcmp(optarg, "mmsg") == 0)
				d.d_opts.o_tx_mode = TX_MMSG;
			else if (strcmp(optarg, "ring") == 0)
				d.d_opts.o_tx_mode = TX_RING;
			else {
				fprintf(stderr, "uvsd: --tx-mode: '%s' is "
				    "neither 'mmsg' nor 'ring'\n", optarg);
				return 2;
			}
			break;
		case OPT_BLOCK_SIZE:
			v = num_arg("--ring-block-size", optarg, 1 << 17, 1 << 26);
			if (v & (v - 1) || v % (unsigned long)getpagesize()) {
				fprintf(stderr, "uvsd: --ring-block-size: %lu "
				    "is not a power of two pages\n", v);
				return 2;
			}
			d.d_opts.o_block_size = (unsigned)v;
			break;
		case OPT_BLOCKS:
			d.d_opts.o_block_nr = (unsigned)num_arg("--ring-blocks",
			    optarg, 2, 4096);
			break;
		case OPT_QDISC_BYPASS:
			d.d_opts.o_qdisc_bypass = true;
			break;
		case OPT_SOCKET_GROUP:
			d.d_opts.o_socket_group = optarg;
			break;
		case OPT_MH_SIZE:
			v = num_arg("--mh-table-size", optarg,
			    SCHED_MH_SIZE_MIN, SCHED_MH_SIZE_MAX);
			if (!sched_mh_size_ok(v)) {
				fprintf(stderr, "uvsd: --mh-table-size: %lu "
				    "is not a prime\n", v);
				return 2;
			}
			d.d_opts.o_mh_table_size = (unsigned)v;
			sched_mh_set_size((unsigned)v);
			break;
		case OPT_VERSION:
			printf("uvsd %s (admin protocol %d)\n", PACKAGE_VERSION,
			    CTL_PROTO_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "uvsd: unexpected argument '%s'\n", argv[optind]);
		return 2;
	}
	if (test && d.d_opts.o_config == NULL) {
		fprintf(stderr, "uvsd: -t checks a file: give it with -f FILE\n");
		return 2;
	}
	if (d.d_opts.o_config != NULL) {
		if ((cf = calloc(1, sizeof(*cf))) == NULL) {
			fprintf(stderr, "uvsd: out of memory\n");
			return 1;
		}
		r = cfg_load_file(d.d_opts.o_config, cf, errs, nitems(errs),
		    &nerrs);
		if (r != 0) {
			print_errors(errs, nerrs);
			if (nerrs == 0)
				fprintf(stderr, "uvsd: %s: %s\n",
				    d.d_opts.o_config, strerror(-r));
			free(cf);
			return 1;
		}
		if (test) {
			cfg_free(cf);
			free(cf);
			return 0;
		}
		apply_file(&d.d_opts, cf, given);
		d.d_cfg = cf;	/* daemon_run() applies and frees it */
	}
	if (d.d_opts.o_nifs == 0) {
		fprintf(stderr, "uvsd: no interface: give at least one -i "
		    "IFACE or set 'interfaces' in the -f file\n");
		usage(stderr);
		return 2;
	}
	log_init("uvsd", d.d_opts.o_loglevel);
	if (!d.d_opts.o_foreground && daemon(0, 1) == -1) {
		log_errno(LOG_ERR, -errno, "cannot detach");
		return 1;
	}
	return daemon_run(&d);
}
