/*
 * host_services.c - one name looked up in /etc/services.
 *
 * services(5): "name port/protocol [aliases...] [# comment]".  Read line by
 * line on every call: it runs once per undefined name, on the error path.
 */
#include "host_services.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SERVICES_PATH "/etc/services"

/* Whether the line names name (as its service or an alias); its port and
 * protocol then. */
static bool line_names(char *line, const char *name, int *port, char proto[4])
{
	char *hash = strchr(line, '#');
	if (hash)
		*hash = '\0';
	char *save = NULL;
	char *service = strtok_r(line, " \t\r\n", &save);
	char *portproto = strtok_r(NULL, " \t\r\n", &save);
	if (!service || !portproto)
		return false;
	char *slash = strchr(portproto, '/');
	if (!slash || (strcmp(slash + 1, "tcp") != 0 && strcmp(slash + 1, "udp") != 0))
		return false;
	bool match = strcmp(service, name) == 0;
	for (char *alias; !match && (alias = strtok_r(NULL, " \t\r\n", &save));)
		match = strcmp(alias, name) == 0;
	if (!match)
		return false;
	char *end;
	long p = strtol(portproto, &end, 10);
	if (end != slash || p < 0 || p > 65535)
		return false;
	*port = (int)p;
	memcpy(proto, slash + 1, 4);
	return true;
}

bool host_services_lookup(const char *name, const char *proto, int *port,
			  const char **proto_found)
{
	FILE *f = fopen(SERVICES_PATH, "re");
	if (!f)
		return false;
	char line[1024], got[4];
	int any_port = -1;
	const char *any_proto = NULL;
	bool exact = false;
	while (!exact && fgets(line, sizeof(line), f)) {
		int p;
		if (!line_names(line, name, &p, got))
			continue;
		if (strcmp(got, proto) == 0) {
			*port = p;
			*proto_found = proto;
			exact = true;
		} else if (any_port < 0) {
			any_port = p;
			any_proto = strcmp(got, "tcp") == 0 ? "tcp" : "udp";
		}
	}
	fclose(f);
	if (exact)
		return true;
	if (any_port < 0)
		return false;
	*port = any_port;
	*proto_found = any_proto;
	return true;
}
