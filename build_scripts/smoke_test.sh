#!/usr/bin/env bash
# Smoke test of the frozen app, as a user would start it: from an empty working folder, with a fresh
# data folder, offscreen, and with no network at all where unshare allows it.
#
#   build_scripts/smoke_test.sh [BUNDLE_DIR] [REPORT_JSON]      (defaults: dist/atelier dist/smoke-test.json)
#
# Stages, in order; the first failure stops the test, is named on stderr and in the report, and
# the exit status is non-zero:
#   bundle      the executable is there and runs (`atelier --version`)
#   info        `atelier info --json`: versions, device, data folder, installed models
#   resources   every shipped model resolves inside the bundle; the data folder is outside it
#   self-test   `atelier self-test --json`: device probe, every shipped model loaded and run once
#               (a painting, a melody rendered to audio, a chat answer, a VAE line), the main window
#               shown for one event-loop turn
#   paint       `atelier paint --from-scratch`: a scene painted, its sketch saved
#   best        `atelier paint --best` on that sketch: autograd and an optimiser, which the self-test does
#               not reach
#   startup     time from process start to the window shown (ATELIER_EXIT_AFTER_SHOW=1)
#   read-only   nothing was written inside the bundle, and the user data went to ATELIER_DATA_DIR
# The report (JSON) holds versions, device, per-check timings, stage timings and the bundle size.
# Each run of the app has a time limit (timeout exits 124): a dialog left open must not hang the test.
set -uo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
bundle=$(cd "${1:-$repo/dist/atelier}" 2>/dev/null && pwd) || { echo "smoke test FAILED at stage bundle: no bundle folder ${1:-dist/atelier} (run make package)" >&2; exit 1; }
report=${2:-$repo/dist/smoke-test.json}
report=$(cd "$(dirname "$report")" && pwd)/$(basename "$report")
exe="$bundle/atelier"

work=$(mktemp -d "${TMPDIR:-/tmp}/atelier-smoke-XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/cwd" "$work/data" "$work/out"
cd "$work/cwd"  # an empty working folder: nothing may depend on the current directory

export ATELIER_DATA_DIR="$work/data"
export QT_QPA_PLATFORM=offscreen
export ATELIER_DEVICE=${ATELIER_DEVICE:-auto}
# No sound card is needed: ALSA writes to a null device.
printf 'pcm.!default { type null }\nctl.!default { type null }\n' > "$work/alsa-null.conf"
export ALSA_CONFIG_PATH="/usr/share/alsa/alsa.conf:$work/alsa-null.conf"
# No network: the bundle must not need one. Where the kernel allows it, each run of the app gets a
# network namespace with no interfaces at all (unshare; as root, or as a user with user namespaces).
offline=()
network="not isolated (unshare unavailable); proxies pointed at nothing"
if unshare -n true 2>/dev/null; then
    offline=(unshare -n); network="none (unshare -n)"
elif unshare -rn true 2>/dev/null; then
    offline=(unshare -rn); network="none (unshare -rn)"
fi
export http_proxy=http://127.0.0.1:9 https_proxy=http://127.0.0.1:9 no_proxy=
echo "network during the test: $network"

stages_file="$work/out/stages.tsv"
: > "$stages_file"
failed_stage=""

now() { date +%s.%N; }

# run_stage NAME COMMAND...: runs it, records its time and status, stops at the first failure.
run_stage() {
    local name=$1; shift
    [ -n "$failed_stage" ] && return 1
    echo "== $name"
    local start end status
    start=$(now)
    "$@" > "$work/out/$name.out" 2> "$work/out/$name.err"
    status=$?
    end=$(now)
    cat "$work/out/$name.out"
    printf '%s\t%s\t%s\n' "$name" "$status" "$(awk "BEGIN { print $end - $start }")" >> "$stages_file"
    if [ "$status" -ne 0 ]; then
        failed_stage=$name
        echo "-- $name failed (exit $status); its stderr ends with:" >&2
        tail -n 20 "$work/out/$name.err" >&2
        return 1
    fi
}

listing() { find "$bundle" -printf '%P\t%s\t%T@\n' | sort; }
listing > "$work/before.txt"

run_stage bundle timeout 60 ${offline[@]+"${offline[@]}"} "$exe" --version
run_stage info timeout 300 ${offline[@]+"${offline[@]}"} "$exe" info --json
check_models_in_bundle() {
    python3 - "$work/out/info.out" "$bundle" <<'PY'
import json, sys
info, bundle = json.load(open(sys.argv[1])), sys.argv[2]
shipped = [m for m in info["models"] if m["shipped"]]
outside = [m["path"] for m in shipped if not m["path"].startswith(bundle + "/")]
if not shipped or outside:
    sys.exit(f"shipped models must resolve inside the bundle; found {len(shipped)}, outside it: {outside}")
if info["data_folder"].startswith(bundle + "/"):
    sys.exit(f"the data folder {info['data_folder']} is inside the bundle")
print(f"{len(shipped)} shipped models, all inside the bundle; data folder {info['data_folder']}")
PY
}
run_stage resources check_models_in_bundle
run_stage self-test timeout 1200 ${offline[@]+"${offline[@]}"} "$exe" self-test --json "$work/out/self-test.json"
run_stage paint timeout 300 ${offline[@]+"${offline[@]}"} "$exe" paint --from-scratch --style van-gogh \
    --size 128x96 --save-sketch "$work/out/sketch.png" -o "$work/out/scratch.png"
run_stage best timeout 600 ${offline[@]+"${offline[@]}"} "$exe" paint --input "$work/out/sketch.png" \
    --style van-gogh --best -o "$work/out/best.png"
run_stage startup timeout 300 ${offline[@]+"${offline[@]}"} env ATELIER_EXIT_AFTER_SHOW=1 "$exe"

check_read_only() {
    listing > "$work/after.txt"
    if ! diff "$work/before.txt" "$work/after.txt" > "$work/out/bundle-changes.txt"; then
        echo "files inside the bundle changed:" >&2
        cat "$work/out/bundle-changes.txt" >&2
        return 1
    fi
    if [ -n "$(ls -A "$work/cwd")" ]; then
        echo "files were written to the working folder: $(ls -A "$work/cwd")" >&2
        return 1
    fi
    [ -d "$work/data" ] && [ -n "$(ls -A "$work/data")" ] || { echo "nothing was written to ATELIER_DATA_DIR" >&2; return 1; }
    echo "bundle unchanged; user data only in ATELIER_DATA_DIR: $(ls -A "$work/data" | tr '\n' ' ')"
}
run_stage read-only check_read_only

# The report: python3 is on any machine that can build the bundle; the bundle itself is not used here.
python3 - "$work/out" "$bundle" "$report" "$failed_stage" "$network" <<'PY'
import json, os, sys
from pathlib import Path

out, bundle, report, failed, network = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4], sys.argv[5]

