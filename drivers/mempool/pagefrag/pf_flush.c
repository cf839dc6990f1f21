/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Emptying the frag caches of idle threads, and the get-or-flush layer: a
 * get the engine cannot serve empties other threads' caches (of this
 * process and of other live ones) and recovers those of processes that
 * are gone, then tries once more. This is what keeps "the pool never
 * refuses a get while it holds a returned object" true. The public
 * rte_mempool_pagefrag_cache_flush() and _recover() are here too.
 *
 * Idle threads of this process. The owner uses its cache with plain loads
 * and stores and no lock: the fast paths must stay free of fences. A
 * flusher synchronizes with it by an asymmetric Dekker protocol, on the
 * cache's owner part (busy, flush_req and lock are c->owner's):
 *
 *   owner (pf_owner_enter/exit)        flusher (flush_one)
 *   busy = 1                           lock(lock)
 *   compiler barrier                   flush_req = 1
 *   if (flush_req) {                   membarrier(PRIVATE_EXPEDITED)
 *       busy = 0; lock(lock)           wait until busy == 0
 *   }                                  drop the cache's page
 *   ... use the cache ...              flush_req = 0; unlock(lock)
 *   busy = 0 (release)
 *
 * membarrier() makes every running thread of the process execute a full
 * memory barrier before it returns, and a thread that is not running
 * passes one when it is scheduled. So either the owner's store of busy is
 * visible to the flusher's load after membarrier(), or the owner's load of
 * flush_req comes after the flusher's store: the owner never uses the cache
 * while the flusher does. The cost is all on the flusher's side, which only
 * runs when a pool is about to answer -ENOBUFS.
 *
 * Idle threads of other live processes, the same way: the flusher's
 * MEMBARRIER_CMD_GLOBAL_EXPEDITED reaches the threads of every process that
 * registered for it, which each process does when it publishes its token
 * (the token then carries PF_TOKEN_REACHABLE, pf_proc.c); c->owner.lock
 * is in shared memory. A flusher of another process may die holding it:
 * it records its token in c->owner.flusher, and the owner, waiting on the
 * lock for 100 ms, probes it and breaks the lock (pf_owner_wait()); if
 * the flusher had begun to empty the cache (flush_req ==
 * PF_FLUSH_DROPPING), the owner forgets the cache: its page is lost,
 * nothing is handed out twice. A foreign cache whose owner was busy is
 * left alone for 100 ms. Ring-level caches of live processes are left to
 * their PMD, which drains them. A flusher waits a bounded time for a busy
 * owner and gives up (two flushers waiting for each other give up both).
 * Without membarrier() (old kernel, seccomp), idle threads' caches are not
 * flushed; dead processes' caches still are.
 */

#include <errno.h>
#include <unistd.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include <rte_common.h>
#include <rte_debug.h>
#include <rte_pause.h>
#include <rte_errno.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "rte_mempool_pagefrag.h"
#include "pf_cache.h"
#include "pf_flush.h"
#include "pf_pool.h"
#include "pf_proc.h"

static pf_recover_fn recoverers[2];

void
pf_flush_add_recoverer(pf_recover_fn fn)
{
	unsigned int i;

	for (i = 0; i < RTE_DIM(recoverers); i++) {
		if (recoverers[i] == NULL || recoverers[i] == fn) {
			recoverers[i] = fn;
			return;
		}
	}
	RTE_VERIFY(0);
}

unsigned int
pf_recover_all(struct pf_pool *pool, struct pf_stats *st)
{
	unsigned int i, n = pf_recover_lcore_caches(pool, st);

	for (i = 0; i < RTE_DIM(recoverers) && recoverers[i] != NULL; i++)
		n += recoverers[i](pool, st);
	return n;
}

/* membarrier() commands this process can issue. */
static int flush_private;	/* its own threads */
static int flush_global;	/* threads of registered processes */

/*
 * Another process's cache this process failed to empty (its owner was
 * busy): left alone for a while, so that a pool running dry does not make
 * every failing get wait on it. Per lcore id, for the last pool it failed.
 */
static struct {
	const struct pf_pool *pool;
	uint64_t until;		/* TSC */
} foreign_retry[RTE_MAX_LCORE];

/*
 * Empty c, whose owner is another thread of this process or, foreign != 0,
 * an idle thread of another live process.
 */
static int
flush_one(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		int foreign)
{
	unsigned int spins;
	int done = 0;

	if (!rte_spinlock_trylock(&c->owner.lock))
		return 0;	/* another flusher, or the owner in slow mode */
	/*
	 * RELAXED: read by the owner only after it failed to take the lock
	 * for a long time (pf_owner_wait()), to tell whether we died.
	 */
	__atomic_store_n(&c->owner.flusher, pf_self_token, __ATOMIC_RELAXED);
	__atomic_store_n(&c->owner.flush_req, PF_FLUSH_ASKED, __ATOMIC_RELAXED);
	if (syscall(__NR_membarrier, foreign ?
			MEMBARRIER_CMD_GLOBAL_EXPEDITED :
			MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) != 0)
		goto out;
	/* ACQUIRE: pairs with the owner's RELEASE store of busy = 0 */
	for (spins = 0; __atomic_load_n(&c->owner.busy, __ATOMIC_ACQUIRE) != 0;
			spins++) {
		if (spins == 100000)
			goto out;	/* busy owner: it is not idle anyway */
		rte_pause();
	}
	if (pf_cache_held(&c->carve) != 0) {
		/* RELAXED: the owner reads it only if we die (see above) */
		__atomic_store_n(&c->owner.flush_req, PF_FLUSH_DROPPING,
			__ATOMIC_RELAXED);
		pf_cache_empty(pool, &c->carve, st);
		done = 1;
	}
out:
	__atomic_store_n(&c->owner.flusher, 0, __ATOMIC_RELAXED);
	/* RELEASE: the dropped state is visible before the owner's fast path */
	__atomic_store_n(&c->owner.flush_req, 0, __ATOMIC_RELEASE);
	rte_spinlock_unlock(&c->owner.lock);
	if (foreign && !done) {
		foreign_retry[c->owner.id].pool = pool;
		foreign_retry[c->owner.id].until = rte_get_tsc_cycles() +
			rte_get_tsc_hz() / 10;
	}
	return done;
}

