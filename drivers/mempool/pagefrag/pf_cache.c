/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Frag caches and page lists: carve, give back, reclaim, refill, drop.
 *
 * This file owns every change to a page's refcount, freemap and list. It
 * does not know the mempool ops (pf_ops.c) nor the public API wrappers.
 *
 * Memory-ordering argument, in one place (each atomic below refers here):
 *
 * (1) A put publishes a returned object with a RELEASE fetch_or of its
 *     freemap bit, and then a RELEASE fetch_sub of the page refcount. The
 *     bit is set before the decrement, so whoever sees the decrement (in
 *     particular whoever sees the refcount reach 0) also sees the bit, and
 *     a freemap is never written after its page was reset.
 * (2) A cache takes returned objects with an ACQUIRE exchange of a freemap
 *     word: the writes the putter made to those objects before putting them
 *     happen-before the next user's reads.
 * (3) The thread that sees the refcount reach 0 (fetch_sub returning the
 *     amount it removed, or a load of 0) issues an ACQUIRE fence or load: it
 *     then sees every put's freemap write and every holder's writes, and is
 *     the only one that may reset the page. Pages move between lists only
 *     under the pool lock, whose acquire/release orders the reset before the
 *     next owner's use.
 * (4) A cache always holds one extra bias unit on its page, so while it
 *     holds the page the refcount is >= 1: puts by other threads can never
 *     take it to 0 and reset the page under the cache's feet. Adding to the
 *     refcount while holding the page therefore needs no ordering (RELAXED).
 * (5) A page not held by a cache gets a new reference only under the pool
 *     lock, by increment-unless-zero (CAS). A page with refcount 0 is
 *     reset and moved to the free list by whoever sees it first under the
 *     lock (a putter or a refilling cache); the other finds it no longer on
 *     the partial list, or with a non-zero refcount, and leaves it alone.
 */

#include <errno.h>
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
#include "pf_inflight.h"

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
#define PF_MAPS 2	/* freemap + out-map */
#else
#define PF_MAPS 1
#endif

/* Object pointer of index 0 in page pg. */
static inline uintptr_t
page_obj0(const struct pf_pool *pool, const struct pf_page *pg)
{
	return (uintptr_t)pg + pool->geom.data_off + pool->hdr_size;
}

int
pf_geometry(uint32_t elt_size, uint32_t shift, struct pf_geom *g)
{
	const uint64_t size = UINT64_C(1) << shift;
	uint64_t n, words, off;

	if (elt_size == 0 || elt_size > size)
		return -EINVAL;
	/* bitmap sized for the most objects a page could hold, then trim */
	n = (size - sizeof(struct pf_page)) / elt_size;
	if (n == 0)
		return -EINVAL;
	words = (n + 63) / 64;
	off = RTE_ALIGN_CEIL(sizeof(struct pf_page) +
		words * sizeof(uint64_t) * PF_MAPS +
		n * PF_OBJ_REC_SIZE, RTE_CACHE_LINE_SIZE);
	if (off >= size)
		return -EINVAL;
	/*
	 * The last element ends before the page does: the object pointer of
	 * a zero-size element (header only) is its end, and must still mask
	 * to this page.
	 */
	n = (size - off - 1) / elt_size;
	if (n == 0)
		return -EINVAL;
	g->shift = shift;
	g->data_off = off;
	g->objs_per_page = n;
	g->nb_words = (n + 63) / 64;
	return 0;
}

int
pf_min_shift(uint32_t elt_size)
{
	struct pf_geom g;
	uint32_t k;

	for (k = PF_PAGE_SHIFT_MIN; k <= PF_PAGE_SHIFT; k++)
		if (pf_geometry(elt_size, k, &g) == 0)
			return k;
	return -EINVAL;
}

