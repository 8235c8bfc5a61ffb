// The server an example talks to: its first argument, else $CORTADO_SERVER
// (as for the `cortado` CLI), else cortado-server's default gRPC address.
#ifndef CORTADO_EXAMPLES_SERVER_ADDRESS_H_
#define CORTADO_EXAMPLES_SERVER_ADDRESS_H_

#include <cstdlib>
#include <string>

namespace cortado::examples {

inline std::string ServerAddress(int argc, char** argv) {
  if (argc > 1) return argv[1];
  if (const char* env = std::getenv("CORTADO_SERVER"); env != nullptr) {
    return env;
  }
  return "127.0.0.1:50051";
}

}  // namespace cortado::examples

#endif  // CORTADO_EXAMPLES_SERVER_ADDRESS_H_
