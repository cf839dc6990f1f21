/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Ring-level frag caches: the PMD-facing half of page_frag.
 *
 * A PMD keeps one per queue. It is an ordinary frag cache (pf_cache.c)
 * that belongs to a queue instead of an lcore, so it carves in address
 * order with no atomic per object; its drain is __page_frag_cache_drain:
 * every reference the queue holds on its page goes back with one atomic.
 *
 * Its alloc recycles to the allocating context first, as page_pool's
 * direct recycling does: on an EAL lcore, the mbufs the application freed
 * there are taken back hot and with no atomic, from the lcore's mempool
 * cache (inline in the header, only when it holds the whole burst) or
 * from the lcore frag cache's recycle stack, where the puts of that lcore
 * leave any object that is not a run of its own page. A TX completion
 * gives its segments straight to the cache (recycle_mbufs, as
 * rte_eth_recycle_mbufs() moves them to an RX ring). The queue's page
 * carve is the fallback. The pool keeps a list of its ring-level
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
#include <rte_mbuf.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_flush.h"
#include "pf_proc.h"
#include "pf_ring.h"

struct rte_mempool_pagefrag_rcache {
	/* mp, shared memory (one address everywhere), read inline */
	struct rte_mempool_pagefrag_rcache_head head;
	struct pf_cache c;
	struct pf_pool *pool;
	/*
	 * The pool's ring-level caches, newest first: changed under the pool
	 * lock, read without it (get_count). An unlinked cache keeps its next
	 * link, which points to older caches only, and its memory until the
	 * pool is freed (retired list), so a reader standing on it goes on
	 * safely to the end.
	 */
	struct rte_mempool_pagefrag_rcache *next;
	struct rte_mempool_pagefrag_rcache **prev;
	struct rte_mempool_pagefrag_rcache *retired;
	struct pf_recycle_slots recycle;	/* the cache's recycled slots */
};

/* Under the pool lock. */
static void
rcache_unlink(struct rte_mempool_pagefrag_rcache *rc)
{
	/* RELEASE: readers that find rc->next through *prev see it whole */
	__atomic_store_n(rc->prev, rc->next, __ATOMIC_RELEASE);
	if (rc->next != NULL)
		rc->next->prev = rc->prev;
	rc->retired = rc->pool->ring_retired;
	rc->pool->ring_retired = rc;
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
	pf_cache_init(&rc->c, PF_OWNER_RING, &rc->recycle);
	rc->pool = pool;
	rc->head.mp = mp;
	pf_cache_take_over(&rc->c);

	pf_lock(&pool->lock, pool->name);
	rc->next = pool->ring_caches;
	if (pool->ring_caches != NULL)
		pool->ring_caches->prev = &rc->next;
	rc->prev = &pool->ring_caches;
	/* RELEASE: rc is whole before get_count can find it */
	__atomic_store_n(&pool->ring_caches, rc, __ATOMIC_RELEASE);
	pf_unlock(&pool->lock);
	return rc;
}

/*
 * A ring-level cache belongs to the process that used it last (a queue may
 * pass from one process to another): 0 when the calling process may use
 * it now.
 */
static inline int
rcache_mine(struct rte_mempool_pagefrag_rcache *rc)
{
	if (likely(rc->c.owner.token == pf_self_token))
		return 0;
	return pf_cache_take_over(&rc->c);
}

/*
 * The objects freed on the calling EAL lcore, n of them or none, from its
 * frag cache's recycle stack (inside the owner's bracket: a flusher may be
 * emptying it); its mempool cache is the inline part's, in the header.
 * 0 when taken.
 */
static inline int
rcache_recycled(struct rte_mempool_pagefrag_rcache *rc, void **objs,
		unsigned int n)
{
	unsigned int lcore_id = rte_lcore_id();
	struct pf_cache *c;
	int ret = -1;

	if (unlikely(lcore_id >= RTE_MAX_LCORE || n == 0))
		return -1;
	c = &rc->pool->lcore[lcore_id];
	if (c->carve.nb_recycled < n || c->owner.token != pf_self_token)
		return -1;
	if (likely(pf_owner_begin(c)) && c->carve.nb_recycled >= n) {
		pf_recycled_pop(&c->carve, objs, n);
		PF_DEBUG_GOT(rc->pool, objs, n);
		PF_STAT_ADD_LCORE(&rc->pool->stats[lcore_id], gets, n);
		ret = 0;
	}
	pf_owner_end(c);
	return ret;
}

