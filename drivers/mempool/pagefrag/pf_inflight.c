/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * The in-flight view of a pagefrag pool: which lcores hold the objects
 * that are out of the driver, and since when; its dump; and the warning of
 * rte_mempool_free() on a pool with objects still out.
 *
 * Read-only: it reads the per-lcore counters (struct pf_stats), the frag
 * caches and, in debug builds, the per-object records of the pages
 * (pf_inflight.h). It never changes a page or a cache.
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_inflight.h"
#include "pf_pool.h"
#include "pf_ring.h"

#define NB_SLOTS (RTE_MAX_LCORE + 1)	/* lcores, then the non-EAL slot */

static uint32_t
slot_lcore(unsigned int slot)
{
	return slot < RTE_MAX_LCORE ? slot : LCORE_ID_ANY;
}

static enum rte_mempool_pagefrag_inflight_mode
view_mode(void)
{
#if defined(RTE_MEMPOOL_PAGEFRAG_DEBUG)
	return RTE_MEMPOOL_PAGEFRAG_INFLIGHT_RECORDS;
#elif defined(RTE_MEMPOOL_PAGEFRAG_NO_STATS)
	return RTE_MEMPOOL_PAGEFRAG_INFLIGHT_NONE;
#else
	return RTE_MEMPOOL_PAGEFRAG_INFLIGHT_COUNTERS;
#endif
}

#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
static const uint64_t age_limits_ms[RTE_MEMPOOL_PAGEFRAG_AGE_BUCKETS - 1] =
	RTE_MEMPOOL_PAGEFRAG_AGE_LIMITS_MS;

static unsigned int
age_bucket(uint64_t ms)
{
	unsigned int b;

	for (b = 0; b < RTE_DIM(age_limits_ms); b++)
		if (ms < age_limits_ms[b])
			return b;
	return b;
}

/*
 * Sort the objects out into per-slot figures from their records: walk the
 * out-map of every page, with no lock (a monitoring process killed here
 * must not leave one held). Pages stay in the pool until it is freed, and
 * their list only grows: ACQUIRE loads of its links pair with the RELEASE
 * stores of pf_page_init(). Records of objects changing hands meanwhile
 * may be stale.
 */
static void
records_collect(struct pf_pool *pool, uint32_t min_age_ms,
		struct rte_mempool_pagefrag_holder *slots)
{
	const uint64_t hz = rte_get_tsc_hz(), now = rte_rdtsc();
	const struct pf_page *pg;

	for (pg = __atomic_load_n(&pool->all_head, __ATOMIC_ACQUIRE); pg != NULL;
			pg = __atomic_load_n(&pg->next_all, __ATOMIC_ACQUIRE)) {
		const struct pf_obj_rec *rec = pf_obj_recs(pool, pg);
		uint32_t words = pf_words(pg->nb_objs), w;

		for (w = 0; w < words; w++) {
			uint64_t m = __atomic_load_n(
				&pg->freemap[pool->geom.nb_words + w], __ATOMIC_RELAXED);

			while (m != 0) {
				const struct pf_obj_rec *r =
					&rec[w * 64 + __builtin_ctzll(m)];
				uint64_t tsc = r->tsc;
				uint64_t ms = now > tsc ?
					(now - tsc) * 1000 / hz : 0;
				struct rte_mempool_pagefrag_holder *h;

				m &= m - 1;
				if (ms < min_age_ms)
					continue;
				h = &slots[pf_slot_of(r->lcore)];
				h->objs++;
				h->age[age_bucket(ms)]++;
				if (ms > h->oldest_ms)
					h->oldest_ms = ms;
			}
		}
	}
}
#endif

/* Free objects reserved by the lcore frag caches, and by ring-level ones. */
static void
cache_reserved(struct pf_pool *pool, uint64_t *frag, uint64_t *ring)
{
	*frag = pf_pool_caches_held(pool);
	*ring = pf_ring_held(pool, NULL);
}

