/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_badinput_autotest: memory DPDK did not allocate (any alignment;
 * too small refused, the pool intact) and a full ops table.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_noop_ops.h"
#include "test_pagefrag_util.h"

/* Memory DPDK did not allocate: 2 MB-aligned works, the rest is refused. */
static int
test_foreign_memory(void)
{
	struct rte_mempool *mp;
	void *mem = NULL, *o[16];
	int ret;

	TEST_ASSERT_SUCCESS(posix_memalign(&mem, 2 << 20, 4 << 20), "memalign");
	mp = rte_mempool_create_empty("pf_extmem", 1000, 2048, 0, 0,
		SOCKET_ID_ANY, RTE_MEMPOOL_F_NO_IOVA_CONTIG);
	TEST_ASSERT_NOT_NULL(mp, "create_empty");
	TEST_ASSERT_SUCCESS(rte_mempool_set_ops_byname(mp,
		RTE_MEMPOOL_PAGEFRAG_OPS_NAME, NULL), "set_ops");
	/* shorter than one object: refused, pool intact */
	ret = rte_mempool_populate_iova(mp, (char *)mem + 4096, RTE_BAD_IOVA,
		1024, NULL, NULL);
	TEST_ASSERT_EQUAL(ret, -EINVAL, "populate with 1 KB of malloc memory");
	TEST_ASSERT_EQUAL(mp->populated_size, 0, "populated size");
	/* not 2 MB-aligned: 4 KB pages, one 2112-byte element each */
	ret = rte_mempool_populate_iova(mp, (char *)mem + 4096, RTE_BAD_IOVA,
		(1 << 20), NULL, NULL);
	TEST_ASSERT_EQUAL(ret, 256, "populate with unaligned malloc memory");
	/* more malloc memory: the same page size (IOVA unknown) */
	ret = rte_mempool_populate_iova(mp, (char *)mem + (2 << 20),
		RTE_BAD_IOVA, 2 << 20, NULL, NULL);
	TEST_ASSERT_EQUAL(ret, 512, "populate with aligned malloc memory");
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, o, 16, NULL), "get");
	TEST_ASSERT(rte_mempool_virt2iova(o[0]) == RTE_BAD_IOVA, "IOVA unknown");
	rte_mempool_generic_put(mp, o, 16, NULL);
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 256 + 512, "avail");
	rte_mempool_free(mp);
	free(mem);
	return TEST_SUCCESS;
}

/*
 * The ops table (16 slots) is full: pagefrag pools keep working, and a
 * late registration is refused with -ENOSPC. Slots cannot be freed, so this
 * is the last case of its process. (What the driver logs when it is the
 * one that finds the table full is tested by test-plugin-load.sh.)
 */
static int
test_ops_table_full(void)
{
	static struct rte_mempool_ops filler[RTE_MEMPOOL_MAX_OPS_IDX];
	unsigned int i;
	int ret = 0, added = 0;
	struct rte_mempool *mp;

	for (i = 0; i < RTE_MEMPOOL_MAX_OPS_IDX; i++) {
		char name[RTE_MEMPOOL_OPS_NAMESIZE];

		snprintf(name, sizeof(name), "pf_fill%u", i);
		pf_test_noop_ops(&filler[i], name);
		ret = rte_mempool_register_ops(&filler[i]);
		if (ret < 0)
			break;
		added++;
	}
	printf("ops table: %d filler ops registered, then %s\n", added,
		rte_strerror(-ret));
	TEST_ASSERT_EQUAL(ret, -ENOSPC, "registering into a full table");
	TEST_ASSERT_EQUAL(rte_mempool_ops_table.num_ops, RTE_MEMPOOL_MAX_OPS_IDX,
		"table full");
	/* pagefrag pools still work with the table full */
	mp = pf_test_pool("pf_full", 100, 64, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pagefrag pool with the ops table full");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static const struct unit_test_case bad_cases[] = {
	{ "memory not from DPDK: any alignment, too small refused", test_foreign_memory },
	{ "ops table full", test_ops_table_full },
};

static int
test_badinput(void)
{
	return run_test_suite("pagefrag_badinput_autotest", bad_cases,
		RTE_DIM(bad_cases));
}

REGISTER_TEST_COMMAND(pagefrag_badinput_autotest, test_badinput);
