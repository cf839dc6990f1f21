/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/*
 * Performance of the pagefrag mempool driver next to DPDK's ring_mp_mc,
 * stack and bucket drivers, measured side by side in one run.
 *
 * Every driver gets an identical pool (mbuf-sized 2176-byte elements,
 * rte_mempool_create_empty + rte_mempool_set_ops_byname +
 * rte_mempool_populate_default). The get/put figures follow DPDK's
 * app/test/test_mempool_perf.c: get objects in bulks until n_keep (128) are
 * held, then put them back in bulks in the same order. Get+put of one object
 * counts once. With 2 lcores the rate is the sum of both lcores' rates.
 *
 * To keep host noise out of the comparison, the drivers of one figure are
 * measured interleaved (rep 1 of every driver, then rep 2, ...) when memory
 * allows all pools at once; each figure is the median of the repetitions,
 * and min-max is printed. Every 2-lcore figure comes with the cache-line
 * ping-pong round trip between the two lcores, which tells where the host
 * placed the vCPUs.
 *
 * A benchmark is not a test: the commands fail only when something
 * functional breaks (a pool that should be created is not, a get fails
 * with objects available, the pool loses objects), never on a timing.
 *
 * Environment:
 *   PAGEFRAG_PERF_CSV=path   also write the results as CSV rows:
 *                            figure,driver,bulk,cache,lcores,ns_per_obj,
 *                            mops,ratio_vs_pagefrag,spread (ns min-max);
 *                            ratio = speed of pagefrag / speed of driver.
 *                            "pingpong" rows: ns per round trip;
 *                            "memory" rows: bulk = objects, ns_per_obj =
 *                            bytes per object, mops = MiB reserved,
 *                            ratio = driver bytes / pagefrag bytes,
 *                            spread = "meta=<driver metadata bytes>"
 *   PAGEFRAG_PERF_MS=n       ms per repetition of a figure (per driver)
 *   PAGEFRAG_PERF_REPS=n     repetitions per figure (at least 5 used)
 *   PAGEFRAG_PERF_LARGE=n    objects in the large pool (default 262144)
 */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <rte_common.h>
#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_launch.h>
#include <rte_lcore.h>
#include <rte_malloc.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_version.h>

#include "rte_mempool_pagefrag.h"
#include "test.h"

#define PERF_ELT_SIZE		2176	/* RTE_MBUF_DEFAULT_BUF_SIZE */
#define PERF_N_SMALL		16384
#define PERF_N_LARGE		262144
#define PERF_KEEP		128
#define PERF_CHUNK_OBJS		16384	/* objects between two clock reads */
#define PERF_TEARDOWN_N		4096
#define PERF_MIN_REPS		5u
#define PERF_MAX_REPS		64u
#define PERF_PP_BATCHES		5
#define PERF_MAX_POOLS		8

enum perf_drv {
	DRV_PAGEFRAG,
	DRV_RING,
	DRV_STACK,
	DRV_BUCKET,
	DRV_NB,
};

static const char * const drv_name[DRV_NB] = {
	[DRV_PAGEFRAG] = RTE_MEMPOOL_PAGEFRAG_OPS_NAME,
	[DRV_RING] = "ring_mp_mc",
	[DRV_STACK] = "stack",
	[DRV_BUCKET] = "bucket",
};

struct perf_conf {
	const char *title;
	unsigned int ms;	/* per repetition per driver */
	unsigned int reps;
	unsigned int n_small;
	unsigned int n_large;
	unsigned int pp_rounds;	/* ping-pong round trips per batch */
};

/* One figure's result for one driver, in ns per object. */
struct perf_res {
	int valid;
	double med;
	double min;
	double max;
};

/* A pool of one driver, with what its creation reserved. */
struct perf_pool {
	enum perf_drv drv;
	struct rte_mempool *mp;
	unsigned int n;		/* objects */
	size_t heap_bytes;	/* malloc heap growth across creation */
	size_t obj_bytes;	/* sum of the pool's memory chunks */
	size_t hdr_bytes;	/* the rte_mempool structure's memzone */
	uint64_t pf_meta;	/* pagefrag's own count of its metadata */
};

/* What one lcore does in one repetition. */
struct perf_lcore {
	struct rte_mempool *mp;
	unsigned int bulk;
	int touch;
	uint64_t dur_tsc;
	uint64_t objs;		/* out: objects got and put */
	uint64_t tsc;		/* out: cycles spent */
	int ret;		/* out: 0 or the failed get's return */
} __rte_cache_aligned;

