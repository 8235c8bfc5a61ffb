/* sqlite_bench: the raw SQLite group-commit ceiling for a message broker on
 * this machine. Each message costs what it costs Cortado's store: one INSERT
 * (send), one UPDATE (receive) and one DELETE (delete) on a table shaped
 * like migrations/broker/0001_initial.sql's `messages`, with the pragmas of
 * server/store/sqlite_store.cc. Transactions carry --batch messages in each
 * stage (a pipeline: insert batch k, update batch k-1, delete batch k-2), the
 * way a group commit carries the work of many waiting callers. No threads,
 * no network, no parsing: nothing a broker could do faster on this disk.
 *
 *   sqlite_bench [--messages=N] [--batch=B] [--sync=normal|full] [--dir=D]
 *
 * Prints "RESULT label=sqlite msgs_per_s=... commits_per_s=...". */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double Now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void Check(sqlite3* db, int rc, const char* what) {
  if (rc != SQLITE_OK && rc != SQLITE_DONE && rc != SQLITE_ROW) {
    fprintf(stderr, "sqlite_bench: %s: %s\n", what, sqlite3_errmsg(db));
    exit(1);
  }
}

static void Run(sqlite3* db, sqlite3_stmt* stmt) {
  Check(db, sqlite3_step(stmt), sqlite3_sql(stmt));
  sqlite3_reset(stmt);
}

