#!/usr/bin/env bash
# watchdog.sh SECONDS command...: runs the command in a session of its own and ends it when
# it is stuck: neither it nor any process of its session has used a moment of CPU, and it
# has printed nothing, for SECONDS. A suite that waits on something that never comes (a
# deadlocked process sits at 0 % CPU) then fails in minutes with a diagnosis instead of using
# up CI's time limit in silence. Before ending the group it prints what each process was doing:
# its state, the kernel wait it sleeps in, and every thread's stack (gdb, when installed).
# Exit status: the command's own, or 124 when it was stuck.
set -uo pipefail
limit="$1"
shift
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

setsid "$@" > >(tee "$out") 2> >(tee -a "$out" >&2) &
pid=$!
# The command is in a session of its own, out of reach of the terminal's Ctrl-C: pass it on.
trap 'pkill -TERM -s "$pid"; exit 130' INT TERM

# CPU ticks (user + system, children reaped included) of every process in the session. The
# command name sits in parentheses and may hold spaces ("Web Content"): fields count after it.
group_ticks() {
  cat /proc/[0-9]*/stat 2>/dev/null | awk -v g="$pid" '{
    sub(/^[0-9]+ \(.*\) /, "")
    if ($4 == g) s += $12 + $13 + $14 + $15
  } END { print s + 0 }'
}

diagnose() {
  echo "watchdog: '$*' has used no CPU and printed nothing for ${limit} s: stuck" >&2
  ps -o pid,ppid,stat,wchan:32,time,args --sid "$pid" >&2 || true
  if command -v gdb >/dev/null; then
    for p in $(ps -o pid= --sid "$pid"); do
      echo "watchdog: threads of $p ($(tr '\0' ' ' < "/proc/$p/cmdline" 2>/dev/null | cut -c1-120))" >&2
      timeout 60 gdb -p "$p" -batch -ex 'thread apply all bt 16' 2>/dev/null |
        grep -E '^(Thread|#)' >&2 || true
    done
  fi
}

last_ticks=-1
last_size=-1
quiet=0
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  ticks="$(group_ticks)"
  size="$(stat -c %s "$out" 2>/dev/null || echo 0)"
  if [[ "$ticks" == "$last_ticks" && "$size" == "$last_size" ]]; then
    quiet=$((quiet + 5))
  else
    quiet=0
  fi
  last_ticks="$ticks"
  last_size="$size"
  if ((quiet >= limit)); then
    diagnose "$@"
    pkill -TERM -s "$pid"
    sleep 5
    pkill -KILL -s "$pid"
    wait
    exit 124
  fi
done
wait "$pid"
status=$?
wait # for tee to print the last of the output
exit "$status"