struct perf_state {
	const struct perf_conf *conf;
	FILE *csv;
	unsigned int worker;	/* second lcore, RTE_MAX_LCORE if none */
	unsigned int pool_seq;
	int failed;		/* something functional broke */
	int pf_loaded;
	int loaded[DRV_NB];
	/* memory figure, from the small cache-0 pools */
	int mem_valid[DRV_NB];
	struct perf_pool mem[DRV_NB];
};

static uint32_t perf_start;		/* start flag of a 2-lcore repetition */
static uint32_t pp_flag __rte_cache_aligned;	/* ping-pong line */
static struct perf_lcore perf_args[2];

/* ---- helpers ---------------------------------------------------------- */

static unsigned int
env_uint(const char *name, unsigned int def)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (s == NULL || *s == '\0')
		return def;
	v = strtoul(s, &end, 0);
	if (*end != '\0' || v == 0 || v > UINT32_MAX)
		return def;
	return (unsigned int)v;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
res_from_samples(struct perf_res *r, double *s, unsigned int n)
{
	if (n == 0) {
		r->valid = 0;
		return;
	}
	qsort(s, n, sizeof(*s), cmp_double);
	r->valid = 1;
	r->min = s[0];
	r->max = s[n - 1];
	r->med = (n & 1) ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
}

static size_t
heap_alloc_bytes(void)
{
	struct rte_malloc_socket_stats st;
	unsigned int i;
	size_t sum = 0;

	for (i = 0; i < rte_socket_count(); i++) {
		if (rte_malloc_get_socket_stats(rte_socket_id_by_idx(i), &st) == 0)
			sum += st.heap_allocsz_bytes;
	}
	return sum;
}

static double
tsc_to_ns(uint64_t cycles)
{
	return (double)cycles * 1e9 / (double)rte_get_tsc_hz();
}

/* ---- pools -------------------------------------------------------------- */

/*
 * Create an n-object pool of the driver. Returns 0, -ENOENT when the
 * driver's ops are not registered, or another negative errno.
 */
static int
pool_create(struct perf_state *st, struct perf_pool *p, enum perf_drv drv,
		unsigned int n, unsigned int cache)
{
	char name[RTE_MEMPOOL_NAMESIZE];
	struct rte_mempool_memhdr *hdr;
	const struct rte_memzone *mz;
	size_t before;
	int ret;

	memset(p, 0, sizeof(*p));
	p->drv = drv;
	p->n = n;
	/* short names: stack and bucket build longer ones from them */
	snprintf(name, sizeof(name), "pfperf%u", st->pool_seq++);
	before = heap_alloc_bytes();
	p->mp = rte_mempool_create_empty(name, n, PERF_ELT_SIZE, cache, 0,
			SOCKET_ID_ANY, 0);
	if (p->mp == NULL)
		return -rte_errno;
	ret = rte_mempool_set_ops_byname(p->mp, drv_name[drv], NULL);
	if (ret != 0) {
		rte_mempool_free(p->mp);
		p->mp = NULL;
		return -ENOENT;
	}
	ret = rte_mempool_populate_default(p->mp);
	if (ret < 0 || (unsigned int)ret != n) {
		rte_mempool_free(p->mp);
		p->mp = NULL;
		return ret < 0 ? ret : -ENOMEM;
	}
	p->heap_bytes = heap_alloc_bytes() - before;
	STAILQ_FOREACH(hdr, &p->mp->mem_list, next)
		p->obj_bytes += hdr->len;
	mz = p->mp->mz;
	p->hdr_bytes = mz != NULL ? mz->len : 0;
	if (drv == DRV_PAGEFRAG) {
		struct rte_mempool_pagefrag_stats s;

		if (rte_mempool_pagefrag_stats_get(p->mp, &s) == 0)
			p->pf_meta = s.metadata_bytes;
	}
	return 0;
}

static void
pool_free(struct perf_pool *p)
{
	rte_mempool_free(p->mp);
	p->mp = NULL;
}

/* Functional check: every object is back (cache contents included). */
static int
pool_check_full(struct perf_state *st, const struct perf_pool *p,
		const char *when)
{
	unsigned int avail = rte_mempool_avail_count(p->mp);

	if (avail == p->mp->size)
		return 0;
	printf("ERROR: %s pool %s after %s: %u objects available of %u\n",
		drv_name[p->drv], p->mp->name, when, avail, p->mp->size);
	st->failed = 1;
	return -1;
}

/* ---- the get/put loop ---------------------------------------------------- */

static __rte_always_inline void
touch_line(void *obj)
{
	memset(obj, 0, RTE_CACHE_LINE_SIZE);
}

