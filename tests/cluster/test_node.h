// How the cluster tests start an in-process node on the shared test
// PostgreSQL: its options (lease TTL 2 s, its log on stderr, read when a
// test fails) and its partition factory's.
#ifndef CORTADO_TESTS_CLUSTER_TEST_NODE_H_
#define CORTADO_TESTS_CLUSTER_TEST_NODE_H_

#include <cstdio>
#include <string>

#include "absl/strings/str_cat.h"
#include "server/cluster/cluster_node.h"
#include "server/cluster/partition_factory.h"
#include "tests/testing/postgres_process.h"
#include "tests/testing/test_envelope_builder.h"

namespace cortado::cluster {

inline ClusterNodeOptions TestNodeOptions(const std::string& schema,
                                          int32_t partitions,
                                          const std::string& id) {
  ClusterNodeOptions options;
  options.control.url = ::cortado::testing::PostgresProcess::Shared().url();
  options.control.schema = schema;
  options.control.partitions = partitions;
  options.node_id = id;
  options.grpc_addr = absl::StrCat(id, ":1");
  options.http_addr = absl::StrCat(id, ":2");
  options.lease_ttl = absl::Seconds(2);
  options.log = [id](const std::string& line) {
    std::fprintf(stderr, "[%s] %s\n", id.c_str(), line.c_str());
  };
  return options;
}

inline PartitionFactoryOptions TestFactoryOptions(const std::string& schema,
                                                  const std::string& id,
                                                  Clock* clock) {
  PartitionFactoryOptions factory;
  factory.url = ::cortado::testing::PostgresProcess::Shared().url();
  factory.control_schema = schema;
  factory.node_id = id;
  factory.clock = clock;
  factory.broker.envelope_builder = ::cortado::testing::TestEnvelopeBuilder();
  factory.idle_in_transaction_timeout = absl::Milliseconds(500);
  return factory;
}

}  // namespace cortado::cluster

#endif  // CORTADO_TESTS_CLUSTER_TEST_NODE_H_
