/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_POPULATE_H_
#define _PF_POPULATE_H_

/*
 * The calc_mem_size and populate callbacks of the ops (pf_populate.c):
 * pages laid out in the memory DPDK gives a pool.
 */

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <rte_mempool.h>

/* Bytes per object in a page: the mempool header, element and trailer. */
static inline uint32_t
pf_elt_total(const struct rte_mempool *mp)
{
	return mp->header_size + mp->elt_size + mp->trailer_size;
}

ssize_t pf_calc_mem_size(const struct rte_mempool *mp, uint32_t obj_num,
		uint32_t pg_shift, size_t *min_chunk_size, size_t *align);

int pf_populate(struct rte_mempool *mp, unsigned int max_objs, void *vaddr,
		rte_iova_t iova, size_t len, rte_mempool_populate_obj_cb_t *obj_cb,
		void *obj_cb_arg);

#endif /* _PF_POPULATE_H_ */
