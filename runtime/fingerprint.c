/*
 * fingerprint.c - a table's state, dumped over netlink and hashed
 * (fingerprint.h).
 *
 * The table, its chains, its rules and its sets are hashed in the order the
 * kernel dumps them (a rule's place in its chain is what it does).  The
 * elements of a set are hashed one by one and summed, since a hash set may
 * dump them in another order after it grew.
 */
#include "fingerprint.h"
#include "apply.h"
#include "compiler/arena.h"

#include <arpa/inet.h>
#include <errno.h>
#include <libmnl/libmnl.h>
#include <linux/netfilter.h>
#include <linux/netfilter/nf_tables.h>
#include <linux/netfilter/nfnetlink.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71
#endif

/* A dump's messages come in skbs of up to 32 KiB and more. */
#define FP_BUF ((size_t)256 * 1024)

struct fp {
	struct mnl_socket *nl;
	unsigned seq, portid;
	const char *table;
	uint64_t ordered, sum;   /* the ordered hash; the sum of the elements' */
	char **sets;             /* the sets' names, for their elements */
	int nsets, capsets;
	char **chains;           /* the chains' names, for their rules */
	int nchains, capchains;
	char *buf;
	bool absent;
	uint32_t gen;            /* fingerprint_generation()'s answer */
	bool have_gen;
};

static uint64_t mix(uint64_t h, const void *p, size_t n)
{
	const unsigned char *b = p;
	for (; n >= 8; b += 8, n -= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ w) * 0x9e3779b97f4a7c15ULL;
		h ^= h >> 29;
	}
	uint64_t w = n;
	memcpy(&w, b, n);   /* the tail, its length in the bytes beyond it */
	h = (h ^ w ^ ((uint64_t)n << 56)) * 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 32);
}

/* The attributes after the nfgenmsg header: what the object is. */
static const void *attrs(const struct nlmsghdr *nlh, size_t *len)
{
	size_t off = MNL_ALIGN(sizeof(struct nfgenmsg));
	size_t all = mnl_nlmsg_get_payload_len(nlh);
	*len = all > off ? all - off : 0;
	return (const char *)mnl_nlmsg_get_payload(nlh) + off;
}

/* The string attribute of type want->type, into want->value. */
struct want_str {
	uint16_t type;
	const char *value;
};

static int on_str(const struct nlattr *at, void *data)
{
	struct want_str *w = data;
	if (mnl_attr_get_type(at) == w->type && mnl_attr_validate(at, MNL_TYPE_NUL_STRING) >= 0)
		w->value = mnl_attr_get_str(at);
	return MNL_CB_OK;
}

static const char *attr_str(const struct nlmsghdr *nlh, uint16_t type)
{
	struct want_str w = { .type = type };
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), on_str, &w);
	return w.value;
}

static void keep_name(char ***v, int *n, int *cap, const char *name)
{
	if (!name)
		return;
	if (*n == *cap) {
		*cap = *cap ? 2 * *cap : 16;
		*v = xrealloc(*v, sizeof(**v) * (size_t)*cap);
	}
	size_t len = strlen(name) + 1;
	(*v)[(*n)++] = memcpy(xmalloc(len), name, len);
}

/* One object of the table: hashed in order.  Chains are dumped for every
 * table of the family; only ours count. */
static int on_object(const struct nlmsghdr *nlh, void *data)
{
	struct fp *f = data;
	uint16_t type = NFNL_MSG_TYPE(nlh->nlmsg_type);
	if (type == NFT_MSG_NEWCHAIN) {
		const char *t = attr_str(nlh, NFTA_CHAIN_TABLE);
		if (!t || strcmp(t, f->table) != 0)
			return MNL_CB_OK;
	}
	if (type == NFT_MSG_NEWCHAIN)
		keep_name(&f->chains, &f->nchains, &f->capchains, attr_str(nlh, NFTA_CHAIN_NAME));
	if (type == NFT_MSG_NEWSET)
		keep_name(&f->sets, &f->nsets, &f->capsets, attr_str(nlh, NFTA_SET_NAME));
	size_t len;
	const void *p = attrs(nlh, &len);
	f->ordered = mix(f->ordered ^ type, p, len);
	return MNL_CB_OK;
}

/* A set's elements: each hashed alone, then summed. */
static int on_elem(const struct nlattr *el, void *data)
{
	struct fp *f = data;
	f->sum += mix(0x6a09e667f3bcc908ULL, mnl_attr_get_payload(el), mnl_attr_get_payload_len(el));
	return MNL_CB_OK;
}

static int on_elem_list(const struct nlattr *at, void *data)
{
	if (mnl_attr_get_type(at) == NFTA_SET_ELEM_LIST_ELEMENTS)
		mnl_attr_parse_nested(at, on_elem, data);
	return MNL_CB_OK;
}

static int on_elems(const struct nlmsghdr *nlh, void *data)
{
	mnl_attr_parse(nlh, sizeof(struct nfgenmsg), on_elem_list, data);
	return MNL_CB_OK;
}

static struct nlmsghdr *request(struct fp *f, uint16_t type, bool dump)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(f->buf);
	nlh->nlmsg_type = (NFNL_SUBSYS_NFTABLES << 8) | type;
	nlh->nlmsg_flags = NLM_F_REQUEST | (dump ? NLM_F_DUMP : NLM_F_ACK);
	nlh->nlmsg_seq = ++f->seq;
	struct nfgenmsg *g = mnl_nlmsg_put_extra_header(nlh, sizeof(*g));
	g->nfgen_family = NFPROTO_INET;
	g->version = NFNETLINK_V0;
	g->res_id = 0;
	return nlh;
}