/* The loop of test_mempool_perf.c, with the bulk size a constant. */
static __rte_always_inline int
perf_loop_bulk(struct perf_lcore *a, const unsigned int bulk, const int touch)
{
	void *objs[PERF_KEEP] __rte_cache_aligned;
	struct rte_mempool *mp = a->mp;
	struct rte_mempool_cache *cache;
	const unsigned int iters = PERF_CHUNK_OBJS / PERF_KEEP;
	uint64_t start, now, end, n = 0;
	unsigned int it, idx, j;
	int ret;

	cache = rte_mempool_default_cache(mp, rte_lcore_id());
	start = rte_rdtsc();
	end = start + a->dur_tsc;
	do {
		for (it = 0; it < iters; it++) {
			for (idx = 0; idx < PERF_KEEP; idx += bulk) {
				ret = rte_mempool_generic_get(mp, &objs[idx],
						bulk, cache);
				if (unlikely(ret < 0)) {
					/* give back what this lcore holds */
					if (idx > 0)
						rte_mempool_generic_put(mp,
							objs, idx, cache);
					a->ret = ret;
					return ret;
				}
				if (touch)
					for (j = 0; j < bulk; j++)
						touch_line(objs[idx + j]);
			}
			for (idx = 0; idx < PERF_KEEP; idx += bulk)
				rte_mempool_generic_put(mp, &objs[idx], bulk,
						cache);
		}
		n += (uint64_t)iters * PERF_KEEP;
		now = rte_rdtsc();
	} while (now < end);
	a->objs = n;
	a->tsc = now - start;
	a->ret = 0;
	return 0;
}

static int
perf_loop(struct perf_lcore *a)
{
	a->objs = 0;
	a->tsc = 0;
	switch (a->bulk) {
	case 1:
		return a->touch ? perf_loop_bulk(a, 1, 1) : perf_loop_bulk(a, 1, 0);
	case 8:
		return a->touch ? perf_loop_bulk(a, 8, 1) : perf_loop_bulk(a, 8, 0);
	case 32:
		return a->touch ? perf_loop_bulk(a, 32, 1) : perf_loop_bulk(a, 32, 0);
	case 128:
		return a->touch ? perf_loop_bulk(a, 128, 1) :
			perf_loop_bulk(a, 128, 0);
	default:
		a->ret = -EINVAL;
		return -EINVAL;
	}
}

static int
perf_worker(void *arg)
{
	struct perf_lcore *a = arg;

	while (__atomic_load_n(&perf_start, __ATOMIC_ACQUIRE) == 0)
		rte_pause();
	return perf_loop(a);
}

/*
 * One repetition on one pool: ns per object over all lcores, or a negative
 * value if a get failed.
 */
static double
perf_once(struct perf_state *st, struct rte_mempool *mp, unsigned int bulk,
		int touch, unsigned int nb_lcores)
{
	uint64_t dur = rte_get_tsc_hz() / 1000 * st->conf->ms;
	double rate = 0;	/* objects per cycle, summed */
	unsigned int i;

	for (i = 0; i < nb_lcores; i++) {
		perf_args[i].mp = mp;
		perf_args[i].bulk = bulk;
		perf_args[i].touch = touch;
		perf_args[i].dur_tsc = dur;
		perf_args[i].ret = 0;
	}
	if (nb_lcores == 1) {
		perf_loop(&perf_args[0]);
	} else {
		__atomic_store_n(&perf_start, 0, __ATOMIC_RELAXED);
		if (rte_eal_remote_launch(perf_worker, &perf_args[1],
				st->worker) != 0)
			return -EBUSY;
		__atomic_store_n(&perf_start, 1, __ATOMIC_RELEASE);
		perf_loop(&perf_args[0]);
		rte_eal_wait_lcore(st->worker);
	}
	for (i = 0; i < nb_lcores; i++) {
		if (perf_args[i].ret != 0)
			return perf_args[i].ret;
		if (perf_args[i].tsc > 0)
			rate += (double)perf_args[i].objs / perf_args[i].tsc;
	}
	return rate > 0 ? tsc_to_ns(1) / rate : -EINVAL;
}

/* ---- cache-line ping-pong --------------------------------------------- */

static int
pp_worker(void *arg)
{
	unsigned int rounds = *(unsigned int *)arg;
	uint32_t i;

	for (i = 0; i < rounds; i++) {
		while (__atomic_load_n(&pp_flag, __ATOMIC_ACQUIRE) != 2 * i + 1)
			rte_pause();
		__atomic_store_n(&pp_flag, 2 * i + 2, __ATOMIC_RELEASE);
	}
	return 0;
}

