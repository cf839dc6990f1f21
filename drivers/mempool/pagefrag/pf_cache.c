/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Frag caches: carve, recycle, return, reclaim, refill, empty (one verb
 * per act: see pf_cache.h); the get and put slow paths of a cache, and
 * the page a cache takes (arm, reclaim, refill). Every atomic follows the
 * numbered argument in pf_page.h.
 *
 * A cache's hold on its page, below this file, is pf_hold.c: clearing a
 * cache, counting what it holds, rewinding a run into its ranges,
 * dropping its page. It does not implement the mempool ops (pf_ops.c),
 * the pool as a whole (pf_pool.c: init, lookup, object count), processes
 * (pf_proc.c) nor emptying other threads' caches (pf_flush.c).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "pf_cache.h"
#include "pf_hold.h"
#include "pf_page.h"
#include "pf_layout.h"

/* Make c the holder of pg; objects [from, nb) are its to carve. */
static void
cache_arm(struct pf_pool *pool, struct pf_cache *c, struct pf_page *pg,
		uint32_t from)
{
	struct pf_carve *cv = &c->carve;

	cv->page = pg;
	cv->elt = pool->elt_size;
	cv->nb = pg->nb_objs;
	cv->obj0 = pf_page_obj0(pool, pg);
	cv->obj_end = cv->obj0 + (uintptr_t)cv->nb * cv->elt;
	cv->nb_ranges = 0;
	if (from < cv->nb) {
		cv->ranges[0].lo = cv->obj0 + (uintptr_t)from * cv->elt;
		cv->ranges[0].n = cv->nb - from;
		cv->nb_ranges = 1;
	}
	cv->rword = 0;
	cv->rmask = 0;
	cv->rbase = 0;
	pg->owner = c->owner.id;
}

/*
 * Find more free objects on the cache's own page: re-arm it in place when
 * every object is back, else take a word of returned objects from its
 * freemap. Returns 1 when objects were found.
 */
static int
cache_reclaim(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st)
{
	struct pf_carve *cv = &c->carve;
	struct pf_page *pg = cv->page;
	uint32_t words = pf_words(cv->nb), taken = 0, atomics = 0;

	/*
	 * The cache holds nothing but its extra unit: refcnt == 1 means every
	 * object is back. A RELAXED look first; the ACQUIRE load under the
	 * lock below decides, see (3) in pf_page.h: nobody else can touch the
	 * page then (no object out, not on a list), so plain writes follow.
	 */
	if (__atomic_load_n(&pg->refcnt, __ATOMIC_RELAXED) == 1) {
		/*
		 * Under the pool lock, so that pf_steal_returned() cannot take
		 * freemap bits while they are cleared.
		 */
		pf_lock(&pool->lock, pool->name);
		if (__atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE) == 1) {
			pf_page_reset(pool, pg);
			__atomic_store_n(&pg->refcnt, cv->nb + 1,
				__ATOMIC_RELAXED);
			cache_arm(pool, c, pg, 0);
			pf_unlock(&pool->lock);
			PF_STAT_ADD(st, page_reuses, 1);
			return 1;
		}
		pf_unlock(&pool->lock);
	}
	/*
	 * Take returned words until a partial one (its bits go to rmask) or
	 * the ranges are full, and count them on the page with one atomic.
	 */
	while (cv->rword < words && cv->rmask == 0 &&
			cv->nb_ranges < PF_CACHE_RANGES) {
		uint64_t *w = &pg->freemap[cv->rword];
		uint64_t m;
		uint32_t k;

		if (__atomic_load_n(w, __ATOMIC_RELAXED) == 0) {
			if (taken != 0)
				break;	/* what we have: the rest later */
			cv->rword++;
			continue;
		}
		/* ACQUIRE: see (2) in pf_page.h */
		m = __atomic_exchange_n(w, 0, __ATOMIC_ACQUIRE);
		atomics++;
		if (m == 0) {
			/* a last-resort steal took them first */
			cv->rword++;
			continue;
		}
		k = __builtin_popcountll(m);
		taken += k;
		if ((m & (m + (m & -m))) == 0) {
			/* one run of bits (a whole word, often): a range */
			uintptr_t lo = cv->obj0 + (uintptr_t)(cv->rword * 64 +
				__builtin_ctzll(m)) * cv->elt;
			struct pf_range *r = cv->ranges + cv->nb_ranges;

			if (cv->nb_ranges != 0 &&
					r[-1].lo + (uintptr_t)r[-1].n * cv->elt == lo) {
				r[-1].n += k;	/* the word before ran up to it */
			} else {
				r->lo = lo;
				r->n = k;
				cv->nb_ranges++;
			}
		} else {
			cv->rmask = m;
			cv->rbase = cv->rword * 64;
		}
		cv->rword++;
	}
	if (taken != 0) {
		/* RELAXED: we hold the page, see (4) in pf_page.h */
		__atomic_fetch_add(&pg->refcnt, taken, __ATOMIC_RELAXED);
		atomics++;
		PF_STAT_ADD(st, reclaims, taken);
	}
	PF_STAT_ADD(st, atomics, atomics);
	return taken != 0;
}

