/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Stress tests of the pagefrag driver:
 *
 *   pagefrag_stress_autotest    every EAL lcore and a non-EAL thread mix
 *                               mempool get/put, ring-level alloc/free/
 *                               drain, long-held (pinning) objects and
 *                               fragments, with a shadow ownership map
 *                               checked on every operation; then the
 *                               pipeline: main lcore -> worker lcore ->
 *                               non-EAL thread -> main lcore through
 *                               SP/SC rings, each stage freeing what
 *                               another took; both again on a pool that
 *                               runs dry with mempool caches of 8 to 256,
 *                               frag caches emptied now and then (a few
 *                               seconds each)
 *   pagefrag_stress_long        the same for 10^8 operations or
 *                               PAGEFRAG_STRESS_SECONDS (default 300)
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_memzone.h>
#include <rte_mempool.h>
#include <rte_random.h>
#include <rte_ring.h>

#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define HELD_MAX 384
#define PINS 48
#define FRAGS 32
#define NON_EAL_ID RTE_MAX_LCORE

struct stress_ctx {
	struct rte_mempool *mp;
	struct rte_pagefrag_pool *fp;
	uintptr_t *addrs;	/* sorted object addresses */
	uint8_t *owner;		/* shadow map: 0 free, else worker id + 1 */
	unsigned int n;
	uint64_t ops_target;	/* per worker */
	uint64_t deadline;	/* TSC */
	uint64_t flush_mask;	/* cache_flush when (op & mask) == 0; 0: never */
	volatile int start;
	int errors;
	uint64_t ops[RTE_MAX_LCORE + 1];
	uint64_t objs[RTE_MAX_LCORE + 1];
	uint64_t empty[RTE_MAX_LCORE + 1];
};

struct pin {
	void *obj;
	uint64_t until;
};

struct frag {
	uint8_t *addr;
	uint32_t size;
	uint8_t tag;
};

struct worker {
	struct stress_ctx *s;
	unsigned int id;
	uint8_t me;
	struct rte_mempool_pagefrag_rcache *rc;
	void *held[HELD_MAX];
	unsigned int nheld;
	struct pin pins[PINS];
	struct frag frags[FRAGS];
	uint64_t op;
};

static int
fail(struct worker *w, const char *what, const void *obj)
{
	printf("worker %u, op %" PRIu64 ": object %p %s\n", w->id, w->op, obj,
		what);
	__atomic_fetch_add(&w->s->errors, 1, __ATOMIC_RELAXED);
	return -1;
}

/* Newly obtained objects: each must be free in the shadow map. */
static int
claim(struct worker *w, void **objs, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		int idx = pf_test_obj_index(w->s->addrs, w->s->n, objs[i]);
		uint8_t expect = 0;

		if (idx < 0)
			return fail(w, "is not an object of the pool", objs[i]);
		/* ACQ_REL: pairs with the releasing store of the last owner */
		if (!__atomic_compare_exchange_n(&w->s->owner[idx], &expect,
				w->me, 0, __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			return fail(w, "handed out while owned", objs[i]);
		*(uint64_t *)objs[i] = (uintptr_t)objs[i] ^ w->me;
	}
	w->s->objs[w->id] += k;
	return 0;
}

/* Objects about to be given back: still ours and unchanged. */
static int
release(struct worker *w, void * const *objs, unsigned int k)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		int idx = pf_test_obj_index(w->s->addrs, w->s->n, objs[i]);

		if (idx < 0 || w->s->owner[idx] != w->me)
			return fail(w, "given back but not owned", objs[i]);
		if (*(uint64_t *)objs[i] != ((uintptr_t)objs[i] ^ w->me))
			return fail(w, "overwritten while owned", objs[i]);
		__atomic_store_n(&w->s->owner[idx], 0, __ATOMIC_RELEASE);
	}
	return 0;
}

