/* SPDX-License-Identifier: BSD-3-Clause
 * Copyright(c) 2026 The pagefrag authors
 */

/* Helpers shared by the autotests: pool creation and the shadow map. */

#include <libgen.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <rte_cycles.h>
#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mempool.h>

#include <rte_mempool_pagefrag.h>

#include "test_pagefrag_util.h"

struct rte_mempool *
pf_test_pool(const char *name, unsigned int n, unsigned int elt_size,
		unsigned int cache, unsigned int flags)
{
	struct rte_mempool *mp;
	int ret;

	mp = rte_mempool_create_empty(name, n, elt_size, cache, 0,
		SOCKET_ID_ANY, flags);
	if (mp == NULL) {
		printf("cannot create pool %s: %s\n", name,
			rte_strerror(rte_errno));
		return NULL;
	}
	ret = rte_mempool_set_ops_byname(mp, RTE_MEMPOOL_PAGEFRAG_OPS_NAME,
		NULL);
	if (ret == 0)
		ret = rte_mempool_populate_default(mp);
	if (ret < 0) {
		printf("cannot populate pool %s: %s\n", name, rte_strerror(-ret));
		rte_mempool_free(mp);
		rte_errno = -ret;
		return NULL;
	}
	return mp;
}

uint64_t
pf_test_atomics(struct rte_mempool *mp)
{
	struct rte_mempool_pagefrag_stats st;

	rte_mempool_pagefrag_stats_get(mp, &st);
	return st.atomics;
}

int
pf_test_cmp_ptr(const void *a, const void *b)
{
	uintptr_t x = *(const uintptr_t *)a, y = *(const uintptr_t *)b;

	return x < y ? -1 : x > y;
}

static void
collect(struct rte_mempool *mp, void *arg, void *obj, unsigned int i)
{
	RTE_SET_USED(mp);
	((uintptr_t *)arg)[i] = (uintptr_t)obj;
}

uintptr_t *
pf_test_obj_addrs(struct rte_mempool *mp)
{
	uintptr_t *addrs = calloc(mp->size, sizeof(uintptr_t));

	if (addrs == NULL)
		return NULL;
	rte_mempool_obj_iter(mp, collect, addrs);
	qsort(addrs, mp->populated_size, sizeof(uintptr_t), pf_test_cmp_ptr);
	return addrs;
}

int
pf_test_obj_index(const uintptr_t *addrs, unsigned int n, const void *obj)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (addrs[mid] < (uintptr_t)obj)
			lo = mid + 1;
		else
			hi = mid;
	}
	return (lo < n && addrs[lo] == (uintptr_t)obj) ? (int)lo : -1;
}

/* Send cmd on a new connection; the JSON reply goes into buf. */
int
pf_test_telemetry_query(const char *cmd, char *buf, size_t len)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	ssize_t n;
	int fd;

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s/dpdk_telemetry.v2",
		rte_eal_get_runtime_dir());
	fd = socket(AF_UNIX, SOCK_SEQPACKET, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0) {
		printf("cannot connect to %s\n", addr.sun_path);
		close(fd);
		return -1;
	}
	n = read(fd, buf, len - 1);	/* greeting: version, pid */
	if (n <= 0 || write(fd, cmd, strlen(cmd)) < 0) {
		close(fd);
		return -1;
	}
	n = read(fd, buf, len - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return 0;
}

/* Where the value of "key": starts in json, or NULL. */
static const char *
json_value(const char *json, const char *key)
{
	char pat[64];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(json, pat);
	return p != NULL ? p + strlen(pat) : NULL;
}

int
pf_test_json_u64(const char *json, const char *key, uint64_t *v)
{
	const char *p = json_value(json, key);

	if (p == NULL)
		return -1;
	*v = strtoull(p, NULL, 10);
	return 0;
}

int
pf_test_json_int(const char *json, const char *key, int64_t *v)
{
	const char *p = json_value(json, key);

	if (p == NULL)
		return -1;
	*v = strtoll(p, NULL, 10);
	return 0;
}

int
pf_test_json_obj(const char *json, const char *key, char *out, size_t len)
{
	char pat[64];
	const char *p, *end;

	snprintf(pat, sizeof(pat), "\"%s\":{", key);
	p = strstr(json, pat);
	if (p == NULL)
		return -1;
	p += strlen(pat) - 1;
	end = strchr(p, '}');
	if (end == NULL || (size_t)(end - p + 2) > len)
		return -1;
	memcpy(out, p, end - p + 1);
	out[end - p + 1] = '\0';
	return 0;
}

