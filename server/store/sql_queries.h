// The reads every SQL store makes alike: the tables of migrations/broker
// (SQLite) and migrations/postgres name their columns the same, so the
// loaders share the query text and read the same column numbers.
// Thread-safety: constants.
#ifndef CORTADO_SERVER_STORE_SQL_QUERIES_H_
#define CORTADO_SERVER_STORE_SQL_QUERIES_H_

namespace cortado::store {

// Columns 0..19 in QueueRecord's order: id, name, the attributes, tags
// (record_codec's encoding), created and last modified (µs).
inline constexpr char kSelectQueues[] =
    "SELECT queue_id, name, fifo, delay_seconds, maximum_message_size,"
    " message_retention_period, receive_message_wait_time_seconds,"
    " visibility_timeout, policy, redrive_policy, redrive_allow_policy,"
    " kms_master_key_id, kms_data_key_reuse_period_seconds,"
    " sqs_managed_sse_enabled, content_based_deduplication,"
    " deduplication_scope, fifo_throughput_limit, tags, created_us,"
    " last_modified_us FROM queues ORDER BY queue_id";

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQL_QUERIES_H_
