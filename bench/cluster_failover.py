#!/usr/bin/env python3
"""Failover time of cluster mode (docs/CLUSTER.md), measured end to end.

Starts a PostgreSQL (initdb in a temp dir, fsync on) and three
`cortado-server --cluster` nodes on 127.0.0.1, creates queues spread over
the partitions (each with --messages messages), then, --kills times: kill -9
one node at random and time, from the kill, the first successful
GetQueueAttributes of every queue through the surviving nodes. A queue the
dead node did not serve answers at once; the failover time of a kill is the
slowest queue. The node is then restarted under the same id and the cluster
left to even out (every node alive, partitions spread evenly, read from
GET /cluster) before the next kill, which also counts the messages on the
node it kills.

Usage: bench/cluster_failover.py [--build=build] [--kills=10] [--lease-ttl=5s]
       [--queues=16] [--messages=100]
Prints one line per kill and the median and max.
"""
import argparse
import os
import random
import shutil
import statistics
import tempfile
import time

from cluster_common import (Node, Postgres, call, partition_of, wait_all,
                            wait_balanced)


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
    postgres = None
    nodes = []
    try:
        postgres = Postgres(work)
        url = postgres.url
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
        on_victims = []
        for kill in range(options.kills):
            victim = random.randrange(3)
            survivors = [n.port for i, n in enumerate(nodes) if i != victim]
            # What the victim serves, from a survivor's `cluster status`.
            status = wait_balanced(survivors[0], 3)
            owners = {row["partition"]: row["owner"]
                      for row in status["ownership"]}
            on_victim = sum(
                options.messages for q in range(options.queues)
                if owners[partition_of("failover-%d" % q,
                                       status["partitions"])] ==
                nodes[victim].id)
            on_victims.append(on_victim)
            nodes[victim].kill()
            killed_at = time.monotonic()
            slowest = 0.0
            for queue in queues:
                while call(random.choice(survivors), "GetQueueAttributes",
                           {"QueueUrl": queue}, timeout=2.0)[0] != 200:
                    time.sleep(0.01)
                slowest = max(slowest, time.monotonic() - killed_at)
            times.append(slowest)
            print("kill %d: node n%d (%d messages on it), every queue served "
                  "again after %.2f s" % (kill + 1, victim, on_victim,
                                          slowest), flush=True)
            nodes[victim].start()
            wait_all(ports, queues)
        print("failover (kill -9 -> every queue served), lease TTL %s, "
              "%d queues x %d messages: median %.2f s, max %.2f s over %d "
              "kills (median %d messages on the killed node)"
              % (options.lease_ttl, options.queues, options.messages,
                 statistics.median(times), max(times), len(times),
                 statistics.median(on_victims)))
    finally:
        for node in nodes:
            if node.process and node.process.poll() is None:
                node.kill()
        if postgres:
            postgres.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
