/**
 * Reads a JSON-lines file for the offline commands (`detect`, `detect --tune`): one parsed value per non-blank
 * line with its line number. A leading byte-order mark is dropped (exports written by Windows tools carry one);
 * a line that is not JSON, or a file that cannot be read, becomes an InputError naming the file and line. The
 * file is streamed, so memory grows with what the caller keeps, not with the file.
 */
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { errorMessage, InputError } from '../lib/errors.js';

export async function* readJsonLines(path: string, what = path): AsyncGenerator<{ lineNo: number; value: unknown }> {
  const stream = createReadStream(path, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  let lineNo = 0;
  try {
    for await (const line of lines) {
      lineNo += 1;
      const text = lineNo === 1 && line.startsWith('\uFEFF') ? line.slice(1) : line;
      if (text.trim() === '') continue;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch (error) {
        throw new InputError(`${path} line ${lineNo}: not valid JSON (${errorMessage(error)})`);
      }
      yield { lineNo, value };
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    throw new InputError(`cannot read ${what} (${(error as NodeJS.ErrnoException).code ?? errorMessage(error)})`);
  } finally {
    lines.close();
    stream.destroy();
  }
}
