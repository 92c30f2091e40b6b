/*
 * docker_api.c - talking to the Docker daemon (docker_api.h): GET /networks and
 * the stream of network events.
 *
 * The transport speaks HTTP/1.1 to the daemon with libcurl, over its unix
 * socket or plain TCP, as DOCKER_HOST says; the answer of GET /networks is
 * parsed by docker_state.c.  Events keep one streaming GET /events open in a
 * curl multi handle and cut it into JSON lines as it arrives.
 *
 * Convention: the runtime's (apply.h): nothing here prints or exits; a
 * failure is one message in the caller's err buffer that names where the
 * daemon was, what went wrong, and, when there is one, what to do about it.
 */
#include "docker_api.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define CONNECT_TIMEOUT_MS 5000
#define FETCH_TIMEOUT_MS 15000
/* How long docker_events_open() waits for the daemon's answer. */
#define OPEN_TIMEOUT_MS 15000
/* A wait never sleeps longer than this without looking at the stop flag. */
#define WAIT_SLICE_MS 200
/* One event is a few hundred bytes; a "line" this long is not an event. */
#define EVENT_LINE_MAX (1u << 20)
/* A non-200 answer's body is Docker's {"message": ...}; keep that much. */
#define ERROR_BODY_MAX (64u << 10)

/* A string member of a JSON object, or NULL. */
static const char *get_string(const json_t *o, const char *key)
{
	const json_t *v = json_object_get(o, key);
	return json_is_string(v) ? json_string_value(v) : NULL;
}

/* ---- transport ---- */

struct endpoint {
	char name[256];     /* DOCKER_HOST as given, or the default: for messages */
	char socket[256];   /* unix: the socket's path; "" for tcp */
	char base[400];     /* "http://localhost" or "http://HOST:PORT[/PATH]" */
};

static bool endpoint_unix(struct endpoint *ep, const char *path, char *err, size_t errlen)
{
	if (path[0] != '/') {
		snprintf(err, errlen,
			 "DOCKER_HOST=%s: a unix socket needs an absolute path, as in %s",
			 ep->name, DOCKER_DEFAULT_HOST);
		return false;
	}
	size_t len = strlen(path);
	if (len >= sizeof(ep->socket)) {
		snprintf(err, errlen, "DOCKER_HOST=%.80s...: the socket path is too long", ep->name);
		return false;
	}
	memcpy(ep->socket, path, len + 1);
	snprintf(ep->base, sizeof(ep->base), "http://localhost");
	return true;
}

/* tcp://HOST[:PORT][/PATH]: Docker's own default port without TLS is 2375;
 * a PATH is a prefix the daemon is served under (behind a proxy). */
static bool endpoint_tcp(struct endpoint *ep, const char *rest, char *err, size_t errlen)
{
	const char *tls = getenv("DOCKER_TLS_VERIFY");
	if (tls && *tls) {
		snprintf(err, errlen,
			 "DOCKER_HOST=%s with DOCKER_TLS_VERIFY set: d6c speaks only plain HTTP "
			 "to the Docker daemon (use its unix socket, or unset DOCKER_TLS_VERIFY "
			 "for a daemon listening without TLS)", ep->name);
		return false;
	}
	size_t alen = strcspn(rest, "/");
	if (alen == 0) {
		snprintf(err, errlen, "DOCKER_HOST=%s names no host; use tcp://HOST:PORT", ep->name);
		return false;
	}
	const char *after = rest;
	if (rest[0] == '[') {   /* [IPv6]:PORT */
		const char *close_br = memchr(rest, ']', alen);
		after = close_br ? close_br + 1 : rest + alen;
	}
	bool has_port = memchr(after, ':', alen - (size_t)(after - rest)) != NULL;
	const char *path = rest + alen;
	size_t plen = strlen(path);
	while (plen && path[plen - 1] == '/')
		plen--;
	int w = snprintf(ep->base, sizeof(ep->base), "http://%.*s%s%.*s", (int)alen, rest,
			 has_port ? "" : ":2375", (int)plen, path);
	if (w < 0 || (size_t)w >= sizeof(ep->base)) {
		snprintf(err, errlen, "DOCKER_HOST=%.80s...: too long", ep->name);
		return false;
	}
	return true;
}

