/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_process_autotest: process and thread layouts that share a pool.
 *
 * - A primary and a secondary process (real processes: this binary started
 *   again with --proc-type=secondary) loop over get 16 / put 16 on a pool
 *   with no mempool cache, on the SAME lcore id and on different ones. A
 *   shadow owner byte per object in shared memory is claimed with a CAS at
 *   each get (a failed CAS is an object handed out twice) and each object
 *   carries the getter's pid and a sequence number, checked at the put.
 *   At the end every object is back and obtainable.
 * - A secondary takes PR_HOLD objects and exits (rte_eal_cleanup), or is
 *   killed with SIGKILL while idle: the primary then obtains exactly
 *   total - PR_HOLD objects, through rte_mempool_pagefrag_recover() and
 *   through a plain get that would otherwise fail.
 * pagefrag_thread_autotest: registered non-EAL threads. One registers,
 * gets, puts and unregisters, a second reuses its lcore id; no page stays
 * held by that lcore, every object is obtainable by the main lcore.
 *
 * - A secondary killed at some moment of its get/put loop (most often
 *   inside a driver call): no object it held is handed out again, at most
 *   a page and a burst are lost.
 *
 * pagefrag_proc_child is the secondary's side, not meant to be run alone.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define PR_POOL "pf_pr_pool"
#define PR_CTL "pf_pr_ctl"
#define PR_N 4096
#define PR_ELT 2048	/* 4096 objects: 5 pages */
#define PR_BURST 16
#define PR_ITERS 200000
#define PR_HOLD 3

enum pr_mode {
	PR_LOOP = 1,	/* loop get/put with the primary */
	PR_HOLD_EXIT,	/* take PR_HOLD objects, exit cleanly */
	PR_HOLD_IDLE,	/* take PR_HOLD objects, wait to be killed */
	PR_LOOP_KILL,	/* loop get/put until killed */
	PR_LOOP_ZOMBIE,	/* loop on a worker lcore, main thread gone */
};

/* What each process counts while looping. */
struct pr_counts {
	uint64_t rounds;
	uint64_t doubles;	/* object already owned at a get */
	uint64_t marks;		/* object's mark changed while held */
	uint64_t foreign;	/* object not of the pool */
	uint64_t fails;		/* get answered an error */
};

/* Shared by both processes, in a memzone. */
struct pr_ctl {
	int mode;
	volatile int ready;	/* child: attached, waiting for go */
	volatile int go;	/* primary: start */
	volatile int done;	/* child: loop over, or objects held */
	volatile int release;	/* primary: the zombie's worker may exit */
	struct pr_counts child;
	void *held[PR_HOLD];
	uintptr_t addrs[PR_N];	/* every object, sorted */
	uint8_t owner[PR_N];	/* 0 free, else the holder's process tag */
};

/* Object mark: written at get, checked at put. */
struct pr_mark {
	uint32_t pid;
	uint32_t tag;
	uint64_t seq;
};

