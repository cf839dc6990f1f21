/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * rte_mempool_ops glue of the pagefrag driver: alloc/free,
 * enqueue/dequeue, get_count, get_info, and the registration of the ops
 * and of the log type; rte_mempool_pagefrag_put_bulk(), the enqueue with
 * its result. calc_mem_size and populate are in pf_populate.c.
 *
 * This file turns mempool calls into calls of the engine (pf_cache.c). It
 * never touches a refcount or a freemap itself.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_flush.h"
#include "pf_inflight.h"
#include "pf_layout.h"
#include "pf_page.h"
#include "pf_pool.h"
#include "pf_populate.h"
#include "pf_proc.h"
#include "pf_ring.h"

RTE_LOG_REGISTER(pf_logtype, pmd.mempool.pagefrag, NOTICE);

static int
pagefrag_alloc(struct rte_mempool *mp)
{
	uint32_t elt = pf_elt_total(mp);
	struct pf_pool *pool;
	int ret;

	if (pf_min_shift(elt) < 0) {
		PF_LOG(ERR, "pool %s: element of %u bytes (%u with the mempool header and trailer) does not fit in a 2 MB page; the limit is %u bytes with header and trailer",
			mp->name, mp->elt_size, elt, pf_max_elt_size());
		rte_errno = EINVAL;
		return -EINVAL;
	}
	pool = rte_zmalloc_socket("mempool_pagefrag", sizeof(*pool),
		RTE_CACHE_LINE_SIZE, mp->socket_id);
	if (pool == NULL) {
		PF_LOG(ERR, "pool %s: cannot allocate %zu bytes of private data",
			mp->name, sizeof(*pool));
		rte_errno = ENOMEM;
		return -ENOMEM;
	}
	ret = pf_pool_init(pool, mp);
	if (ret < 0) {
		rte_free(pool);
		rte_errno = -ret;
		return ret;
	}
	mp->pool_data = pool;
	PF_LOG(INFO, "pool %s: %u objects of %u bytes, %u per 2 MB page (%u pages), %u bytes of page header and %u bytes unused per page",
		mp->name, mp->size, elt, pool->geom.objs_per_page,
		(mp->size + pool->geom.objs_per_page - 1) /
			pool->geom.objs_per_page, pool->geom.data_off,
		(uint32_t)(PF_PAGE_SIZE - pool->geom.data_off -
			(uint64_t)pool->geom.objs_per_page * elt));
	return 0;
}

static void
pagefrag_free(struct rte_mempool *mp)
{
	struct pf_pool *pool = mp->pool_data;

	if (pool == NULL)
		return;
	if (pool->ring_caches != NULL)
		PF_LOG(WARNING, "pool %s freed with ring-level caches still bound",
			mp->name);
	pool->magic = 0;
	pf_inflight_free_check(mp, pool);
	pf_ring_free_retired(pool);
	rte_free(pool);
	mp->pool_data = NULL;
}

/*
 * The ops index of mp points at pagefrag in this process, but its private
 * data is not a pagefrag pool's: processes that registered mempool drivers
 * in another order share it (see rte_mempool_pagefrag_check_ops()).
 */
static int __rte_noinline
pagefrag_bad_pool(const struct rte_mempool *mp)
{
	PF_LOG(ERR, "pool %s: ops index %d is \"%s\" in this process but the pool was not created by it: register mempool drivers (-d plugins) in the same order in every process",
		mp->name, mp->ops_index, PF_OPS_NAME);
	rte_errno = EINVAL;
	return -EINVAL;
}

/* The owner's calls while a flusher works on its cache: under its lock. */
static int __rte_noinline
pagefrag_put_locked(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st, void * const *obj_table, unsigned int n)
{
	int ret;

	pf_owner_wait(c);
	ret = pf_put(pool, &c->carve, st, obj_table, n);
	rte_spinlock_unlock(&c->owner.lock);
	return ret;
}