uint32_t
pf_max_elt_size(void)
{
	return PF_PAGE_SIZE - RTE_ALIGN_CEIL(sizeof(struct pf_page) +
		sizeof(uint64_t) * PF_MAPS + PF_OBJ_REC_SIZE, RTE_CACHE_LINE_SIZE);
}

uint64_t
pf_chunk_objs(const struct pf_geom *g, uint32_t elt_size, uintptr_t start,
		uintptr_t end, uint64_t max)
{
	const uintptr_t size = (uintptr_t)1 << g->shift;
	uintptr_t p = RTE_ALIGN_CEIL(start, size), rem;
	uint64_t n;

	if (p < start || p >= end)	/* wrapped, or no aligned block */
		return 0;
	n = (uint64_t)((end - p) >> g->shift) * g->objs_per_page;
	rem = (end - p) & (size - 1);
	if (rem >= (uintptr_t)g->data_off + elt_size)
		n += (rem - g->data_off) / elt_size;
	return RTE_MIN(n, max);
}

/* Use pages of 2^shift bytes from now on; no page exists yet. */
static void
pool_set_shift(struct pf_pool *pool, uint32_t shift)
{
	struct pf_geom g;

	if (pf_geometry(pool->elt_size, shift, &g) < 0)
		return;
	pool->geom = g;
	pool->page_mask = ~(((uintptr_t)1 << shift) - 1);
}

void
pf_pool_choose_shift(struct pf_pool *pool, uintptr_t start, uintptr_t end,
		uint32_t max_objs)
{
	int kmin = pf_min_shift(pool->elt_size);
	uint32_t k, cap, pick = 0;
	uint64_t best = 0, n;
	struct pf_geom g;

	if (kmin < 0 || pool->nb_pages != 0)
		return;
	/*
	 * calc_mem_size told us the largest piece populate relies on: take
	 * the page size up to that which holds the most objects of this
	 * chunk (the larger on a tie). Without that hint (populate_virt or
	 * populate_iova called directly) keep 2 MB pages when they fit, else
	 * the next chunks may be as small as one memory page: take the
	 * smallest page that holds an object, as page_frag falls back to
	 * order-0 pages.
	 */
	if (pool->hint_shift != 0) {
		cap = RTE_MAX(pool->hint_shift, (uint32_t)kmin);
	} else if (pf_geometry(pool->elt_size, PF_PAGE_SHIFT, &g) == 0 &&
			pf_chunk_objs(&g, pool->elt_size, start, end, 1) != 0) {
		kmin = PF_PAGE_SHIFT;
		cap = PF_PAGE_SHIFT;
	} else {
		cap = kmin;
	}
	for (k = kmin; k <= cap; k++) {
		if (pf_geometry(pool->elt_size, k, &g) < 0)
			continue;
		n = pf_chunk_objs(&g, pool->elt_size, start, end, max_objs);
		if (n != 0 && n >= best) {
			best = n;
			pick = k;
		}
	}
	if (pick == 0 || pick == pool->geom.shift)
		return;	/* nothing fits: populate refuses the chunk */
	pool_set_shift(pool, pick);
	if (pick < PF_PAGE_SHIFT)
		PF_LOG(INFO, "pool %s: memory comes in pieces too small for 2 MB pages: using %u-byte pages (%u objects each)",
			pool->name, 1u << pick, pool->geom.objs_per_page);
}

void
pf_cache_init(struct pf_cache *c, int32_t id)
{
	memset(c, 0, sizeof(*c));
	c->id = id;
}

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
	pool->socket_id = mp->socket_id;
	rte_spinlock_init(&pool->lock);
	rte_spinlock_init(&pool->shared_lock);
	pf_cache_init(&pool->shared, PF_OWNER_SHARED);
	for (i = 0; i < RTE_MAX_LCORE; i++)
		pf_cache_init(&pool->lcore[i], (int32_t)i);
	pool->stats[RTE_MAX_LCORE].shared = 1;
	return 0;
}

/* ---- page lists, all under pool->lock ---- */

