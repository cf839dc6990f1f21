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
 * placed the vCPUs. Every 1-lcore repetition of a driver runs between two
 * core probes (0.05 to 0.1 ms each): the TSC cycles one loop of 8
 * independent register adds takes on the lcore, which tells how much of
 * the core's issue slots the host leaves it (a host thread on the same
 * physical core takes slots; devtools/core-probe.sh times the same loop
 * over seconds). Under each 1-lcore figure of the second to fourth tables,
 * the probes' median per driver is printed.
 *
 * Remote frees and small bursts (the figures of the second table, one
 * pool set per pool size and cache size, ratio x/ring = speed of driver x /
 * speed of ring_mp_mc):
 *   bulk      1 lcore, cache 0: the get/put loop above at bulks 1, 8, 32
 *             and 128;
 *   fifo      1 lcore: get bursts of 32 and put each burst back 512
 *             objects later, in allocation order (a Tx ring whose
 *             completions lag by 512 descriptors);
 *   pipeline  lcore A gets bursts of 32 and passes them through a
 *             single-producer/single-consumer rte_ring (512 or 4096 slots)
 *             to lcore B, which puts them back (and, "wr 1", first writes
 *             the first cache line of each object): every object is freed
 *             on another lcore than the one that took it. ns/obj is the
 *             time per object through the pipeline (not summed over the
 *             lcores). The ping-pong round trip is measured before every
 *             round of repetitions and printed under the figure.
 *   rcpipe    the pipeline (512 slots), pagefrag's lcore A taking its
 *             bursts from a ring-level cache (a PMD's RX refill whose
 *             mbufs are freed on another lcore).
 * Pools of 16 K and 64 K objects, cache 0 and 256.
 *
 * A benchmark is not a test: the commands fail only when something
 * functional breaks (a pool that should be created is not, a get fails
 * with objects available, the pool loses objects: every pool's
 * rte_mempool_avail_count() must equal its size after each repetition),
 * never on a timing.
 *
 * Environment:
 *   PAGEFRAG_PERF_CSV=path   also write the results as CSV rows:
 *                            figure,driver,bulk,cache,lcores,ns_per_obj,
 *                            mops,ratio_vs_pagefrag,spread,objects,depth,
 *                            write,pingpong_ns,core_cycles;
 *                            ratio = speed of pagefrag / speed of driver;
 *                            spread = ns min-max; objects = pool size;
 *                            depth = pipeline ring slots or fifo lag;
 *                            write = 1 if the consumer writes each object;
 *                            pingpong_ns = median round trip measured
 *                            next to a 2-lcore figure of the second table;
 *                            core_cycles = median core probe taken
 *                            around this driver's repetitions of a
 *                            1-lcore figure of the second to fourth
 *                            tables.
 *                            "pingpong" rows: ns per round trip;
 *                            "memory" rows: bulk = objects, ns_per_obj =
 *                            bytes per object, mops = MiB reserved,
 *                            ratio = driver bytes / pagefrag bytes,
 *                            spread = "meta=<driver metadata bytes>"
 *   PAGEFRAG_PERF_SAMPLES=path  also write every repetition of every
 *                            figure but teardown and memory as a
 *                            CSV row: figure,driver,bulk,cache,lcores,
 *                            objects,depth,write,rep,ns_per_obj,
 *                            pingpong_ns,core_before,core_after;
 *                            pingpong_ns = the round trip measured
 *                            before this round (2 lcores), core_before
 *                            and core_after = the core probes taken
 *                            right before and after this repetition
 *                            (1 lcore); pagefrag_perf_smoke writes them
 *                            to a temporary file when this is unset,
 *                            and checks them
 *   PAGEFRAG_PERF_MS=n       ms per repetition of a figure (per driver)
 *   PAGEFRAG_PERF_REPS=n     repetitions per figure (at least 5 used)
 *   PAGEFRAG_PERF_LARGE=n    objects in the large pool (default 262144)
 *   PAGEFRAG_PERF_PIPE_SPLIT=1  pipeline: also time each lcore's parts and
 *                            print a "pipe-split" line per repetition
 *                            (driver, pool size, cache, depth, wr): the
 *                            share of time A (full ring) and B (empty ring)
 *                            wait, B's ns per object in its puts (and per
 *                            object flushed by the puts that flush the
 *                            mempool cache), in the ring's dequeue, and in
 *                            the rest of its loop; A's ns per object in its
 *                            gets (and per object refilled by the gets that
 *                            refill the cache), in the first enqueue of
 *                            each burst (retries on a full ring count as
 *                            waiting) and in the rest of its loop. The
 *                            clock reads cost a few ns per burst on both
 *                            lcores.
 *                            =2: the same with fenced clock reads
 *                            (rte_rdtsc_precise()): each part's stores
 *                            complete inside it, instead of stalling
 *                            whatever part runs next; slower overall.
 *                            Either also prints a "pipe-deq" line: B's
 *                            dequeues right after a put that flushed the
 *                            mempool cache and the others apart, and by
 *                            the ring's fill before them, in quarters of
 *                            its depth (share of dequeues, ns per object),
 *                            and with a mempool cache by their rank since
 *                            B's last flush (1st, 2nd, 3-4th, 5-8th, 9th+).
 *                            With pagefrag, also a "pipe-pages" line: per
 *                            1000 objects through the pipeline, those A's
 *                            cache took back from freemap words, and the
 *                            pages it took from the free list, re-armed in
 *                            place or took back from the partial list
 *   PAGEFRAG_PERF_PIPE_RUNS=1  pipeline: print a "pipe-runs" line per
 *                            repetition: how the objects each flush of B's
 *                            mempool cache sends to the driver are ordered
 *                            (runs of consecutive objects, their length and
 *                            direction, changes of 2 MB block), whichever
 *                            the driver. B copies its cache's array before
 *                            each put that flushes it (past its flush
 *                            threshold), outside the puts' timing but in
 *                            B's loop
 *   PAGEFRAG_PERF_PIPE_B_PREFETCH=n  pipeline: B prefetches the slots n
 *                            entries past the ring's consumer head before
 *                            each dequeue (outside the dequeue's timing)
 *   PAGEFRAG_PERF_PIPE_A_EVICT=1  pipeline (x86-64 with CLFLUSHOPT, else
 *                            ignored with a message): A writes back and
 *                            evicts (clflushopt) the ring slots of each
 *                            burst it enqueued, so B reads them from
 *                            memory rather than from A's caches (unless B
 *                            takes them before the eviction lands)
 *   PAGEFRAG_PERF_PIPE_A_READ_KB=n  pipeline: A reads n KB (up to 256) of
 *                            a private buffer after each get, which
 *                            pushes the ring's lines it wrote out of its
 *                            L1 as a larger footprint would
 *   PAGEFRAG_PERF_PIPE_POOLS=n[,m]  the pools of the second table
 *                            (pipeline and the others): n (and m) objects
 *                            instead of 16384 and 65536 (8192 to 4194304)
 *   PAGEFRAG_PERF_PIPE_BACKOFF_NS=n  pipeline: A, finding the ring full,
 *                            waits n ns on its own clock before it looks
 *                            again, instead of polling the ring (whose
 *                            consumer tail B writes at every dequeue)
 *   PAGEFRAG_PERF_PIPE_B_FLUSH_NS=n  pipeline: B spins n ns after each put
 *                            that flushed its mempool cache (outside the
 *                            put's timing), as a dearer flush would: how
 *                            much B's flush can cost before it slows the
 *                            pipeline
 *   PAGEFRAG_PERF_PIPE_A_REFILL_NS=n  pipeline: the same for A, after each
 *                            get that refilled its mempool cache
 *   PAGEFRAG_PERF_FIGURES=l  comma-separated figures to run, of getput,
 *                            touch, teardown, memory, bulk, fifo,
 *                            interleave, pipeline, rcpipe, refill,
 *                            copybreak
 *                            (default all; memory needs getput)
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
#include <rte_mbuf.h>
#include <rte_memcpy.h>
#include <rte_mempool.h>
#include <rte_pause.h>
#include <rte_prefetch.h>
#include <rte_ring.h>
#include <rte_version.h>

#ifdef RTE_ARCH_X86_64
#include <cpuid.h>
#endif

#include "rte_mempool_pagefrag.h"
#include "rte_pagefrag.h"
#include "test.h"

#if defined(__has_include)
#if __has_include(<valgrind/callgrind.h>)
#define PF_HAVE_CALLGRIND 1
#endif
#endif
#ifdef PF_HAVE_CALLGRIND
#include <valgrind/callgrind.h>
#else
/* without valgrind's headers pagefrag_perf_icount only runs its loops */
#define RUNNING_ON_VALGRIND 0
#define CALLGRIND_ZERO_STATS do { } while (0)
#define CALLGRIND_DUMP_STATS_AT(name) RTE_SET_USED(name)
#endif

#define PERF_ELT_SIZE		2176	/* RTE_MBUF_DEFAULT_BUF_SIZE */
#define PERF_N_SMALL		16384
#define PERF_N_LARGE		262144
/*
 * Pools PAGEFRAG_PERF_PIPE_POOLS accepts: the pipeline's objects in
 * flight (a ring of 4096, two mempool caches) fit in the smallest.
 */
#define PERF_PIPE_MIN		8192u
#define PERF_PIPE_MAX		(1u << 22)
#define PERF_KEEP		128
#define PERF_CHUNK_OBJS		16384	/* objects between two clock reads */
#define PERF_TEARDOWN_N		4096
#define PERF_MIN_REPS		5u
#define PERF_MAX_REPS		64u
#define PERF_PP_BATCHES		5
#define PERF_PP_BATCH_MS	50	/* a ping-pong batch stops after this */
#define PERF_PP_STOP		UINT32_MAX
#define PERF_PROBE_LOOPS	100000	/* core probe: 0.05 to 0.1 ms */
#define PERF_MAX_POOLS		8
#define PERF_BURST		32	/* pipeline and fifo burst */
#define PERF_FIFO_LAG		512	/* fifo: objects between get and put */
#define PERF_FIFO_SLOTS		1024	/* power of 2 >= lag + burst */
#define PERF_STUCK_MS		1000	/* a get refused this long: failure */
#define PERF_MAX_VARS		12

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
	unsigned int n_pipe[2];	/* pools of the second table, 0: none */
	const char *figures;	/* NULL: all */
	int check_samples;	/* write the repetition rows and check them */
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
	uint64_t refusals;	/* gets refused in the last repetition */
	uint64_t atomics;	/* pagefrag's atomics in the last repetition */
	uint64_t atomic_objs;	/* and the objects they were counted over */
	FILE *samples;		/* PAGEFRAG_PERF_SAMPLES, or NULL */
	int mbuf_pools;		/* pools made mbuf pools (copybreak) */
	struct rte_pagefrag_pool *frag;	/* copybreak's fragments */
	int loaded[DRV_NB];
	/* memory figure, from the small cache-0 pools */
	int mem_valid[DRV_NB];
	struct perf_pool mem[DRV_NB];
};

struct perf_var;

/* One repetition of a variant on a pool: ns per object, or -errno. */
typedef double (perf_rep_fn)(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v);

