/*
 * parser.y - the d6c policy grammar (language v1).
 *
 * Actions only build nodes; every check lives in compiler/sema.c.  Errors
 * recover at ';' and '>' so that one run reports every statement that is
 * wrong.  Messages name tokens the way an administrator reads them.
 */
%define api.pure full
%define api.prefix {d6c_yy}
%define api.location.type {struct loc}
%define api.token.prefix {TOK_}
%define parse.error custom
%define parse.lac full
%locations
%expect 0
%param {yyscan_t scanner}
%parse-param {struct parse_ctx *ctx}

%code requires {
#include "compiler/ast.h"
#include "compiler/parse.h"
typedef void *yyscan_t;

/* Spans carry their file, so the default must copy it as well. */
#define YYLLOC_DEFAULT(Cur, Rhs, N)                                           \
	do {                                                                  \
		if (N) {                                                      \
			(Cur).file = YYRHSLOC(Rhs, 1).file;                   \
			(Cur).first_line = YYRHSLOC(Rhs, 1).first_line;       \
			(Cur).first_column = YYRHSLOC(Rhs, 1).first_column;   \
			(Cur).last_line = YYRHSLOC(Rhs, N).last_line;         \
			(Cur).last_column = YYRHSLOC(Rhs, N).last_column;     \
		} else {                                                      \
			(Cur).file = YYRHSLOC(Rhs, 0).file;                   \
			(Cur).first_line = (Cur).last_line =                  \
				YYRHSLOC(Rhs, 0).last_line;                   \
			(Cur).first_column = (Cur).last_column =              \
				YYRHSLOC(Rhs, 0).last_column;                 \
		}                                                             \
	} while (0)
}

%code provides {
int d6c_yylex(D6C_YYSTYPE *lval, struct loc *lloc, yyscan_t scanner);
}

%code {
#include <string.h>
#include <strings.h>

#include "compiler/arena.h"
#include "compiler/diag.h"
#include "compiler/misspell.h"

/* After this many syntax errors in one file the rest is noise. */
#define MAX_SYNTAX_ERRORS 50

static void d6c_yyerror(struct loc *loc, yyscan_t scanner, struct parse_ctx *ctx,
			const char *msg)
{
	(void)scanner;
	diag_error(ctx->dl, DC_PARSER, *loc, "%s", msg);
}

static struct ast_value *num_value(struct parse_ctx *ctx, struct loc loc,
				   unsigned long n)
{
	struct ast_value *v = ast_value(ctx->a, VAL_NUMBER, loc);
	v->lo = v->hi = n;
	return v;
}

static struct ast_value *name_value(struct parse_ctx *ctx, struct loc loc,
				    const char *name)
{
	struct ast_value *v = ast_value(ctx->a, VAL_NAME, loc);
	v->name = name;
	return v;
}

/* docker "NAME": a Docker network by name.  'docker' is no keyword (a define
 * may still be called docker); only a name followed by a string is read so. */
static struct ast_value *docker_value(struct parse_ctx *ctx, struct loc loc, const char *word,
				      struct loc word_loc, const char *name)
{
	struct ast_value *v = ast_value(ctx->a, VAL_DOCKER, loc);
	v->name = name;
	if (strcmp(word, "docker") != 0) {
		diag_error(ctx->dl, DC_DOCKER_WORD, word_loc,
			   "a quoted name here must follow 'docker' (a Docker network: "
			   "docker \"%s\"), not '%s'", name, word);
		v->bad = true;
	}
	return v;
}


/* NAME "if", ...: after a block's targets only `via` may stand. */
static struct ast_list *via_list(struct parse_ctx *ctx, const char *word, struct loc word_loc,
				 struct ast_list *names)
{
	if (strcmp(word, "via") == 0)
		return names;
	diag_error(ctx->dl, DC_PARSER, word_loc,
		   "'%s' after the block's networks: write 'via \"%s\"' to name the interfaces "
		   "its own packets arrive on, or ',' between networks", word, names->head->name);
	return NULL;
}

/* One option after 'log'; sema_log.c judges its words and numbers. */
static struct ast_log_opt *log_opt(struct parse_ctx *ctx, struct loc loc, const char *word,
				   struct loc word_loc, enum log_arg arg, struct loc arg_loc)
{
	struct ast_log_opt *o = arena_alloc(ctx->a, sizeof(*o));
	o->loc = loc;
	o->word = word;
	o->word_loc = word_loc;
	o->arg = arg;
	o->arg_loc = arg_loc;
	return o;
}
}

