/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Ring-level frag caches: the PMD-facing half of page_frag.
 *
 * A PMD keeps one per queue. It is an ordinary frag cache (pf_cache.c)
 * that belongs to a queue instead of an lcore, so it carves in address
 * order with no atomic per object and bypasses the mempool cache; its
 * drain is __page_frag_cache_drain: every reference the queue holds on its
 * page goes back with one atomic. The pool keeps a list of its ring-level
 * caches so that get_count counts the objects they hold as available.
 *
 * This file only binds caches to pools and wraps the engine; it does not
 * touch pages itself.
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"

struct rte_mempool_pagefrag_rcache {
	struct pf_cache c;
};

struct rte_mempool_pagefrag_rcache *
rte_mempool_pagefrag_rcache_create(struct rte_mempool *mp, int socket_id)
{
	struct pf_pool *pool = pf_pool_of(mp);
	struct rte_mempool_pagefrag_rcache *rc;

	if (pool == NULL) {
		PF_LOG(ERR, "pool %s is not a pagefrag pool",
			mp != NULL ? mp->name : "(null)");
		rte_errno = EINVAL;
		return NULL;
	}
	rc = rte_zmalloc_socket("pagefrag_rcache", sizeof(*rc),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (rc == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	pf_cache_init(&rc->c, PF_OWNER_RING);
	rc->c.pool = pool;
	pf_cache_own(&rc->c);

	rte_spinlock_lock(&pool->lock);
	rc->c.next_ring = pool->ring_caches;
	if (pool->ring_caches != NULL)
		pool->ring_caches->prev_ring = &rc->c.next_ring;
	rc->c.prev_ring = &pool->ring_caches;
	pool->ring_caches = &rc->c;
	rte_spinlock_unlock(&pool->lock);
	return rc;
}

/*
 * busy brackets every use, as for lcore caches: a process that dies inside
 * a call leaves busy set and its cache is not recovered (pf_flush.c). Only
 * the owner writes it; plain stores, ordered for the compiler.
 */
int
rte_mempool_pagefrag_rcache_alloc(struct rte_mempool_pagefrag_rcache *rc,
		void **objs, unsigned int n)
{
	int ret;

	*(volatile uint32_t *)&rc->c.busy = 1;
	ret = pf_cache_get(rc->c.pool, &rc->c,
		pf_stats_of(rc->c.pool, rte_lcore_id()), objs, n);
	*(volatile uint32_t *)&rc->c.busy = 0;
	return ret;
}

int
rte_mempool_pagefrag_rcache_free(struct rte_mempool_pagefrag_rcache *rc,
		void * const *objs, unsigned int n)
{
	int ret;

	*(volatile uint32_t *)&rc->c.busy = 1;
	ret = pf_put(rc->c.pool, &rc->c,
		pf_stats_of(rc->c.pool, rte_lcore_id()), objs, n);
	*(volatile uint32_t *)&rc->c.busy = 0;
	return ret;
}

unsigned int
rte_mempool_pagefrag_rcache_drain(struct rte_mempool_pagefrag_rcache *rc)
{
	struct pf_stats *st;
	unsigned int refs;

	if (rc == NULL || rc->c.page == NULL)
		return 0;
	st = pf_stats_of(rc->c.pool, rte_lcore_id());
	refs = pf_cache_drop(rc->c.pool, &rc->c, st);
	PF_STAT_ADD(st, drains, 1);
	PF_STAT_ADD(st, drain_refs, refs);
	return refs;
}

void
rte_mempool_pagefrag_rcache_destroy(struct rte_mempool_pagefrag_rcache *rc)
{
	struct pf_pool *pool;

	if (rc == NULL)
		return;
	pool = rc->c.pool;
	rte_mempool_pagefrag_rcache_drain(rc);
	rte_spinlock_lock(&pool->lock);
	*rc->c.prev_ring = rc->c.next_ring;
	if (rc->c.next_ring != NULL)
		rc->c.next_ring->prev_ring = rc->c.prev_ring;
	rte_spinlock_unlock(&pool->lock);
	rte_free(rc);
}
