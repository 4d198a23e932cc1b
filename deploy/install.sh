#!/bin/sh
# Docklight relay installer (POSIX sh; re-running it upgrades in place and keeps the history):
#   curl -fsSL https://EDGE/install.sh | sh -s -- --url https://EDGE --host ID --code CODE --key KEY --sha256 HEX
# It checks that this is a Dokku host, fetches EDGE/relay/latest.json and the tarball it names
# (sha256 checked against --sha256), trades the one-time enrollment code for the relay token
# (POST EDGE/relay/enroll; the token is never in argv), installs better-sqlite3, writes
# /etc/docklight/relay.env (root, 0600) and a hardened systemd unit, starts the relay and waits
# until it is connected. It never adds a package repository: without Node.js >= nodeMin it
# brings Node's official build into the relay's own folder, checked against nodejs.org's SHASUMS256.
set -eu
# The relay waits on dokku and the network: V8's optimizing compilers, a large young generation, GC
# threads and bytecode kept for functions unused since the last full GC only cost it memory.
NODE_FLAGS="--lite-mode --max-semi-space-size=1 --single-threaded --bytecode-old-age=1"

usage() {
  cat <<'EOF'
Usage: install.sh [options]
  --url URL          the Docklight edge (DOCKLIGHT_URL)
  --host ID          this host's id on the edge (DOCKLIGHT_HOST_ID)
  --code CODE        the one-time enrollment code the edge's Hosts page gave (1 hour, works once):
                     traded for the relay token, which is written only to relay.env
  --token TOKEN      a relay token you already have (DOCKLIGHT_RELAY_TOKEN; it would land in shell
                     history: prefer --code)
  --key KEY          the edge's op-signing public key (DOCKLIGHT_OP_PUBLIC_KEY)
  --set NAME=VALUE   another relay setting for relay.env, e.g. DOCKLIGHT_READ_ONLY=true (repeatable)
  --user NAME        run the relay as NAME (default, with or without systemd: dokku, else a new
                     system user docklight; under --prefix or not as root: the user running this)
  --prefix DIR       install under DIR instead of / (implies --no-systemd)
  --no-systemd       do not use systemd: start the relay in the background (log in the state folder)
  --modules-from DIR copy better-sqlite3 from DIR (a node_modules folder) instead of npm ci
  --artifact-base U  fetch latest.json and the tarball from U (https://, or file:// for offline)
  --sha256 HEX       require this tarball checksum (instead of trusting latest.json's)
  --wait SECONDS     how long to wait for "connected" (default 60)
  --uninstall        remove everything this script installed, keeping the history database
  --purge            with --uninstall: remove the history database too
EOF
}

say() { printf '==> %s\n' "$*"; }
die() {
  printf 'install.sh: %s\n' "$*" >&2
  # The code is spent once traded: say how to finish without a new one.
  if [ "${ENROLLED:-0}" = 1 ]; then printf 'install.sh: this host is enrolled (its token is in %s): once fixed, finish with: curl -fsSL %s/install.sh | sh -s -- --url %s\n' "$ENV_FILE" "$URL" "$URL" >&2; fi
  exit 1
}
has() { command -v "$1" >/dev/null 2>&1; }
# `version_ge A B`: is dotted version A >= B?
version_ge() { awk -v a="$1" -v b="$2" 'BEGIN { split(a, x, "."); split(b, y, "."); for (i = 1; i <= 3; i++) { if (x[i] + 0 > y[i] + 0) exit 0; if (x[i] + 0 < y[i] + 0) exit 1 } exit 0 }'; }
# `json_field FILE NAME`: a string or number field of the one-key-per-line JSON the build writes.
json_field() { sed -n "s/^ *\"$2\": *\"\{0,1\}\([^\",]*\)\"\{0,1\},\{0,1\}$/\1/p" "$1" | head -n 1; }
env_value() { [ -r "$ENV_FILE" ] && sed -n "s/^$1=//p" "$ENV_FILE" | tail -n 1 || true; }
sha256_of() { if has sha256sum; then sha256sum "$1" | cut -d ' ' -f 1; else shasum -a 256 "$1" | cut -d ' ' -f 1; fi; }
download() { # URL FILE
  case $1 in
    file://*) cp "${1#file://}" "$2" ;;
    *) if has curl; then curl -fsSL --retry 3 -o "$2" "$1"; else wget -q -O "$2" "$1"; fi ;;
  esac || die "could not download $1"
}
matches() { printf '%s' "$1" | grep -Eq "$2"; }
# Is PID a live relay? (A zombie's cmdline is empty; kill -0 would still succeed on it.)
running() { [ -n "$1" ] && grep -q relay.mjs "/proc/$1/cmdline" 2>/dev/null; }
# The packages a release's lock file pins (its entries after the project's own).
locked() { sed -n '/"node_modules\//,$p' "$1/package-lock.json" 2>/dev/null; }
nap() { sleep 0.2 2>/dev/null || sleep 1; }

parse_args() {
  URL=${DOCKLIGHT_URL:-} HOST=${DOCKLIGHT_HOST_ID:-} TOKEN=${DOCKLIGHT_RELAY_TOKEN:-} KEY=${DOCKLIGHT_OP_PUBLIC_KEY:-} CODE=${DOCKLIGHT_ENROLL_CODE:-} ENROLLED=0
  PREFIX=/ SYSTEMD=auto MODULES_FROM='' ARTIFACT_BASE='' PIN_SHA256='' SERVICE_USER='' WAIT=60 ACTION=install PURGE=0 SETS=''
  while [ $# -gt 0 ]; do
    case $1 in --*=*) opt=$1; shift; set -- "${opt%%=*}" "${opt#*=}" "$@" ;; esac
    opt=$1
    case $opt in
      --url | --host | --code | --token | --key | --set | --user | --prefix | --modules-from | --artifact-base | --sha256 | --wait)
        [ $# -ge 2 ] || die "$opt needs a value"
        val=$2 && shift 2
        case $opt in
          --url) URL=$val ;; --host) HOST=$val ;; --code) CODE=$val ;; --token) TOKEN=$val ;; --key) KEY=$val ;; --user) SERVICE_USER=$val ;;
          --prefix) PREFIX=$val ;; --modules-from) MODULES_FROM=$val ;; --artifact-base) ARTIFACT_BASE=$val ;;
          --sha256) PIN_SHA256=$val ;; --wait) WAIT=$val ;;
          --set) matches "$val" '^(DOCKLIGHT_[A-Z0-9_]+|DOKKU_[A-Z0-9_]+|LOG_LEVEL)=[^[:cntrl:]]*$' || die "--set takes NAME=VALUE with a DOCKLIGHT_*, DOKKU_* or LOG_LEVEL name: $val"
            SETS=$(printf '%s%s\n.' "$SETS" "$val") && SETS=${SETS%.} ;;
        esac ;;
      --no-systemd) SYSTEMD=no; shift ;;
      --uninstall) ACTION=uninstall; shift ;;
      --purge) PURGE=1; shift ;;
      -h | --help) usage; exit 0 ;;
      *) usage >&2; die "unknown option: $opt" ;;
    esac
  done
  matches "$PREFIX" '^/[A-Za-z0-9._/-]*$' || die "--prefix must be an absolute path of letters, digits, '.', '_', '-' and '/'"
  matches "$WAIT" '^[0-9]+$' || die "--wait takes whole seconds"
  ROOT=${PREFIX%/}
  RELAY_HOME=$ROOT/opt/docklight-relay ETC_DIR=$ROOT/etc/docklight STATE_DIR=$ROOT/var/lib/docklight
  ENV_FILE=$ETC_DIR/relay.env UNIT_FILE=$ROOT/etc/systemd/system/docklight-relay.service WRAPPER=$ROOT/usr/local/bin/docklight-relay
  STATUS_FILE=$STATE_DIR/relay.status.json PID_FILE=$STATE_DIR/relay.pid LOG_FILE=$STATE_DIR/relay.log
  [ "$SYSTEMD" = auto ] && if [ -z "$ROOT" ] && [ -d /run/systemd/system ] && has systemctl; then SYSTEMD=yes; else SYSTEMD=no; fi
  if [ -z "$ROOT" ] && [ "$(id -u)" != 0 ]; then die "installing under / needs root: run it with sudo sh (or use --prefix)"; fi
}

