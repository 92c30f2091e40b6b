/*
 * diag_codes.c - the stable code of every diagnostic d6c reports.
 *
 * A code names one kind of problem, whatever its message says about the
 * case at hand, so that CI rules, editors and SARIF viewers can key on it.
 * Codes are grouped by tens (lexical and syntax, names, ports and ICMP,
 * addresses, includes, blocks, files, packets, test files, Docker, limits;
 * warnings apart) and a number is never
 * reused: a diagnostic that goes away leaves its number empty.  LANGUAGE.md
 * lists this table (`d6c check --list-codes`); tests/diag-formats checks that the
 * two agree.
 */
#include "diag.h"

#include <stddef.h>

#define E(id, num, text) [id] = { "D6C-E" num, DIAG_ERROR, text }
#define W(id, num, text) [id] = { "D6C-W" num, DIAG_WARNING, text }

static const struct diag_code_info table[DC_COUNT] = {
	/* lexical and syntax */
	E(DC_SYNTAX, "001", "a token the grammar does not allow here"),
	E(DC_PARSER, "002", "the parser could not go on (out of memory or a limit)"),
	E(DC_BAD_CHAR, "003", "a character that is not part of the language"),
	E(DC_BAD_BYTE, "004", "a byte that is not valid UTF-8 text"),
	E(DC_UNCLOSED_STRING, "005", "a string with no closing '\"' on its line"),
	/* names and defines */
	E(DC_DEFINED_TWICE, "010", "a name defined a second time"),
	E(DC_REDEFINE_SERVICE, "011", "a define named like a built-in service"),
	E(DC_DEFINE_MIXED, "012", "a define that holds both ports and addresses"),
	E(DC_USE_BEFORE_DEFINE, "013", "a name used above its define"),
	E(DC_UNDEFINED, "014", "a name that is neither defined nor built in"),
	E(DC_ADDRS_AS_PORTS, "015", "a define of addresses where ports are expected"),
	E(DC_PORTS_AS_ADDRS, "016", "a define of ports where addresses are expected"),
	E(DC_SERVICE_AS_ADDR, "017", "a service name where an address is expected"),
	/* ports and ICMP */
	E(DC_PORT_RANGE, "020", "a port number above 65535"),
	E(DC_PORT_RANGE_RANGE, "021", "a port range with an end above 65535"),
	E(DC_PORT_BACKWARDS, "022", "a port range whose low end is above its high end"),
	E(DC_PORT_EXPECTED, "023", "something other than a port in a port list"),
	E(DC_ICMP_UNKNOWN, "024", "an ICMP type name nftables does not know"),
	E(DC_ICMP_RANGE, "025", "an ICMP type number above 255"),
	E(DC_ICMP6_IN_IP4, "026", "an ICMPv6-only type in a block of IPv4 prefixes only"),
	E(DC_ICMP4_IN_IP6, "027", "an IPv4-only ICMP type in a block of IPv6 prefixes only"),
	E(DC_ICMP_GROUP_COMBINED, "028", "'basic' or 'all' listed with other ICMP types"),
	E(DC_ICMP_EXPECTED, "029", "something other than an ICMP type in a type list"),
	/* addresses and families */
	E(DC_ADDR_INVALID, "030", "an address that is not valid IPv6 or IPv4"),
	E(DC_PREFIX_LEN_MISSING, "031", "a '/' with no prefix length after it"),
	E(DC_PREFIX_LEN_RANGE, "032", "a prefix length too long for its family"),
	E(DC_HOST_BITS, "033", "a prefix with bits set after its length"),
	E(DC_ADDR_EXPECTED, "034", "a port where an address or prefix is expected"),
	E(DC_NETWORK_EXPECTED, "035", "something other than an address after 'network'"),
	E(DC_SOURCE_FAMILY, "036", "a rule whose sources are all of the other family"),
	E(DC_ICMP_SOURCE_FAMILY, "037", "a rule whose ICMP types and sources have no family in common"),
	/* includes */
	E(DC_INCLUDE_UNREADABLE, "040", "an included file that cannot be read"),
	E(DC_INCLUDE_CYCLE, "041", "an include of a file that is already being read"),
	E(DC_INCLUDE_DEPTH, "042", "includes nested more than 32 deep"),
	E(DC_INCLUDE_EMPTY, "043", "an include of the empty string"),
	E(DC_INCLUDE_WILD_DIR, "044", "a wildcard in a directory of an include's path"),
	/* blocks */
	E(DC_DEFAULT_TWICE, "050", "a second 'default' in one block"),
	E(DC_PREFIX_TWO_BLOCKS, "051", "a prefix protected by two blocks"),
	/* files */
	E(DC_UNREADABLE, "060", "a policy file that cannot be read"),
	E(DC_SCANNER, "061", "the scanner could not start"),
	/* packets (explain, test) */
	E(DC_PKT_PREFIX, "070", "a prefix where a packet needs one address"),
	E(DC_PKT_ADDR, "071", "a packet address that is not valid"),
	E(DC_PKT_PORT, "072", "a packet port that is not a number or a service"),
	E(DC_PKT_ICMP_FAMILY, "073", "an ICMP type of the other family than the packet's"),
	E(DC_PKT_ICMP_UNKNOWN, "074", "an unknown ICMP type in a packet"),
	E(DC_PKT_EXPECTED, "075", "no packet where one is expected"),
	E(DC_PKT_PROTO, "076", "a packet protocol other than tcp, udp or icmp"),
	E(DC_PKT_SRC_MISSING, "077", "a packet with no source address"),
	E(DC_PKT_ARROW, "078", "a packet without '->' between its addresses"),
	E(DC_PKT_DST_MISSING, "079", "a packet with no destination address"),
	E(DC_PKT_FAMILIES, "080", "a packet whose addresses are of different families"),
	E(DC_PKT_PORT_TYPE, "081", "a port on an ICMP packet, or a type on a TCP/UDP one"),
	E(DC_PKT_PORT_MISSING, "082", "a TCP or UDP packet with no port number"),
	E(DC_PKT_TYPE_MISSING, "083", "'type' with no ICMP type after it"),
	E(DC_PKT_TRAILING, "084", "words after a complete packet"),
	E(DC_PKT_IFACE, "085", "'in' without a valid interface name after it"),
	/* test files */
	E(DC_TEST_EXPECT, "090", "a test file line that does not start with 'expect'"),
	E(DC_TEST_VERDICT_MISSING, "091", "an expectation with no verdict"),
	E(DC_TEST_VERDICT, "092", "an expectation whose verdict is not accept, drop or reject"),
	E(DC_TEST_SEMICOLON, "093", "an expectation not ended by ';'"),
	E(DC_TEST_FAILED, "094", "an expectation the policy does not meet"),
	E(DC_TEST_KERNEL, "095", "an expectation the kernel's ruleset does not meet"),
	E(DC_TEST_UNSENDABLE, "096", "a packet the kernel test cannot send"),
	E(DC_TEST_EMPTY, "097", "a test file with no expectations"),
	/* Docker networks by name */
	E(DC_DOCKER_WORD, "100", "a quoted name not introduced by 'docker'"),
	E(DC_DOCKER_UNRESOLVED, "101", "a Docker network named where no Docker state was asked for"),
	E(DC_DOCKER_UNAVAILABLE, "102", "Docker's networks could not be read (daemon or snapshot)"),
	E(DC_DOCKER_UNKNOWN, "103", "a network name Docker does not know"),
	E(DC_DOCKER_NO_SUBNET, "104", "a Docker network without an IP subnet"),
	E(DC_DOCKER_EMPTY, "105", "docker with an empty network name"),
	/* limits (LANGUAGE.md, Limits) */
	E(DC_LIMIT, "110", "a policy past one of d6c's limits (size, count or length)"),
	E(DC_TOO_MANY_ERRORS, "111", "more errors than d6c reports: the rest are not shown"),
	/* the source check */
	E(DC_VIA_IFNAME, "112", "a `via` interface name that is not valid"),
	/* log options */
	E(DC_LOG_OPTION, "120", "a log option other than limit, burst or group, or a value of the wrong kind"),
	E(DC_LOG_RATE, "121", "a log rate of 0, or faster than nftables can limit"),
	E(DC_LOG_BURST, "122", "a log burst of 0, or more than the kernel's token bucket holds"),
	E(DC_LOG_GROUP, "123", "an nflog group above 65535"),
	E(DC_LOG_UNIT, "124", "a log rate without a unit, or a unit other than second, minute or hour"),
	E(DC_LOG_TWICE, "125", "a log option given twice in one log"),
	E(DC_LOG_DEFAULT_TWICE, "126", "a policy-wide log option set a second time"),
	/* warnings */
	W(DC_W_SHADOWED, "001", "a rule an earlier rule decides every packet of"),
	W(DC_W_SHADOWED_UNION, "002", "a rule earlier rules together decide every packet of"),
	W(DC_W_AFTER_MATCH_ALL, "003", "rules after a rule that matches every packet"),
	W(DC_W_DEFAULT_UNUSED, "004", "a default after a rule that matches every packet"),
	W(DC_W_DUPLICATE_PORT, "005", "a port listed twice in one rule"),
	W(DC_W_COVERED_BLOCK, "006", "a block whose prefixes more specific blocks cover"),
	W(DC_W_OWN_SOURCE, "007", "a source inside the block's own prefix"),
	W(DC_W_EMPTY_BLOCK, "008", "a block with no rules"),
	W(DC_W_UNUSED_DEFINE, "009", "a define that is never used"),
	W(DC_W_DUPLICATE_PREFIX, "010", "a prefix listed twice in one block"),
	W(DC_W_OTHER_FAMILY_SOURCE, "011", "a source of a family the block does not hold"),
	W(DC_W_DOCKER_MISSING, "012", "a Docker network not there yet (apply --follow-docker)"),
	W(DC_W_TOO_MANY, "013", "more warnings than d6c reports: the rest are not shown"),
	W(DC_W_DOCKER_NAT, "014", "a protected Docker network in NAT gateway mode for IPv6"),
	W(DC_W_UNUSED_DISABLE, "015", "a `# d6c: disable` that silences nothing, or that d6c cannot read"),
	W(DC_W_REDUNDANT, "016", "a rule whose packets later rules decide the same way without it"),
	W(DC_W_AFTER_FAMILY_ALL, "017", "rules after a rule that matches every packet of one family, in a dual-stack block"),
	W(DC_W_NESTED_SOURCE, "018", "a source inside another source of the same rule"),
	W(DC_W_ICMP_BOTH_FAMILIES, "019", "an ICMP type number that matches both families in a dual-stack block"),
	W(DC_W_EMPTY_POLICY, "020", "a policy with no networks (loading it removes all protection)"),
};

const struct diag_code_info *diag_code_info(enum diag_code c)
{
	return c > DC_NONE && c < DC_COUNT ? &table[c] : NULL;
}
