/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * pagefrag_multiprocess_autotest: a primary process creates a pagefrag
 * pool, starts this binary again as a secondary process (with an lcore id
 * the primary does not use, as frag caches are per lcore id) that gets and
 * puts objects of it; both check the counts.
 * A secondary attaches a fragment of the primary's fragment pool to an
 * mbuf: allowed only where the library sits at the primary's address (the
 * mbuf's free callback is a code address), else refused with -ENOTSUP, and
 * from then on in the primary too.
 * A monitoring secondary that only reads the pool (avail_count, the
 * driver's stats, the in-flight view, the dump) is killed (SIGKILL) at
 * random moments: the primary's next gets and puts must not hang (none of
 * these takes a lock).
 * pagefrag_mp_secondary, pagefrag_mp_frag_secondary and
 * pagefrag_mp_count_secondary are the secondary's sides, not meant to be
 * run alone.
 */

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_random.h>
#include <rte_memzone.h>
#include <rte_mempool.h>

#include <rte_mbuf.h>
#include <rte_mempool_pagefrag.h>
#include <rte_pagefrag.h>

#include "test.h"
#include "test_pagefrag_util.h"

#define MP_POOL "pf_mp_pool"
#define MP_CTL "pf_mp_ctl"
#define MP_N 2000
#define MP_TAKE 100

struct mp_ctl {
	volatile int step;	/* 1: secondary holds MP_TAKE, 2: primary saw */
	volatile int done;	/* 3: secondary gave them back */
	volatile unsigned int sec_avail[2];
	volatile int sec_check_ops;
	/* fragments: the pool, where each process has the library */
	struct rte_pagefrag_pool *fp;
	uintptr_t code[2];	/* rte_pagefrag_attach_extbuf: primary, secondary */
	volatile int attach_ret;
	volatile uint64_t counts;	/* read rounds of the monitor */
	volatile uint64_t frag_bad[2];	/* fragments overwritten: primary, secondary */
	struct rte_mempool_pagefrag_rcache *rc;	/* made by one secondary */
	volatile uint64_t rc_rounds;	/* alloc/free rounds of the user */
	volatile int rc_errors;		/* failed calls of the user */
};

#define MP_HDR_POOL "pf_mp_hdr"
#define MP_COUNT_POOL "pf_mp_count"
#define MP_COUNT_N 65536	/* 2 KB objects: 65 pages to walk */
#define MP_COUNT_KILLS 6

/*
 * The primary's start of every test here: skipped in a secondary and
 * without hugepages (--no-huge memory is not shared); the control zone,
 * zeroed. 0, or what the test returns (the reason printed).
 */
static int
mp_begin(const struct rte_memzone **mz, struct mp_ctl **ctl)
{
	if (rte_eal_process_type() != RTE_PROC_PRIMARY)
		return TEST_SKIPPED;
	if (!test_has_hugepages()) {
		printf("needs hugepages: --no-huge memory is not shared with secondary processes\n");
		return TEST_SKIPPED;
	}
	*mz = rte_memzone_reserve(MP_CTL, sizeof(**ctl), SOCKET_ID_ANY, 0);
	if (*mz == NULL) {
		printf("control zone: %s\n", rte_strerror(rte_errno));
		return TEST_FAILED;
	}
	*ctl = (*mz)->addr;
	memset(*ctl, 0, sizeof(**ctl));
	return 0;
}

/*
 * The secondary's start: skipped in a primary; the primary's control
 * zone. 0, or what the test returns (the reason printed).
 */
static int
mp_attach(struct mp_ctl **ctl)
{
	const struct rte_memzone *mz;

	if (rte_eal_process_type() != RTE_PROC_SECONDARY)
		return TEST_SKIPPED;
	mz = rte_memzone_lookup(MP_CTL);
	if (mz == NULL) {
		printf("no control zone %s\n", MP_CTL);
		return TEST_FAILED;
	}
	*ctl = mz->addr;
	return 0;
}

/* Wait for the secondary pid: 0 if it exited with status 0, else -1. */
static int
mp_exited_ok(pid_t pid, const char *who)
{
	int status = 0;

	if (waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
			WEXITSTATUS(status) == 0)
		return 0;
	printf("%s failed (status %#x)\n", who, status);
	return -1;
}

