#!/bin/sh
# Bookrelay container entrypoint (POSIX sh). As root it:
#   1. picks the folders: /config for the database (an older image's /data keeps working), /cwa-book-ingest for books
#      (Shelfmark's /books when that is what is mounted); DATA_DIR / INGEST_DIR / TMP_DIR win when set;
#   2. makes them belong to PUID:PGID (CWA-BD's UID/GID too), because Docker creates a missing host folder as root;
#   3. with USING_TOR=true starts Debian's tor and waits for it to bootstrap, or stops with the reason;
#   4. drops to PUID:PGID (setpriv, from util-linux) and execs the command (node dist/server.js).
# Started as a non-root user (docker run --user, rootless podman) it only does 1, 3 and 4 without switching.
# FLASK_HOST / FLASK_PORT (CWA-BD's compose files) keep working: the image sets neither HOST nor PORT.
set -eu

say() { printf 'Bookrelay: %s\n' "$*"; }
die() {
  printf 'Bookrelay: %s\n' "$*" >&2
  exit 1
}

# Outside Docker (scripts/try-container.mjs) the container's root folder is a temp folder; in the image it is /.
fs_root="${BOOKRELAY_FS_ROOT:-}"

# ---- who runs the companion ----
PUID="${PUID:-${UID:-1000}}"
PGID="${PGID:-${GID:-1000}}"
case "$PUID" in '' | *[!0-9]*) die "PUID (or UID) must be a number, got '$PUID'" ;; esac
case "$PGID" in '' | *[!0-9]*) die "PGID (or GID) must be a number, got '$PGID'" ;; esac
[ "$PUID" -ne 0 ] || die "PUID=0 would run the companion as root; pick the uid that owns your CWA ingest folder"

# ---- where things live ----
if [ -z "${DATA_DIR:-}" ]; then
  DATA_DIR="$fs_root/config"
  # Images before 0.2 kept the database in /data: keep using it while /config holds none.
  if [ -f "$fs_root/data/bookrelay.sqlite" ] && [ ! -f "$DATA_DIR/bookrelay.sqlite" ]; then
    DATA_DIR="$fs_root/data"
    say "using the database in /data (mount it at /config instead when convenient)"
  fi
fi
if [ -z "${INGEST_DIR:-}" ]; then
  INGEST_DIR="$fs_root/cwa-book-ingest"
  # The image has no /books: if it exists, it was mounted (Shelfmark's ingest volume).
  if [ -d "$fs_root/books" ]; then INGEST_DIR="$fs_root/books"; fi
fi
export DATA_DIR INGEST_DIR
export HOST="${HOST:-${FLASK_HOST:-0.0.0.0}}"
# Chromium and npm want a writable home; the process user may have no passwd entry.
export HOME="$fs_root/tmp/bookrelay-home"

is_root=false
if [ "$(id -u)" -eq 0 ]; then is_root=true; fi

# Runs a command as PUID:PGID (or as is, when not root).
as_user() {
  if $is_root; then
    setpriv --reuid="$PUID" --regid="$PGID" --clear-groups -- "$@"
  else
    "$@"
  fi
}

# A folder the companion writes to: created, and when root, owned by PUID:PGID. The data folder is ours alone, so
# all of it is handed over; a library folder CWA also uses is only taken over when the user cannot write to it.
own_folder() {
  dir="$1"
  scope="$2"
  mkdir -p "$dir"
  $is_root || return 0
  # A share that refuses root (NFS root_squash, CIFS) cannot be handed over: say so and go on; the companion checks
  # at start that it can write there and names the variable when not.
  if [ "$scope" = all ]; then
    chown -R "$PUID:$PGID" "$dir" 2>/dev/null || say "cannot change the owner of $dir to $PUID:$PGID (a share?)"
  elif ! as_user sh -c 'probe="$1/.bookrelay-write-test.$$" && : >"$probe" && rm -f "$probe"' sh "$dir" 2>/dev/null; then
    say "making $dir writable for $PUID:$PGID"
    { chown "$PUID:$PGID" "$dir" && chmod u+rwx,g+rwx "$dir"; } 2>/dev/null ||
      say "cannot change the owner of $dir to $PUID:$PGID (a share?)"
  fi
}

own_folder "$DATA_DIR" all
own_folder "$INGEST_DIR" top
if [ -n "${TMP_DIR:-}" ]; then own_folder "$TMP_DIR" all; fi
own_folder "$HOME" all

# ---- Tor (the tor target sets USING_TOR=true) ----
case "$(printf '%s' "${USING_TOR:-false}" | tr '[:upper:]' '[:lower:]')" in
  true | yes | 1 | y | on) using_tor=true ;;
  *) using_tor=false ;;
esac
if $using_tor; then
  tor_bin="${TOR_BIN:-tor}"
  command -v "$tor_bin" >/dev/null 2>&1 || die "USING_TOR=true but tor is not installed: use the image's tor target"
  timeout="${TOR_BOOTSTRAP_TIMEOUT:-300}"
  case "$timeout" in '' | *[!0-9]*) die "TOR_BOOTSTRAP_TIMEOUT must be a number of seconds, got '$timeout'" ;; esac
  tor_dir="$HOME/tor"
  mkdir -p "$tor_dir"
  chmod 700 "$tor_dir"
  if $is_root; then chown -R "$PUID:$PGID" "$tor_dir"; fi
  tor_log="$tor_dir/notices.log"
  : >"$tor_log"
  if $is_root; then chown "$PUID:$PGID" "$tor_log"; fi
  # SOCKS on 127.0.0.1:9050 is what USING_TOR=true points the companion (and its Chromium) at.
  as_user "$tor_bin" --SocksPort 127.0.0.1:9050 --DataDirectory "$tor_dir/data" --Log "notice stdout" \
    --RunAsDaemon 0 >"$tor_log" 2>&1 &
  tor_pid=$!
  say "starting tor, waiting up to ${timeout}s for it to bootstrap"
  waited=0
  until grep -q 'Bootstrapped 100%' "$tor_log"; do
    if ! kill -0 "$tor_pid" 2>/dev/null; then
      die "tor stopped before it bootstrapped; its last lines: $(tail -n 5 "$tor_log" | tr '\n' ' ')"
    fi
    if [ "$waited" -ge "$timeout" ]; then
      kill "$tor_pid" 2>/dev/null || true
      die "tor did not bootstrap within ${timeout}s (no route to the Tor network?); last: $(tail -n 1 "$tor_log")"
    fi
    sleep 1
    waited=$((waited + 1))
  done
  say "tor is ready: all of the companion's outbound traffic goes through socks5://127.0.0.1:9050"
fi

[ "$#" -gt 0 ] || set -- node dist/server.js
if $is_root; then
  say "running as $PUID:$PGID (data: $DATA_DIR, books: $INGEST_DIR)"
  exec setpriv --reuid="$PUID" --regid="$PGID" --clear-groups -- "$@"
fi
exec "$@"