/* Drop the cache's page and take another one: free first, then partial. */
static int
cache_refill(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st)
{
	struct pf_carve *cv = &c->carve;
	struct pf_page *pg;

	pf_cache_drop(pool, cv, st);

	pf_lock(&pool->lock, pool->name);
	pg = pf_free_pop(pool);
	if (pg != NULL) {
		pg->state = PF_PAGE_OWNED;
		/* a free page has no reference: plain store, ordered by the lock */
		__atomic_store_n(&pg->refcnt, pg->nb_objs + 1, __ATOMIC_RELAXED);
		cache_arm(pool, c, pg, 0);
		pf_unlock(&pool->lock);
		PF_STAT_ADD(st, page_refills, 1);
		return 0;
	}
	for (pg = pool->partial_head; pg != NULL; pg = pg->next) {
		uint32_t tail = pg->nb_objs - pg->carved;
		/* ACQUIRE: see (3) and (5) in pf_page.h */
		uint32_t ref = __atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE);

		if (ref != 0 && tail == 0 && !pf_freemap_any(pool, pg))
			continue;	/* nothing returned yet */
		/* increment-unless-zero, see (5) in pf_page.h */
		while (ref != 0 && !__atomic_compare_exchange_n(&pg->refcnt,
				&ref, ref + tail + 1, 0, __ATOMIC_ACQUIRE,
				__ATOMIC_ACQUIRE))
			;
		pf_partial_remove(pool, pg);
		pg->state = PF_PAGE_OWNED;
		if (ref == 0) {
			/* every object came back: take it as a free page (3) */
			pf_page_reset(pool, pg);
			__atomic_store_n(&pg->refcnt, pg->nb_objs + 1,
				__ATOMIC_RELAXED);
			cache_arm(pool, c, pg, 0);
			PF_STAT_ADD(st, page_refills, 1);
		} else {
			cache_arm(pool, c, pg, pg->carved);
			PF_STAT_ADD(st, partial_reuses, 1);
			PF_STAT_ADD(st, atomics, 1);
			if (!(pool->logged & PF_LOGGED_PARTIAL)) {
				pool->logged |= PF_LOGGED_PARTIAL;
				/*
				 * INFO: a pool sized to its working set (RX
				 * rings full of mbufs) runs so in normal
				 * operation; the cost is one atomic per page
				 * change (partial_reuses), and objs_pinned
				 * says how much objects held long keep idle.
				 */
				PF_LOG(INFO, "pool %s: no free page left, reusing partial pages (%u of %u pages have objects out; logged once; see partial_reuses and objs_pinned)",
					pool->name, pool->nb_partial + 1,
					pool->nb_pages);
			}
		}
		pf_unlock(&pool->lock);
		return 0;
	}
	pf_unlock(&pool->lock);
	return -ENOBUFS;
}

