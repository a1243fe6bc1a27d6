/**
 * Lists shortened to fit one line of a message, said the same way everywhere: `a, b, c, …`.
 * Below every layer (beside errors.ts), so git helpers and screens alike can use it.
 */
export function firstFew(items: readonly string[], shown = 3): string {
  return `${items.slice(0, shown).join(', ')}${items.length > shown ? ', …' : ''}`;
}