/* Median ns per round trip of one cache line between the two lcores. */
static double
pingpong_ns(struct perf_state *st)
{
	double s[PERF_PP_BATCHES];
	unsigned int rounds = st->conf->pp_rounds;
	unsigned int b, i;
	uint64_t t0, t1;

	for (b = 0; b < PERF_PP_BATCHES; b++) {
		__atomic_store_n(&pp_flag, 0, __ATOMIC_RELAXED);
		if (rte_eal_remote_launch(pp_worker, &rounds, st->worker) != 0)
			return -1;
		t0 = rte_rdtsc();
		for (i = 0; i < rounds; i++) {
			__atomic_store_n(&pp_flag, 2 * i + 1, __ATOMIC_RELEASE);
			while (__atomic_load_n(&pp_flag, __ATOMIC_ACQUIRE) !=
					2 * i + 2)
				rte_pause();
		}
		t1 = rte_rdtsc();
		rte_eal_wait_lcore(st->worker);
		s[b] = tsc_to_ns(t1 - t0) / rounds;
	}
	qsort(s, PERF_PP_BATCHES, sizeof(s[0]), cmp_double);
	return s[PERF_PP_BATCHES / 2];
}

/* ---- output ---------------------------------------------------------- */

static void
print_header(void)
{
	printf("%-9s %-6s %4s %5s %2s  %-15s %8s %9s  %-17s %6s\n",
		"figure", "pool", "bulk", "cache", "lc", "driver", "ns/obj",
		"Mobj/s", "spread ns min-max", "pf/x");
}

static void
print_row(struct perf_state *st, const char *fig, const char *pool,
		unsigned int bulk, unsigned int cache, unsigned int lcores,
		const char *drv, const struct perf_res *r,
		const struct perf_res *ref, const char *note)
{
	double ratio = 0;
	char spread[32];

	if (!r->valid) {
		printf("%-9s %-6s %4u %5u %2u  %-15s %s\n", fig, pool, bulk,
			cache, lcores, drv, note != NULL ? note : "skipped");
		return;
	}
	if (ref != NULL && ref->valid)
		ratio = r->med / ref->med;	/* speed of ref / speed of r */
	snprintf(spread, sizeof(spread), "%.3f-%.3f", r->min, r->max);
	printf("%-9s %-6s %4u %5u %2u  %-15s %8.3f %9.1f  %-17s ", fig, pool,
		bulk, cache, lcores, drv, r->med, 1e3 / r->med, spread);
	if (ratio > 0)
		printf("%6.2f", ratio);
	else
		printf("%6s", "-");
	if (note != NULL)
		printf("  %s", note);
	printf("\n");
	if (st->csv != NULL) {
		fprintf(st->csv, "%s,%s,%u,%u,%u,%.4f,%.2f,", fig, drv, bulk,
			cache, lcores, r->med, 1e3 / r->med);
		if (ratio > 0)
			fprintf(st->csv, "%.4f", ratio);
		fprintf(st->csv, ",%s\n", spread);
	}
}

static void
print_pingpong(struct perf_state *st, const char *fig, unsigned int cache,
		double before, double after)
{
	printf("%-9s cache %u, 2 lcores: cache-line ping-pong round trip %.1f ns before, %.1f ns after\n",
		fig, cache, before, after);
	if (st->csv != NULL)
		fprintf(st->csv, "pingpong,-,0,%u,2,%.2f,%.3f,,%.2f-%.2f\n",
			cache, (before + after) / 2, 2e3 / (before + after),
			RTE_MIN(before, after), RTE_MAX(before, after));
}

/* ---- figures ------------------------------------------------------------ */

/*
 * Create one pool per loaded driver; all at once when memory allows, so the
 * repetitions can be interleaved. Returns the number of pools created in
 * pools[] (driver order), with skip messages printed for the others. If
 * only some fit, all are freed and *one_by_one is set.
 */
static unsigned int
pools_create_all(struct perf_state *st, struct perf_pool *pools,
		unsigned int n, unsigned int cache, int *one_by_one)
{
	unsigned int nb = 0, d;
	int ret, nomem = 0;

	*one_by_one = 0;
	for (d = 0; d < DRV_NB; d++) {
		if (!st->loaded[d])
			continue;
		ret = pool_create(st, &pools[nb], d, n, cache);
		if (ret == 0) {
			nb++;
			continue;
		}
		if (ret == -ENOMEM || ret == -ENOSPC) {
			nomem = 1;
			break;
		}
		printf("ERROR: cannot create a %u-object %s pool: %s\n", n,
			drv_name[d], rte_strerror(-ret));
		st->failed = 1;
	}
	if (nomem) {
		while (nb > 0)
			pool_free(&pools[--nb]);
		*one_by_one = 1;
	}
	return nb;
}

/* Note the memory of a small cache-0 pool for the memory table. */
static void
mem_record(struct perf_state *st, const struct perf_pool *p)
{
	if (st->mem_valid[p->drv])
		return;
	st->mem[p->drv] = *p;
	st->mem_valid[p->drv] = 1;
}

