/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_FRAG_H_
#define _PF_FRAG_H_

/*
 * The fragment pool's state (struct rte_pagefrag_pool, opaque in
 * rte_pagefrag.h) and what the fragment engine (pf_frag.c) gives the
 * files above it: pool creation and freeing (pf_frag_pool.c), mbuf
 * attachment (pf_frag_extbuf.c). The pages' format and refcount rules are
 * the engine's, at the top of pf_frag.c.
 */

#include <stddef.h>
#include <stdint.h>

#include <rte_common.h>
#include <rte_lcore.h>
#include <rte_memory.h>
#include <rte_memzone.h>

#include "rte_pagefrag.h"
#include "pf_live.h"

struct pf_fpage {
	uint64_t magic;
	struct rte_pagefrag_pool *pool;
	uint32_t refcnt;	/* fragments out + bias of the holding cache */
	uint32_t pad;
	rte_iova_t iova;	/* IO address of the page start */
	/* 0: iova + offset is right over the page; else the size of the
	 * page's IOVA-contiguous pieces (memory page size), set at creation
	 */
	uint32_t iova_seg;
	struct pf_fpage *next;	/* free list, under the pool lock */
} __rte_cache_aligned;

struct pf_fcache {
	struct pf_fpage *page;
	uint32_t off;		/* next free byte */
	uint32_t bias;		/* references held, unspent */
	/* fragments freed back to the bias (d) since the page was armed */
	uint32_t nb_back;
	/*
	 * Process instance that owns an lcore's cache (its token, pf_proc.c),
	 * 0 when none: another process with the same lcore id uses the
	 * shared cache behind its lock.
	 */
	uint64_t owner;
} __rte_cache_aligned;

struct pf_fstats {
	uint64_t allocs;
	uint64_t frees;
	uint64_t alloc_fails;
	uint64_t refills;
	uint64_t reuses;
	uint64_t drains;
	uint64_t atomic_frees;
} __rte_cache_aligned;

struct rte_pagefrag_pool {
	char name[RTE_MEMZONE_NAMESIZE];
	const struct rte_memzone *mz;
	/* pf_extbuf_free_cb in the creator process, see frag_cb_shared() */
	uintptr_t free_cb;
	uint32_t cb_elsewhere;	/* a process had it elsewhere: attach refused */
	uint32_t nb_pages;
	uint32_t nb_free;
	struct pf_lock lock;
	struct pf_fpage *free_head;
	struct pf_lock shared_lock;
	struct pf_fcache shared;	/* non-EAL threads, under shared_lock */
	struct pf_fcache lcore[RTE_MAX_LCORE];
	struct pf_fstats stats[RTE_MAX_LCORE + 1];
};

/* Lay out the header of pg, a page of fp whose memory pages are mem_pg bytes. */
void pf_fpage_init(struct rte_pagefrag_pool *fp, struct pf_fpage *pg,
		size_t mem_pg);

/*
 * At pool free, under the pool lock: c gives its page back to the free
 * list when no fragment of it is out.
 */
void pf_fcache_drop_idle(struct rte_pagefrag_pool *fp, struct pf_fcache *c);

/*
 * rte_pagefrag_alloc(), for the files above the engine: a call inside the
 * library rather than through its exported symbol.
 */
void *pf_frag_alloc(struct rte_pagefrag_pool *fp, unsigned int size,
		unsigned int align, rte_iova_t *iova);

/*
 * The free callback of a fragment attached to an mbuf: rte_pagefrag_free()
 * of addr. A pool records its address in the creator process (free_cb).
 */
void pf_extbuf_free_cb(void *addr, void *opaque);

#endif /* _PF_FRAG_H_ */