/*
 * May this process empty c, the cache of another live process? Its owner's
 * threads must be reachable by our global membarrier(), and its owner must
 * be able to tell if we die holding the cache's lock (our liveness file).
 */
static int
foreign_flushable(const struct pf_pool *pool, const struct pf_cache *c,
		uint64_t owner)
{
	return flush_global && (owner & PF_TOKEN_REACHABLE) &&
		(pf_self_token & PF_TOKEN_PROBED) &&
		(foreign_retry[c->owner.id].pool != pool ||
		rte_get_tsc_cycles() >= foreign_retry[c->owner.id].until);
}

unsigned int
pf_flush_others(struct pf_pool *pool, struct pf_cache *self,
		struct pf_stats *st)
{
	struct pf_cache *c;
	unsigned int i, n = 0;
	uint64_t owner;

	/* threads without an lcore id: their cache has a real lock */
	if (self != &pool->shared && pf_cache_held(&pool->shared.carve) != 0 &&
			pf_trylock(&pool->shared_lock)) {
		if (pf_cache_held(&pool->shared.carve) != 0) {
			pf_cache_empty(pool, &pool->shared.carve, st);
			n++;
		}
		pf_unlock(&pool->shared_lock);
	}
	/* caches of processes that are gone */
	n += pf_recover_all(pool, st);
	for (i = 0; i < RTE_MAX_LCORE; i++) {
		c = &pool->lcore[i];
		/* racy hints: a cache with nothing free is not worth a flush */
		owner = __atomic_load_n(&c->owner.token, __ATOMIC_RELAXED);
		if (c == self || owner == 0 || pf_cache_held(&c->carve) == 0)
			continue;
		if (owner == pf_self_token) {
			if (flush_private)
				n += flush_one(pool, c, st, 0);
		} else if (foreign_flushable(pool, c, owner)) {
			n += flush_one(pool, c, st, 1);
		}
	}
	if (n != 0)
		PF_STAT_ADD(st, cache_flushes, n);
	return n;
}

int
pf_get(struct pf_pool *pool, struct pf_cache *c, struct pf_stats *st,
		void **objs, unsigned int n)
{
	int ret = pf_cache_get(pool, c, st, objs, n);

	/* other threads' frag caches give their pages back, once */
	if (unlikely(ret == -ENOBUFS) && pf_flush_others(pool, c, st) != 0)
		ret = pf_cache_get(pool, c, st, objs, n);
	if (unlikely(ret == -ENOBUFS))
		pf_get_refused(pool, st, n);
	return ret;
}

void
pf_get_refused(struct pf_pool *pool, struct pf_stats *st, unsigned int n)
{
	PF_STAT_ADD(st, get_fails, 1);
	if (!(pool->logged & PF_LOGGED_EMPTY)) {
		pool->logged |= PF_LOGGED_EMPTY;
		PF_LOG(INFO, "pool %s: get of %u objects answered -ENOBUFS (logged once; see get_fails)",
			pool->name, n);
	}
}

RTE_INIT(pf_flush_init)
{
	int cmds = syscall(__NR_membarrier, MEMBARRIER_CMD_QUERY, 0, 0);

	if (syscall(__NR_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
			0, 0) == 0)
		flush_private = 1;
	else
		PF_LOG(INFO, "membarrier() not available: frag caches of idle threads are not emptied for others");
	flush_global = cmds > 0 && (cmds & MEMBARRIER_CMD_GLOBAL_EXPEDITED);
}

/* ---- public: emptying this thread's cache, recovering ---- */

int
rte_mempool_pagefrag_cache_flush(struct rte_mempool *mp)
{
	struct pf_pool *pool = pf_pool_of(mp);
	unsigned int lcore_id = rte_lcore_id();
	struct pf_lock *lock;
	struct pf_cache *c;
	int locked = 0;

	if (pool == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	c = pf_cache_of(pool, lcore_id, &lock);
	if (lock == NULL && c->owner.token != pf_self_token)
		return 0;	/* not this process's cache: nothing of ours */
	if (lock != NULL)
		pf_lock(lock, pool->name);
	else
		locked = pf_owner_enter(c);
	pf_cache_empty(pool, &c->carve, pf_stats_of(pool, lcore_id));
	if (lock != NULL)
		pf_unlock(lock);
	else
		pf_owner_exit(c, locked);
	return 0;
}

int
rte_mempool_pagefrag_recover(struct rte_mempool *mp)
{
	struct pf_pool *pool = pf_pool_of(mp);

	if (pool == NULL) {
		rte_errno = EINVAL;
		return -EINVAL;
	}
	return (int)pf_recover_all(pool, pf_stats_mine(pool));
}
