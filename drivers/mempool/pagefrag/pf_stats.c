/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Statistics and dump of pagefrag pools.
 *
 * Counters are written per lcore by the engine (PF_STAT_ADD) and only read
 * and summed here; gauges are computed from the page lists under the pool
 * lock. Nothing here changes a page.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <rte_common.h>
#include <rte_errno.h>
#include <rte_mempool.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_inflight.h"
#include "pf_pool.h"
#include "pf_ring.h"

static const char *
owner_name(int32_t owner, char *buf, size_t len)
{
	switch (owner) {
	case PF_OWNER_NONE:
		return "-";
	case PF_OWNER_SHARED:
		return "shared";
	case PF_OWNER_RING:
		return "ring";
	default:
		snprintf(buf, len, "lcore %d", owner);
		return buf;
	}
}

static const char *
state_name(uint32_t state)
{
	switch (state) {
	case PF_PAGE_FREE:
		return "free";
	case PF_PAGE_OWNED:
		return "carving";
	case PF_PAGE_PARTIAL:
		return "partial";
	default:
		return "?";
	}
}

static uint32_t
page_returned(const struct pf_page *pg)
{
	uint32_t words = pf_words(pg->nb_objs), w, n = 0;

	for (w = 0; w < words; w++)
		n += __builtin_popcountll(__atomic_load_n(&pg->freemap[w],
			__ATOMIC_RELAXED));
	return n;
}

int
rte_mempool_pagefrag_stats_get(const struct rte_mempool *mp,
		struct rte_mempool_pagefrag_stats *st)
{
	struct pf_pool *pool = pf_pool_of(mp);
	const struct pf_page *pg;
	unsigned int i;

	if (pool == NULL || st == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	memset(st, 0, sizeof(*st));
	st->page_size = UINT64_C(1) << pool->geom.shift;
	st->objs_per_page = pool->geom.objs_per_page;
	st->elt_total_size = pool->elt_size;
	st->page_waste = st->page_size - pool->geom.data_off -
		(uint64_t)pool->geom.objs_per_page * pool->elt_size;

	/*
	 * No lock: a monitoring process killed here must not leave one held
	 * (the pool lock guards the lists). The page list only grows; its
	 * links are read ACQUIRE, pairing with pf_page_init()'s RELEASE
	 * stores: a page found is set up. States and counts are RELAXED
	 * snapshots of a pool in use, exact at rest.
	 */
	st->pages_total = __atomic_load_n(&pool->nb_pages, __ATOMIC_RELAXED);
	st->pages_free = __atomic_load_n(&pool->nb_free, __ATOMIC_RELAXED);
	st->pages_partial = __atomic_load_n(&pool->nb_partial,
		__ATOMIC_RELAXED);
	st->pages_carving = st->pages_total - st->pages_free -
		st->pages_partial;
	st->objs_total = __atomic_load_n(&pool->nb_objs, __ATOMIC_RELAXED);
	for (pg = __atomic_load_n(&pool->all_head, __ATOMIC_ACQUIRE); pg != NULL;
			pg = __atomic_load_n(&pg->next_all, __ATOMIC_ACQUIRE))
		if (__atomic_load_n(&pg->state, __ATOMIC_RELAXED) ==
				PF_PAGE_PARTIAL)
			st->objs_pinned += page_returned(pg) + pg->nb_objs -
				__atomic_load_n(&pg->carved, __ATOMIC_RELAXED);
	st->metadata_bytes = sizeof(*pool) +
		(uint64_t)pool->nb_pages * pool->geom.data_off;
	st->objs_avail = pf_avail(pool);

	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		const struct pf_stats *s = &pool->stats[i];

		st->gets += s->gets;
		st->puts += s->puts;
		st->get_fails += s->get_fails;
		st->put_errors += s->put_errors;
		st->page_refills += s->page_refills;
		st->page_reuses += s->page_reuses;
		st->partial_reuses += s->partial_reuses;
		/* rewound: every put that did not go through a freemap */
		st->rewinds += s->puts - s->puts_generic;
		st->reclaims += s->reclaims;
		st->drains += s->drains;
		st->drain_refs += s->drain_refs;
		st->atomics += s->atomics;
		st->cache_flushes += s->cache_flushes;
		st->lcore_collisions += s->lcore_collisions;
		st->caches_recovered += s->caches_recovered;
	}
	return 0;
}

