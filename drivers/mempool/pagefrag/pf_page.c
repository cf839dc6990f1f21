/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Pages: the free and partial lists, the freemaps, and giving objects back
 * to a page no cache of the caller holds (the remote free). Every atomic
 * here follows the numbered argument in pf_page.h.
 */

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include <rte_branch_prediction.h>
#include <rte_common.h>
#include <rte_debug.h>
#include <rte_spinlock.h>

#include "pf_state.h"
#include "pf_page.h"

/* Recycled pages go first (warm in cache), new pages last (address order). */
void
pf_free_push(struct pf_pool *pool, struct pf_page *pg, int at_tail)
{
	pg->state = PF_PAGE_FREE;
	pg->owner = PF_OWNER_NONE;
	pg->prev = NULL;
	pg->next = NULL;
	if (pool->free_head == NULL) {
		pool->free_head = pool->free_tail = pg;
	} else if (at_tail) {
		pool->free_tail->next = pg;
		pool->free_tail = pg;
	} else {
		pg->next = pool->free_head;
		pool->free_head = pg;
	}
	pool->nb_free++;
}

struct pf_page *
pf_free_pop(struct pf_pool *pool)
{
	struct pf_page *pg = pool->free_head;

	if (pg != NULL) {
		pool->free_head = pg->next;
		if (pool->free_head == NULL)
			pool->free_tail = NULL;
		pool->nb_free--;
		pg->next = NULL;
	}
	return pg;
}

void
pf_partial_append(struct pf_pool *pool, struct pf_page *pg)
{
	pg->state = PF_PAGE_PARTIAL;
	pg->owner = PF_OWNER_NONE;
	pg->next = NULL;
	pg->prev = pool->partial_tail;
	if (pool->partial_tail != NULL)
		pool->partial_tail->next = pg;
	else
		pool->partial_head = pg;
	pool->partial_tail = pg;
	pool->nb_partial++;
}

void
pf_partial_remove(struct pf_pool *pool, struct pf_page *pg)
{
	if (pg->prev != NULL)
		pg->prev->next = pg->next;
	else
		pool->partial_head = pg->next;
	if (pg->next != NULL)
		pg->next->prev = pg->prev;
	else
		pool->partial_tail = pg->prev;
	pg->prev = pg->next = NULL;
	pool->nb_partial--;
}

/* Forget returned objects: the page is whole again. Caller owns it alone. */
void
pf_page_reset(struct pf_pool *pool, struct pf_page *pg)
{
	uint32_t words = pf_words(pg->nb_objs);
	uint32_t w;

	for (w = 0; w < words; w++)
		if (pg->freemap[w] != 0)
			pg->freemap[w] = 0;
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	for (w = 0; w < words; w++)
		if (pg->freemap[pool->geom.nb_words + w] != 0)
			rte_panic("pagefrag pool %s: page %p reset with objects out (word %u = %#" PRIx64 ")\n",
				pool->name, (void *)pg, w,
				pg->freemap[pool->geom.nb_words + w]);
#else
	RTE_SET_USED(pool);
#endif
	pg->carved = 0;
}

void
pf_page_init(struct pf_pool *pool, struct pf_page *pg, uint32_t nb)
{
	memset(pg, 0, pool->geom.data_off);
	pg->magic = pool->page_magic;
	pg->pool = pool;
	pg->nb_objs = nb;
	pg->owner = PF_OWNER_NONE;

	pf_lock(&pool->lock, pool->name);
	pg->index = pool->nb_pages++;
	pool->nb_objs += nb;
	/*
	 * RELEASE: the header written above is visible to whoever finds the
	 * page by following the list without the lock (pf_pool_avail());
	 * pages leave it only when the pool forgets them all.
	 */
	if (pool->all_tail != NULL)
		__atomic_store_n(&pool->all_tail->next_all, pg,
			__ATOMIC_RELEASE);
	else
		__atomic_store_n(&pool->all_head, pg, __ATOMIC_RELEASE);
	pool->all_tail = pg;
	pf_unlock(&pool->lock);
}