/* Sends nlh and feeds every answer to cb; ENOENT (no such table) is
 * f->absent, not a failure. */
static int run(struct fp *f, struct nlmsghdr *nlh, mnl_cb_t cb)
{
	unsigned seq = nlh->nlmsg_seq;
	if (mnl_socket_sendto(f->nl, nlh, nlh->nlmsg_len) < 0)
		return -1;
	int rc;
	do {
		ssize_t n = mnl_socket_recvfrom(f->nl, f->buf, FP_BUF);
		rc = n < 0 ? -1 : mnl_cb_run(f->buf, (size_t)n, seq, f->portid, cb, f);
	} while (rc > 0);
	if (rc < 0 && errno == ENOENT) {
		f->absent = true;
		return 0;
	}
	return rc < 0 ? -1 : 0;
}

static int dump_all(struct fp *f)
{
	struct nlmsghdr *nlh = request(f, NFT_MSG_GETTABLE, false);
	mnl_attr_put_strz(nlh, NFTA_TABLE_NAME, f->table);
	if (run(f, nlh, on_object) != 0 || f->absent)
		return f->absent ? 0 : -1;
	if (run(f, request(f, NFT_MSG_GETCHAIN, true), on_object) != 0)
		return -1;
	/* Chain by chain: a dump of the whole table's rules starts each of its
	 * 32 KiB parts by stepping over every rule already sent, which at
	 * 100 000 networks is 20 s. */
	for (int i = 0; i < f->nchains; i++) {
		nlh = request(f, NFT_MSG_GETRULE, true);
		mnl_attr_put_strz(nlh, NFTA_RULE_TABLE, f->table);
		mnl_attr_put_strz(nlh, NFTA_RULE_CHAIN, f->chains[i]);
		if (run(f, nlh, on_object) != 0)
			return -1;
	}
	nlh = request(f, NFT_MSG_GETSET, true);
	mnl_attr_put_strz(nlh, NFTA_SET_TABLE, f->table);
	if (run(f, nlh, on_object) != 0)
		return -1;
	for (int i = 0; i < f->nsets; i++) {
		nlh = request(f, NFT_MSG_GETSETELEM, true);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_TABLE, f->table);
		mnl_attr_put_strz(nlh, NFTA_SET_ELEM_LIST_SET, f->sets[i]);
		if (run(f, nlh, on_elems) != 0)
			return -1;
	}
	return 0;
}

static int on_gen_attr(const struct nlattr *at, void *data)
{
	struct fp *f = data;
	if (mnl_attr_get_type(at) == NFTA_GEN_ID && mnl_attr_validate(at, MNL_TYPE_U32) >= 0) {
		f->gen = ntohl(mnl_attr_get_u32(at));
		f->have_gen = true;
	}
	return MNL_CB_OK;
}

static int on_gen(const struct nlmsghdr *nlh, void *data)
{
	if (NFNL_MSG_TYPE(nlh->nlmsg_type) == NFT_MSG_NEWGEN)
		mnl_attr_parse(nlh, sizeof(struct nfgenmsg), on_gen_attr, data);
	return MNL_CB_OK;
}

uint64_t fingerprint_netns(void)
{
	uint64_t cookie = 0;
	socklen_t len = sizeof(cookie);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, &cookie, &len) != 0)
		cookie = 0;
	if (fd >= 0)
		close(fd);
	return cookie;
}

static int open_fp(struct fp *f, char *err, size_t errlen)
{
	f->seq = (unsigned)time(NULL);
	f->buf = xmalloc(FP_BUF);
	f->nl = mnl_socket_open2(NETLINK_NETFILTER, SOCK_CLOEXEC);
	if (!f->nl || mnl_socket_bind(f->nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		snprintf(err, errlen, "cannot open a netfilter netlink socket: %s", strerror(errno));
		return -1;
	}
	f->portid = mnl_socket_get_portid(f->nl);
	return 0;
}

static void close_fp(struct fp *f)
{
	if (f->nl)
		mnl_socket_close(f->nl);
	for (int i = 0; i < f->nsets; i++)
		free(f->sets[i]);
	free(f->sets);
	for (int i = 0; i < f->nchains; i++)
		free(f->chains[i]);
	free(f->chains);
	free(f->buf);
}

int fingerprint_generation(uint32_t *gen, char *err, size_t errlen)
{
	struct fp f = { 0 };
	int rc = -1;
	if (open_fp(&f, err, errlen) == 0) {
		struct nlmsghdr *nlh = request(&f, NFT_MSG_GETGEN, false);
		if (run(&f, nlh, on_gen) != 0 || !f.have_gen)
			snprintf(err, errlen, "cannot read the ruleset's generation: %s",
				 strerror(errno));
		else
			rc = 0;
	}
	*gen = f.gen;
	close_fp(&f);
	return rc;
}

enum fp_state fingerprint_table(const char *table, char out[FINGERPRINT_HEX], char *err,
				size_t errlen)
{
	struct fp f = { .table = table, .ordered = 0xcbf29ce484222325ULL };
	out[0] = '\0';
	enum fp_state st = FP_FAILED;
	if (open_fp(&f, err, errlen) != 0)
		goto out;
	if (dump_all(&f) != 0) {
		snprintf(err, errlen, "cannot read table inet %s over netlink: %s", table,
			 strerror(errno));
		goto out;
	}
	st = f.absent ? FP_ABSENT : FP_TABLE;
	if (st == FP_TABLE)
		snprintf(out, FINGERPRINT_HEX, "%016llx%016llx", (unsigned long long)f.ordered,
			 (unsigned long long)f.sum);
out:
	close_fp(&f);
	return st;
}