int
rte_mempool_pagefrag_stats_reset(struct rte_mempool *mp)
{
	struct pf_pool *pool = pf_pool_of(mp);
	unsigned int i;

	if (pool == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	/*
	 * The in-flight view keeps counting: gets - puts moves to out_base,
	 * and taken (debug) is left alone. Racy with gets and puts, as
	 * resetting counters that other lcores write always is.
	 */
	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		struct pf_stats *s = &pool->stats[i];
		uint64_t shared = s->shared;

		pool->inflight[i].out_base = pf_slot_net(pool, i);
		memset(s, 0, sizeof(*s));
		s->shared = shared;
	}
	return 0;
}

int
rte_mempool_pagefrag_dump(FILE *f, const struct rte_mempool *mp)
{
	struct pf_pool *pool = pf_pool_of(mp);
	struct rte_mempool_pagefrag_stats st;
	const struct pf_page *pg;
	char buf[32];

	if (pool == NULL || f == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	rte_mempool_pagefrag_stats_get(mp, &st);
	fprintf(f, "pagefrag pool <%s>@%p\n", mp->name, (const void *)mp);
	fprintf(f, "  geometry: %" PRIu64 " objects of %" PRIu64 " bytes, %" PRIu64
		" per page, %u-byte page header, %" PRIu64 " bytes unused per page\n",
		st.objs_total, st.elt_total_size, st.objs_per_page,
		pool->geom.data_off, st.page_waste);
	fprintf(f, "  pages: total=%" PRIu64 " free=%" PRIu64 " carving=%" PRIu64
		" partial=%" PRIu64 "\n", st.pages_total, st.pages_free,
		st.pages_carving, st.pages_partial);
	fprintf(f, "  objects: avail=%" PRIu64 " pinned=%" PRIu64 "\n",
		st.objs_avail, st.objs_pinned);
	fprintf(f, "  gets=%" PRIu64 " puts=%" PRIu64 " get_fails=%" PRIu64
		" put_errors=%" PRIu64 "\n", st.gets, st.puts, st.get_fails,
		st.put_errors);
	fprintf(f, "  refills=%" PRIu64 " reuses=%" PRIu64 " partial_reuses=%"
		PRIu64 " rewinds=%" PRIu64 " reclaims=%" PRIu64 "\n",
		st.page_refills, st.page_reuses, st.partial_reuses, st.rewinds,
		st.reclaims);
	fprintf(f, "  drains=%" PRIu64 " drain_refs=%" PRIu64 " atomics=%" PRIu64
		" cache_flushes=%" PRIu64 " metadata=%" PRIu64 " bytes\n",
		st.drains, st.drain_refs, st.atomics, st.cache_flushes,
		st.metadata_bytes);
	fprintf(f, "  lcore_collisions=%" PRIu64 " caches_recovered=%" PRIu64
		"\n", st.lcore_collisions, st.caches_recovered);
	fprintf(f, "  %-5s %-18s %-8s %-9s %7s %7s %7s %7s\n", "page", "address",
		"state", "owner", "refcnt", "objs", "carved", "returned");
	/*
	 * Without the pool lock: no write to a file under it. The links are
	 * read as in pf_pool_avail(); the states are a racy snapshot.
	 */
	for (pg = __atomic_load_n(&pool->all_head, __ATOMIC_ACQUIRE); pg != NULL;
			pg = __atomic_load_n(&pg->next_all, __ATOMIC_ACQUIRE))
		fprintf(f, "  %-5u %-18p %-8s %-9s %7u %7u %7u %7u\n",
			pg->index, (const void *)pg, state_name(pg->state),
			owner_name(pg->owner, buf, sizeof(buf)),
			__atomic_load_n(&pg->refcnt, __ATOMIC_RELAXED),
			pg->nb_objs, pg->carved, page_returned(pg));
	return 0;
}