/* One measured variant of a figure, with its results per driver. */
struct perf_var {
	const char *fig;
	perf_rep_fn *fn;
	unsigned int bulk;
	unsigned int lcores;
	unsigned int depth;	/* pipeline ring slots, fifo lag, else 0 */
	int touch;
	struct rte_ring *ring;	/* pipeline handoff ring */
	int pp_rounds;		/* measure the ping-pong before each round */
	unsigned int queues;	/* refill: RX queues on the lcore */
	int free_one;		/* refill: the application frees one by one */
	int rcache;		/* pipeline: pagefrag's A gets from an rcache */
	struct perf_res res[DRV_NB];
	struct perf_res pp;	/* ping-pong ns over the rounds */
	struct perf_res core[DRV_NB];	/* core probes around each 1-lcore rep */
	uint64_t refusals[DRV_NB];	/* gets refused, then retried */
	uint64_t atomics, atomic_objs;	/* pagefrag's, over all rounds */
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
	p->mp = rte_mempool_create_empty(name, n, PERF_ELT_SIZE, cache,
			st->mbuf_pools ? sizeof(struct rte_pktmbuf_pool_private) :
			0, SOCKET_ID_ANY, 0);
	if (p->mp == NULL)
		return -rte_errno;
	ret = rte_mempool_set_ops_byname(p->mp, drv_name[drv], NULL);
	if (ret != 0) {
		rte_mempool_free(p->mp);
		p->mp = NULL;
		return -ENOENT;
	}
	if (st->mbuf_pools) {
		/* mbufs of the same element size: a 2048-byte data room */
		struct rte_pktmbuf_pool_private priv = {
			.mbuf_data_room_size = PERF_ELT_SIZE -
				sizeof(struct rte_mbuf),
		};

		rte_pktmbuf_pool_init(p->mp, &priv);
	}
	ret = rte_mempool_populate_default(p->mp);
	if (ret < 0 || (unsigned int)ret != n) {
		rte_mempool_free(p->mp);
		p->mp = NULL;
		return ret < 0 ? ret : -ENOMEM;
	}
	if (st->mbuf_pools)
		rte_mempool_obj_iter(p->mp, rte_pktmbuf_init, NULL);
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

/* ---- fifo and pipeline loops ---------------------------------------- */

/* Bins of the ring's fill seen by B's dequeues: quarters of the depth */
#define PIPE_FILL_BINS 4
/*
 * Bins of B's dequeues by their rank since B's last flush: the 1st, the
 * 2nd, the 3rd and 4th, the 5th to 8th, the 9th and later.
 */
#define PIPE_SINCE_BINS 5

/* What one lcore of a pipeline or fifo repetition does. */
struct pipe_lcore {
	struct rte_mempool *mp;
	struct rte_ring *ring;	/* pipeline handoff ring */
	struct rte_mempool_pagefrag_rcache *rc;	/* A's gets, else mp's */
	unsigned int lag;	/* fifo: objects between get and put */
	int touch;
	uint64_t dur_tsc;
	uint64_t objs;		/* out: objects got (A) or put (B) */
	uint64_t tsc;		/* out: cycles spent */
	uint64_t refusals;	/* out: gets refused and retried */
	uint64_t wait_tsc;	/* out: pipeline: cycles waiting on the other */
	int split;		/* pipeline: 0, 1 time the parts, 2 fenced */
	uint64_t backoff_tsc;	/* pipeline: A's wait between looks at a full ring */
	uint64_t spin_tsc;	/* pipeline: spin after B's flush, A's refill */
	unsigned int read_lines;	/* pipeline: lines A reads after a get */
	int evict;		/* pipeline: A flushes the slots it wrote */
	uint64_t put_tsc;	/* out: B, cycles in the puts */
	uint64_t flush_tsc;	/* out: B, cycles in the puts that flushed */
	uint64_t flushes;	/* out: B, puts that flushed the cache */
	uint64_t flushed;	/* out: B, objects those flushes sent */
	uint64_t enq_tsc;	/* out: A, cycles in its first enqueue of a burst */
	uint64_t deqs;		/* out: B, dequeues that took objects */
	uint64_t deq_tsc;	/* out: B, cycles in those dequeues */
	unsigned int prefetch;	/* pipeline: B prefetches slots this far ahead */
	int flushed_last;	/* B: the last put flushed the cache */
	unsigned int since;	/* B: dequeues since the last flush */
	/* out: B, dequeues and their objects and cycles by rank since a flush */
	uint64_t deq_since_n[PIPE_SINCE_BINS];
	uint64_t deq_since_objs[PIPE_SINCE_BINS];
	uint64_t deq_since_tsc[PIPE_SINCE_BINS];
	uint64_t deqs_af;	/* out: B, dequeues right after a flush */
	uint64_t deq_af_objs;	/* out: B, objects they took */
	uint64_t deq_af_tsc;	/* out: B, cycles in those */
	/* out: B, dequeues and their cycles by the ring's fill before them */
	uint64_t deq_fill_n[PIPE_FILL_BINS];
	uint64_t deq_fill_objs[PIPE_FILL_BINS];
	uint64_t deq_fill_tsc[PIPE_FILL_BINS];
	/* B, PAGEFRAG_PERF_PIPE_RUNS: what its flushes send, flush_runs() */
	int runs;
	uint64_t fl_flushes;	/* out: flushes seen */
	uint64_t fl_objs;	/* out: objects they sent */
	uint64_t fl_runs;	/* out: runs of consecutive objects */
	uint64_t fl_down;	/* out: objects in runs in descending order */
	uint64_t fl_long;	/* out: objects in runs of at least PIPE_LONG_RUN */
	uint64_t fl_pages;	/* out: changes of 2 MB block between objects */
	int ret;		/* out: 0 or the failed get's return */
} __rte_cache_aligned;

static uint32_t pipe_stop __rte_cache_aligned;	/* producer is done */

#define PIPE_A_READ_MAX_KB 256
/*
 * What A reads with PAGEFRAG_PERF_PIPE_A_READ_KB: written before each
 * repetition (a buffer never written maps the zero page, and the compiler
 * may fold its reads away), read through a volatile pointer.
 */
static uint8_t pipe_a_buf[PIPE_A_READ_MAX_KB * 1024] __rte_cache_aligned;
static volatile uint64_t pipe_a_sink;

static struct pipe_lcore pipe_args[2];

/* Clock of a timed pipeline part: fenced when PAGEFRAG_PERF_PIPE_SPLIT=2 */
static __rte_always_inline uint64_t
split_clock(const struct pipe_lcore *a)
{
	return a->split == 2 ? rte_rdtsc_precise() : rte_rdtsc();
}

/*
 * Get a burst, retrying a refused get for up to PERF_STUCK_MS: the other
 * lcore may hold what the pool lacks for a moment (it never holds more
 * than the ring and its cache). 0, or the get's error when it persists.
 */
static __rte_always_inline int
burst_get(struct pipe_lcore *a, void **objs, struct rte_mempool_cache *cache)
{
	uint64_t limit = 0, now;
	int ret;

	while ((ret = a->rc != NULL ?
			rte_mempool_pagefrag_rcache_alloc(a->rc, objs,
				PERF_BURST) :
			rte_mempool_generic_get(a->mp, objs, PERF_BURST,
				cache)) < 0) {
		a->refusals++;
		now = rte_rdtsc();
		if (limit == 0)
			limit = now + rte_get_tsc_hz() / 1000 * PERF_STUCK_MS;
		else if (now > limit)
			return ret;
		rte_pause();
	}
	return 0;
}

/* The lag's objects in a FIFO of PERF_FIFO_SLOTS go back, untimed. */
static void
fifo_return(struct pipe_lcore *a, void **fifo, uint32_t tail, uint32_t head,
		struct rte_mempool_cache *cache)
{
	for (; tail != head; tail += PERF_BURST)
		rte_mempool_generic_put(a->mp,
			&fifo[tail & (PERF_FIFO_SLOTS - 1)], PERF_BURST, cache);
}

/*
 * fifo: bursts of PERF_BURST go into a FIFO and come back to the pool in
 * allocation order once a->lag more objects have been taken after them.
 */
static int
fifo_loop(struct pipe_lcore *a)
{
	void *fifo[PERF_FIFO_SLOTS];
	const uint32_t mask = PERF_FIFO_SLOTS - 1;
	struct rte_mempool_cache *cache;
	uint64_t start, now, end, n = 0;
	uint32_t head = 0, tail = 0;
	unsigned int it;

	RTE_BUILD_BUG_ON(PERF_FIFO_SLOTS % PERF_BURST != 0 ||
		PERF_FIFO_SLOTS < PERF_FIFO_LAG + PERF_BURST);
	cache = rte_mempool_default_cache(a->mp, rte_lcore_id());
	a->ret = 0;
	start = rte_rdtsc();
	end = start + a->dur_tsc;
	do {
		for (it = 0; it < PERF_CHUNK_OBJS / PERF_BURST; it++) {
			/* slots are burst-aligned: a burst never wraps */
			a->ret = burst_get(a, &fifo[head & mask], cache);
			if (unlikely(a->ret != 0))
				goto out;
			head += PERF_BURST;
			if (head - tail > a->lag) {
				rte_mempool_generic_put(a->mp,
					&fifo[tail & mask], PERF_BURST, cache);
				tail += PERF_BURST;
			}
		}
		n += PERF_CHUNK_OBJS;
		now = rte_rdtsc();
	} while (now < end);
	a->objs = n;
	a->tsc = now - start;
out:
	fifo_return(a, fifo, tail, head, cache);
	return a->ret;
}

/*
 * interleave: two RX queues on one lcore whose mbufs go back in one free,
 * interleaved. Each round gets a burst for the short-lived queue and one
 * for the long-lived queue (kept a->lag objects in a FIFO); the put gives
 * back the new short-lived burst and the oldest long-lived one, object by
 * object alternately (two puts of a burst each).
 */
static int
mix_loop(struct pipe_lcore *a)
{
	void *fifo[PERF_FIFO_SLOTS], *now_objs[PERF_BURST];
	void *mixed[2 * PERF_BURST];
	const uint32_t mask = PERF_FIFO_SLOTS - 1;
	struct rte_mempool_cache *cache;
	uint64_t start, now, end, n = 0;
	uint32_t head = 0, tail = 0;
	unsigned int it, k;

	cache = rte_mempool_default_cache(a->mp, rte_lcore_id());
	a->ret = 0;
	start = rte_rdtsc();
	end = start + a->dur_tsc;
	do {
		for (it = 0; it < PERF_CHUNK_OBJS / (2 * PERF_BURST); it++) {
			a->ret = burst_get(a, now_objs, cache);
			if (unlikely(a->ret != 0))
				goto out;
			a->ret = burst_get(a, &fifo[head & mask], cache);
			if (unlikely(a->ret != 0)) {
				rte_mempool_generic_put(a->mp, now_objs,
					PERF_BURST, cache);
				goto out;
			}
			head += PERF_BURST;
			if (head - tail <= a->lag) {
				rte_mempool_generic_put(a->mp, now_objs,
					PERF_BURST, cache);
				continue;
			}
			for (k = 0; k < PERF_BURST; k++) {
				mixed[2 * k] = now_objs[k];
				mixed[2 * k + 1] = fifo[(tail + k) & mask];
			}
			tail += PERF_BURST;
			rte_mempool_generic_put(a->mp, mixed, PERF_BURST,
				cache);
			rte_mempool_generic_put(a->mp, &mixed[PERF_BURST],
				PERF_BURST, cache);
		}
		n += PERF_CHUNK_OBJS;
		now = rte_rdtsc();
	} while (now < end);
	a->objs = n;
	a->tsc = now - start;
out:
	fifo_return(a, fifo, tail, head, cache);
	return a->ret;
}

/* Ring slots (object pointers) per cache line */
#define PIPE_SLOTS_PER_LINE (RTE_CACHE_LINE_SIZE / sizeof(void *))

/*
 * PAGEFRAG_PERF_PIPE_A_EVICT: A writes back and evicts the ring slots of
 * the burst it enqueued at head, so that B reads them from memory rather
 * than from A's caches, whatever else A's caches hold. The slots are
 * visible to B from the enqueue on: a B that takes them at once may still
 * read them from A's caches.
 */
static void
evict_slots(const struct rte_ring *r, uint32_t head)
{
#ifdef RTE_ARCH_X86_64
	void * const *slots = (void * const *)&r[1];
	unsigned int j;

	for (j = 0; j < PERF_BURST; j += PIPE_SLOTS_PER_LINE)
		__asm__ __volatile__("clflushopt %0" : :
			"m" (*(const char *)&slots[(head + j) & r->mask]) :
			"memory");
#else
	RTE_SET_USED(r);
	RTE_SET_USED(head);
#endif
}

/* Can evict_slots() run here (x86-64 with CLFLUSHOPT)? */
static int
evict_supported(void)
{
#ifdef RTE_ARCH_X86_64
	unsigned int eax, ebx, ecx, edx;

	/* CPUID leaf 7, subleaf 0: EBX bit 23 is CLFLUSHOPT */
	return __get_cpuid_count(7, 0, &eax, &ebx, &ecx, &edx) &&
		(ebx & (1u << 23)) != 0;
#else
	return 0;
#endif
}

/* Spin for tsc cycles. */
static void
spin_tsc(uint64_t tsc)
{
	uint64_t until = rte_rdtsc() + tsc;

	while (rte_rdtsc() < until)
		rte_pause();
}

/* pipeline, lcore A: get bursts and pass them to B through the ring. */
static int
pipe_producer(struct pipe_lcore *a)
{
	void *objs[PERF_BURST];
	struct rte_mempool_cache *cache;
	uint64_t start, now, end, t0;
	unsigned int it, k;
	uint32_t head = 0, len;
	int refilled;

	cache = rte_mempool_default_cache(a->mp, rte_lcore_id());
	start = rte_rdtsc();
	end = start + a->dur_tsc;
	do {
		for (it = 0; it < PERF_CHUNK_OBJS / PERF_BURST; it++) {
			len = cache != NULL ? cache->len : 0;
			t0 = unlikely(a->split) ? split_clock(a) : 0;
			a->ret = burst_get(a, objs, cache);
			/*
			 * A get that left the cache fuller than it took from
			 * it refilled it; a ring-level cache's get (rcpipe)
			 * never refills A's mempool cache.
			 */
			refilled = a->ret == 0 && a->rc == NULL && cache != NULL &&
				cache->len + PERF_BURST > len;
			if (unlikely(a->split)) {
				uint64_t t = split_clock(a) - t0;

				a->put_tsc += t;
				if (refilled) {
					a->flush_tsc += t;
					a->flushes++;
					a->flushed += cache->len + PERF_BURST - len;
				}
			}
			if (unlikely(a->spin_tsc != 0) && refilled)
				spin_tsc(a->spin_tsc);
			if (unlikely(a->ret != 0))
				goto out;
			if (unlikely(a->read_lines != 0)) {
				const volatile uint8_t *buf = pipe_a_buf;
				uint64_t sum = 0;

				for (k = 0; k < a->read_lines; k++)
					sum += buf[k * RTE_CACHE_LINE_SIZE];
				pipe_a_sink += sum;
			}
			/* a full ring waits for B, like a real pipeline */
			if (unlikely(a->evict))
				head = a->ring->prod.head;
			t0 = unlikely(a->split) ? split_clock(a) : 0;
			k = rte_ring_sp_enqueue_burst(a->ring, objs,
				PERF_BURST, NULL);
			if (unlikely(a->split))
				a->enq_tsc += split_clock(a) - t0;
			if (unlikely(k < PERF_BURST)) {
				uint64_t w = rte_rdtsc();

				while (k < PERF_BURST) {
					if (a->backoff_tsc != 0)
						spin_tsc(a->backoff_tsc);
					k += rte_ring_sp_enqueue_burst(a->ring,
						&objs[k], PERF_BURST - k, NULL);
				}
				a->wait_tsc += rte_rdtsc() - w;
			}
			if (unlikely(a->evict))
				evict_slots(a->ring, head);
			a->objs += PERF_BURST;
		}
		now = rte_rdtsc();
	} while (now < end);
out:
	a->tsc = rte_rdtsc() - start;
	/*
	 * RELEASE: orders every enqueue above before the flag; B, which
	 * reads it with ACQUIRE, then sees the ring's final contents.
	 */
	__atomic_store_n(&pipe_stop, 1, __ATOMIC_RELEASE);
	return a->ret;
}

/* B's copy of its mempool cache before a put that flushes it */
static void *pipe_held[RTE_MEMPOOL_CACHE_MAX_SIZE * 2];

/* A run this long or longer is "long" in the pipe-runs line. */
#define PIPE_LONG_RUN 32u

/*
 * The order of the objects a flush of B's mempool cache sends to the
 * driver, whichever driver: runs of consecutive objects (each one element
 * after or before the previous one), the objects in descending runs and in
 * long ones, and how often the pool page size's block (2 MB) changes from
 * one object to the next. Reads B's copy of its cache from before the put
 * that flushed.
 */
static void
flush_runs(struct pipe_lcore *a, void * const *objs, unsigned int n)
{
	const uintptr_t elt = a->mp->header_size + a->mp->elt_size +
		a->mp->trailer_size;
	unsigned int i = 0, j;

	a->fl_flushes++;
	a->fl_objs += n;
	while (i < n) {
		uintptr_t step = 0;

		if (i + 1 < n) {
			step = (uintptr_t)objs[i + 1] - (uintptr_t)objs[i];
			if (step != elt && step != 0 - elt)
				step = 0;
		}
		for (j = i + 1; step != 0 && j < n &&
				(uintptr_t)objs[j] - (uintptr_t)objs[j - 1] == step;
				j++)
			;
		a->fl_runs++;
		if (step == 0 - elt)
			a->fl_down += j - i;
		if (j - i >= PIPE_LONG_RUN)
			a->fl_long += j - i;
		i = j;
	}
	for (i = 1; i < n; i++)
		a->fl_pages += (((uintptr_t)objs[i] ^ (uintptr_t)objs[i - 1]) &
			~(uintptr_t)(RTE_MEMPOOL_PAGEFRAG_PAGE_SIZE - 1)) != 0;
}

/*
 * The objects a put of objs[0..n) (n >= 1) flushed from the cache to the
 * driver, the cache holding len before it: the cache ends shorter than
 * len + n, and the put went into the cache (its last object on top), not
 * straight to the driver (a put larger than the cache leaves it as it was).
 */
static unsigned int
put_flushed(const struct rte_mempool_cache *cache, uint32_t len,
		void * const *objs, unsigned int n)
{
	if (cache == NULL || cache->len >= len + n || cache->len == 0 ||
			cache->objs[cache->len - 1] != objs[n - 1])
		return 0;
	return len + n - cache->len;
}

/*
 * B's put, timed (PAGEFRAG_PERF_PIPE_SPLIT): the whole put, and apart the
 * puts that flushed the mempool cache into the driver (put_flushed()).
 * Returns the objects flushed.
 */
static __rte_noinline unsigned int
pipe_put_split(struct pipe_lcore *a, void **objs, unsigned int n,
		struct rte_mempool_cache *cache)
{
	uint32_t len = cache != NULL ? cache->len : 0;
	uint64_t t0 = split_clock(a), t;
	unsigned int f;

