/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Test plugin: registers dummy mempool ops until DPDK's ops table is full,
 * so that a plugin loaded after it finds no free slot. Used by
 * test-plugin-load.sh only.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_mempool.h>

static struct rte_mempool_ops fill_ops[RTE_MEMPOOL_MAX_OPS_IDX];

static int
fill_alloc(struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
	return -ENOTSUP;
}

static void
fill_free(struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
}

static int
fill_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(objs);
	RTE_SET_USED(n);
	return -ENOTSUP;
}

static int
fill_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(objs);
	RTE_SET_USED(n);
	return -ENOTSUP;
}

static unsigned int
fill_count(const struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
	return 0;
}

RTE_INIT(pf_fill_ops_register)
{
	unsigned int i;

	for (i = 0; i < RTE_MEMPOOL_MAX_OPS_IDX; i++) {
		snprintf(fill_ops[i].name, sizeof(fill_ops[i].name),
			"pf_test_fill%u", i);
		fill_ops[i].alloc = fill_alloc;
		fill_ops[i].free = fill_free;
		fill_ops[i].enqueue = fill_enqueue;
		fill_ops[i].dequeue = fill_dequeue;
		fill_ops[i].get_count = fill_count;
		if (rte_mempool_register_ops(&fill_ops[i]) < 0)
			break;
	}
}
