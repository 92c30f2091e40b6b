/* probe: the packet harness's traffic tool (tests/packet/run.sh builds it).
 *
 *   probe serve PORT...
 *       Listen on TCP and UDP on every PORT, IPv4 and IPv6, on every address.
 *       A TCP connection gets back what it sends ("echo:" + data), then is
 *       closed; a UDP datagram is answered from the address it was sent to.
 *       Prints "ready" on standard output once every socket is bound.
 *   probe tcp  SRC DST PORT [-s SPORT] [-w MS] [-x]
 *   probe udp  SRC DST PORT [-s SPORT] [-w MS] [-x]
 *   probe icmp SRC DST      [-s ID]    [-w MS] [-x]
 *   probe tcpack SRC DST PORT [-s SPORT] [-w MS]
 *       Send one probe from SRC (an address of this host) and print one line:
 *       "accept", "drop" or "reject", then a detail in parentheses; for
 *       "reject" the detail starts with what refused: "reset" (TCP reset),
 *       "admin-prohibited" or "port-unreachable" (that ICMP/ICMPv6 error) or
 *       "icmp-error" (another one).
 *         tcp : accept = connected and the data came back; drop = no answer
 *               within MS; reject = refused or an ICMP error at once (a
 *               listener is always there, so only the firewall refuses).
 *               A connection whose data does not come back prints "half".
 *         udp : accept = the answer came; drop = silence; reject = an ICMP
 *               error (ECONNREFUSED, EACCES, EHOSTUNREACH... on the socket).
 *         icmp: accept = echo reply; drop = nothing; reject = an ICMP
 *               destination-unreachable about this echo request.
 *         tcpack: a bare ACK of no connection (conntrack: invalid, when the
 *               router has nf_conntrack_tcp_loose=0); accept = the host
 *               answered with a reset; drop = nothing came back.
 *       SPORT/ID pin the source port or echo id, so that every probe of a run
 *       has a conntrack tuple of its own.  MS defaults to 1000.
 *       -x (IPv6 only) puts a destination-options extension header in front
 *       of the TCP, UDP or ICMPv6 header of every packet sent.
 *   probe tcpforged SRC DST PORT -f NETNS [-s SPORT] [-w MS]
 *   probe udpforged SRC DST PORT -f NETNS [-s SPORT] [-w MS]
 *       The forged-reply attack, then the tcp or udp probe above.  First a
 *       packet that claims to come from DST:PORT, addressed to SRC:SPORT, is
 *       sent from the network namespace NETNS (a path such as
 *       /run/netns/NAME: the attacker's second host, whose packets cross the
 *       router to SRC); for tcp it is a SYN, for udp a datagram.  A router
 *       that lets it through records a flow DST:PORT -> SRC:SPORT, and the
 *       probe proper, SRC:SPORT -> DST:PORT, then looks like its reply.
 *       The verdict's detail ends with whether the forged packet reached this
 *       host (waited for up to MS/2).  For tcp this host must not answer the
 *       forged SYN with a reset (which would end the flow on the router): the
 *       harness drops incoming pure SYNs to the probes' source ports here.
 *   Exit status: 0 a verdict was printed, 2 usage or system error.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/icmp6.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/ip_icmp.h>
#include <linux/errqueue.h>
#include <linux/if_packet.h>
#include <linux/if_ether.h>
#include <poll.h>
#include <sched.h>
#include <stdarg.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static const char *prog = "probe";

static void die(const char *what)
{
	fprintf(stderr, "%s: %s: %s\n", prog, what, strerror(errno));
	printf("error (%s: %s)\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fprintf(stderr, "usage: probe serve PORT...\n"
			"       probe tcp|udp SRC DST PORT [-s SPORT] [-w MS] [-x]\n"
			"       probe icmp SRC DST [-s ID] [-w MS] [-x]\n"
			"       probe tcpack SRC DST PORT [-s SPORT] [-w MS]\n"
			"       probe tcpforged|udpforged SRC DST PORT -f NETNS [-s SPORT] [-w MS]\n");
	exit(2);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Waits until fd is readable or the deadline (now_ms() time) passes;
 * returns poll's revents, or 0 at the deadline. */
static short wait_readable(int fd, long end)
{
	long left = end - now_ms();
	if (left <= 0)
		return 0;
	struct pollfd p = {fd, POLLIN, 0};
	int n = poll(&p, 1, (int)left);
	if (n < 0)
		die("poll");
	return n == 0 ? 0 : p.revents;
}

/* An address with its family, parsed from text. */
struct addr {
	int family;
	struct sockaddr_storage ss;
	socklen_t len;
};