int
rte_mempool_pagefrag_inflight(const struct rte_mempool *mp,
		uint32_t min_age_ms, struct rte_mempool_pagefrag_inflight *inf,
		struct rte_mempool_pagefrag_holder *holders,
		unsigned int max_holders)
{
	struct pf_pool *pool = pf_pool_of(mp);
	struct rte_mempool_pagefrag_holder *slots;
	uint64_t in_driver, avail;
	unsigned int i, written = 0;

	if (pool == NULL || inf == NULL || (holders == NULL && max_holders)) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	slots = calloc(NB_SLOTS, sizeof(*slots));
	if (slots == NULL) {
		rte_errno = ENOMEM;
		return -ENOMEM;
	}
	memset(inf, 0, sizeof(*inf));
	inf->mode = view_mode();
	inf->min_age_ms = min_age_ms;

	/* the figures of every slot */
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	records_collect(pool, min_age_ms, slots);
#else
	if (inf->mode == RTE_MEMPOOL_PAGEFRAG_INFLIGHT_COUNTERS)
		for (i = 0; i < NB_SLOTS; i++)
			slots[i].objs = pf_slot_net(pool, i);
#endif

	/* totals: the driver's count, then the mempool's (caches added) */
	in_driver = pf_avail(pool);
	avail = rte_mempool_avail_count(mp);
	inf->objs_total = pool->nb_objs;
	inf->objs_out = inf->objs_total - RTE_MIN(in_driver, inf->objs_total);
	inf->objs_mempool_cache = avail > in_driver ?
		RTE_MIN(avail - in_driver, inf->objs_out) : 0;
	inf->objs_app = inf->objs_out - inf->objs_mempool_cache;
	cache_reserved(pool, &inf->objs_frag_cache, &inf->objs_ring_cache);

	for (i = 0; i < NB_SLOTS; i++) {
		if (slots[i].objs == 0)
			continue;
		slots[i].lcore_id = slot_lcore(i);
		inf->objs_attributed += slots[i].objs;
		inf->nb_holders++;
		if (written < max_holders)
			holders[written++] = slots[i];
	}
	free(slots);
	return written;
}

static void
holder_name(uint32_t lcore_id, char *buf, size_t len)
{
	if (lcore_id == LCORE_ID_ANY)
		snprintf(buf, len, "non-EAL");
	else
		snprintf(buf, len, "lcore %u", lcore_id);
}