	rte_mempool_generic_put(a->mp, objs, n, cache);
	t = split_clock(a) - t0;
	a->put_tsc += t;
	f = put_flushed(cache, len, objs, n);
	a->flushed_last = f != 0;
	if (f != 0) {
		a->flush_tsc += t;
		a->flushes++;
		a->flushed += f;
	}
	return f;
}

/* pipeline, lcore B: take what A passes and put it back to the pool. */
static int
pipe_consumer(void *arg)
{
	struct pipe_lcore *a = arg;
	void *objs[PERF_BURST];
	struct rte_mempool_cache *cache;
	uint64_t start, t0, wait = 0;
	unsigned int n, j, left, held, f;
	uint32_t len;
	unsigned int depth = rte_ring_get_capacity(a->ring);

	cache = rte_mempool_default_cache(a->mp, rte_lcore_id());
	while (__atomic_load_n(&perf_start, __ATOMIC_ACQUIRE) == 0)
		rte_pause();
	start = rte_rdtsc();
	for (;;) {
		if (unlikely(a->prefetch != 0)) {
			void * const *slots = (void * const *)&a->ring[1];
			uint32_t at = a->ring->cons.head + a->prefetch;

			for (j = 0; j < PERF_BURST; j += PIPE_SLOTS_PER_LINE)
				rte_prefetch0(&slots[(at + j) & a->ring->mask]);
		}
		t0 = unlikely(a->split) ? split_clock(a) : 0;
		n = rte_ring_sc_dequeue_burst(a->ring, objs, PERF_BURST,
			&left);
		if (n == 0) {
			/* ACQUIRE: pairs with A's release of pipe_stop */
			if (__atomic_load_n(&pipe_stop, __ATOMIC_ACQUIRE) &&
					rte_ring_empty(a->ring))
				break;
			if (wait == 0)
				wait = t0 != 0 ? t0 : rte_rdtsc();
			rte_pause();
			continue;
		}
		if (wait != 0) {
			a->wait_tsc += (t0 != 0 ? t0 : rte_rdtsc()) - wait;
			wait = 0;
		}
		if (unlikely(a->split)) {
			uint64_t t = split_clock(a) - t0;
			unsigned int fill = RTE_MIN((left + n) * PIPE_FILL_BINS /
				depth, PIPE_FILL_BINS - 1u);
			unsigned int rank;

			a->deq_tsc += t;
			a->deqs++;
			a->deq_fill_n[fill]++;
			a->deq_fill_objs[fill] += n;
			a->deq_fill_tsc[fill] += t;
			if (a->flushed_last)
				a->since = 0;
			rank = a->since < 2 ? a->since :
				a->since < 4 ? 2 : a->since < 8 ? 3 : 4;
			a->since++;
			a->deq_since_n[rank]++;
			a->deq_since_objs[rank] += n;
			a->deq_since_tsc[rank] += t;
			if (a->flushed_last) {
				a->deqs_af++;
				a->deq_af_objs += n;
				a->deq_af_tsc += t;
			}
		}
		if (a->touch)
			for (j = 0; j < n; j++)
				touch_line(objs[j]);
		/*
		 * A put past the flush threshold flushes the cache from its
		 * bottom, on every DPDK release from 22.11 (26.07 keeps the
		 * field, equal to the size, where it flushes): keep what it
		 * holds
		 */
		held = 0;
		if (unlikely(a->runs) && cache != NULL &&
				cache->len + n > cache->flushthresh) {
			held = cache->len;
			memcpy(pipe_held, cache->objs, sizeof(void *) * held);
		}
		len = cache != NULL ? cache->len : 0;
		if (unlikely(a->split)) {
			f = pipe_put_split(a, objs, n, cache);
		} else {
			rte_mempool_generic_put(a->mp, objs, n, cache);
			f = unlikely(held != 0 || a->spin_tsc != 0) ?
				put_flushed(cache, len, objs, n) : 0;
		}
		if (unlikely(a->spin_tsc != 0) && f != 0)
			spin_tsc(a->spin_tsc);
		if (held != 0 && f != 0)
			flush_runs(a, pipe_held, RTE_MIN(f, held));
		a->objs += n;
	}
	a->tsc = rte_rdtsc() - start;
	return 0;
}

/* ---- cache-line ping-pong --------------------------------------------- */

static int
pp_worker(void *arg)
{
	unsigned int rounds = *(unsigned int *)arg;
	uint32_t i, f;

	for (i = 0; i < rounds; i++) {
		/* ACQUIRE/RELEASE: the flag is the only data; it orders itself */
		while ((f = __atomic_load_n(&pp_flag, __ATOMIC_ACQUIRE)) !=
				2 * i + 1) {
			if (f == PERF_PP_STOP)
				return 0;
			rte_pause();
		}
		__atomic_store_n(&pp_flag, 2 * i + 2, __ATOMIC_RELEASE);
	}
	return 0;
}

/*
 * Median ns per round trip of one cache line between the two lcores. A
 * batch stops early after PERF_PP_BATCH_MS (a loaded host deschedules the
 * lcores for milliseconds per round trip).
 */
static double
pingpong_ns(struct perf_state *st)
{
	double s[PERF_PP_BATCHES];
	unsigned int rounds = st->conf->pp_rounds;
	uint64_t limit = rte_get_tsc_hz() / 1000 * PERF_PP_BATCH_MS;
	unsigned int b, i;
	uint64_t t0, t1;

	for (b = 0; b < PERF_PP_BATCHES; b++) {
		__atomic_store_n(&pp_flag, 0, __ATOMIC_RELAXED);
		if (rte_eal_remote_launch(pp_worker, &rounds, st->worker) != 0)
			return -1;
		t0 = rte_rdtsc();
		t1 = t0;
		for (i = 0; i < rounds && t1 - t0 < limit; i++) {
			__atomic_store_n(&pp_flag, 2 * i + 1, __ATOMIC_RELEASE);
			while (__atomic_load_n(&pp_flag, __ATOMIC_ACQUIRE) !=
					2 * i + 2)
				rte_pause();
			t1 = rte_rdtsc();
		}
		if (i < rounds)
			__atomic_store_n(&pp_flag, PERF_PP_STOP,
				__ATOMIC_RELEASE);
		rte_eal_wait_lcore(st->worker);
		s[b] = tsc_to_ns(t1 - t0) / i;
	}
	qsort(s, PERF_PP_BATCHES, sizeof(s[0]), cmp_double);
	return s[PERF_PP_BATCHES / 2];
}

/* ---- core probe ------------------------------------------------------ */

static volatile uint64_t probe_sink;

/*
 * TSC cycles per loop of 8 independent register adds on this lcore. The
 * loop is bound by how many adds the core issues per cycle, so it grows
 * when a thread the host runs on the same physical core (an SMT sibling)
 * takes issue slots, and when the clock drops. A figure's time read next
 * to it tells the host's mode apart from the driver's cost.
 */
static double
core_probe(void)
{
	uint64_t a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, g = 7, h = 8;
	uint64_t t0, i;

	t0 = rte_rdtsc();
	for (i = 0; i < PERF_PROBE_LOOPS; i++) {
		a++;
		b++;
		c++;
		d++;
		e++;
		f++;
		g++;
		h++;
		/* keeps the adds in registers, one loop's worth each time */
		__asm__ volatile("" : "+r"(a), "+r"(b), "+r"(c), "+r"(d),
			"+r"(e), "+r"(f), "+r"(g), "+r"(h));
	}
	t0 = rte_rdtsc() - t0;
	probe_sink = a + b + c + d + e + f + g + h;
	return (double)t0 / PERF_PROBE_LOOPS;
}

/* ---- output ---------------------------------------------------------- */

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
print_header(void)
{
	printf("%-9s %-6s %4s %5s %2s  %-15s %8s %9s  %-17s %6s\n",
		"figure", "pool", "bulk", "cache", "lc", "driver", "ns/obj",
		"Mobj/s", "spread ns min-max", "pf/x");
}

/*
 * One CSV row; ratio <= 0 leaves its column empty, depth 0 and touch < 0
 * theirs, pp <= 0 the ping-pong's, core <= 0 the core probe's.
 */
static void
csv_row(struct perf_state *st, const char *fig, const char *drv,
		unsigned int bulk, unsigned int cache, unsigned int lcores,
		const struct perf_res *r, double ratio, unsigned int n,
		unsigned int depth, int touch, double pp, double core)
{
	if (st->csv == NULL)
		return;
	fprintf(st->csv, "%s,%s,%u,%u,%u,%.4f,%.2f,", fig, drv, bulk, cache,
		lcores, r->med, 1e3 / r->med);
	if (ratio > 0)
		fprintf(st->csv, "%.4f", ratio);
	fprintf(st->csv, ",%.3f-%.3f,%u,", r->min, r->max, n);
	if (depth > 0)
		fprintf(st->csv, "%u", depth);
	fprintf(st->csv, ",");
	if (touch >= 0)
		fprintf(st->csv, "%d", touch);
	fprintf(st->csv, ",");
	if (pp > 0)
		fprintf(st->csv, "%.2f", pp);
	fprintf(st->csv, ",");
	if (core > 0)
		fprintf(st->csv, "%.3f", core);
	fprintf(st->csv, "\n");
}

static void
print_row(struct perf_state *st, const char *fig, unsigned int n,
		unsigned int bulk, unsigned int cache, unsigned int lcores,
		const char *drv, const struct perf_res *r,
		const struct perf_res *ref, const char *note)
{
	double ratio = 0;
	char spread[32], pool[16];

	pool_label(n, pool, sizeof(pool));
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
	csv_row(st, fig, drv, bulk, cache, lcores, r, ratio, n, 0, -1, 0, 0);
}

static void
print_pingpong(struct perf_state *st, const char *fig, unsigned int cache,
		double before, double after)
{
	printf("%-9s cache %u, 2 lcores: cache-line ping-pong round trip %.1f ns before, %.1f ns after\n",
		fig, cache, before, after);
	if (st->csv != NULL)
		fprintf(st->csv, "pingpong,-,0,%u,2,%.2f,%.3f,,%.2f-%.2f,,,,\n",
			cache, (before + after) / 2, 2e3 / (before + after),
			RTE_MIN(before, after), RTE_MAX(before, after));
}

/* Header of the second table: ratios to ring_mp_mc. */
static void
print_header_ring(void)
{
	printf("%-9s %-6s %4s %5s %2s %5s %2s  %-11s %8s %9s  %-17s %6s\n",
		"figure", "pool", "bulk", "cache", "lc", "depth", "wr",
		"driver", "ns/obj", "Mobj/s", "spread ns min-max", "x/ring");
}

/*
 * The rows of one variant: a line per driver with its speed relative to
 * ring_mp_mc's, then the ping-pong measured next to it (2 lcores).
 */
static void
print_var(struct perf_state *st, unsigned int n, unsigned int cache,
		const struct perf_var *v, const char *skip[DRV_NB])
{
	const struct perf_res *ring = &v->res[DRV_RING];
	const struct perf_res *pf = &v->res[DRV_PAGEFRAG];
	char pool[16], depth[16], spread[32];
	unsigned int d;

	pool_label(n, pool, sizeof(pool));
	if (v->depth > 0)
		snprintf(depth, sizeof(depth), "%u", v->depth);
	else
		snprintf(depth, sizeof(depth), "-");
	for (d = 0; d < DRV_NB; d++) {
		const struct perf_res *r = &v->res[d];

		printf("%-9s %-6s %4u %5u %2u %5s %2d  %-11s ", v->fig, pool,
			v->bulk, cache, v->lcores, depth, v->touch,
			drv_name[d]);
		if (!r->valid) {
			printf("%s\n", skip[d]);
			continue;
		}
		snprintf(spread, sizeof(spread), "%.3f-%.3f", r->min, r->max);
		printf("%8.3f %9.1f  %-17s ", r->med, 1e3 / r->med, spread);
		if (ring->valid)
			printf("%6.2f", ring->med / r->med);
		else
			printf("%6s", "-");
		if (v->refusals[d] > 0)
			printf("  %" PRIu64 " gets refused and retried",
				v->refusals[d]);
		if (d == DRV_PAGEFRAG && v->atomic_objs > 0)
			printf("  %.3f atomics/obj",
				(double)v->atomics / v->atomic_objs);
		printf("\n");
		csv_row(st, v->fig, drv_name[d], v->bulk, cache, v->lcores, r,
			d != DRV_PAGEFRAG && pf->valid ? r->med / pf->med : 0,
			n, v->depth, v->touch, v->pp.valid ? v->pp.med : 0,
			v->core[d].valid ? v->core[d].med : 0);
	}
	if (v->pp.valid)
		printf("%-9s %-6s %4u %5u %2u %5s %2d  cache-line ping-pong round trip: median %.1f ns, %.1f-%.1f over %u rounds\n",
			v->fig, pool, v->bulk, cache, v->lcores, depth,
			v->touch, v->pp.med, v->pp.min, v->pp.max,
			st->conf->reps);
	if (v->lcores != 1)
		return;
	printf("%-9s %-6s %4u %5u %2u %5s %2d  core probe around the repetitions, TSC cycles per loop of 8 adds, median (min-max):",
		v->fig, pool, v->bulk, cache, v->lcores, depth, v->touch);
	for (d = 0; d < DRV_NB; d++)
		if (v->core[d].valid)
			printf(" %s %.2f (%.2f-%.2f)", drv_name[d],
				v->core[d].med, v->core[d].min,
				v->core[d].max);
	printf("\n");
}

/*
 * Read back the repetition rows (PAGEFRAG_PERF_SAMPLES): there must be
 * some, each with a time and a repetition number below reps, and every
 * 1-lcore one with the two core probes around it. 0 or -1.
 */
static int
samples_check(FILE *f, unsigned int reps)
{
	char line[512], row[512], *fld[13], *cur;
	unsigned int nb = 0, n;

	rewind(f);
	/* the header */
	if (fgets(line, sizeof(line), f) == NULL) {
		printf("ERROR: no repetition rows written\n");
		return -1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		line[strcspn(line, "\n")] = '\0';
		memcpy(row, line, sizeof(row));	/* strsep() cuts line up */
		cur = line;
		for (n = 0; n < RTE_DIM(fld) && cur != NULL; n++)
			fld[n] = strsep(&cur, ",");
		if (n != RTE_DIM(fld) || cur != NULL ||
				strtoul(fld[8], NULL, 10) >= reps ||
				strtod(fld[9], NULL) <= 0 ||
				(strcmp(fld[4], "1") == 0 &&
				 (strtod(fld[11], NULL) <= 0 ||
				  strtod(fld[12], NULL) <= 0))) {
			printf("ERROR: bad repetition row %u: %s\n", nb + 1,
				row);
			return -1;
		}
		nb++;
	}
	if (nb == 0) {
		printf("ERROR: no repetition rows written\n");
		return -1;
	}
	printf("%u repetition rows checked\n", nb);
	return 0;
}

/* ---- figures ------------------------------------------------------------ */

/* Whether list (comma-separated) names name. */
static int
name_listed(const char *list, const char *name)
{
	size_t len = strlen(name);
	const char *f;

	for (f = list; f != NULL; f = strchr(f, ',')) {
		if (*f == ',')
			f++;
		if (strncmp(f, name, len) == 0 &&
				(f[len] == ',' || f[len] == '\0'))
			return 1;
	}
	return 0;
}

/* Whether PAGEFRAG_PERF_FIGURES (none: all) names fig. */
static int
fig_enabled(const struct perf_state *st, const char *fig)
{
	const char *f = st->conf->figures;

	return f == NULL || *f == '\0' || name_listed(f, fig);
}

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

/* ---- refill: a PMD's RX refill and the application's free ---------- */

#define PERF_RX_QUEUES		2

/*
 * An RX queue: its ring of mbufs, refilled by bursts of PERF_BURST and
 * handed to the application lag objects later; pagefrag refills it from a
 * ring-level cache, the other drivers through the lcore's mempool cache.
 */
struct refill_q {
	struct rte_mempool_pagefrag_rcache *rc;
	uint32_t head, tail;
	void *ring[PERF_FIFO_SLOTS];
};

static struct refill_q refill_qs[PERF_RX_QUEUES];

static __rte_always_inline int
refill_get(struct refill_q *q, struct rte_mempool *mp,
		struct rte_mempool_cache *cache)
{
	void **objs = &q->ring[q->head & (PERF_FIFO_SLOTS - 1)];
	int ret;

