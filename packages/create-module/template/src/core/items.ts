/** An item: what the module keeps, with no HTTP in sight. */
export interface Item {
  readonly id: string;
  readonly text: string;
}

/** A new item was refused: the store holds as many as it may. */
export class StoreFullError extends Error {
  constructor(readonly maxItems: number) {
    super(`The store holds its limit of ${maxItems} items: delete one first`);
  }
}

/** Items in memory, by id, at most `maxItems` of them. */
export class ItemStore {
  readonly #items = new Map<string, Item>();

  constructor(readonly maxItems: number) {}

  /** Every item, ordered by id. */
  list(): Item[] {
    return [...this.#items.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  }

  get(id: string): Item | undefined {
    return this.#items.get(id);
  }

  /** Creates or replaces an item; a new one past the limit throws StoreFullError. */
  put(id: string, text: string): { readonly item: Item; readonly created: boolean } {
    const created = !this.#items.has(id);
    if (created && this.#items.size >= this.maxItems) throw new StoreFullError(this.maxItems);
    const item = { id, text };
    this.#items.set(id, item);
    return { item, created };
  }

  /** False when there was no such item. */
  delete(id: string): boolean {
    return this.#items.delete(id);
  }
}