static int
give_back(struct worker *w, unsigned int k, int how)
{
	unsigned int i = rte_rand_max(w->nheld - k + 1);
	void **objs = &w->held[i];

	if (release(w, objs, k) < 0)
		return -1;
	switch (how) {
	case 0:
		rte_mempool_put_bulk(w->s->mp, objs, k);
		break;
	case 1:
		if (rte_mempool_pagefrag_rcache_free(w->rc, objs, k) < 0)
			return fail(w, "refused by rcache_free", objs[0]);
		break;
	default:
		if (rte_mempool_pagefrag_put_bulk(w->s->mp, objs, k) < 0)
			return fail(w, "refused by put_bulk", objs[0]);
		break;
	}
	memmove(objs, objs + k, (w->nheld - i - k) * sizeof(void *));
	w->nheld -= k;
	return 0;
}

static int
frag_op(struct worker *w)
{
	struct frag *f = &w->frags[rte_rand_max(FRAGS)];
	uint32_t i;

	if (f->addr != NULL) {
		for (i = 0; i < f->size; i += 61)
			if (f->addr[i] != f->tag)
				return fail(w, "fragment overwritten", f->addr);
		rte_pagefrag_free(f->addr);
		f->addr = NULL;
		return 0;
	}
	f->size = 1 + rte_rand_max(4096);
	f->tag = (uint8_t)(w->op | 1);
	f->addr = rte_pagefrag_alloc(w->s->fp, f->size,
		1u << rte_rand_max(7), NULL);
	if (f->addr != NULL)
		memset(f->addr, f->tag, f->size);
	return 0;
}

static int
stress_run(struct worker *w)
{
	struct stress_ctx *s = w->s;
	unsigned int i;

	while (!s->start)
		rte_pause();
	for (w->op = 0; w->op < s->ops_target && !s->errors; w->op++) {
		unsigned int r = rte_rand_max(100);
		unsigned int k = 1 + rte_rand_max(32);

		if ((w->op & 1023) == 0 && rte_get_timer_cycles() > s->deadline)
			break;
		if (s->flush_mask != 0 && (w->op & s->flush_mask) == 0 &&
				rte_mempool_pagefrag_cache_flush(s->mp) != 0)
			return fail(w, "refused by cache_flush", NULL);
		if (r < 35) {			/* mempool get */
			if (w->nheld + k > HELD_MAX)
				continue;
			if (rte_mempool_get_bulk(s->mp, &w->held[w->nheld], k)) {
				s->empty[w->id]++;
				continue;
			}
			if (claim(w, &w->held[w->nheld], k) < 0)
				return -1;
			w->nheld += k;
		} else if (r < 45) {		/* ring-level alloc */
			if (w->nheld + k > HELD_MAX)
				continue;
			if (rte_mempool_pagefrag_rcache_alloc(w->rc,
					&w->held[w->nheld], k) != 0) {
				s->empty[w->id]++;
				continue;
			}
			if (claim(w, &w->held[w->nheld], k) < 0)
				return -1;
			w->nheld += k;
		} else if (r < 80) {		/* give back, three ways */
			if (w->nheld == 0)
				continue;
			if (give_back(w, RTE_MIN(k, w->nheld),
					r < 65 ? 0 : r < 75 ? 1 : 2) < 0)
				return -1;
		} else if (r < 82) {		/* drain the queue's cache */
			rte_mempool_pagefrag_rcache_drain(w->rc);
		} else if (r < 88) {		/* pin an object for a long time */
			struct pin *p = &w->pins[rte_rand_max(PINS)];

			if (p->obj != NULL || w->nheld == 0)
				continue;
			p->obj = w->held[--w->nheld];
			p->until = w->op + rte_rand_max(200000);
		} else {			/* fragments */
			if (frag_op(w) < 0)
				return -1;
		}
		if ((w->op & 63) == 0)
			for (i = 0; i < PINS; i++)
				if (w->pins[i].obj != NULL &&
						w->pins[i].until <= w->op) {
					if (release(w, &w->pins[i].obj, 1) < 0)
						return -1;
					rte_mempool_put(s->mp, w->pins[i].obj);
					w->pins[i].obj = NULL;
				}
	}
	s->ops[w->id] = w->op;
	/* give everything back */
	if (release(w, w->held, w->nheld) < 0)
		return -1;
	rte_mempool_put_bulk(s->mp, w->held, w->nheld);
	w->nheld = 0;
	for (i = 0; i < PINS; i++)
		if (w->pins[i].obj != NULL) {
			if (release(w, &w->pins[i].obj, 1) < 0)
				return -1;
			rte_mempool_put(s->mp, w->pins[i].obj);
		}
	for (i = 0; i < FRAGS; i++)
		if (w->frags[i].addr != NULL)
			rte_pagefrag_free(w->frags[i].addr);
	rte_pagefrag_cache_drain(s->fp);
	return 0;
}

