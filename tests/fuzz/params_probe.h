// Reads a decoded request's parameters the ways the actions do (scalars,
// integers, lists, maps, message attributes, batch entries), so that the
// fuzz targets that decode requests also reach the Params accessors.
// Thread-safety: pure function.
#ifndef CORTADO_TESTS_FUZZ_PARAMS_PROBE_H_
#define CORTADO_TESTS_FUZZ_PARAMS_PROBE_H_

#include "gateway/params.h"

namespace cortado::fuzz {

// Calls every accessor of `params` with the names SQS and SNS actions use,
// and checks what the core checks of the attributes it yields. Returns a
// count of what was read (so the work cannot be optimised away).
size_t ProbeParams(const gateway::Params& params);

}  // namespace cortado::fuzz

#endif  // CORTADO_TESTS_FUZZ_PARAMS_PROBE_H_
