# d6c - a firewall policy compiler for IPv6 container hosts.
#
#   make            build ./d6c
#   make test       install what is missing (as root), build, run every suite
#   make check      build, run the suites that need neither root nor a daemon
#                   (tests/README.md), as any user, in about 80 s
#   make demo       build and print the ruleset of examples/site.pol
#   make SANITIZE=1 test   (AddressSanitizer + UBSan; or SANITIZE=address,...)
#   make bench      compile time and memory for growing policies
#   make bench-follow   apply --follow-docker under Docker churn (root)
#   make bench-delta    one change to a large table: delta against whole (root)
#   make install PREFIX=/usr/local DESTDIR=
#   make man        build/d6c.1 and build/d6c.pol.5 from doc/*.scd (scdoc)
#   make deb        the Debian package, in build/deb/ (dpkg-buildpackage)
#   make deb-test   make deb, then tests/install/run.sh on the package
#   make lint       includes only down the layers (tests/tools/layers.sh), then
#                   cppcheck and clang-tidy (.clang-tidy) on our C, no finding
#   make fuzz FUZZ_SECONDS=60   libFuzzer targets (clang, ASan, UBSan), each
#                   run N seconds on its corpus, two at a time (tests/fuzz/README)

VERSION = 0.1.0
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
SYSCONFDIR ?= /etc
DOCDIR ?= $(DATADIR)/doc/d6c
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
VIMDIR ?= $(DATADIR)/vim/vimfiles
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SCDOC ?= scdoc

CC ?= cc
CFLAGS ?= -O2 -g
BISON ?= bison
FLEX ?= flex
B = build

WARN = -Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes \
       -Wpointer-arith -Wwrite-strings -Wformat=2 -Wvla
ALL_CFLAGS = $(CFLAGS) -std=gnu11 -D_GNU_SOURCE -DD6C_VERSION='"$(VERSION)"' \
	     -I. -I$(B) $(WARN) -MMD -MP
ifeq ($(SANITIZE),1)
override SANITIZE = address,undefined
endif
ifneq ($(SANITIZE),)
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-sanitize-recover=all -fno-omit-frame-pointer
ALL_LDFLAGS += -fsanitize=$(SANITIZE)
B = build-san
endif
# FUZZ=1: libFuzzer targets with ASan and UBSan; FUZZ=cov: with source-based
# coverage instead.  Set by `make fuzz` and tests/fuzz/cov.sh, which also
# pass CC=clang.  The wraps give the targets an in-memory file system
# (tests/fuzz/fuzz_common.h) without a line of the compiler changing.
FUZZ_WRAP = -Wl,--wrap=open -Wl,--wrap=fopen -Wl,--wrap=realpath -Wl,--wrap=glob \
	-Wl,--wrap=globfree
# clang, unlike gcc, counts a va_list passed on as a non-literal format.
FUZZ_WARN = -Wno-format-nonliteral
ifeq ($(FUZZ),1)
ALL_CFLAGS += -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all \
	      -fno-omit-frame-pointer $(FUZZ_WARN)
FUZZ_LDFLAGS = -fsanitize=fuzzer,address,undefined $(FUZZ_WRAP)
B = build-fuzz
endif
ifeq ($(FUZZ),cov)
ALL_CFLAGS += -fsanitize=fuzzer-no-link -fprofile-instr-generate -fcoverage-mapping $(FUZZ_WARN)
FUZZ_LDFLAGS = -fsanitize=fuzzer -fprofile-instr-generate $(FUZZ_WRAP)
B = build-fuzzcov
endif
ALL_LDFLAGS += $(LDFLAGS)
LIBS = $(shell pkg-config --libs jansson libnftables libmnl libcurl libcrypto 2>/dev/null || echo -ljansson -lnftables -lmnl -lcurl -lcrypto)

ifeq ($(V),1)
Q =
else
Q = @
endif

# Three layers, each using only the ones above it (make lint checks the
# includes): compiler/ computes and never touches the system; runtime/
# touches it (netlink, namespaces, sockets, files under /run) and uses
# compiler/; cli/ is the command line on top of both.
COMPILER_SRC = compiler/arena.c compiler/diag.c compiler/diag_codes.c compiler/diag_json.c compiler/suppress.c \
	  compiler/source.c compiler/pathglob.c compiler/addr.c compiler/names.c compiler/misspell.c compiler/service_hint.c compiler/utf8.c compiler/lookalike.c \
	  compiler/ast.c compiler/parse.c compiler/sema.c compiler/sema_value.c compiler/sema_log.c compiler/lint.c compiler/lint_cells.c compiler/lint_redundant.c compiler/lint_docker.c \
	  compiler/ir.c compiler/ir_source.c compiler/ir_counters.c compiler/ir_sets.c compiler/emit_text.c compiler/emit_json.c \
	  compiler/compile.c compiler/validate.c compiler/fmt.c compiler/udiff.c \
	  compiler/eval.c compiler/packet.c compiler/explain.c compiler/testfile.c \
	  compiler/outcome.c compiler/docker_state.c compiler/frame.c compiler/counters.c \
	  compiler/record.c compiler/listing.c compiler/tablediff.c compiler/delta.c
