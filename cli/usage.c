/*
 * usage.c - the --help text of d6c and of each command.
 *
 * tests/install checks that the bash completion and the manual page name
 * every option these texts name.
 */
#include "cli.h"

const char usage_main[] =
	"Usage: d6c COMMAND [OPTION]... POLICY...\n"
	"Compile a firewall policy for IPv6 container networks into nftables.\n"
	"\n"
	"Commands:\n"
	"  compile   print (or write with -o) the nftables ruleset of a policy\n"
	"  check     parse and check policies only; diagnostics on standard error\n"
	"  apply     compile and commit to the running kernel (needs CAP_NET_ADMIN)\n"
	"  confirm   keep a ruleset applied with 'apply --confirm'\n"
	"  rollback  put the previous table back now, during 'apply --confirm'\n"
	"  status    what is in force, from which policy, and whether it still is\n"
	"  diff      what 'apply' would change against the live table\n"
	"  remove    delete d6c's table and its rule in Docker's chains\n"
	"  doctor    say whether the host (Docker, other tables) does what d6c says\n"
	"  explain   say what a policy does to packets, and which rule decides\n"
	"  test      check the expectations of a policy's test file\n"
	"  fmt       reprint policies in the canonical layout (or check or diff it)\n"
	"  stats     say which lines of a policy the live table's counters saw used\n"
	"\n"
	"Options:\n"
	"  -h, --help      show this help, or a command's with 'd6c COMMAND --help'\n"
	"  -V, --version   show the version\n"
	"\n"
	"Exit status: 0 success, 1 the policy has errors, 2 usage, I/O or system errors.\n"
	"The language is described in LANGUAGE.md.\n";

#define USAGE_DOCKER \
	"      --docker          resolve docker \"NAME\" networks from the Docker daemon\n" \
	"                        ($DOCKER_HOST, default unix:///var/run/docker.sock)\n" \
	"      --docker-state FILE\n" \
	"                        resolve them from FILE, a saved GET /networks of the\n" \
	"                        Engine API (or docker network inspect output)\n"

/* The commands that compile a policy take it, so that CI can pass one
 * --disable to all of them. */
#define USAGE_DISABLE \
	"      --disable CODES   silence these warnings in this run: codes as W011 or\n" \
	"                        D6C-W011, separated by ','; repeatable (a comment\n" \
	"                        '# d6c: disable W011 -- why' silences one line)\n"

const char usage_compile[] =
	"Usage: d6c compile [OPTION]... POLICY\n"
	"Compile POLICY ('-' for standard input) into an nftables script for 'nft -f'.\n"
	"\n"
	"  -f, --format FORMAT   'text' (an nftables script for nft -f, the default) or\n"
	"                        'json' (the nftables JSON ruleset, for nft -j -f)\n"
	"  -o, --output FILE     write to FILE (atomically: on any error FILE is unchanged)\n"
	"                        instead of standard output\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --priority PRIO   forward hook priority: a number or nftables' symbolic\n"
	"                        form, e.g. 'filter - 5' (default: filter - 1, before\n"
	"                        Docker's and other tools' chains at filter)\n"
	"      --counters        a named counter on every rule, for 'd6c stats' (as a\n"
	"                        'counters;' statement in the policy)\n"
	"      --accept-mark VALUE[/MASK]\n"
	"                        set these bits of the packet mark on every packet d6c\n"
	"                        accepts, for one rule in Docker's table to accept\n"
	"                        them too (see \"Running with Docker\" in LANGUAGE.md)\n"
	"      --werror          treat warnings as errors\n"
	"      --diagnostics-format FORMAT\n"
	"                        errors and warnings as 'text' (the default), 'json',\n"
	"                        'github' (workflow commands) or 'sarif' (SARIF 2.1.0),\n"
	"                        on standard error in every format\n"
	"      --color WHEN      colour text diagnostics: 'auto' (the default: when\n"
	"                        standard error is a terminal and NO_COLOR is unset),\n"
	"                        'always' or 'never'\n"
	USAGE_DOCKER
	USAGE_DISABLE
	"  -h, --help            show this help\n";

const char usage_check[] =
	"Usage: d6c check [OPTION]... POLICY...\n"
	"Parse and check each POLICY; report every error and warning.\n"
	"\n"
	"  -f, --format FORMAT   'text' (the default): clang style on standard error;\n"
	"                        'json' (one array), 'github' (workflow commands) or\n"
	"                        'sarif' (one SARIF 2.1.0 log): on standard output,\n"
	"                        one document for all the POLICY files\n"
	"      --color WHEN      colour text diagnostics: 'auto' (the default: when\n"
	"                        standard error is a terminal and NO_COLOR is unset),\n"
	"                        'always' or 'never'\n"
	"      --werror          treat warnings as errors (exit 1 when there are any;\n"
	"                        they are still reported as warnings)\n"
	"      --list-codes      print the table of diagnostic codes and exit\n"
	USAGE_DOCKER
	USAGE_DISABLE
	"  -h, --help            show this help\n";

