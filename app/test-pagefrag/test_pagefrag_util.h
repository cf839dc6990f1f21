/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _TEST_PAGEFRAG_UTIL_H_
#define _TEST_PAGEFRAG_UTIL_H_

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#include <rte_mempool.h>

/*
 * A pagefrag pool made with rte_mempool_create_empty, set_ops_byname and
 * populate_default; NULL (rte_errno set, reason printed) on failure.
 */
struct rte_mempool *pf_test_pool(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache, unsigned int flags);

/* The atomics statistic of a pagefrag pool. */
uint64_t pf_test_atomics(struct rte_mempool *mp);

/* qsort() comparator of pointers (void * or uintptr_t). */
int pf_test_cmp_ptr(const void *a, const void *b);

/* Addresses of every object of mp, sorted: the index of a shadow map. */
uintptr_t *pf_test_obj_addrs(struct rte_mempool *mp);

/* Index of obj in the sorted addrs[n], or -1 if it is not there. */
int pf_test_obj_index(const uintptr_t *addrs, unsigned int n, const void *obj);

/*
 * Send a telemetry command on a new connection to this process's socket,
 * as dpdk-telemetry.py does; the JSON reply goes into buf. 0 or -1.
 */
int pf_test_telemetry_query(const char *cmd, char *buf, size_t len);

/* The number after "key": in json. 0, or -1 when key is missing. */
int pf_test_json_u64(const char *json, const char *key, uint64_t *v);
int pf_test_json_int(const char *json, const char *key, int64_t *v);

/* Copy the flat object "key":{...} of json into out. 0 or -1. */
int pf_test_json_obj(const char *json, const char *key, char *out, size_t len);

/*
 * Start this binary again as a secondary process of the calling primary
 * (same --file-prefix), with EAL option --lcores=lcores (e.g. "5@0": lcore
 * id 5 on CPU 0), running the test command cmd. Returns its pid, or -1.
 */
pid_t pf_test_spawn_secondary(const char *lcores, const char *cmd);

/*
 * Start the secondaries of pf_test_spawn_secondary() through a command
 * (NULL-terminated argv, e.g. unshare -p -f --kill-child), or directly
 * again (NULL). The array must live as long as it is set.
 */
void pf_test_secondary_wrapper(const char * const *argv);

/*
 * pf_test_spawn_secondary(), then wait up to seconds until *ready == value
 * (the secondary sets it after attaching and must not exit before the
 * primary tells it to). A secondary that exits before that is started
 * again, twice at most: EAL may fail to map the primary's memory at the
 * same addresses (address space taken, as under AddressSanitizer).
 * Returns the pid, or -1 (nothing left running).
 */
pid_t pf_test_start_secondary(const char *lcores, const char *cmd,
		volatile int *ready, int value, double seconds);

/*
 * What DPDK logs between pf_test_log_begin() and pf_test_log_end(), at the
 * levels a user sees by default: the driver's log type is set to its
 * default (NOTICE) meanwhile, whatever --log-level said, and restored.
 */
struct pf_test_log {
	FILE *f;
	char *text;
	size_t len;
	int type;
	int level;
};

/* Start capturing: 0, or -1 (nothing changed). */
int pf_test_log_begin(struct pf_test_log *log);

/* Stop capturing; the text logged (to free()), or NULL. */
char *pf_test_log_end(struct pf_test_log *log);

/*
 * The lines of text the driver logged (its "PAGEFRAG: " prefix), each
 * printed after what: how many there are.
 */
unsigned int pf_test_log_driver_lines(const char *text, const char *what);

/* Wait until *v == value or seconds pass: 0, or -1 on timeout. */
int pf_test_wait_for(volatile int *v, int value, double seconds);

#endif
