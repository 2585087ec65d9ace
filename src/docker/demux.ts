// Docker's multiplexed attach stream (non-TTY): frames of an 8-byte header [stream, 0, 0, 0,
// size uint32 BE] then `size` bytes. This Transform emits the payloads of stdout and stderr in
// arrival order (one combined log, like `2>&1`), with backpressure so big logs never pile up.
import { Transform, type TransformCallback } from "node:stream";

export class DockerDemux extends Transform {
  private pending: Buffer = Buffer.alloc(0);
  private remaining = 0; // payload bytes left in the current frame

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    this.pending = Buffer.alloc(0);
    while (buf.length > 0) {
      if (this.remaining > 0) {
        const n = Math.min(this.remaining, buf.length);
        this.push(buf.subarray(0, n));
        this.remaining -= n;
        buf = buf.subarray(n);
        continue;
      }
      if (buf.length < 8) {
        this.pending = Buffer.from(buf);
        break;
      }
      const type = buf[0];
      if (type !== 0 && type !== 1 && type !== 2) {
        done(new Error(`bad Docker stream frame header (type byte ${type}); was the exec started with a TTY?`));
        return;
      }
      this.remaining = buf.readUInt32BE(4);
      buf = buf.subarray(8);
    }
    done();
  }

  override _flush(done: TransformCallback): void {
    // A stream cut mid-frame (exec killed) loses nothing we could still decode.
    done();
  }
}