static int
pr_owner_claim(struct pr_ctl *ctl, int idx, uint8_t tag)
{
	uint8_t free_tag = 0;

	/*
	 * ACQUIRE on success pairs with the RELEASE store of the last holder
	 * (pr_owner_release): its writes to the object happen-before ours.
	 */
	return __atomic_compare_exchange_n(&ctl->owner[idx], &free_tag, tag, 0,
		__ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static void
pr_owner_release(struct pr_ctl *ctl, int idx)
{
	/* RELEASE: the check of the mark happens-before the next claim */
	__atomic_store_n(&ctl->owner[idx], 0, __ATOMIC_RELEASE);
}

/* Loop get PR_BURST / put PR_BURST, counting anything wrong in c. */
static void
pr_loop(struct pr_ctl *ctl, struct rte_mempool *mp, uint8_t tag,
		uint64_t iters, struct pr_counts *c)
{
	void *objs[PR_BURST];
	int idx[PR_BURST];
	uint32_t pid = (uint32_t)getpid();
	uint64_t it;
	unsigned int i;

	for (it = 0; it < iters; it++) {
		if (rte_mempool_get_bulk(mp, objs, PR_BURST) != 0) {
			c->fails++;
			continue;
		}
		for (i = 0; i < PR_BURST; i++) {
			struct pr_mark *mk = objs[i];

			idx[i] = pf_test_obj_index(ctl->addrs, PR_N, objs[i]);
			if (idx[i] < 0) {
				c->foreign++;
				continue;
			}
			if (!pr_owner_claim(ctl, idx[i], tag)) {
				c->doubles++;
				idx[i] = -1;
				continue;
			}
			mk->pid = pid;
			mk->tag = tag;
			mk->seq = it;
		}
		for (i = 0; i < PR_BURST; i++) {
			const struct pr_mark *mk = objs[i];

			if (idx[i] < 0)
				continue;
			if (mk->pid != pid || mk->tag != tag || mk->seq != it)
				c->marks++;
			pr_owner_release(ctl, idx[i]);
		}
		rte_mempool_put_bulk(mp, objs, PR_BURST);
		c->rounds++;
	}
}

static int
pr_counts_ok(const char *who, const struct pr_counts *c, uint64_t iters)
{
	printf("%s: %" PRIu64 " rounds, %" PRIu64 " double hand-outs, %" PRIu64
		" marks overwritten, %" PRIu64 " foreign, %" PRIu64 " failed gets\n",
		who, c->rounds, c->doubles, c->marks, c->foreign, c->fails);
	return c->rounds == iters && c->doubles == 0 && c->marks == 0 &&
		c->foreign == 0 && c->fails == 0;
}

/*
 * Get every object the pool hands out (one by one, none twice, none of the
 * nb_held objects held[] someone holds) and put them back; the number
 * obtained, or -1 if one came twice or was held.
 */
static int
pr_get_all(struct rte_mempool *mp, unsigned int max, void * const *held,
		unsigned int nb_held)
{
	void **objs = calloc(max + 1, sizeof(void *));
	uintptr_t *s = calloc(max + 1, sizeof(uintptr_t));
	unsigned int n = 0, i, j;
	int ret;

	if (objs == NULL || s == NULL) {
		free(objs);
		free(s);
		return -1;
	}
	while (n <= max && rte_mempool_generic_get(mp, &objs[n], 1, NULL) == 0)
		n++;
	for (i = 0; i < n; i++)
		s[i] = (uintptr_t)objs[i];
	qsort(s, n, sizeof(s[0]), pf_test_cmp_ptr);
	ret = (int)n;
	for (i = 0; i < n; i++) {
		if (i > 0 && s[i] == s[i - 1]) {
			printf("object %#" PRIxPTR " handed out twice\n", s[i]);
			ret = -1;
		}
		for (j = 0; j < nb_held; j++)
			if (s[i] == (uintptr_t)held[j]) {
				printf("object %#" PRIxPTR " handed out while held\n",
					s[i]);
				ret = -1;
			}
	}
	rte_mempool_generic_put(mp, objs, n, NULL);
	free(objs);
	free(s);
	return ret;
}

/* The engine's counters of issue 11 (lcore collisions, caches recovered). */
static uint64_t
pr_stat(struct rte_mempool *mp, int recovered)
{
	struct rte_mempool_pagefrag_stats st;

	if (rte_mempool_pagefrag_stats_get(mp, &st) != 0)
		return UINT64_MAX;
	return recovered ? st.caches_recovered : st.lcore_collisions;
}

/* A cache-less pool, the control zone, the sorted object addresses. */
static int
pr_setup(struct rte_mempool **mpp, const struct rte_memzone **mzp,
		struct pr_ctl **ctlp, int mode)
{
	uintptr_t *addrs;
	struct pr_ctl *ctl;

	*mpp = pf_test_pool(PR_POOL, PR_N, PR_ELT, 0, 0);
	*mzp = rte_memzone_reserve(PR_CTL, sizeof(*ctl), SOCKET_ID_ANY, 0);
	if (*mpp == NULL || *mzp == NULL) {
		printf("pool or control zone: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	ctl = (*mzp)->addr;
	memset(ctl, 0, sizeof(*ctl));
	ctl->mode = mode;
	addrs = pf_test_obj_addrs(*mpp);
	if (addrs == NULL)
		return -1;
	memcpy(ctl->addrs, addrs, sizeof(ctl->addrs));
	free(addrs);
	*ctlp = ctl;
	return 0;
}

static void
pr_kill(pid_t pid)
{
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
}

/* Kill the child if it still runs (pid > 0), free the pool and zone. */
static void
pr_teardown(pid_t pid, struct rte_mempool *mp, const struct rte_memzone *mz)
{
	if (pid > 0)
		pr_kill(pid);
	rte_mempool_free(mp);
	rte_memzone_free(mz);
}

static int
pr_needs_secondary(void)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return -1;
	if (!test_has_hugepages()) {
		printf("needs hugepages: --no-huge memory is not shared with secondary processes\n");
		return -1;
	}
	return 0;
}

/* Start the secondary on lcores and let it go: its pid, or -1. */
static pid_t
pr_start_child(struct pr_ctl *ctl, const char *lcores)
{
	pid_t pid = pf_test_start_secondary(lcores, "pagefrag_proc_child",
		&ctl->ready, 1, 30.0);

	if (pid < 0) {
		printf("secondary did not start\n");
		return -1;
	}
	ctl->go = 1;
	return pid;
}

/* Wait for the child; 0 if it exited with status 0. */
static int
pr_reap(pid_t pid)
{
	int status = 0;

	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		printf("secondary process failed (status %#x)\n", status);
		return -1;
	}
	return 0;
}

/*
 * Primary on lcore 0, secondary on lcore id child_lcore, both looping.
 * same: the lcore ids are equal (the secondary must fall back, counted in
 * lcore_collisions); else no collision may be counted.
 */
static int
pr_two_loops(const char *child_lcores, int same)
{
	const struct rte_memzone *mz = NULL;
	struct rte_mempool *mp = NULL;
	struct pr_ctl *ctl;
	struct pr_counts mine = { 0 };
	uint64_t coll0, coll;
	pid_t pid = -1;
	int got, ret = TEST_FAILED;

	if (pr_needs_secondary() < 0)
		return TEST_SKIPPED;
	if (rte_lcore_id() != 0) {
		printf("needs the main lcore to be lcore 0\n");
		return TEST_SKIPPED;
	}
	if (pr_setup(&mp, &mz, &ctl, PR_LOOP) < 0)
		goto out;
	/* the primary uses lcore 0's frag cache first: it owns it */
	pr_loop(ctl, mp, 1, 1, &mine);
	coll0 = pr_stat(mp, 0);
	pid = pr_start_child(ctl, child_lcores);
	if (pid < 0)
		goto out;
	memset(&mine, 0, sizeof(mine));
	pr_loop(ctl, mp, 1, PR_ITERS, &mine);
	if (pf_test_wait_for(&ctl->done, 1, 120.0) < 0) {
		printf("secondary did not finish its loop\n");
		goto out;
	}
	ret = pr_reap(pid);
	pid = -1;
	if (ret != 0)
		goto out;
	ret = TEST_FAILED;
	if (!pr_counts_ok("primary", &mine, PR_ITERS) |
			!pr_counts_ok("secondary", &ctl->child, PR_ITERS))
		goto out;
	coll = pr_stat(mp, 0) - coll0;
	got = pr_get_all(mp, PR_N, NULL, 0);
	printf("lcore ids %s: %" PRIu64 " calls fell back (lcore_collisions), avail %u, %d of %u objects obtainable\n",
		same ? "equal" : "different", coll, rte_mempool_avail_count(mp),
		got, PR_N);
	if (got != PR_N || rte_mempool_avail_count(mp) != PR_N)
		goto out;
	if (same ? coll == 0 : coll != 0) {
		printf("lcore_collisions: want %s\n", same ? "> 0" : "0");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	pr_teardown(pid, mp, mz);
	return ret;
}

static const char * const pr_pidns[] = { "unshare", "-p", "-f",
	"--kill-child", NULL };

/* Root and unshare(1): PID namespaces for the secondaries. */
static int
pr_needs_pidns(void)
{
	if (geteuid() != 0 || (access("/usr/bin/unshare", X_OK) != 0 &&
			access("/bin/unshare", X_OK) != 0)) {
		printf("needs root and unshare(1) for a PID namespace\n");
		return -1;
	}
	return 0;
}

/* The secondary in its own PID namespace: its pid says nothing here. */
static int
pr_pidns_loops(void)
{
	int ret;

	pf_test_secondary_wrapper(pr_pidns);
	ret = pr_two_loops("0@1", 1);
	pf_test_secondary_wrapper(NULL);
	return ret;
}

static int
test_pidns_same_lcore(void)
{
	if (pr_needs_pidns() < 0)
		return TEST_SKIPPED;
	return pr_pidns_loops();
}

/*
 * A primary and a secondary, each in a PID namespace of its own
 * (containers: both are pid 1), on one lcore id. This binary starts the
 * primary (pagefrag_pidns_primary, its own file prefix) under unshare(1);
 * it runs the same-lcore test above with its secondary under unshare(1)
 * too. Two secondaries cannot share a pid: EAL names their memory maps
 * after it.
 */
static int
test_pidns_both(void)
{
	char exe[4096], prefix[64];
	int status = 0;
	ssize_t len;
	pid_t pid;

	if (pr_needs_secondary() < 0 || pr_needs_pidns() < 0)
		return TEST_SKIPPED;
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	TEST_ASSERT(len > 0, "own path");
	exe[len] = '\0';
	snprintf(prefix, sizeof(prefix), "--file-prefix=pf_pidns_%d",
		(int)getpid());
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		execlp("unshare", "unshare", "-p", "-f", "--kill-child", exe,
			"-l", "0", "--no-pci", prefix, "--", "pagefrag_pidns_primary",
			(char *)NULL);
		_exit(127);
	}
	TEST_ASSERT(pid > 0, "fork");
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) ||
			WEXITSTATUS(status) != 0) {
		printf("the primary in its PID namespace failed (status %#x)\n",
			status);
		return TEST_FAILED;
	}
	return TEST_SUCCESS;
}

