/*
 * commits.c - when each nftables commit happens, for bench/delta.sh.
 *
 *   commits       prints "NANOSECONDS GENERATION PID" (CLOCK_REALTIME) for
 *                 every commit in this network namespace, as the kernel
 *                 announces it (NFT_MSG_NEWGEN), until killed
 *
 * `nft monitor` says what changed but not when: this is the clock the
 * bench reads "from apply start to commit" against.
 */
#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

static int on_msg(const struct nlmsghdr *nlh, void *data)
{
	(void)data;
	if (NFNL_MSG_TYPE(nlh->nlmsg_type) != NFT_MSG_NEWGEN)
		return MNL_CB_OK;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	unsigned gen = 0, pid = 0;
	const struct nlattr *at;
	mnl_attr_for_each(at, nlh, sizeof(struct nfgenmsg)) {
		if (mnl_attr_get_type(at) == NFTA_GEN_ID)
			gen = ntohl(mnl_attr_get_u32(at));
		else if (mnl_attr_get_type(at) == NFTA_GEN_PROC_PID)
			pid = ntohl(mnl_attr_get_u32(at));
	}
	printf("%lld%09ld %u %u\n", (long long)ts.tv_sec, ts.tv_nsec, gen, pid);
	fflush(stdout);
	return MNL_CB_OK;
}

int main(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 1U << (NFNLGRP_NFTABLES - 1), MNL_SOCKET_AUTOPID) < 0) {
		perror("commits: netlink");
		return 2;
	}
	/* a whole table's commit announces every chain, rule and element
	 * before its generation: room for 100 000 networks' worth */
	int size = 512 << 20;
	setsockopt(mnl_socket_get_fd(nl), SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	static char buf[1 << 20];
	for (;;) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		if (n < 0) {
			perror("commits: recv");   /* ENOBUFS: events lost, go on */
			continue;
		}
		mnl_cb_run(buf, (size_t)n, 0, 0, on_msg, NULL);
	}
}