%union {
	unsigned long num;
	const char *str;
	struct ast_value *val;
	struct ast_list *list;
	struct ast_rule *rule;
	struct ast_item *item;
	int verdict;
	struct ast_log *log;
	struct ast_log_opt *logopt;
	struct ast_rules rules;
}

%token DEFINE "'define'" INCLUDE "'include'" NETWORK "'network'"
%token ALLOW "'allow'" DENY "'deny'" REJECT "'reject'" DEFAULT "'default'"
%token DROP "'drop'" ACCEPT "'accept'" LOG "'log'" FROM "'from'"
%token TCP "'tcp'" UDP "'udp'" ICMP "'icmp'" BASIC "'basic'" ALL "'all'"
%token COUNTERS "'counters'"
%token <num> NUMBER "number"
%token <str> NAME "name"
%token <str> STRING "string"
%token <val> ADDR "address"
/* Only d6c fmt's scan returns it (parse_ctx.keep_comments); no rule uses it. */
%token COMMENT "comment"

%type <val> value port icmp_item source target
%type <list> values ports icmp_items sources targets opt_from opt_via ifnames
%type <rule> rule match proto_match
%type <item> define include network log_default counters
%type <verdict> verdict default_verdict
%type <log> opt_log log_opts
%type <logopt> log_opt
%type <rules> rules

%%

policy
	: %empty
	| policy item
	;

item
	: define   { ast_items_append(&ctx->items, $1); }
	| include  { ast_items_append(&ctx->items, $1); }
	| network  { ast_items_append(&ctx->items, $1); }
	| log_default  { ast_items_append(&ctx->items, $1); }
	| counters { ast_items_append(&ctx->items, $1); }
	| error ';' { yyerrok; }
	| error '>' { yyerrok; ctx->in_block = false; }
	/* Resynchronise at a statement keyword, so that a missing ';' costs
	 * one error and the next statement is still checked. */
	| error define   { yyerrok; ast_items_append(&ctx->items, $2); }
	| error include  { yyerrok; ast_items_append(&ctx->items, $2); }
	| error network  { yyerrok; ast_items_append(&ctx->items, $2); }
	;

/* define := 'define' NAME '=' value (',' value)* ';' */
define
	: DEFINE NAME '=' values ';'
		{
			$$ = ast_item(ctx->a, ITEM_DEFINE, @$);
			$$->name = $2;
			$$->name_loc = @2;
			$$->values = $4;
		}
	/* A missing ';' is reported, and the define still counts, so its uses
	 * do not cascade into "not defined" errors. */
	| DEFINE NAME '=' values error
		{
			$$ = ast_item(ctx->a, ITEM_DEFINE, @$);
			$$->name = $2;
			$$->name_loc = @2;
			$$->values = $4;
		}
	;

values
	: value             { $$ = ast_list_new(ctx->a, $1); }
	| values ',' value  { $$ = ast_list_append($1, $3); }
	;

value
	: NUMBER            { $$ = num_value(ctx, @$, $1); }
	| NUMBER '-' NUMBER { $$ = num_value(ctx, @$, $1); $$->kind = VAL_RANGE; $$->hi = $3; }
	| ADDR              { $$ = $1; }
	| NAME              { $$ = name_value(ctx, @$, $1); }
	| NAME STRING       { $$ = docker_value(ctx, @$, $1, @1, $2); }
	;

/* include := 'include' STRING ';' */
include
	: INCLUDE STRING ';'
		{
			$$ = ast_item(ctx->a, ITEM_INCLUDE, @$);
			$$->path = $2;
			$$->path_loc = @2;
		}
	;

/* log_default := 'log' log_opt* ';': the options of every log of the policy
 * that does not set them itself */
log_default
	: LOG log_opts ';'
		{
			$$ = ast_item(ctx->a, ITEM_LOG, @$);
			$$->log = $2;
			$$->log->loc = @$;
		}
	;

/* counters := 'counters' ';' -- a named counter on every rule of the table */
counters
	: COUNTERS ';'  { $$ = ast_item(ctx->a, ITEM_COUNTERS, @$); }
	;

