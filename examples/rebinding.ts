// Lesson 3 of the seed article: pickle stores only a function's name, so rebinding the name
// between dumping and loading silently runs the new function (2, 3 gives 6 instead of 5).
// A selfsame reference also records a digest of the implementation: the swap is caught, and
// running the new function anyway takes an explicit opt-out.
import { fromReference, IntegrityError, isMainModule, toReference } from 'selfsame';

export let add = function add(x: number, y: number): number {
  return x + y;
};

async function main(): Promise<void> {
  const reference = await toReference(add);
  const loaded = await fromReference<typeof add>(reference);
  console.log(`Before rebinding: add(2, 3) = ${loaded(2, 3)}`);

  // The article's `globals()["add"] = lambda x, y: x * y`.
  add = function add(x: number, y: number): number {
    return x * y;
  };

  try {
    await fromReference<typeof add>(reference);
  } catch (error) {
    if (!(error instanceof IntegrityError)) throw error;
    console.log(`${error.name} [${error.code}]: ${error.message}`);
  }

  const rebound = await fromReference<typeof add>(reference, { verifyIntegrity: false });
  console.log(`With verifyIntegrity: false, add(2, 3) = ${rebound(2, 3)}`);
}

// `main()` is not awaited at top level: `toReference` imports this very module to check that
// the reference finds the function again, and a module still evaluating (a pending top-level
// await) would make that import wait for `main()`, which waits for the import.
if (isMainModule(import.meta)) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
