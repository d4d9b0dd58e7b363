import { CliError } from './output';

/** Asks for a password twice on the terminal without echoing it. */
export async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY)
    throw new CliError('bad-input', 'Set PROCLENS_PASSWORD, or run this on a terminal to be asked for the password.');
  const ask = (prompt: string) =>
    new Promise<string>((resolve, reject) => {
      process.stderr.write(prompt);
      const stdin = process.stdin;
      stdin.setRawMode(true);
      stdin.resume();
      let value = '';
      const onData = (buf: Buffer) => {
        for (const ch of buf.toString('utf8')) {
          if (ch === '\r' || ch === '\n') {
            done();
            return resolve(value);
          }
          if (ch === '\u0003') {
            done();
            return reject(new CliError('bad-input', 'Cancelled.', 130));
          }
          if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
          else value += ch;
        }
      };
      const done = () => {
        stdin.off('data', onData);
        stdin.setRawMode(false);
        stdin.pause();
        process.stderr.write('\n');
      };
      stdin.on('data', onData);
    });
  const first = await ask('Password: ');
  const second = await ask('Repeat password: ');
  if (first !== second) throw new CliError('bad-input', 'The passwords do not match.');
  return first;
}
