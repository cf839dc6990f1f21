/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

#ifndef _PF_LIVE_H_
#define _PF_LIVE_H_

/*
 * Process instances and their liveness (pf_live.c): this process's token,
 * probing another's, and spinlocks in shared memory that know who holds
 * them.
 */

#include <stdint.h>

#include <rte_branch_prediction.h>
#include <rte_spinlock.h>

/* Bits of an owner token: its process holds a liveness file (probeable),
 * and a global membarrier reaches its threads (another process may empty
 * its idle caches). */
#define PF_TOKEN_PROBED UINT64_C(1)
#define PF_TOKEN_REACHABLE UINT64_C(2)

/*
 * This process instance's owner token, as recorded in the caches it owns
 * (never 0), and its pid, for logs.
 */
extern uint64_t pf_self_token __attribute__((visibility("hidden")));
extern int32_t pf_self_pid __attribute__((visibility("hidden")));

/*
 * Make this process probeable (its liveness file) before it owns any
 * cache; cheap after the first call.
 */
void pf_live_publish(void);

/*
 * Is the process instance whose token is owner gone? Makes system calls:
 * not to be called on a path that holds a lock (a waiter's diagnosis in
 * pf_lock_wait() aside, after a second of waiting).
 */
int pf_owner_gone(uint64_t owner);

/*
 * A spinlock in shared memory that records its holder, so that a waiter
 * can tell a lock held by a process that is gone (pf_live.c).
 */
struct pf_lock {
	rte_spinlock_t sl;
	int32_t holder_pid;	/* for the message */
	uint64_t holder;	/* token of the holder, 0 when free */
};

static inline void
pf_lock_init(struct pf_lock *l)
{
	rte_spinlock_init(&l->sl);
	l->holder_pid = 0;
	l->holder = 0;
}

/*
 * Taken: record it. RELAXED: read by a waiter only as a hint of whom to
 * probe; a holder that dies before this store is not named (it is taken
 * for alive).
 */
static inline void
pf_lock_mark(struct pf_lock *l)
{
	__atomic_store_n(&l->holder_pid, pf_self_pid, __ATOMIC_RELAXED);
	__atomic_store_n(&l->holder, pf_self_token, __ATOMIC_RELAXED);
}

/* Spin for l; name (the pool's) goes in the error if its holder is gone. */
void pf_lock_wait(struct pf_lock *l, const char *name);

static inline void
pf_lock(struct pf_lock *l, const char *name)
{
	if (likely(rte_spinlock_trylock(&l->sl)))
		pf_lock_mark(l);
	else
		pf_lock_wait(l, name);
}

static inline int
pf_trylock(struct pf_lock *l)
{
	if (!rte_spinlock_trylock(&l->sl))
		return 0;
	pf_lock_mark(l);
	return 1;
}

static inline void
pf_unlock(struct pf_lock *l)
{
	/* RELAXED: the unlock's release orders it before the next holder's */
	__atomic_store_n(&l->holder, 0, __ATOMIC_RELAXED);
	rte_spinlock_unlock(&l->sl);
}

#endif /* _PF_LIVE_H_ */
