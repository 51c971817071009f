// The decorator-syntax half: the same source compiles as standard (TC39) and as legacy
// (`experimentalDecorators`) decorators; each cell picks the mode in its own configuration.
import { trackExecutionTime } from 'selfsame';
import { loud } from './plain.js';

/** Lines the decorated members log, so the consumer can check the names they report. */
export const logged: string[] = [];
const logger = { info: (line: string) => logged.push(line) };

export class Tasks {
  @trackExecutionTime({ logger })
  run(text: string): number {
    return text.split(/\s+/).filter(Boolean).length;
  }

  @trackExecutionTime({ logger })
  static plan(text: string): number {
    return text.split(',').length;
  }

  @loud
  greet(name: string): string {
    return `hello ${name}`;
  }
}
