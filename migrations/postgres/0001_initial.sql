-- Cortado broker schema on PostgreSQL, version 1: the same tables as the
-- SQLite schema after its migration 0004, in PostgreSQL's types. Shipped
-- migrations are never edited: later changes go in new files (0002_...).
-- The tables are created in the schema named by --database-schema (default
-- `cortado`), which the store puts first on its search_path.
--
-- Times are microseconds since the Unix epoch (0 = never). Message
-- attributes, tags, topic and subscription attributes and the messages of a
-- receive attempt are in the compact binary encoding of
-- server/store/record_codec.cc (bytea).

CREATE TABLE queues (
  queue_id bigint PRIMARY KEY,          -- never reused
  name text NOT NULL UNIQUE,
  fifo boolean NOT NULL,
  delay_seconds integer NOT NULL,
  maximum_message_size integer NOT NULL,
  message_retention_period integer NOT NULL,
  receive_message_wait_time_seconds integer NOT NULL,
  visibility_timeout integer NOT NULL,
  policy text NOT NULL,
  redrive_policy text NOT NULL,
  redrive_allow_policy text NOT NULL,
  kms_master_key_id text NOT NULL,
  kms_data_key_reuse_period_seconds integer NOT NULL,
  sqs_managed_sse_enabled boolean NOT NULL,
  content_based_deduplication boolean NOT NULL,
  deduplication_scope text NOT NULL,
  fifo_throughput_limit text NOT NULL,
  tags bytea NOT NULL,
  created_us bigint NOT NULL,
  last_modified_us bigint NOT NULL
);

-- One row per message, keyed by the broker-wide sequence (no index by
-- queue: PurgeQueue and DeleteQueue delete the queue's range of sequences,
-- as on SQLite).
CREATE TABLE messages (
  sequence bigint PRIMARY KEY,
  queue_id bigint NOT NULL,
  message_id text NOT NULL,
  body bytea NOT NULL,
  attributes bytea NOT NULL,
  system_attributes bytea NOT NULL,
  sender_id text NOT NULL,
  message_group_id text NOT NULL,
  message_deduplication_id text NOT NULL,
  sent_us bigint NOT NULL,
  visible_at_us bigint NOT NULL,
  receive_count integer NOT NULL,
  first_receive_us bigint NOT NULL,
  last_receive_us bigint NOT NULL,
  dead_letter_source_arn text NOT NULL,
  enqueued_us bigint NOT NULL
);

-- FIFO queues' deduplication window (5 minutes), kept across restarts.
CREATE TABLE fifo_dedup (
  queue_id bigint NOT NULL,
  scope_key text NOT NULL,
  message_id text NOT NULL,
  sequence_number text NOT NULL,
  expires_us bigint NOT NULL,
  PRIMARY KEY (queue_id, scope_key)
);

-- FIFO receives made with a ReceiveRequestAttemptId (5 minutes).
CREATE TABLE fifo_receive_attempts (
  queue_id bigint NOT NULL,
  attempt_id text NOT NULL,
  taken bytea NOT NULL,
  expires_us bigint NOT NULL,
  PRIMARY KEY (queue_id, attempt_id)
);

-- Id reservations (ReserveIds): ids below `value` may have been used.
CREATE TABLE meta (
  key text PRIMARY KEY,
  value bigint NOT NULL
);

-- Message move tasks, progress written with the messages they moved.
CREATE TABLE move_tasks (
  task_handle text PRIMARY KEY,
  source_queue_id bigint NOT NULL,
  source_arn text NOT NULL,
  destination_arn text NOT NULL,
  max_per_second integer NOT NULL,
  status text NOT NULL,
  moved bigint NOT NULL,
  to_move bigint NOT NULL,
  last_sequence bigint NOT NULL,
  failure_reason text NOT NULL,
  started_us bigint NOT NULL
);

-- Topics, their subscriptions and FIFO topics' deduplication window.
CREATE TABLE topics (
  topic_id bigint PRIMARY KEY,
  name text NOT NULL UNIQUE,
  fifo boolean NOT NULL,
  attributes bytea NOT NULL,
  tags bytea NOT NULL,
  created_us bigint NOT NULL
);
CREATE TABLE subscriptions (
  subscription_id text PRIMARY KEY,
  topic_id bigint NOT NULL,
  protocol text NOT NULL,
  endpoint text NOT NULL,
  attributes bytea NOT NULL,
  created_us bigint NOT NULL
);
CREATE INDEX subscriptions_by_topic ON subscriptions (topic_id);
CREATE TABLE topic_dedup (
  topic_id bigint NOT NULL,
  scope_key text NOT NULL,
  message_id text NOT NULL,
  sequence_number text NOT NULL,
  expires_us bigint NOT NULL,
  PRIMARY KEY (topic_id, scope_key)
);
