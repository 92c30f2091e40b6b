#!/bin/sh
# make lint: cppcheck, then clang-tidy (the checks in .clang-tidy), on d6c's
# own C; clean means no finding at all.  The generated build/parser.c and
# build/lexer.c are not ours and are not checked.
#   lint.sh BUILDDIR JOBS FILE... -- COMPILER CFLAGS...   (the Makefile's)
# Both tools take the Makefile's flags from BUILDDIR/compile_commands.json,
# which this writes first (editors and clangd can use it too).  A finding
# is fixed in the code; where the code is right, it is silenced on its line
# with a comment that says why (cppcheck-suppress, NOLINT).
set -u
cd "$(dirname "$0")/../.." || exit 2
b=$1 jobs=$2; shift 2
files=""
while [ $# -gt 0 ] && [ "$1" != -- ]; do files="$files $1"; shift; done
shift
mkdir -p "$b/cppcheck"

# compile_commands.json: one entry a file, the arguments JSON-quoted
json() { printf '"%s"' "$(printf '%s' "$1" | sed 's/[\\"]/\\&/g')"; }
args=""
for a in "$@"; do args="$args$(json "$a"), "; done
dir=$(pwd)
{
	echo '['
	sep=""
	for f in $files; do
		printf '%s  {"directory": %s, "file": %s, "arguments": [%s"-c", %s]}' \
			"$sep" "$(json "$dir")" "$(json "$f")" "$args" "$(json "$f")"
		sep=",
"
	done
	printf '\n]\n'
} >"$b/compile_commands.json.tmp" && mv "$b/compile_commands.json.tmp" "$b/compile_commands.json"

# cppcheck takes the -D, -U and -I of the same flags (it reads a
# compile_commands.json's arguments, but 2.10 loses the quotes in
# -DD6C_VERSION="0.1.0"); -std=gnuNN is its --std=cNN.
cpp=""
for a in "$@"; do
	case $a in
	-D*|-U*|-I*) cpp="$cpp $a" ;;
	-std=gnu*|-std=c*) cpp="$cpp --std=c${a##-std=*[a-z]}" ;;
	esac
done

rc=0
start=$(date +%s)
echo "  CPPCHECK"
# warning,performance,portability: the categories that are about
# correctness; style is clang-tidy's job.  --library=posix: the code is
# POSIX (open, read, getline, ...), and cppcheck knows those functions'
# contracts only with it.  Findings in the generated headers in build/
# are not ours.
# shellcheck disable=SC2086 # $cpp and $files are lists of words
cppcheck --quiet $cpp -j "$jobs" \
	--enable=warning,performance,portability --library=posix \
	--inline-suppr --error-exitcode=1 --suppress="*:$dir/$b/*" \
	--cppcheck-build-dir="$b/cppcheck" --template=gcc $files || rc=1

echo "  CLANG-TIDY"
# One file a process, JOBS at a time; clang's "N warnings generated." counts
# what HeaderFilterRegex hides (system headers), so it is dropped.
out=$(printf '%s\n' $files | xargs -P "$jobs" -n1 clang-tidy --quiet -p "$b" 2>&1; echo "rc=$?")
printf '%s\n' "$out" | grep -v -e '^[0-9]* warnings\{0,1\} generated\.$' -e '^rc=[0-9]*$'
case $out in *"rc=0") ;; *) rc=1 ;; esac
echo "  LINT    $(($(date +%s) - start)) s, $(echo $files | wc -w) files: $([ $rc = 0 ] && echo clean || echo FINDINGS)"
exit $rc
