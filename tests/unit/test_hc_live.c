/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * The http, https and udp checkers against real servers on 127.0.0.1,
 * in a libev loop as uvsd runs them: `openssl s_server -WWW` with a
 * self-signed certificate (generated here) and SNI that must name
 * test.example, socat serving canned http responses (chunked 200, 503),
 * a socat udp echo, and ports nobody listens on.  This test links the
 * checkers alone with its own hc_attempt_done(), not health.c, so it
 * shows what a checker itself reports.  No root needed; skipped (77)
 * without openssl or socat.
 */
#include "config.h"

#include <sys/socket.h>
#include <sys/wait.h>

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ev.h>

#include "addr.h"
#include "hc.h"
#include "util.h"

#define BODY_HTTPS	"hello from https\n"
#define BODY_HTTP	"hello, world"	/* after de-chunking */
#define ATTEMPT_TIMEOUT	3.0

enum { P_HTTPS, P_HTTP, P_HTTP503, P_TALK, P_UDP, P_CLOSED, P__MAX };

static char	 dir[] = "/tmp/uvs-hc-live.XXXXXX";
static uint16_t	 ports[P__MAX];		/* host order */
static pid_t	 pids[P__MAX];
static unsigned	 npids;

/* What hc_attempt_done() saw. */
static struct ev_loop *loop;
static bool	 done;
static int	 got_outcome;
static char	 got_reason[128];

/* health.c's, here: record and stop the loop. */
void
hc_attempt_done(struct hc_attempt *a, int outcome, int weight,
    const char *reason)
{
	assert_null(a->ha_priv);	/* released before reporting */
	assert_false(done);		/* exactly once */
	done = true;
	got_outcome = outcome;
	snprintf(got_reason, sizeof(got_reason), "%s", reason);
	ev_break(loop, EVBREAK_ALL);
}

static bool
have(const char *prog)
{
	char	 cmd[128];

	snprintf(cmd, sizeof(cmd), "command -v %s >/dev/null 2>&1", prog);
	return system(cmd) == 0;
}

/* A port that was free a moment ago. */
static uint16_t
free_port(int type)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t	 sl = sizeof(sin);
	uint16_t	 port;
	int		 fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, type, 0);
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static void
spawn(char *const argv[])
{
	pid_t	 pid;
	int	 fd;

	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		/* Its own group, so teardown ends socat's children too. */
		setpgid(0, 0);
		if (chdir(dir) == -1)
			_exit(127);
		fd = open("/dev/null", O_RDWR);
		dup2(fd, 0);
		dup2(fd, 1);
		dup2(fd, 2);
		execvp(argv[0], argv);
		_exit(127);
	}
	setpgid(pid, pid);
	pids[npids++] = pid;
}

static void
write_file(const char *name, const char *text)
{
	char	 path[256];
	FILE	*f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static bool
tcp_ready(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	int		 fd, r;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_STREAM, 0);
	r = connect(fd, (struct sockaddr *)&sin, sizeof(sin));
	close(fd);
	return r == 0;
}

static bool
udp_ready(uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct timeval	 tv = { 0, 200000 };
	char		 buf[8];
	int		 fd;
	ssize_t		 n = -1;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	sin.sin_port = htons(port);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    send(fd, "ready", 5, 0) == 5)
		n = recv(fd, buf, sizeof(buf), 0);
	close(fd);
	return n == 5;
}

