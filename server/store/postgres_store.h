// PostgresStore is the durable Store on PostgreSQL (or RDS, Aurora): the
// broker's tables in their own PostgreSQL schema (default `cortado`), one
// transaction per group commit sent in libpq's pipeline mode with set-based
// message writes (postgres_writer.h), LoadState streaming each table row by
// row (postgres_store_load.cc).
//
// One writer per database and schema (outside cluster mode, where the
// fence of PostgresStoreOptions replaces it): Open takes a session-level
// advisory lock, held as long as the connection lives, and refuses to start
// (naming the node that holds it) when another server has it. The store never
// reconnects by itself: once a commit fails (the connection, and with it
// the lock, may be lost, and whether that transaction committed is
// unknown), every Commit fails, so the broker's sticky failure answers every
// later call unavailable and nothing is acknowledged that another writer
// could have overwritten. Reopen() then starts a new session (a new
// connection, the lock taken again), after which the broker reloads
// everything from PostgreSQL: the outcome of the failed commit is read, not
// guessed.
// Thread-safety: LoadState, Commit and Reopen are called by one thread at a
// time (the broker guarantees it).
#ifndef CORTADO_SERVER_STORE_POSTGRES_STORE_H_
#define CORTADO_SERVER_STORE_POSTGRES_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "server/core/store.h"
#include "server/store/postgres_helpers.h"

namespace cortado::store {

struct PostgresStoreOptions {
  // Any libpq connection string: a postgresql:// URL or key=value pairs
  // (sslmode, several hosts with target_session_attrs, ...).
  std::string url;
  std::string schema = "cortado";
  // application_name unless the URL sets one: what a refused second writer
  // and pg_stat_activity show.
  std::string node_name = "cortado-server";
  // How long a held writer lock is retried before Open refuses: a writer
  // killed a moment ago holds it until its backend notices.
  absl::Duration writer_lock_patience = absl::Seconds(3);

  // Cluster mode: the store holds one partition, and every commit first
  // calls the control schema's fence() in its own transaction, so it
  // commits only while `node_id` still owns `partition` at `epoch`. There is
  // no writer lock then: the fence replaces it (an advisory lock would
  // outlive a frozen node, whose kernel keeps the connection open).
  struct Fence {
    std::string control_schema;
    int32_t partition = 0;
    std::string node_id;
    int64_t epoch = 0;
  };
  std::optional<Fence> fence;
  // With a fence: how long PostgreSQL lets this session sit inside a
  // transaction (idle_in_transaction_session_timeout), so that a node frozen
  // mid-commit cannot hold its partition's row lock, and so block a
  // takeover, for longer.
  absl::Duration idle_in_transaction_timeout = absl::Seconds(2);
  // A session opened beforehand to use instead of connecting (cluster mode
  // keeps a few while partitions move: a new session can take half a
  // second on a busy machine). Null, or nothing returned: connect. A spare
  // that turns out dead is dropped and the store connects.
  std::function<std::optional<PgConnection>()> spare_session;
};

class PostgresStore final : public Store {
 public:
  // Connects, creates the schema if needed, takes the writer lock, migrates
  // and prepares the statements. Unavailable when PostgreSQL cannot be
  // reached (worth retrying); FailedPrecondition when another writer holds
  // the lock or the schema is newer than this binary. Commit returns Aborted
  // once a fence is lost (the partition has another owner).
  static absl::StatusOr<std::unique_ptr<PostgresStore>> Open(
      const PostgresStoreOptions& options);
  ~PostgresStore() override;

  absl::StatusOr<StoreSnapshot> LoadState(MessageVisitor on_message) override;
  absl::Status Commit(const WriteBatch& batch) override;
  absl::Status Reopen() override;
  std::string Describe() const override;

 private:
  // One connection holding the writer lock, with its pipeline and prepared
  // statements.
  struct Session;
  static absl::StatusOr<std::unique_ptr<Session>> OpenSession(
      const PostgresStoreOptions& options);

  PostgresStore(PostgresStoreOptions options, std::unique_ptr<Session> session);

  const PostgresStoreOptions options_;
  std::unique_ptr<Session> session_;  // null after a failed Reopen
  // Set by the first failed commit: the connection's state (and whether the
  // lock is still held) is unknown from then on. Cleared by Reopen.
  absl::Status failure_;
};

}  // namespace cortado::store

#endif  // CORTADO_SERVER_STORE_POSTGRES_STORE_H_
