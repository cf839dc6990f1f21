/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_INFLIGHT_H_
#define _PF_INFLIGHT_H_

/*
 * What the engine tells the in-flight view (pf_inflight.c).
 *
 * Release builds: nothing more than the per-lcore gets and puts counters
 * (struct pf_stats); an lcore's net figure is out_base + gets - puts.
 *
 * Debug builds: a record per object, in the page header area after the
 * freemap and the out-map, says which lcore took the object and when
 * (TSC). debug_mark() in pf_cache.c calls pf_inflight_took() and
 * pf_inflight_gave(), which also keep the per-taker count `taken` in the
 * taker's stats slot: the view of rte_mempool_free() cannot read the pages
 * (DPDK frees the memory chunks before the ops free callback).
 */

#include <stdint.h>

#include <rte_cycles.h>
#include <rte_lcore.h>

#include "pf_cache.h"

/* Objects the thread of this slot got minus those it put, since creation. */
static inline int64_t
pf_stats_net(const struct pf_stats *s)
{
	return s->out_base + (int64_t)(s->gets - s->puts);
}

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
	return (struct pf_obj_rec *)(uintptr_t)&pg->freemap[2 * pool->nb_words];
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
	__atomic_fetch_add(&pf_stats_of(pool, r->lcore)->taken, 1,
		__ATOMIC_RELAXED);
}

/* Object idx of pg was just marked returned. */
static inline void
pf_inflight_gave(struct pf_pool *pool, struct pf_page *pg, uint32_t idx)
{
	const struct pf_obj_rec *r = &pf_obj_recs(pool, pg)[idx];

	/* RELAXED: a counter, orders nothing */
	__atomic_fetch_sub(&pf_stats_of(pool, r->lcore)->taken, 1,
		__ATOMIC_RELAXED);
}

#else

#define PF_OBJ_REC_SIZE 0

#endif /* RTE_MEMPOOL_PAGEFRAG_DEBUG */

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
