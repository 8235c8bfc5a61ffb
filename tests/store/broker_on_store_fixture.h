// A Broker on a real durable store (each of SQLite and PostgreSQL, as a test
// parameter) with a fake clock: Open() again is a restart, a new Broker on
// the same data. The restart tests of queues, FIFO queues and topics share
// it, so each runs over every durable store.
#ifndef CORTADO_TESTS_STORE_BROKER_ON_STORE_FIXTURE_H_
#define CORTADO_TESTS_STORE_BROKER_ON_STORE_FIXTURE_H_

#include <memory>
#include <string>

#include "gtest/gtest.h"
#include "server/core/broker.h"
#include "server/core/clock.h"
#include "tests/store/store_factories.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_envelope_builder.h"

namespace cortado::store {

class BrokerOnStoreTest : public ::testing::TestWithParam<StoreFactory> {
 protected:
  explicit BrokerOnStoreTest(
      absl::Time start = absl::FromUnixSeconds(1767225600))
      : clock_(start) {}
  void SetUp() override { Open(); }
  void TearDown() override {
    broker_.reset();
    store_.reset();
  }
  // Opens the store kept in `dir` (again: a restart) and starts a broker.
  void Open(const std::string& dir) {
    broker_.reset();
    store_.reset();
    store_ = GetParam().open(dir);
    ASSERT_NE(store_, nullptr);
    BrokerOptions options;
    options.run_timers = false;
    options.envelope_builder = cortado::testing::TestEnvelopeBuilder();
    broker_ = std::make_unique<Broker>(options, &clock_, store_.get());
    ASSERT_OK(broker_->Start());
  }
  void Open() { Open(dir_.path()); }

  cortado::testing::TempDir dir_;
  FakeClock clock_;
  std::unique_ptr<Store> store_;
  std::unique_ptr<Broker> broker_;
};

}  // namespace cortado::store

#endif  // CORTADO_TESTS_STORE_BROKER_ON_STORE_FIXTURE_H_