/* The primary's side of test_pidns_both(), pid 1 in its namespace. */
static int
test_pidns_primary(void)
{
	printf("primary of the PID-namespace test: pid %d\n", (int)getpid());
	return pr_pidns_loops();
}

/*
 * A secondary whose main thread exits while its worker lcore loops: the
 * process lives on (state Z in /proc for its main thread). The primary
 * loops on lcore 0 and asks for recoveries all along: none may happen
 * while the secondary lives.
 */
static int
test_zombie_main(void)
{
	const struct rte_memzone *mz = NULL;
	struct rte_mempool *mp = NULL;
	struct pr_ctl *ctl;
	struct pr_counts mine = { 0 };
	uint64_t rec0, rec;
	pid_t pid = -1;
	unsigned int k;
	int got, ret = TEST_FAILED;

	if (pr_needs_secondary() < 0)
		return TEST_SKIPPED;
	if (pr_setup(&mp, &mz, &ctl, PR_LOOP_ZOMBIE) < 0)
		goto out;
	rec0 = pr_stat(mp, 1);
	/* main lcore 7 exits at once; lcore 3 loops */
	pid = pr_start_child(ctl, "7@0,3@1");
	if (pid < 0)
		goto out;
	for (k = 0; k < 100 && !ctl->done; k++) {
		pr_loop(ctl, mp, 1, PR_ITERS / 100, &mine);
		rte_mempool_pagefrag_recover(mp);
	}
	if (pf_test_wait_for(&ctl->done, 1, 120.0) < 0) {
		printf("secondary did not finish its loop\n");
		goto out;
	}
	/* counted before the secondary may exit: then it is gone */
	rec = pr_stat(mp, 1) - rec0;
	__atomic_store_n(&ctl->release, 1, __ATOMIC_RELEASE);
	if (pr_reap(pid) != 0) {
		pid = -1;
		goto out;
	}
	pid = -1;
	got = pr_get_all(mp, PR_N, NULL, 0);
	printf("secondary's main thread gone: %" PRIu64 " recoveries while it lived, %d of %u objects obtainable\n",
		rec, got, PR_N);
	if (pr_counts_ok("primary", &mine, mine.rounds) &
			pr_counts_ok("secondary", &ctl->child, PR_ITERS) &&
			rec == 0 && got == PR_N)
		ret = TEST_SUCCESS;
out:
	pr_teardown(pid, mp, mz);
	return ret;
}

