/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * A frag cache's hold on its page: the ranges and the word of reclaimed
 * objects it holds there, and the bias they stand for (see pf_cache.h).
 * Here a cache is cleared (init, forget), counts what it holds, has a run
 * rewound into its ranges, and drops its page: its free objects go back
 * to the page's freemap and uncarved tail, its bias off the refcount.
 * Every atomic follows the numbered argument in pf_page.h.
 *
 * It does not take a page nor hand objects out or take them back
 * (pf_cache.c: arm, reclaim, refill, the get and put slow paths, the
 * recycle stack, emptying); the recycled objects hold their own
 * references, so it only counts them. It calls nothing of pf_cache.c or
 * pf_cache.h: they call it.
 */

#include <stdint.h>
#include <string.h>

#include <rte_common.h>

#include "pf_hold.h"
#include "pf_page.h"
#include "pf_state.h"

void
pf_cache_init(struct pf_cache *c, int32_t id, struct pf_recycle_slots *slots)
{
	memset(c, 0, sizeof(*c));
	c->owner.id = id;
	c->carve.recycled = slots->objs;
}

void
pf_cache_forget(struct pf_carve *cv)
{
	cv->page = NULL;
	cv->obj0 = 0;
	cv->obj_end = 0;
	cv->nb = 0;
	cv->nb_ranges = 0;
	cv->rword = 0;
	cv->rmask = 0;
	cv->rbase = 0;
	cv->nb_recycled = 0;
}

/* ---- what a cache holds ---- */

uint32_t
pf_cache_held(const struct pf_carve *cv)
{
	uint32_t held = __builtin_popcountll(cv->rmask) + cv->nb_recycled;
	uint32_t i;

	for (i = 0; i < cv->nb_ranges; i++)
		held += cv->ranges[i].n;
	return held;
}

unsigned int
pf_cache_drop(struct pf_pool *pool, struct pf_carve *cv, struct pf_stats *st)
{
	struct pf_page *pg = cv->page;
	unsigned int atomics = 0;
	uint32_t bias, carved, i;

	if (pg == NULL)
		return 0;
	/* recycled objects hold their own references: not the bias */
	bias = pf_cache_held(cv) - cv->nb_recycled + 1;

	/*
	 * The range reaching the end of the page becomes the uncarved tail;
	 * the other free objects get freemap bits. All of it is written
	 * before the RELEASE fetch_sub below, see (1) in pf_page.h.
	 */
	carved = cv->nb;
	for (i = 0; i < cv->nb_ranges; i++) {
		uint32_t lo = (cv->ranges[i].lo - cv->obj0) / cv->elt;
		uint32_t hi = lo + cv->ranges[i].n;

		if (hi == cv->nb)
			carved = lo;
		else
			atomics += pf_freemap_set_range(pg, lo, hi);
	}
	if (cv->rmask != 0)
		atomics += pf_freemap_set_word(pg, cv->rbase / 64, cv->rmask);
	pg->carved = carved;

	pf_lock(&pool->lock, pool->name);
	/* ACQ_REL: publishes the writes above (1); if it reaches 0, (3). */
	if (__atomic_fetch_sub(&pg->refcnt, bias, __ATOMIC_ACQ_REL) == bias) {
		pf_page_reset(pool, pg);
		pf_free_push(pool, pg, 0);
	} else {
		pf_partial_append(pool, pg);
	}
	pf_unlock(&pool->lock);
	atomics++;
	PF_STAT_ADD(st, atomics, atomics);

	cv->page = NULL;
	cv->obj0 = 0;
	cv->obj_end = 0;
	cv->nb_ranges = 0;
	cv->rmask = 0;
	return bias;
}

/*
 * Take cnt consecutive objects starting at address a back into the cache's
 * ranges: grow a neighbour range, else start a new one. The range that grew
 * is moved on top, so the next get hands these warm objects out again.
 * The caller checked that they lie inside the cache's page.
 * Returns 0 if there is no room.
 */
static int
cache_rewind(struct pf_carve *cv, uintptr_t a, uint32_t cnt)
{
	struct pf_range *r = cv->ranges;
	const uintptr_t elt = cv->elt, end = a + cnt * elt;
	uint32_t n = cv->nb_ranges, i, k, top;
	uintptr_t lo, hi;

	for (i = n; i-- > 0; ) {
		if (r[i].lo == end)
			r[i].lo = a;
		else if (r[i].lo + r[i].n * elt != a)
			continue;
		r[i].n += cnt;
		/* the grown range may now touch another one: merge them */
		lo = r[i].lo;
		hi = lo + r[i].n * elt;
		for (k = 0; k < n; k++) {
			if (k == i || (r[k].lo != hi &&
					r[k].lo + r[k].n * elt != lo))
				continue;
			r[i].lo = RTE_MIN(lo, r[k].lo);
			r[i].n += r[k].n;
			n--;
			r[k].lo = r[n].lo;
			r[k].n = r[n].n;
			if (i == n)
				i = k;
			break;
		}
		cv->nb_ranges = n;
		/* move it on top, field by field */
		top = n - 1;
		lo = r[i].lo;
		k = r[i].n;
		r[i].lo = r[top].lo;
		r[i].n = r[top].n;
		r[top].lo = lo;
		r[top].n = k;
		return 1;
	}
	if (n == PF_CACHE_RANGES)
		return 0;
	r[n].lo = a;
	r[n].n = cnt;
	cv->nb_ranges = n + 1;
	return 1;
}

int
pf_cache_rewind_run(struct pf_pool *pool, struct pf_carve *cv, uintptr_t a,
		uint32_t n)
{
	uint32_t idx = pf_obj_index(pool, cv->obj0, cv->nb, (void *)a);

	if (idx == UINT32_MAX || idx + n > cv->nb || !cache_rewind(cv, a, n))
		return -1;
	return 0;
}