check_inputs() {
  [ "$(uname -s)" = Linux ] || die "the relay runs on Linux, where Dokku runs (this is $(uname -s))"
  for tool in tar gzip sed awk grep; do has "$tool" || die "$tool is needed"; done
  has sha256sum || has shasum || die "sha256sum (coreutils) is needed"
  : "${URL:=$(env_value DOCKLIGHT_URL)}" "${HOST:=$(env_value DOCKLIGHT_HOST_ID)}" "${KEY:=$(env_value DOCKLIGHT_OP_PUBLIC_KEY)}"
  # A code is traded for a new token; without one, the token given or the one relay.env holds.
  [ -n "$CODE" ] || : "${TOKEN:=$(env_value DOCKLIGHT_RELAY_TOKEN)}"
  URL=${URL%/}
  matches "$URL" '^https?://[A-Za-z0-9.-]+(:[0-9]+)?$' || die "--url must be the edge's https:// origin (no path), e.g. https://docklight.example.workers.dev"
  matches "$HOST" '^[a-z0-9][a-z0-9-]{0,31}$' || die "--host must be the host id the edge shows (a-z, 0-9, '-')"
  if [ -n "$CODE" ]; then matches "$CODE" '^[A-Za-z0-9_-]{24}$' || die "--code must be the enrollment code of the install command the edge's Hosts page shows (24 characters)"
  elif [ -n "$TOKEN" ]; then matches "$TOKEN" '^[A-Za-z0-9_-]{32,128}$' || die "--token must be a relay token (43 characters)"
  else die "--code is needed: run the install command the edge's Hosts page shows (Add a host, or New install command)"; fi
  [ -z "$KEY" ] || matches "$KEY" '^[A-Za-z0-9_-]{43}$' || die "--key must be the edge's public key (43 characters)"
  [ -n "$KEY" ] || [ -n "$CODE" ] || die "--key is needed: run the install command the edge's Hosts page shows"
  [ -z "$PIN_SHA256" ] || matches "$PIN_SHA256" '^[0-9a-f]{64}$' || die "--sha256 must be 64 hex digits"
  case $URL in http://127.* | http://localhost*) ;; http://*) say "warning: $URL is plain http: the relay token would cross the network unencrypted" ;; esac
  BASE=${ARTIFACT_BASE:-$URL/relay}
  case $BASE in file://*) [ -z "$CODE" ] || has curl || has wget || die "curl or wget is needed" ;; *) has curl || has wget || die "curl or wget is needed" ;; esac
  check_dokku
}