/* The lock is not held while other caches are emptied (system calls). */
static int __rte_noinline
pagefrag_get_locked(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st, void **obj_table, unsigned int n)
{
	int ret, locked;

	pf_owner_wait(c);
	ret = pf_cache_get(pool, c, st, obj_table, n);
	rte_spinlock_unlock(&c->owner.lock);
	if (likely(ret != -ENOBUFS))
		return ret;
	if (pf_flush_others(pool, c, st) != 0) {
		locked = pf_owner_enter(c);
		ret = pf_cache_get(pool, c, st, obj_table, n);
		pf_owner_exit(c, locked);
	}
	if (ret == -ENOBUFS)
		pf_get_refused(pool, st, n);
	return ret;
}

/*
 * Threads without a frag cache of their own: non-EAL threads, and an
 * lcore whose cache another live process owns (same lcore id). Gets use
 * the shared cache under its lock; puts the generic path, which needs no
 * lock. Their counters go to the shared slot.
 */
static int __rte_noinline
pagefrag_get_shared(struct pf_pool *pool, void **obj_table, unsigned int n)
{
	struct pf_stats *st = &pool->stats[RTE_MAX_LCORE];
	unsigned int tries;
	int ret;

	for (tries = 0; ; tries++) {
		pf_lock(&pool->shared_lock, pool->name);
		ret = pf_cache_get(pool, &pool->shared, st, obj_table, n);
		pf_unlock(&pool->shared_lock);
		/* other caches are emptied with the lock released */
		if (likely(ret != -ENOBUFS) || tries == 1 ||
				pf_flush_others(pool, &pool->shared, st) == 0)
			break;
	}
	if (ret == -ENOBUFS)
		pf_get_refused(pool, st, n);
	return ret;
}

static int __rte_noinline
pagefrag_put_shared(struct pf_pool *pool, void * const *obj_table,
		unsigned int n)
{
	return pf_put(pool, NULL, &pool->stats[RTE_MAX_LCORE], obj_table, n);
}

/* The lcore's cache is not this process's yet: 0 once it is. */
static int __rte_noinline
pagefrag_claim(struct pf_pool *pool, struct pf_cache *c, unsigned int lcore_id)
{
	if (pf_cache_claim(pool, c, lcore_id) == 0)
		return 0;
	PF_STAT_ADD(&pool->stats[RTE_MAX_LCORE], lcore_collisions, 1);
	return -EBUSY;
}

/*
 * The frag cache of the calling thread's lcore, or NULL when it has none
 * this process may use.
 */
static inline struct pf_cache *
pagefrag_my_cache(struct pf_pool *pool, unsigned int lcore_id)
{
	struct pf_cache *c;

	if (unlikely(lcore_id >= RTE_MAX_LCORE))
		return NULL;
	c = &pool->lcore[lcore_id];
	/*
	 * A plain load: only this process stores its token there (claim),
	 * and only a survivor of its death clears it, so reading our own
	 * token is never stale; any other value takes the claim path, which
	 * orders.
	 */
	if (unlikely(c->owner.token != pf_self_token) &&
			pagefrag_claim(pool, c, lcore_id) != 0)
		return NULL;
	return c;
}

/*
 * A put by the calling thread: EAL lcores give runs of their own page back
 * into their cache; other threads use the generic path, which needs no
 * lock. The enqueue op (also behind rte_mempool_pagefrag_put_bulk()).
 */
static inline int
pagefrag_put_here(struct pf_pool *pool, void * const *obj_table,
		unsigned int n)
{
	unsigned int lcore_id = rte_lcore_id();
	struct pf_cache *c = pagefrag_my_cache(pool, lcore_id);
	int ret;

	if (unlikely(c == NULL))
		return pagefrag_put_shared(pool, obj_table, n);
	if (unlikely(!pf_owner_begin(c)))
		return pagefrag_put_locked(pool, c, &pool->stats[lcore_id],
			obj_table, n);
	ret = pf_put(pool, &c->carve, &pool->stats[lcore_id], obj_table, n);
	pf_owner_end(c);
	return ret;
}

