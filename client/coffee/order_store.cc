#include "client/coffee/order_store.h"

#include <map>
#include <pqxx/pqxx>
#include <utility>

#include "absl/strings/str_cat.h"
#include "client/coffee/migrations.h"
#include "client/coffee/postgres_error.h"

namespace cortado::coffee {

OrderStore::OrderStore(std::string database_url)
    : database_url_(std::move(database_url)) {}

OrderStore::~OrderStore() = default;

pqxx::connection& OrderStore::Connection() {
  if (connection_ == nullptr) {
    connection_ = std::make_unique<pqxx::connection>(database_url_);
  }
  return *connection_;
}

absl::StatusOr<std::vector<std::string>> OrderStore::Migrate() {
  absl::StatusOr<std::vector<std::string>> applied;
  try {
    applied = ApplyMigrations(Connection(), CoffeeMigrations());
  } catch (...) {  // connecting failed
    applied = PostgresError(std::current_exception(), "connect");
  }
  if (!applied.ok()) connection_.reset();
  return applied;
}

absl::StatusOr<std::vector<std::optional<int64_t>>> OrderStore::InsertBatch(
    const std::vector<Order>& orders) {
  std::vector<std::optional<int64_t>> ids(orders.size());
  if (orders.empty()) return ids;
  try {
    pqxx::connection& connection = Connection();
    pqxx::work txn(connection, "coffee-insert");
    // One multi-row statement: one round trip and one commit per batch.
    // Values go through quote() (PQescapeStringConn), never raw.
    std::string sql =
        "INSERT INTO coffee_orders (timestamp, coffee_type, order_status, "
        "message_id) VALUES ";
    for (size_t i = 0; i < orders.size(); ++i) {
      absl::StrAppend(&sql, i == 0 ? "" : ", ", "(",
                      txn.quote(orders[i].timestamp), "::timestamp, ",
                      txn.quote(orders[i].coffee_type), ", 'created', ",
                      txn.quote(orders[i].message_id), ")");
    }
    // A redelivered message finds its row and inserts nothing; RETURNING
    // then lists only the rows made now.
    absl::StrAppend(&sql,
                    " ON CONFLICT (message_id) DO NOTHING "
                    "RETURNING id, message_id");
    const pqxx::result result = txn.exec(sql);
    txn.commit();
    std::map<std::string, int64_t> inserted;
    for (const pqxx::row& row : result) {
      inserted[row[1].as<std::string>()] = row[0].as<int64_t>();
    }
    for (size_t i = 0; i < orders.size(); ++i) {
      auto it = inserted.find(orders[i].message_id);
      if (it != inserted.end()) {
        ids[i] = it->second;
        // The same message twice in one batch: only the first made the row.
        inserted.erase(it);
      }
    }
    return ids;
  } catch (...) {
    absl::Status status = PostgresError(std::current_exception(), "insert");
    // After a data error the connection is fine; after anything else it may
    // be dead, and a fresh one is cheap next to a retry loop on a corpse.
    if (!absl::IsInvalidArgument(status)) connection_.reset();
    return status;
  }
}

}  // namespace cortado::coffee
