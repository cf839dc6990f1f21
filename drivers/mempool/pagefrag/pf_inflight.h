/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_INFLIGHT_H_
#define _PF_INFLIGHT_H_

/*
 * What the engine tells the in-flight view (pf_inflight.c).
 *
 * Release builds: nothing more than the per-lcore gets and puts counters
 * (struct pf_stats); an lcore's net figure is out_base + gets - puts, where
 * out_base (pool->inflight[slot]) keeps gets - puts across stats resets.
 *
 * Debug builds: a record per object, in the page header area after the
 * freemap and the out-map, says which lcore took the object and when
 * (TSC), see pf_page.h. pf_debug_mark() in pf_page.c calls
 * pf_inflight_took() and pf_inflight_gave(), which also keep the per-taker
 * count `taken` (pool->inflight[slot]): the view of rte_mempool_free()
 * cannot read the pages (DPDK frees the memory chunks before the ops free
 * callback).
 */

#include <stdint.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "pf_state.h"
#include "pf_page.h"

/*
 * A dequeue of n objects answered -ENOBUFS: count it when it comes from
 * rte_mempool_free() (cold path).
 */
void pf_inflight_get_failed(const struct rte_mempool *mp, unsigned int n);

/*
 * Called by the ops free callback, after pool->magic was cleared (so that
 * get_count answers 0 and rte_mempool_avail_count() is the mempool caches'
 * contents): log a warning when objects are still out of the pool.
 */
void pf_inflight_free_check(const struct rte_mempool *mp,
		const struct pf_pool *pool);

#endif /* _PF_INFLIGHT_H_ */
