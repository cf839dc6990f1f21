/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _TEST_PAGEFRAG_UTIL_H_
#define _TEST_PAGEFRAG_UTIL_H_

#include <stdint.h>

#include <rte_mempool.h>

/*
 * A pagefrag pool made with rte_mempool_create_empty, set_ops_byname and
 * populate_default; NULL (rte_errno set, reason printed) on failure.
 */
struct rte_mempool *pf_test_pool(const char *name, unsigned int n,
		unsigned int elt_size, unsigned int cache, unsigned int flags);

/*
 * Random bulk get/put on every lcore at once with a shadow ownership map:
 * fails if an object is handed out twice, written while held by another,
 * or lost (avail != n at the end).
 */
int pf_test_stress(unsigned int n, unsigned int elt, unsigned int cache,
		uint64_t ops_per_lcore);

#endif
