#include "tests/store/store_factories.h"

#include <filesystem>

#include "gtest/gtest.h"
#include "server/store/memory_store.h"
#include "server/store/sqlite_store.h"

namespace cortado::store {

testing::PostgresProcess& SharedPostgres() {
  return testing::PostgresProcess::Shared();
}

PostgresStoreOptions PostgresOptionsFor(const std::string& dir) {
  PostgresStoreOptions options;
  options.url = SharedPostgres().url();
  options.schema = std::filesystem::path(dir).filename().string();
  return options;
}

std::vector<StoreFactory> AllStoreFactories() {
  return {
      {"memory",
       [](const std::string&) -> std::unique_ptr<Store> {
         return std::make_unique<MemoryStore>();
       }},
      {"sqlite",
       [](const std::string& dir) -> std::unique_ptr<Store> {
         auto store = SqliteStore::Open({dir + "/broker.db"});
         EXPECT_TRUE(store.ok()) << store.status();
         return store.ok() ? *std::move(store) : nullptr;
       }},
      {"postgres",
       [](const std::string& dir) -> std::unique_ptr<Store> {
         auto store = PostgresStore::Open(PostgresOptionsFor(dir));
         EXPECT_TRUE(store.ok()) << store.status();
         return store.ok() ? *std::move(store) : nullptr;
       }},
  };
}

}  // namespace cortado::store

namespace cortado::store {

StoreFactory StoreFactoryNamed(const std::string& name) {
  for (StoreFactory& factory : AllStoreFactories()) {
    if (factory.name == name) return factory;
  }
  ADD_FAILURE() << "no store named " << name;
  return {};
}

std::vector<StoreFactory> DurableStoreFactories() {
  std::vector<StoreFactory> durable;
  for (StoreFactory& factory : AllStoreFactories()) {
    if (factory.persistent()) durable.push_back(std::move(factory));
  }
  return durable;
}

}  // namespace cortado::store
