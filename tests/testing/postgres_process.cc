#include "tests/testing/postgres_process.h"

#include <netinet/in.h>
#include <pwd.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "tests/testing/subprocess.h"

namespace cortado::testing {
namespace {

// /usr/lib/postgresql/<version>/bin with the highest version.
absl::StatusOr<std::string> FindBinDir() {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry :
       std::filesystem::directory_iterator("/usr/lib/postgresql", error)) {
    const std::string bin = entry.path().string() + "/bin";
    if (::access((bin + "/pg_ctl").c_str(), X_OK) == 0) found.push_back(bin);
  }
  if (found.empty()) {
    return absl::NotFoundError(
        "no /usr/lib/postgresql/*/bin/pg_ctl: install the postgresql package "
        "(scripts/install-deps.sh)");
  }
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) {
    return a.size() != b.size() ? a.size() < b.size() : a < b;
  });
  return found.back();
}

// A port nobody listens on now (another process could still take it before
// the server binds it; Create() then tries another).
absl::StatusOr<int> FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return absl::InternalError("socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    ::close(fd);
    return absl::InternalError(absl::StrCat("bind: ", std::strerror(errno)));
  }
  const int port = ntohs(address.sin_port);
  ::close(fd);
  return port;
}

// Whether `port` on 127.0.0.1 can be bound (nobody listens on it).
bool FreePortIs(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (fd < 0) return false;
  const int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = htons(port);
  const bool free =
      ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0;
  ::close(fd);
  return free;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream contents;
  contents << in.rdbuf();
  return contents.str();
}

}  // namespace

absl::StatusOr<std::unique_ptr<PostgresProcess>> PostgresProcess::Create(
    Options options) {
  std::unique_ptr<PostgresProcess> postgres(new PostgresProcess());
  postgres->options_ = options;
  absl::StatusOr<std::string> bin_dir = FindBinDir();
  if (!bin_dir.ok()) return bin_dir.status();
  postgres->bin_dir_ = *bin_dir;
  absl::Status status = postgres->MakeDir();
  if (!status.ok()) return status;
  status = postgres->RunTool(
      "initdb", {"-D", postgres->dir_ + "/data", "-U", "postgres",
                 "--auth=trust", "--encoding=UTF8", "--no-locale", "-N"});
  if (!status.ok()) return status;
  status = postgres->StartOnFreePort();
  if (!status.ok()) return status;
  return postgres;
}

absl::StatusOr<std::unique_ptr<PostgresProcess>> PostgresProcess::CreateStandby(
    const PostgresProcess& primary) {
  std::unique_ptr<PostgresProcess> standby(new PostgresProcess());
  standby->options_ = primary.options_;
  standby->bin_dir_ = primary.bin_dir_;
  absl::Status status = standby->MakeDir();
  if (!status.ok()) return status;
  // -R writes primary_conninfo and standby.signal: the copy starts as a
  // standby streaming from the primary (initdb's pg_hba.conf trusts
  // replication from 127.0.0.1).
  status = standby->RunTool(
      "pg_basebackup",
      {"-D", standby->dir_ + "/data", "-h", "127.0.0.1", "-p",
       absl::StrCat(primary.port_), "-U", "postgres", "-R", "-X", "stream"});
  if (!status.ok()) return status;
  status = standby->StartOnFreePort();
  if (!status.ok()) return status;
  return standby;
}

absl::Status PostgresProcess::MakeDir() {
  // Under /tmp, not $TMPDIR: the postgres user must reach it, and the
  // socket path must stay short (unix socket paths max out at 107 bytes).
  std::string pattern = "/tmp/cortado-pg-XXXXXX";
  if (::mkdtemp(pattern.data()) == nullptr) {
    return absl::InternalError(absl::StrCat("mkdtemp: ", std::strerror(errno)));
  }
  dir_ = pattern;
  if (::geteuid() == 0) {
    const passwd* user = ::getpwnam("postgres");
    if (user == nullptr) {
      return absl::FailedPreconditionError(
          "running as root and there is no `postgres` user to run "
          "PostgreSQL as (install the postgresql package)");
    }
    if (::chown(dir_.c_str(), user->pw_uid, user->pw_gid) != 0) {
      return absl::InternalError(absl::StrCat("chown: ", std::strerror(errno)));
    }
  }
  return absl::OkStatus();
}