static int
test_multiprocess(void)
{
	const struct rte_memzone *mz;
	struct rte_mempool *mp;
	struct mp_ctl *ctl;
	pid_t pid;
	int status, ret = TEST_FAILED;

	status = mp_begin(&mz, &ctl);
	if (status != 0)
		return status;
	mp = pf_test_pool(MP_POOL, MP_N, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");

	/* lcore id 5 (on CPU 0): no lcore id of the primary's */
	pid = pf_test_start_secondary("5@0", "pagefrag_mp_secondary",
		&ctl->step, 1, 30.0);
	if (pid < 0) {
		printf("secondary did not take its objects\n");
		rte_mempool_free(mp);
		rte_memzone_free(mz);
		return TEST_FAILED;
	}
	printf("secondary holds %u objects: avail %u in the secondary, %u in the primary\n",
		MP_TAKE, ctl->sec_avail[0], rte_mempool_avail_count(mp));
	if (ctl->sec_check_ops != 0 || ctl->sec_avail[0] != MP_N - MP_TAKE ||
			rte_mempool_avail_count(mp) != MP_N - MP_TAKE)
		goto out;
	{
		/* the secondary carved from its own lcore's cache */
		char *text = NULL;
		size_t tlen = 0;
		FILE *f = open_memstream(&text, &tlen);
		int found;

		rte_mempool_pagefrag_dump(f, mp);
		fclose(f);
		found = strstr(text, "carving  lcore 5") != NULL;
		free(text);
		if (!found) {
			printf("no page held by the secondary's lcore 5\n");
			goto out;
		}
	}
	ctl->step = 2;
	if (pf_test_wait_for(&ctl->done, 1, 30.0) < 0) {
		printf("secondary did not give its objects back\n");
		goto out;
	}
	printf("after the secondary's put: avail %u in the secondary, %u in the primary\n",
		ctl->sec_avail[1], rte_mempool_avail_count(mp));
	if (ctl->sec_avail[1] != MP_N || rte_mempool_avail_count(mp) != MP_N)
		goto out;
	ret = TEST_SUCCESS;
out:
	if (mp_exited_ok(pid, "secondary process") != 0) {
		ret = TEST_FAILED;
	}
	rte_mempool_free(mp);
	rte_memzone_free(mz);
	return ret;
}

static int
test_mp_secondary(void)
{
	struct rte_mempool *mp;
	struct mp_ctl *ctl;
	void *objs[MP_TAKE];
	int ret;

	ret = mp_attach(&ctl);
	if (ret != 0)
		return ret;
	mp = rte_mempool_lookup(MP_POOL);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	ctl->sec_check_ops = rte_mempool_pagefrag_check_ops(mp);
	TEST_ASSERT_SUCCESS(rte_mempool_generic_get(mp, objs, MP_TAKE, NULL),
		"secondary get");
	for (unsigned int i = 0; i < MP_TAKE; i++)
		memset(objs[i], 0x3c, 64);
	ctl->sec_avail[0] = rte_mempool_avail_count(mp);
	ctl->step = 1;
	TEST_ASSERT_SUCCESS(pf_test_wait_for(&ctl->step, 2, 30.0), "primary");
	rte_mempool_generic_put(mp, objs, MP_TAKE, NULL);
	ctl->sec_avail[1] = rte_mempool_avail_count(mp);
	ctl->done = 1;
	return TEST_SUCCESS;
}

/*
 * A fragment attached to an mbuf in a process where the library sits at
 * another address could not be freed in the other: refused, in both.
 */
static int
test_frag_secondary(void)
{
	const struct rte_memzone *mz;
	struct rte_mempool *hp;
	struct rte_mbuf *m;
	struct mp_ctl *ctl;
	int status = 0, ret = TEST_FAILED, mine;
	pid_t pid;

	status = mp_begin(&mz, &ctl);
	if (status != 0)
		return status;
	hp = rte_pktmbuf_pool_create_by_ops(MP_HDR_POOL, 64, 0, 0, 0,
		SOCKET_ID_ANY, "pagefrag");
	TEST_ASSERT_NOT_NULL(hp, "header pool");
	ctl->fp = rte_pagefrag_pool_create("pf_mp_frags", 2, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ctl->fp, "fragment pool");
	ctl->code[0] = (uintptr_t)rte_pagefrag_attach_extbuf;
	pid = pf_test_start_secondary("5@0", "pagefrag_mp_frag_secondary",
		&ctl->done, 1, 30.0);
	if (pid < 0) {
		printf("secondary did not try to attach\n");
		goto out;
	}
	/* gone: the page its lcore's frag cache held is recovered */
	if (mp_exited_ok(pid, "secondary process") != 0) {
		goto out;
	}
	m = rte_pktmbuf_alloc(hp);
	TEST_ASSERT_NOT_NULL(m, "header mbuf");
	mine = rte_pagefrag_attach_extbuf(ctl->fp, m, 256);
	rte_pktmbuf_free(m);
	printf("library at %#" PRIxPTR " in the primary, %#" PRIxPTR " in the secondary: attach %d there, %d here afterwards\n",
		ctl->code[0], ctl->code[1], ctl->attach_ret, mine);
	if (ctl->code[0] == ctl->code[1])
		ret = ctl->attach_ret == 0 && mine == 0 ?
			TEST_SUCCESS : TEST_FAILED;
	else
		ret = ctl->attach_ret == -ENOTSUP && mine == -ENOTSUP ?
			TEST_SUCCESS : TEST_FAILED;
out:
	rte_pagefrag_cache_drain(ctl->fp);
	if (rte_pagefrag_pool_free(ctl->fp) != 0) {
		printf("fragment pool not freed: fragments still out\n");
		ret = TEST_FAILED;
	}
	rte_mempool_free(hp);
	rte_memzone_free(mz);
	return ret;
}

static int
test_mp_frag_secondary(void)
{
	struct rte_mempool *hp = rte_mempool_lookup(MP_HDR_POOL);
	struct rte_mbuf *m;
	struct mp_ctl *ctl;
	int ret;

	ret = mp_attach(&ctl);
	if (ret != 0)
		return ret;
	TEST_ASSERT_NOT_NULL(hp, "header pool");
	ctl->code[1] = (uintptr_t)rte_pagefrag_attach_extbuf;
	m = rte_pktmbuf_alloc(hp);
	TEST_ASSERT_NOT_NULL(m, "header mbuf");
	ctl->attach_ret = rte_pagefrag_attach_extbuf(ctl->fp, m, 256);
	/* freed here, where its callback is valid, whatever the answer */
	rte_pktmbuf_free(m);
	rte_pagefrag_cache_drain(ctl->fp);
	ctl->done = 1;
	return TEST_SUCCESS;
}

#define MP_FRAG_ROUNDS 100000
#define MP_FRAG_HELD 16

/*
 * Allocate MP_FRAG_HELD fragments, fill each with a byte of this process
 * and round, check them all, free them; MP_FRAG_ROUNDS times. Returns the
 * number of fragments found overwritten by someone else.
 */
static uint64_t
frag_loop(struct rte_pagefrag_pool *fp, uint8_t me)
{
	uint8_t *f[MP_FRAG_HELD];
	uint32_t len[MP_FRAG_HELD];
	uint64_t bad = 0;
	unsigned int r, i, j;

	for (r = 0; r < MP_FRAG_ROUNDS; r++) {
		uint8_t b = (uint8_t)(me * 64 + r % 61);

		for (i = 0; i < MP_FRAG_HELD; i++) {
			len[i] = 64 + (r * 7 + i * 13) % 448;
			f[i] = rte_pagefrag_alloc(fp, len[i], 8, NULL);
			if (f[i] != NULL)
				memset(f[i], b, len[i]);
		}
		for (i = 0; i < MP_FRAG_HELD; i++) {
			if (f[i] == NULL)
				continue;
			for (j = 0; j < len[i]; j++)
				if (f[i][j] != b) {
					bad++;
					break;
				}
			rte_pagefrag_free(f[i]);
		}
	}
	rte_pagefrag_cache_drain(fp);
	return bad;
}

/*
 * A primary and a secondary on one lcore id allocate fragments of one
 * fragment pool at once: each process's fragments stay its own (the
 * second one uses the shared cache), and every page comes back.
 */
static int
test_frag_same_lcore(void)
{
	const struct rte_memzone *mz;
	struct mp_ctl *ctl;
	int status = 0, ret = TEST_FAILED;
	pid_t pid;

	if (rte_lcore_id() != 0) {
		printf("needs main lcore 0\n");
		return TEST_SKIPPED;
	}
	status = mp_begin(&mz, &ctl);
	if (status != 0)
		return status;
	ctl->fp = rte_pagefrag_pool_create("pf_mp_fsame", 8, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ctl->fp, "fragment pool");
	/* the primary owns lcore 0's fragment cache first */
	rte_pagefrag_free(rte_pagefrag_alloc(ctl->fp, 64, 8, NULL));
	/* lcore id 0, as the primary's, on the other CPU */
	pid = pf_test_start_secondary("0@1", "pagefrag_mp_frag_loop",
		&ctl->done, 1, 30.0);
	if (pid < 0) {
		printf("secondary did not start\n");
		goto out;
	}
	ctl->step = 1;
	ctl->frag_bad[0] = frag_loop(ctl->fp, 1);
	if (mp_exited_ok(pid, "secondary process") != 0) {
		goto out;
	}
	printf("fragments overwritten: %" PRIu64 " in the primary, %" PRIu64 " in the secondary\n",
		ctl->frag_bad[0], ctl->frag_bad[1]);
	if (ctl->frag_bad[0] == 0 && ctl->frag_bad[1] == 0)
		ret = TEST_SUCCESS;
out:
	if (rte_pagefrag_pool_free(ctl->fp) != 0) {
		printf("fragment pool not freed: pages still in use\n");
		ret = TEST_FAILED;
	}
	rte_memzone_free(mz);
	return ret;
}

static int
test_mp_frag_loop(void)
{
	struct mp_ctl *ctl;
	int ret;

	ret = mp_attach(&ctl);
	if (ret != 0)
		return ret;
	ctl->done = 1;
	TEST_ASSERT_SUCCESS(pf_test_wait_for(&ctl->step, 1, 30.0), "primary");
	ctl->frag_bad[1] = frag_loop(ctl->fp, 2);
	return TEST_SUCCESS;
}

#define MP_RC_ROUNDS 200000

static uint64_t
mp_recovered(struct rte_mempool *mp)
{
	struct rte_mempool_pagefrag_stats st;

	return rte_mempool_pagefrag_stats_get(mp, &st) == 0 ?
		st.caches_recovered : UINT64_MAX;
}

/*
 * A ring-level cache made by one secondary, which exits, and used by
 * another (a queue passed on): it belongs to its user, so the primary's
 * recoveries leave it alone while the user lives, and recover it once
 * the user is gone.
 */
static int
test_rcache_passed_on(void)
{
	const struct rte_memzone *mz;
	struct rte_mempool *mp;
	struct mp_ctl *ctl;
	uint64_t rec0, rec_live;
	int status = 0, ret = TEST_FAILED;
	pid_t pid;

	status = mp_begin(&mz, &ctl);
	if (status != 0)
		return status;
	mp = pf_test_pool(MP_POOL, MP_N, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	/* the maker: creates the queue's cache, uses it once, exits */
	pid = pf_test_start_secondary("5@0", "pagefrag_mp_rc_make",
		&ctl->done, 1, 30.0);
	if (pid < 0 || mp_exited_ok(pid, "the maker") != 0)
		goto out;
	/* what the maker left: its cache of the queue, its lcore's */
	rte_mempool_pagefrag_recover(mp);
	rec0 = mp_recovered(mp);
	/* the user: loops on it while the primary recovers what is gone */
	ctl->done = 0;
	pid = pf_test_start_secondary("6@1", "pagefrag_mp_rc_use",
		&ctl->step, 1, 30.0);
	if (pid < 0) {
		printf("the user did not start\n");
		goto out;
	}
	while (!ctl->done)
		rte_mempool_pagefrag_recover(mp);
	rec_live = mp_recovered(mp) - rec0;
	if (mp_exited_ok(pid, "the user") != 0) {
		goto out;
	}
	/* the user is gone: its page comes back */
	rte_mempool_pagefrag_recover(mp);
	printf("ring-level cache passed on: %" PRIu64 " rounds, %d errors, %" PRIu64 " recoveries while its user lived, avail %u of %u after\n",
		ctl->rc_rounds, ctl->rc_errors, rec_live,
		rte_mempool_avail_count(mp), MP_N);
	if (ctl->rc_errors == 0 && ctl->rc_rounds == MP_RC_ROUNDS &&
			rec_live == 0 && rte_mempool_avail_count(mp) == MP_N)
		ret = TEST_SUCCESS;
out:
	rte_mempool_free(mp);
	rte_memzone_free(mz);
	return ret;
}

static int
test_mp_rc_make(void)
{
	struct rte_mempool *mp = rte_mempool_lookup(MP_POOL);
	struct mp_ctl *ctl;
	void *objs[8];
	int ret;

	ret = mp_attach(&ctl);
	if (ret != 0)
		return ret;
	TEST_ASSERT_NOT_NULL(mp, "pool");
	ctl->rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
	TEST_ASSERT_NOT_NULL(ctl->rc, "ring-level cache");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_alloc(ctl->rc, objs, 8),
		"alloc");
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_rcache_free(ctl->rc, objs, 8),
		"free");
	ctl->done = 1;
	return TEST_SUCCESS;
}

