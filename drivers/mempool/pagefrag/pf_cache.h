/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_CACHE_H_
#define _PF_CACHE_H_

/*
 * The frag caches: the engine of the driver.
 *
 * A frag cache holds at most one page. Its free objects on that page are a
 * few ranges of consecutive objects plus a word of objects reclaimed from the
 * freemap; every one of them, plus one extra unit that keeps the page
 * referenced, is a bias reference counted in the page's refcnt. Handing an
 * object out or taking one back in a range costs no atomic. Besides, it
 * recycles objects of any page (PF_RECYCLE in pf_state.h).
 *
 * One verb per way objects go back, in code, stats and docs:
 *
 *   put      the pool's user gives objects back (mempool enqueue, pf_put())
 *   rewind   a run goes back into its cache's ranges: no atomic
 *            (pf_cache_rewind_top(), pf_cache_rewind_run() in pf_hold.c;
 *            stat "rewinds")
 *   recycle  an object of any page goes onto a cache's stack (direct
 *            recycling: no atomic; pf_cache_recycle())
 *   return   objects go back to their page, freemap and refcount
 *            (pf_page_return(), put_group_return(); "returned" objects)
 *   drop     a cache lets go of its page and the bias it holds
 *            (pf_cache_drop() in pf_hold.c, fcache_drop())
 *   empty    drop, and return the recycled objects (pf_cache_empty())
 *   flush    empty another thread's cache, or this thread's on demand
 *            (pf_flush_others(), rte_mempool_pagefrag_cache_flush())
 *   drain    the public calls of ring-level and fragment caches, as
 *            Linux's __page_frag_cache_drain (rcache_drain, cache_drain)
 *   recover  empty the caches of a process that is gone (pf_recover_all())
 *   forget   the memory went: drop nothing, just clear (pf_cache_forget())
 *
 * This header has the get and put of a cache (fast paths inline) and the
 * owner's bracket around every use of a cache (the other half of the
 * protocol is in pf_flush.c). Nothing here implements the mempool ops
 * (pf_ops.c), the pool as a whole (pf_pool.c), processes (pf_proc.c) or
 * emptying other threads' caches (pf_flush.c).
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "pf_state.h"
#include "pf_hold.h"
#include "pf_page.h"

int pf_cache_get_slow(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st, void **objs, unsigned int n);
int pf_put_slow(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st,
		void * const *objs, unsigned int n);

/* Is address a, inside the cache's page, the start of an object? */
static __rte_always_inline int
pf_cache_obj_start(const struct pf_pool *pool, const struct pf_carve *cv,
		uintptr_t a)
{
	return pf_is_multiple(&pool->mult, (uint32_t)(a - cv->obj0));
}

/* Is obj the start of an object of the pool? No division. */
static inline int
pf_obj_of_pool(const struct pf_pool *pool, const void *obj)
{
	const struct pf_page *p = pf_page_of(obj, pool->page_mask);
	uintptr_t off = (uintptr_t)obj - pf_page_obj0(pool, p);

	return p->magic == pool->page_magic &&
		off < (uintptr_t)p->nb_objs * pool->elt_size &&
		pf_is_multiple(&pool->mult, (uint32_t)off);
}

/*
 * Is every one of objs[0..n) the start of an object of the pool?
 * pf_obj_of_pool() for each: the fallback of pf_objs_in_pool().
 */
int pf_objs_of_pool(const struct pf_pool *pool, void * const *objs,
		unsigned int n);

/*
 * The fast paths carve and check runs of object pointers with loops the
 * compiler vectorizes: build them for AVX2 too, chosen at load time.
 */
#if defined(RTE_ARCH_X86_64)
#define PF_FAST_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define PF_FAST_CLONES
#endif

/*
 * Is every one of objs[0..n) inside the objects of one of two pages (the
 * objects of page i start at base_i and span span_i bytes; base0 == base1
 * for one page) at a multiple of the object size? One branch-free pass
 * the compiler vectorizes.
 */
static __rte_always_inline int
pf_objs_on_pages(const struct pf_multiple *m, void * const *objs,
		unsigned int n, uintptr_t base0, uintptr_t span0,
		uintptr_t base1, uintptr_t span1)
{
	const uint32_t inv = m->inv, lim = m->lim;
	const uint32_t sr = m->shift, sl = (32 - sr) & 31;
	uint32_t bad = 0;
	unsigned int i;

	if (base0 == base1) {
		for (i = 0; i < n; i++) {
			uintptr_t off = (uintptr_t)objs[i] - base0;
			uint32_t x = (uint32_t)off * inv;

			/* x rotated right by shift is <= lim: see pf_is_multiple */
			bad |= (off >= span0) |
				(((x >> sr) | (x << sl)) > lim);
		}
		return bad == 0;
	}
	for (i = 0; i < n; i++) {
		uintptr_t a = (uintptr_t)objs[i];
		uintptr_t o0 = a - base0, o1 = a - base1;
		uint32_t in0 = o0 < span0;
		uint32_t x = (uint32_t)(in0 ? o0 : o1) * inv;

		bad |= (!in0 & (o1 >= span1)) |
			(((x >> sr) | (x << sl)) > lim);
	}
	return bad == 0;
}

