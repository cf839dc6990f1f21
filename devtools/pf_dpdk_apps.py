#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
# Copyright(c) 2026 The pagefrag authors
"""Runs DPDK's applications on the pagefrag ops and judges their output.

The one place where the output of dpdk-testpmd, dpdk-test (DPDK's, and
pagefrag's autotests run by meson) and dpdk-l2fwd-frag is parsed, for
devtools/test.sh (through devtools/dpdk-checks.sh), devtools/package.sh,
devtools/perf-compare.sh and devtools/demo.sh. Python 3 standard library
only.

    pf_dpdk_apps.py fwd --log LOG [--seconds N] [--lcore-cache L]
                    [--driver-log-ok] [--expect-mapped FILE] -- TESTPMD-ARGS
        Interactive dpdk-testpmd (stdin a pipe): waits for each "testpmd> "
        prompt, "start tx_first", N seconds, "stop", the mempool dump,
        "quit". Passes when both ports forwarded, the pool mb_pool_0 is on
        the pagefrag ops (the preferred ops), every mbuf is back in it
        after "stop" (cache + common pool = size), the driver logged no
        "PAGEFRAG: " line (unless --driver-log-ok), lcore L's mempool cache
        was used, and testpmd exited with status 0; with --expect-mapped,
        FILE is the library of that name testpmd mapped.

    pf_dpdk_apps.py fwd-mp --log LOG [--seconds N] [--lcore-cache L]
                    -- PRIMARY-ARGS :: SECONDARY-ARGS
        A primary testpmd and a secondary one forwarding from its pool
        (the secondary's log in LOG-secondary.log, appended to LOG): both
        forward; the primary's pool checks as above after both stopped.

    pf_dpdk_apps.py autotest --log LOG --test NAME [--sanitize]
                    -- DPDK-TEST-ARGS
        DPDK_TEST=NAME dpdk-test: exit status 0 and "Test OK"; with
        --sanitize the sanitizer runtimes are preloaded and any sanitizer
        report fails.

    pf_dpdk_apps.py rate --log LOG --samples N --ops DRIVER -- TESTPMD-ARGS
        Non-interactive testpmd with --stats-period=1: N+1 "Port statistics"
        blocks, then SIGINT; prints the forwarded rates (Tx-pps summed over
        the ports) of blocks 2..N+1, one a line (nothing on a failure),
        when the pool is on the ops DRIVER.

    pf_dpdk_apps.py vhost-pair --log LOG --samples N --ops DRIVER
                    --socket PATH -- RX-ARGS :: TX-ARGS
        The rxonly (vhost, socket server) testpmd, then once PATH exists the
        txonly one; prints N per-second Rx rates of the rxonly side from
        the first second with traffic on, that partial second dropped.

    pf_dpdk_apps.py parse testpmd|l2fwd-frag LOG [--fields F1,F2...]
                    [--period S] [--blocks N]
        What the log of a testpmd or an l2fwd-frag (or DPDK l2fwd) run
        says: with --fields, those figures on one line ("-" where absent;
        a list counts its items), else all of it as JSON. l2fwd: mpps is
        the median rate between its statistics blocks, S seconds apart
        (the first N blocks only, with --blocks).

    pf_dpdk_apps.py meson-results JSON LOGDIR PREFIX [--sanitize]
        The verdict of each test of a "meson test" run (its testlog JSON),
        one line each: PASS|FAIL|SKIP, name, seconds, reason (tab
        separated); each test's output goes to LOGDIR/PREFIX-<test>.log.
        "Test Skipped" or exit status 77 is a skip; with --sanitize, a
        sanitizer report fails.

Every run writes its whole result as JSON (--json FILE, default LOG with
.json for .log) and its verdict as the last line of LOG; fwd, fwd-mp and
autotest also print it: a summary (exit 0) or what is wrong (exit 1).
"""

import argparse
import json
import os
import re
import select
import signal
import subprocess
import sys
import time

