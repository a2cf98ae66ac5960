/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Health checkers: one file each (hc_tcp.c, hc_http.c for http and
 * https, hc_udp.c, hc_exec.c), one const struct hc_ops at its end, one
 * entry in health.c's table.  A checker runs one attempt of one check at
 * a time, non-blocking, from the control thread's libev loop: start()
 * sets up its watchers and returns; when the attempt ends (success,
 * failure, or the hp_timeout timer that health.c arms), the checker
 * calls hc_attempt_done() exactly once and has released everything.
 * health.c turns attempts into up/down with retries, rise and fall.
 * Control thread only.
 */
#ifndef UVS_HC_H
#define UVS_HC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "addr.h"

struct ev_loop;

enum hc_type {
	HC_NONE = 0,
	HC_TCP,			/* TCP_CHECK: connect */
	HC_HTTP,		/* HTTP_GET */
	HC_HTTPS,		/* SSL_GET */
	HC_UDP,			/* UDP_CHECK */
	HC_EXEC,		/* MISC_CHECK */
	HC__MAX
};

#define HC_STATUS_RANGES	8
#define HC_PATH_MAX		256
#define HC_PAYLOAD_MAX		512

/* Everything one check of one real server needs, defaults resolved. */
struct hc_params {
	int		 hp_type;		/* enum hc_type */
	double		 hp_interval;		/* s between checks (delay_loop) */
	double		 hp_timeout;		/* s for one attempt (connect_timeout) */
	double		 hp_retry_delay;	/* s before a retry (delay_before_retry) */
	double		 hp_warmup;		/* s: first check at random in [0, warmup] */
	unsigned	 hp_retry;		/* failed attempts before a check fails */
	unsigned	 hp_rise;		/* good checks to go up */
	unsigned	 hp_fall;		/* bad checks to go down */
	bool		 hp_alpha;		/* start down */
	bool		 hp_inhibit;		/* down: weight 0 instead of removal */
	struct ep	 hp_connect;		/* port 0 / no address: the real server's */
	struct addr	 hp_bind;		/* a_af 0: none */
	/* http, https */
	char		 hp_path[HC_PATH_MAX];	/* "/" */
	char		 hp_vhost[HC_PATH_MAX];	/* Host: header, "" = the address */
	bool		 hp_sni;		/* https: send hp_vhost as SNI */
	uint16_t	 hp_status_lo[HC_STATUS_RANGES]; /* accepted codes, */
	uint16_t	 hp_status_hi[HC_STATUS_RANGES]; /* lo..hi; none: 200-299 */
	unsigned	 hp_nstatus;
	char		 hp_digest[33];		/* md5 of the body, hex; "" = none */
	char		 hp_regex[HC_PATH_MAX];	/* body must match; "" = none */
	/* udp */
	uint8_t		 hp_payload[HC_PAYLOAD_MAX];
	size_t		 hp_payload_len;
	bool		 hp_require_reply;
	uint8_t		 hp_reply[HC_PAYLOAD_MAX]; /* expected prefix; len 0: any */
	size_t		 hp_reply_len;
	size_t		 hp_min_reply, hp_max_reply; /* 0: no bound */
	/* exec */
	char		 hp_cmd[HC_PATH_MAX * 2]; /* run by /bin/sh -c */
	char		 hp_user[64];		/* "" = uvsd's user */
	bool		 hp_dynamic;		/* exec: 2..255 set the weight
						   (misc_dynamic); else down */
};

enum hc_outcome {
	HC_OK = 0,		/* up */
	HC_FAIL,		/* down */
	HC_WEIGHT,		/* exec exit 2..255: up with weight code - 2 */
};

/* One attempt in flight; health.c owns it, the checker keeps c_priv. */
struct hc_attempt {
	struct ev_loop	*ha_loop;
	const struct hc_params *ha_params;
	struct ep	 ha_target;	/* resolved connect address and port */
	void		*ha_priv;	/* the checker's state */
	void		*ha_owner;	/* health.c's */
};

struct hc_ops {
	const char	*name;		/* "tcp", "http", "https", "udp", "exec" */
	/* Begin an attempt: 0, or -errno (then it failed at once, no callback). */
	int		(*start)(struct hc_attempt *a);
	/* Abort an attempt in flight (timeout, reload, stop): release all. */
	void		(*cancel)(struct hc_attempt *a);
};

extern const struct hc_ops hc_tcp;
extern const struct hc_ops hc_http;
extern const struct hc_ops hc_https;
extern const struct hc_ops hc_udp;
extern const struct hc_ops hc_exec;

/*
 * A checker's report: <outcome>, with <weight> for HC_WEIGHT and a short
 * <reason> ("connect timeout after 3s", "status 503", "exit 1").  Called
 * once per attempt, after the checker released what it held.
 */
void	 hc_attempt_done(struct hc_attempt *a, int outcome, int weight,
	    const char *reason);

/* Pure helpers for the checkers and their tests. */
bool	 hc_status_ok(const struct hc_params *p, unsigned status);
/* exit code of MISC_CHECK -> outcome (and weight for HC_WEIGHT). */
int	 hc_exec_outcome(int wait_status, int *ret_weight);
/* UDP reply accepted under <p>? */
bool	 hc_udp_reply_ok(const struct hc_params *p, const uint8_t *buf,
	    size_t len);

/* Largest http(s) response a checker reads, headers and body. */
#define HC_HTTP_MAX		(1024 * 1024)

/*
 * Parse the http response in <buf> (<len> bytes; <eof>: the peer closed,
 * so a body without length ends here).  0: complete, with the final
 * status, and the body (chunked transfer coding decoded in place in
 * <buf>) at *ret_body for *ret_body_len bytes; -EAGAIN: more bytes are
 * needed (never with <eof> but a truncated response); -EBADMSG:
 * malformed.  1xx interim responses are skipped.  Pure code.
 */
int	 hc_http_parse(char *buf, size_t len, bool eof, unsigned *ret_status,
	    const char **ret_body, size_t *ret_body_len);
/* md5 of <len> bytes at <buf> as 32 lower-case hex digits. 0 or -EIO. */
int	 hc_md5_hex(const void *buf, size_t len, char ret_hex[33]);

#endif