/*
 * Measure get/put figures on the given pools, interleaving the drivers per
 * repetition. res[d][b] receives driver d's result for bulks[b].
 */
static void
run_getput(struct perf_state *st, struct perf_pool *pools, unsigned int nb,
		const unsigned int *bulks, unsigned int nb_bulks,
		unsigned int lcores, int touch,
		struct perf_res res[DRV_NB][4], int *bad)
{
	double s[DRV_NB][PERF_MAX_REPS];
	unsigned int ns[DRV_NB];
	unsigned int b, r, i, k;

	for (b = 0; b < nb_bulks; b++) {
		memset(ns, 0, sizeof(ns));
		for (r = 0; r < st->conf->reps; r++) {
			for (k = 0; k < nb; k++) {
				/* rotate the order so no driver always goes first */
				struct perf_pool *p = &pools[(k + r) % nb];
				double v;

				if (bad[p->drv])
					continue;
				v = perf_once(st, p->mp, bulks[b], touch, lcores);
				if (v < 0) {
					printf("ERROR: %s: get failed (%s) with %u objects, bulk %u, %u lcore(s)\n",
						drv_name[p->drv],
						rte_strerror((int)-v),
						p->mp->size, bulks[b], lcores);
					rte_mempool_dump(stdout, p->mp);
					bad[p->drv] = 1;
					st->failed = 1;
					continue;
				}
				s[p->drv][ns[p->drv]++] = v;
			}
		}
		for (i = 0; i < nb; i++) {
			enum perf_drv d = pools[i].drv;

			res_from_samples(&res[d][b], s[d], bad[d] ? 0 : ns[d]);
			if (pool_check_full(st, &pools[i], "get/put") != 0)
				bad[d] = 1;
		}
	}
}

static const char *
pool_label(unsigned int n, char *buf, size_t len)
{
	if (n % 1024 == 0)
		snprintf(buf, len, "%uK", n / 1024);
	else
		snprintf(buf, len, "%u", n);
	return buf;
}

static void
print_group(struct perf_state *st, const char *fig, unsigned int n,
		const unsigned int *bulks, unsigned int nb_bulks,
		unsigned int cache, unsigned int lcores,
		struct perf_res res[DRV_NB][4], const char *skip[DRV_NB])
{
	char pl[16];
	unsigned int b, d;

	pool_label(n, pl, sizeof(pl));
	for (b = 0; b < nb_bulks; b++) {
		for (d = 0; d < DRV_NB; d++)
			print_row(st, fig, pl, bulks[b], cache, lcores,
				drv_name[d], &res[d][b],
				d == DRV_PAGEFRAG ? NULL : &res[DRV_PAGEFRAG][b],
				res[d][b].valid ? NULL : skip[d]);
	}
}

/* get/put on the small pool: cache 0 and 256, 1 and 2 lcores. */
static void
fig_getput(struct perf_state *st)
{
	static const unsigned int bulks[] = { 1, 8, 32, 128 };
	static const unsigned int caches[] = { 0, 256 };
	struct perf_pool pools[DRV_NB];
	struct perf_res res[DRV_NB][4];
	const char *skip[DRV_NB];
	unsigned int c, lc, nb, i, d;
	double pp_before = 0;
	int bad[DRV_NB];
	int one_by_one;

	for (c = 0; c < RTE_DIM(caches); c++) {
		for (lc = 1; lc <= 2; lc++) {
			if (lc == 2 && st->worker >= RTE_MAX_LCORE) {
				printf("getput: 2-lcore figures skipped: give EAL two lcores (-l 0-1)\n");
				continue;
			}
			memset(res, 0, sizeof(res));
			memset(bad, 0, sizeof(bad));
			for (d = 0; d < DRV_NB; d++)
				skip[d] = st->loaded[d] ? "skipped: pool not created" :
					"skipped: driver not loaded (use -d)";
			if (lc == 2)
				pp_before = pingpong_ns(st);
			nb = pools_create_all(st, pools, st->conf->n_small,
					caches[c], &one_by_one);
			if (!one_by_one) {
				for (i = 0; i < nb; i++)
					if (caches[c] == 0)
						mem_record(st, &pools[i]);
				run_getput(st, pools, nb, bulks, RTE_DIM(bulks),
					lc, 0, res, bad);
				for (i = 0; i < nb; i++)
					pool_free(&pools[i]);
			} else {
				printf("getput: not enough memory for all pools at once, measuring one driver at a time\n");
				for (d = 0; d < DRV_NB; d++) {
					int ret;

					if (!st->loaded[d])
						continue;
					ret = pool_create(st, &pools[0], d,
						st->conf->n_small, caches[c]);
					if (ret != 0) {
						printf("getput: %u-object %s pool not created: %s\n",
							st->conf->n_small,
							drv_name[d],
							rte_strerror(-ret));
						/* the small pool must fit when ring_mp_mc's did */
						if (d == DRV_PAGEFRAG ||
								res[DRV_RING][0].valid)
							st->failed = 1;
						continue;
					}
					if (caches[c] == 0)
						mem_record(st, &pools[0]);
					run_getput(st, pools, 1, bulks,
						RTE_DIM(bulks), lc, 0, res, bad);
					pool_free(&pools[0]);
				}
			}
			if (lc == 2)
				print_pingpong(st, "getput", caches[c],
					pp_before, pingpong_ns(st));
			print_group(st, "getput", st->conf->n_small, bulks,
				RTE_DIM(bulks), caches[c], lc, res, skip);
			fflush(stdout);
		}
	}
}