/*
 * busy brackets every use, as for lcore caches: a process that dies inside
 * a call leaves busy set and its cache is not recovered. Only the owner
 * writes it; plain stores, ordered for the compiler.
 */
int
rte_mempool_pagefrag_rcache_alloc_nocache(struct rte_mempool_pagefrag_rcache *rc,
		void **objs, unsigned int n)
{
	int ret;

	if (rcache_recycled(rc, objs, n) == 0)
		return 0;
	if (unlikely(rcache_mine(rc) != 0)) {
		rte_errno = EBUSY;
		return -EBUSY;
	}
	*(volatile uint32_t *)&rc->c.owner.busy = 1;
	ret = pf_get(rc->pool, &rc->c, pf_stats_mine(rc->pool),
		objs, n);
	*(volatile uint32_t *)&rc->c.owner.busy = 0;
	return ret;
}

int
rte_mempool_pagefrag_rcache_alloc_mbufs(struct rte_mempool_pagefrag_rcache *rc,
		struct rte_mbuf **mbufs, unsigned int n)
{
	unsigned int i;
	int ret;

	ret = rte_mempool_pagefrag_rcache_alloc(rc, (void **)mbufs, n);
	if (ret != 0)
		return ret;
	for (i = 0; i < n; i++) {
		__rte_mbuf_raw_sanity_check(mbufs[i]);
		rte_pktmbuf_reset(mbufs[i]);
	}
	return 0;
}

/* Objects of the pool back into rc: rcache_free()'s body. */
static int
rcache_put(struct rte_mempool_pagefrag_rcache *rc, void * const *objs,
		unsigned int n)
{
	int ret;

	/* another process is inside a call on it: the generic path */
	if (unlikely(rcache_mine(rc) != 0))
		return pf_put(rc->pool, NULL,
			&rc->pool->stats[RTE_MAX_LCORE], objs, n);
	*(volatile uint32_t *)&rc->c.owner.busy = 1;
	ret = pf_put(rc->pool, &rc->c.carve, pf_stats_mine(rc->pool),
		objs, n);
	*(volatile uint32_t *)&rc->c.owner.busy = 0;
	return ret;
}

int
rte_mempool_pagefrag_rcache_free(struct rte_mempool_pagefrag_rcache *rc,
		void * const *objs, unsigned int n)
{
	return rcache_put(rc, objs, n);
}

/* Segments per call into the cache, and per put to another pool. */
#define RCACHE_RECYCLE_BATCH 64

int
rte_mempool_pagefrag_rcache_recycle_mbufs(struct rte_mempool_pagefrag_rcache *rc,
		struct rte_mbuf * const *mbufs, unsigned int n)
{
	void *mine[RCACHE_RECYCLE_BATCH], *others[RCACHE_RECYCLE_BATCH];
	struct rte_mempool *mp, *other = NULL;
	unsigned int i, nb = 0, nb_others = 0;
	int recycled = 0, ret = 0;
	struct rte_mbuf *m;

	if (unlikely(rc == NULL || (mbufs == NULL && n != 0))) {
		PF_LOG(ERR, "recycle of %u mbufs refused: no %s", n,
			rc == NULL ? "ring-level cache" : "mbuf table");
		rte_errno = EINVAL;
		return -EINVAL;
	}
	mp = rc->head.mp;
	for (i = 0; i < n; i++) {
		if (unlikely(mbufs[i] == NULL))
			continue;
		m = rte_pktmbuf_prefree_seg(mbufs[i]);
		if (m == NULL)
			continue;	/* other references remain */
		if (likely(m->pool == mp)) {
			mine[nb++] = m;
			if (unlikely(nb == RCACHE_RECYCLE_BATCH)) {
				ret |= rcache_put(rc, mine, nb);
				recycled += nb;
				nb = 0;
			}
			continue;
		}
		/* another pool's: grouped as rte_pktmbuf_free_bulk() does */
		if (nb_others == RCACHE_RECYCLE_BATCH ||
				(nb_others != 0 && m->pool != other)) {
			rte_mempool_put_bulk(other, others, nb_others);
			nb_others = 0;
		}
		other = m->pool;
		others[nb_others++] = m;
	}
	if (nb != 0) {
		ret |= rcache_put(rc, mine, nb);
		recycled += nb;
	}
	if (nb_others != 0)
		rte_mempool_put_bulk(other, others, nb_others);
	/* an object refused by the put (logged) is not counted as recycled */
	return ret != 0 ? ret : recycled;
}