static int parse_addr(const char *s, unsigned port, struct addr *a)
{
	memset(a, 0, sizeof *a);
	struct sockaddr_in *s4 = (struct sockaddr_in *)&a->ss;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&a->ss;
	if (inet_pton(AF_INET, s, &s4->sin_addr) == 1) {
		a->family = s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		a->len = sizeof *s4;
		return 0;
	}
	if (inet_pton(AF_INET6, s, &s6->sin6_addr) == 1) {
		a->family = s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		a->len = sizeof *s6;
		return 0;
	}
	return -1;
}

/* ---------------------------------------------------------------- serve */

#define MAXCONN 1024
struct conn {
	int fd;
	long deadline;
};

/* As PID 1 of a container, serve has no default action for SIGTERM: exit on it. */
static void on_term(int sig)
{
	(void)sig;
	_exit(0);
}

static void serve(int nports, char **ports)
{
	int nfd = 0, cap = nports * 4 + MAXCONN;
	struct pollfd *pfd = calloc(cap, sizeof *pfd);
	int *kind = calloc(cap, sizeof *kind); /* 0 tcp listener, 1 udp4, 2 udp6, 3 conn */
	long *deadline = calloc(cap, sizeof *deadline);
	if (!pfd || !kind || !deadline)
		die("calloc");
	signal(SIGPIPE, SIG_IGN);
	signal(SIGTERM, on_term);
	for (int i = 0; i < nports; i++) {
		char *end;
		long p = strtol(ports[i], &end, 10);
		if (*end || p < 1 || p > 65535)
			usage();
		for (int fam = 0; fam < 2; fam++) {
			int af = fam ? AF_INET6 : AF_INET;
			for (int udp = 0; udp < 2; udp++) {
				int fd = socket(af, (udp ? SOCK_DGRAM : SOCK_STREAM) | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
				if (fd < 0)
					die("socket");
				int one = 1;
				setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
				struct addr a;
				if (af == AF_INET6) {
					setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof one);
					parse_addr("::", p, &a);
					if (udp)
						setsockopt(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO, &one, sizeof one);
				} else {
					parse_addr("0.0.0.0", p, &a);
					if (udp)
						setsockopt(fd, IPPROTO_IP, IP_PKTINFO, &one, sizeof one);
				}
				if (bind(fd, (struct sockaddr *)&a.ss, a.len) < 0) {
					char msg[64];
					snprintf(msg, sizeof msg, "bind %s port %ld", udp ? "udp" : "tcp", p);
					die(msg);
				}
				if (!udp && listen(fd, 128) < 0)
					die("listen");
				pfd[nfd].fd = fd;
				pfd[nfd].events = POLLIN;
				kind[nfd] = udp ? (af == AF_INET ? 1 : 2) : 0;
				nfd++;
			}
		}
	}
	int nlisten = nfd;
	printf("ready\n");
	fflush(stdout);
	for (;;) {
		int n = poll(pfd, nfd, 500);
		if (n < 0 && errno != EINTR)
			die("poll");
		long t = now_ms();
		for (int i = 0; i < nfd; i++) {
			if (kind[i] == 3 && !pfd[i].revents && t > deadline[i]) {
				close(pfd[i].fd);
				pfd[i].fd = -1;
				continue;
			}
			if (!pfd[i].revents)
				continue;
			if (kind[i] == 0) {
				int c = accept4(pfd[i].fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
				if (c < 0)
					continue;
				if (nfd >= cap) {
					close(c);
					continue;
				}
				pfd[nfd].fd = c;
				pfd[nfd].events = POLLIN;
				pfd[nfd].revents = 0;
				kind[nfd] = 3;
				deadline[nfd] = t + 5000;
				nfd++;
			} else if (kind[i] == 3) {
				char buf[512], out[600];
				ssize_t r = read(pfd[i].fd, buf, sizeof buf);
				if (r > 0) {
					int m = snprintf(out, sizeof out, "echo:%.*s", (int)r, buf);
					if (write(pfd[i].fd, out, m) < 0) {
						/* the client has gone: nothing to do */
					}
				}
				close(pfd[i].fd);
				pfd[i].fd = -1;
			} else {
				/* UDP: answer from the address the datagram was sent to */
				char buf[512], out[600];
				char cbuf[256];
				struct sockaddr_storage from;
				struct iovec iov = {buf, sizeof buf};
				struct msghdr mh = {0};
				mh.msg_name = &from;
				mh.msg_namelen = sizeof from;
				mh.msg_iov = &iov;
				mh.msg_iovlen = 1;
				mh.msg_control = cbuf;
				mh.msg_controllen = sizeof cbuf;
				ssize_t r = recvmsg(pfd[i].fd, &mh, 0);
				if (r < 0)
					continue;
				char obuf[256];
				memset(obuf, 0, sizeof obuf);
				struct msghdr om = {0};
				int m = snprintf(out, sizeof out, "echo:%.*s", (int)r, buf);
				struct iovec oiov = {out, (size_t)m};
				om.msg_name = &from;
				om.msg_namelen = mh.msg_namelen;
				om.msg_iov = &oiov;
				om.msg_iovlen = 1;
				om.msg_control = obuf;
				for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
					if (c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_PKTINFO) {
						struct in_pktinfo pi;
						memcpy(&pi, CMSG_DATA(c), sizeof pi);
						pi.ipi_spec_dst = pi.ipi_addr;
						pi.ipi_ifindex = 0;
						om.msg_controllen = CMSG_SPACE(sizeof pi);
						struct cmsghdr *o = CMSG_FIRSTHDR(&om);
						o->cmsg_level = IPPROTO_IP;
						o->cmsg_type = IP_PKTINFO;
						o->cmsg_len = CMSG_LEN(sizeof pi);
						memcpy(CMSG_DATA(o), &pi, sizeof pi);
					} else if (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_PKTINFO) {
						struct in6_pktinfo pi;
						memcpy(&pi, CMSG_DATA(c), sizeof pi);
						pi.ipi6_ifindex = 0;
						om.msg_controllen = CMSG_SPACE(sizeof pi);
						struct cmsghdr *o = CMSG_FIRSTHDR(&om);
						o->cmsg_level = IPPROTO_IPV6;
						o->cmsg_type = IPV6_PKTINFO;
						o->cmsg_len = CMSG_LEN(sizeof pi);
						memcpy(CMSG_DATA(o), &pi, sizeof pi);
					}
				}
				if (!om.msg_controllen)
					om.msg_control = NULL;
				if (sendmsg(pfd[i].fd, &om, 0) < 0) {
					/* unreachable sender: nothing to do */
				}
			}
		}
		/* compact closed connections */
		int j = nlisten;
		for (int i = nlisten; i < nfd; i++) {
			if (pfd[i].fd < 0)
				continue;
			pfd[j] = pfd[i];
			kind[j] = kind[i];
			deadline[j] = deadline[i];
			j++;
		}
		nfd = j;
	}
}

