#!/usr/bin/env python3
"""Cluster-mode benchmarks (docs/CLUSTER.md), end to end on 127.0.0.1: a
private PostgreSQL (fsync on) and `cortado-server --cluster` nodes.

  handoff   SIGTERM of a node while every queue is called in a loop through
            the other nodes; per queue the node served (read from GET
            /cluster), the longest gap between two successful calls: the
            planned-handoff pause (median and max over the moved queues).
  latency   SendMessage latency (cortado-bench, SQS JSON or --target=grpc)
            through the queue's owner (local) and through another node
            (forwarded).
  t2        T2 (send -> receive -> delete, unbatched) with one cortado-bench
            per node, each on its own queue, all at once: the aggregate
            rate, and the CPU seconds of every node and of PostgreSQL per
            message, from /proc/<pid>/stat before and after.

Usage: bench/cluster_bench.py {handoff,latency,t2} [--build=build]
       [--nodes=3] [--lease-ttl=5s] [--partitions=64] [...]
(see --help of each). Prints its figures; asserts nothing.
"""
import argparse
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import tempfile
import threading
import time

from cluster_common import (Node, Postgres, call, children_cpu_seconds,
                            cpu_seconds, partition_of, wait_all,
                            wait_balanced)


class Cluster:
    def __init__(self, options):
        self.options = options
        self.binary = os.path.abspath(os.path.join(options.build, "server",
                                                   "cortado-server"))
        self.work = tempfile.mkdtemp(prefix="cortado-cluster-bench-")
        os.chmod(self.work, 0o777)
        self.postgres = None
        self.nodes = []

    def __enter__(self):
        self.postgres = Postgres(self.work)
        self.nodes = [Node(self.binary, self.postgres.url, i, self.work,
                           self.options.lease_ttl, self.options.partitions)
                      for i in range(self.options.nodes)]
        for node in self.nodes:
            node.start()
        self.status = wait_balanced(self.nodes[0].port, len(self.nodes))
        return self

    def __exit__(self, *unused):
        for node in self.nodes:
            if node.alive():
                node.kill()
        if self.postgres:
            self.postgres.stop()
        shutil.rmtree(self.work, ignore_errors=True)

    def owner_of(self, name, status=None):
        status = status or cluster_status_of(self)
        owner = status["ownership"][partition_of(
            name, status["partitions"])]["owner"]
        return next(node for node in self.nodes if node.id == owner)

    def create(self, names):
        urls = []
        for name in names:
            while call(self.nodes[0].port, "CreateQueue",
                       {"QueueName": name})[0] != 200:
                time.sleep(0.1)
            urls.append("http://127.0.0.1/000000000000/" + name)
        wait_all([n.port for n in self.nodes], urls)
        return urls


def cluster_status_of(cluster):
    return wait_balanced(cluster.nodes[0].port, len(cluster.nodes))


def handoff(options):
    with Cluster(options) as cluster:
        names = ["handoff-%d" % q for q in range(options.queues)]
        urls = cluster.create(names)
        medians, maxima = [], []
        for round_ in range(options.rounds):
            victim = cluster.nodes[round_ % len(cluster.nodes)]
            status = cluster_status_of(cluster)
            moved = [q for q, name in enumerate(names)
                     if cluster.owner_of(name, status) is victim]
            survivors = [n.port for n in cluster.nodes if n is not victim]
            successes = [[] for _ in urls]
            stop = threading.Event()

            def load(q):
                rng = random.Random(q)
                while not stop.is_set():
                    code, _ = call(rng.choice(survivors), "SendMessage",
                                   {"QueueUrl": urls[q], "MessageBody": "x"},
                                   timeout=5.0)
                    if code == 200:
                        successes[q].append(time.monotonic())
                    else:
                        time.sleep(0.005)
            threads = [threading.Thread(target=load, args=(q,))
                       for q in range(len(urls))]
            for thread in threads:
                thread.start()
            time.sleep(1.0)  # every queue under load before the SIGTERM
            signalled = time.monotonic()
            victim.process.send_signal(signal.SIGTERM)
            victim.process.wait()
            exited = time.monotonic()
            time.sleep(2.0)  # load after the exit: a pause ends in here
            stop.set()
            for thread in threads:
                thread.join()
            gaps = []
            for q in range(len(urls)):
                times = [t for t in successes[q] if t >= signalled - 0.5]
                gap = max((b - a for a, b in zip(times, times[1:])),
                          default=float("inf"))
                gaps.append(gap)
            moved_gaps = [gaps[q] for q in moved]
            other = [gaps[q] for q in range(len(urls)) if q not in moved]
            print("round %d: SIGTERM %s (%d of %d queues on it), exited after "
                  "%.2f s; longest gap per moved queue: median %.3f s, max "
                  "%.3f s; other queues max %.3f s" % (
                      round_ + 1, victim.id, len(moved), len(urls),
                      exited - signalled, statistics.median(moved_gaps),
                      max(moved_gaps), max(other) if other else 0.0),
                  flush=True)
            medians.append(statistics.median(moved_gaps))
            maxima.append(max(moved_gaps))
            victim.start()
            wait_all([n.port for n in cluster.nodes], urls)
        print("planned handoff, lease TTL %s, %d partitions, %d queues, %d "
              "rounds: median of the rounds' median pause of a moved queue "
              "%.3f s; longest pause %.3f s" % (
                  options.lease_ttl, options.partitions, len(urls),
                  options.rounds, statistics.median(medians), max(maxima)))


