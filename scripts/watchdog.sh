#!/usr/bin/env bash
# watchdog.sh SECONDS command...: runs the command and ends it when it is stuck: neither it nor
# any of its descendants (browsers that a test starts in sessions of their own included) has
# used a moment of CPU, and it has printed nothing, for SECONDS. A suite that waits on something
# that never comes (a deadlocked process sits at 0 % CPU) then fails in minutes with a
# diagnosis instead of using up CI's time limit in silence. Before ending them it prints what
# each process was doing: its state, the kernel wait it sleeps in, and every thread's stack
# (gdb, when installed and allowed to attach).
# Exit status: the command's own, or 124 when it was stuck.
set -uo pipefail
limit="$1"
shift
out="$(mktemp)"
trap 'rm -f "$out"' EXIT

# The output passes through tee (into $out, whose size tells whether anything was printed);
# the tees are this shell's children, so that it can wait for them to print the last of it.
exec 3> >(tee "$out")
tee_out=$!
exec 4> >(tee -a "$out" >&2)
tee_err=$!
# A session of its own: the terminal's Ctrl-C reaches this shell, which passes it on below.
setsid "$@" >&3 2>&4 &
pid=$!
exec 3>&- 4>&-

# The command and every process descending from it, by parent pid.
tree() {
  ps -e -o pid=,ppid= | awk -v root="$pid" '
    { parent[$1] = $2 }
    END {
      keep[root] = 1
      do {
        grown = 0
        for (p in parent) if (!(p in keep) && (parent[p] in keep)) { keep[p] = 1; grown = 1 }
      } while (grown)
      for (p in keep) print p
    }'
}

# CPU ticks (user + system, reaped children included) of those processes. The command name
# sits in parentheses and may hold spaces ("Web Content"): the fields are counted after it.
tree_ticks() {
  local p total=0 fields
  for p in $(tree); do
    fields="$(sed -E 's/^[0-9]+ \(.*\) //' "/proc/$p/stat" 2>/dev/null)" || continue
    read -r -a f <<<"$fields"
    total=$((total + f[11] + f[12] + f[13] + f[14]))
  done
  echo "$total"
}

signal_tree() { # signal
  local p
  for p in $(tree); do kill "-$1" "$p" 2>/dev/null; done
}

end_tree() {
  signal_tree TERM
  sleep 5
  signal_tree KILL
}

# Ctrl-C or a TERM: end the command's processes, then die of the same signal, so that the
# caller (scripts/test.sh) stops too instead of going on with the next suite.
on_signal() {
  trap - INT TERM
  end_tree
  wait "$tee_out" "$tee_err" 2>/dev/null
  rm -f "$out"
  kill "-$1" $$
}
trap 'on_signal INT' INT
trap 'on_signal TERM' TERM

diagnose() {
  local p
  echo "watchdog: '$*' has used no CPU and printed nothing for ${limit} s: stuck" >&2
  ps -o pid,ppid,stat,wchan:32,time,args -p "$(tree | paste -sd, -)" >&2 || true
  if command -v gdb >/dev/null; then
    for p in $(tree); do
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
  ticks="$(tree_ticks)"
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
    end_tree
    wait "$pid" 2>/dev/null
    wait "$tee_out" "$tee_err" 2>/dev/null
    exit 124
  fi
done
wait "$pid"
status=$?
wait "$tee_out" "$tee_err" 2>/dev/null
exit "$status"