/* ---------------------------------------------------------------- clients */

static int wait_ms = 1000;
static int ext_header; /* -x: send with an IPv6 destination-options header */
static const char *note; /* forged probes: what became of the forged packet */

/* Prints the verdict line FMT ("VERDICT (DETAIL)"), with the note, if any,
 * added to the detail. */
static void say(const char *fmt, ...)
{
	char line[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	size_t n = strlen(line);
	if (note && n && line[n - 1] == ')')
		printf("%.*s; %s)\n", (int)(n - 1), line, note);
	else
		printf("%s\n", line);
}

/* With -x, every packet of the socket carries an IPv6 extension header (a
 * destination-options header holding one PadN option) before the layer-4
 * header, which only a match that walks extension headers still sees. */
static void maybe_ext_header(int fd, int family)
{
	static const unsigned char dstopts[8] = {0, 0, 1, 4, 0, 0, 0, 0};
	if (!ext_header)
		return;
	if (family != AF_INET6) {
		fprintf(stderr, "%s: -x needs IPv6 addresses\n", prog);
		exit(2);
	}
	if (setsockopt(fd, IPPROTO_IPV6, IPV6_DSTOPTS, dstopts, sizeof dstopts) < 0)
		die("IPV6_DSTOPTS");
}

static const char *errname(int e)
{
	switch (e) {
	case ECONNREFUSED: return "ECONNREFUSED";
	case ECONNRESET: return "ECONNRESET";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	case ENETUNREACH: return "ENETUNREACH";
	case EACCES: return "EACCES";
	case EPERM: return "EPERM";
	case ETIMEDOUT: return "ETIMEDOUT";
	case EPROTO: return "EPROTO";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	default: return strerror(e);
	}
}

/* The kind of an ICMP error, as the harness checks it: a d6c reject sends
 * administratively-prohibited; a host with no listener, port-unreachable. */
static const char *icmp_kind(int v6, unsigned type, unsigned code)
{
	if (v6 ? type == 1 && code == 1 : type == 3 && code == 13)
		return "admin-prohibited";
	if (v6 ? type == 1 && code == 4 : type == 3 && code == 3)
		return "port-unreachable";
	return "icmp-error";
}

/* An ICMP error reported on a socket: the firewall refused. */
static int is_reject_errno(int e)
{
	return e == ECONNREFUSED || e == EHOSTUNREACH || e == ENETUNREACH || e == EACCES ||
	       e == EPROTO || e == ENOPROTOOPT;
}

static int client_socket(int type, const char *src, const char *dst, unsigned port, unsigned sport,
			 struct addr *d)
{
	struct addr s;
	if (parse_addr(src, sport, &s) < 0 || parse_addr(dst, port, d) < 0) {
		fprintf(stderr, "%s: bad address\n", prog);
		usage();
	}
	if (s.family != d->family) {
		fprintf(stderr, "%s: %s and %s are of different families\n", prog, src, dst);
		exit(2);
	}
	int fd = socket(d->family, type | SOCK_CLOEXEC, 0);
	if (fd < 0)
		die("socket");
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	maybe_ext_header(fd, d->family);
	if (bind(fd, (struct sockaddr *)&s.ss, s.len) < 0)
		die("bind source");
	return fd;
}

/* Connects the bound TCP socket fd to d, sends data and waits for the echo;
 * prints the verdict. */
static int tcp_exchange(int fd, const struct addr *d)
{
	/* no lingering on close: a reset, so the source port is free at once */
	struct linger lg = {1, 0};
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &lg, sizeof lg);
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK);
	long t0 = now_ms();
	if (connect(fd, (struct sockaddr *)&d->ss, d->len) < 0 && errno != EINPROGRESS) {
		int e = errno;
		say("%s (%s: connect: %s)", is_reject_errno(e) ? "reject" : "error",
		    e == ECONNREFUSED ? "reset" : "icmp-error", errname(e));
		return is_reject_errno(e) ? 0 : 2;
	}
	struct pollfd p = {fd, POLLOUT, 0};
	int n = poll(&p, 1, wait_ms);
	if (n < 0)
		die("poll");
	if (n == 0) {
		say("drop (no answer to SYN in %d ms)", wait_ms);
		return 0;
	}
	int e = 0;
	socklen_t el = sizeof e;
	getsockopt(fd, SOL_SOCKET, SO_ERROR, &e, &el);
	if (e) {
		say("%s (%s: %s after %ld ms)", is_reject_errno(e) ? "reject" : "error",
		    e == ECONNREFUSED ? "reset" : "icmp-error", errname(e), now_ms() - t0);
		return is_reject_errno(e) ? 0 : 2;
	}
	/* connected: the data must come back, or the replies are not passing */
	const char msg[] = "d6c-probe";
	if (write(fd, msg, sizeof msg - 1) < 0) {
		say("half (connected, write: %s)", errname(errno));
		return 0;
	}
	char buf[64];
	size_t got = 0;
	long end = now_ms() + wait_ms;
	while (got < sizeof buf - 1 && wait_readable(fd, end)) {
		ssize_t r = read(fd, buf + got, sizeof buf - 1 - got);
		if (r < 0) {
			say("half (connected, read: %s)", errname(errno));
			return 0;
		}
		if (r == 0)
			break;
		got += r;
	}
	buf[got] = 0;
	if (strcmp(buf, "echo:d6c-probe") == 0)
		say("accept (connected, data echoed)");
	else
		say("half (connected, but %s)", got ? "wrong data came back" : "no data came back");
	return 0;
}

