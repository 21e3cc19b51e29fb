/**
 * cli/completion/: shell completion for `rdd completion bash|zsh` and the hidden `rdd __complete` the
 * scripts call on each TAB. The scripts only pass the typed words on; the decisions are a pure function
 * of the words and the commands' own definitions (candidates.ts, model.ts); names only the instance
 * knows are looked up without ever starting its daemon (live-values.ts).
 */
export {};