/* The whole put and get: every case, with the checks of every call. */
static int __rte_noinline
pagefrag_enqueue_full(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	struct pf_pool *pool = mp->pool_data;

	if (unlikely(pool->magic != PF_POOL_MAGIC))
		return pagefrag_bad_pool(mp);
	return pagefrag_put_here(pool, obj_table, n);
}

static __rte_always_inline int
pagefrag_get_here(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	struct pf_pool *pool = mp->pool_data;
	unsigned int lcore_id = rte_lcore_id();
	struct pf_cache *c;
	int ret;

	if (unlikely(pool->magic != PF_POOL_MAGIC))
		return pagefrag_bad_pool(mp);
	c = pagefrag_my_cache(pool, lcore_id);
	if (unlikely(c == NULL))
		return pagefrag_get_shared(pool, obj_table, n);
	if (unlikely(!pf_owner_begin(c)))
		return pagefrag_get_locked(pool, c, &pool->stats[lcore_id],
			obj_table, n);
	ret = pf_get(pool, c, &pool->stats[lcore_id], obj_table, n);
	pf_owner_end(c);
	return ret;
}

/*
 * rte_mempool_free() and a failed populate take every object out of the
 * driver one at a time (rte_mempool_free_memchunks()), counting
 * populated_size down after each: a pool with fewer objects populated than
 * it has is being emptied before its memory goes. That is not an
 * application running the pool dry: no warning, and once the driver has
 * nothing left, the remaining gets (one per object still out) fail at once
 * instead of searching every page and cache again.
 */
static int __rte_noinline
pagefrag_dequeue_drain(struct rte_mempool *mp, struct pf_pool *pool,
		void **obj_table, unsigned int n)
{
	int ret = -ENOBUFS;

	pool->logged |= PF_LOGGED_PARTIAL | PF_LOGGED_EMPTY;
	if (!pool->drained) {
		ret = pagefrag_get_here(mp, obj_table, n);
		if (ret == -ENOBUFS)
			pool->drained = 1;
	}
	return ret;
}

static int __rte_noinline
pagefrag_dequeue_full(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	struct pf_pool *pool = mp->pool_data;
	int ret;

	if (unlikely(pool->magic == PF_POOL_MAGIC &&
			mp->populated_size < pool->nb_objs))
		ret = pagefrag_dequeue_drain(mp, pool, obj_table, n);
	else
		ret = pagefrag_get_here(mp, obj_table, n);
	/* maybe rte_mempool_free() meeting objects still out */
	if (unlikely(ret == -ENOBUFS))
		pf_inflight_get_failed(mp, n);
	return ret;
}

/*
 * Fast put, second case: a run of the cache's page that is not next to
 * the top range becomes a new top range (the whole path would do the
 * same, after a division and a search of the ranges); objects of other
 * pages are recycled; other puts go to the cache's whole put. Inside the
 * owner's bracket, which it closes.
 */
static int __rte_noinline
pagefrag_put_new_range(struct pf_pool *pool, struct pf_cache *c,
		unsigned int lcore_id, void * const *obj_table, unsigned int n)
{
	struct pf_carve *cv = &c->carve;
	uintptr_t a = (uintptr_t)obj_table[0];
	struct pf_range *r;
	int ret;

	if (pf_cache_holds(cv, a)) {
		if (cv->nb_ranges < PF_CACHE_RANGES &&
				pf_cache_holds_run(cv, obj_table, n) &&
				pf_cache_obj_start(pool, cv, a)) {
			r = &cv->ranges[cv->nb_ranges++];
			r->lo = a;
			r->n = n;
			goto put;
		}
	} else if (pf_cache_recycle(pool, cv, obj_table, n) == 0) {
		/*
		 * Objects of other pages (freed on the lcore that allocated
		 * them from a ring-level cache, or from another lcore's
		 * page): recycled, with no atomic.
		 */
		goto put;
	}
	/*
	 * Anything else: the whole put of the cache (a run merges with the
	 * ranges, other objects are recycled), still inside the bracket.
	 */
	ret = pf_put_slow(pool, cv, &pool->stats[lcore_id], obj_table, n);
	pf_owner_end(c);
	return ret;
put:
	PF_DEBUG_PUT(pool, obj_table, n);
	PF_STAT_ADD_LCORE(&pool->stats[lcore_id], puts, n);
	pf_owner_end(c);
	return 0;
}

