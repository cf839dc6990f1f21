/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_PAGE_H_
#define _PF_PAGE_H_

/*
 * The page: its header, its refcount and its freemap, the mapping from an
 * object's address to its page, and the rules of the refcount.
 *
 * pf_page.c changes pages: the page lists, the freemaps, and the refcount
 * of pages no cache holds. It does not know frag caches; pf_cache.c and
 * pf_hold.c decide who holds a page and when it moves between lists.
 *
 * A pool's pages all have one size, 2^page_shift bytes: 2 MB, or less when
 * populate gets memory in smaller pieces (4 KB pages of anonymous or
 * external memory), as page_frag falls back to order-0 pages. Layout of a
 * page (a block of that size aligned on its size, or the first part of one):
 *
 *   struct pf_page | freemap words | [debug out-map words] | objects ...
 *
 * Object i's mempool element starts at page + data_off + i * elt_size; the
 * object pointer handed to the user is header_size bytes further. No object
 * crosses the end of its page, so masking an object's address gives its
 * page header.
 *
 * refcnt counts the objects of the page handed out and not yet returned,
 * plus every reference (bias) a frag cache holds on the page. An object on
 * a cache's recycle stack counts as out: it keeps its reference until it
 * goes back to the page. It is 0 exactly when every object is back in the
 * page and no cache holds the page.
 *
 * A set freemap bit means "object returned while the page was referenced,
 * and not taken back yet". Objects whose index is at least `carved` are
 * free without a bit: they were never handed out since the page was last
 * free, or a cache gave them back when it dropped the page.
 *
 * Memory-ordering argument of the refcount and the freemap, in one place
 * (each atomic in pf_page.c, pf_hold.c, pf_cache.c and pf_flush.c refers
 * here):
 *
 * (1) A put publishes a returned object with a RELEASE fetch_or of its
 *     freemap bit, and then a RELEASE fetch_sub of the page refcount. The
 *     bit is set before the decrement, so whoever sees the decrement (in
 *     particular whoever sees the refcount reach 0) also sees the bit, and
 *     a freemap is never written after its page was reset.
 * (1a) When the objects a put or a cache's drop publishes fill a whole
 *     freemap word, a RELEASE store of all ones writes the value the
 *     fetch_or of (1) would, whatever the word held, at the same point of
 *     the word's modification order, and is sequenced before the same
 *     RELEASE fetch_sub of the refcount. And the word holds 0 then: each
 *     of its 64 objects is out (or held by the dropping cache), so none
 *     has a bit and only the thread handing it back may set it; the
 *     other writers clear bits (the exchange of (2), a reset with the
 *     refcount at 0) or give back bits of free objects (the last-resort
 *     steal), none of which this word has. So the store loses nothing
 *     and takers that read it synchronize with it as with the fetch_or,
 *     with no locked instruction: a flush's whole-word stores overlap
 *     instead of each waiting for its line.
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

#include <stdint.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_reciprocal.h>

#include "pf_state.h"

/* Page sizes: 2 MB down to 4 KB. */
#define PF_PAGE_SHIFT 21
#define PF_PAGE_SHIFT_MIN 12
#define PF_PAGE_SIZE RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE	/* 1 << PF_PAGE_SHIFT */
#define PF_PAGE_MASK (~(PF_PAGE_SIZE - 1))

#define PF_PAGE_MAGIC UINT64_C(0x70616765667261ab) /* "pagefra" */

/* Which list a page is on; changed only under the pool lock. */
enum pf_page_state {
	PF_PAGE_FREE = 1,	/* on the free list, refcnt == 0 */
	PF_PAGE_OWNED,		/* held by one frag cache, which has a bias on it */
	PF_PAGE_PARTIAL,	/* on the partial list, objects out, no cache */
};

struct pf_pool;

struct pf_page {
	uint64_t magic;		/* PF_PAGE_MAGIC ^ address of the pool */
	struct pf_pool *pool;
	/*
	 * Objects out + biases held. Atomic; see the numbered argument at
	 * the top of this file for the ordering of each operation on it.
	 */
	uint32_t refcnt;
	uint32_t nb_objs;	/* objects in this page */
	/* objects [carved, nb_objs) are free and have no freemap bit */
	uint32_t carved;
	uint32_t state;		/* enum pf_page_state, under the pool lock */
	int32_t owner;		/* cache id holding the page (dump only) */
	uint32_t index;		/* page number in the pool */
	struct pf_page *next_all;	/* all pages of the pool */
	struct pf_page *prev;		/* free or partial list, under the lock */
	struct pf_page *next;
	uint64_t freemap[];	/* pool->geom.nb_words words, atomic bits */
} __rte_cache_aligned;

/*
 * The page an object (or any address inside a page) belongs to, in a pool
 * whose page mask is mask.
 */
static inline struct pf_page *
pf_page_of(const void *obj, uintptr_t mask)
{
	return (struct pf_page *)((uintptr_t)obj & mask);
}

/*
 * Debug builds: a record per object, in the page header area after the
 * freemap and the out-map, of which lcore took the object and when (TSC).
 * pf_debug_mark() (pf_page.c) keeps them; the in-flight view
 * (pf_inflight.c) reads them. Release builds have none.
 */
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG

struct pf_obj_rec {
	uint32_t lcore;		/* rte_lcore_id() of the taker */
	uint32_t pad;
	uint64_t tsc;		/* rte_rdtsc() at the get */
};

/* Bytes per object of page header (pf_geometry()). */
#define PF_OBJ_REC_SIZE sizeof(struct pf_obj_rec)

/* The records of page pg: after its freemap and out-map words. */
static inline struct pf_obj_rec *
pf_obj_recs(const struct pf_pool *pool, const struct pf_page *pg)
{
	return (struct pf_obj_rec *)(uintptr_t)&pg->freemap[2 * pool->geom.nb_words];
}

/* Object idx of pg was just marked out by the calling thread. */
static inline void
pf_inflight_took(struct pf_pool *pool, struct pf_page *pg, uint32_t idx)
{
	struct pf_obj_rec *r = &pf_obj_recs(pool, pg)[idx];

	/*
	 * Plain stores: the record is only read by the view, which tolerates
	 * a torn or stale record of an object changing hands meanwhile; the
	 * object's own hand-over is ordered by the freemap and refcount.
	 */
	r->lcore = rte_lcore_id();
	r->tsc = rte_rdtsc();
	/* RELAXED: a counter, orders nothing (puts from any thread) */
	__atomic_fetch_add(&pool->inflight[pf_slot_of(r->lcore)].taken, 1,
		__ATOMIC_RELAXED);
}

/* Object idx of pg was just marked returned. */
static inline void
pf_inflight_gave(struct pf_pool *pool, struct pf_page *pg, uint32_t idx)
{
	const struct pf_obj_rec *r = &pf_obj_recs(pool, pg)[idx];

	/* RELAXED: a counter, orders nothing */
	__atomic_fetch_sub(&pool->inflight[pf_slot_of(r->lcore)].taken, 1,
		__ATOMIC_RELAXED);
}

#else

#define PF_OBJ_REC_SIZE 0

#endif /* RTE_MEMPOOL_PAGEFRAG_DEBUG */

/*
 * Page lists and freemaps (pf_page.c). The list functions run under the
 * pool lock; the memory-ordering argument of every atomic is above.
 */

/* Set up the header of a new page holding nb objects; add it to the pool. */
void pf_page_init(struct pf_pool *pool, struct pf_page *pg, uint32_t nb);

/* Put a new page (no object out, no holder) at the end of the free list. */
void pf_page_free(struct pf_pool *pool, struct pf_page *pg);

/* Free list: recycled pages at the head (warm), new ones at the tail. */
void pf_free_push(struct pf_pool *pool, struct pf_page *pg, int at_tail);
struct pf_page *pf_free_pop(struct pf_pool *pool);

/* Partial list (objects out, no holder), oldest first. */
void pf_partial_append(struct pf_pool *pool, struct pf_page *pg);
void pf_partial_remove(struct pf_pool *pool, struct pf_page *pg);

/* Forget returned objects: the page is whole again. Caller owns it alone. */
void pf_page_reset(struct pf_pool *pool, struct pf_page *pg);

/*
 * Set the bits m of freemap word w of pg, objects handed back (their bits
 * were clear): a RELEASE fetch_or, see (1) above, or a RELEASE store when
 * m is the whole word, see (1a). Returns the atomics done.
 */
static inline unsigned int
pf_freemap_set_word(struct pf_page *pg, uint32_t w, uint64_t m)
{
	if (m == UINT64_MAX) {
		__atomic_store_n(&pg->freemap[w], m, __ATOMIC_RELEASE);
		return 0;
	}
	__atomic_fetch_or(&pg->freemap[w], m, __ATOMIC_RELEASE);
	return 1;
}

/*
 * Set the freemap bits of objects [lo, hi), which had none (the caller
 * hands each of them back once); returns the atomics done.
 */
unsigned int pf_freemap_set_range(struct pf_page *pg, uint32_t lo,
		uint32_t hi);

/* Has any object of pg been returned (a freemap bit set)? */
int pf_freemap_any(const struct pf_pool *pool, const struct pf_page *pg);

/*
 * Give n objects of pg back (remote free): idx[] are their indexes, or
 * NULL for the run [first, first + n). Returns the atomics done.
 */
unsigned int pf_page_return(struct pf_pool *pool, struct pf_page *pg,
		const uint32_t *idx, uint32_t first, uint32_t n);

/*
 * Last resort before -ENOBUFS: take up to n objects returned to pages that
 * caches hold. Returns the number written to objs.
 */
unsigned int pf_steal_returned(struct pf_pool *pool, struct pf_stats *st,
		void **objs, unsigned int n);

/* A put of obj refused: panic in debug builds, else log it. */
void pf_put_error(struct pf_pool *pool, const void *obj, const char *why);

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
/* Mark objects out (out != 0) or back in the out-map; panics on a misuse. */
void pf_debug_mark(struct pf_pool *pool, void * const *objs, unsigned int n,
		int out);
#endif

#endif /* _PF_PAGE_H_ */