static int
lcore_stress(void *arg)
{
	struct worker *w = arg;

	return stress_run(w);
}

static void *
thread_stress(void *arg)
{
	stress_run(arg);
	return NULL;
}

/*
 * At rest after a stress run: rte_mempool_avail_count() counts every object
 * and the shadow map has none still owned. 0, or -1 with the reason printed.
 */
static int
all_back(struct rte_mempool *mp, const uintptr_t *addrs, const uint8_t *owner,
		unsigned int n)
{
	unsigned int avail = rte_mempool_avail_count(mp), i;

	if (avail != n) {
		printf("avail %u != %u at the end: objects lost\n", avail, n);
		return -1;
	}
	for (i = 0; i < n; i++)
		if (owner[i] != 0) {
			printf("object %#" PRIxPTR " still owned by %u\n",
				addrs[i], owner[i]);
			return -1;
		}
	return 0;
}

/*
 * Every EAL lcore and one non-EAL thread run stress_run() on one pool of
 * n objects of elt bytes, each emptying its frag cache every flush_every
 * operations (a power of two; 0: never); counts are checked exact at the
 * end.
 */
static int
stress(unsigned int n, unsigned int elt, unsigned int cache, uint64_t ops,
		double seconds, unsigned int flush_every)
{
	struct stress_ctx *s = calloc(1, sizeof(*s));
	struct worker *w = calloc(RTE_MAX_LCORE + 1, sizeof(*w));
	struct rte_pagefrag_stats fst;
	struct rte_mempool_pagefrag_stats st;
	unsigned int lcore, i;
	uint64_t total = 0, objs = 0, empty = 0, t0;
	pthread_t th;
	int ret = TEST_SUCCESS;

	if (s == NULL || w == NULL)
		return TEST_FAILED;
	s->n = n;
	s->ops_target = ops;
	s->flush_mask = flush_every != 0 ? flush_every - 1 : 0;
	s->mp = pf_test_pool("pf_stress_mix", n, elt, cache, 0);
	s->fp = rte_pagefrag_pool_create("pf_stress_frag", 8, SOCKET_ID_ANY);
	TEST_ASSERT(s->mp != NULL && s->fp != NULL, "pools");
	s->addrs = pf_test_obj_addrs(s->mp);
	s->owner = calloc(n, 1);

	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		w[i].s = s;
		w[i].id = i;
		w[i].me = (uint8_t)(i == NON_EAL_ID ? 255 : i + 1);
		w[i].rc = rte_mempool_pagefrag_rcache_create(s->mp,
			SOCKET_ID_ANY);
		TEST_ASSERT_NOT_NULL(w[i].rc, "rcache");
	}
	s->deadline = rte_get_timer_cycles() +
		(uint64_t)(seconds * rte_get_timer_hz());
	RTE_LCORE_FOREACH_WORKER(lcore)
		rte_eal_remote_launch(lcore_stress, &w[lcore], lcore);
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, thread_stress,
		&w[NON_EAL_ID]), "pthread_create");
	t0 = rte_get_timer_cycles();
	s->start = 1;
	stress_run(&w[rte_lcore_id()]);
	rte_eal_mp_wait_lcore();
	pthread_join(th, NULL);

	for (i = 0; i <= RTE_MAX_LCORE; i++) {
		total += s->ops[i];
		objs += s->objs[i];
		empty += s->empty[i];
		rte_mempool_pagefrag_rcache_destroy(w[i].rc);
	}
	rte_mempool_pagefrag_stats_get(s->mp, &st);
	rte_pagefrag_stats_get(s->fp, &fst);
	printf("stress: %u objects of %u bytes, cache %u, frag caches emptied every %u operations: %" PRIu64 " operations (%" PRIu64
		" objects taken, %" PRIu64 " refusals on an empty pool) in %.1f s on %u lcores + 1 non-EAL thread\n",
		n, elt, cache, flush_every, total, objs, empty,
		(double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz(),
		rte_lcore_count());
	printf("  driver: refills %" PRIu64 ", reuses %" PRIu64 ", partial reuses %"
		PRIu64 ", rewinds %" PRIu64 ", reclaims %" PRIu64 ", drains %" PRIu64
		", caches emptied %" PRIu64 "; fragments: %" PRIu64 " allocs, %"
		PRIu64 " frees\n",
		st.page_refills, st.page_reuses, st.partial_reuses, st.rewinds,
		st.reclaims, st.drains, st.cache_flushes, fst.allocs, fst.frees);
	if (s->errors)
		ret = TEST_FAILED;
	if (all_back(s->mp, s->addrs, s->owner, n) != 0)
		ret = TEST_FAILED;
	if (fst.allocs != fst.frees || fst.pages_free != fst.pages_total) {
		printf("fragments: %" PRIu64 " allocs, %" PRIu64 " frees, %" PRIu64
			" of %" PRIu64 " pages free\n", fst.allocs, fst.frees,
			fst.pages_free, fst.pages_total);
		ret = TEST_FAILED;
	}
	rte_pagefrag_pool_free(s->fp);
	rte_mempool_free(s->mp);
	free(s->addrs);
	free(s->owner);
	free(s);
	free(w);
	return ret;
}