static int
setup(void **state)
{
	char	 cmd[512], accept[32], tcp1[128], tcp2[128], tcp3[128];
	char	 udp[128];
	char	*https[] = { "openssl", "s_server", "-accept", accept,
	    "-cert", "cert.pem", "-key", "key.pem", "-WWW", "-quiet",
	    "-servername", "test.example", "-cert2", "cert.pem",
	    "-key2", "key.pem", "-servername_fatal", NULL };
	/* sed eats the request: unread data would make the close a reset. */
	char	*http[] = { "socat", tcp1,
	    "SYSTEM:sed -nE '/^.?$/q'; cat r200", NULL };
	char	*http503[] = { "socat", tcp2,
	    "SYSTEM:sed -nE '/^.?$/q'; cat r503", NULL };
	/* Talks plain http before the ClientHello is even read. */
	char	*talk[] = { "socat", tcp3, "SYSTEM:cat r503", NULL };
	char	*echo[] = { "socat", "-T", "1", udp, "EXEC:cat", NULL };
	int	 i;

	if (mkdtemp(dir) == NULL)
		return -1;
	snprintf(cmd, sizeof(cmd), "cd %s && openssl req -x509 -newkey ec "
	    "-pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout key.pem "
	    "-out cert.pem -days 2 -subj /CN=test >/dev/null 2>&1", dir);
	if (system(cmd) != 0)
		return -1;
	write_file("index.txt", BODY_HTTPS);
	snprintf(cmd, sizeof(cmd), "head -c 2000000 /dev/zero | tr '\\0' x "
	    ">%s/big.txt", dir);
	if (system(cmd) != 0)
		return -1;
	write_file("r200", "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n"
	    "\r\n5\r\nhello\r\n7;x=y\r\n, world\r\n0\r\n\r\n");
	write_file("r503", "HTTP/1.1 503 Service Unavailable\r\n"
	    "Content-Length: 5\r\n\r\nbusy\n");
	ports[P_HTTPS] = free_port(SOCK_STREAM);
	ports[P_HTTP] = free_port(SOCK_STREAM);
	ports[P_HTTP503] = free_port(SOCK_STREAM);
	ports[P_TALK] = free_port(SOCK_STREAM);
	ports[P_UDP] = free_port(SOCK_DGRAM);
	ports[P_CLOSED] = free_port(SOCK_DGRAM);
	snprintf(accept, sizeof(accept), "127.0.0.1:%u", ports[P_HTTPS]);
	snprintf(tcp1, sizeof(tcp1), "TCP-LISTEN:%u,bind=127.0.0.1,"
	    "reuseaddr,fork", ports[P_HTTP]);
	snprintf(tcp2, sizeof(tcp2), "TCP-LISTEN:%u,bind=127.0.0.1,"
	    "reuseaddr,fork", ports[P_HTTP503]);
	snprintf(tcp3, sizeof(tcp3), "TCP-LISTEN:%u,bind=127.0.0.1,"
	    "reuseaddr,fork", ports[P_TALK]);
	snprintf(udp, sizeof(udp), "UDP4-RECVFROM:%u,bind=127.0.0.1,fork",
	    ports[P_UDP]);
	spawn(https);
	spawn(http);
	spawn(http503);
	spawn(talk);
	spawn(echo);
	for (i = 0; i < 100; i++) {
		if (tcp_ready(ports[P_HTTPS]) && tcp_ready(ports[P_HTTP]) &&
		    tcp_ready(ports[P_HTTP503]) && tcp_ready(ports[P_TALK]) &&
		    udp_ready(ports[P_UDP]))
			break;
		usleep(50000);
	}
	if (i == 100) {
		fprintf(stderr, "servers did not come up\n");
		return -1;
	}
	loop = ev_default_loop(0);
	return 0;
}

