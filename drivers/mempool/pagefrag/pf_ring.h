/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_RING_H_
#define _PF_RING_H_

/* What the layers above know of the ring-level caches (pf_ring.c). */

#include <stdint.h>

#include "pf_cache.h"
#include "pf_pool.h"
#include "pf_state.h"

/*
 * Free objects the pool's ring-level caches hold; *bias (when not NULL)
 * gets the references they hold on their pages (one more per cache).
 */
uint64_t pf_ring_held(struct pf_pool *pool, uint64_t *bias);

/* Free the ring-level caches destroyed while the pool lived (pool free). */
void pf_ring_free_retired(struct pf_pool *pool);

/* The pool's pages are gone: its ring-level caches forget theirs. */
void pf_ring_forget_pages(struct pf_pool *pool);

/* Objects in the driver (get_count): pf_pool_avail() with the rings'. */
static inline uint64_t
pf_avail(struct pf_pool *pool)
{
	uint64_t bias;

	pf_ring_held(pool, &bias);
	return pf_pool_avail(pool, bias);
}

#endif /* _PF_RING_H_ */