absl::Status PostgresProcess::StartOnFreePort() {
  // Another process may take the free port before the server binds it
  // (other tests run in parallel): then try another one.
  absl::Status status;
  for (int attempt = 0; attempt < 3; ++attempt) {
    absl::StatusOr<int> port = FreePort();
    if (!port.ok()) return port.status();
    port_ = *port;
    status = Start();
    if (status.ok()) return status;
  }
  return status;
}

PostgresProcess& PostgresProcess::Shared() {
  static std::unique_ptr<PostgresProcess> shared = [] {
    absl::StatusOr<std::unique_ptr<PostgresProcess>> created = Create();
    if (!created.ok()) {
      std::cerr << "cannot start the tests' PostgreSQL server: "
                << created.status() << "\n";
      std::abort();
    }
    return *std::move(created);
  }();
  return *shared;
}

PostgresProcess::~PostgresProcess() {
  if (running_) Stop(/*immediate=*/true).IgnoreError();
  std::error_code ignored;
  if (!dir_.empty()) std::filesystem::remove_all(dir_, ignored);
}

std::string PostgresProcess::url() const {
  return absl::StrCat("postgresql://postgres@127.0.0.1:", port_, "/postgres");
}

absl::Status PostgresProcess::Start() {
  const std::string settings = absl::StrJoin(
      {absl::StrCat("-p ", port_), std::string("-c listen_addresses=127.0.0.1"),
       absl::StrCat("-k ", dir_),
       absl::StrCat("-c max_connections=", options_.max_connections),
       std::string("-c shared_buffers=16MB"),
       absl::StrCat("-c fsync=", options_.fsync ? "on" : "off")},
      " ");
  absl::Status status =
      RunTool("pg_ctl", {"start", "-w", "-t", "60", "-D", dir_ + "/data", "-l",
                         dir_ + "/server.log", "-o", settings});
  if (!status.ok()) {
    return absl::Status(status.code(),
                        absl::StrCat(status.message(), "\n--- server.log ---\n",
                                     ReadFile(dir_ + "/server.log")));
  }
  running_ = true;
  return absl::OkStatus();
}

absl::Status PostgresProcess::Stop(bool immediate) {
  running_ = false;
  return RunTool("pg_ctl", {"stop", "-w", "-t", "60", "-D", dir_ + "/data",
                            "-m", immediate ? "immediate" : "fast"});
}

absl::Status PostgresProcess::Kill() {
  std::ifstream pid_file(dir_ + "/data/postmaster.pid");
  pid_t pid = 0;
  if (!(pid_file >> pid) || pid <= 0) {
    return absl::FailedPreconditionError("no postmaster.pid: not running");
  }
  if (::kill(pid, SIGKILL) != 0) {
    return absl::InternalError(absl::StrCat("kill: ", std::strerror(errno)));
  }
  running_ = false;
  // The postmaster is not our child (pg_ctl started it): poll until it and
  // the backends that notice it gone release the port.
  const absl::Time deadline = absl::Now() + absl::Seconds(30);
  while (::kill(pid, 0) == 0 || !FreePortIs(port_)) {
    if (absl::Now() > deadline) {
      return absl::DeadlineExceededError("the killed PostgreSQL lingers");
    }
    absl::SleepFor(absl::Milliseconds(10));
  }
  return absl::OkStatus();
}

absl::Status PostgresProcess::Promote() {
  return RunTool("pg_ctl", {"promote", "-w", "-t", "60", "-D", dir_ + "/data"});
}

absl::Status PostgresProcess::RunTool(const std::string& tool,
                                      const std::vector<std::string>& args) {
  std::vector<std::string> argv;
  if (::geteuid() == 0) argv = {"/sbin/runuser", "-u", "postgres", "--"};
  argv.push_back(absl::StrCat(bin_dir_, "/", tool));
  argv.insert(argv.end(), args.begin(), args.end());
  absl::StatusOr<Subprocess::Result> result =
      RunSubprocess(argv, {}, "", absl::Seconds(90));
  if (!result.ok()) return result.status();
  if (result->exit_code != 0) {
    return absl::InternalError(absl::StrCat(absl::StrJoin(argv, " "),
                                            " exited with ", result->exit_code,
                                            "\n", result->out, result->err));
  }
  return absl::OkStatus();
}

}  // namespace cortado::testing
