/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_CACHE_H_
#define _PF_CACHE_H_

/*
 * The pool and its frag caches: the engine of the driver.
 *
 * struct pf_pool is the mempool's pool_data. It lives in DPDK shared memory
 * (rte_malloc), so a secondary process sees the same state; it holds no
 * process-local pointer. It owns the page lists (free, partial, all), the
 * per-lcore frag caches, the shared cache of non-EAL threads, the list of
 * ring-level caches and the statistics.
 *
 * A frag cache holds at most one page. Its free objects on that page are a
 * few ranges of consecutive objects plus a word of objects reclaimed from the
 * freemap; every one of them, plus one extra unit that keeps the page
 * referenced, is a bias reference counted in the page's refcnt. Handing an
 * object out or taking one back in a range costs no atomic.
 *
 * Nothing here knows about struct rte_mempool_ops: pf_ops.c is the glue.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_log.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "pf_page.h"

extern int pf_logtype;
#define PF_LOG(level, fmt, ...)						\
	rte_log(RTE_LOG_ ## level, pf_logtype, "PAGEFRAG: %s(): " fmt "\n",	\
		__func__, ##__VA_ARGS__)

#define PF_POOL_MAGIC UINT64_C(0x70667261706f6f6c) /* "pfrapool" */
#define PF_OPS_NAME "pagefrag"

/* Free ranges a cache keeps on its page before giving up on locality. */
#define PF_CACHE_RANGES 8

#define PF_WARN_PARTIAL 1	/* runs on partial pages */
#define PF_WARN_EMPTY 2		/* answered -ENOBUFS */
#define PF_WARN_DEAD_BUSY 4	/* a process died inside a call */

/* Cache ids (page owner) besides lcore ids. */
#define PF_OWNER_NONE (-1)
#define PF_OWNER_SHARED (-2)
#define PF_OWNER_RING (-3)

/* Free objects of the cache's page: n objects from address lo up. */
struct pf_range {
	uintptr_t lo;
	uint32_t n;
	uint32_t pad;
};

struct pf_cache {
	struct pf_page *page;	/* page held, NULL when none */
	uintptr_t obj0;		/* object pointer of index 0 in that page */
	uintptr_t obj_end;	/* obj0 + nb * elt */
	uint32_t elt;		/* bytes per element (pool->elt_size) */
	uint32_t nb;		/* objects in the page */
	uint32_t nb_ranges;	/* ranges[nb_ranges - 1] is handed out first */
	uint32_t rword;		/* next freemap word to reclaim */
	uint64_t rmask;		/* reclaimed objects not handed out yet */
	uint32_t rbase;		/* object index of bit 0 of rmask */
	int32_t id;		/* lcore id, PF_OWNER_SHARED or PF_OWNER_RING */
	/* owner/flusher protocol, see pf_flush.c */
	uint32_t busy;		/* the owner is inside a call */
	uint32_t flush_req;	/* a flusher wants the cache emptied */
	rte_spinlock_t lock;	/* flusher, and the owner while flush_req */
	/*
	 * Process that owns the cache, 0 when none: claimed by CAS from 0,
	 * given back by a recovery (pf_flush.c). pid_start tells a reused pid
	 * from its first holder.
	 */
	int32_t pid;
	uint64_t pid_start;
	struct pf_range ranges[PF_CACHE_RANGES];
	struct pf_cache *next_ring;	/* pool's ring-level caches, under lock */
	struct pf_cache **prev_ring;
	struct pf_pool *pool;	/* set for ring-level caches */
} __rte_cache_aligned;

/*
 * Counters of one lcore, summed on read. The slot of non-EAL threads is
 * shared by them and updated with atomic adds (shared != 0).
 */
struct pf_stats {
	uint64_t shared;
	uint64_t gets;
	uint64_t puts;
	uint64_t get_fails;
	uint64_t put_errors;
	uint64_t page_refills;
	uint64_t page_reuses;
	uint64_t partial_reuses;
	uint64_t puts_generic;	/* put through freemaps; the rest rewound */
	uint64_t reclaims;
	uint64_t drains;
	uint64_t drain_refs;
	uint64_t atomics;
	uint64_t cache_flushes;
	uint64_t lcore_collisions;
	uint64_t caches_recovered;
	/* in-flight view (pf_inflight.c): kept across stats_reset */
	int64_t out_base;	/* gets - puts before the last reset */
	uint64_t taken;		/* debug: objects out this lcore took, atomic */
} __rte_cache_aligned;

