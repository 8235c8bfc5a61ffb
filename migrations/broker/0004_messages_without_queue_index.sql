-- The index of messages by queue cost every send and every delete a second
-- B-tree write (≈ a fifth of the store's instructions per message). Its only
-- readers were PurgeQueue and DeleteQueue, which now delete the queue's
-- range of sequences (a range of rowids, known to the broker) instead.
DROP INDEX messages_by_queue;