/*
 * Table entries the slow path saves on its stack before it overwrites
 * them; a longer get saves them in a heap buffer.
 */
#define PF_GET_SAVE 512

int
pf_cache_get_slow(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st, void **objs, unsigned int n)
{
	struct pf_carve *cv = &c->carve;
	void *saved_stack[PF_GET_SAVE], **saved = saved_stack;
	unsigned int got = 0;

	/*
	 * A get that fails must leave objs as it was: DPDK's mempool cache
	 * dequeues into its own slots and, on failure, only resets its
	 * length (rte_mempool_do_generic_get()), so the slots below that
	 * length must still hold their objects. Keep what we overwrite.
	 */
	if (unlikely(n > PF_GET_SAVE)) {
		/* more than the pool has (DPDK's tests ask for ~4 G) */
		if (n > pool->nb_objs)
			return -ENOBUFS;
		saved = malloc(sizeof(*saved) * n);
		if (saved == NULL) {
			PF_LOG(ERR, "pool %s: no memory to get %u objects at once",
				pool->name, n);
			return -ENOMEM;
		}
	}
	memcpy(saved, objs, sizeof(*saved) * n);
	while (got < n) {
		if (cv->nb_recycled != 0) {
			uint32_t k = RTE_MIN(cv->nb_recycled, n - got);

			pf_recycled_pop(cv, objs + got, k);
			got += k;
			continue;
		}
		if (likely(cv->nb_ranges != 0)) {
			struct pf_range *r = &cv->ranges[cv->nb_ranges - 1];
			uint32_t k = RTE_MIN(r->n, n - got);

			pf_range_carve(cv, r, objs + got, k);
			got += k;
			continue;
		}
		if (cv->rmask != 0) {
			while (cv->rmask != 0 && got < n) {
				uint32_t b = __builtin_ctzll(cv->rmask);

				cv->rmask &= cv->rmask - 1;
				objs[got++] = (void *)(cv->obj0 +
					(uintptr_t)(cv->rbase + b) * cv->elt);
			}
			continue;
		}
		if (cv->page != NULL && cache_reclaim(pool, c, st))
			continue;
		if (cache_refill(pool, c, st) != 0) {
			got += pf_steal_returned(pool, st, objs + got, n - got);
			if (got == n)
				break;
			/*
			 * All or nothing: put back what was taken. Emptying
			 * other threads' caches is the layer above (pf_get()).
			 */
			if (got != 0) {
				PF_DEBUG_GOT(pool, objs, got);
				PF_STAT_ADD(st, gets, got);	/* the put counts them */
				pf_put(pool, cv, st, objs, got);
				memcpy(objs, saved, sizeof(*saved) * got);
			}
			if (saved != saved_stack)
				free(saved);
			return -ENOBUFS;
		}
	}
	if (saved != saved_stack)
		free(saved);
	PF_DEBUG_GOT(pool, objs, n);
	PF_STAT_ADD(st, gets, n);
	return 0;
}

/* Objects a run check reads at a time: one vectorized check. */
#define PF_RUN_WINDOW 32u

/*
 * Length of the run of objects of one page at the start of objs (n >= 1),
 * in address order either way (a mempool cache hands objects out last in,
 * first out, so runs often come back descending). *lo is the run's lowest
 * object. It checks the run a window at a time and stops at the window
 * where the run ends: the put walks the array in linear time however
 * short its runs are, and a burst that is one run costs one vectorized
 * check.
 */
static unsigned int
run_either_way(void * const *objs, unsigned int n, uintptr_t elt,
		uintptr_t *lo)
{
	uintptr_t step;
	unsigned int k, w, r;

	*lo = (uintptr_t)objs[0];
	if (n < 2)
		return 1;
	step = (uintptr_t)objs[1] - (uintptr_t)objs[0];
	if (step != elt && step != (uintptr_t)0 - elt)
		return 1;
	/* objs[0..k) is a run; check objs[k - 1..k + w) */
	for (k = 1; k < n; k += r - 1) {
		w = RTE_MIN(n - k, PF_RUN_WINDOW);
		r = pf_run_len(objs + k - 1, w + 1, step);
		if (r != w + 1) {
			k += r - 1;
			break;
		}
	}
	if (step != elt)
		*lo = (uintptr_t)objs[k - 1];
	return k;
}