static int probe_tcp(const char *src, const char *dst, unsigned port, unsigned sport)
{
	struct addr d;
	int fd = client_socket(SOCK_STREAM, src, dst, port, sport, &d);
	return tcp_exchange(fd, &d);
}

/* Connects the bound UDP socket fd to d, sends a datagram and waits for the
 * answer; prints the verdict. */
static int udp_exchange(int fd, const struct addr *d)
{
	int one = 1;
	if (d->family == AF_INET)
		setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one);
	else
		setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&d->ss, d->len) < 0)
		die("connect");
	const char msg[] = "d6c-probe";
	if (send(fd, msg, sizeof msg - 1, 0) < 0) {
		int e = errno;
		say("%s (icmp-error: send: %s)", is_reject_errno(e) ? "reject" : "error", errname(e));
		return is_reject_errno(e) ? 0 : 2;
	}
	long end = now_ms() + wait_ms;
	for (;;) {
		short revents = wait_readable(fd, end);
		if (!revents)
			break;
		if (revents & POLLERR) {
			/* the ICMP error itself, from the error queue (IP_RECVERR) */
			char cbuf[512], dbuf[64];
			struct iovec iov = {dbuf, sizeof dbuf};
			struct msghdr mh = {0};
			mh.msg_iov = &iov;
			mh.msg_iovlen = 1;
			mh.msg_control = cbuf;
			mh.msg_controllen = sizeof cbuf;
			if (recvmsg(fd, &mh, MSG_ERRQUEUE | MSG_DONTWAIT) >= 0) {
				for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
					if (!((c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR) ||
					      (c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR)))
						continue;
					struct sock_extended_err ee;
					memcpy(&ee, CMSG_DATA(c), sizeof ee);
					int v6 = ee.ee_origin == SO_EE_ORIGIN_ICMP6;
					if (!v6 && ee.ee_origin != SO_EE_ORIGIN_ICMP)
						continue;
					say("reject (%s: %s type %u code %u, %s)", icmp_kind(v6, ee.ee_type, ee.ee_code),
					    v6 ? "ICMPv6" : "ICMP", ee.ee_type, ee.ee_code, errname(ee.ee_errno));
					return 0;
				}
			}
		}
		char buf[64];
		ssize_t r = recv(fd, buf, sizeof buf - 1, MSG_DONTWAIT);
		if (r < 0) {
			int e = errno;
			if (e == EAGAIN)
				continue;
			say("%s (icmp-error: %s)", is_reject_errno(e) ? "reject" : "error", errname(e));
			return is_reject_errno(e) ? 0 : 2;
		}
		buf[r] = 0;
		if (strcmp(buf, "echo:d6c-probe") == 0) {
			say("accept (answered)");
			return 0;
		}
	}
	say("drop (no answer in %d ms)", wait_ms);
	return 0;
}