/* Recycled pages go first (warm in cache), new pages last (address order). */
static void
free_push(struct pf_pool *pool, struct pf_page *pg, int at_tail)
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

static struct pf_page *
free_pop(struct pf_pool *pool)
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

static void
partial_append(struct pf_pool *pool, struct pf_page *pg)
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

static void
partial_remove(struct pf_pool *pool, struct pf_page *pg)
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
static void
page_reset(struct pf_pool *pool, struct pf_page *pg)
{
	uint32_t words = (pg->nb_objs + 63) / 64;
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

	rte_spinlock_lock(&pool->lock);
	pg->index = pool->nb_pages++;
	pool->nb_objs += nb;
	if (pool->all_tail != NULL)
		pool->all_tail->next_all = pg;
	else
		pool->all_head = pg;
	pool->all_tail = pg;
	rte_spinlock_unlock(&pool->lock);
}

void
pf_page_free(struct pf_pool *pool, struct pf_page *pg)
{
	rte_spinlock_lock(&pool->lock);
	free_push(pool, pg, 1);
	rte_spinlock_unlock(&pool->lock);
}

/* ---- debug: per-object out-map ---- */

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
static void
debug_mark(struct pf_pool *pool, void * const *objs, unsigned int n, int out)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		struct pf_page *pg = pf_page_of(objs[i], pool->page_mask);
		char *obj0 = (char *)page_obj0(pool, pg);
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

/* ---- caches ---- */

uint32_t
pf_cache_held(const struct pf_cache *c)
{
	uint32_t held = __builtin_popcountll(c->rmask);
	uint32_t i;

	for (i = 0; i < c->nb_ranges; i++)
		held += c->ranges[i].n;
	return held;
}

/* Make c the holder of pg; objects [from, nb) are its to carve. */
static void
cache_arm(struct pf_pool *pool, struct pf_cache *c, struct pf_page *pg,
		uint32_t from)
{
	c->page = pg;
	c->elt = pool->elt_size;
	c->nb = pg->nb_objs;
	c->obj0 = page_obj0(pool, pg);
	c->obj_end = c->obj0 + (uintptr_t)c->nb * c->elt;
	c->nb_ranges = 0;
	if (from < c->nb) {
		c->ranges[0].lo = c->obj0 + (uintptr_t)from * c->elt;
		c->ranges[0].n = c->nb - from;
		c->nb_ranges = 1;
	}
	c->rword = 0;
	c->rmask = 0;
	c->rbase = 0;
	pg->owner = c->id;
}

/* Set the freemap bits of objects [lo, hi): one atomic per word. */
static unsigned int
freemap_set_range(struct pf_page *pg, uint32_t lo, uint32_t hi)
{
	unsigned int atomics = 0;

	while (lo < hi) {
		uint32_t w = lo / 64, b = lo % 64;
		uint32_t cnt = RTE_MIN(64 - b, hi - lo);
		uint64_t m = (cnt == 64 ? UINT64_MAX :
			((UINT64_C(1) << cnt) - 1)) << b;

		/* RELEASE: see (1) */
		__atomic_fetch_or(&pg->freemap[w], m, __ATOMIC_RELEASE);
		atomics++;
		lo += cnt;
	}
	return atomics;
}