static int
pr_zombie_worker(void *arg)
{
	struct pr_ctl *ctl = arg;

	pr_loop(ctl, rte_mempool_lookup(PR_POOL), 2, PR_ITERS, &ctl->child);
	__atomic_store_n(&ctl->done, 1, __ATOMIC_RELEASE);
	/* alive until the primary has counted its recoveries */
	while (__atomic_load_n(&ctl->release, __ATOMIC_ACQUIRE) == 0)
		usleep(1000);
	/* the main thread is gone: end the process from here */
	_exit(0);
	return 0;
}

static int
test_same_lcore(void)
{
	/* lcore id 0, as the primary's, on another CPU */
	return pr_two_loops("0@1", 1);
}

static int
test_other_lcore(void)
{
	return pr_two_loops("3@1", 0);
}

/* What becomes of a secondary holding PR_HOLD objects. */
enum pr_fate {
	PR_EXITS,	/* it exits cleanly */
	PR_KILLED,	/* it is killed while idle */
	PR_IDLES,	/* it lives on, idle */
};

/*
 * A secondary on lcore id 5 takes PR_HOLD objects (its lcore's frag cache
 * takes a page), then exits, is killed or idles. The primary must then
 * obtain exactly PR_N - PR_HOLD objects, as avail_count promises: through
 * rte_mempool_pagefrag_recover() (explicit) or a plain get. A dead
 * secondary's cache is recovered; a live one's is emptied from here, never
 * recovered.
 */
