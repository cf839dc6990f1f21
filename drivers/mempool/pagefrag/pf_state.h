/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_STATE_H_
#define _PF_STATE_H_

/*
 * The driver's shared state: struct pf_pool, the mempool's pool_data, and
 * the structs it holds (frag caches, counters, geometry), with the small
 * helpers every layer uses to find its way in them. Types only: the code
 * that changes them is in pf_page.c (pages), pf_hold.c and pf_cache.c
 * (caches), pf_pool.c (the pool as a whole) and the files above.
 *
 * struct pf_pool lives in DPDK shared memory (rte_malloc), so a secondary
 * process sees the same state; it holds no process-local pointer. It owns
 * the page lists (free, partial, all), the per-lcore frag caches, the
 * shared cache of non-EAL threads, the list of ring-level caches and the
 * statistics.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_reciprocal.h>
#include <rte_spinlock.h>

#include "rte_mempool_pagefrag.h"
#include "pf_live.h"
#include "pf_log.h"

struct pf_page;
struct rte_mempool_pagefrag_rcache;

#define PF_POOL_MAGIC UINT64_C(0x70667261706f6f6c) /* "pfrapool" */
/* the driver's name: the public RTE_MEMPOOL_PAGEFRAG_OPS_NAME */
#define PF_OPS_NAME RTE_MEMPOOL_PAGEFRAG_OPS_NAME

/* Free ranges a cache keeps on its page before giving up on locality. */
#define PF_CACHE_RANGES 8

/*
 * Objects a cache keeps, last in first out, when they come back as
 * anything but a run next to its ranges: objects of any page of the pool
 * (direct recycling, as page_pool's per-NAPI cache). The next gets of the
 * cache, and the ring-level caches served on its lcore, hand them out
 * again, warm, with no atomic. Each keeps the reference its page counts
 * for it while it is out (it is not part of the cache's bias): a page
 * change leaves them in place, and they go back to their pages only when
 * the stack overflows or the cache is emptied.
 */
#define PF_RECYCLE 128

#define PF_LOGGED_PARTIAL 1	/* runs on partial pages */
#define PF_LOGGED_EMPTY 2		/* answered -ENOBUFS */

/* flush_req of a cache: what its flusher is doing (pf_flush.c). */
#define PF_FLUSH_ASKED 1	/* waiting for the owner: cache untouched */
#define PF_FLUSH_DROPPING 2	/* emptying it: not to be trusted if it dies */

/* Cache ids (page owner) besides lcore ids. */
#define PF_OWNER_NONE (-1)
#define PF_OWNER_SHARED (-2)
#define PF_OWNER_RING (-3)

/* Objects per freemap word. */
#define PF_WORD_BITS 64

/* Freemap words for n objects. */
static inline uint32_t
pf_words(uint32_t n)
{
	return (n + PF_WORD_BITS - 1) / PF_WORD_BITS;
}

/* Free objects of the cache's page: n objects from address lo up. */
struct pf_range {
	uintptr_t lo;
	uint32_t n;
	uint32_t pad;
};

/*
 * The owner part of a frag cache: who may use it and the owner/flusher
 * protocol around every use (pf_owner_begin/end in pf_cache.h, pf_flush.c)
 * and process ownership (pf_proc.c). The engine (pf_hold.c, pf_cache.c)
 * never reads it, but for id, the owner it gives the pages it takes.
 */
struct pf_owner {
	/*
	 * Process instance that owns the cache (its token, pf_proc.c), 0 when
	 * none: claimed by CAS from 0, given back by a recovery; pid for logs
	 * only.
	 */
	uint64_t token;
	/* owner/flusher protocol, see pf_flush.c */
	uint32_t busy;		/* the owner is inside a call */
	uint32_t flush_req;	/* PF_FLUSH_*: a flusher is at work */
	uint64_t flusher;	/* token of the flusher holding lock, or 0 */
	int32_t id;		/* lcore id, PF_OWNER_SHARED or PF_OWNER_RING */
	rte_spinlock_t lock;	/* flusher, and the owner while flush_req */
	int32_t pid;
};

