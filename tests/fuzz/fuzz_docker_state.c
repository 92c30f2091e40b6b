/*
 * fuzz_docker_state.c - libFuzzer target: Docker's network list.
 *
 * docker_state_parse() over the input, as --docker-state FILE and the
 * daemon's answer to GET /networks are read.  A state that parses is then
 * used as compile uses it: a fixed policy naming Docker networks (found or
 * not: the did-you-mean search runs over the input's names) is checked,
 * lowered, linted and emitted with it, once with unknown names as errors
 * and once as warnings (apply --follow-docker); then, as check does, the
 * blocks protecting a network whose NAT gateway mode drops routed packets
 * are looked for (lint_docker_gateways), and each network's kind read.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz_common.h"
#include "compiler/lint.h"
#include "compiler/parse.h"
#include "compiler/docker_state.h"

static const char policy[] =
	"define peers = docker \"db\", 2001:db8:1::/64;\n"
	"network docker \"web\" < allow tcp 80, 443; allow tcp 5432 from peers; >\n"
	"network docker \"db\", 10.9.0.0/16 < allow tcp 5432 from docker \"web\"; default reject; >\n"
	"network docker \"dual\" < allow icmp basic; deny udp; >\n"
	"network 2001:db8::/32 < allow tcp 22 from docker \"admin\"; >\n";

static struct arena fixture;
static const struct ast_item *ast;

/* NOLINTNEXTLINE(readability-non-const-parameter): libFuzzer fixes this signature */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fuzz_init_common();
	arena_init(&fixture);
	struct diag_list dl;
	diag_init(&dl, &fixture);
	ast = parse_string(&fixture, &dl, "docker.pol", policy);
	if (diag_has_errors(&dl))
		abort();
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	arena_init(&a);
	char err[512];
	err[0] = '\0';
	/* A copy of exactly size bytes, so ASan sees any read past the end. */
	char *json = malloc(size ? size : 1);
	if (!json)
		return 0;
	memcpy(json, data, size);
	const struct docker_state *s = docker_state_parse(&a, json, size, "state.json", err,
							  sizeof(err));
	free(json);
	if (!s) {
		if (!err[0] || !memchr(err, '\0', sizeof(err)))
			abort();   /* a failure always says why */
		/* What compile says when the state cannot be read. */
		struct diag_list dl;
		diag_init(&dl, &a);
		struct sema_docker dk = { .state = NULL, .error = err };
		fuzz_pipeline(&a, &dl, ast, "docker.pol", &dk);
	} else {
		for (int i = 0; i < s->n; i++) {
			const struct docker_network *n = &s->nets[i];
			if (docker_state_find(s, n->name) == NULL || !n->driver)
				abort();
			/* a bridge always has a device name; other drivers none */
			if ((strcmp(n->driver, "bridge") == 0) != (n->bridge != NULL))
				abort();
			if ((docker_network_nat_drops(n, FAM_IP6) || docker_network_nat_drops(n, FAM_IP4)) &&
			    !n->guards_nat)
				abort();
		}
		for (int missing_ok = 0; missing_ok <= 1; missing_ok++) {
			struct diag_list dl;
			diag_init(&dl, &a);
			struct sema_docker dk = { .state = s, .missing_ok = missing_ok };
			fuzz_pipeline(&a, &dl, ast, "docker.pol", &dk);
		}
		struct diag_list dl;
		diag_init(&dl, &a);
		struct sema_docker dk = { .state = s, .missing_ok = true };
		const struct sema_policy *sp = sema_check_docker(&a, &dl, ast, "docker.pol", &dk);
		if (sp && !diag_has_errors(&dl))
			lint_docker_gateways(&dl, sp, s);
		fuzz_print_diags(&dl);
	}
	arena_free(&a);
	return 0;
}
