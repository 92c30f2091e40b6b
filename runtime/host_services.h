/*
 * host_services.h - the host's /etc/services, for error messages only.
 *
 * d6c's own service table decides what a name means; this file is read
 * only when a name is undefined, to tell the administrator its number
 * (compiler/service_hint.h).  A missing or unreadable file: no hint.
 */
#ifndef D6C_HOST_SERVICES_H
#define D6C_HOST_SERVICES_H

#include <stdbool.h>

/* A service_hint_host_fn reading /etc/services. */
bool host_services_lookup(const char *name, const char *proto, int *port,
			  const char **proto_found);

#endif
