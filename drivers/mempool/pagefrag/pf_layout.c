/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Page layout: where the page header, the freemap and the objects go in a
 * page of a given size (pf_geometry(), the one place that computes it), and
 * which page size a pool takes from the memory populate gets; the public
 * rte_mempool_pagefrag_objs_per_page().
 */

#include <errno.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mempool.h>

#include "rte_mempool_pagefrag.h"
#include "pf_state.h"
#include "pf_page.h"
#include "pf_layout.h"

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
#define PF_MAPS 2	/* freemap + out-map */
#else
#define PF_MAPS 1
#endif

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
	words = pf_words(n);
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
	g->nb_words = pf_words(n);
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
	 * populate_iova called directly) the next chunks may be as small as
	 * one memory page, whatever this one is (4 KB pages can be physically
	 * contiguous by chance): only a chunk that starts on a 2 MB boundary
	 * (hugepages) may choose 2 MB pages; otherwise take the smallest page
	 * that holds an object, as page_frag falls back to order-0 pages.
	 */
	if (pool->hint_shift != 0)
		cap = RTE_MAX(pool->hint_shift, (uint32_t)kmin);
	else if ((start & (PF_PAGE_SIZE - 1)) == 0)
		cap = PF_PAGE_SHIFT;
	else
		cap = kmin;
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

/* ---- public: objects per page before the pool exists ---- */

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
