#!/usr/bin/env python3
"""Failover time of cluster mode (docs/CLUSTER.md), measured end to end.

Starts a PostgreSQL (initdb in a temp dir, fsync on) and three
`cortado-server --cluster` nodes on 127.0.0.1, creates queues spread over
the partitions (each with --messages messages), then, --kills times: kill -9
one node at random and time, from the kill, the first successful
GetQueueAttributes of every queue through the surviving nodes. A queue the
dead node did not serve answers at once; the failover time of a kill is the
slowest queue. The node is then restarted under the same id and the cluster
left to even out before the next kill.

Usage: bench/cluster_failover.py [--build=build] [--kills=10] [--lease-ttl=5s]
       [--queues=16] [--messages=100]
Prints one line per kill and the median and max.
"""
import argparse
import json
import os
import random
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request

PG_BIN = "/usr/lib/postgresql/15/bin"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_as_postgres(args):
    if os.geteuid() == 0:
        args = ["su", "postgres", "-s", "/bin/sh", "-c",
                " ".join("'%s'" % a for a in args)]
    subprocess.run(args, check=True, stdout=subprocess.DEVNULL)


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


class Node:
    def __init__(self, binary, url, index, work, ttl):
        self.args = [binary, "--cluster", "--storage=postgres",
                     "--database-url=" + url, "--node-id=n%d" % index,
                     "--lease-ttl=" + ttl, "--grpc-addr=127.0.0.1:0",
                     "--http-addr=127.0.0.1:%d" % free_port(),
                     "--data-dir=" + work, "--log-level=warning"]
        self.port = int(self.args[7].rsplit(":", 1)[1])
        self.process = None

    def start(self):
        self.process = subprocess.Popen(self.args, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)

    def kill(self):
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


def wait_all(ports, queues, deadline_s=120):
    """Waits until every queue answers through every port."""
    deadline = time.monotonic() + deadline_s
    for port in ports:
        for queue in queues:
            while call(port, "GetQueueAttributes",
                       {"QueueUrl": queue})[0] != 200:
                if time.monotonic() > deadline:
                    sys.exit("cluster did not settle")
                time.sleep(0.05)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build", default="build")
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--lease-ttl", default="5s")
    parser.add_argument("--queues", type=int, default=16)
    parser.add_argument("--messages", type=int, default=100)
    options = parser.parse_args()
    binary = os.path.abspath(os.path.join(options.build, "server",
                                          "cortado-server"))
    work = tempfile.mkdtemp(prefix="cortado-failover-")
    os.chmod(work, 0o777)
    pg_port = free_port()
    nodes = []
    try:
        run_as_postgres([PG_BIN + "/initdb", "-D", work + "/pg", "-A",
                         "trust", "-U", "postgres"])
        run_as_postgres([PG_BIN + "/pg_ctl", "-D", work + "/pg", "-w", "-l",
                         work + "/pg.log", "-o",
                         "-p %d -k %s -c listen_addresses=127.0.0.1 "
                         "-c max_connections=200" % (pg_port, work), "start"])
        url = "postgresql://postgres@127.0.0.1:%d/postgres" % pg_port
        nodes = [Node(binary, url, i, work, options.lease_ttl)
                 for i in range(3)]
        for node in nodes:
            node.start()
        ports = [node.port for node in nodes]
        queues = []
        for q in range(options.queues):
            name = "failover-%d" % q
            while call(ports[0], "CreateQueue", {"QueueName": name})[0] != 200:
                time.sleep(0.1)
            queues.append("http://127.0.0.1/000000000000/" + name)
            for first in range(0, options.messages, 10):
                entries = [{"Id": str(i), "MessageBody": "m%d" % (first + i)}
                           for i in range(min(10, options.messages - first))]
                while call(ports[0], "SendMessageBatch",
                           {"QueueUrl": queues[-1], "Entries": entries}
                           )[0] != 200:
                    time.sleep(0.1)
        wait_all(ports, queues)
        random.seed(7)
        times = []
        for kill in range(options.kills):
            victim = random.randrange(3)
            survivors = [n.port for i, n in enumerate(nodes) if i != victim]
            nodes[victim].kill()
            killed_at = time.monotonic()
            slowest = 0.0
            for queue in queues:
                while call(random.choice(survivors), "GetQueueAttributes",
                           {"QueueUrl": queue}, timeout=2.0)[0] != 200:
                    time.sleep(0.01)
                slowest = max(slowest, time.monotonic() - killed_at)
            times.append(slowest)
            print("kill %d: node n%d, every queue served again after %.2f s"
                  % (kill + 1, victim, slowest), flush=True)
            nodes[victim].start()
            wait_all(ports, queues)
            time.sleep(3)  # let the restarted node take its share back
        print("failover (kill -9 -> every queue served), lease TTL %s, "
              "%d queues x %d messages: median %.2f s, max %.2f s over %d "
              "kills" % (options.lease_ttl, options.queues, options.messages,
                         statistics.median(times), max(times), len(times)))
    finally:
        for node in nodes:
            if node.process and node.process.poll() is None:
                node.kill()
        subprocess.run(["su", "postgres", "-s", "/bin/sh", "-c",
                        "%s/pg_ctl -D %s/pg -m immediate stop" % (PG_BIN, work)]
                       if os.geteuid() == 0 else
                       [PG_BIN + "/pg_ctl", "-D", work + "/pg", "-m",
                        "immediate", "stop"],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
