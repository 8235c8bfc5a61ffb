// Applies a queues-and-topics file (--config, docs/CONFIG.md) to the
// server's broker (or, in cluster mode, to the cluster through this node):
// parse, read the broker's state, plan (every check before any change), apply,
// logging one line per change. Used at start (an error stops the server) and on
// SIGHUP (an error is logged, nothing changes).
// Thread-safety: call from one thread at a time, never the broker's writer.
#ifndef CORTADO_CMD_CORTADO_SERVER_APPLY_CONFIG_H_
#define CORTADO_CMD_CORTADO_SERVER_APPLY_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "common/config/target.h"
#include "server/core/broker.h"

namespace cortado {

absl::Status ApplyConfigFile(const std::string& path, Broker& broker);

// The same against any target: in cluster mode, this node's own gRPC API
// (cli::ClientTarget), which routes each queue and topic to the owner of
// its partition, exactly as `cortado config apply` against any node does.
absl::Status ApplyConfigFile(const std::string& path, config::Target& target);

}  // namespace cortado

#endif  // CORTADO_CMD_CORTADO_SERVER_APPLY_CONFIG_H_