static int
pr_held_by_child(enum pr_fate fate, int explicit)
{
	static const char * const fates[] = { "exited", "killed", "idle" };
	const struct rte_memzone *mz = NULL;
	struct rte_mempool *mp = NULL;
	struct pr_ctl *ctl;
	uint64_t rec0;
	unsigned int avail;
	pid_t pid = -1;
	int got, rec = 0, ret = TEST_FAILED;

	if (pr_needs_secondary() < 0)
		return TEST_SKIPPED;
	if (pr_setup(&mp, &mz, &ctl, fate == PR_EXITS ? PR_HOLD_EXIT :
			PR_HOLD_IDLE) < 0)
		goto out;
	rec0 = pr_stat(mp, 1);
	pid = pr_start_child(ctl, "5@0");
	if (pid < 0)
		goto out;
	if (pf_test_wait_for(&ctl->done, 1, 30.0) < 0) {
		printf("secondary did not take its objects\n");
		goto out;
	}
	if (fate == PR_KILLED) {
		pr_kill(pid);
		pid = -1;
	} else if (fate == PR_EXITS) {
		ret = pr_reap(pid);
		pid = -1;
		if (ret != 0)
			goto out;
		ret = TEST_FAILED;
	}
	avail = rte_mempool_avail_count(mp);
	if (explicit) {
		rec = rte_mempool_pagefrag_recover(mp);
		if (rec < 0) {
			printf("rte_mempool_pagefrag_recover: %d\n", rec);
			goto out;
		}
	}
	got = pr_get_all(mp, PR_N, ctl->held, PR_HOLD);
	printf("secondary %s holding %u objects: avail %u, recover() %d, %d obtainable, caches_recovered +%" PRIu64 "\n",
		fates[fate], PR_HOLD, avail, rec, got, pr_stat(mp, 1) - rec0);
	if (avail != PR_N - PR_HOLD || got != PR_N - PR_HOLD)
		goto out;
	/* a dead owner's cache was recovered; explicitly: by recover() */
	if (fate == PR_KILLED && pr_stat(mp, 1) == rec0) {
		printf("caches_recovered did not move\n");
		goto out;
	}
	if (fate == PR_KILLED && explicit && rec < 1) {
		printf("recover() found no cache of the killed process\n");
		goto out;
	}
	if (fate == PR_IDLES && (pr_stat(mp, 1) != rec0 || rec != 0)) {
		printf("the cache of a live secondary was recovered\n");
		goto out;
	}
	ret = TEST_SUCCESS;
out:
	pr_teardown(pid, mp, mz);
	return ret;
}