	ret = q->rc != NULL ?
		rte_mempool_pagefrag_rcache_alloc(q->rc, objs, PERF_BURST) :
		rte_mempool_generic_get(mp, objs, PERF_BURST, cache);
	if (ret == 0)
		q->head += PERF_BURST;
	return ret;
}

/*
 * Every round refills each queue with a burst; once the ring holds lag
 * objects, the oldest burst of every queue goes back as the application
 * frees it: one free of all queues' mbufs, interleaved (a TX burst mixing
 * the queues), or mbuf by mbuf.
 */
static int
refill_loop(struct pipe_lcore *a, unsigned int nq, int free_one,
		struct rte_mempool_cache *cache)
{
	void *freed[PERF_RX_QUEUES * PERF_BURST];
	uint64_t start, now, end, n = 0;
	unsigned int it, i, k;

	a->ret = 0;
	start = rte_rdtsc();
	end = start + a->dur_tsc;
	do {
		for (it = 0; it < PERF_CHUNK_OBJS / (nq * PERF_BURST); it++) {
			for (i = 0; i < nq; i++) {
				a->ret = refill_get(&refill_qs[i], a->mp,
					cache);
				if (unlikely(a->ret != 0))
					return a->ret;
			}
			if (refill_qs[0].head - refill_qs[0].tail <= a->lag)
				continue;
			for (k = 0; k < PERF_BURST; k++)
				for (i = 0; i < nq; i++)
					freed[k * nq + i] = refill_qs[i].ring[
						(refill_qs[i].tail + k) &
						(PERF_FIFO_SLOTS - 1)];
			for (i = 0; i < nq; i++)
				refill_qs[i].tail += PERF_BURST;
			if (free_one) {
				for (k = 0; k < nq * PERF_BURST; k++)
					rte_mempool_generic_put(a->mp,
						&freed[k], 1, cache);
			} else {
				rte_mempool_generic_put(a->mp, freed,
					nq * PERF_BURST, cache);
			}
		}
		n += PERF_CHUNK_OBJS;
		now = rte_rdtsc();
	} while (now < end);
	a->objs = n;
	a->tsc = now - start;
	return 0;
}

/* ---- copybreak: small packets copied into right-sized buffers -------- */

#define PERF_COPYBREAK		64	/* bytes copied per packet */

/*
 * Add pagefrag's atomics between two reads of its statistics, over objs
 * objects. A build without the counters (-Dpagefrag_stats=false) has never
 * counted a get or a put: nothing is added, and no figure is printed.
 */
static void
atomics_add(struct perf_state *st,
		const struct rte_mempool_pagefrag_stats *s0,
		const struct rte_mempool_pagefrag_stats *s1, uint64_t objs)
{
	if (s1->gets + s1->puts == 0)
		return;
	st->atomics += s1->atomics - s0->atomics;
	st->atomic_objs += objs;
}

/*
 * A copybreak of PERF_BURST packets of PERF_COPYBREAK bytes, as
 * examples/l2fwd-frag does it, then their transmission (the free).
 * pagefrag: header mbufs from a ring-level cache, each given a fragment
 * of the packet's size (rte_pagefrag_attach_extbuf()); the others: mbufs
 * of the pool (rte_pktmbuf_alloc_bulk()), the packet copied into their
 * data room. Both copy the bytes and free with rte_pktmbuf_free_bulk().
 */
static double
copybreak_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v)
{
	static const uint8_t pkt[PERF_COPYBREAK] = { 0x02, 0, 0, 0, 0, 1 };
	struct rte_mempool_pagefrag_rcache *rc = NULL;
	struct rte_mempool_pagefrag_stats s0, s1;
	struct rte_mbuf *m[PERF_BURST];
	int pf = rte_mempool_pagefrag_is_pagefrag(mp) == 1;
	uint64_t start, now, end, n = 0;
	unsigned int it, i;
	int ret = 0;

	RTE_SET_USED(v);
	if (pf) {
		rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
		if (rc == NULL)
			return -rte_errno;
		if (rte_mempool_pagefrag_stats_get(mp, &s0) != 0)
			pf = 0;
	}
	start = rte_rdtsc();
	end = start + rte_get_tsc_hz() / 1000 * st->conf->ms;
	do {
		for (it = 0; it < PERF_CHUNK_OBJS / PERF_BURST; it++) {
			ret = rc != NULL ?
				rte_mempool_pagefrag_rcache_alloc_mbufs(rc, m,
					PERF_BURST) :
				rte_pktmbuf_alloc_bulk(mp, m, PERF_BURST);
			if (unlikely(ret != 0))
				goto out;
			for (i = 0; i < PERF_BURST; i++) {
				if (rc != NULL) {
					ret = rte_pagefrag_attach_extbuf(
						st->frag, m[i], PERF_COPYBREAK);
					if (unlikely(ret != 0)) {
						rte_pktmbuf_free_bulk(m,
							PERF_BURST);
						goto out;
					}
					m[i]->data_off = 0;
				}
				rte_memcpy(rte_pktmbuf_mtod(m[i], void *), pkt,
					PERF_COPYBREAK);
				m[i]->data_len = PERF_COPYBREAK;
				m[i]->pkt_len = PERF_COPYBREAK;
			}
			rte_pktmbuf_free_bulk(m, PERF_BURST);
		}
		n += PERF_CHUNK_OBJS;
		now = rte_rdtsc();
	} while (now < end);
	if (pf && rte_mempool_pagefrag_stats_get(mp, &s1) == 0)
		atomics_add(st, &s0, &s1, n);
out:
	rte_mempool_pagefrag_rcache_destroy(rc);
	if (ret != 0)
		return ret;
	return tsc_to_ns(now - start) / n;
}