# A relay setting as it will be: the last --set of it, else relay.env's.
setting() {
  v=$(printf '%s' "$SETS" | sed -n "s/^$1=//p" | tail -n 1)
  if [ -n "$v" ]; then printf '%s' "$v"; else env_value "$1"; fi
}

# Before anything is downloaded or built: the relay drives `dokku` (or DOKKU_BIN), and refuses to start without it.
check_dokku() {
  bin=$(setting DOKKU_BIN)
  if [ -n "$bin" ]; then
    [ -f "$bin" ] && [ -x "$bin" ] || die "DOKKU_BIN=$bin is not an executable file"
  elif ! has dokku; then
    die "dokku is not installed on this host (no dokku on the PATH): the relay drives Dokku (https://dokku.com/docs/getting-started/installation/); if it lives elsewhere, add --set DOKKU_BIN=/path/to/dokku"
  fi
}

# POST the one-time code to EDGE/relay/enroll (from a 0600 file, so neither it nor the answer is in
# any argv) and keep the relay token it answers; a refusal is printed as the edge words it.
exchange_code() {
  [ -n "$CODE" ] || return 0
  say "trading the one-time enrollment code for this host's relay token"
  (umask 077 && printf 'host=%s&code=%s' "$HOST" "$CODE" >"$TMP/enroll.form" && : >"$TMP/enroll.json")
  if has curl; then curl -sS --retry 3 -o "$TMP/enroll.json" --data-binary "@$TMP/enroll.form" -H 'content-type: application/x-www-form-urlencoded' "$URL/relay/enroll" || true
  else wget -q --content-on-error -O "$TMP/enroll.json" --header='content-type: application/x-www-form-urlencoded' --post-file="$TMP/enroll.form" "$URL/relay/enroll" || true; fi
  TOKEN=$(json_field "$TMP/enroll.json" token)
  if [ -z "$TOKEN" ]; then
    error=$(sed -n 's/^ *"error": *"\(.*\)",\{0,1\}$/\1/p' "$TMP/enroll.json" | head -n 1)
    die "the edge refused the enrollment code: ${error:-no answer from $URL/relay/enroll}"
  fi
  matches "$TOKEN" '^[A-Za-z0-9_-]{32,128}$' || die "$URL/relay/enroll did not answer with a relay token"
  given=$KEY KEY=$(json_field "$TMP/enroll.json" publicKey)
  matches "$KEY" '^[A-Za-z0-9_-]{43}$' || die "$URL/relay/enroll did not answer with the edge's public key"
  [ -z "$given" ] || [ "$given" = "$KEY" ] || say "the edge's op-signing key changed since this command was made: pinning the current one"
  rm -f "$TMP/enroll.json"
  ENROLLED=1
}

