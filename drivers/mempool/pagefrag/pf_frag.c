/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Arbitrary-length fragments over refcounted 2 MB pages: page_frag_alloc,
 * page_frag_free and __page_frag_cache_drain for DPDK. This file is the
 * fragment engine: the pages' format and refcounts, the lcore and shared
 * fragment caches, fragment geometry, and the callback that frees a
 * fragment attached to an mbuf.
 *
 * It does not create, free or count fragment pools (pf_frag_pool.c) nor
 * attach fragments to mbufs (pf_frag_extbuf.c): those call it, it calls
 * neither. It shares with the mempool side the 2 MB page size, the log
 * type and the owner of a cache: an lcore's fragment cache belongs to one
 * process instance (pf_proc.c), as the mempool's frag caches do, and
 * another process running with the same lcore id uses the shared cache
 * behind its lock. A fragment page is a header followed by fragments
 * carved upward:
 *
 *   struct pf_fpage | frag | frag | ...
 *
 * Refcount rules (the kernel's pagecnt_bias scheme):
 *
 * (a) A cache that takes a page sets refcnt = bias = PF_FRAG_BIAS. Each
 *     fragment it carves spends one unit of its bias, with no atomic. A
 *     page holds fewer than PF_FRAG_BIAS fragments, so while a cache holds
 *     the page its refcount stays >= 1: frees can never reach 0 then.
 * (b) rte_pagefrag_free() is one RELEASE fetch_sub of 1: the writes to the
 *     fragment happen-before whoever sees the refcount reach 0.
 * (c) A cache drops its page with an ACQ_REL fetch_sub of its remaining
 *     bias. If that makes it 0, every fragment is free and the cache
 *     re-arms the page in place; otherwise the last free (which sees 0,
 *     followed by an ACQUIRE fence) puts the page on the free list, under
 *     the pool lock. Exactly one thread sees 0.
 * (d) A fragment freed by the thread that owns the cache holding its page
 *     (the lcore that carved it, in the process that owns that lcore's
 *     cache) gives its reference back to the bias, bias + 1, with no
 *     atomic: the refcount does not move, and it still counts the
 *     fragments out plus the bias. Only that thread writes the cache, so
 *     its page and owner cannot change under it, and program order
 *     orders the fragment's use before its reuse.
 *
 * IO addresses: a page whose 2 MB are IOVA-contiguous (a 2 MB or 1 GB
 * hugepage, IOVA as VA without external memory) gives a fragment the
 * page's IOVA plus its offset. A page that is not (external memory of
 * 4 KB pages whose IOVAs do not follow each other, 4 KB pages with
 * physical addresses) is recorded at pool creation with the size of its
 * contiguous pieces (iova_seg): a fragment that fits in one piece is
 * placed so as not to cross into the next, and its IOVA is looked up
 * (pf_virt2iova: the memseg's IOVA, which external memory registers, else
 * rte_mem_virt2iova()).
 */

#include <errno.h>
#include <string.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_spinlock.h>

#include "rte_mempool_pagefrag.h"
#include "rte_pagefrag.h"
#include "pf_cache.h"
#include "pf_frag.h"
#include "pf_page.h"
#include "pf_proc.h"

#define PF_FRAG_MAGIC UINT64_C(0x7066726167706731) /* "pfragpg1" */
#define PF_FRAG_BIAS (UINT32_C(1) << 22)	/* > fragments per page */
#define PF_FRAG_MAX_ALIGN 4096

/*
 * Debug builds catch fragment double frees. A free may point anywhere in
 * its fragment, so the page records where fragments start: after the
 * page's header, a map with one bit per 8 bytes of the page (32 KB for
 * 2 MB), and before each fragment an 8-byte tag holding its size and its
 * state (out or freed). A free finds the last start at or before its
 * address and checks the tag: a fragment already freed, or an address
 * past the fragment's end, panics naming it. Fragments are 8-byte aligned
 * there. The map is cleared when the page is (re-)armed: a free of a
 * fragment of the page's previous round is not caught.
 */
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
#define PF_FRAG_MAP (RTE_CACHE_LINE_SIZE)	/* offset of the map */
#define PF_FRAG_HDR (PF_FRAG_MAP + PF_PAGE_SIZE / 64)
#define PF_FRAG_TAG 8u
#define PF_FRAG_OUT UINT32_C(0x6f757466)	/* "outf" */
#define PF_FRAG_FREED UINT32_C(0x66726565)	/* "free" */
#else
#define PF_FRAG_HDR RTE_CACHE_LINE_SIZE
#define PF_FRAG_TAG 0u
#endif

