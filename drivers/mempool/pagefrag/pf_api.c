/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * The mempool driver's public extras that are not statistics nor
 * ring-level caches: is a pool a pagefrag pool, do the processes agree on
 * the ops index, give back the calling thread's frag cache, put a bulk and
 * see the result, recover what processes that are gone left, and how
 * many objects a page holds before the pool exists.
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_flush.h"
#include "pf_layout.h"
#include "pf_log.h"
#include "pf_page.h"
#include "pf_pool.h"
#include "pf_proc.h"

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

int
rte_mempool_pagefrag_cache_flush(struct rte_mempool *mp)
{
	struct pf_pool *pool = pf_pool_of(mp);
	unsigned int lcore_id = rte_lcore_id();
	struct pf_lock *lock;
	struct pf_cache *c;
	int locked = 0;

	if (pool == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	c = pf_cache_of(pool, lcore_id, &lock);
	if (lock == NULL && c->owner != pf_self_token)
		return 0;	/* not this process's cache: nothing of ours */
	if (lock != NULL)
		pf_lock(lock, pool->name);
	else
		locked = pf_owner_enter(c);
	pf_cache_empty(pool, c, pf_stats_of(pool, lcore_id));
	if (lock != NULL)
		pf_unlock(lock);
	else
		pf_owner_exit(c, locked);
	return 0;
}

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

int
rte_mempool_pagefrag_recover(struct rte_mempool *mp)
{
	struct pf_pool *pool = pf_pool_of(mp);

	if (pool == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return (int)pf_recover_all(pool, pf_stats_mine(pool));
}

int
rte_mempool_pagefrag_objs_per_page(uint32_t elt_size, uint32_t flags)
{
	struct rte_mempool_objsz sz;
	struct pf_geom g;

	/* the element as rte_mempool_create_empty() will lay it out */
	rte_mempool_calc_obj_size(elt_size, flags, &sz);
	if (pf_geometry(sz.total_size, PF_PAGE_SHIFT, &g) < 0) {
		PF_LOG(ERR, "an object of %u bytes (%u with header and trailer) does not fit in a 2 MB page; the limit is %u bytes with them",
			elt_size, sz.total_size, pf_max_elt_size());
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return (int)g.objs_per_page;
}
