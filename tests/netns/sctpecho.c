/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * SCTP ends for sctp-traffic.sh, on usrsctp: this kernel has no SCTP
 * (CONFIG_IP_SCTP unset), so a user-space SCTP stack over raw IPv4 and
 * IPv6 sockets of protocol 132 speaks for the real servers and the
 * client.  It checks every CRC32c it receives and drops a packet whose
 * CRC is wrong, so an association that comes up and echoes proves the
 * checksums that went through uvsd right.
 *
 *   sctpecho server NAME PORT ADDR...
 *	listen on each ADDR:PORT (each its own endpoint, so an INIT ACK
 *	lists no other address of ours); every message is answered with
 *	"NAME\n" and the message.  Prints "LISTENING" once all listen.
 *   sctpecho client BIND VIP PORT N MSGS HOLDFILE
 *	from BIND, open N associations to VIP:PORT one after another and
 *	exchange MSGS messages of 1 to 3000 random bytes on each, checking
 *	the echoes; print "assoc I NAME" for each, then "HOLDING", keep
 *	them all open until HOLDFILE exists (at most 30 s), shut them all
 *	down and print "DONE".  Exit 0 when every echo was right.
 *
 * The client is bounded by an alarm: a lost association ends its run
 * with exit status 3 rather than hanging.  One usrsctp stack per process,
 * hence one process per namespace.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <usrsctp.h>

#define MSG_MAX		3000
#define NAME_MAX_LEN	64
#define ASSOC_MAX	64
#define RUN_LIMIT	60	/* seconds, the whole run */

static char	 srv_name[NAME_MAX_LEN];

static void
on_alarm(int sig)
{
	static const char msg[] = "sctpecho: time limit reached\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(3);
	_exit(3);
}