/* Where the daemon is: DOCKER_HOST, or the default socket. */
static bool endpoint_from_env(struct endpoint *ep, char *err, size_t errlen)
{
	const char *host = getenv("DOCKER_HOST");
	if (!host || !*host)
		host = DOCKER_DEFAULT_HOST;
	memset(ep, 0, sizeof(*ep));
	size_t len = strlen(host);
	if (len >= sizeof(ep->name)) {
		snprintf(err, errlen, "DOCKER_HOST=%.80s...: too long", host);
		return false;
	}
	memcpy(ep->name, host, len + 1);
	if (strncmp(host, "unix://", 7) == 0)
		return endpoint_unix(ep, host + 7, err, errlen);
	if (strncmp(host, "tcp://", 6) == 0)
		return endpoint_tcp(ep, host + 6, err, errlen);
	snprintf(err, errlen,
		 "DOCKER_HOST=%s is not supported: d6c reaches the Docker daemon at unix:///PATH "
		 "or tcp://HOST:PORT (plain HTTP); for another host, snapshot its networks "
		 "(`docker network inspect $(docker network ls -q)`) and give --docker-state FILE",
		 host);
	return false;
}

static void curl_once(void)
{
	static bool done;
	if (!done) {
		curl_global_init(CURL_GLOBAL_DEFAULT);
		done = true;
	}
}

/* A response body, growing up to max; past it the transfer is aborted. */
struct body {
	char *p;
	size_t len, cap, max;
	bool overflow;
};

static bool body_append(struct body *b, const char *data, size_t n)
{
	if (n > b->max - b->len) {
		b->overflow = true;
		return false;
	}
	if (b->len + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64 << 10;
		while (cap < b->len + n + 1)
			cap *= 2;
		b->p = xrealloc(b->p, cap);
		b->cap = cap;
	}
	memcpy(b->p + b->len, data, n);
	b->len += n;
	b->p[b->len] = '\0';
	return true;
}

static size_t body_write(char *data, size_t size, size_t nmemb, void *userdata)
{
	size_t n = size * nmemb;
	return body_append(userdata, data, n) ? n : 0;
}

static CURL *new_easy(const struct endpoint *ep, const char *path, char *errbuf)
{
	curl_once();
	CURL *c = curl_easy_init();
	if (!c)
		return NULL;
	char url[1024];
	snprintf(url, sizeof(url), "%s%s", ep->base, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (ep->socket[0])
		curl_easy_setopt(c, CURLOPT_UNIX_SOCKET_PATH, ep->socket);
#if LIBCURL_VERSION_NUM >= 0x075500
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http");
#endif
	/* http_proxy in the environment must not send the request elsewhere. */
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	/* No SIGALRM for name lookups: the caller owns the signals. */
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)CONNECT_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "d6c/" D6C_VERSION);
	errbuf[0] = '\0';
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
	return c;
}

/* A transfer that did not complete: why, and what to do. */
static void transport_error(char *err, size_t errlen, const struct endpoint *ep, CURL *c,
			    CURLcode rc, const char *errbuf, const char *request)
{
	long oserr = 0;
	curl_easy_getinfo(c, CURLINFO_OS_ERRNO, &oserr);
	char detail[CURL_ERROR_SIZE + 64];
	if (rc == CURLE_OPERATION_TIMEDOUT && errbuf[0])
		snprintf(detail, sizeof(detail), "%s", errbuf);
	else if (oserr)
		snprintf(detail, sizeof(detail), "%s: %s", curl_easy_strerror(rc),
			 strerror((int)oserr));
	else
		snprintf(detail, sizeof(detail), "%s", curl_easy_strerror(rc));

	if (rc == CURLE_COULDNT_CONNECT && oserr == EACCES)
		snprintf(err, errlen,
			 "cannot reach the Docker daemon at %s: %s (run d6c as root or in the docker group, or give "
			 "--docker-state FILE)", ep->name, detail);
	else if (rc == CURLE_COULDNT_CONNECT || rc == CURLE_COULDNT_RESOLVE_HOST)
		snprintf(err, errlen,
			 "cannot reach the Docker daemon at %s: %s (is dockerd running? set DOCKER_HOST)",
			 ep->name, detail);
	else if (rc == CURLE_OPERATION_TIMEDOUT)
		snprintf(err, errlen,
			 "the Docker daemon at %s did not answer %s in time: %s (is dockerd stuck?)",
			 ep->name, request, detail);
	else
		snprintf(err, errlen, "%s from the Docker daemon at %s failed: %s", request, ep->name,
			 detail);
}