static int
test_exit_get(void)
{
	return pr_held_by_child(PR_EXITS, 0);
}

static int
test_exit_recover(void)
{
	return pr_held_by_child(PR_EXITS, 1);
}

static int
test_kill_get(void)
{
	return pr_held_by_child(PR_KILLED, 0);
}

static int
test_kill_recover(void)
{
	return pr_held_by_child(PR_KILLED, 1);
}

/*
 * A live secondary idles holding a page in its lcore's frag cache: every
 * object avail_count promises is obtainable here all the same.
 */
static int
test_idle_secondary(void)
{
	return pr_held_by_child(PR_IDLES, 1);
}

/*
 * A secondary killed at some moment of its get/put loop, at times inside a
 * driver call. What it held is lost, and when it died inside a call on its
 * frag cache, so is the rest of that cache's page (a documented limit: the
 * cache's state cannot be trusted). Nothing may be handed out twice: no
 * object the dead process held (owner byte still its) is obtainable, and
 * at most one page plus a burst is missing. The dead process's cache is
 * always released (recover() counts it), and after a death inside a call
 * the next secondary on that lcore id owns the cache again (no collision).
 */
static int
test_kill_in_call(void)
{
	static const unsigned int delays_ms[] = { 20, 70, 130, 210 };
	const struct rte_memzone *mz = NULL;
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp = NULL;
	struct pr_ctl *ctl;
	void *held[PR_BURST];
	unsigned int d, i, nheld, in_call = 0;
	uint64_t col0;
	pid_t pid = -1;
	int got, rec, ret = TEST_FAILED;

	if (pr_needs_secondary() < 0)
		return TEST_SKIPPED;
	for (d = 0; d < RTE_DIM(delays_ms); d++) {
		if (pr_setup(&mp, &mz, &ctl, PR_LOOP_KILL) < 0 ||
				rte_mempool_pagefrag_stats_get(mp, &st) != 0)
			goto out;
		pid = pr_start_child(ctl, "5@0");
		if (pid < 0)
			goto out;
		/* from its first round on: a loaded machine starts it late */
		for (i = 0; i < 30000 &&
				__atomic_load_n(&ctl->child.rounds, __ATOMIC_RELAXED) == 0;
				i++)
			usleep(1000);
		usleep(delays_ms[d] * 1000);
		pr_kill(pid);
		pid = -1;
		for (i = 0, nheld = 0; i < PR_N; i++) {
			if (ctl->owner[i] != 2)
				continue;
			if (nheld == RTE_DIM(held)) {
				printf("the secondary held more than a burst\n");
				goto out;
			}
			held[nheld++] = (void *)ctl->addrs[i];
		}
		rec = rte_mempool_pagefrag_recover(mp);
		got = pr_get_all(mp, PR_N, held, nheld);
		printf("killed after %u ms, %" PRIu64 " rounds: holding %u, recover() %d, %d of %u obtainable\n",
			delays_ms[d], ctl->child.rounds, nheld, rec, got, PR_N);
		if (got < 0 || rec < 1 || ctl->child.rounds == 0 ||
				(unsigned int)got > PR_N - nheld ||
				got + nheld + PR_BURST + st.objs_per_page < PR_N)
			goto out;
		if (got + nheld + PR_BURST < PR_N) {
			/* it died inside a call: the next one on lcore 5 */
			in_call++;
			col0 = pr_stat(mp, 0);
			memset(ctl, 0, offsetof(struct pr_ctl, addrs));
			ctl->mode = PR_HOLD_EXIT;
			pid = pr_start_child(ctl, "5@0");
			if (pid < 0 || pr_reap(pid) != 0)
				goto out;
			pid = -1;
			printf("next secondary on lcore 5: %" PRIu64 " collisions\n",
				pr_stat(mp, 0) - col0);
			if (pr_stat(mp, 0) != col0)
				goto out;
		}
		pr_teardown(-1, mp, mz);
		mp = NULL;
		mz = NULL;
	}
	printf("%u of %u kills inside a call on the frag cache\n", in_call,
		(unsigned int)RTE_DIM(delays_ms));
	ret = TEST_SUCCESS;
out:
	pr_teardown(pid, mp, mz);
	return ret;
}

