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

/* This process's id, as recorded in the caches it owns. */
extern int32_t pf_self_pid __attribute__((visibility("hidden")));

/*
 * c, an lcore's frag cache, is not owned by this process: claim it.
 * 0 when the caller may use it from now on; -EBUSY when another live
 * process owns it (the caller falls back to a path that is safe across
 * processes).
 */
int pf_cache_claim(struct pf_pool *pool, struct pf_cache *c,
		unsigned int lcore_id);

/* A cache created by this process (ring-level): record its owner. */
void pf_cache_own(struct pf_cache *c);

/* Is the process that owns a cache as (pid, start) gone? */
int pf_owner_gone(int32_t pid, uint64_t start);

/*
 * Empty every lcore frag cache of the pool whose owner process is gone.
 * Returns the number of caches recovered.
 */
unsigned int pf_recover_dead(struct pf_pool *pool, struct pf_stats *st);

#endif /* _PF_PROC_H_ */
