/*
 * service_hint.h - what to say when a port name is no service of d6c's.
 *
 * A suggestion must not open the wrong port: `sftp` is not `ftp`, `smtps`
 * is not `smtp`.  So a service suggested always shows its port, a name the
 * host knows (/etc/services) gets its number instead of a look-alike, and
 * a few well-known names that are no port of their own say what they are.
 *
 * The host's services are asked for only through a hook the command line
 * sets (compiler/ never touches the system), and only to word an error:
 * a compile that succeeds never depends on the machine it runs on.
 */
#ifndef D6C_SERVICE_HINT_H
#define D6C_SERVICE_HINT_H

#include <stdbool.h>

struct arena;

/* The host's port of a service name or alias, for proto ("tcp", "udp")
 * when it has one there, else for any protocol; *proto_found is "tcp" or
 * "udp".  False when the host does not know the name. */
typedef bool service_hint_host_fn(const char *name, const char *proto, int *port,
				  const char **proto_found);

/* Installed once by the command line before any compile; NULL: none. */
void service_hint_set_host(service_hint_host_fn *fn);

/* The words after "'NAME' is not defined (...)" when name stands for a
 * port, starting "; ", or NULL when nothing is close.  proto is the
 * rule's ("tcp", "udp") or NULL in a define; defines are the defines of
 * ports above the use, offered before the services. */
const char *service_hint(struct arena *a, const char *name, const char *proto,
			 const char *const *defines, int ndefines);

#endif
