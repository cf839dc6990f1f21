/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_lifecycle_autotest: 1000 create/populate/free cycles of pools
 * of every shape leak no memzone and no heap memory.
 */

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include "test.h"
#include "test_pagefrag_util.h"

static void
mz_count_cb(const struct rte_memzone *mz, void *arg)
{
	RTE_SET_USED(mz);
	(*(int *)arg)++;
}

static int
test_lifecycle(void)
{
	struct rte_malloc_socket_stats before, after;
	int socket = rte_socket_id(), mz_before = 0, mz_after = 0;
	unsigned int i;

	rte_memzone_walk(mz_count_cb, &mz_before);
	rte_malloc_get_socket_stats(socket, &before);
	for (i = 0; i < 1000; i++) {
		unsigned int n = 1 + (i * 7919u) % 6000;
		unsigned int elt = (i * 104729u) % 5000;
		unsigned int cache = (i % 3) * 32;
		unsigned int flags = (i % 5 == 1 ? RTE_MEMPOOL_F_NO_CACHE_ALIGN : 0) |
			(i % 7 == 2 ? RTE_MEMPOOL_F_NO_IOVA_CONTIG : 0);
		struct rte_mempool *mp;
		void *o[8];

		if (cache * 3 / 2 > n)
			cache = 0;
		mp = pf_test_pool("pf_life", n, elt, cache, flags);
		TEST_ASSERT_NOT_NULL(mp, "cycle %u: pool of %u x %u", i, n, elt);
		TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), n, "cycle %u", i);
		TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, o, RTE_MIN(8u, n)),
			"cycle %u: get", i);
		rte_mempool_put_bulk(mp, o, RTE_MIN(8u, n));
		rte_mempool_free(mp);
	}
	rte_malloc_get_socket_stats(socket, &after);
	rte_memzone_walk(mz_count_cb, &mz_after);
	printf("1000 cycles: memzones %d -> %d, heap bytes %zu -> %zu, allocations %u -> %u\n",
		mz_before, mz_after, before.heap_allocsz_bytes,
		after.heap_allocsz_bytes, before.alloc_count, after.alloc_count);
	TEST_ASSERT_EQUAL(mz_after, mz_before, "memzones leaked");
	TEST_ASSERT_EQUAL(after.heap_allocsz_bytes, before.heap_allocsz_bytes,
		"heap bytes leaked");
	TEST_ASSERT_EQUAL(after.alloc_count, before.alloc_count,
		"heap allocations leaked");
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(pagefrag_lifecycle_autotest, test_lifecycle);