/* ---- interleaved repetitions ------------------------------------------ */

static double
getput_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v)
{
	return perf_once(st, mp, v->bulk, v->touch, v->lcores);
}

/* One lcore running a single-lcore loop (fifo_loop or mix_loop). */
static double
loop_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v, int (*loop)(struct pipe_lcore *))
{
	struct pipe_lcore *a = &pipe_args[0];

	memset(a, 0, sizeof(*a));
	a->mp = mp;
	a->lag = v->depth;
	a->dur_tsc = rte_get_tsc_hz() / 1000 * st->conf->ms;
	if (loop(a) != 0)
		return a->ret;
	st->refusals += a->refusals;
	return a->objs > 0 ? tsc_to_ns(a->tsc) / a->objs : -EINVAL;
}

static double
fifo_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v)
{
	return loop_rep(st, mp, v, fifo_loop);
}

static double
mix_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v)
{
	return loop_rep(st, mp, v, mix_loop);
}

/*
 * refill: pagefrag's queues get a ring-level cache each, created for the
 * repetition and drained and destroyed after it, with what the rings
 * still hold given back.
 */
static double
refill_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v)
{
	struct rte_mempool_cache *cache =
		rte_mempool_default_cache(mp, rte_lcore_id());
	struct rte_mempool_pagefrag_stats s0, s1;
	struct pipe_lcore *a = &pipe_args[0];
	int pf = rte_mempool_pagefrag_is_pagefrag(mp) == 1;
	unsigned int i;

	RTE_VERIFY(v->queues >= 1 && v->queues <= PERF_RX_QUEUES);
	memset(a, 0, sizeof(*a));
	a->mp = mp;
	a->lag = v->depth;
	a->dur_tsc = rte_get_tsc_hz() / 1000 * st->conf->ms;
	memset(refill_qs, 0, sizeof(refill_qs));
	for (i = 0; pf && i < v->queues; i++) {
		refill_qs[i].rc = rte_mempool_pagefrag_rcache_create(mp,
			SOCKET_ID_ANY);
		if (refill_qs[i].rc == NULL) {
			a->ret = -rte_errno;
			goto out;
		}
	}
	if (pf && rte_mempool_pagefrag_stats_get(mp, &s0) != 0)
		pf = 0;
	refill_loop(a, v->queues, v->free_one, cache);
	if (pf && a->ret == 0 &&
			rte_mempool_pagefrag_stats_get(mp, &s1) == 0)
		atomics_add(st, &s0, &s1, a->objs);
out:
	for (i = 0; i < v->queues; i++) {
		fifo_return(a, refill_qs[i].ring, refill_qs[i].tail,
			refill_qs[i].head, cache);
		rte_mempool_pagefrag_rcache_destroy(refill_qs[i].rc);
	}
	if (a->ret != 0)
		return a->ret;
	return a->objs > 0 ? tsc_to_ns(a->tsc) / a->objs : -EINVAL;
}