/* The secondary's side of every case above. */
static int
test_proc_child(void)
{
	const struct rte_memzone *mz;
	struct rte_mempool *mp;
	struct pr_ctl *ctl;
	unsigned int i;

	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		return TEST_SKIPPED;
	mp = rte_mempool_lookup(PR_POOL);
	mz = rte_memzone_lookup(PR_CTL);
	TEST_ASSERT(mp != NULL && mz != NULL, "pool and control zone");
	ctl = mz->addr;
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_check_ops(mp), "ops index");
	/* attached: from now on, exit only when the primary says so */
	ctl->ready = 1;
	TEST_ASSERT_SUCCESS(pf_test_wait_for(&ctl->go, 1, 30.0), "primary");
	switch (ctl->mode) {
	case PR_LOOP:
		pr_loop(ctl, mp, 2, PR_ITERS, &ctl->child);
		break;
	case PR_HOLD_EXIT:
	case PR_HOLD_IDLE:
		TEST_ASSERT_SUCCESS(rte_mempool_get_bulk(mp, ctl->held, PR_HOLD),
			"get");
		for (i = 0; i < PR_HOLD; i++) {
			int idx = pf_test_obj_index(ctl->addrs, PR_N, ctl->held[i]);

			TEST_ASSERT(idx >= 0 && pr_owner_claim(ctl, idx, 2),
				"object %p", ctl->held[i]);
		}
		if (ctl->mode == PR_HOLD_IDLE) {
			ctl->done = 1;
			for (;;)
				pause();	/* idle until SIGKILL */
		}
		break;
	case PR_LOOP_KILL:
		pr_loop(ctl, mp, 2, UINT64_MAX, &ctl->child);
		break;
	case PR_LOOP_ZOMBIE:
		TEST_ASSERT_SUCCESS(rte_eal_remote_launch(pr_zombie_worker, ctl,
			rte_get_next_lcore(-1, 1, 0)), "worker lcore");
		pthread_exit(NULL);
		break;
	default:
		return TEST_FAILED;
	}
	__atomic_store_n(&ctl->done, 1, __ATOMIC_RELEASE);
	return TEST_SUCCESS;	/* main() calls rte_eal_cleanup() */
}

/* ------------------------------------------------ non-EAL threads */

struct pr_thread {
	struct rte_mempool *mp;
	unsigned int lcore;	/* the id it got */
	int ok;
};

static void *
pr_thread_main(void *arg)
{
	struct pr_thread *t = arg;
	void *objs[40];

	t->ok = 0;
	if (rte_thread_register() != 0) {
		printf("rte_thread_register: %s\n", rte_strerror(rte_errno));
		return NULL;
	}
	t->lcore = rte_lcore_id();
	/* its lcore's frag cache takes a page; give all back but the page */
	if (rte_mempool_generic_get(t->mp, objs, RTE_DIM(objs), NULL) == 0) {
		rte_mempool_generic_put(t->mp, objs, 10, NULL);
		rte_mempool_generic_put(t->mp, &objs[10], RTE_DIM(objs) - 10,
			NULL);
		t->ok = 1;
	}
	rte_thread_unregister();
	return NULL;
}