static int
teardown(void **state)
{
	char	 cmd[256];
	unsigned i;

	for (i = 0; i < npids; i++)
		kill(-pids[i], SIGTERM);
	for (i = 0; i < npids; i++)
		waitpid(pids[i], NULL, 0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static void
timeout_cb(struct ev_loop *l, ev_timer *w, int revents)
{
	struct hc_attempt *a = w->data;
	const struct hc_ops *ops = a->ha_owner;

	ops->cancel(a);
	assert_null(a->ha_priv);
	snprintf(got_reason, sizeof(got_reason), "timeout");
	got_outcome = HC_FAIL;
	done = true;
	ev_break(l, EVBREAK_ALL);
}

/* One attempt of <ops> under <p> against 127.0.0.1:<port>. */
static void
run(const struct hc_ops *ops, const struct hc_params *p, uint16_t port)
{
	struct hc_attempt a = { .ha_loop = loop, .ha_params = p };
	ev_timer	 t;

	addr_set_v4(&a.ha_target.ep_addr, htonl(INADDR_LOOPBACK));
	a.ha_target.ep_port = htons(port);
	a.ha_owner = (void *)ops;
	done = false;
	got_reason[0] = '\0';
	assert_int_equal(ops->start(&a), 0);
	ev_timer_init(&t, timeout_cb, p->hp_timeout, 0.);
	t.data = &a;
	ev_timer_start(loop, &t);
	ev_run(loop, 0);
	ev_timer_stop(loop, &t);
	assert_true(done);
}

static const struct {
	int		 type;
	int		 port;		/* index into ports[] */
	const char	*path;
	const char	*vhost;		/* also SNI */
	const char	*digest;	/* "body": md5 of the expected body */
	const char	*regex;
	uint16_t	 lo, hi;	/* one status range; 0: default */
	int		 outcome;
	const char	*reason;	/* prefix */
} http_cases[] = {
	{ HC_HTTPS, P_HTTPS, "/index.txt", "test.example", "body", "from https$",
	    0, 0, HC_OK, "status 200" },
	{ HC_HTTPS, P_HTTPS, "/index.txt", "test.example",
	    "00000000000000000000000000000000", NULL, 0, 0, HC_FAIL,
	    "digest mismatch" },
	{ HC_HTTPS, P_HTTPS, "/index.txt", "test.example", NULL, "^nothing",
	    0, 0, HC_FAIL, "regex no match" },
	{ HC_HTTPS, P_HTTPS, "/big.txt", "test.example", NULL, NULL, 0, 0,
	    HC_FAIL, "response over 1 MiB" },	/* the read is capped */
	{ HC_HTTPS, P_HTTPS, "/index.txt", "wrong.example", NULL, NULL, 0, 0,
	    HC_FAIL, "tls handshake failed" },
	{ HC_HTTPS, P_TALK, "/", NULL, NULL, NULL, 0, 0, HC_FAIL,
	    "tls handshake failed" },		/* plain http on the port */
	{ HC_HTTPS, P_CLOSED, "/", NULL, NULL, NULL, 0, 0, HC_FAIL,
	    "connect refused" },
	{ HC_HTTP, P_HTTP, "/", NULL, "body", "hello, w.rld", 0, 0, HC_OK,
	    "status 200" },
	{ HC_HTTP, P_HTTP, "/", "www.example", NULL, NULL, 201, 299, HC_FAIL,
	    "status 200" },
	{ HC_HTTP, P_HTTP503, "/", NULL, NULL, NULL, 0, 0, HC_FAIL,
	    "status 503" },
	{ HC_HTTP, P_HTTP503, "/", NULL, NULL, NULL, 500, 599, HC_OK,
	    "status 503" },
	{ HC_HTTP, P_CLOSED, "/", NULL, NULL, NULL, 0, 0, HC_FAIL,
	    "connect refused" },
};

static void
test_hc_live_http_cases(void **state)
{
	struct hc_params p;
	const char	*body;
	size_t		 i;

	for (i = 0; i < nitems(http_cases); i++) {
		memset(&p, 0, sizeof(p));
		p.hp_type = http_cases[i].type;
		p.hp_timeout = ATTEMPT_TIMEOUT;
		snprintf(p.hp_path, sizeof(p.hp_path), "%s",
		    http_cases[i].path);
		if (http_cases[i].vhost != NULL) {
			snprintf(p.hp_vhost, sizeof(p.hp_vhost), "%s",
			    http_cases[i].vhost);
			p.hp_sni = true;
		}
		body = p.hp_type == HC_HTTPS ? BODY_HTTPS : BODY_HTTP;
		if (http_cases[i].digest != NULL &&
		    strcmp(http_cases[i].digest, "body") == 0)
			assert_int_equal(hc_md5_hex(body, strlen(body),
			    p.hp_digest), 0);
		else if (http_cases[i].digest != NULL)
			snprintf(p.hp_digest, sizeof(p.hp_digest), "%s",
			    http_cases[i].digest);
		if (http_cases[i].regex != NULL)
			snprintf(p.hp_regex, sizeof(p.hp_regex), "%s",
			    http_cases[i].regex);
		if (http_cases[i].lo != 0) {
			p.hp_nstatus = 1;
			p.hp_status_lo[0] = http_cases[i].lo;
			p.hp_status_hi[0] = http_cases[i].hi;
		}
		run(p.hp_type == HC_HTTPS ? &hc_https : &hc_http, &p,
		    ports[http_cases[i].port]);
		if (got_outcome != http_cases[i].outcome ||
		    strncmp(got_reason, http_cases[i].reason,
		    strlen(http_cases[i].reason)) != 0)
			fail_msg("case %zu: outcome %d '%s', want %d '%s'", i,
			    got_outcome, got_reason, http_cases[i].outcome,
			    http_cases[i].reason);
	}
}

static const struct {
	int		 port;
	const char	*payload;
	bool		 require;
	const char	*expect;
	size_t		 min, max;
	int		 outcome;
	const char	*reason;
} udp_cases[] = {
	{ P_UDP,	"PING\n", true,	 "PING", 0, 0,	HC_OK, "reply of 5" },
	{ P_UDP,	"PING\n", true,	 "PONG", 0, 0,	HC_FAIL,
	    "unexpected reply" },
	{ P_UDP,	"PING\n", true,	 NULL, 6, 0,	HC_FAIL,
	    "unexpected reply" },
	{ P_UDP,	"PING\n", false, NULL, 0, 0,	HC_OK, "reply of 5" },
	{ P_CLOSED,	"PING\n", true,	 NULL, 0, 0,	HC_FAIL,
	    "port unreachable" },
	{ P_CLOSED,	"PING\n", false, NULL, 0, 0,	HC_FAIL,
	    "port unreachable" },
};

static void
test_hc_live_udp_cases(void **state)
{
	struct hc_params p;
	size_t		 i;

	for (i = 0; i < nitems(udp_cases); i++) {
		memset(&p, 0, sizeof(p));
		p.hp_type = HC_UDP;
		p.hp_timeout = ATTEMPT_TIMEOUT;
		p.hp_payload_len = strlen(udp_cases[i].payload);
		memcpy(p.hp_payload, udp_cases[i].payload, p.hp_payload_len);
		p.hp_require_reply = udp_cases[i].require;
		if (udp_cases[i].expect != NULL) {
			p.hp_reply_len = strlen(udp_cases[i].expect);
			memcpy(p.hp_reply, udp_cases[i].expect,
			    p.hp_reply_len);
		}
		p.hp_min_reply = udp_cases[i].min;
		p.hp_max_reply = udp_cases[i].max;
		run(&hc_udp, &p, ports[udp_cases[i].port]);
		if (got_outcome != udp_cases[i].outcome ||
		    strncmp(got_reason, udp_cases[i].reason,
		    strlen(udp_cases[i].reason)) != 0)
			fail_msg("case %zu: outcome %d '%s', want %d '%s'", i,
			    got_outcome, got_reason, udp_cases[i].outcome,
			    udp_cases[i].reason);
	}
}

/* A udp server that swallows the payload: silence passes after grace. */
static void
test_hc_live_udp_when_silent(void **state)
{
	struct sockaddr_in sin = { .sin_family = AF_INET };
	struct hc_params p;
	socklen_t	 sl = sizeof(sin);
	struct timespec	 t0, t1;
	double		 dt;
	int		 fd;

	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &sl), 0);
	memset(&p, 0, sizeof(p));
	p.hp_type = HC_UDP;
	p.hp_timeout = 1.5;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	run(&hc_udp, &p, ntohs(sin.sin_port));
	clock_gettime(CLOCK_MONOTONIC, &t1);
	dt = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_int_equal(got_outcome, HC_OK);
	assert_string_equal(got_reason, "no port unreachable");
	assert_true(dt >= 0.4 && dt < 1.5);
	/* With require_reply, silence is a timeout (health.c's timer). */
	p.hp_require_reply = true;
	run(&hc_udp, &p, ntohs(sin.sin_port));
	assert_string_equal(got_reason, "timeout");
	close(fd);
}

