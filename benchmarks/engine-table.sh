#!/usr/bin/env bash
# Reproduces docs/performance.md's engine table: synthesizes each shape × type of issue 3's table with
# `mote synth` (random weights, real shapes) and runs `mote bench -p 128 -n 64 -t 2 -r 5 --json` on it, then prints
# the markdown rows next to llama.cpp's figures (llama-bench -t 2 on the same shapes, from issue 3).
#
#   benchmarks/engine-table.sh [MODEL_DIR] [EXTRA BENCH ARGS...]   (default /tmp/mote-models; files are reused)
#   e.g. benchmarks/engine-table.sh /tmp/mote-models --cache-type f16
#
# Needs only the .NET SDK; run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-/tmp/mote-models}
shift || true
extra=("$@")
mkdir -p "$dir"
dotnet build src/Mote.Cli -c Release -o "$dir/bin" >/dev/null
mote="$dir/bin/mote"

# shape type llama.cpp-pp128 llama.cpp-tg64
rows="smollm2-135m f16 874 97.9
smollm2-135m q8_0 801 121.8
smollm2-135m q4_0 1302 162.4
smollm2-135m q4_k_m 650 127.2
qwen2.5-0.5b q8_0 264 45.2
qwen2.5-0.5b q4_0 571 63.9
qwen2.5-0.5b q4_k_m 213 47.3
llama3.2-1b f16 137 14.8
llama3.2-1b q8_0 100 22.3
llama3.2-1b q4_0 211 38.6
llama3.2-1b q4_k_m 141 38.0"

field() { grep -oE "\"$1\":[-0-9.eE+]+" <<<"$2" | head -1 | cut -d: -f2; }

echo "| shape | type | llama.cpp pp128 | Mote pp128 | ratio | llama.cpp tg64 | Mote tg64 | ratio | decode GB/s (% of probe) | peak RSS MiB (budget) |"
echo "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|"
while read -r shape type lpp ltg; do
  file="$dir/$shape-$type.gguf"
  [ -f "$file" ] || "$mote" synth --shape "$shape" --type "$type" -o "$file" >/dev/null 2>&1
  json=$("$mote" bench -m "$file" -p 128 -n 64 -t 2 -r 5 --json "${extra[@]}" 2>/dev/null)
  pp=$(field pp_tps "$json"); pps=$(field pp_tps_std "$json")
  tg=$(field tg_tps "$json"); tgs=$(field tg_tps_std "$json")
  bw=$(field tg_bandwidth_gbs "$json"); roof=$(field roofline_pct "$json")
  rss=$(field rss_mb "$json"); bytes=$(field model_bytes "$json"); kv=$(field kv_cache_bytes "$json")
  awk -v s="$shape" -v t="$type" -v lpp="$lpp" -v ltg="$ltg" -v pp="$pp" -v pps="$pps" -v tg="$tg" -v tgs="$tgs" \
      -v bw="$bw" -v roof="$roof" -v rss="$rss" -v bytes="$bytes" -v kv="$kv" 'BEGIN {
    budget = (bytes + kv) / 1048576 + 64
    printf "| %s | %s | %s | %.0f ± %.0f | %.2f× | %s | %.1f ± %.1f | %.2f× | %.1f (%.0f %%) | %.0f (%.0f) |\n",
      s, t, lpp, pp, pps, pp / lpp, ltg, tg, tgs, tg / ltg, bw, roof, rss, budget }'
done <<<"$rows"
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