static double
pipe_rep(struct perf_state *st, struct rte_mempool *mp,
		const struct perf_var *v)
{
	struct pipe_lcore *a = &pipe_args[0], *b = &pipe_args[1];
	struct rte_mempool_pagefrag_stats s0, s1;
	int pf = rte_mempool_pagefrag_is_pagefrag(mp) == 1;
	/* 0 (unset): off, 2: fenced clock reads, else plain ones */
	unsigned int split = env_uint("PAGEFRAG_PERF_PIPE_SPLIT", 0);
	char label[128] = "", size[16];
	unsigned int i;

	if (split > 2)
		split = 1;

	for (i = 0; i < 2; i++) {
		memset(&pipe_args[i], 0, sizeof(pipe_args[i]));
		pipe_args[i].mp = mp;
		pipe_args[i].ring = v->ring;
		pipe_args[i].touch = v->touch;
		pipe_args[i].dur_tsc = rte_get_tsc_hz() / 1000 * st->conf->ms;
		pipe_args[i].split = split;
	}
	b->prefetch = env_uint("PAGEFRAG_PERF_PIPE_B_PREFETCH", 0);
	b->runs = env_uint("PAGEFRAG_PERF_PIPE_RUNS", 0) != 0;
	a->evict = env_uint("PAGEFRAG_PERF_PIPE_A_EVICT", 0) != 0;
	if (a->evict && !evict_supported()) {
		printf("PAGEFRAG_PERF_PIPE_A_EVICT ignored: needs x86-64 with CLFLUSHOPT\n");
		a->evict = 0;
	}
	a->backoff_tsc = (uint64_t)env_uint("PAGEFRAG_PERF_PIPE_BACKOFF_NS", 0) *
		rte_get_tsc_hz() / 1000000000;
	a->spin_tsc = (uint64_t)env_uint("PAGEFRAG_PERF_PIPE_A_REFILL_NS", 0) *
		rte_get_tsc_hz() / 1000000000;
	b->spin_tsc = (uint64_t)env_uint("PAGEFRAG_PERF_PIPE_B_FLUSH_NS", 0) *
		rte_get_tsc_hz() / 1000000000;
	a->read_lines = RTE_MIN(env_uint("PAGEFRAG_PERF_PIPE_A_READ_KB", 0),
		(unsigned int)PIPE_A_READ_MAX_KB) * 1024 / RTE_CACHE_LINE_SIZE;
	if (a->read_lines != 0)
		memset(pipe_a_buf, 1, (size_t)a->read_lines *
			RTE_CACHE_LINE_SIZE);
	if (v->rcache && pf) {
		a->rc = rte_mempool_pagefrag_rcache_create(mp, SOCKET_ID_ANY);
		if (a->rc == NULL)
			return -rte_errno;
	}
	if (pf && rte_mempool_pagefrag_stats_get(mp, &s0) != 0)
		pf = 0;
	__atomic_store_n(&perf_start, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&pipe_stop, 0, __ATOMIC_RELAXED);
	if (rte_eal_remote_launch(pipe_consumer, b, st->worker) != 0) {
		rte_mempool_pagefrag_rcache_destroy(a->rc);
		a->rc = NULL;
		return -EBUSY;
	}
	__atomic_store_n(&perf_start, 1, __ATOMIC_RELEASE);
	pipe_producer(a);
	rte_eal_wait_lcore(st->worker);
	/* both lcores' atomics, the mempool caches' flushes and refills */
	if (pf && a->ret == 0 &&
			rte_mempool_pagefrag_stats_get(mp, &s1) == 0)
		atomics_add(st, &s0, &s1, a->objs);
	else
		pf = 0;
	/* what the rcache holds goes back: the pool is whole again */
	rte_mempool_pagefrag_rcache_destroy(a->rc);
	a->rc = NULL;
	st->refusals += a->refusals;
	if (a->ret != 0)
		return a->ret;
	if (b->objs != a->objs) {
		printf("ERROR: pipeline: %" PRIu64 " objects passed, %" PRIu64
			" put back\n", a->objs, b->objs);
		return -EIO;
	}
	if (b->split || b->runs)
		/* what the lines below are about */
		snprintf(label, sizeof(label), "%s %s %s cache %u depth %u wr %d",
			b->split == 2 ? "-fenced" : "",
			mp->ops_index >= 0 ?
				rte_mempool_get_ops(mp->ops_index)->name : "?",
			pool_label(mp->size, size, sizeof(size)),
			mp->cache_size, v->depth, v->touch);
	if (b->split && b->objs > 0)
		printf("pipe-split%s: A wait %.1f%% B wait %.1f%% B put %.2f ns/obj B flush %.2f ns/flushed obj, %.1f obj/flush, %.2f flushes/kobj, B dequeue %.2f ns/obj %.1f obj/deq, B other %.2f ns/obj; A get %.2f ns/obj, refill %.2f ns/refilled obj, %.1f obj/refill, A enqueue %.2f ns/obj, A other %.2f ns/obj\n",
			label,
			100.0 * a->wait_tsc / a->tsc,
			100.0 * b->wait_tsc / b->tsc,
			tsc_to_ns(b->put_tsc) / b->objs,
			b->flushed ? tsc_to_ns(b->flush_tsc) / b->flushed : 0,
			b->flushes ? (double)b->flushed / b->flushes : 0,
			1e3 * b->flushes / b->objs,
			tsc_to_ns(b->deq_tsc) / b->objs,
			b->deqs ? (double)b->objs / b->deqs : 0,
			((double)b->tsc - b->wait_tsc - b->put_tsc -
				b->deq_tsc) * tsc_to_ns(1) / b->objs,
			tsc_to_ns(a->put_tsc) / a->objs,
			a->flushed ? tsc_to_ns(a->flush_tsc) / a->flushed : 0,
			a->flushes ? (double)a->flushed / a->flushes : 0,
			tsc_to_ns(a->enq_tsc) / a->objs,
			((double)a->tsc - a->wait_tsc - a->put_tsc -
				a->enq_tsc) * tsc_to_ns(1) / a->objs);
	if (b->split && b->deqs > 0) {
		uint64_t others = b->objs - b->deq_af_objs;

		printf("pipe-deq%s: after a flush ", label);
		if (b->deq_af_objs > 0)
			printf("%.2f ns/obj", tsc_to_ns(b->deq_af_tsc) /
				b->deq_af_objs);
		else
			printf("-");
		printf(" (%.1f%% of dequeues), others ",
			100.0 * b->deqs_af / b->deqs);
		if (others > 0)
			printf("%.2f ns/obj", tsc_to_ns(b->deq_tsc -
				b->deq_af_tsc) / others);
		else
			printf("-");
		printf("; by fill");
		for (i = 0; i < PIPE_FILL_BINS; i++)
			printf(" q%u %.1f%% %.2f", i + 1,
				100.0 * b->deq_fill_n[i] / b->deqs,
				b->deq_fill_objs[i] ? tsc_to_ns(b->deq_fill_tsc[i]) /
					b->deq_fill_objs[i] : 0);
		printf(" ns/obj");
		if (b->deqs_af > 0) {
			static const char * const rank[PIPE_SINCE_BINS] = {
				"1st", "2nd", "3-4th", "5-8th", "9th+"
			};

			printf("; by rank since the flush");
			for (i = 0; i < PIPE_SINCE_BINS; i++)
				printf(" %s %.1f%% %.2f", rank[i],
					100.0 * b->deq_since_n[i] / b->deqs,
					b->deq_since_objs[i] ?
						tsc_to_ns(b->deq_since_tsc[i]) /
						b->deq_since_objs[i] : 0);
			printf(" ns/obj");
		}
		printf("\n");
	}
	if (b->fl_flushes > 0 && b->fl_objs > 0)
		printf("pipe-runs%s: per flush %.1f objects in %.2f runs (%.1f objects per run), %.1f%% in descending runs, %.1f%% in runs of %u or more, %.2f changes of 2 MB block\n",
			label, (double)b->fl_objs / b->fl_flushes,
			(double)b->fl_runs / b->fl_flushes,
			(double)b->fl_objs / b->fl_runs,
			100.0 * b->fl_down / b->fl_objs,
			100.0 * b->fl_long / b->fl_objs, PIPE_LONG_RUN,
			(double)b->fl_pages / b->fl_flushes);
	if (b->split && pf && b->objs > 0)
		printf("pipe-pages%s: per 1000 objects passed: %.1f reclaimed from freemaps, %.3f pages from the free list, %.3f re-armed in place, %.3f partial pages taken back; %.3f atomics/obj\n",
			label,
			1e3 * (s1.reclaims - s0.reclaims) / b->objs,
			1e3 * (s1.page_refills - s0.page_refills) / b->objs,
			1e3 * (s1.page_reuses - s0.page_reuses) / b->objs,
			1e3 * (s1.partial_reuses - s0.partial_reuses) / b->objs,
			(double)(s1.atomics - s0.atomics) / b->objs);
	return b->objs > 0 ? tsc_to_ns(b->tsc) / b->objs : -EINVAL;
}

/*
 * One repetition's row of PAGEFRAG_PERF_SAMPLES; pp <= 0: no ping-pong,
 * core <= 0: no core probes.
 */
static void
sample_row(struct perf_state *st, const struct perf_var *v,
		const struct perf_pool *p, unsigned int rep, double val,
		double pp, double core, double core_after)
{
	if (st->samples == NULL)
		return;
	fprintf(st->samples, "%s,%s,%u,%u,%u,%u,%u,%d,%u,%.4f,", v->fig,
		drv_name[p->drv], v->bulk, p->mp->cache_size, v->lcores, p->n,
		v->depth, v->touch, rep, val);
	if (pp > 0)
		fprintf(st->samples, "%.2f", pp);
	fprintf(st->samples, ",");
	if (core > 0)
		fprintf(st->samples, "%.3f,%.3f", core, core_after);
	else
		fprintf(st->samples, ",");
	fprintf(st->samples, "\n");
}

/*
 * Run the variants on the pools (one per driver), interleaving the drivers
 * per repetition, and check after each repetition that every object is
 * back. A 1-lcore repetition runs between two core probes. bad[d] stops
 * driver d after a functional failure.
 */
static void
run_vars(struct perf_state *st, struct perf_pool *pools, unsigned int nb,
		struct perf_var *vars, unsigned int nb_vars, int *bad)
{
	double s[DRV_NB][PERF_MAX_REPS], pp[PERF_MAX_REPS];
	double core[DRV_NB][2 * PERF_MAX_REPS];
	unsigned int ns[DRV_NB], nc[DRV_NB], npp;
	unsigned int v, r, i, k;

	for (v = 0; v < nb_vars; v++) {
		struct perf_var *var = &vars[v];

		memset(ns, 0, sizeof(ns));
		memset(nc, 0, sizeof(nc));
		npp = 0;
		for (r = 0; r < st->conf->reps; r++) {
			if (var->pp_rounds)
				pp[npp++] = pingpong_ns(st);
			for (k = 0; k < nb; k++) {
				/* rotate the order so no driver always goes first */
				struct perf_pool *p = &pools[(k + r) % nb];
				double val, probe = 0, probe_after = 0;

				if (bad[p->drv])
					continue;
				st->refusals = 0;
				st->atomics = 0;
				st->atomic_objs = 0;
				if (var->lcores == 1)
					probe = core_probe();
				val = var->fn(st, p->mp, var);
				if (var->lcores == 1) {
					probe_after = core_probe();
					core[p->drv][nc[p->drv]++] = probe;
					core[p->drv][nc[p->drv]++] = probe_after;
				}
				var->refusals[p->drv] += st->refusals;
				var->atomics += st->atomics;
				var->atomic_objs += st->atomic_objs;
				if (val < 0) {
					printf("ERROR: %s: %s: get failed (%s) with %u objects, bulk %u, %u lcore(s)\n",
						var->fig, drv_name[p->drv],
						rte_strerror((int)-val),
						p->mp->size, var->bulk,
						var->lcores);
					rte_mempool_dump(stdout, p->mp);
					bad[p->drv] = 1;
					st->failed = 1;
				} else {
					s[p->drv][ns[p->drv]++] = val;
					sample_row(st, var, p, r, val,
						npp > 0 ? pp[npp - 1] : 0,
						probe, probe_after);
				}
				if (pool_check_full(st, p, var->fig) != 0)
					bad[p->drv] = 1;
			}
		}
		for (i = 0; i < nb; i++) {
			enum perf_drv d = pools[i].drv;

			res_from_samples(&var->res[d], s[d], bad[d] ? 0 : ns[d]);
			res_from_samples(&var->core[d], core[d], nc[d]);
		}
		res_from_samples(&var->pp, pp, npp);
	}
}

/*
 * Create n-object pools of every loaded driver and run the variants on
 * them: all drivers at once, interleaved, or one driver at a time when
 * memory does not hold all pools. skip[d] says why a driver has no result.
 * Small pools of cache 0 are noted for the memory table.
 */
static void
measure_vars(struct perf_state *st, const char *fig, unsigned int n,
		unsigned int cache, struct perf_var *vars, unsigned int nb_vars,
		const char *skip[DRV_NB])
{
	struct perf_pool pools[DRV_NB];
	int bad[DRV_NB];
	unsigned int nb, i, d;
	int one_by_one, ret;

	memset(bad, 0, sizeof(bad));
	for (i = 0; i < nb_vars; i++) {
		memset(vars[i].res, 0, sizeof(vars[i].res));
		memset(vars[i].core, 0, sizeof(vars[i].core));
		vars[i].atomics = 0;
		vars[i].atomic_objs = 0;
	}
	for (d = 0; d < DRV_NB; d++)
		skip[d] = st->loaded[d] ? "skipped: pool not created" :
			"skipped: driver not loaded (use -d)";
	nb = pools_create_all(st, pools, n, cache, &one_by_one);
	if (!one_by_one) {
		for (i = 0; i < nb; i++)
			if (cache == 0 && n == st->conf->n_small)
				mem_record(st, &pools[i]);
		run_vars(st, pools, nb, vars, nb_vars, bad);
		for (i = 0; i < nb; i++)
			pool_free(&pools[i]);
		return;
	}
	printf("%s: not enough memory for all %u-object pools at once, measuring one driver at a time (not interleaved)\n",
		fig, n);
	for (d = 0; d < DRV_NB; d++) {
		if (!st->loaded[d])
			continue;
		ret = pool_create(st, &pools[0], d, n, cache);
		if (ret != 0) {
			printf("%s: %u-object %s pool not created: %s\n", fig,
				n, drv_name[d], rte_strerror(-ret));
			/* a pool must fit when ring_mp_mc's did */
			if (d == DRV_PAGEFRAG || vars[0].res[DRV_RING].valid)
				st->failed = 1;
			continue;
		}
		if (cache == 0 && n == st->conf->n_small)
			mem_record(st, &pools[0]);
		run_vars(st, pools, 1, vars, nb_vars, bad);
		pool_free(&pools[0]);
	}
}

