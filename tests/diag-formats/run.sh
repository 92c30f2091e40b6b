#!/bin/sh
# Diagnostic formats: for every tests/bad and tests/warn policy, `check
# --format json|github|sarif` reports as many diagnostics as the text does,
# the JSON parses, the workflow commands have GitHub's form, the SARIF log
# validates against the SARIF 2.1.0 schema; --werror changes only the exit
# status; --color and NO_COLOR; LANGUAGE.md lists exactly the table of codes.
. "$(dirname "$0")/../lib.sh"
tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
PY=/usr/bin/python3
# OASIS's SARIF 2.1.0 schema, kept beside this suite so that a clone alone
# can run it (the same file as the team's shared/reference copy).
SCHEMA=tests/diag-formats/sarif-schema-2.1.0.json
if ! $PY -c 'import jsonschema' 2>/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-jsonschema >/dev/null 2>&1
fi
$PY -c 'import jsonschema' 2>/dev/null && ok "python3-jsonschema" || fail "python3-jsonschema is missing (apt-get install python3-jsonschema)"

$D6C check --list-codes >"$tmp/codes"; rc=$?
[ "$rc" -eq 0 ] && [ -s "$tmp/codes" ] && ok "--list-codes" || fail "--list-codes: exit $rc"
grep '^| D6C-' LANGUAGE.md >"$tmp/doc_codes"
if cmp -s "$tmp/codes" "$tmp/doc_codes"; then ok "LANGUAGE.md lists exactly the codes"; else
	fail "LANGUAGE.md's table of codes differs from 'd6c check --list-codes':"
	diff -u "$tmp/doc_codes" "$tmp/codes" | head -20; fi
