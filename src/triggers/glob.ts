/**
 * `match(field, "pattern")` globs: anchored, `*` matches any run of characters (also none), `?`
 * exactly one character (a whole code point, so an emoji counts as one), and `\` makes the next
 * character literal. The pattern is the value of a string literal, so a trigger spells a literal
 * star `match(event, "Save\\*")`: the string is `Save\*`, the pattern matches exactly `Save*`.
 *
 * Deliberately not a RegExp: `*a*a*a*b` against a long string would backtrack polynomially in
 * a regex engine. The matcher below is the classic single-backtrack-point glob walk: it never
 * revisits more than one star, so it runs in O(pattern × text) at worst, allocates nothing, and
 * the common shapes (`Order *`, `* Completed`, `*Cart*`, no wildcard) are reduced to one
 * startsWith / endsWith / includes / === call.
 */

export type StringTest = (text: string) => boolean;

type Part = { kind: 'star' } | { kind: 'one' } | { kind: 'text'; text: string };

/** Why a pattern is unusable, or undefined when it is fine. */
export function globProblem(pattern: string): string | undefined {
  let escaped = false;
  for (const c of pattern) escaped = !escaped && c === '\\';
  return escaped ? 'the pattern ends with "\\", which escapes nothing' : undefined;
}

export function compileGlob(pattern: string): StringTest {
  const parts = splitPattern(pattern);
  const [first, second, third] = parts;
  if (parts.length === 0) return (text) => text === '';
  if (parts.length === 1 && first?.kind === 'text') {
    const literal = first.text;
    return (text) => text === literal;
  }
  if (parts.length === 1 && first?.kind === 'star') return () => true;
  if (parts.length === 2 && first?.kind === 'text' && second?.kind === 'star') {
    const prefix = first.text;
    return (text) => text.startsWith(prefix);
  }
  if (parts.length === 2 && first?.kind === 'star' && second?.kind === 'text') {
    const suffix = second.text;
    return (text) => text.endsWith(suffix);
  }
  if (parts.length === 3 && first?.kind === 'star' && second?.kind === 'text' && third?.kind === 'star') {
    const infix = second.text;
    return (text) => text.includes(infix);
  }
  return generalMatcher(parts);
}

/** Splits a pattern into literal runs and wildcards; consecutive stars are one star. */
function splitPattern(pattern: string): Part[] {
  const parts: Part[] = [];
  let text = '';
  let escaped = false;
  const flush = () => {
    if (text !== '') parts.push({ kind: 'text', text });
    text = '';
  };
  for (const c of pattern) {
    if (escaped) {
      text += c;
      escaped = false;
    } else if (c === '\\') {
      escaped = true;
    } else if (c === '*') {
      flush();
      if (parts[parts.length - 1]?.kind !== 'star') parts.push({ kind: 'star' });
    } else if (c === '?') {
      flush();
      parts.push({ kind: 'one' });
    } else {
      text += c;
    }
  }
  flush();
  return parts;
}

/** Length in UTF-16 units of the code point at `i` (2 for a surrogate pair). */
function width(text: string, i: number): number {
  const c = text.charCodeAt(i);
  if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
    const d = text.charCodeAt(i + 1);
    if (d >= 0xdc00 && d <= 0xdfff) return 2;
  }
  return 1;
}

function generalMatcher(parts: readonly Part[]): StringTest {
  return (text) => {
    let p = 0; // next part
    let t = 0; // next character of text
    let starPart = -1; // part index just after the last star seen
    let starText = 0; // where that star's match currently ends
    while (t < text.length || p < parts.length) {
      const part = parts[p];
      if (part !== undefined) {
        if (part.kind === 'star') {
          starPart = ++p;
          starText = t;
          continue;
        }
        if (part.kind === 'one' && t < text.length) {
          t += width(text, t);
          p++;
          continue;
        }
        if (part.kind === 'text' && text.startsWith(part.text, t)) {
          t += part.text.length;
          p++;
          continue;
        }
      }
      // Mismatch (or pattern used up with text left): let the last star eat one more character.
      if (starPart === -1 || starText >= text.length) return false;
      starText += width(text, starText);
      t = starText;
      p = starPart;
    }
    return true;
  };
}
