/*
 * fuzz_common.c - the in-memory file system, the pipeline and the fixtures
 * that the fuzz targets share (fuzz_common.h).
 *
 * memfs paths are kept normalised and absolute ("/fuzz/dir/c.pol"); a
 * directory exists when some file lies below it.  __wrap_realpath follows
 * realpath(3) on such a tree: "." and ".." resolved, every component but the
 * last a directory (ENOTDIR, ENOENT otherwise), ENAMETOOLONG past PATH_MAX.
 * __wrap_glob lists a directory of it as glob(3) would for a pattern whose
 * only wildcards are in the file name (the only kind d6c passes it).
 */
#include "fuzz_common.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <jansson.h>

#include "compiler/diag_json.h"
#include "compiler/emit_json.h"
#include "compiler/emit_text.h"
#include "compiler/ir.h"
#include "compiler/lint.h"
#include "compiler/parse.h"
#include "compiler/docker_state.h"

/* ---- the in-memory file system ---- */

#define MEMFS_MAX 64

struct memfs_file {
	char path[PATH_MAX];
	const char *text;
	size_t len;
};

static struct memfs_file files[MEMFS_MAX];
static int nfiles;
static bool active;

FILE *__real_fopen(const char *path, const char *mode);
FILE *__wrap_fopen(const char *path, const char *mode);
int __real_open(const char *path, int flags, ...);
int __wrap_open(const char *path, int flags, ...);
char *__real_realpath(const char *path, char *resolved);
char *__wrap_realpath(const char *path, char *resolved);
int __real_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g);
int __wrap_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g);
void __real_globfree(glob_t *g);
void __wrap_globfree(glob_t *g);

/* path made absolute against MEMFS_CWD, "." and ".." and repeated '/'
 * removed, into out (PATH_MAX bytes); false (errno set) when too long.
 * *dirs_ok is cleared when a component before the last is a file or missing
 * (errno then says which, as the kernel would). */
static bool normalise(const char *path, char *out, bool *dirs_ok);

static bool is_file(const char *abs, const struct memfs_file **f)
{
	for (int i = 0; i < nfiles; i++)
		if (strcmp(files[i].path, abs) == 0) {
			if (f)
				*f = &files[i];
			return true;
		}
	return false;
}

static bool is_dir(const char *abs)
{
	if (strcmp(abs, "/") == 0 || strcmp(abs, MEMFS_CWD) == 0)
		return true;
	size_t n = strlen(abs);
	for (int i = 0; i < nfiles; i++)
		if (strncmp(files[i].path, abs, n) == 0 && files[i].path[n] == '/')
			return true;
	return false;
}

