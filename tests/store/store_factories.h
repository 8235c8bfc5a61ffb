// Every Store the conformance suites run over: memory, SQLite and
// PostgreSQL. The PostgreSQL store runs on one private server per test
// binary (started on first use, stopped at exit), each test in its own
// PostgreSQL schema named after its temp dir, so reopening the same dir
// reopens the same data.
#ifndef CORTADO_TESTS_STORE_STORE_FACTORIES_H_
#define CORTADO_TESTS_STORE_STORE_FACTORIES_H_

#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "gtest/gtest.h"
#include "server/core/store.h"
#include "server/store/postgres_store.h"
#include "tests/testing/postgres_process.h"

namespace cortado::store {

struct StoreFactory {
  std::string name;
  // Opens the store kept in `dir` (the same dir reopens the same data).
  std::function<std::unique_ptr<Store>(const std::string& dir)> open;
  // Stores whose data lives in the object, not in `dir`, are not reopened.
  bool persistent() const { return name != "memory"; }
};

std::vector<StoreFactory> AllStoreFactories();
// The one named `name` ("memory", "sqlite", "postgres").
StoreFactory StoreFactoryNamed(const std::string& name);
// The stores that keep data across a reopen: SQLite and PostgreSQL.
std::vector<StoreFactory> DurableStoreFactories();

// gtest prints the parameter by its name (and ctest shows it), not as bytes.
inline void PrintTo(const StoreFactory& factory, std::ostream* out) {
  *out << factory.name;
}

// For INSTANTIATE_TEST_SUITE_P's name generator.
inline std::string StoreName(
    const ::testing::TestParamInfo<StoreFactory>& info) {
  return info.param.name;
}

// This binary's PostgreSQL server; a test fails (never skips) if it cannot
// start.
testing::PostgresProcess& SharedPostgres();

// Options of the PostgreSQL store kept for `dir`.
PostgresStoreOptions PostgresOptionsFor(const std::string& dir);

}  // namespace cortado::store

#endif  // CORTADO_TESTS_STORE_STORE_FACTORIES_H_
