/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_FLUSH_H_
#define _PF_FLUSH_H_

/*
 * The get-or-flush layer above the engine (pf_flush.c): a get that the
 * calling thread's cache cannot serve empties the caches of idle threads
 * (of this process, and of other live processes that a global membarrier
 * reaches) and recovers those of processes that are gone, then tries once
 * more.
 */

#include "pf_state.h"

/*
 * Get n objects through cache c, all or nothing: 0, or -ENOBUFS when the
 * pool holds no free object anywhere it can reach (counted in get_fails).
 * The caller holds no lock: emptying other caches makes system calls. A
 * caller that holds one around c calls pf_cache_get() under it, and on
 * -ENOBUFS, with the lock released, pf_flush_others() and, if that
 * emptied nothing or the second try failed too, pf_get_refused().
 */
int pf_get(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void **objs, unsigned int n);

/* A get of n objects answers -ENOBUFS: count it, log the first. */
void pf_get_refused(struct pf_pool *pool, struct pf_stats *st,
		unsigned int n);

/*
 * Empty the frag caches of other idle threads that hold free objects (of
 * this process and of other live ones), and those whose owner process is
 * gone, so that their page goes back to the lists and their recycled
 * objects to their pages. Returns the number of caches emptied.
 */
unsigned int pf_flush_others(struct pf_pool *pool, struct pf_cache *self,
		struct pf_stats *st);

/*
 * Layers above recover caches of their own kind whose process is gone
 * (ring-level caches, pf_ring.c): they register how, once, at load.
 */
/*
 * Recover every cache of the pool whose process is gone (lcore caches and
 * those of the layers that registered). Returns the number recovered.
 */
unsigned int pf_recover_all(struct pf_pool *pool, struct pf_stats *st);

typedef unsigned int (*pf_recover_fn)(struct pf_pool *pool,
		struct pf_stats *st);
void pf_flush_add_recoverer(pf_recover_fn fn);

#endif /* _PF_FLUSH_H_ */