PROMPT = b"testpmd> "
SANITIZER_RE = re.compile(
    r"ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|"
    r"UndefinedBehaviorSanitizer|SUMMARY: [A-Za-z]*Sanitizer")
DRIVER_RE = re.compile(r"PAGEFRAG: ")


class Failed(Exception):
    """A run that went wrong: the message is the verdict."""


# ------------------------------------------------------------------ testpmd

class Testpmd:
    """One dpdk-testpmd process, its stdin a pipe, its output appended to
    a log file as it comes (read here, to see the prompts)."""

    def __init__(self, args, log, deadline, testpmd="dpdk-testpmd"):
        self.log = open(log, "ab")
        self.log.write(("+ %s %s\n" % (testpmd, " ".join(args))).encode())
        self.log.flush()
        self.out = b""
        self.deadline = deadline
        self.rc = None
        # line-buffered output: the log follows the run
        self.proc = subprocess.Popen(
            ["stdbuf", "-oL", "-eL", testpmd] + args,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT)
        os.set_blocking(self.proc.stdout.fileno(), False)

    def pump(self, timeout):
        """Read what testpmd printed within timeout seconds; False once
        its output is closed."""
        fd = self.proc.stdout.fileno()
        r, _, _ = select.select([fd], [], [], max(timeout, 0))
        if not r:
            return True
        try:
            data = os.read(fd, 65536)
        except BlockingIOError:
            return True
        if not data:
            return False
        self.out += data
        self.log.write(data)
        self.log.flush()
        return True

    def wait_for(self, cond, timeout=None):
        """Read until cond(output) holds; False when testpmd ends or the
        time (timeout, or the run's deadline) is up first."""
        end = self.deadline if timeout is None else min(
            self.deadline, time.monotonic() + timeout)
        while not cond(self.out):
            left = end - time.monotonic()
            if left <= 0 or not self.pump(min(left, 0.2)):
                return cond(self.out)
        return True

    def prompts(self):
        return self.out.count(PROMPT)

    def cmd(self, text, wait=True):
        """Send one command; with wait, read until the next prompt."""
        n = self.prompts()
        try:
            self.proc.stdin.write((text + "\n").encode())
            self.proc.stdin.flush()
        except (BrokenPipeError, ValueError):
            return False
        return not wait or self.wait_for(lambda o: o.count(PROMPT) > n)

    def sleep(self, seconds):
        """Keep reading for seconds (the log follows)."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if not self.pump(min(end - time.monotonic(), 0.2)):
                time.sleep(max(0, min(end - time.monotonic(), 0.2)))

    def finish(self, grace=20, sig=None):
        """Wait for testpmd to exit (after sig, if given), SIGKILL after
        grace seconds or at the deadline; returns the exit status."""
        if sig is not None and self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            self.proc.stdin.close()
        except (BrokenPipeError, OSError):
            pass
        end = min(time.monotonic() + grace, max(self.deadline, time.monotonic() + 1))
        while self.proc.poll() is None and time.monotonic() < end:
            self.pump(0.2)
        if self.proc.poll() is None:
            self.proc.kill()
            self.log.write(b"\n[killed: no exit in time]\n")
        self.proc.wait()
        while self.pump(0):
            pass
        self.log.close()
        self.rc = self.proc.returncode
        return self.rc

    def mapped(self, name):
        """The files of the libraries named name testpmd has mapped."""
        try:
            with open("/proc/%d/maps" % self.proc.pid) as f:
                return sorted({l.split()[-1] for l in f if name in l})
        except OSError:
            return []

    def text(self):
        return self.out.decode(errors="replace")


def dump_mempool(tp):
    """The mempool dump: "dump_mempool" up to DPDK 24.11, "dump mempool"
    from 25.11 (the other one answers "Command not found")."""
    tp.cmd("dump_mempool")
    tp.cmd("dump mempool")


def parse_testpmd(text, lcore=None):
    """What a testpmd log says: the preferred ops, the pool mb_pool_0 from
    the mempool dump, the forward statistics per port, the driver's lines,
    the per-second rates of --stats-period."""
    r = {"preferred_ops": None, "pool": {}, "ports": {}, "driver_lines": [],
         "tx_pps": [], "rx_pps": [], "accumulated_tx": None}
    inpool = inport = False
    port = None
    block = None
    acc = False
    for line in text.splitlines():
        m = re.search(r"preferred mempool ops selected: (\S+)", line)
        if m:
            r["preferred_ops"] = m.group(1)
        m = re.search(r"mempool <([^>]*)>@", line)
        if m:
            inpool = m.group(1) == "mb_pool_0"
        if inpool:
            pool = r["pool"]
            m = re.search(r"ops_name: <([^>]*)>", line)
            if m:
                pool["ops"] = m.group(1)
            for key in ("size", "total_cache_count", "common_pool_count"):
                m = re.search(r"(?:^|[ >])%s=(\d+)" % key, line)
                if m:
                    pool[key] = int(m.group(1))
            if lcore is not None:
                m = re.search(r"cache_count\[%d\]=(\d+)" % lcore, line)
                if m:
                    pool["lcore_cache"] = int(m.group(1))
        m = re.search(r"Forward statistics for port (\d+)", line)
        if m:
            port, inport = m.group(1), True
        if "Accumulated forward statistics" in line:
            inport, acc = False, True
        for key, field in (("rx", "RX-packets"), ("tx", "TX-packets")):
            m = re.search(r"%s:? *(\d+)" % field, line)
            if m and inport:
                r["ports"].setdefault(port, {})[key] = int(m.group(1))
            if m and acc and key == "tx" and r["accumulated_tx"] is None:
                r["accumulated_tx"] = int(m.group(1))
        if "Port statistics ====" in line:
            r["tx_pps"].append(0)
            r["rx_pps"].append(0)
            block = True
        if block:
            f = line.split()
            if len(f) >= 2 and f[0] in ("Tx-pps:", "Rx-pps:"):
                r["tx_pps" if f[0] == "Tx-pps:" else "rx_pps"][-1] += int(f[1])
        if DRIVER_RE.search(line):
            r["driver_lines"].append(line)
    return r


def judge_fwd(r, pool=True, lcore=None, driver_log_ok=False):
    """What is wrong in a parsed forwarding run (a list), and its summary."""
    err = []
    drv = r["driver_lines"]
    if drv and not driver_log_ok:
        err.append("the driver logged %d line(s) at NOTICE or above, first: %s"
                   % (len(drv), drv[0]))
    for p in ("0", "1"):
        c = r["ports"].get(p, {})
        if not (c.get("rx", 0) > 0 and c.get("tx", 0) > 0):
            err.append("port %s forwarded RX %d TX %d packets"
                       % (p, c.get("rx", 0), c.get("tx", 0)))
    mp = r["pool"]
    if pool:
        if r["preferred_ops"] != "pagefrag":
            err.append("pagefrag not the preferred mempool ops")
        if mp.get("ops") != "pagefrag":
            err.append("mb_pool_0 ops_name is <%s>" % mp.get("ops", ""))
        cached = mp.get("total_cache_count")
        common = mp.get("common_pool_count")
        if cached is None and common is not None:
            cached = 0  # no mempool cache (cache_size=0)
        if common is None or mp.get("size", 0) <= 0:
            err.append("no pool counts in the mempool dump")
        elif cached + common != mp["size"]:
            err.append("mbufs lost: %d in caches + %d in pool != size %d"
                       % (cached, common, mp["size"]))
        if lcore is not None and not mp.get("lcore_cache", 0) > 0:
            err.append("lcore %d did not use the pool" % lcore)
    rx = sum(c.get("rx", 0) for c in r["ports"].values())
    tx = sum(c.get("tx", 0) for c in r["ports"].values())
    s = "forwarded %d/%d packets" % (rx, tx)
    if pool:
        s += ", pool ops %s, all %d mbufs back" % (mp.get("ops"), mp.get("size", 0))
    if lcore is not None:
        s += ", %d in lcore %d cache" % (mp.get("lcore_cache", 0), lcore)
    if drv:
        s += ", %d driver log line(s)" % len(drv)
    return err, s


def start(args, log, deadline, what, testpmd="dpdk-testpmd"):
    tp = Testpmd(args, log, deadline, testpmd)
    if not tp.wait_for(lambda o: PROMPT in o):
        rc = tp.finish(grace=5, sig=signal.SIGTERM)
        raise Failed("%s ended before its prompt, exit status %s" % (what, rc))
    return tp


def cmd_fwd(a, res):
    deadline = time.monotonic() + a.timeout
    tp = start(a.args, a.log, deadline, "testpmd")
    tp.cmd("start tx_first")
    tp.sleep(a.seconds)
    tp.cmd("stop")
    dump_mempool(tp)
    res["mapped"] = tp.mapped(a.expect_mapped_name) if a.expect_mapped else []
    tp.cmd("quit", wait=False)
    res["exit_status"] = rc = tp.finish()
    if rc != 0:
        raise Failed("exit status %d" % rc)
    r = parse_testpmd(tp.text(), a.lcore_cache)
    res["testpmd"] = r
    err, summary = judge_fwd(r, lcore=a.lcore_cache,
                             driver_log_ok=a.driver_log_ok)
    if a.expect_mapped:
        want = os.path.realpath(a.expect_mapped)
        if want not in res["mapped"]:
            err.append("%s is not mapped (mapped: %s)"
                       % (want, " ".join(res["mapped"]) or "none"))
        else:
            summary += ", %s mapped" % os.path.basename(want)
    return err, summary


def split_two(args):
    if "::" not in args:
        raise SystemExit("two command lines needed: ARGS :: ARGS")
    i = args.index("::")
    return args[:i], args[i + 1:]


def cmd_fwd_mp(a, res):
    pargs, sargs = split_two(a.args)
    slog = re.sub(r"\.log$", "", a.log) + "-secondary.log"
    open(slog, "w").close()
    deadline = time.monotonic() + a.timeout
    prim = start(pargs, a.log, deadline, "the primary")
    try:
        sec = start(sargs, slog, deadline, "the secondary")
    except Failed:
        prim.cmd("quit", wait=False)
        prim.finish()
        raise
    prim.cmd("start")
    sec.cmd("start")
    prim.sleep(a.seconds)
    sec.cmd("stop")
    prim.cmd("stop")
    sec.cmd("quit", wait=False)
    rc2 = sec.finish()
    dump_mempool(prim)
    prim.cmd("quit", wait=False)
    rc1 = prim.finish()
    res["exit_status"] = {"primary": rc1, "secondary": rc2}
    with open(a.log, "a") as f, open(slog) as s:
        f.write("==== secondary (%s)\n" % slog)
        f.write(s.read())
    if rc1 != 0 or rc2 != 0:
        raise Failed("exit status: primary %d, secondary %d" % (rc1, rc2))
    rp = parse_testpmd(prim.text(), a.lcore_cache)
    rs = parse_testpmd(sec.text())
    res["testpmd"] = {"primary": rp, "secondary": rs}
    err, summary = judge_fwd(rp, lcore=a.lcore_cache)
    if err:
        return err, summary
    err, s2 = judge_fwd(rs, pool=False)
    return err, summary + "; secondary: " + s2


# ------------------------------------------------------------------ rates

def cmd_rate(a, res):
    deadline = time.monotonic() + a.samples + 60
    tp = Testpmd(a.args, a.log, deadline, a.testpmd)
    ok = tp.wait_for(lambda o: o.count(b"Port statistics ====") > a.samples)
    tp.finish(sig=signal.SIGINT)
    r = parse_testpmd(tp.text())
    res["testpmd"] = r
    if not ok:
        raise Failed("testpmd ended or stalled before %d samples" % a.samples)
    if r["preferred_ops"] != a.ops:
        raise Failed("mempool ops %s not selected" % a.ops)
    # the first sample is the partial first second
    res["samples"] = r["tx_pps"][1:a.samples + 1]
    return [], "%d samples" % len(res["samples"])


def vhost_samples(r):
    """The Rx rates from the first second with traffic on, that partial
    second dropped."""
    rx = r["rx_pps"]
    on = [i for i, v in enumerate(rx) if v > 0]
    return rx[on[0] + 1:] if on else []


def cmd_vhost_pair(a, res):
    rxargs, txargs = split_two(a.args)
    deadline = time.monotonic() + a.samples + 60
    txlog = a.log + ".tx"
    open(txlog, "w").close()
    rxp = Testpmd(rxargs, a.log, deadline, a.testpmd)
    txp = None
    ok = False
    if rxp.wait_for(lambda o: os.path.exists(a.socket) or
                    rxp.proc.poll() is not None, timeout=30) and \
            os.path.exists(a.socket):
        txp = Testpmd(txargs, txlog, deadline, a.testpmd)
        while time.monotonic() < deadline:
            rxp.pump(0.1)
            txp.pump(0.1)
            if len(vhost_samples(parse_testpmd(rxp.text()))) >= a.samples:
                ok = True
                break
            if rxp.proc.poll() is not None or txp.proc.poll() is not None:
                break
        txp.finish(sig=signal.SIGINT)
    rxp.finish(sig=signal.SIGINT)
    r = parse_testpmd(rxp.text())
    t = parse_testpmd(txp.text()) if txp else {}
    res["testpmd"] = {"rx": r, "tx": t}
    with open(a.log, "a") as f, open(txlog) as s:
        f.write("---- txonly process\n")
        f.write(s.read())
    os.unlink(txlog)
    if not ok:
        raise Failed("fewer than %d samples with traffic on" % a.samples)
    for side, p in (("rxonly", r), ("txonly", t)):
        if p.get("preferred_ops") != a.ops:
            raise Failed("%s side: mempool ops %s not selected" % (side, a.ops))
    res["samples"] = vhost_samples(r)[:a.samples]
    return [], "%d samples" % len(res["samples"])


# ------------------------------------------------------------------ dpdk-test

def cmd_autotest(a, res):
    env = dict(os.environ, DPDK_TEST=a.test)
    if a.sanitize:
        # the plugin is sanitized, dpdk-test is not: preload the runtimes
        libs = [subprocess.run(["gcc", "-print-file-name=" + l],
                               capture_output=True, text=True).stdout.strip()
                for l in ("libasan.so", "libubsan.so")]
        env.update(LD_PRELOAD=" ".join(libs),
                   ASAN_OPTIONS="detect_leaks=0:halt_on_error=1:print_summary=1",
                   UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1:print_summary=1")
    cmd = ["dpdk-test"] + a.args
    with open(a.log, "ab") as log:
        log.write(("+ DPDK_TEST=%s %s\n" % (a.test, " ".join(cmd))).encode())
        log.flush()
        try:
            p = subprocess.run(cmd, env=env, stdout=log,
                               stderr=subprocess.STDOUT, timeout=a.timeout)
            rc = p.returncode
        except subprocess.TimeoutExpired:
            rc = 124
            log.write(b"\n[killed: timeout]\n")
    with open(a.log, errors="replace") as f:
        text = f.read()
    if not text.endswith("\n"):
        with open(a.log, "a") as f:
            f.write("\n")
    res["exit_status"] = rc
    res["test_ok"] = bool(re.search(r"^Test OK", text, re.M))
    res["sanitizer_reports"] = len(SANITIZER_RE.findall(text))
    if a.sanitize and res["sanitizer_reports"]:
        return ["sanitizer report"], ""
    if rc != 0 or not res["test_ok"]:
        return ['exit status %d, no "Test OK"' % rc], ""
    return [], "%s: Test OK" % a.test


def cmd_meson_results(a):
    for line in open(a.json):
        t = json.loads(line)
        name, res = t["name"], t["result"]
        out = (t.get("stdout") or "") + (t.get("stderr") or "")
        slug = re.sub(r"[^A-Za-z0-9_.]+", "-", a.prefix + " " + name).strip("-")
        with open("%s/%s.log" % (a.logdir, slug), "w") as f:
            f.write("+ " + " ".join(t.get("command", [])) + "\n" + out)
        reason = ""
        if a.sanitize and SANITIZER_RE.search(out):
            verdict, reason = "FAIL", "sanitizer report"
        elif res in ("OK", "EXPECTEDFAIL"):
            if re.search(r"^Test Skipped", out, re.M):
                verdict, reason = "SKIP", "Test Skipped"
            else:
                verdict = "PASS"
        elif res == "SKIP":
            verdict, reason = "SKIP", "exit status 77"
        else:
            verdict = "FAIL"
            rc = t.get("returncode")
            reason = res.lower() + (", exit status %s" % rc
                                    if rc not in (None, 0) else "")
        print("%s\t%s\t%d\t%s" % (verdict, name, round(t.get("duration", 0)),
                                    reason))
    return 0


# ------------------------------------------------------------------ l2fwd-frag

L2FWD_FIGURES = {
    # name: (regular expression, only within the summary)
    "forwarded": (r"^Packets forwarded: (\d+)", False),
    "l2fwd_sent": (r"^Total packets sent: *(\d+)", False),
    "copied": (r"packets copied into fragments: (\d+)", False),
    "frag_allocs": (r"^Fragments allocated: (\d+)", True),
    "frag_frees": (r"^Fragments freed: (\d+)", True),
    "drain_refs": (r"^Ring cache references drained at stop: (\d+)", True),
    "mem_per_pkt": (r"^Packet memory per packet in flight: (\d+)", True),
    "tsc_hz": (r"^TSC: (\d+) Hz", True),
    "cycles_per_pkt": (r"^Cycles per packet: ([\d.]+)", True),
    "atomics_pool": (r"^Atomics per packet: ([\d.]+) in the mbuf pools", True),
    "atomics_frag": (r"^Atomics per packet: .*, ([\d.]+) in fragment frees", True),
    "rate_mpps": (r"^Rate: ([\d.]+) Mpps", True),
}


def number(v):
    return float(v) if "." in v else int(v)


def median(v):
    v = sorted(v)
    n = len(v)
    return None if n == 0 else v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def parse_l2fwd(text, period=1.0, blocks=None):
    """The figures of l2fwd-frag's summary (the last of each), its leak
    check, the driver's lines; DPDK's l2fwd: its last "Total packets sent".
    Both: "Total packets sent" of each periodic statistics block until the
    application stops (sent_samples) and, with period the seconds between
    blocks (-T), the rate between consecutive blocks, the first such
    interval dropped (mpps_samples), and their median (mpps); with blocks,
    only the first blocks statistics blocks count (those printed before
    the traffic was stopped)."""
    r = {k: None for k in L2FWD_FIGURES}
    r["sent_samples"] = []
    insum = stopped = False
    for line in text.splitlines():
        if line.startswith("l2fwd-frag summary"):
            insum = True
        if re.search(r"^Signal \d+ received|^Closing port", line):
            stopped = True
        m = re.search(r"^Total packets sent: *(\d+)", line)
        if m and not stopped and (blocks is None or
                                  len(r["sent_samples"]) < blocks):
            r["sent_samples"].append(int(m.group(1)))
        for k, (rx, summary_only) in L2FWD_FIGURES.items():
            if summary_only and not insum:
                continue
            m = re.search(rx, line)
            if m:
                r[k] = number(m.group(1))
    s = r["sent_samples"]
    r["mpps_samples"] = [(b - a) / period / 1e6 for a, b in zip(s, s[1:])][1:]
    r["mpps"] = median(r["mpps_samples"])
    r["leak_check"] = ("OK" if re.search(r"^leak check: OK", text, re.M) else
                       "FAILED" if re.search(r"^leak check", text, re.M) else None)
    r["driver_lines"] = [l for l in text.splitlines() if DRIVER_RE.search(l)]
    return r


def cmd_parse(a):
    with open(a.log, errors="replace") as f:
        text = f.read()
    r = parse_testpmd(text) if a.app == "testpmd" else parse_l2fwd(text, a.period, a.blocks)
    if a.fields:
        out = []
        for k in a.fields.split(","):
            v = r.get(k)
            v = len(v) if isinstance(v, list) else v
            out.append("-" if v is None else str(v))
        print(" ".join(out))
    else:
        print(json.dumps(r, indent=1))
    return 0


# ------------------------------------------------------------------ main

def main():
    ap = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    runs = {}

    def add(name, fn, timeout):
        p = sub.add_parser(name)
        p.add_argument("--log", required=True)
        p.add_argument("--json")
        p.add_argument("--timeout", type=float, default=timeout)
        p.add_argument("--testpmd", default=os.environ.get("TESTPMD", "dpdk-testpmd"))
        p.add_argument("args", nargs=argparse.REMAINDER)
        runs[name] = fn
        return p

    for name, fn in (("fwd", cmd_fwd), ("fwd-mp", cmd_fwd_mp)):
        p = add(name, fn, 120)
        p.add_argument("--seconds", type=float, default=3)
        p.add_argument("--lcore-cache", type=int)
        if name == "fwd":
            p.add_argument("--driver-log-ok", action="store_true")
            p.add_argument("--expect-mapped")
    p = add("autotest", cmd_autotest, 300)
    p.add_argument("--test", required=True)
    p.add_argument("--sanitize", action="store_true")
    for name, fn in (("rate", cmd_rate), ("vhost-pair", cmd_vhost_pair)):
        p = add(name, fn, 0)
        p.add_argument("--samples", type=int, required=True)
        p.add_argument("--ops", required=True)
        if name == "vhost-pair":
            p.add_argument("--socket", required=True)
    p = sub.add_parser("parse")
    p.add_argument("app", choices=("testpmd", "l2fwd-frag"))
    p.add_argument("log")
    p.add_argument("--fields")
    p.add_argument("--period", type=float, default=1.0,
                   help="l2fwd-frag: seconds between statistics blocks (-T)")
    p.add_argument("--blocks", type=int,
                   help="l2fwd-frag: only the first BLOCKS statistics blocks")

    p = sub.add_parser("meson-results")
    p.add_argument("json")
    p.add_argument("logdir")
    p.add_argument("prefix")
    p.add_argument("--sanitize", action="store_true")

    a = ap.parse_args()
    if a.cmd == "parse":
        return cmd_parse(a)
    if a.cmd == "meson-results":
        return cmd_meson_results(a)
    if a.args and a.args[0] == "--":
        a.args = a.args[1:]
    if a.cmd == "fwd" and a.expect_mapped:
        a.expect_mapped_name = os.path.basename(a.expect_mapped).split(".so")[0] + ".so"
    res = {"command": a.cmd, "args": a.args, "log": a.log}
    try:
        err, summary = runs[a.cmd](a, res)
    except Failed as e:
        err, summary = [str(e)], ""
    res["errors"] = err
    res["verdict"] = "FAIL" if err else "PASS"
    res["summary"] = "; ".join(err) if err else summary
    path = a.json or re.sub(r"(\.log)?$", ".json", a.log, count=1)
    with open(path, "w") as f:
        json.dump(res, f, indent=1)
        f.write("\n")
    with open(a.log, "a") as f:
        f.write("verdict: %s\n" % res["summary"])
    if "samples" in res:
        print("\n".join(str(v) for v in res["samples"]))
    elif a.cmd not in ("rate", "vhost-pair"):
        print(res["summary"])
    return 1 if err else 0


if __name__ == "__main__":
    sys.exit(main())
