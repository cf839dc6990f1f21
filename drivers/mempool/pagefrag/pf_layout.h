/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_LAYOUT_H_
#define _PF_LAYOUT_H_

/*
 * Where pages go: the layout of a page for an element size and a page
 * size (computed once, here), and the page size a pool takes from the
 * memory populate gets (pf_layout.c).
 */

#include <stdint.h>

#include "pf_state.h"

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

#endif /* _PF_LAYOUT_H_ */
