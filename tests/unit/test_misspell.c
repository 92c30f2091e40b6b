/*
 * test_misspell.c - misspell.c: edit distance and the closest candidate.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "compiler/arena.h"
#include "compiler/misspell.h"
#include "compiler/service_hint.h"

static void test_distance(void **state)
{
	(void)state;
	assert_int_equal(misspell_distance("allow", "allow", 3), 0);
	assert_int_equal(misspell_distance("alow", "allow", 3), 1);        /* deletion */
	assert_int_equal(misspell_distance("alllow", "allow", 3), 1);      /* insertion */
	assert_int_equal(misspell_distance("allaw", "allow", 3), 1);       /* substitution */
	assert_int_equal(misspell_distance("alolw", "allow", 3), 1);       /* transposition */
	assert_int_equal(misspell_distance("htps", "https", 3), 1);
	assert_int_equal(misspell_distance("echo-requets", "echo-request", 3), 1);
	assert_int_equal(misspell_distance("kitten", "sitting", 5), 3);
	assert_int_equal(misspell_distance("", "abc", 5), 3);
	assert_int_equal(misspell_distance("abc", "", 5), 3);
	assert_int_equal(misspell_distance("", "", 0), 0);
	/* Past max: max + 1, however far. */
	assert_int_equal(misspell_distance("kitten", "sitting", 2), 3);
	assert_int_equal(misspell_distance("a", "abcdefgh", 2), 3);
	assert_int_equal(misspell_distance("qwertyuiop", "admins", 1), 2);
}

static void test_threshold(void **state)
{
	(void)state;
	assert_int_equal(misspell_threshold(""), 1);
	assert_int_equal(misspell_threshold("ab"), 1);
	assert_int_equal(misspell_threshold("alow"), 1);
	assert_int_equal(misspell_threshold("admin"), 1);
	assert_int_equal(misspell_threshold("echo-requst"), 3);
}

static void test_closest(void **state)
{
	(void)state;
	struct misspell m;
	misspell_init(&m, "alow");
	misspell_offer(&m, "deny");
	misspell_offer(&m, "allow");
	misspell_offer(&m, "default");
	assert_non_null(m.best);
	assert_string_equal(m.best, "allow");
	assert_int_equal(m.dist, 1);

	/* The first of equally close candidates stays. */
	misspell_init(&m, "ab");
	misspell_offer(&m, "abc");
	misspell_offer(&m, "abd");
	assert_string_equal(m.best, "abc");

	/* A closer one replaces it. */
	misspell_init(&m, "echo-requst");
	misspell_offer(&m, "echo-reply");
	misspell_offer(&m, "echo-request");
	assert_string_equal(m.best, "echo-request");

	/* Nothing close, the word itself, no candidate: no suggestion. */
	misspell_init(&m, "qwertyuiop");
	misspell_offer(&m, "admins");
	misspell_offer(&m, NULL);
	assert_null(m.best);
	misspell_init(&m, "ssh");
	misspell_offer(&m, "ssh");
	assert_null(m.best);
	misspell_init(&m, "SSH");
	misspell_offer(&m, "ssh");
	assert_null(m.best);
}

static void test_long_words(void **state)
{
	(void)state;
	char a[200], b[200];
	memset(a, 'x', sizeof(a) - 1);
	a[sizeof(a) - 1] = '\0';
	memcpy(b, a, sizeof(b));
	/* Longer than the table: never close, never out of bounds. */
	assert_int_equal(misspell_distance(a, b, 3), 4);
	struct misspell m;
	misspell_init(&m, a);
	misspell_offer(&m, "x");
	assert_null(m.best);
}

/* The host's services as a test fixes them: smtps is 465/tcp. */
static bool fake_host(const char *name, const char *proto, int *port, const char **proto_found)
{
	(void)proto;
	if (strcmp(name, "smtps") != 0)
		return false;
	*port = 465;
	*proto_found = "tcp";
	return true;
}

/* A suggested service never hides its port, a name the host knows gets
 * its number, and sftp is no ftp. */
static void test_service_hint(void **state)
{
	(void)state;
	struct arena a;
	arena_init(&a);
	const char *defs[] = { "web", "mail_ports" };
	service_hint_set_host(NULL);
	assert_string_equal(service_hint(&a, "htps", "tcp", NULL, 0), "; did you mean 'https' (tcp 443)?");
	assert_string_equal(service_hint(&a, "ntpp", "udp", NULL, 0), "; did you mean 'ntp' (udp 123)?");
	assert_string_equal(service_hint(&a, "smtpp", NULL, NULL, 0), "; did you mean 'smtp' (port 25)?");
	assert_string_equal(service_hint(&a, "sftp", "tcp", NULL, 0),
			    "; sftp runs over SSH: write 'ssh' (tcp 22)");
	assert_string_equal(service_hint(&a, "SSH", "tcp", NULL, 0),
			    "; service names are lower case: did you mean 'ssh' (tcp 22)?");
	assert_string_equal(service_hint(&a, "WEB", "tcp", defs, 2),
			    "; names are case-sensitive: did you mean 'web'?");
	assert_string_equal(service_hint(&a, "mail_port", "tcp", defs, 2), "; did you mean 'mail_ports'?");
	/* No host: smtps is only a look-alike, shown with its port. */
	assert_string_equal(service_hint(&a, "smtps", "tcp", NULL, 0), "; did you mean 'smtp' (tcp 25)?");
	assert_null(service_hint(&a, "qwertyuiop", "tcp", NULL, 0));
	service_hint_set_host(fake_host);
	assert_string_equal(service_hint(&a, "smtps", "tcp", NULL, 0),
			    "; d6c has no service 'smtps': write the number: tcp 465 (/etc/services: 465/tcp)");
	assert_string_equal(service_hint(&a, "smtps", NULL, NULL, 0),
			    "; d6c has no service 'smtps': write the number: tcp 465 (/etc/services: 465/tcp)");
	service_hint_set_host(NULL);
	arena_free(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_distance),
		cmocka_unit_test(test_threshold),
		cmocka_unit_test(test_closest),
		cmocka_unit_test(test_long_words),
		cmocka_unit_test(test_service_hint),
	};
	return cmocka_run_group_tests_name("misspell", tests, NULL, NULL);
}
