// Audio worklets of the dashboard: microphone capture and reply playback. Served as a file
// because the page's Content-Security-Policy allows scripts only from the service itself.

/** Posts the microphone's mono samples in 20 ms blocks (at the context's rate). */
class Capture extends AudioWorkletProcessor {
  constructor() {
    super();
    this.size = Math.round(sampleRate / 50);
    this.block = new Float32Array(this.size);
    this.filled = 0;
  }

  process(inputs) {
    const channel = inputs[0]?.[0];
    if (!channel) return true;
    let at = 0;
    while (at < channel.length) {
      const n = Math.min(channel.length - at, this.block.length - this.filled);
      this.block.set(channel.subarray(at, at + n), this.filled);
      this.filled += n;
      at += n;
      if (this.filled === this.block.length) {
        // Transferred, so the block's length reads 0 from here on: the size is kept apart.
        this.port.postMessage(this.block, [this.block.buffer]);
        this.block = new Float32Array(this.size);
        this.filled = 0;
      }
    }
    return true;
  }
}

/** Plays queued chunks without gaps; "flush" drops what is queued (barge-in, cancel). */
class Playback extends AudioWorkletProcessor {
  constructor() {
    super();
    this.queue = [];
    this.offset = 0;
    this.playing = false;
    this.port.onmessage = (event) => {
      if (event.data === "flush") {
        this.queue = [];
        this.offset = 0;
        return;
      }
      this.queue.push(event.data);
    };
  }

  process(_inputs, outputs) {
    const out = outputs[0][0];
    let written = 0;
    while (written < out.length && this.queue.length > 0) {
      const chunk = this.queue[0];
      const n = Math.min(out.length - written, chunk.length - this.offset);
      out.set(chunk.subarray(this.offset, this.offset + n), written);
      written += n;
      this.offset += n;
      if (this.offset === chunk.length) {
        this.queue.shift();
        this.offset = 0;
      }
    }
    out.fill(0, written);
    if (written > 0 && !this.playing) {
      this.playing = true;
      this.port.postMessage({ type: "started" });
    }
    if (this.playing && this.queue.length === 0) {
      this.playing = false;
      this.port.postMessage({ type: "drained" });
    }
    return true;
  }
}

registerProcessor("nobody-capture", Capture);
registerProcessor("nobody-playback", Playback);
