-- FIFO exactness: dead-letter retention, receive attempts that survive a
-- restart, and the deduplication window of FIFO topics.

-- When retention starts counting for a message moved to a FIFO dead-letter
-- queue (SQS resets the enqueue time there); 0 = at sent_us, as for every
-- other message.
ALTER TABLE messages ADD COLUMN enqueued_us INTEGER NOT NULL DEFAULT 0;

-- FIFO receives made with a ReceiveRequestAttemptId, kept 5 minutes so a
-- retry (also after a restart) answers the same messages and receipt
-- handles. Written in the transaction of the receive.
CREATE TABLE fifo_receive_attempts (
  queue_id INTEGER NOT NULL,
  attempt_id TEXT NOT NULL,
  taken BLOB NOT NULL,  -- (sequence, receive count, deadline) per message,
                        -- record_codec.cc EncodeTakenMessages
  expires_us INTEGER NOT NULL,
  PRIMARY KEY (queue_id, attempt_id)
) WITHOUT ROWID;

-- The 5-minute deduplication window of FIFO topics: a Publish with the same
-- deduplication id (or body, with ContentBasedDeduplication) is answered
-- with the first one's MessageId and SequenceNumber and fans out nothing.
CREATE TABLE topic_dedup (
  topic_id INTEGER NOT NULL,
  scope_key TEXT NOT NULL,       -- dedup id, or group id + dedup id
  message_id TEXT NOT NULL,
  sequence_number TEXT NOT NULL DEFAULT '',
  expires_us INTEGER NOT NULL,
  PRIMARY KEY (topic_id, scope_key)
) WITHOUT ROWID;
