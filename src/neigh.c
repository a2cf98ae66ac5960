/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Next hops from the kernel (neigh.h), over two rtnetlink sockets.
 *
 * The request socket asks one question at a time and waits for the
 * answer: the kernel answers rtnetlink GETs synchronously, so blocking
 * is short, and SO_RCVTIMEO only guards against a lost answer.  Every
 * request carries NLM_F_ACK, so that each exchange ends with an ACK or
 * an error and never with a guess about whether more is coming.
 *
 * Unknown neighbours are resolved by the kernel itself: RTM_NEWNEIGH
 * with NTF_USE is what "ip neigh replace ADDR dev IF use" sends, and
 * makes the kernel send the ARP request or neighbour solicitation as if
 * a packet were waiting.  Unlike iproute2 we send state NUD_NONE, not
 * NUD_PERMANENT: a permanent state at creation exempts the entry from
 * the neighbour table's garbage collection.
 *
 * The event socket listens to neighbour, route and link changes; the
 * control thread re-resolves all real servers when it says so.
 * Control thread only.
 */
#include "config.h"

#include <errno.h>
#include <linux/neighbour.h>
#include <linux/rtnetlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>

#include <libmnl/libmnl.h>

#include "addr.h"
#include "iface.h"
#include "neigh.h"
#include "table.h"

#define NEIGH_BUF_SIZE	32768	/* one dump skb; events come in batches */
#define NEIGH_TIMEOUT_S	1	/* the kernel answers at once; a guard */

#define NUD_USABLE	(NUD_REACHABLE | NUD_STALE | NUD_DELAY | NUD_PROBE | \
			 NUD_PERMANENT | NUD_NOARP)

struct neigh {
	struct mnl_socket	*nb_req;	/* questions and answers */
	struct mnl_socket	*nb_ev;		/* multicast groups */
	const struct iface	*nb_ifs;	/* [nb_n], the caller's */
	unsigned		 nb_n;
	uint32_t		 nb_seq;
	char			*nb_buf;	/* [NEIGH_BUF_SIZE] */
};

/* What RTM_GETROUTE said. */
struct route_ans {
	uint8_t		 ra_type;	/* RTN_* */
	int		 ra_oif;
	struct addr	 ra_gw;		/* a_af 0: on link */
	struct addr	 ra_src;	/* preferred source; a_af 0: none */
};

/* What RTM_GETNEIGH said about one neighbour. */
struct neigh_ans {
	int		 na_ifindex;	/* dumps: the one to look for */
	const struct addr *na_dst;	/* dumps: the one to look for */
	bool		 na_found;
	uint16_t	 na_state;	/* NUD_* */
	bool		 na_has_mac;
	uint8_t		 na_mac[6];
};

static int
addr_len(int af)
{
	return af == AF_INET ? 4 : 16;
}

static struct mnl_socket *
sock_open(unsigned groups, int flags)
{
	struct mnl_socket	*nl;

	if ((nl = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | flags)) == NULL)
		return NULL;
	if (mnl_socket_bind(nl, groups, MNL_SOCKET_AUTOPID) == -1) {
		mnl_socket_close(nl);
		return NULL;
	}
	return nl;
}

struct neigh *
neigh_open(const struct iface *ifs, unsigned n)
{
	struct timeval	 tv = { .tv_sec = NEIGH_TIMEOUT_S };
	struct neigh	*nb;
	int		 e;

	if ((nb = calloc(1, sizeof(*nb))) == NULL)
		return NULL;
	nb->nb_ifs = ifs;
	nb->nb_n = n;
	nb->nb_seq = (uint32_t)time(NULL);
	if ((nb->nb_buf = malloc(NEIGH_BUF_SIZE)) == NULL ||
	    (nb->nb_req = sock_open(0, 0)) == NULL)
		goto out_close;
	if (setsockopt(mnl_socket_get_fd(nb->nb_req), SOL_SOCKET, SO_RCVTIMEO,
	    &tv, sizeof(tv)) == -1)
		goto out_close;
	if ((nb->nb_ev = sock_open(RTMGRP_NEIGH | RTMGRP_IPV4_ROUTE |
	    RTMGRP_IPV6_ROUTE | RTMGRP_LINK, SOCK_NONBLOCK)) == NULL)
		goto out_close;
	return nb;
out_close:
	e = errno;
	neigh_close(nb);
	errno = e;
	return NULL;
}

