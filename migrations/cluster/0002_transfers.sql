-- Cortado cluster mode, version 2: the transactional outbox between
-- partitions (docs/CLUSTER.md, "Across partitions"). A partition's commit
-- that sends a message to a queue of another partition (an SNS delivery, a
-- dead-letter move, a message move task) inserts a row here in the same
-- fenced transaction; the owner of the queue's partition enqueues it and
-- deletes the row in one fenced commit of its own. Either both happen or
-- neither, so each message arrives exactly once whichever node dies when.

CREATE TABLE transfers (
  transfer_id bigserial PRIMARY KEY,
  partition integer NOT NULL,           -- the partition of queue_name
  kind integer NOT NULL,                -- 1: a send (SNS), 2: a move
  queue_name text NOT NULL,
  fallback_queue text NOT NULL,         -- if queue_name is gone or refuses
  message_id bytea NOT NULL,
  body bytea NOT NULL,
  attributes bytea NOT NULL,
  system_attributes bytea NOT NULL,
  sender_id bytea NOT NULL,
  message_group_id bytea NOT NULL,
  message_deduplication_id bytea NOT NULL,
  dead_letter_source_arn bytea NOT NULL,
  sent_us bigint NOT NULL,
  enqueued_us bigint NOT NULL,
  receive_count integer NOT NULL,
  first_receive_us bigint NOT NULL,
  last_receive_us bigint NOT NULL,
  created_us bigint NOT NULL
);
-- Each owner reads its partitions' rows in the order they were written.
CREATE INDEX transfers_by_partition ON transfers (partition, transfer_id);

-- Wakes the owners: NOTIFY "<schema>.transfers" with the partition, sent by
-- PostgreSQL when (and only if) the inserting transaction commits.
CREATE FUNCTION notify_transfer() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify(TG_TABLE_SCHEMA || '.transfers', NEW.partition::text);
  RETURN NULL;
END $$;
CREATE TRIGGER transfers_notify AFTER INSERT ON transfers
  FOR EACH ROW EXECUTE FUNCTION notify_transfer();

-- Called by the receiving partition's commit, after its fence: removes the
-- transfers it enqueues, and rolls the whole commit back if any of them is
-- gone already (taken by another commit), so none is enqueued twice.
CREATE FUNCTION take_transfers(p integer, ids bigint[]) RETURNS void
LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
  taken bigint;
BEGIN
  DELETE FROM transfers WHERE partition = p AND transfer_id = ANY(ids);
  GET DIAGNOSTICS taken = ROW_COUNT;
  IF taken <> cardinality(ids) THEN
    RAISE EXCEPTION '% of % transfers to partition % were taken already',
      cardinality(ids) - taken, cardinality(ids), p USING ERRCODE = 'CR002';
  END IF;
END $$;
