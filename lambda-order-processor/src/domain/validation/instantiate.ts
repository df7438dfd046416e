/**
 * Copies a plain object's own properties onto a new DTO instance, so class-validator finds the
 * class's rules. Only for bodies that passed screenJsonStructure: a "__proto__" own key would
 * otherwise replace the instance's prototype.
 */
export function instantiate<T extends object>(Dto: new () => T, plain: Record<string, unknown>): T {
  return Object.assign(new Dto(), plain);
}