/*
 * The carve state of a frag cache: its page, the free objects it holds
 * there, its recycle stack. What the engine works on; the owner's bracket
 * (or a lock) keeps other threads out while it does.
 */
struct pf_carve {
	/* the fast paths' fields first: obj0 to nb_recycled, then the ranges */
	uintptr_t obj0;		/* object pointer of index 0 in that page */
	uintptr_t obj_end;	/* obj0 + nb * elt */
	uint32_t elt;		/* bytes per element (pool->elt_size) */
	uint32_t nb_ranges;	/* ranges[nb_ranges - 1] is handed out first */
	uint32_t nb_recycled;	/* recycled[nb_recycled - 1] is handed out first */
	uint32_t nb;		/* objects in the page */
	/*
	 * Recycled objects of any page (see PF_RECYCLE), handed out before
	 * the ranges: PF_RECYCLE slots beside the cache's owner structure
	 * (the pool's, the ring cache's), in shared memory at one address in
	 * every process.
	 */
	void **recycled;
	struct pf_range ranges[PF_CACHE_RANGES];
	struct pf_page *page;	/* page held, NULL when none */
	uint64_t rmask;		/* reclaimed objects not handed out yet */
	uint32_t rbase;		/* object index of bit 0 of rmask */
	uint32_t rword;		/* next freemap word to reclaim */
	uint32_t popped;	/* recycled objects handed out since the
				 * recycle stack last overflowed */
};

/*
 * A frag cache: its owner part, then its carve state. The fast paths
 * (pf_ops.c, pf_cache.h) read the owner's token, busy and flush_req, the
 * carve's obj0 to nb_recycled, recycled and the top range: the first two
 * cache lines when the top range is one of the first three (checked
 * below).
 */
struct pf_cache {
	struct pf_owner owner;
	struct pf_carve carve;
} __rte_cache_aligned;

/* Line of 64 bytes (the smallest cache line) of a field of struct pf_cache. */
#define PF_CACHE_LINE_OF(f) \
	(offsetof(struct pf_cache, f) / RTE_CACHE_LINE_MIN_SIZE)
#define PF_CACHE_LINE_END(f) \
	((offsetof(struct pf_cache, f) + \
	sizeof(((struct pf_cache *)0)->f) - 1) / RTE_CACHE_LINE_MIN_SIZE)

/* The owner's bracket and the carve's scalars: the first line. */
_Static_assert(PF_CACHE_LINE_END(owner.flush_req) == 0 &&
	PF_CACHE_LINE_OF(owner.token) == 0 &&
	PF_CACHE_LINE_OF(carve.obj0) == 0 &&
	PF_CACHE_LINE_END(carve.nb_ranges) == 0,
	"pf_cache: the fast paths' owner and carve fields leave line 0");
/* The recycle stack and the first three ranges: the second. */
_Static_assert(PF_CACHE_LINE_OF(carve.nb_recycled) == 1 &&
	PF_CACHE_LINE_END(carve.recycled) == 1 &&
	PF_CACHE_LINE_END(carve.ranges[2]) == 1,
	"pf_cache: recycled or the first ranges leave line 1");

/* The recycled slots of one cache. */
struct pf_recycle_slots {
	void *objs[PF_RECYCLE];
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
} __rte_cache_aligned;

/*
 * Tests "x is a multiple of d" with a multiplication and a rotation, no
 * division (Granlund and Montgomery): d = odd << shift, inv the inverse
 * of odd modulo 2^32, lim = UINT32_MAX / d (pf_multiple_init()).
 */