static int
test_mp_rc_use(void)
{
	struct mp_ctl *ctl;
	void *objs[32];
	uint64_t r;
	unsigned int i;
	int ret;

	ret = mp_attach(&ctl);
	if (ret != 0)
		return ret;
	for (r = 0; r < MP_RC_ROUNDS; r++) {
		if (rte_mempool_pagefrag_rcache_alloc(ctl->rc, objs, 32) != 0) {
			ctl->rc_errors++;
			continue;
		}
		for (i = 0; i < 32; i++)
			*(uint64_t *)objs[i] = r;
		for (i = 0; i < 32; i++)
			if (*(uint64_t *)objs[i] != r)
				ctl->rc_errors++;
		if (rte_mempool_pagefrag_rcache_free(ctl->rc, objs, 32) != 0)
			ctl->rc_errors++;
		ctl->rc_rounds = r + 1;
		ctl->step = 1;	/* it is the user's now */
	}
	/* exits holding the queue's page: recovered by the primary */
	ctl->done = 1;
	return TEST_SUCCESS;
}

/* Ends the process if the primary's calls hang for 30 s. */
static void *
count_watchdog(void *arg)
{
	volatile int *done = arg;
	unsigned int i;

	for (i = 0; i < 3000 && !*done; i++)
		usleep(10000);
	if (!*done) {
		printf("the primary's get, put, count or free hangs after the monitor was killed: a lock was left held\n");
		fflush(stdout);
		_exit(1);
	}
	return NULL;
}