/* ---- pipeline: objects freed on another lcore than the one that took them */

#define PIPE_AGENTS 3
#define PIPE_RING 512
#define PIPE_BURST 32

struct pipe_ctx;

/*
 * One stage of the pipeline: takes objects from the pool and passes them
 * on to the next stage's ring; frees (or passes on once more) what the
 * previous stage passed to it. Agent 0 is the main lcore, 1 a worker
 * lcore, 2 a non-EAL thread.
 */
struct pipe_agent {
	struct pipe_ctx *s;
	unsigned int id;
	uint8_t me;		/* shadow-map tag: id + 1 */
	uint8_t next;		/* tag of the next stage */
	struct rte_ring *in;
	struct rte_ring *out;
	int register_thread;	/* non-EAL thread: rte_thread_register */
	uint64_t got;		/* objects taken from the pool */
	uint64_t passed;	/* objects put into the out ring */
	uint64_t remote;	/* received objects freed here */
	uint64_t local;		/* own objects freed here (out ring full) */
	uint64_t empty;		/* gets refused */
	uint64_t ops;
};

struct pipe_ctx {
	struct rte_mempool *mp;
	uintptr_t *addrs;	/* sorted object addresses */
	uint8_t *owner;		/* 0 free, else holder's (or receiver's) tag */
	unsigned int n;
	uint64_t deadline;	/* TSC */
	uint64_t flush_mask;	/* cache_flush when (ops & mask) == 0; 0: never */
	volatile int start;
	int errors;
	uint32_t out_done[PIPE_AGENTS];	/* agent i passes nothing more on */
	struct rte_ring *ring[PIPE_AGENTS];	/* ring i: agent i -> i + 1 */
	struct pipe_agent a[PIPE_AGENTS];
};

static int
pipe_fail(struct pipe_agent *a, const char *what, const void *obj)
{
	printf("pipeline agent %u, op %" PRIu64 ": object %p %s\n", a->id,
		a->ops, obj, what);
	__atomic_fetch_add(&a->s->errors, 1, __ATOMIC_RELAXED);
	return -1;
}

/*
 * Move objects from tag from to tag to in the shadow map (0: free), after
 * checking the tag written into each; a holder (to != 0) writes its own.
 * The compare-and-swap catches an object handed out while another holds
 * it or while it sits in a ring.
 */