/* ADDR and PORT into <ss>; the family from the address.  0 or -1. */
static int
sockaddr_of(const char *addr, const char *port, struct sockaddr_storage *ss,
    socklen_t *ret_len)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)ss;
	uint16_t		 p = (uint16_t)atoi(port);

	memset(ss, 0, sizeof(*ss));
	if (inet_pton(AF_INET, addr, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(p);
		*ret_len = sizeof(*s4);
		return 0;
	}
	if (inet_pton(AF_INET6, addr, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(p);
		*ret_len = sizeof(*s6);
		return 0;
	}
	return -1;
}

/* One whole message into <buf>; its length, 0 at the end, -1 on error. */
static ssize_t
recv_msg(struct socket *so, uint8_t *buf, size_t len)
{
	struct sctp_rcvinfo	 rcv;
	socklen_t		 fromlen, infolen;
	unsigned int		 infotype;
	size_t			 got = 0;
	ssize_t			 n;
	int			 flags;

	do {
		fromlen = 0;
		infolen = sizeof(rcv);
		infotype = 0;
		flags = 0;
		n = usrsctp_recvv(so, buf + got, len - got, NULL, &fromlen,
		    &rcv, &infolen, &infotype, &flags);
		if (n < 0)
			return -1;
		if (n == 0)
			return got == 0 ? 0 : -1;
		got += (size_t)n;
		if (got == len && !(flags & MSG_EOR))
			return -1;
	} while (!(flags & MSG_EOR));
	return (ssize_t)got;
}

static int
send_msg(struct socket *so, const void *buf, size_t len)
{
	struct sctp_sndinfo	 snd;

	memset(&snd, 0, sizeof(snd));
	snd.snd_flags = SCTP_EOR;
	return usrsctp_sendv(so, buf, len, NULL, 0, &snd, sizeof(snd),
	    SCTP_SENDV_SNDINFO, 0) == (ssize_t)len ? 0 : -1;
}

/* One association of the server: echo with our name in front. */
static void *
serve_assoc(void *arg)
{
	struct socket	*so = arg;
	static __thread uint8_t in[MSG_MAX + 1], out[MSG_MAX + NAME_MAX_LEN];
	size_t		 nl = strlen(srv_name);
	ssize_t		 n;

	while ((n = recv_msg(so, in, sizeof(in))) > 0) {
		memcpy(out, srv_name, nl);
		out[nl] = '\n';
		memcpy(out + nl + 1, in, (size_t)n);
		if (send_msg(so, out, nl + 1 + (size_t)n) != 0)
			break;
	}
	usrsctp_close(so);
	return NULL;
}

static void *
serve_listener(void *arg)
{
	struct socket	*lso = arg, *so;
	pthread_t	 t;

	for (;;) {
		if ((so = usrsctp_accept(lso, NULL, NULL)) == NULL) {
			if (errno == EINTR)
				continue;
			perror("sctpecho: accept");
			return NULL;
		}
		if (pthread_create(&t, NULL, serve_assoc, so) != 0) {
			usrsctp_close(so);
			continue;
		}
		pthread_detach(t);
	}
}

static struct socket *
sctp_sock(int af)
{
	struct socket	*so;
	const int	 on = 1;

	so = usrsctp_socket(af, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0,
	    NULL);
	if (so == NULL) {
		perror("sctpecho: usrsctp_socket");
		exit(2);
	}
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
	return so;
}

static int
server(int argc, char **argv)
{
	struct sockaddr_storage	 ss;
	struct socket		*so;
	socklen_t		 sl;
	pthread_t		 t;
	int			 i;

	if (argc < 3)
		return 2;
	snprintf(srv_name, sizeof(srv_name), "%s", argv[0]);
	for (i = 2; i < argc; i++) {
		if (sockaddr_of(argv[i], argv[1], &ss, &sl) != 0) {
			fprintf(stderr, "sctpecho: bad address %s\n", argv[i]);
			return 2;
		}
		so = sctp_sock(ss.ss_family);
		if (usrsctp_bind(so, (struct sockaddr *)&ss, sl) != 0 ||
		    usrsctp_listen(so, 16) != 0) {
			perror("sctpecho: bind/listen");
			return 2;
		}
		if (pthread_create(&t, NULL, serve_listener, so) != 0)
			return 2;
	}
	printf("LISTENING\n");
	fflush(stdout);
	for (;;)
		pause();
}

static uint32_t	 rnd_state = 0x12345678;

static uint32_t
rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

static int
client(int argc, char **argv)
{
	struct socket		*so[ASSOC_MAX];
	struct sockaddr_storage	 local, vip;
	struct stat		 st;
	socklen_t		 ll, vl;
	static uint8_t		 msg[MSG_MAX], back[MSG_MAX + NAME_MAX_LEN + 1];
	char			*nl;
	size_t			 len, k;
	ssize_t			 n;
	int			 nassoc, nmsg, i, m, bad = 0;

	if (argc != 6)
		return 2;
	nassoc = atoi(argv[3]);
	nmsg = atoi(argv[4]);
	if (nassoc < 1 || nassoc > ASSOC_MAX || nmsg < 1 ||
	    sockaddr_of(argv[0], "0", &local, &ll) != 0 ||
	    sockaddr_of(argv[1], argv[2], &vip, &vl) != 0)
		return 2;
	rnd_state ^= (uint32_t)getpid();
	for (i = 0; i < nassoc; i++) {
		so[i] = sctp_sock(vip.ss_family);
		if (usrsctp_bind(so[i], (struct sockaddr *)&local, ll) != 0) {
			perror("sctpecho: bind");
			return 2;
		}
		if (usrsctp_connect(so[i], (struct sockaddr *)&vip, vl) != 0) {
			fprintf(stderr, "sctpecho: association %d: connect: "
			    "%s\n", i, strerror(errno));
			return 1;
		}
		for (m = 0; m < nmsg; m++) {
			len = 1 + rnd() % MSG_MAX;
			for (k = 0; k < len; k++)
				msg[k] = (uint8_t)rnd();
			if (send_msg(so[i], msg, len) != 0 ||
			    (n = recv_msg(so[i], back, sizeof(back))) <= 0) {
				fprintf(stderr, "sctpecho: association %d: "
				    "message %d lost\n", i, m);
				return 1;
			}
			back[n] = '\0';
			if ((nl = memchr(back, '\n', (size_t)n)) == NULL ||
			    (size_t)n - (size_t)(nl + 1 - (char *)back) != len ||
			    memcmp(nl + 1, msg, len) != 0) {
				fprintf(stderr, "sctpecho: association %d: "
				    "message %d: bad echo\n", i, m);
				bad++;
				continue;
			}
			*nl = '\0';
		}
		printf("assoc %d %s\n", i, (char *)back);
		fflush(stdout);
	}
	printf("HOLDING\n");
	fflush(stdout);
	for (i = 0; i < 300 && stat(argv[5], &st) != 0; i++)
		usleep(100 * 1000);
	for (i = 0; i < nassoc; i++)
		usrsctp_close(so[i]);
	/* Let the SHUTDOWN exchanges finish before the stack goes. */
	for (i = 0; i < 50 && usrsctp_finish() != 0; i++)
		usleep(100 * 1000);
	printf("DONE\n");
	fflush(stdout);
	return bad == 0 ? 0 : 1;
}

int
main(int argc, char **argv)
{
	if (argc < 2)
		goto usage;
	/* Raw IPv4 and IPv6 sockets of protocol 132, no UDP encapsulation. */
	usrsctp_init(0, NULL, NULL);
	usrsctp_sysctl_set_sctp_blackhole(2);
	if (strcmp(argv[1], "server") == 0 && argc >= 5)
		return server(argc - 2, argv + 2);
	if (strcmp(argv[1], "client") == 0 && argc == 8) {
		signal(SIGALRM, on_alarm);
		alarm(RUN_LIMIT);
		return client(argc - 2, argv + 2);
	}
usage:
	fprintf(stderr, "usage: sctpecho server NAME PORT ADDR...\n"
	    "       sctpecho client BIND VIP PORT N MSGS HOLDFILE\n");
	return 2;
}
