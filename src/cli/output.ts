/** Buffered line output that respects the stream's backpressure (writing line by line is slow). */
import { once } from 'node:events';

export class LineWriter {
  private buffer: string[] = [];
  private size = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly highWater = 64 * 1024,
  ) {}

  async write(lines: readonly string[]): Promise<void> {
    for (const line of lines) {
      this.buffer.push(line);
      this.size += line.length + 1;
    }
    if (this.size >= this.highWater) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.buffer.length === 0) return;
    const chunk = `${this.buffer.join('\n')}\n`;
    this.buffer = [];
    this.size = 0;
    if (!this.stream.write(chunk)) await once(this.stream, 'drain');
  }
}