/* The layout of a page of 2^shift bytes for one element size. */
struct pf_geom {
	uint32_t shift;		/* page size 2^shift */
	uint32_t data_off;	/* first element's offset in a page */
	uint32_t objs_per_page;	/* in a full page */
	uint32_t nb_words;	/* freemap words per page */
};

struct pf_pool {
	uint64_t magic;		/* PF_POOL_MAGIC */
	uint64_t page_magic;	/* PF_PAGE_MAGIC ^ (uintptr_t)this */
	char ops_name[RTE_MEMPOOL_OPS_NAMESIZE];
	char name[RTE_MEMPOOL_NAMESIZE];	/* the mempool's, for logs */
	/* geometry: elements fixed at alloc, pages before the first page */
	uint32_t elt_size;	/* mp header + elt + trailer */
	uint32_t hdr_size;	/* mp->header_size */
	struct pf_geom geom;	/* page size and layout */
	uintptr_t page_mask;	/* ~(page size - 1) */
	uint32_t hint_shift;	/* from calc_mem_size: largest page populate
				 * may rely on; 0 when not called */
	struct rte_reciprocal rdiv;	/* divides by elt_size */
	int socket_id;

	rte_spinlock_t lock;	/* lists, page states, ring-cache list */
	uint32_t nb_pages;
	uint32_t nb_free;
	uint32_t nb_partial;
	uint64_t nb_objs;
	struct pf_page *all_head;
	struct pf_page *all_tail;
	struct pf_page *free_head;	/* recycled pages first: the warmest */
	struct pf_page *free_tail;	/* new pages last: address order */
	struct pf_page *partial_head;	/* FIFO: the oldest partial first */
	struct pf_page *partial_tail;
	struct pf_cache *ring_caches;
	uint32_t warned;	/* PF_WARN_* logged once per pool */
	/* gets that failed in rte_mempool_free(), see pf_inflight.c */
	uint64_t free_fails;
	uint64_t fail_full_puts;
	uint32_t fail_full;

	rte_spinlock_t shared_lock __rte_cache_aligned;
	struct pf_cache shared;	/* non-EAL threads, under shared_lock */
	struct pf_cache lcore[RTE_MAX_LCORE];
	/* [RTE_MAX_LCORE] collects non-EAL threads, with atomic adds */
	struct pf_stats stats[RTE_MAX_LCORE + 1];
};

#ifdef RTE_MEMPOOL_PAGEFRAG_NO_STATS
#define PF_STAT_ADD(st, field, n) do { RTE_SET_USED(st); } while (0)
#define PF_STAT_ADD_LCORE(st, field, n) do { RTE_SET_USED(st); } while (0)
#else
/* The slot of an EAL lcore: only its thread writes it. */
#define PF_STAT_ADD_LCORE(st, field, n) ((st)->field += (n))
/* RELAXED: counters order nothing; shared only by non-EAL threads. */
#define PF_STAT_ADD(st, field, n) do {					\
	if (likely(!(st)->shared))					\
		(st)->field += (n);					\
	else								\
		__atomic_fetch_add(&(st)->field, (n), __ATOMIC_RELAXED);	\
} while (0)
#endif

/*
 * Layout of a page of 2^shift bytes holding elements of elt_size bytes
 * (mempool header and trailer included): 0, or -EINVAL when not even one
 * element fits.
 */
int pf_geometry(uint32_t elt_size, uint32_t shift, struct pf_geom *g);

/* Smallest page shift whose page holds one element, or -EINVAL. */
int pf_min_shift(uint32_t elt_size);

/* Largest element (header and trailer included) a 2 MB page can hold. */
uint32_t pf_max_elt_size(void);

/*
 * Objects that pages of 2^shift bytes laid out in [start, end) hold, at
 * most max.
 */