static bool normalise(const char *path, char *out, bool *dirs_ok)
{
	char buf[2 * PATH_MAX];
	*dirs_ok = true;
	if (strlen(path) >= PATH_MAX) {
		errno = ENAMETOOLONG;
		return false;
	}
	if (path[0] == '/')
		snprintf(buf, sizeof(buf), "%s", path);
	else
		snprintf(buf, sizeof(buf), "%s/%s", MEMFS_CWD, path);
	size_t n = 0;          /* length of out, without a trailing '/' */
	out[0] = '\0';
	for (char *p = buf, *end; *p; p = end) {
		while (*p == '/')
			p++;
		if (!*p)
			break;
		end = strchr(p, '/');
		if (!end)
			end = p + strlen(p);
		size_t len = (size_t)(end - p);
		/* The part so far must be a directory to go on below it. */
		out[n] = '\0';
		if (*dirs_ok && !is_dir(n ? out : "/")) {
			*dirs_ok = false;
			errno = is_file(out, NULL) ? ENOTDIR : ENOENT;
		}
		if (len == 1 && p[0] == '.')
			continue;
		if (len == 2 && p[0] == '.' && p[1] == '.') {
			while (n > 0 && out[n - 1] != '/')
				n--;
			if (n > 0)
				n--;
			continue;
		}
		if (n + 1 + len >= PATH_MAX) {
			errno = ENAMETOOLONG;
			return false;
		}
		out[n++] = '/';
		memcpy(out + n, p, len);
		n += len;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return true;
}

FILE *__wrap_fopen(const char *path, const char *mode)
{
	if (!active)
		return __real_fopen(path, mode);
	char abs[PATH_MAX];
	bool dirs_ok;
	if (!*path) {
		errno = ENOENT;
		return NULL;
	}
	const struct memfs_file *f;
	if (!normalise(path, abs, &dirs_ok) || !dirs_ok)
		return NULL;
	if (strchr(mode, 'w') || strchr(mode, 'a') || strchr(mode, '+')) {
		errno = EROFS;
		return NULL;
	}
	if (!is_file(abs, &f)) {
		errno = is_dir(abs) ? EISDIR : ENOENT;
		return NULL;
	}
	if (path[strlen(path) - 1] == '/') {
		errno = ENOTDIR;
		return NULL;
	}
	if (f->len == 0)
		return __real_fopen("/dev/null", "rb");
	return fmemopen((void *)(uintptr_t)f->text, f->len, "r");
}

/* src_read() opens with open(2), then judges the file by fstat and reads
 * it with read(2): a memfd holding the text is a regular file of its size
 * to both; a directory is the real "/" opened as one. */
int __wrap_open(const char *path, int flags, ...)
{
	if (!active) {
		va_list ap;
		va_start(ap, flags);
		mode_t mode = (flags & (O_CREAT | O_TMPFILE)) ? (mode_t)va_arg(ap, int) : 0;
		va_end(ap);
		return __real_open(path, flags, mode);
	}
	char abs[PATH_MAX];
	bool dirs_ok;
	if (!*path) {
		errno = ENOENT;
		return -1;
	}
	const struct memfs_file *f;
	if (!normalise(path, abs, &dirs_ok) || !dirs_ok)
		return -1;
	if ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)) {
		errno = EROFS;
		return -1;
	}
	if (!is_file(abs, &f)) {
		if (is_dir(abs))
			return __real_open("/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		errno = ENOENT;
		return -1;
	}
	if (path[strlen(path) - 1] == '/') {
		errno = ENOTDIR;
		return -1;
	}
	int fd = memfd_create("memfs", MFD_CLOEXEC);
	if (fd < 0)
		return -1;
	size_t done = 0;
	while (done < f->len) {
		ssize_t n = write(fd, f->text + done, f->len - done);
		if (n <= 0) {
			close(fd);
			errno = EIO;
			return -1;
		}
		done += (size_t)n;
	}
	lseek(fd, 0, SEEK_SET);
	return fd;
}

char *__wrap_realpath(const char *path, char *resolved)
{
	if (!active)
		return __real_realpath(path, resolved);
	char abs[PATH_MAX];
	bool dirs_ok;
	if (!*path) {
		errno = ENOENT;
		return NULL;
	}
	if (!normalise(path, abs, &dirs_ok) || !dirs_ok)
		return NULL;
	bool file = is_file(abs, NULL);
	if (!file && !is_dir(abs)) {
		errno = ENOENT;
		return NULL;
	}
	if (file && path[strlen(path) - 1] == '/') {
		errno = ENOTDIR;
		return NULL;
	}
	if (!resolved)
		return strdup(abs);
	memcpy(resolved, abs, strlen(abs) + 1);
	return resolved;
}

/* The directory part of a pattern as glob(3) spells it in its results:
 * backslashes taken off; false when it holds a wildcard of its own. */
static bool plain_dir(const char *pattern, size_t len, char *out)
{
	size_t n = 0;
	for (size_t i = 0; i < len; i++) {
		if (pattern[i] == '\\' && i + 1 < len)
			i++;
		else if (strchr("*?[", pattern[i]))
			return false;
		out[n++] = pattern[i];
	}
	out[n] = '\0';
	return true;
}

static void glob_add(glob_t *g, const char *dir, const char *name, size_t len, bool is_dir_)
{
	char *p = NULL;
	if (asprintf(&p, "%s%.*s%s", dir, (int)len, name, is_dir_ ? "/" : "") < 0)
		abort();
	g->gl_pathv = realloc(g->gl_pathv, (g->gl_pathc + 2) * sizeof(*g->gl_pathv));
	if (!g->gl_pathv)
		abort();
	g->gl_pathv[g->gl_pathc++] = p;
	g->gl_pathv[g->gl_pathc] = NULL;
}

