-- Cortado cluster mode, version 1: the control tables of a cluster, in the
-- schema named by --database-schema (default `cortado`). Each partition's
-- broker tables live in their own schema, `<schema>_p<NN>` (migrations/postgres/),
-- so one partition's store is the single-node PostgresStore unchanged.
-- Shipped migrations are never edited: later changes go in new files.
--
-- Every table is LOGGED: an UNLOGGED lease table would lose its epochs in a
-- PostgreSQL failover, and with them the fence.

-- One row: the partition count, fixed when the cluster is created (a queue's
-- partition is a hash of its name modulo this count).
CREATE TABLE cluster (
  singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
  partitions integer NOT NULL CHECK (partitions BETWEEN 1 AND 4096),
  created_at timestamptz NOT NULL DEFAULT now()
);

-- Members. `heartbeat` is bumped by its node every interval; observers judge
-- liveness by how long it stays unchanged on their own monotonic clock, never
-- by comparing `last_seen_at` (wall clocks) across machines.
CREATE TABLE cluster_nodes (
  node_id text PRIMARY KEY,
  grpc_addr text NOT NULL,   -- where other nodes forward calls (--advertise-addr)
  http_addr text NOT NULL,   -- the node's SQS/SNS HTTP listener
  heartbeat bigint NOT NULL,
  started_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),  -- informational only
  leaving boolean NOT NULL DEFAULT false            -- handing off (SIGTERM)
);

-- Ownership. `epoch` grows on every change of owner; a partition's store
-- commits only while (owner, epoch) is still its own (fence() below).
-- owner NULL: unowned (a new cluster, or released in a handoff).
CREATE TABLE partitions (
  partition integer PRIMARY KEY,
  owner text,
  epoch bigint NOT NULL DEFAULT 0
);

-- The fence, called first in every commit of a partition's store, inside
-- the commit's transaction. FOR SHARE makes a takeover (an UPDATE of the
-- row) wait for a commit in flight, and a commit that starts after a
-- takeover re-reads the new row (READ COMMITTED), finds it is no longer the
-- owner and raises, which rolls the whole commit back: an old owner can
-- commit, and so acknowledge, nothing after it lost the partition.
CREATE FUNCTION fence(p integer, node text, e bigint) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
  PERFORM 1 FROM partitions
    WHERE partition = p AND owner = node AND epoch = e FOR SHARE;
  IF NOT FOUND THEN
    RAISE EXCEPTION 'partition % is no longer owned by node % at epoch %',
      p, node, e USING ERRCODE = 'CR001';
  END IF;
END $$;