# NODE: the system's node when new enough, else Node's official build under RELAY_HOME/node.
choose_node() {
  NODE='' NPM=''
  if has node; then
    v=$(node -p 'process.versions.node' 2>/dev/null || echo 0)
    if version_ge "$v" "$NODE_MIN" && [ "${v%%.*}" != 21 ]; then NODE=$(command -v node); fi
  fi
  if [ -n "$NODE" ] && { [ -n "$MODULES_FROM" ] || has npm; }; then NPM=$(command -v npm || true); say "Node.js $v at $NODE"; return; fi
  NODE=$RELAY_HOME/node/bin/node NPM=$RELAY_HOME/node/bin/npm
  if [ -x "$NODE" ] && [ "$("$NODE" -p 'process.versions.node')" = "$NODE_RUNTIME" ]; then say "Node.js $NODE_RUNTIME in $RELAY_HOME/node"; return; fi
  case $(uname -m) in x86_64 | amd64) arch=x64 ;; aarch64 | arm64) arch=arm64 ;; armv7l) arch=armv7l ;; *) die "no official Node.js build for $(uname -m): install Node.js >= $NODE_MIN yourself" ;; esac
  name=node-v$NODE_RUNTIME-linux-$arch
  say "this host has no Node.js >= $NODE_MIN (with npm): fetching $name from nodejs.org into $RELAY_HOME/node"
  download "https://nodejs.org/dist/v$NODE_RUNTIME/SHASUMS256.txt" "$TMP/SHASUMS256.txt"
  download "https://nodejs.org/dist/v$NODE_RUNTIME/$name.tar.gz" "$TMP/$name.tar.gz"
  want=$(awk -v f="$name.tar.gz" '$2 == f { print $1 }' "$TMP/SHASUMS256.txt")
  [ -n "$want" ] && [ "$(sha256_of "$TMP/$name.tar.gz")" = "$want" ] || die "$name.tar.gz does not match nodejs.org's SHASUMS256.txt"
  rm -rf "$RELAY_HOME/node.new" && mkdir -p "$RELAY_HOME/node.new"
  tar -xzf "$TMP/$name.tar.gz" -C "$RELAY_HOME/node.new" --strip-components=1
  rm -rf "$RELAY_HOME/node" && mv "$RELAY_HOME/node.new" "$RELAY_HOME/node"
}

fetch_artifact() {
  download "$BASE/latest.json" "$TMP/latest.json"
  VERSION=$(json_field "$TMP/latest.json" version) FILE=$(json_field "$TMP/latest.json" file)
  NODE_MIN=$(json_field "$TMP/latest.json" nodeMin) NODE_RUNTIME=$(json_field "$TMP/latest.json" nodeRuntime)
  matches "$VERSION" '^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.-]+)?$' && matches "$FILE" '^docklight-relay-[0-9A-Za-z.-]+\.tgz$' || die "$BASE/latest.json is not a relay release description"
  want=${PIN_SHA256:-$(json_field "$TMP/latest.json" sha256)}
  say "downloading docklight-relay $VERSION from $BASE"
  download "$BASE/$FILE" "$TMP/$FILE"
  got=$(sha256_of "$TMP/$FILE")
  [ "$got" = "$want" ] || die "$FILE has sha256 $got, expected $want: not installing it"
}

unpack_artifact() {
  NEW=$RELAY_HOME/releases/$VERSION.new
  rm -rf "$NEW" && mkdir -p "$NEW"
  tar -xzf "$TMP/$FILE" -C "$NEW" --strip-components=1
  [ -f "$NEW/relay.mjs" ] && [ -f "$NEW/package.json" ] || die "$FILE does not hold a relay"
}