uint64_t pf_chunk_objs(const struct pf_geom *g, uint32_t elt_size,
		uintptr_t start, uintptr_t end, uint64_t max);

/*
 * Before the pool's first page: choose its page size for the first memory
 * chunk populate gets, [start, end). Later chunks use the same size.
 */
void pf_pool_choose_shift(struct pf_pool *pool, uintptr_t start,
		uintptr_t end, uint32_t max_objs);

/* The pagefrag private data of mp, or NULL if mp is not a pagefrag pool. */
struct pf_pool *pf_pool_of(const struct rte_mempool *mp);

int pf_pool_init(struct pf_pool *pool, const struct rte_mempool *mp);

/* Set up the header of a new page holding nb objects; add it to the pool. */
void pf_page_init(struct pf_pool *pool, struct pf_page *page, uint32_t nb);

/* Put a new page (no object out, no holder) at the end of the free list. */
void pf_page_free(struct pf_pool *pool, struct pf_page *page);

void pf_cache_init(struct pf_cache *c, int32_t id);

int pf_cache_get_slow(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st, void **objs, unsigned int n);
int pf_put_slow(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void * const *objs, unsigned int n);

/*
 * Take n consecutive objects at address a, inside the cache's page, back
 * into its ranges. 0, or -1 when a is not the start of an object or the
 * ranges are full.
 */
int pf_cache_give_run(struct pf_pool *pool, struct pf_cache *c, uintptr_t a,
		uint32_t n);

/* Is address a, inside the cache's page, the start of an object? */
static inline int
pf_cache_obj_start(const struct pf_pool *pool, const struct pf_cache *c,
		uintptr_t a)
{
	uint32_t off = (uint32_t)(a - c->obj0);

	return rte_reciprocal_divide(off, pool->rdiv) * c->elt == off;
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
 * Get n objects, all or nothing: 0 or -ENOBUFS. Fast path: the top range
 * of the cache has them.
 */
static inline int
pf_cache_get(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void **objs, unsigned int n)
{
#ifndef RTE_MEMPOOL_PAGEFRAG_DEBUG
	if (likely(c->nb_ranges != 0)) {
		struct pf_range *r = &c->ranges[c->nb_ranges - 1];

		if (likely(r->n >= n)) {
			pf_carve(objs, r->lo, c->elt, n);
			r->lo += (uintptr_t)n * c->elt;
			r->n -= n;
			if (r->n == 0)
				c->nb_ranges--;
			PF_STAT_ADD(st, gets, n);
			return 0;
		}
	}
#endif
	return pf_cache_get_slow(pool, c, st, objs, n);
}

/*
 * Give objects back. c is the caller's cache (NULL for none). Fast path:
 * the objects are consecutive and extend the cache's top range (the carve
 * is rewound): no atomic, no division. Otherwise runs on the cache's page
 * go back into its ranges, others to their pages' freemaps. Returns 0, or
 * -EINVAL if some objects were foreign (skipped and logged).
 */
static inline int
pf_put(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void * const *objs, unsigned int n)
{
#ifndef RTE_MEMPOOL_PAGEFRAG_DEBUG
	const uintptr_t a = (uintptr_t)objs[0];

	/*
	 * A run of consecutive objects inside the cache's page (obj0 and
	 * obj_end are 0 when it holds none).
	 */
	if (likely(c != NULL && n != 0 && a - c->obj0 < c->obj_end - c->obj0 &&
			c->obj_end - a >= (uintptr_t)n * c->elt &&
			pf_run_len(objs, n, c->elt) == n)) {
		const uintptr_t len = (uintptr_t)n * c->elt;
		struct pf_range *r = c->nb_ranges != 0 ?
			&c->ranges[c->nb_ranges - 1] : NULL;

		/* right below the top range, or right above it: rewind */
		if (r != NULL && (a + len == r->lo ||
				a == r->lo + (uintptr_t)r->n * c->elt)) {
			if (a < r->lo)
				r->lo = a;
			r->n += n;
			/* merging with another range is left to cache_give() */
		} else if (pf_cache_give_run(pool, c, a, n) != 0) {
			return pf_put_slow(pool, c, st, objs, n);
		}
		PF_STAT_ADD(st, puts, n);	/* rewinds: puts - puts_generic */
		return 0;
	}
#endif
	return pf_put_slow(pool, c, st, objs, n);
}

/* Release the cache's page and every bias it holds; returns that bias. */
unsigned int pf_cache_drop(struct pf_pool *pool, struct pf_cache *c,
		struct pf_stats *st);

/* Objects held by a cache on its page, free (its bias minus one). */
uint32_t pf_cache_held(const struct pf_cache *c);

/* Objects in the driver: populated minus handed out. */
uint64_t pf_pool_avail(struct pf_pool *pool);

/*
 * Owner side of the flush protocol (pf_flush.c): bracket every use of a
 * frag cache by its owner thread. pf_owner_begin() is two plain memory
 * accesses; when it returns 0 a flusher is at work and the caller must use
 * the cache under c->lock instead (pf_owner_enter() does that for slow
 * paths).
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
	*(volatile uint32_t *)&c->busy = 1;
	return __atomic_load_n((volatile uint32_t *)&c->flush_req,
		__ATOMIC_ACQUIRE) == 0;
}

static inline void
pf_owner_end(struct pf_cache *c)
{
	/* RELEASE: the cache state is visible before "not busy" */
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
}

