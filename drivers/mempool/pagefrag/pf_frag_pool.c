/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Fragment pools as a whole: create one (its memzone of 2 MB pages, each
 * laid out by the engine, on the free list), free it once every page is
 * back, and sum its statistics (rte_pagefrag_pool_create(),
 * rte_pagefrag_pool_free(), rte_pagefrag_stats_get()).
 *
 * It does not carve, free or cache fragments, nor touch a page's
 * refcount (the engine, pf_frag.c), nor attach fragments to mbufs
 * (pf_frag_extbuf.c). It records, for the latter, where the creator
 * process has the fragments' mbuf free callback.
 */

#include <errno.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_string_fns.h>

#include "rte_pagefrag.h"
#include "pf_frag.h"
#include "pf_log.h"
#include "pf_page.h"

struct rte_pagefrag_pool *
rte_pagefrag_pool_create(const char *name, unsigned int nb_pages,
		int socket_id)
{
	struct rte_pagefrag_pool *fp;
	const struct rte_memzone *mz;
	char mz_name[RTE_MEMZONE_NAMESIZE];
	unsigned int i, split = 0;
	size_t mem_pg;

	if (name == NULL || nb_pages == 0 || nb_pages > (1u << 20)) {
		PF_LOG(ERR, "fragment pool needs a name and 1 to %u pages",
			1u << 20);
		rte_errno = EINVAL;
		return NULL;
	}
	if (snprintf(mz_name, sizeof(mz_name), "PF_FRAG_%s", name) >=
			(int)sizeof(mz_name)) {
		rte_errno = ENAMETOOLONG;
		return NULL;
	}
	fp = rte_zmalloc_socket("pagefrag_frag_pool", sizeof(*fp),
		RTE_CACHE_LINE_SIZE, socket_id);
	if (fp == NULL) {
		rte_errno = ENOMEM;
		return NULL;
	}
	mz = rte_memzone_reserve_aligned(mz_name, (size_t)nb_pages * PF_PAGE_SIZE,
		socket_id, 0, PF_PAGE_SIZE);
	if (mz == NULL) {
		PF_LOG(ERR, "fragment pool %s: cannot reserve %u pages of 2 MB: %s",
			name, nb_pages, rte_strerror(rte_errno));
		rte_free(fp);
		return NULL;
	}
	/* the memzone's page size; 4 KB pages when it does not say */
	mem_pg = mz->hugepage_sz != 0 ? mz->hugepage_sz :
		(size_t)sysconf(_SC_PAGESIZE);
	strlcpy(fp->name, name, sizeof(fp->name));
	fp->mz = mz;
	fp->free_cb = (uintptr_t)pf_extbuf_free_cb;
	fp->nb_pages = nb_pages;
	pf_lock_init(&fp->lock);
	pf_lock_init(&fp->shared_lock);
	for (i = nb_pages; i-- > 0; ) {
		struct pf_fpage *pg = (struct pf_fpage *)
			((char *)mz->addr + (size_t)i * PF_PAGE_SIZE);

		pf_fpage_init(fp, pg, mem_pg);
		split += pg->iova_seg != 0;
		pg->next = fp->free_head;
		fp->free_head = pg;
	}
	fp->nb_free = nb_pages;
	PF_LOG(INFO, "fragment pool %s: %u pages of 2 MB on socket %d, %u of them not IOVA-contiguous (%zu-byte pieces)",
		name, nb_pages, mz->socket_id, split, mem_pg);
	return fp;
}

int
rte_pagefrag_pool_free(struct rte_pagefrag_pool *fp)
{
	unsigned int i;

	if (fp == NULL)
		return 0;
	pf_lock(&fp->lock, fp->name);
	for (i = 0; i < RTE_MAX_LCORE; i++)
		pf_fcache_drop_idle(fp, &fp->lcore[i]);
	pf_fcache_drop_idle(fp, &fp->shared);
	pf_unlock(&fp->lock);
	if (fp->nb_free != fp->nb_pages) {
		PF_LOG(ERR, "fragment pool %s: %u of %u pages still in use, not freed",
			fp->name, fp->nb_pages - fp->nb_free, fp->nb_pages);
		rte_errno = EBUSY;
		return -EBUSY;
	}
	rte_memzone_free(fp->mz);
	rte_free(fp);
	return 0;
}

int
rte_pagefrag_stats_get(const struct rte_pagefrag_pool *fp,
		struct rte_pagefrag_stats *st)
{
	unsigned int i;

	if (fp == NULL || st == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(st, 0, sizeof(*st));
	st->pages_total = fp->nb_pages;
	st->pages_free = fp->nb_free;
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		st->allocs += fp->stats[i].allocs;
		st->frees += fp->stats[i].frees;
		st->alloc_fails += fp->stats[i].alloc_fails;
		st->refills += fp->stats[i].refills;
		st->reuses += fp->stats[i].reuses;
		st->drains += fp->stats[i].drains;
		st->atomic_frees += fp->stats[i].atomic_frees;
	}
	return 0;
}
