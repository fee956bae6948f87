// Parses one JavaScript literal value out of (minified) source text: objects with plain or quoted keys,
// arrays, double-quoted strings, numbers, null, and the minifier's booleans `!0`/`!1`. Enough to read the
// data that nsfwjs's model bundles export, without evaluating their code.

export interface ParsedLiteral {
  value: unknown;
  /** Index just past the literal. */
  end: number;
}

export function parseJsLiteral(source: string, start: number): ParsedLiteral {
  let i = start;
  const fail = (what: string): never => {
    throw new Error(`JS literal at ${i}: ${what} (near ${JSON.stringify(source.slice(i, i + 40))})`);
  };
  const skipSpace = () => {
    while (/\s/.test(source[i] ?? "")) i++;
  };
  const expect = (ch: string) => {
    skipSpace();
    if (source[i] !== ch) fail(`expected "${ch}"`);
    i++;
  };

  const string = (): string => {
    const begin = i;
    for (i++; source[i] !== '"'; i++) {
      if (i >= source.length) fail("unterminated string");
      if (source[i] === "\\") i++;
    }
    i++;
    // The escapes minifiers write in double-quoted strings are JSON's.
    return JSON.parse(source.slice(begin, i)) as string;
  };

  const value = (): unknown => {
    skipSpace();
    const ch = source[i];
    if (ch === "{") {
      i++;
      const object: Record<string, unknown> = {};
      skipSpace();
      while (source[i] !== "}") {
        skipSpace();
        let key: string;
        if (source[i] === '"') key = string();
        else {
          const match = /^[A-Za-z_$][\w$]*|^\d+/.exec(source.slice(i, i + 200));
          if (!match) fail("expected a key");
          key = match![0];
          i += key.length;
        }
        expect(":");
        // Defined as an own data property, so a key like "__proto__" cannot reach the prototype.
        Object.defineProperty(object, key, { value: value(), enumerable: true, writable: true, configurable: true });
        skipSpace();
        if (source[i] === ",") i++;
        else if (source[i] !== "}") fail('expected "," or "}"');
        skipSpace();
      }
      i++;
      return object;
    }
    if (ch === "[") {
      i++;
      const array: unknown[] = [];
      skipSpace();
      while (source[i] !== "]") {
        array.push(value());
        skipSpace();
        if (source[i] === ",") i++;
        else if (source[i] !== "]") fail('expected "," or "]"');
        skipSpace();
      }
      i++;
      return array;
    }
    if (ch === '"') return string();
    if (source.startsWith("!0", i) || source.startsWith("!1", i)) {
      i += 2;
      return source[i - 1] === "0";
    }
    for (const [word, literal] of [["null", null], ["true", true], ["false", false]] as const) {
      if (source.startsWith(word, i) && !/[\w$]/.test(source[i + word.length] ?? "")) {
        i += word.length;
        return literal;
      }
    }
    const number = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?/.exec(source.slice(i, i + 40));
    if (number) {
      i += number[0].length;
      return Number(number[0]);
    }
    return fail("unsupported token");
  };

  const parsed = value();
  return { value: parsed, end: i };
}