struct pf_multiple {
	uint32_t inv;
	uint32_t lim;
	uint32_t shift;
};

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
	struct pf_multiple mult;	/* tests multiples of elt_size */
	int socket_id;

	struct pf_lock lock;	/* lists, page states, ring-cache list */
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
	/* pf_ring.c: changed under lock, read without */
	struct rte_mempool_pagefrag_rcache *ring_caches;
	struct rte_mempool_pagefrag_rcache *ring_retired;	/* under lock */
	uint32_t logged;	/* PF_LOGGED_*: INFO lines logged once per pool */
	/* emptied before its memory goes, and nothing left (pf_ops.c) */
	uint32_t drained;
	/*
	 * In-flight view (pf_inflight.c), per stats slot, off the stats
	 * lines so that a slot stays two cache lines.
	 */
	struct {
		int64_t out_base;	/* gets - puts before the last reset */
		uint64_t taken;		/* debug: objects out it took, atomic */
	} inflight[RTE_MAX_LCORE + 1];
	/* gets that failed in rte_mempool_free(), see pf_inflight.c */
	uint64_t free_fails;
	uint64_t fail_full_puts;
	uint32_t fail_full;

	struct pf_lock shared_lock __rte_cache_aligned;
	struct pf_cache shared;	/* non-EAL threads, under shared_lock */
	struct pf_cache lcore[RTE_MAX_LCORE];
	/* [RTE_MAX_LCORE] collects non-EAL threads, with atomic adds */
	struct pf_stats stats[RTE_MAX_LCORE + 1];
	/* recycled slots of the lcore caches and, last, the shared one */
	struct pf_recycle_slots recycle[RTE_MAX_LCORE + 1];
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

/* The stats slot of the thread whose lcore id is lcore_id. */
static inline unsigned int
pf_slot_of(unsigned int lcore_id)
{
	return lcore_id < RTE_MAX_LCORE ? lcore_id : RTE_MAX_LCORE;
}

/* The counters of the thread whose lcore id is lcore_id. */
static inline struct pf_stats *
pf_stats_of(struct pf_pool *pool, unsigned int lcore_id)
{
	return &pool->stats[pf_slot_of(lcore_id)];
}

/*
 * The frag cache of the thread whose lcore id is lcore_id and, for
 * non-EAL threads (shared cache), the lock to hold while using it.
 */
static inline struct pf_cache *
pf_cache_of(struct pf_pool *pool, unsigned int lcore_id, struct pf_lock **lock)
{
	if (likely(lcore_id < RTE_MAX_LCORE)) {
		*lock = NULL;
		return &pool->lcore[lcore_id];
	}
	*lock = &pool->shared_lock;
	return &pool->shared;
}

/* Object pointer of index 0 in page pg. */
static inline uintptr_t
pf_page_obj0(const struct pf_pool *pool, const struct pf_page *pg)
{
	return (uintptr_t)pg + pool->geom.data_off + pool->hdr_size;
}

/*
 * Index of obj in the page whose object 0 is at obj0, or UINT32_MAX when
 * obj is not the start of one of its nb objects.
 */
static inline uint32_t
pf_obj_index(const struct pf_pool *pool, uintptr_t obj0, uint32_t nb,
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

static inline void
pf_multiple_init(struct pf_multiple *m, uint32_t d)
{
	uint32_t odd, inv, i;

	m->shift = __builtin_ctz(d);
	odd = d >> m->shift;
	/* Newton's iteration doubles the correct low bits: 3, 6, 12, 24, 48 */
	inv = odd;
	for (i = 0; i < 4; i++)
		inv *= 2 - odd * inv;
	m->inv = inv;
	m->lim = UINT32_MAX / d;
}

/* Is x a multiple of the d that m was set up for? */
static inline int
pf_is_multiple(const struct pf_multiple *m, uint32_t x)
{
	uint32_t q = x * m->inv;

	/* rotated right by shift (the low bits must have been 0) */
	return ((q >> m->shift) | (q << ((32 - m->shift) & 31))) <= m->lim;
}

/* Objects the threads of stats slot i got minus those they put, ever. */
static inline int64_t
pf_slot_net(const struct pf_pool *pool, unsigned int i)
{
	return pool->inflight[i].out_base +
		(int64_t)(pool->stats[i].gets - pool->stats[i].puts);
}

/* The frag caches of a pool: lcore i's for i < RTE_MAX_LCORE, then the shared one. */
#define PF_NB_CACHES (RTE_MAX_LCORE + 1)

static inline struct pf_cache *
pf_pool_cache(struct pf_pool *pool, unsigned int i)
{
	return i < RTE_MAX_LCORE ? &pool->lcore[i] : &pool->shared;
}

#endif /* _PF_STATE_H_ */