/*
 * The ops callbacks: the two cases that matter, an EAL lcore of the
 * cache's owner process getting from its top range or putting right next
 * to it, in a short leaf function; everything else is a tail call to the
 * whole path above, which checks again. Debug builds run the same paths,
 * with the object checks of PF_DEBUG_GOT/PF_DEBUG_PUT in them.
 * The owner's bracket (pf_owner_begin/end) is around every use of the
 * cache, so a flusher never sees it half changed.
 */
static __rte_always_inline int
pagefrag_dequeue_fast(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	struct pf_pool *pool = mp->pool_data;
	unsigned int lcore_id = rte_lcore_id();
	struct pf_cache *c;

	if (unlikely(lcore_id >= RTE_MAX_LCORE ||
			pool->magic != PF_POOL_MAGIC))
		goto full;
	c = &pool->lcore[lcore_id];
	if (unlikely(c->owner.token != pf_self_token))
		goto full;
	if (unlikely(!pf_owner_begin(c)) ||
			unlikely(pf_cache_take(&c->carve, obj_table, n, 0) != 0))
		goto full_end;
	PF_DEBUG_GOT(pool, obj_table, n);
	PF_STAT_ADD_LCORE(&pool->stats[lcore_id], gets, n);
	pf_owner_end(c);
	return 0;
full_end:
	pf_owner_end(c);
full:
	return pagefrag_dequeue_full(mp, obj_table, n);
}

/* n >= 1: pagefrag_enqueue() sends a put of none to the whole path. */
static __rte_always_inline int
pagefrag_enqueue_fast(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	struct pf_pool *pool = mp->pool_data;
	unsigned int lcore_id = rte_lcore_id();
	struct pf_cache *c;

	if (unlikely(lcore_id >= RTE_MAX_LCORE ||
			pool->magic != PF_POOL_MAGIC))
		goto full;
	c = &pool->lcore[lcore_id];
	if (unlikely(c->owner.token != pf_self_token))
		goto full;
	if (unlikely(!pf_owner_begin(c)))
		goto full_end;
	if (pf_cache_rewind_top(&c->carve, obj_table, n) != 0)
		goto other;
	PF_DEBUG_PUT(pool, obj_table, n);
	PF_STAT_ADD_LCORE(&pool->stats[lcore_id], puts, n);
	pf_owner_end(c);
	return 0;
other:
	return pagefrag_put_new_range(pool, c, lcore_id, obj_table, n);
full_end:
	pf_owner_end(c);
full:
	return pagefrag_enqueue_full(mp, obj_table, n);
}

/*
 * Bursts up to PF_SHORT objects take plain scalar code, larger ones the
 * vectorized carve and run check (built for AVX2 too): vector set-up costs
 * more than it saves on a few objects.
 */
#define PF_SHORT 16

PF_FAST_CLONES static int __rte_noinline
pagefrag_dequeue_vec(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	return pagefrag_dequeue_fast(mp, obj_table, n);
}

PF_FAST_CLONES static int __rte_noinline
pagefrag_enqueue_vec(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	return pagefrag_enqueue_fast(mp, obj_table, n);
}

/*
 * One object (an application that gets or frees one mbuf at a time, with
 * no mempool cache): with n a constant the fast path has fewer live
 * values, and saves fewer registers on entry (a put 3 instead of 6, a get
 * 1 instead of 3): 20 instructions fewer in the leaf functions per get
 * and put, 17 net of the test that picks them (devtools/icount.sh).
 */