/*
 * RELAXED: counters order nothing. An lcore's slot takes plain adds from
 * the process that owns the lcore's cache; the last slot is shared (non-EAL
 * threads, and processes running with another's lcore id).
 */
static inline int
fstat_slot_mine(const struct rte_pagefrag_pool *fp, unsigned int lcore_id)
{
	return lcore_id < RTE_MAX_LCORE &&
		fp->lcore[lcore_id].owner == pf_self_token;
}

#define FSTAT_ADD(fp, field, n) do {					\
	unsigned int lc_ = rte_lcore_id();				\
	if (likely(fstat_slot_mine(fp, lc_)))				\
		(fp)->stats[lc_].field += (n);				\
	else								\
		__atomic_fetch_add(&(fp)->stats[RTE_MAX_LCORE].field,	\
			(n), __ATOMIC_RELAXED);				\
} while (0)

/*
 * IO address of a byte of DPDK memory: its memseg's IOVA (external memory
 * carries the IOVAs it was registered with), else rte_mem_virt2iova(),
 * as rte_mempool_populate_virt() does.
 */
static rte_iova_t
pf_virt2iova(const void *va)
{
	const struct rte_memseg *ms = rte_mem_virt2memseg(va, NULL);

	if (ms == NULL || ms->iova == RTE_BAD_IOVA)
		return rte_mem_virt2iova(va);
	return ms->iova + RTE_PTR_DIFF(va, ms->addr);
}

/*
 * Record how the page's IO addresses run: contiguous over the whole page
 * (iova_seg 0), or in pieces of the memory's page size mem_pg.
 */
static void
fpage_set_iova(struct pf_fpage *pg, size_t mem_pg)
{
	size_t off;

	pg->iova = pf_virt2iova(pg);
	pg->iova_seg = 0;
	if (pg->iova == RTE_BAD_IOVA || mem_pg >= PF_PAGE_SIZE)
		return;
	for (off = mem_pg; off < PF_PAGE_SIZE; off += mem_pg)
		if (pf_virt2iova((char *)pg + off) != pg->iova + off) {
			pg->iova_seg = mem_pg;
			return;
		}
}

void
pf_fpage_init(struct rte_pagefrag_pool *fp, struct pf_fpage *pg, size_t mem_pg)
{
	memset(pg, 0, sizeof(*pg));
	pg->magic = PF_FRAG_MAGIC;
	pg->pool = fp;
	fpage_set_iova(pg, mem_pg);
}

unsigned int
rte_pagefrag_max_size(void)
{
	return PF_PAGE_SIZE - PF_FRAG_HDR - PF_FRAG_TAG;
}

/*
 * The alignment rte_pagefrag_alloc() uses for align (0 means 1; debug
 * builds align on the tag word at least), or 0 when size or align is
 * refused.
 */
static unsigned int
frag_align(unsigned int size, unsigned int align)
{
	if (align == 0)
		align = 1;
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	if (align < PF_FRAG_TAG && rte_is_power_of_2(align))
		align = PF_FRAG_TAG;	/* the tag is a word */
#endif
	/* a fresh page must hold it: header, padding to align, then size */
	if (size == 0 || !rte_is_power_of_2(align) ||
			align > PF_FRAG_MAX_ALIGN || size > PF_PAGE_SIZE -
			RTE_ALIGN_CEIL(PF_FRAG_HDR + PF_FRAG_TAG, align))
		return 0;
	return align;
}

unsigned int
rte_pagefrag_footprint(unsigned int size, unsigned int align)
{
	align = frag_align(size, align);
	if (align == 0) {
		rte_errno = EINVAL;
		return 0;
	}
	/* each start: the tag after the previous end, then aligned */
	return RTE_ALIGN_CEIL(size + PF_FRAG_TAG, align);
}

/* At pool free: a cache holding a page with no fragment out gives it back. */
void
pf_fcache_drop_idle(struct rte_pagefrag_pool *fp, struct pf_fcache *c)
{
	struct pf_fpage *pg = c->page;

	if (pg == NULL || __atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE) != c->bias)
		return;
	pg->refcnt = 0;
	pg->next = fp->free_head;
	fp->free_head = pg;
	fp->nb_free++;
	c->page = NULL;
}

static void
fpage_to_free_list(struct rte_pagefrag_pool *fp, struct pf_fpage *pg)
{
	pf_lock(&fp->lock, fp->name);
	pg->next = fp->free_head;
	fp->free_head = pg;
	fp->nb_free++;
	pf_unlock(&fp->lock);
}