RUNTIME_SRC = runtime/apply.c runtime/trust.c runtime/output.c runtime/netns.c \
	  runtime/probe.c runtime/testfile_kernel.c runtime/kernel_release.c \
	  runtime/docker_api.c runtime/docker_rule.c runtime/command.c runtime/live.c runtime/nftctx.c \
	  runtime/doctor_host.c runtime/doctor_parse.c runtime/doctor_judge.c runtime/doctor_print.c runtime/stats.c runtime/fingerprint.c runtime/applied.c \
	  runtime/host_services.c
CLI_SRC = cli/main.c cli/usage.c cli/options.c cli/report.c cli/policy.c \
	  cli/cmd_compile.c cli/cmd_apply.c cli/cmd_doctor.c cli/cmd_explain.c cli/cmd_fmt.c \
	  cli/follow.c cli/compare.c cli/cmd_diff.c cli/cmd_status.c cli/cmd_stats.c
LIB_SRC = $(COMPILER_SRC) $(RUNTIME_SRC)
GEN_SRC = $(B)/parser.c $(B)/lexer.c
LIB_OBJ = $(LIB_SRC:%.c=$(B)/%.o) $(B)/parser.o $(B)/lexer.o
MAIN_OBJ = $(CLI_SRC:%.c=$(B)/%.o)

UNIT_SRC = $(wildcard tests/unit/test_*.c)
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)

all: d6c

d6c: $(B)/d6c
	$(Q)cp $(B)/d6c $@

$(B)/d6c: $(MAIN_OBJ) $(B)/libd6c.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(MAIN_OBJ) $(B)/libd6c.a $(LIBS) $(ALL_LDFLAGS)

$(B)/libd6c.a: $(LIB_OBJ)
	$(Q)rm -f $@ && ar rcs $@ $(LIB_OBJ)

$(B)/parser.c $(B)/parser.h &: grammar/parser.y
	@mkdir -p $(B)
	@echo "  BISON   $<"
	$(Q)$(BISON) -Wall -Werror --defines=$(B)/parser.h -o $(B)/parser.c $<

$(B)/lexer.c $(B)/lexer.h &: grammar/lexer.l
	@mkdir -p $(B)
	@echo "  FLEX    $<"
	$(Q)$(FLEX) --header-file=$(B)/lexer.h -o $(B)/lexer.c $<

# The generated scanner and parser are not ours to keep warning-clean.
$(B)/parser.o $(B)/lexer.o: ALL_CFLAGS += -Wno-unused-function -Wno-missing-prototypes -Wno-sign-compare
$(B)/parser.o: $(B)/parser.c $(B)/lexer.h
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<
$(B)/lexer.o: $(B)/lexer.c $(B)/parser.h
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/%.o: %.c $(B)/parser.h $(B)/lexer.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(B)/tests/%: tests/unit/%.c tests/unit/fixture.h $(B)/libd6c.a
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $< $(B)/libd6c.a -lcmocka $(LIBS) $(ALL_LDFLAGS)

# d6c with a kernel-side failure injected into every commit (tests/fault/).
$(B)/d6c-fault: $(MAIN_OBJ) $(B)/libd6c.a tests/fault/apply_fault.c
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -Wl,--wrap=nft_run_cmd_from_buffer -o $@ tests/fault/apply_fault.c \
		$(MAIN_OBJ) $(B)/libd6c.a $(LIBS) $(ALL_LDFLAGS)

