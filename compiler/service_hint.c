/*
 * service_hint.c - "did you mean" for port names, without opening the
 * wrong port (service_hint.h says why each step is there).
 */
#include "arena.h"
#include "service_hint.h"
#include "misspell.h"
#include "names.h"

#include <string.h>
#include <strings.h>

static service_hint_host_fn *host_lookup;

void service_hint_set_host(service_hint_host_fn *fn)
{
	host_lookup = fn;
}

/* Names people write for a port that is not theirs to have: what to
 * write instead.  sftp and scp are subsystems of SSH, not services. */
static const struct {
	const char *name, *say;
} no_port_of_their_own[] = {
	{ "sftp", "sftp runs over SSH: write 'ssh' (tcp 22)" },
	{ "scp", "scp runs over SSH: write 'ssh' (tcp 22)" },
};

/* "'ftp' (tcp 21)": a service is never suggested without its port. */
static const char *with_port(struct arena *a, const char *name, const char *proto)
{
	int port = names_service_port(name);
	if (port < 0)
		return arena_printf(a, "'%s'", name);
	return arena_printf(a, "'%s' (%s %d)", name, proto ? proto : "port", port);
}

const char *service_hint(struct arena *a, const char *name, const char *proto,
			 const char *const *defines, int ndefines)
{
	for (size_t i = 0; i < sizeof(no_port_of_their_own) / sizeof(no_port_of_their_own[0]); i++)
		if (strcasecmp(name, no_port_of_their_own[i].name) == 0)
			return arena_printf(a, "; %s", no_port_of_their_own[i].say);
	/* SSH for ssh: a case slip is closer than any misspelling. */
	for (int i = 0; i < ndefines; i++)
		if (strcasecmp(name, defines[i]) == 0)
			return arena_printf(a, "; names are case-sensitive: did you mean '%s'?",
					    defines[i]);
	for (size_t i = 0; i < names_nservices; i++)
		if (strcasecmp(name, names_services[i].name) == 0)
			return arena_printf(a, "; service names are lower case: did you mean %s?",
					    with_port(a, names_services[i].name, proto));
	/* A real service d6c does not carry: its number, not a look-alike. */
	int port;
	const char *found;
	if (host_lookup && host_lookup(name, proto ? proto : "tcp", &port, &found))
		return arena_printf(a, "; d6c has no service '%s': write the number: %s %d "
				    "(/etc/services: %d/%s)", name, proto ? proto : found, port, port, found);
	struct misspell m;
	misspell_init(&m, name);
	for (int i = 0; i < ndefines; i++)
		misspell_offer(&m, defines[i]);
	for (size_t i = 0; i < names_nservices; i++)
		misspell_offer(&m, names_services[i].name);
	return m.best ? arena_printf(a, "; did you mean %s?", with_port(a, m.best, proto)) : NULL;
}
