/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * The memory side of the mempool ops: how much memory a pool of pagefrag
 * pages needs (calc_mem_size), and laying pages out in the memory chunks
 * DPDK then gives (populate), each page's objects handed to DPDK's
 * callback and the page put on the pool's free list.
 *
 * The page geometry comes from pf_layout.c, the page's initial state from
 * pf_page.c; this file owns no state of its own.
 */

#include <errno.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_mempool.h>

#include "pf_layout.h"
#include "pf_log.h"
#include "pf_page.h"
#include "pf_pool.h"
#include "pf_populate.h"
#include "pf_ring.h"

/*
 * The largest page populate can rely on for memory in pieces of
 * 2^pg_shift bytes (0: one IOVA-contiguous piece).
 */
static uint32_t
populate_page_shift(const struct rte_mempool *mp, uint32_t pg_shift,
		int kmin)
{
	if (pg_shift == 0 || pg_shift >= PF_PAGE_SHIFT)
		return PF_PAGE_SHIFT;
	/*
	 * With IOVA as VA, populate_virt() hands over local memory in one
	 * piece however small its pages are (external memory may carry IOVAs
	 * of its own).
	 */
	if (rte_eal_iova_mode() == RTE_IOVA_VA &&
			rte_malloc_heap_socket_is_external(mp->socket_id) == 0)
		return PF_PAGE_SHIFT;
	return RTE_MAX(pg_shift, (uint32_t)kmin);
}

ssize_t
pf_calc_mem_size(const struct rte_mempool *mp, uint32_t obj_num,
		uint32_t pg_shift, size_t *min_chunk_size, size_t *align)
{
	struct pf_pool *pool = mp->pool_data;
	uint32_t elt = pf_elt_total(mp);
	int kmin = pf_min_shift(elt);
	uint32_t shift, npages, last;
	struct pf_geom g;
	size_t mem;

	if (kmin < 0 || pf_geometry(elt, populate_page_shift(mp, pg_shift,
			kmin), &g) < 0) {
		PF_LOG(ERR, "pool %s: element of %u bytes with header and trailer does not fit in a 2 MB page; the limit is %u bytes",
			mp->name, elt, pf_max_elt_size());
		return -EINVAL;
	}
	shift = g.shift;
	/* populate uses it for the first chunk: a result, not an input */
	if (pool != NULL && pool->magic == PF_POOL_MAGIC)
		pool->hint_shift = shift;
	if (obj_num == 0)
		obj_num = 1;
	npages = (obj_num + g.objs_per_page - 1) / g.objs_per_page;
	last = obj_num - (npages - 1) * g.objs_per_page;
	/* full pages, then the last one only as long as its objects need */
	mem = ((size_t)(npages - 1) << shift) + g.data_off + (size_t)last * elt;
	/*
	 * Memory in smaller pieces than our page, in one virtual piece, may
	 * not be aligned on a page (populate_anon() maps it itself): room for
	 * the head that cannot be used.
	 */
	if (pg_shift != 0 && pg_shift < shift)
		mem += ((size_t)1 << shift) - ((size_t)1 << pg_shift);
	/*
	 * A chunk must hold a page header and one object. Keep min_chunk_size
	 * below mem: when they are equal, rte_mempool_populate_default() asks
	 * for IOVA-contiguous memory, and a 2 MB-aligned memzone always
	 * straddles two hugepages (its malloc header sits in the previous one),
	 * which IOVA-as-PA cannot give.
	 */
	*min_chunk_size = (size_t)g.data_off + elt;
	if (mem <= *min_chunk_size)
		mem = *min_chunk_size + RTE_CACHE_LINE_SIZE;
	*align = (size_t)1 << shift;
	return mem;
}

int
pf_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr,
		rte_iova_t iova, size_t len, rte_mempool_populate_obj_cb_t *obj_cb,
		void *obj_cb_arg)
{
	struct pf_pool *pool = mp->pool_data;
	uintptr_t start = (uintptr_t)vaddr, end = start + len, p, size;
	const struct pf_geom *g = &pool->geom;
	struct pf_page *pg;
	unsigned int cnt = 0;

	/*
	 * The first chunk of a pool that had pages: DPDK freed every chunk
	 * after a populate failed (rte_mempool_free_memchunks()), and this
	 * populate starts from nothing.
	 */
	if (unlikely(mp->nb_mem_chunks == 0 && mp->populated_size == 0 &&
			pool->nb_pages != 0)) {
		PF_LOG(INFO, "pool %s: populated again after its memory was freed: forgetting its %u pages",
			mp->name, pool->nb_pages);
		pf_ring_forget_pages(pool);
		pf_pool_forget_pages(pool);
	}
	pf_pool_choose_shift(pool, start, end, max_objs);
	size = (uintptr_t)1 << g->shift;
	for (p = RTE_ALIGN_CEIL(start, size);
			p > start - 1 && p < end && cnt < max_objs; p += size) {
		size_t room = RTE_MIN(end - p, size);
		uint32_t nb, i;

		if (room < (size_t)g->data_off + pool->elt_size)
			break;
		nb = RTE_MIN((room - g->data_off) / pool->elt_size,
			(size_t)(max_objs - cnt));
		nb = RTE_MIN(nb, g->objs_per_page);	/* see pf_geometry() */
		for (i = 0; i < nb; i++) {
			char *obj = (char *)p + g->data_off +
				(size_t)i * pool->elt_size + pool->hdr_size;

			obj_cb(mp, obj_cb_arg, obj, iova == RTE_BAD_IOVA ?
				RTE_BAD_IOVA : iova + (obj - (char *)vaddr));
		}
		pg = (struct pf_page *)p;
		pf_page_init(pool, pg, nb);
		pf_page_free(pool, pg);
		cnt += nb;
	}
	if (cnt == 0 && max_objs != 0) {
		PF_LOG(ERR, "pool %s: memory chunk %p (%zu bytes) cannot hold one object: the pool's pages are %zu bytes, and a chunk needs a %zu-byte aligned address followed by %u bytes (%u-byte page header + %u-byte element)",
			mp->name, vaddr, len, (size_t)size, (size_t)size,
			g->data_off + pool->elt_size, g->data_off,
			pool->elt_size);
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return cnt;
}
