import { CliError, type Input, type Output } from './context.ts';

const ENTER = new Set(['\r', '\n', '\u0004']);
const CTRL_C = '\u0003';
const BACKSPACE = new Set(['\u007f', '\b']);

/** Reads one line from a terminal without echoing it (raw mode), e.g. a password. */
export function promptHidden(question: string, input: Input, output: Output): Promise<string> {
  if (!input.isTTY || !input.setRawMode) return Promise.reject(new CliError('Cannot prompt: standard input is not a terminal'));
  const setRawMode = input.setRawMode.bind(input);
  output.write(question);
  setRawMode(true);
  input.setEncoding('utf8');
  input.resume();

  return new Promise((resolve, reject) => {
    let value = '';
    const finish = (settle: () => void) => {
      input.off('data', onData);
      setRawMode(false);
      input.pause();
      output.write('\n');
      settle();
    };
    const onData = (chunk: string | Buffer) => {
      for (const char of String(chunk)) {
        if (ENTER.has(char)) return finish(() => resolve(value));
        if (char === CTRL_C) return finish(() => reject(new CliError('Cancelled')));
        value = BACKSPACE.has(char) ? value.slice(0, -1) : value + char;
      }
    };
    input.on('data', onData);
  });
}
