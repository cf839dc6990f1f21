/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_PROC_H_
#define _PF_PROC_H_

/*
 * Processes that own frag caches (pf_proc.c): claiming an lcore's cache,
 * recovering what a process that is gone left.
 */

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_spinlock.h>

#include "pf_cache.h"
#include "pf_live.h"
#include "pf_state.h"

/*
 * c, an lcore's frag cache, is not owned by this process: claim it.
 * 0 when the caller may use it from now on; -EBUSY when another live
 * process owns it (the caller falls back to a path that is safe across
 * processes).
 */
int pf_cache_claim(struct pf_pool *pool, struct pf_cache *c,
		unsigned int lcore_id);

/*
 * c, a ring-level cache, is used by this process from now on: its last
 * user owns it. 0, or -EBUSY while its previous owner is inside a call.
 */
int pf_cache_take_over(struct pf_cache *c);

/*
 * The counters the calling thread may add to: its lcore's slot when this
 * process owns (or can claim) that lcore's frag cache, else the shared
 * slot, which takes atomic adds (another live process owns the lcore id).
 */
struct pf_stats *pf_stats_mine(struct pf_pool *pool);

/*
 * c's owner process, whose token is owner, is gone; c->owner.lock is
 * held. Drop c's page (or forget it, when the process died inside a call
 * on c) and free c for a new owner. 1 when done, 0 when c is not owner's
 * any more.
 */
int pf_cache_recover(struct pf_pool *pool, struct pf_cache *c,
		uint64_t owner, struct pf_stats *st);

/*
 * Empty every lcore frag cache of the pool whose owner process is gone.
 * Returns the number of caches recovered.
 */
unsigned int pf_recover_lcore_caches(struct pf_pool *pool, struct pf_stats *st);

/*
 * pf_owner_begin() returned 0: let the flusher work and take
 * c->owner.lock. A flusher of another process that dies holding it is
 * detected: the lock is broken, and the cache is forgotten (its page
 * lost) if the flusher had begun to empty it.
 */
void pf_owner_wait(struct pf_cache *c);

/*
 * Slow-path bracket: returns 1 when c->owner.lock was taken, for
 * pf_owner_exit.
 */
static inline int
pf_owner_enter(struct pf_cache *c)
{
	if (likely(pf_owner_begin(c)))
		return 0;
	pf_owner_wait(c);
	return 1;
}

static inline void
pf_owner_exit(struct pf_cache *c, int locked)
{
	if (unlikely(locked))
		rte_spinlock_unlock(&c->owner.lock);
	else
		pf_owner_end(c);
}

#endif /* _PF_PROC_H_ */