/* pf_owner_begin() returned 0: let the flusher work, wait on c->lock. */
static inline void
pf_owner_wait(struct pf_cache *c)
{
	/* RELEASE: the cache state we left is visible to the flusher */
	__atomic_store_n(&c->busy, 0, __ATOMIC_RELEASE);
	rte_spinlock_lock(&c->lock);
}

/* Slow-path bracket: returns 1 when c->lock was taken, for pf_owner_exit. */
static inline int
pf_owner_enter(struct pf_cache *c)
{
	if (likely(pf_owner_begin(c)))
		return 0;
	pf_owner_wait(c);
	return 1;
}

static inline void
pf_owner_exit(struct pf_cache *c, int locked)
{
	if (unlikely(locked))
		rte_spinlock_unlock(&c->lock);
	else
		pf_owner_end(c);
}

/*
 * Empty the frag caches of other threads of this process that hold free
 * objects, and those whose owner process is gone, so that their page goes
 * back to the lists. Returns the number of caches emptied.
 */
unsigned int pf_flush_others(struct pf_pool *pool, struct pf_cache *self,
		struct pf_stats *st);

/*
 * Empty every cache of the pool whose owner process is gone (lcore and
 * ring-level caches). Returns the number of caches recovered.
 */
unsigned int pf_recover_dead(struct pf_pool *pool, struct pf_stats *st);

/* Once per process: enable pf_flush_others(), watch lcore releases. */
void pf_flush_init(void);

/* This process's id, as recorded in the caches it owns. */
extern int32_t pf_self_pid __attribute__((visibility("hidden")));

/*
 * c, an lcore's frag cache, is not owned by this process: claim it.
 * 0 when the caller may use it from now on; -EBUSY when another live
 * process owns it (the caller falls back to a path that is safe across
 * processes).
 */
int pf_cache_claim(struct pf_pool *pool, struct pf_cache *c,
		unsigned int lcore_id);

/* A ring-level cache created by this process: record its owner. */
void pf_cache_own(struct pf_cache *c);

/* Register the telemetry commands (once, with the ops). */
void pf_telemetry_register(void);

/* The counters of the thread whose lcore id is lcore_id. */
static inline struct pf_stats *
pf_stats_of(struct pf_pool *pool, unsigned int lcore_id)
{
	return &pool->stats[lcore_id < RTE_MAX_LCORE ? lcore_id : RTE_MAX_LCORE];
}

/*
 * The frag cache of the thread whose lcore id is lcore_id and, for
 * non-EAL threads (shared cache), the lock to hold while using it.
 */
static inline struct pf_cache *
pf_cache_of(struct pf_pool *pool, unsigned int lcore_id, rte_spinlock_t **lock)
{
	if (likely(lcore_id < RTE_MAX_LCORE)) {
		*lock = NULL;
		return &pool->lcore[lcore_id];
	}
	*lock = &pool->shared_lock;
	return &pool->shared;
}

#endif /* _PF_CACHE_H_ */