/* network := 'network' target (',' target)* ['via' STRING (',' STRING)*] '<' rule* '>' */
network
	: NETWORK targets opt_via '<' rules '>'
		{
			$$ = ast_item(ctx->a, ITEM_NETWORK, @$);
			$$->targets = $2;
			$$->via = $3;
			$$->close_loc = @6;
			$$->rules = $5;
		}
	/* A broken target list: still check the block's rules. */
	| NETWORK error '<' rules '>'
		{
			$$ = ast_item(ctx->a, ITEM_NETWORK, @$);
			$$->targets = NULL;
			$$->close_loc = @5;
			$$->rules = $4;
			$$->rules.had_error = true;
		}
	;

targets
	: target              { $$ = ast_list_new(ctx->a, $1); }
	| targets ',' target  { $$ = ast_list_append($1, $3); }
	;

/* 'via' is no keyword either: a define may be called via.  The word is
 * checked here, the names in sema.c. */
opt_via
	: %empty         { $$ = NULL; }
	| NAME ifnames   { $$ = via_list(ctx, $1, @1, $2); }
	;

ifnames
	: STRING              { $$ = ast_list_new(ctx->a, name_value(ctx, @1, $1)); }
	| ifnames ',' STRING  { $$ = ast_list_append($1, name_value(ctx, @3, $3)); }
	;

target
	: ADDR         { $$ = $1; }
	| NAME         { $$ = name_value(ctx, @$, $1); }
	| NAME STRING  { $$ = docker_value(ctx, @$, $1, @1, $2); }
	;

rules
	: %empty           { $$ = (struct ast_rules){ 0 }; }
	| rules rule       { $$ = $1; ast_rules_append(&$$, $2); }
	| rules error ';'  { $$ = $1; $$.had_error = true; yyerrok; }
	| rules error rule { $$ = $1; $$.had_error = true; yyerrok; ast_rules_append(&$$, $3); }
	;

/* rule := verdict match ['log'] ';' | 'default' VERDICT ['log'] ';' */
rule
	: verdict match opt_log ';'
		{
			$$ = $2;
			$$->loc = @$;
			$$->verdict = $1;
			$$->log = $3;
		}
	| verdict match opt_log error
		{
			$$ = $2;
			$$->loc = @$;
			$$->verdict = $1;
			$$->log = $3;
		}
	| DEFAULT default_verdict opt_log ';'
		{
			$$ = ast_rule(ctx->a, @$);
			$$->is_default = true;
			$$->verdict = $2;
			$$->log = $3;
		}
	;

verdict
	: ALLOW   { $$ = VERDICT_ACCEPT; }
	| DENY    { $$ = VERDICT_DROP; }
	| REJECT  { $$ = VERDICT_REJECT; }
	;

default_verdict
	: DROP    { $$ = VERDICT_DROP; }
	| REJECT  { $$ = VERDICT_REJECT; }
	| ACCEPT  { $$ = VERDICT_ACCEPT; }
	;

/* log := 'log' log_opt* */
opt_log
	: %empty        { $$ = NULL; }
	| LOG log_opts  { $$ = $2; $$->loc = @$; }
	;

log_opts
	: %empty            { $$ = ast_log(ctx->a, @$); }
	| log_opts log_opt  { $$ = $1; ast_log_append($$, $2); }
	;

/* limit 5/second, limit none, burst 20, group 2.  The words are no
 * keywords (a define may still be called limit): a word and its value. */
log_opt
	: NAME NUMBER
		{ $$ = log_opt(ctx, @$, $1, @1, LOGARG_NUMBER, @2); $$->num = $2; }
	| NAME NUMBER '/' NAME
		{
			$$ = log_opt(ctx, @$, $1, @1, LOGARG_RATE, @2);
			$$->num = $2;
			$$->name = $4;
			$$->unit_loc = @4;
		}
	| NAME NAME
		{ $$ = log_opt(ctx, @$, $1, @1, LOGARG_WORD, @2); $$->name = $2; }
	;

match
	: proto_match opt_from  { $$ = $1; $$->from = $2; }
	| FROM sources          { $$ = ast_rule(ctx->a, @$); $$->from = $2; }
	;