/* Cancelled in flight (reload, stop): nothing reported, nothing left. */
static void
test_hc_live_cancel_when_in_flight(void **state)
{
	struct hc_params p;
	struct hc_attempt a = { .ha_loop = loop, .ha_params = &p };
	const struct hc_ops *ops[] = { &hc_http, &hc_https, &hc_udp };
	const int	 port[] = { P_HTTP, P_HTTPS, P_UDP };
	size_t		 i;

	for (i = 0; i < nitems(ops); i++) {
		memset(&p, 0, sizeof(p));
		p.hp_type = i == 0 ? HC_HTTP : i == 1 ? HC_HTTPS : HC_UDP;
		p.hp_timeout = ATTEMPT_TIMEOUT;
		p.hp_require_reply = true;
		addr_set_v4(&a.ha_target.ep_addr, htonl(INADDR_LOOPBACK));
		a.ha_target.ep_port = htons(ports[port[i]]);
		done = false;
		assert_int_equal(ops[i]->start(&a), 0);
		assert_non_null(a.ha_priv);
		ops[i]->cancel(&a);
		assert_null(a.ha_priv);
		ev_run(loop, EVRUN_NOWAIT);
		assert_false(done);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hc_live_http_cases),
		cmocka_unit_test(test_hc_live_udp_cases),
		cmocka_unit_test(test_hc_live_udp_when_silent),
		cmocka_unit_test(test_hc_live_cancel_when_in_flight),
	};

	if (!have("openssl") || !have("socat")) {
		printf("openssl or socat missing, skipping\n");
		return 77;
	}
	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, setup, teardown);
}
