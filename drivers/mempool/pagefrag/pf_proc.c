/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Processes and threads that own frag caches: who may use an lcore's frag
 * cache, recovering the caches of processes that are gone, and emptying
 * the caches of registered threads that leave.
 *
 * Owners. An lcore's frag cache is in shared memory, and two processes may
 * run with the same lcore id. The first process that uses it claims it
 * (CAS of pid from 0); another live process on that lcore id falls back to
 * the shared cache behind its spinlock for gets, and to the lock-free
 * generic path for puts: slower, never corrupt. A cache whose owner process
 * is gone (exited, with or without rte_eal_cleanup(), or killed) is
 * recovered by a survivor: its free objects go back to their page, and the
 * cache is free to claim again. A process killed inside a call on its cache
 * (busy set) or holding its lock leaves it as it is: its state cannot be
 * trusted, and a double hand-out is worse than a lost page.
 *
 * Leaving threads. A registered non-EAL thread's lcore id is reused after
 * rte_thread_unregister(): an lcore callback empties its frag caches (and
 * its mempool caches) on its way out, and gives the caches up.
 */


#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_lcore.h>
#include <rte_mempool.h>
#include <rte_spinlock.h>

#include "pf_cache.h"
#include "pf_proc.h"

static uint64_t self_start;
int32_t pf_self_pid;

/*
 * Start time of process pid (field 22 of /proc/<pid>/stat, in clock ticks
 * since boot): with the pid, it names one process for good. 0 when the
 * process does not exist or is a zombie; UINT64_MAX when it cannot be told.
 */
static uint64_t
pid_start_time(int32_t pid)
{
	char path[64], buf[512], *p;
	unsigned long long start;
	unsigned int field;
	ssize_t len;
	int fd;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT ? 0 : UINT64_MAX;
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (len <= 0)
		return UINT64_MAX;
	buf[len] = '\0';
	/* the command name may hold spaces and parentheses: skip past it */
	p = strrchr(buf, ')');
	if (p == NULL || p[1] != ' ')
		return UINT64_MAX;
	p += 2;
	if (*p == 'Z' || *p == 'X')
		return 0;	/* exited, not reaped yet */
	for (field = 3; field < 22 && p != NULL; field++) {
		p = strchr(p, ' ');
		if (p != NULL)
			p++;
	}
	if (p == NULL || sscanf(p, "%llu", &start) != 1)
		return UINT64_MAX;
	return start;
}

/* Is the process that claimed a cache as (pid, start) gone? */
int
pf_owner_gone(int32_t pid, uint64_t start)
{
	uint64_t now;

	if (pid == 0 || pid == pf_self_pid)
		return 0;
	if (kill(pid, 0) < 0 && errno == ESRCH)
		return 1;
	now = pid_start_time(pid);
	/* start 0: claimed before it was written; cannot tell a reuse */
	return now == 0 || (now != UINT64_MAX && start != 0 && now != start);
}

void
pf_cache_own(struct pf_cache *c)
{
	c->pid_start = self_start;
	c->pid = pf_self_pid;
}

/*
 * Recover c, whose owner process is gone: drop its page (its free objects
 * go back to the page) and free the cache for a new owner. The dead
 * process's stores to the cache came before its exit, which we observed
 * through the kernel (a system call, a full barrier); c->lock orders us
 * against other recoverers. Returns 1 when the cache was recovered.
 */
static int
recover_one(struct pf_pool *pool, struct pf_cache *c, int32_t pid,
		struct pf_stats *st)
{
	int done = 0;