/*
 * A monitor killed while it reads: with a lock in get_count, the stats or
 * the in-flight view, it is killed holding it most of the time, and the
 * primary's next get hangs (a watchdog ends the test then).
 */
static int
test_count_killed(void)
{
	const struct rte_memzone *mz;
	struct rte_mempool *mp;
	struct mp_ctl *ctl;
	volatile int watch_done;
	unsigned int k, i;
	void *objs[64];
	pthread_t watch;
	pid_t pid;
	int ret = TEST_SUCCESS;

	ret = mp_begin(&mz, &ctl);
	if (ret != 0)
		return ret;
	mp = pf_test_pool(MP_COUNT_POOL, MP_COUNT_N, 2048, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	for (k = 0; k < MP_COUNT_KILLS && ret == TEST_SUCCESS; k++) {
		memset(ctl, 0, sizeof(*ctl));
		/* objects out, on several pages: the count has work to do */
		for (i = 0; i < RTE_DIM(objs); i++)
			if (rte_mempool_get(mp, &objs[i]) != 0)
				ret = TEST_FAILED;
		pid = pf_test_start_secondary("5@0", "pagefrag_mp_count_secondary",
			&ctl->done, 1, 30.0);
		if (pid < 0) {
			printf("monitor did not start\n");
			ret = TEST_FAILED;
			break;
		}
		rte_delay_us_sleep(1000 + rte_rand_max(20000));
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		printf("monitor killed after %" PRIu64 " counts\n", ctl->counts);
		watch_done = 0;
		if (pthread_create(&watch, NULL, count_watchdog,
				(void *)(uintptr_t)&watch_done) != 0) {
			ret = TEST_FAILED;
			break;
		}
		rte_mempool_put_bulk(mp, objs, RTE_DIM(objs));
		for (i = 0; i < RTE_DIM(objs); i++)
			if (rte_mempool_get(mp, &objs[i]) != 0)
				ret = TEST_FAILED;
		rte_mempool_put_bulk(mp, objs, RTE_DIM(objs));
		i = rte_mempool_avail_count(mp);
		watch_done = 1;
		pthread_join(watch, NULL);
		if (i != MP_COUNT_N) {
			printf("avail %u of %u after the monitor's death\n",
				i, MP_COUNT_N);
			ret = TEST_FAILED;
		}
	}
	/* the free takes every object out: no lock may be left held either */
	watch_done = 0;
	if (pthread_create(&watch, NULL, count_watchdog,
			(void *)(uintptr_t)&watch_done) != 0) {
		ret = TEST_FAILED;
		rte_mempool_free(mp);
	} else {
		rte_mempool_free(mp);
		watch_done = 1;
		pthread_join(watch, NULL);
	}
	rte_memzone_free(mz);
	return ret;
}

static int
test_mp_count_secondary(void)
{
	struct rte_mempool *mp = rte_mempool_lookup(MP_COUNT_POOL);
	struct rte_mempool_pagefrag_stats st;
	struct rte_mempool_pagefrag_inflight inf;
	struct rte_mempool_pagefrag_holder h[8];
	struct mp_ctl *ctl;
	FILE *null;
	int ret;

	ret = mp_attach(&ctl);
	if (ret != 0)
		return ret;
	TEST_ASSERT_NOT_NULL(mp, "pool");
	null = fopen("/dev/null", "w");
	TEST_ASSERT_NOT_NULL(null, "/dev/null");
	ctl->done = 1;
	for (;;) {	/* until killed */
		if (rte_mempool_avail_count(mp) > MP_COUNT_N ||
				rte_mempool_pagefrag_stats_get(mp, &st) != 0 ||
				st.objs_total != MP_COUNT_N)
			return TEST_FAILED;
		/* -ENOTSUP in a build without the view: still no lock */
		rte_mempool_pagefrag_inflight(mp, 0, &inf, h, RTE_DIM(h));
		if ((ctl->counts & 15) == 0)
			rte_mempool_dump(null, mp);
		ctl->counts++;
	}
	return TEST_SUCCESS;
}

/* A process whose ops index maps to another driver is told so. */
static int
test_ops_index_mismatch(void)
{
	struct rte_mempool *mp;
	int32_t idx, other;

	mp = pf_test_pool("pf_mp_idx", 100, 64, 0, 0);
	TEST_ASSERT_NOT_NULL(mp, "pool");
	idx = mp->ops_index;
	other = rte_mempool_ops_table.num_ops > 1 ? (idx == 0 ? 1 : 0) : -1;
	if (other < 0) {
		rte_mempool_free(mp);
		return TEST_SKIPPED;
	}
	TEST_ASSERT_SUCCESS(rte_mempool_pagefrag_check_ops(mp), "right index");
	/* what a secondary that registered drivers in another order sees */
	mp->ops_index = other;
	TEST_ASSERT_EQUAL(rte_mempool_pagefrag_check_ops(mp), -EINVAL,
		"index of \"%s\" taken for pagefrag",
		rte_mempool_get_ops(other)->name);
	TEST_ASSERT(!rte_mempool_pagefrag_is_pagefrag(mp), "is_pagefrag");
	mp->ops_index = idx;
	rte_mempool_free(mp);
	return TEST_SUCCESS;
}

static const struct unit_test_case mp_cases[] = {
	{ "secondary process gets and puts, counts exact", test_multiprocess },
	{ "ops index mismatch detected", test_ops_index_mismatch },
	{ "fragments attached in a secondary", test_frag_secondary },
	{ "monitor killed while counting", test_count_killed },
	{ "fragments of two processes on one lcore id", test_frag_same_lcore },
	{ "ring-level cache made by one secondary, used by another", test_rcache_passed_on },
};

static int
test_mp(void)
{
	return run_test_suite("pagefrag_multiprocess_autotest", mp_cases,
		RTE_DIM(mp_cases));
}

REGISTER_TEST_COMMAND(pagefrag_multiprocess_autotest, test_mp);
REGISTER_TEST_COMMAND(pagefrag_mp_secondary, test_mp_secondary);
REGISTER_TEST_COMMAND(pagefrag_mp_frag_secondary, test_mp_frag_secondary);
REGISTER_TEST_COMMAND(pagefrag_mp_count_secondary, test_mp_count_secondary);
REGISTER_TEST_COMMAND(pagefrag_mp_frag_loop, test_mp_frag_loop);
REGISTER_TEST_COMMAND(pagefrag_mp_rc_make, test_mp_rc_make);
REGISTER_TEST_COMMAND(pagefrag_mp_rc_use, test_mp_rc_use);
