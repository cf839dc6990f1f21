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
# The host's phase: each run is "fast" or "slow" by the median cache-line
# ping-pong its 2-lcore figures measured (below or above PERF_AB_PHASE_NS,
# 250). When the runs span both phases, a second table gives the medians
# of each phase apart (runs count in brackets), flagged the same way: a
# phase can move a figure by more than a change does, and the medians over
# all runs then say which phase had more runs of each build.
# Environment: PAGEFRAG_PERF_MS, PAGEFRAG_PERF_REPS, PAGEFRAG_PERF_FIGURES
# as for the autotest (defaults here: 60 ms, 5 reps, bulk,fifo,pipeline,getput),
# PERF_AB_EAL (EAL arguments, default "-l 0-1 --no-pci"), PERF_AB_OUT
# (directory for the CSVs, default a new one under /tmp), PERF_AB_PHASE_NS
# (the ping-pong in ns between the fast and the slow phase, 250).
# PERF_AB_ANALYSE=1 only prints the tables of the CSVs already in
# PERF_AB_OUT (RUNS of each build), without running anything.
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
	[ "${PERF_AB_ANALYSE:-0}" = 1 ] && break
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
python3 - "$out" "$runs" "${PERF_AB_PHASE_NS:-250}" <<'PY'
import csv, statistics, sys
out, runs, phase_ns = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
def phase(path):
    """'fast', 'slow', or None: the median ping-pong of the run"""
    pp = []
    for r in csv.DictReader(open(path)):
        v = r['ns_per_obj'] if r['figure'] == 'pingpong' else r.get('pingpong_ns')
        if v:
            pp.append(float(v))
    if not pp:
        return None
    return 'fast' if statistics.median(pp) < phase_ns else 'slow'
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
def label(k):
    return ' '.join(f'{x}' for x in k if x != '')
med, own, byphase = {}, {}, {}
counts = {(side, ph): 0 for side in ('before', 'after')
          for ph in ('fast', 'slow', None)}
for side in ('before', 'after'):
    acc, accns = {}, {}
    for i in range(1, runs + 1):
        path = f'{out}/{side}-{i}.csv'
        ph = phase(path)
        counts[(side, ph)] += 1
        for k, (x, t) in figures(path).items():
            acc.setdefault(k, []).append(x)
            accns.setdefault(k, []).append(t)
            byphase.setdefault((side, ph, k), []).append((x, t))
    med[side] = {k: statistics.median(v) for k, v in acc.items()}
    own[side] = {k: statistics.median(v) for k, v in accns.items()}
def verdict(b, a, tb, ta):
    """change of the ratio, of pagefrag's own time, and the flag"""
    d, dt = a / b - 1, ta / tb - 1
    # a ratio that drops while pagefrag's own time holds is ring_mp_mc
    # moving (2-lcore figures follow the host's vCPU placement)
    flag = ''
    if d < -0.03:
        flag = '  slower' if dt > 0.03 else '  ratio only (own time within 3 %)'
    return d, dt, flag
print(f'{"figure":44} {"before":>7} {"after":>7} {"change":>8} {"pf ns":>8}   (pagefrag speed / ring_mp_mc speed, medians of {runs} runs; pf ns: change of pagefrag\'s own time per object, + is slower)')
slower = 0
for k in sorted(med['before']):
    if k not in med['after']:
        continue
    b, a = med['before'][k], med['after'][k]
    d, dt, flag = verdict(b, a, own['before'][k], own['after'][k])
    slower += flag == '  slower'
    print(f'{label(k):44} {b:7.2f} {a:7.2f} {d:+8.1%} {dt:+8.1%}{flag}')
print(f'{slower} figure(s) more than 3 % slower in ratio and in own time; CSVs and logs in {out}')
print('runs by phase (ping-pong below/above %g ns): ' % phase_ns + ', '.join(
    f'{side} {ph or "unknown"} {n}' for (side, ph), n in counts.items() if n))
runs_in = {ph: counts[('before', ph)] + counts[('after', ph)]
           for ph in ('fast', 'slow')}
if not (runs_in['fast'] and runs_in['slow']):
    sys.exit(0)
phases = [ph for ph in ('fast', 'slow')
          if counts[('before', ph)] and counts[('after', ph)]]
print(f'\nby phase: medians of the runs of each phase [runs]; a phase with runs of one build only is left out')
slower = 0
for ph in phases:
    print(f'{ph} phase')
    for k in sorted(med['before']):
        bb = byphase.get(('before', ph, k))
        aa = byphase.get(('after', ph, k))
        if not bb or not aa:
            continue
        b = statistics.median(x for x, _ in bb)
        a = statistics.median(x for x, _ in aa)
        d, dt, flag = verdict(b, a, statistics.median(t for _, t in bb),
                              statistics.median(t for _, t in aa))
        slower += flag == '  slower'
        print(f'  {label(k):42} {b:7.2f} {a:7.2f} {d:+8.1%} {dt:+8.1%}  [{len(bb)}, {len(aa)}]{flag}')
print(f'{slower} figure(s) more than 3 % slower within a phase')
PY