unsigned int
pf_cache_drop(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st)
{
	struct pf_page *pg = c->page;
	unsigned int atomics = 0;
	uint32_t bias, carved, i;

	if (pg == NULL)
		return 0;
	bias = pf_cache_held(c) + 1;

	/*
	 * The range reaching the end of the page becomes the uncarved tail;
	 * the other free objects get freemap bits. All of it is written
	 * before the RELEASE fetch_sub below, see (1).
	 */
	carved = c->nb;
	for (i = 0; i < c->nb_ranges; i++) {
		uint32_t lo = (c->ranges[i].lo - c->obj0) / c->elt;
		uint32_t hi = lo + c->ranges[i].n;

		if (hi == c->nb)
			carved = lo;
		else
			atomics += freemap_set_range(pg, lo, hi);
	}
	if (c->rmask != 0) {
		/* RELEASE: see (1) */
		__atomic_fetch_or(&pg->freemap[c->rbase / 64], c->rmask,
			__ATOMIC_RELEASE);
		atomics++;
	}
	pg->carved = carved;

	rte_spinlock_lock(&pool->lock);
	/* ACQ_REL: publishes the writes above (1); if it reaches 0, (3). */
	if (__atomic_fetch_sub(&pg->refcnt, bias, __ATOMIC_ACQ_REL) == bias) {
		page_reset(pool, pg);
		free_push(pool, pg, 0);
	} else {
		partial_append(pool, pg);
	}
	rte_spinlock_unlock(&pool->lock);
	atomics++;
	PF_STAT_ADD(st, atomics, atomics);

	c->page = NULL;
	c->obj0 = 0;
	c->obj_end = 0;
	c->nb_ranges = 0;
	c->rmask = 0;
	return bias;
}

/*
 * Find more free objects on the cache's own page: re-arm it in place when
 * every object is back, else take a word of returned objects from its
 * freemap. Returns 1 when objects were found.
 */
static int
cache_reclaim(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st)
{
	struct pf_page *pg = c->page;
	uint32_t words = (c->nb + 63) / 64;

	/*
	 * The cache holds nothing but its extra unit: refcnt == 1 means every
	 * object is back. ACQUIRE: see (3); nobody else can touch the page
	 * now (no object out, not on a list), so plain writes follow.
	 */
	if (__atomic_load_n(&pg->refcnt, __ATOMIC_RELAXED) == 1) {
		/*
		 * Under the pool lock, so that steal_returned() cannot take
		 * freemap bits while they are cleared.
		 */
		rte_spinlock_lock(&pool->lock);
		if (__atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE) == 1) {
			page_reset(pool, pg);
			__atomic_store_n(&pg->refcnt, c->nb + 1,
				__ATOMIC_RELAXED);
			cache_arm(pool, c, pg, 0);
			rte_spinlock_unlock(&pool->lock);
			PF_STAT_ADD(st, page_reuses, 1);
			return 1;
		}
		rte_spinlock_unlock(&pool->lock);
	}
	while (c->rword < words) {
		uint64_t *w = &pg->freemap[c->rword];

		if (__atomic_load_n(w, __ATOMIC_RELAXED) != 0) {
			/* ACQUIRE: see (2) */
			uint64_t m = __atomic_exchange_n(w, 0, __ATOMIC_ACQUIRE);
			uint32_t k = __builtin_popcountll(m);

			/* RELAXED: we hold the page, see (4) */
			__atomic_fetch_add(&pg->refcnt, k, __ATOMIC_RELAXED);
			PF_STAT_ADD(st, atomics, 2);
			PF_STAT_ADD(st, reclaims, k);
			if ((m & (m + (m & -m))) == 0 && c->nb_ranges == 0) {
				/* one run of bits (a whole word, often): a range */
				c->ranges[0].lo = c->obj0 + (uintptr_t)(c->rword *
					64 + __builtin_ctzll(m)) * c->elt;
				c->ranges[0].n = k;
				c->nb_ranges = 1;
			} else {
				c->rmask = m;
				c->rbase = c->rword * 64;
			}
			c->rword++;
			return 1;
		}
		c->rword++;
	}
	return 0;
}

static int
freemap_any(const struct pf_pool *pool, const struct pf_page *pg)
{
	uint32_t words = (pg->nb_objs + 63) / 64;
	uint32_t w;

	RTE_SET_USED(pool);
	for (w = 0; w < words; w++)
		if (__atomic_load_n(&pg->freemap[w], __ATOMIC_RELAXED) != 0)
			return 1;
	return 0;
}