/* pf_objs_on_pages() for longer puts, built for AVX2 too (pf_cache.c). */
int pf_objs_on_pages_vec(const struct pf_multiple *m, void * const *objs,
		unsigned int n, uintptr_t base0, uintptr_t span0,
		uintptr_t base1, uintptr_t span1);

/*
 * objs[0..n) are k runs interleaved (k queues' bursts mixed in one free):
 * objs[i] = objs[i - k] + step for every i >= k. The compiler vectorizes
 * it.
 */
static inline int
pf_strided_run(void * const *objs, unsigned int n, unsigned int k,
		uintptr_t step)
{
	uintptr_t bad = 0;
	unsigned int i;

	for (i = k; i < n; i++)
		bad |= (uintptr_t)objs[i] - (uintptr_t)objs[i - k] - step;
	return bad == 0;
}

/* From this many objects on, the pass of pf_objs_in_pool() is a call. */
#define PF_CHECK_VEC 16

/*
 * The same check, as the recycling of objects needs it: it is the whole
 * cost of recycling an object. One run, or two runs interleaved, either
 * way, is checked at its ends: each run's first and last objects are
 * objects of one page, and every object between them is one too. Other
 * puts take one branch-free pass when all objects are on the pages of the
 * first and the last one (two queues' mbufs mixed), else
 * pf_objs_of_pool().
 */
static inline int
pf_objs_in_pool(const struct pf_pool *pool, void * const *objs,
		unsigned int n)
{
	const uintptr_t mask = pool->page_mask, elt = pool->elt_size;
	const uintptr_t first = pool->geom.data_off + pool->hdr_size;
	const struct pf_page *p, *q;
	uintptr_t base0, base1, span0, span1;
	unsigned int i, k;

	if (n == 1)
		return pf_obj_of_pool(pool, objs[0]);
	for (k = 1; k <= 2 && n >= 2 * k; k++) {
		uintptr_t step = (uintptr_t)objs[k] - (uintptr_t)objs[0];

		if ((step != elt && step != 0 - elt) ||
				!pf_strided_run(objs, n, k, step))
			continue;
		for (i = 0; i < k; i++) {
			/* the last object of run i */
			unsigned int t = i + (n - 1 - i) / k * k;

			if ((((uintptr_t)objs[i] ^ (uintptr_t)objs[t]) & mask) ||
					!pf_obj_of_pool(pool, objs[i]) ||
					!pf_obj_of_pool(pool, objs[t]))
				return 0;
		}
		return 1;
	}
	/* the pages of the first and the last object, checked once */
	p = pf_page_of(objs[0], mask);
	q = pf_page_of(objs[n - 1], mask);
	if (unlikely(p->magic != pool->page_magic ||
			q->magic != pool->page_magic))
		return 0;
	base0 = (uintptr_t)p + first;
	base1 = (uintptr_t)q + first;
	span0 = (uintptr_t)p->nb_objs * elt;
	span1 = (uintptr_t)q->nb_objs * elt;
	if (likely(n < PF_CHECK_VEC ?
			pf_objs_on_pages(&pool->mult, objs, n, base0, span0,
				base1, span1) :
			pf_objs_on_pages_vec(&pool->mult, objs, n, base0,
				span0, base1, span1)))
		return 1;
	return pf_objs_of_pool(pool, objs, n);
}

/*
 * Keep objs[0..n), objects of the pool, on the cache's recycle stack when
 * there is room: 0, or -1 (nothing kept).
 */
static inline int
pf_cache_recycle(const struct pf_pool *pool, struct pf_carve *cv,
		void * const *objs, unsigned int n)
{
	void **dst = cv->recycled + cv->nb_recycled;
	unsigned int i;

	if (cv->nb_recycled + n > PF_RECYCLE || !pf_objs_in_pool(pool, objs, n))
		return -1;
	/* a loop: most puts are short (one mbuf at a time, a burst) */
	for (i = 0; i < n; i++)
		dst[i] = objs[i];
	cv->nb_recycled += n;
	return 0;
}

