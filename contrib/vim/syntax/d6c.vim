" Vim syntax file
" Language:    d6c firewall policy (d6c.pol(5)) and its .pol.test files
" Maintainer:  d6c developers <d6c@example.org>

if exists("b:current_syntax")
  finish
endif

let s:cpo_save = &cpo
set cpo&vim

syn case match
syn iskeyword @,48-57,_,-

syn keyword d6cStatement   define include network default counters
syn keyword d6cVerdict     allow deny reject drop accept expect
syn keyword d6cKeyword     from log port type
syn keyword d6cProtocol    tcp udp icmp
syn keyword d6cIcmpGroup   basic all
syn keyword d6cService     ftp ssh telnet smtp dns domain http pop3 ntp imap
syn keyword d6cService     snmp ldap https submission ldaps imaps pop3s mysql
syn keyword d6cService     postgres redis

syn match   d6cNumber      "\<\d\+\>"
syn match   d6cNumber      "\<\d\+-\d\+\>"

" IPv4 addresses and prefixes.
syn match   d6cIPv4        "\<\d\{1,3}\(\.\d\{1,3}\)\{3}\(/\d\{1,2}\)\?\>"
" IPv6 addresses and prefixes: hex groups with at least one ':' (and '::'),
" optionally ending in an embedded IPv4 address.
syn match   d6cIPv6        "\(\x\{0,4}:\)\{2,7}\(\x\{1,4}\|\d\{1,3}\(\.\d\{1,3}\)\{3}\)\?\(/\d\{1,3}\)\?"
syn match   d6cIPv6        "::\(/\d\{1,3}\)\?"

" log's options: no keywords, so only after 'log' on the same statement
syn match   d6cLogOption   "\(\<log\>\)\@<=[^;#]*" contains=d6cLogWord,d6cRate,d6cNumber transparent
syn keyword d6cLogWord     contained limit burst group none
syn match   d6cRate        contained "\<\d\+\s*/\s*\(second\|minute\|hour\)s\=\>"

" docker "NAME": a Docker network (docker is no keyword, only before a string)
syn match   d6cKeyword     "\<docker\>\ze\s*\""
syn match   d6cArrow       "->"
syn match   d6cDelimiter   "[<>;,=]"
syn region  d6cString      start=+"+ end=+"+ oneline
syn match   d6cComment     "#.*$" contains=d6cTodo,@Spell
syn keyword d6cTodo        contained TODO FIXME XXX NOTE

hi def link d6cStatement  Statement
hi def link d6cVerdict    Conditional
hi def link d6cKeyword    Keyword
hi def link d6cProtocol   Type
hi def link d6cIcmpGroup  Constant
hi def link d6cService    Identifier
hi def link d6cNumber     Number
hi def link d6cLogWord    Keyword
hi def link d6cRate       Number
hi def link d6cIPv4       Constant
hi def link d6cIPv6       Constant
hi def link d6cArrow      Operator
hi def link d6cDelimiter  Delimiter
hi def link d6cString     String
hi def link d6cComment    Comment
hi def link d6cTodo       Todo

let b:current_syntax = "d6c"

let &cpo = s:cpo_save
unlet s:cpo_save
