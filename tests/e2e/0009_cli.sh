#!/bin/sh
# The command line: help and version, options and their errors (exit 2),
# --table and --priority reaching the ruleset (which nft accepts), atomic -o,
# unreadable input (exit 2), check of several files, and make install.
set -u
: "${D6C:=./d6c}" "${NFT:=nft}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
failed=0
expect() {  # expect STATUS DESCRIPTION -- COMMAND...
	want=$1 what=$2; shift 3
	"$@" >"$tmp/out" 2>"$tmp/err"; got=$?
	if [ "$got" != "$want" ]; then
		echo "FAIL $what: exit $got, expected $want"; cat "$tmp/err"; failed=1
	fi
}
has() {  # has FILE TEXT DESCRIPTION
	grep -qF -- "$2" "$1" || { echo "FAIL $3: '$2' not in $1:"; head -5 "$1"; failed=1; }
}

expect 0 "--help" -- $D6C --help;              has "$tmp/out" "Usage: d6c COMMAND" "--help"
expect 0 "--version" -- $D6C --version;        has "$tmp/out" "d6c 0." "--version"
for c in compile check apply confirm; do
	expect 0 "$c --help" -- $D6C $c --help;    has "$tmp/out" "Usage: d6c $c" "$c --help"
done
expect 2 "no command" -- $D6C
expect 2 "unknown command" -- $D6C frobnicate;  has "$tmp/err" "unknown command 'frobnicate'" "unknown command"
expect 2 "unknown option" -- $D6C compile --bogus examples/site.pol
expect 2 "no policy" -- $D6C compile
expect 2 "two policies" -- $D6C compile examples/site.pol examples/full.pol
expect 2 "bad table" -- $D6C compile --table 'x y' examples/site.pol
expect 2 "bad priority" -- $D6C compile --priority 'filter * 2' examples/site.pol
expect 2 "bad format" -- $D6C compile --format yaml examples/site.pol
expect 2 "missing file" -- $D6C compile "$tmp/nope.pol";  has "$tmp/err" "cannot read" "missing file"
expect 2 "check missing file" -- $D6C check examples/site.pol "$tmp/nope.pol"
expect 0 "check several" -- $D6C check examples/site.pol examples/full.pol examples/split.pol
printf 'network 2001:db8::/64 < >\n' >"$tmp/warn.pol"
expect 0 "warning only" -- $D6C check "$tmp/warn.pol"
expect 1 "--werror" -- $D6C check --werror "$tmp/warn.pol"; has "$tmp/err" "treated as an error" "--werror"

# --table and --priority reach the ruleset, in both spellings, and nft takes them
expect 0 "table+priority" -- $D6C compile --table fw6 --priority 'filter-5' examples/full.pol
has "$tmp/out" "table inet fw6 {" "--table"
has "$tmp/out" "delete table inet fw6" "--table delete"
has "$tmp/out" "priority filter - 5;" "--priority symbolic"
cp "$tmp/out" "$tmp/fw6.nft"
unshare -rn $NFT -c -f "$tmp/fw6.nft" || { echo "FAIL nft rejects --table/--priority output"; failed=1; }
expect 0 "numeric priority" -- $D6C compile --priority -7 examples/site.pol
has "$tmp/out" "priority -7;" "--priority number"
expect 0 "json priority" -- $D6C compile -f json --priority 'mangle + 3' examples/site.pol
has "$tmp/out" '"prio": -147' "--priority in JSON"

# --accept-mark: bad values are usage errors; both backends load the same
# ruleset, whose accepts (and only accepts) set the bits: each accept sets
# them, or goes to accept_any_source, whose last rule does (its first
# accepts what comes from a Docker bridge unmarked)
for bad in 0 0x1/0x2 0x100000000 abc 0x10/ 0x10/0; do
	expect 2 "bad --accept-mark $bad" -- $D6C compile --accept-mark "$bad" examples/site.pol
	has "$tmp/err" "invalid --accept-mark" "--accept-mark $bad message"
done
expect 2 "--accept-mark on check" -- $D6C check --accept-mark 0x1 examples/site.pol
for fmt in text json; do
	expect 0 "--accept-mark $fmt" -- $D6C compile -f $fmt --accept-mark 0x100000 examples/full.pol
	cp "$tmp/out" "$tmp/mark.$fmt"