/* Pages whose isolated objects a put gathers at once (see pf_put_slow). */
#define PF_PUT_GROUPS 4u

/* Isolated objects of one page gathered by a put: returned together. */
struct put_group {
	struct pf_page *pg;
	uint32_t cnt;
	uint32_t idx[64];
};

/* Give a group's objects back to their page; returns the atomics done. */
static unsigned int
put_group_return(struct pf_pool *pool, struct put_group *g, unsigned int *generic)
{
	unsigned int atomics = pf_page_return(pool, g->pg, g->idx, 0, g->cnt);

	*generic += g->cnt;
	g->cnt = 0;
	return atomics;
}

/*
 * Give objects back to their pages, no recycling: runs of the cache's page
 * (c may be NULL) into its ranges, the others to their pages' freemaps,
 * isolated objects gathered per page. Counts puts_generic and atomics;
 * returns the objects refused (logged).
 */
static unsigned int
put_to_pages(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st,
		void * const *objs, unsigned int n)
{
	const uint32_t elt = pool->elt_size;
	struct pf_page *own = cv != NULL ? cv->page : NULL;
	unsigned int i = 0, errors = 0, atomics = 0, generic = 0;
	struct put_group grp[PF_PUT_GROUPS], *g;
	unsigned int nb_grp = 0, victim = 0, k;

	while (i < n) {
		struct pf_page *pg = pf_page_of(objs[i], pool->page_mask);
		uintptr_t obj0, lo;
		uint32_t first;
		unsigned int j;

		if (unlikely(pg->magic != pool->page_magic)) {
			pf_put_error(pool, objs[i], "not an object of this pool");
			errors++;
			i++;
			continue;
		}
		/*
		 * A run of consecutive objects: one index, whole freemap
		 * words. Objects elt bytes apart never lie on two pages (a
		 * page header is between them).
		 */
		j = run_either_way(objs + i, n - i, elt, &lo);
		obj0 = pf_page_obj0(pool, pg);
		first = j > 1 ? pf_obj_index(pool, obj0, pg->nb_objs,
			(void *)lo) : UINT32_MAX;
		if (first != UINT32_MAX && first + j <= pg->nb_objs) {
			if (pg == own && pf_cache_rewind_run(pool, cv, lo, j) == 0) {
				i += j;
				continue;
			}
			atomics += pf_page_return(pool, pg, NULL, first, j);
			generic += j;
			i += j;
			continue;
		}
		first = pf_obj_index(pool, obj0, pg->nb_objs, objs[i]);
		if (unlikely(first == UINT32_MAX)) {
			pf_put_error(pool, objs[i], "not the start of an object");
			errors++;
			i++;
			continue;
		}
		/*
		 * An isolated object: gathered with the others of its page
		 * in this put, whatever their order (queues interleaved,
		 * LIFO reversals), so that a page costs one subtraction and
		 * one OR per freemap word (a store for a whole one) for up
		 * to 64 of them. A put that
		 * meets more pages at once gives the oldest group back first.
		 */
		for (k = 0, g = NULL; k < nb_grp; k++)
			if (grp[k].pg == pg) {
				g = &grp[k];
				break;
			}
		if (g == NULL) {
			if (nb_grp < PF_PUT_GROUPS) {
				g = &grp[nb_grp++];
			} else {
				g = &grp[victim];
				victim = (victim + 1) % PF_PUT_GROUPS;
				if (g->cnt != 0)
					atomics += put_group_return(pool, g,
						&generic);
			}
			g->pg = pg;
			g->cnt = 0;
		}
		g->idx[g->cnt++] = first;
		if (g->cnt == RTE_DIM(g->idx))
			atomics += put_group_return(pool, g, &generic);
		i++;
	}
	for (k = 0; k < nb_grp; k++)
		if (grp[k].cnt != 0)
			atomics += put_group_return(pool, &grp[k], &generic);
	if (generic != 0)
		PF_STAT_ADD(st, puts_generic, generic);
	if (atomics != 0)
		PF_STAT_ADD(st, atomics, atomics);
	return errors;
}

