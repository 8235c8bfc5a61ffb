// GatedServer: an in-process Queues gRPC service on 127.0.0.1:0 over a
// Broker whose store commits only when the test opens the gate, so a test
// can hold a send between "planned" and "committed" and check that nobody
// is answered before the commit.
// Thread-safety: Open/Close/WaitForBlockedCommit from the test thread; the
// store is called from the broker's writer thread.
#ifndef CORTADO_TESTS_CLIENT_GATED_SERVER_H_
#define CORTADO_TESTS_CLIENT_GATED_SERVER_H_

#include <grpcpp/grpcpp.h>

#include <memory>
#include <string>

#include "absl/base/thread_annotations.h"
#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "server/core/broker.h"
#include "server/core/clock.h"
#include "server/rpc/queue_service.h"
#include "server/store/memory_store.h"
#include "tests/testing/test_envelope_builder.h"

namespace cortado::client {

// A MemoryStore whose Commit waits while the gate is closed.
class GatedStore final : public Store {
 public:
  absl::StatusOr<StoreSnapshot> LoadState(MessageVisitor on_message) override {
    return store_.LoadState(on_message);
  }
  absl::Status Commit(const WriteBatch& batch) override {
    absl::MutexLock lock(&mu_);
    ++blocked_;
    mu_.Await(absl::Condition(&open_));
    --blocked_;
    return store_.Commit(batch);
  }
  std::string Describe() const override { return "gated memory"; }

  void SetOpen(bool open) {
    absl::MutexLock lock(&mu_);
    open_ = open;
  }
  // True once a commit waits at the closed gate (within `timeout`).
  bool WaitForBlockedCommit(absl::Duration timeout) {
    absl::MutexLock lock(&mu_);
    auto blocked = [this]()
                       ABSL_SHARED_LOCKS_REQUIRED(mu_) { return blocked_ > 0; };
    return mu_.AwaitWithTimeout(absl::Condition(&blocked), timeout);
  }

 private:
  store::MemoryStore store_;
  absl::Mutex mu_;
  bool open_ ABSL_GUARDED_BY(mu_) = true;
  int blocked_ ABSL_GUARDED_BY(mu_) = 0;
};

class GatedServer {
 public:
  GatedServer()
      : broker_(BrokerOptions{.envelope_builder =
                                  cortado::testing::TestEnvelopeBuilder()},
                &clock_, &store_) {}
  ~GatedServer() { Stop(); }

  absl::Status Start() {
    if (absl::Status started = broker_.Start(); !started.ok()) return started;
    service_ = std::make_unique<rpc::QueueService>(&broker_,
                                                   rpc::QueueServiceOptions{});
    grpc::ServerBuilder builder;
    int port = 0;
    builder.AddListeningPort("127.0.0.1:0", grpc::InsecureServerCredentials(),
                             &port);
    builder.RegisterService(service_.get());
    server_ = builder.BuildAndStart();
    if (server_ == nullptr || port == 0) {
      return absl::UnavailableError("cannot listen");
    }
    address_ = absl::StrCat("127.0.0.1:", port);
    return absl::OkStatus();
  }

  // Stops the gRPC server (ending every stream), then the broker. The gate
  // opens first so the broker can drain.
  void Stop() {
    if (server_ != nullptr) {
      server_->Shutdown(absl::ToChronoTime(absl::Now() + absl::Seconds(1)));
      server_.reset();
    }
    store_.SetOpen(true);
    broker_.Shutdown();
  }

  // Ends every call now; the broker keeps running.
  void StopGrpc() {
    server_->Shutdown(absl::ToChronoTime(absl::Now()));
    server_.reset();
  }

  const std::string& address() const { return address_; }
  GatedStore& store() { return store_; }
  Broker& broker() { return broker_; }

 private:
  RealClock clock_;
  GatedStore store_;
  Broker broker_;
  std::unique_ptr<rpc::QueueService> service_;
  std::unique_ptr<grpc::Server> server_;
  std::string address_;
};

}  // namespace cortado::client

#endif  // CORTADO_TESTS_CLIENT_GATED_SERVER_H_