done
unshare -rn sh -c "$NFT -f '$tmp/mark.text' && $NFT list ruleset" >"$tmp/mark-text.list" 2>&1
unshare -rn sh -c "$NFT -j -f '$tmp/mark.json' && $NFT list ruleset" >"$tmp/mark-json.list" 2>&1
# (nft 1.0.6 drops chain comments given in JSON; the rules are what counts)
sed -i '/^\t\tcomment "/d' "$tmp/mark-text.list"
cmp -s "$tmp/mark-text.list" "$tmp/mark-json.list" ||
	{ echo "FAIL --accept-mark: text and JSON load different rulesets"; diff "$tmp/mark-text.list" "$tmp/mark-json.list" | head; failed=1; }
accepts=$(grep -c ' accept comment\| goto accept_any_source comment' "$tmp/mark-text.list")
marked=$(grep -c 'meta mark set meta mark | 0x00100000 accept comment\| goto accept_any_source comment' "$tmp/mark-text.list")
unmarked=$(grep -c '^		iifname { "br-\*", "docker0" } accept comment' "$tmp/mark-text.list")
[ "$accepts" -gt 5 ] && [ "$accepts" = $((marked + unmarked)) ] && [ "$unmarked" = 1 ] ||
	{ echo "FAIL --accept-mark: $marked of $accepts accepts marked, $unmarked from Docker bridges not"; failed=1; }
grep 'mark' "$tmp/mark-text.list" | grep -qv ' accept comment\|accept_any_source' &&
	{ echo "FAIL --accept-mark: a mark outside an accept"; failed=1; }

# -o: the file equals standard output; an unwritable place is exit 2
$D6C compile examples/full.pol >"$tmp/stdout.nft"
expect 0 "-o" -- $D6C compile -o "$tmp/o.nft" examples/full.pol
cmp -s "$tmp/o.nft" "$tmp/stdout.nft" || { echo "FAIL -o differs from stdout"; failed=1; }
[ ! -s "$tmp/out" ] || { echo "FAIL -o also wrote stdout"; failed=1; }
expect 2 "-o unwritable" -- $D6C compile -o "$tmp/no/such/dir/x.nft" examples/site.pol
chmod 600 "$tmp/o.nft"
expect 0 "-o keeps mode" -- $D6C compile -o "$tmp/o.nft" examples/site.pol
[ "$(stat -c %a "$tmp/o.nft")" = 600 ] || { echo "FAIL -o changed the file mode"; failed=1; }

# options after POLICY (GNU order) work; nft keywords cannot name the table
expect 0 "options after POLICY" -- $D6C compile examples/site.pol -o "$tmp/after.nft"
[ -s "$tmp/after.nft" ] || { echo "FAIL -o after POLICY wrote nothing"; failed=1; }
expect 2 "keyword table" -- $D6C compile --table log examples/site.pol
has "$tmp/err" "'log' is an nftables keyword" "keyword table"
expect 2 "option of another command" -- $D6C check -o x examples/site.pol
has "$tmp/err" "does not apply" "option of another command"

# -o through a symbolic link writes the link's target and keeps the link;
# a FIFO is written in place; a trailing '/' is refused
ln -s real.nft "$tmp/link.nft"
expect 0 "-o symlink" -- $D6C compile -o "$tmp/link.nft" examples/site.pol
[ -L "$tmp/link.nft" ] || { echo "FAIL -o replaced the symlink"; failed=1; }
grep -q 'table inet d6c {' "$tmp/real.nft" || { echo "FAIL symlink target not written"; failed=1; }
mkfifo "$tmp/fifo"
cat "$tmp/fifo" >"$tmp/fifo.out" & reader=$!
expect 0 "-o fifo" -- $D6C compile -o "$tmp/fifo" examples/site.pol
wait $reader
[ -p "$tmp/fifo" ] || { echo "FAIL -o replaced the FIFO"; failed=1; }
grep -q 'table inet d6c {' "$tmp/fifo.out" || { echo "FAIL nothing came through the FIFO"; failed=1; }
expect 2 "-o dir/" -- $D6C compile -o "$tmp/newdir/" examples/site.pol
[ ! -e "$tmp/newdir" ] || { echo "FAIL -o dir/ created something"; failed=1; }

# make install honours PREFIX and DESTDIR
make -s install PREFIX=/opt/d6c DESTDIR="$tmp/stage" >/dev/null 2>&1
[ -x "$tmp/stage/opt/d6c/bin/d6c" ] || { echo "FAIL make install"; failed=1; }
exit $failed