	if (!rte_spinlock_trylock(&c->lock))
		return 0;	/* another recoverer, or it died holding it */
	/* ACQUIRE: a recoverer before us released the cache */
	if (__atomic_load_n(&c->pid, __ATOMIC_ACQUIRE) == pid &&
			__atomic_load_n(&c->busy, __ATOMIC_RELAXED) == 0) {
		if (c->page != NULL)
			pf_cache_drop(pool, c, st);
		c->pid_start = 0;
		/* RELEASE: the dropped cache is visible to the next claimer */
		__atomic_store_n(&c->pid, 0, __ATOMIC_RELEASE);
		done = 1;
	}
	rte_spinlock_unlock(&c->lock);
	if (done) {
		PF_STAT_ADD(st, caches_recovered, 1);
		PF_LOG(INFO, "pool %s: recovered the frag cache of lcore %d from process %d, which is gone",
			pool->name, c->id, (int)pid);
	} else if (c->busy != 0 && !(pool->warned & PF_WARN_DEAD_BUSY)) {
		pool->warned |= PF_WARN_DEAD_BUSY;
		PF_LOG(WARNING, "pool %s: process %d died inside a call on lcore %d's frag cache: its free objects there are lost",
			pool->name, (int)pid, c->id);
	}
	return done;
}

/* A foreign owner found alive recently: no /proc read on every call. */
struct collision {
	const struct pf_pool *pool;
	int32_t pid;
	uint64_t until;		/* TSC until which it is taken as alive */
};
static struct collision collisions[RTE_MAX_LCORE];

int
pf_cache_claim(struct pf_pool *pool, struct pf_cache *c,
		unsigned int lcore_id)
{
	struct collision *col = &collisions[lcore_id];
	int32_t pid, zero = 0;

	for (;;) {
		/* ACQUIRE: a recoverer's drop is visible before we use it */
		pid = __atomic_load_n(&c->pid, __ATOMIC_ACQUIRE);
		if (pid == pf_self_pid)
			return 0;
		if (pid == 0) {
			/* ACQUIRE: see above; exactly one claimer wins */
			if (__atomic_compare_exchange_n(&c->pid, &zero,
					pf_self_pid, 0, __ATOMIC_ACQUIRE,
					__ATOMIC_RELAXED)) {
				c->pid_start = self_start;
				return 0;
			}
			zero = 0;
			continue;
		}
		if (col->pool == pool && col->pid == pid &&
				rte_get_tsc_cycles() < col->until)
			return -EBUSY;
		if (pf_owner_gone(pid, c->pid_start) &&
				recover_one(pool, c, pid, &pool->stats[RTE_MAX_LCORE]))
			continue;
		if (col->pool != pool || col->pid != pid)
			PF_LOG(WARNING, "pool %s: lcore %u's frag cache belongs to process %d, which runs with the same lcore id: this process uses the locked shared cache on lcore %u (give each process its own lcore ids)",
				pool->name, lcore_id, (int)pid, lcore_id);
		col->pool = pool;
		col->pid = pid;
		col->until = rte_get_tsc_cycles() + rte_get_tsc_hz();
		return -EBUSY;
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
	if (c->pid != pf_self_pid)
		return;
	locked = pf_owner_enter(c);
	pf_cache_drop(pool, c, &pool->stats[lcore_id]);
	c->pid_start = 0;
	/* RELEASE: the dropped cache is visible to the next claimer */
	__atomic_store_n(&c->pid, 0, __ATOMIC_RELEASE);
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
pf_recover_dead(struct pf_pool *pool, struct pf_stats *st)
{
	unsigned int i, n = 0;
	struct pf_cache *c;
	int32_t pid;

	for (i = 0; i < RTE_MAX_LCORE; i++) {
		c = &pool->lcore[i];
		pid = __atomic_load_n(&c->pid, __ATOMIC_RELAXED);
		if (pid != 0 && pid != pf_self_pid &&
				pf_owner_gone(pid, c->pid_start))
			n += recover_one(pool, c, pid, st);
	}
	return n;
}

RTE_INIT(pf_proc_init)
{
	pf_self_pid = getpid();
	self_start = pid_start_time(pf_self_pid);
	if (self_start == UINT64_MAX)
		self_start = 0;
	if (rte_lcore_callback_register("pagefrag", NULL, lcore_leaves,
			NULL) == NULL)
		PF_LOG(WARNING, "cannot watch lcore releases: a registered thread that leaves keeps its frag cache until its lcore id is used again");
}