const char usage_apply[] =
	"Usage: d6c apply [OPTION]... POLICY\n"
	"Compile POLICY and commit it to the running kernel through libnftables, in one\n"
	"transaction that replaces d6c's own table and touches no other.  On any failure\n"
	"the running ruleset stays exactly as it was.\n"
	"\n"
	"  -n, --dry-run         let the kernel check the ruleset; change nothing; say\n"
	"                        what would change, as 'd6c diff' does\n"
	"      --confirm SECONDS restore the previous table unless 'd6c confirm' runs\n"
	"                        within SECONDS (for remote sessions)\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --priority PRIO   forward hook priority (default: filter - 1)\n"
	"      --accept-mark VALUE[/MASK]\n"
	"                        mark what d6c accepts (see 'd6c compile --help')\n"
	"      --counters        a named counter on every rule, for 'd6c stats'\n"
	"      --werror          treat warnings as errors\n"
	"      --follow-docker   stay running: apply again whenever a Docker network\n"
	"                        that POLICY names is created, removed or changed;\n"
	"                        keeps Docker's accept rule in place (--docker-accept)\n"
	"      --docker-accept   mark what d6c accepts (default mark 0x10000000) and put\n"
	"                        one rule accepting that mark first in Docker's\n"
	"                        DOCKER-USER chain (FORWARD on Docker 20.10's IPv6),\n"
	"                        through iptables and ip6tables, so that Docker lets\n"
	"                        through what the policy allows\n"
	"      --no-docker-accept  with --follow-docker: leave Docker's chains alone\n"
	USAGE_DISABLE
	"  -h, --help            show this help\n"
	"\n"
	"docker \"NAME\" networks are resolved from the Docker daemon at $DOCKER_HOST\n"
	"(default unix:///var/run/docker.sock) when POLICY names one.\n"
	"Pending confirmations live in $D6C_RUNDIR (default /run/d6c).\n";

const char usage_confirm[] =
	"Usage: d6c confirm [--table NAME]\n"
	"Keep the ruleset of the last 'd6c apply --confirm'; stop its automatic restore.\n";

const char usage_rollback[] =
	"Usage: d6c rollback [--table NAME]\n"
	"Put the table that the pending 'd6c apply --confirm' replaced back now,\n"
	"instead of when its timeout passes; without one pending, say so (exit 2).\n";

const char usage_status[] =
	"Usage: d6c status [OPTION]... [POLICY]\n"
	"Say whether d6c's table is loaded, which policy it was applied from and when\n"
	"(the record in the table's own comment), whether that policy file still\n"
	"compiles to what is in force, a pending 'apply --confirm' and its time left,\n"
	"and whether 'apply --follow-docker' runs.  With POLICY, compare with that file\n"
	"instead of the recorded one.  Needs root (the policy is loaded into a scratch\n"
	"network namespace to be compared).\n"
	"\n"
	"      --json            the same as one JSON object\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status, as a monitoring check's: 0 current, 1 drifted (the policy changed\n"
	"since the apply, has errors or is gone, or the table was changed in the\n"
	"kernel), 2 absent (no table loaded), 3 unknown (cannot tell: no privilege, a\n"
	"table without d6c's record and no POLICY, usage).\n";

const char usage_diff[] =
	"Usage: d6c diff [OPTION]... POLICY\n"
	"Say what 'd6c apply POLICY' would change in the live table: networks added,\n"
	"removed or changed, with the policy's FILE:LINE and lines, and table-wide rules.\n"
	"The options the table was applied with (its record) are used unless given.\n"
	"Needs root (POLICY is loaded into a scratch network namespace to be compared).\n"
	"\n"
	"      --nft             nft's own lines instead: a unified diff of the two tables\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --priority PRIO   forward hook priority, as apply takes it\n"
	"      --accept-mark VALUE[/MASK]\n"
	"                        the accept mark, as apply takes it\n"
	USAGE_DISABLE
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 no change, 2 a change (as terraform plan -detailed-exitcode),\n"
	"1 the policy has errors, 3 cannot tell (no privilege, usage).\n";

const char usage_remove[] =
	"Usage: d6c remove [--table NAME]\n"
	"Delete d6c's table (table inet d6c) and the rules that accept d6c's mark in\n"
	"Docker's iptables chains (apply --docker-accept); no other table or rule.\n";

