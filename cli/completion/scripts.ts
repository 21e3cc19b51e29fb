/**
 * The shell scripts `rdd completion bash|zsh` prints. They hold no knowledge of rdd: on each TAB they
 * hand the words typed to `rdd __complete -- WORD…` (the same binary the user typed) and offer what it
 * prints, one `value<TAB>description` a line. A value ending in `/` or `=` expects more, so no space
 * follows it.
 */

export const completionShells = ['bash', 'zsh'] as const;
export type CompletionShell = (typeof completionShells)[number];

/** The hidden command the scripts call. */
export const completeCommand = '__complete';

function bashScript(bin: string): string {
  return `# bash completion for ${bin}. Load it in this shell with:  source <(${bin} completion bash)
# or for every shell:  ${bin} completion bash > ~/.local/share/bash-completion/completions/${bin}
_${bin}_completion() {
  # The words as typed up to the cursor, split on blanks only: COMP_WORDS splits at = and : too.
  local line="\${COMP_LINE:0:COMP_POINT}"
  local -a words
  read -r -a words <<< "$line"
  if [[ \${#words[@]} -eq 0 || "$line" =~ [[:space:]]$ ]]; then words+=(""); fi
  local typed="\${words[\${#words[@]}-1]}"
  # Bash replaces only readline's word ($2: what follows the last = or :), so that is all we give it.
  local prefix="\${typed%"\${2-}"}"
  local IFS=$'\\n' candidate
  COMPREPLY=()
  for candidate in $("\${words[0]}" ${completeCommand} -- "\${words[@]:1}" 2>/dev/null </dev/null); do
    candidate="\${candidate%%$'\\t'*}"
    COMPREPLY+=("\${candidate#"$prefix"}")
    if [[ "$candidate" == */ || "$candidate" == *= ]]; then compopt -o nospace 2>/dev/null; fi
  done
  return 0
}
complete -F _${bin}_completion ${bin}
`;
}

function zshScript(bin: string): string {
  return `#compdef ${bin}
# zsh completion for ${bin}. Load it in this shell with:  source <(${bin} completion zsh)
# or for every shell: save it as _${bin} in a directory of $fpath, e.g.
#   ${bin} completion zsh > "\${fpath[1]}/_${bin}"   (then start a new shell; compinit must run in ~/.zshrc)
_${bin}() {
  local -a lines finished unfinished
  local line value description
  lines=("\${(@f)$("\${words[1]}" ${completeCommand} -- "\${(@)words[2,CURRENT]}" 2>/dev/null </dev/null)}")
  for line in "\${lines[@]}"; do
    [[ -z "$line" ]] && continue
    value="\${line%%$'\\t'*}"
    description=""
    [[ "$line" == *$'\\t'* ]] && description="\${line#*$'\\t'}"
    # _describe takes value:description; a colon in the value is escaped.
    if [[ "$value" == */ || "$value" == *= ]]; then
      unfinished+=("\${value//:/\\\\:}:$description")
    else
      finished+=("\${value//:/\\\\:}:$description")
    fi
  done
  (( \${#finished[@]} )) && _describe -t values '${bin}' finished
  (( \${#unfinished[@]} )) && _describe -t values '${bin}' unfinished -S ''
  return 0
}
if [[ "\${funcstack[1]}" == "_${bin}" ]]; then
  _${bin} "$@"
else
  compdef _${bin} ${bin}
fi
`;
}

export function completionScript(shell: CompletionShell, bin: string): string {
  return shell === 'bash' ? bashScript(bin) : zshScript(bin);
}