/* An answer other than 200: the status and Docker's {"message": ...}. */
static void http_error(char *err, size_t errlen, const struct endpoint *ep, const char *request,
		       long status, const char *body, size_t len)
{
	json_t *j = len ? json_loadb(body, len, 0, NULL) : NULL;
	const char *msg = json_is_object(j) ? get_string(j, "message") : NULL;  /* NULL-safe */
	if (msg)
		snprintf(err, errlen, "the Docker daemon at %s answered %s with HTTP %ld: %s",
			 ep->name, request, status, msg);
	else
		snprintf(err, errlen, "the Docker daemon at %s answered %s with HTTP %ld: %.*s",
			 ep->name, request, status, (int)(len ? strcspn(body, "\r\n") : 0),
			 len ? body : "");
	json_decref(j);
}

char *docker_api_get(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
	char request[128];
	snprintf(request, sizeof(request), "GET %.100s", path);
	struct endpoint ep;
	if (!endpoint_from_env(&ep, err, errlen))
		return NULL;
	char errbuf[CURL_ERROR_SIZE];
	CURL *c = new_easy(&ep, path, errbuf);
	if (!c) {
		snprintf(err, errlen, "cannot set up an HTTP client (libcurl) for %s", ep.name);
		return NULL;
	}
	struct body b = { .max = max };
	curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)FETCH_TIMEOUT_MS);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, body_write);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	CURLcode rc = curl_easy_perform(c);
	long status = 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	bool good = false;
	if (b.overflow)
		snprintf(err, errlen, "the Docker daemon at %s sent more than %zu MiB for %s",
			 ep.name, max >> 20, request);
	else if (rc != CURLE_OK)
		transport_error(err, errlen, &ep, c, rc, errbuf, request);
	else if (status != 200)
		http_error(err, errlen, &ep, request, status, b.p, b.len);
	else
		good = true;
	curl_easy_cleanup(c);
	if (!good) {
		free(b.p);
		return NULL;
	}
	if (!b.p) {   /* an empty answer: "", for the caller's parser to judge */
		b.p = xmalloc(1);
		b.p[0] = '\0';
	}
	*len = b.len;
	return b.p;
}

const char *docker_host_name(void)
{
	const char *host = getenv("DOCKER_HOST");
	return host && *host ? host : DOCKER_DEFAULT_HOST;
}

struct docker_state *docker_state_fetch(struct arena *a, char *err, size_t errlen)
{
	size_t len = 0;
	char *body = docker_api_get("/networks", DOCKER_STATE_MAX, &len, err, errlen);
	if (!body)
		return NULL;
	struct docker_state *s = docker_state_parse(a, body, len, docker_host_name(), err, errlen);
	free(body);
	return s;
}

/* ---- events ---- */

struct docker_events {
	struct endpoint ep;
	CURLM *multi;
	CURL *easy;
	char errbuf[CURL_ERROR_SIZE];
	struct body line;        /* 200: the partial line; otherwise the error body */
	bool done;               /* the transfer ended, with result */
	CURLcode result;
	char failure[1024];      /* once the stream is gone, what every wait says */
	unsigned long pending;   /* complete events not yet reported by a wait */
	unsigned long reported_n; /* docker_events_count() */
	char changes[256];       /* theirs, "ACTION NAME, ..." */
	char reported[256];      /* docker_events_changes() */
	volatile sig_atomic_t *stop;
};

static void note_change(struct docker_events *ev, const char *what)
{
	size_t used = strlen(ev->changes), room = sizeof(ev->changes) - used;
	ev->pending++;
	if (used >= 3 && strcmp(ev->changes + used - 3, "...") == 0)
		return;
	/* Keep 5 bytes for ", ..." should a later event not fit. */
	int w = snprintf(ev->changes + used, room, "%s%s", used ? ", " : "", what);
	if (w < 0 || (size_t)w + 5 >= room) {
		ev->changes[used] = '\0';
		snprintf(ev->changes + used, room, "%s...", used ? ", " : "");
	}
}

/* One line of the stream: {"Type":"network","Action":"create",
 * "Actor":{"ID":...,"Attributes":{"name":"net1",...}},...}.  Any line
 * counts as a change, readable or not: a refetch is cheap, a missed
 * network is a wrong firewall. */