int __wrap_glob(const char *pattern, int flags, int (*errfunc)(const char *, int), glob_t *g)
{
	if (!active)
		return __real_glob(pattern, flags, errfunc, g);
	*g = (glob_t){ 0 };
	const char *last = strrchr(pattern, '/');
	const char *name = last ? last + 1 : pattern;
	char dir[PATH_MAX], abs[PATH_MAX], written[PATH_MAX + 1];
	size_t dlen = last ? (size_t)(last - pattern) : 0;
	if (dlen >= PATH_MAX || !plain_dir(pattern, dlen, dir))
		return GLOB_NOMATCH;
	snprintf(written, sizeof(written), "%s%s", dir, last ? "/" : "");
	bool dirs_ok;
	if (!normalise(last ? (dlen ? dir : "/") : ".", abs, &dirs_ok) || !dirs_ok || !is_dir(abs))
		return GLOB_NOMATCH;
	/* Each name below abs once, in the order of the files that hold it. */
	size_t alen = strcmp(abs, "/") == 0 ? 0 : strlen(abs);
	for (int i = 0; i < nfiles; i++) {
		const char *p = files[i].path;
		if (strncmp(p, abs, alen) != 0 || p[alen] != '/')
			continue;
		const char *child = p + alen + 1;
		size_t clen = strcspn(child, "/");
		bool seen = false;
		for (int j = 0; j < i && !seen; j++)
			seen = strncmp(files[j].path, p, alen + 1 + clen) == 0 &&
			       (files[j].path[alen + 1 + clen] == '/' || files[j].path[alen + 1 + clen] == '\0');
		char one[PATH_MAX];
		snprintf(one, sizeof(one), "%.*s", (int)clen, child);
		if (seen || fnmatch(name, one, FNM_PERIOD) != 0)
			continue;
		glob_add(g, written, child, clen, child[clen] == '/' && (flags & GLOB_MARK));
	}
	return g->gl_pathc ? 0 : GLOB_NOMATCH;
}

void __wrap_globfree(glob_t *g)
{
	if (!active) {
		__real_globfree(g);
		return;
	}
	for (size_t i = 0; i < g->gl_pathc; i++)
		free(g->gl_pathv[i]);
	free(g->gl_pathv);
	*g = (glob_t){ 0 };
}

void memfs_begin(void)
{
	nfiles = 0;
	active = true;
}

void memfs_add(const char *path, const char *text, size_t len)
{
	bool dirs_ok;
	if (nfiles == MEMFS_MAX || !normalise(path, files[nfiles].path, &dirs_ok))
		abort();
	files[nfiles].text = text;
	files[nfiles].len = len;
	nfiles++;
}

void memfs_end(void)
{
	active = false;
	nfiles = 0;
}

/* ---- the pipeline ---- */

FILE *fuzz_devnull(void)
{
	static FILE *devnull;
	if (!devnull) {
		devnull = __real_fopen("/dev/null", "w");
		if (!devnull)
			abort();
	}
	return devnull;
}

void fuzz_print_diags(struct diag_list *dl)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *ms = open_memstream(&buf, &len);
	if (!ms)
		abort();
	diag_print(dl, ms, false);
	diag_print(dl, ms, true);
	diag_github_print(ms, dl);
	json_t *arr = json_array();
	diag_json_append(arr, dl);
	json_dumpf(arr, ms, JSON_INDENT(2));
	json_decref(arr);
	json_t *results = json_array();
	diag_sarif_append(results, dl);
	json_t *sarif = diag_sarif_log(results);
	json_dumpf(sarif, ms, JSON_INDENT(2));
	json_decref(sarif);
	fclose(ms);
	free(buf);
}

void fuzz_pipeline(struct arena *a, struct diag_list *dl, const struct ast_item *ast,
		   const char *top, const struct sema_docker *dk)
{
	struct sema_policy *sp = sema_check_docker(a, dl, ast, top, dk);
	if (!diag_has_errors(dl)) {
		struct ir_options opt = { .table = "d6c", .priority = "filter - 1",
					  .priority_num = -1, .accept_mark = 0x100,
					  .accept_mask = 0x100 };
		struct ir_policy *ir = ir_lower(a, sp, &opt);
		lint_check(dl, sp);
		FILE *out = fuzz_devnull();
		if (emit_text(ir, out) != 0)
			abort();
		json_t *j = emit_json_build(ir);
		if (!j)
			abort();
		json_dumpf(j, out, JSON_INDENT(2));
		json_decref(j);
		fflush(out);
	}
	fuzz_print_diags(dl);
}

/* ---- fixtures ---- */

static struct arena fixture_arena;   /* lives as long as the process */

static const char docker_json[] =
	"[{\"Name\":\"web\",\"Id\":\"aa11\",\"IPAM\":{\"Config\":["
	"{\"Subnet\":\"172.30.1.0/24\"},{\"Subnet\":\"2001:db8:d0c::/64\"}]}},"
	"{\"Name\":\"db\",\"Id\":\"bb22\",\"IPAM\":{\"Config\":[{\"Subnet\":\"2001:db8:d00::/64\"}]}},"
	"{\"Name\":\"dual\",\"Id\":\"cc33\",\"IPAM\":{\"Config\":["
	"{\"Subnet\":\"192.0.2.0/24\"},{\"Subnet\":\"2001:db8:d0d::1/64\"}]}},"
	"{\"Name\":\"none\",\"Id\":\"dd44\",\"IPAM\":{\"Config\":[]}}]";

