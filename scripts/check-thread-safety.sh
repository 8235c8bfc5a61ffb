#!/usr/bin/env bash
# scripts/check-thread-safety.sh [BUILD_DIR]: clang's thread-safety analysis
# (-Wthread-safety -Werror) over the layers the check build does not compile
# (server/rpc, server/push, gateway, cmd, client, examples), as syntax-only
# passes with the flags of BUILD_DIR's compile_commands.json (the Release
# build's, default build/). The core and store get the analysis in the check
# build itself (`make test-check`); this keeps the annotations of the rest
# honest without a second clang build of gRPC-heavy code.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-build}
case "$build" in /*) ;; *) build="$root/$build" ;; esac
db="$build/compile_commands.json"
[ -f "$db" ] || { echo "check-thread-safety: no $db (configure the build first)" >&2; exit 2; }

python3 - "$root" "$db" >"$build/thread_safety_cmds.txt" <<'PY'
import json, shlex, sys
root, db = sys.argv[1], sys.argv[2]
layers = ("server/rpc/", "server/push/", "gateway/", "cmd/", "client/",
          "examples/")
for entry in json.load(open(db)):
    rel = entry["file"][len(root) + 1:] if entry["file"].startswith(root + "/") else ""
    if not rel.startswith(layers):
        continue
    args = shlex.split(entry["command"])
    while args and not args[0].startswith("-") and not args[0].endswith(("g++", "c++", "clang++")):
        args.pop(0)  # the compiler launcher (ccache)
    out, skip = [], False
    for a in args[1:]:
        if skip: skip = False; continue
        if a in ("-o", "-MF", "-MT", "-MQ"): skip = True; continue
        if a in ("-c", "-MD", "-MMD") or a.startswith("-W"): continue
        out.append(a)
    print(entry["directory"] + "\t" + shlex.join(out))
PY
count=$(wc -l <"$build/thread_safety_cmds.txt")
echo "check-thread-safety: $count files"
# One clang per file, as many at once as there are cores; every diagnostic
# goes to stderr and any file with one fails the run.
tr '\n' '\0' <"$build/thread_safety_cmds.txt" | xargs -0 -P"$(nproc)" -I{} bash -c '
  dir=${1%%$'"'"'\t'"'"'*}; cmd=${1#*$'"'"'\t'"'"'}
  cd "$dir" && eval "clang++ -fsyntax-only -Wthread-safety -Werror=thread-safety -Wno-unknown-warning-option $cmd"
' _ {}
echo "check-thread-safety: clean"
