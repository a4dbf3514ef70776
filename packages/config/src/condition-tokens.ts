/** The tokens of a section condition, in one linear pass. */
export type Token =
  | { kind: 'name'; text: string; offset: number }
  | { kind: 'string'; value: string; offset: number }
  | { kind: 'number'; value: number; offset: number }
  | { kind: 'op'; text: string; offset: number }
  | { kind: 'end'; offset: number };

const TWO_CHARACTER_OPS = ['==', '!=', '<=', '>=', '**'];
const ONE_CHARACTER_OPS = '<>()[],.:-';
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', '\\': '\\', "'": "'", '"': '"' };

export function tokenize(expression: string, fail: (message: string, offset: number) => never): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < expression.length) {
    const char = expression[index]!;
    if (/\s/.test(char)) {
      index++;
      continue;
    }
    const start = index;
    if (/[A-Za-z_]/.test(char)) {
      while (index < expression.length && /\w/.test(expression[index]!)) index++;
      tokens.push({ kind: 'name', text: expression.slice(start, index), offset: start });
      continue;
    }
    // A '.' after a name or a closing bracket is attribute access; before a digit it starts a number.
    if (/[0-9]/.test(char) || (char === '.' && /[0-9]/.test(expression[index + 1] ?? '') && !followsValue(tokens))) {
      while (index < expression.length && /[0-9.]/.test(expression[index]!)) index++;
      const text = expression.slice(start, index);
      const value = Number(text);
      if (Number.isNaN(value)) fail(`invalid number '${text}'`, start);
      tokens.push({ kind: 'number', value, offset: start });
      continue;
    }
    if (char === '"' || char === "'") {
      index++;
      let value = '';
      while (index < expression.length && expression[index] !== char) {
        if (expression[index] === '\\') {
          const escaped = expression.slice(index, index + 4);
          // zc.buildout lets conditions spell '#' and ';' as \x23 and \x3b.
          if (/^\\x[0-9a-fA-F]{2}$/.test(escaped)) {
            value += String.fromCharCode(Number.parseInt(escaped.slice(2), 16));
            index += 4;
            continue;
          }
          const replacement = ESCAPES[expression[index + 1] ?? ''];
          if (replacement === undefined) fail(`unsupported escape '${expression.slice(index, index + 2)}'`, index);
          value += replacement;
          index += 2;
          continue;
        }
        value += expression[index];
        index++;
      }
      if (index >= expression.length) fail('string is not closed', start);
      index++;
      tokens.push({ kind: 'string', value, offset: start });
      continue;
    }
    const two = expression.slice(index, index + 2);
    if (TWO_CHARACTER_OPS.includes(two)) {
      tokens.push({ kind: 'op', text: two, offset: start });
      index += 2;
      continue;
    }
    if (ONE_CHARACTER_OPS.includes(char)) {
      tokens.push({ kind: 'op', text: char, offset: start });
      index++;
      continue;
    }
    fail(`'${char}' is not supported in section conditions`, start);
  }
  tokens.push({ kind: 'end', offset: expression.length });
  return tokens;
}

function followsValue(tokens: readonly Token[]): boolean {
  const last = tokens[tokens.length - 1];
  return (
    last !== undefined &&
    (last.kind === 'name' || last.kind === 'string' || (last.kind === 'op' && (last.text === ')' || last.text === ']')))
  );
}
