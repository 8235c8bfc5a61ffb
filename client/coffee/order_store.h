// OrderStore is coffee-consumer's PostgreSQL side: one libpqxx connection,
// made lazily and re-made after any failure, so that a database restart
// costs one failed attempt and nothing else.
//
// The database comes from a libpq connection string or URL
// ("postgresql://user@host:5432/db?sslmode=require"); an empty one means
// libpq's PG* environment variables (PGHOST, PGPORT, PGUSER, PGSSLMODE...).
// sslmode and every other libpq option are honoured as given.
//
// Thread-safety: not thread-safe. One thread owns an OrderStore (the
// OrderWriter's).
#ifndef CORTADO_CLIENT_COFFEE_ORDER_STORE_H_
#define CORTADO_CLIENT_COFFEE_ORDER_STORE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <pqxx/connection>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "client/coffee/order.h"

namespace cortado::coffee {

class OrderStore {
 public:
  explicit OrderStore(std::string database_url);
  ~OrderStore();
  OrderStore(const OrderStore&) = delete;
  OrderStore& operator=(const OrderStore&) = delete;

  // Applies pending migrations (see migrations.h); returns their names.
  absl::StatusOr<std::vector<std::string>> Migrate();

  // Inserts `orders` in one transaction with status 'created'. For each
  // order, in order: the new row's id, or nullopt when a row for its
  // message_id already existed (a redelivery). Errors as PostgresError:
  // InvalidArgument if the database refused some order's data (nothing is
  // written then), Unavailable otherwise.
  absl::StatusOr<std::vector<std::optional<int64_t>>> InsertBatch(
      const std::vector<Order>& orders);

 private:
  // The open connection, connecting first if needed.
  pqxx::connection& Connection();

  const std::string database_url_;
  std::unique_ptr<pqxx::connection> connection_;  // null after a failure
};

}  // namespace cortado::coffee

#endif  // CORTADO_CLIENT_COFFEE_ORDER_STORE_H_