proto_match
	: TCP        { $$ = ast_rule(ctx->a, @$); $$->proto = PROTO_TCP; $$->proto_loc = @1; }
	| TCP ports  { $$ = ast_rule(ctx->a, @$); $$->proto = PROTO_TCP; $$->proto_loc = @1; $$->ports = $2; }
	| UDP        { $$ = ast_rule(ctx->a, @$); $$->proto = PROTO_UDP; $$->proto_loc = @1; }
	| UDP ports  { $$ = ast_rule(ctx->a, @$); $$->proto = PROTO_UDP; $$->proto_loc = @1; $$->ports = $2; }
	| ICMP       { $$ = ast_rule(ctx->a, @$); $$->proto = PROTO_ICMP; $$->proto_loc = @1; }
	| ICMP icmp_items
		{ $$ = ast_rule(ctx->a, @$); $$->proto = PROTO_ICMP; $$->proto_loc = @1; $$->icmp = $2; }
	;

ports
	: port            { $$ = ast_list_new(ctx->a, $1); }
	| ports ',' port  { $$ = ast_list_append($1, $3); }
	;

port
	: NUMBER            { $$ = num_value(ctx, @$, $1); }
	| NUMBER '-' NUMBER { $$ = num_value(ctx, @$, $1); $$->kind = VAL_RANGE; $$->hi = $3; }
	| NAME              { $$ = name_value(ctx, @$, $1); }
	;

/* 'basic' and 'all' parse inside lists so that sema can say why they may not mix. */
icmp_items
	: icmp_item                 { $$ = ast_list_new(ctx->a, $1); }
	| icmp_items ',' icmp_item  { $$ = ast_list_append($1, $3); }
	;

icmp_item
	: NAME    { $$ = name_value(ctx, @$, $1); }
	| NUMBER  { $$ = num_value(ctx, @$, $1); }
	| BASIC   { $$ = ast_value(ctx->a, VAL_BASIC, @$); }
	| ALL     { $$ = ast_value(ctx->a, VAL_ALL, @$); }
	;

opt_from
	: %empty        { $$ = NULL; }
	| FROM sources  { $$ = $2; }
	;

sources
	: source              { $$ = ast_list_new(ctx->a, $1); }
	| sources ',' source  { $$ = ast_list_append($1, $3); }
	;

source
	: ADDR         { $$ = $1; }
	| NAME         { $$ = name_value(ctx, @$, $1); }
	| NAME STRING  { $$ = docker_value(ctx, @$, $1, @1, $2); }
	;

%%

/* How a token reads in a message: its text where that helps. */
/* The lookahead is always the token the scanner returned last, and the
 * scanner keeps its text in ctx for this message. */
static const char *token_words(struct parse_ctx *ctx, yysymbol_kind_t sym)
{
	switch ((int)sym) {
	case YYSYMBOL_YYEOF:
		return "end of file";
	case YYSYMBOL_NAME:
		return arena_printf(ctx->a, "name '%s'", ctx->last_text);
	case YYSYMBOL_NUMBER:
		return arena_printf(ctx->a, "number %s", ctx->last_text);
	case YYSYMBOL_ADDR:
		return "address";
	default:
		return yysymbol_name(sym);
	}
}

static const char *const keywords[] = {
	"define", "include", "network", "allow", "deny", "reject", "default",
	"drop", "accept", "log", "from", "tcp", "udp", "icmp", "basic", "all", "counters",
};

static bool same_loc(struct loc x, struct loc y)
{
	return x.file == y.file && x.first_line == y.first_line &&
	       x.first_column == y.first_column;
}

/* What a log option's word takes, when a syntax error stands where its
 * value should: right after the word, with a number expected. */
static const char *log_opt_hint(const struct parse_ctx *ctx, yysymbol_kind_t got,
				const yysymbol_kind_t *expected, int n)
{
	static const char *const hint[][2] = {
		{ "limit", "'limit' takes a rate, e.g. limit 5/second, or none" },
		{ "burst", "'burst' takes a number of packets, e.g. burst 10" },
		{ "group", "'group' takes an nflog group number 0-65535" },
	};
	bool wants_number = false;
	for (int i = 0; i < n; i++)
		wants_number |= expected[i] == YYSYMBOL_NUMBER;
	if (!wants_number || got == YYSYMBOL_NAME || got == YYSYMBOL_NUMBER ||
	    got == YYSYMBOL_STRING || !ctx->last_text || !same_loc(ctx->prev_token, ctx->last_name))
		return NULL;
	for (size_t i = 0; i < sizeof(hint) / sizeof(hint[0]); i++)
		if (strcmp(ctx->last_text, hint[i][0]) == 0)
			return hint[i][1];
	return NULL;
}