static const char * const *secondary_wrapper;

void
pf_test_secondary_wrapper(const char * const *argv)
{
	secondary_wrapper = argv;
}

pid_t
pf_test_spawn_secondary(const char *lcores, const char *cmd)
{
	char exe[4096], prefix[256], lc[64], *rt;
	ssize_t len;
	pid_t pid;

	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (len <= 0)
		return -1;
	exe[len] = '\0';
	rt = strdup(rte_eal_get_runtime_dir());
	if (rt == NULL)
		return -1;
	snprintf(prefix, sizeof(prefix), "--file-prefix=%s", basename(rt));
	free(rt);
	snprintf(lc, sizeof(lc), "--lcores=%s", lcores);
	fflush(stdout);
	pid = fork();
	if (pid == 0) {
		const char *args[] = { exe, lc, "--no-pci", "--proc-type=secondary",
			prefix, "--log-level=lib.eal:error", "--", cmd, NULL };
		const char *argv[32];
		unsigned int i = 0, j;

		for (j = 0; secondary_wrapper != NULL &&
				secondary_wrapper[j] != NULL && i < 20; j++)
			argv[i++] = secondary_wrapper[j];
		for (j = 0; j < RTE_DIM(args); j++)
			argv[i++] = args[j];
		execvp(argv[0], (char * const *)(uintptr_t)argv);
		_exit(127);
	}
	return pid;
}

int
pf_test_wait_for(volatile int *v, int value, double seconds)
{
	uint64_t end = rte_get_timer_cycles() +
		(uint64_t)(seconds * rte_get_timer_hz());

	while (*v != value && rte_get_timer_cycles() < end)
		usleep(1000);
	return *v == value ? 0 : -1;
}

pid_t
pf_test_start_secondary(const char *lcores, const char *cmd,
		volatile int *ready, int value, double seconds)
{
	unsigned int attempt;
	int status = 0;

	for (attempt = 0; attempt < 3; attempt++) {
		uint64_t end = rte_get_timer_cycles() +
			(uint64_t)(seconds * rte_get_timer_hz());
		pid_t pid = pf_test_spawn_secondary(lcores, cmd);

		if (pid < 0)
			return -1;
		while (*ready != value && rte_get_timer_cycles() < end) {
			if (waitpid(pid, &status, WNOHANG) == pid)
				break;
			usleep(1000);
		}
		if (*ready == value)
			return pid;
		if (rte_get_timer_cycles() >= end) {
			kill(pid, SIGKILL);
			waitpid(pid, NULL, 0);
			return -1;
		}
		printf("secondary process exited before attaching (status %#x), starting it again\n",
			status);
	}
	return -1;
}

int
pf_test_log_begin(struct pf_test_log *log)
{
	memset(log, 0, sizeof(*log));
	/* the driver's log type: registering it again returns its id */
	log->type = rte_log_register("pmd.mempool.pagefrag");
	if (log->type < 0)
		return -1;
	log->f = open_memstream(&log->text, &log->len);
	if (log->f == NULL)
		return -1;
	log->level = rte_log_get_level(log->type);
	rte_log_set_level(log->type, RTE_LOG_NOTICE);
	rte_openlog_stream(log->f);
	return 0;
}

char *
pf_test_log_end(struct pf_test_log *log)
{
	rte_openlog_stream(NULL);
	rte_log_set_level(log->type, log->level);
	fclose(log->f);
	return log->text;
}

unsigned int
pf_test_log_driver_lines(const char *text, const char *what)
{
	const char *line = text, *end, *in;
	unsigned int n = 0;
	size_t len;

	while (line != NULL && *line != '\0') {
		end = strchr(line, '\n');
		len = end != NULL ? (size_t)(end - line) : strlen(line);
		/* the first " PAGEFRAG: " of the text: in this line or not */
		in = strstr(line, " PAGEFRAG: ");
		if (strncmp(line, "PAGEFRAG: ", strlen("PAGEFRAG: ")) == 0 ||
				(in != NULL && in < line + len)) {
			printf("%s: %.*s\n", what, (int)len, line);
			n++;
		}
		line = end != NULL ? end + 1 : NULL;
	}
	return n;
}
