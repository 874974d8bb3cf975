// A one-line progress bar on a TTY (redrawn in place); on a pipe or file, only the final line.
export class ProgressBar {
  constructor(title, stream, width = 30) {
    this.title = title;
    this.stream = stream;
    this.width = width;
    this.tty = Boolean(stream.isTTY);
    this.lastDraw = 0;
    this.fraction = 0;
  }

  update(fraction, note = '') {
    this.fraction = Math.max(0, Math.min(1, fraction));
    if (!this.tty) return;
    const now = Date.now();
    if (now - this.lastDraw < 50 && this.fraction < 1) return;
    this.lastDraw = now;
    this.#draw(note);
  }

  done(note = '') {
    this.fraction = 1;
    if (this.tty) {
      this.#draw(note);
      this.stream.write('\n');
    } else {
      this.stream.write(`${this.title}: done${note ? ` (${note})` : ''}\n`);
    }
  }

  #draw(note) {
    const filled = Math.round(this.fraction * this.width);
    const bar = '#'.repeat(filled) + '.'.repeat(this.width - filled);
    const percent = `${Math.floor(this.fraction * 100)}`.padStart(3);
    this.stream.write(`\r${this.title} [${bar}] ${percent} % ${note}`.slice(0, 120).padEnd(80));
  }
}