int
rte_mempool_pagefrag_inflight_dump(FILE *f, const struct rte_mempool *mp,
		uint32_t min_age_ms)
{
	struct rte_mempool_pagefrag_holder h[NB_SLOTS];
	struct rte_mempool_pagefrag_inflight inf;
	char name[24];
	int n, i, b;

	if (f == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	n = rte_mempool_pagefrag_inflight(mp, min_age_ms, &inf, h, RTE_DIM(h));
	if (n < 0)
		return n;
	fprintf(f, "pagefrag pool <%s>: %" PRIu64 " of %" PRIu64
		" objects out: %" PRIu64 " held by the application, %" PRIu64
		" in mempool caches\n", mp->name, inf.objs_out, inf.objs_total,
		inf.objs_app, inf.objs_mempool_cache);
	fprintf(f, "  in the driver, reserved: %" PRIu64 " by frag caches, %"
		PRIu64 " by ring-level caches\n", inf.objs_frag_cache,
		inf.objs_ring_cache);
	switch (inf.mode) {
	case RTE_MEMPOOL_PAGEFRAG_INFLIGHT_COUNTERS:
		fprintf(f, "  by lcore, gets - puts (an lcore that frees what another took counts it as its own put):\n");
		for (i = 0; i < n; i++) {
			holder_name(h[i].lcore_id, name, sizeof(name));
			fprintf(f, "    %-10s %+" PRId64 "\n", name, h[i].objs);
		}
		break;
	case RTE_MEMPOOL_PAGEFRAG_INFLIGHT_RECORDS:
		fprintf(f, "  by taking lcore, at least %u ms old (mempool cache contents included):\n",
			min_age_ms);
		fprintf(f, "    %-10s %8s %7s %7s %7s %7s %7s %7s %10s\n", "holder",
			"objs", "<1ms", "<10ms", "<100ms", "<1s", "<10s",
			">=10s", "oldest_ms");
		for (i = 0; i < n; i++) {
			holder_name(h[i].lcore_id, name, sizeof(name));
			fprintf(f, "    %-10s %8" PRId64, name, h[i].objs);
			for (b = 0; b < RTE_MEMPOOL_PAGEFRAG_AGE_BUCKETS; b++)
				fprintf(f, " %7" PRIu64, h[i].age[b]);
			fprintf(f, " %10" PRIu64 "\n", h[i].oldest_ms);
		}
		break;
	default:
		fprintf(f, "  no per-lcore figures: statistics compiled out (-Dpagefrag_stats=false)\n");
		break;
	}
	return (int)RTE_MIN(inf.objs_app, (uint64_t)INT32_MAX);
}

/*
 * rte_mempool_free() frees the memory chunks, pages included, before it
 * calls the ops free callback, so the callback cannot look at the pages.
 * But first it dequeues every populated object, one per call, counting
 * mp->populated_size down after each call. Nobody puts objects meanwhile,
 * so once a call fails all the next ones fail: the failing calls are the
 * objects that were out (in the application or in a mempool cache).
 *
 * Call k (from 0) sees populated_size == nb_objs - k, so every failing
 * call but the first is recognized here. The first one fails only when
 * every object is out; it looks like any get failing on an exhausted pool,
 * so each such failure notes the puts counted so far: if none was counted
 * since, the free check knows the first call failed too (with statistics
 * compiled out it cannot, and reports one object less).
 */
static uint64_t
puts_counted(const struct pf_pool *pool)
{
	uint64_t n = 0;
	unsigned int i;

	for (i = 0; i < NB_SLOTS; i++)
		n += pool->stats[i].puts;
	return n;
}

void
pf_inflight_get_failed(const struct rte_mempool *mp, unsigned int n)
{
	struct pf_pool *pool = mp->pool_data;

	if (pool == NULL || pool->magic != PF_POOL_MAGIC)
		return;
	/*
	 * RELAXED: hints written by failing gets; the free check reads them
	 * in the thread that made the failing calls of rte_mempool_free().
	 */
	if (mp->populated_size < pool->nb_objs) {
		__atomic_fetch_add(&pool->free_fails, n, __ATOMIC_RELAXED);
	} else {
		__atomic_store_n(&pool->fail_full_puts, puts_counted(pool),
			__ATOMIC_RELAXED);
		__atomic_store_n(&pool->fail_full, 1, __ATOMIC_RELAXED);
	}
}

void
pf_inflight_free_check(const struct rte_mempool *mp, const struct pf_pool *pool)
{
	int64_t out = (int64_t)pool->free_fails, in_caches, app;
	char list[256] = "";
	size_t len = 0;

	/* the first dequeue failed too, see above */
#ifndef RTE_MEMPOOL_PAGEFRAG_NO_STATS
	if (pool->fail_full && pool->free_fails + 1 == pool->nb_objs &&
			pool->fail_full_puts == puts_counted(pool))
		out++;
#endif
	if (out == 0)
		return;
	/* get_count answers 0 now: this is what the mempool caches hold */
	in_caches = rte_mempool_avail_count(mp);
	app = out - in_caches;
	if (app <= 0)
		return;
#ifdef RTE_MEMPOOL_PAGEFRAG_DEBUG
	{
		/* the dequeues that succeeded were taken by this thread */
		const unsigned int self = pf_slot_of(rte_lcore_id());
		unsigned int i;

		for (i = 0; i < NB_SLOTS; i++) {
			int64_t n = (int64_t)pool->inflight[i].taken;
			char name[24];

			if (i == self)
				n -= (int64_t)pool->nb_objs - out;
			if (n <= 0 || len >= sizeof(list))
				continue;
			holder_name(slot_lcore(i), name, sizeof(name));
			len += snprintf(list + len, sizeof(list) - len, "%s%s: %"
				PRId64, len ? ", " : "; taken by ", name, n);
		}
	}
#endif
	PF_LOG(WARNING, "pool %s freed with %" PRId64 " objects still out of it (%"
		PRId64 " more in mempool caches)%s%s", mp->name, app, in_caches,
		list, len >= sizeof(list) ? "..." : "");
}
