// SpareSessions on a real PostgreSQL: it opens as many sessions as wanted
// and closes the rest, and a store opened with one uses that session (its
// backend) instead of connecting, under the store's own name. Also the
// migration check's fast path: a store opened on a migrated schema runs no
// migration again.
#include "server/cluster/spare_sessions.h"

#include <atomic>
#include <cstdlib>
#include <memory>
#include <string>
#include <thread>

#include "absl/strings/str_cat.h"
#include "gtest/gtest.h"
#include "server/cluster/control_store.h"
#include "server/cluster/partitioning.h"
#include "server/store/postgres_store.h"
#include "tests/testing/poll.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/status_matchers.h"

namespace cortado::cluster {
namespace {

using ::cortado::testing::PollUntil;
using ::cortado::testing::PostgresProcess;

// Sessions named `name` (pid of one of them in `pid`, if asked).
int SessionsNamed(const std::string& name, int* pid = nullptr) {
  store::PgConnection connection(
      PQconnectdb(PostgresProcess::Shared().url().c_str()));
  EXPECT_EQ(PQstatus(connection.get()), CONNECTION_OK);
  const char* values[] = {name.c_str()};
  store::PgResult result(
      PQexecParams(connection.get(),
                   "SELECT count(*), min(pid) FROM pg_stat_activity"
                   " WHERE application_name = $1",
                   1, nullptr, values, nullptr, nullptr, 0));
  EXPECT_EQ(PQresultStatus(result.get()), PGRES_TUPLES_OK);
  if (pid != nullptr) *pid = std::atoi(PQgetvalue(result.get(), 0, 1));
  return std::atoi(PQgetvalue(result.get(), 0, 0));
}

TEST(SpareSessionsTest, KeepsAsManyAsWantedAndClosesTheRest) {
  const std::string name = SessionName("spare-test", "spare");
  SpareSessions spares(PostgresProcess::Shared().url(), name);
  EXPECT_FALSE(spares.Take().has_value());  // none wanted yet
  spares.Want(3);
  ASSERT_TRUE(PollUntil([&] { return SessionsNamed(name) == 3; },
                        absl::Seconds(30), absl::Milliseconds(20)));
  std::optional<store::PgConnection> taken = spares.Take();
  ASSERT_TRUE(taken.has_value());
  EXPECT_EQ(PQstatus(taken->get()), CONNECTION_OK);
  // The one taken is replaced.
  ASSERT_TRUE(PollUntil([&] { return SessionsNamed(name) == 4; },
                        absl::Seconds(30), absl::Milliseconds(20)));
  spares.Want(0);
  taken.reset();
  ASSERT_TRUE(PollUntil([&] { return SessionsNamed(name) == 0; },
                        absl::Seconds(30), absl::Milliseconds(20)));
  EXPECT_FALSE(spares.Take().has_value());
}

TEST(SpareSessionsTest, AStoreOpensOnASpareUnderItsOwnName) {
  ControlOptions control;
  control.url = PostgresProcess::Shared().url();
  control.schema = "spare_store";
  control.partitions = 2;
  ASSERT_OK(ControlStore::Open(control).status());

  const std::string spare_name = SessionName("spare-store", "spare");
  SpareSessions spares(PostgresProcess::Shared().url(), spare_name);
  spares.Want(1);
  int spare_pid = 0;
  ASSERT_TRUE(
      PollUntil([&] { return SessionsNamed(spare_name, &spare_pid) == 1; },
                absl::Seconds(30), absl::Milliseconds(20)));

  store::PostgresStoreOptions options;
  options.url = PostgresProcess::Shared().url();
  options.schema = PartitionSchema(control.schema, 0);
  options.node_name = SessionName("spare-store", "partition 0");
  options.fence =
      store::PostgresStoreOptions::Fence{control.schema, 0, "spare-store", 1};
  bool asked = false;
  options.spare_session = [&] {
    asked = true;
    return spares.Take();
  };
  spares.Want(0);  // no replacement: the count below is this one session
  auto opened = store::PostgresStore::Open(options);
  ASSERT_OK(opened.status());
  EXPECT_TRUE(asked);
  int store_pid = 0;
  EXPECT_EQ(SessionsNamed(options.node_name, &store_pid), 1);
  EXPECT_EQ(store_pid, spare_pid);  // the same backend, renamed
  // No spare left: a new session.
  opened->reset();
  auto again = store::PostgresStore::Open(options);
  ASSERT_OK(again.status());
  EXPECT_EQ(SessionsNamed(options.node_name, &store_pid), 1);
  EXPECT_NE(store_pid, spare_pid);
}

// A schema at this binary's version is opened without the migration lock
// (one read): an open does not wait for another session that holds it.
TEST(SpareSessionsTest, AMigratedSchemaOpensWithoutTheMigrationLock) {
  store::PostgresStoreOptions options;
  options.url = PostgresProcess::Shared().url();
  options.schema = "migrated_once";
  ASSERT_OK(store::PostgresStore::Open(options).status());

  store::PgConnection holder(PQconnectdb(options.url.c_str()));
  ASSERT_EQ(PQstatus(holder.get()), CONNECTION_OK);
  const char* values[] = {options.schema.c_str()};
  const char* lock =
      "SELECT pg_advisory_lock(1131377269, hashtext($1) & 2147483647)";
  store::PgResult locked(PQexecParams(holder.get(), lock, 1, nullptr, values,
                                      nullptr, nullptr, 0));
  ASSERT_EQ(PQresultStatus(locked.get()), PGRES_TUPLES_OK);

  std::atomic<bool> done{false};
  absl::Status status;
  std::thread opener([&] {
    status = store::PostgresStore::Open(options).status();
    done = true;
  });
  const bool opened_while_locked = PollUntil(
      [&] { return done.load(); }, absl::Seconds(30), absl::Milliseconds(10));
  store::PgResult unlocked(
      PQexec(holder.get(), "SELECT pg_advisory_unlock_all()"));
  opener.join();
  EXPECT_TRUE(opened_while_locked);
  EXPECT_OK(status);
}

}  // namespace
}  // namespace cortado::cluster
