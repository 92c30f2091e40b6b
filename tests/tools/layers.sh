#!/bin/sh
# make lint, first: every include points down the three layers,
#   compiler/ (and grammar/)  <-  runtime/  <-  cli/
# compiler/ and grammar/ include only compiler/ headers and the generated
# parser.h and lexer.h; runtime/ adds runtime/; cli/ may include all.  A
# quoted include is resolved as the compiler does: beside the file first,
# then from the top of the tree (-I.).  Prints each include against the
# direction as FILE:LINE and exits 1 when there is one.
set -u
cd "$(dirname "$0")/../.." || exit 2
bad=0
for f in grammar/*.l grammar/*.y compiler/*.[ch] runtime/*.[ch] cli/*.[ch]; do
	[ -f "$f" ] || continue
	dir=${f%%/*}
	case $dir in
	grammar|compiler) allowed="compiler" ;;
	runtime) allowed="compiler runtime" ;;
	cli) allowed="compiler runtime cli" ;;
	esac
	grep -n '^[[:space:]]*#[[:space:]]*include[[:space:]]*"' "$f" |
	sed 's/^\([0-9]*\):[^"]*"\([^"]*\)".*/\1 \2/' | {
		rc=0
		while read -r line inc; do
			case $inc in
			parser.h|lexer.h) continue ;;   # generated from grammar/
			*..*) echo "$f:$line: includes \"$inc\": name headers from the top" \
				"of the tree, not with '..'"; rc=1; continue ;;
			esac
			if [ -f "$dir/$inc" ]; then
				layer=$dir
			else
				layer=${inc%%/*}
				[ "$layer" = "$inc" ] && layer=unknown
			fi
			case " $allowed " in
			*" $layer "*) ;;
			*)
				echo "$f:$line: includes \"$inc\" ($layer/): $dir/ may include only" \
					"from $(echo "$allowed" | sed 's/ /, /g')"
				rc=1 ;;
			esac
		done
		exit $rc
	} || bad=1
done
[ "$bad" -eq 0 ] && echo "layers: every include points down (compiler <- runtime <- cli)"
exit $bad