/* objs[i] = base + i * elt: the carve, which the compiler vectorizes. */
static inline void
pf_carve(void **objs, uintptr_t base, uintptr_t elt, uint32_t n)
{
	uint32_t i;

	/* an induction variable: vectorized as one add per vector */
	for (i = 0; i < n; i++) {
		objs[i] = (void *)base;
		base += elt;
	}
}

/*
 * Length of the run of consecutive objects (each elt bytes after the
 * previous one) at the start of objs. The common case, the whole array, is
 * checked with a loop the compiler vectorizes.
 */
static inline unsigned int
pf_run_len(void * const *objs, unsigned int n, uintptr_t elt)
{
	uintptr_t bad = 0;
	unsigned int j;

	for (j = 1; j < n; j++)
		bad |= (uintptr_t)objs[j] - (uintptr_t)objs[j - 1] - elt;
	if (likely(bad == 0))
		return n;
	for (j = 1; j < n && (uintptr_t)objs[j] - (uintptr_t)objs[j - 1] == elt;
			j++)
		;
	return j;
}

/*
 * Hand out the n objects the cache recycled last, in the order they came
 * back: a run that came back is handed out as a run again (and can come
 * back as one).
 */
static inline void
pf_recycled_pop(struct pf_carve *cv, void **objs, unsigned int n)
{
	unsigned int i, top = cv->nb_recycled - n;
	void * const *src = cv->recycled + top;

	/* a loop, not memcpy(): the fast paths stay calls-free leaves */
	for (i = 0; i < n; i++)
		objs[i] = src[i];
	cv->nb_recycled = top;
	cv->popped = 1;
}

/*
 * Debug hooks of the paths that hand objects out and take them back, the
 * fast ones included: a debug build runs the paths a release build runs
 * and checks each object's state on the way (pf_debug_mark(): an object
 * handed out twice or put twice panics, naming it). Nothing in release
 * builds.
 */
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
/* Mark the objects of the pool among objs[n] back in (foreign ones skipped). */
void pf_debug_put(struct pf_pool *pool, void * const *objs, unsigned int n);
#define PF_DEBUG_GOT(pool, objs, n) pf_debug_mark(pool, objs, n, 1)
#define PF_DEBUG_PUT(pool, objs, n) pf_debug_put(pool, objs, n)
#else
#define PF_DEBUG_GOT(pool, objs, n) do { } while (0)
#define PF_DEBUG_PUT(pool, objs, n) do { } while (0)
#endif

/* Is address a inside the cache's page (obj0 and obj_end are 0 without one)? */
static __rte_always_inline int
pf_cache_holds(const struct pf_carve *cv, uintptr_t a)
{
	return a - cv->obj0 < cv->obj_end - cv->obj0;
}

/*
 * Are objs[0..n) consecutive objects inside the cache's page, the one test
 * every put runs before giving a run back to the cache's ranges? (Whether
 * objs[0] starts an object is the caller's: a run next to a range does.)
 */
static __rte_always_inline int
pf_cache_holds_run(const struct pf_carve *cv, void * const *objs,
		unsigned int n)
{
	const uintptr_t a = (uintptr_t)objs[0];

	return pf_cache_holds(cv, a) &&
		cv->obj_end - a >= (uintptr_t)n * cv->elt &&
		pf_run_len(objs, n, cv->elt) == n;
}

/* Carve n objects off the bottom of range r of the cache (r->n >= n). */
static __rte_always_inline void
pf_range_carve(struct pf_carve *cv, struct pf_range *r, void **objs,
		unsigned int n)
{
	pf_carve(objs, r->lo, cv->elt, n);
	r->lo += (uintptr_t)n * cv->elt;
	r->n -= n;
	if (r->n == 0)
		cv->nb_ranges--;
}

/*
 * The fast get, the one copy the ops' leaf functions and the engine run:
 * n objects off the recycle stack when it holds any, else off the top
 * range. 0, or -1 when that part holds fewer than n (the caller's slow
 * path then takes them from wherever they are). past_short (a constant
 * at each call) is what a stack of fewer than n does: 1, the range serves
 * and the stack waits (the engine's get: a ring-level cache's alloc
 * would otherwise take the slow path whenever a few frees wait); 0, -1
 * (the ops' leaf functions leave it to the whole path, which serves it
 * the same way: a branch less in the leaf).
 */