static int __rte_noinline
pagefrag_dequeue_one(struct rte_mempool *mp, void **obj_table)
{
	return pagefrag_dequeue_fast(mp, obj_table, 1);
}

static int __rte_noinline
pagefrag_enqueue_one(struct rte_mempool *mp, void * const *obj_table)
{
	return pagefrag_enqueue_fast(mp, obj_table, 1);
}

static int
pagefrag_dequeue(struct rte_mempool *mp, void **obj_table, unsigned int n)
{
	if (n == 1)
		return pagefrag_dequeue_one(mp, obj_table);
	if (n > PF_SHORT)
		return pagefrag_dequeue_vec(mp, obj_table, n);
	return pagefrag_dequeue_fast(mp, obj_table, n);
}

static int
pagefrag_enqueue(struct rte_mempool *mp, void * const *obj_table,
		unsigned int n)
{
	/* one test for both: n - 1 wraps around when n is 0 */
	if (n - 1 >= PF_SHORT)
		return n == 0 ? pagefrag_enqueue_full(mp, obj_table, 0) :
			pagefrag_enqueue_vec(mp, obj_table, n);
	if (n == 1)
		return pagefrag_enqueue_one(mp, obj_table);
	return pagefrag_enqueue_fast(mp, obj_table, n);
}

static unsigned int
pagefrag_get_count(const struct rte_mempool *mp)
{
	const struct pf_pool *pool = mp->pool_data;

	/* being freed: its pages are gone (see pf_inflight_free_check()) */
	if (unlikely(pool->magic != PF_POOL_MAGIC))
		return 0;
	return (unsigned int)pf_avail(mp->pool_data);
}

static int
pagefrag_get_info(const struct rte_mempool *mp, struct rte_mempool_info *info)
{
	RTE_SET_USED(mp);
	/* no contiguous-block dequeue */
	info->contig_block_size = 0;
	return 0;
}

static struct rte_mempool_ops ops_pagefrag = {
	.name = PF_OPS_NAME,
	.alloc = pagefrag_alloc,
	.free = pagefrag_free,
	.enqueue = pagefrag_enqueue,
	.dequeue = pagefrag_dequeue,
	.get_count = pagefrag_get_count,
	.calc_mem_size = pf_calc_mem_size,
	.populate = pf_populate,
	.get_info = pagefrag_get_info,
};

/*
 * RTE_MEMPOOL_REGISTER_OPS would ignore a full table and register a second
 * "pagefrag" when the driver is loaded twice (installed in the plugin
 * directory and given with -d): notice and log both.
 */
RTE_INIT(pagefrag_register)
{
	uint32_t i;
	int ret;

	for (i = 0; i < rte_mempool_ops_table.num_ops; i++) {
		if (strcmp(rte_mempool_ops_table.ops[i].name, PF_OPS_NAME) == 0) {
			PF_LOG(WARNING, "mempool ops \"%s\" already registered at index %u: the driver is loaded twice (plugin directory and -d?); keeping the first",
				PF_OPS_NAME, i);
			return;
		}
	}
	ret = rte_mempool_register_ops(&ops_pagefrag);
	if (ret < 0)
		PF_LOG(ERR, "cannot register mempool ops \"%s\": %s (the ops table holds %u, %u used); load fewer mempool drivers",
			PF_OPS_NAME, rte_strerror(-ret), RTE_MEMPOOL_MAX_OPS_IDX,
			rte_mempool_ops_table.num_ops);
	else
		PF_LOG(DEBUG, "mempool ops \"%s\" registered at index %d",
			PF_OPS_NAME, ret);
}

/* ---- public: a put whose result the caller sees ---- */

int
rte_mempool_pagefrag_put_bulk(struct rte_mempool *mp, void * const *objs,
		unsigned int n)
{
	if (pf_pool_of(mp) == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	/* the enqueue op: the same put as every mempool put */
	return rte_mempool_ops_enqueue_bulk(mp, objs, n);
}
