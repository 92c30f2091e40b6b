/*
 * command.h - running a system command (iptables, ip6tables) and keeping
 * what it printed.
 *
 * Docker's xtables tables are read and written only through the iptables
 * commands, which pick the backend Docker uses (docker_rule.h), so d6c runs
 * them rather than parse their tables itself.  The command is found on
 * PATH; it gets /dev/null as stdin and one pipe for stdout and stderr.
 */
#ifndef D6C_COMMAND_H
#define D6C_COMMAND_H

#include <stddef.h>

/* Runs argv with stdout and stderr into out (outlen bytes, always
 * NUL-terminated; the rest is read and dropped).  Returns the command's
 * exit status, 127 when it could not run or was killed: its answer, which
 * the caller judges (docker_rule.c turns a failure into a message in err,
 * as apply.h's convention says), not an exit status of d6c's. */
int command_run(const char *const argv[], char *out, size_t outlen);

/* The same into a malloc'd buffer of up to max bytes; NULL only when out
 * of memory (*rc 127). */
char *command_output(const char *const argv[], size_t max, int *rc);

#endif