void
pf_page_free(struct pf_pool *pool, struct pf_page *pg)
{
	pf_lock(&pool->lock, pool->name);
	pf_free_push(pool, pg, 1);
	pf_unlock(&pool->lock);
}

/*
 * Set the freemap bits of objects [lo, hi): one atomic per word, none for
 * a whole word.
 */
unsigned int
pf_freemap_set_range(struct pf_page *pg, uint32_t lo, uint32_t hi)
{
	unsigned int atomics = 0;

	while (lo < hi) {
		uint32_t w = lo / 64, b = lo % 64;
		uint32_t cnt = RTE_MIN(64 - b, hi - lo);
		uint64_t m = (cnt == 64 ? UINT64_MAX :
			((UINT64_C(1) << cnt) - 1)) << b;

		atomics += pf_freemap_set_word(pg, w, m);
		lo += cnt;
	}
	return atomics;
}

int
pf_freemap_any(const struct pf_pool *pool, const struct pf_page *pg)
{
	uint32_t words = pf_words(pg->nb_objs);
	uint32_t w;

	RTE_SET_USED(pool);
	for (w = 0; w < words; w++)
		if (__atomic_load_n(&pg->freemap[w], __ATOMIC_RELAXED) != 0)
			return 1;
	return 0;
}

/*
 * Last resort before -ENOBUFS: take objects returned (freemap bits) to
 * pages that other caches hold, so that every object put through
 * the generic path is available to every thread. Under the pool lock, a
 * holder can neither drop its page nor re-arm it (both take the lock), so
 * its bias keeps the refcount >= 1 (4) and adding to it needs no order;
 * the exchange of a word gives each bit to exactly one taker (2).
 * Returns the number of objects written to objs.
 */
unsigned int
pf_steal_returned(struct pf_pool *pool, struct pf_stats *st, void **objs,
		unsigned int n)
{
	unsigned int got = 0, atomics = 0;
	struct pf_page *pg;

	pf_lock(&pool->lock, pool->name);
	for (pg = pool->all_head; pg != NULL && got < n; pg = pg->next_all) {
		uint32_t words = pf_words(pg->nb_objs), w;
		uintptr_t obj0 = pf_page_obj0(pool, pg);

		if (pg->state != PF_PAGE_OWNED)
			continue;
		for (w = 0; w < words && got < n; w++) {
			uint64_t m;
			uint32_t k = 0;

			if (__atomic_load_n(&pg->freemap[w], __ATOMIC_RELAXED) == 0)
				continue;
			/* ACQUIRE: see (2) in pf_page.h */
			m = __atomic_exchange_n(&pg->freemap[w], 0,
				__ATOMIC_ACQUIRE);
			while (m != 0 && got < n) {
				objs[got++] = (void *)(obj0 + (uintptr_t)(w * 64 +
					__builtin_ctzll(m)) * pool->elt_size);
				m &= m - 1;
				k++;
			}
			/* RELAXED: the holder's bias keeps it >= 1, see above */
			__atomic_fetch_add(&pg->refcnt, k, __ATOMIC_RELAXED);
			atomics += 2;
			if (m != 0) {
				/* RELEASE: the bits we did not need go back (1) */
				__atomic_fetch_or(&pg->freemap[w], m,
					__ATOMIC_RELEASE);
				atomics++;
			}
		}
	}
	pf_unlock(&pool->lock);
	if (atomics != 0) {
		PF_STAT_ADD(st, atomics, atomics);
		PF_STAT_ADD(st, reclaims, got);
	}
	return got;
}

/*
 * A put made pg's refcount 0: move it to the free list, see (3) and (5) in
 * pf_page.h.
 */
