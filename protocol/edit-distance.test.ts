import { closeTo, editDistance } from './edit-distance.js';

describe('editDistance', () => {
  it.each([
    ['', '', 0],
    ['get', 'get', 0],
    ['gt', 'get', 1],
    ['gte', 'get', 2],
    ['kitten', 'sitting', 3],
    ['', 'abc', 3],
  ])('should count %j to %j as %i edits', (a, b, edits) => {
    expect(editDistance(a, b)).toBe(edits);
    expect(editDistance(b, a)).toBe(edits);
  });
});

describe('closeTo', () => {
  it.each([
    ['gt', 'get', true],
    ['gte', 'get', false],
    ['runing', 'running', true],
    ['runnign', 'running', true],
    ['frobnicate', 'running', false],
  ])('should take %j as close to %j: %s', (typed, word, close) => {
    expect(closeTo(typed, word)).toBe(close);
  });
});