# better-sqlite3, the relay's one native dependency: copied (--modules-from), reused from the
# previous release when nothing changed, or installed by npm ci from the pinned lock file.
install_modules() {
  pinned=$(sed -n 's/^ *"better-sqlite3": *"\([^"]*\)".*/\1/p' "$NEW/package.json" | head -n 1)
  prev=$RELAY_HOME/current
  if [ -n "$MODULES_FROM" ]; then
    say "copying better-sqlite3 $pinned from $MODULES_FROM"
    keep_runtime_modules "$MODULES_FROM" "$pinned"
  elif [ -d "$prev/node_modules" ] && [ "$(locked "$prev")" = "$(locked "$NEW")" ] && [ "$(cat "$prev/.node-version" 2>/dev/null)" = "$("$NODE" -v)" ]; then
    say "reusing better-sqlite3 $pinned from the previous release"
    cp -R "$prev/node_modules" "$NEW/"
  else
    [ -n "$NPM" ] || die "npm is needed to install better-sqlite3 (or pass --modules-from DIR)"
    say "installing better-sqlite3 $pinned (npm ci; a build from source takes about 2 minutes when no prebuilt binary is reachable)"
    # Built aside, then only what runs is kept: the build leaves ~33 MB of sources and objects.
    mkdir -p "$TMP/build" && cp "$NEW/package.json" "$NEW/package-lock.json" "$TMP/build/"
    (cd "$TMP/build" && PATH=$(dirname "$NODE"):$PATH "$NPM" ci --omit=dev --no-audit --no-fund --loglevel=error </dev/null) || die "npm ci failed in $TMP/build"
    keep_runtime_modules "$TMP/build/node_modules" "$pinned"
  fi
  "$NODE" -v >"$NEW/.node-version"
  (cd "$NEW" && "$NODE" -e 'new (require("better-sqlite3"))(":memory:").close()') || die "better-sqlite3 does not load with $NODE"
  [ "$("$NODE" "$NEW/relay.mjs" --version)" = "docklight-relay $VERSION protocol $(json_field "$TMP/latest.json" protocolVersion)" ] || die "the new relay does not start"
}

# Copies from node_modules folder $1 only what better-sqlite3 ($2) needs at run time: its package.json,
# lib/ and the compiled addon, and the two packages lib/ requires (`bindings`, which needs `file-uri-to-path`).
keep_runtime_modules() {
  src=$1/better-sqlite3
  [ -f "$src/package.json" ] || die "$1 holds no better-sqlite3"
  [ "$(json_field "$src/package.json" version)" = "$2" ] || die "$src is not better-sqlite3 $2"
  [ -f "$src/build/Release/better_sqlite3.node" ] || die "$src has no build/Release/better_sqlite3.node"
  rm -rf "$NEW/node_modules" && mkdir -p "$NEW/node_modules/better-sqlite3/build/Release"
  cp -R "$src/package.json" "$src/lib" "$NEW/node_modules/better-sqlite3/"
  cp "$src/build/Release/better_sqlite3.node" "$NEW/node_modules/better-sqlite3/build/Release/"
  for dep in bindings file-uri-to-path; do [ -d "$1/$dep" ] || die "$1 holds no $dep"; cp -R "$1/$dep" "$NEW/node_modules/"; done
}

# The relay's user is the same with systemd or without: dokku, else a docklight system user. Only an
# install under --prefix, or one not run as root (which cannot switch users), runs as its own user.
choose_user() {
  if [ -z "$SERVICE_USER" ]; then
    if [ -n "$ROOT" ] || [ "$(id -u)" != 0 ]; then SERVICE_USER=$(id -un)
    elif id dokku >/dev/null 2>&1; then SERVICE_USER=dokku
    else
      SERVICE_USER=docklight
      id docklight >/dev/null 2>&1 || { say "creating the system user docklight (there is no dokku user)"; useradd --system --home-dir "$STATE_DIR" --no-create-home --shell /usr/sbin/nologin --comment "Docklight relay" docklight; }
    fi
  fi
  id "$SERVICE_USER" >/dev/null 2>&1 || die "there is no user $SERVICE_USER"
  SERVICE_GROUP=$(id -gn "$SERVICE_USER")
}

