// The two deduplication windows in SQLite, `fifo_dedup` (FIFO queues) and
// `topic_dedup` (FIFO topics), have the same row after their owner's id:
// scope key, message id, sequence number, expiry. These bind and read that
// row for both, DedupRecord and TopicDedupRecord alike, so the two tables
// cannot drift apart in how they store it.
// Thread-safety: pure functions over a statement the caller owns.
#ifndef CORTADO_SERVER_STORE_SQLITE_DEDUP_ROWS_H_
#define CORTADO_SERVER_STORE_SQLITE_DEDUP_ROWS_H_

#include <sqlite3.h>

#include <cstdint>

#include "server/store/sqlite_helpers.h"

namespace cortado::store {

// Binds ?1 (the owner's id) to ?5 of an INSERT into either table.
template <typename Record>
void BindDedupRow(sqlite3_stmt* stmt, uint64_t owner_id, const Record& r) {
  sqlite3_bind_int64(stmt, 1, owner_id);
  BindText(stmt, 2, r.scope_key);
  BindText(stmt, 3, r.message_id);
  BindText(stmt, 4, r.sequence_number);
  sqlite3_bind_int64(stmt, 5, Micros(r.expires));
}

// Reads columns 1 to 4 (after the owner's id) of a SELECT from either table.
template <typename Record>
Record ReadDedupRow(sqlite3_stmt* stmt) {
  Record r;
  r.scope_key = Column(stmt, 1);
  r.message_id = Column(stmt, 2);
  r.sequence_number = Column(stmt, 3);
  r.expires = FromMicros(sqlite3_column_int64(stmt, 4));
  return r;
}

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_SQLITE_DEDUP_ROWS_H_