static void
print_group(struct perf_state *st, unsigned int n, unsigned int cache,
		const struct perf_var *vars, unsigned int nb_vars,
		const char *skip[DRV_NB])
{
	unsigned int v, d;

	for (v = 0; v < nb_vars; v++) {
		const struct perf_res *res = vars[v].res;

		for (d = 0; d < DRV_NB; d++)
			print_row(st, vars[v].fig, n, vars[v].bulk, cache,
				vars[v].lcores, drv_name[d], &res[d],
				d == DRV_PAGEFRAG ? NULL : &res[DRV_PAGEFRAG],
				res[d].valid ? NULL : skip[d]);
	}
}

/* The get/put variants of bulks 1, 8, 32 and 128 into vars[]. */
static unsigned int
getput_vars(struct perf_var *vars, const char *fig, unsigned int lcores,
		int touch)
{
	static const unsigned int bulks[] = { 1, 8, 32, 128 };
	unsigned int b;

	for (b = 0; b < RTE_DIM(bulks); b++)
		vars[b] = (struct perf_var){
			.fig = fig,
			.fn = getput_rep,
			.bulk = bulks[b],
			.lcores = lcores,
			.touch = touch,
		};
	return RTE_DIM(bulks);
}

/* get/put on the small pool: cache 0 and 256, 1 and 2 lcores. */
static void
fig_getput(struct perf_state *st)
{
	static const unsigned int caches[] = { 0, 256 };
	struct perf_var vars[PERF_MAX_VARS];
	const char *skip[DRV_NB];
	unsigned int c, lc, nv;
	double pp_before = 0;

	for (c = 0; c < RTE_DIM(caches); c++) {
		for (lc = 1; lc <= 2; lc++) {
			if (lc == 2 && st->worker >= RTE_MAX_LCORE) {
				printf("getput: 2-lcore figures skipped: give EAL two lcores (-l 0-1)\n");
				continue;
			}
			nv = getput_vars(vars, "getput", lc, 0);
			if (lc == 2)
				pp_before = pingpong_ns(st);
			measure_vars(st, "getput", st->conf->n_small, caches[c],
				vars, nv, skip);
			if (lc == 2)
				print_pingpong(st, "getput", caches[c],
					pp_before, pingpong_ns(st));
			print_group(st, st->conf->n_small, caches[c], vars, nv,
				skip);
			fflush(stdout);
		}
	}
}

/* Touch each object's first line, large pool, cache 0, 1 lcore. */
static void
fig_touch(struct perf_state *st)
{
	struct perf_var vars[PERF_MAX_VARS];
	const char *skip[DRV_NB];
	struct perf_pool pool;
	int bad[DRV_NB];
	unsigned int d, nv;
	int ret;

	nv = getput_vars(vars, "touch", 1, 1);
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
		run_vars(st, &pool, 1, vars, nv, bad);
		pool_free(&pool);
	}
	print_group(st, st->conf->n_large, 0, vars, nv, skip);
	fflush(stdout);
}

/*
 * The second table: remote frees and small bursts. Per pool size and
 * cache size one set of pools; on it bulk (cache 0 only), fifo and the
 * pipeline variants (ring depth x consumer writes or not).
 */
static void
fig_remote(struct perf_state *st)
{
	static const unsigned int depths[] = { 512, 4096 };
	static const unsigned int caches[] = { 0, 256 };
	struct rte_ring *rings[RTE_DIM(depths)] = { NULL };
	struct perf_var vars[PERF_MAX_VARS];
	const char *skip[DRV_NB];
	unsigned int p, c, i, nv;
	int want_bulk = fig_enabled(st, "bulk");
	int want_fifo = fig_enabled(st, "fifo");
	int want_mix = fig_enabled(st, "interleave");
	int want_pipe = fig_enabled(st, "pipeline");
	int want_rcpipe = fig_enabled(st, "rcpipe");
	int t;

	if (!want_bulk && !want_fifo && !want_mix && !want_pipe &&
			!want_rcpipe)
		return;
	if ((want_pipe || want_rcpipe) && st->worker >= RTE_MAX_LCORE) {
		printf("pipeline: skipped: give EAL two lcores (-l 0-1)\n");
		want_pipe = 0;
		want_rcpipe = 0;
	}
	for (i = 0; (want_pipe || want_rcpipe) && i < RTE_DIM(depths); i++) {
		char name[RTE_RING_NAMESIZE];

		snprintf(name, sizeof(name), "pfperf_pipe%u", depths[i]);
		rings[i] = rte_ring_create(name, depths[i], SOCKET_ID_ANY,
			RING_F_SP_ENQ | RING_F_SC_DEQ | RING_F_EXACT_SZ);
		if (rings[i] == NULL) {
			printf("ERROR: pipeline: cannot create a %u-slot ring: %s\n",
				depths[i], rte_strerror(rte_errno));
			st->failed = 1;
			want_pipe = 0;
			want_rcpipe = 0;
		}
	}
	printf("\nremote frees and small bursts: x/ring = speed of x / speed of ring_mp_mc (>1: x faster);\n"
		"fifo: bursts of %u put back %u objects later; interleave: a new burst and one %u objects old put back interleaved (two RX queues, one free); pipeline: bursts of %u from lcore A through an SP/SC ring of <depth> slots to lcore B, wr 1: B writes each object's first line; rcpipe: the same, pagefrag's A taking its bursts from a ring-level cache (a PMD's RX refill, freed on another lcore); ns/obj per object through the pipeline\n",
		PERF_BURST, PERF_FIFO_LAG, PERF_FIFO_LAG, PERF_BURST);
	print_header_ring();
	for (p = 0; p < RTE_DIM(st->conf->n_pipe); p++) {
		unsigned int n = st->conf->n_pipe[p];

		for (c = 0; n > 0 && c < RTE_DIM(caches); c++) {
			nv = 0;
			if (want_bulk && caches[c] == 0)
				nv += getput_vars(&vars[nv], "bulk", 1, 0);
			if (want_fifo)
				vars[nv++] = (struct perf_var){
					.fig = "fifo",
					.fn = fifo_rep,
					.bulk = PERF_BURST,
					.lcores = 1,
					.depth = PERF_FIFO_LAG,
				};
			if (want_mix)
				vars[nv++] = (struct perf_var){
					.fig = "interleave",
					.fn = mix_rep,
					.bulk = PERF_BURST,
					.lcores = 1,
					.depth = PERF_FIFO_LAG,
				};
			for (i = 0; want_pipe && i < RTE_DIM(depths); i++)
				for (t = 0; t <= 1; t++)
					vars[nv++] = (struct perf_var){
						.fig = "pipeline",
						.fn = pipe_rep,
						.bulk = PERF_BURST,
						.lcores = 2,
						.depth = depths[i],
						.touch = t,
						.ring = rings[i],
						.pp_rounds = 1,
					};
			for (t = 0; want_rcpipe && t <= 1; t++)
				vars[nv++] = (struct perf_var){
					.fig = "rcpipe",
					.fn = pipe_rep,
					.bulk = PERF_BURST,
					.lcores = 2,
					.depth = depths[0],
					.touch = t,
					.ring = rings[0],
					.pp_rounds = 1,
					.rcache = 1,
				};
			RTE_VERIFY(nv <= PERF_MAX_VARS);
			measure_vars(st, "remote", n, caches[c], vars, nv, skip);
			for (i = 0; i < nv; i++)
				print_var(st, n, caches[c], &vars[i], skip);
			fflush(stdout);
		}
	}
	for (i = 0; i < RTE_DIM(depths); i++)
		rte_ring_free(rings[i]);
}
/*
 * The third table: a PMD's RX refill and the application's free on one
 * lcore, cache 0 and 256: one queue freed in bursts or mbuf by mbuf, two
 * queues freed in one burst, interleaved.
 */
static void
fig_refill(struct perf_state *st)
{
	static const unsigned int caches[] = { 0, 256 };
	static const struct { const char *fig; unsigned int queues; int one; }
	kinds[] = {
		{ "refill", 1, 0 },
		{ "refill1", 1, 1 },
		{ "refill2q", 2, 0 },
	};
	struct perf_var vars[PERF_MAX_VARS];
	const char *skip[DRV_NB];
	unsigned int c, i;

	printf("\nrefill: pagefrag refills each RX queue (a ring of %u mbufs) from a ring-level cache, the others with rte_mempool_generic_get; the application frees the oldest burst of %u: refill in one free, refill1 mbuf by mbuf, refill2q two queues' bursts interleaved in one free; x/ring = speed / ring_mp_mc's with the same cache\n",
		PERF_FIFO_LAG, PERF_BURST);
	print_header_ring();
	for (c = 0; c < RTE_DIM(caches); c++) {
		for (i = 0; i < RTE_DIM(kinds); i++)
			vars[i] = (struct perf_var){
				.fig = kinds[i].fig,
				.fn = refill_rep,
				.bulk = PERF_BURST,
				.lcores = 1,
				.depth = PERF_FIFO_LAG,
				.queues = kinds[i].queues,
				.free_one = kinds[i].one,
			};
		measure_vars(st, "refill", st->conf->n_small, caches[c], vars,
			RTE_DIM(kinds), skip);
		for (i = 0; i < RTE_DIM(kinds); i++)
			print_var(st, st->conf->n_small, caches[c], &vars[i],
				skip);
		fflush(stdout);
	}
}

/*
 * The fourth table: copybreak (pagefrag's header mbuf from a ring-level
 * cache and fragment, against a plain mbuf of each other driver's pool).
 */
static void
fig_copybreak(struct perf_state *st)
{
	static const unsigned int caches[] = { 0, 256 };
	struct perf_var var;
	const char *skip[DRV_NB];
	unsigned int c;

	st->frag = rte_pagefrag_pool_create("pfperf_frag", 4, SOCKET_ID_ANY);
	if (st->frag == NULL) {
		printf("copybreak: no fragment pool: %s\n",
			rte_strerror(rte_errno));
		st->failed = 1;
		return;
	}
	printf("\ncopybreak: bursts of %u packets of %u bytes copied and sent (freed): pagefrag takes header mbufs from a ring-level cache and gives each a %u-byte fragment, the others copy into an mbuf of their pool; x/ring = speed / ring_mp_mc's with the same cache\n",
		PERF_BURST, PERF_COPYBREAK, PERF_COPYBREAK);
	print_header_ring();
	st->mbuf_pools = 1;
	for (c = 0; c < RTE_DIM(caches); c++) {
		var = (struct perf_var){
			.fig = "copybreak",
			.fn = copybreak_rep,
			.bulk = PERF_BURST,
			.lcores = 1,
		};
		measure_vars(st, "copybreak", st->conf->n_small, caches[c],
			&var, 1, skip);
		print_var(st, st->conf->n_small, caches[c], &var, skip);
		fflush(stdout);
	}
	st->mbuf_pools = 0;
	if (rte_pagefrag_pool_free(st->frag) != 0) {
		printf("copybreak: fragments still out of the fragment pool\n");
		st->failed = 1;
	}
	st->frag = NULL;
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
	print_row(st, "teardown", st->conf->n_small, PERF_TEARDOWN_N, 0, 1,
		"pagefrag-drain", &res[DRV_NB], NULL,
		res[DRV_NB].valid ? "rcache_free+drain" : "skipped");
	for (d = 0; d < DRV_NB; d++)
		print_row(st, "teardown", st->conf->n_small, PERF_TEARDOWN_N, 0,
			1, drv_name[d], &res[d], &res[DRV_NB],
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
			fprintf(st->csv, ",meta=%zu,%u,,,\n", meta, p->n);
		}
	}
}

