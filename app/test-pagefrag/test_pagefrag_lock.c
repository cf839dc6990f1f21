/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * The pool-wide lock of pf_live.c (struct pf_lock) against a process that
 * dies holding it: this binary carries its own copy of pf_live.c (the
 * driver's copy is internal to its shared library), and the lock lives in
 * memory shared with a forked child, as a pool's does with a secondary.
 *
 *   - a child takes the lock and is killed with SIGKILL: a waiter says,
 *     within a few seconds, that the lock is held by that process and that
 *     it is gone, and takes the lock once it is released;
 *   - a live child holds the lock as long: the waiter says nothing.
 */

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>
#include <sys/wait.h>

#include <rte_cycles.h>
#include <rte_log.h>

#include "test.h"
#include "pf_live.h"

/* The log type pf_live.c logs to (the driver registers its own). */
int pf_logtype = RTE_LOGTYPE_USER1;

#define LK_POOL_NAME	"pf_lock_test_pool"
#define LK_WAIT_MS	3500	/* the waiter reports after about 1 s */

struct lk_waiter {
	struct pf_lock *l;
	volatile int got;	/* the waiter holds the lock */
};

static void *
lk_wait(void *arg)
{
	struct lk_waiter *w = arg;

	pf_lock(w->l, LK_POOL_NAME);
	w->got = 1;
	return NULL;
}

/* Fork a child that publishes itself and takes l; its pid, or -1. */
static pid_t
lk_child_holds(struct pf_lock *l)
{
	int fds[2];
	pid_t pid;
	char c = 0;

	if (pipe(fds) != 0)
		return -1;
	pid = fork();
	if (pid == 0) {
		close(fds[0]);
		pf_live_publish();
		pf_lock(l, "child");
		if (write(fds[1], &c, 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(fds[1]);
	if (pid > 0 && read(fds[0], &c, 1) != 1) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		pid = -1;
	}
	close(fds[0]);
	return pid;
}

/*
 * A waiter spins on l for LK_WAIT_MS while its log is kept; then l is
 * released under it. The log text (to free), or NULL.
 */
static char *
lk_watch(struct pf_lock *l, int *got_before, int *got_after)
{
	struct lk_waiter w = { .l = l, .got = 0 };
	char *text = NULL;
	size_t len = 0;
	pthread_t th;
	FILE *f;

	f = open_memstream(&text, &len);
	if (f == NULL)
		return NULL;
	rte_openlog_stream(f);
	if (pthread_create(&th, NULL, lk_wait, &w) != 0) {
		rte_openlog_stream(NULL);
		fclose(f);
		free(text);
		return NULL;
	}
	rte_delay_ms(LK_WAIT_MS);
	*got_before = w.got;
	/* the holder is gone or stuck: release it for the waiter */
	rte_spinlock_unlock(&l->sl);
	pthread_join(th, NULL);
	*got_after = w.got;
	pf_unlock(l);
	rte_openlog_stream(NULL);
	fclose(f);
	return text;
}

static int
test_lock_dead_holder(void)
{
	struct pf_lock *l;
	char expect[128], *text;
	int before = -1, after = -1, found;
	pid_t pid;

	l = mmap(NULL, sizeof(*l), PROT_READ | PROT_WRITE,
		MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	TEST_ASSERT(l != MAP_FAILED, "mmap: %s", strerror(errno));
	pf_lock_init(l);

	/* a holder that is alive: the waiter waits and says nothing */
	pid = lk_child_holds(l);
	TEST_ASSERT(pid > 0, "fork a holder");
	text = lk_watch(l, &before, &after);
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	TEST_ASSERT_NOT_NULL(text, "watch the waiter");
	printf("live holder %d, waiter's log: \"%s\"\n", (int)pid, text);
	found = strstr(text, "which is gone") != NULL;
	free(text);
	TEST_ASSERT_EQUAL(before, 0, "the waiter took a held lock");
	TEST_ASSERT_EQUAL(after, 1, "the waiter did not take the released lock");
	TEST_ASSERT_EQUAL(found, 0, "a live holder was reported gone");

	/* a holder killed while it holds the lock */
	pid = lk_child_holds(l);
	TEST_ASSERT(pid > 0, "fork a holder");
	kill(pid, SIGKILL);
	waitpid(pid, NULL, 0);
	text = lk_watch(l, &before, &after);
	TEST_ASSERT_NOT_NULL(text, "watch the waiter");
	printf("dead holder %d, waiter's log: \"%s\"\n", (int)pid, text);
	snprintf(expect, sizeof(expect),
		"%s: its lock is held by process %d, which is gone",
		LK_POOL_NAME, (int)pid);
	found = strstr(text, expect) != NULL;
	free(text);
	munmap(l, sizeof(*l));
	TEST_ASSERT_EQUAL(before, 0, "the waiter took a lock a dead process holds");
	TEST_ASSERT_EQUAL(after, 1, "the waiter did not take the released lock");
	TEST_ASSERT(found, "no error naming the pool and the dead holder %d",
		(int)pid);
	return TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(pagefrag_lock_autotest, test_lock_dead_holder);
