/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Processes and threads that own frag caches: who may use an lcore's frag
 * cache, recovering the caches of processes that are gone (pf_live.c tells
 * which), and emptying the caches of registered threads that leave.
 *
 * Owners. An lcore's frag cache is in shared memory, and two processes may
 * run with the same lcore id. The first process that uses it claims it
 * (CAS of the owner token from 0); another live process on that lcore id
 * falls back to the shared cache behind its spinlock for gets, and to the
 * lock-free generic path for puts: slower, never corrupt. A cache whose
 * owner process is gone (exited, with or without rte_eal_cleanup(), or
 * killed) is recovered by a survivor: its free objects go back to their
 * page, and the cache is free to claim again. A process killed inside a
 * call on its cache (busy set) leaves a state that cannot be trusted: the
 * cache forgets its page (a lost page is better than a double hand-out)
 * and is free to claim again. One killed holding the cache's lock leaves
 * it as it is.
 *
 * Leaving threads. A registered non-EAL thread's lcore id is reused after
 * rte_thread_unregister(): an lcore callback empties its frag caches (and
 * its mempool caches) on its way out, and gives the caches up.
 */

#include <errno.h>
#include <stdio.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_spinlock.h>

#include "pf_cache.h"
#include "pf_live.h"
#include "pf_pool.h"
#include "pf_proc.h"

int
pf_cache_recover(struct pf_pool *pool, struct pf_cache *c,
		uint64_t owner, struct pf_stats *st)
{
	int32_t pid = c->owner.pid;
	char what[32];

	/* ACQUIRE: a recoverer or taker over before us released the cache */
	if (__atomic_load_n(&c->owner.token, __ATOMIC_ACQUIRE) != owner)
		return 0;
	if (c->owner.id >= 0)
		snprintf(what, sizeof(what), "lcore %d's", c->owner.id);
	else
		snprintf(what, sizeof(what), "a ring-level");
	/*
	 * The dead process's stores to the cache came before its exit,
	 * which we observed through the kernel (a system call, a full
	 * barrier). busy set: it died inside a call, and the cache's state
	 * (page, ranges) cannot be trusted. Its page is forgotten: the free
	 * objects there are lost, none is handed out twice, and the cache
	 * is usable again.
	 */
	if (__atomic_load_n(&c->owner.busy, __ATOMIC_RELAXED) != 0) {
		pf_cache_forget(&c->carve);
		c->owner.busy = 0;
		PF_LOG(WARNING, "pool %s: process %d died inside a call on %s frag cache: the free objects of its page are lost, the cache is reset",
			pool->name, (int)pid, what);
	} else {
		pf_cache_empty(pool, &c->carve, st);
		PF_LOG(INFO, "pool %s: recovered %s frag cache of process %d, which is gone",
			pool->name, what, (int)pid);
	}
	c->owner.pid = 0;
	/* RELEASE: the emptied cache is visible to the next claimer */
	__atomic_store_n(&c->owner.token, 0, __ATOMIC_RELEASE);
	PF_STAT_ADD(st, caches_recovered, 1);
	return 1;
}

/* Recover lcore cache c, whose owner was found gone. */
static int
recover_one(struct pf_pool *pool, struct pf_cache *c, uint64_t owner,
		struct pf_stats *st)
{
	int done;

	if (!rte_spinlock_trylock(&c->owner.lock))
		return 0;	/* another recoverer, or it died holding it */
	done = pf_cache_recover(pool, c, owner, st);
	rte_spinlock_unlock(&c->owner.lock);
	return done;
}

/* A foreign owner found alive recently: no probe on every call. */
struct collision {
	const struct pf_pool *pool;
	uint64_t owner;
	uint64_t until;		/* TSC until which it is taken as alive */
};
static struct collision collisions[RTE_MAX_LCORE];

