#!/usr/bin/env bash
# Gives the current user a range of subordinate uids and gids (/etc/subuid, /etc/subgid) when it has
# none: the dockerd driver runs dockerd under RootlessKit, whose user namespace maps container ids into
# that range — for root too. As root it adds the range itself (`usermod`), choosing 65536 ids that no
# line of either file uses; as another user it prints the command to run. Idempotent; Linux only.
set -euo pipefail

[[ "$(uname -s)" == Linux ]] || exit 0
user="$(id -un)"
uid="$(id -u)"
count=65536

has_range() { # file: is there a line for the user, by name or uid, with a non-zero count?
  [[ -r "$1" ]] && awk -F: -v name="$user" -v uid="$uid" '($1 == name || $1 == uid) && $3 > 0 { found = 1 } END { exit !found }' "$1"
}

free_start() { # the first start >= 100000 whose range overlaps no line of /etc/subuid or /etc/subgid
  cat /etc/subuid /etc/subgid 2>/dev/null |
    awk -F: -v count="$count" 'BEGIN { n = 0 } NF == 3 { s[n] = $2 + 0; e[n] = $2 + $3; n++ }
      END {
        start = 100000
        do { moved = 0; for (i = 0; i < n; i++) if (start < e[i] && s[i] < start + count) { start = e[i]; moved = 1 } } while (moved)
        print start
      }'
}

flags=()
has_range /etc/subuid || flags+=(--add-subuids)
has_range /etc/subgid || flags+=(--add-subgids)
((${#flags[@]})) || exit 0

start="$(free_start)"
span="${start}-$((start + count - 1))"
args=()
for flag in "${flags[@]}"; do args+=("$flag" "$span"); done

if [[ "$uid" != 0 ]]; then
  echo "rdd's dockerd driver needs subordinate ids for $user; run: sudo usermod ${args[*]} $user" >&2
  exit 1
fi
usermod "${args[@]}" "$user"
echo "Gave $user the subordinate ids $span (${flags[*]#--add-}) for rdd's dockerd driver" >&2
