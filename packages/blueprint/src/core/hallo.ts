/** The blueprint's greeting: `Hallo!`, or `Hallo <name>!` when a name is given. */
export function sayHallo(name?: string): string {
  return name === undefined ? 'Hallo!' : `Hallo ${name}!`;
}
