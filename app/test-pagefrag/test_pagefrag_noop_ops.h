/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _TEST_PAGEFRAG_NOOP_OPS_H_
#define _TEST_PAGEFRAG_NOOP_OPS_H_

/*
 * Mempool ops that do nothing (every call -ENOTSUP, count 0): fillers of
 * DPDK's ops table, for the tests of a full table (the bad-input autotest
 * and the pf_fill_ops test plugin).
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>

static int
pf_noop_alloc(struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
	return -ENOTSUP;
}

static void
pf_noop_free(struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
}

static int
pf_noop_enqueue(struct rte_mempool *mp, void * const *objs, unsigned int n)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(objs);
	RTE_SET_USED(n);
	return -ENOTSUP;
}

static int
pf_noop_dequeue(struct rte_mempool *mp, void **objs, unsigned int n)
{
	RTE_SET_USED(mp);
	RTE_SET_USED(objs);
	RTE_SET_USED(n);
	return -ENOTSUP;
}

static unsigned int
pf_noop_count(const struct rte_mempool *mp)
{
	RTE_SET_USED(mp);
	return 0;
}

/* Make ops the no-op ops named name, ready for rte_mempool_register_ops(). */
static inline void
pf_test_noop_ops(struct rte_mempool_ops *ops, const char *name)
{
	memset(ops, 0, sizeof(*ops));
	strlcpy(ops->name, name, sizeof(ops->name));
	ops->alloc = pf_noop_alloc;
	ops->free = pf_noop_free;
	ops->enqueue = pf_noop_enqueue;
	ops->dequeue = pf_noop_dequeue;
	ops->get_count = pf_noop_count;
}

#endif /* _TEST_PAGEFRAG_NOOP_OPS_H_ */
