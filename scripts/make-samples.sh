#!/usr/bin/env bash
# Synthesises the demo's bundled sample set ("Try without a microphone") with espeak-ng:
# every word in several voices, 16 kHz 16-bit mono WAV, plus a few impostor sounds (other
# words, noise) that the recogniser should reject. Output: web/demo/samples/ (git-ignored)
# with manifest.json. Idempotent: does nothing when the manifest matches this script.
#
#   bash scripts/make-samples.sh [--force]
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="$ROOT/web/demo/samples"
STAMP="$(sha1sum "${BASH_SOURCE[0]}" | cut -c1-12)"

if [[ "${1:-}" != "--force" && -f "$OUT/manifest.json" ]] && grep -q "\"stamp\": \"$STAMP\"" "$OUT/manifest.json"; then
  exit 0
fi
for tool in espeak-ng sox; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "make-samples: '$tool' is missing; install it with: apt-get install -y espeak-ng sox" >&2
    exit 1
  fi
done

WORDS=(yes no up down left right go stop)
# voice:speed(words per minute):pitch(0-99). The first TRAIN_VOICES train, the rest test
# (unseen voices), so the demo shows generalisation rather than memorisation. Eight voices
# of both sexes and several accents train: with four, a new voice was mostly rejected.
VOICES=(
  "en-us+m1:150:45" "en-us+m3:165:40" "en-gb+m2:145:50" "en-gb-scotland+m1:155:45"
  "en-029+m4:150:40" "en-gb+f3:140:60" "en-us+f2:160:65" "en-gb-x-rp+f4:150:55"
  "en-us-nyc+m5:140:50" "en-us+f1:150:60"
)
TRAIN_VOICES=8
IMPOSTORS=(banana seven hello)
RATE=16000

rm -rf "$OUT"
mkdir -p "$OUT"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# espeak-ng output (22.05 kHz) -> 16 kHz, leading/trailing silence trimmed to 0.15 s each.
synth() { # text voice speed pitch outfile
  espeak-ng -v "$2" -s "$3" -p "$4" -w "$TMP/raw.wav" "$1"
  sox "$TMP/raw.wav" -r "$RATE" -b 16 -c 1 "$5" \
    silence 1 0.01 0.5% reverse silence 1 0.01 0.5% reverse pad 0.15 0.15
}

entries=()
for word in "${WORDS[@]}"; do
  for i in "${!VOICES[@]}"; do
    IFS=: read -r voice speed pitch <<<"${VOICES[$i]}"
    file="$word-$i.wav"
    synth "$word" "$voice" "$speed" "$pitch" "$OUT/$file"
    role=test; (( i < TRAIN_VOICES )) && role=train
    entries+=("{\"file\": \"$file\", \"label\": \"$word\", \"voice\": \"$voice\", \"role\": \"$role\"}")
  done
done
for j in "${!IMPOSTORS[@]}"; do
  IFS=: read -r voice speed pitch <<<"${VOICES[$(( j % ${#VOICES[@]} ))]}"
  file="impostor-${IMPOSTORS[$j]}.wav"
  synth "${IMPOSTORS[$j]}" "$voice" "$speed" "$pitch" "$OUT/$file"
  entries+=("{\"file\": \"$file\", \"label\": null, \"voice\": \"$voice\", \"role\": \"impostor\", \"text\": \"${IMPOSTORS[$j]}\"}")
done
# A burst of pink noise and a hum: sounds that are no word at all.
sox -n -r "$RATE" -b 16 -c 1 "$OUT/impostor-noise.wav" synth 0.6 pinknoise vol 0.3 pad 0.15 0.15
sox -n -r "$RATE" -b 16 -c 1 "$OUT/impostor-hum.wav" synth 0.6 sine 180 sine 360 remix 1-2 vol 0.3 pad 0.15 0.15
entries+=("{\"file\": \"impostor-noise.wav\", \"label\": null, \"voice\": null, \"role\": \"impostor\", \"text\": \"pink noise\"}")
entries+=("{\"file\": \"impostor-hum.wav\", \"label\": null, \"voice\": null, \"role\": \"impostor\", \"text\": \"hum\"}")

{
  printf '{\n  "format": "gmmhmm-demo-samples",\n  "stamp": "%s",\n  "sampleRate": %d,\n' "$STAMP" "$RATE"
  printf '  "source": "espeak-ng %s, synthesised at build time by scripts/make-samples.sh",\n' \
    "$(espeak-ng --version | awk '{print $4}')"
  printf '  "words": [%s],\n' "$(printf '"%s", ' "${WORDS[@]}" | sed 's/, $//')"
  printf '  "items": [\n    %s\n  ]\n}\n' "$(IFS=$'\n'; echo "${entries[*]}" | paste -sd'\t' | sed 's/\t/,\n    /g')"
} >"$OUT/manifest.json"
node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$OUT/manifest.json"
echo "make-samples: $(ls "$OUT"/*.wav | wc -l) files, $(du -sk --apparent-size "$OUT" | cut -f1) KB in web/demo/samples/"
