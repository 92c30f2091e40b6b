/*
 * ctflush.c - empties the conntrack table of the network namespace it
 * runs in, as `conntrack -F` does, for bench/run.sh: one ctnetlink
 * IPCTNL_MSG_CT_DELETE without a tuple, for IPv4 and IPv6 alike.  A tool of
 * a few lines instead of a package the suite would otherwise need.
 */
#include <libmnl/libmnl.h>
#include <linux/netfilter/nfnetlink.h>
#include <linux/netfilter/nfnetlink_conntrack.h>
#include <stdio.h>
#include <sys/socket.h>
#include <time.h>

int main(void)
{
	struct mnl_socket *nl = mnl_socket_open(NETLINK_NETFILTER);
	if (!nl || mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		perror("ctflush: netlink");
		return 2;
	}
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_CTNETLINK << 8) | IPCTNL_MSG_CT_DELETE;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh->nlmsg_seq = (unsigned)time(NULL);
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = AF_UNSPEC;   /* every family */
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	int rc = -1;
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) >= 0) {
		ssize_t n = mnl_socket_recvfrom(nl, buf, sizeof(buf));
		rc = n < 0 ? -1 : mnl_cb_run(buf, (size_t)n, nlh->nlmsg_seq,
					     mnl_socket_get_portid(nl), NULL, NULL);
	}
	mnl_socket_close(nl);
	if (rc < 0) {
		perror("ctflush");
		return 1;
	}
	return 0;
}