static void handle_event(struct docker_events *ev, const char *text, size_t len)
{
	while (len && (text[len - 1] == '\r' || text[len - 1] == ' '))
		len--;
	if (len == 0)
		return;
	json_t *j = json_loadb(text, len, 0, NULL);
	const char *action = j ? get_string(j, "Action") : NULL;
	const json_t *attrs = j ? json_object_get(json_object_get(j, "Actor"), "Attributes") : NULL;
	const char *name = attrs ? get_string(attrs, "name") : NULL;
	char what[160];
	if (action)
		snprintf(what, sizeof(what), "%.40s %.100s", action, name ? name : "?");
	else
		snprintf(what, sizeof(what), "unreadable event");
	note_change(ev, what);
	json_decref(j);
}

static size_t events_write(char *data, size_t size, size_t nmemb, void *userdata)
{
	struct docker_events *ev = userdata;
	size_t n = size * nmemb;
	long status = 0;
	curl_easy_getinfo(ev->easy, CURLINFO_RESPONSE_CODE, &status);
	if (status != 200) {
		/* An error body: kept (the start of it) for the message. */
		if (ev->line.len < ERROR_BODY_MAX)
			body_append(&ev->line, data, n < ERROR_BODY_MAX ? n : ERROR_BODY_MAX);
		return n;
	}
	if (!body_append(&ev->line, data, n))
		return 0;
	char *start = ev->line.p, *nl;
	while ((nl = memchr(start, '\n', ev->line.len - (size_t)(start - ev->line.p)))) {
		handle_event(ev, start, (size_t)(nl - start));
		start = nl + 1;
	}
	ev->line.len -= (size_t)(start - ev->line.p);
	memmove(ev->line.p, start, ev->line.len);
	ev->line.p[ev->line.len] = '\0';
	return n;
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Runs the transfer as far as it goes without blocking; notes its end. */
static bool events_step(struct docker_events *ev, char *err, size_t errlen)
{
	int running, left;
	CURLMcode mc = curl_multi_perform(ev->multi, &running);
	if (mc != CURLM_OK) {
		snprintf(err, errlen, "reading Docker events from %s failed: %s", ev->ep.name,
			 curl_multi_strerror(mc));
		return false;
	}
	CURLMsg *m;
	while ((m = curl_multi_info_read(ev->multi, &left)))
		if (m->msg == CURLMSG_DONE) {
			ev->done = true;
			ev->result = m->data.result;
		}
	return true;
}

static bool events_poll(struct docker_events *ev, int ms, char *err, size_t errlen)
{
	CURLMcode mc = curl_multi_poll(ev->multi, NULL, 0, ms, NULL);
	if (mc != CURLM_OK) {
		snprintf(err, errlen, "waiting for Docker events from %s failed: %s", ev->ep.name,
			 curl_multi_strerror(mc));
		return false;
	}
	return true;
}

/* Why the stream is over, once ev->done. */
static void events_ended(struct docker_events *ev, char *err, size_t errlen)
{
	if (ev->line.overflow)
		snprintf(err, errlen, "the Docker daemon at %s sent an event longer than %u KiB",
			 ev->ep.name, EVENT_LINE_MAX >> 10);
	else if (ev->result == CURLE_OK)
		snprintf(err, errlen,
			 "the Docker daemon at %s ended the event stream (did dockerd stop or restart?)",
			 ev->ep.name);
	else if (ev->result == CURLE_PARTIAL_FILE || ev->result == CURLE_RECV_ERROR ||
		 ev->result == CURLE_GOT_NOTHING)
		snprintf(err, errlen,
			 "lost the event stream of the Docker daemon at %s: %s (did dockerd stop or restart?)",
			 ev->ep.name, ev->errbuf[0] ? ev->errbuf : curl_easy_strerror(ev->result));
	else
		transport_error(err, errlen, &ev->ep, ev->easy, ev->result, ev->errbuf, "GET /events");
}

/* Drives the request until the status line is in: an error answer, or a
 * daemon that does not answer, is then open's to report. */
static bool events_await_status(struct docker_events *ev, char *err, size_t errlen)
{
	long deadline = now_ms() + OPEN_TIMEOUT_MS, status = 0;
	for (;;) {
		if (!events_step(ev, err, errlen))
			return false;
		curl_easy_getinfo(ev->easy, CURLINFO_RESPONSE_CODE, &status);
		if (ev->done || (status == 200))
			break;
		long left = deadline - now_ms();
		if (left <= 0) {
			snprintf(err, errlen,
				 "the Docker daemon at %s did not answer GET /events within %d s "
				 "(is dockerd stuck?)", ev->ep.name, OPEN_TIMEOUT_MS / 1000);
			return false;
		}
		if (!events_poll(ev, left < WAIT_SLICE_MS ? (int)left : WAIT_SLICE_MS, err, errlen))
			return false;
	}
	if (status != 200 && status != 0) {
		http_error(err, errlen, &ev->ep, "GET /events", status, ev->line.p, ev->line.len);
		return false;
	}
	if (ev->done) {
		events_ended(ev, err, errlen);
		return false;
	}
	return true;
}

struct docker_events *docker_events_open(char *err, size_t errlen)
{
	struct docker_events *ev = xmalloc(sizeof(*ev));
	memset(ev, 0, sizeof(*ev));
	ev->line.max = EVENT_LINE_MAX;
	if (!endpoint_from_env(&ev->ep, err, errlen)) {
		free(ev);
		return NULL;
	}
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	ev->easy = new_easy(&ev->ep, "", ev->errbuf);
	ev->multi = curl_multi_init();
	char *filters = ev->easy ? curl_easy_escape(ev->easy, "{\"type\":[\"network\"]}", 0) : NULL;
	if (!ev->easy || !ev->multi || !filters) {
		snprintf(err, errlen, "cannot set up an HTTP client (libcurl) for %s", ev->ep.name);
		curl_free(filters);
		docker_events_close(ev);
		return NULL;
	}
	char path[256];
	snprintf(path, sizeof(path), "/events?since=%lld.%09ld&filters=%s",
		 (long long)now.tv_sec, now.tv_nsec, filters);
	curl_free(filters);
	char url[1024];
	snprintf(url, sizeof(url), "%s%s", ev->ep.base, path);
	curl_easy_setopt(ev->easy, CURLOPT_URL, url);
	curl_easy_setopt(ev->easy, CURLOPT_WRITEFUNCTION, events_write);
	curl_easy_setopt(ev->easy, CURLOPT_WRITEDATA, ev);
	/* No total timeout: the stream is quiet for as long as nothing changes.
	 * Keepalive probes notice a daemon host that vanished over TCP. */
	curl_easy_setopt(ev->easy, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_multi_add_handle(ev->multi, ev->easy);
	if (!events_await_status(ev, err, errlen)) {
		docker_events_close(ev);
		return NULL;
	}
	return ev;
}

int docker_events_wait(struct docker_events *ev, int timeout_ms, char *err, size_t errlen)
{
	if (ev->failure[0]) {
		snprintf(err, errlen, "%s", ev->failure);
		return -1;
	}
	long deadline = now_ms() + (timeout_ms > 0 ? timeout_ms : 0);
	for (;;) {
		if (!events_step(ev, ev->failure, sizeof(ev->failure)))
			break;
		if (ev->pending) {
			snprintf(ev->reported, sizeof(ev->reported), "%s", ev->changes);
			ev->reported_n = ev->pending;
			ev->changes[0] = '\0';
			ev->pending = 0;
			return 1;
		}
		if (ev->done) {
			events_ended(ev, ev->failure, sizeof(ev->failure));
			break;
		}
		if (ev->stop && *ev->stop)
			return 0;
		long left = timeout_ms < 0 ? WAIT_SLICE_MS : deadline - now_ms();
		if (left <= 0)
			return 0;
		if (!events_poll(ev, left < WAIT_SLICE_MS ? (int)left : WAIT_SLICE_MS,
				 ev->failure, sizeof(ev->failure)))
			break;
	}
	snprintf(err, errlen, "%s", ev->failure);
	return -1;
}

void docker_events_set_stop(struct docker_events *ev, volatile sig_atomic_t *stop)
{
	ev->stop = stop;
}

const char *docker_events_changes(const struct docker_events *ev)
{
	return ev->reported;
}

unsigned long docker_events_count(const struct docker_events *ev)
{
	return ev->reported_n;
}

void docker_events_close(struct docker_events *ev)
{
	if (!ev)
		return;
	if (ev->multi && ev->easy)
		curl_multi_remove_handle(ev->multi, ev->easy);
	if (ev->easy)
		curl_easy_cleanup(ev->easy);
	if (ev->multi)
		curl_multi_cleanup(ev->multi);
	free(ev->line.p);
	free(ev);
}