static int
pipe_move(struct pipe_agent *a, void * const *objs, unsigned int k,
		uint8_t from, uint8_t to)
{
	unsigned int i;

	for (i = 0; i < k; i++) {
		int idx = pf_test_obj_index(a->s->addrs, a->s->n, objs[i]);
		uint8_t expect = from;

		if (idx < 0)
			return pipe_fail(a, "is not an object of the pool",
				objs[i]);
		if (from != 0 && *(uint64_t *)objs[i] !=
				((uintptr_t)objs[i] ^ from))
			return pipe_fail(a, "overwritten while owned", objs[i]);
		/*
		 * ACQ_REL: acquires the previous holder's tag write (its
		 * releasing CAS), releases ours to the next holder; the rings
		 * order the hand-over as well.
		 */
		if (!__atomic_compare_exchange_n(&a->s->owner[idx], &expect,
				to, 0, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			return pipe_fail(a, from == 0 ?
				"handed out while owned or in a ring" :
				"not owned by its holder", objs[i]);
		if (to != 0)
			*(uint64_t *)objs[i] = (uintptr_t)objs[i] ^ to;
	}
	return 0;
}

/* Give objects back, one of three ways. */
static void
pipe_free(struct pipe_agent *a, void * const *objs, unsigned int k)
{
	unsigned int i;

	switch (rte_rand_max(4)) {
	case 0:		/* one by one, the Tx-completion way */
		for (i = 0; i < k; i++)
			rte_mempool_put(a->s->mp, objs[i]);
		break;
	case 1:		/* no mempool cache: straight to the driver */
		rte_mempool_generic_put(a->s->mp, objs, k, NULL);
		break;
	case 2:
		if (rte_mempool_pagefrag_put_bulk(a->s->mp, objs, k) < 0)
			pipe_fail(a, "refused by put_bulk", objs[0]);
		break;
	default:
		rte_mempool_put_bulk(a->s->mp, objs, k);
		break;
	}
}

/*
 * Take a burst from the pool and pass it on; what does not fit (the next
 * stage forwarded into the ring meanwhile) is freed here.
 */
static int
pipe_produce(struct pipe_agent *a)
{
	void *objs[PIPE_BURST];
	unsigned int k = 1 + rte_rand_max(PIPE_BURST), sent;
	int ret;

	/* back-pressure: the next stage is behind (or descheduled) */
	if (rte_ring_free_count(a->out) < k)
		return 0;
	if (rte_rand_max(4) == 0)
		ret = rte_mempool_generic_get(a->s->mp, objs, k, NULL);
	else
		ret = rte_mempool_get_bulk(a->s->mp, objs, k);
	if (ret != 0) {
		a->empty++;
		return 0;
	}
	a->got += k;
	if (pipe_move(a, objs, k, 0, a->me) < 0 ||
			pipe_move(a, objs, k, a->me, a->next) < 0)
		return -1;
	sent = rte_ring_sp_enqueue_burst(a->out, objs, k, NULL);
	a->passed += sent;
	if (sent < k) {
		if (pipe_move(a, &objs[sent], k - sent, a->next, a->me) < 0 ||
				pipe_move(a, &objs[sent], k - sent, a->me, 0) < 0)
			return -1;
		pipe_free(a, &objs[sent], k - sent);
		a->local += k - sent;
	}
	return 0;
}

/*
 * Take what the previous stage passed: free it, or (while running, one
 * burst in four) pass it on to the next stage, which then frees what a
 * third one took. Returns the objects taken from the ring, or -1.
 */
static int
pipe_consume(struct pipe_agent *a, int running)
{
	void *objs[PIPE_BURST];
	unsigned int k, sent = 0;

	k = rte_ring_sc_dequeue_burst(a->in, objs, PIPE_BURST, NULL);
	if (k == 0)
		return 0;
	if (running && rte_rand_max(4) == 0) {
		if (pipe_move(a, objs, k, a->me, a->next) < 0)
			return -1;
		sent = rte_ring_sp_enqueue_burst(a->out, objs, k, NULL);
		a->passed += sent;
		if (sent < k && pipe_move(a, &objs[sent], k - sent, a->next,
				a->me) < 0)
			return -1;
	}
	if (sent < k) {
		if (pipe_move(a, &objs[sent], k - sent, a->me, 0) < 0)
			return -1;
		pipe_free(a, &objs[sent], k - sent);
		a->remote += k - sent;
	}
	return (int)k;
}

static int
pipe_run(struct pipe_agent *a)
{
	struct pipe_ctx *s = a->s;
	unsigned int up = (a->id + PIPE_AGENTS - 1) % PIPE_AGENTS;
	int k;

	while (!s->start)
		rte_pause();
	for (a->ops = 0; !__atomic_load_n(&s->errors, __ATOMIC_RELAXED);
			a->ops++) {
		if ((a->ops & 255) == 0 && rte_get_timer_cycles() > s->deadline)
			break;
		if (s->flush_mask != 0 && (a->ops & s->flush_mask) == 0 &&
				rte_mempool_pagefrag_cache_flush(s->mp) != 0) {
			pipe_fail(a, "refused by cache_flush", NULL);
			break;
		}
		if (rte_rand_max(2) == 0 && pipe_produce(a) < 0)
			break;
		if (pipe_consume(a, 1) < 0)
			break;
	}
	/*
	 * RELEASE: every enqueue of this agent happens before the flag; the
	 * next agent reads it with ACQUIRE and then finds the ring final.
	 */
	__atomic_store_n(&s->out_done[a->id], 1, __ATOMIC_RELEASE);
	/* drain: free what the previous stage still passes */
	for (;;) {
		k = pipe_consume(a, 0);
		if (k < 0)
			return -1;
		if (k == 0 && __atomic_load_n(&s->out_done[up],
				__ATOMIC_ACQUIRE) && rte_ring_empty(a->in))
			break;
	}
	return __atomic_load_n(&s->errors, __ATOMIC_RELAXED) ? -1 : 0;
}

static int
pipe_lcore(void *arg)
{
	return pipe_run(arg);
}

static void *
pipe_thread(void *arg)
{
	struct pipe_agent *a = arg;
	struct rte_mempool_cache *c;
	int registered = a->register_thread && rte_thread_register() == 0;

	pipe_run(a);
	if (registered) {
		/* the registered thread's mempool cache goes back first */
		c = rte_mempool_default_cache(a->s->mp, rte_lcore_id());
		if (c != NULL)
			rte_mempool_cache_flush(c, a->s->mp);
		rte_thread_unregister();
	}
	return NULL;
}

/* After the run: every object can be taken again, once, by one lcore. */
static int
pipe_take_all(struct pipe_ctx *s)
{
	void **objs = calloc(s->n, sizeof(void *));
	unsigned int got = 0, k, i, lcore;
	int ret = TEST_SUCCESS;

	TEST_ASSERT_NOT_NULL(objs, "object table");
	/* the lcores' mempool caches are idle now: empty them */
	RTE_LCORE_FOREACH(lcore) {
		struct rte_mempool_cache *c =
			rte_mempool_default_cache(s->mp, lcore);

		if (c != NULL)
			rte_mempool_cache_flush(c, s->mp);
	}
	while (got < s->n) {
		k = RTE_MIN(s->n - got, (unsigned int)PIPE_BURST);
		if (rte_mempool_generic_get(s->mp, &objs[got], k, NULL) != 0)
			break;
		got += k;
	}
	if (got != s->n) {
		printf("only %u of %u objects could be taken again at the end\n",
			got, s->n);
		ret = TEST_FAILED;
	}
	qsort(objs, got, sizeof(void *), pf_test_cmp_ptr);
	for (i = 0; i < got; i++)
		if ((uintptr_t)objs[i] != s->addrs[i]) {
			printf("taking everything again: object %u is %p, expected %#"
				PRIxPTR " (handed out twice?)\n", i, objs[i],
				s->addrs[i]);
			ret = TEST_FAILED;
			break;
		}
	rte_mempool_generic_put(s->mp, objs, got, NULL);
	free(objs);
	return ret;
}

/*
 * Three stages in a ring: main lcore -> worker lcore -> non-EAL thread ->
 * main lcore, each taking objects from the pool and passing them through
 * an SP/SC rte_ring to the next, which frees them or passes them on.
 * Checked: no object handed out twice (shadow map), none lost
 * (rte_mempool_avail_count() exact, every object taken again at the end).
 * Each stage empties its frag cache every flush_every operations (a power
 * of two; 0: never).
 */
static int
stress_pipeline(unsigned int n, unsigned int cache, double seconds,
		int register_thread, unsigned int flush_every)
{
	struct pipe_ctx *s = calloc(1, sizeof(*s));
	struct rte_mempool_pagefrag_stats st;
	unsigned int i, worker;
	uint64_t got = 0, passed = 0, remote = 0, local = 0, empty = 0, t0;
	int ret = TEST_SUCCESS;
	pthread_t th;

	TEST_ASSERT_NOT_NULL(s, "context");
	worker = rte_get_next_lcore(-1, 1, 0);
	s->n = n;
	s->flush_mask = flush_every != 0 ? flush_every - 1 : 0;
	s->mp = pf_test_pool("pf_stress_pipe", n, 256, cache, 0);
	TEST_ASSERT_NOT_NULL(s->mp, "pool");
	s->addrs = pf_test_obj_addrs(s->mp);
	s->owner = calloc(n, 1);
	TEST_ASSERT(s->addrs != NULL && s->owner != NULL, "shadow map");
	for (i = 0; i < PIPE_AGENTS; i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "pf_stress_pipe%u", i);
		s->ring[i] = rte_ring_create(name, PIPE_RING, SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		TEST_ASSERT_NOT_NULL(s->ring[i], "ring %u", i);
	}
	for (i = 0; i < PIPE_AGENTS; i++) {
		s->a[i].s = s;
		s->a[i].id = i;
		s->a[i].me = (uint8_t)(i + 1);
		s->a[i].next = (uint8_t)((i + 1) % PIPE_AGENTS + 1);
		s->a[i].out = s->ring[i];
		s->a[i].in = s->ring[(i + PIPE_AGENTS - 1) % PIPE_AGENTS];
	}
	s->a[2].register_thread = register_thread;
	s->deadline = rte_get_timer_cycles() +
		(uint64_t)(seconds * rte_get_timer_hz());
	TEST_ASSERT_SUCCESS(rte_eal_remote_launch(pipe_lcore, &s->a[1],
		worker), "launch on lcore %u", worker);
	TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, pipe_thread, &s->a[2]),
		"pthread_create");
	t0 = rte_get_timer_cycles();
	s->start = 1;
	pipe_run(&s->a[0]);
	rte_eal_wait_lcore(worker);
	pthread_join(th, NULL);

	for (i = 0; i < PIPE_AGENTS; i++) {
		got += s->a[i].got;
		passed += s->a[i].passed;
		remote += s->a[i].remote;
		local += s->a[i].local;
		empty += s->a[i].empty;
	}
	rte_mempool_pagefrag_stats_get(s->mp, &st);
	printf("pipeline stress: %u objects, cache %u, frag caches emptied every %u operations, %s non-EAL thread: %"
		PRIu64 " objects taken, %" PRIu64 " passed through rings, %"
		PRIu64 " freed by another stage, %" PRIu64
		" by their taker (ring full), %" PRIu64
		" refusals on an empty pool, in %.1f s\n",
		n, cache, flush_every, register_thread ? "registered" : "unregistered", got,
		passed, remote, local, empty,
		(double)(rte_get_timer_cycles() - t0) / rte_get_timer_hz());
	printf("  driver: refills %" PRIu64 ", reuses %" PRIu64 ", partial reuses %"
		PRIu64 ", reclaims %" PRIu64 ", caches emptied %" PRIu64 "\n",
		st.page_refills, st.page_reuses, st.partial_reuses, st.reclaims,
		st.cache_flushes);
	if (s->errors)
		ret = TEST_FAILED;
	for (i = 0; i < PIPE_AGENTS; i++)
		if (s->a[i].remote == 0) {
			printf("agent %u freed no object another took\n", i);
			ret = TEST_FAILED;
		}
	if (got != remote + local) {
		printf("%" PRIu64 " objects taken, %" PRIu64 " freed\n", got,
			remote + local);
		ret = TEST_FAILED;
	}
	if (all_back(s->mp, s->addrs, s->owner, n) != 0)
		ret = TEST_FAILED;
	if (ret == TEST_SUCCESS)
		ret = pipe_take_all(s);
	if (ret == TEST_SUCCESS && all_back(s->mp, s->addrs, s->owner, n) != 0)
		ret = TEST_FAILED;
	for (i = 0; i < PIPE_AGENTS; i++)
		rte_ring_free(s->ring[i]);
	rte_mempool_free(s->mp);
	free(s->addrs);
	free(s->owner);
	free(s);
	return ret;
}