unsigned int
rte_mempool_pagefrag_rcache_drain(struct rte_mempool_pagefrag_rcache *rc)
{
	struct pf_stats *st;
	unsigned int refs;

	if (rc == NULL || (rc->c.carve.page == NULL &&
			rc->c.carve.nb_recycled == 0) || rcache_mine(rc) != 0)
		return 0;
	st = pf_stats_mine(rc->pool);
	refs = pf_cache_empty(rc->pool, &rc->c.carve, st);
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
	/* kept until the pool is freed: get_count may be reading it */
	pf_lock(&pool->lock, pool->name);
	rcache_unlink(rc);
	pf_unlock(&pool->lock);
}

void
pf_ring_free_retired(struct pf_pool *pool)
{
	struct rte_mempool_pagefrag_rcache *rc;

	while ((rc = pool->ring_retired) != NULL) {
		pool->ring_retired = rc->retired;
		rte_free(rc);
	}
}

uint64_t
pf_ring_held(struct pf_pool *pool, uint64_t *bias)
{
	const struct rte_mempool_pagefrag_rcache *rc;
	uint64_t held = 0, caches = 0;

	/*
	 * No lock (a process killed while it counts leaves none held):
	 * ACQUIRE loads of the links pair with the RELEASE stores that
	 * publish a cache; a cache's state is read as a snapshot.
	 */
	for (rc = __atomic_load_n(&pool->ring_caches, __ATOMIC_ACQUIRE);
			rc != NULL;
			rc = __atomic_load_n(&rc->next, __ATOMIC_ACQUIRE)) {
		held += pf_cache_held(&rc->c.carve);
		caches += rc->c.carve.page != NULL;
	}
	if (bias != NULL)
		*bias = held + caches;
	return held;
}

void
pf_ring_forget_pages(struct pf_pool *pool)
{
	struct rte_mempool_pagefrag_rcache *rc;

	pf_lock(&pool->lock, pool->name);
	for (rc = pool->ring_caches; rc != NULL; rc = rc->next)
		pf_cache_forget(&rc->c.carve);
	pf_unlock(&pool->lock);
}

/*
 * Ring-level caches whose last user is gone: their page goes back, and
 * they are free for the next user to take over (the application may still
 * hold them; it destroys them). The walk and the probe take no lock; the
 * recovery holds the cache's lock, as a taker over does, and checks that
 * the owner is the one found gone.
 */
static unsigned int
ring_recover_caches(struct pf_pool *pool, struct pf_stats *st)
{
	struct rte_mempool_pagefrag_rcache *rc;
	unsigned int n = 0;
	uint64_t owner;

	for (rc = __atomic_load_n(&pool->ring_caches, __ATOMIC_ACQUIRE);
			rc != NULL;
			rc = __atomic_load_n(&rc->next, __ATOMIC_ACQUIRE)) {
		/* RELAXED: hints, checked again under the cache's lock */
		owner = __atomic_load_n(&rc->c.owner.token, __ATOMIC_RELAXED);
		if (owner == 0 || owner == pf_self_token ||
				!pf_owner_gone(owner))
			continue;
		if (!rte_spinlock_trylock(&rc->c.owner.lock))
			continue;
		n += pf_cache_recover(pool, &rc->c, owner, st);
		rte_spinlock_unlock(&rc->c.owner.lock);
	}
	return n;
}

RTE_INIT(pf_ring_init)
{
	pf_flush_add_recoverer(ring_recover_caches);
}
