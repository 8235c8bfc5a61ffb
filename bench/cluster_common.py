"""What the cluster benchmarks share (bench/cluster_failover.py,
bench/cluster_bench.py): a private PostgreSQL (initdb in a temp dir, fsync
on), `cortado-server --cluster` nodes on 127.0.0.1, SQS JSON calls, a node's
GET /cluster, the partition of a queue, and CPU seconds from /proc."""
import json
import os
import signal
import socket
import subprocess
import time
import urllib.request

PG_BIN = "/usr/lib/postgresql/15/bin"
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def as_postgres(args):
    if os.geteuid() == 0:
        return ["su", "postgres", "-s", "/bin/sh", "-c",
                " ".join("'%s'" % a for a in args)]
    return args


def call(port, action, body, timeout=5.0):
    request = urllib.request.Request(
        "http://127.0.0.1:%d/" % port, data=json.dumps(body).encode(),
        headers={"X-Amz-Target": "AmazonSQS." + action,
                 "Content-Type": "application/x-amz-json-1.0"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        return error.code, {}
    except OSError:
        return 0, {}


def cluster_status(port):
    """The node's GET /cluster (cortado cluster status --json), or None."""
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/cluster" % port,
                                    timeout=5) as response:
            return json.loads(response.read())
    except OSError:
        return None


def partition_of(name, partitions):
    """server/cluster/partitioning.cc: FNV-1a 64 of the name, mod P."""
    value = 14695981039346656037
    for byte in name.encode():
        value ^= byte
        value = (value * 1099511628211) % (1 << 64)
    return value % partitions


def cpu_seconds(pid):
    """utime + stime of a process, from /proc/<pid>/stat."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLOCK_TICKS


def children_cpu_seconds(parent):
    """CPU seconds of every live child of `parent` (PostgreSQL's backends
    are children of the postmaster), and of the parent itself."""
    total = cpu_seconds(parent)
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % entry) as f:
                fields = f.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == parent:
                total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
        except OSError:
            pass
    return total


class Postgres:
    """A private PostgreSQL 15 on a free port, fsync on."""

    def __init__(self, work, max_connections=200):
        self.work = work
        self.port = free_port()
        subprocess.run(as_postgres([PG_BIN + "/initdb", "-D", work + "/pg",
                                    "-A", "trust", "-U", "postgres"]),
                       check=True, stdout=subprocess.DEVNULL)
        subprocess.run(as_postgres([
            PG_BIN + "/pg_ctl", "-D", work + "/pg", "-w", "-l",
            work + "/pg.log", "-o",
            "-p %d -k %s -c listen_addresses=127.0.0.1 "
            "-c max_connections=%d" % (self.port, work, max_connections),
            "start"]), check=True, stdout=subprocess.DEVNULL)
        self.url = "postgresql://postgres@127.0.0.1:%d/postgres" % self.port

    def postmaster_pid(self):
        with open(self.work + "/pg/postmaster.pid") as f:
            return int(f.readline())

    def stop(self):
        subprocess.run(as_postgres([PG_BIN + "/pg_ctl", "-D",
                                    self.work + "/pg", "-m", "immediate",
                                    "stop"]),
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


class Node:
    def __init__(self, binary, url, index, work, ttl, partitions=None):
        self.id = "n%d" % index
        self.port = free_port()
        self.grpc_port = free_port()
        self.args = [binary, "--cluster", "--storage=postgres",
                     "--database-url=" + url, "--node-id=" + self.id,
                     "--lease-ttl=" + ttl,
                     "--grpc-addr=127.0.0.1:%d" % self.grpc_port,
                     "--http-addr=127.0.0.1:%d" % self.port,
                     "--data-dir=" + work, "--log-level=warning"]
        if partitions:
            self.args.append("--partitions=%d" % partitions)
        self.process = None

    def start(self):
        # CORTADO_BENCH_LOGS=DIR keeps each node's log (info) there.
        logs = os.environ.get("CORTADO_BENCH_LOGS")
        args, log = self.args, subprocess.DEVNULL
        if logs:
            args = args[:-1] + ["--log-level=info"]
            log = open(os.path.join(logs, self.id + ".log"), "a")
        self.process = subprocess.Popen(args, stdout=log, stderr=log)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()

    def alive(self):
        return self.process is not None and self.process.poll() is None


def wait_all(ports, queues, deadline_s=120):
    """Waits until every queue answers through every port."""
    deadline = time.monotonic() + deadline_s
    for port in ports:
        for queue in queues:
            while call(port, "GetQueueAttributes",
                       {"QueueUrl": queue})[0] != 200:
                if time.monotonic() > deadline:
                    raise SystemExit("cluster did not settle")
                time.sleep(0.05)


def wait_balanced(port, nodes, deadline_s=120):
    """Waits until `port`'s node sees every node alive and every partition
    owned, evenly (no node more than one above another)."""
    deadline = time.monotonic() + deadline_s
    while time.monotonic() < deadline:
        status = cluster_status(port)
        if status:
            alive = {n["node_id"] for n in status["nodes"] if n["alive"]}
            counts = {n: 0 for n in alive}
            owned = True
            for row in status["ownership"]:
                if row["owner"] not in counts:
                    owned = False
                    break
                counts[row["owner"]] += 1
            if (owned and len(alive) == nodes and
                    max(counts.values()) - min(counts.values()) <= 1):
                return status
        time.sleep(0.1)
    raise SystemExit("cluster did not even out")
