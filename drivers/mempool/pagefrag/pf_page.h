/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_PAGE_H_
#define _PF_PAGE_H_

/*
 * The page: its header, its refcount and its freemap, and the mapping from
 * an object's address to its page.
 *
 * This file owns the page's layout. It does not know about caches, lists or
 * the mempool ops; pf_cache.c owns the rules of the refcount, decides who
 * holds a page and when it moves between lists, and maps an object to its
 * index.
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
 * plus every reference (bias) a frag cache holds on the page. It is 0
 * exactly when every object is free and no cache holds the page.
 *
 * A set freemap bit means "object returned while the page was referenced,
 * and not taken back yet". Objects whose index is at least `carved` are
 * free without a bit: they were never handed out since the page was last
 * free, or a cache gave them back when it dropped the page.
 */

#include <stdint.h>

#include <rte_common.h>
#include <rte_reciprocal.h>

/* Page sizes: 2 MB down to 4 KB. */
#define PF_PAGE_SHIFT 21
#define PF_PAGE_SHIFT_MIN 12
#define PF_PAGE_SIZE (UINT64_C(1) << PF_PAGE_SHIFT)
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
	 * Objects out + biases held. Atomic; see pf_cache.c for the
	 * ordering argument of each operation on it.
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
	uint64_t freemap[];	/* pool->nb_words words, atomic bits */
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

#endif /* _PF_PAGE_H_ */