/* Make c this process's, once it is nobody's: the CAS from 0. */
static int
claim_free(struct pf_cache *c)
{
	uint64_t zero = 0;

	/*
	 * ACQUIRE: a recoverer's drop (released with owner = 0) is visible
	 * before we use the cache; exactly one claimer wins.
	 */
	if (!__atomic_compare_exchange_n(&c->owner.token, &zero,
			pf_self_token, 0, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return -1;
	c->owner.pid = pf_self_pid;
	return 0;
}

int
pf_cache_claim(struct pf_pool *pool, struct pf_cache *c,
		unsigned int lcore_id)
{
	struct collision *col = &collisions[lcore_id];
	uint64_t owner;

	pf_live_publish();
	for (;;) {
		/* ACQUIRE: a recoverer's drop is visible before we use it */
		owner = __atomic_load_n(&c->owner.token, __ATOMIC_ACQUIRE);
		if (owner == pf_self_token)
			return 0;
		if (owner == 0) {
			if (claim_free(c) == 0)
				return 0;
			continue;
		}
		if (col->pool == pool && col->owner == owner &&
				rte_get_tsc_cycles() < col->until)
			return -EBUSY;
		/* probed with no lock held; recover_one() checks again */
		if (pf_owner_gone(owner) &&
				recover_one(pool, c, owner, &pool->stats[RTE_MAX_LCORE]))
			continue;
		if (col->pool != pool || col->owner != owner)
			PF_LOG(WARNING, "pool %s: lcore %u's frag cache belongs to process %d, which runs with the same lcore id: this process uses the locked shared cache on lcore %u (give each process its own lcore ids)",
				pool->name, lcore_id, (int)c->owner.pid,
				lcore_id);
		col->pool = pool;
		col->owner = owner;
		col->until = rte_get_tsc_cycles() + rte_get_tsc_hz();
		return -EBUSY;
	}
}

int
pf_cache_take_over(struct pf_cache *c)
{
	uint64_t owner;
	int ret = -EBUSY;

	pf_live_publish();
	/*
	 * Under c->owner.lock: a recoverer of the previous owner holds it
	 * while it drops the cache, so we never use a cache being recovered.
	 * A busy previous owner is inside a call: leave it.
	 */
	rte_spinlock_lock(&c->owner.lock);
	owner = __atomic_load_n(&c->owner.token, __ATOMIC_ACQUIRE);
	if (owner == pf_self_token) {
		ret = 0;
	} else if (__atomic_load_n(&c->owner.busy, __ATOMIC_ACQUIRE) == 0) {
		/* RELAXED: c->owner.lock orders it for recoverers */
		__atomic_store_n(&c->owner.token, pf_self_token,
			__ATOMIC_RELAXED);
		c->owner.pid = pf_self_pid;
		ret = 0;
	}
	rte_spinlock_unlock(&c->owner.lock);
	return ret;
}

struct pf_stats *
pf_stats_mine(struct pf_pool *pool)
{
	unsigned int lcore_id = rte_lcore_id();

	if (lcore_id < RTE_MAX_LCORE &&
			(pool->lcore[lcore_id].owner.token == pf_self_token ||
			pf_cache_claim(pool, &pool->lcore[lcore_id],
				lcore_id) == 0))
		return &pool->stats[lcore_id];
	return &pool->stats[RTE_MAX_LCORE];
}

/*
 * The flusher holding c->owner.lock is gone: it died inside flush_one() of
 * another process. Before it began to empty the cache, the cache is as we
 * left it; after, it cannot be trusted and is forgotten (its free objects
 * are lost: never handed out twice). Then the lock is broken: the dead
 * flusher cannot release it, and nobody else can take it meanwhile.
 */
static void
flusher_died(struct pf_cache *c, uint64_t flusher)
{
	if (__atomic_load_n(&c->owner.flush_req, __ATOMIC_ACQUIRE) ==
			PF_FLUSH_DROPPING) {
		pf_cache_forget(&c->carve);
		PF_LOG(WARNING, "a process died emptying the frag cache of lcore %d of this process: the free objects of its page are lost",
			c->owner.id);
	} else {
		PF_LOG(INFO, "a process died asking to empty the frag cache of lcore %d: cache kept",
			c->owner.id);
	}
	RTE_SET_USED(flusher);
	__atomic_store_n(&c->owner.flusher, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&c->owner.flush_req, 0, __ATOMIC_RELAXED);
	/* RELEASE: the state above before the lock is free again */
	rte_spinlock_unlock(&c->owner.lock);
}

void
pf_owner_wait(struct pf_cache *c)
{
	uint64_t hz = rte_get_tsc_hz() / 10, since = 0, now, flusher;
	unsigned int spins = 0;

	/* RELEASE: the cache state we left is visible to the flusher */
	__atomic_store_n(&c->owner.busy, 0, __ATOMIC_RELEASE);
	while (!rte_spinlock_trylock(&c->owner.lock)) {
		rte_pause();
		if ((++spins & 0xffff) != 0)
			continue;
		/* held for 100 ms: is its holder, a flusher, still there? */
		now = rte_get_tsc_cycles();
		if (since == 0 || now - since < hz) {
			if (since == 0)
				since = now;
			continue;
		}
		since = now;
		/*
		 * RELAXED: the flusher stores its token right after it took
		 * the lock; a stale 0 or a live token only makes us wait on.
		 * The probe makes system calls: we hold no lock.
		 */
		flusher = __atomic_load_n(&c->owner.flusher, __ATOMIC_RELAXED);
		if (flusher != 0 && flusher != pf_self_token &&
				pf_owner_gone(flusher))
			flusher_died(c, flusher);
	}
}

/* The lcore whose id is lcore_id leaves: empty its caches of every pool. */
static void
pool_leaves(struct rte_mempool *mp, void *arg)
{
	unsigned int lcore_id = *(unsigned int *)arg;
	struct pf_pool *pool = pf_pool_of(mp);
	struct pf_cache *c;
	int locked;

	if (pool == NULL)
		return;
	/* objects of the mempool cache go back to the driver first */
	if (mp->cache_size != 0)
		rte_mempool_cache_flush(rte_mempool_default_cache(mp,
			lcore_id), mp);
	c = &pool->lcore[lcore_id];
	if (c->owner.token != pf_self_token)
		return;
	locked = pf_owner_enter(c);
	pf_cache_empty(pool, &c->carve, &pool->stats[lcore_id]);
	c->owner.pid = 0;
	/* RELEASE: the dropped cache is visible to the next claimer */
	__atomic_store_n(&c->owner.token, 0, __ATOMIC_RELEASE);
	pf_owner_exit(c, locked);
}

static void
lcore_leaves(unsigned int lcore_id, void *arg)
{
	RTE_SET_USED(arg);
	if (lcore_id < RTE_MAX_LCORE && rte_lcore_id() == lcore_id)
		rte_mempool_walk(pool_leaves, &lcore_id);
}

unsigned int
pf_recover_lcore_caches(struct pf_pool *pool, struct pf_stats *st)
{
	unsigned int i, n = 0;
	struct pf_cache *c;
	uint64_t owner;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		c = &pool->lcore[i];
		/* RELAXED: a hint; recover_one() checks it under its lock */
		owner = __atomic_load_n(&c->owner.token, __ATOMIC_RELAXED);
		if (owner != 0 && owner != pf_self_token &&
				pf_owner_gone(owner))
			n += recover_one(pool, c, owner, st);
	}
	return n;
}

RTE_INIT(pf_proc_init)
{
	if (rte_lcore_callback_register("pagefrag", NULL, lcore_leaves,
			NULL) == NULL)
		PF_LOG(WARNING, "cannot watch lcore releases: a registered thread that leaves keeps its frag cache until its lcore id is used again");
}
