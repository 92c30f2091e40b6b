#!/bin/sh
# Packaging and integration: the manual pages (scdoc sources render with
# man -l without warnings; every command and long option of --help is in
# d6c(1)), the bash completion (driven through COMP_WORDS/COMP_CWORD), the
# Vim files (filetype and syntax groups, when vim is installed), the
# systemd unit (systemd-analyze verify on a scratch root holding the
# binary and the pages) and, when D6C_DEB names a .deb (make deb-test), the
# package: unpacked with dpkg -x into a scratch root, its d6c run on its
# own example policy, lintian without errors, make install/uninstall.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
bin=${D6C%% *}
# The long options a --help text offers: those its option lines start with
# ("  -f, --format FORMAT", "      --table NAME") and those of its Usage line.
longopts() {
	tee "$tmp/help" | sed -n 's/^ \{1,\}\(-[a-zA-Z], \)\{0,1\}\(--[a-z][a-z-]*\).*/\2/p' >"$tmp/lo"
	sed -n '1{s/^Usage://p}' "$tmp/help" | grep -o -- '\[--[a-z][a-z-]*' | tr -d '[' >>"$tmp/lo"
	sort -u "$tmp/lo"
}
[ -x "$bin" ] || bin=./d6c

# ---- manual pages ----------------------------------------------------------
if command -v scdoc >/dev/null && command -v man >/dev/null; then
	for page in d6c.1 d6c.pol.5; do
		if scdoc <"doc/$page.scd" >"$tmp/$page" 2>"$tmp/err"; then ok "scdoc $page"; else
			fail "scdoc doc/$page.scd:"; cat "$tmp/err"; continue; fi
		MANWIDTH=80 man --warnings -l "$tmp/$page" >"$tmp/$page.txt" 2>"$tmp/err"
		if [ -s "$tmp/err" ]; then fail "man -l $page warns:"; head -5 "$tmp/err"
		else ok "man -l $page: no warnings"; fi
		grep -q '^NAME' "$tmp/$page.txt" && grep -q '^SEE ALSO' "$tmp/$page.txt" &&
			ok "$page sections" || fail "$page: no NAME or SEE ALSO section"
	done
	# Wide, so that nothing is hyphenated or wrapped.
	MANWIDTH=1000 man -l "$tmp/d6c.1" 2>/dev/null | sed 's/‐/-/g' >"$tmp/man.txt"
	# The text of one subsection of OPTIONS ("   NAME"), up to the next one.
	optsec() {
		awk -v s="$1" '/^[A-Z]/ { in_opts = ($0 == "OPTIONS") }
			in_opts && /^   [^ ]/ { cur = substr($0, 4) }
			in_opts && cur == s' "$tmp/man.txt"
	}
	optsec General >"$tmp/sec.General"
	cmds=$($D6C --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p')
	[ -n "$cmds" ] && ok "commands in d6c --help" || fail "no commands found in d6c --help"
	$D6C --help | longopts >"$tmp/opts.General"
	while read -r o; do
		grep -q -- "$o\([^a-z-]\|\$\)" "$tmp/sec.General" && ok "d6c(1) General: $o" ||
			fail "d6c(1): option $o of d6c --help is not under OPTIONS/General"
	done <"$tmp/opts.General"
	for c in $cmds; do
		grep -q "^       d6c $c\( \|\$\)" "$tmp/man.txt" && ok "d6c(1) synopsis: $c" ||
			fail "d6c(1): command $c is not in the SYNOPSIS"
		grep -q "^       $c\( \|\$\)" "$tmp/man.txt" && ok "d6c(1) commands: $c" ||
			fail "d6c(1): command $c is not under COMMANDS"
		optsec "$c" >"$tmp/sec.$c"
		$D6C "$c" --help | longopts >"$tmp/opts.$c"
		while read -r o; do
			if grep -q -- "$o\([^a-z-]\|\$\)" "$tmp/sec.$c" ||
			   { [ "$o" = --help ] && grep -q -- --help "$tmp/sec.General"; }; then
				ok "d6c(1) $c: $o"
			else
				fail "d6c(1): option $o of 'd6c $c --help' is not under OPTIONS/$c"
			fi
		done <"$tmp/opts.$c"
	done
	for w in /etc/d6c/site.pol D6C_RUNDIR /run/d6c POLICY.test; do
		sed -n '/^FILES/,/^EXAMPLES/p' "$tmp/man.txt" | grep -q "$w" && ok "FILES: $w" ||
			fail "d6c(1) FILES does not name $w"
	done
	grep -q '^EXIT STATUS' "$tmp/man.txt" && grep -q '^EXAMPLES' "$tmp/man.txt" &&
		ok "d6c(1) EXIT STATUS, EXAMPLES" || fail "d6c(1): no EXIT STATUS or EXAMPLES"
else
	echo "skip: manual pages (scdoc or man missing; tests/setup-deps.sh installs them)"
fi

# ---- bash completion -------------------------------------------------------
mkdir -p "$tmp/c/sub"
: >"$tmp/c/a.pol"; : >"$tmp/c/a.pol.test"; : >"$tmp/c/b.txt"
cat >"$tmp/comp.bash" <<'EOS'
. contrib/bash-completion/d6c
complete -p d6c >/dev/null || { echo "not registered"; exit 1; }
# comp LINE: splits LINE as readline does (words, '=' its own word), a
# trailing space starts an empty word; prints COMPREPLY sorted, one line.
comp() {
	local line=$1 w
	COMP_LINE=$line; COMP_POINT=${#line}
	COMP_WORDS=()
	for w in $(printf '%s' "$line" | sed 's/=/ = /g'); do COMP_WORDS+=("$w"); done
	[[ $line == *" " || $line == *= ]] && COMP_WORDS+=("")
	COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
	COMPREPLY=()
	_d6c d6c "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
	printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' ' | sed 's/ $//'
	echo
}
while IFS= read -r line; do comp "$line"; done
EOS
check_comp() {  # $1: command line, $2: expected completions (sorted, spaces)
	got=$(printf '%s\n' "$1" | bash "$tmp/comp.bash" 2>&1)
	[ "$got" = "$2" ] && ok "complete '$1'" || fail "complete '$1': got '$got', expected '$2'"
}
if command -v bash >/dev/null; then
	check_comp "d6c c" "check compile confirm"
	check_comp "d6c " "apply check compile confirm diff doctor explain fmt remove rollback stats status test"
	check_comp "d6c --v" "--version"
	check_comp "d6c check --f" "--format"
	check_comp "d6c check --l" "--list-codes"
	check_comp "d6c check --format " "github json sarif text"
	check_comp "d6c compile --format " "json text"
	check_comp "d6c compile -f j" "json"
	check_comp "d6c test --kernel -f " "json text"
	check_comp "d6c compile --diagnostics-format " "github json sarif text"
	check_comp "d6c compile --diagnostics-format=" "github json sarif text"
	check_comp "d6c check --color=" "always auto never"
	check_comp "d6c compile --color=al" "always"
	check_comp "d6c compile --table " ""
	check_comp "d6c apply --priority " ""
	check_comp "d6c apply --confirm " ""
	check_comp "d6c fmt --" "--check --diff --help --write"
	check_comp "d6c check --color always $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c compile --color=never $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c compile --color " "always auto never"
	check_comp "d6c explain --j" "--json"
	check_comp "d6c stats --r" "--reset"
	check_comp "d6c stats --json $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c stats $tmp/c/a.pol $tmp/c/" ""
	check_comp "d6c check $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c check $tmp/c/a.pol $tmp/c/a" "$tmp/c/a.pol"
	check_comp "d6c compile --werror $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c compile -o $tmp/c/" "$tmp/c/a.pol $tmp/c/a.pol.test $tmp/c/b.txt $tmp/c/sub"
	check_comp "d6c test $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c test $tmp/c/a.pol $tmp/c/" "$tmp/c/a.pol.test $tmp/c/sub"
	check_comp "d6c test --kernel -f json $tmp/c/a.pol $tmp/c/" "$tmp/c/a.pol.test $tmp/c/sub"
	check_comp "d6c explain $tmp/c/a.pol $tmp/c/" ""
	check_comp "d6c confirm " ""
	check_comp "d6c rollback " ""
	check_comp "d6c status --j" "--json"
	check_comp "d6c diff --n" "--nft"
	check_comp "d6c diff $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c status $tmp/c/a.pol $tmp/c/" ""
	check_comp "d6c remove " ""
	check_comp "d6c doctor --daemon-json $tmp/c/" "$tmp/c/a.pol $tmp/c/a.pol.test $tmp/c/b.txt $tmp/c/sub"
	check_comp "d6c doctor --json $tmp/c/" "$tmp/c/a.pol $tmp/c/sub"
	check_comp "d6c doctor $tmp/c/a.pol $tmp/c/" ""
	# Every long option that 'd6c COMMAND --help' prints completes.
	for c in $($D6C --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p'); do
		got=" $(printf 'd6c %s --\n' "$c" | bash "$tmp/comp.bash" 2>&1 | sed 's/=//g') "
		for o in $($D6C "$c" --help | longopts); do
			case $got in *" $o "*) ok "complete $c $o" ;;
			*) fail "completion of 'd6c $c --' lacks $o (got:$got)" ;; esac
		done
	done
else
	echo "skip: bash completion (no bash)"
fi

# ---- mistakes on the command line -----------------------------------------
# Each names the word as typed (not the command or file beside it) and, when
# one is close, the command or option meant; exit 2 (diff and status: 3).
usage_err() {  # usage_err 'EXPECTED STDERR LINE' ARGS...
	want=$1; shift
	$D6C "$@" >"$tmp/uo" 2>"$tmp/ue"; rc=$?
	got=$(head -1 "$tmp/ue")
	if [ "$got" = "$want" ] && [ ! -s "$tmp/uo" ] && { [ $rc = 2 ] || [ $rc = 3 ]; }; then
		ok "d6c $*: $want"
	else fail "d6c $*: exit $rc, '$got', expected '$want'"; fi
}
usage_err "d6c check: unknown option '-Werror'; did you mean '--werror'?" check -Werror x.pol
usage_err "d6c check: unknown option '-Werror'; did you mean '--werror'?" check x.pol -Werror
usage_err "d6c check: unknown option '-werror'; did you mean '--werror'?" check -werror x.pol
usage_err "d6c: unknown command 'compil'; did you mean 'compile'?" compil x.pol
usage_err "d6c: unknown command 'frobnicate'" frobnicate
usage_err "d6c apply: unknown option '--dryrun'; did you mean '--dry-run'?" apply --dryrun x.pol
usage_err "d6c apply: option '--dry-run' takes no value" apply --dry-run=1 x.pol
usage_err "d6c apply: unknown option '-x'" apply -nx x.pol
usage_err "d6c compile: unknown option '--bogus'" compile --bogus x.pol
usage_err "d6c check: option '--table' does not apply to 'd6c check'" check x.pol --table t
usage_err "d6c check: option '-o' does not apply to 'd6c check'" check -ox.nft x.pol
usage_err "d6c compile: option '--table' needs a value" compile x.pol --table
# Every command, and every long option its --help offers, misspelt (a letter
# doubled), or written with one dash, is recognised.
for c in $($D6C --help | sed -n '/^Commands:/,/^$/s/^  \([a-z][a-z]*\) .*/\1/p'); do
	typo=$(printf '%s' "$c" | sed 's/^\(.\)\(.\)/\1\2\2/')
	usage_err "d6c: unknown command '$typo'; did you mean '$c'?" "$typo"
	for o in $($D6C "$c" --help | longopts); do
		n=${o#--}
		usage_err "d6c $c: unknown option '--$(printf '%s' "$n" | sed 's/^./&&/')'; did you mean '$o'?" \
			"$c" "--$(printf '%s' "$n" | sed 's/^./&&/')" x.pol
		# -help is -h (then -e...); -o and -f take what follows as their value
		case $n in help|o*|f*) continue ;; esac
		usage_err "d6c $c: unknown option '-$n'; did you mean '$o'?" "$c" "-$n" x.pol
	done
done

# ---- vim -------------------------------------------------------------------
if command -v vim >/dev/null && vim --version | grep -q '+syntax'; then
	cat >"$tmp/v.pol" <<'EOS'
# comment
define admins = 2001:db8:ffff::/48, 198.51.100.7;
network 2001:db8::/64, 192.0.2.0/24 < allow tcp ssh, 8000-8100 from admins; include "x.pol"; >
network 2001:db8:1::/64 < reject tcp 25 log group 2 limit 3/second; >
define limit = 22;
EOS
	cat >"$tmp/probe.vim" <<'EOS'
let out = [&filetype, v:errmsg]
for [l, pat] in [[1, 'comment'], [2, 'define'], [2, '2001:db8:ffff'], [2, '198\.51'],
\   [3, 'network'], [3, '192\.0'], [3, 'allow'], [3, 'tcp'], [3, 'ssh'],
\   [3, '8000'], [3, 'from'], [3, '"x'], [3, 'admins;'],
\   [4, 'log'], [4, 'group'], [4, '3/'], [5, 'limit']]
  call cursor(l, 1)
  let c = search(pat, 'c', l)
  call add(out, pat . ' ' . synIDattr(synID(l, col('.'), 1), 'name'))
endfor
call writefile(out, $PROBE_OUT)
qall!
EOS
	PROBE_OUT="$tmp/probe.out" vim -u NONE -i NONE -N -es \
		-c 'set rtp^=contrib/vim' -c 'filetype on' -c 'syntax on' \
		-c "edit $tmp/v.pol" -c "source $tmp/probe.vim" </dev/null >/dev/null 2>&1
	printf '%s\n' d6c '' 'comment d6cComment' 'define d6cStatement' \
		'2001:db8:ffff d6cIPv6' '198\.51 d6cIPv4' 'network d6cStatement' \
		'192\.0 d6cIPv4' 'allow d6cVerdict' 'tcp d6cProtocol' 'ssh d6cService' \
		'8000 d6cNumber' 'from d6cKeyword' '"x d6cString' 'admins; ' \
		'log d6cKeyword' 'group d6cLogWord' '3/ d6cRate' 'limit ' >"$tmp/probe.exp"
	if cmp -s "$tmp/probe.exp" "$tmp/probe.out"; then ok "vim: filetype d6c and syntax groups"
	else fail "vim: filetype or syntax groups differ:"; diff "$tmp/probe.exp" "$tmp/probe.out" 2>&1 | head -20; fi
else
	echo "skip: vim syntax (no vim with +syntax installed; vim-tiny has none)"
	for f in contrib/vim/syntax/d6c.vim contrib/vim/ftdetect/d6c.vim; do
		[ -s "$f" ] && ok "$f exists" || fail "$f missing"
	done
fi

# ---- systemd unit ----------------------------------------------------------
# systemd-analyze verify checks that ExecStart's binary exists and that the
# Documentation= man pages exist; with --root it looks inside a scratch root
# holding the binary (and MANPATH points man there), so it needs neither an
# installed d6c nor systemd as PID 1.
u=contrib/systemd/d6c.service
for k in 'Type=oneshot' 'RemainAfterExit=yes' 'ExecStart=/usr/bin/d6c apply /etc/d6c/site.pol' \
	 'ExecReload=/usr/bin/d6c apply /etc/d6c/site.pol' 'ExecStop=-/usr/bin/d6c remove' \
	 'WantedBy=multi-user.target'; do
	grep -qx -- "$k" "$u" && ok "unit: $k" || fail "$u lacks '$k'"
done
ud=contrib/systemd/d6c-docker.service
for k in 'Type=simple' 'ExecStart=/usr/bin/d6c apply --follow-docker /etc/d6c/site.pol' \
	 'Restart=on-failure' 'Conflicts=d6c.service shutdown.target' \
	 'After=local-fs.target network-pre.target nftables.service docker.service' 'WantedBy=multi-user.target'; do
	grep -qx -- "$k" "$ud" && ok "unit: $k" || fail "$ud lacks '$k'"
done
if command -v systemd-analyze >/dev/null && command -v scdoc >/dev/null; then
	r=$tmp/root
	mkdir -p "$r/usr/bin" "$r/lib/systemd/system" "$r/usr/share/man/man1" "$r/usr/share/man/man5" "$r/etc/d6c"
	cp "$bin" "$r/usr/bin/d6c"
	cp "$u" "$ud" "$r/lib/systemd/system/"
	cp contrib/etc/d6c/site.pol "$r/etc/d6c/"
	scdoc <doc/d6c.1.scd >"$r/usr/share/man/man1/d6c.1"
	scdoc <doc/d6c.pol.5.scd >"$r/usr/share/man/man5/d6c.pol.5"
	for unit in d6c.service d6c-docker.service; do
		if MANPATH=$r/usr/share/man systemd-analyze verify --root="$r" "$r/lib/systemd/system/$unit" >"$tmp/err" 2>&1; then
			ok "systemd-analyze verify $unit"
		else fail "systemd-analyze verify $unit:"; cat "$tmp/err"; fi
	done
	rm "$r/usr/bin/d6c"
	MANPATH=$r/usr/share/man systemd-analyze verify --root="$r" "$r/lib/systemd/system/d6c.service" >/dev/null 2>&1 &&
		fail "systemd-analyze verify passes without /usr/bin/d6c: the check checks nothing" ||
		ok "systemd-analyze verify fails without the binary"
else
	echo "skip: systemd-analyze verify (package systemd or scdoc missing)"
fi
$D6C test contrib/etc/d6c/site.pol >"$tmp/out" 2>&1 && ok "example site.pol.test holds" ||
	{ fail "d6c test contrib/etc/d6c/site.pol:"; cat "$tmp/out"; }

# ---- the Debian package (make deb-test) -----------------------------------
if [ -n "${D6C_DEB:-}" ]; then
	deb=$D6C_DEB
	p=$tmp/pkg
	if dpkg -x "$deb" "$p"; then ok "dpkg -x $deb"; else fail "dpkg -x $deb"; fi
	for f in usr/bin/d6c usr/share/man/man1/d6c.1.gz usr/share/man/man5/d6c.pol.5.gz \
		 usr/share/bash-completion/completions/d6c usr/share/vim/vimfiles/syntax/d6c.vim \
		 usr/share/vim/vimfiles/ftdetect/d6c.vim lib/systemd/system/d6c.service \
		 lib/systemd/system/d6c-docker.service \
		 etc/d6c/site.pol etc/d6c/site.pol.test usr/share/doc/d6c/examples/site.pol \
		 usr/share/doc/d6c/copyright; do
		[ -f "$p/$f" ] && ok "package has /$f" || fail "package lacks /$f"
	done
	v=$("$p/usr/bin/d6c" --version 2>&1)
	[ "$v" = "d6c $(dpkg-deb -f "$deb" Version | sed 's/-[^-]*$//')" ] && ok "installed d6c --version: $v" ||
		fail "installed d6c --version: '$v'"
	"$p/usr/bin/d6c" compile "$p/etc/d6c/site.pol" >"$tmp/out" 2>"$tmp/err" &&
		grep -q '^table inet d6c {' "$tmp/out" && ok "installed d6c compiles /etc/d6c/site.pol" ||
		{ fail "installed d6c compile /etc/d6c/site.pol:"; cat "$tmp/err"; }
	"$p/usr/bin/d6c" test "$p/etc/d6c/site.pol" >"$tmp/out" 2>&1 && ok "installed d6c test site.pol" ||
		{ fail "installed d6c test:"; cat "$tmp/out"; }
	cmp -s "$p/etc/d6c/site.pol" "$p/usr/share/doc/d6c/examples/site.pol" && ok "example = /etc copy" ||
		fail "/etc/d6c/site.pol differs from the example"
	MANWIDTH=80 man --warnings -l "$p/usr/share/man/man1/d6c.1.gz" >/dev/null 2>"$tmp/err" && [ ! -s "$tmp/err" ] &&
		ok "installed d6c(1) renders" || { fail "installed d6c(1):"; cat "$tmp/err"; }
	dpkg-deb -e "$deb" "$tmp/ctl"
	grep -qx /etc/d6c/site.pol "$tmp/ctl/conffiles" && ok "conffile /etc/d6c/site.pol" ||
		fail "/etc/d6c/site.pol is not a conffile"
	# --no-enable --no-start: postinst only re-enables a unit the admin had
	# enabled (was-enabled), and never starts it.
	if grep -q 'deb-systemd-invoke.*start' "$tmp/ctl/postinst" ||
	   { grep -q 'deb-systemd-helper enable' "$tmp/ctl/postinst" &&
	     ! grep -q 'was-enabled' "$tmp/ctl/postinst"; }; then
		fail "postinst enables or starts d6c.service"
	else ok "postinst neither enables nor starts d6c.service"; fi
	dpkg-deb -f "$deb" Depends | grep -q nftables && ok "Depends: nftables" || fail "no Depends on nftables"
	if command -v systemd-analyze >/dev/null; then
		for unit in d6c.service d6c-docker.service; do
			MANPATH=$p/usr/share/man systemd-analyze verify --root="$p" "$p/lib/systemd/system/$unit" >"$tmp/err" 2>&1 &&
				ok "systemd-analyze verify $unit (package)" || { fail "verify packaged $unit:"; cat "$tmp/err"; }
		done
	fi
	if command -v lintian >/dev/null; then
		lintian "${deb%.deb}.changes" >"$tmp/lint" 2>&1 || true
		cat "$tmp/lint"
		grep -q '^E:' "$tmp/lint" && fail "lintian reports errors" || ok "lintian: no errors"
	fi
	# make install / uninstall into a stage: uninstall leaves only /etc.
	s=$tmp/stage
	make -s install DESTDIR="$s" PREFIX=/usr >/dev/null 2>"$tmp/err" && ok "make install" ||
		{ fail "make install:"; cat "$tmp/err"; }
	grep -q "ExecStart=/usr/bin/d6c apply /etc/d6c/site.pol" "$s/usr/lib/systemd/system/d6c.service" 2>/dev/null &&
		ok "installed unit names BINDIR" || fail "installed unit"
	grep -q "ExecStart=/usr/bin/d6c apply --follow-docker /etc/d6c/site.pol" "$s/usr/lib/systemd/system/d6c-docker.service" 2>/dev/null &&
		ok "installed d6c-docker unit names BINDIR" || fail "installed d6c-docker unit"
	echo changed >"$s/etc/d6c/site.pol"
	make -s install DESTDIR="$s" PREFIX=/usr >/dev/null 2>&1
	[ "$(cat "$s/etc/d6c/site.pol")" = changed ] && ok "make install keeps /etc/d6c/site.pol" ||
		fail "make install overwrote /etc/d6c/site.pol"
	make -s uninstall DESTDIR="$s" PREFIX=/usr >/dev/null 2>&1
	left=$(cd "$s" && find . -type f | sort | tr '\n' ' ')
	[ "$left" = "./etc/d6c/site.pol ./etc/d6c/site.pol.test " ] && ok "make uninstall" ||
		fail "make uninstall left: $left"
fi
finish
