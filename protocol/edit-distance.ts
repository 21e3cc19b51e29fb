/**
 * How far a typo is from a word: the edit distance behind every "did you mean" (a mistyped command, an
 * unknown App property). Pure, so the CLI's hook and the admission shared by CLI and daemon use one.
 */

/** Edit distance between two words (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Whether `typed` is close enough to `word` to suggest it: within 2 edits, or 1 for words of up to 4 letters. */
export function closeTo(typed: string, word: string): boolean {
  return editDistance(word, typed) <= (word.length <= 4 ? 1 : 2);
}