/* Does the dump show a page carved by lcore id lc? */
static int
pr_lcore_carving(struct rte_mempool *mp, unsigned int lc)
{
	char *text = NULL, key[32];
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);
	int found;

	if (f == NULL)
		return -1;
	rte_mempool_pagefrag_dump(f, mp);
	fclose(f);
	snprintf(key, sizeof(key), "carving  lcore %u", lc);
	found = text != NULL && strstr(text, key) != NULL;
	free(text);
	return found;
}

static int
test_thread_unregister(void)
{
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool *mp;
	struct pr_thread t[2];
	pthread_t th;
	unsigned int i;
	int got;

	mp = pf_test_pool("pf_pr_threads", 8192, 128, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	for (i = 0; i < RTE_DIM(t); i++) {
		t[i].mp = mp;
		t[i].lcore = LCORE_ID_ANY;
		TEST_ASSERT_SUCCESS(pthread_create(&th, NULL, pr_thread_main,
			&t[i]), "pthread_create");
		pthread_join(th, NULL);
		TEST_ASSERT(t[i].ok && t[i].lcore < RTE_MAX_LCORE,
			"thread %u: registered, got and put (lcore %u)", i,
			t[i].lcore);
		/* its frag cache was emptied at rte_thread_unregister */
		TEST_ASSERT(pr_lcore_carving(mp, t[i].lcore) == 0,
			"lcore %u still holds a page after unregistering",
			t[i].lcore);
		TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_stats_get(mp, &st),
			"stats");
		TEST_ASSERT_EQUAL(st.pages_carving, 0,
			"pages held by a frag cache after thread %u", i);
	}
	TEST_ASSERT_EQUAL(t[1].lcore, t[0].lcore,
		"second thread reuses the lcore id");
	got = pr_get_all(mp, 8192, NULL, 0);
	TEST_ASSERT_EQUAL(got, 8192, "objects obtainable by the main lcore");
	TEST_ASSERT_EQUAL(rte_mempool_avail_count(mp), 8192, "avail");
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static const struct unit_test_case proc_cases[] = {
	{ "primary and secondary on the same lcore id, cache 0", test_same_lcore },
	{ "primary and secondary on different lcore ids, cache 0", test_other_lcore },
	{ "secondary exits holding objects, plain get", test_exit_get },
	{ "secondary exits holding objects, recover()", test_exit_recover },
	{ "secondary killed holding objects, plain get", test_kill_get },
	{ "secondary killed holding objects, recover()", test_kill_recover },
	{ "secondary killed in its get/put loop: no double hand-out", test_kill_in_call },
	{ "live idle secondary: its cached objects obtainable", test_idle_secondary },
	{ "secondary in its own PID namespace on the same lcore id", test_pidns_same_lcore },
	{ "primary and secondary in PID namespaces of their own, one lcore id", test_pidns_both },
	{ "secondary whose main thread exited keeps its caches", test_zombie_main },
};

static int
test_process(void)
{
	return run_test_suite("pagefrag_process_autotest", proc_cases,
		RTE_DIM(proc_cases));
}

/*
 * Its own command: rte_thread_register() disables multi-process support
 * (rte_mp_disable), which fails once a secondary attached.
 */
static int
test_thread(void)
{
	static const struct unit_test_case thread_cases[] = {
		{ "non-EAL threads register, unregister, reuse the lcore id",
			test_thread_unregister },
	};

	return run_test_suite("pagefrag_thread_autotest", thread_cases,
		RTE_DIM(thread_cases));
}

REGISTER_TEST_COMMAND(pagefrag_process_autotest, test_process);
REGISTER_TEST_COMMAND(pagefrag_thread_autotest, test_thread);
REGISTER_TEST_COMMAND(pagefrag_proc_child, test_proc_child);
REGISTER_TEST_COMMAND(pagefrag_pidns_primary, test_pidns_primary);
