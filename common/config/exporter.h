// Writes a server's State as a queues-and-topics file: applying it to an
// empty server and exporting again gives the same text. Every settable
// attribute the server reports is written (defaults included), so the file
// pins them; RedrivePolicy as `dead_letter`, RawMessageDelivery as `raw`,
// FilterPolicy as `filter_policy`.
// Thread-safety: pure function.
#ifndef CORTADO_COMMON_CONFIG_EXPORTER_H_
#define CORTADO_COMMON_CONFIG_EXPORTER_H_

#include <string>

#include "common/config/model.h"

namespace cortado::config {

std::string ExportYaml(const State& state);

}  // namespace cortado::config

#endif  // CORTADO_COMMON_CONFIG_EXPORTER_H_
