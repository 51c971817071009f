// An instance member whose wrapper the user freezes before the class is first constructed: its
// qualname cannot be settled then, and construction must not fail for it. Standard mode only.

export class Sealed {
  @selfsame.trackExecutionTime({ logger: false })
  run(): string {
    return 'ran';
  }
}