/* Touch each object's first line, large pool, cache 0, 1 lcore. */
static void
fig_touch(struct perf_state *st)
{
	static const unsigned int bulks[] = { 1, 8, 32, 128 };
	struct perf_res res[DRV_NB][4];
	const char *skip[DRV_NB];
	struct perf_pool pool;
	int bad[DRV_NB];
	unsigned int d;
	int ret;

	memset(res, 0, sizeof(res));
	memset(bad, 0, sizeof(bad));
	/* one large pool at a time: four of them rarely fit */
	for (d = 0; d < DRV_NB; d++) {
		skip[d] = "skipped: driver not loaded (use -d)";
		if (!st->loaded[d])
			continue;
		ret = pool_create(st, &pool, d, st->conf->n_large, 0);
		if (ret != 0) {
			skip[d] = "skipped: large pool not created (memory?)";
			printf("touch: %u-object %s pool not created: %s%s\n",
				st->conf->n_large, drv_name[d],
				rte_strerror(-ret),
				ret == -ENOMEM ? " (give EAL more memory, e.g. -m 2048)" : "");
			continue;
		}
		run_getput(st, &pool, 1, bulks, RTE_DIM(bulks), 1, 1, res, bad);
		pool_free(&pool);
	}
	print_group(st, "touch", st->conf->n_large, bulks, RTE_DIM(bulks), 0,
		1, res, skip);
	fflush(stdout);
}

/* Release PERF_TEARDOWN_N held objects one by one: ns per object. */
static double
teardown_put_once(struct perf_state *st, struct rte_mempool *mp, void **objs)
{
	uint64_t dur = rte_get_tsc_hz() / 1000 * st->conf->ms;
	uint64_t spent = 0, n = 0, t0, start = rte_rdtsc();
	unsigned int i;

	do {
		if (rte_mempool_get_bulk(mp, objs, PERF_TEARDOWN_N) != 0)
			return -ENOBUFS;
		t0 = rte_rdtsc();
		for (i = 0; i < PERF_TEARDOWN_N; i++)
			rte_mempool_put(mp, objs[i]);
		spent += rte_rdtsc() - t0;
		n += PERF_TEARDOWN_N;
	} while (rte_rdtsc() - start < dur);
	return tsc_to_ns(spent) / n;
}

/* The same objects through a ring-level cache, released with free+drain. */
static double
teardown_drain_once(struct perf_state *st,
		struct rte_mempool_pagefrag_rcache *rc, void **objs)
{
	uint64_t dur = rte_get_tsc_hz() / 1000 * st->conf->ms;
	uint64_t spent = 0, n = 0, t0, start = rte_rdtsc();
	unsigned int i;

	do {
		/* refill like a PMD queue: bursts of 32 */
		for (i = 0; i < PERF_TEARDOWN_N; i += 32)
			if (rte_mempool_pagefrag_rcache_alloc(rc, &objs[i],
					32) != 0) {
				if (i > 0)
					rte_mempool_pagefrag_rcache_free(rc,
						objs, i);
				return -ENOBUFS;
			}
		t0 = rte_rdtsc();
		if (rte_mempool_pagefrag_rcache_free(rc, objs,
				PERF_TEARDOWN_N) != 0)
			return -EINVAL;
		rte_mempool_pagefrag_rcache_drain(rc);
		spent += rte_rdtsc() - t0;
		n += PERF_TEARDOWN_N;
	} while (rte_rdtsc() - start < dur);
	return tsc_to_ns(spent) / n;
}

