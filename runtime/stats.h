/*
 * stats.h - reading the named counters of d6c's table (d6c stats).
 *
 * Through libnftables with JSON output: `list counters table inet T`, or
 * with reset `reset counters table inet T`, which lists and zeroes them in
 * one step.  Errors as apply.h says.
 */
#ifndef D6C_STATS_H
#define D6C_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "compiler/arena.h"
#include "compiler/counters.h"

enum stats_status {
	STATS_OK,
	STATS_NO_TABLE,   /* table inet T is not loaded (err says so) */
	STATS_FAILED,     /* anything else; err says what */
};

/* The counters of table inet table, names and values in a: *v and *n.
 * reset: zeroed as they are read. */
enum stats_status stats_read(struct arena *a, const char *table, bool reset,
			     struct counter_value **v, int *n, char *err, size_t errlen);

#endif