const char usage_doctor[] =
	"Usage: d6c doctor [OPTION]... [POLICY]\n"
	"Read the live host, as root, and say whether what happens to forwarded\n"
	"packets is what d6c's policy says: Docker (reachable at $DOCKER_HOST, its\n"
	"version, firewall backend and IPv6 filtering), d6c's table and its mark,\n"
	"d6c's accept rule in Docker's chains, each Docker network (gateway mode, raw\n"
	"PREROUTING drops), other tables' forward chains with policy drop, SRv6 and\n"
	"docker-proxy.  With POLICY, what it protects counts (and only the Docker\n"
	"networks it protects are listed); without, what the live table protects.\n"
	"\n"
	"      --json            the same facts and findings as one JSON object\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --daemon-json FILE  Docker's daemon.json, read for hints (default\n"
	"                        /etc/docker/daemon.json)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 what happens is what the policy says, 1 something makes it\n"
	"otherwise (each problem says what to change), 2 usage errors, a POLICY with\n"
	"errors, or too little of the host could be read (not root).\n";

const char usage_explain[] =
	"Usage: d6c explain [OPTION]... POLICY PACKET...\n"
	"Say what POLICY does to each PACKET, the first packet of a new connection, and\n"
	"which rule or default decides it.  A PACKET is written\n"
	"    PROTO SRC -> DST [port N | type NAME|N]\n"
	"with PROTO tcp, udp or icmp (ICMPv6 for IPv6 addresses), e.g.\n"
	"    'tcp 2001:db8:1::2 -> 2001:db8::10 port 22'\n"
	"PACKET '-' reads one packet a line from standard input ('#' comments).\n"
	"\n"
	"      --json            one JSON object a packet, one a line\n"
	USAGE_DOCKER
	USAGE_DISABLE
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every packet explained, 1 the policy has errors, 2 a malformed\n"
	"packet (nothing is explained) or another usage error.\n";

const char usage_test[] =
	"Usage: d6c test [OPTION]... POLICY [TESTFILE]\n"
	"Check the expectations in TESTFILE (default: POLICY.test), lines such as\n"
	"    expect tcp 2001:db8:1::2 -> 2001:db8::10 port 22 accept;\n"
	"against POLICY, without privileges.  Each failure is reported at its\n"
	"TESTFILE:LINE:COL with the verdict the policy gives and the rule that gives it.\n"
	"\n"
	"      --kernel          send real packets through the compiled ruleset instead,\n"
	"                        in private network namespaces (needs root)\n"
	"  -f, --format FORMAT   with --kernel: load the 'text' (default) or 'json' ruleset\n"
	USAGE_DOCKER
	USAGE_DISABLE
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 every expectation holds, 1 one fails or a file has errors,\n"
	"2 usage, I/O or system errors.\n";

const char usage_fmt[] =
	"Usage: d6c fmt [OPTION]... POLICY...\n"
	"Reprint each POLICY in the one canonical layout of LANGUAGE.md: layout only,\n"
	"never a token or a comment changed.  A file with syntax errors is not touched.\n"
	"Includes are not followed.  Without an option the formatted text of the one\n"
	"POLICY ('-' for standard input) goes to standard output.\n"
	"\n"
	"  -w, --write           rewrite each POLICY that changes, in place (atomically,\n"
	"                        its mode kept)\n"
	"      --check           write nothing; list the files that would change\n"
	"      --diff            write nothing; print a unified diff of each change\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 success (with --check or --diff: nothing would change), 1 a file\n"
	"has syntax errors or would change, 2 usage or I/O errors.\n";

const char usage_stats[] =
	"Usage: d6c stats [OPTION]... POLICY\n"
	"Say which lines of POLICY are used: POLICY is compiled as apply compiles it,\n"
	"and the named counters of the live table (applied with --counters or a\n"
	"'counters;' statement) are read and summed per policy line: the packets and\n"
	"bytes each line's rules decided since the apply (or the last --reset), and\n"
	"'never matched' on the lines whose rules saw none.  Blocks that share a chain\n"
	"are counted at the first of them.  Needs CAP_NET_ADMIN.\n"
	"\n"
	"      --json            the same as one JSON document\n"
	"      --reset           zero the counters as they are read\n"
	"      --table NAME      name of d6c's own table (default: d6c)\n"
	"      --accept-mark VALUE[/MASK]\n"
	"                        as given to apply: a mark adds rules of its own\n"
	"      --docker-accept   as given to apply (the default mark)\n"
	"  -h, --help            show this help\n"
	"\n"
	"Exit status: 0 the counts were printed, 1 POLICY has errors, 2 usage or\n"
	"system errors, no privilege, the table is not loaded or has no counters, or\n"
	"its counters are not the ones POLICY names (nothing is printed then).\n";
