/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_PROC_H_
#define _PF_PROC_H_

/*
 * Processes that own frag caches (pf_proc.c): claiming an lcore's cache,
 * telling whether an owner is gone, recovering what it left.
 */

#include <stdint.h>

#include "pf_pool.h"

/*
 * This process instance's owner token, as recorded in the caches it owns
 * (never 0), and its pid, for logs.
 */
extern uint64_t pf_self_token __attribute__((visibility("hidden")));
extern int32_t pf_self_pid __attribute__((visibility("hidden")));

/*
 * Make this process probeable (its liveness file) before it owns any
 * cache; cheap after the first call.
 */
void pf_proc_publish(void);

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
 * Is the process instance whose token is owner gone? Makes system calls:
 * never call it holding a lock.
 */
int pf_owner_gone(uint64_t owner);

/*
 * Empty every lcore frag cache of the pool whose owner process is gone.
 * Returns the number of caches recovered.
 */
unsigned int pf_recover_dead(struct pf_pool *pool, struct pf_stats *st);

#endif /* _PF_PROC_H_ */
