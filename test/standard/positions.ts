// Positions standard decorators reach but selfsame refuses. Each class is defined inside a
// function so that the refusal happens when a test calls it. Compiled in standard mode only.

export function decorateField() {
  class Box {
    // @ts-expect-error: a field is not a function; the decorator's type refuses it too.
    @selfsame.trackExecutionTime() size = 1;
  }
  return Box;
}

export function decorateStaticField() {
  // biome-ignore lint/complexity/noStaticOnlyClass: one decorated static member is the case.
  class Box {
    // @ts-expect-error: a field is not a function; the decorator's type refuses it too.
    @selfsame.trackExecutionTime static count = 1;
  }
  return Box;
}

export function decorateAccessor() {
  class Box {
    // @ts-expect-error: an auto-accessor is not a function; the decorator's type refuses it too.
    @selfsame.trackExecutionTime() accessor size = 1;
  }
  return Box;
}
