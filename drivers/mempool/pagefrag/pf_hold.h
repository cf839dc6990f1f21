/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_HOLD_H_
#define _PF_HOLD_H_

/*
 * A frag cache's hold on its page (pf_hold.c): cleared, counted, a run
 * rewound into its ranges, the page dropped. Below the get and put of a
 * cache (pf_cache.c, pf_cache.h), which call these; it calls nothing of
 * theirs.
 */

#include <stdint.h>

#include "pf_state.h"

/* Clear c, the cache of owner id, its recycle stack in slots. */
void pf_cache_init(struct pf_cache *c, int32_t id,
		struct pf_recycle_slots *slots);

/* Forget the page cv holds, whose memory is gone; its owner stays. */
void pf_cache_forget(struct pf_carve *cv);

/* Free objects a cache holds: on its page, and recycled ones. */
uint32_t pf_cache_held(const struct pf_carve *cv);

/*
 * Take n consecutive objects at address a, inside the cache's page, back
 * into its ranges. 0, or -1 when a is not the start of an object or the
 * ranges are full.
 */
int pf_cache_rewind_run(struct pf_pool *pool, struct pf_carve *cv, uintptr_t a,
		uint32_t n);

/*
 * Release the cache's page and every bias it holds; returns that bias.
 * Its recycled objects stay (they hold their own references).
 */
unsigned int pf_cache_drop(struct pf_pool *pool, struct pf_carve *cv,
		struct pf_stats *st);

#endif /* _PF_HOLD_H_ */
