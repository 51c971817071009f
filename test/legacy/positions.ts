// Positions legacy decorators reach but selfsame refuses. Each class is defined inside a
// function so that the refusal happens when a test calls it. Compiled in legacy mode only.

export function decorateProperty() {
  class Box {
    // @ts-expect-error: a property is not a function; the decorator's type refuses it too.
    @selfsame.trackExecutionTime() size = 1;
  }
  return Box;
}

export function decorateStaticProperty() {
  // biome-ignore lint/complexity/noStaticOnlyClass: one decorated static member is the case.
  class Box {
    // @ts-expect-error: a property is not a function; the decorator's type refuses it too.
    @selfsame.trackExecutionTime static count = 1;
  }
  return Box;
}

export function decorateParameter() {
  class Box {
    // @ts-expect-error: a parameter is not a function; the decorator's type refuses it too.
    resize(@selfsame.trackExecutionTime() _factor: number) {}
  }
  return Box;
}

export function decorateConstructorParameter() {
  class Box {
    // @ts-expect-error: a parameter is not a function; the decorator's type refuses it too.
    constructor(@selfsame.trackExecutionTime() readonly size: number) {}
  }
  return Box;
}
