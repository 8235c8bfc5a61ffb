-- Cortado broker schema, version 1. Shipped migrations are never edited:
-- later changes go in new files (0002_..., 0003_...).
--
-- Times are microseconds since the Unix epoch (0 = never). Message
-- attributes and tags are stored in the compact binary encoding of
-- server/store/record_codec.cc.

CREATE TABLE queues (
  queue_id INTEGER PRIMARY KEY,          -- never reused
  name TEXT NOT NULL UNIQUE,
  fifo INTEGER NOT NULL DEFAULT 0,
  delay_seconds INTEGER NOT NULL,
  maximum_message_size INTEGER NOT NULL,
  message_retention_period INTEGER NOT NULL,
  receive_message_wait_time_seconds INTEGER NOT NULL,
  visibility_timeout INTEGER NOT NULL,
  policy TEXT NOT NULL DEFAULT '',
  redrive_policy TEXT NOT NULL DEFAULT '',
  redrive_allow_policy TEXT NOT NULL DEFAULT '',
  kms_master_key_id TEXT NOT NULL DEFAULT '',
  kms_data_key_reuse_period_seconds INTEGER NOT NULL DEFAULT 300,
  sqs_managed_sse_enabled INTEGER NOT NULL DEFAULT 1,
  content_based_deduplication INTEGER NOT NULL DEFAULT 0,
  deduplication_scope TEXT NOT NULL DEFAULT 'queue',
  fifo_throughput_limit TEXT NOT NULL DEFAULT 'perQueue',
  tags BLOB NOT NULL DEFAULT x'',
  created_us INTEGER NOT NULL,
  last_modified_us INTEGER NOT NULL
);

-- One row per message. `sequence` is unique across the broker and orders
-- messages within a queue (it is the rowid, so point updates are direct).
CREATE TABLE messages (
  sequence INTEGER PRIMARY KEY,
  queue_id INTEGER NOT NULL,
  message_id TEXT NOT NULL,
  body BLOB NOT NULL,
  attributes BLOB NOT NULL DEFAULT x'',
  system_attributes BLOB NOT NULL DEFAULT x'',
  sender_id TEXT NOT NULL DEFAULT '',
  message_group_id TEXT NOT NULL DEFAULT '',         -- FIFO and fair queues
  message_deduplication_id TEXT NOT NULL DEFAULT '',  -- FIFO
  fifo_sequence_number TEXT NOT NULL DEFAULT '',      -- FIFO, decimal
  dead_letter_source_arn TEXT NOT NULL DEFAULT '',    -- set by redrive
  sent_us INTEGER NOT NULL,
  visible_at_us INTEGER NOT NULL,
  receive_count INTEGER NOT NULL DEFAULT 0,
  first_receive_us INTEGER NOT NULL DEFAULT 0,
  last_receive_us INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX messages_by_queue ON messages(queue_id, sequence);

-- FIFO deduplication window (5 minutes), kept across restarts.
CREATE TABLE fifo_dedup (
  queue_id INTEGER NOT NULL,
  scope_key TEXT NOT NULL,       -- dedup id, or group id + dedup id
  message_id TEXT NOT NULL,
  fifo_sequence_number TEXT NOT NULL DEFAULT '',
  expires_us INTEGER NOT NULL,
  PRIMARY KEY (queue_id, scope_key)
) WITHOUT ROWID;

-- Topics and their subscriptions (SNS-style fan-out into queues).
CREATE TABLE topics (
  topic_id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  fifo INTEGER NOT NULL DEFAULT 0,
  attributes BLOB NOT NULL DEFAULT x'',
  tags BLOB NOT NULL DEFAULT x'',
  created_us INTEGER NOT NULL
);
CREATE TABLE subscriptions (
  subscription_id TEXT PRIMARY KEY,  -- the uuid of the subscription ARN
  topic_id INTEGER NOT NULL,
  protocol TEXT NOT NULL,
  endpoint TEXT NOT NULL,
  attributes BLOB NOT NULL DEFAULT x'',
  created_us INTEGER NOT NULL
);
CREATE INDEX subscriptions_by_topic ON subscriptions(topic_id);

-- Broker-wide counters that must never go backwards (e.g. FIFO sequence).
CREATE TABLE meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;