static const struct docker_state *docker_fixture;

const struct docker_state *fuzz_docker_fixture(void)
{
	return docker_fixture;
}

/* Every kind of thing the evaluator decides on: nested blocks (a host in a
 * /64, a /64 in a /48), both families, a dual-stack define, each verdict,
 * logging, port lists and ranges, ICMP basic and named types, sources of
 * both families, a block without a default. */
static const char fixed_policy_text[] =
	"define admins = 2001:db8:ffff::/48, 2001:db8:eeee::7, 198.51.100.0/24;\n"
	"define web = http, https, 8080;\n"
	"define bridge = 2001:db8:d0c::/64, 172.20.0.0/16;\n"
	"network 2001:db8::/48 < allow icmp basic; default reject; >\n"
	"network 2001:db8::/64 <\n"
	"    allow tcp ssh from admins;\n"
	"    allow tcp web;\n"
	"    allow tcp 8000-8100;\n"
	"    allow udp 53, 123;\n"
	"    allow icmp basic;\n"
	"    reject tcp 25 log;\n"
	"    deny from 2001:db8:bad::/48;\n"
	"    default drop log;\n"
	">\n"
	"network 2001:db8::10 < allow tcp 5432 from 2001:db8::/64; >\n"
	"network 2001:db8:0:1::/64, 2001:db8:0:2::/64 < allow tcp 443; >\n"
	"network bridge <\n"
	"    allow tcp http, https;\n"
	"    allow udp dns;\n"
	"    allow tcp 9100 from admins;\n"
	"    allow icmp router-advertisement;\n"
	"    allow icmp echo-request, packet-too-big;\n"
	"    reject tcp smtp log;\n"
	"    default reject;\n"
	">\n"
	"network 192.0.2.0/24 < allow tcp 80; allow icmp basic; deny udp; >\n"
	"network 10.0.0.0/8 < allow from 10.1.0.0/16 log; deny icmp; allow udp 1000-2000; >\n";

static const struct sema_policy *fixed_policy;

const struct sema_policy *fuzz_fixed_policy(void)
{
	return fixed_policy;
}

/* An include that must reach the in-memory files, or the wraps are no longer
 * what source.c and parse.c call. */
static void check_memfs_reached(void)
{
	static const char top[] = "include \"dir/inc.pol\";\ninclude \"dir/*.pol\";\n";
	static const char inc[] = "network 2001:db8::/64 < allow tcp 22; >\n";
	struct arena a;
	arena_init(&a);
	struct diag_list dl;
	diag_init(&dl, &a);
	memfs_begin();
	memfs_add("top.pol", top, sizeof(top) - 1);
	memfs_add("dir/inc.pol", inc, sizeof(inc) - 1);
	memfs_add("dir/x.pol", "define x = 1;\n", 14);
	bool unreadable;
	struct ast_item *ast = parse_file(&a, &dl, "top.pol", &unreadable);
	memfs_end();
	/* The glob matches dir/inc.pol and dir/x.pol: the first was read. */
	const struct ast_item *g = ast ? ast->next : NULL;
	if (unreadable || diag_has_errors(&dl) || !ast || ast->kind != ITEM_INCLUDE || !ast->body ||
	    !g || g->body || !g->next || !g->next->body) {
		fprintf(stderr, "fuzz_common: an include did not reach the in-memory files: the "
			"compiler no longer reads through fopen()/realpath()/glob(); update "
			"tests/fuzz/fuzz_common.c and the Makefile's --wrap flags\n");
		diag_print(&dl, stderr, false);
		abort();
	}
	arena_free(&a);
}

void fuzz_init_common(void)
{
	static bool done;
	if (done)
		return;
	done = true;
	fuzz_devnull();
	arena_init(&fixture_arena);
	char err[512];
	docker_fixture = docker_state_parse(&fixture_arena, docker_json, sizeof(docker_json) - 1,
					    "fixture.json", err, sizeof(err));
	if (!docker_fixture) {
		fprintf(stderr, "fuzz_common: the Docker fixture does not parse: %s\n", err);
		abort();
	}
	struct diag_list dl;
	diag_init(&dl, &fixture_arena);
	struct ast_item *ast = parse_string(&fixture_arena, &dl, "fixed.pol", fixed_policy_text);
	fixed_policy = sema_check(&fixture_arena, &dl, ast, "fixed.pol");
	if (diag_has_errors(&dl) || !fixed_policy) {
		diag_print(&dl, stderr, false);
		abort();
	}
	check_memfs_reached();
}