write_config() {
  mkdir -p "$ETC_DIR" "$STATE_DIR"
  tmp=$ETC_DIR/.relay.env.$$
  header='# Docklight relay settings, written by install.sh; re-running it keeps the lines it does not manage.'
  names=$(printf '%s' "$SETS" | sed -n 's/=.*//p' | tr '\n' '|')
  (
    umask 077
    printf '%s\nDOCKLIGHT_URL=%s\nDOCKLIGHT_HOST_ID=%s\nDOCKLIGHT_RELAY_TOKEN=%s\nDOCKLIGHT_OP_PUBLIC_KEY=%s\nDOCKLIGHT_DB=%s\n' "$header" "$URL" "$HOST" "$TOKEN" "$KEY" "$STATE_DIR/relay.db"
    if [ -r "$ENV_FILE" ]; then grep -Fvx "$header" "$ENV_FILE" | grep -Ev "^(DOCKLIGHT_URL|DOCKLIGHT_HOST_ID|DOCKLIGHT_RELAY_TOKEN|DOCKLIGHT_OP_PUBLIC_KEY|DOCKLIGHT_DB${names:+|${names%|}})=" || true; fi
    printf '%s' "$SETS"
  ) >"$tmp"
  # systemd reads it as root; in the background the relay reads it itself, as its own user.
  if [ "$SYSTEMD" = yes ]; then chown root:root "$tmp"; elif [ "$(id -u)" = 0 ]; then chown "$SERVICE_USER:$SERVICE_GROUP" "$tmp"; fi
  chmod 600 "$tmp" && mv -f "$tmp" "$ENV_FILE"
  if [ "$(id -u)" = 0 ]; then chown -R "$SERVICE_USER:$SERVICE_GROUP" "$STATE_DIR"; fi
  chmod 700 "$STATE_DIR"
}

render_unit() {
  sed -e "s|@USER@|$SERVICE_USER|g" -e "s|@GROUP@|$SERVICE_GROUP|g" -e "s|@ENV_FILE@|$ENV_FILE|g" -e "s|@STATE_DIR@|$STATE_DIR|g" \
    -e "s|@NODE@|$NODE|g" -e "s|@NODE_FLAGS@|$NODE_FLAGS|g" -e "s|@RELAY_HOME@|$RELAY_HOME|g" "$RELAY_HOME/current/docklight-relay.service"
}

stop_relay() {
  if [ "$SYSTEMD" = yes ] && [ -f "$UNIT_FILE" ]; then systemctl stop docklight-relay 2>/dev/null || true; fi
  pid=$(cat "$PID_FILE" 2>/dev/null || true)
  if running "$pid"; then
    kill "$pid" 2>/dev/null || true
    i=0; while running "$pid" && [ $i -lt 100 ]; do nap; i=$((i + 1)); done
  fi
  rm -f "$PID_FILE"
}

start_relay() {
  stop_relay
  rm -f "$STATUS_FILE"
  if [ "$SYSTEMD" = yes ]; then
    systemctl daemon-reload && systemctl enable --quiet docklight-relay && systemctl restart docklight-relay
    PID=$(systemctl show -p MainPID --value docklight-relay)
  else
    as=
    if [ "$SERVICE_USER" != "$(id -un)" ]; then
      has setpriv || die "setpriv (util-linux) is needed to start the relay as $SERVICE_USER"
      as="setpriv --reuid=$SERVICE_USER --regid=$SERVICE_GROUP --init-groups --"
    fi
    # shellcheck disable=SC2086 # $as is empty or a whole command prefix; $NODE_FLAGS are words
    DOCKLIGHT_ENV_FILE=$ENV_FILE nohup $as "$NODE" $NODE_FLAGS "$RELAY_HOME/current/relay.mjs" run </dev/null >>"$LOG_FILE" 2>&1 &
    PID=$! && echo "$PID" >"$PID_FILE"
  fi
}

# Until the new relay's status file says connected, and still does a moment later (the edge closes
# the socket right after the hello when it refuses the relay's protocol).
wait_connected() {
  deadline=$(($(date +%s) + WAIT)) state=
  while [ "$(date +%s)" -lt "$deadline" ]; do
    nap
    status=$(cat "$STATUS_FILE" 2>/dev/null || true)
    state=$(printf '%s' "$status" | sed -n 's/.*"state":"\([a-z]*\)".*/\1/p')
    case $state in refused) break ;; connected) sleep 1; running "$PID" && grep -q '"state":"connected"' "$STATUS_FILE" && return 0 ;; esac
    running "$PID" || break
  done
  printf '%s\n' "$status" | sed -n 's/.*"message":"\([^"]*\)".*/install.sh: the relay says: \1/p' >&2
  if [ "$SYSTEMD" = yes ]; then journalctl -u docklight-relay -n 20 --no-pager >&2 || true; else tail -n 20 "$LOG_FILE" >&2 || true; fi
  die "the relay did not connect (state: ${state:-none}); run: $WRAPPER doctor"
}

