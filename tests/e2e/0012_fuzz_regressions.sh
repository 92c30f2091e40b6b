#!/bin/sh
# Inputs the fuzz targets (tests/fuzz/) found bugs with, through the command
# that reads that kind of input, each under a time limit; the exit status
# must be one d6c gives on purpose (0, 1 or 2), with no sanitizer report:
#   crashes/testfile/*.test      d6c test examples/full.pol FILE
#   crashes/packet/*.txt         d6c explain examples/full.pol - <FILE
#   crashes/docker_state/*.json  d6c compile --docker-state FILE (a policy naming networks)
#   crashes/include/*.in         cut at the lines "%%" into a.pol, b.pol, dir/c.pol,
#                                dir/d.pol, dir/sub/e.pol, f.pol, deep/6.pol... ;
#                                d6c compile a.pol
# (crashes/*.pol go through d6c compile in 0011_define_chains.sh.)
set -u
: "${D6C:=./d6c}"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bad=0
check() {  # $1: input; runs the rest, judged on its exit status and stderr
	in=$1; shift
	timeout 60 "$@" >"$tmp/out" 2>"$tmp/err"; rc=$?
	if [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error:' "$tmp/err"; then
		echo "$in: exit $rc:"; head -20 "$tmp/err"; bad=1
	fi
}
for f in tests/fuzz/crashes/testfile/*.test; do
	[ -f "$f" ] && check "$f" $D6C test examples/full.pol "$f"
done
for f in tests/fuzz/crashes/packet/*.txt; do
	[ -f "$f" ] && check "$f" sh -c "$D6C explain examples/full.pol - <\"\$1\"" sh "$f"
done
printf 'define peers = docker "db";\nnetwork docker "web" < allow tcp 80 from peers; >\n' >"$tmp/docker.pol"
for f in tests/fuzz/crashes/docker_state/*.json; do
	[ -f "$f" ] && check "$f" $D6C compile --docker-state "$f" "$tmp/docker.pol"
done
for f in tests/fuzz/crashes/include/*.in; do
	[ -f "$f" ] || continue
	rm -rf "$tmp/fs"; mkdir -p "$tmp/fs/dir/sub" "$tmp/fs/deep"
	awk -v dir="$tmp/fs" '
		BEGIN { split("a.pol b.pol dir/c.pol dir/d.pol dir/sub/e.pol f.pol", n, " "); i = 1; out = dir "/a.pol"; printf "" >out }
		$0 == "%%" { close(out); i++; out = dir "/" (i <= 6 ? n[i] : "deep/" (i - 1) ".pol"); printf "" >out; next }
		{ print >out }' "$f"
	check "$f" $D6C compile "$tmp/fs/a.pol"
done
exit $bad