static int
test_stress_short(void)
{
	static const unsigned int dry[] = { 32, 8, 256 };
	unsigned int i;
	int ret;

	if (rte_lcore_count() < 2) {
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	/* nearly empty: the workers together want more than the pool has */
	ret = stress(1000, 256, 0, 1000000, 3.0, 0);
	if (ret == TEST_SUCCESS)
		ret = stress(30000, 256, 64, 1000000, 3.0, 0);
	/* two pages of 2 kB objects: every page pinned, the pool dry */
	if (ret == TEST_SUCCESS)
		ret = stress(1500, 2048, 0, 1000000, 1.5, 0);
	/*
	 * Running dry with mempool caches: DPDK's get serves part of a request
	 * from the cache, asks the driver for the rest into cache->objs[] and,
	 * when the driver fails, trusts the cache's slots to be intact. Several
	 * cache sizes, frag caches emptied now and then.
	 */
	for (i = 0; i < RTE_DIM(dry) && ret == TEST_SUCCESS; i++)
		ret = stress(1024, 256, dry[i], 1000000, 1.5, 4096);
	/* the pipeline: nearly empty, then with mempool caches */
	if (ret == TEST_SUCCESS)
		ret = stress_pipeline(600, 0, 1.5, 0, 0);
	if (ret == TEST_SUCCESS)
		ret = stress_pipeline(20000, 64, 1.5, 1, 0);
	/* and running dry with mempool caches, through rings */
	for (i = 0; i < RTE_DIM(dry) && ret == TEST_SUCCESS; i += 2)
		ret = stress_pipeline(1024, dry[i], 1.5, 1, 1024);
	return ret;
}

static int
test_stress_long(void)
{
	const char *env = getenv("PAGEFRAG_STRESS_SECONDS");
	double seconds = env != NULL ? atof(env) : 300.0;
	uint64_t per_worker = UINT64_C(100000000) / (rte_lcore_count() + 1) + 1;
	int ret;

	if (rte_lcore_count() < 2) {
		printf("needs 2 lcores\n");
		return TEST_SKIPPED;
	}
	printf("long stress: up to %" PRIu64 " operations per worker or %.0f s per pool, then the pipeline for %.0f s per pool\n",
		per_worker, seconds / 3, seconds / 6);
	ret = stress(1500, 2048, 0, per_worker, seconds / 3, 0);
	if (ret == TEST_SUCCESS)
		ret = stress(50000, 256, 128, per_worker, seconds / 3, 0);
	if (ret == TEST_SUCCESS)
		ret = stress_pipeline(1500, 0, seconds / 6, 0, 0);
	if (ret == TEST_SUCCESS)
		ret = stress_pipeline(50000, 128, seconds / 6, 1, 0);
	return ret;
}

REGISTER_TEST_COMMAND(pagefrag_stress_autotest, test_stress_short);
REGISTER_TEST_COMMAND(pagefrag_stress_long, test_stress_long);