void
neigh_close(struct neigh *nb)
{
	if (nb == NULL)
		return;
	if (nb->nb_req != NULL)
		mnl_socket_close(nb->nb_req);
	if (nb->nb_ev != NULL)
		mnl_socket_close(nb->nb_ev);
	free(nb->nb_buf);
	free(nb);
}

int
neigh_event_fd(const struct neigh *nb)
{
	return mnl_socket_get_fd(nb->nb_ev);
}

/* A change on an interface uvsd does not serve moves none of its hops. */
static bool
event_matters(const struct neigh *nb, const struct nlmsghdr *nlh)
{
	const struct ndmsg	*ndm;

	switch (nlh->nlmsg_type) {
	case RTM_NEWNEIGH:
	case RTM_DELNEIGH:
		if (nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
			return false;
		ndm = mnl_nlmsg_get_payload(nlh);
		return iface_slot(nb->nb_ifs, nb->nb_n, ndm->ndm_ifindex) >= 0;
	case RTM_NEWROUTE:
	case RTM_DELROUTE:
	/* IPv4 removes routes of a link going down without a word. */
	case RTM_NEWLINK:
	case RTM_DELLINK:
		return true;
	default:
		return false;
	}
}

int
neigh_read_events(struct neigh *nb)
{
	const struct nlmsghdr	*nlh;
	ssize_t			 len;
	int			 left, changed = 0;

	for (;;) {
		len = recv(mnl_socket_get_fd(nb->nb_ev), nb->nb_buf,
		    NEIGH_BUF_SIZE, MSG_DONTWAIT);
		if (len == -1) {
			if (errno == EINTR)
				continue;
			/* Overrun: events were lost, assume the worst. */
			if (errno == ENOBUFS)
				changed = 1;
			break;
		}
		if (len == 0)
			break;
		left = (int)len;
		for (nlh = (const struct nlmsghdr *)nb->nb_buf;
		    mnl_nlmsg_ok(nlh, left); nlh = mnl_nlmsg_next(nlh, &left))
			if (event_matters(nb, nlh))
				changed = 1;
	}
	return changed;
}

/* Drop answers to questions a timeout gave up on. */
static void
req_drain(struct neigh *nb)
{
	while (recv(mnl_socket_get_fd(nb->nb_req), nb->nb_buf, NEIGH_BUF_SIZE,
	    MSG_DONTWAIT) > 0)
		;
}

/* Send <nlh>, feed the answers to <cb> until the ACK.  0 or -errno. */
static int
req_talk(struct neigh *nb, struct nlmsghdr *nlh, mnl_cb_t cb, void *data)
{
	uint32_t	 portid = mnl_socket_get_portid(nb->nb_req);
	ssize_t		 len;
	int		 r;

	req_drain(nb);
	nlh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = ++nb->nb_seq;
	if (mnl_socket_sendto(nb->nb_req, nlh, nlh->nlmsg_len) == -1)
		return -errno;
	do {
		len = mnl_socket_recvfrom(nb->nb_req, nb->nb_buf,
		    NEIGH_BUF_SIZE);
		if (len == -1)
			return errno == EAGAIN ? -ETIMEDOUT : -errno;
		r = mnl_cb_run(nb->nb_buf, (size_t)len, nlh->nlmsg_seq, portid,
		    cb, data);
	} while (r > 0);
	return r < 0 ? -errno : 0;
}

static int
route_attr(const struct nlattr *attr, void *data)
{
	const struct rtvia	*via;
	struct route_ans	*ra = data;
	uint16_t		 len = mnl_attr_get_payload_len(attr);

	switch (mnl_attr_get_type(attr)) {
	case RTA_OIF:
		if (len == 4)
			ra->ra_oif = (int)mnl_attr_get_u32(attr);
		break;
	case RTA_PREFSRC:
		if (len != 4 && len != 16)
			break;
		ra->ra_src.a_af = len == 4 ? AF_INET : AF_INET6;
		memcpy(&ra->ra_src.a, mnl_attr_get_payload(attr), len);
		break;
	case RTA_GATEWAY:
		if (len != 4 && len != 16)
			break;
		ra->ra_gw.a_af = len == 4 ? AF_INET : AF_INET6;
		memcpy(&ra->ra_gw.a, mnl_attr_get_payload(attr), len);
		break;
	case RTA_VIA:
		/* An IPv4 route through an IPv6 next hop. */
		via = mnl_attr_get_payload(attr);
		if (len < sizeof(*via) || (via->rtvia_family != AF_INET &&
		    via->rtvia_family != AF_INET6) ||
		    len < sizeof(*via) + addr_len(via->rtvia_family))
			break;
		ra->ra_gw.a_af = via->rtvia_family;
		memcpy(&ra->ra_gw.a, via->rtvia_addr,
		    addr_len(via->rtvia_family));
		break;
	}
	return MNL_CB_OK;
}

static int
route_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct rtmsg	*rtm;
	struct route_ans	*ra = data;

	if (nlh->nlmsg_type != RTM_NEWROUTE ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*rtm)))
		return MNL_CB_OK;
	rtm = mnl_nlmsg_get_payload(nlh);
	ra->ra_type = rtm->rtm_type;
	return mnl_attr_parse(nlh, sizeof(*rtm), route_attr, ra);
}