/* Drop the cache's page and take another one: free first, then partial. */
static int
cache_refill(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st)
{
	struct pf_page *pg;

	pf_cache_drop(pool, c, st);

	rte_spinlock_lock(&pool->lock);
	pg = free_pop(pool);
	if (pg != NULL) {
		pg->state = PF_PAGE_OWNED;
		/* a free page has no reference: plain store, ordered by the lock */
		__atomic_store_n(&pg->refcnt, pg->nb_objs + 1, __ATOMIC_RELAXED);
		cache_arm(pool, c, pg, 0);
		rte_spinlock_unlock(&pool->lock);
		PF_STAT_ADD(st, page_refills, 1);
		return 0;
	}
	for (pg = pool->partial_head; pg != NULL; pg = pg->next) {
		uint32_t tail = pg->nb_objs - pg->carved;
		/* ACQUIRE: see (3) and (5) */
		uint32_t ref = __atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE);

		if (ref != 0 && tail == 0 && !freemap_any(pool, pg))
			continue;	/* nothing returned yet */
		/* increment-unless-zero, see (5) */
		while (ref != 0 && !__atomic_compare_exchange_n(&pg->refcnt,
				&ref, ref + tail + 1, 0, __ATOMIC_ACQUIRE,
				__ATOMIC_ACQUIRE))
			;
		partial_remove(pool, pg);
		pg->state = PF_PAGE_OWNED;
		if (ref == 0) {
			/* every object came back: take it as a free page (3) */
			page_reset(pool, pg);
			__atomic_store_n(&pg->refcnt, pg->nb_objs + 1,
				__ATOMIC_RELAXED);
			cache_arm(pool, c, pg, 0);
			PF_STAT_ADD(st, page_refills, 1);
		} else {
			cache_arm(pool, c, pg, pg->carved);
			PF_STAT_ADD(st, partial_reuses, 1);
			PF_STAT_ADD(st, atomics, 1);
			if (!(pool->warned & PF_WARN_PARTIAL)) {
				pool->warned |= PF_WARN_PARTIAL;
				PF_LOG(WARNING, "pool %s: no free page left, running on partial pages (%u of %u pages have objects out): long-lived objects pin pages, see objs_pinned",
					pool->name, pool->nb_partial + 1,
					pool->nb_pages);
			}
		}
		rte_spinlock_unlock(&pool->lock);
		return 0;
	}
	rte_spinlock_unlock(&pool->lock);
	return -ENOBUFS;
}

/*
 * Last resort before -ENOBUFS: take objects returned (freemap bits) to
 * pages that other caches hold, so that every object given back through
 * the generic path is available to every thread. Under the pool lock, a
 * holder can neither drop its page nor re-arm it (both take the lock), so
 * its bias keeps the refcount >= 1 (4) and adding to it needs no order;
 * the exchange of a word gives each bit to exactly one taker (2).
 * Returns the number of objects written to objs.
 */