# The differential tester, evaluator against kernel (tests/diff/).
DIFF_OBJ = $(patsubst %.c,$(B)/%.o,$(wildcard tests/diff/*.c))
$(B)/difftest: $(DIFF_OBJ) $(B)/libd6c.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(DIFF_OBJ) $(B)/libd6c.a $(LIBS) $(ALL_LDFLAGS)

# Fuzzing: one libFuzzer target per untrusted input (tests/fuzz/README).
FUZZ_CC ?= clang
FUZZ_CFLAGS ?= -O1 -g
FUZZ_SECONDS ?= 60
FUZZ_TARGETS = compile include packet testfile docker_state delta
FUZZ_BIN = $(FUZZ_TARGETS:%=$(B)/fuzz_%)
FUZZ_OBJ = $(FUZZ_TARGETS:%=$(B)/tests/fuzz/fuzz_%.o) $(B)/tests/fuzz/fuzz_common.o
$(B)/fuzz_%: $(B)/tests/fuzz/fuzz_%.o $(B)/tests/fuzz/fuzz_common.o $(B)/libd6c.a
	@echo "  LD      $@"
	$(Q)$(CC) $(ALL_CFLAGS) -o $@ $(B)/tests/fuzz/fuzz_$*.o $(B)/tests/fuzz/fuzz_common.o \
		$(B)/libd6c.a $(LIBS) $(ALL_LDFLAGS) $(FUZZ_LDFLAGS)
fuzz-bins: $(FUZZ_BIN)
fuzz-build:
	$(Q)$(MAKE) --no-print-directory FUZZ=1 CC=$(FUZZ_CC) CFLAGS='$(FUZZ_CFLAGS)' fuzz-bins
fuzz: fuzz-build
	$(Q)sh tests/fuzz/fuzz.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

deps:
	$(Q)sh tests/setup-deps.sh

demo: deps d6c
	./d6c compile examples/site.pol

# The suites that need neither root nor a daemon (tests/README.md says why
# each is in or out).  Without root, test_probe runs only its tables and
# explain and docker-names skip their namespace cases, saying so; as root
# they run them.  Narrower: make check CHECK_SUITES="bad warn".
CHECK_SUITES = bad warn examples explain docker-names diag-formats fmt hostile install
check: d6c $(B)/d6c $(UNIT_BIN)
	$(Q)D6C=$(CURDIR)/$(B)/d6c D6C_SUITES='$(CHECK_SUITES)' sh tests/run.sh $(UNIT_BIN)

check-unit: $(UNIT_BIN)
	$(Q)set -e; for t in $(UNIT_BIN); do echo "== $$t"; $$t; done

test: deps
	$(Q)$(MAKE) --no-print-directory all-tests

all-tests: d6c $(B)/d6c $(B)/d6c-fault $(B)/difftest $(UNIT_BIN)
	$(Q)D6C=$(CURDIR)/$(B)/d6c D6C_FAULT=$(CURDIR)/$(B)/d6c-fault D6C_DIFFTEST=$(CURDIR)/$(B)/difftest sh tests/run.sh $(UNIT_BIN)

# A long differential run: make difftest SEED=7 COUNT=2000
SEED ?= 1
COUNT ?= 500
difftest: $(B)/difftest
	$(Q)$(B)/difftest --seed $(SEED) --count $(COUNT)

bench: deps d6c
	$(Q)sh bench/run.sh

# what one change costs apply on a large table, by delta and whole
bench-delta: d6c
	$(Q)sh bench/delta.sh

# compile time and memory of the policy shapes bench/gen.sh's mix lacks
bench-shapes: d6c
	$(Q)sh bench/shapes.sh

# apply --follow-docker under churn beside a real dockerd (root): latency,
# bursts, memory, and probes of a blocked port all along
bench-follow: d6c
	$(Q)sh bench/follow.sh

# The layers' include direction (tests/tools/layers.sh), then cppcheck and
# clang-tidy with the flags above (tests/tools/lint.sh writes
# $(B)/compile_commands.json), on every C file of ours; not the generated
# parser and scanner, whose headers they still need.
LINT_SRC = $(LIB_SRC) $(CLI_SRC) $(UNIT_SRC) $(wildcard tests/diff/*.c) \
	   tests/fault/apply_fault.c tests/fuzz/fuzz_compile.c
LINT_JOBS ?= 2
lint: $(B)/parser.h $(B)/lexer.h
	$(Q)sh tests/tools/layers.sh
	$(Q)sh tests/tools/lint.sh $(B) $(LINT_JOBS) $(LINT_SRC) -- $(CC) $(filter-out -MMD -MP,$(ALL_CFLAGS))

golden-update: d6c
	$(Q)sh tests/golden-update.sh

# Manual pages: doc/NAME.SECTION.scd -> build/NAME.SECTION
MAN_PAGES = build/d6c.1 build/d6c.pol.5
man: $(MAN_PAGES)
$(MAN_PAGES): build/%: doc/%.scd
	@mkdir -p build
	@echo "  SCDOC   $<"
	$(Q)$(SCDOC) < $< > $@

# The unit names /usr/bin/d6c and /etc/d6c; installed, it names BINDIR and
# SYSCONFDIR.  The example policy is installed only where none exists yet.
install: d6c man
	install -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
		$(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(VIMDIR)/syntax $(DESTDIR)$(VIMDIR)/ftdetect \
		$(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(SYSCONFDIR)/d6c
	install -m 755 d6c $(DESTDIR)$(BINDIR)/d6c
	install -m 644 build/d6c.1 $(DESTDIR)$(MANDIR)/man1/d6c.1
	install -m 644 build/d6c.pol.5 $(DESTDIR)$(MANDIR)/man5/d6c.pol.5
	install -m 644 contrib/bash-completion/d6c $(DESTDIR)$(BASHCOMPDIR)/d6c
	install -m 644 contrib/vim/syntax/d6c.vim $(DESTDIR)$(VIMDIR)/syntax/d6c.vim
	install -m 644 contrib/vim/ftdetect/d6c.vim $(DESTDIR)$(VIMDIR)/ftdetect/d6c.vim
	install -m 644 contrib/etc/d6c/site.pol contrib/etc/d6c/site.pol.test $(DESTDIR)$(DOCDIR)/examples/
	for f in site.pol site.pol.test; do \
		[ -e $(DESTDIR)$(SYSCONFDIR)/d6c/$$f ] || \
			install -m 644 contrib/etc/d6c/$$f $(DESTDIR)$(SYSCONFDIR)/d6c/$$f; \
	done
	if [ -n "$(SYSTEMDUNITDIR)" ]; then \
		install -d $(DESTDIR)$(SYSTEMDUNITDIR) && \
		for u in d6c.service d6c-docker.service; do \
			sed -e 's|/usr/bin/d6c|$(BINDIR)/d6c|g' -e 's|/etc/d6c|$(SYSCONFDIR)/d6c|g' \
				contrib/systemd/$$u > $(DESTDIR)$(SYSTEMDUNITDIR)/$$u && \
			chmod 644 $(DESTDIR)$(SYSTEMDUNITDIR)/$$u || exit 1; \
		done; \
	fi

# Leaves $(SYSCONFDIR)/d6c alone: it holds the administrator's policy.
uninstall:
	rm -f $(DESTDIR)$(BINDIR)/d6c $(DESTDIR)$(MANDIR)/man1/d6c.1 \
		$(DESTDIR)$(MANDIR)/man5/d6c.pol.5 $(DESTDIR)$(BASHCOMPDIR)/d6c \
		$(DESTDIR)$(VIMDIR)/syntax/d6c.vim $(DESTDIR)$(VIMDIR)/ftdetect/d6c.vim \
		$(DESTDIR)$(DOCDIR)/examples/site.pol $(DESTDIR)$(DOCDIR)/examples/site.pol.test
	[ -z "$(SYSTEMDUNITDIR)" ] || rm -f $(DESTDIR)$(SYSTEMDUNITDIR)/d6c.service \
		$(DESTDIR)$(SYSTEMDUNITDIR)/d6c-docker.service
	-rmdir $(DESTDIR)$(DOCDIR)/examples $(DESTDIR)$(DOCDIR) 2>/dev/null

# The Debian package, built from a copy of the tree in build/deb/d6c-VERSION
# (so debian/rules clean never touches this checkout's build/); the .deb,
# .buildinfo and .changes land in build/deb/.
DEB = build/deb/d6c_$(VERSION)-1_$(shell dpkg --print-architecture 2>/dev/null).deb
deb:
	$(Q)rm -rf build/deb && mkdir -p build/deb/d6c-$(VERSION)
	$(Q)tar -cf - --exclude=./build --exclude=./build-san --exclude=./.git --exclude=./d6c . \
		| tar -xf - -C build/deb/d6c-$(VERSION)
	$(Q)cd build/deb/d6c-$(VERSION) && dpkg-buildpackage -us -uc -b
	$(Q)rm -rf build/deb/d6c-$(VERSION)
	@echo "  DEB     $(DEB)"

deb-test: deps
	$(Q)$(MAKE) --no-print-directory $(B)/d6c deb
	$(Q)D6C=$(CURDIR)/$(B)/d6c D6C_DEB=$(CURDIR)/$(DEB) sh tests/install/run.sh

clean:
	rm -rf build build-san build-fuzz build-fuzzcov d6c

.PHONY: bench bench-delta bench-follow bench-shapes all deps demo difftest lint test all-tests check check-unit golden-update install uninstall clean man deb deb-test fuzz fuzz-build fuzz-bins
.DELETE_ON_ERROR:
.SECONDARY:

-include $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) $(DIFF_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)