/*
 * Release the cache's page: (c). Returns what rte_pagefrag_cache_drain()
 * counts: the fragments freed back to the cache plus one for the page, 0
 * when it held none. The bias released is larger by the fixed pre-charge
 * PF_FRAG_BIAS less the fragments carved, which says nothing to a caller.
 */
static unsigned int
fcache_drop(struct rte_pagefrag_pool *fp, struct pf_fcache *c)
{
	struct pf_fpage *pg = c->page;
	uint32_t bias = c->bias;

	if (pg == NULL)
		return 0;
	c->page = NULL;
	/* ACQ_REL: see (c) */
	if (__atomic_fetch_sub(&pg->refcnt, bias, __ATOMIC_ACQ_REL) == bias)
		fpage_to_free_list(fp, pg);
	FSTAT_ADD(fp, drains, 1);
	return c->nb_back + 1;
}

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
static inline uint64_t *
frag_map(struct pf_fpage *pg)
{
	return (uint64_t *)((char *)pg + PF_FRAG_MAP);
}

/* The page is armed: no fragment of it is out, none starts yet. */
static void
frag_map_clear(struct pf_fpage *pg)
{
	memset(frag_map(pg), 0, PF_PAGE_SIZE / 64);
}

/*
 * The fragment at off, of size bytes, is out. RELAXED: the application's
 * handover of the fragment to its freer orders these stores before the
 * free's loads.
 */
static void
frag_mark_out(struct pf_fpage *pg, uint32_t off, uint32_t size)
{
	uint32_t bit = off / 8;

	__atomic_store_n((uint64_t *)((char *)pg + off) - 1,
		((uint64_t)size << 32) | PF_FRAG_OUT, __ATOMIC_RELAXED);
	__atomic_fetch_or(&frag_map(pg)[bit / 64], UINT64_C(1) << (bit % 64),
		__ATOMIC_RELAXED);
}

/* addr is being freed: it must lie in a fragment of pg that is out. */
static void
frag_mark_freed(struct pf_fpage *pg, void *addr)
{
	uint32_t off = (uintptr_t)addr - (uintptr_t)pg;
	uint32_t bit = off / 8, w = bit / 64, start;
	uint64_t m, tag, seen, *tagp;

	/* the last fragment start at or before addr */
	m = __atomic_load_n(&frag_map(pg)[w], __ATOMIC_RELAXED) &
		(~UINT64_C(0) >> (63 - bit % 64));
	while (m == 0 && w > PF_FRAG_HDR / 512)
		m = __atomic_load_n(&frag_map(pg)[--w], __ATOMIC_RELAXED);
	if (m == 0)
		rte_panic("pagefrag: free of %p (page %p): no fragment starts before it\n",
			addr, (void *)pg);
	start = (w * 64 + 63 - __builtin_clzll(m)) * 8;
	tagp = (uint64_t *)((char *)pg + start) - 1;
	tag = __atomic_load_n(tagp, __ATOMIC_RELAXED);
	if (off >= start + (tag >> 32))
		rte_panic("pagefrag: free of %p (page %p): past the end of fragment %p of %u bytes\n",
			addr, (void *)pg, (char *)pg + start,
			(unsigned int)(tag >> 32));
	/* RELAXED: of two frees of one fragment, one wins */
	seen = (tag & ~UINT64_C(0xffffffff)) | PF_FRAG_OUT;
	if (!__atomic_compare_exchange_n(tagp, &seen,
			(tag & ~UINT64_C(0xffffffff)) | PF_FRAG_FREED, 0,
			__ATOMIC_RELAXED, __ATOMIC_RELAXED))
		rte_panic("pagefrag: double free of fragment %p of %u bytes (page %p, freed through %p)\n",
			(char *)pg + start, (unsigned int)(tag >> 32),
			(void *)pg, addr);
}
#else
static inline void
frag_map_clear(struct pf_fpage *pg)
{
	RTE_SET_USED(pg);
}
#endif

