/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Process instances and their liveness: the token that names this
 * process, the file whose lock says it lives, and the spinlocks in shared
 * memory that tell who holds them.
 *
 * Identity. An owner is a process instance, not a pid: a random 64-bit
 * token drawn at load (and again in a forked child). Pids are not unique
 * across PID namespaces (containers), are reused, and /proc may be hidden;
 * the token is none of that. The pid is kept beside it for logs only.
 *
 * Liveness. Before it owns any cache, a process creates the file
 * <runtime dir>/pagefrag.<token> and holds a shared flock() on it. The
 * kernel releases the lock when the process is gone, whatever killed it
 * and however many of its threads are left (a process whose main thread
 * exited holds it still). A peer asks with a non-blocking exclusive lock:
 * refused means alive; granted means gone (the peer then removes the
 * file); no file means gone (a prober removed it). A process never
 * removes its own file: while it exits, its other threads may still be
 * inside calls, and only the kernel knows when the last one is gone. No
 * prober can race the creation of a file: a token is published in a
 * cache only after its file is locked. A process that cannot create its
 * file (no runtime directory) carries a token whose low bit is 0: peers
 * take it as alive, always. Nothing is probed under a lock (but a
 * waiter's diagnosis, below).
 *
 * Locks. A pool-wide spinlock in shared memory (struct pf_lock) records
 * its holder's token. A waiter that has spun for a second probes the
 * holder: if it is gone, the structure the lock guards may be half
 * updated and nothing can finish the update, so the waiter says so (an
 * error naming the pool's lock and the dead process) instead of hanging
 * in silence; it keeps waiting, as a DPDK structure behind a spinlock
 * would.
 */

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/syscall.h>
#include <linux/membarrier.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_pause.h>
#include <rte_spinlock.h>

#include "pf_log.h"
#include "pf_live.h"

uint64_t pf_self_token;
int32_t pf_self_pid;
static int self_fd = -1;		/* our liveness file, locked shared */
static char self_path[PATH_MAX];
static rte_spinlock_t publish_lock = RTE_SPINLOCK_INITIALIZER;
static int published;

/* A new token for this process instance; its low bit says "no file yet". */
static void
token_draw(void)
{
	uint64_t t = 0;

	if (getrandom(&t, sizeof(t), GRND_NONBLOCK) != (ssize_t)sizeof(t))
		t = rte_rdtsc() ^ ((uint64_t)getpid() << 32) ^
			(uintptr_t)&t;
	/* the low bits are set at publication */
	t &= ~(PF_TOKEN_PROBED | PF_TOKEN_REACHABLE);
	if (t == 0)
		t = 4;
	pf_self_token = t;
	pf_self_pid = getpid();
	self_fd = -1;
	published = 0;
}

static void
liveness_path(char *buf, size_t len, uint64_t token)
{
	snprintf(buf, len, "%s/pagefrag.%016" PRIx64,
		rte_eal_get_runtime_dir(),
		token & ~(PF_TOKEN_PROBED | PF_TOKEN_REACHABLE));
}

void
pf_live_publish(void)
{
	int fd;

	/* ACQUIRE: a publisher's token and file are seen with the flag */
	if (likely(__atomic_load_n(&published, __ATOMIC_ACQUIRE)))
		return;
	rte_spinlock_lock(&publish_lock);
	if (published)
		goto out;
	liveness_path(self_path, sizeof(self_path), pf_self_token);
	fd = open(self_path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0 && flock(fd, LOCK_SH | LOCK_NB) == 0) {
		self_fd = fd;
		/* set before any cache holds the token */
		pf_self_token |= PF_TOKEN_PROBED;
		/*
		 * A flusher of another process may then empty our idle
		 * caches: its global expedited membarrier() reaches our
		 * threads (pf_flush.c). Only a probeable process: a flusher
		 * that dies holding our cache's lock is detected by its file.
		 */
		if (syscall(__NR_membarrier,
				MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED, 0, 0) == 0)
			pf_self_token |= PF_TOKEN_REACHABLE;
	} else {
		if (fd >= 0)
			close(fd);
		PF_LOG(INFO, "cannot hold a liveness file at %s (%s): other processes will never recover the caches of this one",
			self_path, strerror(errno));
	}
	/* RELEASE: the token is final before anyone sees published */
	__atomic_store_n(&published, 1, __ATOMIC_RELEASE);
out:
	rte_spinlock_unlock(&publish_lock);
}

int
pf_owner_gone(uint64_t token)
{
	char path[PATH_MAX];
	int fd, gone = 0;

	if (token == 0 || token == pf_self_token ||
			!(token & PF_TOKEN_PROBED))
		return 0;
	liveness_path(path, sizeof(path), token);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT;
	/*
	 * Granted only when no process holds the shared lock: the owner is
	 * gone (the kernel dropped its lock with its last file reference).
	 * Refused: alive. The file goes with the first prober that sees it
	 * dead; one that opened it meanwhile is refused (we hold it).
	 */
	if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
		unlink(path);
		gone = 1;
	}
	close(fd);
	return gone;
}

void
pf_lock_wait(struct pf_lock *l, const char *name)
{
	uint64_t next = rte_get_tsc_cycles() + rte_get_tsc_hz();
	uint64_t holder;
	int told = 0;

	while (!rte_spinlock_trylock(&l->sl)) {
		rte_pause();
		if (told || rte_get_tsc_cycles() < next)
			continue;
		next = rte_get_tsc_cycles() + rte_get_tsc_hz();
		/* RELAXED: a hint; the probe is what decides */
		holder = __atomic_load_n(&l->holder, __ATOMIC_RELAXED);
		if (holder != 0 && pf_owner_gone(holder)) {
			PF_LOG(ERR, "%s: its lock is held by process %d, which is gone: what the lock guards may be half updated and cannot be repaired; every user waits. Free the pool (or restart the application)",
				name, (int)__atomic_load_n(&l->holder_pid,
					__ATOMIC_RELAXED));
			told = 1;
		}
	}
	pf_lock_mark(l);
}

/* A forked child is another process instance: a token of its own. */
static void
proc_forked(void)
{
	/*
	 * The parent's file and lock are the parent's: our copy of the file
	 * descriptor would keep its lock (and the parent "alive") as long as
	 * we live.
	 */
	if (self_fd >= 0)
		close(self_fd);
	token_draw();
}

RTE_INIT(pf_live_init)
{
	token_draw();
	pthread_atfork(NULL, NULL, proc_forked);
}