static unsigned int
steal_returned(struct pf_pool *pool, struct pf_stats *st, void **objs,
		unsigned int n)
{
	unsigned int got = 0, atomics = 0;
	struct pf_page *pg;

	rte_spinlock_lock(&pool->lock);
	for (pg = pool->all_head; pg != NULL && got < n; pg = pg->next_all) {
		uint32_t words = (pg->nb_objs + 63) / 64, w;
		uintptr_t obj0 = page_obj0(pool, pg);

		if (pg->state != PF_PAGE_OWNED)
			continue;
		for (w = 0; w < words && got < n; w++) {
			uint64_t m;
			uint32_t k = 0;

			if (__atomic_load_n(&pg->freemap[w], __ATOMIC_RELAXED) == 0)
				continue;
			/* ACQUIRE: see (2) */
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
	rte_spinlock_unlock(&pool->lock);
	if (atomics != 0) {
		PF_STAT_ADD(st, atomics, atomics);
		PF_STAT_ADD(st, reclaims, got);
	}
	return got;
}

/* A put made pg's refcount 0: move it to the free list, see (3), (5). */
static void
page_zero(struct pf_pool *pool, struct pf_page *pg)
{
	rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
	rte_spinlock_lock(&pool->lock);
	if (pg->state == PF_PAGE_PARTIAL &&
			__atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE) == 0) {
		partial_remove(pool, pg);
		page_reset(pool, pg);
		free_push(pool, pg, 0);
	}
	rte_spinlock_unlock(&pool->lock);
}

int
pf_cache_get_slow(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st, void **objs, unsigned int n)
{
	unsigned int got = 0;
	int flushed = 0;

	while (got < n) {
		if (likely(c->nb_ranges != 0)) {
			struct pf_range *r = &c->ranges[c->nb_ranges - 1];
			uint32_t k = RTE_MIN(r->n, n - got);

			pf_carve(objs + got, r->lo, c->elt, k);
			r->lo += (uintptr_t)k * c->elt;
			r->n -= k;
			got += k;
			if (r->n == 0)
				c->nb_ranges--;
			continue;
		}
		if (c->rmask != 0) {
			while (c->rmask != 0 && got < n) {
				uint32_t b = __builtin_ctzll(c->rmask);

				c->rmask &= c->rmask - 1;
				objs[got++] = (void *)(c->obj0 +
					(uintptr_t)(c->rbase + b) * c->elt);
			}
			continue;
		}
		if (c->page != NULL && cache_reclaim(pool, c, st))
			continue;
		if (cache_refill(pool, c, st) != 0) {
			got += steal_returned(pool, st, objs + got, n - got);
			if (got == n)
				break;
			/* other threads' frag caches give their pages back */
			if (!flushed) {
				flushed = 1;
				if (pf_flush_others(pool, c, st) != 0)
					continue;
			}
			/* all or nothing: give back what was taken */
			if (got != 0) {
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
				debug_mark(pool, objs, got, 1);
#endif
				PF_STAT_ADD(st, gets, got);	/* the put counts them */
				pf_put(pool, c, st, objs, got);
			}
			PF_STAT_ADD(st, get_fails, 1);
			if (!(pool->warned & PF_WARN_EMPTY)) {
				pool->warned |= PF_WARN_EMPTY;
				PF_LOG(INFO, "pool %s: get of %u objects answered -ENOBUFS (logged once; see get_fails)",
					pool->name, n);
			}
			return -ENOBUFS;
		}
	}
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	debug_mark(pool, objs, n, 1);
#endif
	PF_STAT_ADD(st, gets, n);
	return 0;
}

/*
 * Take cnt consecutive objects starting at address a back into the cache's
 * ranges: grow a neighbour range, else start a new one. The range that grew
 * is moved on top, so the next get hands these warm objects out again.
 * The caller checked that they lie inside the cache's page.
 * Returns 0 if there is no room.
 */
static int
cache_give(struct pf_cache *c, uintptr_t a, uint32_t cnt)
{
	struct pf_range *r = c->ranges;
	const uintptr_t elt = c->elt, end = a + cnt * elt;
	uint32_t n = c->nb_ranges, i, k, top;
	uintptr_t lo, hi;

	for (i = n; i-- > 0; ) {
		if (r[i].lo == end)
			r[i].lo = a;
		else if (r[i].lo + r[i].n * elt != a)
			continue;
		r[i].n += cnt;
		/* the grown range may now touch another one: merge them */
		lo = r[i].lo;
		hi = lo + r[i].n * elt;
		for (k = 0; k < n; k++) {
			if (k == i || (r[k].lo != hi &&
					r[k].lo + r[k].n * elt != lo))
				continue;
			r[i].lo = RTE_MIN(lo, r[k].lo);
			r[i].n += r[k].n;
			n--;
			r[k].lo = r[n].lo;
			r[k].n = r[n].n;
			if (i == n)
				i = k;
			break;
		}
		c->nb_ranges = n;
		/* move it on top, field by field */
		top = n - 1;
		lo = r[i].lo;
		k = r[i].n;
		r[i].lo = r[top].lo;
		r[i].n = r[top].n;
		r[top].lo = lo;
		r[top].n = k;
		return 1;
	}
	if (n == PF_CACHE_RANGES)
		return 0;
	r[n].lo = a;
	r[n].n = cnt;
	c->nb_ranges = n + 1;
	return 1;
}

/*
 * Index of obj in the page whose object 0 is at obj0, or UINT32_MAX when
 * obj is not the start of one of its nb objects.
 */
static inline uint32_t
obj_index(const struct pf_pool *pool, uintptr_t obj0, uint32_t nb,
		const void *obj)
{
	uintptr_t off = (uintptr_t)obj - obj0;
	uint32_t idx;

	if (unlikely(off >= (uintptr_t)nb * pool->elt_size))
		return UINT32_MAX;
	idx = rte_reciprocal_divide((uint32_t)off, pool->rdiv);
	if (unlikely(idx * pool->elt_size != off))
		return UINT32_MAX;
	return idx;
}

int
pf_cache_give_run(struct pf_pool *pool, struct pf_cache *c, uintptr_t a,
		uint32_t n)
{
	uint32_t idx = obj_index(pool, c->obj0, c->nb, (void *)a);

	if (idx == UINT32_MAX || idx + n > c->nb || !cache_give(c, a, n))
		return -1;
	return 0;
}

static void
put_error(struct pf_pool *pool, const void *obj, const char *why)
{
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	rte_panic("pagefrag pool %s: put of object %p refused: %s (page %p)\n",
		pool->name, obj, why, (void *)pf_page_of(obj, pool->page_mask));
#endif
	PF_LOG(ERR, "pool %s: put of object %p refused: %s (page %p); object skipped",
		pool->name, obj, why, (void *)pf_page_of(obj, pool->page_mask));
}

/*
 * Give n objects of page pg back through its freemap: one RELEASE fetch_or
 * per word, then one RELEASE fetch_sub of the refcount, see (1) and (3).
 * idx[] are their indexes, or NULL when they are the run [first, first+n).
 * Returns the atomics done.
 */
static unsigned int
page_give(struct pf_pool *pool, struct pf_page *pg, const uint32_t *idx,
		uint32_t first, uint32_t n)
{
	unsigned int atomics = 1;
	uint32_t i, cw = UINT32_MAX;
	uint64_t cmask = 0;

	if (idx == NULL) {
		atomics += freemap_set_range(pg, first, first + n);
	} else {
		for (i = 0; i < n; i++) {
			if (idx[i] / 64 != cw) {
				if (cmask != 0) {
					/* RELEASE: see (1) */
					__atomic_fetch_or(&pg->freemap[cw], cmask,
						__ATOMIC_RELEASE);
					atomics++;
				}
				cw = idx[i] / 64;
				cmask = 0;
			}
			cmask |= UINT64_C(1) << (idx[i] % 64);
		}
		if (cmask != 0) {
			/* RELEASE: see (1) */
			__atomic_fetch_or(&pg->freemap[cw], cmask,
				__ATOMIC_RELEASE);
			atomics++;
		}
	}
	/* RELEASE: see (1); reaching 0: see (3) */
	if (__atomic_fetch_sub(&pg->refcnt, n, __ATOMIC_RELEASE) == n)
		page_zero(pool, pg);
	return atomics;
}

/*
 * Length of the run of objects of one page at the start of objs, in
 * address order either way (a mempool cache hands objects out last in,
 * first out, so runs often come back descending). *lo is the run's lowest
 * object.
 */
static unsigned int
run_either_way(void * const *objs, unsigned int n, uintptr_t elt,
		uintptr_t *lo)
{
	unsigned int k;

	k = pf_run_len(objs, n, elt);
	if (k > 1) {
		*lo = (uintptr_t)objs[0];
		return k;
	}
	k = pf_run_len(objs, n, (uintptr_t)0 - elt);
	*lo = (uintptr_t)objs[k - 1];
	return k;
}

int
pf_put_slow(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void * const *objs, unsigned int n)
{
	const uint32_t elt = pool->elt_size;
	struct pf_page *own = c != NULL ? c->page : NULL;
	unsigned int i = 0, errors = 0, atomics = 0, generic = 0;
	uint32_t idx[64];

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	for (i = 0; i < n; i++) {
		struct pf_page *pg = pf_page_of(objs[i], pool->page_mask);

		if (pg->magic == pool->page_magic && obj_index(pool,
				page_obj0(pool, pg), pg->nb_objs,
				objs[i]) != UINT32_MAX)
			debug_mark(pool, &objs[i], 1, 0);
	}
	i = 0;
#endif
	while (i < n) {
		struct pf_page *pg = pf_page_of(objs[i], pool->page_mask);
		uint32_t first, cnt = 0;
		uintptr_t obj0, lo;
		unsigned int j;

		if (unlikely(pg->magic != pool->page_magic)) {
			put_error(pool, objs[i], "not an object of this pool");
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
		obj0 = page_obj0(pool, pg);
		first = j > 1 ? obj_index(pool, obj0, pg->nb_objs, (void *)lo) :
			UINT32_MAX;
		if (first != UINT32_MAX && first + j <= pg->nb_objs) {
			if (pg == own && pf_cache_give_run(pool, c, lo, j) == 0) {
				i += j;
				continue;
			}
			atomics += page_give(pool, pg, NULL, first, j);
			generic += j;
			i += j;
			continue;
		}
		/* else object by object, up to 64 of page pg at a time */
		for (j = i; j < n && cnt < RTE_DIM(idx) &&
				pf_page_of(objs[j], pool->page_mask) == pg; j++) {
			uint32_t x = obj_index(pool, obj0, pg->nb_objs, objs[j]);

			if (unlikely(x == UINT32_MAX)) {
				put_error(pool, objs[j], "not the start of an object");
				errors++;
				continue;
			}
			idx[cnt++] = x;
		}
		if (cnt != 0) {
			atomics += page_give(pool, pg, idx, 0, cnt);
			generic += cnt;
		}
		i = j;
	}
	PF_STAT_ADD(st, puts, n - errors);
	if (generic != 0)
		PF_STAT_ADD(st, puts_generic, generic);
	if (atomics != 0)
		PF_STAT_ADD(st, atomics, atomics);
	if (unlikely(errors != 0)) {
		PF_STAT_ADD(st, put_errors, errors);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return 0;
}

uint64_t
pf_pool_avail(struct pf_pool *pool)
{
	uint64_t out = 0, held = 0;
	const struct pf_cache *c;
	struct pf_page *pg;
	unsigned int i;

	rte_spinlock_lock(&pool->lock);
	for (pg = pool->all_head; pg != NULL; pg = pg->next_all)
		out += __atomic_load_n(&pg->refcnt, __ATOMIC_RELAXED);
	for (c = pool->ring_caches; c != NULL; c = c->next_ring)
		if (c->page != NULL)
			held += pf_cache_held(c) + 1;
	rte_spinlock_unlock(&pool->lock);
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		c = &pool->lcore[i];
		if (c->page != NULL)
			held += pf_cache_held(c) + 1;
	}
	c = &pool->shared;
	if (c->page != NULL)
		held += pf_cache_held(c) + 1;
	/* out - held: objects handed out; transiently off while in use */
	if (out < held)
		return pool->nb_objs;
	return pool->nb_objs - RTE_MIN(out - held, pool->nb_objs);
}