def bench(options, node, queue, label, extra=()):
    port = node.grpc_port if options.target == "grpc" else node.port
    command = [os.path.join(options.build, "bench", "cortado-bench"),
               "--target=" + options.target, "--addr=127.0.0.1:%d" % port,
               ] + (["--grpc-api=" + options.grpc_api]
                    if options.target == "grpc" else []) + [
               "--queue=" + queue, "--label=" + label] + list(extra)
    return subprocess.Popen(command, stdout=subprocess.PIPE, text=True)


def result(process, timeout=600):
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        raise SystemExit("cortado-bench did not finish in %d s" % timeout)
    if os.environ.get("CORTADO_BENCH_VERBOSE"):
        print(out, end="")
    line = [l for l in out.splitlines() if l.startswith("RESULT ")][-1]
    return {k: v for k, v in re.findall(r"(\w+)=(\S+)", line)}


def latency(options):
    with Cluster(options) as cluster:
        queue = "latency"
        cluster.create([queue])
        owner = cluster.owner_of(queue)
        other = next(n for n in cluster.nodes if n is not owner)
        figures = {"local": [], "forwarded": []}
        load = ["--producers=%d" % options.clients,
                "--consumers=%d" % options.clients, "--batch=1",
                "--messages=%d" % options.messages, "--wait=1"]
        for run in range(options.runs):
            for label, node in (("local", owner), ("forwarded", other)):
                r = result(bench(options, node, queue, label, load))
                figures[label].append((float(r["send_p50_us"]),
                                       float(r["send_p99_us"]),
                                       float(r["lifecycle_rate"])))
                print("run %d %s (via %s, owner %s): send p50 %.0f us, p99 "
                      "%.0f us, T2 %.0f msgs/s" % (
                          run + 1, label, node.id, owner.id,
                          *figures[label][-1]), flush=True)
        for label, runs in figures.items():
            print("%s %s: send p50 %.0f us, p99 %.0f us, T2 %.0f msgs/s "
                  "(medians of %d runs, %d+%d clients, %d messages)" % (
                      options.target, label, statistics.median(r[0] for r in runs),
                      statistics.median(r[1] for r in runs),
                      statistics.median(r[2] for r in runs), len(runs),
                      options.clients, options.clients, options.messages))


def t2(options):
    with Cluster(options) as cluster:
        names = ["t2-%d" % i for i in range(len(cluster.nodes))]
        cluster.create(names)
        pids = [n.process.pid for n in cluster.nodes]
        postmaster = cluster.postgres.postmaster_pid()
        load = ["--producers=%d" % options.clients,
                "--consumers=%d" % options.clients, "--batch=1",
                "--messages=%d" % options.messages, "--wait=1"]
        before = [cpu_seconds(p) for p in pids]
        pg_before = children_cpu_seconds(postmaster)
        started = time.monotonic()
        runs = [bench(options, node, name, name, load)
                for node, name in zip(cluster.nodes, names)]
        results = [result(r) for r in runs]
        wall = time.monotonic() - started
        after = [cpu_seconds(p) for p in pids]
        pg_after = children_cpu_seconds(postmaster)
        messages = sum(int(r["received"]) for r in results)
        errors = sum(int(r["errors"]) for r in results)
        print("%s over %d nodes, %d+%d clients per node: %d messages in "
              "%.1f s = %.0f msgs/s aggregate (per client process: %s); "
              "errors %d" % (
                  "T4" if options.grpc_api == "stream" and options.target == "grpc" else "T2", len(cluster.nodes), options.clients, options.clients,
                  messages, wall, messages / wall,
                  ", ".join(r["lifecycle_rate"] for r in results), errors))
        for node, b, a in zip(cluster.nodes, before, after):
            print("  %s: %.1f CPU s, %.0f us per message (of all %d)" % (
                node.id, a - b, 1e6 * (a - b) / messages, messages))
        total = sum(a - b for a, b in zip(after, before))
        print("  nodes together: %.0f us per message; PostgreSQL: %.1f CPU s,"
              " %.0f us per message" % (
                  1e6 * total / messages, pg_after - pg_before,
                  1e6 * (pg_after - pg_before) / messages))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("benchmark", choices=["handoff", "latency", "t2"])
    parser.add_argument("--build", default="build")
    parser.add_argument("--nodes", type=int, default=3)
    parser.add_argument("--target", choices=["sqs", "grpc"], default="sqs",
                        help="latency, t2: the API cortado-bench drives "
                        "(SQS JSON over HTTP, or gRPC)")
    parser.add_argument("--grpc-api", choices=["unary", "stream"],
                        default="unary",
                        help="with --target=grpc: unary rpcs, or the Publish "
                        "and Consume streams (T4)")
    parser.add_argument("--lease-ttl", default="5s")
    parser.add_argument("--partitions", type=int, default=64)
    parser.add_argument("--queues", type=int, default=16,
                        help="handoff: queues under load")
    parser.add_argument("--rounds", type=int, default=3,
                        help="handoff: SIGTERMs (one node after another)")
    parser.add_argument("--runs", type=int, default=3,
                        help="latency: local/forwarded pairs")
    parser.add_argument("--clients", type=int, default=3,
                        help="latency, t2: producers and consumers each")
    parser.add_argument("--messages", type=int, default=10000,
                        help="latency, t2: messages per cortado-bench")
    options = parser.parse_args()
    options.build = os.path.abspath(options.build)
    {"handoff": handoff, "latency": latency, "t2": t2}[options.benchmark](
        options)


if __name__ == "__main__":
    main()