def read_json(path):
    try:
        return json.loads(path.read_text())
    except (OSError, ValueError):
        return None

size = 0  # apparent size of the regular files; symbolic links (and the folders they name) are not followed
for root, _dirs, files in os.walk(bundle):
    size += sum(os.lstat(os.path.join(root, name)).st_size for name in files
                if not os.path.islink(os.path.join(root, name)))
stages = []
for line in (out / "stages.tsv").read_text().splitlines():
    name, status, seconds = line.split("\t")
    stages.append({"stage": name, "ok": status == "0", "exit_status": int(status), "seconds": round(float(seconds), 2)})
info = read_json(out / "info.out") or {}
self_test = read_json(out / "self-test.json") or {}
startup_line = (out / "startup.out").read_text().strip() if (out / "startup.out").exists() else ""
result = {
    "ok": not failed,
    "failed_stage": failed or None,
    "bundle": str(bundle),
    "bundle_size_mib": round(size / 2**20, 1),
    "versions": {key: info.get(key) for key in ("atelier", "python", "torch", "qt", "pyside6")},
    "device": info.get("device"),
    "device_notice": info.get("device_notice"),
    "network": network,
    "shipped_models": [m["name"] + " (" + m["kind"] + ")" for m in info.get("models", []) if m.get("shipped")],
    "stages": stages,
    "checks": self_test.get("checks", []),
    "failed_checks": self_test.get("failed", []),
    "window_shown_after_s": float(startup_line.split()[-2]) if startup_line.startswith("atelier: window shown") else None,
}
report.parent.mkdir(parents=True, exist_ok=True)
report.write_text(json.dumps(result, indent=2) + "\n")
print(f"report: {report}")
PY

if [ -n "$failed_stage" ]; then
    echo "smoke test FAILED at stage $failed_stage" >&2
    exit 1
fi
echo "smoke test passed: $(du -sh "$bundle" | cut -f1) bundle, report in $report"