static void
pf_page_zero(struct pf_pool *pool, struct pf_page *pg)
{
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	pf_lock(&pool->lock, pool->name);
	if (pg->state == PF_PAGE_PARTIAL &&
			__atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE) == 0) {
		pf_partial_remove(pool, pg);
		pf_page_reset(pool, pg);
		pf_free_push(pool, pg, 0);
	}
	pf_unlock(&pool->lock);
}

/*
 * Set the freemap bits of objects idx[0..n), once per run of indexes in
 * the same word; returns the atomics done.
 */
static unsigned int
freemap_set_idx(struct pf_page *pg, const uint32_t *idx, uint32_t n)
{
	unsigned int atomics = 0;
	uint32_t i, cw = UINT32_MAX;
	uint64_t cmask = 0;

	for (i = 0; i < n; i++) {
		if (idx[i] / 64 != cw) {
			if (cmask != 0)
				atomics += pf_freemap_set_word(pg, cw, cmask);
			cw = idx[i] / 64;
			cmask = 0;
		}
		cmask |= UINT64_C(1) << (idx[i] % 64);
	}
	if (cmask != 0)
		atomics += pf_freemap_set_word(pg, cw, cmask);
	return atomics;
}

/*
 * Give n objects of page pg back through its freemap: one RELEASE fetch_or
 * per word they fill in part (a RELEASE store for a whole word, (1a)), then
 * one RELEASE fetch_sub of the refcount, see (1) and (3) in pf_page.h.
 * idx[] are their indexes, or NULL when they are the run [first, first+n).
 * Returns the atomics done.
 */
unsigned int
pf_page_return(struct pf_pool *pool, struct pf_page *pg, const uint32_t *idx,
		uint32_t first, uint32_t n)
{
	unsigned int atomics = 1;

	if (idx == NULL)
		atomics += pf_freemap_set_range(pg, first, first + n);
	else
		atomics += freemap_set_idx(pg, idx, n);
	/* RELEASE: see (1) in pf_page.h; reaching 0: see (3) in pf_page.h */
	if (__atomic_fetch_sub(&pg->refcnt, n, __ATOMIC_RELEASE) == n)
		pf_page_zero(pool, pg);
	return atomics;
}

void
pf_put_error(struct pf_pool *pool, const void *obj, const char *why)
{
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	rte_panic("pagefrag pool %s: put of object %p refused: %s (page %p)\n",
		pool->name, obj, why, (void *)pf_page_of(obj, pool->page_mask));
#endif
	PF_LOG(ERR, "pool %s: put of object %p refused: %s (page %p); object skipped",
		pool->name, obj, why, (void *)pf_page_of(obj, pool->page_mask));
}

/* ---- debug: per-object out-map ---- */

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
void
pf_debug_mark(struct pf_pool *pool, void * const *objs, unsigned int n, int out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct pf_page *pg = pf_page_of(objs[i], pool->page_mask);
		char *obj0 = (char *)pf_page_obj0(pool, pg);
		uint32_t idx = ((char *)objs[i] - obj0) / pool->elt_size;
		uint64_t bit = UINT64_C(1) << (idx & 63);
		uint64_t *w = &pg->freemap[pool->geom.nb_words + idx / 64];
		uint64_t old;

		/*
		 * RELAXED: the out-map only records states to check them; the
		 * object's own hand-over is ordered by (1)-(3).
		 */
		if (out) {
			old = __atomic_fetch_or(w, bit, __ATOMIC_RELAXED);
			if (old & bit)
				rte_panic("pagefrag pool %s: object %p (index %u, page %p) handed out twice\n",
					pool->name, objs[i], idx, (void *)pg);
			pf_inflight_took(pool, pg, idx);
		} else {
			old = __atomic_fetch_and(w, ~bit, __ATOMIC_RELAXED);
			if (!(old & bit))
				rte_panic("pagefrag pool %s: double put of object %p (index %u, page %p): it is not out\n",
					pool->name, objs[i], idx, (void *)pg);
			pf_inflight_gave(pool, pg, idx);
		}
	}
}
#endif
