/*
 * docker_api.h - the Docker Engine API client: GET /networks, GET /info and
 * the event stream, through libcurl.
 *
 * Where the daemon is: DOCKER_HOST if set and not empty, else
 * unix:///var/run/docker.sock.  unix:///PATH and tcp://HOST[:PORT] (plain
 * HTTP, port 2375 by default) are understood; anything else (ssh://, fd://,
 * DOCKER_TLS_VERIFY...) is an error that names DOCKER_HOST.  For
 * --follow-docker the event stream (GET /events, network events only) says
 * when to refetch.
 *
 * Errors: the runtime's convention (apply.h), which docker_state.h's is
 * too; the message names where the daemon was.  The events object is
 * malloc'd and freed by docker_events_close().
 */
#ifndef D6C_DOCKER_API_H
#define D6C_DOCKER_API_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "compiler/docker_state.h"

#define DOCKER_DEFAULT_HOST "unix:///var/run/docker.sock"

/* GET /networks from the daemon (see above for where it is), with a 5 s
 * connect and a 15 s total timeout, so a wedged daemon cannot hang apply.
 * The path is unversioned (/networks, not /v1.41/networks): every daemon
 * answers it in its own newest API version, so no version is refused. */
struct docker_state *docker_state_fetch(struct arena *a, char *err, size_t errlen);

/* GET path (as "/info") from the daemon, with the timeouts above: the body
 * of a 200 answer, malloc'd, NUL-terminated, of at most max bytes, its
 * length in *len; NULL with err set for anything else. */
char *docker_api_get(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/* Where the daemon is, as messages name it: DOCKER_HOST, or the default. */
const char *docker_host_name(void);

/* ---- events: GET /events?filters={"type":["network"]} ---- */

struct docker_events;

/* Opens the event stream and returns once the daemon has answered 200
 * (within 15 s), so a refused or failing request is reported here.
 *
 * Open the stream FIRST, then docker_state_fetch(): a network created
 * between a fetch and an open would otherwise be seen by neither.  The
 * request also asks for events since the moment of the call (`since`),
 * which the daemon replays from its buffer, to cover the moment between
 * its answering and its subscribing.  (With a daemon on another host,
 * whose clock differs, that replay may bring one old event: one extra
 * refetch.) */
struct docker_events *docker_events_open(char *err, size_t errlen);

/* Waits up to timeout_ms (negative: no limit) for network events.
 * Returns 1 when at least one complete event arrived (all buffered events
 * are consumed; docker_events_changes() says which), 0 when the time
 * passed with none, or when the stop flag was raised, and -1 when the
 * stream ended or the daemon went away (err says why; every later call
 * returns -1 too).  Waits in slices of at most 200 ms, and a signal
 * handler's return cuts a slice short, so a SIGINT/SIGTERM handler that
 * raises the flag given to docker_events_set_stop() ends the wait at once. */
int docker_events_wait(struct docker_events *ev, int timeout_ms, char *err, size_t errlen);

/* A flag (set by the caller's signal handler, say) that ends a wait with
 * 0 as soon as it is nonzero; NULL for none. */
void docker_events_set_stop(struct docker_events *ev, volatile sig_atomic_t *stop);

/* What the events of the last wait that returned 1 were, for a log line:
 * "create net1, connect net1" (ACTION NETWORK, in arrival order; cut short
 * with "..." when long).  Valid until the next wait. */
const char *docker_events_changes(const struct docker_events *ev);

/* How many events the last wait that returned 1 consumed (the changes
 * above may be cut short; this is not). */
unsigned long docker_events_count(const struct docker_events *ev);

/* Closes the stream and frees ev; NULL is fine. */
void docker_events_close(struct docker_events *ev);

#endif