static int
route_get(struct neigh *nb, const struct addr *dst, struct route_ans *ra)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct rtmsg	*rtm;
	int		 r;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETROUTE;
	rtm = mnl_nlmsg_put_extra_header(nlh, sizeof(*rtm));
	rtm->rtm_family = dst->a_af;
	rtm->rtm_dst_len = addr_len(dst->a_af) * 8;
	mnl_attr_put(nlh, RTA_DST, addr_len(dst->a_af), &dst->a);
	memset(ra, 0, sizeof(*ra));
	ra->ra_type = RTN_UNSPEC;
	if ((r = req_talk(nb, nlh, route_cb, ra)) < 0)
		/* unreachable, prohibit and blackhole routes answer so */
		return r == -EHOSTUNREACH || r == -EACCES || r == -EINVAL ?
		    -ENETUNREACH : r;
	if (ra->ra_type == RTN_LOCAL)
		return -EINVAL;
	if (ra->ra_type != RTN_UNICAST || ra->ra_oif == 0)
		return -ENETUNREACH;
	return 0;
}

static int
neigh_attr(const struct nlattr *attr, void *data)
{
	const struct nlattr	**tb = data;
	uint16_t		 type = mnl_attr_get_type(attr);

	if (type == NDA_DST || type == NDA_LLADDR)
		tb[type] = attr;
	return MNL_CB_OK;
}

static int
neigh_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct nlattr	*tb[NDA_MAX + 1] = { NULL };
	const struct ndmsg	*ndm;
	struct neigh_ans	*na = data;
	const struct addr	*dst = na->na_dst;

	if (nlh->nlmsg_type != RTM_NEWNEIGH ||
	    nlh->nlmsg_len < NLMSG_LENGTH(sizeof(*ndm)))
		return MNL_CB_OK;
	ndm = mnl_nlmsg_get_payload(nlh);
	if (mnl_attr_parse(nlh, sizeof(*ndm), neigh_attr, tb) < 0)
		return MNL_CB_ERROR;
	/* A dump answers with every neighbour: pick ours. */
	if (ndm->ndm_ifindex != na->na_ifindex || ndm->ndm_family != dst->a_af ||
	    tb[NDA_DST] == NULL ||
	    mnl_attr_get_payload_len(tb[NDA_DST]) != addr_len(dst->a_af) ||
	    memcmp(mnl_attr_get_payload(tb[NDA_DST]), &dst->a,
	    addr_len(dst->a_af)) != 0)
		return MNL_CB_OK;
	na->na_found = true;
	na->na_state = ndm->ndm_state;
	na->na_has_mac = tb[NDA_LLADDR] != NULL &&
	    mnl_attr_get_payload_len(tb[NDA_LLADDR]) == 6;
	if (na->na_has_mac)
		memcpy(na->na_mac, mnl_attr_get_payload(tb[NDA_LLADDR]), 6);
	return MNL_CB_OK;
}

