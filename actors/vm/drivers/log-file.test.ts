import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { lastLines, rotateIfLarge, tailLines, withTail } from './log-file.js';

describe('lastLines', () => {
  it.each([
    { text: 'a\nb\nc\n', lines: 2, midLine: false, expected: 'b\nc' },
    { text: 'a\n\n\nb\n', lines: 5, midLine: false, expected: 'a\nb' },
    { text: 'artial\nb\nc', lines: 5, midLine: true, expected: 'b\nc' },
    { text: 'a\r\nb\r\n', lines: 1, midLine: false, expected: 'b' },
    { text: 'a\nb', lines: 0, midLine: false, expected: '' },
  ])('should give $expected when taking $lines lines of $text (mid-line: $midLine)', (row) => {
    expect(lastLines(row.text, row.lines, row.midLine)).toBe(row.expected);
  });
});

describe('tailLines', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rdd-log-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('should return the last lines when the log is larger than the read window', async () => {
    // Arrange
    const file = path.join(dir, 'dockerd.log');
    const lines = Array.from({ length: 5_000 }, (_, i) => `line ${i} ${'x'.repeat(40)}`);
    fs.writeFileSync(file, `${lines.join('\n')}\n`);

    // Act
    const tail = await tailLines(file, 3);

    // Assert
    expect(tail).toBe(lines.slice(-3).join('\n'));
  });

  it('should return an empty string when the log does not exist', async () => {
    expect(await tailLines(path.join(dir, 'missing.log'), 15)).toBe('');
  });

  it('should move a log aside when it grows past the limit', async () => {
    // Arrange
    const file = path.join(dir, 'big.log');
    fs.writeFileSync(file, 'x'.repeat(100));

    // Act
    await rotateIfLarge(file, 10);

    // Assert
    expect(fs.existsSync(file)).toBe(false);
    expect(fs.readFileSync(`${file}.1`, 'utf8')).toHaveLength(100);
  });
});

describe('withTail', () => {
  it('should indent the tail under the message when there is one', () => {
    expect(withTail('dockerd exited', '/l/dockerd.log', 'a\nb')).toBe(
      'dockerd exited; last lines of /l/dockerd.log:\n  a\n  b',
    );
  });

  it('should point at the empty log when there is no tail', () => {
    expect(withTail('dockerd exited', '/l/dockerd.log', '')).toBe('dockerd exited (nothing in /l/dockerd.log)');
  });
});
