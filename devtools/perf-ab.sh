#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
#
# Before and after: the side-by-side benchmark (pagefrag_perf_autotest) of
# two builds of pagefrag, interleaved, to tell whether a change made any
# figure slower:
#
#     bash devtools/perf-ab.sh BUILD_BEFORE BUILD_AFTER [RUNS]
#
# Runs dpdk-test-pagefrag of each build in turn, RUNS times (5), each run
# writing its CSV (PAGEFRAG_PERF_CSV). For every figure it takes pagefrag's
# speed relative to ring_mp_mc measured in the same run (x/ring: the host's
# noise of the minute cancels out), the median over the runs of each
# build, and prints both medians and after/before - 1, next to the change
# of pagefrag's own time per object. A figure is flagged "slower" when the
# after ratio is more than 3 % below the before one and pagefrag's own time
# grew by more than 3 %; a ratio that drops alone is ring_mp_mc's time
# moving (2-lcore figures follow where the host puts the vCPUs).
# Environment: PAGEFRAG_PERF_MS, PAGEFRAG_PERF_REPS, PAGEFRAG_PERF_FIGURES
# as for the autotest (defaults here: 60 ms, 5 reps, bulk,fifo,pipeline,getput),
# PERF_AB_EAL (EAL arguments, default "-l 0-1 --no-pci"), PERF_AB_OUT
# (directory for the CSVs, default a new one under /tmp).
set -euo pipefail
[ $# -ge 2 ] || { sed -n '5,/^$/s/^# \{0,1\}//p' "$0"; exit 2; }
before=$1 after=$2 runs=${3:-5}
out=${PERF_AB_OUT:-$(mktemp -d /tmp/perf-ab.XXXXXX)}
mkdir -p "$out"
export PAGEFRAG_PERF_MS=${PAGEFRAG_PERF_MS:-60}
export PAGEFRAG_PERF_REPS=${PAGEFRAG_PERF_REPS:-5}
export PAGEFRAG_PERF_FIGURES=${PAGEFRAG_PERF_FIGURES:-bulk,fifo,pipeline,getput}
read -r -a eal <<< "${PERF_AB_EAL:--l 0-1 --no-pci}"
for ((i = 1; i <= runs; i++)); do
	for side in before after; do
		b=$before
		[ $side = after ] && b=$after
		PAGEFRAG_PERF_CSV=$out/$side-$i.csv \
			"$b/app/test-pagefrag/dpdk-test-pagefrag" "${eal[@]}" \
			--file-prefix=perf_ab_$$ -- pagefrag_perf_autotest \
			> "$out/$side-$i.log" 2>&1 ||
			{ echo "run $i of $side failed: $out/$side-$i.log" >&2; exit 1; }
	done
	echo "run $i of $runs done" >&2
done
python3 - "$out" "$runs" <<'PY'
import csv, statistics, sys
out, runs = sys.argv[1], int(sys.argv[2])
def figures(path):
    """{figure key: (pagefrag/ring speed ratio, pagefrag ns per object)}"""
    rows = list(csv.DictReader(open(path)))
    key = lambda r: (r['figure'], r['bulk'], r['cache'], r['lcores'],
                     r.get('objects', ''), r.get('depth', ''), r.get('write', ''))
    ns = {}
    for r in rows:
        if r['figure'] in ('pingpong', 'memory') or not r['ns_per_obj']:
            continue
        ns.setdefault(key(r), {})[r['driver']] = float(r['ns_per_obj'])
    return {k: (v['ring_mp_mc'] / v['pagefrag'], v['pagefrag'])
            for k, v in ns.items()
            if 'pagefrag' in v and 'ring_mp_mc' in v and v['pagefrag'] > 0}
med, own = {}, {}
for side in ('before', 'after'):
    acc, accns = {}, {}
    for i in range(1, runs + 1):
        for k, (x, t) in figures(f'{out}/{side}-{i}.csv').items():
            acc.setdefault(k, []).append(x)
            accns.setdefault(k, []).append(t)
    med[side] = {k: statistics.median(v) for k, v in acc.items()}
    own[side] = {k: statistics.median(v) for k, v in accns.items()}
print(f'{"figure":44} {"before":>7} {"after":>7} {"change":>8} {"pf ns":>8}   (pagefrag speed / ring_mp_mc speed, medians of {runs} runs; pf ns: change of pagefrag\'s own time per object, + is slower)')
slower = 0
for k in sorted(med['before']):
    if k not in med['after']:
        continue
    b, a = med['before'][k], med['after'][k]
    d = a / b - 1
    dt = own['after'][k] / own['before'][k] - 1
    # a ratio that drops while pagefrag's own time holds is ring_mp_mc
    # moving (2-lcore figures follow the host's vCPU placement)
    flag = ''
    if d < -0.03:
        flag = '  slower' if dt > 0.03 else '  ratio only (own time within 3 %)'
    slower += flag == '  slower'
    name = ' '.join(f'{x}' for x in k if x != '')
    print(f'{name:44} {b:7.2f} {a:7.2f} {d:+8.1%} {dt:+8.1%}{flag}')
print(f'{slower} figure(s) more than 3 % slower in ratio and in own time; CSVs and logs in {out}')
PY
