/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * The pool as a whole: set up its private data, recognize it (and the
 * public rte_mempool_pagefrag_is_pagefrag() and _check_ops()), count the
 * objects in the driver, forget pages whose memory is gone. These walk the
 * page list and every lcore and shared frag cache; the caches themselves,
 * and everything a get or put does, are the engine's (pf_cache.c).
 *
 * It does not implement the mempool ops (pf_ops.c); pf_pool_of() reads the
 * ops table only to recognize a pool.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_string_fns.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_layout.h"
#include "pf_page.h"
#include "pf_pool.h"

int
pf_pool_init(struct pf_pool *pool, const struct rte_mempool *mp)
{
	uint32_t elt = mp->header_size + mp->elt_size + mp->trailer_size;
	unsigned int i;
	int ret;

	ret = pf_geometry(elt, PF_PAGE_SHIFT, &pool->geom);
	if (ret < 0)
		return ret;
	pool->page_mask = PF_PAGE_MASK;
	pool->magic = PF_POOL_MAGIC;
	pool->page_magic = PF_PAGE_MAGIC ^ (uintptr_t)pool;
	strlcpy(pool->ops_name, PF_OPS_NAME,
		sizeof(pool->ops_name));
	strlcpy(pool->name, mp->name, sizeof(pool->name));
	pool->elt_size = elt;
	pool->hdr_size = mp->header_size;
	pool->rdiv = rte_reciprocal_value(elt);
	pf_multiple_init(&pool->mult, elt);
	pool->socket_id = mp->socket_id;
	pf_lock_init(&pool->lock);
	pf_lock_init(&pool->shared_lock);
	for (i = 0; i < PF_NB_CACHES; i++)
		pf_cache_init(pf_pool_cache(pool, i), i < RTE_MAX_LCORE ?
			(int32_t)i : PF_OWNER_SHARED, &pool->recycle[i]);
	pool->stats[RTE_MAX_LCORE].shared = 1;
	return 0;
}

void
pf_pool_forget_pages(struct pf_pool *pool)
{
	unsigned int i;

	pf_lock(&pool->lock, pool->name);
	pool->nb_pages = 0;
	pool->nb_free = 0;
	pool->nb_partial = 0;
	pool->nb_objs = 0;
	pool->all_head = pool->all_tail = NULL;
	pool->free_head = pool->free_tail = NULL;
	pool->partial_head = pool->partial_tail = NULL;
	pool->logged = 0;
	pool->drained = 0;
	pool->free_fails = 0;
	pool->fail_full = 0;
	pool->fail_full_puts = 0;
	pf_unlock(&pool->lock);
	for (i = 0; i < PF_NB_CACHES; i++)
		pf_cache_forget(&pf_pool_cache(pool, i)->carve);
	/* the objects taken by the emptying are not out any more */
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		pool->inflight[i].out_base = -(int64_t)(pool->stats[i].gets -
			pool->stats[i].puts);
		pool->inflight[i].taken = 0;
	}
}

uint64_t
pf_pool_avail(struct pf_pool *pool, uint64_t ring_bias)
{
	uint64_t out = 0, held = ring_bias, nb_objs;
	struct pf_page *pg;
	unsigned int i;

	/*
	 * No lock: a process killed while it counts must not leave one held.
	 * ACQUIRE loads of the links pair with the RELEASE stores of
	 * pf_page_init(): a page found is fully set up. The refcounts are
	 * read RELAXED, as any count of a pool in use is a snapshot.
	 */
	nb_objs = __atomic_load_n(&pool->nb_objs, __ATOMIC_RELAXED);
	for (pg = __atomic_load_n(&pool->all_head, __ATOMIC_ACQUIRE); pg != NULL;
			pg = __atomic_load_n(&pg->next_all, __ATOMIC_ACQUIRE))
		out += __atomic_load_n(&pg->refcnt, __ATOMIC_RELAXED);
	for (i = 0; i < PF_NB_CACHES; i++)
		held += pf_cache_refs(&pf_pool_cache(pool, i)->carve);
	/* out - held: objects handed out; transiently off while in use */
	if (out < held)
		return nb_objs;
	return nb_objs - RTE_MIN(out - held, nb_objs);
}

struct pf_pool *
pf_pool_of(const struct rte_mempool *mp)
{
	struct pf_pool *pool;

	if (mp == NULL || mp->ops_index < 0 ||
			mp->ops_index >= (int32_t)rte_mempool_ops_table.num_ops ||
			strcmp(rte_mempool_get_ops(mp->ops_index)->name,
				PF_OPS_NAME) != 0)
		return NULL;
	pool = mp->pool_data;
	if (pool == NULL || pool->magic != PF_POOL_MAGIC)
		return NULL;
	return pool;
}

uint64_t
pf_pool_caches_held(struct pf_pool *pool)
{
	uint64_t held = 0;
	unsigned int i;

	/* racy reads of other threads' caches, as in pf_pool_avail() */
	for (i = 0; i < PF_NB_CACHES; i++)
		held += pf_cache_held(&pf_pool_cache(pool, i)->carve);
	return held;
}

/* ---- public: is it a pagefrag pool ---- */

int
rte_mempool_pagefrag_is_pagefrag(const struct rte_mempool *mp)
{
	return pf_pool_of(mp) != NULL;
}

int
rte_mempool_pagefrag_check_ops(const struct rte_mempool *mp)
{
	const char *name;

	if (mp == NULL || mp->ops_index < 0 ||
			mp->ops_index >= RTE_MEMPOOL_MAX_OPS_IDX) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	name = rte_mempool_get_ops(mp->ops_index)->name;
	if (strcmp(name, PF_OPS_NAME) != 0) {
		PF_LOG(ERR, "pool %s: ops index %d is \"%s\" in this process, not \"%s\": the processes registered mempool drivers in another order (load the same -d plugins in the same order in every process)",
			mp->name, mp->ops_index, name, PF_OPS_NAME);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	if (mp->pool_data != NULL &&
			((struct pf_pool *)mp->pool_data)->magic != PF_POOL_MAGIC) {
		PF_LOG(ERR, "pool %s: private data is not a pagefrag pool's",
			mp->name);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return 0;
}
