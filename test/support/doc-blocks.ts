/**
 * The compiler options a guide's code blocks are compiled with, as a reader's NodeNext project
 * would: shared by the docs code-block test and the queue suite that runs the queue's blocks.
 */
export const DOC_BLOCK_COMPILER_OPTIONS = {
  target: 'es2022',
  module: 'nodenext',
  moduleResolution: 'nodenext',
  lib: ['es2023', 'esnext.decorators', 'esnext.disposable'],
  types: ['node'],
  strict: true,
  skipLibCheck: true,
};
