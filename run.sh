#!/usr/bin/env bash
# Runs PushGov locally: installs what it needs, starts Azurite on loopback, builds and starts the isolated-worker app on
# the local host (functions/PushGov.LocalHost plays the Azure Functions host; `func start` runs the same app where Core
# Tools are installed), creates the sample tenant, uploads the sample drops, waits until every case has settled and
# prints the messages PushGov would send, then starts the staff portal beside the app and prints its URL and a staff
# key to sign in with. Keeps running until Ctrl-C; with --once it prints the table and exits. Stops what it started.
set -euo pipefail
cd "$(dirname "$0")"
root=$(pwd)

once=false
case "${1:-}" in
  --once) once=true ;;
  "") ;;
  *) echo "usage: ./run.sh [--once]" >&2; exit 2 ;;
esac

tenant=401307   # 福岡市, the tenant of the sample drops
run=$root/.run
pids=()
cleanup() {
  # Ask politely, wait up to 5 s, then make sure (Azurite can linger after a Ctrl-C and a TERM together).
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for _ in $(seq 1 20); do
    alive=false
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=true; done
    [ "$alive" = false ] && break
    sleep 0.25
  done
  for pid in "${pids[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() { node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
wait_port() { for _ in $(seq 1 "$2"); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.5; done; return 1; }

echo "Installing Azurite (npm ci) and building PushGov…"
scripts/ensure-azurite.sh
dotnet build functions/PushGov.Local/PushGov.Local.csproj -c Release -v q -nologo -clp:ErrorsOnly
dotnet build functions/PushGov.Cli/PushGov.Cli.csproj -c Release -v q -nologo -clp:ErrorsOnly
if [ "$once" = false ]; then
  dotnet build functions/PushGov.Portal/PushGov.Portal.csproj -c Release -v q -nologo -clp:ErrorsOnly
fi

rm -rf "$run" && mkdir -p "$run/azurite"
blob=$(free_port); queue=$(free_port); table=$(free_port); app=$(free_port)
node_modules/.bin/azurite --silent --skipApiVersionCheck --loose --location "$run/azurite" \
  --blobHost 127.0.0.1 --blobPort "$blob" --queueHost 127.0.0.1 --queuePort "$queue" --tableHost 127.0.0.1 --tablePort "$table" \
  > "$run/azurite.log" 2>&1 &
pids+=($!)
if ! wait_port "$blob" 40 || ! wait_port "$queue" 10 || ! wait_port "$table" 10; then
  echo "Azurite did not start on 127.0.0.1 (see $run/azurite.log)." >&2
  exit 1
fi

account=devstoreaccount1
key=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==
export AzureWebJobsStorage="DefaultEndpointsProtocol=http;AccountName=$account;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob/$account;QueueEndpoint=http://127.0.0.1:$queue/$account;TableEndpoint=http://127.0.0.1:$table/$account;"
export PushGov__ApiKeyPepper="local-run-pepper-not-a-secret"
export PushGov__TaskHub=pushgovlocal
export PushGov__ResidentLinks__Key="local-run-resident-link-key-not-a-secret"
export PushGov__Telemetry__Console=true   # traces and metrics to the console exporter, in .run/app.log
# The sample tenant's LINE official account, local values only: the webhook is signed with this secret; in sink mode
# nothing is sent to LINE (the token is never used), LINE messages are recorded in the development sink like the others.
line_secret="local-run-line-channel-secret"
export PushGov__Line__Tenants__${tenant}__ChannelSecret="$line_secret"
export PushGov__Line__Tenants__${tenant}__ChannelAccessToken="local-run-line-token-not-a-secret"

apikey=$(./pushgov tenant create --code "$tenant" --name 福岡市 --portal-url https://portal.example.jp 2>/dev/null)
portalkey=$(./pushgov tenant rotate-key --code "$tenant" --role resident-portal 2>/dev/null)

functions/PushGov.Local/bin/Release/net10.0/PushGov.Local "http://127.0.0.1:$app" > "$run/app.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$app/api/health" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$app/api/health" > /dev/null || { echo "PushGov did not start (see $run/app.log)." >&2; exit 1; }

upload() { # dataset file
  local name; name=$(basename "$2")
  curl -fsS -X POST -H "Authorization: Bearer $apikey" -H "Content-Type: text/csv" --data-binary "@$2" \
    "http://127.0.0.1:$app/api/tenants/$tenant/drops/$1?name=$name" > /dev/null
  for _ in $(seq 1 120); do
    if curl -fsS -H "Authorization: Bearer $apikey" "http://127.0.0.1:$app/api/tenants/$tenant/drops/$1/$name/report" > "$run/$1-$name.report.json" 2>/dev/null; then
      echo "  $1/$name: $(node -e 'const r=require(process.argv[1]);console.log(`${r.accepted} of ${r.rowsRead} rows accepted${r.rejectedCount?`, ${r.rejectedCount} rejected`:""}${r.rejectedWhole?` — rejected: ${r.rejectedWhole}`:""}`)' "$run/$1-$name.report.json")"
      return 0
    fi
    sleep 0.5
  done
  echo "  $1/$name: no report after 60 s (see $run/app.log)" >&2
  return 1
}

# The LINE account link as a resident does it (samples/{tenant}/line/account-links.csv): the portal, once the resident
# proved who they are, asks for LINE's link URL with a nonce; LINE then posts the signed accountLink event with it.
link_line() { # resident_id line_user_id
  local redirect nonce body signature
  redirect=$(curl -fsS -X POST -H "Authorization: Bearer $portalkey" -H "Content-Type: application/json" \
    -d '{"linkToken":"sampleLinkToken"}' "http://127.0.0.1:$app/api/tenants/$tenant/residents/$1/line-link")
  nonce=$(node -e 'console.log(new URL(JSON.parse(process.argv[1]).redirectUrl).searchParams.get("nonce"))' "$redirect")
  body=$(printf '{"destination":"Usample","events":[{"type":"accountLink","mode":"active","timestamp":%s,"webhookEventId":"sample-link-%s","deliveryContext":{"isRedelivery":false},"source":{"type":"user","userId":"%s"},"replyToken":"sample","link":{"result":"ok","nonce":"%s"}}]}' \
    "$(date +%s000)" "$1" "$2" "$nonce")
  signature=$(printf '%s' "$body" | openssl dgst -sha256 -hmac "$line_secret" -binary | base64)
  curl -fsS -X POST -H "Content-Type: application/json" -H "X-Line-Signature: $signature" --data-binary "$body" \
    "http://127.0.0.1:$app/api/tenants/$tenant/events/line" > /dev/null
  echo "  resident $1 linked to LINE"
}

echo "Uploading the sample drops of $tenant (reports in $run/):"
# Contacts and the registry snapshot first, so the cases that start find who to tell and how.
for dataset in contacts residents tax pregnancy disaster; do
  for file in samples/"$tenant"/"$dataset"/*.csv; do
    [ -e "$file" ] && upload "$dataset" "$file"
  done
done
if [ -e samples/"$tenant"/line/account-links.csv ]; then
  tail -n +2 samples/"$tenant"/line/account-links.csv | while IFS=, read -r resident user; do link_line "$resident" "$user"; done
fi
for file in samples/"$tenant"/resident-changes/*.csv; do
  [ -e "$file" ] && upload resident-changes "$file"
done

echo
./pushgov notifications --url "http://127.0.0.1:$app" --tenant "$tenant" --key "$apikey" --wait-for 1 --settled --timeout 120
echo
./pushgov takeup --url "http://127.0.0.1:$app" --tenant "$tenant" --key "$apikey"

if [ "$once" = true ]; then
  exit 0
fi

# The staff portal: a client of the API above, signed in with a staff key (kept only in its encrypted cookie).
staffkey=$(./pushgov tenant rotate-key --code "$tenant" --role staff --key-name "run.sh portal" 2>/dev/null)
portal=$(free_port)
(cd functions/PushGov.Portal && \
  PushGov__Portal__ApiBaseUrl="http://127.0.0.1:$app" PushGov__Portal__DataProtectionKeysPath="$run/portal-keys" \
  PushGov__Portal__ResidentKeys__${tenant}="$portalkey" \
  exec bin/Release/net10.0/PushGov.Portal --urls "http://127.0.0.1:$portal" > "$run/portal.log" 2>&1) &
pids+=($!)
for _ in $(seq 1 60); do
  curl -fsS "http://127.0.0.1:$portal/SignIn" > /dev/null 2>&1 && break
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$portal/SignIn" > /dev/null || { echo "The portal did not start (see $run/portal.log)." >&2; exit 1; }

echo
echo "Staff portal: http://127.0.0.1:$portal  (sign in with the staff key $staffkey)"
echo "Residents' pages: open a message's link (above) with https://portal.example.jp replaced by http://127.0.0.1:$portal"
echo "PushGov is running at http://127.0.0.1:$app (API key for $tenant: $apikey)."
echo "Logs: $run/app.log, $run/portal.log. Drop more files with: curl -X POST -H 'Authorization: Bearer …' -H 'Content-Type: text/csv' --data-binary @file.csv http://127.0.0.1:$app/api/tenants/$tenant/drops/<dataset>"
echo "Ctrl-C stops PushGov, the portal and Azurite."
wait "${pids[1]}"
