# Shared by the scripts in this folder: set-up and an Azurite that starts and stops with the caller.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

AZURITE_KEY="Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=="

# Installs what the project needs: Node.js (for Azurite) and zip if missing, Azurite from package-lock.json, NuGet
# packages (the Bicep CLI and the ReadyToRun compiler among them).
setup() {
  if ! command -v npm >/dev/null 2>&1; then
    echo "Installing Node.js and npm (for Azurite)..."
    apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null
  fi
  if [ ! -x node_modules/.bin/azurite ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    echo "Installing Azurite (pinned in package-lock.json)..."
    npm ci --no-audit --no-fund --loglevel=error
  fi
  if ! command -v zip >/dev/null 2>&1; then
    echo "Installing zip (for ./scripts/package)..."
    apt-get update -qq && apt-get install -y -qq zip >/dev/null
  fi
  echo "Restoring NuGet packages..."
  dotnet restore Cases.Functions.sln --verbosity quiet
}

# connection_string BLOB_PORT QUEUE_PORT TABLE_PORT
connection_string() {
  echo "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZURITE_KEY;BlobEndpoint=http://127.0.0.1:$1/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$2/devstoreaccount1;TableEndpoint=http://127.0.0.1:$3/devstoreaccount1;"
}

# start_azurite BLOB_PORT QUEUE_PORT TABLE_PORT LOG_DIR [flags]: starts Azurite in the background, waits until it answers.
start_azurite() {
  local blob=$1 queue=$2 table=$3 location=$4
  shift 4
  mkdir -p "$location"
  if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null; then
    echo "Port $table is taken (another Azurite?). Stop it first, or pick other ports (CASES_TEST_PORT_BASE for the tests)." >&2
    exit 1
  fi
  node_modules/.bin/azurite --silent --skipApiVersionCheck --disableTelemetry \
    --blobPort "$blob" --queuePort "$queue" --tablePort "$table" "$@" >"$location/azurite.log" 2>&1 &
  AZURITE_PID=$!
  trap stop_azurite EXIT
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$table") 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$blob") 2>/dev/null; then
      echo "Azurite is up (blob $blob, queue $queue, table $table)."
      return 0
    fi
    if ! kill -0 "$AZURITE_PID" 2>/dev/null; then
      echo "Azurite failed to start:" >&2; cat "$location/azurite.log" >&2; exit 1
    fi
    sleep 0.2
  done
  echo "Azurite did not answer within 20 s:" >&2; cat "$location/azurite.log" >&2; exit 1
}

stop_azurite() {
  if [ -n "${AZURITE_PID:-}" ] && kill -0 "$AZURITE_PID" 2>/dev/null; then
    kill "$AZURITE_PID" 2>/dev/null || true
    wait "$AZURITE_PID" 2>/dev/null || true
  fi
}