/* RTM_GETNEIGH for <dst> on <ifindex>; a dump where single GETs fail. */
static int
neigh_get(struct neigh *nb, const struct addr *dst, int ifindex,
    struct neigh_ans *na)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct ndmsg	*ndm;
	int		 r;

	memset(na, 0, sizeof(*na));
	na->na_ifindex = ifindex;
	na->na_dst = dst;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = dst->a_af;
	ndm->ndm_ifindex = ifindex;
	mnl_attr_put(nlh, NDA_DST, addr_len(dst->a_af), &dst->a);
	r = req_talk(nb, nlh, neigh_cb, na);
	if (r == -ENOENT)
		return 0;
	/* Before Linux 4.20 a single neighbour could not be asked for. */
	if (r != -EINVAL && r != -EOPNOTSUPP)
		return r;
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_GETNEIGH;
	nlh->nlmsg_flags = NLM_F_DUMP;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = dst->a_af;
	return req_talk(nb, nlh, neigh_cb, na);
}

/* Have the kernel resolve <dst> on <ifindex>, as a waiting packet would. */
static int
neigh_use(struct neigh *nb, const struct addr *dst, int ifindex)
{
	char		 buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr	*nlh;
	struct ndmsg	*ndm;

	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWNEIGH;
	nlh->nlmsg_flags = NLM_F_CREATE | NLM_F_REPLACE;
	ndm = mnl_nlmsg_put_extra_header(nlh, sizeof(*ndm));
	ndm->ndm_family = dst->a_af;
	ndm->ndm_ifindex = ifindex;
	ndm->ndm_state = NUD_NONE;
	ndm->ndm_flags = NTF_USE;
	mnl_attr_put(nlh, NDA_DST, addr_len(dst->a_af), &dst->a);
	return req_talk(nb, nlh, NULL, NULL);
}

int
neigh_resolve(struct neigh *nb, const struct addr *dst, uint64_t *ret_nh,
    union inaddr *ret_src)
{
	struct route_ans	 ra;
	struct neigh_ans	 na;
	const struct addr	*hop;
	int			 slot, r;

	if (dst->a_af != AF_INET && dst->a_af != AF_INET6)
		return -EAFNOSUPPORT;
	if ((r = route_get(nb, dst, &ra)) < 0)
		return r;
	if ((slot = iface_slot(nb->nb_ifs, nb->nb_n, ra.ra_oif)) < 0)
		return -ENODEV;
	hop = ra.ra_gw.a_af != 0 ? &ra.ra_gw : dst;
	if (ret_src != NULL) {
		/* Tunnels leave from our address toward <dst>, as IPVS's. */
		if (ra.ra_src.a_af == dst->a_af)
			*ret_src = ra.ra_src.a;
		else
			memset(ret_src, 0, sizeof(*ret_src));
	}
	if ((r = neigh_get(nb, hop, ra.ra_oif, &na)) < 0)
		return r;
	if (na.na_found && (na.na_state & NUD_USABLE)) {
		/* A usable entry without a MAC: not an Ethernet neighbour. */
		if (!na.na_has_mac)
			return -EOPNOTSUPP;
		*ret_nh = NH_MAKE(nh_mac_pack(na.na_mac), slot);
		return 0;
	}
	if ((r = neigh_use(nb, hop, ra.ra_oif)) < 0)
		return r;
	return -EAGAIN;
}