static bool expects(const yysymbol_kind_t *expected, int n, yysymbol_kind_t sym)
{
	for (int i = 0; i < n; i++)
		if (expected[i] == sym)
			return true;
	return false;
}

/* A known word in the wrong place: the verdict words of rules after
 * 'default', the protocol after 'from', 'log' before the match. */
static const char *word_order_hint(yysymbol_kind_t got, const yysymbol_kind_t *expected, int n)
{
	if (got == YYSYMBOL_DENY && expects(expected, n, YYSYMBOL_DROP))
		return "did you mean 'drop'?";
	if (got == YYSYMBOL_ALLOW && expects(expected, n, YYSYMBOL_ACCEPT))
		return "did you mean 'accept'?";
	if ((got == YYSYMBOL_TCP || got == YYSYMBOL_UDP || got == YYSYMBOL_ICMP) &&
	    expects(expected, n, YYSYMBOL_LOG))
		return "the protocol and its ports come before 'from': allow tcp 22 from SOURCES;";
	if (got == YYSYMBOL_LOG && expects(expected, n, YYSYMBOL_TCP))
		return "'log' comes after what the rule matches: allow tcp 80 log;";
	return NULL;
}

/* The whole word at loc as written, up to a blank or ';' (a path such as
 * inc/x.pol or /etc/x.pol, which the scanner split into several tokens);
 * NULL when there is none.  The scanner's errors inside it are then not
 * said: this error quotes it whole. */
static const char *bare_word(struct parse_ctx *ctx, struct loc loc)
{
	size_t len;
	const char *line = src_line(loc.file, loc.first_line, &len);
	size_t from = (size_t)loc.first_column - 1, to = from;
	while (to < len && !strchr(" \t\r;#\"<>", line[to]) && to - from < 255)
		to++;
	if (to <= from)
		return NULL;
	ctx->quiet_until = loc;
	ctx->quiet_until.last_column = loc.first_column + (int)(to - from) - 1;
	return arena_strndup(ctx->a, line + from, to - from);
}

static int yyreport_syntax_error(const yypcontext_t *yyctx, yyscan_t scanner,
				     struct parse_ctx *ctx)
{
	(void)scanner;
	if (++ctx->syntax_errors > MAX_SYNTAX_ERRORS)
		return 0;
	struct loc loc = *yypcontext_location(yyctx);
	yysymbol_kind_t got = yypcontext_token(yyctx);
	/* The scanner already said what is wrong with this token, or with the
	 * character just before it (café: 'x' after the 'é'). */
	if (same_loc(loc, ctx->reported) ||
	    (loc.file == ctx->reported.file && loc.first_line == ctx->reported.last_line &&
	     loc.first_column == ctx->reported.last_column + 1))
		return 0;
	/* the top level has six: end of file and five statements */
	yysymbol_kind_t expected[7];
	int n = yypcontext_expected_tokens(yyctx, expected, 7);

