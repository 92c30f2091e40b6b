/* flood: the packet source of bench/run.sh's forwarding test.
 *
 *   flood IFNAME SRCMAC DSTMAC SRC6 SECONDS PREFIX...
 *
 * Sends small IPv6 UDP datagrams (64 bytes of payload, to port 5001) out of
 * IFNAME for SECONDS seconds, as fast as it can, then prints one line:
 * "sent PACKETS packets in SECONDS s".
 *
 * Every datagram is a new connection for conntrack: its destination is the
 * next PREFIX (each an IPv6 /64, written "2001:db8:0:1::") round robin, with
 * a packet counter in the low 32 bits of the interface identifier, and the
 * source port turns over 1024-65535.  iperf cannot do this (one socket, one
 * source port: after the first packet the whole stream is "established" and
 * never reaches the ruleset's per-network chains).
 *
 * Frames are built here and sent through an AF_PACKET socket with sendmmsg,
 * past the sender's own IP stack and qdisc, so that as much as possible of
 * each packet's cost is the router's.  The UDP checksum is updated
 * incrementally from a per-prefix base: only the port and counter change.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD 64
#define BATCH 64
#define MAXPREFIX 64
#define FRAME (14 + 40 + 8 + PAYLOAD)

static void die(const char *what)
{
	fprintf(stderr, "flood: %s: %s\n", what, strerror(errno));
	exit(2);
}

static void usage(void)
{
	fprintf(stderr, "usage: flood IFNAME SRCMAC DSTMAC SRC6 SECONDS PREFIX...\n");
	exit(2);
}

static void mac(const char *s, unsigned char *out)
{
	unsigned v[6];
	if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
		usage();
	for (int i = 0; i < 6; i++)
		out[i] = (unsigned char)v[i];
}

/* The one's complement sum of big-endian 16-bit words. */
static uint32_t sum16(const unsigned char *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)p[i] << 8 | p[i + 1];
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc < 7)
		usage();
	int nprefix = argc - 6;
	if (nprefix > MAXPREFIX)
		usage();
	unsigned char smac[6], dmac[6];
	mac(argv[2], smac);
	mac(argv[3], dmac);
	struct in6_addr src, dst[MAXPREFIX];
	if (inet_pton(AF_INET6, argv[4], &src) != 1)
		usage();
	double seconds = atof(argv[5]);
	if (seconds <= 0)
		usage();
	for (int i = 0; i < nprefix; i++)
		if (inet_pton(AF_INET6, argv[6 + i], &dst[i]) != 1)
			usage();

	int fd = socket(AF_PACKET, SOCK_RAW, htons(ETH_P_IPV6));
	if (fd < 0)
		die("socket");
	int one = 1;
	/* Not fatal: veth has no qdisc to bypass anyway. */
	(void)setsockopt(fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
	struct sockaddr_ll ll = { .sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_IPV6),
				  .sll_halen = 6 };
	ll.sll_ifindex = (int)if_nametoindex(argv[1]);
	if (ll.sll_ifindex == 0)
		die(argv[1]);
	memcpy(ll.sll_addr, dmac, 6);
	if (bind(fd, (struct sockaddr *)&ll, sizeof ll) < 0)
		die("bind");

	/* One template frame; per prefix, the checksum base over everything
	 * that does not change: pseudo-header (addresses with the varying
	 * words zero, length, next header), UDP length and port 5001. */
	unsigned char tmpl[FRAME] = { 0 };
	memcpy(tmpl, dmac, 6);
	memcpy(tmpl + 6, smac, 6);
	tmpl[12] = 0x86, tmpl[13] = 0xdd;
	unsigned char *ip = tmpl + 14, *udp = ip + 40;
	ip[0] = 0x60;
	ip[4] = 0, ip[5] = 8 + PAYLOAD;
	ip[6] = 17;	/* UDP */
	ip[7] = 64;	/* hop limit */
	memcpy(ip + 8, &src, 16);
	udp[2] = 5001 >> 8, udp[3] = 5001 & 0xff;
	udp[4] = 0, udp[5] = 8 + PAYLOAD;
	uint32_t base[MAXPREFIX];
	for (int i = 0; i < nprefix; i++) {
		/* Interface id 1000:0:CCCC:CCCC (C the counter): never ::10, the
		 * host nested in some /64s. */
		dst[i].s6_addr[8] = 0x10;
		memset(dst[i].s6_addr + 9, 0, 7);
		uint32_t s = sum16(src.s6_addr, 16, 0);
		s = sum16(dst[i].s6_addr, 16, s);
		s += 17 + 8 + PAYLOAD;	/* pseudo-header: next header, length */
		s += 5001 + 8 + PAYLOAD;	/* UDP: destination port, length */
		base[i] = s;
	}

	static unsigned char frames[BATCH][FRAME];
	struct iovec iov[BATCH];
	struct mmsghdr msg[BATCH];
	memset(msg, 0, sizeof msg);
	for (int i = 0; i < BATCH; i++) {
		memcpy(frames[i], tmpl, FRAME);
		iov[i].iov_base = frames[i];
		iov[i].iov_len = FRAME;
		msg[i].msg_hdr.msg_iov = &iov[i];
		msg[i].msg_hdr.msg_iovlen = 1;
	}

	uint64_t sent = 0;
	uint32_t counter = 0;
	unsigned sport = 1024;
	int next = 0;
	double start = now(), end = start + seconds, t = start;
	while (t < end) {
		for (int i = 0; i < BATCH; i++) {
			unsigned char *f = frames[i], *fi = f + 14, *fu = fi + 40;
			memcpy(fi + 24, &dst[next], 16);
			fi[36] = (unsigned char)(counter >> 24), fi[37] = (unsigned char)(counter >> 16);
			fi[38] = (unsigned char)(counter >> 8), fi[39] = (unsigned char)counter;
			fu[0] = (unsigned char)(sport >> 8), fu[1] = (unsigned char)sport;
			uint32_t s = base[next] + sport + (counter >> 16) + (counter & 0xffff);
			uint16_t c = (uint16_t)~fold(s);
			if (c == 0)
				c = 0xffff;	/* 0 means "no checksum", forbidden in IPv6 */
			fu[6] = (unsigned char)(c >> 8), fu[7] = (unsigned char)c;
			counter++;
			if (++sport > 65535)
				sport = 1024;
			if (++next == nprefix)
				next = 0;
		}
		int r = sendmmsg(fd, msg, BATCH, 0);
		if (r < 0) {
			/* A full device queue is the router falling behind: count
			 * what went and go on. */
			if (errno != ENOBUFS && errno != EAGAIN && errno != EINTR)
				die("sendmmsg");
		} else {
			sent += (uint64_t)r;
		}
		t = now();
	}
	printf("sent %llu packets in %.3f s\n", (unsigned long long)sent, t - start);
	return 0;
}
