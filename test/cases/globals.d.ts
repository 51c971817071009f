// The decorator cases read the library from this global, set by the test that loads them, so
// that their compiled JavaScript imports nothing and runs against whichever copy the test chose.
declare global {
  var selfsame: typeof import('../../src/index.js');
}

export {};
