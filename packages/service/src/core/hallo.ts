/** The service's own greeting: `Hallo from CORE!`, or `Hallo <name> from CORE!` when a name is given. */
export function sayHallo(name?: string): string {
  return name === undefined ? 'Hallo from CORE!' : `Hallo ${name} from CORE!`;
}
