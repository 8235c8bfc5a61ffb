// Applies a queues-and-topics file (--config, docs/CONFIG.md) to the
// server's broker: parse, read the broker's state, plan (every check before
// any change), apply, logging one line per change. Used at start (an error
// stops the server) and on SIGHUP (an error is logged, nothing changes).
// Thread-safety: call from one thread at a time, never the broker's writer.
#ifndef CORTADO_CMD_CORTADO_SERVER_APPLY_CONFIG_H_
#define CORTADO_CMD_CORTADO_SERVER_APPLY_CONFIG_H_

#include <string>

#include "absl/status/status.h"
#include "server/core/broker.h"

namespace cortado {

absl::Status ApplyConfigFile(const std::string& path, Broker& broker);

}  // namespace cortado

#endif  // CORTADO_CMD_CORTADO_SERVER_APPLY_CONFIG_H_