install_relay() {
  check_inputs
  # A release left half-made (NEW, until it is moved into place) goes with the temp folder.
  TMP=$(mktemp -d) NEW= && trap 'rm -rf "$TMP" ${NEW:+"$NEW"}' EXIT && trap 'exit 130' INT TERM
  started=$(date +%s)
  fetch_artifact
  # The code is traded once the release checked out (nothing is written before), and its token
  # written at once, so a failure after this needs no new code.
  exchange_code
  choose_user
  write_config
  mkdir -p "$RELAY_HOME/releases"
  unpack_artifact
  choose_node
  install_modules
  [ -e "$RELAY_HOME/releases/$VERSION" ] && mv "$RELAY_HOME/releases/$VERSION" "$RELAY_HOME/releases/$VERSION.old"
  mv "$NEW" "$RELAY_HOME/releases/$VERSION"
  ln -sfn "releases/$VERSION" "$RELAY_HOME/current"
  mkdir -p "$(dirname "$WRAPPER")" "$(dirname "$UNIT_FILE")"
  printf '#!/bin/sh\n# docklight-relay, installed by the Docklight relay installer\n: "${DOCKLIGHT_ENV_FILE:=%s}"\nexport DOCKLIGHT_ENV_FILE\nexec "%s" "%s/current/relay.mjs" "$@"\n' "$ENV_FILE" "$NODE" "$RELAY_HOME" >"$WRAPPER" && chmod 755 "$WRAPPER"
  render_unit >"$UNIT_FILE" && chmod 644 "$UNIT_FILE"
  start_relay
  wait_connected
  for old in "$RELAY_HOME"/releases/*; do [ "$old" = "$RELAY_HOME/releases/$VERSION" ] || rm -rf "$old"; done
  say "docklight-relay $VERSION is connected to $URL as host $HOST ($(($(date +%s) - started)) s; running as $SERVICE_USER)"
  if [ "$SYSTEMD" = yes ]; then say "logs: journalctl -u docklight-relay -f"; else say "logs: $LOG_FILE (not under systemd: it will not start again at boot)"; fi
  say "check it any time: $WRAPPER doctor"
}

uninstall_relay() {
  stop_relay
  if [ -f "$UNIT_FILE" ]; then
    [ "$SYSTEMD" = yes ] && systemctl disable --quiet docklight-relay 2>/dev/null || true
    rm -f "$UNIT_FILE"
    [ "$SYSTEMD" = yes ] && systemctl daemon-reload || true
  fi
  grep -q 'installed by the Docklight relay installer' "$WRAPPER" 2>/dev/null && rm -f "$WRAPPER"
  rm -rf "$RELAY_HOME"
  rm -f "$ENV_FILE" "$STATUS_FILE" "$LOG_FILE"
  rmdir "$ETC_DIR" 2>/dev/null || true
  if [ "$PURGE" = 1 ]; then
    rm -rf "$STATE_DIR"
    if [ -z "$ROOT" ] && getent passwd docklight | grep -q ':Docklight relay:'; then userdel docklight; fi
  fi
  # Under a --prefix, also the standard folders this script created there, once empty.
  if [ -n "$ROOT" ]; then for d in etc/systemd/system etc/systemd etc usr/local/bin usr/local usr var/lib var opt; do rmdir "$ROOT/$d" 2>/dev/null || true; done; fi
  if [ "$PURGE" = 1 ]; then say "removed the relay, its settings and its history"; else say "removed the relay and its settings; kept the history in $STATE_DIR (remove it too with --purge)"; fi
}

main() {
  umask 022 # the relay's user must be able to read what root installs
  parse_args "$@"
  if [ "$ACTION" = uninstall ]; then uninstall_relay; else install_relay; fi
}

# Sourced with DOCKLIGHT_INSTALL_SOURCED=1 (the tests), it only defines its functions.
[ "${DOCKLIGHT_INSTALL_SOURCED:-}" = 1 ] || main "$@"
