// A microphone for Firefox, fed from a WAV file: a private PulseAudio server with two null
// sinks, one the browser plays into (so that its AudioContext runs: headless Firefox has no
// other audio output) and one whose monitor is the default source (what getUserMedia opens).
// play(wav) writes the file into that second sink, so the page hears it as microphone input.
// Chromium needs none of this: its fake device plays a file by itself (harness.js launch()).
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { tempDir } from './harness.js';

export const PULSEAUDIO = '/usr/bin/pulseaudio';
const MIC_SINK = 'gmmhmm_microphone';

/** Why there is no file-fed microphone for Firefox here, or null. */
export function pulseSkipReason() {
  return fs.existsSync(PULSEAUDIO) ? null
    : `PulseAudio not found at ${PULSEAUDIO}: Firefox has no audio device, its microphone tests are skipped (scripts/setup.sh installs pulseaudio)`;
}

/**
 * Starts the server. Returns { env, play(wav), unplug(), close() }: `env` goes to the
 * browser's environment; play() resolves when the whole file has been written into the
 * microphone; unplug() removes the microphone device, as a user pulling out a headset.
 */
export async function startPulse() {
  const runtime = tempDir('pulse');
  fs.chmodSync(runtime, 0o700);
  const env = { ...process.env, XDG_RUNTIME_DIR: runtime, PULSE_RUNTIME_PATH: path.join(runtime, 'pulse') };
  const run = (cmd, args) => execFileSync(cmd, args, { env, stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  // -n (no default.pa): nothing of the machine's own configuration, no other device. A server
  // left behind by a killed test run exits after 5 minutes without clients.
  run(PULSEAUDIO, ['--daemonize=yes', '--exit-idle-time=300', '--disallow-exit', '-n', '--use-pid-file=yes',
    '--load=module-native-protocol-unix',
    '--load=module-null-sink sink_name=gmmhmm_speakers sink_properties=device.description=gmmhmm-speakers',
    `--load=module-null-sink sink_name=${MIC_SINK} rate=16000 channels=1 sink_properties=device.description=gmmhmm-microphone`,
    `--log-target=file:${path.join(runtime, 'pulse.log')}`]);
  run('pactl', ['set-default-sink', 'gmmhmm_speakers']);
  run('pactl', ['set-default-source', `${MIC_SINK}.monitor`]);
  const playing = new Set();
  return {
    env,
    play(wav) {
      const child = spawn('paplay', [`--device=${MIC_SINK}`, wav], { env, stdio: ['ignore', 'ignore', 'pipe'] });
      playing.add(child);
      let stderr = '';
      child.stderr.on('data', (d) => { stderr += d; });
      return new Promise((resolve, reject) => child.on('exit', (code) => {
        playing.delete(child);
        if (code === 0 || child.killed) resolve();
        else reject(new Error(`paplay ${wav} exited with ${code}: ${stderr.trim()}`));
      }));
    },
    unplug() {
      const line = run('pactl', ['list', 'short', 'modules']).split('\n').find((l) => l.includes(`sink_name=${MIC_SINK}`));
      if (line) run('pactl', ['unload-module', line.split('\t')[0]]);
    },
    close() {
      for (const child of playing) child.kill();
      try {
        run(PULSEAUDIO, ['--kill']);
      } catch {
        // already gone
      }
      // --kill only signals the daemon, which may still write its files into the folder
      // while it shuts down (a removal then failed with ENOTEMPTY): wait until it has gone
      // (--check: exit status 0 while it runs), at most 5 s, and let the removal retry.
      for (let i = 0; i < 50; i++) {
        try {
          run(PULSEAUDIO, ['--check']);
        } catch {
          break;
        }
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
      }
      fs.rmSync(runtime, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
    },
  };
}