/* Give the cache a page with room for size bytes at align: 0 or -ENOBUFS. */
static int
fcache_refill(struct rte_pagefrag_pool *fp, struct pf_fcache *c)
{
	struct pf_fpage *pg = c->page;

	if (pg != NULL) {
		/* every fragment of it freed? re-arm in place: see (c) */
		if (__atomic_load_n(&pg->refcnt, __ATOMIC_ACQUIRE) == c->bias) {
			__atomic_store_n(&pg->refcnt, PF_FRAG_BIAS,
				__ATOMIC_RELAXED);
			c->bias = PF_FRAG_BIAS;
			c->nb_back = 0;
			c->off = PF_FRAG_HDR;
			frag_map_clear(pg);
			FSTAT_ADD(fp, reuses, 1);
			return 0;
		}
		fcache_drop(fp, c);
	}
	pf_lock(&fp->lock, fp->name);
	pg = fp->free_head;
	if (pg != NULL) {
		fp->free_head = pg->next;
		fp->nb_free--;
	}
	pf_unlock(&fp->lock);
	if (pg == NULL)
		return -ENOBUFS;
	/* a free page has no reference; the lock ordered its last free */
	__atomic_store_n(&pg->refcnt, PF_FRAG_BIAS, __ATOMIC_RELAXED);
	c->page = pg;
	c->bias = PF_FRAG_BIAS;
	c->nb_back = 0;
	c->off = PF_FRAG_HDR;
	frag_map_clear(pg);
	FSTAT_ADD(fp, refills, 1);
	return 0;
}

/*
 * The lcore's cache is not this process's: claim it when it is nobody's,
 * or take it over from a process that is gone (dropping what that process
 * held). One compare-and-swap decides between claimers; the probe runs
 * with no lock held. 1 when the caller may use the cache.
 */
static int __rte_noinline
fcache_claim(struct pf_fcache *c)
{
	uint64_t owner;

	pf_live_publish();
	for (;;) {
		/* ACQUIRE: the cache as its last owner or claimer left it */
		owner = __atomic_load_n(&c->owner, __ATOMIC_ACQUIRE);
		if (owner == pf_self_token)
			return 1;
		if (owner != 0 && !pf_owner_gone(owner))
			return 0;	/* a live process with this lcore id */
		/* ACQUIRE: see above; exactly one claimer wins */
		if (!__atomic_compare_exchange_n(&c->owner, &owner,
				pf_self_token, 0, __ATOMIC_ACQUIRE,
				__ATOMIC_RELAXED))
			continue;
		return 2;	/* taken: the caller drops what was held */
	}
}

static inline int
fcache_mine(struct rte_pagefrag_pool *fp, unsigned int lcore_id)
{
	struct pf_fcache *c = &fp->lcore[lcore_id];
	int r;

	/* a plain load: only we store our token there */
	if (likely(c->owner == pf_self_token))
		return 1;
	r = fcache_claim(c);
	if (r == 2) {
		/* the page a dead owner held, with its unspent references */
		fcache_drop(fp, c);
		r = 1;
	}
	return r;
}

/* Carve a fragment off c: the caller counts it. */
static __rte_always_inline void *
fcache_alloc(struct rte_pagefrag_pool *fp, struct pf_fcache *c,
		unsigned int size, unsigned int align, rte_iova_t *iova)
{
	struct pf_fpage *pg;
	uint32_t off, seg;

	for (;;) {
		pg = c->page;
		if (pg != NULL) {
			off = RTE_ALIGN_CEIL(c->off + PF_FRAG_TAG, align);
			seg = pg->iova_seg;
			/*
			 * In a page of IOVA pieces, a fragment that fits in a
			 * piece starts in the next one rather than straddle two
			 * (align <= 4 KB <= seg: the start stays aligned).
			 */
			if (unlikely(seg != 0) && size <= seg &&
					off / seg != (off + size - 1) / seg)
				off = RTE_ALIGN_CEIL(off, seg);
			if (off + size <= PF_PAGE_SIZE)
				break;
		}
		if (fcache_refill(fp, c) != 0) {
			FSTAT_ADD(fp, alloc_fails, 1);
			rte_errno = ENOBUFS;
			return NULL;
		}
	}
	c->off = off + size;
	c->bias--;	/* (a): no atomic */
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	frag_mark_out(pg, off, size);
#endif
	if (iova != NULL) {
		if (likely(pg->iova_seg == 0))
			*iova = pg->iova == RTE_BAD_IOVA ? RTE_BAD_IOVA :
				pg->iova + off;
		else
			*iova = pf_virt2iova((char *)pg + off);
	}
	return (char *)pg + off;
}