	char buf[512];
	size_t len = 0;
/* Appends, and stops at the buffer's end: len never passes sizeof(buf) - 1. */
#define ADD(...)                                                                  \
	do {                                                                      \
		int n_ = snprintf(buf + len, sizeof(buf) - len, __VA_ARGS__);     \
		if (n_ > 0)                                                       \
			len += (size_t)n_ < sizeof(buf) - len ? (size_t)n_        \
							      : sizeof(buf) - len - 1; \
	} while (0)
	ADD("unexpected %s", token_words(ctx, got));
	/* A bare string where an address goes: most likely a Docker network. */
	for (int i = 0; i < n && got == YYSYMBOL_STRING; i++)
		if (expected[i] == YYSYMBOL_ADDR) {
			diag_error(ctx->dl, DC_DOCKER_WORD, loc, "a string is no address; to name a "
				   "Docker network write docker \"%s\"", ctx->last_text);
			return 0;
		}
	/* Where '<' may come, a name can only be the contextual word via. */
	bool block_next = false;
	for (int i = 0; i < n; i++)
		if (strcmp(yysymbol_name(expected[i]), "'<'") == 0)
			block_next = true;
	/* Where ';' may end a log, a name can only start its next option.  A
	 * ';' ends the log as it is scanned, before it is reported. */
	bool in_log = ctx->after_log ||
		      (strcmp(yysymbol_name(got), "';'") == 0 && ctx->log_before_semicolon);
	bool log_next = false;
	for (int i = 0; i < n && in_log; i++)
		if (strcmp(yysymbol_name(expected[i]), "';'") == 0)
			log_next = true;
	if (n > 0 && n <= 6) {
		ADD("; expected ");
		for (int i = 0; i < n; i++)
			ADD("%s%s", i == 0 ? "" : i == n - 1 ? " or " : ", ",
			    block_next && expected[i] == YYSYMBOL_NAME ? "'via'"
			    : log_next && expected[i] == YYSYMBOL_NAME ? "a log option (limit, burst, group)"
			    : in_log && n == 1 && expected[i] == YYSYMBOL_NAME
				? "a unit (second, minute, hour)"   /* after the '/' of a rate */
								       : yysymbol_name(expected[i]));
	}
	/* A bare word where only a string may stand (an interface after via,
	 * a path after include): the quotes are what is missing. */
	if (n == 1 && expected[0] == YYSYMBOL_STRING && got != YYSYMBOL_YYEOF &&
	    strcmp(yysymbol_name(got), "';'") != 0) {
		d6c_yy_restore_text(scanner);  /* the byte after the token, for bare_word */
		const char *word = bare_word(ctx, loc);
		if (word)
			ADD(" (write it in quotes: \"%s\")", word);
	}
	bool wants_close = false;
	for (int i = 0; i < n; i++)
		if (strcmp(yysymbol_name(expected[i]), "'>'") == 0)
			wants_close = true;
	if (ctx->in_block && (wants_close || got == YYSYMBOL_YYEOF))
		ADD(" (to close '<' at line %d)", ctx->block_open.first_line);
	bool wants_semicolon = false;
	for (int i = 0; i < n; i++)
		if (strcmp(yysymbol_name(expected[i]), "';'") == 0)
			wants_semicolon = true;
	if (wants_semicolon && ctx->prev_token.file && loc.first_line > ctx->prev_token.last_line)
		ADD(" (is a ';' missing at the end of line %d?)", ctx->prev_token.last_line);
	/* `log limit;`: the word just before needed its value. */
	const char *opt_hint = log_opt_hint(ctx, got, expected, n);
	if (opt_hint)
		ADD(" (%s)", opt_hint);
	if (got == YYSYMBOL_NAME) {
		bool cased = false;
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++)
			if (strcasecmp(ctx->last_text, keywords[i]) == 0 && strcmp(ctx->last_text, keywords[i])) {
				ADD("; keywords are lower case: did you mean '%s'?", keywords[i]);
				cased = true;
			}
		/* A misspelled keyword: the closest of those the parser expects here. */
		struct misspell m;
		misspell_init(&m, ctx->last_text);
		yysymbol_kind_t all[YYNTOKENS];
		int nall = cased ? 0 : yypcontext_expected_tokens(yyctx, all, YYNTOKENS);
		for (int i = 0; i < nall; i++) {
			const char *name = yysymbol_name(all[i]);
			size_t wlen = strlen(name);
			char word[32];
			if (wlen < 3 || wlen >= sizeof(word) + 2 || name[0] != '\'' || name[wlen - 1] != '\'')
				continue;
			memcpy(word, name + 1, wlen - 2);
			word[wlen - 2] = '\0';
			for (size_t k = 0; k < sizeof(keywords) / sizeof(keywords[0]); k++)
				if (strcmp(word, keywords[k]) == 0)
					misspell_offer(&m, keywords[k]);
		}
		if (m.best)
			ADD("; did you mean '%s'?", m.best);
	} else {
		const char *order = word_order_hint(got, expected, n);
		if (order)
			ADD("; %s", order);
		for (size_t i = 0; i < sizeof(keywords) / sizeof(keywords[0]); i++) {
			char quoted[32];
			snprintf(quoted, sizeof(quoted), "'%s'", keywords[i]);
			if (strcmp(yysymbol_name(got), quoted) == 0) {
				for (int k = 0; k < n && !log_next; k++)
					if (expected[k] == YYSYMBOL_NAME)
						ADD("; '%s' is a keyword and cannot be used as a name",
						    keywords[i]);
			}
		}
	}
#undef ADD
	diag_error(ctx->dl, DC_SYNTAX, loc, "%s", buf);
	return 0;
}