int main(int argc, char** argv) {
  long messages = 200000, batch = 32;
  const char* sync = "normal";
  const char* dir = "/tmp";
  for (int i = 1; i < argc; ++i) {
    if (!strncmp(argv[i], "--messages=", 11))
      messages = atol(argv[i] + 11);
    else if (!strncmp(argv[i], "--batch=", 8))
      batch = atol(argv[i] + 8);
    else if (!strncmp(argv[i], "--sync=", 7))
      sync = argv[i] + 7;
    else if (!strncmp(argv[i], "--dir=", 6))
      dir = argv[i] + 6;
    else {
      fprintf(stderr,
              "usage: sqlite_bench [--messages=N] [--batch=B] "
              "[--sync=normal|full] [--dir=D]\n");
      return 2;
    }
  }
  if (batch < 1 || messages < batch) {
    fprintf(stderr,
            "sqlite_bench: need --batch >= 1 and --messages >= batch\n");
    return 2;
  }
  char path[4096];
  snprintf(path, sizeof path, "%s/sqlite_bench.db", dir);
  unlink(path);
  char extra[4200];
  snprintf(extra, sizeof extra, "%s-wal", path);
  unlink(extra);
  snprintf(extra, sizeof extra, "%s-shm", path);
  unlink(extra);

  sqlite3* db;
  if (sqlite3_open(path, &db) != SQLITE_OK) {
    fprintf(stderr, "sqlite_bench: open %s failed\n", path);
    return 1;
  }
  char pragmas[512];
  snprintf(pragmas, sizeof pragmas,
           "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s;"
           " PRAGMA foreign_keys=OFF; PRAGMA cache_size=-65536;"
           " PRAGMA wal_autocheckpoint=4096;",
           strcmp(sync, "full") == 0 ? "FULL" : "NORMAL");
  Check(db, sqlite3_exec(db, pragmas, NULL, NULL, NULL), "pragmas");
  Check(
      db,
      sqlite3_exec(db,
                   "CREATE TABLE messages (sequence INTEGER PRIMARY KEY,"
                   " queue_id INTEGER NOT NULL, message_id TEXT NOT NULL,"
                   " body BLOB NOT NULL, attributes BLOB NOT NULL DEFAULT x'',"
                   " system_attributes BLOB NOT NULL DEFAULT x'',"
                   " sender_id TEXT NOT NULL DEFAULT '',"
                   " message_group_id TEXT NOT NULL DEFAULT '',"
                   " message_deduplication_id TEXT NOT NULL DEFAULT '',"
                   " fifo_sequence_number TEXT NOT NULL DEFAULT '',"
                   " dead_letter_source_arn TEXT NOT NULL DEFAULT '',"
                   " sent_us INTEGER NOT NULL, visible_at_us INTEGER NOT NULL,"
                   " receive_count INTEGER NOT NULL DEFAULT 0,"
                   " first_receive_us INTEGER NOT NULL DEFAULT 0,"
                   " last_receive_us INTEGER NOT NULL DEFAULT 0);"
                   " CREATE INDEX messages_by_queue ON messages(queue_id, "
                   "sequence);",
                   NULL, NULL, NULL),
      "schema");
  sqlite3_stmt *begin, *commit, *insert, *update, *del;
  Check(db, sqlite3_prepare_v2(db, "BEGIN", -1, &begin, NULL), "prepare");
  Check(db, sqlite3_prepare_v2(db, "COMMIT", -1, &commit, NULL), "prepare");
  Check(db,
        sqlite3_prepare_v2(
            db,
            "INSERT INTO messages (sequence, queue_id, message_id, body,"
            " sender_id, sent_us, visible_at_us) VALUES (?1, 1, ?2, ?3,"
            " '000000000000', ?4, ?4)",
            -1, &insert, NULL),
        "prepare");
  Check(db,
        sqlite3_prepare_v2(db,
                           "UPDATE messages SET visible_at_us = ?2, "
                           "receive_count = ?3, first_receive_us = ?4, "
                           "last_receive_us = ?4 WHERE sequence = ?1",
                           -1, &update, NULL),
        "prepare");
  Check(db,
        sqlite3_prepare_v2(db, "DELETE FROM messages WHERE sequence = ?1", -1,
                           &del, NULL),
        "prepare");

  char body[100];
  memset(body, 'x', sizeof body);
  char message_id[48];
  const long batches = messages / batch;
  long commits = 0;
  const double start = Now();
  /* Two extra rounds drain the pipeline (last updates and deletes). */
  for (long k = 0; k < batches + 2; ++k) {
    Run(db, begin);
    for (long i = 0; i < batch; ++i) {
      if (k < batches) {
        const long seq = k * batch + i + 1;
        snprintf(message_id, sizeof message_id,
                 "00000000-0000-4000-8000-%012ld", seq);
        sqlite3_bind_int64(insert, 1, seq);
        sqlite3_bind_text(insert, 2, message_id, -1, SQLITE_STATIC);
        sqlite3_bind_blob(insert, 3, body, sizeof body, SQLITE_STATIC);
        sqlite3_bind_int64(insert, 4, (int64_t)(Now() * 1e6));
        Run(db, insert);
      }
      if (k >= 1 && k - 1 < batches) {
        sqlite3_bind_int64(update, 1, (k - 1) * batch + i + 1);
        sqlite3_bind_int64(update, 2, (int64_t)(Now() * 1e6) + 30000000);
        sqlite3_bind_int64(update, 3, 1);
        sqlite3_bind_int64(update, 4, (int64_t)(Now() * 1e6));
        Run(db, update);
      }
      if (k >= 2) {
        sqlite3_bind_int64(del, 1, (k - 2) * batch + i + 1);
        Run(db, del);
      }
    }
    Run(db, commit);
    ++commits;
  }
  const double seconds = Now() - start;
  printf(
      "sqlite group commit (%s): %ld messages, %ld per transaction, "
      "%.2f s\n",
      sync, batches * batch, batch, seconds);
  printf("RESULT label=sqlite msgs_per_s=%.0f commits_per_s=%.0f\n",
         batches * batch / seconds, commits / seconds);
  sqlite3_finalize(begin);
  sqlite3_finalize(commit);
  sqlite3_finalize(insert);
  sqlite3_finalize(update);
  sqlite3_finalize(del);
  sqlite3_close(db);
  unlink(path);
  return 0;
}