static int probe_udp(const char *src, const char *dst, unsigned port, unsigned sport)
{
	struct addr d;
	int fd = client_socket(SOCK_DGRAM, src, dst, port, sport, &d);
	return udp_exchange(fd, &d);
}

static uint16_t csum(const void *data, size_t len)
{
	const uint8_t *b = data;
	uint32_t s = 0;
	for (size_t i = 0; i + 1 < len; i += 2)
		s += (uint32_t)b[i] << 8 | b[i + 1];
	if (len & 1)
		s += (uint32_t)b[len - 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return htons((uint16_t)~s);
}

static int probe_icmp(const char *src, const char *dst, unsigned id)
{
	struct addr s, d;
	if (parse_addr(src, 0, &s) < 0 || parse_addr(dst, 0, &d) < 0)
		usage();
	if (s.family != d.family) {
		fprintf(stderr, "%s: %s and %s are of different families\n", prog, src, dst);
		exit(2);
	}
	int v6 = d.family == AF_INET6;
	int fd = socket(d.family, SOCK_RAW | SOCK_CLOEXEC, v6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
	if (fd < 0)
		die("raw socket");
	maybe_ext_header(fd, d.family);
	if (bind(fd, (struct sockaddr *)&s.ss, s.len) < 0)
		die("bind source");
	uint16_t seq = (uint16_t)(getpid() & 0xffff);
	unsigned char pkt[64];
	memset(pkt, 0, sizeof pkt);
	pkt[0] = v6 ? ICMP6_ECHO_REQUEST : ICMP_ECHO;
	pkt[4] = id >> 8 & 0xff;
	pkt[5] = id & 0xff;
	pkt[6] = seq >> 8;
	pkt[7] = seq & 0xff;
	memcpy(pkt + 8, "d6c-probe", 9);
	size_t plen = 8 + 9;
	if (!v6) {
		uint16_t c = csum(pkt, plen);
		memcpy(pkt + 2, &c, 2);
	} /* the kernel computes the ICMPv6 checksum */
	if (sendto(fd, pkt, plen, 0, (struct sockaddr *)&d.ss, d.len) < 0) {
		int e = errno;
		printf("%s (icmp-error: sendto: %s)\n", is_reject_errno(e) ? "reject" : "error", errname(e));
		return is_reject_errno(e) ? 0 : 2;
	}
	long end = now_ms() + wait_ms;
	for (;;) {
		short revents = wait_readable(fd, end);
		if (!revents)
			break;
		unsigned char buf[1500];
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t r = recvfrom(fd, buf, sizeof buf, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (r < 0)
			continue;
		unsigned char *icmp = buf;
		size_t len = r;
		if (!v6) { /* IPv4 raw sockets see the IP header */
			size_t hl = (buf[0] & 0x0f) * 4;
			if (len < hl + 8)
				continue;
			icmp += hl;
			len -= hl;
		}
		if (len < 8)
			continue;
		unsigned type = icmp[0], code = icmp[1];
		unsigned rid = icmp[4] << 8 | icmp[5], rseq = icmp[6] << 8 | icmp[7];
		int is_reply = v6 ? type == ICMP6_ECHO_REPLY : type == ICMP_ECHOREPLY;
		if (is_reply) {
			int same_src = v6 ? !memcmp(&((struct sockaddr_in6 *)&from)->sin6_addr,
						    &((struct sockaddr_in6 *)&d.ss)->sin6_addr, 16)
					  : ((struct sockaddr_in *)&from)->sin_addr.s_addr ==
						    ((struct sockaddr_in *)&d.ss)->sin_addr.s_addr;
			if (rid == id && rseq == seq && same_src) {
				printf("accept (echo reply)\n");
				return 0;
			}
			continue;
		}
		int is_unreach = v6 ? type == ICMP6_DST_UNREACH : type == ICMP_DEST_UNREACH;
		if (!is_unreach)
			continue;
		/* the quoted packet must be our echo request */
		unsigned char *in = icmp + 8;
		size_t ilen = len - 8;
		unsigned char *q;
		if (v6) {
			if (ilen < 40 + 8)
				continue;
			unsigned nh = in[6];
			size_t off = 40;
			/* skip the extension headers that -x or a router may add */
			while ((nh == 0 || nh == 43 || nh == 60) && off + 8 <= ilen) {
				nh = in[off];
				off += (in[off + 1] + 1) * 8;
			}
			if (nh != IPPROTO_ICMPV6 || off + 8 > ilen)
				continue;
			q = in + off;
		} else {
			size_t ihl = (in[0] & 0x0f) * 4;
			if (ilen < ihl + 8 || in[9] != IPPROTO_ICMP)
				continue;
			q = in + ihl;
		}
		if (q[0] != pkt[0] || (unsigned)(q[4] << 8 | q[5]) != id || (unsigned)(q[6] << 8 | q[7]) != seq)
			continue;
		printf("reject (%s: %s type %u code %u)\n", icmp_kind(v6, type, code), v6 ? "ICMPv6" : "ICMP",
		       type, code);
		return 0;
	}
	printf("drop (no echo reply in %d ms)\n", wait_ms);
	return 0;
}


/* A bare TCP ACK that belongs to no connection: conntrack marks it invalid
 * (with nf_conntrack_tcp_loose=0 on the router).  If it gets through, the
 * destination host answers with a reset. */
static int probe_tcpack(const char *src, const char *dst, unsigned port, unsigned sport)
{
	struct addr s, d;
	if (parse_addr(src, 0, &s) < 0 || parse_addr(dst, 0, &d) < 0)
		usage();
	if (s.family != d.family) {
		fprintf(stderr, "%s: %s and %s are of different families\n", prog, src, dst);
		exit(2);
	}
	if (!sport)
		sport = 20000 + (unsigned)(getpid() % 10000);
	int v6 = d.family == AF_INET6;
	int fd = socket(d.family, SOCK_RAW | SOCK_CLOEXEC, IPPROTO_TCP);
	if (fd < 0)
		die("raw socket");
	if (bind(fd, (struct sockaddr *)&s.ss, s.len) < 0)
		die("bind source");
	const unsigned char *sa, *da;
	size_t alen = v6 ? 16 : 4;
	if (v6) {
		sa = (const unsigned char *)&((struct sockaddr_in6 *)&s.ss)->sin6_addr;
		da = (const unsigned char *)&((struct sockaddr_in6 *)&d.ss)->sin6_addr;
	} else {
		sa = (const unsigned char *)&((struct sockaddr_in *)&s.ss)->sin_addr;
		da = (const unsigned char *)&((struct sockaddr_in *)&d.ss)->sin_addr;
	}
	/* pseudo-header + 20-byte TCP header, checksummed together */
	unsigned char buf[2 * 16 + 8 + 20];
	size_t ph = 2 * alen + (v6 ? 8 : 4);
	memset(buf, 0, sizeof buf);
	memcpy(buf, sa, alen);
	memcpy(buf + alen, da, alen);
	if (v6) {
		buf[2 * alen + 3] = 20;
		buf[2 * alen + 7] = IPPROTO_TCP;
	} else {
		buf[2 * alen + 1] = IPPROTO_TCP;
		buf[2 * alen + 3] = 20;
	}
	unsigned char *th = buf + ph;
	uint32_t seq = 0x1234567u ^ (uint32_t)getpid(), ack = 0x7654321u;
	th[0] = sport >> 8; th[1] = sport & 0xff;
	th[2] = port >> 8; th[3] = port & 0xff;
	th[4] = seq >> 24; th[5] = seq >> 16; th[6] = seq >> 8; th[7] = seq;
	th[8] = ack >> 24; th[9] = ack >> 16; th[10] = ack >> 8; th[11] = ack;
	th[12] = 5 << 4;
	th[13] = 0x10; /* ACK */
	th[14] = 0xff; th[15] = 0xff;
	uint16_t c = csum(buf, ph + 20);
	memcpy(th + 16, &c, 2);
	if (sendto(fd, th, 20, 0, (struct sockaddr *)&d.ss, d.len) < 0) /* port 0: raw */
		die("sendto");
	long end = now_ms() + wait_ms;
	for (;;) {
		short revents = wait_readable(fd, end);
		if (!revents)
			break;
		unsigned char r[1500];
		struct sockaddr_storage from;
		socklen_t fl = sizeof from;
		ssize_t len = recvfrom(fd, r, sizeof r, MSG_DONTWAIT, (struct sockaddr *)&from, &fl);
		if (len < 0)
			continue;
		unsigned char *t = r;
		if (!v6) {
			size_t hl = (r[0] & 0x0f) * 4;
			if ((size_t)len < hl + 20 || memcmp(r + 12, da, 4))
				continue;
			t += hl;
			len -= hl;
		} else if (len < 20 || memcmp(&((struct sockaddr_in6 *)&from)->sin6_addr, da, 16)) {
			continue;
		}
		if ((unsigned)(t[0] << 8 | t[1]) != port || (unsigned)(t[2] << 8 | t[3]) != sport)
			continue;
		if (t[13] & 0x04) {
			printf("accept (the destination answered the stray ACK with a reset)\n");
			return 0;
		}
	}
	printf("drop (no reset in %d ms)\n", wait_ms);
	return 0;
}

/* ---------------------------------------------------------------- forged */

/* A socket of the network namespace at nspath, bound to the address "from",
 * which need not be local there: IP_TRANSPARENT / IPV6_TRANSPARENT let a
 * socket bind and send from any address (IP_FREEBIND binds, but IPv4 output
 * still refuses a non-local source).  The socket stays in that namespace;
 * this process returns to its own. */
static int forged_socket(int type, const char *nspath, const struct addr *from)
{
	int self = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	if (self < 0)
		die("open /proc/self/ns/net");
	int ns = open(nspath, O_RDONLY | O_CLOEXEC);
	if (ns < 0)
		die(nspath);
	if (setns(ns, CLONE_NEWNET) < 0)
		die("setns to the forging namespace");
	int fd = socket(from->family, type | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		die("socket");
	int one = 1;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (from->family == AF_INET ? setsockopt(fd, SOL_IP, IP_TRANSPARENT, &one, sizeof one)
				    : setsockopt(fd, SOL_IPV6, IPV6_TRANSPARENT, &one, sizeof one))
		die("IP_TRANSPARENT");
	if (bind(fd, (struct sockaddr *)&from->ss, from->len) < 0)
		die("bind forged source");
	if (setns(self, CLONE_NEWNET) < 0)
		die("setns back");
	close(ns);
	close(self);
	return fd;
}

static const unsigned char *addr_bytes(const struct addr *a)
{
	if (a->family == AF_INET6)
		return (const unsigned char *)&((const struct sockaddr_in6 *)&a->ss)->sin6_addr;
	return (const unsigned char *)&((const struct sockaddr_in *)&a->ss)->sin_addr;
}

static unsigned addr_port(const struct addr *a)
{
	if (a->family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)&a->ss)->sin6_port);
	return ntohs(((const struct sockaddr_in *)&a->ss)->sin_port);
}

/* Waits until a packet from -> to of protocol proto (for TCP: a SYN) comes
 * in on any interface of this namespace, or the deadline passes.  fd is a
 * packet socket opened before the packet was sent: it sees the packet before
 * the firewall of this host (which drops the forged SYN) does. */
static int watch_for(int fd, const struct addr *from, const struct addr *to, int proto, long end)
{
	int v6 = from->family == AF_INET6;
	size_t alen = v6 ? 16 : 4;
	while (wait_readable(fd, end)) {
		unsigned char b[256];
		struct sockaddr_ll ll;
		socklen_t ll_len = sizeof ll;
		ssize_t n = recvfrom(fd, b, sizeof b, MSG_DONTWAIT | MSG_TRUNC, (struct sockaddr *)&ll, &ll_len);
		if (n < 0 || ll.sll_pkttype == PACKET_OUTGOING)
			continue;
		if ((size_t)n > sizeof b)
			n = sizeof b;
		size_t l4;
		const unsigned char *sa, *da;
		if (v6) {
			if (n < 48 || b[0] >> 4 != 6 || b[6] != proto)
				continue;
			sa = b + 8, da = b + 24, l4 = 40;
		} else {
			if (n < 28 || b[0] >> 4 != 4 || b[9] != proto)
				continue;
			sa = b + 12, da = b + 16, l4 = (b[0] & 0x0f) * 4;
		}
		if ((size_t)n < l4 + (proto == IPPROTO_TCP ? 14 : 8) || memcmp(sa, addr_bytes(from), alen) ||
		    memcmp(da, addr_bytes(to), alen))
			continue;
		const unsigned char *t = b + l4;
		if ((unsigned)(t[0] << 8 | t[1]) != addr_port(from) || (unsigned)(t[2] << 8 | t[3]) != addr_port(to))
			continue;
		if (proto == IPPROTO_TCP && (t[13] & 0x12) != 0x02)
			continue;
		return 1;
	}
	return 0;
}

/* tcpforged / udpforged: forge DST:PORT -> SRC:SPORT from the namespace at
 * nspath, then probe SRC:SPORT -> DST:PORT as tcp or udp does. */
static int probe_forged(int tcp, const char *src, const char *dst, unsigned port, unsigned sport,
			const char *nspath)
{
	if (!sport)
		sport = 20000 + (unsigned)(getpid() % 10000);
	struct addr d, me, ctr;
	int fd = client_socket(tcp ? SOCK_STREAM : SOCK_DGRAM, src, dst, port, sport, &d);
	parse_addr(src, sport, &me);
	parse_addr(dst, port, &ctr);
	int watch = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, htons(ETH_P_ALL));
	if (watch < 0)
		die("packet socket");
	int f = forged_socket(tcp ? SOCK_STREAM : SOCK_DGRAM, nspath, &ctr);
	/* for tcp, connect() sends the SYN; for udp, one datagram */
	static const char forged[] = "d6c-forged";
	if (tcp ? connect(f, (struct sockaddr *)&me.ss, me.len) < 0 && errno != EINPROGRESS
		: sendto(f, forged, sizeof forged - 1, 0, (struct sockaddr *)&me.ss, me.len) < 0)
		die("send forged packet");
	int half = wait_ms / 2;
	int seen = watch_for(watch, &ctr, &me, tcp ? IPPROTO_TCP : IPPROTO_UDP, now_ms() + half);
	/* closing a socket in SYN-SENT sends nothing, and ends its retransmissions */
	close(f);
	close(watch);
	static char buf[64];
	snprintf(buf, sizeof buf, "forged %s %s", tcp ? "SYN" : "datagram",
		 seen ? "reached the attacker" : "not seen");
	note = buf;
	return tcp ? tcp_exchange(fd, &d) : udp_exchange(fd, &d);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		usage();
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (!strcmp(argv[1], "serve")) {
		if (argc < 3)
			usage();
		serve(argc - 2, argv + 2);
		return 0;
	}
	int icmp = !strcmp(argv[1], "icmp");
	int forged = !strcmp(argv[1], "tcpforged") || !strcmp(argv[1], "udpforged");
	if (!icmp && !forged && strcmp(argv[1], "tcp") && strcmp(argv[1], "udp") && strcmp(argv[1], "tcpack"))
		usage();
	const char *nspath = NULL;
	int npos = icmp ? 2 : 3;
	if (argc < 2 + npos)
		usage();
	const char *src = argv[2], *dst = argv[3];
	unsigned port = 0, sport = 0;
	if (!icmp) {
		char *end;
		long p = strtol(argv[4], &end, 10);
		if (*end || p < 0 || p > 65535)
			usage();
		port = (unsigned)p;
	}
	for (int i = 2 + npos; i < argc; i++) {
		if (!strcmp(argv[i], "-x")) {
			ext_header = 1;
			continue;
		}
		if (i + 1 >= argc)
			usage();
		if (!strcmp(argv[i], "-f") && forged) {
			nspath = argv[++i];
			continue;
		}
		char *end;
		long v = strtol(argv[i + 1], &end, 10);
		if (*end || v < 0)
			usage();
		if (!strcmp(argv[i], "-s") && v <= 65535)
			sport = (unsigned)v;
		else if (!strcmp(argv[i], "-w") && v > 0 && v < 60000)
			wait_ms = (int)v;
		else
			usage();
		i++;
	}
	if (forged) {
		if (!nspath)
			usage();
		return probe_forged(argv[1][0] == 't', src, dst, port, sport, nspath);
	}
	if (icmp)
		return probe_icmp(src, dst, sport ? sport : (unsigned)(getpid() & 0xffff));
	if (!strcmp(argv[1], "tcpack"))
		return probe_tcpack(src, dst, port, sport);
	return argv[1][0] == 't' ? probe_tcp(src, dst, port, sport) : probe_udp(src, dst, port, sport);
}
