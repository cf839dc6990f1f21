/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_POOL_H_
#define _PF_POOL_H_

/*
 * The pool as a whole (pf_pool.c): set up, recognized, counted, its pages
 * forgotten. Above the engine: pf_page.c, pf_hold.c and pf_cache.c do not
 * call these.
 */

#include <stdint.h>

#include <rte_mempool.h>

#include "pf_state.h"

/* The pagefrag private data of mp, or NULL if mp is not a pagefrag pool. */
struct pf_pool *pf_pool_of(const struct rte_mempool *mp);

/* Set up the private data of mp (its geometry, locks and caches). */
int pf_pool_init(struct pf_pool *pool, const struct rte_mempool *mp);

/*
 * DPDK freed every memory chunk of the pool (a failed populate): forget
 * its pages, and what the lcore and shared caches held on them. The pool
 * must not be in use; ring-level caches are pf_ring_forget_pages().
 */
void pf_pool_forget_pages(struct pf_pool *pool);

/*
 * Objects in the driver: populated minus handed out, when the ring-level
 * caches hold ring_bias references (see pf_avail() in pf_ring.h).
 */
uint64_t pf_pool_avail(struct pf_pool *pool, uint64_t ring_bias);

/* Free objects the lcore and shared frag caches hold (a snapshot). */
uint64_t pf_pool_caches_held(struct pf_pool *pool);

#endif /* _PF_POOL_H_ */