static void
fig_teardown(struct perf_state *st)
{
	double s[DRV_NB + 1][PERF_MAX_REPS];
	struct perf_res res[DRV_NB + 1];	/* [DRV_NB]: pagefrag drain */
	struct rte_mempool_pagefrag_rcache *rc = NULL;
	struct perf_pool pools[DRV_NB];
	unsigned int nb = 0, d, r, k, i, ns[DRV_NB + 1];
	char pl[16];
	void **objs;
	int bad[DRV_NB + 1];
	int ret;

	memset(res, 0, sizeof(res));
	memset(bad, 0, sizeof(bad));
	memset(ns, 0, sizeof(ns));
	objs = rte_malloc(NULL, sizeof(void *) * PERF_TEARDOWN_N, 0);
	if (objs == NULL) {
		printf("teardown: skipped, no memory for the object table\n");
		return;
	}
	/* one pool at a time keeps memory low; reps stay per driver */
	for (d = 0; d < DRV_NB; d++) {
		if (!st->loaded[d])
			continue;
		ret = pool_create(st, &pools[0], d, st->conf->n_small, 0);
		if (ret != 0) {
			printf("teardown: %s pool not created: %s\n",
				drv_name[d], rte_strerror(-ret));
			if (d == DRV_PAGEFRAG || ret != -ENOMEM)
				st->failed = 1;
			continue;
		}
		nb++;
		if (d == DRV_PAGEFRAG) {
			rc = rte_mempool_pagefrag_rcache_create(pools[0].mp,
					SOCKET_ID_ANY);
			if (rc == NULL) {
				printf("ERROR: rte_mempool_pagefrag_rcache_create: %s\n",
					rte_strerror(rte_errno));
				st->failed = 1;
				bad[DRV_NB] = 1;
			}
		}
		for (r = 0; r < st->conf->reps; r++) {
			/* alternate the two pagefrag variants */
			for (k = 0; k < 2; k++) {
				unsigned int slot = k ^ (r & 1) ? DRV_NB : d;
				double v;

				if (slot == DRV_NB &&
						(d != DRV_PAGEFRAG || rc == NULL))
					continue;
				if (bad[slot])
					continue;
				v = slot == DRV_NB ?
					teardown_drain_once(st, rc, objs) :
					teardown_put_once(st, pools[0].mp, objs);
				if (v < 0) {
					printf("ERROR: teardown %s%s: %s\n",
						drv_name[d],
						slot == DRV_NB ? " (rcache)" : "",
						rte_strerror((int)-v));
					bad[slot] = 1;
					st->failed = 1;
					continue;
				}
				s[slot][ns[slot]++] = v;
			}
		}
		rte_mempool_pagefrag_rcache_destroy(rc);
		rc = NULL;
		pool_check_full(st, &pools[0], "teardown");
		pool_free(&pools[0]);
	}
	rte_free(objs);
	for (i = 0; i <= DRV_NB; i++)
		res_from_samples(&res[i], s[i], bad[i] ? 0 : ns[i]);
	pool_label(st->conf->n_small, pl, sizeof(pl));
	print_row(st, "teardown", pl, PERF_TEARDOWN_N, 0, 1, "pagefrag-drain",
		&res[DRV_NB], NULL, res[DRV_NB].valid ? "rcache_free+drain" :
		"skipped");
	for (d = 0; d < DRV_NB; d++)
		print_row(st, "teardown", pl, PERF_TEARDOWN_N, 0, 1, drv_name[d],
			&res[d], &res[DRV_NB],
			res[d].valid ? "put one by one" : "skipped");
	if (nb == 0)
		printf("teardown: no pool measured\n");
	fflush(stdout);
}

static void
fig_memory(struct perf_state *st)
{
	unsigned int d;

	printf("\nmemory: %u objects of %u B, cache 0 (heap bytes reserved while creating the pool)\n",
		st->conf->n_small, PERF_ELT_SIZE);
	printf("%-11s %12s %10s %12s %12s %9s %8s\n", "driver", "total B",
		"B/obj", "objects B", "metadata B", "meta %", "x/pf");
	for (d = 0; d < DRV_NB; d++) {
		const struct perf_pool *p = &st->mem[d];
		size_t meta;

		if (!st->mem_valid[d]) {
			printf("%-11s skipped\n", drv_name[d]);
			continue;
		}
		/*
		 * Driver metadata: what creation reserved beyond the
		 * objects' memory and the rte_mempool structure; pagefrag
		 * also keeps page headers inside the object memory and
		 * counts them itself.
		 */
		meta = p->heap_bytes - RTE_MIN(p->heap_bytes,
				p->obj_bytes + p->hdr_bytes);
		if (d == DRV_PAGEFRAG && p->pf_meta > meta)
			meta = p->pf_meta;
		printf("%-11s %12zu %10.1f %12zu %12zu %8.3f%% ", drv_name[d],
			p->heap_bytes, (double)p->heap_bytes / p->n,
			p->obj_bytes, meta, 100.0 * meta / p->heap_bytes);
		if (d != DRV_PAGEFRAG && st->mem_valid[DRV_PAGEFRAG])
			printf("%8.3f\n", (double)p->heap_bytes /
				st->mem[DRV_PAGEFRAG].heap_bytes);
		else
			printf("%8s\n", "-");
		if (st->csv != NULL) {
			fprintf(st->csv, "memory,%s,%u,0,0,%.1f,%.3f,",
				drv_name[d], p->n, (double)p->heap_bytes / p->n,
				p->heap_bytes / 1048576.0);
			if (d != DRV_PAGEFRAG && st->mem_valid[DRV_PAGEFRAG])
				fprintf(st->csv, "%.4f", (double)p->heap_bytes /
					st->mem[DRV_PAGEFRAG].heap_bytes);
			fprintf(st->csv, ",meta=%zu\n", meta);
		}
	}
}

