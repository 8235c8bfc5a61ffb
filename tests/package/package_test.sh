#!/usr/bin/env bash
# The Debian package (issue 18, part 3), as far as a container allows: build
# it with CPack, check its control data and files, install it into a
# temporary root (dpkg -x), check the systemd unit with `systemd-analyze
# verify` (where installed), and run the installed cortado-server on the
# installed default config with the installed `cortado` CLI against it.
# Not covered here: dpkg -i as root (the postinst's adduser and systemctl),
# and systemd actually starting the unit (no systemd runs in the test).
# Usage: package_test.sh BUILD_DIR
set -euo pipefail

build=$(cd "$1" && pwd)
work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill -KILL "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

cpack --config "$build/CPackConfig.cmake" -B "$work/pkg" >"$work/cpack.log" 2>&1 ||
  { cat "$work/cpack.log"; fail "cpack"; }
deb=$(ls "$work"/pkg/cortado_*_amd64.deb 2>/dev/null | head -1)
[ -n "$deb" ] || fail "no .deb in $work/pkg"

# Control data: the libraries it links (dpkg-shlibdeps), adduser for the
# postinst, the config as a conffile.
control=$(dpkg-deb -f "$deb")
for dependency in adduser libgrpc++ libyaml-cpp libsqlite3 libpq5 libabsl; do
  grep -q "^Depends:.*$dependency" <<<"$control" || fail "Depends lacks $dependency: $control"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/cortado/cortado.yaml ||
  fail "/etc/cortado/cortado.yaml is not a conffile"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./postinst | grep -q "adduser --system" ||
  fail "postinst does not create the cortado user"

root="$work/root"
dpkg -x "$deb" "$root"
for file in usr/bin/cortado-server usr/bin/cortado usr/bin/coffee-consumer; do
  [ -x "$root/$file" ] || fail "$file missing or not executable"
done
unit="$root/usr/lib/systemd/system/cortado.service"
[ -f "$unit" ] || fail "no systemd unit"
[ -f "$root/etc/cortado/cortado.yaml" ] || fail "no default config"
for line in "User=cortado" "StateDirectory=cortado" "Restart=on-failure" \
  "ProtectSystem=strict" "NoNewPrivileges=yes" \
  "ExecStart=/usr/bin/cortado-server --config /etc/cortado/cortado.yaml --data-dir /var/lib/cortado"; do
  grep -qxF "$line" "$unit" || fail "the unit lacks $line"
done

if command -v systemd-analyze >/dev/null; then
  # The unit as installed, its binary pointed at the extracted one (nothing
  # is installed under /usr/bin on this machine).
  mkdir "$work/unit"
  sed "s|/usr/bin/cortado-server|$root/usr/bin/cortado-server|" "$unit" >"$work/unit/cortado.service"
  systemd-analyze verify --man=no "$work/unit/cortado.service" ||
    fail "systemd-analyze verify"
  echo "systemd-analyze verify: ok"
else
  echo "systemd-analyze not installed: unit not verified"
fi

# The installed binaries: the server on the installed default config, as
# the unit starts it (ports 0, a scratch data dir), and the CLI against it.
"$root/usr/bin/cortado-server" --help | grep -q -- "--config (default: none)" ||
  fail "cortado-server --help"
"$root/usr/bin/cortado-server" --config "$root/etc/cortado/cortado.yaml" \
  --data-dir "$work/data" --grpc-addr 127.0.0.1:0 --http-addr 127.0.0.1:0 \
  --ready-file "$work/ready" >"$work/server.log" 2>&1 &
server_pid=$!
# Polls for the ready file with a deadline (the server writes it once both
# listeners serve); no fixed sleep.
deadline=$((SECONDS + 30))
while [ ! -f "$work/ready" ]; do
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log"; fail "server exited"; }
  [ $SECONDS -lt $deadline ] || fail "server not ready in 30 s"
  sleep 0.02
done
grpc=$(sed -n 's/^grpc=//p' "$work/ready")
grep -q "config $root/etc/cortado/cortado.yaml: applied, 0 change(s)" "$work/server.log" ||
  { cat "$work/server.log"; fail "default config not applied"; }
cli=("$root/usr/bin/cortado" --server "$grpc")
[ "$("${cli[@]}" config plan "$root/etc/cortado/cortado.yaml")" = "no changes" ] ||
  fail "config plan of the default config"
"${cli[@]}" queue create installed >/dev/null || fail "cortado queue create"
[ "$("${cli[@]}" queue list)" = "installed" ] || fail "cortado queue list"
kill -TERM "$server_pid"
wait "$server_pid" || fail "server did not exit 0 on SIGTERM"
server_pid=""
echo "package test: ok ($(basename "$deb"))"