cut -d' ' -f2 "$tmp/codes" >"$tmp/code_ids"
[ "$(sort -u "$tmp/code_ids" | wc -l)" -eq "$(wc -l <"$tmp/code_ids")" ] && ok "codes unique" || fail "a code is listed twice"
used=$(cat tests/bad/*.err tests/warn/*.err tests/explain/cases/*.err | grep -o '\[D6C-[EW][0-9]*\]$' | tr -d '[]' | sort -u)
for c in $used; do grep -qx "$c" "$tmp/code_ids" || fail "code $c of a golden file is not in the table"; done
ok "golden files use only listed codes"

i=0
for pol in tests/bad/*.pol tests/warn/*.pol; do
	i=$((i + 1))
	case $pol in tests/bad/*) want=1 ;; *) want=0 ;; esac
	$D6C check "$pol" 2>"$tmp/$i.text" >/dev/null
	grep -v '^ ' "$tmp/$i.text" | grep -cE ': (error|warning): ' >"$tmp/$i.count"
	for f in json github sarif; do
		$D6C check --format "$f" "$pol" >"$tmp/$i.$f" 2>"$tmp/$i.$f.err"; rc=$?
		[ "$rc" -eq "$want" ] && ok "$pol $f exit" || fail "$pol: check --format $f exit $rc, expected $want"
		[ ! -s "$tmp/$i.$f.err" ] && ok "$pol $f stderr" || fail "$pol: check --format $f wrote to standard error"
	done
	$D6C check --werror --format json "$pol" >"$tmp/$i.werror" 2>/dev/null; rc=$?
	[ "$rc" -eq 1 ] || [ "$(cat "$tmp/$i.count")" -eq 0 ] && ok "$pol --werror json exit" || fail "$pol: --werror json exit $rc"
	cmp -s "$tmp/$i.json" "$tmp/$i.werror" && ok "$pol --werror same json" || fail "$pol: --werror changed the JSON"
	for f in github sarif; do
		$D6C check --werror --format "$f" "$pol" >/dev/null 2>&1; rc=$?
		[ "$rc" -eq 1 ] && ok "$pol --werror $f exit" || fail "$pol: --werror $f exit $rc"
	done
	echo "$pol" >"$tmp/$i.name"
done

# One Python for every file: it prints "ok WHAT" or "FAIL WHAT" lines.
$PY - "$tmp" "$i" "$SCHEMA" "$tmp/code_ids" >"$tmp/py" 2>&1 <<'PYEOF'
import json, re, sys
tmp, n, schema_path, ids_path = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
codes = set(open(ids_path).read().split())
try:
    import jsonschema
    schema = json.load(open(schema_path))
    validator = jsonschema.validators.validator_for(schema)(schema)
except Exception as e:
    validator = None
    print("FAIL cannot load the SARIF schema:", e)
prop = r"[^,:\n%]*(?:%[0-9A-F]{2}[^,:\n%]*)*"
gh = re.compile(r"^::(error|warning) (?:file=" + prop + r",line=\d+,col=\d+,endLine=\d+,endColumn=\d+,)?title=D6C-[EW]\d{3}::[^\r\n]+$")
for i in range(1, n + 1):
    name = open(f"{tmp}/{i}.name").read().strip()
    count = int(open(f"{tmp}/{i}.count").read())
    try:
        arr = json.load(open(f"{tmp}/{i}.json"))
        assert isinstance(arr, list), "not an array"
        # silenced warnings are in the document, marked, and not in the text
        shown = [d for d in arr if "suppressed" not in d]
        assert len(shown) == count, f"{len(shown)} diagnostics, the text has {count}"
        for d in arr:
            assert set(d) - {"suppressed"} == {"file", "line", "column", "end_line", "end_column",
                              "severity", "code", "message", "notes", "included_from"}, sorted(d)
            if "suppressed" in d:
                s = d["suppressed"]
                assert d["severity"] == "warning", d
                assert s["kind"] in ("inSource", "external"), s
                assert set(s) <= {"kind", "justification", "file", "line", "column"}, s
            assert d["severity"] in ("error", "warning"), d["severity"]
            assert d["code"] in codes, d["code"]
            assert (d["code"][4] == "E") == (d["severity"] == "error"), d["code"]
            if d["file"] is not None:
                assert d["line"] >= 1 and d["column"] >= 1, d
                assert (d["end_line"], d["end_column"]) >= (d["line"], d["column"]), d
            for nt in d["notes"]:
                assert set(nt) == {"file", "line", "column", "end_line", "end_column", "message"}, nt
            for inc in d["included_from"]:
                assert set(inc) == {"file", "line", "column"}, inc
        print("ok", name, "json")
    except Exception as e:
        print("FAIL", name, "json:", e)
    lines = open(f"{tmp}/{i}.github").read().splitlines()
    bad = [l for l in lines if not gh.match(l)]
    if len(lines) == count and not bad:
        print("ok", name, "github")
    else:
        print("FAIL", name, f"github: {len(lines)} lines for {count} diagnostics; malformed: {bad[:2]}")
    try:
        log = json.load(open(f"{tmp}/{i}.sarif"))
        if validator:
            errs = sorted(validator.iter_errors(log), key=str)
            assert not errs, errs[0].message
        run = log["runs"][0]
        res = run["results"]
        shown = [r for r in res if "suppressions" not in r]
        assert len(shown) == count, f"{len(shown)} results, the text has {count}"
        rules = run["tool"]["driver"]["rules"]
        for r in res:
            assert rules[r["ruleIndex"]]["id"] == r["ruleId"], r
            assert r["level"] == rules[r["ruleIndex"]]["defaultConfiguration"]["level"], r
        print("ok", name, "sarif")
    except Exception as e:
        print("FAIL", name, "sarif:", e)
PYEOF
while read -r st what; do
	if [ "$st" = ok ]; then ok "$what"; else fail "$st $what"; fi
done <"$tmp/py"

# Several policies: one document for all of them.
$D6C check --format json tests/bad/define_twice.pol tests/warn/unused_define.pol nosuch.pol >"$tmp/multi" 2>/dev/null; rc=$?
[ "$rc" -eq 2 ] && ok "several: exit 2 (unreadable)" || fail "several: exit $rc, expected 2"
$PY -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert [d["code"] for d in a] == ["D6C-E010", "D6C-W009", "D6C-E060"], [d["code"] for d in a]
assert a[2]["file"] is None and a[2]["line"] is None
' "$tmp/multi" && ok "several: one array, unreadable file without a place" || fail "several: $(cat "$tmp/multi")"
$D6C check --format sarif tests/bad/define_twice.pol tests/warn/unused_define.pol >"$tmp/multi" 2>/dev/null
$PY -c '
import json, sys
l = json.load(open(sys.argv[1]))
assert len(l["runs"]) == 1 and len(l["runs"][0]["results"]) == 2
' "$tmp/multi" && ok "several: one SARIF log" || fail "several: sarif"
$D6C check --format github nosuch.pol >"$tmp/gh" 2>/dev/null
grep -qx "::error title=D6C-E060::cannot read 'nosuch.pol'%3A No such file or directory" "$tmp/gh" ||
	grep -qx "::error title=D6C-E060::cannot read 'nosuch.pol': No such file or directory" "$tmp/gh" &&
	ok "github: no place" || fail "github: $(cat "$tmp/gh")"

# GitHub's escaping: % CR LF in the message, also : and , in properties.
mkdir -p "$tmp/a,b:c"
printf 'network 2001:db8::/64 < allow tcp 22; >\nnetwork 2001:db8::/64 < allow tcp 23; >\n' >"$tmp/a,b:c/p%.pol"
$D6C check --format github "$tmp/a,b:c/p%.pol" >"$tmp/gh" 2>/dev/null
grep -q '^::error file=[^:,]*a%2Cb%3Ac/p%25.pol,line=2,col=9,.*::.*; a prefix belongs to one block%0A[^ ]*a,b:c/p%25.pol:1:9: note: ' "$tmp/gh" &&
	ok "github: escaping, notes folded" || fail "github escaping: $(cat "$tmp/gh")"

# --werror: warnings stay warnings, only the exit status changes.
$D6C check --werror --format sarif tests/warn/unused_define.pol >"$tmp/w" 2>/dev/null; rc=$?
[ "$rc" -eq 1 ] && grep -q '"level": "warning"' "$tmp/w" && ok "--werror sarif: warning, exit 1" || fail "--werror sarif: exit $rc"
$D6C check --format sarif tests/warn/unused_define.pol >/dev/null 2>&1; rc=$?
[ "$rc" -eq 0 ] && ok "sarif warning: exit 0" || fail "sarif warning: exit $rc"

# compile --diagnostics-format: the ruleset on standard output, diagnostics on standard error.
$D6C compile --diagnostics-format json tests/warn/unused_define.pol >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 0 ] && grep -q '^table inet d6c {' "$tmp/out" && $PY -c '
import json, sys
a = json.load(open(sys.argv[1]))
assert len(a) == 1 and a[0]["code"] == "D6C-W009"' "$tmp/err" && ok "compile --diagnostics-format json" ||
	fail "compile --diagnostics-format json: exit $rc"
$D6C compile --diagnostics-format sarif tests/bad/port_out_of_range.pol >"$tmp/out" 2>"$tmp/err"; rc=$?
[ "$rc" -eq 1 ] && [ ! -s "$tmp/out" ] && grep -q '"ruleId": "D6C-E020"' "$tmp/err" && ok "compile --diagnostics-format sarif" ||
	fail "compile --diagnostics-format sarif: exit $rc"
$D6C compile --diagnostics-format github tests/bad/port_out_of_range.pol 2>&1 >/dev/null | grep -q '^::error file=tests/bad/port_out_of_range.pol,line=1,col=35,endLine=1,endColumn=39,title=D6C-E020::port 65536 is out of range (0-65535)$' &&
	ok "compile --diagnostics-format github" || fail "compile --diagnostics-format github"
for bad in "check --format xml" "check --color sometimes" "compile --diagnostics-format xml" "check --diagnostics-format json" \
	"check --disable E014" "check --disable W999" "compile --disable W011,E001" "check --disable W011,"; do
	$D6C $bad tests/warn/unused_define.pol >/dev/null 2>&1; rc=$?
	[ "$rc" -eq 2 ] && ok "$bad: usage error" || fail "$bad: exit $rc, expected 2"
done

# Silenced warnings (LANGUAGE.md, "Silencing a warning"): in the document,
# marked, with the reason; SARIF's "suppressions" validate against the schema.
printf 'network 2001:db8::/64 <\n    allow tcp 22,22; # d6c: disable W005 -- generated list\n    allow tcp 80,80;\n>\n' >"$tmp/sil.pol"
for f in json sarif; do
	$D6C check --format $f "$tmp/sil.pol" >"$tmp/sil.$f" 2>/dev/null
	$D6C check --format $f --disable W005 "$tmp/sil.pol" >"$tmp/sil-run.$f" 2>/dev/null
done
$D6C check --werror --format sarif --disable W005 "$tmp/sil.pol" >/dev/null 2>&1; rc=$?
[ "$rc" -eq 0 ] && ok "sarif, all silenced: --werror exit 0" || fail "sarif, all silenced: --werror exit $rc"
$D6C check --format github "$tmp/sil.pol" >"$tmp/sil.github" 2>/dev/null
[ "$(wc -l <"$tmp/sil.github")" -eq 1 ] && grep -q 'line=3,' "$tmp/sil.github" && ok "github: silenced left out" ||
	fail "github silenced: $(cat "$tmp/sil.github")"
$PY - "$tmp" "$SCHEMA" >"$tmp/py" 2>&1 <<'PYEOF'
import json, sys
tmp, schema_path = sys.argv[1], sys.argv[2]
def check(what, fn):
    try:
        fn()
        print("ok", what)
    except Exception as e:
        print("FAIL", what + ":", repr(e))
def js():
    a = json.load(open(f"{tmp}/sil.json"))
    assert [(d["line"], d.get("suppressed")) for d in a] == [
        (2, {"kind": "inSource", "justification": "generated list", "file": f"{tmp}/sil.pol",
             "line": 2, "column": 37}),
        (3, None)], a
def js_run():
    a = json.load(open(f"{tmp}/sil-run.json"))
    assert [d.get("suppressed") for d in a] == [
        {"kind": "inSource", "justification": "generated list", "file": f"{tmp}/sil.pol",
         "line": 2, "column": 37},
        {"kind": "external"}], a
def sarif():
    import jsonschema
    schema = json.load(open(schema_path))
    for name in ("sil.sarif", "sil-run.sarif"):
        log = json.load(open(f"{tmp}/{name}"))
        errs = list(jsonschema.validators.validator_for(schema)(schema).iter_errors(log))
        assert not errs, errs[0].message
    res = json.load(open(f"{tmp}/sil.sarif"))["runs"][0]["results"]
    s = res[0]["suppressions"]
    assert len(s) == 1 and s[0]["kind"] == "inSource" and s[0]["justification"] == "generated list", s
    reg = s[0]["location"]["physicalLocation"]["region"]
    assert (reg["startLine"], reg["startColumn"], reg["endColumn"]) == (2, 37, 41), reg
    assert res[0]["level"] == "warning" and "suppressions" not in res[1], res
    res = json.load(open(f"{tmp}/sil-run.sarif"))["runs"][0]["results"]
    assert res[1]["suppressions"] == [{"kind": "external"}], res[1]
check("json: silenced warnings marked", js)
check("json: --disable marks external", js_run)
check("sarif: suppressions, schema valid", sarif)
PYEOF
while read -r st what; do
	if [ "$st" = ok ]; then ok "$what"; else fail "$st $what"; fi
done <"$tmp/py"

# Colour: always gives escapes (even with NO_COLOR), never and a non-terminal give none.
esc=$(printf '\033[')
pol=tests/warn/shadowed_rule.pol
$D6C check --color=always "$pol" 2>&1 | grep -qF "$esc" && ok "--color=always" || fail "--color=always: no escapes"
NO_COLOR=1 $D6C check --color=always "$pol" 2>&1 | grep -qF "$esc" && ok "--color=always beats NO_COLOR" || fail "--color=always with NO_COLOR: no escapes"
$D6C check --color=never "$pol" 2>&1 | grep -qF "$esc" && fail "--color=never: escapes" || ok "--color=never"
$D6C check --color=auto "$pol" 2>&1 | grep -qF "$esc" && fail "--color=auto, not a terminal: escapes" || ok "--color=auto, not a terminal"
$D6C check --color=always --format json "$pol" 2>&1 | grep -qF "$esc" && fail "json: escapes" || ok "json: no escapes"
if command -v script >/dev/null; then
	# script gives the command a terminal; the escapes go through its output.
	TERM=xterm NO_COLOR= script -qec "$D6C check $pol" /dev/null >"$tmp/tty" 2>&1
	grep -qF "$esc" "$tmp/tty" && ok "auto on a terminal: colour" || fail "auto on a terminal: no escapes"
	TERM=xterm NO_COLOR=1 script -qec "$D6C check $pol" /dev/null >"$tmp/tty" 2>&1
	grep -qF "$esc" "$tmp/tty" && fail "NO_COLOR on a terminal: escapes" || ok "NO_COLOR on a terminal: none"
	TERM=xterm NO_COLOR=1 script -qec "$D6C check --color=never $pol" /dev/null >"$tmp/tty" 2>&1
	grep -qF "$esc" "$tmp/tty" && fail "--color=never on a terminal: escapes" || ok "--color=never on a terminal"
fi
finish