/* ---- commands ------------------------------------------------------------ */

static int
perf_run(const struct perf_conf *conf)
{
	struct perf_state st;
	const char *csv_path = getenv("PAGEFRAG_PERF_CSV");
	struct rte_mempool *probe;
	unsigned int d;

	memset(&st, 0, sizeof(st));
	st.conf = conf;
	st.worker = rte_get_next_lcore(-1, 1, 0);
	if (csv_path != NULL && *csv_path != '\0') {
		st.csv = fopen(csv_path, "w");
		if (st.csv == NULL)
			printf("cannot write %s: %s\n", csv_path, strerror(errno));
		else
			fprintf(st.csv, "figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread\n");
	}

	printf("%s: %s, %u lcore(s), TSC %" PRIu64 " MHz, %s, %u ms x %u reps per figure\n",
		conf->title, rte_version(), rte_lcore_count(),
		rte_get_tsc_hz() / 1000000,
		rte_eal_has_hugepages() ? "hugepages" : "no hugepages",
		conf->ms, conf->reps);
	printf("pools: %u and %u objects of %u B, %u kept per lcore; ns/obj: get+put of one object counted once, 2 lcores summed; pf/x = speed of pagefrag / speed of x (>1: pagefrag faster)\n",
		conf->n_small, conf->n_large, PERF_ELT_SIZE, PERF_KEEP);

	/* which drivers this process has */
	probe = rte_mempool_create_empty("pfperf_probe", 64, PERF_ELT_SIZE, 0,
			0, SOCKET_ID_ANY, 0);
	if (probe == NULL) {
		printf("cannot create a mempool: %s\n", rte_strerror(rte_errno));
		if (st.csv != NULL)
			fclose(st.csv);
		return TEST_FAILED;
	}
	for (d = 0; d < DRV_NB; d++) {
		st.loaded[d] = rte_mempool_set_ops_byname(probe, drv_name[d],
				NULL) == 0;
		if (!st.loaded[d]) {
			printf("skipped: %s not loaded (use -d)\n", drv_name[d]);
			/* this binary links the pagefrag driver */
			if (d == DRV_PAGEFRAG)
				st.failed = 1;
		}
	}
	rte_mempool_free(probe);
	if (st.worker >= RTE_MAX_LCORE)
		printf("one lcore only: 2-lcore figures skipped (use -l 0-1)\n");

	printf("\n");
	print_header();
	fig_getput(&st);
	fig_touch(&st);
	fig_teardown(&st);
	fig_memory(&st);

	if (st.csv != NULL) {
		fclose(st.csv);
		printf("CSV written to %s\n", csv_path);
	}
	return st.failed ? TEST_FAILED : TEST_SUCCESS;
}

static int
test_pagefrag_perf(void)
{
	struct perf_conf conf = {
		.title = "pagefrag_perf_autotest",
		.ms = env_uint("PAGEFRAG_PERF_MS", 100),
		.reps = env_uint("PAGEFRAG_PERF_REPS", 5),
		.n_small = PERF_N_SMALL,
		.n_large = env_uint("PAGEFRAG_PERF_LARGE", PERF_N_LARGE),
		.pp_rounds = 20000,
	};

	conf.reps = RTE_MIN(RTE_MAX(conf.reps, PERF_MIN_REPS), PERF_MAX_REPS);
	return perf_run(&conf);
}

/* A few ms per figure on small pools: shows the benchmark works. */
static int
test_pagefrag_perf_smoke(void)
{
	struct perf_conf conf = {
		.title = "pagefrag_perf_smoke",
		.ms = env_uint("PAGEFRAG_PERF_MS", 2),
		.reps = PERF_MIN_REPS,
		.n_small = 8192,
		.n_large = 32768,
		.pp_rounds = 1000,
	};

	return perf_run(&conf);
}

REGISTER_TEST_COMMAND(pagefrag_perf_autotest, test_pagefrag_perf);
REGISTER_TEST_COMMAND(pagefrag_perf_smoke, test_pagefrag_perf_smoke);