static __rte_always_inline int
pf_cache_take(struct pf_carve *cv, void **objs, unsigned int n,
		const int past_short)
{
	struct pf_range *r;

	if (unlikely(cv->nb_recycled != 0)) {
		if (cv->nb_recycled >= n) {
			pf_recycled_pop(cv, objs, n);
			return 0;
		}
		if (!past_short)
			return -1;
	}
	if (unlikely(cv->nb_ranges == 0))
		return -1;
	r = &cv->ranges[cv->nb_ranges - 1];
	if (unlikely(r->n < n))
		return -1;
	pf_range_carve(cv, r, objs, n);
	return 0;
}

/*
 * The fast put, the one copy the ops' leaf functions and the engine run:
 * n >= 1 consecutive objects right below the top range (the carve
 * rewinds) or right above it inside the cache's page extend it. 0, or -1
 * for any other put (the caller's slow path).
 */
static __rte_always_inline int
pf_cache_rewind_top(struct pf_carve *cv, void * const *objs, unsigned int n)
{
	const uintptr_t a = (uintptr_t)objs[0], len = (uintptr_t)n * cv->elt;
	struct pf_range *r;
	uintptr_t lo;

	if (unlikely(cv->nb_ranges == 0))
		return -1;
	r = &cv->ranges[cv->nb_ranges - 1];
	if (a + len == r->lo && a >= cv->obj0)
		lo = a;
	else if (a == r->lo + (uintptr_t)r->n * cv->elt &&
			cv->obj_end - a >= len)
		lo = r->lo;
	else
		return -1;
	if (unlikely(pf_run_len(objs, n, cv->elt) != n))
		return -1;
	r->lo = lo;
	r->n += n;
	return 0;
}

/*
 * Get n objects, all or nothing: 0 or -ENOBUFS. Fast path: pf_cache_take().
 */
static inline int
pf_cache_get(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void **objs, unsigned int n)
{
	if (likely(n != 0 && pf_cache_take(&c->carve, objs, n, 1) == 0)) {
		PF_DEBUG_GOT(pool, objs, n);
		PF_STAT_ADD(st, gets, n);
		return 0;
	}
	return pf_cache_get_slow(pool, c, st, objs, n);
}

/*
 * Give objects back. cv is the carve state of the caller's cache (NULL
 * for none). Fast path: pf_cache_rewind_top(), no atomic, no division.
 * Otherwise (pf_put_slow()) a run on the cache's page goes back into its
 * ranges, other objects of the pool onto its recycle stack, whatever their
 * page; without a cache, to their pages' freemaps. Returns 0, or -EINVAL
 * if some objects were foreign (skipped and logged).
 */
static inline int
pf_put(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st,
		void * const *objs, unsigned int n)
{
	if (likely(cv != NULL && n != 0 &&
			pf_cache_rewind_top(cv, objs, n) == 0)) {
		PF_DEBUG_PUT(pool, objs, n);
		PF_STAT_ADD(st, puts, n);	/* rewinds: puts - puts_generic */
		return 0;
	}
	return pf_put_slow(pool, cv, st, objs, n);
}

/*
 * Empty the cache: drop its page, and return its recycled objects to
 * their pages. Returns the page references released.
 */
unsigned int pf_cache_empty(struct pf_pool *pool, struct pf_carve *cv,
		struct pf_stats *st);

/*
 * Page references a cache holds: one per free object it holds, and the
 * extra unit on its page.
 */
static inline uint32_t
pf_cache_refs(const struct pf_carve *cv)
{
	return pf_cache_held(cv) + (cv->page != NULL);
}


/*
 * Owner side of the flush protocol (pf_flush.c): bracket every use of a
 * frag cache by its owner thread. pf_owner_begin() is two plain memory
 * accesses; when it returns 0 a flusher is at work and the caller must use
 * the cache under c->owner.lock instead (pf_owner_wait() in pf_proc.h, which
 * also copes with a flusher of another process that dies holding it).
 */
static inline int
pf_owner_begin(struct pf_cache *c)
{
	/*
	 * Volatile store then volatile load: the compiler keeps their order.
	 * No CPU fence: a flusher's membarrier() orders this store before the
	 * load below, on this thread's CPU, whenever they overlap. ACQUIRE:
	 * the cache is read after the load, and a finished flush's changes to
	 * it are visible.
	 */
	*(volatile uint32_t *)&c->owner.busy = 1;
	return __atomic_load_n((volatile uint32_t *)&c->owner.flush_req,
		__ATOMIC_ACQUIRE) == 0;
}

static inline void
pf_owner_end(struct pf_cache *c)
{
	/* RELEASE: the cache state is visible before "not busy" */
	__atomic_store_n(&c->owner.busy, 0, __ATOMIC_RELEASE);
}

#endif /* _PF_CACHE_H_ */