int
pf_objs_of_pool(const struct pf_pool *pool, void * const *objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (!pf_obj_of_pool(pool, objs[i]))
			return 0;
	return 1;
}

PF_FAST_CLONES int
pf_objs_on_pages_vec(const struct pf_multiple *m, void * const *objs,
		unsigned int n, uintptr_t base0, uintptr_t span0,
		uintptr_t base1, uintptr_t span1)
{
	return pf_objs_on_pages(m, objs, n, base0, span0, base1, span1);
}

/*
 * Make room for n more recycled objects (n <= PF_RECYCLE): the oldest go
 * back to their pages, at least half the stack, so that a stack that
 * overflows on every put moves its objects in batches.
 */
static void
recycle_spill(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st,
		unsigned int n)
{
	unsigned int top = cv->nb_recycled, k;

	if (top + n <= PF_RECYCLE)
		return;
	k = RTE_MIN(RTE_MAX(top + n - PF_RECYCLE, top / 2), top);
	put_to_pages(pool, cv, st, cv->recycled, k);
	memmove(cv->recycled, cv->recycled + k, sizeof(void *) * (top - k));
	cv->nb_recycled = top - k;
}

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
void
pf_debug_put(struct pf_pool *pool, void * const *objs, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (pf_obj_of_pool(pool, objs[i]))
			pf_debug_mark(pool, &objs[i], 1, 0);
}
#endif

int
pf_put_slow(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st,
		void * const *objs, unsigned int n)
{
	unsigned int keep, errors;

	PF_DEBUG_PUT(pool, objs, n);
	if (cv == NULL || n == 0)
		goto pages;
	/* a run of the cache's page: into its ranges */
	if (pf_cache_holds_run(cv, objs, n) &&
			pf_cache_rewind_run(pool, cv, (uintptr_t)objs[0], n) == 0)
		goto done;
	/* anything else of the pool: recycled, the last PF_RECYCLE kept */
	if (cv->nb_recycled + n > PF_RECYCLE) {
		if (!cv->popped) {
			/*
			 * Nothing taken from the stack since it last
			 * overflowed: nobody allocates here (the freeing lcore
			 * of a pipeline), and keeping objects would only hold
			 * them back. They go to their pages, with the stack's.
			 */
			put_to_pages(pool, cv, st, cv->recycled, cv->nb_recycled);
			cv->nb_recycled = 0;
			goto pages;
		}
		cv->popped = 0;
	}
	if (unlikely(!pf_objs_in_pool(pool, objs, n)))
		goto pages;	/* logs the foreign ones */
	keep = RTE_MIN(n, (unsigned int)PF_RECYCLE);
	if (keep < n)
		put_to_pages(pool, cv, st, objs, n - keep);
	recycle_spill(pool, cv, st, keep);
	memcpy(cv->recycled + cv->nb_recycled, objs + n - keep,
		sizeof(void *) * keep);
	cv->nb_recycled += keep;
done:
	PF_STAT_ADD(st, puts, n);
	return 0;
pages:
	errors = put_to_pages(pool, cv, st, objs, n);
	PF_STAT_ADD(st, puts, n - errors);
	if (unlikely(errors != 0)) {
		PF_STAT_ADD(st, put_errors, errors);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return 0;
}

unsigned int
pf_cache_empty(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st)
{
	unsigned int refs = pf_cache_drop(pool, cv, st), n = cv->nb_recycled;

	/* no page held now: every recycled object goes to its page */
	put_to_pages(pool, cv, st, cv->recycled, n);
	cv->nb_recycled = 0;
	return refs + n;
}
