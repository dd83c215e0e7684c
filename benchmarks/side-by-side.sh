#!/usr/bin/env bash
# Mote and llama.cpp on the same machine, the same files and the same cores: for each shape × type of issue 3's
# table, synthesizes the model once (`mote synth`), then runs `llama-bench` and `mote bench` on it back to back
# (llama.cpp first, then Mote, so both see the same machine state) and prints one markdown row per model.
#
#   LLAMA_BENCH=/path/to/llama-bench benchmarks/side-by-side.sh [MODEL_DIR] [REPS]   (default /tmp/mote-models, 5)
#
# ONLY=REGEX keeps the rows whose "shape type" matches (e.g. ONLY='q4_0|q4_k_m'), for re-measuring what a change
# touched.
#
# llama-bench runs with its defaults (F16 KV cache, flash attention auto = on for CPU) and -t 2; Mote with
# --cache-type f16 to match. Needs the .NET SDK and a llama-bench binary you built (not part of Mote).
set -euo pipefail
cd "$(dirname "$0")/.."
: "${LLAMA_BENCH:?set LLAMA_BENCH to a llama-bench binary}"
dir=${1:-/tmp/mote-models}
reps=${2:-5}
mkdir -p "$dir"
dotnet build src/Mote.Cli -c Release -o "$dir/bin" >/dev/null
mote="$dir/bin/mote"

rows="smollm2-135m f16
smollm2-135m q8_0
smollm2-135m q4_0
smollm2-135m q4_k_m
qwen2.5-0.5b q8_0
qwen2.5-0.5b q4_0
qwen2.5-0.5b q4_k_m
llama3.2-1b f16
llama3.2-1b q8_0
llama3.2-1b q4_0
llama3.2-1b q4_k_m"
rows=$(grep -E "${ONLY:-.}" <<<"$rows")

field() { grep -oE "\"$1\":[-0-9.eE+]+" <<<"$2" | head -1 | cut -d: -f2; }
# avg_ts of the llama-bench JSONL line whose n_prompt (pp) or n_gen (tg) is set.
llama() { grep -E "\"$1\": [1-9]" <<<"$2" | grep -oE "\"$3\": [-0-9.eE+]+" | head -1 | cut -d' ' -f2; }

echo "| shape | type | llama.cpp pp128 | Mote pp128 | ratio | llama.cpp tg64 | Mote tg64 | ratio |"
echo "|---|---|---:|---:|---:|---:|---:|---:|"
while read -r shape type; do
  file="$dir/$shape-$type.gguf"
  [ -f "$file" ] || "$mote" synth --shape "$shape" --type "$type" -o "$file" >/dev/null 2>&1
  l=$("$LLAMA_BENCH" -m "$file" -p 128 -n 64 -t 2 -r "$reps" -o jsonl 2>/dev/null)
  m=$("$mote" bench -m "$file" -p 128 -n 64 -t 2 -r "$reps" --cache-type f16 --json 2>/dev/null)
  awk -v s="$shape" -v t="$type" \
      -v lpp="$(llama n_prompt "$l" avg_ts)" -v lpps="$(llama n_prompt "$l" stddev_ts)" \
      -v ltg="$(llama n_gen "$l" avg_ts)" -v ltgs="$(llama n_gen "$l" stddev_ts)" \
      -v pp="$(field pp_tps "$m")" -v pps="$(field pp_tps_std "$m")" \
      -v tg="$(field tg_tps "$m")" -v tgs="$(field tg_tps_std "$m")" 'BEGIN {
    printf "| %s | %s | %.0f ± %.0f | %.0f ± %.0f | %.2f× | %.1f ± %.1f | %.1f ± %.1f | %.2f× |\n",
      s, t, lpp, lpps, pp, pps, pp / lpp, ltg, ltgs, tg, tgs, tg / ltg }'
done <<<"$rows"
echo
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