/* ---- commands ------------------------------------------------------------ */

/*
 * Which drivers this process has, into st->loaded[]; those not named in
 * PAGEFRAG_PERF_DRIVERS (when set) are left out. Fails when no mempool can
 * be created; a missing pagefrag marks the run failed (this binary links it).
 */
static int
probe_drivers(struct perf_state *st)
{
	const char *drivers = getenv("PAGEFRAG_PERF_DRIVERS");
	struct rte_mempool *probe;
	unsigned int d;

	probe = rte_mempool_create_empty("pfperf_probe", 64, PERF_ELT_SIZE, 0,
			0, SOCKET_ID_ANY, 0);
	if (probe == NULL) {
		printf("cannot create a mempool: %s\n", rte_strerror(rte_errno));
		return -1;
	}
	for (d = 0; d < DRV_NB; d++) {
		/* a profile of one driver: the others are left out */
		if (drivers != NULL && !name_listed(drivers, drv_name[d])) {
			printf("skipped: %s not in PAGEFRAG_PERF_DRIVERS\n",
				drv_name[d]);
			continue;
		}
		st->loaded[d] = rte_mempool_set_ops_byname(probe, drv_name[d],
				NULL) == 0;
		if (!st->loaded[d]) {
			printf("skipped: %s not loaded (use -d)\n", drv_name[d]);
			if (d == DRV_PAGEFRAG)
				st->failed = 1;
		}
	}
	rte_mempool_free(probe);
	return 0;
}

static int
perf_run(const struct perf_conf *conf)
{
	struct perf_state st;
	const char *csv_path = getenv("PAGEFRAG_PERF_CSV");
	const char *samples_path = getenv("PAGEFRAG_PERF_SAMPLES");

	memset(&st, 0, sizeof(st));
	st.conf = conf;
	st.worker = rte_get_next_lcore(-1, 1, 0);
	if (csv_path != NULL && *csv_path != '\0') {
		st.csv = fopen(csv_path, "w");
		if (st.csv == NULL)
			printf("cannot write %s: %s\n", csv_path, strerror(errno));
		else
			fprintf(st.csv, "figure,driver,bulk,cache,lcores,ns_per_obj,mops,ratio_vs_pagefrag,spread,objects,depth,write,pingpong_ns,core_cycles\n");
	}
	if (conf->check_samples && (samples_path == NULL ||
			*samples_path == '\0')) {
		st.samples = tmpfile();
		samples_path = "a temporary file";
		if (st.samples == NULL) {
			printf("ERROR: no temporary file: %s\n",
				strerror(errno));
			st.failed = 1;
		}
	} else if (samples_path != NULL && *samples_path != '\0') {
		st.samples = fopen(samples_path, conf->check_samples ?
			"w+" : "w");
		if (st.samples == NULL)
			printf("cannot write %s: %s\n", samples_path,
				strerror(errno));
	}
	/* the header, which samples_check() skips, in either file */
	if (st.samples != NULL)
		fprintf(st.samples, "figure,driver,bulk,cache,lcores,objects,depth,write,rep,ns_per_obj,pingpong_ns,core_before,core_after\n");

	printf("%s: %s, %u lcore(s), TSC %" PRIu64 " MHz, %s, %u ms x %u reps per figure\n",
		conf->title, rte_version(), rte_lcore_count(),
		rte_get_tsc_hz() / 1000000,
		rte_eal_has_hugepages() ? "hugepages" : "no hugepages",
		conf->ms, conf->reps);
	printf("pools: %u and %u objects of %u B, %u kept per lcore; ns/obj: get+put of one object counted once, 2 lcores summed; pf/x = speed of pagefrag / speed of x (>1: pagefrag faster)\n",
		conf->n_small, conf->n_large, PERF_ELT_SIZE, PERF_KEEP);
	printf("second table: pools of %u", conf->n_pipe[0]);
	if (conf->n_pipe[1] > 0)
		printf(" and %u", conf->n_pipe[1]);
	printf(" objects%s%s\n", conf->figures != NULL ? "; figures: " : "",
		conf->figures != NULL ? conf->figures : "");

	if (probe_drivers(&st) != 0) {
		if (st.csv != NULL)
			fclose(st.csv);
		if (st.samples != NULL)
			fclose(st.samples);
		return TEST_FAILED;
	}
	if (st.worker >= RTE_MAX_LCORE)
		printf("one lcore only: 2-lcore figures skipped (use -l 0-1)\n");

	printf("\n");
	print_header();
	if (fig_enabled(&st, "getput"))
		fig_getput(&st);
	if (fig_enabled(&st, "touch"))
		fig_touch(&st);
	if (fig_enabled(&st, "teardown"))
		fig_teardown(&st);
	fig_remote(&st);
	if (fig_enabled(&st, "refill"))
		fig_refill(&st);
	if (fig_enabled(&st, "copybreak"))
		fig_copybreak(&st);
	if (fig_enabled(&st, "memory"))
		fig_memory(&st);

	if (st.csv != NULL) {
		fclose(st.csv);
		printf("CSV written to %s\n", csv_path);
	}
	if (st.samples != NULL) {
		fflush(st.samples);
		if (conf->check_samples &&
				samples_check(st.samples, conf->reps) != 0)
			st.failed = 1;
		fclose(st.samples);
		printf("repetitions written to %s\n", samples_path);
	}
	return st.failed ? TEST_FAILED : TEST_SUCCESS;
}

/*
 * PAGEFRAG_PERF_PIPE_POOLS=n[,m]: the pools of the second table, m = 0
 * for one; a bad value keeps the defaults and says so.
 */
static void
pipe_pools(struct perf_conf *conf)
{
	const char *s = getenv("PAGEFRAG_PERF_PIPE_POOLS");
	unsigned long n, m = 0;
	char *end;

	if (s == NULL || *s == '\0')
		return;
	n = strtoul(s, &end, 0);
	if (*end == ',')
		m = strtoul(end + 1, &end, 0);
	if (*end != '\0' || n < PERF_PIPE_MIN || n > PERF_PIPE_MAX ||
			(m != 0 && (m < PERF_PIPE_MIN || m > PERF_PIPE_MAX))) {
		printf("PAGEFRAG_PERF_PIPE_POOLS=%s ignored: one or two pool sizes from %u to %u, comma-separated\n",
			s, PERF_PIPE_MIN, PERF_PIPE_MAX);
		return;
	}
	conf->n_pipe[0] = n;
	conf->n_pipe[1] = m;
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
		.n_pipe = { 16384, 65536 },
		.figures = getenv("PAGEFRAG_PERF_FIGURES"),
	};

	conf.reps = RTE_MIN(RTE_MAX(conf.reps, PERF_MIN_REPS), PERF_MAX_REPS);
	pipe_pools(&conf);
	return perf_run(&conf);
}

/*
 * A few ms per figure on small pools: shows the benchmark works, and
 * checks its repetition rows.
 */
static int
test_pagefrag_perf_smoke(void)
{
	struct perf_conf conf = {
		.title = "pagefrag_perf_smoke",
		.ms = env_uint("PAGEFRAG_PERF_MS", 2),
		.reps = PERF_MIN_REPS,
		.n_small = 8192,
		.n_large = 32768,
		.pp_rounds = 100,
		.n_pipe = { 6144, 0 },
		.figures = getenv("PAGEFRAG_PERF_FIGURES"),
		.check_samples = 1,
	};

	return perf_run(&conf);
}

/*
 * Instructions per get+put (devtools/icount.sh): per cache size, driver and
 * bulk, one warm-up chunk of the bulk figure's loop, then one chunk of
 * PERF_CHUNK_OBJS objects between a zero and a dump of callgrind's
 * counters named "icount <driver> bulk <b> cache <c> objs <n>". The count
 * is exact, where the timed figures swing with the host. Outside
 * callgrind the client requests do nothing, and the command checks the
 * loops and that every pool is full afterwards.
 */
static int
test_pagefrag_perf_icount(void)
{
	static const unsigned int caches[] = { 0, 256 };
	static const unsigned int bulks[] = { 1, 8, 32, 128 };
	struct perf_conf conf = { .title = "pagefrag_perf_icount" };
	struct perf_state st;
	struct perf_pool pool;
	unsigned int c, d, b, w;
	char name[96];
	int ret;

	memset(&st, 0, sizeof(st));
	st.conf = &conf;
	printf("%s: %s a chunk of %u objects per driver, bulk and cache (callgrind requests %s)\n",
		conf.title, RUNNING_ON_VALGRIND ?
		"callgrind counts" : "not under callgrind: runs", PERF_CHUNK_OBJS,
#ifdef PF_HAVE_CALLGRIND
		"compiled in"
#else
		"compiled out"
#endif
		);
	if (probe_drivers(&st) != 0)
		return TEST_FAILED;
	for (c = 0; c < RTE_DIM(caches); c++) {
		for (d = 0; d < DRV_NB; d++) {
			if (!st.loaded[d])
				continue;
			ret = pool_create(&st, &pool, d, PERF_N_SMALL,
					caches[c]);
			if (ret != 0) {
				printf("ERROR: %s pool not created: %s\n",
					drv_name[d], rte_strerror(-ret));
				return TEST_FAILED;
			}
			for (b = 0; b < RTE_DIM(bulks); b++) {
				perf_args[0] = (struct perf_lcore){
					.mp = pool.mp,
					.bulk = bulks[b],
				};
				/* named first: the count holds the loop only */
				snprintf(name, sizeof(name),
					"icount %s bulk %u cache %u objs %u",
					drv_name[d], bulks[b], caches[c],
					PERF_CHUNK_OBJS);
				/* dur_tsc 0: one chunk; the first one warms */
				for (w = 0; w < 2; w++) {
					if (w == 1)
						CALLGRIND_ZERO_STATS;
					perf_loop(&perf_args[0]);
					if (perf_args[0].ret != 0)
						break;
				}
				CALLGRIND_DUMP_STATS_AT(name);
				if (perf_args[0].ret != 0) {
					printf("ERROR: %s: get failed (%d)\n",
						name, perf_args[0].ret);
					st.failed = 1;
				} else if (perf_args[0].objs != PERF_CHUNK_OBJS) {
					printf("ERROR: %s: %" PRIu64 " objects, not %u\n",
						name, perf_args[0].objs,
						PERF_CHUNK_OBJS);
					st.failed = 1;
				}
			}
			pool_check_full(&st, &pool, "icount");
			pool_free(&pool);
		}
	}
	return st.failed ? TEST_FAILED : TEST_SUCCESS;
}

REGISTER_TEST_COMMAND(pagefrag_perf_autotest, test_pagefrag_perf);
REGISTER_TEST_COMMAND(pagefrag_perf_icount, test_pagefrag_perf_icount);
REGISTER_TEST_COMMAND(pagefrag_perf_smoke, test_pagefrag_perf_smoke);