void *
pf_frag_alloc(struct rte_pagefrag_pool *fp, unsigned int size,
		unsigned int align, rte_iova_t *iova)
{
	unsigned int lcore_id = rte_lcore_id(), asked = align;
	void *frag;

	align = frag_align(size, align);
	if (unlikely(fp == NULL || align == 0)) {
		PF_LOG(ERR, "fragment of %u bytes aligned on %u refused: sizes are 1 to %u bytes (less the padding to the alignment after the %u-byte page header), alignments powers of two up to %u",
			size, asked, rte_pagefrag_max_size(), (unsigned int)PF_FRAG_HDR,
			PF_FRAG_MAX_ALIGN);
		if (fp != NULL)
			FSTAT_ADD(fp, alloc_fails, 1);
		rte_errno = EINVAL;
		return NULL;
	}
	if (likely(lcore_id < RTE_MAX_LCORE && fcache_mine(fp, lcore_id))) {
		frag = fcache_alloc(fp, &fp->lcore[lcore_id], size, align,
			iova);
		/* the lcore's own slot: see FSTAT_ADD */
		if (likely(frag != NULL))
			fp->stats[lcore_id].allocs++;
		return frag;
	}
	pf_lock(&fp->shared_lock, fp->name);
	frag = fcache_alloc(fp, &fp->shared, size, align, iova);
	pf_unlock(&fp->shared_lock);
	if (frag != NULL)
		FSTAT_ADD(fp, allocs, 1);
	return frag;
}

void *
rte_pagefrag_alloc(struct rte_pagefrag_pool *fp, unsigned int size,
		unsigned int align, rte_iova_t *iova)
{
	return pf_frag_alloc(fp, size, align, iova);
}

/*
 * Count a free that takes the atomic path: frees and atomic_frees of the
 * caller's slot, chosen once.
 */
static inline void
fstat_atomic_free(struct rte_pagefrag_pool *fp, unsigned int lcore_id)
{
	struct pf_fstats *st;

	if (likely(fstat_slot_mine(fp, lcore_id))) {
		fp->stats[lcore_id].frees++;
		fp->stats[lcore_id].atomic_frees++;
		return;
	}
	st = &fp->stats[RTE_MAX_LCORE];
	__atomic_fetch_add(&st->frees, 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&st->atomic_frees, 1, __ATOMIC_RELAXED);
}

/* rte_pagefrag_free(), for it and the extbuf callback (no PLT call) */
static __rte_always_inline void
frag_free(void *addr)
{
	struct pf_fpage *pg = (struct pf_fpage *)((uintptr_t)addr & PF_PAGE_MASK);
	struct rte_pagefrag_pool *fp;
	struct pf_fcache *c;
	unsigned int lcore_id;

	if (unlikely(addr == NULL))
		return;
	if (unlikely(pg->magic != PF_FRAG_MAGIC ||
			(uintptr_t)addr - (uintptr_t)pg < PF_FRAG_HDR)) {
		PF_LOG(ERR, "free of %p refused: not a fragment", addr);
		return;
	}
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	frag_mark_freed(pg, addr);
#endif
	fp = pg->pool;
	lcore_id = rte_lcore_id();
	if (likely(lcore_id < RTE_MAX_LCORE)) {
		c = &fp->lcore[lcore_id];
		/* plain loads: only this thread stores them while it owns c */
		if (c->page == pg && c->owner == pf_self_token) {
			c->bias++;	/* (d): no atomic */
			c->nb_back++;
			fp->stats[lcore_id].frees++;	/* see FSTAT_ADD */
			return;
		}
	}
	fstat_atomic_free(fp, lcore_id);
	/* RELEASE: see (b); reaching 0: see (c) */
	if (__atomic_fetch_sub(&pg->refcnt, 1, __ATOMIC_RELEASE) == 1) {
		rte_atomic_thread_fence(__ATOMIC_ACQUIRE);
		fpage_to_free_list(fp, pg);
	}
}

void
rte_pagefrag_free(void *addr)
{
	frag_free(addr);
}

unsigned int
rte_pagefrag_cache_drain(struct rte_pagefrag_pool *fp)
{
	unsigned int lcore_id = rte_lcore_id(), n;

	if (fp == NULL)
		return 0;
	if (lcore_id < RTE_MAX_LCORE && fcache_mine(fp, lcore_id))
		return fcache_drop(fp, &fp->lcore[lcore_id]);
	pf_lock(&fp->shared_lock, fp->name);
	n = fcache_drop(fp, &fp->shared);
	pf_unlock(&fp->shared_lock);
	return n;
}

void
pf_extbuf_free_cb(void *addr, void *opaque)
{
	RTE_SET_USED(opaque);
	frag_free(addr);
}
