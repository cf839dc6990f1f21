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
 * This file binds caches to pools (the list links are the rcache's own),
 * wraps the engine, and recovers the ring-level caches of processes that
 * are gone; it does not touch pages itself.
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_flush.h"
#include "pf_proc.h"
#include "pf_ring.h"

struct rte_mempool_pagefrag_rcache {
	struct pf_cache c;
	struct pf_pool *pool;
	/* the pool's ring-level caches, under the pool lock */
	struct rte_mempool_pagefrag_rcache *next;
	struct rte_mempool_pagefrag_rcache **prev;
};

static void
rcache_unlink(struct rte_mempool_pagefrag_rcache *rc)
{
	*rc->prev = rc->next;
	if (rc->next != NULL)
		rc->next->prev = rc->prev;
}

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
	rc->pool = pool;
	pf_cache_own(&rc->c);

	rte_spinlock_lock(&pool->lock);
	rc->next = pool->ring_caches;
	if (pool->ring_caches != NULL)
		pool->ring_caches->prev = &rc->next;
	rc->prev = &pool->ring_caches;
	pool->ring_caches = rc;
	rte_spinlock_unlock(&pool->lock);
	return rc;
}

/*
 * busy brackets every use, as for lcore caches: a process that dies inside
 * a call leaves busy set and its cache is not recovered. Only the owner
 * writes it; plain stores, ordered for the compiler.
 */
int
rte_mempool_pagefrag_rcache_alloc(struct rte_mempool_pagefrag_rcache *rc,
		void **objs, unsigned int n)
{
	int ret;

	*(volatile uint32_t *)&rc->c.busy = 1;
	ret = pf_get(rc->pool, &rc->c, pf_stats_of(rc->pool, rte_lcore_id()),
		objs, n);
	*(volatile uint32_t *)&rc->c.busy = 0;
	return ret;
}

int
rte_mempool_pagefrag_rcache_free(struct rte_mempool_pagefrag_rcache *rc,
		void * const *objs, unsigned int n)
{
	int ret;

	*(volatile uint32_t *)&rc->c.busy = 1;
	ret = pf_put(rc->pool, &rc->c, pf_stats_of(rc->pool, rte_lcore_id()),
		objs, n);
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
	st = pf_stats_of(rc->pool, rte_lcore_id());
	refs = pf_cache_drop(rc->pool, &rc->c, st);
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
	pool = rc->pool;
	rte_mempool_pagefrag_rcache_drain(rc);
	rte_spinlock_lock(&pool->lock);
	rcache_unlink(rc);
	rte_spinlock_unlock(&pool->lock);
	rte_free(rc);
}

uint64_t
pf_ring_held(struct pf_pool *pool, uint64_t *bias)
{
	const struct rte_mempool_pagefrag_rcache *rc;
	uint64_t held = 0, caches = 0;

	rte_spinlock_lock(&pool->lock);
	for (rc = pool->ring_caches; rc != NULL; rc = rc->next) {
		if (rc->c.page != NULL) {
			held += pf_cache_held(&rc->c);
			caches++;
		}
	}
	rte_spinlock_unlock(&pool->lock);
	if (bias != NULL)
		*bias = held + caches;
	return held;
}

void
pf_ring_forget_pages(struct pf_pool *pool)
{
	struct rte_mempool_pagefrag_rcache *rc;

	rte_spinlock_lock(&pool->lock);
	for (rc = pool->ring_caches; rc != NULL; rc = rc->next)
		pf_cache_forget(&rc->c);
	rte_spinlock_unlock(&pool->lock);
}

/*
 * Ring-level caches of processes that are gone: unlink one under the pool
 * lock, then recover it (pf_cache_drop() takes that lock) and free it; one
 * at a time. A cache whose process died inside a call (busy) stays.
 */
static unsigned int
ring_recover_dead(struct pf_pool *pool, struct pf_stats *st)
{
	struct rte_mempool_pagefrag_rcache *rc, *dead;
	unsigned int n = 0;

	do {
		dead = NULL;
		rte_spinlock_lock(&pool->lock);
		for (rc = pool->ring_caches; rc != NULL; rc = rc->next) {
			if (rc->c.busy == 0 &&
					pf_owner_gone(rc->c.pid, rc->c.pid_start)) {
				rcache_unlink(rc);
				dead = rc;
				break;
			}
		}
		rte_spinlock_unlock(&pool->lock);
		if (dead != NULL) {
			PF_LOG(INFO, "pool %s: recovered a ring-level cache of process %d, which is gone",
				pool->name, (int)dead->c.pid);
			pf_cache_drop(pool, &dead->c, st);
			rte_free(dead);
			PF_STAT_ADD(st, caches_recovered, 1);
			n++;
		}
	} while (dead != NULL);
	return n;
}

RTE_INIT(pf_ring_init)
{
	pf_flush_add_recoverer(ring_recover_dead);
}
